//! `handover report`: renders the reconciliation of a company database in one format, on stdout
//! or into a file (mode 0600).
use std::path::PathBuf;

use crate::cli::GlobalOpts;
use crate::exit::Exit;
use crate::report::labels::Labels;
use crate::report::{self, Document, Format};

/// Arguments of `handover report`.
#[derive(Debug, clap::Args)]
#[command(
    long_about = "Render the reconciliation report of a company database written by `handover migrate --out`.\n\n\
The report opens with the verdict (CLEAN, or FINDINGS when the database was written with \
--allow-findings) and the next step, then holds the run (with the database's SHA-256), the inputs with their SHA-256, the mapping files, the ledger per entity \
(source rows = transferred + excluded + rejected), controls, findings, breakdowns and the service \
figures computed both from the source exports (re-read from the input folder the run recorded, when \
it is still there and unchanged) and from the company database. People appear by id only: names, \
dates of birth, UPNs and postcodes are redacted unless --include-personal-data.\n\n\
The same database always gives the same bytes. Exit codes: 0 written; 2 usage or input error.\n\n\
Examples:\n  \
handover report company.db\n  \
handover report company.db --format md -o report.md\n  \
handover report company.db --format xlsx -o report.xlsx\n  \
handover report company.db --format html --sign-off -o report.html\n  \
handover report company.db --format json --input fixtures/sunderland/2017-03-31"
)]
pub struct Args {
    /// The company database.
    #[arg(value_name = "DB")]
    pub db: PathBuf,
    /// Report format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write the report to FILE (mode 0600) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Show personal data (names, dates of birth, UPNs, postcodes) in findings' values.
    #[arg(long)]
    pub include_personal_data: bool,
    /// The input folder, for the source side of the figures (default: the one the run recorded).
    #[arg(long, value_name = "DIR")]
    pub input: Option<PathBuf>,
    /// The mapping folder (default: the one the run recorded).
    #[arg(long, value_name = "DIR")]
    pub mappings: Option<PathBuf>,
    /// End the HTML and Markdown reports with a sign-off block (checked by, role, signature, date).
    #[arg(long)]
    pub sign_off: bool,
}

/// Runs `handover report`.
pub fn run(args: &Args, global: &GlobalOpts) -> anyhow::Result<Exit> {
    let conn = open_db(&args.db)?;
    // Re-reading the source exports for the figures takes a while on a large extract (#13).
    let phase = crate::progress::spinner(
        global.quiet,
        "building the report (re-reading the source exports for the figures)",
    );
    let opts = report::Options {
        include_personal_data: args.include_personal_data,
        input_dir: args.input.clone(),
        mappings_dir: args.mappings.clone(),
    };
    let rec = report::build(&conn, &opts)?;
    let mappings = args
        .mappings
        .clone()
        .unwrap_or_else(|| PathBuf::from(&rec.run.mappings_dir));
    let as_at = rec.run.as_at.as_deref().and_then(|d| d.parse().ok());
    let labels = report::build::load_set_at(&mappings, as_at)
        .map(|set| Labels::of(&set))
        .unwrap_or_default();
    let mut doc = Document::of_database(&rec, &conn, &args.db, labels)?;
    doc.sign_off = args.sign_off;
    let bytes = args.format.writer().write(&doc)?;
    phase.finish_and_clear();
    match &args.output {
        Some(path) => crate::fsx::write_private(path, &bytes)?,
        None => crate::exit::to_stdout(|stdout| Ok(stdout.write_all(&bytes)?))?,
    }
    Ok(Exit::Clean)
}

/// Opens an existing company database read-only, and says so plainly when the file is not one
/// that `handover migrate --out` wrote (issue #13: not `no such table: handover_run`).
pub fn open_db(path: &std::path::Path) -> anyhow::Result<rusqlite::Connection> {
    if !path.is_file() {
        anyhow::bail!("database `{}` does not exist", path.display());
    }
    let conn =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(|e| anyhow::anyhow!("failed to open database `{}`: {e}", path.display()))?;
    let written_by_handover = conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'handover_run'",
        [],
        |r| r.get::<_, i64>(0),
    );
    match written_by_handover {
        Ok(1) => Ok(conn),
        Ok(_) => anyhow::bail!(
            "`{}` is a SQLite database but handover did not write it (it has no handover_run table); \
             report, verify and diff read the databases that `handover migrate --out` writes",
            path.display()
        ),
        Err(_) => anyhow::bail!(
            "`{}` is not a SQLite database; report, verify and diff read the databases that \
             `handover migrate --out` writes",
            path.display()
        ),
    }
}
