//! `handover validate` (issue #4): one broken mapping set per mistake, each pinned to the exact
//! file, line and column; the extract checks; the exit codes; the github and junit formats.
use std::path::Path;

use crate::common::{bin, copy_fixture, repo};

/// Runs `handover validate --mappings DIR` with `extra` arguments: exit code and stdout.
fn validate(dir: &Path, extra: &[&str]) -> (i32, String) {
    let out = bin()
        .arg("validate")
        .arg("--mappings")
        .arg(dir)
        .args(extra)
        .output()
        .expect("run handover");
    let stdout = String::from_utf8(out.stdout).expect("UTF-8 stdout");
    (out.status.code().expect("an exit code"), stdout)
}

/// fixtures/mini_mappings copied, with the first `from` in `file` replaced by `to`.
fn broken(file: &str, from: &str, to: &str) -> tempfile::TempDir {
    let tmp = copy_fixture("fixtures/mini_mappings");
    let path = tmp.path().join(file);
    let text = std::fs::read_to_string(&path).expect("read mapping file");
    assert!(text.contains(from), "`{from}` is not in {file}");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write mapping file");
    tmp
}

/// Asserts exit 1 and a diagnostic at `file:line:col` whose message contains `message`.
fn assert_error_at(
    tmp: &tempfile::TempDir,
    extra: &[&str],
    at: (&str, usize, usize),
    message: &str,
) {
    let (code, out) = validate(tmp.path(), extra);
    assert_eq!(code, 1, "{out}");
    let (file, line, col) = at;
    let head = format!("{}/{file}:{line}:{col}: error: ", tmp.path().display());
    assert!(
        out.lines()
            .any(|l| l.starts_with(&head) && l.contains(message)),
        "no `{head}…{message}` in:\n{out}"
    );
}

#[test]
fn the_sunderland_mappings_are_clean() {
    let (code, out) = validate(Path::new("mappings/sunderland"), &[]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.starts_with("0 errors, 0 warnings in 8 mapping files"),
        "{out}"
    );
}

#[test]
fn an_uncovered_local_code_is_listed_with_count_and_first_line() {
    let input = repo("fixtures/invalid_code");
    let (code, out) = validate(
        Path::new("fixtures/mini_mappings"),
        &["--input", input.to_str().expect("UTF-8 path")],
    );
    assert_eq!(code, 1, "{out}");
    let expected = "fixtures/mini_mappings/placements.toml:11:49: error: placements.csv: `FOS-EMERG` in column `code` has no entry in crosswalk `placement_type`: 1 row, first at line 3";
    assert!(out.lines().any(|l| l == expected), "{out}");
    assert!(
        out.contains("11 | placement_type = { column = \"code\", crosswalk = \"placement_type\" }")
    );
    assert!(
        out.contains("   |                                                 ^\n"),
        "{out}"
    );
}

#[test]
fn a_syntax_error() {
    let tmp = broken(
        "staff.toml",
        r#"surname = { column = "surname" }"#,
        r#"surname = { column = "surname" "#,
    );
    assert_error_at(
        &tmp,
        &[],
        ("staff.toml", 16, 1),
        "invalid mapping file: missing comma",
    );
    let (_, out) = validate(tmp.path(), &[]);
    assert!(
        !out.contains(": warning:"),
        "no cascade of unused crosswalks:\n{out}"
    );
}

#[test]
fn an_unknown_key_with_a_suggestion() {
    let tmp = broken("staff.toml", r#""dob", format"#, r#""dob", formt"#);
    assert_error_at(
        &tmp,
        &[],
        ("staff.toml", 17, 35),
        "unknown key `formt` (did you mean `format`?)",
    );
}

#[test]
fn an_unknown_field_with_a_suggestion() {
    let tmp = broken("staff.toml", "surname = { column", "surnme = { column");
    assert_error_at(
        &tmp,
        &[],
        ("staff.toml", 15, 1),
        "table `staff` has no field `surnme` (did you mean `surname`?)",
    );
}

#[test]
fn a_bad_code_in_a_crosswalk() {
    let tmp = broken(
        "crosswalks.toml",
        r#""Permanent" = "permanent""#,
        r#""Permanent" = "permanant""#,
    );
    assert_error_at(
        &tmp,
        &[],
        ("crosswalks.toml", 15, 9),
        "`permanant` is not a code of the company's `contract_type` list (did you mean `permanent`?)",
    );
}

#[test]
fn a_duplicate_code_in_a_crosswalk_file() {
    let tmp = broken(
        "codelists/placement_type.csv",
        "council_code,company_code\n",
        "council_code,company_code\nFOS,U1\n",
    );
    assert_error_at(
        &tmp,
        &[],
        ("codelists/placement_type.csv", 8, 1),
        "council code `FOS` appears twice in crosswalk `placement_type`",
    );
}

#[test]
fn an_uncovered_complete_code_list() {
    let tmp = broken("crosswalks.toml", r#", "EH" = "early_help""#, "");
    assert_error_at(
        &tmp,
        &[],
        ("crosswalks.toml", 17, 1),
        "no council code maps to early_help",
    );
}

#[test]
fn a_missing_required_field() {
    let tmp = broken("staff.toml", "surname = { column = \"surname\" }\n", "");
    assert_error_at(
        &tmp,
        &[],
        ("staff.toml", 10, 1),
        "required field `staff.surname` is not mapped",
    );
}

#[test]
fn a_path_escaping_the_folder() {
    let tmp = broken(
        "placements.toml",
        r#"file = "placements.csv""#,
        r#"file = "../placements.csv""#,
    );
    assert_error_at(
        &tmp,
        &[],
        ("placements.toml", 3, 8),
        "source file `../placements.csv` must be a relative path",
    );
}

#[test]
fn a_missing_column_with_the_closest_names() {
    let tmp = broken(
        "staff.toml",
        r#"column = "forenames""#,
        r#"column = "forename""#,
    );
    let input = repo("fixtures/clean_small");
    let args = ["--input", input.to_str().expect("UTF-8 path")];
    assert_error_at(
        &tmp,
        &args,
        ("staff.toml", 16, 24),
        "staff.csv has no column `forename` (closest: `forenames`",
    );
    assert_eq!(validate(tmp.path(), &[]).0, 0, "the mapping alone is fine");
}

#[test]
fn a_date_format_on_a_text_field() {
    let tmp = broken(
        "staff.toml",
        r#"column = "surname" }"#,
        r#"column = "surname", format = "%d/%m/%Y" }"#,
    );
    assert_error_at(
        &tmp,
        &[],
        ("staff.toml", 15, 42),
        "field `surname` is text: a date `format` does not apply",
    );
}

#[test]
fn a_control_on_an_unknown_table() {
    let tmp = broken("crosswalks.toml", r#"FROM staff""#, r#"FROM staf""#);
    assert_error_at(&tmp, &[], ("crosswalks.toml", 26, 7), "no such table: staf");
}

#[test]
fn controls_without_a_controls_file() {
    let tmp = broken(
        "crosswalks.toml",
        "[controls]\nfile = \"controls.csv\"\n",
        "",
    );
    assert_error_at(
        &tmp,
        &[],
        ("crosswalks.toml", 22, 1),
        "`[[control]]` totals need a `[controls]` table",
    );
}

#[test]
fn a_date_that_does_not_parse() {
    let input = repo("fixtures/invalid_date");
    let (code, out) = validate(
        Path::new("fixtures/mini_mappings"),
        &["--input", input.to_str().expect("UTF-8 path")],
    );
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("fixtures/mini_mappings/staff.toml:17:28: error: staff.csv: 1 value in column `dob` does not convert, first at line 6: `31/02/1990` is not a valid date"), "{out}");
}

/// fixtures/mini_mappings with a crosswalk that nothing uses.
fn with_unused_crosswalk() -> tempfile::TempDir {
    broken(
        "crosswalks.toml",
        "[crosswalk.contract]",
        "[crosswalk.unused]\ncodelist = \"sex\"\nmap = { \"M\" = \"M\" }\n\n[crosswalk.contract]",
    )
}

#[test]
fn an_unused_crosswalk_is_a_warning_and_strict_fails_on_it() {
    let tmp = with_unused_crosswalk();
    let (code, out) = validate(tmp.path(), &[]);
    assert_eq!(code, 0, "{out}");
    let head = format!(
        "{}/crosswalks.toml:13:12: warning: crosswalk `unused` is declared but no field uses it",
        tmp.path().display()
    );
    assert!(out.lines().any(|l| l == head), "{out}");
    assert_eq!(validate(tmp.path(), &["--strict"]).0, 1);
}

#[test]
fn a_missing_folder_is_a_usage_error() {
    let out = bin()
        .args(["validate", "--mappings", "no/such/folder"])
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        stderr.contains("mapping folder `no/such/folder` does not exist"),
        "{stderr}"
    );
    bin()
        .args([
            "validate",
            "--mappings",
            "fixtures/mini_mappings",
            "--input",
            "no/such/folder",
        ])
        .assert()
        .code(2);
}

#[test]
fn github_lines_are_workflow_commands() {
    let tmp = broken(
        "crosswalks.toml",
        r#""Permanent" = "permanent""#,
        r#""Permanent" = "permanant""#,
    );
    let (code, out) = validate(tmp.path(), &["--format", "github"]);
    assert_eq!(code, 1);
    let file = format!("{}/crosswalks.toml", tmp.path().display())
        .replace(':', "%3A")
        .replace(',', "%2C");
    let expected = format!(
        "::error file={file},line=15,col=9,title=handover crosswalk::`permanant` is not a code of the company's `contract_type` list (did you mean `permanent`?)\n"
    );
    assert_eq!(out, expected);
    let tmp = with_unused_crosswalk();
    let (_, out) = validate(tmp.path(), &["--format", "github"]);
    let file = format!("{}/crosswalks.toml", tmp.path().display());
    assert_eq!(
        out,
        format!(
            "::warning file={file},line=13,col=12,title=handover unused-crosswalk::crosswalk `unused` is declared but no field uses it\n"
        )
    );
}

/// Counts of `<testsuite>`, `<testcase>` and `<failure>` elements, and the failures' test cases.
fn junit_counts(xml: &str) -> (usize, usize, usize, Vec<String>) {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let (mut suites, mut cases, mut failures) = (0, 0, 0);
    let (mut failing, mut case) = (Vec::new(), String::new());
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                "testsuite" => suites += 1,
                "testcase" => {
                    cases += 1;
                    let name = e.try_get_attribute("name").expect("attr").expect("name");
                    case = name.value.to_string();
                }
                "failure" => {
                    failures += 1;
                    failing.push(case.clone());
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    (suites, cases, failures, failing)
}

#[test]
fn junit_has_a_suite_per_file_and_a_case_per_check() {
    let (code, xml) = validate(Path::new("mappings/sunderland"), &["--format", "junit"]);
    assert_eq!(code, 0);
    let (suites, cases, failures, _) = junit_counts(&xml);
    assert_eq!((suites, failures), (8, 0));
    assert_eq!(cases, 8 * 16, "16 mapping checks per file");

    let tmp = broken(
        "crosswalks.toml",
        r#""Permanent" = "permanent""#,
        r#""Permanent" = "perm<a>nant&""#,
    );
    let input = repo("fixtures/invalid_code");
    let (code, xml) = validate(
        tmp.path(),
        &[
            "--format",
            "junit",
            "--input",
            input.to_str().expect("UTF-8"),
        ],
    );
    assert_eq!(code, 1);
    let (suites, cases, failures, failing) = junit_counts(&xml);
    assert_eq!(suites, 6, "one suite per mapping file: {xml}");
    assert_eq!(cases, suites * 20);
    assert_eq!(failures, 2);
    assert_eq!(failing, ["crosswalk", "input-code"], "{xml}");
}

/// `validate --format json` of the Sunderland mappings over one snapshot: exit code and document.
fn sunderland_json(snapshot: &str) -> (i32, serde_json::Value) {
    let input = format!("fixtures/sunderland/{snapshot}");
    let (code, out) = validate(
        Path::new("mappings/sunderland"),
        &["--input", &input, "--format", "json"],
    );
    (code, serde_json::from_str(&out).expect("JSON output"))
}

/// The `line`s of the defects of `kind` in a snapshot's expected.json.
fn expected_lines(snapshot: &str, kind: &str) -> Vec<u64> {
    let path = repo(&format!("fixtures/sunderland/{snapshot}/expected.json"));
    let truth: serde_json::Value =
        serde_json::from_slice(&std::fs::read(path).expect("expected.json")).expect("JSON");
    let mut lines: Vec<u64> = truth["defects"]
        .as_array()
        .expect("defects")
        .iter()
        .filter(|d| d["kind"] == kind)
        .map(|d| d["line"].as_u64().expect("line"))
        .collect();
    lines.sort();
    lines
}

#[test]
fn the_go_live_extract_validates_clean() {
    let (code, doc) = sunderland_json("2017-03-31");
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(doc["summary"]["errors"], 0);
    assert!(doc["summary"]["rows_read"].as_u64().expect("rows") > 1000);
}

#[test]
fn the_january_extract_lists_its_uncovered_local_codes() {
    let (code, doc) = sunderland_json("2017-01-31");
    assert_eq!(code, 1, "{doc:#}");
    let codes: Vec<&str> = doc["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["check"] == "input-code")
        .map(|d| d["message"].as_str().expect("message"))
        .collect();
    assert_eq!(codes.len(), 2, "{codes:#?}");
    let prefix = "placements/placements.xlsx (sheet `Placements`): ";
    let crosswalk = "in column `Local Placement Code` has no entry in crosswalk `placement_type`";
    assert!(
        codes[0].starts_with(&format!(
            "{prefix}`FOS-EMERG` {crosswalk}: 2 rows, first at lines "
        )),
        "{}",
        codes[0]
    );
    assert!(
        codes[1].starts_with(&format!(
            "{prefix}`RES-OOA` {crosswalk}: 1 row, first at line "
        )),
        "{}",
        codes[1]
    );
    let mut lines: Vec<u64> = codes
        .iter()
        .flat_map(|m| {
            m.rsplit(" line")
                .next()
                .expect("lines")
                .trim_start_matches('s')
                .split(',')
        })
        .map(|n| n.trim().parse().expect("a line number"))
        .collect();
    lines.sort();
    assert_eq!(lines, expected_lines("2017-01-31", "invalid_code"));
    let at = doc["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["check"] == "input-code")
        .expect("an input-code diagnostic");
    assert_eq!(
        (at["file"].as_str(), at["line"].as_u64(), at["col"].as_u64()),
        (
            Some("mappings/sunderland/placements.toml"),
            Some(16),
            Some(65)
        )
    );
}

#[test]
fn the_january_extract_lists_its_unparseable_dates() {
    let (_, doc) = sunderland_json("2017-01-31");
    let mut lines: Vec<u64> = doc["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["check"] == "input-value")
        .map(|d| {
            let m = d["message"].as_str().expect("message");
            let after = m.split("first at line ").nth(1).expect("first line");
            after
                .split(':')
                .next()
                .expect("line")
                .parse::<u64>()
                .expect("a number")
        })
        .collect();
    lines.sort();
    assert_eq!(lines, expected_lines("2017-01-31", "invalid_value"));
}
