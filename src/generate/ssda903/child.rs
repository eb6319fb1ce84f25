//! One child's records in the SSDA903 return, derived from the population: the header row from
//! the child (cases.csv's Child ID, sex, date of birth, ethnicity, UPN), one episode per placement
//! of placements.xlsx ([`super::episodes`]), and the rows of the other files
//! ([`super::outcomes`], [`super::adoption`]) drawn from the child's own stream (seed, 903 stream,
//! child index), so that nothing is held beyond the child being written.
use super::super::Ctx;
use super::super::children::{self, Child, Worker};
use super::super::dates::{self, Day};
use super::super::placements;
use super::super::providers;
use super::super::rng::Rng;
use super::super::{hr, org};
use super::tables::Table;
use super::{Env, adoption, episodes, outcomes};

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
    /// A record without a defect.
    pub fn of(values: Vec<String>) -> Record {
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

/// `dd/mm/yyyy`.
pub fn d(day: Day) -> String {
    dates::dmy(day)
}

/// `dd/mm/yyyy`, or blank.
pub fn od(day: Option<Day>) -> String {
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
    // Looked after on some day of the collection year.
    let in_year = spell.start <= env.as_at && spell.end.is_none_or(|e| e >= env.start);
    let mut g = Group {
        child: c.id,
        ..Group::default()
    };
    let home = providers::postcode(&mut rng);
    *g.of_mut(Table::Episodes) = episodes::episodes(&mut rng, env, &c, &ps, &home);
    outcomes::fill(&mut rng, env, &c, spell, in_year, &mut g);
    adoption::fill(&mut rng, &c, &ps, spell.end, &mut g);
    let last_start = ps.last().and_then(|p| p.start).unwrap_or(spell.start);
    if last_start >= env.start {
        g.of_mut(Table::PreviousPermanence)
            .push(adoption::previous_permanence(&mut rng, &c, spell.start));
    }
    if in_year {
        g.of_mut(Table::SwEpisodes)
            .push(sw_episode(block, &c, spell.start, spell.end));
    }
    // MOTHER is asked of every girl with an episode (the validator's 393), but not of a care
    // leaver who was not looked after in the year (165).
    let asked = c.sex == 2 && (in_year || g.of(Table::Oc3).is_empty());
    let last_day = spell.end.map_or(env.as_at, |e| e.min(env.as_at));
    g.of_mut(Table::Header)
        .push(header(&mut rng, &c, asked, last_day));
    Some(g)
}

/// The header row. MOTHER is given when `asked`, and is 1, with the date of birth of the
/// mother's child, for a few girls who had a child at 15 or over, by `last_day` (the end of care
/// or of the year: the validator's 625).
fn header(rng: &mut Rng, c: &Child, asked: bool, last_day: Day) -> Record {
    let mut upn = String::with_capacity(13);
    super::super::upn::push_upn(&mut upn, 394, c.upn_serial);
    let from = dates::add_years(c.dob, 15);
    let mother = rng.chance(3) && from < last_day - 30;
    let born = rng.between(from, last_day - 30);
    let (mother, mc_dob) = match asked {
        true if mother => ("1", d(born)),
        true => ("0", String::new()),
        false => ("", String::new()),
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

/// The child's social worker while looked after in the collection year: the allocated worker's
/// registration number (SW...) for a registered social worker, else XX and the employee number.
/// SW_REASON stays blank: its codes start with the 2023-24 return.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn age_turns_on_the_birthday() {
        let dob = dates::from_ymd(2000, 3, 31);
        assert_eq!(age(dob, dates::from_ymd(2017, 3, 30)), 16);
        assert_eq!(age(dob, dates::from_ymd(2017, 3, 31)), 17);
    }
}
