//! The CSV reader on arbitrary bytes: it must end every input in rows or a located
//! `SourceError`, never a panic, a hang or unbounded memory. The first byte picks the header row
//! and whether the encoding is declared, so that title rows and both decoders are exercised.
#![no_main]
use handover::source::{self, Encoding, Row, SourceSpec};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&knobs, bytes)) = data.split_first() else {
        return;
    };
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("input.csv");
    std::fs::write(&path, bytes).expect("write the input");
    let spec = SourceSpec {
        path,
        display: "input.csv".to_string(),
        sheet: None,
        header_row: u32::from(knobs % 4) + 1,
        delimiter: None,
        encoding: match knobs / 4 % 3 {
            0 => None,
            1 => Some(Encoding::Utf8),
            _ => Some(Encoding::Windows1252),
        },
        xml: None,
    };
    let Ok(mut reader) = source::open(&spec) else {
        return;
    };
    let width = reader.headers().len();
    let mut row = Row::default();
    let mut last = 0;
    while let Ok(true) = reader.read_row(&mut row) {
        assert_eq!(
            row.cells.len(),
            width,
            "a row always has one cell per header"
        );
        assert!(row.line > last, "lines only go forward");
        last = row.line;
    }
});
