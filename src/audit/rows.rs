//! The per-row audit records (`handover_row` and `handover_lineage`), written in batches: one
//! multi-row `INSERT` per 64 records instead of one statement each, which roughly halves the cost
//! of keeping a record of every row. Anything that reads them back must [`AuditBuffer::flush`]
//! first.
use rusqlite::Connection;
use rusqlite::types::Value as Sql;

use super::ledger::Outcome;

const BATCH: usize = 64;

/// Audit records waiting to be written, for one source.
pub struct AuditBuffer {
    source_id: i64,
    rows: Vec<[Sql; 5]>,
    lineage: Vec<[Sql; 4]>,
}

impl AuditBuffer {
    /// An empty buffer for `source_id`.
    pub fn new(source_id: i64) -> Self {
        AuditBuffer {
            source_id,
            rows: Vec::with_capacity(BATCH),
            lineage: Vec::with_capacity(BATCH),
        }
    }

    /// Records a source row's outcome.
    pub fn row(
        &mut self,
        conn: &Connection,
        line: u64,
        outcome: Outcome,
        reason: Option<String>,
        key: Option<&str>,
    ) -> rusqlite::Result<()> {
        let text = |s: Option<String>| s.map_or(Sql::Null, Sql::Text);
        self.rows.push([
            Sql::Integer(self.source_id),
            Sql::Integer(line as i64),
            Sql::Text(outcome.as_str().to_string()),
            text(reason),
            text(key.map(str::to_string)),
        ]);
        if self.rows.len() >= BATCH {
            flush(
                conn,
                "handover_row (source_id, line, outcome, reason, record_key)",
                &mut self.rows,
            )?;
        }
        Ok(())
    }

    /// Records that company row (`table`, `rowid`) came from `line`.
    pub fn lineage(
        &mut self,
        conn: &Connection,
        table: &str,
        rowid: i64,
        line: u64,
    ) -> rusqlite::Result<()> {
        self.lineage.push([
            Sql::Text(table.to_string()),
            Sql::Integer(rowid),
            Sql::Integer(self.source_id),
            Sql::Integer(line as i64),
        ]);
        if self.lineage.len() >= BATCH {
            flush(
                conn,
                "handover_lineage (target_table, target_rowid, source_id, line)",
                &mut self.lineage,
            )?;
        }
        Ok(())
    }

    /// Writes everything waiting.
    pub fn flush(&mut self, conn: &Connection) -> rusqlite::Result<()> {
        flush(
            conn,
            "handover_row (source_id, line, outcome, reason, record_key)",
            &mut self.rows,
        )?;
        flush(
            conn,
            "handover_lineage (target_table, target_rowid, source_id, line)",
            &mut self.lineage,
        )
    }
}

fn flush<const N: usize>(
    conn: &Connection,
    into: &str,
    records: &mut Vec<[Sql; N]>,
) -> rusqlite::Result<()> {
    if records.is_empty() {
        return Ok(());
    }
    let one = format!("({})", vec!["?"; N].join(", "));
    let sql = format!(
        "INSERT INTO {into} VALUES {}",
        vec![one; records.len()].join(", ")
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    stmt.execute(rusqlite::params_from_iter(records.iter().flatten()))?;
    records.clear();
    Ok(())
}
