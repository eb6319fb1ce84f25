//! Tests of the spreadsheet reader against the checked-in workbooks. The workbooks were written by
//! `regenerate_workbook_fixtures` (ignored; run it with `--ignored` to rebuild them).
use std::path::PathBuf;

use jiff::civil::date;

use super::*;
use crate::source::open;

const DIR: &str = "fixtures/excel_serial_dates";

fn spec(rel: &str, header_row: u32) -> SourceSpec {
    SourceSpec {
        path: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel),
        display: rel.to_string(),
        sheet: None,
        header_row,
        delimiter: None,
        encoding: None,
        xml: None,
    }
}

fn text(s: &str) -> Cell {
    Cell::Text(s.to_string())
}

/// Headers, then every row as (line, cells).
type Contents = (Vec<String>, Vec<(u64, Vec<Cell>)>);

fn rows(spec: &SourceSpec) -> Result<Contents, SourceError> {
    let mut reader = open(spec)?;
    let mut row = Row::default();
    let mut out = Vec::new();
    while reader.read_row(&mut row)? {
        out.push((row.line, row.cells.clone()));
    }
    Ok((reader.headers().to_vec(), out))
}

#[test]
fn title_rows_are_skipped_and_lines_are_absolute() {
    let s = spec(&format!("{DIR}/title_rows_serials.xlsx"), 4);
    let reader = SheetReader::open(&s).unwrap();
    assert_eq!(reader.sheet(), Some("Placements"));
    assert_eq!(reader.date_system(), DateSystem::Excel1900);
    let (headers, got) = rows(&s).unwrap();
    assert_eq!(
        headers,
        [
            "child_id",
            "start_date",
            "end_serial",
            "weekly_cost",
            "active",
            "note"
        ]
    );
    let start = date(2017, 3, 31).at(0, 0, 0, 0);
    assert_eq!(
        got,
        vec![
            (
                5,
                vec![
                    text("C001"),
                    Cell::Date(start),
                    Cell::Number(42825.0),
                    Cell::Number(512.5),
                    Cell::Bool(true),
                    text("ok"),
                ]
            ),
            (
                6,
                vec![
                    text("C002"),
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Error("#N/A".into()),
                    Cell::Bool(false),
                    Cell::Empty,
                ]
            ),
            (
                8,
                vec![
                    text("C003"),
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Empty
                ]
            ),
            // Only a value beyond the header: a row all the same, with its problem (below).
            (9, vec![Cell::Empty; 6]),
        ]
    );
}

// See: #9
#[test]
fn values_outside_the_headers_columns_are_row_problems_naming_the_cells() {
    let s = spec(&format!("{DIR}/title_rows_serials.xlsx"), 4);
    let mut reader = open(&s).unwrap();
    let mut row = Row::default();
    let mut problems = Vec::new();
    while reader.read_row(&mut row).unwrap() {
        for p in &row.problems {
            problems.push((row.line, p.rule, p.message.clone()));
        }
    }
    let outside = crate::finding::Builtin::CellOutsideHeader;
    assert_eq!(
        problems,
        vec![
            (
                5,
                outside,
                "cells G5, J5 hold a value in a column the header row does not name; it would be dropped".to_string()
            ),
            (
                9,
                outside,
                "cell J9 holds a value in a column the header row does not name; it would be dropped".to_string()
            ),
        ]
    );
}

#[test]
fn serial_numbers_convert_with_the_readers_date_system() {
    let s = spec(&format!("{DIR}/title_rows_serials.xlsx"), 4);
    let reader = SheetReader::open(&s).unwrap();
    let (_, got) = rows(&s).unwrap();
    let Cell::Number(serial) = got[0].1[2] else {
        panic!("expected a number")
    };
    assert_eq!(
        reader.date_system().serial_to_date(serial),
        Some(date(2017, 3, 31))
    );
}

#[test]
fn a_1904_workbook_is_detected_and_its_dates_are_right() {
    let s = spec(&format!("{DIR}/date1904.xlsx"), 1);
    let reader = SheetReader::open(&s).unwrap();
    assert_eq!(reader.date_system(), DateSystem::Excel1904);
    let (headers, got) = rows(&s).unwrap();
    assert_eq!(headers, ["child_id", "dob", "dob_serial"]);
    let noon = date(2017, 3, 31).at(12, 0, 0, 0);
    assert_eq!(
        got[0],
        (2, vec![text("C1"), Cell::Date(noon), Cell::Number(41363.0)])
    );
    assert_eq!(
        reader.date_system().serial_to_date(41363.0),
        Some(date(2017, 3, 31))
    );
}

#[test]
fn a_named_sheet_is_read_and_a_missing_one_lists_the_sheets() {
    let mut s = spec(&format!("{DIR}/title_rows_serials.xlsx"), 1);
    s.sheet = Some("Notes".into());
    let (headers, got) = rows(&s).unwrap();
    assert_eq!(headers, ["topic", "text"]);
    assert_eq!(got, vec![(2, vec![text("source"), text("synthetic")])]);
    s.sheet = Some("Cases".into());
    match SheetReader::open(&s) {
        Err(SourceError::MissingSheet {
            sheet, available, ..
        }) => {
            assert_eq!(sheet, "Cases");
            assert_eq!(available, "Placements, Notes");
        }
        Err(e) => panic!("expected a missing sheet, got {e:?}"),
        Ok(_) => panic!("expected a missing sheet"),
    }
}

#[test]
fn a_header_row_that_is_blank_or_beyond_the_end_is_an_error() {
    for row in [3, 99] {
        let s = spec(&format!("{DIR}/title_rows_serials.xlsx"), row);
        assert!(
            matches!(SheetReader::open(&s), Err(SourceError::NoHeader { row: r, .. }) if r == row),
            "row {row}"
        );
    }
}

#[test]
fn a_corrupt_workbook_is_a_workbook_error() {
    let s = spec("fixtures/malformed_inputs/corrupt.xlsx", 1);
    assert!(matches!(
        SheetReader::open(&s),
        Err(SourceError::Workbook { file, .. }) if file.ends_with("corrupt.xlsx")
    ));
}

#[test]
fn ods_is_read_through_a_range() {
    let s = spec(&format!("{DIR}/placements.ods"), 2);
    let (headers, got) = rows(&s).unwrap();
    assert_eq!(headers, ["child_id", "start_date", "weeks"]);
    let start = date(2024, 3, 1).at(0, 0, 0, 0);
    assert_eq!(
        got,
        vec![(3, vec![text("C9"), Cell::Date(start), Cell::Number(12.0)])]
    );
}

/// Writes the workbook fixtures. Run with `cargo test --lib regenerate -- --ignored`.
#[test]
#[ignore]
fn regenerate_workbook_fixtures() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(DIR);
    std::fs::write(dir.join("title_rows_serials.xlsx"), title_rows_workbook()).unwrap();
    let plain = date1904_workbook();
    std::fs::write(dir.join("date1904.xlsx"), set_date1904(&plain)).unwrap();
}

fn title_rows_workbook() -> Vec<u8> {
    use rust_xlsxwriter::{Format, Formula, Workbook};
    let mut wb = Workbook::new();
    let day = Format::new().set_num_format("yyyy-mm-dd");
    let ws = wb.add_worksheet().set_name("Placements").unwrap();
    ws.write_string(0, 0, "Placements export").unwrap();
    ws.write_string(1, 0, "Generated 2024-03-01").unwrap();
    // Header on row 4, starting in column B; G4 is blank, so column G is not read.
    let names = [
        "child_id",
        "start_date",
        "end_serial",
        "weekly_cost",
        "active",
    ];
    for (i, name) in names.iter().enumerate() {
        ws.write_string(3, 1 + i as u16, *name).unwrap();
    }
    ws.write_string(3, 7, "note").unwrap();
    ws.write_string(4, 1, "C001").unwrap();
    ws.write_number_with_format(4, 2, 42825.0, &day).unwrap();
    ws.write_number(4, 3, 42825.0).unwrap();
    ws.write_number(4, 4, 512.5).unwrap();
    ws.write_boolean(4, 5, true).unwrap();
    ws.write_string(4, 6, "under a blank header").unwrap();
    ws.write_string(4, 7, "ok").unwrap();
    ws.write_string(4, 9, "beyond the header").unwrap();
    ws.write_string(5, 1, "C002").unwrap();
    ws.write_formula(5, 4, Formula::new("=NA()").set_result("#N/A"))
        .unwrap();
    ws.write_boolean(5, 5, false).unwrap();
    ws.write_string(7, 1, "C003").unwrap();
    ws.write_string(8, 9, "only beyond the header: a row problem")
        .unwrap();
    let notes = wb.add_worksheet().set_name("Notes").unwrap();
    notes.write_string(0, 0, "topic").unwrap();
    notes.write_string(0, 1, "text").unwrap();
    notes.write_string(1, 0, "source").unwrap();
    notes.write_string(1, 1, "synthetic").unwrap();
    wb.save_to_buffer().unwrap()
}

/// Serials are written as numbers: 41363.5 is 2017-03-31 12:00 in the 1904 system.
fn date1904_workbook() -> Vec<u8> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let stamp = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    let ws = wb.add_worksheet();
    for (i, name) in ["child_id", "dob", "dob_serial"].iter().enumerate() {
        ws.write_string(0, i as u16, *name).unwrap();
    }
    ws.write_string(1, 0, "C1").unwrap();
    ws.write_number_with_format(1, 1, 41363.5, &stamp).unwrap();
    ws.write_number(1, 2, 41363.0).unwrap();
    wb.save_to_buffer().unwrap()
}

/// Rewrites an xlsx so that xl/workbook.xml declares the 1904 date system.
fn set_date1904(xlsx: &[u8]) -> Vec<u8> {
    use std::io::{Cursor, Read, Write};
    let mut zin = zip::ZipArchive::new(Cursor::new(xlsx)).unwrap();
    let mut zout = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..zin.len() {
        let mut entry = zin.by_index(i).unwrap();
        if entry.name().unwrap() != "xl/workbook.xml" {
            zout.raw_copy_file(entry).unwrap();
            continue;
        }
        let mut xml = String::new();
        entry.read_to_string(&mut xml).unwrap();
        assert!(xml.contains("<workbookPr"), "{xml}");
        let xml = xml.replacen("<workbookPr", "<workbookPr date1904=\"1\"", 1);
        let options = zip::write::SimpleFileOptions::default();
        zout.start_file("xl/workbook.xml", options).unwrap();
        zout.write_all(xml.as_bytes()).unwrap();
    }
    zout.finish().unwrap().into_inner()
}

#[test]
fn a_missing_workbook_is_an_io_error_and_upper_case_extensions_open() {
    let s = spec(&format!("{DIR}/absent.xlsx"), 1);
    assert!(matches!(SheetReader::open(&s), Err(SourceError::Io { .. })));
    let dir = tempfile::tempdir().unwrap();
    let upper = dir.path().join("COPY.XLSX");
    std::fs::copy(spec(&format!("{DIR}/date1904.xlsx"), 1).path, &upper).unwrap();
    let mut s = spec("COPY.XLSX", 1);
    s.path = upper;
    let reader = SheetReader::open(&s).unwrap();
    assert_eq!(reader.date_system(), DateSystem::Excel1904);
}

#[test]
fn selects_sheets_by_name_list_and_pattern_in_workbook_order() {
    let names: Vec<String> = ["Placements", "Notes", "Placements 2", "Placements 3"]
        .map(String::from)
        .to_vec();
    let pick = |wanted: &[&str]| {
        let wanted: Vec<String> = wanted.iter().map(|s| s.to_string()).collect();
        select_sheets(&names, &wanted, "p.xlsx")
    };
    assert_eq!(pick(&[]).unwrap(), ["Placements"]);
    assert_eq!(
        pick(&["Placements [0-9]*", "Placements"]).unwrap(),
        ["Placements", "Placements 2", "Placements 3"]
    );
    assert_eq!(pick(&["Notes", "Nothing*"]).unwrap(), ["Notes"]);
    assert!(matches!(
        pick(&["Placement"]),
        Err(SourceError::MissingSheet { sheet, .. }) if sheet == "Placement"
    ));
    assert!(matches!(
        pick(&["Nothing*"]),
        Err(SourceError::MissingSheet { .. })
    ));
}

/// A spreadsheet's progress is the data rows returned, so its spinner counts rows. See: #13
#[test]
fn position_counts_the_data_rows_returned() {
    let spec = spec(
        "fixtures/sunderland/2017-03-31/placements/placements.xlsx",
        4,
    );
    let mut reader = open(&spec).unwrap();
    let mut row = Row::default();
    let mut n = 0;
    assert_eq!(reader.position(), 0);
    while reader.read_row(&mut row).unwrap() {
        n += 1;
        assert_eq!(reader.position(), n);
    }
    assert!(n > 2000, "{n}");
}
