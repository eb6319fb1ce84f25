//! The acceptance runs of issue #3 on the shipped Sunderland snapshots: the go-live extract
//! transfers cleanly, and the January dry run finds exactly the defects its ground truth lists.
use std::collections::BTreeSet;

use predicates::str::contains;

use super::common::{assert_balanced, bin, count, dry_run_json, migrate, open_db, repo};

const MAPPINGS: &str = "mappings/sunderland";
const MARCH: &str = "fixtures/sunderland/2017-03-31";
const JANUARY: &str = "fixtures/sunderland/2017-01-31";

fn control(json: &serde_json::Value, name: &str) -> (i64, i64) {
    let c = json["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no control {name}"));
    (
        c["expected"].as_i64().unwrap_or(-1),
        c["actual"].as_i64().unwrap(),
    )
}

#[test]
fn go_live_extract_transfers_cleanly() {
    let (code, json) = dry_run_json(MAPPINGS, MARCH);
    assert_eq!(
        json["findings"].as_array().unwrap().len(),
        0,
        "{}",
        json["findings"]
    );
    assert_eq!(code, 0);
    assert_eq!(control(&json, "staff_in_scope"), (828, 828));
    assert_eq!(control(&json, "looked_after"), (534, 534));
    assert_eq!(control(&json, "cp_plans"), (450, 450));
    assert!(
        json["controls"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["ok"] == true)
    );
    assert_balanced(&json);
    for e in json["entities"].as_array().unwrap() {
        assert_eq!(e["rejected"], 0, "{e}");
    }
}

#[test]
fn go_live_database_has_no_dangling_keys() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("company.db");
    bin()
        .args(["migrate", "--mappings", MAPPINGS, "--input", MARCH, "--out"])
        .arg(&db)
        .assert()
        .code(0);
    let conn = open_db(&db);
    assert_eq!(
        count(&conn, "SELECT count(*) FROM pragma_foreign_key_check"),
        0
    );
    assert_eq!(count(&conn, "SELECT count(*) FROM staff"), 828);
    assert_eq!(
        count(
            &conn,
            "SELECT count(DISTINCT child_id) FROM placements WHERE end_date IS NULL AND child_id IN (SELECT child_id FROM involvements WHERE involvement_type = 'looked_after' AND status = 'open')"
        ),
        534
    );
    assert_eq!(
        count(
            &conn,
            "SELECT count(*) FROM handover_row WHERE outcome = 'transferred'"
        ),
        count(&conn, "SELECT sum(transferred) FROM handover_ledger")
    );
}

#[test]
fn january_findings_match_the_ground_truth_exactly() {
    let (code, json) = dry_run_json(MAPPINGS, JANUARY);
    assert_eq!(code, 1);
    let truth: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repo(&format!("{JANUARY}/expected.json"))).unwrap(),
    )
    .unwrap();
    let key = |v: &serde_json::Value| {
        (
            v["kind"].as_str().unwrap().to_string(),
            v["entity"].as_str().unwrap().to_string(),
            v["file"].as_str().unwrap_or("").to_string(),
            v["line"].as_i64().unwrap_or(0),
        )
    };
    let want: BTreeSet<_> = truth["defects"]
        .as_array()
        .unwrap()
        .iter()
        .map(key)
        .collect();
    let found: Vec<_> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] != "control")
        .map(key)
        .collect();
    let found_set: BTreeSet<_> = found.iter().cloned().collect();
    assert_eq!(found.len(), found_set.len(), "one finding per defect");
    assert_eq!(found_set, want);
    let figures = &truth["figures"];
    for (measure, figure) in [
        ("staff_in_scope", "staff_in_scope"),
        ("looked_after", "looked_after"),
        ("cp_plans", "cp_plans"),
    ] {
        let (expected, actual) = control(&json, measure);
        assert_eq!(
            expected,
            truth["controls"][measure].as_i64().unwrap(),
            "{measure} expected"
        );
        assert_eq!(
            actual,
            figures[figure].as_i64().unwrap(),
            "{measure} actual"
        );
    }
    let unallocated = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "unallocated")
        .count();
    assert_eq!(unallocated, 9);
}

#[test]
fn january_database_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("company.db");
    migrate(MAPPINGS, JANUARY)
        .arg("--out")
        .arg(&db)
        .assert()
        .code(1)
        .stderr(contains("not written"));
    assert!(!db.exists());
}
