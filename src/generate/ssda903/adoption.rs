//! Adoption and permanence: the decision to place for adoption of a child with an adoption
//! placement (A3-A6), the adoption (AD1) of a child whose spell ended in one, and the previous
//! permanence of a child whose latest episode starts in the collection year (the validator's
//! 634), with the council and date of a previous order (630). Adopters' sex and legal status
//! agree (520, 524).
use super::super::children::{Child, Type};
use super::super::dates::Day;
use super::super::placements::Placement;
use super::super::rng::Rng;
use super::child::{Group, Record, d, od};
use super::tables::Table;

/// Adds the child's placed-for-adoption and AD1 records to `g`.
pub fn fill(rng: &mut Rng, c: &Child, ps: &[Placement], end: Option<Day>, g: &mut Group) {
    let is_adoption = |p: &Placement| p.place.starts_with('A');
    let Some(first) = ps.iter().position(is_adoption) else {
        return;
    };
    let placed = ps[first].start.unwrap_or(c.start);
    let decided = (placed - rng.between(14, 120)).max(ps[0].start.unwrap_or(c.start));
    let last = &ps[ps.len() - 1];
    let adopted = end.is_some() && c.kind_type == Type::Lac && is_adoption(last);
    let (ceased, reason) = match ps[first..].iter().position(|p| !is_adoption(p)) {
        _ if adopted => (None, ""),
        Some(k) => (ps[first + k].start, "RD1"),
        None if end.is_some() => (end, "RD4"),
        None => (None, ""),
    };
    g.of_mut(Table::PlacedForAdoption).push(Record::of(vec![
        d(c.dob),
        d(decided),
        od(ceased),
        reason.to_string(),
    ]));
    if adopted {
        let matched = rng.between(decided, placed);
        let foster = matches!(last.place, "A3" | "A5");
        g.of_mut(Table::Ad1)
            .push(ad1(rng, c, decided, matched, foster));
    }
}

/// The adoption: the decision, the match, and the adopters.
fn ad1(rng: &mut Rng, c: &Child, decided: Day, matched: Day, foster: bool) -> Record {
    let couple = rng.chance(85);
    let (sex, status) = if couple {
        match rng.weighted(&[("MF", 85), ("MM", 8), ("FF", 7)]) {
            "MF" => ("MF", rng.weighted(&[("L11", 75), ("L2", 23), ("L4", 2)])),
            same => (same, rng.weighted(&[("L12", 70), ("L2", 30)])),
        }
    } else {
        (rng.weighted(&[("F1", 80), ("M1", 20)]), "L0")
    };
    Record::of(vec![
        d(c.dob),
        d(decided),
        d(matched),
        u8::from(foster).to_string(),
        (1 + u8::from(couple)).to_string(),
        sex.to_string(),
        status.to_string(),
    ])
}

const PREVIOUS: &[(&str, u32)] = &[("Z1", 82), ("P1", 4), ("P2", 8), ("P3", 6)];
/// Councils that made a previous order: Sunderland and its neighbours (DfE LA codes).
const COUNCILS: &[(&str, u32)] = &[("394", 70), ("390", 8), ("393", 8), ("840", 8), ("391", 6)];

/// The permanence the child had before this period of care, which started on `start`.
pub fn previous_permanence(rng: &mut Rng, c: &Child, start: Day) -> Record {
    let option = rng.weighted(PREVIOUS);
    let council = rng.weighted(COUNCILS);
    let order = rng.between(c.dob + 30, start - 30);
    let partial = rng.chance(15);
    let (council, date) = match option {
        "P1" | "P2" | "P3" if order < start => {
            let text = d(order);
            let date = if partial {
                format!("zz{}", &text[2..])
            } else {
                text
            };
            (council, date)
        }
        _ => ("", String::new()),
    };
    let option = if date.is_empty() { "Z1" } else { option };
    Record::of(vec![
        d(c.dob),
        option.to_string(),
        council.to_string(),
        date,
    ])
}
