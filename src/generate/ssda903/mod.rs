//! The SSDA903 return of the synthetic population (`handover generate --return ssda903`, #12):
//! the children who have a looked-after spell (the children placements.xlsx holds) written as the
//! DfE's return for the collection year that ends on the as-at date, as eleven CSV files
//! (`csv/header.csv`, ...) with the columns and formats mappings/ssda903 reads, as the same return
//! in XML (`xml/ssda903.xml`) and in the DfE's own XML layout (`dfe-xml/ssda903.xml`), and a ground
//! truth (`expected.json`): the rows of each file and, with `--defects integrity`, one injected
//! defect per integrity rule of the 903 schema located in each form that can carry it. Children stream one at a time; docs/generate.md and docs/ssda903.md describe it.
use anyhow::bail;

use super::dates::{self, Day};
use super::{Ctx, Options, Summary, children, providers};

mod adoption;
mod child;
mod defects;
mod dfe;
mod episodes;
mod expected;
mod outcomes;
mod tables;
mod write;

/// The defects injected into the return.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Defects {
    /// A clean return: its dry run has no finding.
    None,
    /// One defect per integrity rule of the 903 schema (header orphans, agreements, once-per-child
    /// duplicates, EPI), each in a different child.
    Integrity,
}

/// The first and last collection years written: the code lists the generator draws from (SEX 1
/// and 2, placement types without K3) hold from the 2016-17 return to the 2023-24 return.
const YEARS: (i16, i16) = (2017, 2024);

/// What every child's records are drawn against: the collection year and the providers.
pub struct Env {
    /// 1 April: the first day of the collection year.
    pub start: Day,
    /// 31 March: the as-at date, the last day of the collection year.
    pub as_at: Day,
    /// Care leavers' activities in force in the year (F3 and P3 gave way to F4, F5, P4 and P5 in
    /// the 2022-23 return).
    pub activities: &'static [(&'static str, u32)],
    providers: Vec<(&'static str, String)>,
}

impl Env {
    /// The 903 provider code (PR0-PR5) and URN of provider `i` (the URN is blank for PR0).
    pub fn provider(&self, i: u32) -> (&'static str, &str) {
        let (kind, urn) = &self.providers[i as usize];
        (kind, urn.as_str())
    }
}

const ACTIVITIES_TO_2022: &[(&str, u32)] = &[
    ("F1", 8),
    ("P1", 2),
    ("F2", 30),
    ("P2", 5),
    ("F3", 18),
    ("P3", 6),
    ("G4", 6),
    ("G5", 20),
    ("G6", 5),
];
const ACTIVITIES_FROM_2022: &[(&str, u32)] = &[
    ("F1", 8),
    ("P1", 2),
    ("F2", 30),
    ("P2", 5),
    ("F4", 4),
    ("P4", 2),
    ("F5", 14),
    ("P5", 4),
    ("G4", 6),
    ("G5", 20),
    ("G6", 5),
];

/// Writes the return into `opts.out` and returns what was written.
pub fn generate(opts: &Options, defects: Defects) -> anyhow::Result<Summary> {
    let (y, m, d) = (opts.as_at.year(), opts.as_at.month(), opts.as_at.day());
    if (m, d) != (3, 31) || y < YEARS.0 || y > YEARS.1 {
        bail!(
            "--as-at {} is not the end of a collection year the SSDA903 return can be written for: give a 31 March from {} to {}",
            opts.as_at,
            YEARS.0,
            YEARS.1
        );
    }
    let ctx = Ctx::new(opts);
    let env = Env {
        start: dates::from_ymd(i32::from(y) - 1, 4, 1),
        as_at: ctx.as_at,
        activities: if y >= 2023 {
            ACTIVITIES_FROM_2022
        } else {
            ACTIVITIES_TO_2022
        },
        providers: (0..providers::PROVIDERS)
            .map(|i| {
                let p = providers::provider(&ctx, i);
                (p.kind, p.urn.unwrap_or_default())
            })
            .collect(),
    };
    let mut placer = match defects {
        Defects::None => defects::Placer::none(),
        Defects::Integrity => defects::Placer::integrity(),
    };
    let mut w = write::Writer::create(&opts.out)?;
    for block in 0..ctx.scale {
        for local in 0..children::CHILDREN {
            if let Some(g) = child::group(&ctx, &env, block, local) {
                for g in placer.inject(g) {
                    w.child(&g)?;
                }
            }
        }
    }
    if let Some(i) = placer.unplaced().first() {
        bail!(
            "no child of the population has a record of `{}` to carry the {} defect; try another --seed",
            defects::SPECS[*i].table.name(),
            defects::SPECS[*i].rule
        );
    }
    let done = w.finish()?;
    expected::write(&ctx, defects, &done, &opts.out.join("expected.json"))?;
    let mut summary = Summary::default();
    for t in tables::TABLES {
        summary.files.push((t.csv_file(), done.rows[t.index()]));
    }
    let records: u64 = done.rows.iter().sum::<u64>() + done.header_stubs;
    summary.files.push((write::XML_FILE.to_string(), records));
    summary
        .files
        .push((dfe::FILE.to_string(), done.dfe_records()));
    summary.defects = done.placed.len();
    Ok(summary)
}
