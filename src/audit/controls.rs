//! `handover_control`: each control total of the run, expected against actual.
use rusqlite::{Connection, params};
use serde::Serialize;

/// One control, expected against actual.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ControlResult {
    /// Measure name.
    pub name: String,
    /// What it counts.
    pub description: String,
    /// What the extract states; `None` when it states nothing for this measure.
    pub expected: Option<i64>,
    /// What transferred.
    pub actual: i64,
    /// Whether they agree.
    pub ok: bool,
}

/// Records one control's result.
pub fn insert(conn: &Connection, c: &ControlResult) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO handover_control (name, description, expected, actual, ok) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![c.name, c.description, c.expected, c.actual, c.ok],
    )?;
    Ok(())
}

/// Every control's result, in the order recorded.
pub fn all(conn: &Connection) -> rusqlite::Result<Vec<ControlResult>> {
    let mut stmt = conn.prepare(
        "SELECT name, description, expected, actual, ok FROM handover_control ORDER BY rowid",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(ControlResult {
            name: r.get(0)?,
            description: r.get(1)?,
            expected: r.get(2)?,
            actual: r.get(3)?,
            ok: r.get(4)?,
        })
    })?;
    rows.collect()
}
