//! Loading: rows stream from each source, through its mapping, into the company tables, with one
//! prepared statement per table inside the load's transaction. Every row read is recorded in
//! `handover_row` with its outcome, every company row carries its origin in its rowid
//! (`audit::lineage`), and every problem goes in `handover_finding`; the [`ledger::Ledger`] counts
//! them as they go.

pub mod as_at;
pub mod bind;
#[cfg(test)]
mod check_agreement;
pub mod convert;
pub mod error;
pub mod inputs;
pub mod ledger;
pub mod row;
pub mod stage;
pub mod unread;
pub mod via;

use std::collections::BTreeMap;
use std::path::Path;

use rusqlite::Connection;

pub use error::LoadError;
pub use ledger::{Ledger, LedgerRow, Outcome};

use crate::mapping::{MappingSet, SourceMapping};
use crate::source;

/// What the loader knows of one source file read, by `source_id`.
#[derive(Debug, Clone)]
pub struct SourceRun {
    /// Index of the mapping source in the set.
    pub mapping: usize,
    /// Ledger entity.
    pub entity: String,
    /// Input file, relative to the input folder.
    pub file: String,
    /// Sheet, for spreadsheets.
    pub sheet: Option<String>,
}

/// The state of a load: the running ledger and the sources read.
#[derive(Debug, Default)]
pub struct Load {
    /// Running counts.
    pub ledger: Ledger,
    /// Sources read, by `source_id`.
    pub sources: BTreeMap<i64, SourceRun>,
    /// The sheet names of every workbook read, by file.
    pub sheets: BTreeMap<String, Vec<String>>,
}

/// Loads every source of `set` from `input_dir` into `conn` (which holds the schema).
///
/// The schema's `CHECK` constraints are not tested again while loading: every value the loader
/// writes has passed the converter's test of its column's constraints ([`convert`]: the code
/// list in force, a real date, a true/false value, the bounds and lengths), which are the
/// conditions the column's `CHECK` declares ([`crate::schema::Schema::column_checks`]). SQLite
/// testing them again on every row was a quarter of a run's time. The `CHECK`s stay in the
/// database, guarding every later writer and every change after the load (references resolved
/// `via` another table). The audit tables' `CHECK`s are not tested while loading either: their
/// values come from handover's own types (an [`Outcome`], a finding's kind). The converter and
/// the `CHECK`s are proved to agree: `check_agreement` converts every shipped field's edge
/// values, and every database the tests write passes `PRAGMA integrity_check`, which tests every
/// row against its `CHECK`s.
pub fn load_all(
    conn: &Connection,
    set: &MappingSet,
    input_dir: &Path,
    quiet: bool,
) -> Result<Load, LoadError> {
    conn.pragma_update(None, "ignore_check_constraints", true)?;
    let load = load_sources(conn, set, input_dir, quiet);
    conn.pragma_update(None, "ignore_check_constraints", false)?;
    load
}

fn load_sources(
    conn: &Connection,
    set: &MappingSet,
    input_dir: &Path,
    quiet: bool,
) -> Result<Load, LoadError> {
    let mut load = Load::default();
    create_key_indexes(conn, set)?;
    let mut plan = Vec::new();
    for (index, source) in set.sources.iter().enumerate() {
        for rel in inputs::expand(set, source, input_dir)? {
            plan.push((index, rel));
        }
    }
    // Each file is fingerprinted (size, SHA-256, UTF-8 census) on its own thread, ahead of the
    // load, so that hashing the next file overlaps loading this one.
    let files: Vec<&str> = plan.iter().map(|(_, rel)| rel.as_str()).collect();
    std::thread::scope(|scope| -> Result<(), LoadError> {
        let mut prints = inputs::Prints::spawn(scope, input_dir, &files);
        let mut planned = plan.iter().peekable();
        for (index, source) in set.sources.iter().enumerate() {
            load.ledger.touch(&source.entity);
            while let Some((_, rel)) = planned.next_if(|(i, _)| *i == index) {
                for spec in inputs::specs(source, input_dir, rel, &mut load.sheets)? {
                    load_file(
                        conn,
                        set,
                        (index, source),
                        spec,
                        quiet,
                        &mut prints,
                        &mut load,
                    )?;
                }
            }
        }
        Ok(())
    })?;
    unread::check(conn, set, input_dir, &load)?;
    Ok(load)
}

/// A unique index for every declared natural key that is not the table's primary key.
fn create_key_indexes(conn: &Connection, set: &MappingSet) -> rusqlite::Result<()> {
    let mut n = 0;
    for t in set.sources.iter().flat_map(|s| &s.targets) {
        if t.key != t.table.key {
            n += 1;
            conn.execute_batch(&format!(
                "CREATE UNIQUE INDEX IF NOT EXISTS handover_key_{n} ON {} ({})",
                t.table.name,
                t.key.join(", ")
            ))?;
        }
    }
    Ok(())
}

fn load_file(
    conn: &Connection,
    set: &MappingSet,
    (index, source): (usize, &SourceMapping),
    mut spec: source::SourceSpec,
    quiet: bool,
    prints: &mut inputs::Prints,
    load: &mut Load,
) -> Result<(), LoadError> {
    let rel = spec.display.clone();
    let rel = rel.as_str();
    let file_id = inputs::record_file_from(conn, &mut spec, &mut |path, display| {
        prints.take(path, display)
    })?;
    let mut reader = source::open(&spec)?;
    let bound =
        bind::bind(set, source, reader.headers()).map_err(|m| LoadError::MissingColumn {
            file: rel.to_string(),
            column: m.column,
            mapping_file: crate::mapping::display(&set.dir, &m.origin.file),
            line: m.origin.line,
            closest: m.closest,
        })?;
    let sheet = reader.sheet().map(str::to_string);
    let source_id = inputs::record_source(conn, source, file_id, sheet.as_deref())?;
    columns(
        conn,
        source,
        (source_id, rel, sheet.as_deref()),
        reader.as_ref(),
    )?;
    let run = SourceRun {
        mapping: index,
        entity: source.entity.clone(),
        file: rel.to_string(),
        sheet,
    };
    // Spreadsheet readers cannot tell how far they are; they get a spinner.
    let size = std::fs::metadata(&spec.path)
        .map(|m| m.len())
        .ok()
        .filter(|_| reader.sheet().is_none());
    let bar = crate::progress::bar(quiet, &format!("{} {rel}", source.entity), size);
    let dates = reader.date_system();
    let mut rows_read = 0u64;
    let mut last_line = 0;
    let mut ctx = row::RowContext::new(conn, &bound, &run, source_id)?;
    let here = |line: u64| {
        let sheet = run.sheet.clone();
        move |e: LoadError| e.at(rel, sheet.as_deref(), line)
    };
    // Reading and converting on one thread, writing on this one (module `stage`); the written
    // batches are freed on a third, off the writing thread's path.
    std::thread::scope(|scope| -> Result<(), LoadError> {
        let (tx, rx) = std::sync::mpsc::sync_channel(stage::CHANNEL_BATCHES);
        let (spent, freed) = std::sync::mpsc::sync_channel::<Vec<stage::Staged>>(1);
        let (reader, bound) = (&mut *reader, &bound);
        scope.spawn(move || stage::produce(reader, bound, dates, &tx));
        scope.spawn(move || freed.into_iter().for_each(drop));
        for batch in rx {
            let mut batch = batch?;
            for staged in &mut batch.rows {
                rows_read += 1;
                // An error names the row's line in the file (an XML record's start tag's).
                last_line = staged.place.map_or(staged.line, |p| p.line);
                let outcome = ctx.apply(staged).map_err(here(last_line))?;
                load.ledger.count(&source.entity, outcome);
            }
            bar.set_position(batch.position);
            // The freeing thread only ends when this sender goes; it cannot have hung up.
            let _ = spent.send(batch.rows);
        }
        Ok(())
    })?;
    ctx.finish().map_err(|e| here(last_line)(e.into()))?;
    drop(ctx);
    bar.finish_and_clear();
    let lines = line_tally(reader.as_ref(), rel, rows_read)?;
    crate::audit::inputs::finish_source(conn, source_id, file_id, rows_read, lines.as_ref())?;
    load.sources.insert(source_id, run);
    Ok(())
}

/// A CSV's physical-line tally, checked: every line placed once, and the rows it counts the rows
/// the loader read (#9). A tally that does not balance is a bug in the reader, never in the data.
fn line_tally(
    reader: &dyn source::RowReader,
    file: &str,
    rows_read: u64,
) -> Result<Option<source::lines::LineTally>, LoadError> {
    let bug = |what: String| LoadError::Bug {
        file: file.to_string(),
        source: crate::exit::Bug(what),
    };
    match reader.lines() {
        None => Ok(None),
        Some(Err(line)) => Err(bug(format!(
            "the physical lines of the file cannot be accounted for from line {line} on"
        ))),
        Some(Ok(t)) if !t.balances() || t.rows + t.swallowed != rows_read => Err(bug(format!(
            "the line ledger does not balance ({}; {} accounted for; {rows_read} rows read)",
            t.describe(),
            t.accounted()
        ))),
        Some(Ok(t)) => Ok(Some(t)),
    }
}

/// Records what becomes of each column of the file's header; a column neither read nor declared
/// ignored is a warning finding at the header, so that no data stays behind unsaid.
fn columns(
    conn: &Connection,
    source: &SourceMapping,
    (source_id, file, sheet): (i64, &str, Option<&str>),
    reader: &dyn source::RowReader,
) -> rusqlite::Result<()> {
    let ledger = source.column_ledger(reader.headers());
    crate::audit::columns::record(conn, source_id, &ledger)?;
    let rule = crate::finding::Builtin::ColumnNotCarried;
    for (i, (column, fate)) in ledger.iter().enumerate() {
        if *fate != crate::mapping::ColumnFate::NotCarried {
            continue;
        }
        let message = format!(
            "column `{column}` is not carried: map it, or name it in the source's `ignore_columns` with the reason it stays behind"
        );
        let severity = crate::finding::Severity::Warning;
        let mut finding = crate::finding::Finding::builtin(rule, severity, &source.entity, message);
        finding.file = Some(file.to_string());
        finding.sheet = sheet.map(str::to_string);
        let (line, col) = reader
            .column_at(i)
            .unwrap_or((u64::from(source.header_row), None));
        (finding.line, finding.col) = (Some(line), col);
        finding.column = Some(column.clone());
        finding.mapping_file = Some(source.origin.file.clone());
        finding.mapping_line = Some(source.origin.line as u64);
        crate::audit::findings::insert(conn, &finding)?;
    }
    Ok(())
}
