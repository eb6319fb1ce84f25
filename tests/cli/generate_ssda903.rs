//! `handover generate --return ssda903` (#12): the synthetic 2016-17 SSDA903 return of the
//! Sunderland population, whose ground truth (expected.json) the shipped 903 mapping set must
//! find exactly: with `--defects integrity`, one finding per injected defect (rule, table, file,
//! line) and no other; clean, no finding and every row transferred; loaded and exported, the same
//! files byte for byte; the XML form, the same records as the CSV files, each defect's XML line
//! on its record's start tag; the DfE's XML layout, exactly the defects it can carry
//! (generate_ssda903/dfe_xml.rs).
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::common::{assert_balanced, bin, dry_run_json_with, findings, ledger, open_db};

const MAPPINGS: &str = "mappings/ssda903";
pub(crate) const AS_AT: &str = "2017-03-31";

/// `handover generate --return ssda903 --as-at AS_AT --out DIR EXTRA...`, which must succeed.
pub(crate) fn generate(dir: &Path, extra: &[&str]) -> serde_json::Value {
    bin()
        .args([
            "generate", "--quiet", "--return", "ssda903", "--as-at", AS_AT,
        ])
        .arg("--out")
        .arg(dir)
        .args(extra)
        .assert()
        .success();
    let text = std::fs::read_to_string(dir.join("expected.json")).expect("expected.json");
    serde_json::from_str(&text).expect("expected.json is JSON")
}

fn text(v: &serde_json::Value) -> String {
    v.as_str().expect("a string").to_string()
}

/// A dry run of the CSV form with JSON output, which must balance.
fn dry_run(dir: &Path) -> (i32, serde_json::Value) {
    let (code, json) = dry_run_json_with(MAPPINGS, dir.join("csv"), &["--as-at", AS_AT]);
    assert_balanced(&json);
    (code, json)
}

/// expected.json's tables: name -> (CSV file, rows, transferred).
fn tables(exp: &serde_json::Value) -> Vec<(String, String, i64, i64)> {
    exp["tables"]
        .as_array()
        .expect("tables[]")
        .iter()
        .map(|t| {
            let n = |k: &str| t[k].as_i64().expect("a count");
            (
                text(&t["table"]),
                text(&t["csv"]),
                n("rows"),
                n("transferred"),
            )
        })
        .collect()
}

/// Data lines of a generated file, counted from the file itself.
fn data_lines(path: &Path) -> i64 {
    let text = std::fs::read_to_string(path).expect("a CSV");
    text.lines().count() as i64 - 1
}

#[test]
fn generated_903_return_dry_run_finds_exactly_the_injected_defects() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let exp = generate(tmp.path(), &["--defects", "integrity"]);
    let (code, json) = dry_run(tmp.path());
    assert_eq!(code, 1, "the return has error findings");
    let defects = exp["defects"].as_array().expect("defects[]");
    let want: BTreeSet<(String, String, String, i64)> = defects
        .iter()
        .map(|d| {
            let file = text(&d["csv"]["file"]);
            let file = file.strip_prefix("csv/").expect("under csv/").to_string();
            let line = d["csv"]["line"].as_i64().expect("a line");
            (text(&d["rule"]), text(&d["table"]), file, line)
        })
        .collect();
    let found = findings(&json);
    assert_eq!(
        found.len(),
        defects.len(),
        "one finding per defect: {found:?}"
    );
    assert_eq!(found.into_iter().collect::<BTreeSet<_>>(), want);
    // One defect per integrity rule of the schema, each in a different child.
    let children: BTreeSet<String> = defects.iter().map(|d| text(&d["child"])).collect();
    assert_eq!(
        children.len(),
        defects.len(),
        "each defect in its own child"
    );
    let codes: BTreeSet<String> = defects
        .iter()
        .map(|d| {
            d["validator"]
                .as_str()
                .unwrap_or(d["rule"].as_str().expect("rule"))
                .to_string()
        })
        .collect();
    let mut rules: Vec<String> = (1..=9).map(|n| format!("INT0{n}")).collect();
    rules.extend(
        (11..=18)
            .chain([21])
            .chain(31..=36)
            .map(|n| format!("INT{n}")),
    );
    rules.extend(["EPI", "903-INTSW1", "903-INTSW2"].map(String::from));
    assert_eq!(codes, rules.into_iter().collect::<BTreeSet<_>>());
    // Orphans and repeats are rejected; every other row transfers.
    for (table, _, rows, transferred) in tables(&exp) {
        assert_eq!(
            ledger(&json, &table),
            [rows, transferred, 0, rows - transferred],
            "{table}"
        );
    }
}

#[test]
fn generated_903_clean_return_has_no_finding_and_every_row_transfers() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let exp = generate(tmp.path(), &[]);
    assert_eq!(exp["defects"].as_array().expect("defects[]").len(), 0);
    assert_eq!(exp["collection_year"], "2016-17");
    let (code, json) = dry_run(tmp.path());
    assert_eq!(code, 0, "{json}");
    assert_eq!(findings(&json), Vec::new());
    for (table, file, rows, transferred) in tables(&exp) {
        assert!(rows > 0, "{table} has rows");
        assert_eq!(rows, transferred, "{table}");
        assert_eq!(data_lines(&tmp.path().join(&file)), rows, "{file}");
        assert_eq!(ledger(&json, &table), [rows, rows, 0, 0], "{table}");
    }
}

#[test]
fn generated_903_return_holds_the_children_placements_xlsx_holds() {
    // The return is a control on what transfers: one episode per placement of the Sunderland
    // export of the same date (fixtures/sunderland/2017-03-31, which `generate` writes byte for
    // byte), on the same day, and one header row per child placed.
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let exp = generate(tmp.path(), &[]);
    let conn = open_db(&super::common::sunderland(AS_AT));
    let mut stmt = conn
        .prepare("SELECT child_id, start_date FROM placements")
        .expect("placements");
    let placements: BTreeSet<(String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    let mut reader = csv::Reader::from_path(tmp.path().join("csv/episodes.csv")).expect("CSV");
    let episodes: BTreeSet<(String, String)> = reader
        .records()
        .map(|r| {
            let r = r.expect("a record");
            let d = &r[1];
            (
                r[0].to_string(),
                format!("{}-{}-{}", &d[6..10], &d[3..5], &d[0..2]),
            )
        })
        .collect();
    assert_eq!(episodes, placements);
    let children: BTreeSet<&String> = placements.iter().map(|p| &p.0).collect();
    let rows: BTreeMap<String, i64> = tables(&exp).into_iter().map(|t| (t.0, t.2)).collect();
    assert_eq!(rows["header"], children.len() as i64);
    assert_eq!(rows["episodes"], placements.len() as i64);
}

#[test]
fn generated_903_return_round_trips_byte_for_byte() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let exp = generate(&tmp.path().join("return"), &[]);
    let db = tmp.path().join("return.db");
    bin()
        .args(["-q", "migrate", "--mappings", MAPPINGS, "--input"])
        .arg(tmp.path().join("return/csv"))
        .args(["--as-at", AS_AT, "--out"])
        .arg(&db)
        .assert()
        .code(0);
    let out = tmp.path().join("export");
    bin()
        .arg("export")
        .arg(&db)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(0);
    // The generator writes what the export writes: the DfE's columns, rows in key order, CRLF,
    // dates as dd/mm/yyyy, codes in upper case. So the files come back byte for byte.
    for (table, file, rows, _) in tables(&exp) {
        let name = file.strip_prefix("csv/").expect("under csv/");
        let written = std::fs::read(tmp.path().join("return").join(&file)).expect("generated");
        let exported = std::fs::read(out.join(name)).expect("exported");
        assert_eq!(data_lines(&out.join(name)), rows, "{table}");
        assert!(written == exported, "{name} differs after the round trip");
    }
}

#[test]
fn generated_903_return_is_deterministic() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let args = ["--defects", "integrity", "--seed", "7"];
    generate(&tmp.path().join("a"), &args);
    generate(&tmp.path().join("b"), &args);
    let files = [
        "expected.json",
        "xml/ssda903.xml",
        "dfe-xml/ssda903.xml",
        "csv/header.csv",
        "csv/episodes.csv",
        "csv/reviews.csv",
        "csv/uasc.csv",
        "csv/oc2.csv",
        "csv/oc3.csv",
        "csv/ad1.csv",
        "csv/placed_for_adoption.csv",
        "csv/previous_permanence.csv",
        "csv/missing.csv",
        "csv/sw_episodes.csv",
    ];
    for f in files {
        let a = std::fs::read(tmp.path().join("a").join(f)).expect("first run");
        let b = std::fs::read(tmp.path().join("b").join(f)).expect("second run");
        assert!(a == b, "{f} differs between two runs");
    }
    // Another seed draws other values but places every defect.
    let other = generate(&tmp.path().join("c"), &["--defects", "integrity"]);
    let a = std::fs::read(tmp.path().join("a/csv/header.csv")).expect("seed 7");
    let c = std::fs::read(tmp.path().join("c/csv/header.csv")).expect("seed 394");
    assert!(a != c, "the seed changes the draw");
    assert_eq!(other["defects"].as_array().expect("defects[]").len(), 27);
}

#[test]
fn generated_903_return_for_a_later_year_uses_that_years_codes() {
    // The 2022-23 return: care leavers' activities F3/P3 gave way to F4/F5/P4/P5.
    let tmp = tempfile::tempdir().expect("a temporary folder");
    bin()
        .args([
            "generate",
            "--quiet",
            "--return",
            "ssda903",
            "--as-at",
            "2023-03-31",
        ])
        .arg("--out")
        .arg(tmp.path())
        .assert()
        .success();
    let (code, json) =
        dry_run_json_with(MAPPINGS, tmp.path().join("csv"), &["--as-at", "2023-03-31"]);
    assert_eq!(code, 0, "{json}");
    assert_eq!(findings(&json), Vec::new());
    let oc3 = std::fs::read_to_string(tmp.path().join("csv/oc3.csv")).expect("oc3.csv");
    assert!(oc3.contains(",F5,") && !oc3.contains(",F3,"), "{oc3}");
}

#[test]
fn generate_903_refuses_a_date_that_ends_no_collection_year() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let out = bin()
        .args([
            "generate",
            "--return",
            "ssda903",
            "--as-at",
            "2017-01-31",
            "--out",
        ])
        .arg(tmp.path())
        .output()
        .expect("run handover generate");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("give a 31 March from 2017 to 2024"),
        "{stderr}"
    );
    // --defects belongs to a return.
    let out = bin()
        .args([
            "generate",
            "--as-at",
            AS_AT,
            "--defects",
            "integrity",
            "--out",
        ])
        .arg(tmp.path())
        .output()
        .expect("run handover generate");
    assert_eq!(out.status.code(), Some(2));
}

/// A finding's (rule, table, file name, (line, column of the record's `<`), element path).
type Place = (String, String, String, (i64, i64), String);

/// The places of the findings `handover_finding` holds in the database at `db`.
fn stored_places(db: &Path) -> BTreeSet<Place> {
    open_db(db)
        .prepare("SELECT rule, entity, file, line, col, sheet FROM handover_finding")
        .expect("handover_finding")
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                (r.get(3)?, r.get(4)?),
                r.get(5)?,
            ))
        })
        .expect("query")
        .map(|r| r.expect("a finding with a line and a column"))
        .collect()
}

#[path = "generate_ssda903/xml.rs"]
mod xml;

#[path = "generate_ssda903/dfe_xml.rs"]
mod dfe_xml;
