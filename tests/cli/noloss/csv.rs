//! CSV exports: a quote that swallows records, a stray Windows-1252 byte in a UTF-8 file, and a
//! UTF-16 file. Every physical line is accounted for, and no value is stored changed.
// See: #9
use predicates::str::contains;

use crate::common::{
    assert_balanced, count, dry_run_json, findings, ledger, migrate, open_db, repo,
};

const MINI: &str = "fixtures/mini_mappings";

/// Physical lines of a file.
fn physical_lines(rel: &str) -> i64 {
    let bytes = std::fs::read(repo(rel)).unwrap();
    bytes.iter().filter(|&&b| b == b'\n').count() as i64
}

#[test]
fn issue_9_a_quote_that_swallows_records_is_found_and_every_line_is_a_row() {
    let (code, json) = dry_run_json(repo(MINI), repo("fixtures/swallowed_records"));
    assert_eq!(code, 1, "an error finding");
    assert_balanced(&json);
    let swallowed: Vec<i64> = findings(&json)
        .into_iter()
        .filter(|(rule, entity, file, _)| {
            rule == "HO-SRC-001" && entity == "staff" && file == "staff.csv"
        })
        .map(|(_, _, _, line)| line)
        .collect();
    // Line 3 opens the quote, line 7 closes it; lines 4 to 6, wholly inside it, are the records
    // it swallowed, each a row of its own.
    assert_eq!(swallowed, [3, 4, 5, 6]);
    let first = json["findings"][0]["message"].as_str().unwrap();
    assert!(
        first.contains("opened on line 3 runs to line 7") && first.contains("lines 4, 5, 6"),
        "{first}"
    );
    // 10 physical lines: the header; 7 rows (lines 2, 3, 4, 5, 6, 8, 9); line 7, where the
    // swallowing quote closes, which is part of row 3; and line 10, the second line of a legal
    // quoted line break, which is part of row 9.
    assert_eq!(physical_lines("fixtures/swallowed_records/staff.csv"), 10);
    let [rows, transferred, excluded, rejected] = ledger(&json, "staff");
    assert_eq!(rows, 10 - 1 - 2);
    assert_eq!((transferred, excluded, rejected), (3, 0, 4));
    // The physical-line ledger the report shows for the file: every line placed once.
    let staff = json["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["path"] == "staff.csv")
        .unwrap();
    assert_eq!(
        staff["lines"],
        "10 lines: 1 header, 4 rows, 2 inside fields, 3 swallowed records"
    );
}

#[test]
fn issue_9_a_stray_byte_in_a_utf8_file_rejects_its_row_and_keeps_every_other_name_intact() {
    let (code, json) = dry_run_json(repo(MINI), repo("fixtures/mixed_encoding"));
    assert_eq!(code, 1);
    assert_balanced(&json);
    let mixed: Vec<_> = findings(&json)
        .into_iter()
        .filter(|f| f.0 == "HO-SRC-002")
        .collect();
    assert_eq!(
        mixed,
        [(
            "HO-SRC-002".to_string(),
            "staff".to_string(),
            "staff.csv".to_string(),
            4
        )]
    );
    assert_eq!(ledger(&json, "staff"), [5, 3, 1, 1]);
    assert_eq!(physical_lines("fixtures/mixed_encoding/staff.csv") - 1, 5);

    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("company.db");
    migrate(repo(MINI), repo("fixtures/mixed_encoding"))
        .arg("--out")
        .arg(&db)
        .arg("--allow-findings")
        .assert()
        .code(1);
    let conn = open_db(&db);
    let names: Vec<String> = conn
        .prepare("SELECT forenames FROM staff ORDER BY employee_number")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(names, ["Zoë", "Renée", "Eve"], "no name garbled");
    let encoding: String = conn
        .query_row(
            "SELECT encoding FROM handover_input WHERE path = 'staff.csv'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        encoding.starts_with("utf-8: 2 UTF-8 characters and 1 bytes that are not"),
        "{encoding}"
    );
    assert_eq!(
        count(
            &conn,
            "SELECT count(*) FROM handover_finding WHERE value LIKE '%Cl%'"
        ),
        0,
        "the finding does not echo the value"
    );
}

#[test]
fn issue_9_a_utf16_file_is_refused_naming_its_encoding() {
    let tmp = crate::common::copy_fixture("fixtures/clean_small");
    let text = std::fs::read_to_string(tmp.path().join("staff.csv")).unwrap();
    let mut bytes = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    std::fs::write(tmp.path().join("staff.csv"), bytes).unwrap();
    migrate(repo(MINI), tmp.path())
        .arg("--dry-run")
        .assert()
        .code(2)
        .stderr(contains("staff.csv: the file is UTF-16LE"));
}
