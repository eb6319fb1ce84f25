//! The XML reader on arbitrary bytes: it must end every input in rows or a located
//! `SourceError`, never a panic, a hang or memory beyond its bounds (docs/limits.md). The first
//! byte picks the layout: the 903 return's episodes (CHILD inherited from the HEADER), its header,
//! a CIN-census-like record with an inherited attribute, or a record at the root's child, each with
//! or without an ignored element.
#![no_main]
use std::sync::Arc;

use handover::source::xml::XmlLayout;
use handover::source::{self, Row, SourceSpec};
use libfuzzer_sys::fuzz_target;

fn path(s: &str) -> Vec<String> {
    s.split('/').map(str::to_string).collect()
}

fn layout(knobs: u8) -> XmlLayout {
    let (record, inherit) = match knobs % 4 {
        0 => (
            "EXPSSDA903/CHILD/EPISODE",
            vec![("CHILD", "EXPSSDA903/CHILD/HEADER/CHILDID")],
        ),
        1 => ("EXPSSDA903/CHILD/HEADER", vec![]),
        2 => (
            "Message/Children/Child/CINdetails",
            vec![("id", "Message/Children/Child/@id")],
        ),
        _ => ("a/b", vec![("x", "a/@x")]),
    };
    XmlLayout {
        record: path(record),
        inherit: inherit
            .into_iter()
            .map(|(c, p)| (c.to_string(), path(p)))
            .collect(),
        declared: vec!["DECOM".to_string()],
        skip: if knobs / 4 % 2 == 1 {
            vec!["RNE".to_string(), "Assessments".to_string()]
        } else {
            Vec::new()
        },
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&knobs, bytes)) = data.split_first() else {
        return;
    };
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("input.xml");
    std::fs::write(&path, bytes).expect("write the input");
    let spec = SourceSpec {
        path,
        display: "input.xml".to_string(),
        sheet: None,
        header_row: 1,
        delimiter: None,
        encoding: None,
        xml: Some(Arc::new(layout(knobs))),
    };
    let Ok(mut reader) = source::open(&spec) else {
        return;
    };
    let width = reader.headers().len();
    let mut row = Row::default();
    let (mut last, mut last_at) = (0, (0, 0));
    while let Ok(true) = reader.read_row(&mut row) {
        assert_eq!(
            row.cells.len(),
            width,
            "a row always has one cell per header"
        );
        assert!(row.line > last, "each record has a number of its own, in order");
        last = row.line;
        let place = row.place.expect("an XML record has a place");
        assert!((place.line, place.col) > last_at, "records start in document order");
        last_at = (place.line, place.col);
    }
});
