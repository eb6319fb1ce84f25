//! The SSDA903 return in its XML form (#12): read through mappings/ssda903-xml into the same
//! database as the CSV files give, with the same findings located by element path and line, and
//! written back by `handover export --format xml` byte for byte. fixtures/ssda903/clean-xml and
//! broken-xml are the CSV fixtures written by fixtures/ssda903/csv_to_xml.py.
use std::collections::BTreeMap;
use std::path::Path;

use super::common::{
    SSDA903_TABLES, assert_balanced, bin, copy_dir, dry_run_json, ledger, migrate_db, repo,
    table_rows,
};

const XML_MAPPINGS: &str = "mappings/ssda903-xml";
const CSV_MAPPINGS: &str = "mappings/ssda903";
const CLEAN_XML: &str = "fixtures/ssda903/clean-xml/2017-03-31";
const CLEAN_CSV: &str = "fixtures/ssda903/clean/2017-03-31";
const BROKEN_XML: &str = "fixtures/ssda903/broken-xml/2017-03-31";
const BROKEN_CSV: &str = "fixtures/ssda903/broken/2017-03-31";

/// Every row of every return table, as text, in a stable order.
fn contents(db: &Path) -> BTreeMap<&'static str, Vec<String>> {
    SSDA903_TABLES
        .iter()
        .map(|t| (*t, table_rows(db, t)))
        .collect()
}

/// `handover export DB --out OUT --format xml --layout handover` (handover's own layout; the
/// schema's first is the DfE's), which must succeed; the file's bytes.
fn export_xml(db: &Path, out: &Path) -> Vec<u8> {
    let run = bin()
        .arg("export")
        .arg(db)
        .arg("--out")
        .arg(out)
        .args(["--format", "xml", "--layout", "handover"])
        .output()
        .expect("export");
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    std::fs::read(out.join("ssda903.xml")).expect("the XML file")
}

#[test]
fn the_xml_return_loads_clean_into_the_database_the_csv_files_give() {
    let (code, json) = dry_run_json(repo(XML_MAPPINGS), repo(CLEAN_XML));
    assert_eq!(code, 0, "{json}");
    assert_balanced(&json);
    assert_eq!(json["findings"], serde_json::json!([]));
    assert_eq!(ledger(&json, "episodes"), [7, 7, 0, 0]);
    assert_eq!(ledger(&json, "header"), [6, 6, 0, 0]);
    let tmp = tempfile::tempdir().expect("tmp");
    let from_xml = migrate_db(XML_MAPPINGS, &repo(CLEAN_XML), tmp.path(), "xml");
    let from_csv = migrate_db(CSV_MAPPINGS, &repo(CLEAN_CSV), tmp.path(), "csv");
    let (xml, csv) = (contents(&from_xml), contents(&from_csv));
    assert_eq!(xml["episodes"].len(), 7);
    assert_eq!(xml, csv);
}

/// XML in, database, XML out: the same bytes (docs/ssda903.md: the fixture is written as the
/// export writes, so the normalisations the docs name leave it unchanged). The CSV form of the
/// same return exports to the same XML.
#[test]
fn the_xml_return_round_trips_byte_for_byte() {
    let tmp = tempfile::tempdir().expect("tmp");
    let db = migrate_db(XML_MAPPINGS, &repo(CLEAN_XML), tmp.path(), "xml");
    let written = export_xml(&db, &tmp.path().join("out"));
    let input = std::fs::read(repo(CLEAN_XML).join("return.xml")).expect("fixture");
    assert_eq!(
        String::from_utf8_lossy(&written),
        String::from_utf8_lossy(&input)
    );
    let db = migrate_db(CSV_MAPPINGS, &repo(CLEAN_CSV), tmp.path(), "csv");
    assert_eq!(export_xml(&db, &tmp.path().join("from-csv")), input);
}

/// (rule, entity) of every finding of a dry run, sorted.
fn rules(json: &serde_json::Value) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = json["findings"]
        .as_array()
        .expect("findings[]")
        .iter()
        .map(|f| (f["rule"].to_string(), f["entity"].to_string()))
        .collect();
    out.sort();
    out
}

/// The record element of each entity, as the 903 XML form names it.
fn element(entity: &str) -> &'static str {
    let i = SSDA903_TABLES
        .iter()
        .position(|t| *t == entity)
        .expect(entity);
    [
        "HEADER",
        "EPISODE",
        "REVIEW",
        "UASC",
        "OC2",
        "OC3",
        "AD1",
        "PLACED_ADOPTION",
        "PREV_PERM",
        "MISSING",
        "SW_EPISODE",
    ][i]
}

#[test]
fn the_broken_xml_return_gives_the_csv_findings_located_by_element_and_line() {
    let (code, xml) = dry_run_json(repo(XML_MAPPINGS), repo(BROKEN_XML));
    assert_eq!(code, 1, "{xml}");
    assert_balanced(&xml);
    let (_, csv) = dry_run_json(repo(CSV_MAPPINGS), repo(BROKEN_CSV));
    assert_eq!(rules(&xml), rules(&csv));
    assert_eq!(rules(&xml).len(), 46);
    let text = std::fs::read_to_string(repo(BROKEN_XML).join("return.xml")).expect("fixture");
    let lines: Vec<&str> = text.lines().collect();
    for f in xml["findings"].as_array().expect("findings[]") {
        let entity = f["entity"].as_str().expect("entity");
        let el = element(entity);
        assert_eq!(f["file"], "return.xml", "{f}");
        assert_eq!(f["sheet"], format!("EXPSSDA903/CHILD/{el}"), "{f}");
        let line = f["line"].as_u64().expect("line") as usize;
        assert_eq!(lines[line - 1], format!("    <{el}>"), "{f}");
    }
    // The HEADERs that stand for a child with no header row are kept out by the mapping's scope
    // rule, so that 903-INT01..09 fire on the child's records as on the CSV files.
    assert_eq!(
        xml["exclusions"],
        serde_json::json!([{
            "entity": "header",
            "reason": "a HEADER holding only CHILDID: the child has records but no header record",
            "rows": 9
        }])
    );
    let int03 = xml["findings"]
        .as_array()
        .expect("findings[]")
        .iter()
        .find(|f| f["rule"] == "903-INT03")
        .expect("903-INT03");
    let line = int03["line"].as_u64().expect("line") as usize;
    assert!(
        lines[line - 3].contains("<CHILDID>C099</CHILDID>"),
        "the orphan episode follows its CHILDID-only HEADER: {int03}"
    );
}

/// A copy of the clean XML return with `edit` applied to its text.
fn edited(edit: impl Fn(&str) -> String) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("2017-03-31");
    copy_dir(&repo(CLEAN_XML), &dir);
    let path = dir.join("return.xml");
    let text = std::fs::read_to_string(&path).expect("fixture");
    std::fs::write(&path, edit(&text)).expect("write");
    tmp
}

#[test]
fn an_element_no_column_reads_and_a_repeated_element_are_findings_with_path_and_line() {
    let tmp = edited(|text| {
        text.replacen(
            "      <RNE>P</RNE>\n",
            "      <RNE>P</RNE>\n      <RNE>B</RNE>\n",
            1,
        )
        .replacen(
            "      <REVIEW_CODE>PN1</REVIEW_CODE>\n",
            "      <REVIEW_CODE>PN1</REVIEW_CODE>\n      <NOTE>x</NOTE>\n",
            1,
        )
    });
    let (code, json) = dry_run_json(repo(XML_MAPPINGS), tmp.path().join("2017-03-31"));
    assert_eq!(code, 1, "{json}");
    assert_balanced(&json);
    let text = std::fs::read_to_string(tmp.path().join("2017-03-31/return.xml")).expect("xml");
    let line_of =
        |needle: &str| -> u64 { text.lines().position(|l| l == needle).expect(needle) as u64 + 1 };
    // The episode with two RNE elements starts two lines above the second RNE.
    let episode = line_of("      <RNE>B</RNE>") - 3;
    assert_eq!(
        text.lines().nth(episode as usize - 1),
        Some("    <EPISODE>")
    );
    let found: Vec<(String, String, String, u64, String)> = json["findings"]
        .as_array()
        .expect("findings[]")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or("").to_string(),
                f["sheet"].as_str().unwrap_or("").to_string(),
                f["file"].as_str().unwrap_or("").to_string(),
                f["line"].as_u64().unwrap_or(0),
                f["column"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let s = |x: &str| x.to_string();
    assert_eq!(
        found,
        [
            (
                s("HO-SRC-005"),
                s("EXPSSDA903/CHILD/EPISODE"),
                s("return.xml"),
                episode,
                s("RNE")
            ),
            (
                s("HO-COL-001"),
                s("EXPSSDA903/CHILD/REVIEW"),
                s("return.xml"),
                line_of("      <NOTE>x</NOTE>"),
                s("NOTE")
            ),
        ]
    );
    assert_eq!(
        ledger(&json, "episodes"),
        [7, 6, 0, 1],
        "the row is rejected"
    );
}

#[test]
fn an_xml_file_that_is_not_well_formed_stops_the_run_with_file_line_and_column() {
    let tmp = edited(|text| text.replacen("</DECOM>", "</DECO>", 1));
    let out = super::common::migrate(repo(XML_MAPPINGS), tmp.path().join("2017-03-31"))
        .arg("--dry-run")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("return.xml:14:") && stderr.contains("malformed XML"),
        "{stderr}"
    );
}

#[test]
fn export_as_xml_needs_the_layout_in_the_schema() {
    let tmp = tempfile::tempdir().expect("tmp");
    let schema = tmp.path().join("schema");
    copy_dir(&repo("mappings/companies/ssda903"), &schema);
    let company = schema.join("company.toml");
    let text = std::fs::read_to_string(&company).expect("company.toml");
    let cut = text.replace(
        "[[export.xml.record]]\ntable = \"sw_episodes\"\nelement = \"SW_EPISODE\"\n",
        "",
    );
    std::fs::write(&company, cut).expect("write");
    let db = migrate_db(XML_MAPPINGS, &repo(CLEAN_XML), tmp.path(), "xml");
    let out = bin()
        .arg("export")
        .arg(&db)
        .arg("--out")
        .arg(tmp.path().join("out"))
        .arg("--schema")
        .arg(&schema)
        .args(["--format", "xml"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("must write table `sw_episodes` once"),
        "{stderr}"
    );
    let out = bin()
        .arg("export")
        .arg(&db)
        .arg("--out")
        .arg(tmp.path().join("out2"))
        .arg("--schema")
        .arg(repo("fixtures/second_company/schema"))
        .args(["--format", "xml"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("declares no XML layout"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn an_xml_source_without_a_record_path_is_a_mapping_error() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("m");
    copy_dir(&repo(XML_MAPPINGS), &dir);
    let path = dir.join("oc3.toml");
    let text = std::fs::read_to_string(&path).expect("oc3.toml");
    std::fs::write(
        &path,
        text.replace("record = \"EXPSSDA903/CHILD/OC3\"\n", ""),
    )
    .expect("write");
    std::fs::write(
        dir.join("company.toml"),
        format!(
            "[schema]\nfolder = {:?}\n",
            repo("mappings/companies/ssda903").to_string_lossy()
        ),
    )
    .expect("write");
    let out = bin()
        .args(["validate", "--mappings"])
        .arg(&dir)
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(1),
        "validate's exit for a mapping error"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("oc3.toml") && stdout.contains("an XML file is read by records"),
        "{stdout}"
    );
}
