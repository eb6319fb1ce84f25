//! The exactly-once ledger: every source row read ends in exactly one of transferred, excluded
//! (with its reason) or rejected (with its findings). Counts are kept as rows are read and
//! re-counted from the per-row outcomes in the database at the end; if the two disagree, or the
//! equation `source_rows = transferred + excluded + rejected` fails for any entity, the run stops
//! with an error, because that can only be a bug.
use std::collections::BTreeMap;

use anyhow::{Context, bail};
use rusqlite::Connection;
use serde::Serialize;

/// The outcome of one source row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Loaded into the company tables.
    Transferred,
    /// Out of scope, with a reason.
    Excluded,
    /// Not loaded, with findings.
    Rejected,
}

impl Outcome {
    /// The name stored in `handover_row.outcome`.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Transferred => "transferred",
            Outcome::Excluded => "excluded",
            Outcome::Rejected => "rejected",
        }
    }
}

/// One entity's line of the ledger.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LedgerRow {
    /// The entity (a mapping source's `entity`).
    pub entity: String,
    /// Rows read.
    pub source_rows: u64,
    /// Rows loaded.
    pub transferred: u64,
    /// Rows out of scope.
    pub excluded: u64,
    /// Rows not loaded because of findings.
    pub rejected: u64,
}

impl LedgerRow {
    /// Reads a row of `entity, source_rows, transferred, excluded, rejected`.
    pub fn from_sql(r: &rusqlite::Row) -> rusqlite::Result<Self> {
        let count = |i| r.get::<_, i64>(i).map(|n| n as u64);
        Ok(LedgerRow {
            entity: r.get(0)?,
            source_rows: count(1)?,
            transferred: count(2)?,
            excluded: count(3)?,
            rejected: count(4)?,
        })
    }

    /// Whether the row balances.
    pub fn balances(&self) -> bool {
        self.source_rows == self.transferred + self.excluded + self.rejected
    }
}

/// Running counts per entity, kept while rows are read.
#[derive(Debug, Default)]
pub struct Ledger {
    rows: BTreeMap<String, LedgerRow>,
}

impl Ledger {
    /// Counts one row read by `entity` with `outcome`.
    pub fn count(&mut self, entity: &str, outcome: Outcome) {
        let row = self.row(entity);
        row.source_rows += 1;
        match outcome {
            Outcome::Transferred => row.transferred += 1,
            Outcome::Excluded => row.excluded += 1,
            Outcome::Rejected => row.rejected += 1,
        }
    }

    /// Moves one row of `entity` from transferred to rejected (an orphan found after loading).
    pub fn reject_transferred(&mut self, entity: &str) {
        let row = self.row(entity);
        row.transferred -= 1;
        row.rejected += 1;
    }

    /// Makes sure `entity` has a line even when it read no row.
    pub fn touch(&mut self, entity: &str) {
        self.row(entity);
    }

    fn row(&mut self, entity: &str) -> &mut LedgerRow {
        self.rows
            .entry(entity.to_string())
            .or_insert_with(|| LedgerRow {
                entity: entity.to_string(),
                ..LedgerRow::default()
            })
    }

    /// Re-counts the outcomes stored in `handover_row`, checks that they equal the running counts
    /// and balance, and writes `handover_ledger`. Any disagreement is a bug and stops the run.
    pub fn close(&self, conn: &Connection) -> anyhow::Result<Vec<LedgerRow>> {
        let stored = stored_counts(conn)?;
        for (entity, counted) in &self.rows {
            let recounted = stored.get(entity).cloned().unwrap_or_else(|| LedgerRow {
                entity: entity.clone(),
                ..LedgerRow::default()
            });
            if !counted.balances() || &recounted != counted {
                bail!(
                    "internal error: the ledger for `{entity}` does not balance (counted {counted:?}, stored {recounted:?}); this is a bug in handover, please report it"
                );
            }
        }
        if stored.keys().any(|e| !self.rows.contains_key(e)) {
            bail!(
                "internal error: rows stored for an entity the ledger never counted; this is a bug in handover"
            );
        }
        let mut insert = conn.prepare("INSERT INTO handover_ledger (entity, source_rows, transferred, excluded, rejected) VALUES (?1, ?2, ?3, ?4, ?5)")?;
        for r in self.rows.values() {
            insert.execute(rusqlite::params![
                r.entity,
                r.source_rows as i64,
                r.transferred as i64,
                r.excluded as i64,
                r.rejected as i64
            ])?;
        }
        Ok(self.rows.values().cloned().collect())
    }
}

fn stored_counts(conn: &Connection) -> anyhow::Result<BTreeMap<String, LedgerRow>> {
    let mut stmt = conn.prepare(
        "SELECT s.entity, count(*),
                sum(r.outcome = 'transferred'), sum(r.outcome = 'excluded'), sum(r.outcome = 'rejected')
         FROM handover_row r JOIN handover_source s USING (source_id)
         GROUP BY s.entity ORDER BY s.entity",
    )?;
    let rows = stmt.query_map([], LedgerRow::from_sql)?;
    let mut out = BTreeMap::new();
    for row in rows {
        let row = row.context("failed to re-count the ledger")?;
        out.insert(row.entity.clone(), row);
    }
    Ok(out)
}
