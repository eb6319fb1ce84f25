//! The company schema's declared rules, checked after loading and after the orphans are gone:
//! unallocated cases, row rules, existence rules and agreement rules. Each rule is one query
//! (the schema's [`crate::schema::SchemaRule::select_sql`], joined to the lineage); every row it
//! returns becomes a
//! finding located at the source row the company row came from, with the rule's severity and
//! the schema file and line that declare it. The rows still transfer: these findings are about
//! the service (a case without a worker), not about rows that cannot be stored.
use rusqlite::Connection;

use crate::audit::{findings, lineage};
use crate::load::Load;
use crate::mapping::MappingSet;
use crate::schema::SchemaRule;

/// The rules checked: every declared rule but those that read an as-at date the run lacks (the
/// run says so: crate::check::as_at).
pub fn checked(set: &MappingSet, as_at: Option<jiff::civil::Date>) -> Vec<&SchemaRule> {
    set.schema
        .rules
        .iter()
        .filter(|rule| !(rule.uses_as_at() && as_at.is_none()))
        .collect()
}

/// Indexes the rows another table is searched for while the rules run, so that a check costs a
/// lookup per row, not a scan; each index is built once, however many rules use it, and none
/// where the table's key already is one. [`drop_indexes`] drops them after the rules, leaving
/// the company database exactly as its schema declares it. Returns how many it made.
pub fn create_indexes(
    conn: &Connection,
    set: &MappingSet,
    as_at: Option<jiff::civil::Date>,
) -> rusqlite::Result<usize> {
    let mut indexes: Vec<(&str, Vec<&str>)> = Vec::new();
    for (table, columns) in checked(set, as_at).iter().filter_map(|r| r.lookup()) {
        let keyed = set
            .schema
            .table(table)
            .is_some_and(|t| t.key.iter().map(String::as_str).eq(columns.iter().copied()));
        if !keyed && !indexes.iter().any(|(t, c)| *t == table && *c == columns) {
            indexes.push((table, columns));
        }
    }
    for (i, (table, columns)) in indexes.iter().enumerate() {
        conn.execute_batch(&format!(
            "CREATE INDEX handover_rule_{i} ON {table} ({})",
            columns.join(", ")
        ))?;
    }
    Ok(indexes.len())
}

/// Drops the `count` indexes [`create_indexes`] made.
pub fn drop_indexes(conn: &Connection, count: usize) -> rusqlite::Result<()> {
    for i in 0..count {
        conn.execute_batch(&format!("DROP INDEX handover_rule_{i}"))?;
    }
    Ok(())
}

/// Records a finding for every violation of every rule [`checked`]; returns how many. `found`,
/// when given, holds each rule's violations, found on this database already
/// ([`super::early`]).
pub fn check(
    conn: &Connection,
    set: &MappingSet,
    load: &Load,
    as_at: Option<jiff::civil::Date>,
    found: Option<Vec<Vec<Violation>>>,
) -> anyhow::Result<usize> {
    let rules = checked(set, as_at);
    let found = match found {
        Some(found) => found,
        None => rules
            .iter()
            .map(|rule| violations(conn, rule, as_at))
            .collect::<rusqlite::Result<_>>()?,
    };
    let mut total = 0;
    for (rule, rows) in rules.into_iter().zip(found) {
        total += record(conn, set, load, rule, &rows)?;
    }
    Ok(total)
}

/// The label of `code` in the code list of `rule`'s table's `column`, if it has one.
fn label(set: &MappingSet, rule: &SchemaRule, column: &str, code: &str) -> Option<String> {
    let list = set
        .schema
        .table(&rule.table)?
        .column(column)?
        .codelist
        .as_deref()?;
    set.schema.code_list(list)?.label(code).map(str::to_string)
}

/// One violation from a row of the rule's query.
fn violation(r: &rusqlite::Row, names: &[String]) -> rusqlite::Result<Violation> {
    let n = names.len();
    let text = |i: usize| -> rusqlite::Result<Option<String>> {
        use rusqlite::types::ValueRef;
        Ok(match r.get_ref(i)? {
            ValueRef::Null => None,
            ValueRef::Integer(v) => Some(v.to_string()),
            ValueRef::Real(v) => Some(v.to_string()),
            ValueRef::Text(t) | ValueRef::Blob(t) => Some(String::from_utf8_lossy(t).into_owned()),
        })
    };
    let mut values = Vec::with_capacity(n);
    for (i, name) in names.iter().enumerate() {
        values.push((name.clone(), text(i + 1)?));
    }
    Ok(Violation {
        value: text(0)?,
        values,
        source_id: r.get(n + 1)?,
        line: r.get(n + 2)?,
    })
}

/// One violation: the rule column's value, the message's values, and the source row.
#[derive(Debug)]
pub struct Violation {
    value: Option<String>,
    values: Vec<(String, Option<String>)>,
    source_id: i64,
    line: i64,
}

/// Every row that breaks `rule`, in the order the rows were loaded.
pub fn violations(
    conn: &Connection,
    rule: &SchemaRule,
    as_at: Option<jiff::civil::Date>,
) -> rusqlite::Result<Vec<Violation>> {
    let names = rule.placeholders();
    let sql = format!(
        "SELECT {}, {}, {} FROM {t} WHERE {} ORDER BY {t}.rowid",
        rule.columns_sql(),
        lineage::source_sql(&rule.table),
        lineage::line_sql(&rule.table),
        rule.condition(),
        t = rule.table
    );
    let mut stmt = conn.prepare(&sql)?;
    if let Some(i) = stmt.parameter_index(":as_at")? {
        stmt.raw_bind_parameter(i, as_at.map(|d| d.to_string()))?;
    }
    let mut query = stmt.raw_query();
    let mut rows: Vec<Violation> = Vec::new();
    while let Some(r) = query.next()? {
        rows.push(violation(r, &names)?);
    }
    Ok(rows)
}

/// Records a finding for each of `rule`'s violations; returns how many.
fn record(
    conn: &Connection,
    set: &MappingSet,
    load: &Load,
    rule: &SchemaRule,
    rows: &[Violation],
) -> anyhow::Result<usize> {
    let column = rule.column.as_deref().unwrap_or("");
    for v in rows {
        let at = super::locate(
            conn,
            set,
            load,
            (v.source_id, v.line),
            (&rule.table, column),
        )?;
        let mut f = at.finding(
            &rule.code,
            rule.kind(),
            v.line,
            v.value.clone(),
            rule.render(&v.values, |column, code| label(set, rule, column, code)),
        );
        f.severity = rule.severity;
        f.rule_file = Some(rule.origin.file.clone());
        f.rule_line = Some(rule.origin.line as u64);
        findings::insert(conn, &f)?;
    }
    Ok(rows.len())
}
