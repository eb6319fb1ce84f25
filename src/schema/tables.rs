//! Resolving `[[table]]`: names, types, keys, code lists and value bounds of every column, then
//! (once every table is known) the references, which must point at a unique key of a table.
use toml::Spanned;

use super::load::Parsed;
use super::model::{ColType, Column, Constraints, Pattern, Reference, Schema, Table};
use super::raw::{RawColumn, RawSchemaFile, RawTable};
use super::sql::is_ident;
use crate::diagnostic::{Sink, suggest};

/// Resolves the tables of one file (references are checked later, by [`check_references`]).
pub fn resolve(sink: &mut Sink, p: &Parsed, raw: &RawSchemaFile, schema: &mut Schema) {
    for t in &raw.table {
        let Some(table) = table(sink, p, t) else {
            continue;
        };
        if schema.table(&table.name).is_some() {
            sink.error(
                "schema-table",
                t.get_ref().name.span().start,
                format!("table `{}` is declared twice", table.name),
            );
            continue;
        }
        schema.tables.push(table);
    }
}

fn ident(sink: &mut Sink, name: &Spanned<String>, what: &str) -> bool {
    let ok = is_ident(name.get_ref());
    if !ok {
        sink.error(
            "schema-table",
            name.span().start,
            format!(
                "{what} `{}` must be a plain name (letters, digits and `_`, not starting with a digit, `handover_` or `sqlite_`)",
                name.get_ref()
            ),
        );
    }
    ok
}

fn table(sink: &mut Sink, p: &Parsed, raw: &Spanned<RawTable>) -> Option<Table> {
    let r = raw.get_ref();
    if !ident(sink, &r.name, "table") {
        return None;
    }
    let mut columns: Vec<Column> = Vec::new();
    for c in &r.columns {
        let Some(col) = column(sink, p, c) else {
            continue;
        };
        if columns.iter().any(|x| x.name == col.name) {
            sink.error(
                "schema-table",
                c.get_ref().name.span().start,
                format!("column `{}` is declared twice", col.name),
            );
            continue;
        }
        columns.push(col);
    }
    let known = |sink: &mut Sink, key: &[String], at: usize, what: &str| {
        let mut ok = !key.is_empty();
        if key.is_empty() {
            sink.error("schema-table", at, format!("the {what} is empty"));
        }
        for k in key {
            if !columns.iter().any(|c| &c.name == k) {
                let hint = suggest(k, columns.iter().map(|c| c.name.as_str()))
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
                sink.error(
                    "schema-table",
                    at,
                    format!(
                        "{what} column `{k}` is not a column of `{}`{hint}",
                        r.name.get_ref()
                    ),
                );
                ok = false;
            }
        }
        ok
    };
    let key = r.primary_key.get_ref().clone();
    known(sink, &key, r.primary_key.span().start, "primary key");
    let mut unique = Vec::new();
    if let Some(u) = &r.unique {
        for k in u.get_ref() {
            if known(sink, k, u.span().start, "unique key") {
                unique.push(k.clone());
            }
        }
    }
    Some(Table {
        name: r.name.get_ref().clone(),
        doc: r.description.clone().unwrap_or_default(),
        key,
        unique,
        columns,
        origin: p.origin(sink, raw.span().start),
    })
}

/// The names SQLite gives a table's rowid, which a column of the same name would hide.
const ROW_ID_NAMES: [&str; 3] = ["rowid", "_rowid_", "oid"];

fn column(sink: &mut Sink, p: &Parsed, raw: &Spanned<RawColumn>) -> Option<Column> {
    let r = raw.get_ref();
    if !ident(sink, &r.name, "column") {
        return None;
    }
    if ROW_ID_NAMES.contains(&r.name.get_ref().to_ascii_lowercase().as_str()) {
        sink.error(
            "schema-table",
            r.name.span().start,
            format!(
                "column `{}` would hide SQLite's own name for a row's id, which holds the row's lineage (docs/schema.md, `handover_lineage`): give the column another name",
                r.name.get_ref()
            ),
        );
        return None;
    }
    let Some(ty) = ColType::from_name(r.ty.get_ref()) else {
        let names = ColType::ALL.map(ColType::name);
        sink.error(
            "schema-table",
            r.ty.span().start,
            format!(
                "unknown type `{}`; expected one of {}",
                r.ty.get_ref(),
                names.join(", ")
            ),
        );
        return None;
    };
    let references = match (&r.references, &r.rule) {
        (Some(to), Some(rule)) => {
            let (table, column) = to.get_ref().split_once('.').unwrap_or(("", ""));
            Some(Reference {
                table: table.to_string(),
                column: column.to_string(),
                rule: rule.get_ref().clone(),
                relation: r
                    .relation
                    .clone()
                    .unwrap_or_else(|| format!("{} to {table}", r.name.get_ref())),
                fix: r.fix.clone().unwrap_or_default(),
            })
        }
        (Some(to), None) => {
            sink.error(
                "schema-reference",
                to.span().start,
                "a reference needs a `rule`: the stable code of its orphan check",
            );
            None
        }
        (None, Some(rule)) => {
            sink.error(
                "schema-reference",
                rule.span().start,
                "`rule` names an orphan check, which needs `references`",
            );
            None
        }
        (None, None) => None,
    };
    if r.codelist.is_some() && ty != ColType::Text {
        sink.error(
            "schema-table",
            r.ty.span().start,
            "a coded column must be of type `text`",
        );
    }
    Some(Column {
        name: r.name.get_ref().clone(),
        ty,
        required: r.required.unwrap_or(false),
        codelist: r.codelist.as_ref().map(|c| c.get_ref().clone()),
        references,
        personal: r.personal.unwrap_or(false),
        constraints: constraints(sink, ty, r),
        doc: r.description.clone().unwrap_or_default(),
        origin: p.origin(sink, raw.span().start),
    })
}

fn constraints(sink: &mut Sink, ty: ColType, r: &RawColumn) -> Constraints {
    let numeric = matches!(ty, ColType::Integer | ColType::Decimal);
    let at = r.name.span().start;
    let bounds = [r.min, r.max, r.greater_than, r.less_than];
    if !numeric && bounds.iter().any(Option::is_some) {
        sink.error(
            "schema-table",
            at,
            "`min`, `max`, `greater_than` and `less_than` apply to integer and decimal columns",
        );
    }
    let text = ty == ColType::Text;
    if !text && (r.min_length.is_some() || r.max_length.is_some() || r.pattern.is_some()) {
        sink.error(
            "schema-table",
            at,
            "`min_length`, `max_length` and `pattern` apply to text columns",
        );
    }
    let mut date = |d: &Option<Spanned<String>>| {
        let d = d.as_ref()?;
        if ty != ColType::Date {
            sink.error(
                "schema-table",
                d.span().start,
                "`not_before` and `not_after` apply to date columns",
            );
            return None;
        }
        let parsed = d.get_ref().parse().ok();
        if parsed.is_none() {
            sink.error(
                "schema-table",
                d.span().start,
                format!("`{}` is not a date (YYYY-MM-DD)", d.get_ref()),
            );
        }
        parsed
    };
    let (not_before, not_after) = (date(&r.not_before), date(&r.not_after));
    let pattern = r.pattern.as_ref().and_then(|p| {
        match regex::Regex::new(&format!("^(?:{})$", p.get_ref())) {
            Ok(re) => Some(Pattern(re)),
            Err(e) => {
                sink.error(
                    "schema-table",
                    p.span().start,
                    format!("`pattern` is not a regular expression: {e}"),
                );
                None
            }
        }
    });
    Constraints {
        min: r.min,
        max: r.max,
        greater_than: r.greater_than,
        less_than: r.less_than,
        min_length: r.min_length,
        max_length: r.max_length,
        pattern,
        not_before,
        not_after,
    }
}

/// Checks every column's code list and reference once all tables and lists are known: the list
/// exists, and the referenced table and column exist and the column is a key there.
pub fn check_references(sink: &mut Sink, raw: &RawSchemaFile, schema: &mut Schema) {
    for t in &raw.table {
        for c in &t.get_ref().columns {
            let c = c.get_ref();
            if let Some(list) = &c.codelist
                && schema.code_list(list.get_ref()).is_none()
            {
                let hint = suggest(
                    list.get_ref(),
                    schema.code_lists.iter().map(|l| l.name.as_str()),
                )
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
                sink.error(
                    "schema-codelist",
                    list.span().start,
                    format!("no code list `{}`{hint}", list.get_ref()),
                );
            }
            if let Some(to) = &c.references {
                reference(sink, to, schema);
            }
        }
    }
}

fn reference(sink: &mut Sink, to: &Spanned<String>, schema: &Schema) {
    let at = to.span().start;
    let Some((table, column)) = to.get_ref().split_once('.') else {
        sink.error(
            "schema-reference",
            at,
            format!("`references = \"{}\"` must be `table.column`", to.get_ref()),
        );
        return;
    };
    let Some(target) = schema.table(table) else {
        let hint = suggest(table, schema.tables.iter().map(|t| t.name.as_str()))
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        sink.error(
            "schema-reference",
            at,
            format!("no table `{table}` to reference{hint}"),
        );
        return;
    };
    if target.column(column).is_none() {
        sink.error(
            "schema-reference",
            at,
            format!("table `{table}` has no column `{column}`"),
        );
    } else if !target.is_unique(&[column]) {
        sink.error(
            "schema-reference",
            at,
            format!(
                "`{table}.{column}` is not a key of `{table}`: a reference must point at its primary key or a `unique` key"
            ),
        );
    }
}
