//! The XML form of the generated return (`xml/ssda903.xml`), read here with quick-xml alone (the
//! XML mapping set is built elsewhere): it holds the same records as the CSV files, a CHILD whose
//! HEADER holds only CHILDID for each header orphan, and each defect's XML line and column are
//! the start tag of a record of the defect's table and child.
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use quick_xml::events::Event;

use super::{Place, generate};

/// A record read from the XML: (element, CHILD, column -> value).
type Record = (String, String, BTreeMap<String, String>);

/// Every record of the file, with the line and column (in characters) of its start tag's `<`.
fn records(path: &Path) -> Vec<((u64, u64), Record)> {
    let text = std::fs::read_to_string(path).expect("the XML form");
    let mut reader = quick_xml::Reader::from_str(&text);
    let mut stack: Vec<String> = Vec::new();
    let mut out: Vec<((u64, u64), Record)> = Vec::new();
    let mut child = String::new();
    let mut value = String::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => {
                let name = e.name().as_ref().to_string();
                stack.push(name.clone());
                value.clear();
                if stack.len() == 3 {
                    let end = reader.buffer_position() as usize;
                    let lt = text[..end].rfind('<').expect("a start tag");
                    let line = text[..lt].matches('\n').count() as u64 + 1;
                    let bol = text[..lt].rfind('\n').map_or(0, |i| i + 1);
                    let col = text[bol..lt].chars().count() as u64 + 1;
                    out.push(((line, col), (name, child.clone(), BTreeMap::new())));
                }
            }
            Event::Text(t) => value.push_str(&t.xml10_content()),
            Event::GeneralRef(_) => panic!("the generated values hold no entity"),
            Event::End(_) => {
                let name = stack.pop().expect("an open element");
                if stack.len() == 3 {
                    if stack[2] == "HEADER" && name == "CHILDID" {
                        child = value.clone();
                        out.last_mut().expect("a record").1.1 = child.clone();
                    }
                    out.last_mut()
                        .expect("a record")
                        .1
                        .2
                        .insert(name, value.clone());
                }
                if stack.len() == 1 {
                    child.clear();
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// The rows of a CSV file as the XML gives a record: element, CHILD, non-empty columns.
fn csv_records(path: &Path, element: &str) -> Vec<Record> {
    let mut reader = csv::Reader::from_path(path).expect("a CSV");
    let header: Vec<String> = reader
        .headers()
        .expect("a header line")
        .iter()
        .map(str::to_string)
        .collect();
    reader
        .records()
        .map(|r| {
            let r = r.expect("a record");
            let mut values = BTreeMap::new();
            for (name, v) in header.iter().zip(r.iter()).skip(1) {
                if !v.is_empty() {
                    values.insert(name.clone(), v.to_string());
                }
            }
            if element == "HEADER" {
                values.insert("CHILDID".to_string(), r[0].to_string());
            }
            (element.to_string(), r[0].to_string(), values)
        })
        .collect()
}

#[test]
fn generated_903_xml_form_holds_the_csv_records_and_locates_each_defect() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let exp = generate(tmp.path(), &["--defects", "integrity"]);
    let xml = records(&tmp.path().join("xml/ssda903.xml"));
    // A HEADER holding only CHILDID stands for a child the header does not hold.
    let stub = |r: &Record| r.0 == "HEADER" && r.2.len() == 1;
    let stubs = xml.iter().filter(|(_, r)| stub(r)).count();
    assert_eq!(
        stubs as u64,
        exp["xml"]["header_stubs"].as_u64().expect("count")
    );
    let mut from_xml: Vec<Record> = xml
        .iter()
        .filter(|(_, r)| !stub(r))
        .map(|(_, r)| r.clone())
        .collect();
    let mut from_csv: Vec<Record> = Vec::new();
    for t in exp["tables"].as_array().expect("tables[]") {
        let element = t["xml_element"].as_str().expect("element");
        let file = tmp.path().join(t["csv"].as_str().expect("file"));
        from_csv.extend(csv_records(&file, element));
    }
    from_xml.sort();
    from_csv.sort();
    assert_eq!(from_xml.len(), from_csv.len(), "records");
    assert!(from_xml == from_csv, "the XML form holds the CSV records");
    // Each defect's XML place is the start tag of a record of its table and child.
    let at: BTreeMap<(u64, u64), (String, String)> = xml
        .iter()
        .map(|(line, r)| (*line, (r.0.clone(), r.1.clone())))
        .collect();
    let mut orphans = BTreeSet::new();
    for d in exp["defects"].as_array().expect("defects[]") {
        let path = d["xml"]["path"].as_str().expect("path");
        let element = path
            .strip_prefix("EXPSSDA903/CHILD/")
            .expect("a record path");
        let line = d["xml"]["line"].as_u64().expect("line");
        let col = d["xml"]["col"].as_u64().expect("col");
        let child = d["child"].as_str().expect("child").to_string();
        assert_eq!(
            at.get(&(line, col)),
            Some(&(element.to_string(), child.clone())),
            "{d}"
        );
        if d["rule"]
            .as_str()
            .is_some_and(|r| r.starts_with("903-INT0") || r == "903-INTSW1")
        {
            orphans.insert(child);
        }
    }
    assert_eq!(orphans.len(), stubs, "one HEADER stub per header orphan");
}

/// The XML mapping set of handover's own XML layout.
const XML_MAPPINGS: &str = "mappings/ssda903-xml";

/// The dry run of the XML form through mappings/ssda903-xml finds exactly the defects at their XML
/// places: the file, the line and column of the record's start tag, and the element path (the
/// finding's `sheet`).
#[test]
fn generated_903_xml_form_dry_run_finds_the_defects_at_their_xml_lines() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let exp = generate(tmp.path(), &["--defects", "integrity"]);
    let (code, json) = super::super::common::dry_run_json_with(
        XML_MAPPINGS,
        tmp.path().join("xml"),
        &["--as-at", super::AS_AT],
    );
    assert_eq!(code, 1, "{json}");
    super::super::common::assert_balanced(&json);
    let found: BTreeSet<Place> = json["findings"]
        .as_array()
        .expect("findings[]")
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or("").to_string();
            (
                s("rule"),
                s("entity"),
                s("file"),
                (
                    f["line"].as_i64().unwrap_or(0),
                    f["col"].as_i64().unwrap_or(0),
                ),
                s("sheet"),
            )
        })
        .collect();
    let want: BTreeSet<Place> = exp["defects"]
        .as_array()
        .expect("defects[]")
        .iter()
        .map(|d| {
            let s = |v: &serde_json::Value| v.as_str().expect("text").to_string();
            let file = s(&d["xml"]["file"]);
            let file = file.rsplit('/').next().expect("a name").to_string();
            let line = d["xml"]["line"].as_i64().expect("line");
            let col = d["xml"]["col"].as_i64().expect("col");
            (
                s(&d["rule"]),
                s(&d["table"]),
                file,
                (line, col),
                s(&d["xml"]["path"]),
            )
        })
        .collect();
    assert_eq!(found, want);
    // The database of the same run holds the same places, line and column.
    let db = tmp.path().join("xml.db");
    super::super::common::bin()
        .args([
            "-q",
            "migrate",
            "--allow-findings",
            "--mappings",
            XML_MAPPINGS,
        ])
        .arg("--input")
        .arg(tmp.path().join("xml"))
        .args(["--as-at", super::AS_AT, "--out"])
        .arg(&db)
        .assert()
        .code(1);
    let stored = super::stored_places(&db);
    assert_eq!(stored, want);
    // A HEADER holding only CHILDID is kept out by the mapping's scope, not rejected.
    let stubs = exp["xml"]["header_stubs"].as_i64().expect("count");
    for t in exp["tables"].as_array().expect("tables[]") {
        let table = t["table"].as_str().expect("table");
        let (rows, kept) = (
            t["rows"].as_i64().expect("rows"),
            t["transferred"].as_i64().expect("kept"),
        );
        let excluded = if table == "header" { stubs } else { 0 };
        assert_eq!(
            super::super::common::ledger(&json, table),
            [rows + excluded, kept, excluded, rows - kept],
            "{table}"
        );
    }
    // The clean return's XML form loads with no finding.
    let clean = tmp.path().join("clean");
    generate(&clean, &[]);
    let (code, json) = super::super::common::dry_run_json_with(
        XML_MAPPINGS,
        clean.join("xml"),
        &["--as-at", super::AS_AT],
    );
    assert_eq!(code, 0, "{json}");
    assert_eq!(super::super::common::findings(&json), Vec::new());
}
