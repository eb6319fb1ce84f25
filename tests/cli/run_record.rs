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

#[test]
fn a_refused_out_writes_reports_that_say_refused_and_counts_each_problem_once() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (db, dir) = (tmp.path().join("company.db"), tmp.path().join("reports"));
    bin()
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .args([
            "migrate",
            "--mappings",
            MINI,
            "--input",
            "fixtures/orphan_line_manager",
        ])
        .arg("--out")
        .arg(&db)
        .arg("--report")
        .arg(&dir)
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "was refused because of 1 error finding and 1 failed control (use --allow-findings",
        ));
    assert!(!db.exists(), "a refused database is not written");
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("report.json")).expect("json"))
            .expect("JSON");
    assert_eq!(json["verdict"]["status"], "refused");
    assert_eq!(json["verdict"]["database_written"], false);
    assert_eq!(
        (
            json["verdict"]["error_findings"].as_u64(),
            json["verdict"]["failed_controls"].as_u64()
        ),
        (Some(1), Some(1))
    );
    assert_eq!(json["database"]["state"], "none");
    let text = |f: &str| String::from_utf8(std::fs::read(dir.join(f)).expect(f)).expect("utf-8");
    assert!(text("report.md").contains("> **REFUSED:** 1 error finding and 1 failed control, so the company database was not written."));
    assert!(text("report.txt").starts_with("Handover reconciliation\n\nREFUSED: "));
    let html = text("report.html");
    assert!(
        html.contains("<section class=\"verdict refused\""),
        "{html}"
    );
    assert!(
        html.contains("refused: the database was not written"),
        "{html}"
    );
    let cells = super::common::xlsx_cells(&std::fs::read(dir.join("report.xlsx")).expect("xlsx"));
    assert!(cells.iter().any(|c| c == "REFUSED"), "{cells:?}");
}

#[test]
fn a_failed_control_is_not_also_counted_as_an_error_finding() {
    let tmp = tempfile::tempdir().expect("tmp");
    bin()
        .args([
            "migrate",
            "--mappings",
            MINI,
            "--input",
            "fixtures/control_mismatch",
            "--out",
        ])
        .arg(tmp.path().join("c.db"))
        .assert()
        .code(1)
        .stdout(predicates::str::contains(
            "REFUSED: 1 failed control, so the company database was not written.",
        ))
        .stderr(predicates::str::contains(
            "refused because of 0 error findings and 1 failed control",
        ));
}
