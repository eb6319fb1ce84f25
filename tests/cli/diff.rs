//! `handover diff`: findings resolved, new and still open, matched by rule, entity and record key;
//! exit 1 when there are new error findings.
use predicates::str::contains;

use super::common::{bin, migrate_db, repo};

#[test]
fn diff_lists_resolved_and_new_findings_and_exits_1_on_new_errors() {
    let tmp = tempfile::tempdir().expect("tmp");
    let old = migrate_db(
        "fixtures/mini_mappings",
        &repo("fixtures/unallocated_case"),
        tmp.path(),
        "old",
    );
    let new = migrate_db(
        "fixtures/mini_mappings",
        &repo("fixtures/clean_small"),
        tmp.path(),
        "new",
    );
    let out = bin()
        .arg("diff")
        .arg(&old)
        .arg(&new)
        .args(["--format", "json"])
        .output()
        .expect("diff");
    assert_eq!(out.status.code(), Some(0));
    let d: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let keys: Vec<&str> = d["resolved"]
        .as_array()
        .expect("resolved")
        .iter()
        .map(|f| f["key"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(keys, ["C2", "C4"]);
    assert_eq!(d["new"].as_array().map(Vec::len), Some(0));
    bin()
        .arg("diff")
        .arg(&new)
        .arg(&old)
        .args(["--format", "md"])
        .assert()
        .code(1)
        .stdout(contains("## New findings (2)"))
        .stdout(contains("| HO-UNA-001 | error | child | C2 |"));
}
