//! The synthetic Sunderland exports written by `handover generate` (#2): the council's HR and
//! payroll export, its case-management export and its placements spreadsheet as of one date, plus
//! the council's control totals and a ground-truth `expected.json` for the tests. The layout is
//! fixed by /work/contract.md and described in docs/generate.md.
//!
//! Everything is derived from (seed, entity, index) so rows stream straight to disk: staff, children
//! and placements are never held in memory, and the same arguments always give the same bytes.
use std::path::{Path, PathBuf};

use anyhow::Context;

mod cases;
mod children;
mod dates;
mod defects;
mod expected;
mod family;
mod hr;
mod kinds;
mod names;
mod org;
mod out;
mod placements;
mod providers;
mod rng;
pub mod ssda903;
mod upn;

pub use defects::Defect;

/// The default `--seed`: Sunderland's DfE local authority code.
pub const DEFAULT_SEED: u64 = 394;

/// What to generate and where.
#[derive(Debug, Clone)]
pub struct Options {
    /// The date the exports are taken (the council's "extract as at").
    pub as_at: jiff::civil::Date,
    /// The folder to write into (created when missing).
    pub out: PathBuf,
    /// Changes the draw of names, dates and codes; counts and defects stay the same.
    pub seed: u64,
    /// Multiplies the population (staff, children, placements); 1 is the real council's size.
    pub scale: u32,
}

/// Rows written per file, in the order the files were written.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// `(path relative to the output folder, data rows)`.
    pub files: Vec<(String, u64)>,
    /// Defects injected (only for as-at dates before March 2017).
    pub defects: usize,
}

impl Summary {
    /// Data rows over all files.
    pub fn total_rows(&self) -> u64 {
        self.files.iter().map(|(_, n)| n).sum()
    }
}

/// The resolved snapshot every writer works from.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ctx {
    /// `--seed`.
    pub seed: u64,
    /// `--scale` (at least 1).
    pub scale: u32,
    /// The as-at date.
    pub as_at: dates::Day,
    /// The "go-live" day of the world: all history dates are fixed relative to it, so that the
    /// January and March snapshots describe the same people on the same dates.
    pub anchor: dates::Day,
    /// True before 1 March 2017: the world as in January (before the February and March changes),
    /// with the contract's defects injected into block 0.
    pub january: bool,
}

impl Ctx {
    fn new(opts: &Options) -> Ctx {
        let as_at = dates::from_jiff(opts.as_at);
        let january = as_at < dates::from_ymd(2017, 3, 1);
        // 31 January + 59 days = 31 March in 2017.
        let anchor = if january { as_at + 59 } else { as_at };
        Ctx {
            seed: opts.seed,
            scale: opts.scale.max(1),
            as_at,
            anchor,
            january,
        }
    }

    /// True when block `block` carries the injected defects.
    pub fn defects(&self, block: u32) -> bool {
        self.january && block == 0
    }
}

/// Writes the whole folder and returns what was written.
pub fn generate(opts: &Options) -> anyhow::Result<Summary> {
    let ctx = Ctx::new(opts);
    for sub in ["hr", "cases", "placements"] {
        let dir = opts.out.join(sub);
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("failed to create `{}`", dir.display()))?;
    }
    // Two cores: the placements workbook (the slowest file) is written beside the others.
    let pl = path(opts, "placements/placements.xlsx");
    let (csvs, placements) = std::thread::scope(|scope| {
        let worker = scope.spawn(|| placements::write(&ctx, &pl));
        let csvs = write_the_rest(&ctx, opts);
        let placements = worker
            .join()
            .unwrap_or_else(|_| Err(anyhow::anyhow!("the placements writer panicked")));
        (csvs, placements)
    });
    let (mut summary, mut tally) = csvs?;
    let placements = placements?;
    let mut record = |name: &str, rows: u64| summary.files.push((name.to_string(), rows));
    record(
        "placements/placements.xlsx#Placements",
        placements.placements,
    );
    record("placements/placements.xlsx#Providers", placements.providers);
    tally.defects.extend(placements.defects);
    let controls = expected::write_controls(&tally, &path(opts, "controls.csv"))?;
    summary.files.push(("controls.csv".to_string(), controls));
    expected::write_expected(&ctx, &tally, &path(opts, "expected.json"))?;
    summary.defects = tally.defects.len();
    Ok(summary)
}

/// Writes the HR files and cases.csv, counting as it goes.
fn write_the_rest(ctx: &Ctx, opts: &Options) -> anyhow::Result<(Summary, expected::Tally)> {
    let mut tally = expected::Tally::new(ctx);
    let mut summary = Summary::default();
    let mut record = |name: &str, rows: u64| summary.files.push((name.to_string(), rows));
    record(
        "hr/teams.csv",
        hr::write_teams(ctx, &path(opts, "hr/teams.csv"))?,
    );
    let staff = hr::write_staff(ctx, &path(opts, "hr/staff.csv"), &mut tally)?;
    record("hr/staff.csv", staff);
    let agency = path(opts, "hr/agency_workers.xlsx");
    record(
        "hr/agency_workers.xlsx",
        hr::write_agency(ctx, &agency, &mut tally)?,
    );
    let cases = cases::write(ctx, &path(opts, "cases/cases.csv"), &mut tally)?;
    record("cases/cases.csv", cases);
    Ok((summary, tally))
}

fn path(opts: &Options, rel: &str) -> PathBuf {
    opts.out.join(Path::new(rel))
}
