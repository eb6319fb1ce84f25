//! Mapping-language rules that need a whole run to show: crosswalk completeness only where the
//! company schema asks for it, the warning for a run without an as-at date, and the column
//! ledger (every column of an export carried, ignored with a reason, or reported not carried).
use std::path::Path;

use super::common::{bin, copy_dir, copy_fixture, dry_run_json_with, findings, repo};

/// The extract's date, for a copy whose folder is not named by it.
const AS_AT: [&str; 2] = ["--as-at", "2017-03-31"];

/// Runs `handover validate` with `args`: (exit code, stdout).
fn validate(args: &[&str]) -> (i32, String) {
    let out = bin()
        .arg("validate")
        .args(args)
        .output()
        .expect("run handover");
    (
        out.status.code().expect("exit code"),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).expect("read");
    assert!(text.contains(from), "`{from}` is not in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).expect("write");
}

#[test]
fn a_crosswalk_must_cover_a_code_list_only_where_the_schema_says_so() {
    // The two fixture folders side by side, as the mapping set names its schema relatively.
    let tmp = tempfile::tempdir().expect("a temporary folder");
    copy_dir(
        &repo("fixtures/second_company"),
        &tmp.path().join("second_company"),
    );
    copy_dir(
        &repo("fixtures/another_council"),
        &tmp.path().join("another_council"),
    );
    let mappings = tmp.path().join("another_council/mappings");
    let set = mappings.to_str().expect("UTF-8");
    edit(
        &mappings.join("episodes.toml"),
        r#", "Not stated" = "9""#,
        "",
    );
    let (code, out) = validate(&["--mappings", set]);
    assert_eq!(code, 1, "gender is to be covered in full: {out}");
    assert!(
        out.contains("must cover the whole `gender` code list; no council code maps to 9"),
        "{out}"
    );
    let lists = tmp.path().join("second_company/schema/lists.toml");
    edit(&lists, "cover_in_full = true\n", "");
    let (code, out) = validate(&["--mappings", set]);
    assert_eq!(
        code, 0,
        "a list the schema does not ask to cover needs no entry per code: {out}"
    );
}

#[test]
fn a_run_without_an_as_at_date_says_which_figures_it_cannot_compute() {
    let (code, json) = dry_run_json_with(
        repo("fixtures/mini_mappings"),
        repo("fixtures/clean_small"),
        &[],
    );
    assert_eq!(code, 0, "a warning does not fail the run: {json}");
    let f = &json["findings"][0];
    assert_eq!(
        (f["rule"].as_str(), f["severity"].as_str()),
        (Some("HO-CFG-001"), Some("warning"))
    );
    assert!(
        f["message"]
            .as_str()
            .unwrap_or("")
            .contains("cp_visits_within_10_working_days_pct"),
        "{f}"
    );
    assert!(json["run"]["as_at"].is_null());
}

#[test]
fn every_column_is_carried_ignored_with_a_reason_or_reported() {
    let export = copy_fixture("fixtures/first_mapping/2017-03-31");
    let csv = export.path().join("payroll.csv");
    let text = std::fs::read_to_string(&csv).expect("read");
    let widened: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, l)| {
            format!(
                "{l},{}",
                if i == 0 {
                    "Home Phone"
                } else {
                    "0191 000 0000"
                }
            )
        })
        .collect();
    std::fs::write(&csv, widened.join("\n") + "\n").expect("write");
    let input = export.path().to_str().expect("UTF-8");
    let (code, json) = dry_run_json_with(
        repo("fixtures/first_mapping/mappings"),
        export.path(),
        &AS_AT,
    );
    assert_eq!(code, 0, "{json}");
    assert_eq!(
        findings(&json),
        [(
            "HO-COL-001".to_string(),
            "staff".to_string(),
            "payroll.csv".to_string(),
            1
        )]
    );
    assert_eq!(json["findings"][0]["column"], "Home Phone");
    let (code, out) = validate(&[
        "--mappings",
        "fixtures/first_mapping/mappings",
        "--input",
        input,
        "--strict",
    ]);
    assert_eq!(code, 1, "--strict fails on a column not carried: {out}");
    assert!(out.contains("column `Home Phone` is not carried"), "{out}");
    // Declared ignored, with the reason: no finding, and the run records the column's fate.
    let mappings = copy_fixture("fixtures/first_mapping/mappings");
    edit(
        &mappings.path().join("payroll.toml"),
        "file = \"payroll.csv\"",
        "file = \"payroll.csv\"\nignore_columns = { \"Home Phone\" = \"the company takes contact details from its own system\" }",
    );
    let (code, json) = dry_run_json_with(mappings.path(), export.path(), &AS_AT);
    assert_eq!((code, findings(&json).len()), (0, 0), "{json}");
    let (code, _) = validate(&[
        "--mappings",
        mappings.path().to_str().expect("UTF-8"),
        "--input",
        input,
        "--strict",
    ]);
    assert_eq!(code, 0);
}
