//! The reconciliation as data, read back from a company database (its audit tables), so that
//! `migrate` prints it and `handover report` re-creates it from the database alone.
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

use crate::check::controls::ControlResult;
use crate::check::{Finding, Severity};
use crate::load::{LedgerRow, findings};
use crate::report::breakdowns::{self, Breakdown};
use crate::report::figures::{self, Figures};

/// Version of the JSON layout (docs/report.md); raised on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// The run, as recorded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunInfo {
    /// handover's version.
    pub tool_version: String,
    /// `dry_run` or `final`.
    pub mode: String,
    /// The extract's as-at date.
    pub as_at: Option<String>,
    /// The company the database was loaded for (its schema folder's `[company]`).
    pub company: String,
    /// When the run started (UTC; `SOURCE_DATE_EPOCH` when set).
    pub started_at: String,
    /// Mapping folder, as given.
    pub mappings_dir: String,
    /// Input folder, as given.
    pub input_dir: String,
}

/// One input file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InputInfo {
    /// Path relative to the input folder.
    pub path: String,
    /// Size in bytes.
    pub size: i64,
    /// Rows read.
    pub rows: i64,
    /// SHA-256.
    pub sha256: String,
}

/// One mapping file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MappingInfo {
    /// Path relative to the mapping folder.
    pub path: String,
    /// SHA-256.
    pub sha256: String,
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

/// Findings of one rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleCount {
    /// Rule code.
    pub rule: String,
    /// Kind.
    pub kind: String,
    /// Severity.
    pub severity: String,
    /// Findings.
    pub count: i64,
}

/// The whole reconciliation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reconciliation {
    /// Layout version.
    pub schema_version: u32,
    /// `redacted` (the default) or `included`: whether findings may show personal values.
    pub personal_data: String,
    /// The run.
    pub run: RunInfo,
    /// Input files.
    pub inputs: Vec<InputInfo>,
    /// Mapping files.
    pub mappings: Vec<MappingInfo>,
    /// Ledger per entity.
    pub entities: Vec<LedgerRow>,
    /// Exclusion reasons.
    pub exclusions: Vec<Exclusion>,
    /// Controls.
    pub controls: Vec<ControlResult>,
    /// Findings per rule.
    pub rules: Vec<RuleCount>,
    /// Every finding.
    pub findings: Vec<Finding>,
    /// Breakdowns of what transferred.
    pub breakdowns: Vec<Breakdown>,
    /// The service figures, from the source exports and from the company database.
    pub figures: Figures,
}

impl Reconciliation {
    /// Hides personal values in the findings (see [`super::privacy`]) and records that it did.
    pub fn redact(&mut self, set: Option<&crate::mapping::MappingSet>) {
        super::privacy::redact(&mut self.findings, set);
        self.personal_data = "redacted".to_string();
    }

    /// Reads the reconciliation of the run held in `conn`, from the database alone: findings as
    /// recorded (personal values included) and the source side of the figures not computed.
    /// [`crate::report::build()`] makes the shareable report.
    pub fn read(conn: &Connection) -> anyhow::Result<Self> {
        let run = run(conn)?;
        let as_at = run.as_at.as_deref().and_then(|d| d.parse().ok());
        let (defs, company) = figures::db::compute(conn, as_at)?;
        Ok(Reconciliation {
            schema_version: SCHEMA_VERSION,
            personal_data: "included".to_string(),
            run,
            inputs: query(conn, "SELECT path, size, rows_read, sha256 FROM handover_input ORDER BY path", |r| {
                Ok(InputInfo { path: r.get(0)?, size: r.get(1)?, rows: r.get(2)?, sha256: r.get(3)? })
            })?,
            mappings: query(conn, "SELECT path, sha256 FROM handover_mapping ORDER BY path", |r| {
                Ok(MappingInfo { path: r.get(0)?, sha256: r.get(1)? })
            })?,
            entities: query(conn, "SELECT entity, source_rows, transferred, excluded, rejected FROM handover_ledger ORDER BY entity", LedgerRow::from_sql)?,
            exclusions: query(
                conn,
                "SELECT s.entity, r.reason, count(*) FROM handover_row r JOIN handover_source s USING (source_id)
                 WHERE r.outcome = 'excluded' GROUP BY s.entity, r.reason ORDER BY s.entity, r.reason",
                |r| Ok(Exclusion { entity: r.get(0)?, reason: r.get(1)?, rows: r.get(2)? }),
            )?,
            controls: query(conn, "SELECT name, description, expected, actual, ok FROM handover_control ORDER BY rowid", |r| {
                Ok(ControlResult { name: r.get(0)?, description: r.get(1)?, expected: r.get(2)?, actual: r.get(3)?, ok: r.get(4)? })
            })?,
            rules: query(
                conn,
                "SELECT rule, kind, severity, count(*) FROM handover_finding GROUP BY rule, kind, severity ORDER BY rule, severity",
                |r| Ok(RuleCount { rule: r.get(0)?, kind: r.get(1)?, severity: r.get(2)?, count: r.get(3)? }),
            )?,
            findings: findings::all(conn)?,
            breakdowns: breakdowns::read(conn)?,
            figures: Figures::pair(&defs, company, Err("source side: not computed".to_string())),
        })
    }

    /// Error findings (failed controls included).
    pub fn error_count(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count()
    }

    /// Controls that do not hold.
    pub fn failed_controls(&self) -> usize {
        self.controls.iter().filter(|c| !c.ok).count()
    }
}

fn run(conn: &Connection) -> anyhow::Result<RunInfo> {
    let info = conn
        .query_row(
            "SELECT tool_version, mode, as_at, company, started_at, mappings_dir, input_dir FROM handover_run WHERE run_id = 1",
            [],
            |r| {
                Ok(RunInfo {
                    tool_version: r.get(0)?,
                    mode: r.get(1)?,
                    as_at: r.get(2)?,
                    company: r.get(3)?,
                    started_at: r.get(4)?,
                    mappings_dir: r.get(5)?,
                    input_dir: r.get(6)?,
                })
            },
        )
        .optional()?;
    info.ok_or_else(|| {
        anyhow::anyhow!(
            "the database holds no handover run (was it written by `handover migrate`?)"
        )
    })
}

fn query<T>(
    conn: &Connection,
    sql: &str,
    map: impl FnMut(&rusqlite::Row) -> rusqlite::Result<T>,
) -> anyhow::Result<Vec<T>> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map([], map)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
