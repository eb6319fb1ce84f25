//! `handover generate`: write a folder of synthetic council exports (#2). Resolves the arguments
//! into [`generate::Options`], checks the output folder, runs the generator and prints a summary.
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::cli::GlobalOpts;
use crate::exit::Exit;
use crate::generate::{self, DEFAULT_SEED, Options, ssda903};

const LONG_ABOUT: &str = "\
Write a folder of synthetic council exports as of one date: the HR and payroll export
(hr/teams.csv, hr/staff.csv in Windows-1252, hr/agency_workers.xlsx), the case-management export
(cases/cases.csv) and the placements spreadsheet (placements/placements.xlsx), plus the council's
control totals (controls.csv) and the test ground truth (expected.json).

With --return ssda903 it writes instead the DfE's SSDA903 return on children looked after for
the collection year that ends on --as-at (a 31 March, 2017 to 2024): the children who have a
looked-after spell, one episode per placement, as the eleven CSV files the DfE specifies
(csv/header.csv, csv/episodes.csv, ...), as the same return in XML (xml/ssda903.xml) and in the
DfE's own XML layout (dfe-xml/ssda903.xml), and the ground truth (expected.json: rows per file,
and each injected defect with its rule code and its file and line in each form, or why the DfE
layout cannot carry it). --defects integrity injects one defect per integrity rule of the
903 schema (INT01-INT09, INTSW1, INT11-INT21, INTSW2, INT31-INT36, EPI), each in a different
child; --defects none (the default) writes a clean return.

All people are synthetic. The same arguments always write the same bytes. Dates before
1 March 2017 show the council as in January 2017, with the known defects injected; later dates
show the clean go-live state. See docs/generate.md and docs/ssda903.md.

Examples:
  handover generate --as-at 2017-03-31 --out fixtures/sunderland/2017-03-31
  handover generate --as-at 2017-01-31 --out /tmp/jan --seed 7
  handover generate --as-at 2017-03-31 --out /tmp/big --scale 100 --force
  handover generate --return ssda903 --as-at 2017-03-31 --out /tmp/903 --defects integrity";

/// Arguments of `handover generate`.
#[derive(Debug, clap::Args)]
#[command(long_about = LONG_ABOUT)]
pub struct Args {
    /// The extract date, YYYY-MM-DD (2017-03-31 is go-live, 2017-01-31 two months before).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_at: jiff::civil::Date,
    /// The folder to write; it must be empty or missing unless --force is given.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Seed of the random draw (names, dates, codes); counts and defects do not change.
    #[arg(long, default_value_t = DEFAULT_SEED)]
    pub seed: u64,
    /// Multiply the population (staff, children, placements) by K, for benchmarks.
    #[arg(long, value_name = "K", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub scale: u32,
    /// Write into a non-empty --out folder, overwriting the generated files.
    #[arg(long)]
    pub force: bool,
    /// Write a statutory return of the population instead of the council's exports.
    #[arg(long = "return", value_name = "RETURN", value_enum)]
    pub statutory_return: Option<Return>,
    /// The defects to inject into the return: none (a clean return) or integrity (one per
    /// integrity rule of the 903 schema).
    #[arg(long, value_name = "SET", value_enum, requires = "statutory_return")]
    pub defects: Option<DefectSet>,
}

/// The statutory returns `--return` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Return {
    /// The DfE's SSDA903 return on children looked after (CSV and XML).
    Ssda903,
}

/// The defect sets `--defects` injects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DefectSet {
    /// A clean return: its dry run has no finding.
    None,
    /// One defect per integrity rule, each in a different child.
    Integrity,
}

fn parse_date(text: &str) -> Result<jiff::civil::Date, String> {
    text.parse::<jiff::civil::Date>()
        .map_err(|e| format!("expected a date as YYYY-MM-DD: {e}"))
}

/// Runs `handover generate`.
pub fn run(args: &Args, global: &GlobalOpts) -> anyhow::Result<Exit> {
    check_out(&args.out, args.force)?;
    let opts = Options {
        as_at: args.as_at,
        out: args.out.clone(),
        seed: args.seed,
        scale: args.scale,
    };
    let started = std::time::Instant::now();
    let summary = match args.statutory_return {
        None => generate::generate(&opts)?,
        Some(Return::Ssda903) => {
            let defects = match args.defects {
                None | Some(DefectSet::None) => ssda903::Defects::None,
                Some(DefectSet::Integrity) => ssda903::Defects::Integrity,
            };
            ssda903::generate(&opts, defects)?
        }
    };
    if !global.quiet {
        eprintln!(
            "wrote {} rows in {} files to {} ({} defects) in {:.1}s",
            summary.total_rows(),
            summary.files.len(),
            args.out.display(),
            summary.defects,
            started.elapsed().as_secs_f64()
        );
    }
    Ok(Exit::Clean)
}

/// Refuses a non-empty output folder unless `force`.
fn check_out(out: &Path, force: bool) -> anyhow::Result<()> {
    if !out.exists() || force {
        return Ok(());
    }
    let mut entries =
        std::fs::read_dir(out).with_context(|| format!("failed to read `{}`", out.display()))?;
    if entries.next().is_some() {
        anyhow::bail!(
            "`{}` is not empty; pass --force to write into it",
            out.display()
        );
    }
    Ok(())
}
