//! The per-row audit records (`handover_row`, every source row's outcome), written in batches:
//! one multi-row `INSERT` per 64 records instead of one statement each, with every value bound in
//! place (no SQL text and no value copied per row). The table is written in the order its key
//! grows (source, line), so each insert appends to its b-tree. Anything that reads it back must
//! [`AuditBuffer::flush`] first. A company row's lineage needs no record: it is the row's rowid
//! ([`super::lineage`]).
use compact_str::CompactString;
use rusqlite::Connection;

use super::ledger::Outcome;

/// Records per multi-row `INSERT` of the per-row audit tables.
pub(super) const BATCH: usize = 64;

/// One source row's outcome, waiting.
struct RowRecord {
    line: i64,
    outcome: Outcome,
    reason: Option<String>,
    key: Option<CompactString>,
}

/// Audit records waiting to be written, for one source.
pub struct AuditBuffer {
    source_id: i64,
    rows: Vec<RowRecord>,
    /// The statement for a full batch, built once.
    full: String,
}

impl AuditBuffer {
    /// An empty buffer for `source_id`.
    pub fn new(source_id: i64) -> Self {
        AuditBuffer {
            source_id,
            rows: Vec::with_capacity(BATCH),
            full: rows_sql(BATCH),
        }
    }

    /// Records a source row's outcome.
    pub fn row(
        &mut self,
        conn: &Connection,
        line: u64,
        outcome: Outcome,
        reason: Option<String>,
        key: Option<CompactString>,
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

    /// Writes everything waiting.
    pub fn flush(&mut self, conn: &Connection) -> rusqlite::Result<()> {
        self.flush_rows(conn)
    }

    fn flush_rows(&mut self, conn: &Connection) -> rusqlite::Result<()> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let last;
        let sql = if self.rows.len() == BATCH {
            &self.full
        } else {
            last = rows_sql(self.rows.len());
            &last
        };
        let mut stmt = conn.prepare_cached(sql)?;
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
}

/// The `INSERT` of `records` outcomes.
fn rows_sql(records: usize) -> String {
    insert_sql(
        "handover_row (source_id, line, outcome, reason, record_key)",
        5,
        records,
    )
}

/// `INSERT INTO {into} VALUES (?, …), …` for `records` records of `width` values.
pub(super) fn insert_sql(into: &str, width: usize, records: usize) -> String {
    let one = format!("({})", vec!["?"; width].join(", "));
    format!(
        "INSERT INTO {into} VALUES {}",
        vec![one; records].join(", ")
    )
}
