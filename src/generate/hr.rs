//! The HR and payroll export: hr/teams.csv (UTF-8 with BOM, CRLF), hr/staff.csv (Windows-1252,
//! CRLF, one row per post) and hr/agency_workers.xlsx. Each post's role comes from [`org`]; the
//! person in it (name, dates, hours) is drawn from the post's own random stream.
use std::path::Path;

use rust_xlsxwriter::Worksheet;

use super::defects::{self, Defect};
use super::expected::Tally;
use super::org::{self, Family, Manager, Role};
use super::out::{self, Row};
use super::rng::Rng;
use super::{Ctx, dates, names};

const STAFF_FILE: &str = "hr/staff.csv";
const STAFF_STREAM: u64 = 1;
const AGENCY_STREAM: u64 = 2;
const DAYS_PER_YEAR: i32 = 365;

/// The Team Code of local team `t` in `block`.
pub fn team_code(block: u32, t: u32) -> String {
    format!("T{:03}", team_number(block, t))
}

/// The number in the Team Code of local team `t` in `block`.
pub fn team_number(block: u32, t: u32) -> u32 {
    block * org::TEAMS + t + 1
}

/// The Employee No of post `local` in `block`.
pub fn employee_no(block: u32, local: u32) -> u64 {
    100_000 + u64::from(block) * 1000 + u64::from(local)
}

fn cost_centre(block: u32, t: u32) -> String {
    format!("CS{:04}", 1000 + block * org::TEAMS + t)
}

/// Writes hr/teams.csv and returns its data rows.
pub fn write_teams(ctx: &Ctx, path: &Path) -> anyhow::Result<u64> {
    let mut w = out::csv_file(path, true, true)?;
    let mut row = Row::default();
    row.s("Team Code")
        .s("Team Name")
        .s("Directorate")
        .s("Service Area")
        .s("Cost Centre")
        .s("Transfers");
    row.write(&mut w, path)?;
    for block in 0..ctx.scale {
        for t in 0..org::TEAMS {
            let team = org::team(t);
            let suffix = if block == 0 {
                String::new()
            } else {
                format!(" (Area {})", block + 1)
            };
            row.clear();
            row.s(&team_code(block, t))
                .s(&format!("{} {}{suffix}", team.name, team.number))
                .s(team.directorate)
                .s(team.service_area)
                .s(&cost_centre(block, t))
                .s(if t < org::TRANSFERRING_TEAMS {
                    "Y"
                } else {
                    "N"
                });
            row.write(&mut w, path)?;
        }
    }
    out::finish(w, path)?;
    Ok(u64::from(ctx.scale * org::TEAMS))
}

/// The person in a post: everything drawn from its random stream.
struct Person {
    name: names::Name,
    female: bool,
    dob: dates::Day,
    start: dates::Day,
    continuous: dates::Day,
    fte_hundredths: u32,
    contract: &'static str,
    pension: &'static str,
}

fn person(ctx: &Ctx, global: u64, role: &Role) -> Person {
    let mut rng = Rng::for_entity(ctx.seed, STAFF_STREAM, global);
    let female = rng.chance(78);
    let name = names::draw(&mut rng, female);
    let senior = matches!(
        role.family,
        Family::Director | Family::HeadOfService | Family::ServiceManager
    );
    let min_age = if senior { 32 } else { 20 };
    let dob = ctx.anchor - rng.between(min_age * DAYS_PER_YEAR + 60, 65 * DAYS_PER_YEAR);
    let earliest = (dob + 18 * DAYS_PER_YEAR + 5).max(ctx.anchor - 30 * DAYS_PER_YEAR);
    let start = rng.between(earliest, ctx.anchor - 120);
    let continuous = if rng.chance(25) {
        rng.between(earliest - 2000, start).max(earliest)
    } else {
        start
    };
    let fte_hundredths = if rng.chance(78) {
        100
    } else {
        rng.pick(&[50, 60, 80, 90])
    };
    let casual_ok = !role.family.registered() && !senior;
    let contract = match rng.below(100) {
        0..=7 => "Fixed Term",
        8..=10 if casual_ok => "Casual",
        _ => "Permanent",
    };
    let teachers = role.family == Family::Education && rng.chance(40);
    let pension = if teachers {
        "Teachers' Pension"
    } else if rng.chance(93) {
        "LGPS"
    } else {
        "Opted out"
    };
    Person {
        name,
        female,
        dob,
        start,
        continuous,
        fte_hundredths,
        contract,
        pension,
    }
}

/// Writes hr/staff.csv and returns its data rows.
pub fn write_staff(ctx: &Ctx, path: &Path, tally: &mut Tally) -> anyhow::Result<u64> {
    let mut w = out::csv_file(path, true, false)?;
    let mut row = Row::default();
    row.cp1252 = true;
    for h in [
        "Employee No",
        "Post No",
        "Surname",
        "Forenames",
        "Date of Birth",
        "Sex",
        "Job Title",
        "Job Family",
        "Grade",
        "FTE",
        "Weekly Hours",
        "Contract Type",
        "Cost Centre",
        "Directorate",
        "Team Code",
        "Line Manager",
        "Start Date",
        "Continuous Service Date",
        "Pension Scheme",
        "HCPC Reg No",
        "Transfer Flag",
        "Transfer Reason",
    ] {
        row.s(h);
    }
    row.write(&mut w, path)?;
    let mut rows = 0u64;
    for block in 0..ctx.scale {
        for local in 0..org::STAFF {
            let post = StaffPost {
                block,
                local,
                post_local: local,
            };
            write_post(ctx, &post, &mut row, &mut w, path, tally, rows + 2)?;
            rows += 1;
            if ctx.defects(block) && local == defects::DUPLICATE_STAFF {
                // The same employee exported a second time with another Post No.
                let dup = StaffPost {
                    block,
                    local,
                    post_local: 999,
                };
                write_post(ctx, &dup, &mut row, &mut w, path, tally, rows + 2)?;
                rows += 1;
                tally
                    .defects
                    .push(Defect::csv("duplicate", "staff", STAFF_FILE, rows + 1));
                tally.staff_accepted -= 1;
                tally.staff_control -= 1;
            }
        }
    }
    out::finish(w, path)?;
    Ok(rows)
}

struct StaffPost {
    block: u32,
    local: u32,
    post_local: u32,
}

/// The January staff defects of one row: the Line Manager it shows, and whether its Start Date
/// is the impossible `31/02/2015`. Records the defects and the in-scope counts.
fn staff_defects(
    ctx: &Ctx,
    post: &StaffPost,
    role: &Role,
    line: u64,
    tally: &mut Tally,
) -> (u64, bool) {
    let (block, local) = (post.block, post.local);
    let defective = ctx.defects(block);
    let mut manager = match role.manager {
        Manager::None => 0,
        Manager::Director => employee_no(0, 0),
        Manager::Local(m) => employee_no(block, m),
    };
    let mut rejected = false;
    if defective && defects::LINE_MANAGER_ORPHANS.contains(&local) {
        manager = employee_no(block, defects::ORPHAN_MANAGER);
        tally
            .defects
            .push(Defect::csv("orphan", "staff", STAFF_FILE, line));
        rejected = true;
    }
    let bad_start = defective && local == defects::BAD_START_STAFF;
    if bad_start {
        tally
            .defects
            .push(Defect::csv("invalid_value", "staff", STAFF_FILE, line));
        rejected = true;
    }
    if role.reason.is_empty() {
        tally.staff_control += 1;
        tally.staff_accepted += u64::from(!rejected);
    }
    (manager, bad_start)
}

/// Writes one staff row at CSV line `line`.
fn write_post(
    ctx: &Ctx,
    post: &StaffPost,
    row: &mut Row,
    w: &mut out::Csv,
    path: &Path,
    tally: &mut Tally,
    line: u64,
) -> anyhow::Result<()> {
    let (block, local) = (post.block, post.local);
    let role = org::role(block, local);
    let global = u64::from(block) * u64::from(org::STAFF) + u64::from(local);
    let p = person(ctx, global, &role);
    let (manager, bad_start) = staff_defects(ctx, post, &role, line, tally);
    let (family, grade) = role.family.label_grade();
    let (fte, hours) = (p.fte_hundredths, 37 * p.fte_hundredths);
    row.clear();
    row.f(employee_no(block, local))
        .f(format_args!(
            "P{:05}",
            10_000 + u64::from(block) * 1000 + u64::from(post.post_local)
        ))
        .s(p.name.surname)
        .s(p.name.forenames)
        .d(Some(p.dob))
        .s(if p.female { "F" } else { "M" })
        .s(role.title)
        .s(family)
        .s(grade)
        .f(format_args!("{}.{:02}", fte / 100, fte % 100))
        .f(format_args!("{}.{:02}", hours / 100, hours % 100))
        .s(p.contract)
        .s(&cost_centre(block, role.team))
        .s(org::team(role.team).directorate)
        .s(&team_code(block, role.team));
    if manager == 0 {
        row.s("")
    } else {
        row.f(manager)
    };
    if bad_start {
        row.s("31/02/2015")
    } else {
        row.d(Some(p.start))
    };
    row.d(Some(p.continuous)).s(p.pension);
    if role.family.registered() {
        row.f(format_args!("SW{:06}", 10_000 + global))
    } else {
        row.s("")
    };
    row.s(if role.reason.is_empty() { "Y" } else { "N" })
        .s(role.reason);
    row.write(w, path)
}

const AGENCIES: &[&str] = &[
    "Northern Care Recruitment",
    "Wearside Staffing Solutions",
    "Pennine Social Work Agency",
    "Coastline Locums",
];

/// Agency job titles with their weights, and whether the title is a registered social worker.
const AGENCY_TITLES: &[((&str, bool), u32)] = &[
    (("Social Worker", true), 60),
    (("Senior Practitioner", true), 15),
    (("Team Manager", true), 5),
    (("Family Support Worker", false), 10),
    (("Business Support Officer", false), 10),
];

/// Agency engagements per block.
const AGENCY_PER_BLOCK: u32 = 167;

/// Writes hr/agency_workers.xlsx and returns its data rows.
pub fn write_agency(ctx: &Ctx, path: &Path, tally: &mut Tally) -> anyhow::Result<u64> {
    let mut wb = out::workbook(ctx.as_at)?;
    let ws = out::xl(wb.add_worksheet_with_constant_memory(), path)?;
    out::xl(ws.set_name("Agency Workers"), path)?;
    let header = [
        "Agency Ref",
        "Surname",
        "Forenames",
        "Agency",
        "Job Title",
        "Team Code",
        "Start Date",
        "End Date",
        "HCPC Reg No",
    ];
    for (c, h) in header.iter().enumerate() {
        out::xl(ws.write_string(0, c as u16, *h), path)?;
    }
    let mut r = 1u32;
    for block in 0..ctx.scale {
        for i in 0..AGENCY_PER_BLOCK {
            agency_row(ctx, ws, r, block, i, path)?;
            r += 1;
        }
    }
    out::save(wb, path)?;
    tally.agency = u64::from(r - 1);
    Ok(u64::from(r - 1))
}

fn agency_row(
    ctx: &Ctx,
    ws: &mut Worksheet,
    r: u32,
    block: u32,
    i: u32,
    path: &Path,
) -> anyhow::Result<()> {
    let global = u64::from(block) * u64::from(AGENCY_PER_BLOCK) + u64::from(i);
    let mut rng = Rng::for_entity(ctx.seed, AGENCY_STREAM, global);
    let female = rng.chance(75);
    let name = names::draw(&mut rng, female);
    let (title, registered) = rng.weighted(AGENCY_TITLES);
    let team = match title {
        "Family Support Worker" => 20 + i % 8,
        "Business Support Officer" => 41 + i % 4,
        _ => i % 14,
    };
    // Engagements in 2016-17: started between April 2016 and mid-January 2017.
    let start = rng.between(ctx.anchor - 364, ctx.anchor - 75);
    let end = start + rng.between(30, 250);
    let ended = rng.chance(55) && end < ctx.as_at;
    let text = [
        format!("AG{:04}", 1000 + global),
        name.surname.to_string(),
        name.forenames.to_string(),
        rng.pick(AGENCIES).to_string(),
        title.to_string(),
        team_code(block, team),
    ];
    for (c, v) in text.iter().enumerate() {
        out::xl(ws.write_string(r, c as u16, v), path)?;
    }
    out::xl(ws.write_number(r, 6, dates::excel(start)), path)?;
    if ended {
        out::xl(ws.write_number(r, 7, dates::excel(end)), path)?;
    }
    if registered {
        out::xl(
            ws.write_string(r, 8, format!("SW{:06}", 500_000 + global)),
            path,
        )?;
    }
    Ok(())
}
