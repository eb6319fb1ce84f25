//! Orphan checks after loading, derived from the company schema's foreign keys: a placement for a
//! child who did not transfer, a case held by a worker who is not transferring, a member of staff
//! whose line manager or team stays behind, a care leaver whose personal adviser stays behind.
//! A NULL reference is not an orphan (an empty allocated worker is the unallocated check's job).
//!
//! An orphan's source row is rejected as a whole: all its target rows are removed. Removing rows
//! can orphan others (the reports of a manager who was removed), so the check repeats until
//! nothing changes. The last pass finds no orphan of any reference the schema declares, which are
//! all the foreign keys of its DDL: that is the proof that no foreign key dangles, so the run does
//! not repeat it with `PRAGMA foreign_key_check` (the tests do, on the databases they write).
use std::collections::BTreeSet;

use rusqlite::Connection;

use super::Kind;
use crate::audit::{findings, lineage};
use crate::load::Load;
use crate::mapping::MappingSet;
use crate::schema::{Column, Table};

/// Finds orphans, records findings, and rejects their rows until none are left. `first`, when
/// given, holds the first pass's orphans per reference ([`references`] order), found on the
/// loaded database already ([`super::early`]). Returns how many orphans were found.
pub fn check(
    conn: &Connection,
    set: &MappingSet,
    load: &mut Load,
    mut first: Option<Vec<Vec<Orphan>>>,
) -> anyhow::Result<usize> {
    let mut total = 0;
    loop {
        let mut rows: BTreeSet<(i64, i64)> = BTreeSet::new();
        let found = match first.take() {
            Some(found) => found,
            None => references(&set.schema)
                .map(|(table, column)| find(conn, table, column))
                .collect::<rusqlite::Result<_>>()?,
        };
        for ((table, column), orphans) in references(&set.schema).zip(found) {
            for orphan in orphans {
                record(conn, set, load, table, column, &orphan)?;
                rows.insert((orphan.source_id, orphan.line));
                total += 1;
            }
        }
        if rows.is_empty() {
            return Ok(total);
        }
        for (source_id, line) in rows {
            reject_row(conn, set, load, source_id, line)?;
        }
    }
}

/// Every reference the schema declares, as (table, column), in the order they are checked.
pub fn references(schema: &crate::schema::Schema) -> impl Iterator<Item = (&Table, &Column)> {
    schema.tables.iter().flat_map(|table| {
        table
            .columns
            .iter()
            .filter(|c| c.references.is_some())
            .map(move |column| (table, column))
    })
}

/// A row whose reference names no row of the table it refers to.
#[derive(Debug)]
pub struct Orphan {
    value: String,
    source_id: i64,
    line: i64,
}

/// The orphans of `table.column`, in the order their rows were loaded.
pub fn find(conn: &Connection, table: &Table, column: &Column) -> rusqlite::Result<Vec<Orphan>> {
    let Some(r) = &column.references else {
        return Ok(Vec::new());
    };
    let sql = format!(
        "SELECT {t}.{col}, {source}, {line} FROM {t}
         WHERE {t}.{col} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {rt} r WHERE r.{rc} = {t}.{col})
         ORDER BY {t}.rowid",
        col = column.name,
        t = table.name,
        source = lineage::source_sql(&table.name),
        line = lineage::line_sql(&table.name),
        rt = r.table,
        rc = r.column
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([], |r| {
        Ok(Orphan {
            value: r.get(0)?,
            source_id: r.get(1)?,
            line: r.get(2)?,
        })
    })?;
    rows.collect()
}

fn record(
    conn: &Connection,
    set: &MappingSet,
    load: &Load,
    table: &Table,
    column: &Column,
    o: &Orphan,
) -> anyhow::Result<()> {
    let Some(r) = &column.references else {
        return Ok(());
    };
    let at = super::locate(
        conn,
        set,
        load,
        (o.source_id, o.line),
        (&table.name, &column.name),
    )?;
    let message = format!(
        "{}: {} `{}` is not among the {} that transfer",
        r.relation, column.name, o.value, r.table
    );
    let mut f = at.finding(
        &r.rule,
        Kind::Orphan,
        o.line,
        Some(o.value.clone()),
        message,
    );
    f.rule_file = Some(column.origin.file.clone());
    f.rule_line = Some(column.origin.line as u64);
    findings::insert(conn, &f)?;
    Ok(())
}

/// Removes every target row that came from one source row and marks the row rejected.
fn reject_row(
    conn: &Connection,
    set: &MappingSet,
    load: &mut Load,
    source_id: i64,
    line: i64,
) -> anyhow::Result<()> {
    // Reference rows the row's source collects (`distinct`) stay: other rows may name them.
    let kept: Vec<&str> = load
        .sources
        .get(&source_id)
        .map(|run| &set.sources[run.mapping])
        .map(|s| {
            s.targets
                .iter()
                .filter(|t| t.distinct)
                .map(|t| t.table.name.as_str())
                .collect()
        })
        .unwrap_or_default();
    for table in set.schema.tables.iter().map(|t| t.name.as_str()) {
        if kept.contains(&table) {
            continue;
        }
        for rowid in lineage::targets(conn, table, source_id, line)? {
            conn.execute(&format!("DELETE FROM {table} WHERE rowid = ?1"), [rowid])?;
        }
    }
    if lineage::reject(conn, source_id, line)? {
        let entity = load
            .sources
            .get(&source_id)
            .map(|s| s.entity.clone())
            .unwrap_or_default();
        load.ledger.reject_transferred(&entity);
    }
    Ok(())
}
