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

/// The fixture with everything after the declaration on one line, as the validator's own sample
/// and many systems write it.
fn one_line(text: &str) -> String {
    let mut lines = text.lines();
    let decl = lines.next().expect("declaration");
    format!("{decl}\n{}\n", lines.map(str::trim).collect::<String>())
}

#[test]
fn a_return_on_one_line_loads_the_same_rows_and_places_each_finding_by_its_column() {
    let tmp = edited(one_line);
    let dir = tmp.path().join("2017-03-31");
    let (code, json) = dry_run_json(repo(DFE_XML), &dir);
    assert_eq!(code, 0, "{json:#}");
    assert_balanced(&json);
    assert!(findings(&json).is_empty(), "{json:#}");
    let one = migrate_db(DFE_XML, &dir, tmp.path(), "one");
    let pretty = migrate_db(DFE_XML, &repo(CLEAN_DFE), tmp.path(), "pretty");
    for table in SSDA903_TABLES.iter().filter(|t| **t != "sw_episodes") {
        assert_eq!(
            table_rows(&one, table),
            table_rows(&pretty, table),
            "{table}"
        );
    }

    // On that one line: a placement type no list holds in the second EPISODE, and the first
    // CHILD given again at the end (its HEADER a duplicate of the first).
    let text =
        one_line(&std::fs::read_to_string(repo(CLEAN_DFE).join("return.xml")).expect("fixture"));
    let body = text.lines().nth(1).expect("line 2").to_string();
    let at = |needle: &str, n: usize| body.match_indices(needle).nth(n).expect(needle).0;
    let episode = at("<EPISODE>", 1);
    let pl = episode + body[episode..].find("<PL>").expect("a PL") + "<PL>".len();
    let pl_end = pl + body[pl..].find('<').expect("</PL>");
    let first_child = at("<CHILD>", 0);
    let child_end = at("</CHILD>", 0) + "</CHILD>".len();
    let end = body.rfind("</EXPSSDA903>").expect("the root's end");
    let edited_body = format!(
        "{}QQ9{}{}{}",
        &body[..pl],
        &body[pl_end..end],
        &body[first_child..child_end],
        &body[end..]
    );
    let header =
        |b: &str, n: usize| b.match_indices("<HEADER>").nth(n).expect("HEADER").0 as i64 + 1;
    let headers = edited_body.matches("<HEADER>").count();
    let (first_header, second_header) =
        (header(&edited_body, 0), header(&edited_body, headers - 1));
    let tmp = edited(|t| {
        format!(
            "{}\n{edited_body}\n",
            t.lines().next().expect("declaration")
        )
    });
    let (code, json) = dry_run_json(repo(DFE_XML), tmp.path().join("2017-03-31"));
    assert_eq!(code, 1, "{json:#}");
    let all = json["findings"].as_array().expect("findings");
    let code_finding = all
        .iter()
        .find(|f| f["rule"] == "HO-COD-002")
        .expect("the bad placement type");
    assert_eq!(code_finding["sheet"], "EXPSSDA903/CHILD/EPISODE");
    assert_eq!(
        (&code_finding["line"], &code_finding["col"]),
        (&2.into(), &(episode as i64 + 1).into()),
        "the second EPISODE's `<`"
    );
    let dup = all
        .iter()
        .find(|f| f["rule"] == "HO-DUP-001" && f["entity"] == "header")
        .expect("the second HEADER of the child");
    assert_eq!(
        (&dup["line"], &dup["col"]),
        (&2.into(), &second_header.into()),
        "{dup:#}"
    );
    let message = dup["message"].as_str().expect("message");
    assert!(
        message.contains(&format!("return.xml line 2, column {first_header}")),
        "the first holder, placed by its column: {message}"
    );
    // `validate --input` places the bad code the same way.
    let out = bin()
        .args(["validate", "--mappings"])
        .arg(repo(DFE_XML))
        .arg("--input")
        .arg(tmp.path().join("2017-03-31"))
        .output()
        .expect("run validate");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains(&format!(
            "`QQ9` in column `PL` is not a code of the company's `placement_type` list: 1 row, first at line 2, column {}",
            episode + 1
        )),
        "{stdout}"
    );
}
