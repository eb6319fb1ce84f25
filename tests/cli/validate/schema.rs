//! `handover validate` checks the company schema folder a mapping set names, with the same
//! file:line:col diagnostics as for mapping files: fixtures/second_company copied, with one
//! mistake of each kind put into its schema folder.
use super::validate;

/// Replaces the first `from` in `file` (under the copy) with `to`.
fn edit(root: &std::path::Path, file: &str, from: &str, to: &str) {
    let path = root.join(file);
    let text = std::fs::read_to_string(&path).expect("read schema file");
    assert!(text.contains(from), "`{from}` is not in {file}");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write schema file");
}

#[test]
fn every_mistake_in_a_schema_folder_is_located() {
    let tmp = crate::common::copy_fixture("fixtures/second_company");
    let root = tmp.path();
    let (code, out) = validate(&root.join("mappings"), &[]);
    assert_eq!(code, 0, "the fixture is clean: {out}");
    edit(
        root,
        "schema/rules.toml",
        "table = \"episodes\"\ncolumn = \"end_date\"",
        "table = \"episode\"\ncolumn = \"end_date\"",
    );
    edit(
        root,
        "schema/company.toml",
        "references = \"workers.payroll_id\", rule = \"RCT-ORP-003\"",
        "references = \"workers.full_name\", rule = \"RCT-ORP-003\"",
    );
    edit(
        root,
        "schema/codelists/legal_status.csv",
        "2019-03-31",
        "2019-13-31",
    );
    edit(
        root,
        "schema/rules.toml",
        "count(DISTINCT person_id)",
        "count(DISTINCT person)",
    );
    edit(
        root,
        "schema/rules.toml",
        "\"{person_id} has no episode of care\"",
        "\"{person_id} born {birth_date} has no episode of care\"",
    );
    let (code, out) = validate(&root.join("mappings"), &[]);
    assert_eq!(code, 1, "{out}");
    let at = |file: &str, line: usize, col: usize, message: &str| {
        let head = format!("{}/schema/{file}:{line}:{col}: error: ", root.display());
        assert!(
            out.lines()
                .any(|l| l.starts_with(&head) && l.contains(message)),
            "no `{head}…{message}` in:\n{out}"
        );
    };
    // An unknown table in a rule, with a suggestion.
    at(
        "rules.toml",
        14,
        9,
        "no table `episode` (did you mean `episodes`?)",
    );
    // A reference to a column that is not a key.
    at(
        "company.toml",
        51,
        52,
        "`workers.full_name` is not a key of `workers`",
    );
    // A code list that does not parse.
    at(
        "lists.toml",
        12,
        8,
        "line 2: valid_to `2019-13-31` is not a date",
    );
    // A personal column in a rule's message.
    at(
        "rules.toml",
        28,
        11,
        "names `birth_date`, a personal column",
    );
    // A figure whose query does not prepare.
    at(
        "rules.toml",
        46,
        7,
        "figure `in_care`: its query does not prepare: no such column: person",
    );
    assert!(out.contains("5 errors"), "{out}");
}
