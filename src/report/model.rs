//! The reconciliation as data, read back from a company database (its audit tables), so that
//! `migrate` prints it and `handover report` re-creates it from the database alone.
use rusqlite::Connection;
use serde::Serialize;

use crate::audit;
pub use crate::audit::controls::ControlResult;
pub use crate::audit::findings::RuleCount;
pub use crate::audit::inputs::InputInfo;
pub use crate::audit::ledger::{Exclusion, LedgerRow};
pub use crate::audit::run::{MappingInfo, RunInfo};
use crate::check::{Finding, Severity};
use crate::report::breakdowns::{self, Breakdown};
use crate::report::figures::{self, Figures};

/// Version of the JSON layout (docs/report.md); raised on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

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
        Self::read_counted(conn, None)
    }

    /// As [`Reconciliation::read`], with the company side's figures and breakdowns as the run
    /// counted them on this database (`None`: counted here).
    pub fn read_counted(
        conn: &Connection,
        counted: Option<audit::figures::Counted>,
    ) -> anyhow::Result<Self> {
        let run = run(conn)?;
        let as_at = run.as_at.as_deref().and_then(|d| d.parse().ok());
        let defs = audit::figures::figures(conn)?;
        let (company, breakdowns) = match counted {
            Some(c) if c.figures.len() != defs.len() => {
                return Err(crate::exit::bug(
                    "the figures counted with the checks are not the ones the run recorded",
                ));
            }
            Some(c) => (figures::Values(c.figures), Some(c.breakdowns)),
            None => (figures::evaluate(conn, &defs, as_at)?, None),
        };
        Ok(Reconciliation {
            schema_version: SCHEMA_VERSION,
            personal_data: "included".to_string(),
            run,
            inputs: audit::inputs::all(conn)?,
            mappings: audit::run::files(conn)?,
            entities: audit::ledger::all(conn)?,
            exclusions: audit::ledger::exclusions(conn)?,
            controls: audit::controls::all(conn)?,
            rules: audit::findings::per_rule(conn)?,
            findings: audit::findings::all(conn)?,
            breakdowns: breakdowns::read(conn, breakdowns)?,
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
    audit::run::read(conn)?.ok_or_else(|| {
        anyhow::anyhow!(
            "the database holds no handover run (was it written by `handover migrate`?)"
        )
    })
}
