//! `handover_ledger` and the outcomes in `handover_row` it is re-counted from: per entity, source
//! rows = transferred + excluded + rejected, and why rows were excluded.
use std::collections::BTreeMap;

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

/// Rows excluded for one reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exclusion {
    /// Entity.
    pub entity: String,
    /// Reason, as the scope rule states it.
    pub reason: String,
    /// Rows.
    pub rows: i64,
}

/// The outcomes stored in `handover_row`, counted per entity: one scan of the table in its key
/// order (grouped by source, so SQLite needs no sort), summed per entity here.
pub fn recount(conn: &Connection) -> rusqlite::Result<BTreeMap<String, LedgerRow>> {
    let mut stmt = conn.prepare(
        "SELECT (SELECT entity FROM handover_source s WHERE s.source_id = r.source_id), count(*),
                sum(r.outcome = 'transferred'), sum(r.outcome = 'excluded'), sum(r.outcome = 'rejected')
         FROM handover_row r GROUP BY r.source_id",
    )?;
    let mut ledger: BTreeMap<String, LedgerRow> = BTreeMap::new();
    for source in stmt.query_map([], LedgerRow::from_sql)? {
        let source = source?;
        let row = ledger
            .entry(source.entity.clone())
            .or_insert_with(|| LedgerRow {
                entity: source.entity.clone(),
                ..LedgerRow::default()
            });
        row.source_rows += source.source_rows;
        row.transferred += source.transferred;
        row.excluded += source.excluded;
        row.rejected += source.rejected;
    }
    Ok(ledger)
}

/// Writes the ledger's lines.
pub fn write<'r>(
    conn: &Connection,
    rows: impl IntoIterator<Item = &'r LedgerRow>,
) -> rusqlite::Result<()> {
    let mut insert = conn.prepare("INSERT INTO handover_ledger (entity, source_rows, transferred, excluded, rejected) VALUES (?1, ?2, ?3, ?4, ?5)")?;
    for r in rows {
        insert.execute(rusqlite::params![
            r.entity,
            r.source_rows as i64,
            r.transferred as i64,
            r.excluded as i64,
            r.rejected as i64
        ])?;
    }
    Ok(())
}

/// The ledger's lines, by entity.
pub fn all(conn: &Connection) -> rusqlite::Result<Vec<LedgerRow>> {
    let mut stmt = conn.prepare("SELECT entity, source_rows, transferred, excluded, rejected FROM handover_ledger ORDER BY entity")?;
    let rows = stmt.query_map([], LedgerRow::from_sql)?;
    rows.collect()
}

/// Rows excluded, per entity and reason.
pub fn exclusions(conn: &Connection) -> rusqlite::Result<Vec<Exclusion>> {
    let mut stmt = conn.prepare(
        "SELECT s.entity, r.reason, count(*) FROM handover_row r JOIN handover_source s USING (source_id)
         WHERE r.outcome = 'excluded' GROUP BY s.entity, r.reason ORDER BY s.entity, r.reason",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Exclusion {
            entity: r.get(0)?,
            reason: r.get(1)?,
            rows: r.get(2)?,
        })
    })?;
    rows.collect()
}
