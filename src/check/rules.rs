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

/// Records a finding for every violation of every declared rule; returns how many.
pub fn check(
    conn: &Connection,
    set: &MappingSet,
    load: &Load,
    as_at: Option<jiff::civil::Date>,
) -> anyhow::Result<usize> {
    let mut total = 0;
    for (i, rule) in set.schema.rules.iter().enumerate() {
        // A rule that reads the as-at date cannot be checked without one; the run says so
        // (crate::check::as_at).
        if rule.uses_as_at() && as_at.is_none() {
            continue;
        }
        // The rows another table is searched for are indexed while the rule runs, so that the
        // check costs a lookup per row, not a scan; the index is dropped afterwards, leaving the
        // company database exactly as its schema declares it.
        let index = format!("handover_rule_{i}");
        if let Some((table, columns)) = rule.lookup() {
            conn.execute_batch(&format!(
                "CREATE INDEX {index} ON {table} ({})",
                columns.join(", ")
            ))?;
        }
        total += check_rule(conn, set, load, rule, as_at)?;
        if rule.lookup().is_some() {
            conn.execute_batch(&format!("DROP INDEX {index}"))?;
        }
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
struct Violation {
    value: Option<String>,
    values: Vec<(String, Option<String>)>,
    source_id: i64,
    line: i64,
}

fn check_rule(
    conn: &Connection,
    set: &MappingSet,
    load: &Load,
    rule: &SchemaRule,
    as_at: Option<jiff::civil::Date>,
) -> anyhow::Result<usize> {
    let names = rule.placeholders();
    let sql = format!(
        "SELECT {}, l.source_id, l.line FROM {t} {} WHERE {} ORDER BY l.source_id, l.line",
        rule.columns_sql(),
        lineage::join(&rule.table),
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
    drop(query);
    let column = rule.column.as_deref().unwrap_or("");
    for v in &rows {
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
