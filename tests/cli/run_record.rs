//! The run record: every parameter that changes a run's outcome is in `handover_run.parameters`,
//! and a refused run's reports say that it was refused. See: #13
use super::common::{EPOCH, bin, copy_fixture, open_db, repo};

const MINI: &str = "fixtures/mini_mappings";

fn parameters(db: &std::path::Path) -> serde_json::Value {
    let conn = open_db(db);
    let text: String = conn
        .query_row("SELECT parameters FROM handover_run", [], |r| r.get(0))
        .expect("parameters");
    serde_json::from_str(&text).expect("JSON")
}

#[test]
fn allow_findings_force_and_the_as_at_origin_are_recorded() {
    let tmp = tempfile::tempdir().expect("tmp");
    let db = tmp.path().join("company.db");
    std::fs::write(&db, "an older file").expect("write");
    bin()
        .args([
            "-q",
            "migrate",
            "--allow-findings",
            "--force",
            "--mappings",
            MINI,
        ])
        .args([
            "--input",
            "fixtures/unallocated_case",
            "--as-at",
            "2017-03-31",
            "--out",
        ])
        .arg(&db)
        .assert()
        .code(1);
    let p = parameters(&db);
    assert_eq!(p["allow_findings"], true, "{p}");
    assert_eq!(p["force"], true, "{p}");
    assert_eq!(
        (&p["as_at"], &p["as_at_origin"]),
        (&"2017-03-31".into(), &"--as-at".into())
    );

    // A folder named for a date gives the date, and says so; neither flag is set.
    let dated = tempfile::tempdir().expect("tmp");
    let input = dated.path().join("2017-01-31");
    super::common::copy_dir(&repo("fixtures/clean_small"), &input);
    let db = tmp.path().join("dated.db");
    bin()
        .args(["-q", "migrate", "--mappings", MINI, "--input"])
        .arg(&input)
        .arg("--out")
        .arg(&db)
        .assert()
        .code(0);
    let p = parameters(&db);
    assert_eq!(
        (p["allow_findings"].clone(), p["force"].clone()),
        (false.into(), false.into())
    );
    assert_eq!(p["as_at_origin"], "input folder name", "{p}");

    let undated = copy_fixture("fixtures/clean_small");
    let db = tmp.path().join("undated.db");
    bin()
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .args(["-q", "migrate", "--mappings", MINI, "--input"])
        .arg(undated.path())
        .arg("--out")
        .arg(&db)
        .assert()
        .code(0);
    assert_eq!(parameters(&db)["as_at_origin"], serde_json::Value::Null);
}
