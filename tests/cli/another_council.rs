//! Exports as another council's systems write them, mapped with the mapping language's full
//! reach (fixtures/another_council, onto the invented Riverside schema of
//! fixtures/second_company): a reference by another identifier, fields built from several
//! columns, combined and case-blind conditions, Annex A values, non-breaking spaces, decimal
//! commas, dates with a time of day, a two-digit year, exclusion reasons from a column, teams and
//! young people collected from the rows that name them, and the as-at date from a file name.
use std::collections::BTreeSet;

use super::common::{
    assert_balanced, count, dry_run_json, findings, ledger, migrate_db, open_db, repo,
};

const MAPPINGS: &str = "fixtures/another_council/mappings";
const INPUT: &str = "fixtures/another_council/extract";
const STAFF: &str = "hr/staff_20200331.csv";
const CASES: &str = "cases/episodes.tsv";

#[test]
fn each_feature_is_found_or_loaded_on_the_row_it_concerns() {
    let (code, json) = dry_run_json(repo(MAPPINGS), repo(INPUT));
    assert_eq!(code, 1, "{json}");
    assert_balanced(&json);
    assert_eq!(ledger(&json, "worker"), [6, 3, 2, 1]);
    assert_eq!(ledger(&json, "episode"), [7, 3, 2, 2]);
    let found: BTreeSet<_> = findings(&json).into_iter().collect();
    let want: BTreeSet<_> = [
        // Teams collected from the staff rows: T2 named again with another name.
        ("HO-DUP-002", "worker", STAFF, 5),
        // The manager's assignment number matches no worker's: an orphan, with its line.
        ("RCT-ORP-001", "worker", STAFF, 4),
        // `c) Other` is cleaned to `Other`, which the Annex A crosswalk does not know; the young
        // person is not collected, so the episode is an orphan.
        ("HO-COD-001", "episode", CASES, 6),
        ("RCT-ORP-002", "episode", CASES, 6),
        // `10/03/09` is not the year 9: a two-digit year under `%Y`, in both tables it feeds.
        ("HO-VAL-001", "episode", CASES, 7),
    ]
    .into_iter()
    .map(|(r, e, f, l)| (r.to_string(), e.to_string(), f.to_string(), l))
    .collect();
    assert_eq!(found, want);
    assert_eq!(
        findings(&json).len(),
        6,
        "the two-digit year is found in both tables"
    );
    // The as-at date, from the HR export's file name.
    assert_eq!(json["run"]["as_at"], "2020-03-31");
    let reasons: BTreeSet<(String, String, i64)> = json["exclusions"]
        .as_array()
        .expect("exclusions[]")
        .iter()
        .map(|e| {
            let text = |k: &str| e[k].as_str().unwrap_or("").to_string();
            (
                text("entity"),
                text("reason"),
                e["rows"].as_i64().unwrap_or(0),
            )
        })
        .collect();
    let want: BTreeSet<(String, String, i64)> = [
        ("worker", "retained by the council", 1),
        ("worker", "left before the transfer", 1),
        ("episode", "closed before April 2019", 1),
        ("episode", "short breaks: stay with the council", 1),
    ]
    .into_iter()
    .map(|(e, r, n)| (e.to_string(), r.to_string(), n))
    .collect();
    assert_eq!(reasons, want);
}

#[test]
fn the_values_are_stored_as_the_company_needs_them() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let db = migrate_db(MAPPINGS, &repo(INPUT), tmp.path(), "another");
    let conn = open_db(&db);
    let one = |sql: &str| -> String {
        conn.query_row(sql, [], |r| r.get(0))
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    };
    // The manager by assignment number, stored as the manager's payroll number.
    assert_eq!(
        one("SELECT manager FROM workers WHERE payroll_id = 'W2'"),
        "W1"
    );
    // A decimal comma, a non-breaking space and a doubled space.
    let fte: f64 = conn
        .query_row("SELECT fte FROM workers WHERE payroll_id = 'W2'", [], |r| {
            r.get(0)
        })
        .expect("fte");
    assert_eq!(fte, 0.5);
    assert_eq!(
        one("SELECT full_name FROM workers WHERE payroll_id = 'W1'"),
        "Ann Smith"
    );
    assert_eq!(
        one("SELECT full_name FROM workers WHERE payroll_id = 'W2'"),
        "Bob Jones"
    );
    // Teams collected once each, the first name kept; T2 stays although the row that first
    // named it (a worker whose manager does not transfer) is rejected.
    assert_eq!(count(&conn, "SELECT count(*) FROM teams"), 2);
    assert_eq!(
        one("SELECT name FROM teams WHERE team_code = 'T2'"),
        "Adoption"
    );
    assert_eq!(
        count(&conn, "SELECT count(*) FROM workers WHERE team = 'T2'"),
        1
    );
    // A field from several columns; Annex A's `b) Female` as the gender code; a worker named by
    // registration number stored as the payroll number; a case-blind legal status.
    assert_eq!(
        one(
            "SELECT episode_ref FROM episodes WHERE person_id = 'P1' AND start_date = '2019-01-01'"
        ),
        "P1/01/01/2019"
    );
    assert_eq!(
        one("SELECT gender FROM young_people WHERE person_id = 'P2'"),
        "2"
    );
    assert_eq!(
        one("SELECT worker FROM episodes WHERE person_id = 'P2'"),
        "W4"
    );
    assert_eq!(
        one("SELECT legal_status FROM episodes WHERE person_id = 'P2'"),
        "LS3"
    );
    // A date with a time of day.
    assert_eq!(
        one("SELECT birth_date FROM young_people WHERE person_id = 'P1'"),
        "2010-02-01"
    );
    // Young people collected from their episodes: P1's two episodes give one young person.
    assert_eq!(count(&conn, "SELECT count(*) FROM young_people"), 2);
    assert_eq!(count(&conn, "SELECT count(*) FROM episodes"), 3);
    let origin: String = conn
        .query_row(
            "SELECT json_extract(parameters, '$.as_at_origin') FROM handover_run",
            [],
            |r| r.get(0),
        )
        .expect("the as-at date's origin");
    assert_eq!(origin, format!("the name of {STAFF}"));
}

#[test]
fn validate_input_reports_every_value_migrate_rejects() {
    let out = super::common::bin()
        .args([
            "validate",
            "--format",
            "json",
            "--mappings",
            MAPPINGS,
            "--input",
            INPUT,
        ])
        .current_dir(super::common::root())
        .output()
        .expect("run handover validate");
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let mut seen: Vec<(String, u64)> = doc["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["check"] == "input-value" || d["check"] == "input-code")
        .map(|d| {
            let m = d["message"].as_str().unwrap_or("");
            let line = m
                .split("first at line ")
                .nth(1)
                .or_else(|| m.split("line ").last());
            let line = line
                .and_then(|l| l.split(|c: char| !c.is_ascii_digit()).next())
                .and_then(|l| l.parse().ok())
                .unwrap_or(0);
            (d["check"].as_str().unwrap_or("").to_string(), line)
        })
        .collect();
    seen.sort();
    // The gender code on line 6; the two-digit year on line 7, in each of the two fields.
    assert_eq!(
        seen,
        [
            ("input-code".to_string(), 6),
            ("input-value".to_string(), 7),
            ("input-value".to_string(), 7)
        ]
    );
}
