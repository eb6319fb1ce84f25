//! `handover export --format xml` in the DfE's XML layout (#12 part 4), the 903 schema's default
//! layout: the generated return read from that layout and written back is the same bytes; the
//! CSV form written in it reads back into the same rows for every table it carries, and the
//! summary names what it does not carry (sw_episodes, with its rows); values the layout holds
//! once, in the HEADER, are counted when a row's differs; a bad layout declaration is a located
//! schema error.
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::common::{EPOCH, SSDA903_TABLES, bin, copy_dir, count, open_db, repo, table_rows};
use super::generate_ssda903::{AS_AT, generate};

const DFE_MAPPINGS: &str = "mappings/ssda903-dfexml";
const CSV_MAPPINGS: &str = "mappings/ssda903";
const SCHEMA: &str = "mappings/companies/ssda903";

/// `migrate --mappings MAPPINGS --input INPUT --as-at AS_AT --out DIR/NAME.db`, which must run
/// clean (exit 0).
fn load(mappings: &str, input: &Path, dir: &Path, name: &str) -> PathBuf {
    let db = dir.join(format!("{name}.db"));
    bin()
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .args(["-q", "migrate", "--mappings", mappings, "--input"])
        .arg(input)
        .args(["--as-at", AS_AT, "--out"])
        .arg(&db)
        .assert()
        .code(0);
    db
}

/// `handover export DB --out OUT --format xml EXTRA...`, which must succeed: its stdout.
fn export(db: &Path, out: &Path, extra: &[&str]) -> String {
    let run = bin()
        .arg("export")
        .arg(db)
        .arg("--out")
        .arg(out)
        .args(["--format", "xml"])
        .args(extra)
        .output()
        .expect("run handover export");
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    String::from_utf8(run.stdout).expect("UTF-8")
}

/// Every row of each table, sorted.
fn contents(db: &Path) -> BTreeMap<&'static str, Vec<String>> {
    SSDA903_TABLES
        .iter()
        .map(|t| {
            let mut rows = table_rows(db, t);
            rows.sort();
            (*t, rows)
        })
        .collect()
}

/// The summary's line for a table the layout leaves out: its rows and the schema's reason.
fn left_out_line(table: &str, rows: usize) -> String {
    format!(
        "{rows:>9} rows  not written  ({table}): the DfE's XML layout has no element for social-worker episodes"
    )
}

#[test]
fn the_dfe_layout_round_trips_the_generated_return_byte_for_byte() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let d = tmp.path().join("D");
    generate(&d, &[]);
    let db = load(DFE_MAPPINGS, &d.join("dfe-xml"), tmp.path(), "dfe");
    let out = tmp.path().join("E");
    let summary = export(&db, &out, &[]);
    let written = std::fs::read(out.join("ssda903.xml")).expect("the exported file");
    let generated = std::fs::read(d.join("dfe-xml/ssda903.xml")).expect("the generated file");
    assert!(
        written == generated,
        "the export differs from the generated DfE layout"
    );
    // The layout read gives no social-worker episode, and the summary says the layout has none.
    assert!(
        summary.contains(&left_out_line("sw_episodes", 0)),
        "{summary}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(out.join("ssda903.xml"))
            .expect("metadata")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "readable by its owner only");
    }
    // Every child's UASC flag is 1 or 0, never blank (the DfE validator's rule 105 refuses a
    // blank one in XML), and it is 1 for exactly the children with a UASC row.
    let text = String::from_utf8_lossy(&written);
    let flags: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("<UASC"))
        .collect();
    let children = text.matches("<CHILD>").count();
    assert_eq!(flags.len(), children, "one UASC flag per child");
    let ones = flags.iter().filter(|f| **f == "<UASC>1</UASC>").count();
    let zeros = flags.iter().filter(|f| **f == "<UASC>0</UASC>").count();
    assert_eq!(ones + zeros, children, "{flags:?}");
    assert_eq!(
        ones as i64,
        super::common::count(&super::common::open_db(&db), "SELECT count(*) FROM uasc")
    );
    assert!(ones > 0 && zeros > 0, "{ones} {zeros}");
    // The same database always writes the same bytes.
    export(&db, &tmp.path().join("again"), &["--layout", "dfe"]);
    let again = std::fs::read(tmp.path().join("again/ssda903.xml")).expect("again");
    assert!(again == written, "a second export differs");
}

#[test]
fn the_csv_return_written_in_the_dfe_layout_reads_back_into_the_same_rows() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let d = tmp.path().join("D");
    generate(&d, &[]);
    let from_csv = load(CSV_MAPPINGS, &d.join("csv"), tmp.path(), "csv");
    let out = tmp.path().join("E");
    let summary = export(&from_csv, &out, &[]);
    let back = load(DFE_MAPPINGS, &out, tmp.path(), "back");
    let (csv, back) = (contents(&from_csv), contents(&back));
    for table in SSDA903_TABLES {
        if table == "sw_episodes" {
            continue;
        }
        assert!(!csv[table].is_empty(), "{table} has rows");
        assert_eq!(csv[table], back[table], "{table}");
    }
    // Social-worker episodes have no element in the layout: none comes back, and the summary
    // says how many were not written and why.
    let sw = csv["sw_episodes"].len();
    assert!(sw > 0, "the generated return has social-worker episodes");
    assert!(back["sw_episodes"].is_empty());
    assert!(
        summary.contains(&left_out_line("sw_episodes", sw)),
        "{summary}"
    );
    assert!(
        summary.contains(&format!(
            "not carried by the layout: {sw} rows of 1 table left out"
        )),
        "{summary}"
    );
    assert!(!summary.contains("`dob` not written"), "{summary}");
}

#[test]
fn what_the_dfe_layout_cannot_carry_is_counted_and_a_child_without_a_header_keeps_its_rows() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let d = tmp.path().join("D");
    generate(&d, &[]);
    let db = load(CSV_MAPPINGS, &d.join("csv"), tmp.path(), "csv");
    let conn = open_db(&db);
    // Two reviews repeat their child's date of birth differently from the header.
    conn.execute(
        "UPDATE reviews SET dob = '1990-01-01' WHERE (child, review) IN \
         (SELECT child, review FROM reviews ORDER BY child, review LIMIT 2)",
        [],
    )
    .expect("update");
    // A care leaver's OC3 row loses its IN_TOUCH, by which a reader finds the row in the HEADER.
    conn.execute(
        "UPDATE oc3 SET in_touch = NULL WHERE child = (SELECT MIN(child) FROM oc3)",
        [],
    )
    .expect("update");
    // A UASC child loses its header row (a database handover loads cannot hold such a row: its
    // foreign keys refuse it; a company's own database might).
    conn.execute_batch("PRAGMA foreign_keys = OFF")
        .expect("pragma");
    let uasc_child: String = conn
        .query_row("SELECT child FROM uasc ORDER BY child LIMIT 1", [], |r| {
            r.get(0)
        })
        .expect("a UASC child");
    conn.execute("DELETE FROM header WHERE child = ?1", [&uasc_child])
        .expect("delete");
    let differs = |table: &str, column: &str| {
        count(
            &conn,
            &format!(
                "SELECT COUNT(*) FROM {table} t LEFT JOIN header h ON h.child = t.child \
                 WHERE t.{column} IS NOT h.{column}"
            ),
        )
    };
    let reviews = differs("reviews", "dob");
    let uasc_sex = differs("uasc", "sex");
    assert!(reviews >= 2 && uasc_sex >= 1, "{reviews} {uasc_sex}");
    let out = tmp.path().join("E");
    let summary = export(&db, &out, &[]);
    for (table, column, n) in [
        ("reviews", "dob", reviews),
        ("uasc", "sex", uasc_sex),
        ("uasc", "dob", differs("uasc", "dob")),
    ] {
        let line = format!(
            "{n:>9} rows  `{column}` not written  ({table}): its value differs from the head's `{column}`"
        );
        assert!(summary.contains(&line), "{line}\n{summary}");
    }
    let line = "        1 rows  not recognisable  (oc3): written, but `in_touch` is blank, and a reader of the layout recognises the row by it";
    assert!(summary.contains(line), "{summary}");
    // The child is still written, its HEADER holding CHILDID and its UASC items.
    let xml = std::fs::read_to_string(out.join("ssda903.xml")).expect("the file");
    let at = xml
        .find(&format!("<CHILDID>{uasc_child}</CHILDID>\n"))
        .expect("the child is written");
    let head: Vec<&str> = xml[at..].lines().take(3).map(str::trim).collect();
    assert_eq!(head[1], "<UASC>1</UASC>", "{head:?}");
    assert!(head[2].starts_with("<DUC"), "{head:?}");
}

/// A copy of the 903 schema folder with `company.toml` edited by `edit`: (folder, edited text).
fn edited_schema(dir: &Path, edit: impl Fn(&str) -> String) -> (PathBuf, String) {
    let schema = dir.join("schema");
    copy_dir(&repo(SCHEMA), &schema);
    let path = schema.join("company.toml");
    let text = edit(&std::fs::read_to_string(&path).expect("company.toml"));
    std::fs::write(&path, &text).expect("write");
    (schema, text)
}

/// The 1-based line of the first line of `text` that starts with `line`.
fn line_of(text: &str, line: &str) -> usize {
    text.lines().position(|l| l.starts_with(line)).expect(line) + 1
}

#[test]
fn a_bad_layout_declaration_is_a_located_schema_error() {
    let cases: [(&str, &str, &str, &str); 5] = [
        (
            "table = \"oc3\"\nplace = \"merged\"",
            "table = \"oc9\"\nplace = \"merged\"",
            "table = \"oc9\"",
            "`[[export.xml.record]] table` names `oc9`, which is not a table",
        ),
        (
            "table = \"ad1\"\nplace = \"merged\"",
            "table = \"oc3\"\nplace = \"merged\"",
            "table = \"ad1\"",
            "",
        ),
        (
            "element = \"AREVIEW\"\nplace = \"nested\"",
            "place = \"merged\" # reviews",
            "place = \"merged\" # reviews",
            "table `reviews` is keyed by (child, review), so it can hold more than one row per `child`",
        ),
        (
            "elements = { place = \"PL\" }",
            "elements = { plac = \"PL\" }",
            "elements = { plac = \"PL\" }",
            "`[[export.xml.record]] elements` names `plac`, which is not a column this record writes",
        ),
        (
            "leave_out = { sw_episodes",
            "left_out = { sw_episodes",
            "left_out = { sw_episodes",
            "unknown key `left_out` (did you mean `leave_out`?)",
        ),
    ];
    let dbs = tempfile::tempdir().expect("a temporary folder");
    let db = super::common::migrate_db(
        CSV_MAPPINGS,
        &repo("fixtures/ssda903/clean/2017-03-31"),
        dbs.path(),
        "clean",
    );
    for (from, to, at, message) in cases {
        let tmp = tempfile::tempdir().expect("a temporary folder");
        let (schema, text) = edited_schema(tmp.path(), |t| {
            assert!(t.contains(from), "{from}");
            t.replacen(from, to, 1)
        });
        let line = line_of(&text, at);
        let check = bin()
            .args(["schema", "--schema"])
            .arg(&schema)
            .output()
            .expect("run handover schema");
        let stdout = String::from_utf8_lossy(&check.stdout).into_owned()
            + &String::from_utf8_lossy(&check.stderr);
        assert_eq!(check.status.code(), Some(1), "{stdout}");
        let message = if message.is_empty() {
            // The second declaration of a table is where it is declared twice.
            let second = text
                .lines()
                .enumerate()
                .filter(|(_, l)| *l == "table = \"oc3\"")
                .nth(1)
                .expect("a second oc3")
                .0
                + 1;
            assert!(
                stdout.contains(&format!("company.toml:{second}:")),
                "{stdout}"
            );
            "`[[export.xml.record]] table`: `oc3` is declared twice in layout `dfe`"
        } else {
            assert!(
                stdout.contains(&format!("company.toml:{line}:")),
                "{stdout}"
            );
            message
        };
        assert!(stdout.contains(message), "{message}\n{stdout}");
        // `handover export` refuses the schema: exit 2, the same located error.
        let run = bin()
            .arg("export")
            .arg(&db)
            .arg("--out")
            .arg(tmp.path().join("out"))
            .arg("--schema")
            .arg(&schema)
            .args(["--format", "xml"])
            .output()
            .expect("run handover export");
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(message), "{message}\n{stderr}");
    }
}

#[test]
fn the_layout_left_out_in_silence_is_an_error_and_an_unknown_layout_names_the_declared_ones() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let (schema, text) = edited_schema(tmp.path(), |t| {
        let cut = t
            .lines()
            .find(|l| l.starts_with("leave_out = "))
            .expect("leave_out");
        t.replacen(&format!("{cut}\n"), "", 1)
    });
    let out = bin()
        .args(["schema", "--schema"])
        .arg(&schema)
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let line = line_of(&text, "name = \"dfe\"") - 1;
    assert!(
        stdout.contains(&format!(
            "company.toml:{line}:1: error: layout `dfe` must write table `sw_episodes` once"
        )),
        "{stdout}"
    );
    let db = super::common::migrate_db(
        "mappings/ssda903",
        &repo("fixtures/ssda903/clean/2017-03-31"),
        tmp.path(),
        "clean",
    );
    let run = bin()
        .arg("export")
        .arg(&db)
        .arg("--out")
        .arg(tmp.path().join("out"))
        .args(["--format", "xml", "--layout", "validator"])
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("declares no XML layout `validator`; it declares: dfe, handover"),
        "{stderr}"
    );
    let run = bin()
        .arg("export")
        .arg(&db)
        .arg("--out")
        .arg(tmp.path().join("csv"))
        .args(["--layout", "dfe"])
        .output()
        .expect("run");
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("needs --format xml"));
}

#[test]
fn the_unnamed_layout_form_is_refused_with_what_to_write_instead() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    // The handover layout alone, written as the single `[export.xml]` schemas used to declare.
    let (schema, text) = edited_schema(tmp.path(), |t| {
        let dfe = t
            .find("[[export.xml]]\nname = \"dfe\"")
            .expect("the dfe layout");
        let handover = t
            .find("[[export.xml]]\nname = \"handover\"\n")
            .expect("the handover layout");
        let rest =
            t[handover..].replacen("[[export.xml]]\nname = \"handover\"\n", "[export.xml]\n", 1);
        format!("{}{rest}", &t[..dfe])
    });
    let line = line_of(&text, "[export.xml]");
    let out = bin()
        .args(["schema", "--schema"])
        .arg(&schema)
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains(&format!(
            "company.toml:{line}:1: error: invalid schema file: `[export.xml]` is written `[[export.xml]]` with a `name`"
        )),
        "{stdout}"
    );
}
