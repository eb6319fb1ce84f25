//! `handover report` and `migrate --report`: every format, byte-identical between the two and
//! between runs; formula-like values neutralised; no personal data by default; a database handover
//! did not write named plainly; the Sunderland figures. (The HTML page in Chromium: html.rs.)
use std::path::Path;

use predicates::prelude::*;

use super::common::{EPOCH, bin, copy_fixture, migrate_db, repo, report, sunderland, xlsx_cells};

const MINI: &str = "fixtures/mini_mappings";
const FORMATS: [(&str, &str); 6] = [
    ("table", "report.txt"),
    ("md", "report.md"),
    ("html", "report.html"),
    ("json", "report.json"),
    ("csv", "findings.csv"),
    ("xlsx", "report.xlsx"),
];

#[test]
fn migrate_report_dir_matches_handover_report_byte_for_byte() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("reports");
    let db = tmp.path().join("company.db");
    bin()
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .args(["-q", "migrate", "--allow-findings", "--mappings", MINI])
        .args(["--input", "fixtures/unallocated_case", "--out"])
        .arg(&db)
        .arg("--report")
        .arg(&dir)
        .assert()
        .code(1);
    for (format, file) in FORMATS {
        let written = std::fs::read(dir.join(file)).expect("report file");
        assert_eq!(
            written,
            report(&db, format, &[]),
            "{file} differs from `report --format {format}`"
        );
        assert_eq!(
            report(&db, format, &[]),
            report(&db, format, &[]),
            "{format} is not deterministic"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.join(file))
                .expect("meta")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "{file} is not private");
        }
    }
}

#[test]
fn a_dry_run_writes_its_reports_too() {
    let tmp = tempfile::tempdir().expect("tmp");
    bin()
        .args([
            "-q",
            "migrate",
            "--dry-run",
            "--mappings",
            MINI,
            "--input",
            "fixtures/clean_small",
            "--report",
        ])
        .arg(tmp.path())
        .assert()
        .code(0);
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(tmp.path().join("report.json")).expect("json"))
            .expect("JSON");
    assert_eq!(json["run"]["mode"], "dry_run");
    assert_eq!(json["figures"]["source_side"], "computed");
    let staff = &json["figures"]["items"][0];
    assert_eq!(
        (staff["source"].as_i64(), staff["company"].as_i64()),
        (Some(4), Some(4))
    );
}

#[test]
fn source_side_is_unavailable_when_the_input_folder_is_gone_or_changed() {
    let input = copy_fixture("fixtures/clean_small");
    let tmp = tempfile::tempdir().expect("tmp");
    let db = migrate_db(MINI, input.path(), tmp.path(), "clean");
    let side = |db: &Path| {
        let json: serde_json::Value =
            serde_json::from_slice(&report(db, "json", &[])).expect("JSON");
        json["figures"]["source_side"]
            .as_str()
            .expect("text")
            .to_string()
    };
    assert_eq!(side(&db), "computed");
    std::fs::write(
        input.path().join("teams.csv"),
        "team_code,name,transfers\nT1,X,Y\n",
    )
    .expect("write");
    assert!(
        side(&db).contains("teams.csv` has changed"),
        "{}",
        side(&db)
    );
    drop(input);
    assert_eq!(side(&db), "source side: input folder not available");
    let md = String::from_utf8(report(&db, "md", &[])).expect("utf-8");
    assert!(
        md.contains("| Staff transferred | not available | 4 | - |"),
        "{md}"
    );
}

#[test]
fn formula_like_values_are_neutralised_in_csv_and_xlsx() {
    let input = copy_fixture("fixtures/clean_small");
    let placements = input.path().join("placements.csv");
    let text = std::fs::read_to_string(&placements).expect("read");
    let evil = "\"=HYPERLINK(\"\"http://example.invalid\"\",\"\"x\"\")\"";
    std::fs::write(
        &placements,
        text.replace("P1,C1,FOS,", &format!("P1,C1,{evil},")),
    )
    .expect("write");
    let tmp = tempfile::tempdir().expect("tmp");
    let db = migrate_db(MINI, input.path(), tmp.path(), "evil");

    let csv = report(&db, "csv", &[]);
    let mut reader = csv::Reader::from_reader(csv.as_slice());
    let values: Vec<String> = reader
        .records()
        .map(|r| r.expect("record")[10].to_string())
        .collect();
    assert!(
        values.contains(&"'=HYPERLINK(\"http://example.invalid\",\"x\")".to_string()),
        "{values:?}"
    );
    let cells = xlsx_cells(&report(&db, "xlsx", &[]));
    assert!(
        cells
            .iter()
            .any(|c| c == "'=HYPERLINK(\"http://example.invalid\",\"x\")")
    );
    for cell in csv::Reader::from_reader(csv.as_slice())
        .records()
        .flat_map(|r| {
            r.expect("record")
                .iter()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .chain(cells)
    {
        assert!(
            !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
            "cell `{cell}` could run as a formula"
        );
    }
}

#[test]
fn default_reports_hold_no_surname_or_date_of_birth() {
    let tmp = tempfile::tempdir().expect("tmp");
    let db = migrate_db(MINI, &repo("fixtures/invalid_date"), tmp.path(), "dob");
    let mut personal = Vec::new();
    for file in ["staff.csv", "cases.csv"] {
        let mut reader =
            csv::Reader::from_path(repo("fixtures/invalid_date").join(file)).expect("csv");
        for r in reader.records() {
            let r = r.expect("record");
            personal.push(r[1].to_string());
            personal.push(if file == "staff.csv" {
                r[3].to_string()
            } else {
                r[2].to_string()
            });
        }
    }
    assert!(personal.contains(&"31/02/1990".to_string()));
    for (format, _) in FORMATS {
        let bytes = report(&db, format, &[]);
        let text = if format == "xlsx" {
            xlsx_cells(&bytes).join("\n")
        } else {
            String::from_utf8(bytes).expect("utf-8")
        };
        for p in &personal {
            assert!(
                !text.contains(p.as_str()),
                "`{p}` is in the {format} report"
            );
        }
    }
    let with = String::from_utf8(report(&db, "csv", &["--include-personal-data"])).expect("utf-8");
    assert!(
        with.contains("31/02/1990"),
        "--include-personal-data shows the value: {with}"
    );
}

/// (name, source, company, agree) of every service figure in a JSON report.
fn figures(json: &serde_json::Value) -> Vec<(String, Option<i64>, Option<i64>, bool)> {
    let items = json["figures"]["items"]
        .as_array()
        .expect("figures.items[]");
    items
        .iter()
        .map(|f| {
            (
                f["name"].as_str().expect("name").to_string(),
                f["source"].as_i64(),
                f["company"].as_i64(),
                f["agree"] == true,
            )
        })
        .collect()
}

fn sunderland_reports(snapshot: &str) -> serde_json::Value {
    let db = sunderland(snapshot);
    let name = snapshot.replace('-', "_");
    for (format, _) in FORMATS {
        assert!(!report(&db, format, &[]).is_empty(), "{format} is empty");
    }
    assert!(
        xlsx_cells(&report(&db, "xlsx", &[]))
            .iter()
            .any(|c| c == "staff_transferred")
    );
    let text = |format| String::from_utf8(report(&db, format, &[])).expect("utf-8");
    insta::assert_snapshot!(format!("sunderland_{name}_md"), text("md"));
    insta::assert_snapshot!(format!("sunderland_{name}_json"), text("json"));
    insta::assert_snapshot!(format!("sunderland_{name}_csv"), text("csv"));
    serde_json::from_str(&text("json")).expect("JSON")
}

#[test]
fn sunderland_march_reports_show_the_go_live_figures_on_both_sides() {
    let json = sunderland_reports("2017-03-31");
    assert_eq!(json["figures"]["source_side"], "computed");
    let expected = [828, 534, 450, 0, 19, 92, 96, 167];
    for ((name, source, company, agree), want) in figures(&json).into_iter().zip(expected) {
        assert_eq!(
            (source, company, agree),
            (Some(want), Some(want), true),
            "{name}"
        );
    }
    let md = String::from_utf8(report(&sunderland("2017-03-31"), "md", &[])).expect("utf-8");
    assert!(
        md.contains("| Child protection visits within ten working days | 92% | 92% | agrees |")
    );
    assert!(md.contains("| Care leavers with a pathway plan | 96% | 96% | agrees |"));
}

#[test]
fn sunderland_january_reports_show_nine_unallocated_cases_and_flag_rejections() {
    let json = sunderland_reports("2017-01-31");
    let figures = figures(&json);
    assert_eq!(
        figures[3],
        ("unallocated_cases".to_string(), Some(9), Some(9), true)
    );
    // Three staff rows were rejected: the exports hold 828 staff in scope, 825 transferred.
    assert_eq!(
        figures[0],
        ("staff_transferred".to_string(), Some(828), Some(825), false)
    );
    let md = String::from_utf8(report(&sunderland("2017-01-31"), "md", &[])).expect("utf-8");
    assert!(
        md.contains("**DISAGREES**") && md.contains("**Warning:**"),
        "a disagreement is shown loudly"
    );
}

/// A database handover did not write, or a file that is no database, is named plainly. See: #13
#[test]
fn issue_13_a_database_handover_did_not_write_is_named_plainly() {
    let tmp = tempfile::tempdir().expect("tmp");
    let other = tmp.path().join("other.db");
    rusqlite::Connection::open(&other)
        .expect("open")
        .execute_batch("CREATE TABLE t (x)")
        .expect("create");
    let text = tmp.path().join("notes.db");
    std::fs::write(
        &text,
        "these are not the rows you are looking for\n".repeat(40),
    )
    .expect("write");
    for cmd in [vec!["report"], vec!["diff"], vec!["verify", "--input", "."]] {
        let mut run = bin();
        run.arg(cmd[0]).arg(&other);
        if cmd[0] == "diff" {
            run.arg(&other);
        }
        run.args(&cmd[1..])
            .assert()
            .code(2)
            .stderr(predicates::str::contains("handover did not write it"))
            .stderr(predicates::str::contains("no such table").not());
    }
    bin()
        .arg("report")
        .arg(&text)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("is not a SQLite database"));
}

/// No spinner bytes off a terminal; `--sign-off` ends the Markdown report with a block to sign.
/// See: #13
#[test]
fn report_draws_no_progress_off_a_terminal_and_signs_off_on_request() {
    let tmp = tempfile::tempdir().expect("tmp");
    let db = migrate_db(MINI, &repo("fixtures/clean_small"), tmp.path(), "clean");
    let out = bin()
        .arg("report")
        .arg(&db)
        .args(["--format", "md", "--sign-off"])
        .output()
        .expect("report");
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let md = String::from_utf8(out.stdout).expect("utf-8");
    assert!(
        md.starts_with("# Handover reconciliation\n\n> **CLEAN:** every row is accounted for"),
        "{md}"
    );
    assert!(md.ends_with("## Sign-off\n\n| | |\n|---|---|\n| Checked by | |\n| Role | |\n| Signature | |\n| Date | |\n\n"), "{md}");
    let plain = String::from_utf8(report(&db, "md", &[])).expect("utf-8");
    assert!(!plain.contains("Sign-off"));
}

/// A figure with nothing to count says so, with the reason, in every format (issue #13).
#[test]
fn a_figure_with_nothing_to_count_is_not_available_with_its_reason_in_every_format() {
    let input = copy_fixture("fixtures/clean_small");
    let out = tempfile::tempdir().expect("a temporary folder");
    // The scenario mapping set maps no pathway plans.
    let db = migrate_db(MINI, input.path(), out.path(), "no_plans");
    let why = "not available (no rows in `pathway_plans`)";
    for format in ["md", "html", "table", "json"] {
        let text = String::from_utf8(report(&db, format, &[])).expect("UTF-8");
        let shown = match format {
            "json" => text.contains(r#""company_unavailable": "no rows in `pathway_plans`""#),
            "html" => {
                text.contains("not available (no rows in <code>pathway_plans</code>)")
                    || text.contains("not available (no rows in `pathway_plans`)")
            }
            _ => text.contains(why),
        };
        assert!(shown, "{format}: {text}");
    }
    let cells = xlsx_cells(&report(&db, "xlsx", &[]));
    assert!(cells.iter().any(|c| c == why), "{cells:?}");
}
