//! The case-management export cases/cases.csv (UTF-8, LF): one row per child with the child's
//! current or latest involvement, counted into the [`Tally`] as it is written.
use std::path::Path;

use super::children::{self, Child, Type, Worker};
use super::defects::Defect;
use super::expected::Tally;
use super::out::{self, Row};
use super::{Ctx, dates, hr, org};

const FILE: &str = "cases/cases.csv";

const HEADER: [&str; 20] = [
    "Child ID",
    "UPN",
    "Surname",
    "Forenames",
    "Date of Birth",
    "Sex",
    "Ethnicity",
    "Involvement ID",
    "Involvement Type",
    "Status",
    "Start Date",
    "End Date",
    "Allocated Worker",
    "Team Code",
    "CP Plan Start",
    "Category of Abuse",
    "Last Statutory Visit",
    "Eligibility Category",
    "Pathway Plan Date",
    "Personal Adviser",
];

/// Writes cases/cases.csv and returns its data rows.
pub fn write(ctx: &Ctx, path: &Path, tally: &mut Tally) -> anyhow::Result<u64> {
    let mut w = out::csv_file(path, false, false)?;
    let mut row = Row::default();
    for h in HEADER {
        row.s(h);
    }
    row.write(&mut w, path)?;
    let mut rows = 0u64;
    for block in 0..ctx.scale {
        for local in 0..children::CHILDREN {
            let c = children::child(ctx, block, local);
            rows += 1;
            count(ctx, block, &c, rows + 1, tally);
            fill(block, &c, &mut row);
            row.write(&mut w, path)?;
        }
    }
    out::finish(w, path)?;
    Ok(rows)
}

fn fill(block: u32, c: &Child, row: &mut Row) {
    let worker = match c.worker {
        Worker::Post(l) => Some((
            hr::employee_no(block, l),
            hr::team_number(block, org::role(block, l).team),
        )),
        Worker::Blank | Worker::MinusOne => None,
    };
    row.clear();
    row.f(c.id)
        .upn(c.upn_serial)
        .s(c.name.surname)
        .s(c.name.forenames);
    match c.dob_text {
        Some(text) => row.s(text),
        None => row.d(Some(c.dob)),
    };
    row.f(c.sex)
        .s(c.ethnicity)
        .f(format_args!("INV{:07}", c.involvement))
        .s(c.kind_type.code())
        .s(if c.end.is_some() { "Closed" } else { "Open" })
        .d(Some(c.start))
        .d(c.end);
    match (worker, c.worker) {
        (Some((no, team)), _) => row.f(no).f(format_args!("T{team:03}")),
        (None, Worker::MinusOne) => row.s("-1").s(""),
        (None, _) => row.s("").s(""),
    };
    match c.cp {
        Some((start, category, visit)) => row.d(Some(start)).s(category).d(Some(visit)),
        None => row.s("").s("").s(""),
    };
    match c.cl {
        Some((eligibility, plan)) => match worker {
            Some((no, _)) => row.s(eligibility).d(plan).f(no),
            None => row.s(eligibility).d(plan).s(""),
        },
        None => row.s("").s("").s(""),
    };
}

/// Updates the figures and records the defects of one row at CSV line `line`.
fn count(ctx: &Ctx, block: u32, c: &Child, line: u64, tally: &mut Tally) {
    let open = c.end.is_none();
    let held = matches!(c.kind_type, Type::Cin | Type::Cp | Type::Lac);
    if c.dob_text.is_some() {
        tally
            .defects
            .push(Defect::csv("invalid_value", "child", FILE, line));
    }
    if let Worker::Post(l) = c.worker
        && l >= org::IN_SCOPE
        && c.kind_type != Type::Asc
    {
        tally
            .defects
            .push(Defect::csv("orphan", "child", FILE, line));
    }
    if !open {
        return;
    }
    match c.kind_type {
        Type::Lac => tally.looked_after += 1,
        Type::Cp => {
            tally.cp_plans += 1;
            let visit = c.cp.map_or(i32::MIN, |cp| cp.2);
            let due = dates::working_days_before(ctx.as_at, 10);
            tally.cp_visited += u64::from(visit >= due && visit <= ctx.as_at);
        }
        Type::Cl => {
            tally.care_leavers += 1;
            tally.pathway_plans += u64::from(c.cl.is_some_and(|cl| cl.1.is_some()));
        }
        _ => {}
    }
    let unallocated = matches!(c.worker, Worker::Blank | Worker::MinusOne);
    if unallocated && (held || c.kind_type == Type::Cl) {
        tally.unallocated += 1;
        tally
            .defects
            .push(Defect::csv("unallocated", "child", FILE, line));
    }
    if held {
        tally.caseload_cases += 1;
        if let Worker::Post(l) = c.worker
            && l < org::IN_SCOPE
        {
            tally.case_holders[(block * org::STAFF + l) as usize] = true;
        }
    }
}
