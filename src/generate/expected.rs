//! Counting while writing: the [`Tally`] every writer updates, and the two files derived from it,
//! `controls.csv` (the council's own totals) and `expected.json` (test ground truth: the figures a
//! correct migration transfers and the injected defects).
use std::path::Path;

use anyhow::Context;
use serde::Serialize;

use super::defects::Defect;
use super::{Ctx, dates, org, out};

/// Running counts over the rows written.
#[derive(Debug)]
pub struct Tally {
    /// Distinct in-scope employees in staff.csv (the council's control).
    pub staff_control: u64,
    /// In-scope employees whose rows a migration accepts.
    pub staff_accepted: u64,
    /// Open LAC rows.
    pub looked_after: u64,
    /// Open CP rows.
    pub cp_plans: u64,
    /// Open CP rows visited within ten working days.
    pub cp_visited: u64,
    /// Open CL rows.
    pub care_leavers: u64,
    /// Open CL rows with a Pathway Plan Date.
    pub pathway_plans: u64,
    /// Open CIN/CP/LAC/CL rows with no worker.
    pub unallocated: u64,
    /// Open CIN/CP/LAC rows (the caseload numerator).
    pub caseload_cases: u64,
    /// Which staff (global post index) hold an open CIN/CP/LAC case and are in scope.
    pub case_holders: Vec<bool>,
    /// Agency worker rows.
    pub agency: u64,
    /// Injected defects.
    pub defects: Vec<Defect>,
}

impl Tally {
    /// An empty tally sized for the scale.
    pub fn new(ctx: &Ctx) -> Tally {
        Tally {
            staff_control: 0,
            staff_accepted: 0,
            looked_after: 0,
            cp_plans: 0,
            cp_visited: 0,
            care_leavers: 0,
            pathway_plans: 0,
            unallocated: 0,
            caseload_cases: 0,
            case_holders: vec![false; (org::STAFF as usize) * ctx.scale as usize],
            agency: 0,
            defects: Vec::new(),
        }
    }
}

/// `round(100 * num / den)`, halves away from zero; 0 when `den` is 0.
pub fn pct(num: u64, den: u64) -> u64 {
    if den == 0 {
        0
    } else {
        (200 * num + den) / (2 * den)
    }
}

#[derive(Serialize)]
struct Figures {
    staff_in_scope: u64,
    looked_after: u64,
    cp_plans: u64,
    unallocated_cases: u64,
    average_caseload: u64,
    cp_visit_within_10_working_days_pct: u64,
    care_leavers_with_pathway_plan_pct: u64,
    care_leavers: u64,
    agency_workers: u64,
}

#[derive(Serialize)]
struct Controls {
    staff_in_scope: u64,
    looked_after: u64,
    cp_plans: u64,
    care_leavers: u64,
}

#[derive(Serialize)]
struct Expected<'a> {
    as_at: String,
    seed: u64,
    scale: u32,
    figures: Figures,
    controls: Controls,
    defects: &'a [Defect],
}

fn controls(t: &Tally) -> Controls {
    Controls {
        staff_in_scope: t.staff_control,
        looked_after: t.looked_after,
        cp_plans: t.cp_plans,
        care_leavers: t.care_leavers,
    }
}

/// Writes controls.csv and returns its data rows.
pub fn write_controls(t: &Tally, path: &Path) -> anyhow::Result<u64> {
    let mut w = out::csv_file(path, false, false)?;
    let mut row = out::Row::default();
    row.clear();
    row.s("measure").s("expected").s("description");
    row.write(&mut w, path)?;
    let c = controls(t);
    let rows = [
        (
            "staff_in_scope",
            c.staff_in_scope,
            "Distinct employees flagged to transfer (Transfer Flag Y)",
        ),
        (
            "looked_after",
            c.looked_after,
            "Open looked-after (LAC) involvements",
        ),
        ("cp_plans", c.cp_plans, "Open child protection (CP) plans"),
        (
            "care_leavers",
            c.care_leavers,
            "Open care leaver (CL) involvements",
        ),
    ];
    for (measure, value, description) in rows {
        row.clear();
        row.s(measure).f(value).s(description);
        row.write(&mut w, path)?;
    }
    out::finish(w, path)?;
    Ok(rows.len() as u64)
}

/// Writes expected.json.
pub fn write_expected(ctx: &Ctx, t: &Tally, path: &Path) -> anyhow::Result<()> {
    let holders = t.case_holders.iter().filter(|h| **h).count() as u64;
    let (y, m, d) = dates::ymd(ctx.as_at);
    let mut defects = t.defects.clone();
    defects.sort();
    let doc = Expected {
        as_at: format!("{y:04}-{m:02}-{d:02}"),
        seed: ctx.seed,
        scale: ctx.scale,
        figures: Figures {
            staff_in_scope: t.staff_accepted,
            looked_after: t.looked_after,
            cp_plans: t.cp_plans,
            unallocated_cases: t.unallocated,
            average_caseload: if holders == 0 {
                0
            } else {
                (2 * t.caseload_cases + holders) / (2 * holders)
            },
            cp_visit_within_10_working_days_pct: pct(t.cp_visited, t.cp_plans),
            care_leavers_with_pathway_plan_pct: pct(t.pathway_plans, t.care_leavers),
            care_leavers: t.care_leavers,
            agency_workers: t.agency,
        },
        controls: controls(t),
        defects: &defects,
    };
    let mut text = serde_json::to_string_pretty(&doc).context("failed to render expected.json")?;
    text.push('\n');
    std::fs::write(path, text).with_context(|| format!("failed to write `{}`", path.display()))
}
