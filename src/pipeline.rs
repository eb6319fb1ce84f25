//! The migration pipeline: create the schema, record the run, load every source, check orphans,
//! unallocated cases and controls, and close the ledger. No foreign key dangles at the end: the
//! orphan checks stop only after a pass over every reference of the schema (the only foreign keys
//! its DDL declares) finds none, which is what SQLite's `PRAGMA foreign_key_check` would prove
//! again with another full scan. `handover migrate` runs it into a temporary file, which is
//! removed (dry run) or renamed into place when complete (final run): nothing half-written is ever
//! seen under the final name. The load is committed before the checks, so that their read-only
//! queries can run on a second connection as well ([`check::early`]); the checks' findings and
//! the ledger are written in a second transaction.
use std::path::Path;

use anyhow::Context;
use rusqlite::Connection;
use serde::Serialize;

use crate::check::{self, controls::ControlResult};
use crate::load::{self, LedgerRow};
use crate::mapping::MappingSet;

/// Whether the run writes the company database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Everything runs into a throwaway database; no file is written.
    DryRun,
    /// The company database is written.
    Final,
}

impl Mode {
    /// The name stored in `handover_run.mode`.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::DryRun => "dry_run",
            Mode::Final => "final",
        }
    }
}

/// A resolved run: everything the pipeline needs, checked before any work.
#[derive(Debug, Clone)]
pub struct RunConfig<'a> {
    /// The mapping set.
    pub set: &'a MappingSet,
    /// The mapping folder as given.
    pub mappings_dir: &'a Path,
    /// The input folder.
    pub input_dir: &'a Path,
    /// Dry or final.
    pub mode: Mode,
    /// The extract's as-at date.
    pub as_at: Option<jiff::civil::Date>,
    /// When the run started: `SOURCE_DATE_EPOCH` if set, else now (RFC 3339, UTC).
    pub started_at: String,
    /// Hide progress bars.
    pub quiet: bool,
    /// `--allow-findings`: write the database even with error findings (recorded, issue #13).
    pub allow_findings: bool,
    /// `--force`: replace an existing database (recorded, issue #13).
    pub force: bool,
    /// Where `as_at` came from: `--as-at`, `input folder name`, or the file `[as_at]` found it
    /// in (`the name of hr/staff_20170331.csv`); `None` when there is no date.
    pub as_at_origin: Option<String>,
}

/// What a run found, in brief (the rest is in the database).
#[derive(Debug, Clone)]
pub struct RunSummary {
    /// The ledger, per entity.
    pub ledger: Vec<LedgerRow>,
    /// Controls.
    pub controls: Vec<ControlResult>,
    /// The company side of the figures and breakdowns, when the checks counted them on the
    /// database as it stands (for [`crate::report::Reconciliation::read_counted`]).
    pub counted: Option<crate::audit::figures::Counted>,
}

/// Runs the whole pipeline on `conn` (an empty database).
pub fn run(conn: &mut Connection, cfg: &RunConfig) -> anyhow::Result<RunSummary> {
    // Foreign keys are checked by the orphan checks after loading, not row by row. Journalling is
    // off because a final run writes a temporary file that is renamed into place only when
    // complete. Memory is bounded by design (docs/limits.md, the run's memory budget): a page
    // cache of 64 MiB, and sorts larger than that spill to a temporary file (`temp_store = FILE`)
    // instead of growing in memory with the extract.
    conn.execute_batch("PRAGMA foreign_keys = OFF; PRAGMA synchronous = OFF; PRAGMA journal_mode = OFF; PRAGMA temp_store = FILE; PRAGMA cache_size = -65536;")
        .context("failed to configure the database")?;
    crate::schema::sql::register(conn)?;
    let tx = conn.transaction()?;
    tx.execute_batch(&crate::audit::ddl(&cfg.set.schema))
        .context("failed to create the company schema")?;
    record_run(&tx, cfg)?;
    let mut load = load::load_all(&tx, cfg.set, cfg.input_dir, cfg.quiet)?;
    load::via::resolve(&tx, cfg.set, &load)?;
    let rule_indexes = check::rules::create_indexes(&tx, cfg.set, cfg.as_at)?;
    tx.commit()?;
    // The checks' read-only queries run on both cores when the database is a file a second
    // connection can open (check::early); otherwise each check queries for itself.
    let mut early = match conn.path().filter(|p| !p.is_empty()) {
        Some(path) => check::early::answer(conn, Path::new(path), cfg.set, cfg.as_at)?,
        None => check::early::Answers::default(),
    };
    let tx = conn.transaction()?;
    let orphans = check::orphans::check(&tx, cfg.set, &mut load, early.orphans.take())?;
    early.after_orphans(orphans);
    check::rules::check(&tx, cfg.set, &load, cfg.as_at, early.rules.take())?;
    check::rules::drop_indexes(&tx, rule_indexes)?;
    check::as_at::check(&tx, cfg.set, cfg.as_at)?;
    let controls = check::controls::check(&tx, cfg.set, cfg.input_dir, early.controls.take())?;
    let ledger = load.ledger.close(&tx, early.recount.take())?;
    tx.commit()?;
    Ok(RunSummary {
        ledger,
        controls,
        counted: early.counted.take(),
    })
}

fn record_run(conn: &Connection, cfg: &RunConfig) -> anyhow::Result<()> {
    let parameters = serde_json::json!({
        "mappings": cfg.mappings_dir.to_string_lossy(),
        "input": cfg.input_dir.to_string_lossy(),
        "mode": cfg.mode.as_str(),
        "as_at": cfg.as_at.map(|d| d.to_string()),
        "as_at_origin": cfg.as_at_origin,
        "allow_findings": cfg.allow_findings,
        "force": cfg.force,
    });
    let run = crate::audit::run::RunInfo {
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        mode: cfg.mode.as_str().to_string(),
        as_at: cfg.as_at.map(|d| d.to_string()),
        company: cfg.set.schema.company.clone(),
        started_at: cfg.started_at.clone(),
        mappings_dir: cfg.mappings_dir.to_string_lossy().into_owned(),
        input_dir: cfg.input_dir.to_string_lossy().into_owned(),
    };
    crate::audit::run::record(conn, &run, &parameters.to_string())?;
    let files = cfg.set.files.iter().map(|f| (f.path.as_str(), f.sha256()));
    crate::audit::run::record_files(conn, files)?;
    crate::audit::figures::write(conn, &cfg.set.schema)?;
    Ok(())
}

/// The run's timestamp: `SOURCE_DATE_EPOCH` (seconds since 1970) when set, so that two runs on
/// the same inputs give the same bytes; otherwise the current time.
pub fn started_at() -> anyhow::Result<String> {
    let ts = match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(s) => {
            let secs: i64 = s.trim().parse().with_context(|| {
                format!("SOURCE_DATE_EPOCH `{s}` is not a whole number of seconds")
            })?;
            jiff::Timestamp::from_second(secs).context("SOURCE_DATE_EPOCH is out of range")?
        }
        Err(_) => jiff::Timestamp::now(),
    };
    Ok(ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
}
