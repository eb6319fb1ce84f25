//! The files about a child's year: reviews, missing periods, UASC, and the outcomes of children
//! looked after for a year (OC2) and of care leavers (OC3). Each is written where the open 903
//! validator expects it: UASC only for a child looked after in the year whose status had not
//! ceased before it (104, 1014); OC2 with no SDQ under 4 (188) and a health check only under 5
//! (546); OC3 only for a care leaver not looked after on their birthday in the year (1007) and,
//! around the 17th birthday, not with former foster carers (3001).
use super::super::children::{Child, Spell, Type};
use super::super::dates::{self, Day};
use super::super::rng::Rng;
use super::Env;
use super::child::{Group, Record, age, d};
use super::tables::Table;

/// Adds the child's reviews, missing periods, UASC, OC2 and OC3 records to `g`.
pub fn fill(rng: &mut Rng, env: &Env, c: &Child, spell: Spell, in_year: bool, g: &mut Group) {
    let end = spell.end;
    *g.of_mut(Table::Reviews) = reviews(rng, env, c, spell.start, end);
    *g.of_mut(Table::Missing) = missing(rng, env, c, spell.start, end);
    if in_year && let Some(r) = uasc(rng, env, c, spell.start) {
        g.of_mut(Table::Uasc).push(r);
    }
    if end.is_none() && spell.start <= env.as_at - 365 {
        g.of_mut(Table::Oc2).push(oc2(rng, env, c));
    }
    let years = age(c.dob, env.as_at);
    let birthday = dates::add_years(c.dob, years);
    let left_before = end.is_some_and(|e| e < birthday);
    if c.kind_type == Type::Cl && (17..=21).contains(&years) && left_before {
        g.of_mut(Table::Oc3).push(oc3(rng, env, c, years));
    }
}

const PARTICIPATION: &[(&str, u32)] = &[
    ("PN1", 45),
    ("PN2", 8),
    ("PN3", 6),
    ("PN4", 8),
    ("PN5", 8),
    ("PN6", 15),
    ("PN7", 10),
];

/// The looked-after reviews in the collection year: 28 days after care starts, three months
/// later, then every six months while looked after.
fn reviews(rng: &mut Rng, env: &Env, c: &Child, start: Day, end: Option<Day>) -> Vec<Record> {
    let last = end.map_or(env.as_at, |e| (e - 1).min(env.as_at));
    let mut out = Vec::new();
    let mut day = start + 28;
    let mut gap = 91;
    while day <= last {
        if day >= env.start {
            let code = if age(c.dob, day) < 4 {
                "PN0"
            } else {
                rng.weighted(PARTICIPATION)
            };
            out.push(Record::of(vec![d(c.dob), d(day), code.to_string()]));
        }
        day += gap;
        gap = 182;
    }
    out
}

/// Periods missing or away from placement in the collection year, for one in ten children aged
/// 11 or over who were looked after in it.
fn missing(rng: &mut Rng, env: &Env, c: &Child, start: Day, end: Option<Day>) -> Vec<Record> {
    let from = start.max(env.start) + 1;
    let to = end.map_or(env.as_at, |e| (e - 6).min(env.as_at));
    let chosen = rng.chance(10);
    let n = 1 + rng.below(3);
    if !chosen || age(c.dob, env.as_at) < 11 || to - from < 10 {
        return Vec::new();
    }
    let mut starts: Vec<Day> = (0..n).map(|_| rng.between(from, to - 5)).collect();
    starts.sort_unstable();
    let mut out = Vec::with_capacity(starts.len());
    let mut free_from = from;
    for s in starts {
        let kind = if rng.chance(70) { "M" } else { "A" };
        let back = s + rng.between(0, 4);
        // Periods do not overlap (the validator's 574).
        if s >= free_from {
            out.push(Record::of(vec![d(c.dob), kind.to_string(), d(s), d(back)]));
            free_from = back + 1;
        }
    }
    out
}

/// Unaccompanied asylum-seeking children: three in ten children of a minority ethnic background
/// who came into care aged 13 or over. Their status ceases at 18 (DUC), which must not be before
/// the collection year.
fn uasc(rng: &mut Rng, env: &Env, c: &Child, start: Day) -> Option<Record> {
    let chosen = rng.chance(30);
    let ceased = dates::add_years(c.dob, 18);
    if !chosen || c.ethnicity == "WBRI" || age(c.dob, start) < 13 || ceased < env.start {
        return None;
    }
    let duc = if ceased <= env.as_at {
        d(ceased)
    } else {
        String::new()
    };
    Some(Record::of(vec![c.sex.to_string(), d(c.dob), duc]))
}

const NO_SDQ: &[(&str, u32)] = &[("SDQ2", 3), ("SDQ4", 4), ("SDQ5", 3)];

/// Outcomes of a child looked after for a year or more on 31 March.
fn oc2(rng: &mut Rng, env: &Env, c: &Child) -> Record {
    let years = age(c.dob, env.as_at);
    let scored = rng.chance(85);
    let score = rng.between(0, 40);
    let reason = rng.weighted(NO_SDQ);
    let (score, reason) = match years {
        ..4 => (String::new(), ""),
        4..=16 if scored => (score.to_string(), ""),
        4..=16 => (String::new(), reason),
        _ => (String::new(), "SDQ1"),
    };
    let mut flag = |percent: u64| u8::from(rng.chance(percent)).to_string();
    let convicted = flag(4);
    let (health, immunised, teeth, assessed) = (flag(92), flag(88), flag(85), flag(90));
    let misuse = flag(5);
    let (received, offered) = (flag(60), flag(80));
    let health = if years < 5 { health } else { String::new() };
    let (convicted, misuse) = if years >= 10 {
        (convicted, misuse)
    } else {
        (String::new(), "0".to_string())
    };
    // Offered is asked only when no intervention was received (the validator's 158).
    let (received, offered) = match (misuse.as_str(), received.as_str()) {
        ("1", "1") => (received, String::new()),
        ("1", _) => (received, offered),
        _ => (String::new(), String::new()),
    };
    Record::of(vec![
        d(c.dob),
        score,
        reason.to_string(),
        convicted,
        health,
        immunised,
        teeth,
        assessed,
        misuse,
        received,
        offered,
    ])
}

const IN_TOUCH: &[(&str, u32)] = &[
    ("YES", 86),
    ("NO", 5),
    ("REFU", 3),
    ("NREQ", 4),
    ("RHOM", 2),
];
const ACCOM: &[(&str, u32)] = &[
    ("B1", 15),
    ("C1", 6),
    ("D1", 12),
    ("E1", 10),
    ("K1", 4),
    ("T1", 3),
    ("U1", 30),
    ("Z1", 14),
    ("U2", 3),
    ("V2", 2),
    ("X2", 1),
];

/// A care leaver's outcomes: activity and accommodation when in touch, not known otherwise.
fn oc3(rng: &mut Rng, env: &Env, c: &Child, years: i32) -> Record {
    let touch = rng.weighted(IN_TOUCH);
    let activity = rng.weighted(env.activities);
    let accom = match rng.weighted(ACCOM) {
        "Z1" if years == 17 => "D1",
        a => a,
    };
    let (activity, accom) = if touch == "YES" {
        (activity, accom)
    } else {
        ("0", "0")
    };
    Record::of(vec![
        d(c.dob),
        touch.to_string(),
        activity.to_string(),
        accom.to_string(),
    ])
}
