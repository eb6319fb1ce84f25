//! The defects `--defects integrity` injects: one per integrity rule the 903 schema declares
//! (mappings/companies/ssda903), each in a different child, so that a dry run of the return finds
//! exactly these and nothing else. A defect is placed on the first child (in the order written)
//! that has a record of its table and carries no defect yet; the rarest tables choose first.
use super::child::{Group, Record};
use super::tables::Table;

/// What a defect does to the return.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Break {
    /// A record of the table is written again under a child the header does not hold.
    Orphan,
    /// The record repeats the child's date of birth differently from the header.
    DobDiffers,
    /// The UASC record repeats the child's sex differently from the header.
    SexDiffers,
    /// The child's record of a once-per-child table is written twice.
    Twice,
    /// A child in the header with no episode and no OC3 record.
    NoEpisode,
}

/// One defect of the list: the finding's rule code, the validator's rule it reproduces, the
/// table it is found in and what it does.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    /// The rule code the dry run reports (the 903 schema's, or HO-DUP-001).
    pub rule: &'static str,
    /// The open 903 validator's rule, when it has one.
    pub validator: Option<&'static str>,
    /// The table the finding is on.
    pub table: Table,
    /// What the defect does.
    pub does: Break,
}

const fn spec(rule: &'static str, validator: &'static str, table: Table, does: Break) -> Spec {
    Spec {
        rule,
        validator: if validator.is_empty() {
            None
        } else {
            Some(validator)
        },
        table,
        does,
    }
}

use Break::*;
use Table::*;

/// Every defect, one per integrity rule: the header orphans (INT01-INT09 and the social-worker
/// episodes' INTSW1), the agreements (INT11-INT18, INTSW2, INT21), the once-per-child duplicates
/// (INT31-INT36, reported as HO-DUP-001: docs/ssda903.md) and EPI.
pub const SPECS: [Spec; 27] = [
    spec("903-INT01", "INT01", Ad1, Orphan),
    spec("903-INT02", "INT02", PlacedForAdoption, Orphan),
    spec("903-INT03", "INT03", Episodes, Orphan),
    spec("903-INT04", "INT04", Missing, Orphan),
    spec("903-INT05", "INT05", Oc2, Orphan),
    spec("903-INT06", "INT06", Oc3, Orphan),
    spec("903-INT07", "INT07", PreviousPermanence, Orphan),
    spec("903-INT08", "INT08", Reviews, Orphan),
    spec("903-INT09", "INT09", Uasc, Orphan),
    spec("903-INTSW1", "", SwEpisodes, Orphan),
    spec("903-INT11", "INT11", Ad1, DobDiffers),
    spec("903-INT12", "INT12", PlacedForAdoption, DobDiffers),
    spec("903-INT13", "INT13", Missing, DobDiffers),
    spec("903-INT14", "INT14", Oc2, DobDiffers),
    spec("903-INT15", "INT15", Oc3, DobDiffers),
    spec("903-INT16", "INT16", PreviousPermanence, DobDiffers),
    spec("903-INT17", "INT17", Reviews, DobDiffers),
    spec("903-INT18", "INT18", Uasc, DobDiffers),
    spec("903-INTSW2", "", SwEpisodes, DobDiffers),
    spec("903-INT21", "INT21", Uasc, SexDiffers),
    spec("HO-DUP-001", "INT31", Ad1, Twice),
    spec("HO-DUP-001", "INT32", Header, Twice),
    spec("HO-DUP-001", "INT33", Oc2, Twice),
    spec("HO-DUP-001", "INT34", Oc3, Twice),
    spec("HO-DUP-001", "INT35", PreviousPermanence, Twice),
    spec("HO-DUP-001", "INT36", Uasc, Twice),
    spec("903-EPI", "EPI", Header, NoEpisode),
];

/// The child a defect that adds a child (an orphan, EPI) is written under: not a Child ID of the
/// population (which starts at 200000).
pub fn made_up_child(spec: usize) -> u64 {
    199_101 + spec as u64
}

/// How rare a table's records are: the rarest choose their child first.
fn rarity(t: Table) -> u8 {
    match t {
        Ad1 => 0,
        PlacedForAdoption => 1,
        Uasc => 2,
        Missing => 3,
        Oc3 => 4,
        Oc2 => 5,
        SwEpisodes => 6,
        Reviews => 7,
        PreviousPermanence => 8,
        Episodes => 9,
        Header => 10,
    }
}

/// Places the defects on the children as they stream past.
#[derive(Debug)]
pub struct Placer {
    /// Spec indices not placed yet, rarest table first.
    todo: Vec<usize>,
}

impl Placer {
    /// All of [`SPECS`] to place.
    pub fn integrity() -> Placer {
        let mut todo: Vec<usize> = (0..SPECS.len()).collect();
        todo.sort_by_key(|i| (rarity(SPECS[*i].table), *i));
        Placer { todo }
    }

    /// No defects.
    pub fn none() -> Placer {
        Placer { todo: Vec::new() }
    }

    /// The specs that found no child.
    pub fn unplaced(&self) -> &[usize] {
        &self.todo
    }

    /// Injects what fits into `g` and returns the groups to write in its place: the child, then
    /// its repeated header, then the made-up children of orphans and EPI.
    pub fn inject(&mut self, mut g: Group) -> Vec<Group> {
        if self.todo.is_empty() {
            return vec![g];
        }
        let mut extra = Vec::new();
        // Children made up from this one's clean records: they do not use the child up.
        for i in self.take(|s| matches!(s.does, Orphan | NoEpisode), &g, usize::MAX) {
            extra.push(made_up(i, &g));
        }
        let changed = self.take(|s| !matches!(s.does, Orphan | NoEpisode), &g, 1);
        if let Some(dup) = changed.first().and_then(|i| apply(*i, &mut g)) {
            extra.insert(0, dup);
        }
        extra.insert(0, g);
        extra
    }

    /// Removes and returns up to `n` unplaced specs that `want` and that `g` has records for.
    fn take(&mut self, want: impl Fn(&Spec) -> bool, g: &Group, n: usize) -> Vec<usize> {
        let mut taken = Vec::new();
        self.todo.retain(|i| {
            let s = &SPECS[*i];
            let fits = taken.len() < n && want(s) && !g.of(s.table).is_empty();
            if fits {
                taken.push(*i);
            }
            !fits
        });
        taken
    }
}

/// A child the header does not hold, with a copy of `g`'s first record of the table (an orphan),
/// or a header child with no other record (EPI).
fn made_up(i: usize, g: &Group) -> Group {
    let s = SPECS[i];
    let mut record = g.of(s.table)[0].clone();
    record.defect = Some(i);
    if s.does == NoEpisode
        && let Some(upn) = Header.position("UPN")
    {
        record.values[upn] = "UN1".to_string();
    }
    let mut out = Group {
        child: made_up_child(i),
        ..Group::default()
    };
    out.of_mut(s.table).push(record);
    out
}

/// Changes `g` for spec `i`; a repeated header is returned as a group of its own (a second
/// `<CHILD>` in the XML form).
fn apply(i: usize, g: &mut Group) -> Option<Group> {
    let s = SPECS[i];
    let records = g.of_mut(s.table);
    match s.does {
        DobDiffers => {
            let at = s.table.position("DOB").unwrap_or(0);
            change(&mut records[0], i, at, next_day);
        }
        SexDiffers => {
            let at = s.table.position("SEX").unwrap_or(0);
            change(&mut records[0], i, at, |v| {
                if v == "1" { "2" } else { "1" }.to_string()
            });
        }
        Twice if s.table == Header => {
            let mut again = records[0].clone();
            again.defect = Some(i);
            let mut dup = Group {
                child: g.child,
                ..Group::default()
            };
            dup.of_mut(Header).push(again);
            return Some(dup);
        }
        Twice => {
            let mut again = records[0].clone();
            again.defect = Some(i);
            records.insert(1, again);
        }
        Orphan | NoEpisode => {}
    }
    None
}

/// Changes value `at` of `r` and marks it with spec `i`.
fn change(r: &mut Record, i: usize, at: usize, f: impl Fn(&str) -> String) {
    r.values[at] = f(&r.values[at]);
    r.defect = Some(i);
}

/// The `dd/mm/yyyy` date after `text`.
fn next_day(text: &str) -> String {
    let part = |r: std::ops::Range<usize>| text.get(r).and_then(|p| p.parse().ok()).unwrap_or(1);
    let day = super::super::dates::from_ymd(part(6..10) as i32, part(3..5), part(0..2));
    super::super::dates::dmy(day + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_day_crosses_months_and_years() {
        assert_eq!(next_day("31/12/2009"), "01/01/2010");
        assert_eq!(next_day("28/02/2016"), "29/02/2016");
    }

    #[test]
    fn one_defect_per_rule_and_per_validator_code() {
        let mut codes: Vec<_> = SPECS.iter().filter_map(|s| s.validator).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len() + 2, SPECS.len(), "INTSW1 and INTSW2 have none");
    }
}
