//! A second company, declared rather than compiled in: fixtures/second_company holds an invented
//! trust's schema folder (other tables, a composite key, dated code lists, bounds and one rule of
//! each type), a mapping set onto it and an extract in which each rule is broken by one row. The
//! same binary that loads Sunderland into Together for Children's schema loads this one.
use std::collections::BTreeSet;

use super::common::{
    EPOCH, assert_balanced, count, dry_run_json, findings, ledger, migrate_db, open_db, repo,
};

const MAPPINGS: &str = "fixtures/second_company/mappings";
const INPUT: &str = "fixtures/second_company/2020-03-31";

#[test]
fn every_rule_of_the_second_company_fires_on_the_row_that_breaks_it() {
    let (code, json) = dry_run_json(repo(MAPPINGS), repo(INPUT));
    assert_eq!(code, 1, "{json}");
    assert_balanced(&json);
    assert_eq!(ledger(&json, "worker"), [5, 2, 0, 3]);
    assert_eq!(ledger(&json, "young_person"), [4, 3, 0, 1]);
    assert_eq!(ledger(&json, "episode"), [8, 5, 0, 3]);
    let found: BTreeSet<(String, String, String, i64)> = findings(&json).into_iter().collect();
    let want: BTreeSet<(String, String, String, i64)> = [
        // Bounds of the schema's columns: a range and a pattern.
        ("HO-VAL-002", "worker", "workers.csv", 5),
        ("HO-VAL-002", "worker", "workers.csv", 6),
        // A code outside the list, and a code the list withdrew before the as-at date.
        ("HO-COD-002", "young_person", "people.csv", 5),
        ("HO-COD-002", "episode", "episodes.csv", 8),
        // The composite primary key (person, start date).
        ("HO-DUP-001", "episode", "episodes.csv", 3),
        // Orphans of the two references.
        ("RCT-ORP-001", "worker", "workers.csv", 4),
        ("RCT-ORP-002", "episode", "episodes.csv", 7),
        // One declared rule of each type.
        ("RCT-UNA-001", "episode", "episodes.csv", 5),
        ("RCT-ROW-001", "episode", "episodes.csv", 4),
        ("RCT-EXI-001", "young_person", "people.csv", 4),
        ("RCT-AGR-001", "episode", "episodes.csv", 6),
        // A rule that reads the extract's as-at date (2020-03-31, from the folder's name).
        ("RCT-ROW-002", "episode", "episodes.csv", 9),
    ]
    .into_iter()
    .map(|(r, e, f, l)| (r.to_string(), e.to_string(), f.to_string(), l))
    .collect();
    assert_eq!(found, want);
    let warning = json["findings"]
        .as_array()
        .expect("findings[]")
        .iter()
        .find(|f| f["rule"] == "RCT-EXI-001")
        .expect("the existence finding");
    assert_eq!(
        warning["severity"], "warning",
        "the rule declares its severity"
    );
    assert_eq!(warning["rule_file"], "rules.toml");
    assert_eq!(warning["rule_line"], 19, "the `[[rule]]` of RCT-EXI-001");
}

#[test]
fn the_second_company_database_has_its_own_tables_figures_and_breakdowns() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let db = migrate_db(MAPPINGS, &repo(INPUT), tmp.path(), "riverside");
    let conn = open_db(&db);
    assert_eq!(count(&conn, "SELECT count(*) FROM episodes"), 5);
    assert_eq!(count(&conn, "SELECT count(*) FROM workers"), 2);
    assert_eq!(
        count(
            &conn,
            "SELECT count(*) FROM sqlite_schema WHERE name IN ('staff', 'involvements')"
        ),
        0,
        "nothing of Together for Children's schema is created"
    );
    let company: String = conn
        .query_row("SELECT company FROM handover_run", [], |r| r.get(0))
        .expect("the run names its company");
    assert_eq!(company, "Riverside Children's Trust");
    let out = super::common::bin()
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .args(["report", "--format", "json"])
        .arg(&db)
        .output()
        .expect("run handover report");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let figure = |name: &str| {
        let items = json["figures"]["items"].as_array().expect("items[]");
        let f = items.iter().find(|f| f["name"] == name).expect(name);
        (f["source"].as_i64(), f["company"].as_i64())
    };
    // In care: P1 and P2 hold open episodes after the transfer; the source also has P9's.
    assert_eq!(figure("in_care"), (Some(3), Some(2)));
    // Open episodes with a worker: 3 of 4 after the transfer (P2's from June 2016 has none).
    assert_eq!(figure("allocated_pct").1, Some(75));
    let breakdown = &json["breakdowns"][0];
    assert_eq!(breakdown["name"], "episodes_by_legal_status");
    assert_eq!(breakdown["rows"][0]["value"], "LS2");
    assert_eq!(breakdown["rows"][0]["count"], 4);
}
