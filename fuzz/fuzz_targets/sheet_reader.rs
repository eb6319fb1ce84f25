//! The spreadsheet reader on arbitrary bytes, as each of the workbook formats (the first byte picks
//! xlsx, xls, xlsb or ods, and the header row): every input ends in rows or a located
//! `SourceError`, never a panic, an abort or memory beyond the stated budget (docs/limits.md).
#![no_main]
use handover::source::{self, Row, SourceSpec};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&knobs, bytes)) = data.split_first() else {
        return;
    };
    let ext = ["xlsx", "xls", "xlsb", "ods"][usize::from(knobs % 4)];
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join(format!("input.{ext}"));
    std::fs::write(&path, bytes).expect("write the input");
    let spec = SourceSpec {
        path,
        display: format!("input.{ext}"),
        sheet: None,
        header_row: u32::from(knobs / 4 % 4) + 1,
        delimiter: None,
        encoding: None,
        xml: None,
    };
    let Ok(mut reader) = source::open(&spec) else {
        return;
    };
    let width = reader.headers().len();
    let mut row = Row::default();
    while let Ok(true) = reader.read_row(&mut row) {
        assert_eq!(
            row.cells.len(),
            width,
            "a row always has one cell per header"
        );
    }
});
