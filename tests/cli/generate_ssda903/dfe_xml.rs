//! The generated return in the DfE's own XML layout (`dfe-xml/ssda903.xml`, `<EXPSSDA903>`), read
//! through mappings/ssda903-dfexml: with `--defects integrity` its dry run finds exactly the
//! defects expected.json locates in that layout (rule, table, file, line, column, element path),
//! and no other; the defects it cannot carry say why; every table holds the rows expected.json
//! gives for the layout; the clean return loads into the same table contents as its CSV files.
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::super::common::{
    EPOCH, SSDA903_TABLES, assert_balanced, bin, count, dry_run_json_with, findings, ledger,
    open_db, table_rows,
};
use super::{AS_AT, Place, generate};

const DFE_MAPPINGS: &str = "mappings/ssda903-dfexml";
const CSV_MAPPINGS: &str = "mappings/ssda903";

fn text(v: &serde_json::Value) -> String {
    v.as_str()
        .unwrap_or_else(|| panic!("a string: {v}"))
        .to_string()
}

/// `migrate --allow-findings` of `input` through `mappings` into `dir/name.db`, which exits with
/// `code` (1 when the return has error findings, the database written anyway).
fn load(mappings: &str, input: &Path, dir: &Path, name: &str, code: i32) -> PathBuf {
    let db = dir.join(format!("{name}.db"));
    bin()
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .args(["-q", "migrate", "--allow-findings", "--mappings", mappings])
        .arg("--input")
        .arg(input)
        .args(["--as-at", AS_AT, "--out"])
        .arg(&db)
        .assert()
        .code(code);
    db
}

#[test]
fn generated_903_dfe_xml_dry_run_finds_exactly_the_defects_the_layout_carries() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let exp = generate(tmp.path(), &["--defects", "integrity"]);
    let dir = tmp.path().join("dfe-xml");
    let (code, json) = dry_run_json_with(DFE_MAPPINGS, &dir, &["--as-at", AS_AT]);
    assert_eq!(code, 1, "{json}");
    assert_balanced(&json);
    let found: Vec<Place> = json["findings"]
        .as_array()
        .expect("findings[]")
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or("").to_string();
            let at = (
                f["line"].as_i64().unwrap_or(0),
                f["col"].as_i64().unwrap_or(0),
            );
            (s("rule"), s("entity"), s("file"), at, s("sheet"))
        })
        .collect();
    let mut want = BTreeSet::new();
    let mut absent = BTreeSet::new();
    for d in exp["defects"].as_array().expect("defects[]") {
        let at = &d["dfe_xml"];
        if at.is_null() {
            assert!(!text(&d["dfe_xml_absent"]).is_empty(), "a reason: {d}");
            absent.insert(d["validator"].as_str().unwrap_or("").to_string());
            continue;
        }
        assert!(d.get("dfe_xml_absent").is_none(), "{d}");
        let file = text(&at["file"]);
        assert_eq!(file, "dfe-xml/ssda903.xml");
        let name = file.rsplit('/').next().expect("a name").to_string();
        let line = at["line"].as_i64().expect("a line");
        let col = at["col"].as_i64().expect("a column");
        want.insert((
            text(&d["rule"]),
            text(&d["table"]),
            name,
            (line, col),
            text(&at["path"]),
        ));
    }
    assert_eq!(found.len(), want.len(), "one finding per carried defect");
    assert_eq!(found.into_iter().collect::<BTreeSet<_>>(), want);
    // What the layout cannot hold: orphans, disagreements, social-worker episodes, and a second
    // UASC, OC3 or AD1 record (HEADER items).
    let mut cannot: BTreeSet<String> = (1..=9).map(|n| format!("INT0{n}")).collect();
    cannot.extend((11..=18).chain([21, 31, 34, 36]).map(|n| format!("INT{n}")));
    cannot.insert(String::new());
    assert_eq!(absent, cannot);
    // Each record-holding element's ledger line, and every table's rows once loaded.
    let db = load(DFE_MAPPINGS, &dir, tmp.path(), "dfe", 1);
    let conn = open_db(&db);
    // The database holds the same places, line and column, as the dry run's findings.
    let stored = super::stored_places(&db);
    assert_eq!(stored, want);
    for t in exp["tables"].as_array().expect("tables[]") {
        let table = text(&t["table"]);
        let dfe = &t["dfe_xml"];
        if dfe.is_null() {
            assert_eq!(table, "sw_episodes");
            assert_eq!(count(&conn, "SELECT COUNT(*) FROM sw_episodes"), 0);
            continue;
        }
        let (rows, kept) = (
            dfe["rows"].as_i64().expect("rows"),
            dfe["transferred"].as_i64().expect("transferred"),
        );
        let loaded = count(&conn, &format!("SELECT COUNT(*) FROM {table}"));
        assert_eq!(loaded, kept, "{table}");
        if !matches!(table.as_str(), "uasc" | "oc3" | "ad1") {
            assert_eq!(
                ledger(&json, &table),
                [rows, kept, 0, rows - kept],
                "{table}"
            );
        }
    }
}

#[test]
fn generated_903_dfe_xml_clean_return_loads_the_tables_its_csv_files_give() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let exp = generate(&tmp.path().join("return"), &[]);
    let dir = tmp.path().join("return/dfe-xml");
    let (code, json) = dry_run_json_with(DFE_MAPPINGS, &dir, &["--as-at", AS_AT]);
    assert_eq!(code, 0, "{json}");
    assert_eq!(findings(&json), Vec::new());
    let xml = load(DFE_MAPPINGS, &dir, tmp.path(), "dfe", 0);
    let csv = load(
        CSV_MAPPINGS,
        &tmp.path().join("return/csv"),
        tmp.path(),
        "csv",
        0,
    );
    // Every table but the social-worker episodes, which the layout has no element for.
    for table in SSDA903_TABLES.iter().filter(|t| **t != "sw_episodes") {
        let from_csv = table_rows(&csv, table);
        assert!(!from_csv.is_empty(), "the return has {table} rows");
        assert_eq!(table_rows(&xml, table).len(), from_csv.len(), "{table}");
        assert!(table_rows(&xml, table) == from_csv, "{table} differs");
    }
    // A clean return loses nothing but the social-worker episodes to the layout.
    for t in exp["tables"].as_array().expect("tables[]") {
        if let Some(rows) = t["dfe_xml"]["rows"].as_i64() {
            assert_eq!(Some(rows), t["rows"].as_i64(), "{t}");
        }
    }
}
