//! `handover migrate`: council exports through a mapping set into the company database, with
//! the exactly-once ledger. A dry run keeps its throwaway database in a private temporary file
//! (mode 0600) that is removed when the run ends or is interrupted; a final run writes the
//! database to a temporary file beside the target and renames it into place only when complete.
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use crate::cli::{GlobalOpts, MappingOpts, SummaryFormat};
use crate::exit::Exit;
use crate::mapping::{self, MappingSet};
use crate::pipeline::{self, Mode, RunConfig};
use crate::report::document::{Database, RunRecord, plural};
use crate::report::labels::Labels;
use crate::report::{self, Document, Reconciliation, Verdict};

/// Arguments of `handover migrate`.
#[derive(Debug, clap::Args)]
#[command(
    group = clap::ArgGroup::new("mode").required(true).args(["dry_run", "out"]),
    long_about = "Load council exports through a mapping set into the company database.\n\n\
Every source row read ends in exactly one of transferred, excluded (with its reason) or rejected \
(with its findings), per entity; the run stops with an error if that ever fails to balance.\n\n\
A final run with error findings or failed controls is refused (nothing is written) unless \
--allow-findings; the summary ends with the verdict (CLEAN, FINDINGS or REFUSED) and the next step, \
and the reports of --report DIR say the same.\n\n\
Exit codes: 0 clean; 1 the run completed with error findings or failed controls; 2 usage, \
configuration or input error; 3 internal error (a bug in handover).\n\n\
Examples:\n  \
handover migrate --mappings mappings/sunderland --input fixtures/sunderland/2017-03-31 --dry-run\n  \
handover migrate --mappings mappings/sunderland --input fixtures/sunderland/2017-03-31 --out company.db\n  \
handover migrate --mappings mappings/sunderland --input fixtures/sunderland/2017-01-31 --dry-run --format json\n  \
handover migrate --mappings mappings/sunderland --input fixtures/sunderland/2017-03-31 --dry-run --report reports/"
)]
pub struct Args {
    /// The mapping set.
    #[command(flatten)]
    pub mapping: MappingOpts,
    /// Folder of council exports (paths in mapping files are relative to it).
    #[arg(long, value_name = "DIR")]
    pub input: PathBuf,
    /// Run the whole pipeline into a throwaway database and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Write the company database to FILE (atomically: a temporary file renamed into place).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Overwrite FILE if it exists.
    #[arg(long, requires = "out")]
    pub force: bool,
    /// Write the database even when there are error findings or failed controls.
    #[arg(long, requires = "out")]
    pub allow_findings: bool,
    /// The extract's as-at date (YYYY-MM-DD); by default the input folder's name when it is a date.
    #[arg(long, value_name = "DATE")]
    pub as_at: Option<jiff::civil::Date>,
    /// Show personal values (names, dates of birth, UPNs, postcodes) in findings; by default they
    /// are redacted in the summary and in reports.
    #[arg(long)]
    pub include_personal_data: bool,
    /// Summary format on stdout.
    #[arg(long, value_enum, default_value_t = SummaryFormat::Table)]
    pub format: SummaryFormat,
    /// Also write every report format into DIR (report.txt, report.md, report.html, report.json,
    /// findings.csv, report.xlsx), byte for byte what `handover report` gives; dry runs too.
    #[arg(long, value_name = "DIR")]
    pub report: Option<PathBuf>,
}

/// Runs `handover migrate`.
pub fn run(args: &Args, global: &GlobalOpts) -> anyhow::Result<Exit> {
    if !args.input.is_dir() {
        bail!(
            "input folder `{}` does not exist or is not a folder",
            args.input.display()
        );
    }
    // Inputs are read only from inside their folder, symbolic links included (#9); the mapping
    // and schema loaders check theirs.
    crate::fsx::check_confined(&args.input, "input folder")?;
    let (as_at, as_at_origin) = match (args.as_at, as_at_from_folder(&args.input)) {
        (Some(date), _) => (Some(date), Some("--as-at".to_string())),
        (None, Some(date)) => (Some(date), Some("input folder name".to_string())),
        (None, None) => (None, None),
    };
    let mut set = load_mappings(&args.mapping.mappings, &args.mapping.load_options(as_at))?;
    // Else the date the mapping set says where to find; the set is then read again for it, as
    // the code lists in force depend on it.
    let (as_at, as_at_origin) = match (&as_at, &set.as_at) {
        (None, Some(rule)) => match crate::load::as_at::find(rule, &args.input)? {
            Some((date, from)) => {
                set = load_mappings(
                    &args.mapping.mappings,
                    &args.mapping.load_options(Some(date)),
                )?;
                (Some(date), Some(from))
            }
            None => (None, None),
        },
        _ => (as_at, as_at_origin),
    };
    if let Some(out) = &args.out
        && out.exists()
        && !args.force
    {
        bail!(
            "`{}` already exists; use --force to replace it",
            out.display()
        );
    }
    let mode = if args.dry_run {
        Mode::DryRun
    } else {
        Mode::Final
    };
    let cfg = RunConfig {
        set: &set,
        mappings_dir: &args.mapping.mappings,
        input_dir: &args.input,
        mode,
        as_at,
        started_at: pipeline::started_at()?,
        quiet: global.quiet,
        allow_findings: args.allow_findings,
        force: args.force,
        as_at_origin,
    };
    let target = Target::new(args.out.as_deref())?;
    let mut conn = target.open()?;
    // One line that stays while the per-file bars come and go, and through the checks (#13).
    let phase = crate::progress::spinner(
        global.quiet,
        "migrating: loading the exports, then the orphan, allocation and control checks",
    );
    let summary = pipeline::run(&mut conn, &cfg)?;
    let mut rec = Reconciliation::read_counted(&conn, summary.counted)?;
    // Read once: the reports start from the same reading, personal values included.
    let read = args.report.is_some().then(|| rec.clone());
    if !args.include_personal_data {
        rec.redact(Some(&set));
    }
    let record = RunRecord::read(&conn);
    let clean = rec.error_count() == 0 && rec.failed_controls() == 0;
    // A final run with findings is refused unless --allow-findings; its reports say so (#13).
    let refused = args.out.is_some() && !clean && !args.allow_findings;
    let database = target.database(refused)?;
    let labels = Labels::of(&set);
    if let (Some(dir), Some(read)) = (&args.report, read) {
        // Rendered before the connection closes: a dry run's database vanishes with it.
        let opts = report::build::Options {
            include_personal_data: args.include_personal_data,
            ..report::build::Options::default()
        };
        phase.set_message(format!("writing the reports into `{}`", dir.display()));
        let shared = report::build::build_from(read, &conn, &opts)?;
        report::write_all(
            dir,
            &document(&shared, (&record, &database, &labels), refused),
        )?;
    }
    phase.finish_and_clear();
    let doc = document(&rec, (&record, &database, &labels), refused);
    drop(conn);
    // The database is written (or refused) and the exit status decided before anything goes to
    // stdout, so that a closed pipe (`| head -1`) changes neither (#9).
    target.finish(args, global.quiet, refused, &doc)?;
    crate::exit::to_stdout(|out| print_summary(out, &doc, args.format))?;
    Ok(if clean { Exit::Clean } else { Exit::Findings })
}

/// The document the reports and the summary render: `refused` when the database is not written.
fn document<'a>(
    rec: &'a Reconciliation,
    (record, database, labels): (&RunRecord, &Database, &Labels),
    refused: bool,
) -> Document<'a> {
    Document {
        rec,
        verdict: Verdict::of(rec, refused),
        record: record.clone(),
        database: database.clone(),
        sign_off: false,
        labels: labels.clone(),
    }
}

/// Loads the mapping set; any error diagnostic stops the run (exit 2) with every diagnostic.
pub fn load_mappings(dir: &Path, opts: &mapping::LoadOptions) -> anyhow::Result<MappingSet> {
    let loaded = mapping::load_with(dir, opts)?;
    if loaded.has_errors() {
        let lines: Vec<String> = loaded.diagnostics.iter().map(ToString::to_string).collect();
        bail!(
            "the mapping set has errors (run `handover validate` for details):\n{}",
            lines.join("\n")
        );
    }
    Ok(loaded.set)
}

/// The input folder's name, when it is a date such as `2017-03-31`.
fn as_at_from_folder(input: &Path) -> Option<jiff::civil::Date> {
    let canonical = input.canonicalize().ok()?;
    canonical.file_name()?.to_str()?.parse().ok()
}

fn print_summary(
    stdout: &mut dyn Write,
    doc: &Document,
    format: SummaryFormat,
) -> anyhow::Result<()> {
    let bytes = match format {
        SummaryFormat::Json => report::json::render(doc)?,
        SummaryFormat::Table => {
            report::table::summary(doc, report::table::terminal_width()).into_bytes()
        }
    };
    stdout.write_all(&bytes)?;
    Ok(())
}

/// What killed runs left in `dir`, removed and said.
fn remove_leftovers(dir: &Path) -> anyhow::Result<()> {
    for old in crate::fsx::remove_leftovers(dir)? {
        eprintln!(
            "removed `{}`, left by a run that did not finish",
            old.display()
        );
    }
    Ok(())
}

/// A new temporary database file in `dir` (mode 0600), registered to be removed if the run is
/// interrupted.
fn partial_file(dir: &Path) -> anyhow::Result<tempfile::NamedTempFile> {
    // Created and registered as one step, with the handler already in place, so that an
    // interruption at any moment removes it.
    crate::fsx::create_removed_on_interrupt(|| {
        tempfile::Builder::new()
            .prefix(&format!(
                "{}{}-",
                crate::fsx::PARTIAL_PREFIX,
                std::process::id()
            ))
            .suffix(crate::fsx::PARTIAL_SUFFIX)
            .tempfile_in(dir)
            .with_context(|| format!("failed to create a temporary file in `{}`", dir.display()))
    })
}

/// Where the database goes: a private temporary file for a dry run, removed when the run ends, or
/// a temporary file beside the final path.
enum Target {
    Dry {
        tmp: tempfile::NamedTempFile,
    },
    Final {
        tmp: tempfile::NamedTempFile,
        out: PathBuf,
    },
}

impl Target {
    fn new(out: Option<&Path>) -> anyhow::Result<Self> {
        // A dry run's database is a file in the temporary folder, so that the checks after the
        // load can read it on a second connection too (check::early); it goes when the run ends.
        // Another user's leftover there is theirs to remove: that is not this run's failure.
        let Some(out) = out else {
            let dir = std::env::temp_dir();
            let _ = remove_leftovers(&dir);
            return Ok(Target::Dry {
                tmp: partial_file(&dir)?,
            });
        };
        let dir = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        // What killed runs left behind goes first; this run's own file goes if it is interrupted.
        remove_leftovers(dir)?;
        Ok(Target::Final {
            tmp: partial_file(dir)?,
            out: out.to_path_buf(),
        })
    }

    fn open(&self) -> anyhow::Result<rusqlite::Connection> {
        let (Target::Dry { tmp } | Target::Final { tmp, .. }) = self;
        // The temporary file exists: it is opened, never created again, and not while an
        // interruption is removing it (#9).
        let path = tmp.path();
        let flags = rusqlite::OpenFlags::default() - rusqlite::OpenFlags::SQLITE_OPEN_CREATE;
        crate::fsx::holding_registration(|| rusqlite::Connection::open_with_flags(path, flags))
            .with_context(|| format!("failed to open database `{}`", path.display()))
    }

    /// The database the reports describe: the file's hash, or why there is none.
    fn database(&self, refused: bool) -> anyhow::Result<Database> {
        let reason = |r: &str| Database::None {
            reason: r.to_string(),
        };
        match self {
            Target::Dry { .. } => Ok(reason("dry run: no database was written")),
            Target::Final { .. } if refused => Ok(reason(
                "refused: the database was not written (error findings or failed controls)",
            )),
            Target::Final { tmp, .. } => Database::file(tmp.path()),
        }
    }

    /// Persists or drops the database. The refusal is always said; the rest only without `--quiet`.
    fn finish(self, args: &Args, quiet: bool, refused: bool, doc: &Document) -> anyhow::Result<()> {
        let (tmp, out) = match self {
            Target::Dry { tmp } => {
                drop(tmp);
                crate::fsx::remove_on_interrupt(None)?;
                if !quiet {
                    eprintln!("dry run: nothing was written");
                }
                return Ok(());
            }
            Target::Final { tmp, out } => (tmp, out),
        };
        if refused {
            // Each problem counted once: a failed control is not also an error finding (#13).
            let v = &doc.verdict;
            eprintln!(
                "not written: `{}` was refused because of {} and {} (use --allow-findings to write it anyway)",
                out.display(),
                plural(v.error_findings, "error finding"),
                plural(v.failed_controls, "failed control"),
            );
            return Ok(());
        }
        crate::fsx::set_private(tmp.path())?;
        let persisted = if args.force {
            tmp.persist(&out)
        } else {
            tmp.persist_noclobber(&out)
        };
        crate::fsx::remove_on_interrupt(None)?;
        persisted
            .map_err(|e| e.error)
            .with_context(|| format!("failed to write `{}`", out.display()))?;
        if !quiet {
            eprintln!("wrote `{}`", out.display());
        }
        Ok(())
    }
}
