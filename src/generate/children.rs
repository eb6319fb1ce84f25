//! The children's world: 3771 children per block, each with a fixed *kind* (looked after in both
//! snapshots, started being looked after in February, care leaver, ...) that decides what the
//! January and the March exports show. All draws happen in a fixed order whatever the snapshot, so
//! the two snapshots describe the same children on the same dates (#2).
use super::Ctx;
use super::dates::{self, Day};
use super::defects;
pub use super::kinds::{CHILDREN, Kind, kind_of, may_have_placements};
use super::kinds::{CP_ON_TIME, PATHWAY};
use super::names::{self, Name};
use super::org;
use super::rng::Rng;
#[cfg(doc)]
use super::upn;

const CHILD_STREAM: u64 = 3;

/// Involvement types of cases.csv.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    /// Child in need.
    Cin,
    /// Child protection plan.
    Cp,
    /// Looked after.
    Lac,
    /// Care leaver.
    Cl,
    /// Early help.
    Eh,
    /// Adult social care transition.
    Asc,
}

impl Type {
    /// The code written to cases.csv.
    pub fn code(self) -> &'static str {
        match self {
            Type::Cin => "CIN",
            Type::Cp => "CP",
            Type::Lac => "LAC",
            Type::Cl => "CL",
            Type::Eh => "EH",
            Type::Asc => "ASC",
        }
    }
}

/// The allocated worker of a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Worker {
    /// A staff post (local index in the child's block).
    Post(u32),
    /// Empty field.
    Blank,
    /// The case system's `-1` "no worker" sentinel.
    MinusOne,
}

/// A period of being looked after, from which the placements are drawn.
#[derive(Debug, Clone, Copy)]
pub struct Spell {
    /// First day looked after.
    pub start: Day,
    /// Placement changes happen on or before this day.
    pub last_change: Day,
    /// Last day, or `None` while still looked after.
    pub end: Option<Day>,
}

/// One child as one snapshot shows it (one row of cases.csv).
#[derive(Debug, Clone)]
pub struct Child {
    /// Kind and index within the kind.
    pub kind: (Kind, u32),
    /// Child ID.
    pub id: u64,
    /// The serial the UPN is built from ([`upn::push_upn`]).
    pub upn_serial: u64,
    /// Names.
    pub name: Name,
    /// Date of birth.
    pub dob: Day,
    /// Replaces the date of birth text (January defect).
    pub dob_text: Option<&'static str>,
    /// 903 sex: 1 male, 2 female.
    pub sex: u8,
    /// 903 ethnicity.
    pub ethnicity: &'static str,
    /// Involvement ID number.
    pub involvement: u64,
    /// Involvement type.
    pub kind_type: Type,
    /// Start date.
    pub start: Day,
    /// End date (closed cases).
    pub end: Option<Day>,
    /// Allocated worker.
    pub worker: Worker,
    /// CP rows: plan start, category of abuse, last statutory visit.
    pub cp: Option<(Day, &'static str, Day)>,
    /// CL rows: eligibility category and pathway plan date.
    pub cl: Option<(&'static str, Option<Day>)>,
    /// The looked-after history this snapshot shows, if any.
    pub spell: Option<Spell>,
}

/// Dates drawn once per child, whatever the snapshot.
struct Draws {
    dob: Day,
    start: Day,
    end: Day,
    event: Day,
    cp_start: Day,
    category: &'static str,
    visit_on_time: u32,
    visit_late: u32,
    plan: Day,
    closed_type: Type,
}

const ETHNICITY: &[(&str, u32)] = &[
    ("WBRI", 880),
    ("WIRI", 5),
    ("WOTH", 20),
    ("WROM", 3),
    ("MWBC", 20),
    ("MWBA", 8),
    ("MWAS", 8),
    ("MOTH", 8),
    ("AIND", 8),
    ("APKN", 6),
    ("ABAN", 10),
    ("AOTH", 4),
    ("BAFR", 8),
    ("BCRB", 2),
    ("BOTH", 2),
    ("CHNE", 4),
    ("OOTH", 4),
];
const CATEGORY: &[(&str, u32)] = &[
    ("NEG", 45),
    ("EMO", 30),
    ("PHY", 10),
    ("SAB", 5),
    ("MUL", 10),
];

fn draws(rng: &mut Rng, ctx: &Ctx, kind: (Kind, u32)) -> Draws {
    let a = ctx.anchor;
    let closed_type = match kind.1 % 20 {
        0..=7 => Type::Cin,
        8 | 9 => Type::Cp,
        10..=12 => Type::Lac,
        13 | 14 => Type::Cl,
        _ => Type::Eh,
    };
    let age_days = match (kind.0, closed_type) {
        (Kind::ClBoth, _) => rng.between(6027, 7816),
        (Kind::Closed, Type::Cl) => rng.between(6940, 7816),
        (Kind::Asc, _) => rng.between(6270, 6500),
        _ => rng.between(150, 6355),
    };
    let dob = a - age_days;
    // Looked-after, CIN and EH histories start after birth and change hands 90+ days before go-live.
    let start = rng.between((dob + 10).max(a - 2400), a - 90);
    let end = rng.between(start + 30, (start + 900).min(a - 90).max(start + 30));
    Draws {
        dob,
        start,
        end,
        event: a - 55 + rng.between(0, 50),
        cp_start: rng.between((dob + 10).max(a - 600), a - 100),
        category: rng.weighted(CATEGORY),
        visit_on_time: rng.between(0, 10) as u32,
        visit_late: rng.between(11, 25) as u32,
        plan: a - 70 - rng.between(0, 150),
        closed_type,
    }
}

/// The child at local index `local` of `block`, as the snapshot `ctx` shows it.
pub fn child(ctx: &Ctx, block: u32, local: u32) -> Child {
    let global = u64::from(block) * u64::from(CHILDREN) + u64::from(local);
    let kind = kind_of(local);
    let mut rng = Rng::for_entity(ctx.seed, CHILD_STREAM, global);
    let female = rng.chance(49);
    let name = names::draw(&mut rng, female);
    let ethnicity = rng.weighted(ETHNICITY);
    let d = draws(&mut rng, ctx, kind);
    let mut c = Child {
        kind,
        id: 200_000 + global,
        upn_serial: (global * 7919 + 12_345) % 1_000_000_000,
        name,
        dob: d.dob,
        dob_text: None,
        sex: if female { 2 } else { 1 },
        ethnicity,
        involvement: 1_000_000 + global * 2,
        kind_type: Type::Cin,
        start: d.start,
        end: None,
        worker: default_worker(kind),
        cp: None,
        cl: None,
        spell: None,
    };
    shape(ctx, &mut c, &d);
    if ctx.defects(block) {
        inject(&mut c);
    }
    c
}

/// The worker of a child's case in a clean world, by kind: case-holding social workers for
/// CIN/CP/LAC, Personal Advisers for care leavers, Family Support Workers for early help.
fn default_worker(kind: (Kind, u32)) -> Worker {
    let pick = |(first, n): (u32, u32)| Worker::Post(first + kind.1 % n);
    match kind.0 {
        Kind::ClBoth => pick(org::ADVISERS),
        Kind::EhBoth => pick(org::SUPPORT_WORKERS),
        Kind::Asc => pick(org::ADULT_WORKERS),
        Kind::Closed => match kind.1 % 20 {
            13 | 14 => pick(org::ADVISERS),
            15.. => pick(org::SUPPORT_WORKERS),
            _ => pick(org::CASE_HOLDERS),
        },
        _ => pick(org::CASE_HOLDERS),
    }
}

/// Sets the involvement the snapshot shows.
fn shape(ctx: &Ctx, c: &mut Child, d: &Draws) {
    let (kind, i) = c.kind;
    let a = ctx.anchor;
    let march = !ctx.january;
    let open_lac = |s: Day| {
        Some(Spell {
            start: s,
            last_change: a - 90,
            end: None,
        })
    };
    match kind {
        Kind::LacBoth => lac(c, d.start, None, open_lac(d.start)),
        Kind::LacCeased if march => {
            let spell = Spell {
                start: d.start,
                last_change: a - 90,
                end: Some(d.event),
            };
            lac(c, d.start, Some(d.event), Some(spell))
        }
        Kind::LacCeased => lac(c, d.start, None, open_lac(d.start)),
        Kind::LacStarted | Kind::CpStarted if march => {
            c.involvement += 1;
            if kind == Kind::LacStarted {
                let spell = Spell {
                    start: d.event,
                    last_change: d.event,
                    end: None,
                };
                lac(c, d.event, None, Some(spell));
            } else {
                let start = a - 50 + (d.event - a + 55) / 4;
                cp(ctx, c, start, None, d, true);
            }
        }
        Kind::CpBoth => cp(
            ctx,
            c,
            d.cp_start,
            None,
            d,
            i < if march { CP_ON_TIME.1 } else { CP_ON_TIME.0 },
        ),
        Kind::CpEnded => cp(ctx, c, d.cp_start, march.then_some(d.event), d, true),
        Kind::LacStarted | Kind::CpStarted | Kind::CinBoth => c.kind_type = Type::Cin,
        Kind::ClBoth => care_leaver(ctx, c, d, None),
        Kind::EhBoth => c.kind_type = Type::Eh,
        Kind::Asc => c.kind_type = Type::Asc,
        Kind::Closed => closed(ctx, c, d),
    }
}

fn lac(c: &mut Child, start: Day, end: Option<Day>, spell: Option<Spell>) {
    c.kind_type = Type::Lac;
    c.start = start;
    c.end = end;
    c.spell = spell;
}

fn cp(ctx: &Ctx, c: &mut Child, start: Day, end: Option<Day>, d: &Draws, on_time: bool) {
    c.kind_type = Type::Cp;
    c.start = start;
    c.end = end;
    let visit = match end {
        Some(e) => e - (d.visit_late as Day),
        None if on_time => dates::working_days_before(ctx.as_at, d.visit_on_time),
        None => dates::working_days_before(ctx.as_at, d.visit_late),
    };
    c.cp = Some((start, d.category, visit));
}

/// A care leaver: looked after from about 14 until 18 (or until shortly before go-live).
fn care_leaver(ctx: &Ctx, c: &mut Child, d: &Draws, end: Option<Day>) {
    let left = dates::add_years(c.dob, 18).min(ctx.anchor - 120);
    let from = (left - 300 - (d.start.rem_euclid(900))).max(dates::add_years(c.dob, 12));
    c.kind_type = Type::Cl;
    c.start = left + 1;
    c.end = end;
    c.spell = Some(Spell {
        start: from,
        last_change: left - 7,
        end: Some(left),
    });
    let age_18 = dates::add_years(c.dob, 18) <= ctx.as_at;
    let eligibility = match (age_18, c.kind.1 % 10) {
        (_, 0) => "Qualifying",
        (true, _) => "Former relevant",
        (false, _) => "Relevant",
    };
    let i = c.kind.1;
    let plan = match (ctx.january, i) {
        (_, i) if i < PATHWAY.0 => Some(d.plan.max(c.start + 7)),
        (false, i) if i < PATHWAY.1 => Some(d.event),
        _ => None,
    };
    c.cl = Some((eligibility, if end.is_some() { None } else { plan }));
}

fn closed(ctx: &Ctx, c: &mut Child, d: &Draws) {
    match d.closed_type {
        Type::Lac => {
            let spell = Spell {
                start: d.start,
                last_change: d.end - 7,
                end: Some(d.end),
            };
            lac(c, d.start, Some(d.end), Some(spell));
        }
        Type::Cp => cp(ctx, c, d.start, Some(d.end), d, false),
        Type::Cl => {
            care_leaver(ctx, c, d, Some(ctx.anchor - 90));
            c.end = Some(c.start.max(ctx.anchor - 120) + 20);
        }
        other => {
            c.kind_type = other;
            c.end = Some(d.end);
        }
    }
}

/// The January defects that live in cases.csv.
fn inject(c: &mut Child) {
    let (kind, i) = c.kind;
    match kind {
        Kind::CinBoth if i < defects::UNALLOCATED_CIN => {
            c.worker = if i % 2 == 0 {
                Worker::Blank
            } else {
                Worker::MinusOne
            };
        }
        Kind::CinBoth if i < defects::UNALLOCATED_CIN + defects::ORPHAN_CIN => {
            c.worker = Worker::Post(org::FIRST_LEAVER + i - defects::UNALLOCATED_CIN);
        }
        Kind::CpBoth if i < defects::UNALLOCATED_CP => {
            c.worker = if i % 2 == 0 {
                Worker::MinusOne
            } else {
                Worker::Blank
            };
        }
        Kind::EhBoth if i == defects::BAD_DOB_EH => c.dob_text = Some("2009-13-01"),
        _ => {}
    }
}
