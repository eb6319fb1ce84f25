//! The checks after the load run their read-only queries on two connections when the database is
//! a file (`check::early`), and one after the other on a private database that a second
//! connection cannot open. Both ways must give the same database, row for row: the clean March
//! extract (the queries' answers are used as they are) and the January one, whose orphans are
//! rejected (the rules and the recount are asked again). The figures and breakdowns counted on two
//! connections must be the reconciliation's, as it is read back from the database alone.
use std::path::Path;

use handover::pipeline::{self, Mode, RunConfig, RunSummary};
use handover::report::Reconciliation;
use rusqlite::Connection;

use crate::common::{bin, count};

/// Every row of every table, in a stable order, as text.
fn dump(conn: &Connection) -> Vec<String> {
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .unwrap();
    let mut out = Vec::new();
    for table in tables {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {table} ORDER BY rowid"))
            .or_else(|_| conn.prepare(&format!("SELECT * FROM {table} ORDER BY 1, 2")))
            .unwrap();
        let width = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                let cells: Vec<String> = (0..width)
                    .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                    .collect();
                Ok(format!("{table}: {}", cells.join(" | ")))
            })
            .unwrap();
        out.extend(rows.map(Result::unwrap));
    }
    out
}

/// Runs the pipeline on the Sunderland extract `input` into `conn`.
fn run(conn: &mut Connection, input: &str) -> RunSummary {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mappings = root.join("mappings/sunderland");
    let set = handover::mapping::load(&mappings).unwrap().set;
    let input = root.join(input);
    let cfg = RunConfig {
        set: &set,
        mappings_dir: &mappings,
        input_dir: &input,
        mode: Mode::Final,
        as_at: None,
        started_at: "2017-03-31T00:00:00Z".to_string(),
        quiet: true,
        allow_findings: true,
        force: false,
        as_at_origin: None,
    };
    pipeline::run(conn, &cfg).unwrap()
}

#[test]
fn the_checks_on_two_connections_give_the_database_they_give_on_one() {
    for input in [
        "fixtures/sunderland/2017-03-31",
        "fixtures/sunderland/2017-01-31",
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let mut file = Connection::open(tmp.path().join("company.db")).unwrap();
        let summary = run(&mut file, input);
        // An empty path is a private database: the checks run on its one connection.
        let mut private = Connection::open("").unwrap();
        let alone = run(&mut private, input);
        assert!(
            alone.counted.is_none(),
            "{input}: one connection counts later"
        );
        let (two, one) = (dump(&file), dump(&private));
        assert!(two.len() > 5000, "{input}: {} rows", two.len());
        assert!(two == one, "{input}: the databases differ");
        // The January extract's orphans were found, recorded and their rows rejected; the
        // figures counted before that no longer hold and are counted again.
        let orphans = count(
            &file,
            "SELECT count(*) FROM handover_finding WHERE kind = 'orphan'",
        );
        let january = input.ends_with("01-31");
        assert_eq!(orphans > 0, january, "{input}");
        assert_eq!(summary.counted.is_some(), !january, "{input}");
        let counted = Reconciliation::read_counted(&file, summary.counted).unwrap();
        let read = Reconciliation::read(&private).unwrap();
        assert_eq!(counted, read, "{input}");
        let staff = counted
            .figures
            .items
            .iter()
            .find(|f| f.name == "staff_transferred");
        let in_db = count(&file, "SELECT count(*) FROM staff");
        assert_eq!(staff.and_then(|f| f.company), Some(in_db), "{input}");
        assert!(january || in_db == 828, "{input}: {in_db}");
        assert!(
            counted.breakdowns.iter().all(|b| !b.rows.is_empty()),
            "{input}"
        );
    }
}

#[test]
fn a_dry_run_leaves_no_database_behind_in_the_temporary_folder() {
    for (input, code) in [
        ("fixtures/sunderland/2017-03-31", 0),
        ("fixtures/sunderland/2017-01-31", 1),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        bin()
            .env("TMPDIR", tmp.path())
            .args(["migrate", "--quiet", "--mappings", "mappings/sunderland"])
            .args(["--input", input, "--dry-run"])
            .assert()
            .code(code);
        let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
        assert!(left.is_empty(), "{input}: {left:?}");
    }
}
