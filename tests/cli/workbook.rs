//! report.xlsx read back as an analyst's spreadsheet program would: every sheet an Excel table
//! with a frozen, filtered header row, columns sized to their content, figures stored as numbers
//! with number formats, failures highlighted, document properties set. See: #13
use std::io::Read;

use calamine::{Data, Reader};

use super::common::{report, sunderland};

/// The workbook's parts (XML text by path inside the zip).
fn parts(bytes: &[u8]) -> std::collections::BTreeMap<String, String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("a zip");
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).expect("entry");
            let mut text = String::new();
            f.read_to_string(&mut text).expect("UTF-8 XML");
            (f.name().expect("name").to_string(), text)
        })
        .collect()
}

/// The width of each column of a sheet's XML, in column order.
fn widths(sheet: &str) -> Vec<f64> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(sheet);
    let mut out = Vec::new();
    loop {
        match reader.read_event().expect("XML") {
            Event::Empty(e) | Event::Start(e) if e.name().as_ref() == "col" => {
                let attr = |n: &str| {
                    let a = e.try_get_attribute(n).expect("attr").expect(n);
                    a.value.parse::<f64>().expect("a number")
                };
                // Neighbouring columns of the same width share one `<col min max>`.
                for _ in attr("min") as usize..=attr("max") as usize {
                    out.push(attr("width"));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

fn sheet_xml(parts: &std::collections::BTreeMap<String, String>, n: usize) -> &str {
    &parts[&format!("xl/worksheets/sheet{n}.xml")]
}

#[test]
fn every_sheet_is_a_table_with_a_frozen_filtered_header_and_sized_columns() {
    let bytes = report(&sunderland("2017-01-31"), "xlsx", &[]);
    let parts = parts(&bytes);
    let names = [
        "Run",
        "Inputs",
        "Mappings",
        "Ledger",
        "Exclusions",
        "Controls",
        "Rules",
        "Findings",
        "Breakdowns",
        "Figures",
    ];
    for (i, name) in names.iter().enumerate() {
        let xml = sheet_xml(&parts, i + 1);
        assert!(
            xml.contains(
                r#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#
            ),
            "{name}: header row not frozen"
        );
        let table = &parts[&format!("xl/tables/table{}.xml", i + 1)];
        assert!(
            table.contains(&format!("name=\"{name}\"")) && table.contains("<autoFilter"),
            "{name}: {table}"
        );
    }
    // Inputs: the SHA-256 column shows all 64 characters; Findings: the message is wide.
    let inputs = widths(sheet_xml(&parts, 2));
    assert!(inputs[3] >= 64.0, "{inputs:?}");
    assert!(inputs[1] < 20.0, "bytes is narrow: {inputs:?}");
    let findings = widths(sheet_xml(&parts, 8));
    assert!(findings[11] > 60.0 && findings[2] < 15.0, "{findings:?}");
    // Failures are highlighted by conditional formatting, not by hand.
    for (n, word) in [(4, "NO"), (6, "FAILED"), (8, "error"), (10, "DISAGREES")] {
        assert!(
            sheet_xml(&parts, n).contains(&format!("<formula>\"{word}\"</formula>")),
            "sheet {n} does not highlight {word}"
        );
    }
    let core = &parts["docProps/core.xml"];
    assert!(
        core.contains("<dc:title>Handover reconciliation</dc:title>"),
        "{core}"
    );
    assert!(
        core.contains("<dc:subject>Sunderland as at 2017-01-31</dc:subject>"),
        "{core}"
    );
    assert!(
        core.contains("<dc:description>FINDINGS: 23 error findings and 1 failed control."),
        "{core}"
    );
}

#[test]
fn figures_and_counts_are_numbers_with_number_formats() {
    let bytes = report(&sunderland("2017-03-31"), "xlsx", &[]);
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.clone())).expect("xlsx");
    let figures = wb.worksheet_range("Figures").expect("Figures");
    let row = |name: &str| {
        figures
            .rows()
            .find(|r| r[0] == Data::String(name.to_string()))
            .unwrap_or_else(|| panic!("no {name}"))
            .to_vec()
    };
    assert_eq!(row("staff_transferred")[3], Data::Float(828.0));
    assert_eq!(row("staff_transferred")[4], Data::Float(828.0));
    let visits = row("cp_visits_within_10_working_days_pct");
    assert_eq!(
        visits[3],
        Data::Float(0.92),
        "a percentage is a fraction, formatted 0%"
    );
    let styles = &parts(&bytes)["xl/styles.xml"];
    assert!(
        styles.contains(r#"formatCode="0%""#) && styles.contains(r##"formatCode="#,##0""##),
        "{styles}"
    );
    let ledger = wb.worksheet_range("Ledger").expect("Ledger");
    assert!(
        ledger
            .rows()
            .skip(1)
            .all(|r| matches!(r[1], Data::Float(_)))
    );
    // The Run sheet has a real header, and no cell is a formula guard on an empty value.
    let run = wb.worksheet_range("Run").expect("Run");
    assert_eq!(
        run.rows().next().map(|r| r.to_vec()),
        Some(vec![
            Data::String("field".into()),
            Data::String("value".into())
        ])
    );
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).expect("sheet");
        for cell in range.rows().flatten() {
            assert_ne!(cell, &Data::String("'-".into()), "{name}");
        }
    }
}
