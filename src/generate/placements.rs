//! The placements spreadsheet placements/placements.xlsx: the "Placements" sheet (title rows, header
//! on row 4, one row per placement of every child who is or was looked after) and the "Providers"
//! sheet. Placements stream through a constant-memory worksheet; beyond Excel's 1,048,576 rows
//! (only at very large `--scale`) they continue on sheets "Placements 2", "Placements 3", ...
use std::path::Path;

use rust_xlsxwriter::{Workbook, Worksheet};

use super::children::{self, Kind, Spell};
use super::defects::{self, Defect};
use super::out::{self, xl};
use super::rng::Rng;
use super::{Ctx, dates, providers};

const FILE: &str = "placements/placements.xlsx";
const SHEET: &str = "Placements";
const PLACEMENT_STREAM: u64 = 4;
/// Excel's last row (1-based).
const MAX_ROW: u32 = 1_048_576;

/// Local Placement Codes, their 903 type and their weight.
const CODES: &[((&str, &str), u32)] = &[
    (("FOS-REL-LT", "U1"), 50),
    (("FOS-REL-FFA", "U2"), 5),
    (("FOS-REL", "U3"), 60),
    (("FOS-LT", "U4"), 180),
    (("FOS-FFA", "U5"), 15),
    (("FOS", "U6"), 330),
    (("ADOPT-CONSENT-FC", "A3"), 5),
    (("ADOPT-CONSENT", "A4"), 8),
    (("ADOPT-PO-FC", "A5"), 10),
    (("ADOPT-PO", "A6"), 30),
    (("SEMI-IND", "H5"), 40),
    (("SECURE", "K1"), 3),
    (("RES-HOME", "K2"), 70),
    (("PARENT", "P1"), 60),
    (("INDEP", "P2"), 8),
    (("RES-EMPLOY", "P3"), 1),
    (("RES-CARE", "R1"), 15),
    (("NHS", "R2"), 2),
    (("FAMILY-CENTRE", "R3"), 4),
    (("YOI", "R5"), 2),
    (("RES-SCHOOL", "S1"), 6),
];
const LEGAL: &[(&str, u32)] = &[
    ("FCO", 45),
    ("ICO", 20),
    ("S20", 28),
    ("EPO", 1),
    ("PPO", 1),
    ("REMAND", 1),
];

/// What placements.xlsx holds: rows per sheet and the defects injected into it.
#[derive(Debug, Default)]
pub struct Written {
    /// Placement rows over all placement sheets.
    pub placements: u64,
    /// Provider rows.
    pub providers: u64,
    /// Defects found while writing.
    pub defects: Vec<Defect>,
}

/// Writes placements.xlsx.
pub fn write(ctx: &Ctx, path: &Path) -> anyhow::Result<Written> {
    let mut written = Written::default();
    let found = &mut written.defects;
    let mut wb = out::workbook(ctx.as_at)?;
    let mut sheet = Sheet {
        number: 1,
        next_row: 0,
    };
    new_sheet(ctx, &mut wb, &mut sheet, path)?;
    let mut rows = 0u64;
    for block in 0..ctx.scale {
        for local in 0..children::CHILDREN {
            let c =
                children::may_have_placements(local).then(|| children::child(ctx, block, local));
            if let Some((spell, c)) = c.and_then(|c| c.spell.map(|s| (s, c))) {
                for p in placements(ctx, c.id, c.kind, spell, ctx.defects(block)) {
                    rows += write_row(ctx, &mut wb, &mut sheet, &p, path, found)?;
                }
            }
            if ctx.defects(block) && defects::ORPHAN_PLACEMENTS_AFTER.contains(&local) {
                let p = orphan(ctx, local);
                let line = sheet.next_row + 1;
                rows += write_row(ctx, &mut wb, &mut sheet, &p, path, found)?;
                found.push(defect("orphan", line));
            }
        }
    }
    written.providers = providers::write(ctx, &mut wb, path)?;
    written.placements = rows;
    out::save(wb, path)?;
    Ok(written)
}

/// The placements sheet being filled.
struct Sheet {
    number: u32,
    /// 0-based index of the next row to write.
    next_row: u32,
}

fn defect(kind: &'static str, line: u32) -> Defect {
    Defect {
        kind,
        entity: "placement",
        file: FILE,
        sheet: Some(SHEET),
        line: u64::from(line),
    }
}

fn new_sheet(ctx: &Ctx, wb: &mut Workbook, sheet: &mut Sheet, path: &Path) -> anyhow::Result<()> {
    let ws = xl(wb.add_worksheet_with_constant_memory(), path)?;
    let name = if sheet.number == 1 {
        SHEET.to_string()
    } else {
        format!("{SHEET} {}", sheet.number)
    };
    xl(ws.set_name(name), path)?;
    xl(
        ws.write_string(0, 0, "Placements and Finance System - placement history"),
        path,
    )?;
    xl(
        ws.write_string(1, 0, format!("Extract as at {}", dates::dmy(ctx.as_at))),
        path,
    )?;
    let header = [
        "Placement ID",
        "Child ID",
        "Placement Type (903)",
        "Local Placement Code",
        "Legal Status",
        "Provider ID",
        "Start Date",
        "End Date",
        "Placement Postcode",
    ];
    for (c, h) in header.iter().enumerate() {
        xl(ws.write_string(3, c as u16, *h), path)?;
    }
    sheet.next_row = 4;
    Ok(())
}

/// One placement row (also read by the SSDA903 return, whose episodes are these placements).
pub(super) struct Placement {
    pub id: u64,
    pub child: u64,
    pub code: &'static str,
    pub place: &'static str,
    pub legal: &'static str,
    pub provider: u32,
    pub start: Option<dates::Day>,
    pub end: Option<dates::Day>,
    pub postcode: String,
}

fn write_row(
    ctx: &Ctx,
    wb: &mut Workbook,
    sheet: &mut Sheet,
    p: &Placement,
    path: &Path,
    found: &mut Vec<Defect>,
) -> anyhow::Result<u64> {
    if sheet.next_row >= MAX_ROW {
        sheet.number += 1;
        new_sheet(ctx, wb, sheet, path)?;
    }
    let r = sheet.next_row;
    let line = r + 1;
    if !CODES.iter().any(|((code, _), _)| *code == p.code) {
        found.push(defect("invalid_code", line));
    }
    if p.start.is_none() {
        found.push(defect("missing_value", line));
    }
    let name = if sheet.number == 1 {
        SHEET.to_string()
    } else {
        format!("{SHEET} {}", sheet.number)
    };
    let ws: &mut Worksheet = xl(wb.worksheet_from_name(&name), path)?;
    let text = [
        (0, format!("PL{:07}", p.id)),
        (1, p.child.to_string()),
        (2, p.place.to_string()),
        (3, p.code.to_string()),
        (4, p.legal.to_string()),
        (5, format!("PRV{:04}", p.provider)),
        (8, p.postcode.clone()),
    ];
    for (c, v) in text {
        xl(ws.write_string(r, c, v), path)?;
    }
    if let Some(start) = p.start {
        xl(ws.write_number(r, 6, dates::excel(start)), path)?;
    }
    if let Some(end) = p.end {
        xl(ws.write_number(r, 7, dates::excel(end)), path)?;
    }
    sheet.next_row += 1;
    Ok(1)
}

/// The placements of one looked-after spell: 1-4 placements, changes on or before
/// `spell.last_change`, the last one ending with the spell.
pub(super) fn placements(
    ctx: &Ctx,
    child: u64,
    kind: (Kind, u32),
    spell: Spell,
    defective: bool,
) -> Vec<Placement> {
    let mut rng = Rng::for_entity(ctx.seed, PLACEMENT_STREAM, child);
    let span = spell.last_change - spell.start;
    let wanted = 1 + rng.below(4) as i32;
    let n = if span < 30 * wanted { 1 } else { wanted };
    let mut starts: Vec<dates::Day> = (1..n)
        .map(|_| spell.start + 1 + rng.below(span as u64) as i32)
        .collect();
    starts.sort_unstable();
    starts.dedup();
    starts.insert(0, spell.start);
    let mut out = Vec::with_capacity(starts.len());
    for (k, start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).map(|next| next - 1).or(spell.end);
        let ((code, place), legal, provider, postcode) = draw_placement(&mut rng);
        out.push(Placement {
            id: 1_000_000 + (child - 200_000) * 5 + k as u64,
            child,
            code,
            place,
            legal,
            provider,
            start: Some(*start),
            end,
            postcode,
        });
    }
    if kind.0 == Kind::ClBoth {
        first_placement_defects(&mut out[0], kind.1, defective);
    }
    out
}

/// Care leavers 0-3: their first placement is a fixed type, and in January carries a defect.
fn first_placement_defects(p: &mut Placement, i: u32, defective: bool) {
    for (index, bad) in defects::BAD_CODE_CL {
        if i == index {
            (p.code, p.place) = if bad == "RES-OOA" {
                ("RES-HOME", "K2")
            } else {
                ("FOS", "U6")
            };
            p.provider = 1 + i;
            if defective {
                p.code = bad;
            }
        }
    }
    if defective && i == defects::NO_START_CL {
        p.start = None;
    }
}

type Drawn = ((&'static str, &'static str), &'static str, u32, String);

fn draw_placement(rng: &mut Rng) -> Drawn {
    let (code, place) = rng.weighted(CODES);
    let mut legal = rng.weighted(LEGAL);
    if place.starts_with('A') {
        legal = "PO";
    }
    let provider = providers::provider_for(rng, place);
    ((code, place), legal, provider, providers::postcode(rng))
}

/// An ended placement whose child is not in cases.csv (January defect).
fn orphan(ctx: &Ctx, local: u32) -> Placement {
    let n = u64::from(
        defects::ORPHAN_PLACEMENTS_AFTER
            .iter()
            .position(|l| *l == local)
            .unwrap_or(0) as u32,
    );
    let mut rng = Rng::for_entity(ctx.seed, PLACEMENT_STREAM, u64::MAX - n);
    let start = ctx.anchor - 900 - rng.between(0, 300);
    Placement {
        id: 999_991 + n,
        child: 199_001 + n,
        code: "FOS",
        place: "U6",
        legal: "S20",
        provider: 1 + n as u32,
        start: Some(start),
        end: Some(start + rng.between(30, 200)),
        postcode: providers::postcode(&mut rng),
    }
}
