//! Looking company rows up by where they came from, once they are loaded: the join from a company
//! table to `handover_lineage` that every check and rule query uses, the record key of a source
//! row, and the removal of a rejected row's company rows from the lineage and the ledger.
use rusqlite::{Connection, OptionalExtension};

/// The SQL that joins company `table` (unaliased) to its lineage as `l`: `l.source_id` and
/// `l.line` name the source row each company row came from. A `CROSS JOIN`, so that SQLite
/// filters the company table first and reads the lineage only of the rows a check returns (left
/// to itself it may read the table's whole lineage and look each row up from it).
pub fn join(table: &str) -> String {
    format!(
        "CROSS JOIN handover_lineage l ON l.target_table = '{table}' AND l.target_rowid = {table}.rowid"
    )
}

/// A query for the rowids of `table` that came from the sources `source_ids`.
pub fn rows_from(table: &str, source_ids: &[i64]) -> String {
    let ids: Vec<String> = source_ids.iter().map(i64::to_string).collect();
    format!(
        "SELECT target_rowid FROM handover_lineage WHERE target_table = '{table}' AND source_id IN ({})",
        ids.join(", ")
    )
}

/// The record key recorded for source row (`source_id`, `line`).
pub fn record_key(
    conn: &Connection,
    source_id: i64,
    line: i64,
) -> rusqlite::Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT record_key FROM handover_row WHERE source_id = ?1 AND line = ?2",
            [source_id, line],
            |r| r.get(0),
        )
        .optional()?
        .flatten())
}

/// The company rows (table, rowid) that came from source row (`source_id`, `line`).
pub fn targets(
    conn: &Connection,
    source_id: i64,
    line: i64,
) -> rusqlite::Result<Vec<(String, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT target_table, target_rowid FROM handover_lineage WHERE source_id = ?1 AND line = ?2",
    )?;
    let rows = stmt.query_map([source_id, line], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}

/// Forgets the lineage of company row (`table`, `rowid`), which the caller has deleted.
pub fn forget(conn: &Connection, table: &str, rowid: i64) -> rusqlite::Result<()> {
    conn.execute(
        "DELETE FROM handover_lineage WHERE target_table = ?1 AND target_rowid = ?2",
        rusqlite::params![table, rowid],
    )?;
    Ok(())
}

/// Marks source row (`source_id`, `line`) rejected; true when it was transferred until now.
pub fn reject(conn: &Connection, source_id: i64, line: i64) -> rusqlite::Result<bool> {
    let changed = conn.execute(
        "UPDATE handover_row SET outcome = 'rejected' WHERE source_id = ?1 AND line = ?2 AND outcome = 'transferred'",
        [source_id, line],
    )?;
    Ok(changed == 1)
}

/// The input file and line of the company row of `table` whose `columns` hold `values`, if any
/// (the first holder of a natural key, for a duplicate's message).
pub fn holder(
    conn: &Connection,
    table: &str,
    columns: &[&str],
    values: &[&dyn rusqlite::ToSql],
) -> rusqlite::Result<Option<(String, i64)>> {
    let wheres: Vec<String> = columns
        .iter()
        .enumerate()
        .map(|(n, c)| format!("{table}.{c} = ?{}", n + 1))
        .collect();
    let sql = format!(
        "SELECT i.path, l.line FROM {table} {}
         JOIN handover_source s ON s.source_id = l.source_id
         JOIN handover_input i ON i.file_id = s.file_id
         WHERE {}",
        join(table),
        wheres.join(" AND ")
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(values)?;
    rows.next()?.map(|r| Ok((r.get(0)?, r.get(1)?))).transpose()
}
