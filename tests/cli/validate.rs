//! `handover validate` (issue #4): one broken mapping set per mistake, each pinned to the exact
//! file, line and column; the extract checks; the exit codes; the github and junit formats.
use std::path::Path;

use crate::common::{bin, copy_fixture, repo};

mod formats;
mod schema;
mod sunderland;

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
        out.starts_with("0 errors, 0 warnings in 14 mapping files"),
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
fn a_date_that_does_not_parse_is_reported_without_showing_a_personal_value() {
    let input = repo("fixtures/invalid_date");
    let (code, out) = validate(
        Path::new("fixtures/mini_mappings"),
        &["--input", input.to_str().expect("UTF-8 path")],
    );
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("fixtures/mini_mappings/staff.toml:17:28: error: staff.csv: 1 value in column `dob` does not convert, first at line 6: `[personal data]` is not a valid date"), "{out}");
    assert!(
        !out.contains("31/02/1990"),
        "a date of birth must not reach CI logs: {out}"
    );
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
fn a_condition_stricter_than_the_crosswalk_on_its_column_is_a_warning() {
    let tmp = copy_fixture("mappings/sunderland");
    let path = tmp.path().join("cases.toml");
    let text = std::fs::read_to_string(&path).expect("read cases.toml");
    let from = r#"in = ["CP"], ignore_case = true"#;
    assert!(text.contains(from));
    std::fs::write(&path, text.replacen(from, r#"in = ["CP"]"#, 1)).expect("write");
    let (code, out) = validate(tmp.path(), &[]);
    assert_eq!(code, 0, "a warning alone passes: {out}");
    let head = format!("{}/cases.toml:42:19: warning: ", tmp.path().display());
    assert!(
        out.lines().any(|l| l.starts_with(&head)
            && l.contains("compares case-sensitively, but crosswalk `involvement_type`")),
        "no `{head}` in:\n{out}"
    );
    let (code, _) = validate(tmp.path(), &["--strict"]);
    assert_eq!(code, 1, "--strict fails on it");
}
