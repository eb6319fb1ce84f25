//! `handover diff`: compares the findings, ledger and controls of two runs.
use std::path::PathBuf;

use crate::cli::GlobalOpts;
use crate::exit::Exit;
use crate::report::diff::{self, Diff};
use crate::report::{Reconciliation, build, privacy};

/// Output format of `handover diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    /// Tables for a terminal.
    Table,
    /// Markdown.
    Md,
    /// JSON with `schema_version` (docs/report.md).
    Json,
}

/// Arguments of `handover diff`.
#[derive(Debug, clap::Args)]
#[command(
    long_about = "Compare two runs: findings resolved, new and still open, and the change of every ledger and control figure.\n\n\
Findings are matched by rule, entity and record key, not by line. Personal values are redacted \
unless --include-personal-data. Exit codes: 0 no new error findings; 1 new error findings; 2 usage \
or input error.\n\n\
Examples:\n  \
handover diff january.db march.db\n  \
handover diff january.db march.db --format md"
)]
pub struct Args {
    /// The earlier run's database.
    #[arg(value_name = "OLD.db")]
    pub old: PathBuf,
    /// The later run's database.
    #[arg(value_name = "NEW.db")]
    pub new: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Table)]
    pub format: DiffFormat,
    /// Show personal data in findings.
    #[arg(long)]
    pub include_personal_data: bool,
}

/// Runs `handover diff`.
pub fn run(args: &Args, _global: &GlobalOpts) -> anyhow::Result<Exit> {
    let old = read(&args.old, args.include_personal_data)?;
    let new = read(&args.new, args.include_personal_data)?;
    let d = Diff::compare(&old, &new);
    let bytes = match args.format {
        DiffFormat::Table => diff::table(&d, crate::report::table::terminal_width()).into_bytes(),
        DiffFormat::Md => diff::markdown(&d).into_bytes(),
        DiffFormat::Json => diff::json(&d, &old.run, &new.run)?,
    };
    let exit = if d.new_errors() > 0 {
        Exit::Findings
    } else {
        Exit::Clean
    };
    // The status is decided before output; a closed pipe does not change it (#9).
    crate::exit::to_stdout(|stdout| Ok(stdout.write_all(&bytes)?))?;
    Ok(exit)
}

fn read(path: &std::path::Path, personal: bool) -> anyhow::Result<Reconciliation> {
    let conn = super::report::open_db(path)?;
    let mut rec = Reconciliation::read(&conn)?;
    if !personal {
        let set = build::load_set(std::path::Path::new(&rec.run.mappings_dir));
        privacy::redact(&mut rec.findings, set.as_ref());
    }
    Ok(rec)
}
