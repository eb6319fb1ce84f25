//! The SSDA903 return in the XML form councils' systems write for the DfE, `<EXPSSDA903>` (#12):
//! every child's tables nested in its HEADER (reviews, missing episodes, previous permanence, OC2,
//! placements for adoption; the UASC, OC3 and AD1 items as HEADER elements), its episodes beside
//! it. mappings/ssda903-dfexml reads it into the same database the CSV files give;
//! fixtures/ssda903/dfe-xml is the clean CSV fixture written by fixtures/ssda903/csv_to_dfe_xml.py.
use super::common::{
    SSDA903_TABLES, assert_balanced, bin, dry_run_json, findings, ledger, migrate_db, repo,
    table_rows,
};

const DFE_XML: &str = "mappings/ssda903-dfexml";
const CSV_MAPPINGS: &str = "mappings/ssda903";
const CLEAN_DFE: &str = "fixtures/ssda903/dfe-xml/2017-03-31";
const CLEAN_CSV: &str = "fixtures/ssda903/clean/2017-03-31";
/// A copy of the clean DfE-layout fixture with its XML edited.
fn edited(edit: impl Fn(&str) -> String) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("2017-03-31");
    std::fs::create_dir_all(&dir).expect("folder");
    let text = std::fs::read_to_string(repo(CLEAN_DFE).join("return.xml")).expect("fixture");
    std::fs::write(dir.join("return.xml"), edit(&text)).expect("write");
    tmp
}

#[test]
fn the_dfe_xml_return_loads_into_the_database_the_csv_files_give() {
    let (code, json) = dry_run_json(repo(DFE_XML), repo(CLEAN_DFE));
    assert_eq!(code, 0, "{json:#}");
    assert_balanced(&json);
    assert!(findings(&json).is_empty(), "{json:#}");
    let tmp = tempfile::tempdir().expect("tmp");
    let xml = migrate_db(DFE_XML, &repo(CLEAN_DFE), tmp.path(), "xml");
    let csv = migrate_db(CSV_MAPPINGS, &repo(CLEAN_CSV), tmp.path(), "csv");
    // Every table but the social-worker episodes, which the XML form has no element for.
    for table in SSDA903_TABLES.iter().filter(|t| **t != "sw_episodes") {
        let from_csv = table_rows(&csv, table);
        assert!(!from_csv.is_empty(), "the fixture has {table} rows");
        assert_eq!(table_rows(&xml, table), from_csv, "{table}");
    }
    // One HEADER feeds the header, UASC, OC3 and AD1 tables: all its rows count once, as header.
    assert_eq!(
        ledger(&json, "header")[1],
        table_rows(&xml, "header").len() as i64
    );
}

#[test]
fn a_bad_code_is_found_at_the_line_of_its_record_under_its_element_path() {
    // The second EPISODE of the file gets a placement type no year's list holds.
    let text = std::fs::read_to_string(repo(CLEAN_DFE).join("return.xml")).expect("fixture");
    let (line, col) = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.trim() == "<EPISODE>")
        .nth(1)
        .map(|(i, l)| (i as i64 + 1, l.find('<').expect("a tag") as i64 + 1))
        .expect("two episodes");
    let tmp = edited(|t| {
        let mut out: Vec<String> = t.lines().map(str::to_string).collect();
        let pl = (line as usize..out.len())
            .find(|&i| out[i].trim().starts_with("<PL>"))
            .expect("a PL");
        out[pl] = "      <PL>QQ9</PL>".to_string();
        out.join("\n") + "\n"
    });
    let (code, json) = dry_run_json(repo(DFE_XML), tmp.path().join("2017-03-31"));
    assert_eq!(code, 1, "{json:#}");
    let f = &json["findings"][0];
    assert_eq!(f["rule"], "HO-COD-002", "{json:#}");
    assert_eq!(f["entity"], "episodes");
    assert_eq!(f["file"], "return.xml");
    assert_eq!(f["sheet"], "EXPSSDA903/CHILD/EPISODE");
    assert_eq!(f["line"], line);
    assert_eq!(f["col"], col, "the column of the EPISODE's `<`");
    assert_eq!(f["column"], "PL");
}

#[test]
fn a_return_on_one_line_is_refused_naming_the_line_and_column_and_the_remedy() {
    // The validator's own sample is one line: records cannot be told apart by their line.
    let tmp = edited(|t| {
        let mut lines = t.lines();
        let decl = lines.next().expect("declaration");
        format!("{decl}\n{}\n", lines.map(str::trim).collect::<String>())
    });
    let out = bin()
        .args(["migrate", "--dry-run", "--mappings"])
        .arg(repo(DFE_XML))
        .arg("--input")
        .arg(tmp.path().join("2017-03-31"))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("return.xml:2:")
            && stderr.contains("a second `EXPSSDA903/CHILD/")
            && stderr.contains("xmllint --format"),
        "{stderr}"
    );
}
