//! The reading side of a load, on its own thread: rows are read, scoped and converted here (all of
//! it pure: no database), and sent in order, in batches, over a bounded channel to the thread that
//! writes them ([`super::row::RowContext::apply`]). Reading and converting one batch overlaps
//! writing the one before, so a load uses both cores; the channel holds at most
//! [`CHANNEL_BATCHES`] batches of [`BATCH_ROWS`] rows, so memory does not grow with the file.
//! The writer sees exactly the rows, in exactly the order, a single thread would.
use std::sync::mpsc::SyncSender;

use compact_str::CompactString;

use super::LoadError;
use super::bind::Bound;
use super::convert::{Problem, Value, cell_str, convert};
use crate::source::{DateSystem, Row, RowProblem, RowReader};

/// Rows per batch sent to the writer.
pub const BATCH_ROWS: usize = 256;
/// Batches the channel holds before the reading thread waits for the writer.
pub const CHANNEL_BATCHES: usize = 4;

/// One source row, read and converted, waiting to be written.
#[derive(Debug)]
pub struct Staged {
    /// Its line (CSV), row number (spreadsheet) or record number (XML): its key.
    pub line: u64,
    /// Where it starts when that is not a line of its own (XML).
    pub place: Option<crate::source::Place>,
    /// Its record key, from the raw cells (inline up to 24 bytes, as most keys are).
    pub key: Option<CompactString>,
    /// What became of it so far.
    pub kind: StagedKind,
}

/// What the reading side found of a row.
#[derive(Debug)]
pub enum StagedKind {
    /// Its structure is broken: rejected with a finding for each problem.
    Broken(Vec<RowProblem>),
    /// Out of scope, with the reason.
    Excluded(String),
    /// Converted: per target, its values (`None` when its `when` leaves the row out), and the
    /// problems met (target index, field index, problem).
    Converted {
        /// Per target, the values to insert.
        values: Vec<Option<Vec<Value>>>,
        /// Problems: (target index, field index, problem).
        problems: Vec<(usize, usize, Problem)>,
    },
}

/// A batch of staged rows, with the reader's position after it (for the progress bar).
pub struct Batch {
    /// The rows, in reading order.
    pub rows: Vec<Staged>,
    /// [`RowReader::position`] after the last row.
    pub position: u64,
}

/// Reads every row of `reader`, stages it, and sends the batches on `tx`; a read error is sent
/// as the last message. Stops early when the writer hangs up.
pub fn produce(
    reader: &mut (dyn RowReader + Send),
    bound: &Bound,
    dates: DateSystem,
    tx: &SyncSender<Result<Batch, LoadError>>,
) {
    let mut row = Row::default();
    let mut rows = Vec::with_capacity(BATCH_ROWS);
    loop {
        match reader.read_row(&mut row) {
            Ok(true) => rows.push(stage(bound, dates, &mut row)),
            Ok(false) => break,
            Err(e) => {
                let _ = tx.send(Err(e.into()));
                return;
            }
        }
        if rows.len() == BATCH_ROWS {
            let full = std::mem::replace(&mut rows, Vec::with_capacity(BATCH_ROWS));
            let position = reader.position();
            if tx
                .send(Ok(Batch {
                    rows: full,
                    position,
                }))
                .is_err()
            {
                return;
            }
        }
    }
    let position = reader.position();
    let _ = tx.send(Ok(Batch { rows, position }));
}

/// Stages one row: its key, then broken, out of scope, or converted (in that order, #9).
pub fn stage(bound: &Bound, dates: DateSystem, row: &mut Row) -> Staged {
    let key = record_key(bound, row);
    // A row whose structure is broken is rejected before its scope is looked at: a swallowed
    // record must not hide behind the scope of the row that swallowed it (#9).
    let kind = if !row.problems.is_empty() {
        StagedKind::Broken(std::mem::take(&mut row.problems))
    } else if let Some(reason) = bound.excluded(row) {
        StagedKind::Excluded(reason)
    } else {
        let (values, problems) = convert_row(bound, dates, row);
        StagedKind::Converted { values, problems }
    };
    Staged {
        line: row.line,
        place: row.place,
        key,
        kind,
    }
}

/// The natural key of the row's first target, from the raw cells, for matching between runs.
fn record_key(bound: &Bound, row: &Row) -> Option<CompactString> {
    // A collected reference row (a team named in the staff export) does not name the row.
    let targets = &bound.targets;
    let target = targets
        .iter()
        .find(|t| !t.target.distinct)
        .or(targets.first())?;
    let mut key = CompactString::default();
    let fields = target
        .key
        .iter()
        .map(|&i| &target.fields[i])
        .filter(|f| f.index.is_some() || !f.joined.is_empty());
    for (n, f) in fields.enumerate() {
        if n > 0 {
            key.push('/');
        }
        key.push_str(cell_str(&f.cell(row)).unwrap_or_default().trim());
    }
    Some(key)
}

#[allow(clippy::type_complexity)]
fn convert_row(
    bound: &Bound,
    dates: DateSystem,
    row: &Row,
) -> (Vec<Option<Vec<Value>>>, Vec<(usize, usize, Problem)>) {
    let mut values = Vec::with_capacity(bound.targets.len());
    let mut problems = Vec::new();
    for (ti, target) in bound.targets.iter().enumerate() {
        if !target.applies(row) {
            values.push(None);
            continue;
        }
        let mut vals = Vec::with_capacity(target.fields.len());
        for (fi, f) in target.fields.iter().enumerate() {
            match convert(f.field, &f.cell(row), dates, f.crosswalk) {
                Ok(v) => vals.push(v),
                Err(p) => problems.push((ti, fi, p)),
            }
        }
        values.push(Some(vals));
    }
    (values, problems)
}
