//! The reference of one company schema in Markdown, generated from its folder so that it cannot
//! drift: `handover schema --doc --schema DIR` prints it, and a test compares the shipped
//! schema's reference (docs/companies/together-for-children.md) with it.
use std::fmt::Write;

use super::model::{ColType, Column, Schema, Table};
use super::rules::RuleSpec;

/// The whole reference of `schema`.
pub fn markdown(schema: &Schema) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}: the company schema\n", schema.company);
    if !schema.description.is_empty() {
        let _ = writeln!(out, "{}\n", schema.description);
    }
    out.push_str(
        "This reference is generated from the company's schema folder by \
         `handover schema --doc`; do not edit it by hand. docs/schema.md explains how to write a \
         schema folder. Columns marked *personal* hold personal data: reports never print them \
         unless asked with `--include-personal-data`.\n",
    );
    out.push_str("\n## Tables\n");
    for t in &schema.tables {
        table(&mut out, schema, t);
    }
    code_lists(&mut out, schema);
    rules(&mut out, schema);
    figures(&mut out, schema);
    out
}

fn table(out: &mut String, schema: &Schema, t: &Table) {
    let _ = write!(
        out,
        "\n### `{}`\n\n{} Primary key: `{}`.",
        t.name,
        t.doc,
        t.key.join("`, `")
    );
    for u in &t.unique {
        let _ = write!(out, " Unique: `{}`.", u.join("`, `"));
    }
    out.push_str("\n\n| column | type | required | rule | meaning |\n|---|---|---|---|---|\n");
    for c in &t.columns {
        let ty = match c.ty {
            ColType::Date => "date (TEXT)",
            ColType::Boolean => "boolean (INTEGER 0/1)",
            other => other.sql(),
        };
        let personal = if c.personal { " *personal*" } else { "" };
        let required = if c.required { "yes" } else { "" };
        let _ = writeln!(
            out,
            "| `{}` | {ty} | {required} | {} | {}{personal} |",
            c.name,
            column_rule(schema, c),
            c.doc
        );
    }
}

fn column_rule(schema: &Schema, c: &Column) -> String {
    let mut parts = Vec::new();
    if let Some(list) = &c.codelist {
        parts.push(format!("code list `{list}`"));
    }
    if let Some(r) = &c.references {
        parts.push(format!(
            "references `{}.{}` (orphan rule `{}`)",
            r.table, r.column, r.rule
        ));
    }
    let checks = schema.column_checks(c);
    let bounds: Vec<&String> = checks
        .iter()
        .filter(|k| !k.starts_with('(') && !k.starts_with("date(") && !k.contains(" IN (0, 1)"))
        .collect();
    if !bounds.is_empty() {
        let text: Vec<String> = bounds.iter().map(|b| format!("`{b}`")).collect();
        parts.push(text.join(", "));
    }
    if let Some(p) = &c.constraints.pattern {
        parts.push(format!("matches `{}`", p.0.as_str()));
    }
    parts.join("; ")
}

fn code_lists(out: &mut String, schema: &Schema) {
    out.push_str("\n## Code lists\n\nA list that must be covered in full is reachable in full from any crosswalk onto it. A code with dates is valid only between them (inclusive); the extract's as-at date picks the codes in force.\n");
    for l in &schema.code_lists {
        let full = if l.complete {
            " Must be covered in full."
        } else {
            ""
        };
        let _ = write!(
            out,
            "\n### `{}`\n\n{}.{full}\n\n| code | label | valid |\n|---|---|---|\n",
            l.name, l.description
        );
        for c in &l.codes {
            let valid = match (c.valid_from, c.valid_to) {
                (None, None) => String::new(),
                (Some(f), None) => format!("from {f}"),
                (None, Some(t)) => format!("to {t}"),
                (Some(f), Some(t)) => format!("{f} to {t}"),
            };
            let _ = writeln!(out, "| `{}` | {} | {valid} |", c.code, c.label);
        }
    }
}

fn rules(out: &mut String, schema: &Schema) {
    out.push_str("\n## Orphan rules\n\nEach reference above is checked after loading: a row whose reference names a record that does not transfer is rejected, with the reference's rule code (an empty reference is not an orphan).\n\n| code | reference | relation | how to fix |\n|---|---|---|---|\n");
    for t in &schema.tables {
        for c in &t.columns {
            if let Some(r) = &c.references {
                let _ = writeln!(
                    out,
                    "| `{}` | `{}.{}` to `{}.{}` | {} | {} |",
                    r.rule, t.name, c.name, r.table, r.column, r.relation, r.fix
                );
            }
        }
    }
    out.push_str("\n## Rules\n\nThe rules below are checked after loading and after the orphans are gone; the row transfers and the finding says what is wrong.\n\n| code | type | severity | table | meaning | how to fix |\n|---|---|---|---|---|---|\n");
    for r in &schema.rules {
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | `{}` | {} | {} |",
            r.code,
            r.type_name(),
            r.severity.as_str(),
            r.table,
            r.meaning,
            r.fix
        );
    }
    for r in &schema.rules {
        let what = match &r.spec {
            RuleSpec::Unallocated { filter } => format!(
                "`{}` must not be empty where `{}`",
                r.column.as_deref().unwrap_or(""),
                filter.as_deref().unwrap_or("true")
            ),
            RuleSpec::Row { filter, condition } => format!(
                "`{condition}` where `{}`",
                filter.as_deref().unwrap_or("true")
            ),
            RuleSpec::Existence { exists_in, .. } => {
                format!("a matching row in `{exists_in}`")
            }
            RuleSpec::Agreement {
                other_table,
                other_column,
                ..
            } => format!("agrees with `{other_table}.{other_column}`"),
        };
        let _ = writeln!(out, "\n`{}` ({}): {what}.", r.code, r.title);
    }
}

fn figures(out: &mut String, schema: &Schema) {
    out.push_str("\n## Service figures\n\n| figure | label | unit | SQL |\n|---|---|---|---|\n");
    for f in &schema.figures {
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | `{}` |",
            f.name,
            f.label,
            f.unit.name(),
            one_line(&f.sql)
        );
    }
    out.push_str("\n## Breakdowns\n\n| breakdown | title | SQL |\n|---|---|---|\n");
    for b in &schema.breakdowns {
        let _ = writeln!(
            out,
            "| `{}` | {} | `{}` |",
            b.name,
            b.title,
            one_line(&b.sql)
        );
    }
}

fn one_line(sql: &str) -> String {
    sql.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn shipped_schema_reference_is_current() {
        let root = env!("CARGO_MANIFEST_DIR");
        let dir = std::path::Path::new(root).join("mappings/companies/together-for-children");
        let schema = super::super::load(&dir).unwrap().schema;
        let want = super::markdown(&schema);
        let path = format!("{root}/docs/companies/together-for-children.md");
        if std::env::var_os("HANDOVER_UPDATE_DOCS").is_some() {
            std::fs::create_dir_all(format!("{root}/docs/companies")).unwrap();
            std::fs::write(&path, &want).unwrap();
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == want,
            "{path} is out of date: run `handover schema --doc --schema mappings/companies/together-for-children > {path}` (or HANDOVER_UPDATE_DOCS=1 cargo test schema)"
        );
    }
}
