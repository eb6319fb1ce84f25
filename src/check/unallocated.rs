//! Unallocated open cases: an open child-in-need, child-protection, looked-after or care-leaver
//! involvement with no allocated worker. A blank, a `-1` (declared as a null value in the mapping)
//! or NULL is unallocated, never silently passed. The case still transfers (the child must not be
//! lost), but the finding is an error: the company may not go live with an unallocated case.
use rusqlite::Connection;

use super::Kind;
use crate::load::{Load, findings};
use crate::mapping::MappingSet;

/// The stable rule code.
pub const RULE: &str = "HO-UNA-001";

/// Records a finding for every unallocated open case; returns how many.
pub fn check(conn: &Connection, set: &MappingSet, load: &Load) -> anyhow::Result<usize> {
    let mut stmt = conn.prepare(
        "SELECT i.involvement_id, i.involvement_type, l.source_id, l.line FROM involvements i
         JOIN handover_lineage l ON l.target_table = 'involvements' AND l.target_rowid = i.rowid
         WHERE i.status = 'open' AND i.allocated_worker IS NULL
           AND i.involvement_type IN ('child_in_need', 'child_protection', 'looked_after', 'care_leaver')
         ORDER BY l.source_id, l.line",
    )?;
    let rows: Vec<(String, String, i64, i64)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, kind, source_id, line) in &rows {
        let at = super::locate(
            conn,
            set,
            load,
            (*source_id, *line),
            ("involvements", "allocated_worker"),
        )?;
        let message = format!(
            "open {} case {id} has no allocated worker",
            kind.replace('_', " ")
        );
        findings::insert(
            conn,
            &at.finding(RULE, Kind::Unallocated, *line, None, message),
        )?;
    }
    Ok(rows.len())
}
