//! One child's records in the SSDA903 return, derived from the population: the header row from
//! the child (cases.csv's Child ID, sex, date of birth, ethnicity, UPN), one episode per placement
//! of placements.xlsx (same dates, placement type and provider), and the rows of the other files
//! drawn from the child's own stream (seed, 903 stream, child index), so that nothing is held
//! beyond the child being written.
use super::super::Ctx;
use super::super::children::{self, Child, Type, Worker};
use super::super::dates::{self, Day};
use super::super::placements::{self, Placement};
use super::super::providers;
use super::super::rng::Rng;
use super::super::{hr, org};
use super::Env;
use super::tables::Table;

const RETURN_STREAM: u64 = 6;

/// One record: its values after CHILD ("" when blank) and the defect it carries, if any (an
/// index into [`super::defects::SPECS`]).
#[derive(Debug, Clone, Default)]
pub struct Record {
    /// Values in the order of [`Table::columns`].
    pub values: Vec<String>,
    /// The injected defect this record carries.
    pub defect: Option<usize>,
}

impl Record {
    fn of(values: Vec<String>) -> Record {
        Record {
            values,
            defect: None,
        }
    }
}

/// Everything the return holds about one child, written as one `<CHILD>` element.
#[derive(Debug, Clone, Default)]
pub struct Group {
    /// CHILD (the header's CHILDID).
    pub child: u64,
    /// Records per table, by [`Table::index`]; no header record stands for a child the header
    /// does not hold.
    pub rows: [Vec<Record>; 11],
}

impl Group {
    /// The records of `table`.
    pub fn of(&self, table: Table) -> &[Record] {
        &self.rows[table.index()]
    }

    /// The records of `table`, to change.
    pub fn of_mut(&mut self, table: Table) -> &mut Vec<Record> {
        &mut self.rows[table.index()]
    }
}

fn d(day: Day) -> String {
    dates::dmy(day)
}

fn od(day: Option<Day>) -> String {
    day.map(d).unwrap_or_default()
}

/// Whole years from `dob` to `day`.
pub fn age(dob: Day, day: Day) -> i32 {
    let (y0, m0, d0) = dates::ymd(dob);
    let (y1, m1, d1) = dates::ymd(day);
    y1 - y0 - i32::from((m1, d1) < (m0, d0))
}

/// The child at `local` of `block` as the return holds it, or `None` for a child who was never
/// looked after (and so has no placements).
pub fn group(ctx: &Ctx, env: &Env, block: u32, local: u32) -> Option<Group> {
    if !children::may_have_placements(local) {
        return None;
    }
    let c = children::child(ctx, block, local);
    let spell = c.spell?;
    let ps = placements::placements(ctx, c.id, c.kind, spell, false);
    let global = u64::from(block) * u64::from(children::CHILDREN) + u64::from(local);
    let mut rng = Rng::for_entity(ctx.seed, RETURN_STREAM, global);
    let mut g = Group {
        child: c.id,
        ..Group::default()
    };
    let dob = d(c.dob);
    g.of_mut(Table::Header).push(header(&mut rng, ctx, &c));
    let home = providers::postcode(&mut rng);
    *g.of_mut(Table::Episodes) = episodes(&mut rng, env, &c, &ps, &home);
    let end = spell.end;
    *g.of_mut(Table::Reviews) = reviews(&mut rng, env, &c, spell.start, end);
    *g.of_mut(Table::Missing) = missing(&mut rng, env, &c, spell.start, end);
    if let Some(r) = uasc(&mut rng, env, &c, spell.start) {
        g.of_mut(Table::Uasc).push(r);
    }
    if end.is_none() && spell.start <= env.as_at - 365 {
        g.of_mut(Table::Oc2).push(oc2(&mut rng, env, &c));
    }
    if c.kind_type == Type::Cl && (17..=21).contains(&age(c.dob, env.as_at)) {
        g.of_mut(Table::Oc3).push(oc3(&mut rng, env, &dob));
    }
    adoption(&mut rng, &mut g, &c, &ps, end);
    g.of_mut(Table::PreviousPermanence)
        .push(previous_permanence(&mut rng, &c, spell.start));
    if spell.start <= env.as_at && end.is_none_or(|e| e >= env.start) {
        g.of_mut(Table::SwEpisodes)
            .push(sw_episode(block, &c, spell.start, end));
    }
    Some(g)
}

fn header(rng: &mut Rng, ctx: &Ctx, c: &Child) -> Record {
    let mut upn = String::with_capacity(13);
    super::super::upn::push_upn(&mut upn, 394, c.upn_serial);
    let (mother, mc_dob) = if c.sex == 2 && age(c.dob, ctx.as_at) >= 12 {
        let mother = rng.chance(3);
        let born = rng.between(dates::add_years(c.dob, 15), ctx.as_at - 30);
        if mother && age(c.dob, ctx.as_at) >= 16 {
            ("1", d(born))
        } else {
            ("0", String::new())
        }
    } else if c.sex == 2 {
        ("0", String::new())
    } else {
        ("", String::new())
    };
    Record::of(vec![
        c.sex.to_string(),
        d(c.dob),
        c.ethnicity.to_string(),
        upn,
        mother.to_string(),
        mc_dob,
    ])
}

/// The 903 legal status of the placements spreadsheet's Legal Status.
fn legal_status(legal: &str) -> &'static str {
    match legal {
        "FCO" => "C2",
        "ICO" => "C1",
        "EPO" => "L2",
        "PPO" => "L1",
        "REMAND" => "J1",
        "PO" => "E1",
        _ => "V2",
    }
}

const NEED: &[(&str, u32)] = &[
    ("N1", 62),
    ("N2", 4),
    ("N3", 4),
    ("N4", 8),
    ("N5", 14),
    ("N6", 2),
    ("N7", 1),
    ("N8", 5),
];
const CHANGE: &[(&str, u32)] = &[
    ("CARPL", 40),
    ("CREQB", 12),
    ("CREQO", 10),
    ("CHILD", 8),
    ("LAREQ", 10),
    ("CLOSE", 5),
    ("STAND", 3),
    ("ALLEG", 2),
    ("OTHER", 10),
];
const LEFT_CARE: &[(&str, u32)] = &[
    ("E4A", 35),
    ("E13", 8),
    ("E41", 6),
    ("E45", 8),
    ("E47", 6),
    ("E8", 20),
    ("E3", 4),
    ("E9", 3),
    ("E16", 1),
];
const LEFT_AT_18: &[(&str, u32)] = &[("E8", 35), ("E17", 20), ("E5", 25), ("E6", 10), ("E4A", 10)];

/// One episode per placement: a chain in which each episode ends (REC X1) the day the next
/// starts, the first starting the period of care (RNE S).
fn episodes(rng: &mut Rng, env: &Env, c: &Child, ps: &[Placement], home: &str) -> Vec<Record> {
    let need = rng.weighted(NEED);
    let mut out = Vec::with_capacity(ps.len());
    for (k, p) in ps.iter().enumerate() {
        let start = p.start.unwrap_or(c.start);
        let next = ps.get(k + 1);
        let dec = next.and_then(|n| n.start).or(p.end);
        let rec = match (next, dec) {
            (Some(_), _) => "X1",
            (None, None) => "",
            (None, Some(_)) if c.kind_type == Type::Cl => rng.weighted(LEFT_AT_18),
            (None, Some(_)) if p.place.starts_with('A') => {
                if rng.chance(75) {
                    "E11"
                } else {
                    "E12"
                }
            }
            (None, Some(_)) => rng.weighted(LEFT_CARE),
        };
        let ls = legal_status(p.legal);
        let (rne, change) = match k {
            0 => ("S", ""),
            _ if legal_status(ps[k - 1].legal) != ls => ("B", rng.weighted(CHANGE)),
            _ => ("P", rng.weighted(CHANGE)),
        };
        let (provider, urn) = env.provider(p.provider);
        let urn = match p.place.as_bytes()[0] {
            b'U' | b'A' | b'P' => "XXXXXXX",
            _ => urn,
        };
        out.push(Record::of(vec![
            d(start),
            rne.to_string(),
            ls.to_string(),
            need.to_string(),
            p.place.to_string(),
            provider.to_string(),
            od(dec),
            rec.to_string(),
            change.to_string(),
            home.to_string(),
            p.postcode.clone(),
            urn.to_string(),
        ]));
    }
    out
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
    starts.dedup();
    starts
        .into_iter()
        .map(|s| {
            let kind = if rng.chance(70) { "M" } else { "A" };
            let back = s + rng.between(0, 4);
            Record::of(vec![d(c.dob), kind.to_string(), d(s), d(back)])
        })
        .collect()
}

/// Unaccompanied asylum-seeking children: three in ten children of a minority ethnic background
/// who came into care aged 13 or over. Their status ceases at 18.
fn uasc(rng: &mut Rng, env: &Env, c: &Child, start: Day) -> Option<Record> {
    let chosen = rng.chance(30);
    if !chosen || c.ethnicity == "WBRI" || age(c.dob, start) < 13 {
        return None;
    }
    let ceased = dates::add_years(c.dob, 18);
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
    let (score, reason) = match (4..=16).contains(&years) {
        false => (String::new(), "SDQ1"),
        true if scored => (score.to_string(), ""),
        true => (String::new(), reason),
    };
    let mut flag = |percent: u64| u8::from(rng.chance(percent)).to_string();
    let convicted = flag(4);
    let (health, immunised, teeth, assessed) = (flag(92), flag(88), flag(85), flag(90));
    let misuse = flag(5);
    let (received, offered) = (flag(60), flag(80));
    let (convicted, misuse) = if years >= 10 {
        (convicted, misuse)
    } else {
        (String::new(), "0".to_string())
    };
    let (received, offered) = if misuse == "1" {
        (received, offered)
    } else {
        (String::new(), String::new())
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
fn oc3(rng: &mut Rng, env: &Env, dob: &str) -> Record {
    let touch = rng.weighted(IN_TOUCH);
    let activity = rng.weighted(env.activities);
    let accom = rng.weighted(ACCOM);
    let (activity, accom) = if touch == "YES" {
        (activity, accom)
    } else {
        ("0", "0")
    };
    Record::of(vec![
        dob.to_string(),
        touch.to_string(),
        activity.to_string(),
        accom.to_string(),
    ])
}

/// The decision to place for adoption of a child with an adoption placement (A3-A6), and the
/// adoption (AD1) of a child whose looked-after spell ended in one.
fn adoption(rng: &mut Rng, g: &mut Group, c: &Child, ps: &[Placement], end: Option<Day>) {
    let Some(first) = ps.iter().position(|p| p.place.starts_with('A')) else {
        return;
    };
    let placed = ps[first].start.unwrap_or(c.start);
    let decided = (placed - rng.between(14, 120)).max(ps[0].start.unwrap_or(c.start));
    let last = &ps[ps.len() - 1];
    let adopted = end.is_some() && c.kind_type == Type::Lac && last.place.starts_with('A');
    let (ceased, reason) = match ps[first..].iter().position(|p| !p.place.starts_with('A')) {
        _ if adopted => (String::new(), ""),
        Some(k) => (od(ps[first + k].start), "RD1"),
        None if end.is_some() => (od(end), "RD4"),
        None => (String::new(), ""),
    };
    let dob = d(c.dob);
    g.of_mut(Table::PlacedForAdoption).push(Record::of(vec![
        dob.clone(),
        d(decided),
        ceased,
        reason.to_string(),
    ]));
    if !adopted {
        return;
    }
    let matched = rng.between(decided, placed);
    let foster = u8::from(matches!(last.place, "A3" | "A5"));
    let couple = rng.chance(85);
    let (sex, status) = if couple {
        (
            rng.weighted(&[("MF", 85), ("MM", 8), ("FF", 7)]),
            rng.weighted(&[("L11", 70), ("L12", 8), ("L2", 20), ("L4", 2)]),
        )
    } else {
        (rng.weighted(&[("F1", 80), ("M1", 20)]), "L0")
    };
    g.of_mut(Table::Ad1).push(Record::of(vec![
        dob,
        d(decided),
        d(matched),
        foster.to_string(),
        (1 + u8::from(couple)).to_string(),
        sex.to_string(),
        status.to_string(),
    ]));
}

const PREVIOUS: &[(&str, u32)] = &[("Z1", 76), ("P4", 10), ("P1", 4), ("P2", 6), ("P3", 4)];

/// The permanence the child had before this period of care.
fn previous_permanence(rng: &mut Rng, c: &Child, start: Day) -> Record {
    let option = rng.weighted(PREVIOUS);
    let order = rng.between(c.dob + 30, start - 30);
    let partial = rng.chance(15);
    let date = match option {
        "P1" | "P2" | "P3" if order < start => {
            let text = d(order);
            if partial {
                format!("zz{}", &text[2..])
            } else {
                text
            }
        }
        _ => String::new(),
    };
    Record::of(vec![d(c.dob), option.to_string(), String::new(), date])
}

/// The child's social worker while looked after in the collection year: the allocated worker's
/// registration number (SW...) for a registered social worker, else XX and the employee number.
fn sw_episode(block: u32, c: &Child, start: Day, end: Option<Day>) -> Record {
    let id = match c.worker {
        Worker::Post(l) if org::role(block, l).family.registered() => format!(
            "SW{:06}",
            10_000 + u64::from(block) * u64::from(org::STAFF) + u64::from(l)
        ),
        Worker::Post(l) => format!("XX{}", hr::employee_no(block, l)),
        Worker::Blank | Worker::MinusOne => "XX000000".to_string(),
    };
    Record::of(vec![d(c.dob), id, d(start), od(end), String::new()])
}
