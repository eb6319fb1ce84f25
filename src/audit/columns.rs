//! `handover_column`: what became of every column of every export read — carried into the
//! company's tables, declared ignored with a reason, or not carried (its data stays behind).
use rusqlite::{Connection, params};
use serde::Serialize;

use crate::mapping::ColumnFate;

/// Records the fate of each column of one source's header, in header order.
pub fn record(
    conn: &Connection,
    source_id: i64,
    columns: &[(String, ColumnFate)],
) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO handover_column (source_id, position, column_name, fate, reason)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (position, (name, fate)) in columns.iter().enumerate() {
        let (fate, reason) = match fate {
            ColumnFate::Carried => ("carried", None),
            ColumnFate::Ignored(r) => ("ignored", Some(r.as_str())),
            ColumnFate::NotCarried => ("not_carried", None),
        };
        stmt.execute(params![source_id, position as i64, name, fate, reason])?;
    }
    Ok(())
}

/// A column of an export that did not move: ignored with a reason, or not carried.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ColumnLeft {
    /// The input file.
    pub file: String,
    /// The sheet, for spreadsheets.
    pub sheet: Option<String>,
    /// The column's header.
    pub column: String,
    /// `ignored` or `not_carried`.
    pub fate: String,
    /// Why it is ignored, as the mapping says.
    pub reason: Option<String>,
}

/// Every column left behind, by file, sheet and position.
pub fn left(conn: &Connection) -> rusqlite::Result<Vec<ColumnLeft>> {
    let mut stmt = conn.prepare(
        "SELECT i.path, s.sheet, c.column_name, c.fate, c.reason
         FROM handover_column c JOIN handover_source s USING (source_id)
         JOIN handover_input i ON i.file_id = s.file_id
         WHERE c.fate <> 'carried'
         GROUP BY i.path, s.sheet, c.column_name
         ORDER BY i.path, s.sheet, min(c.position)",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(ColumnLeft {
            file: r.get(0)?,
            sheet: r.get(1)?,
            column: r.get(2)?,
            fate: r.get(3)?,
            reason: r.get(4)?,
        })
    })?;
    rows.collect()
}
