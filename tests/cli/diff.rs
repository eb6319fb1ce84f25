//! `handover diff`: findings resolved, new and still open, matched by rule, entity and record key;
//! exit 1 when there are new error findings.
use predicates::str::contains;

use super::common::{bin, migrate_db, repo, sunderland};

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

#[test]
fn sunderland_diff_lists_every_injected_defect_as_resolved() {
    let out = bin()
        .arg("diff")
        .arg(sunderland("2017-01-31"))
        .arg(sunderland("2017-03-31"))
        .args(["--format", "json"])
        .output()
        .expect("diff");
    assert_eq!(out.status.code(), Some(0), "no new error findings");
    let d: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let resolved = d["resolved"].as_array().expect("resolved[]");
    let rule = |r: &str| resolved.iter().filter(|f| f["rule"] == r).count();
    assert_eq!(rule("HO-UNA-001"), 9);
    let truth: serde_json::Value = serde_json::from_slice(
        &std::fs::read(repo("fixtures/sunderland/2017-01-31/expected.json"))
            .expect("expected.json"),
    )
    .expect("JSON");
    let defects = truth["defects"].as_array().expect("defects[]");
    let data_findings = resolved.iter().filter(|f| f["kind"] != "control").count();
    assert_eq!(data_findings, defects.len());
    for kind in [
        "unallocated",
        "orphan",
        "duplicate",
        "invalid_code",
        "invalid_value",
        "missing_value",
    ] {
        assert!(
            resolved.iter().any(|f| f["kind"] == kind),
            "no resolved {kind} finding"
        );
    }
    assert_eq!(d["new"].as_array().map(Vec::len), Some(0));
    assert_eq!(d["still_open"].as_array().map(Vec::len), Some(0));
    // See: #13 (a versioned layout that names the two runs and counts each list)
    assert_eq!(d["schema_version"], 1);
    assert_eq!(d["old_run"]["as_at"], "2017-01-31");
    assert_eq!(d["new_run"]["as_at"], "2017-03-31");
    assert_eq!(
        d["summary"]["resolved"].as_u64(),
        Some(resolved.len() as u64)
    );
    assert_eq!(
        (
            d["summary"]["new"].as_u64(),
            d["summary"]["new_errors"].as_u64()
        ),
        (Some(0), Some(0))
    );
}
