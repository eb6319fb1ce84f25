//! Test harness: the built binary, paths into the repository, and copies of fixtures to change.
#![allow(dead_code)]
use std::path::{Path, PathBuf};

/// The `handover` binary, run from the repository root.
pub fn bin() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("handover").expect("the handover binary is built");
    cmd.current_dir(root());
    cmd.env_remove("SOURCE_DATE_EPOCH");
    cmd
}

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A path under the repository root.
pub fn repo(rel: &str) -> PathBuf {
    root().join(rel)
}

/// Copies a folder (recursively) into a new temporary folder and returns it.
pub fn copy_fixture(rel: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    copy_dir(&repo(rel), tmp.path());
    anchor_schema(&repo(rel), tmp.path());
    tmp
}

/// A copied mapping set names its company schema folder relative to where it was: point its
/// `[schema] folder` at the same folder by an absolute path.
fn anchor_schema(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(to).expect("read copied folder") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("read mapping file");
        let Some(line) = text
            .lines()
            .find(|l| l.trim_start().starts_with("folder = "))
        else {
            continue;
        };
        let folder = line.split('"').nth(1).expect("a quoted folder");
        let absolute = from
            .join(folder)
            .canonicalize()
            .expect("the schema folder exists");
        let fixed = text.replace(line, &format!("folder = {:?}", absolute.to_string_lossy()));
        std::fs::write(&path, fixed).expect("write mapping file");
    }
}

/// Copies `from` into `to`, recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create folder");
    for entry in std::fs::read_dir(from).expect("read fixture folder") {
        let path = entry.expect("entry").path();
        let dest = to.join(path.file_name().expect("name"));
        if path.is_dir() {
            copy_dir(&path, &dest);
        } else {
            std::fs::copy(&path, &dest).expect("copy fixture file");
        }
    }
}

/// Opens a company database written by `migrate --out`.
///
/// Every database a test opens is first checked whole: `PRAGMA integrity_check` tests every row
/// against the schema's `CHECK`, `NOT NULL` and `UNIQUE` constraints, which the loader does not
/// test again while loading (the converter has: `load::load_all`).
pub fn open_db(path: &Path) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(path).expect("open the company database");
    let problems: Vec<String> = conn
        .prepare("PRAGMA integrity_check")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .expect("PRAGMA integrity_check");
    assert_eq!(problems, ["ok"], "{}", path.display());
    conn
}

/// One integer from a query.
pub fn count(conn: &rusqlite::Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// The fixed run time every report test uses (2017-03-31T00:00:00Z).
pub const EPOCH: &str = "1490918400";

/// Runs `migrate --out DIR/name.db --allow-findings` with `SOURCE_DATE_EPOCH` set, from the
/// repository root with repository-relative folders, and returns the database's path.
pub fn migrate_db(mappings: &str, input: &Path, dir: &Path, name: &str) -> PathBuf {
    let db = dir.join(format!("{name}.db"));
    // A database left there by an earlier run (a test process with the same id, target/tmp is
    // kept between runs) would otherwise pass the check below: migrate does not overwrite it.
    let _ = std::fs::remove_file(&db);
    let out = bin()
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .args([
            "-q",
            "migrate",
            "--allow-findings",
            "--mappings",
            mappings,
            "--input",
        ])
        .arg(input)
        .arg("--out")
        .arg(&db)
        .output()
        .expect("run handover migrate");
    assert!(
        db.is_file(),
        "migrate wrote no database; stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    db
}

/// `handover report DB --format FORMAT` on stdout, which must succeed.
pub fn report(db: &Path, format: &str, extra: &[&str]) -> Vec<u8> {
    let out = bin()
        .arg("report")
        .arg(db)
        .args(["--format", format])
        .args(extra)
        .output()
        .expect("run handover report");
    assert_eq!(
        out.status.code(),
        Some(0),
        "report failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Every cell of every sheet of an xlsx workbook, as text, read back with calamine.
pub fn xlsx_cells(bytes: &[u8]) -> Vec<String> {
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).expect("an xlsx");
    let mut cells = Vec::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).expect("a sheet");
        for row in range.rows() {
            cells.extend(row.iter().map(ToString::to_string));
        }
    }
    cells
}

/// A folder under `fixtures/`.
pub fn fixture(rel: &str) -> PathBuf {
    root().join("fixtures").join(rel)
}

/// The company databases of both Sunderland snapshots, built once per test run.
pub fn sunderland(snapshot: &str) -> std::path::PathBuf {
    static DIR: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    let dir = DIR.get_or_init(|| {
        let dir =
            Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("report-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("tmp dir");
        for s in ["2017-01-31", "2017-03-31"] {
            migrate_db(
                "mappings/sunderland",
                Path::new(&format!("fixtures/sunderland/{s}")),
                &dir,
                s,
            );
        }
        dir
    });
    dir.join(format!("{snapshot}.db"))
}

/// `handover migrate --mappings MAPPINGS --input INPUT`, ready for more arguments.
pub fn migrate(mappings: impl AsRef<Path>, input: impl AsRef<Path>) -> assert_cmd::Command {
    let mut cmd = bin();
    cmd.arg("migrate")
        .arg("--mappings")
        .arg(mappings.as_ref())
        .arg("--input")
        .arg(input.as_ref());
    cmd
}

/// A dry run with JSON output: (exit code, the parsed summary).
pub fn dry_run_json(
    mappings: impl AsRef<Path>,
    input: impl AsRef<Path>,
) -> (i32, serde_json::Value) {
    dry_run_json_with(mappings, input, &[])
}

/// A dry run of a scenario fixture (whose folder is not named by a date) as at 31 March 2017.
pub fn scenario_json(
    mappings: impl AsRef<Path>,
    input: impl AsRef<Path>,
) -> (i32, serde_json::Value) {
    dry_run_json_with(mappings, input, &["--as-at", "2017-03-31"])
}

/// A dry run with JSON output and `extra` arguments: (exit code, the parsed summary).
pub fn dry_run_json_with(
    mappings: impl AsRef<Path>,
    input: impl AsRef<Path>,
    extra: &[&str],
) -> (i32, serde_json::Value) {
    let out = migrate(mappings, input)
        .args(["--dry-run", "--format", "json"])
        .args(extra)
        .output()
        .expect("run handover");
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}); stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().expect("exit code"), json)
}

/// One entity's ledger line in a migrate JSON summary: `[source_rows, transferred, excluded, rejected]`.
pub fn ledger(json: &serde_json::Value, entity: &str) -> [i64; 4] {
    let e = json["entities"]
        .as_array()
        .expect("entities[]")
        .iter()
        .find(|e| e["entity"] == entity)
        .unwrap_or_else(|| panic!("no ledger line for {entity}"));
    ["source_rows", "transferred", "excluded", "rejected"].map(|k| e[k].as_i64().expect("count"))
}

/// Asserts that every ledger line of a migrate JSON summary balances.
pub fn assert_balanced(json: &serde_json::Value) {
    for e in json["entities"].as_array().expect("entities[]") {
        let [rows, transferred, excluded, rejected] =
            ledger(json, e["entity"].as_str().expect("entity"));
        assert_eq!(rows, transferred + excluded + rejected, "{e}");
    }
}

/// (rule, entity, file, line) of every finding in a migrate JSON summary, in the order found.
pub fn findings(json: &serde_json::Value) -> Vec<(String, String, String, i64)> {
    json["findings"]
        .as_array()
        .expect("findings[]")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or("").to_string(),
                f["entity"].as_str().unwrap_or("").to_string(),
                f["file"].as_str().unwrap_or("").to_string(),
                f["line"].as_i64().unwrap_or(0),
            )
        })
        .collect()
}

/// The SSDA903 return's tables, in the order the DfE lists its files.
pub const SSDA903_TABLES: [&str; 11] = [
    "header",
    "episodes",
    "reviews",
    "uasc",
    "oc2",
    "oc3",
    "ad1",
    "placed_for_adoption",
    "previous_permanence",
    "missing",
    "sw_episodes",
];

/// Every row of `table` in the database at `db`, each as its cells' text joined by `|`, ordered
/// by the first two columns: for comparing two databases' contents.
pub fn table_rows(db: &Path, table: &str) -> Vec<String> {
    let conn = open_db(db);
    let mut stmt = conn
        .prepare(&format!("SELECT * FROM {table} ORDER BY 1, 2"))
        .expect(table);
    let n = stmt.column_count();
    stmt.query_map([], |r| {
        let cells: Vec<String> = (0..n)
            .map(|i| format!("{:?}", r.get_ref(i).expect("cell")))
            .collect();
        Ok(cells.join("|"))
    })
    .expect("query")
    .collect::<Result<Vec<_>, _>>()
    .expect("rows")
}
