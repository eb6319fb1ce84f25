//! The read-only part of the checks after the load, on both cores: the first pass of the orphan
//! checks, every rule's query, the controls' counts, the ledger's recount and the company side of
//! the service figures and breakdowns read the loaded database and change nothing, so they run at
//! once on the run's connection and on a second one opened on the same file, each taking the next
//! query as it finishes one. Their answers are what the checks would have found one after the
//! other, and the checks record them in their own order, so the database is the same whichever
//! connection answered which query.
//!
//! The rules, the controls, the recount and the figures read the database as the orphan checks
//! leave it. When the first pass finds an orphan, its row is rejected, [`Answers::after_orphans`]
//! forgets their answers, and those checks query again.
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rusqlite::{Connection, OpenFlags};

use super::orphans::{self, Orphan};
use super::rules::{self, Violation};
use crate::audit::figures::{self, BreakdownRow, Counted};
use crate::load::LedgerRow;
use crate::mapping::MappingSet;

/// What the queries found on the loaded database; each check takes its answers, or queries for
/// itself where there are none ([`Answers::default`] holds none).
#[derive(Default)]
pub struct Answers {
    /// The first pass's orphans, per reference ([`orphans::references`] order).
    pub orphans: Option<Vec<Vec<Orphan>>>,
    /// Each rule's violations ([`rules::checked`] order).
    pub rules: Option<Vec<Vec<Violation>>>,
    /// Each control's count (the mapping set's order).
    pub controls: Option<Vec<i64>>,
    /// The outcomes stored, per entity.
    pub recount: Option<BTreeMap<String, LedgerRow>>,
    /// The figures and breakdowns, counted on the company tables.
    pub counted: Option<Counted>,
}

impl Answers {
    /// Forgets the answers that no longer hold once the orphan checks have found
    /// `orphans_found` orphans and rejected their rows: the rules', the controls' and the
    /// recount's, and the figures'.
    pub fn after_orphans(&mut self, orphans_found: usize) {
        if orphans_found > 0 {
            (self.rules, self.controls) = (None, None);
            (self.recount, self.counted) = (None, None);
        }
    }
}

/// One read-only query.
enum Query<'s> {
    Recount,
    Orphans(&'s crate::schema::Table, &'s crate::schema::Column),
    Rule(&'s crate::schema::SchemaRule),
    Control(&'s crate::mapping::Control),
    Figure(&'s crate::schema::FigureDef),
    Breakdown(&'s crate::schema::BreakdownDef),
}

enum Answer {
    Recount(BTreeMap<String, LedgerRow>),
    Orphans(Vec<Orphan>),
    Rule(Vec<Violation>),
    Control(i64),
    Figure(Result<i64, String>),
    Breakdown(Vec<BreakdownRow>),
}

/// Answers every query on `conn` and on a second connection to `database`, the file `conn` has
/// open (which holds no open transaction: the load is committed).
pub fn answer(
    conn: &Connection,
    database: &Path,
    set: &MappingSet,
    as_at: Option<jiff::civil::Date>,
) -> anyhow::Result<Answers> {
    // The recount reads every audit row: it goes first, so that it never runs alone at the end.
    let mut queries = vec![Query::Recount];
    queries.extend(orphans::references(&set.schema).map(|(t, c)| Query::Orphans(t, c)));
    queries.extend(rules::checked(set, as_at).into_iter().map(Query::Rule));
    queries.extend(set.controls.iter().map(Query::Control));
    queries.extend(set.schema.figures.iter().map(Query::Figure));
    queries.extend(set.schema.breakdowns.iter().map(Query::Breakdown));
    let next = AtomicUsize::new(0);
    let answers: Vec<Mutex<Option<Answer>>> = queries.iter().map(|_| Mutex::new(None)).collect();
    let work = |conn: &Connection| -> rusqlite::Result<()> {
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(query) = queries.get(i) else {
                return Ok(());
            };
            let answer = match query {
                Query::Recount => Answer::Recount(crate::audit::ledger::recount(conn)?),
                Query::Orphans(t, c) => Answer::Orphans(orphans::find(conn, t, c)?),
                Query::Rule(rule) => Answer::Rule(rules::violations(conn, rule, as_at)?),
                Query::Control(c) => Answer::Control(super::controls::count(conn, c)?),
                Query::Figure(f) => Answer::Figure(figures::count(conn, f, as_at)?),
                Query::Breakdown(b) => Answer::Breakdown(figures::breakdown(conn, b)?),
            };
            *answers[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(answer);
        }
    };
    std::thread::scope(|scope| -> anyhow::Result<()> {
        let second = scope.spawn(|| -> rusqlite::Result<()> { work(&reader(database)?) });
        let first = work(conn);
        let second = second
            .join()
            .map_err(|_| crate::exit::bug("a check thread panicked"))?;
        first?;
        second?;
        Ok(())
    })?;
    let (mut orphans, mut rules, mut controls) = (Vec::new(), Vec::new(), Vec::new());
    let mut recount = None;
    let mut counted = Counted::default();
    for answer in answers {
        match answer.into_inner().unwrap_or_else(|e| e.into_inner()) {
            Some(Answer::Recount(r)) => recount = Some(r),
            Some(Answer::Orphans(o)) => orphans.push(o),
            Some(Answer::Rule(v)) => rules.push(v),
            Some(Answer::Control(n)) => controls.push(n),
            Some(Answer::Figure(f)) => counted.figures.push(f),
            Some(Answer::Breakdown(b)) => counted.breakdowns.push(b),
            None => return Err(crate::exit::bug("a check after the load went unanswered")),
        }
    }
    let out = Answers {
        orphans: Some(orphans),
        rules: Some(rules),
        controls: Some(controls),
        recount,
        counted: Some(counted),
    };
    Ok(out)
}

/// A read-only connection to the run's database, with the run's memory settings but half its page
/// cache (the two together stay within the run's memory budget, docs/limits.md).
fn reader(database: &Path) -> rusqlite::Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(database, flags)?;
    conn.execute_batch("PRAGMA temp_store = FILE; PRAGMA cache_size = -32768;")?;
    crate::schema::sql::register(&conn)?;
    Ok(conn)
}
