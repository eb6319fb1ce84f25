//! `handover export`: the company's tables written as files, in the schema's column order and
//! date format; loaded again through a one-to-one mapping they give the same rows and values.
use std::path::Path;

use super::common::{bin, migrate_db, open_db, repo};

const MAPPINGS: &str = "fixtures/second_company/mappings";
const INPUT: &str = "fixtures/second_company/2020-03-31";

/// Riverside's tables, their export files and date columns.
const TABLES: [(&str, &str, &[&str], &[&str]); 4] = [
    ("teams", "teams.csv", &["team_code", "name"], &[]),
    (
        "workers",
        "workers.csv",
        &[
            "payroll_id",
            "assignment",
            "team",
            "full_name",
            "role",
            "manager",
            "fte",
            "registration",
        ],
        &[],
    ),
    (
        "young_people",
        "people.csv",
        &["person_id", "birth_date", "gender"],
        &["birth_date"],
    ),
    (
        "episodes",
        "episodes.csv",
        &[
            "person_id",
            "episode_ref",
            "start_date",
            "end_date",
            "legal_status",
            "worker",
            "birth_date",
        ],
        &["start_date", "end_date", "birth_date"],
    ),
];

/// `handover export DB --out OUT`, which must succeed.
fn export(db: &Path, out: &Path) {
    let run = bin()
        .arg("export")
        .arg(db)
        .arg("--out")
        .arg(out)
        .output()
        .expect("export");
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
}

/// A mapping set that reads each exported file back into its table, column for column.
fn round_trip_mappings(dir: &Path) {
    let schema = repo("fixtures/second_company/schema")
        .canonicalize()
        .expect("schema");
    std::fs::create_dir_all(dir).expect("mapping folder");
    std::fs::write(
        dir.join("company.toml"),
        format!("[schema]\nfolder = {:?}\n", schema.to_string_lossy()),
    )
    .expect("write");
    for (table, file, columns, dates) in TABLES {
        let mut text = format!(
            "[source]\nentity = \"{table}\"\nfile = \"{file}\"\n\n[[target]]\ntable = \"{table}\"\n\n[target.fields]\n"
        );
        for c in columns {
            let format = if dates.contains(c) {
                ", format = \"%d/%m/%Y\""
            } else {
                ""
            };
            text.push_str(&format!("{c} = {{ column = \"{c}\"{format} }}\n"));
        }
        std::fs::write(dir.join(format!("{table}.toml")), text).expect("write");
    }
}

fn rows(db: &Path, table: &str) -> Vec<Vec<String>> {
    let conn = open_db(db);
    let mut stmt = conn
        .prepare(&format!("SELECT * FROM {table} ORDER BY 1, 2"))
        .expect("select");
    let n = stmt.column_count();
    stmt.query_map([], |r| {
        (0..n)
            .map(|i| {
                r.get::<_, rusqlite::types::Value>(i)
                    .map(|v| format!("{v:?}"))
            })
            .collect()
    })
    .expect("query")
    .collect::<Result<_, _>>()
    .expect("rows")
}

#[test]
fn what_transferred_exports_and_loads_back_unchanged() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let db = migrate_db(MAPPINGS, &repo(INPUT), tmp.path(), "first");
    let out = tmp.path().join("export");
    export(&db, &out);
    // The schema's column order and date format.
    let episodes = std::fs::read_to_string(out.join("episodes.csv")).expect("episodes.csv");
    let mut lines = episodes.lines();
    assert_eq!(
        lines.next(),
        Some("person_id,episode_ref,start_date,end_date,legal_status,worker,birth_date")
    );
    assert_eq!(lines.next(), Some("P1,,01/01/2016,,LS2,W2,01/02/2010"));
    assert!(
        out.join("people.csv").is_file(),
        "the file the schema names"
    );
    // Loaded again, every table holds the same rows and values.
    let mappings = tmp.path().join("round_trip");
    round_trip_mappings(&mappings);
    let again = migrate_db(mappings.to_str().expect("UTF-8"), &out, tmp.path(), "again");
    for (table, ..) in TABLES {
        assert_eq!(rows(&db, table), rows(&again, table), "{table}");
    }
    // A folder that holds files is not written into without --force.
    let refused = bin()
        .arg("export")
        .arg(&db)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("export");
    assert_eq!(refused.status.code(), Some(2));
}

/// Every row of a CSV after its header, sorted: the export writes rows in key order.
fn sorted_rows(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_path(path).expect("a CSV");
    let header = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    let mut rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.expect("a record").iter().map(str::to_string).collect())
        .collect();
    rows.sort();
    (header, rows)
}

/// The SSDA903 return loaded and written back is the same return: every file, header and row
/// (issue #12; docs/ssda903.md names the normalisations: rows in key order, CRLF line ends).
#[test]
fn the_ssda903_return_round_trips_row_for_row() {
    let input = repo("fixtures/ssda903/clean/2017-03-31");
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let db = migrate_db("mappings/ssda903", &input, tmp.path(), "return");
    let out = tmp.path().join("return");
    export(&db, &out);
    let mut files = 0;
    for entry in std::fs::read_dir(&input).expect("the return") {
        let path = entry.expect("entry").path();
        let name = path.file_name().expect("name").to_owned();
        assert_eq!(
            sorted_rows(&path),
            sorted_rows(&out.join(&name)),
            "{name:?}"
        );
        files += 1;
    }
    assert_eq!(files, 11, "every file of the return");
}
