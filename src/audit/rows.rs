//! The per-row audit records (`handover_row` and `handover_lineage`), written in batches: one
//! multi-row `INSERT` per 64 records instead of one statement each, with every value bound in
//! place (no SQL text and no value copied per row). Both tables are written in the order their
//! keys grow (`handover_row` by source and line, `handover_lineage` by table and rowid within each
//! table), so each insert appends to its b-tree. Anything that reads them back must
//! [`AuditBuffer::flush`] first.
use rusqlite::Connection;

use super::ledger::Outcome;

const BATCH: usize = 64;

/// One source row's outcome, waiting.
struct RowRecord {
    line: i64,
    outcome: Outcome,
    reason: Option<String>,
    key: Option<String>,
}

/// Audit records waiting to be written, for one source.
pub struct AuditBuffer {
    source_id: i64,
    /// The company tables this source writes, by target index.
    tables: Vec<String>,
    rows: Vec<RowRecord>,
    /// (target index, rowid, line).
    lineage: Vec<(usize, i64, i64)>,
}

impl AuditBuffer {
    /// An empty buffer for `source_id`, whose targets write `tables` (in target order).
    pub fn new(source_id: i64, tables: Vec<String>) -> Self {
        AuditBuffer {
            source_id,
            tables,
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
        key: Option<String>,
    ) -> rusqlite::Result<()> {
        self.rows.push(RowRecord {
            line: line as i64,
            outcome,
            reason,
            key,
        });
        if self.rows.len() >= BATCH {
            self.flush_rows(conn)?;
        }
        Ok(())
    }

    /// Records that the row target `target` wrote at `rowid` came from `line`.
    pub fn lineage(
        &mut self,
        conn: &Connection,
        target: usize,
        rowid: i64,
        line: u64,
    ) -> rusqlite::Result<()> {
        self.lineage.push((target, rowid, line as i64));
        if self.lineage.len() >= BATCH {
            self.flush_lineage(conn)?;
        }
        Ok(())
    }

    /// Writes everything waiting.
    pub fn flush(&mut self, conn: &Connection) -> rusqlite::Result<()> {
        self.flush_rows(conn)?;
        self.flush_lineage(conn)
    }

    fn flush_rows(&mut self, conn: &Connection) -> rusqlite::Result<()> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let sql = insert_sql(
            "handover_row (source_id, line, outcome, reason, record_key)",
            5,
            self.rows.len(),
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        for (n, r) in self.rows.iter().enumerate() {
            let at = n * 5;
            stmt.raw_bind_parameter(at + 1, self.source_id)?;
            stmt.raw_bind_parameter(at + 2, r.line)?;
            stmt.raw_bind_parameter(at + 3, r.outcome.as_str())?;
            stmt.raw_bind_parameter(at + 4, r.reason.as_deref())?;
            stmt.raw_bind_parameter(at + 5, r.key.as_deref())?;
        }
        stmt.raw_execute()?;
        self.rows.clear();
        Ok(())
    }

    fn flush_lineage(&mut self, conn: &Connection) -> rusqlite::Result<()> {
        if self.lineage.is_empty() {
            return Ok(());
        }
        let sql = insert_sql(
            "handover_lineage (target_table, target_rowid, source_id, line)",
            4,
            self.lineage.len(),
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        for (n, (target, rowid, line)) in self.lineage.iter().enumerate() {
            let at = n * 4;
            stmt.raw_bind_parameter(at + 1, self.tables[*target].as_str())?;
            stmt.raw_bind_parameter(at + 2, *rowid)?;
            stmt.raw_bind_parameter(at + 3, self.source_id)?;
            stmt.raw_bind_parameter(at + 4, *line)?;
        }
        stmt.raw_execute()?;
        self.lineage.clear();
        Ok(())
    }
}

/// `INSERT INTO {into} VALUES (?, …), …` for `records` records of `width` values.
fn insert_sql(into: &str, width: usize, records: usize) -> String {
    let one = format!("({})", vec!["?"; width].join(", "));
    format!(
        "INSERT INTO {into} VALUES {}",
        vec![one; records].join(", ")
    )
}
