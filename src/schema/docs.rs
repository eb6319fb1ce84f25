//! docs/schema.md, generated from the schema's own description so that the documentation cannot
//! drift from the tables. A test compares the file with [`markdown`]; run it with
//! `HANDOVER_UPDATE_DOCS=1 cargo test schema_doc` to rewrite the file after a schema change.
use std::fmt::Write;

use super::{CODE_LISTS, ColType, TABLES, Table};

const INTRO: &str = "# The company schema

This is the schema of the company database that `handover migrate --out` writes: SQLite `STRICT`
tables with declared foreign keys, and `CHECK` constraints for the company's code lists and for
dates (stored as `YYYY-MM-DD` text). The same database holds the audit tables of the run that
wrote it (below). This file is generated from `src/schema/` and checked by a test.

Columns marked *personal* hold personal data: reports never print them unless asked with
`--include-personal-data`.
";

/// The whole of docs/schema.md.
pub fn markdown() -> String {
    let mut out = String::from(INTRO);
    out.push_str("\n## Company tables\n");
    for t in TABLES {
        table(&mut out, t);
    }
    code_lists(&mut out);
    out.push_str(AUDIT);
    out.push_str(CONTROLS);
    out
}

fn table(out: &mut String, t: &Table) {
    let _ = write!(
        out,
        "\n### `{}`\n\n{} Natural key: `{}`.\n\n",
        t.name,
        t.doc,
        t.key.join("`, `")
    );
    out.push_str("| column | type | required | rule | meaning |\n|---|---|---|---|---|\n");
    for c in t.columns {
        let ty = match c.ty {
            ColType::Date => "date (TEXT)",
            ColType::Text => "TEXT",
            ColType::Integer => "INTEGER",
            ColType::Decimal => "REAL",
            ColType::Boolean => "boolean (INTEGER 0/1)",
        };
        let rule = match (c.codelist, c.references) {
            (Some(list), _) => format!("code list `{list}`"),
            (_, Some(r)) => format!(
                "references `{}.{}` (orphan rule `{}`)",
                r.table, r.column, r.rule
            ),
            _ if c.name == "fte" => "above 0, at most 1".to_string(),
            _ => String::new(),
        };
        let personal = if c.personal { " *personal*" } else { "" };
        let required = if c.required { "yes" } else { "" };
        let _ = writeln!(
            out,
            "| `{}` | {ty} | {required} | {rule} | {}{personal} |",
            c.name, c.doc
        );
    }
}

fn code_lists(out: &mut String) {
    out.push_str("\n## Code lists\n\nA list marked complete must be covered in full by any crosswalk onto it: every code has at least one council code mapped to it (`handover validate` checks this).\n\n| list | complete | codes | meaning |\n|---|---|---|---|\n");
    for l in CODE_LISTS {
        let complete = if l.complete { "yes" } else { "" };
        let _ = writeln!(
            out,
            "| `{}` | {complete} | {} | {} |",
            l.name,
            l.codes
                .iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(" "),
            l.description
        );
    }
}

const AUDIT: &str = "
## Audit tables

| table | one row per | columns |
|---|---|---|
| `handover_run` | the run (always `run_id = 1`) | `tool_version`; `mode` (`dry_run` or `final`); `as_at` (the extract's date); `started_at` (UTC, or `SOURCE_DATE_EPOCH`); `mappings_dir`, `input_dir` as given; `parameters` (JSON) |
| `handover_input` | input file read | `path` relative to the input folder; `size` in bytes; `sha256`; `rows_read` (data rows, all sheets) |
| `handover_mapping` | mapping file (and crosswalk CSV) | `path` relative to the mapping folder; `sha256` |
| `handover_source` | source read from one file | `entity`; `mapping_file` and `mapping_line` of its `[source]`; `file_id`; `sheet`; `rows_read` |
| `handover_row` | source row read | `source_id`; `line` (the CSV's physical line, or the row number a spreadsheet shows); `outcome` (`transferred`, `excluded`, `rejected`); `reason` (for exclusions); `record_key` (the natural key as read) |
| `handover_lineage` | company row | `target_table`, `target_rowid`: the row; `source_id`, `line`: where it came from |
| `handover_finding` | finding | `rule`, `kind`, `severity`, `entity`, `record_key`, `file`, `sheet`, `line`, `column_name`, `value`, `message`, `mapping_file`, `mapping_line` (docs/rules.md) |
| `handover_ledger` | entity | `source_rows`, `transferred`, `excluded`, `rejected`, with `CHECK (source_rows = transferred + excluded + rejected)` |
| `handover_control` | control total | `name`, `description`, `expected` (from the extract's controls file), `actual`, `ok` |

The lineage of a member of staff:

```sql
SELECT s.employee_number, i.path, src.sheet, l.line
FROM staff s
JOIN handover_lineage l ON l.target_table = 'staff' AND l.target_rowid = s.rowid
JOIN handover_source src ON src.source_id = l.source_id
JOIN handover_input i ON i.file_id = src.file_id;
```
";

const CONTROLS: &str = "
## Control totals

Each control in the mapping set (mappings/sunderland/controls.toml) is one SQL query on the company
tables, compared with the figure the council states in the extract's `controls.csv`:

| control | SQL |
|---|---|
| staff in scope | `SELECT count(*) FROM staff` |
| looked-after children | `SELECT count(DISTINCT child_id) FROM involvements WHERE involvement_type = 'looked_after' AND status = 'open'` |
| children on child protection plans | `SELECT count(DISTINCT child_id) FROM involvements WHERE involvement_type = 'child_protection' AND status = 'open'` |
| care leavers | `SELECT count(DISTINCT child_id) FROM involvements WHERE involvement_type = 'care_leaver' AND status = 'open'` |
| unallocated open cases | `SELECT count(*) FROM involvements WHERE status = 'open' AND allocated_worker IS NULL AND involvement_type IN ('child_in_need', 'child_protection', 'looked_after', 'care_leaver')` |

The ledger of the run:

```sql
SELECT entity, source_rows, transferred, excluded, rejected FROM handover_ledger ORDER BY entity;
```
";

#[cfg(test)]
mod tests {
    #[test]
    fn schema_doc_is_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/schema.md");
        let want = super::markdown();
        if std::env::var_os("HANDOVER_UPDATE_DOCS").is_some() {
            std::fs::write(path, &want).unwrap();
        }
        let have = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            have == want,
            "docs/schema.md is out of date: run `HANDOVER_UPDATE_DOCS=1 cargo test schema_doc`"
        );
    }

    #[test]
    fn control_sql_in_the_doc_matches_the_sunderland_mapping() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/mappings/sunderland/controls.toml"
        ))
        .unwrap();
        for line in text.lines().filter(|l| l.starts_with("sql = ")) {
            let sql = line.trim_start_matches("sql = ").trim_matches('"');
            assert!(
                super::CONTROLS.contains(sql),
                "docs/schema.md lacks `{sql}`"
            );
        }
    }
}
