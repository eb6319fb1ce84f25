//! The exactly-once ledger: every source row read ends in exactly one of transferred, excluded
//! (with its reason) or rejected (with its findings). Counts are kept as rows are read and
//! re-counted from the per-row outcomes in the database at the end; if the two disagree, or the
//! equation `source_rows = transferred + excluded + rejected` fails for any entity, the run stops
//! with an error, because that can only be a bug.
use std::collections::BTreeMap;

use anyhow::Context;
use rusqlite::Connection;

pub use crate::audit::ledger::{LedgerRow, Outcome};

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
        // Looked up before it is inserted: a row counted allocates nothing (this runs per row).
        if !self.rows.contains_key(entity) {
            let row = LedgerRow {
                entity: entity.to_string(),
                ..LedgerRow::default()
            };
            self.rows.insert(entity.to_string(), row);
        }
        self.rows
            .get_mut(entity)
            .expect("the line was inserted above")
    }

    /// Re-counts the outcomes stored in `handover_row` (or takes `recounted`, the recount of the
    /// database as it is, made already), checks that they equal the running counts and balance,
    /// and writes `handover_ledger`. Any disagreement is a bug and stops the run.
    pub fn close(
        &self,
        conn: &Connection,
        recounted: Option<BTreeMap<String, LedgerRow>>,
    ) -> anyhow::Result<Vec<LedgerRow>> {
        let stored = match recounted {
            Some(stored) => stored,
            None => crate::audit::ledger::recount(conn).context("failed to re-count the ledger")?,
        };
        for (entity, counted) in &self.rows {
            let recounted = stored.get(entity).cloned().unwrap_or_else(|| LedgerRow {
                entity: entity.clone(),
                ..LedgerRow::default()
            });
            if !counted.balances() || &recounted != counted {
                return Err(crate::exit::bug(format!(
                    "the ledger for `{entity}` does not balance (counted {counted:?}, stored {recounted:?})"
                )));
            }
        }
        if stored.keys().any(|e| !self.rows.contains_key(e)) {
            return Err(crate::exit::bug(
                "rows stored for an entity the ledger never counted",
            ));
        }
        crate::audit::ledger::write(conn, self.rows.values())?;
        Ok(self.rows.values().cloned().collect())
    }
}
