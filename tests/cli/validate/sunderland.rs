//! `handover validate --input` on the shipped Sunderland snapshots, against their expected.json.
use std::path::Path;

use super::{repo, validate};

/// `validate --format json` of the Sunderland mappings over one snapshot: exit code and document.
fn sunderland_json(snapshot: &str) -> (i32, serde_json::Value) {
    let input = format!("fixtures/sunderland/{snapshot}");
    let (code, out) = validate(
        Path::new("mappings/sunderland"),
        &["--input", &input, "--format", "json"],
    );
    (code, serde_json::from_str(&out).expect("JSON output"))
}

/// The `line`s of the defects of `kind` in a snapshot's expected.json.
fn expected_lines(snapshot: &str, kind: &str) -> Vec<u64> {
    let path = repo(&format!("fixtures/sunderland/{snapshot}/expected.json"));
    let truth: serde_json::Value =
        serde_json::from_slice(&std::fs::read(path).expect("expected.json")).expect("JSON");
    let mut lines: Vec<u64> = truth["defects"]
        .as_array()
        .expect("defects")
        .iter()
        .filter(|d| d["kind"] == kind)
        .map(|d| d["line"].as_u64().expect("line"))
        .collect();
    lines.sort();
    lines
}

#[test]
fn the_go_live_extract_validates_clean() {
    let (code, doc) = sunderland_json("2017-03-31");
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(doc["summary"]["errors"], 0);
    assert!(doc["summary"]["rows_read"].as_u64().expect("rows") > 1000);
}

#[test]
fn the_january_extract_lists_its_uncovered_local_codes() {
    let (code, doc) = sunderland_json("2017-01-31");
    assert_eq!(code, 1, "{doc:#}");
    let codes: Vec<&str> = doc["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["check"] == "input-code")
        .map(|d| d["message"].as_str().expect("message"))
        .collect();
    assert_eq!(codes.len(), 2, "{codes:#?}");
    let prefix = "placements/placements.xlsx (sheet `Placements`): ";
    let crosswalk = "in column `Local Placement Code` has no entry in crosswalk `placement_type`";
    assert!(
        codes[0].starts_with(&format!(
            "{prefix}`FOS-EMERG` {crosswalk}: 2 rows, first at lines "
        )),
        "{}",
        codes[0]
    );
    assert!(
        codes[1].starts_with(&format!(
            "{prefix}`RES-OOA` {crosswalk}: 1 row, first at line "
        )),
        "{}",
        codes[1]
    );
    let mut lines: Vec<u64> = codes
        .iter()
        .flat_map(|m| {
            m.rsplit(" line")
                .next()
                .expect("lines")
                .trim_start_matches('s')
                .split(',')
        })
        .map(|n| n.trim().parse().expect("a line number"))
        .collect();
    lines.sort();
    assert_eq!(lines, expected_lines("2017-01-31", "invalid_code"));
    let at = doc["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["check"] == "input-code")
        .expect("an input-code diagnostic");
    assert_eq!(
        (at["file"].as_str(), at["line"].as_u64(), at["col"].as_u64()),
        (
            Some("mappings/sunderland/placements.toml"),
            Some(19),
            Some(65)
        )
    );
}

#[test]
fn the_january_extract_lists_every_value_migrate_rejects() {
    let (_, doc) = sunderland_json("2017-01-31");
    let mut lines: Vec<u64> = doc["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["check"] == "input-value")
        .map(|d| {
            let m = d["message"].as_str().expect("message");
            let after = m.split("first at line ").nth(1).expect("first line");
            after
                .split(':')
                .next()
                .expect("line")
                .parse::<u64>()
                .expect("a number")
        })
        .collect();
    lines.sort();
    // The unparseable dates and the blank required start date: what migrate rejects as values.
    let mut want = expected_lines("2017-01-31", "invalid_value");
    want.extend(expected_lines("2017-01-31", "missing_value"));
    want.sort();
    assert_eq!(lines, want);
}
