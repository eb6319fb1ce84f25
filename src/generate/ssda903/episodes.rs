//! The Episodes file: one episode per placement of placements.xlsx, on the same days, as a chain
//! that every episode-chain rule of the 903 schema accepts: the first starts the period of care
//! (RNE S), each ends (REC X1) the day the next starts, and the last ends with the spell or is
//! open. Codes follow the validator where it ties them together: a placement with the current
//! foster carers (A3, A5) continues with RNE T or U (217), the reason for a placement change is
//! on the episode that ends (225), a URN only for registered settings (222), E17 (staying put)
//! only at 18 (460), E45/E46 only from foster care (516).
use super::super::children::{Child, Type};
use super::super::placements::Placement;
use super::super::rng::Rng;
use super::Env;
use super::child::{Record, age, d, od};

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

/// The episodes of child `c`, whose placements are `ps`; `home` is the child's home postcode.
pub fn episodes(rng: &mut Rng, env: &Env, c: &Child, ps: &[Placement], home: &str) -> Vec<Record> {
    let need = rng.weighted(NEED);
    let mut out = Vec::with_capacity(ps.len());
    for (k, p) in ps.iter().enumerate() {
        let start = p.start.unwrap_or(c.start);
        let next = ps.get(k + 1);
        let dec = next.and_then(|n| n.start).or(p.end);
        let rec = match dec {
            _ if next.is_some() => "X1",
            None => "",
            Some(dec) => ceased(rng, c, p.place, dec),
        };
        let ls = legal_status(p.legal);
        let same_carers = matches!(p.place, "A3" | "A5");
        let rne = match k {
            0 => "S",
            _ if legal_status(ps[k - 1].legal) != ls => {
                if same_carers {
                    "U"
                } else {
                    "B"
                }
            }
            _ if same_carers => "T",
            _ => "P",
        };
        let change = if next.is_some() {
            rng.weighted(CHANGE)
        } else {
            ""
        };
        let (provider, urn) = env.provider(p.provider);
        let urn = match p.place {
            "K1" | "K2" | "R3" | "S1" if !urn.is_empty() => urn,
            _ => "XXXXXXX",
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

/// The reason the last episode of an ended spell ceased.
fn ceased(rng: &mut Rng, c: &Child, place: &str, dec: super::super::dates::Day) -> &'static str {
    let reason = if c.kind_type == Type::Cl {
        rng.weighted(LEFT_AT_18)
    } else if place.starts_with('A') {
        if rng.chance(75) { "E11" } else { "E12" }
    } else {
        rng.weighted(LEFT_CARE)
    };
    match reason {
        "E17" if age(c.dob, dec) < 18 => "E8",
        "E45" if !place.starts_with('U') => "E47",
        r => r,
    }
}
