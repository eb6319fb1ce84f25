//! The SSDA903 return in its XML form (#12): read through mappings/ssda903-xml into the same
//! database as the CSV files give, with the same findings located by element path and line, and
//! written back by `handover export --format xml` byte for byte. fixtures/ssda903/clean-xml and
//! broken-xml are the CSV fixtures written by fixtures/ssda903/csv_to_xml.py.
use std::collections::BTreeMap;
use std::path::Path;

use super::common::{
    SSDA903_TABLES, assert_balanced, bin, copy_dir, dry_run_json, ledger, migrate_db, open_db,
    repo, report, table_rows,
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

/// The 1-based column, in characters, where `tag` starts in `line`.
fn col_of(line: &str, tag: &str) -> u64 {
    let at = line
        .find(tag)
        .unwrap_or_else(|| panic!("{tag} in {line:?}"));
    line[..at].chars().count() as u64 + 1
}

/// (rule, entity, line, col) of every finding, from the dry run's JSON, sorted.
fn places(json: &serde_json::Value) -> Vec<(String, String, u64, u64)> {
    let mut out: Vec<_> = json["findings"]
        .as_array()
        .expect("findings[]")
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or("").to_string();
            let n = |k: &str| f[k].as_u64().unwrap_or_else(|| panic!("{k}: {f}"));
            (s("rule"), s("entity"), n("line"), n("col"))
        })
        .collect();
    out.sort();
    out
}

/// (rule, entity, line, col) of every finding in `handover_finding`, sorted.
fn stored_places(db: &Path) -> Vec<(String, String, u64, u64)> {
    let conn = open_db(db);
    let mut stmt = conn
        .prepare("SELECT rule, entity, line, col FROM handover_finding")
        .expect("handover_finding");
    let mut out: Vec<(String, String, u64, u64)> = stmt
        .query_map([], |r| {
            let (line, col): (i64, i64) = (r.get(2)?, r.get(3)?);
            Ok((r.get(0)?, r.get(1)?, line as u64, col as u64))
        })
        .expect("query")
        .map(|r| r.expect("a finding with a line and a column"))
        .collect();
    out.sort();
    out
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
        // The column is the record's `<`, at load (HO-DUP-001) and after it (903-INT..) alike.
        let col = f["col"].as_u64().expect("col");
        assert_eq!(col, col_of(lines[line - 1], &format!("<{el}>")), "{f}");
    }
    // The database holds the same places.
    let tmp = tempfile::tempdir().expect("tmp");
    let db = migrate_db(XML_MAPPINGS, &repo(BROKEN_XML), tmp.path(), "broken");
    assert_eq!(stored_places(&db), places(&xml));
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
    // CSV findings have no column.
    assert!(
        csv["findings"]
            .as_array()
            .expect("findings[]")
            .iter()
            .all(|f| f["col"].is_null()),
        "{csv}"
    );
}

/// The broken return written on one line (after the declaration), as many systems write XML:
/// the same rows, ledger and findings, post-load ones (903-INT..) included, each placed at line 2
/// and the column of its own record's `<`.
#[test]
fn the_broken_xml_return_on_one_line_gives_the_same_findings_each_at_its_records_column() {
    let (_, pretty) = dry_run_json(repo(XML_MAPPINGS), repo(BROKEN_XML));
    let text = std::fs::read_to_string(repo(BROKEN_XML).join("return.xml")).expect("fixture");
    let mut lines = text.lines();
    let decl = lines.next().expect("declaration");
    let body: String = lines.map(str::trim).collect();
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("2017-03-31");
    std::fs::create_dir_all(&dir).expect("folder");
    std::fs::write(dir.join("return.xml"), format!("{decl}\n{body}\n")).expect("write");
    let (code, one) = dry_run_json(repo(XML_MAPPINGS), &dir);
    assert_eq!(code, 1, "{one}");
    assert_balanced(&one);
    assert_eq!(one["entities"], pretty["entities"], "the same ledger");
    assert_eq!(rules(&one), rules(&pretty));
    let keyed = |json: &serde_json::Value| {
        let mut k: Vec<String> = json["findings"]
            .as_array()
            .expect("findings[]")
            .iter()
            .map(|f| format!("{} {} {}", f["rule"], f["entity"], f["key"]))
            .collect();
        k.sort();
        k
    };
    assert_eq!(keyed(&one), keyed(&pretty));
    // Each finding's record, found by its column on line 2: the element the path names.
    for f in one["findings"].as_array().expect("findings[]") {
        assert_eq!(f["line"], 2, "{f}");
        let col = f["col"].as_u64().expect("col") as usize;
        let el = element(f["entity"].as_str().expect("entity"));
        let at: String = body.chars().skip(col - 1).take(el.len() + 2).collect();
        assert_eq!(at, format!("<{el}>"), "{f}");
    }
}

/// Every format of the report, and the terminal summary of `migrate`, locate an XML finding as
/// `file [record path]:line:col`; findings.csv has it in its `line` and `col` columns.
#[test]
fn reports_and_the_terminal_show_file_path_line_and_column() {
    let tmp = tempfile::tempdir().expect("tmp");
    let db = migrate_db(XML_MAPPINGS, &repo(BROKEN_XML), tmp.path(), "broken");
    let (_, json) = dry_run_json(repo(XML_MAPPINGS), repo(BROKEN_XML));
    let int03 = json["findings"]
        .as_array()
        .expect("findings[]")
        .iter()
        .find(|f| f["rule"] == "903-INT03")
        .expect("903-INT03");
    let (line, col) = (
        int03["line"].as_u64().unwrap(),
        int03["col"].as_u64().unwrap(),
    );
    let at = format!("return.xml [EXPSSDA903/CHILD/EPISODE]:{line}:{col}");
    let md = String::from_utf8(report(&db, "md", &[])).expect("text");
    assert!(md.contains(&at), "markdown lacks {at}");
    // HTML keeps each word of a place whole (a span each): the path and place are one word.
    let html = String::from_utf8(report(&db, "html", &[])).expect("text");
    let word = format!("[EXPSSDA903/CHILD/EPISODE]:{line}:{col}<");
    assert!(html.contains(&word), "HTML lacks {word}");
    let terminal = bin()
        .args([
            "migrate",
            "--dry-run",
            "--mappings",
            XML_MAPPINGS,
            "--input",
        ])
        .arg(repo(BROKEN_XML))
        .env("COLUMNS", "200")
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&terminal.stdout);
    assert!(stdout.contains(&at), "{stdout}");
    let json = report(&db, "json", &[]);
    let json: serde_json::Value = serde_json::from_slice(&json).expect("JSON");
    assert_eq!(places(&json), stored_places(&db));
    let csv = report(&db, "csv", &[]);
    let mut reader = csv::Reader::from_reader(csv.as_slice());
    let header = reader.headers().expect("header").clone();
    let ix = |name: &str| header.iter().position(|h| h == name).expect(name);
    let (rule, l, c) = (ix("rule"), ix("line"), ix("col"));
    let row = reader
        .records()
        .map(|r| r.expect("record"))
        .find(|r| &r[rule] == "903-INT03")
        .expect("903-INT03 in findings.csv");
    assert_eq!(
        (&row[l], &row[c]),
        (line.to_string().as_str(), col.to_string().as_str())
    );
}

/// A record whose start tag does not begin its line (a comment before it, with characters of
/// two bytes) is placed by the column, in characters, of its own `<`: for a load-time finding
/// (the header given twice) and for one found after the load (the orphan episode) alike.
#[test]
fn a_record_is_placed_by_the_column_of_its_start_tag_in_characters() {
    let text = std::fs::read_to_string(repo(BROKEN_XML).join("return.xml")).expect("fixture");
    let (_, before) = dry_run_json(repo(XML_MAPPINGS), repo(BROKEN_XML));
    let line_of = |rule: &str| -> usize {
        let f = before["findings"]
            .as_array()
            .expect("findings[]")
            .iter()
            .find(|f| f["rule"] == rule)
            .unwrap_or_else(|| panic!("{rule}"));
        f["line"].as_u64().expect("line") as usize
    };
    let (dup, orphan) = (line_of("HO-DUP-001"), line_of("903-INT03"));
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("2017-03-31");
    copy_dir(&repo(BROKEN_XML), &dir);
    let edited: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, l)| match i + 1 {
            n if n == dup || n == orphan => format!("  <!-- écrit à la main --> {}", l.trim()),
            _ => l.to_string(),
        })
        .collect();
    std::fs::write(dir.join("return.xml"), edited.join("\n") + "\n").expect("write");
    let (code, after) = dry_run_json(repo(XML_MAPPINGS), &dir);
    assert_eq!(code, 1, "{after}");
    let at = |rule: &str, line: usize| -> u64 {
        let f = after["findings"]
            .as_array()
            .expect("findings[]")
            .iter()
            .find(|f| f["rule"] == rule && f["line"] == line)
            .unwrap_or_else(|| panic!("{rule} at {line}: {after}"));
        f["col"].as_u64().expect("col")
    };
    let (dup_line, orphan_line) = (&edited[dup - 1], &edited[orphan - 1]);
    assert_eq!(at("HO-DUP-001", dup), col_of(dup_line, "<HEADER>"));
    assert_eq!(at("903-INT03", orphan), col_of(orphan_line, "<EPISODE>"));
    // Characters, not bytes: `é` and `à` are two bytes each.
    assert_eq!(col_of(orphan_line, "<EPISODE>"), 28);
    assert_eq!(orphan_line.find("<EPISODE>"), Some(29));
    // Everything else is where it was.
    let moved: Vec<_> = places(&after)
        .into_iter()
        .filter(|p| p.3 != 5)
        .map(|p| (p.0, p.2))
        .collect();
    assert_eq!(
        moved,
        [
            ("903-INT03".to_string(), orphan as u64),
            ("HO-DUP-001".to_string(), dup as u64)
        ]
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
    type Found = (String, String, String, (u64, u64), String);
    let found: Vec<Found> = json["findings"]
        .as_array()
        .expect("findings[]")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or("").to_string(),
                f["sheet"].as_str().unwrap_or("").to_string(),
                f["file"].as_str().unwrap_or("").to_string(),
                (
                    f["line"].as_u64().unwrap_or(0),
                    f["col"].as_u64().unwrap_or(0),
                ),
                f["column"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    // Line and column: the record's start tag, or the first element no column reads.
    let at = |line: u64, tag: &str| {
        (
            line,
            col_of(text.lines().nth(line as usize - 1).unwrap(), tag),
        )
    };
    let s = |x: &str| x.to_string();
    assert_eq!(
        found,
        [
            (
                s("HO-SRC-005"),
                s("EXPSSDA903/CHILD/EPISODE"),
                s("return.xml"),
                at(episode, "<EPISODE>"),
                s("RNE")
            ),
            (
                s("HO-COL-001"),
                s("EXPSSDA903/CHILD/REVIEW"),
                s("return.xml"),
                at(line_of("      <NOTE>x</NOTE>"), "<NOTE>"),
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
