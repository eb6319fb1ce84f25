//! The terminal summary `migrate` prints, read at 60 and 120 columns: the ledger, why rows were
//! excluded, the controls with what they count, findings under a heading with the export's
//! column, and the verdict with the next step; numbers right-aligned, nothing wider than the
//! terminal. See: #13
use super::common::{EPOCH, bin};

fn summary(columns: &str) -> String {
    let out = bin()
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .env("COLUMNS", columns)
        .args(["-q", "migrate", "--mappings", "mappings/sunderland"])
        .args(["--input", "fixtures/sunderland/2017-01-31", "--dry-run"])
        .output()
        .expect("run migrate");
    assert_eq!(out.status.code(), Some(1));
    String::from_utf8(out.stdout).expect("utf-8")
}

fn assert_fits(text: &str, columns: usize) {
    for line in text.lines() {
        assert!(
            line.chars().count() <= columns,
            "wider than {columns}: `{line}`"
        );
    }
}

fn assert_reads_at_a_glance(text: &str) {
    assert!(text.contains("Excluded by scope rules"), "{text}");
    assert!(text.contains("Remains with council"), "{text}");
    assert!(text.contains("Members of"), "control descriptions: {text}");
    assert!(text.contains("Findings (24)"), "{text}");
    assert!(
        text.contains("column \"Start Date\""),
        "the export's column: {text}"
    );
    assert!(
        text.contains("FINDINGS (dry run): 23 error findings and 1 failed control."),
        "{text}"
    );
    assert!(
        text.contains("\nNext: Fix the data or the mappings"),
        "{text}"
    );
    // Numbers are right-aligned: the four counts of the staff ledger line are flush right.
    let staff = text
        .lines()
        .find(|l| l.starts_with("│ staff ") || l.starts_with("│staff "))
        .expect("the staff ledger line");
    let cells: Vec<&str> = staff.trim_matches('│').split('│').collect();
    for cell in &cells[1..5] {
        assert!(
            cell.trim_end().ends_with(|c: char| c.is_ascii_digit()),
            "{staff}"
        );
        assert!(
            cell.len() - cell.trim_start().len() >= cell.len() - cell.trim_end().len(),
            "not right-aligned: {staff}"
        );
    }
}

#[test]
fn the_summary_fits_a_60_column_terminal() {
    let text = summary("60");
    assert_fits(&text, 60);
    assert_reads_at_a_glance(&text);
    insta::assert_snapshot!("migrate_summary_60_columns", text);
}

#[test]
fn the_summary_fits_a_120_column_terminal() {
    let text = summary("120");
    assert_fits(&text, 120);
    assert_reads_at_a_glance(&text);
    insta::assert_snapshot!("migrate_summary_120_columns", text);
}

/// `diff`, `verify` and `validate` end with a verdict and the next step too, and `diff` fits the
/// terminal (it was 492 characters wide).
#[test]
fn diff_and_validate_end_with_a_verdict_and_fit_60_columns() {
    let (jan, mar) = (
        super::common::sunderland("2017-01-31"),
        super::common::sunderland("2017-03-31"),
    );
    let out = bin()
        .env("COLUMNS", "60")
        .arg("diff")
        .arg(&jan)
        .arg(&mar)
        .output()
        .expect("diff");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert_fits(&text, 60);
    assert!(
        text.contains("Resolved findings: 24\nerror HO-DUP-001 staff 100598 hr/staff.csv:601\n"),
        "{text}"
    );
    assert!(
        text.contains("│ staff_in_scope │ actual  │ 825 │ 828 │     +3 │"),
        "{text}"
    );
    assert!(
        text.ends_with("NO NEW ERRORS: 24 resolved, 0 new (0 of them errors), 0\nstill open.\nNext: nothing is open; the later run can go ahead.\n"),
        "{text}"
    );
    let out = bin()
        .args(["validate", "--mappings", "mappings/sunderland"])
        .output()
        .expect("validate");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(
        text.ends_with(" checks)\nNext: the mapping set is ready; `handover migrate --dry-run` loads an extract through it.\n"),
        "{text}"
    );
}
