//! Resolving `[[rule]]`, `[[figure]]` and `[[breakdown]]`: every table and column they name must
//! exist, and every query they make must prepare against the schema's own DDL, with the number of
//! result columns its use needs. A rule's message may not name a personal column.
use std::collections::BTreeMap;

use rusqlite::Connection;
use toml::Spanned;

use super::load::Parsed;
use super::model::{BreakdownDef, FigureDef, Schema, Table, Unit};
use super::raw::{RawBreakdown, RawFigure, RawRule};
use super::rules::{RULE_TYPES, RuleSpec, SchemaRule};
use crate::diagnostic::{Diagnostic, Sink, suggest};
use crate::finding::{Builtin, Severity};

/// Resolves the rules, figures and breakdowns of every file. Returns the scratch database they
/// were prepared on (the company tables, empty), for the mapping set to prepare its own queries
/// on; `None` when the tables cannot be created.
pub fn resolve(
    parsed: &[Parsed],
    schema: &mut Schema,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Connection> {
    let db = match scratch_db(schema) {
        Ok(db) => Some(db),
        Err(e) => {
            diagnostics.push(Diagnostic {
                level: crate::diagnostic::Level::Error,
                check: "schema-table",
                file: super::load::display(&schema.dir, ""),
                line: 0,
                col: 0,
                message: format!(
                    "the schema's tables cannot be created ({e}), so its rules and figures were not checked"
                ),
            });
            None
        }
    };
    for p in parsed {
        let Some(raw) = &p.raw else { continue };
        let mut sink = p.sink();
        for r in &raw.rule {
            if let Some(rule) = rule(&mut sink, p, r, schema, db.as_ref()) {
                schema.rules.push(rule);
            }
        }
        for f in &raw.figure {
            if let Some(fig) = figure(&mut sink, p, f, schema, db.as_ref()) {
                schema.figures.push(fig);
            }
        }
        for b in &raw.breakdown {
            if let Some(bd) = breakdown(&mut sink, p, b, schema, db.as_ref()) {
                schema.breakdowns.push(bd);
            }
        }
        diagnostics.append(&mut sink.found);
    }
    db
}

/// An empty database with the schema's tables, for preparing queries.
fn scratch_db(schema: &Schema) -> rusqlite::Result<Connection> {
    let conn = Connection::open_in_memory()?;
    super::sql::register(&conn)?;
    conn.execute_batch(&schema.scratch_ddl())?;
    Ok(conn)
}

/// Prepares `sql`; `Err` holds SQLite's complaint. Checks the result's column count.
fn prepare(db: Option<&Connection>, sql: &str, columns: usize) -> Result<(), String> {
    let Some(db) = db else { return Ok(()) };
    let stmt = db.prepare(sql).map_err(|e| e.to_string())?;
    if stmt.column_count() != columns {
        return Err(format!(
            "the query returns {} columns; it must return {columns}",
            stmt.column_count()
        ));
    }
    Ok(())
}

fn table<'s>(sink: &mut Sink, schema: &'s Schema, name: &Spanned<String>) -> Option<&'s Table> {
    let t = schema.table(name.get_ref());
    if t.is_none() {
        let hint = suggest(
            name.get_ref(),
            schema.tables.iter().map(|t| t.name.as_str()),
        )
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default();
        sink.error(
            "schema-rule",
            name.span().start,
            format!("no table `{}`{hint}", name.get_ref()),
        );
    }
    t
}

fn column_of(sink: &mut Sink, t: &Table, name: &str, at: usize) -> bool {
    let ok = t.column(name).is_some();
    if !ok {
        let hint = suggest(name, t.columns.iter().map(|c| c.name.as_str()))
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        sink.error(
            "schema-rule",
            at,
            format!("table `{}` has no column `{name}`{hint}", t.name),
        );
    }
    ok
}

fn rule(
    sink: &mut Sink,
    p: &Parsed,
    raw: &Spanned<RawRule>,
    schema: &Schema,
    db: Option<&Connection>,
) -> Option<SchemaRule> {
    let r = raw.get_ref();
    let at = raw.span().start;
    let code = r.code.get_ref().trim().to_string();
    let taken = Builtin::from_code(&code).is_some()
        || schema.rules.iter().any(|x| x.code == code)
        || schema.rule_codes().filter(|c| *c == code).count() > 0;
    if code.is_empty() || taken {
        sink.error(
            "schema-rule",
            r.code.span().start,
            format!("rule code `{code}` is empty or already taken"),
        );
        return None;
    }
    let t = table(sink, schema, &r.table)?;
    let column = r.column.as_ref().map(|c| c.get_ref().clone());
    if let Some(c) = &r.column
        && !column_of(sink, t, c.get_ref(), c.span().start)
    {
        return None;
    }
    let severity = match &r.severity {
        None => Severity::Error,
        Some(s) => match Severity::from_name(s.get_ref()) {
            Some(s) => s,
            None => {
                sink.error(
                    "schema-rule",
                    s.span().start,
                    "`severity` must be `error` or `warning`",
                );
                return None;
            }
        },
    };
    let spec = spec(sink, r, t, schema)?;
    let rule = SchemaRule {
        code,
        severity,
        title: r.title.clone(),
        meaning: r.meaning.clone().unwrap_or_else(|| r.title.clone()),
        fix: r.fix.clone().unwrap_or_default(),
        table: t.name.clone(),
        column,
        message: r.message.get_ref().clone(),
        spec,
        origin: p.origin(sink, at),
    };
    for name in rule.placeholders() {
        match t.column(&name) {
            None => {
                column_of(sink, t, &name, r.message.span().start);
                return None;
            }
            Some(c) if c.personal => {
                sink.error(
                    "schema-rule",
                    r.message.span().start,
                    format!("the message names `{name}`, a personal column: messages must not show personal data"),
                );
                return None;
            }
            Some(_) => {}
        }
    }
    let arity = 1 + rule.placeholders().len();
    if let Err(e) = prepare(db, &rule.select_sql(), arity) {
        sink.error(
            "schema-rule",
            at,
            format!("rule `{}`: its query does not prepare: {e}", rule.code),
        );
        return None;
    }
    Some(rule)
}

/// The type-specific keys of a rule.
fn spec(sink: &mut Sink, r: &RawRule, t: &Table, schema: &Schema) -> Option<RuleSpec> {
    let text = |s: &Option<Spanned<String>>| s.as_ref().map(|s| s.get_ref().clone());
    let need = |sink: &mut Sink, s: &Option<Spanned<String>>, key: &str| {
        if s.is_none() {
            sink.error(
                "schema-rule",
                r.ty.span().start,
                format!("a `{}` rule needs `{key}`", r.ty.get_ref()),
            );
        }
        s.is_some()
    };
    let filter = text(&r.filter);
    match r.ty.get_ref().as_str() {
        "unallocated" => {
            need(sink, &r.column, "column").then_some(RuleSpec::Unallocated { filter })
        }
        "row" => need(sink, &r.check, "check").then(|| RuleSpec::Row {
            filter,
            condition: text(&r.check).unwrap_or_default(),
        }),
        "existence" => {
            if !need(sink, &r.exists_in, "exists_in") {
                return None;
            }
            let other = table(sink, schema, r.exists_in.as_ref()?)?;
            let on = on(sink, r, t, other)?;
            Some(RuleSpec::Existence {
                filter,
                exists_in: other.name.clone(),
                on,
                exists_where: text(&r.exists_where),
            })
        }
        "agreement" => {
            if !(need(sink, &r.column, "column")
                && need(sink, &r.other_table, "other_table")
                && need(sink, &r.other_column, "other_column"))
            {
                return None;
            }
            let other = table(sink, schema, r.other_table.as_ref()?)?;
            let oc = r.other_column.as_ref()?;
            if !column_of(sink, other, oc.get_ref(), oc.span().start) {
                return None;
            }
            Some(RuleSpec::Agreement {
                other_table: other.name.clone(),
                other_column: oc.get_ref().clone(),
                on: on(sink, r, t, other)?,
            })
        }
        other => {
            sink.error(
                "schema-rule",
                r.ty.span().start,
                format!(
                    "unknown rule type `{other}`; expected one of {}",
                    RULE_TYPES.join(", ")
                ),
            );
            None
        }
    }
}

fn on(sink: &mut Sink, r: &RawRule, t: &Table, other: &Table) -> Option<Vec<(String, String)>> {
    let Some(on) = &r.on else {
        sink.error(
            "schema-rule",
            r.ty.span().start,
            "the rule needs `on`: this table's columns matched to the other table's",
        );
        return None;
    };
    let at = on.span().start;
    let pairs: BTreeMap<String, String> = on.get_ref().clone();
    let mut ok = !pairs.is_empty();
    for (mine, theirs) in &pairs {
        ok &= column_of(sink, t, mine, at) && column_of(sink, other, theirs, at);
    }
    ok.then(|| pairs.into_iter().collect())
}

fn figure(
    sink: &mut Sink,
    p: &Parsed,
    raw: &Spanned<RawFigure>,
    schema: &Schema,
    db: Option<&Connection>,
) -> Option<FigureDef> {
    let r = raw.get_ref();
    let name = r.name.get_ref().clone();
    if schema.figures.iter().any(|f| f.name == name) {
        sink.error(
            "schema-figure",
            r.name.span().start,
            format!("figure `{name}` is declared twice"),
        );
        return None;
    }
    let Some(unit) = Unit::from_name(r.unit.get_ref()) else {
        sink.error(
            "schema-figure",
            r.unit.span().start,
            "`unit` must be `count`, `percent` or `average`",
        );
        return None;
    };
    let requires = r
        .requires
        .as_ref()
        .map(|x| x.get_ref().clone())
        .unwrap_or_default();
    for t in &requires {
        if schema.table(t).is_none() {
            sink.error(
                "schema-figure",
                r.requires.as_ref().map_or(0, |x| x.span().start),
                format!("`requires` names `{t}`, which is not a table"),
            );
            return None;
        }
    }
    let sql = r.sql.get_ref().trim().to_string();
    if let Err(e) = prepare(db, &sql, unit.arity()) {
        sink.error(
            "schema-figure",
            r.sql.span().start,
            format!("figure `{name}`: its query does not prepare: {e}"),
        );
        return None;
    }
    Some(FigureDef {
        name,
        label: r.label.clone(),
        unit,
        sql,
        requires,
        origin: p.origin(sink, raw.span().start),
    })
}

fn breakdown(
    sink: &mut Sink,
    p: &Parsed,
    raw: &Spanned<RawBreakdown>,
    schema: &Schema,
    db: Option<&Connection>,
) -> Option<BreakdownDef> {
    let r = raw.get_ref();
    let name = r.name.get_ref().clone();
    if schema.breakdowns.iter().any(|b| b.name == name) {
        sink.error(
            "schema-figure",
            r.name.span().start,
            format!("breakdown `{name}` is declared twice"),
        );
        return None;
    }
    if let Some(list) = &r.codelist
        && schema.code_list(list.get_ref()).is_none()
    {
        sink.error(
            "schema-codelist",
            list.span().start,
            format!("no code list `{}`", list.get_ref()),
        );
        return None;
    }
    let sql = r.sql.get_ref().trim().to_string();
    if let Err(e) = prepare(db, &sql, 2) {
        sink.error(
            "schema-figure",
            r.sql.span().start,
            format!("breakdown `{name}`: its query does not prepare: {e}"),
        );
        return None;
    }
    Some(BreakdownDef {
        name,
        title: r.title.clone(),
        dimension: r.dimension.clone(),
        codelist: r.codelist.as_ref().map(|c| c.get_ref().clone()),
        sql,
        origin: p.origin(sink, raw.span().start),
    })
}
