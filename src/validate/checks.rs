//! The checks `handover validate` runs, by the stable name each diagnostic carries. The list is
//! what a JUnit report enumerates: a check that found nothing in a file is a passing test case.

/// One named check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Check {
    /// Stable name, as in [`crate::mapping::Diagnostic::check`].
    pub name: &'static str,
    /// What it verifies, in words.
    pub about: &'static str,
}

const fn check(name: &'static str, about: &'static str) -> Check {
    Check { name, about }
}

/// Checks of the mapping set alone (src/mapping and [`super::set`]).
pub const MAPPING: &[Check] = &[
    check("syntax", "every mapping file is valid TOML"),
    check("unknown-key", "every key is one the mapping format knows"),
    check(
        "source",
        "every `[source]` is well formed and feeds a target",
    ),
    check(
        "scope",
        "every condition has exactly one of `in`, `not_in`, `present`",
    ),
    check(
        "path",
        "paths are relative and stay inside their folder; files exist",
    ),
    check(
        "schema",
        "every table and field exists in the company schema",
    ),
    check("field", "every field has one input and a valid `case`"),
    check("type", "types and date formats fit the company column"),
    check(
        "format",
        "every date format names a year, a month and a day",
    ),
    check("required-field", "every required company field is mapped"),
    check("key", "natural key fields exist and are mapped"),
    check(
        "crosswalk",
        "crosswalks are declared once, used on coded fields, no code twice",
    ),
    check(
        "codelist",
        "crosswalks name a company code list and map onto its codes",
    ),
    check(
        "codelist-coverage",
        "complete code lists are covered by their crosswalks",
    ),
    check(
        "control",
        "controls are single SELECTs that run on the schema, declared once, with a `[controls]` file",
    ),
    check(
        "unused-crosswalk",
        "every crosswalk is used by some field (warning)",
    ),
    check(
        "condition",
        "conditions accept the spellings the crosswalk on the same column accepts (warning)",
    ),
    check(
        "schema-table",
        "the company schema's tables and columns are well formed: names, types, keys, bounds",
    ),
    check(
        "schema-reference",
        "every reference points at a key of a table, with its orphan rule code",
    ),
    check(
        "schema-codelist",
        "every code list parses, holds each code once, and every coded column names one",
    ),
    check(
        "schema-rule",
        "every rule names real tables and columns, no personal column in its message, and its query prepares",
    ),
    check(
        "schema-figure",
        "every figure and breakdown query prepares and returns the columns its unit needs",
    ),
];

/// Checks that need an extract (`--input`).
pub const INPUT: &[Check] = &[
    check(
        "input-file",
        "every source file and sheet is there and readable",
    ),
    check(
        "input-column",
        "every mapped column is in the file's header; every column is mapped or ignored (warning)",
    ),
    check(
        "input-code",
        "every value that goes through a crosswalk or code list is covered",
    ),
    check(
        "input-value",
        "every date, number and boolean parses with the declared formats",
    ),
];

/// The checks a run makes: the mapping checks, plus the input checks with `--input`.
pub fn run(with_input: bool) -> Vec<Check> {
    let mut all = MAPPING.to_vec();
    if with_input {
        all.extend_from_slice(INPUT);
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique() {
        let all = run(true);
        for (i, c) in all.iter().enumerate() {
            assert!(all[i + 1..].iter().all(|d| d.name != c.name), "{}", c.name);
        }
    }

    #[test]
    fn every_check_src_mapping_and_src_schema_report_is_listed() {
        let root = env!("CARGO_MANIFEST_DIR");
        let files = ["src/mapping", "src/schema"]
            .into_iter()
            .flat_map(|d| std::fs::read_dir(format!("{root}/{d}")).expect("source folder"));
        for entry in files {
            let text = std::fs::read_to_string(entry.expect("entry").path()).expect("read");
            for name in quoted_check_names(&text) {
                assert!(
                    MAPPING.iter().any(|c| c.name == name),
                    "`{name}` not listed"
                );
            }
        }
    }

    /// String literals passed as the `check` of a diagnostic in src/mapping.
    fn quoted_check_names(text: &str) -> Vec<String> {
        let lines: Vec<&str> = text.lines().collect();
        let mut names = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            let t = line.trim();
            let prev = if i > 0 { lines[i - 1].trim() } else { "" };
            let call = prev.ends_with("sink.error(")
                || prev.ends_with("sink.at(")
                || prev.ends_with("report(");
            let lit = t
                .strip_prefix("check: \"")
                .or_else(|| call.then(|| t.strip_prefix('"')).flatten());
            if let Some(rest) = lit {
                names.push(rest.split('"').next().unwrap_or("").to_string());
            }
        }
        names
    }
}
