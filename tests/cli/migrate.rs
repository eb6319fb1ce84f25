//! `handover migrate`: scenario fixtures (one rule broken per folder), the database it writes,
//! its refusals, and malformed inputs.
use std::path::Path;

use predicates::prelude::*;
use predicates::str::contains;

use super::common::{
    assert_balanced, bin, copy_fixture, count, findings, ledger, migrate, open_db, repo,
    scenario_json,
};

const MINI: &str = "fixtures/mini_mappings";

/// (rule, entity, file, line) of an expected finding.
type Expected = (&'static str, &'static str, &'static str, i64);

fn f(rule: &str, entity: &str, file: &str, line: i64) -> (String, String, String, i64) {
    (rule.to_string(), entity.to_string(), file.to_string(), line)
}

#[test]
fn clean_scenario_transfers_everything_and_exits_0() {
    let (code, json) = scenario_json(repo(MINI), repo("fixtures/clean_small"));
    assert_eq!(code, 0);
    assert!(findings(&json).is_empty(), "{:?}", findings(&json));
    assert_balanced(&json);
    let [rows, transferred, excluded, _] = ledger(&json, "staff");
    assert_eq!((rows, transferred, excluded), (5, 4, 1));
    assert!(
        json["controls"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["ok"] == true)
    );
}

#[test]
fn each_scenario_finds_exactly_its_broken_rule() {
    let cases: &[(&str, &[Expected])] = &[
        (
            "duplicate_staff",
            &[("HO-DUP-001", "staff", "staff.csv", 4)],
        ),
        (
            "orphan_placement",
            &[("HO-ORP-001", "placement", "placements.csv", 3)],
        ),
        ("orphan_worker", &[("HO-ORP-003", "child", "cases.csv", 5)]),
        (
            "orphan_line_manager",
            &[
                ("HO-ORP-004", "staff", "staff.csv", 6),
                ("HO-CTL-001", "staff_in_scope", "", 0),
            ],
        ),
        (
            "orphan_team",
            &[
                ("HO-ORP-005", "staff", "staff.csv", 6),
                ("HO-CTL-001", "staff_in_scope", "", 0),
            ],
        ),
        (
            "orphan_personal_adviser",
            &[("HO-ORP-006", "child", "cases.csv", 4)],
        ),
        (
            "unallocated_case",
            &[
                ("HO-UNA-001", "child", "cases.csv", 3),
                ("HO-UNA-001", "child", "cases.csv", 5),
            ],
        ),
        (
            "invalid_code",
            &[("HO-COD-001", "placement", "placements.csv", 3)],
        ),
        (
            "invalid_date",
            &[
                ("HO-VAL-001", "staff", "staff.csv", 6),
                ("HO-CTL-001", "staff_in_scope", "", 0),
            ],
        ),
        ("missing_value", &[("HO-MIS-001", "child", "cases.csv", 5)]),
        (
            "control_mismatch",
            &[("HO-CTL-001", "staff_in_scope", "", 0)],
        ),
        // Rules declared in the company schema folder (rules.toml), not in code.
        (
            "placement_ends_before_start",
            &[("TFC-ROW-001", "placement", "placements.csv", 3)],
        ),
        (
            "looked_after_without_placement",
            &[("TFC-EXI-001", "child", "cases.csv", 2)],
        ),
    ];
    for (scenario, expected) in cases {
        let (code, json) = scenario_json(repo(MINI), repo(&format!("fixtures/{scenario}")));
        assert_eq!(code, 1, "{scenario} must exit 1");
        let want: Vec<_> = expected
            .iter()
            .map(|(r, e, fl, l)| f(r, e, fl, *l))
            .collect();
        assert_eq!(findings(&json), want, "{scenario}");
        assert_balanced(&json);
    }
}

#[test]
fn unallocated_cases_still_transfer_and_orphans_are_rejected() {
    let (_, json) = scenario_json(repo(MINI), repo("fixtures/unallocated_case"));
    assert_eq!(
        ledger(&json, "child")[1],
        4,
        "an unallocated case is reported, not dropped"
    );
    let (_, json) = scenario_json(repo(MINI), repo("fixtures/orphan_placement"));
    let [_, transferred, _, rejected] = ledger(&json, "placement");
    assert_eq!((transferred, rejected), (1, 1));
}

#[test]
fn final_run_writes_a_private_database_with_lineage_and_ledger() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("company.db");
    migrate(MINI, "fixtures/clean_small")
        .arg("--out")
        .arg(&db)
        .assert()
        .code(0);
    let conn = open_db(&db);
    assert_eq!(count(&conn, "SELECT count(*) FROM staff"), 4);
    assert_eq!(
        count(&conn, "SELECT count(*) FROM pragma_foreign_key_check"),
        0
    );
    let targets = count(
        &conn,
        "SELECT (SELECT count(*) FROM teams) + (SELECT count(*) FROM staff) + (SELECT count(*) FROM children) + (SELECT count(*) FROM involvements) + (SELECT count(*) FROM care_leavers) + (SELECT count(*) FROM providers) + (SELECT count(*) FROM placements)",
    );
    assert_eq!(
        count(&conn, "SELECT count(*) FROM handover_lineage"),
        targets,
        "every target row has lineage"
    );
    let line: i64 = conn
        .query_row("SELECT l.line FROM staff s JOIN handover_lineage l ON l.target_table = 'staff' AND l.target_rowid = s.rowid WHERE s.employee_number = '100003'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(line, 4, "lineage names the physical CSV line");
    assert_eq!(
        count(&conn, "SELECT sum(source_rows) FROM handover_ledger"),
        13
    );
    assert_eq!(
        count(
            &conn,
            "SELECT count(*) FROM handover_input WHERE length(sha256) = 64"
        ),
        6
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&db).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert_eq!(
        left.len(),
        1,
        "no temporary file is left beside the database"
    );
}

#[test]
fn dry_run_writes_no_file() {
    let tmp = copy_fixture("fixtures/clean_small");
    let before = std::fs::read_dir(tmp.path()).unwrap().count();
    bin()
        .current_dir(tmp.path())
        .args(["migrate", "--mappings"])
        .arg(repo(MINI))
        .args(["--input", ".", "--dry-run"])
        .assert()
        .code(0);
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), before);
}

#[test]
fn final_run_refuses_to_write_with_findings_unless_allowed() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("company.db");
    let run = || {
        let mut cmd = bin();
        cmd.args([
            "migrate",
            "--mappings",
            MINI,
            "--input",
            "fixtures/orphan_placement",
            "--out",
        ])
        .arg(&db);
        cmd
    };
    run().assert().code(1).stderr(contains("not written"));
    assert!(!db.exists());
    assert_eq!(
        std::fs::read_dir(tmp.path()).unwrap().count(),
        0,
        "the refused temporary file is removed"
    );
    run().arg("--allow-findings").assert().code(1);
    assert!(db.exists());
    let conn = open_db(&db);
    assert_eq!(
        count(
            &conn,
            "SELECT count(*) FROM handover_finding WHERE rule = 'HO-ORP-001'"
        ),
        1
    );
    assert_eq!(
        count(&conn, "SELECT count(*) FROM pragma_foreign_key_check"),
        0
    );
}

#[test]
fn final_run_refuses_to_overwrite_without_force() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("company.db");
    std::fs::write(&db, b"precious").unwrap();
    migrate(MINI, "fixtures/clean_small")
        .arg("--out")
        .arg(&db)
        .assert()
        .code(2)
        .stderr(contains("already exists"));
    assert_eq!(std::fs::read(&db).unwrap(), b"precious");
    migrate(MINI, "fixtures/clean_small")
        .args(["--force", "--out"])
        .arg(&db)
        .assert()
        .code(0);
    assert_eq!(count(&open_db(&db), "SELECT count(*) FROM staff"), 4);
}

fn with_edit(edit: impl FnOnce(&Path)) -> tempfile::TempDir {
    let tmp = copy_fixture("fixtures/clean_small");
    edit(tmp.path());
    tmp
}

#[test]
fn ragged_row_is_an_input_error_naming_file_and_line() {
    let tmp = with_edit(|p| {
        let mut s = std::fs::read_to_string(p.join("staff.csv")).unwrap();
        s.push_str("100009,Extra,Field\n");
        std::fs::write(p.join("staff.csv"), s).unwrap();
    });
    refused_with(migrate(MINI, tmp.path()), contains("staff.csv:7"));
}

#[test]
fn bad_encoding_is_an_input_error_naming_the_file() {
    let tmp = with_edit(|p| {
        std::fs::write(
            p.join("teams.csv"),
            b"team_code,name,transfers\nT1,Caf\xe9,Y\n",
        )
        .unwrap()
    });
    let mappings = copy_fixture(MINI);
    let toml = mappings.path().join("mini.toml");
    let text = std::fs::read_to_string(&toml).unwrap().replace(
        "file = \"teams.csv\"",
        "file = \"teams.csv\"\nencoding = \"utf-8\"",
    );
    std::fs::write(&toml, text).unwrap();
    refused_with(
        migrate(mappings.path(), tmp.path()),
        contains("teams.csv:2"),
    );
}

#[test]
fn windows_1252_is_detected_when_not_declared() {
    let tmp = with_edit(|p| {
        std::fs::write(
            p.join("teams.csv"),
            b"team_code,name,transfers\nT1,Caf\xe9 Team,Y\nT2,Adults,N\n",
        )
        .unwrap()
    });
    let db = tmp.path().join("out.db");
    bin()
        .args(["migrate", "--mappings", MINI, "--input"])
        .arg(tmp.path())
        .arg("--out")
        .arg(&db)
        .assert()
        .code(0);
    let name: String = open_db(&db)
        .query_row("SELECT name FROM teams", [], |r| r.get(0))
        .unwrap();
    assert_eq!(name, "Café Team");
}

#[test]
fn unknown_column_names_file_column_and_closest_headers() {
    let mappings = copy_fixture(MINI);
    let toml = mappings.path().join("staff.toml");
    let text = std::fs::read_to_string(&toml)
        .unwrap()
        .replace("{ column = \"surname\" }", "{ column = \"surnam\" }");
    std::fs::write(&toml, text).unwrap();
    bin()
        .args([
            "migrate",
            "--dry-run",
            "--input",
            "fixtures/clean_small",
            "--mappings",
        ])
        .arg(mappings.path())
        .assert()
        .code(2)
        .stderr(
            contains("staff.csv: no column `surnam`")
                .and(contains("staff.toml:"))
                .and(contains("`surname`")),
        );
}

fn sheet_mapping(file: &str, sheet: Option<&str>) -> tempfile::TempDir {
    let mappings = copy_fixture(MINI);
    let sheet = sheet
        .map(|s| format!("sheet = \"{s}\"\n"))
        .unwrap_or_default();
    let text = format!(
        "[source]\nentity = \"provider\"\nfile = \"{file}\"\n{sheet}\n[[target]]\ntable = \"providers\"\n\n[target.fields]\nprovider_id = {{ column = \"provider_id\" }}\nname = {{ column = \"name\" }}\nprovider_type = {{ column = \"type\" }}\n"
    );
    std::fs::write(mappings.path().join("providers.toml"), text).unwrap();
    mappings
}

#[test]
fn corrupt_workbook_is_an_input_error() {
    let tmp = with_edit(|p| {
        std::fs::copy(
            repo("fixtures/malformed_inputs/corrupt.xlsx"),
            p.join("providers.xlsx"),
        )
        .map(|_| ())
        .unwrap()
    });
    let mappings = sheet_mapping("providers.xlsx", None);
    refused_with(
        migrate(mappings.path(), tmp.path()),
        contains("providers.xlsx"),
    );
}

#[test]
fn missing_sheet_is_an_input_error_listing_the_sheets() {
    let tmp = with_edit(|p| {
        std::fs::copy(
            repo("fixtures/excel_serial_dates/title_rows_serials.xlsx"),
            p.join("providers.xlsx"),
        )
        .map(|_| ())
        .unwrap()
    });
    let mappings = sheet_mapping("providers.xlsx", Some("No Such Sheet"));
    refused_with(
        migrate(mappings.path(), tmp.path()),
        contains("No Such Sheet").and(contains("providers.xlsx")),
    );
}

#[test]
fn mapping_with_errors_is_refused_with_positions() {
    let mappings = copy_fixture(MINI);
    std::fs::write(mappings.path().join("broken.toml"), "[source\nentity = 1\n").unwrap();
    bin()
        .args([
            "migrate",
            "--dry-run",
            "--input",
            "fixtures/clean_small",
            "--mappings",
        ])
        .arg(mappings.path())
        .assert()
        .code(2)
        .stderr(contains("broken.toml:1:"));
}

#[test]
fn missing_input_folder_is_a_usage_error() {
    bin()
        .args([
            "migrate",
            "--dry-run",
            "--mappings",
            MINI,
            "--input",
            "fixtures/no_such_folder",
        ])
        .assert()
        .code(2);
}

#[test]
fn several_sources_feed_one_table_and_duplicates_across_them_are_found() {
    let mappings = copy_fixture(MINI);
    let staff = std::fs::read_to_string(mappings.path().join("staff.toml")).unwrap();
    let extra = staff.replace(
        "entity = \"staff\"\nfile = \"staff.csv\"",
        "entity = \"staff\"\nfile = \"bank_staff.csv\"",
    );
    std::fs::write(mappings.path().join("bank_staff.toml"), extra).unwrap();
    let input = with_edit(|p| {
        let header = "employee,surname,forenames,dob,role,fte,contract,team,manager,start,flag\n";
        let rows = "200001,Hall,Ivy,06/06/1991,Social Worker,0.20,Permanent,T1,100001,01/05/2016,Y\n100002,Jones,Bob,02/02/1980,Social Worker,0.20,Permanent,T1,100001,01/05/2016,Y\n";
        std::fs::write(p.join("bank_staff.csv"), format!("{header}{rows}")).unwrap();
    });
    let (code, json) = scenario_json(mappings.path(), input.path());
    assert_eq!(code, 1);
    assert_eq!(
        findings(&json),
        vec![
            f("HO-DUP-001", "staff", "staff.csv", 3),
            f("HO-CTL-001", "staff_in_scope", "", 0)
        ]
    );
    let [rows, transferred, _, rejected] = ledger(&json, "staff");
    assert_eq!((rows, transferred, rejected), (7, 5, 1));
}

#[test]
fn composite_natural_keys_are_enforced() {
    let mappings = copy_fixture(MINI);
    let path = mappings.path().join("placements.toml");
    let text = std::fs::read_to_string(&path).unwrap().replace(
        "table = \"placements\"",
        "table = \"placements\"\nkey = [\"child_id\", \"start_date\"]",
    );
    std::fs::write(&path, text).unwrap();
    let input = with_edit(|p| {
        let mut s = std::fs::read_to_string(p.join("placements.csv")).unwrap();
        s.push_str("P2,C1,FOS,FCO,PRV1,01/01/2016,\nP3,C1,FOS,FCO,PRV1,02/01/2016,\n");
        std::fs::write(p.join("placements.csv"), s).unwrap();
    });
    let (_, json) = scenario_json(mappings.path(), input.path());
    assert_eq!(
        findings(&json),
        vec![f("HO-DUP-001", "placement", "placements.csv", 3)]
    );
}

/// A dry run that stops with exit 2 (an input or configuration error) and says `what` on stderr.
fn refused_with(mut cmd: assert_cmd::Command, what: impl predicates::Predicate<str>) {
    cmd.arg("--dry-run").assert().code(2).stderr(what);
}

#[test]
fn progress_bars_stay_off_a_stderr_that_is_not_a_terminal() {
    let out = migrate(MINI, "fixtures/clean_small")
        .arg("--dry-run")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "dry run: nothing was written\n"
    );
    let quiet = migrate(MINI, "fixtures/clean_small")
        .args(["--dry-run", "--quiet"])
        .output()
        .unwrap();
    assert!(
        quiet.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&quiet.stderr)
    );
}

/// Lineage held in the rowid (#11): on the January extract, where orphan checks reject rows and
/// delete their company rows, every company row's lineage names a source row that transferred,
/// every transferred row has company rows, and no rejected or excluded row has any.
#[test]
fn every_company_row_traces_to_a_transferred_source_row_and_no_rejected_row_leaves_one() {
    let conn = open_db(&super::common::sunderland("2017-01-31"));
    let rejected = count(
        &conn,
        "SELECT count(*) FROM handover_row WHERE outcome = 'rejected'",
    );
    assert!(rejected > 0, "the January extract has rejected rows");
    let company_rows = count(&conn, "SELECT count(*) FROM handover_lineage");
    let traced = count(
        &conn,
        "SELECT count(*) FROM handover_lineage l JOIN handover_row r USING (source_id, line)
         WHERE r.outcome = 'transferred'",
    );
    assert_eq!(
        traced, company_rows,
        "every company row traces to a transferred row"
    );
    let untraced = count(
        &conn,
        "SELECT count(*) FROM handover_row r WHERE r.outcome = 'transferred'
         AND NOT EXISTS (SELECT 1 FROM handover_lineage l WHERE l.source_id = r.source_id AND l.line = r.line)",
    );
    assert_eq!(untraced, 0, "every transferred row has its company rows");
    let tables: i64 = count(
        &conn,
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'handover%'",
    );
    let all_rows: i64 = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'handover%'",
        )
        .unwrap()
        .query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .map(|t| count(&conn, &format!("SELECT count(*) FROM {}", t.unwrap())))
        .sum();
    assert!(tables >= 7);
    assert_eq!(
        all_rows, company_rows,
        "the view shows every company row once"
    );
}
