//! Tests of the CSV reader against the checked-in fixtures.
use super::*;
use crate::source::{SourceSpec, open};

fn spec(rel: &str) -> SourceSpec {
    SourceSpec {
        path: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel),
        display: rel.to_string(),
        sheet: None,
        header_row: 1,
        delimiter: None,
        encoding: None,
        xml: None,
    }
}

fn text(s: &str) -> Cell {
    Cell::Text(s.to_string())
}

/// Reads every row as (line, cells).
fn rows(spec: &SourceSpec) -> Result<Vec<(u64, Vec<Cell>)>, SourceError> {
    let mut reader = open(spec)?;
    let mut row = Row::default();
    let mut out = Vec::new();
    while reader.read_row(&mut row)? {
        out.push((row.line, row.cells.clone()));
    }
    Ok(out)
}

#[test]
fn utf8_bom_is_stripped_from_the_first_header() {
    let s = spec("fixtures/csv_encodings/utf8_bom.csv");
    let reader = CsvReader::open(&s).unwrap();
    assert_eq!(reader.headers(), ["id", "name", "town"]);
    assert_eq!(reader.encoding(), Encoding::Utf8);
    assert_eq!(
        rows(&s).unwrap(),
        vec![
            (2, vec![text("1"), text("Zoë"), text("Crépy")]),
            (3, vec![text("2"), text("Ann"), Cell::Empty]),
        ]
    );
}

#[test]
fn windows_1252_is_detected_and_decoded() {
    let s = spec("fixtures/csv_encodings/windows1252.csv");
    assert_eq!(
        CsvReader::open(&s).unwrap().encoding(),
        Encoding::Windows1252
    );
    let got = rows(&s).unwrap();
    assert_eq!(got[0], (2, vec![text("1"), text("Zoë"), text("Crépy")]));
    assert_eq!(got[1], (3, vec![text("2"), text("Renée"), text("K€ln")]));
}

#[test]
fn declared_utf8_with_bad_bytes_names_the_line() {
    let mut s = spec("fixtures/malformed_inputs/bad_utf8_declared.csv");
    s.encoding = Some(Encoding::Utf8);
    match rows(&s) {
        Err(SourceError::Encoding { line, .. }) => assert_eq!(line, 3),
        other => panic!("expected an encoding error, got {other:?}"),
    }
}

#[test]
fn delimiters_are_sniffed() {
    for (rel, delim, note) in [
        ("fixtures/csv_encodings/semicolon.csv", b';', "a;b,c"),
        ("fixtures/csv_encodings/tab.tsv", b'\t', "a,b;c"),
        ("fixtures/csv_encodings/pipe.txt", b'|', "x|y"),
    ] {
        let s = spec(rel);
        let reader = CsvReader::open(&s).unwrap();
        assert_eq!(reader.delimiter(), delim, "{rel}");
        assert_eq!(reader.headers(), ["id", "name", "note"], "{rel}");
        assert_eq!(
            rows(&s).unwrap()[0].1,
            vec![text("1"), text("Ann"), text(note)]
        );
    }
}

#[test]
fn declared_delimiter_wins_over_sniffing() {
    let mut s = spec("fixtures/csv_encodings/semicolon.csv");
    s.delimiter = Some(b',');
    let reader = CsvReader::open(&s).unwrap();
    assert_eq!(reader.headers(), ["id;name;note"]);
}

#[test]
fn lines_are_physical_after_multiline_fields_and_blank_rows_skip() {
    let got = rows(&spec("fixtures/csv_encodings/multiline.csv")).unwrap();
    let lines: Vec<u64> = got.iter().map(|r| r.0).collect();
    assert_eq!(lines, [2, 5, 8]);
    assert_eq!(got[0].1[2], text("first line\nsecond line\nthird line"));
    assert_eq!(
        got[2].1,
        vec![text("3"), text("Cy \"Junior\""), text("  spaced  ")]
    );
}

#[test]
fn header_row_skips_title_lines_and_trims_names() {
    let mut s = spec("fixtures/csv_encodings/title_rows.csv");
    s.header_row = 3;
    let reader = CsvReader::open(&s).unwrap();
    assert_eq!(reader.headers(), ["id", "name"]);
    assert_eq!(rows(&s).unwrap(), vec![(4, vec![text("1"), text("Ann")])]);
    s.header_row = 9;
    assert!(matches!(
        CsvReader::open(&s),
        Err(SourceError::NoHeader { row: 9, .. })
    ));
}

#[test]
fn ragged_rows_name_line_and_counts() {
    match rows(&spec("fixtures/malformed_inputs/ragged.csv")) {
        Err(SourceError::Ragged {
            line,
            expected,
            found,
            ..
        }) => assert_eq!((line, expected, found), (3, 3, 2)),
        other => panic!("expected a ragged error, got {other:?}"),
    }
}

#[test]
fn unterminated_quote_is_an_error_at_its_record() {
    match rows(&spec("fixtures/malformed_inputs/unterminated_quote.csv")) {
        Err(SourceError::Csv { line, message, .. }) => {
            assert_eq!(line, 3);
            assert!(message.contains("never closed"), "{message}");
        }
        other => panic!("expected a CSV error, got {other:?}"),
    }
}

#[test]
fn duplicate_headers_are_refused() {
    let s = spec("fixtures/malformed_inputs/duplicate_header.csv");
    assert!(matches!(
        CsvReader::open(&s),
        Err(SourceError::DuplicateHeader { name, .. }) if name == "id"
    ));
}

#[test]
fn position_reaches_the_file_size() {
    let s = spec("fixtures/csv_encodings/utf8_bom.csv");
    let mut reader = CsvReader::open(&s).unwrap();
    let mut row = Row::default();
    while reader.read_row(&mut row).unwrap() {}
    let len = std::fs::metadata(&s.path).unwrap().len();
    assert_eq!(reader.position(), len);
}

#[test]
fn row_buffers_are_reused_and_resized() {
    let mut reader = CsvReader::open(&spec("fixtures/csv_encodings/utf8_bom.csv")).unwrap();
    let mut row = Row {
        line: 0,
        place: None,
        cells: vec![text("stale"); 5],
        problems: Vec::new(),
    };
    assert!(reader.read_row(&mut row).unwrap());
    assert_eq!(row.cells.len(), 3);
    assert_eq!(row.cells[1], text("Zoë"));
}

#[test]
fn crlf_lines_are_counted_and_cr_is_not_kept() {
    let got = rows(&spec("fixtures/csv_encodings/multiline_crlf.csv")).unwrap();
    assert_eq!(
        got,
        vec![
            (2, vec![text("1"), text("a\r\nb")]),
            (5, vec![text("2"), text("x")]),
        ]
    );
}

#[test]
fn blank_lines_and_empty_records_do_not_count_towards_header_row() {
    let mut s = spec("fixtures/csv_encodings/title_and_blank_lines_crlf.csv");
    s.header_row = 2;
    let reader = CsvReader::open(&s).unwrap();
    assert_eq!(reader.delimiter(), b';');
    assert_eq!(reader.headers(), ["id", "name"]);
    assert_eq!(rows(&s).unwrap(), vec![(6, vec![text("1"), text("Ann")])]);
}

#[test]
fn empty_file_has_no_header_and_header_only_file_has_no_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.csv");
    let mut s = spec("x.csv");
    s.path = path.clone();
    std::fs::write(&path, "").unwrap();
    assert!(matches!(
        CsvReader::open(&s),
        Err(SourceError::NoHeader { row: 1, .. })
    ));
    std::fs::write(&path, "id,name\r\n").unwrap();
    assert_eq!(rows(&s).unwrap(), vec![]);
}

// See: #9
#[test]
fn only_lines_wholly_inside_a_quote_can_be_swallowed_records() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.csv");
    let read = |text: &str| {
        std::fs::write(&path, text).unwrap();
        let s = SourceSpec {
            path: path.clone(),
            display: "a.csv".into(),
            sheet: None,
            header_row: 1,
            delimiter: None,
            encoding: None,
            xml: None,
        };
        let mut reader = open(&s).unwrap();
        let mut row = Row::default();
        let mut out = Vec::new();
        while reader.read_row(&mut row).unwrap() {
            out.push((row.line, row.problems.len()));
        }
        out
    };
    // A multi-line first field followed by every other field: legal, one row.
    assert_eq!(read("a,b,c\n\"x\ny\",2,3\n4,5,6\n"), [(2, 0), (4, 0)]);
    // An address with commas across three lines: legal.
    assert_eq!(
        read("a,b,c\n1,\"Flat 2,\n12 High St,\nSunderland\",3\n"),
        [(2, 0)]
    );
    // A quote that swallows line 3: rows 2 and 3, each with its finding, then line 5.
    assert_eq!(
        read("a,b,c\n1,\"x,3\n4,5,6\n7,y\",9\n10,11,12\n"),
        [(2, 1), (3, 1), (5, 0)]
    );
}

/// The line tally of a CSV file holding `bytes`, read with `header_row`.
fn tally(bytes: &[u8], header_row: u32) -> (Vec<u64>, LineTally) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.csv");
    std::fs::write(&path, bytes).unwrap();
    let s = SourceSpec {
        path,
        display: "t.csv".to_string(),
        header_row,
        ..spec("")
    };
    let mut reader = open(&s).unwrap();
    let mut row = Row::default();
    let mut lines = Vec::new();
    assert_eq!(reader.lines(), None, "no tally before the end");
    while reader.read_row(&mut row).unwrap() {
        lines.push(row.line);
    }
    (lines, reader.lines().unwrap().unwrap())
}

#[test]
fn every_physical_line_is_placed_once() {
    // Two title lines with a blank between, the header, a row, a blank line, a record of empty
    // fields, a row with a quoted line break, CRLF line ends, and no break after the last line.
    let text =
        b"Staff export\r\n\r\nrun 2017-03-31\r\nid,name\r\n1,Ann\r\n\r\n,\r\n2,\"Bo\r\nb\"\r\n3,Cy";
    let (lines, t) = tally(text, 3);
    assert_eq!(lines, [5, 8, 10]);
    assert_eq!(
        (
            t.total,
            t.title,
            t.header,
            t.rows,
            t.inside,
            t.swallowed,
            t.blank
        ),
        (10, 2, 1, 3, 1, 0, 3)
    );
    assert!(t.balances(), "{t:?}");
    assert_eq!(
        t.describe(),
        "10 lines: 2 titles, 1 header, 3 rows, 1 inside a field, 3 blank"
    );
}

#[test]
fn trailing_blank_lines_and_a_bom_are_placed() {
    let (lines, t) = tally("\u{feff}id,name\n1,Zoë\n\n\n".as_bytes(), 1);
    assert_eq!(lines, [2]);
    assert_eq!((t.total, t.header, t.rows, t.blank), (4, 1, 1, 2));
    assert!(t.balances());
}

#[test]
fn swallowed_records_are_placed_as_rows_of_their_own() {
    let (lines, t) = tally(b"a,b,c\n1,\"x,2\n3,y,z\n4,5\",6\n7,8,9\n", 1);
    assert_eq!(lines, [2, 3, 5]);
    assert_eq!(
        (t.total, t.header, t.rows, t.inside, t.swallowed),
        (5, 1, 2, 1, 1)
    );
    assert!(t.balances());
}
