//! The workbook side of [`super::sheet`]: a background thread that owns the open workbook, walks one
//! sheet's cells in row order, converts them to [`Cell`]s and sends them in batches of rows over a
//! bounded channel. A thread is used because calamine's streaming cell readers borrow the workbook,
//! and the reader handed to the loader must own everything it reads from.
//!
//! xlsx, xlsm and xlsb are streamed cell by cell (`worksheet_cells_reader`), so only a few batches
//! are ever in memory. xls and ods have no streaming reader in calamine: their sheet is read whole
//! with `worksheet_range` (in this thread) and then sent on in the same batches.
use std::fs::File;
use std::io::BufReader;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

use calamine::{Data, DataRef, ExcelDateTime, Reader, Sheets};

use super::{Cell, SourceError};

/// Rows per message, and messages the channel holds before the feeding thread waits.
const BATCH_ROWS: usize = 256;
const CHANNEL_BATCHES: usize = 4;

/// One non-blank sheet row: its 0-based absolute row and its non-empty cells by 0-based column.
#[derive(Debug)]
pub struct SheetRow {
    /// 0-based absolute row (Excel shows `row + 1`).
    pub row: u32,
    /// Non-empty cells with their 0-based absolute columns, left to right.
    pub cells: Vec<(u32, Cell)>,
    /// 0-based columns of formula cells that have no cached value (xlsx only): their value is
    /// unknown, which is not the same as blank (#9).
    pub uncached: Vec<u32>,
}

/// A message from the feeding thread.
pub type Batch = Result<Vec<SheetRow>, SourceError>;

/// The open workbook type.
pub type Workbook = Sheets<BufReader<File>>;

/// Starts a thread that reads `sheet` out of `workbook`; `file` names the file in errors.
pub fn spawn(
    workbook: Workbook,
    sheet: String,
    file: String,
) -> std::io::Result<(Receiver<Batch>, JoinHandle<()>)> {
    let (tx, rx) = sync_channel(CHANNEL_BATCHES);
    let handle = std::thread::Builder::new()
        .name(format!("sheet {file}"))
        .spawn(move || {
            let mut out = Batcher::new(&tx, &file, &sheet);
            let error = match feed(workbook, &sheet, &mut out) {
                Ok(()) => return,
                Err(Stop::Calamine(message)) => SourceError::Sheet {
                    file: file.clone(),
                    sheet: sheet.clone(),
                    after: out.last.map(|(r, c)| cell_name(r, c)),
                    message,
                },
                Err(Stop::Order(e)) => e,
            };
            let _ = tx.send(Err(error));
        })?;
    Ok((rx, handle))
}

/// Why feeding stopped early: calamine failed (its message), or the cells broke row order.
enum Stop {
    Calamine(String),
    Order(SourceError),
}

fn calamine(e: impl std::fmt::Display) -> Stop {
    Stop::Calamine(e.to_string())
}

/// Reads the whole sheet into the channel.
fn feed(workbook: Workbook, sheet: &str, out: &mut Batcher) -> Result<(), Stop> {
    match workbook {
        Sheets::Xlsx(mut wb) => {
            let mut cells = wb.worksheet_cells_reader(sheet).map_err(calamine)?;
            while let Some(c) = cells.next_cell_with_formula_metadata().map_err(calamine)? {
                let (row, col) = c.pos;
                let uncached = c.formula.is_some() && matches!(c.value, DataRef::Empty);
                if !out.push(row, col, from_owned_data_ref(c.value), uncached)? {
                    return Ok(());
                }
            }
        }
        Sheets::Xlsb(mut wb) => {
            let mut cells = wb.worksheet_cells_reader(sheet).map_err(calamine)?;
            while let Some(c) = cells.next_cell().map_err(calamine)? {
                let (row, col) = c.get_position();
                if !out.push(row, col, from_data_ref(c.get_value()), false)? {
                    return Ok(());
                }
            }
        }
        mut wb @ (Sheets::Xls(_) | Sheets::Ods(_)) => {
            let range = wb.worksheet_range(sheet).map_err(calamine)?;
            let (top, left) = range.start().unwrap_or((0, 0));
            for (r, c, value) in range.used_cells() {
                let (row, col) = (top + r as u32, left + c as u32);
                if !out.push(row, col, from_data(value), false)? {
                    return Ok(());
                }
            }
        }
    }
    out.finish();
    Ok(())
}

/// Groups cells into rows and rows into batches, and checks that cells come in reading order:
/// a row number that repeats or goes back, or a cell that repeats or goes left within its row,
/// would merge or drop rows without a trace, so it stops the read with
/// [`SourceError::CellOrder`] (#9).
struct Batcher<'a> {
    tx: &'a SyncSender<Batch>,
    file: &'a str,
    sheet: &'a str,
    batch: Vec<SheetRow>,
    current: Option<SheetRow>,
    /// The last cell position seen, blank cells included.
    last: Option<(u32, u32)>,
}

impl<'a> Batcher<'a> {
    fn new(tx: &'a SyncSender<Batch>, file: &'a str, sheet: &'a str) -> Self {
        Batcher {
            tx,
            file,
            sheet,
            batch: Vec::with_capacity(BATCH_ROWS),
            current: None,
            last: None,
        }
    }

    /// Adds one cell (empty cells are dropped unless `uncached`). `Ok(false)` when the reader has
    /// gone away.
    fn push(&mut self, row: u32, col: u32, cell: Cell, uncached: bool) -> Result<bool, Stop> {
        self.check_order(row, col)?;
        if cell == Cell::Empty && !uncached {
            return Ok(true);
        }
        if let Some(current) = self.current.as_mut().filter(|r| r.row == row) {
            current.cells.push((col, cell));
            if uncached {
                current.uncached.push(col);
            }
            return Ok(true);
        }
        let done = self.current.replace(SheetRow {
            row,
            cells: vec![(col, cell)],
            uncached: if uncached { vec![col] } else { Vec::new() },
        });
        Ok(match done {
            Some(done) => self.push_row(done),
            None => true,
        })
    }

    fn check_order(&mut self, row: u32, col: u32) -> Result<(), Stop> {
        if let Some((last_row, last_col)) = self.last
            && (row < last_row || (row == last_row && col <= last_col))
        {
            return Err(Stop::Order(SourceError::CellOrder {
                file: self.file.to_string(),
                sheet: self.sheet.to_string(),
                cell: cell_name(row, col),
                after: cell_name(last_row, last_col),
            }));
        }
        self.last = Some((row, col));
        Ok(())
    }

    fn push_row(&mut self, row: SheetRow) -> bool {
        self.batch.push(row);
        if self.batch.len() < BATCH_ROWS {
            return true;
        }
        let full = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH_ROWS));
        self.tx.send(Ok(full)).is_ok()
    }

    /// Sends what is left.
    fn finish(&mut self) {
        if let Some(last) = self.current.take() {
            self.batch.push(last);
        }
        if !self.batch.is_empty() {
            let _ = self.tx.send(Ok(std::mem::take(&mut self.batch)));
        }
    }
}

/// A cell's A1 name from its 0-based row and column (`(4, 27)` is `AB5`).
pub fn cell_name(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut n = col + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    format!(
        "{}{}",
        String::from_utf8_lossy(&letters),
        u64::from(row) + 1
    )
}

/// Converts a streamed cell value.
pub fn from_data_ref(value: &DataRef<'_>) -> Cell {
    match value {
        DataRef::SharedString(s) => text(s),
        DataRef::String(s) => text(s),
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(dt) => from_excel_datetime(dt),
        DataRef::DateTimeIso(s) => from_iso(s),
        DataRef::DurationIso(s) => text(s),
        DataRef::Error(e) => Cell::Error(e.to_string()),
        DataRef::Empty => Cell::Empty,
    }
}

/// Converts a streamed cell value it owns: an inline string moves into the cell, uncopied (on
/// the parsing thread, which bounds how fast a workbook loads).
fn from_owned_data_ref(value: DataRef<'_>) -> Cell {
    match value {
        DataRef::String(s) if !s.is_empty() => Cell::Text(s),
        other => from_data_ref(&other),
    }
}

/// Converts a cell value of a whole-sheet range.
pub fn from_data(value: &Data) -> Cell {
    match value {
        Data::String(s) => text(s),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => from_excel_datetime(dt),
        Data::DateTimeIso(s) => from_iso(s),
        Data::DurationIso(s) => text(s),
        Data::Error(e) => Cell::Error(e.to_string()),
        Data::Empty => Cell::Empty,
    }
}

fn text(s: &str) -> Cell {
    if s.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(s.to_string())
    }
}

/// A date-formatted cell, converted by calamine with the workbook's own date system. Durations,
/// and the phantom 1900-02-29, stay numbers (the serial value).
fn from_excel_datetime(dt: &ExcelDateTime) -> Cell {
    if dt.is_duration() {
        return Cell::Number(dt.as_f64());
    }
    let (y, mo, d, h, mi, s, ms) = dt.to_ymd_hms_milli();
    let civil = (|| -> Option<jiff::civil::DateTime> {
        jiff::civil::DateTime::new(
            i16::try_from(y).ok()?,
            i8::try_from(mo).ok()?,
            i8::try_from(d).ok()?,
            i8::try_from(h).ok()?,
            i8::try_from(mi).ok()?,
            i8::try_from(s).ok()?,
            i32::from(ms) * 1_000_000,
        )
        .ok()
    })();
    civil.map_or(Cell::Number(dt.as_f64()), Cell::Date)
}

/// An ISO 8601 date or date-time (as ods stores them); anything else (a bare time) stays text.
fn from_iso(s: &str) -> Cell {
    if let Ok(dt) = s.parse::<jiff::civil::DateTime>() {
        return Cell::Date(dt);
    }
    match s.parse::<jiff::civil::Date>() {
        Ok(d) => Cell::Date(d.to_datetime(jiff::civil::Time::midnight())),
        Err(_) => text(s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{CellErrorType, ExcelDateTimeType};
    use jiff::civil::date;

    #[test]
    fn names_cells_in_a1_style() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(4, 25), "Z5");
        assert_eq!(cell_name(4, 27), "AB5");
        assert_eq!(cell_name(9, 701), "ZZ10");
        assert_eq!(cell_name(9, 702), "AAA10");
    }

    #[test]
    fn converts_values() {
        assert_eq!(from_data(&Data::String(String::new())), Cell::Empty);
        assert_eq!(from_data(&Data::Int(7)), Cell::Number(7.0));
        assert_eq!(from_data(&Data::Bool(true)), Cell::Bool(true));
        let na = Data::Error(CellErrorType::NA);
        assert_eq!(from_data(&na), Cell::Error("#N/A".into()));
        assert_eq!(
            from_data_ref(&DataRef::SharedString("x")),
            Cell::Text("x".into())
        );
    }

    #[test]
    fn converts_dates_in_both_systems() {
        let d1900 = ExcelDateTime::new(42825.5, ExcelDateTimeType::DateTime, false);
        let noon = date(2017, 3, 31).at(12, 0, 0, 0);
        assert_eq!(from_excel_datetime(&d1900), Cell::Date(noon));
        let d1904 = ExcelDateTime::new(41363.5, ExcelDateTimeType::DateTime, true);
        assert_eq!(from_excel_datetime(&d1904), Cell::Date(noon));
        let phantom = ExcelDateTime::new(60.0, ExcelDateTimeType::DateTime, false);
        assert_eq!(from_excel_datetime(&phantom), Cell::Number(60.0));
        let span = ExcelDateTime::new(1.5, ExcelDateTimeType::TimeDelta, false);
        assert_eq!(from_excel_datetime(&span), Cell::Number(1.5));
    }

    #[test]
    fn converts_iso_strings() {
        let day = date(2024, 3, 1);
        assert_eq!(from_iso("2024-03-01"), Cell::Date(day.at(0, 0, 0, 0)));
        assert_eq!(
            from_iso("2024-03-01T10:30:00"),
            Cell::Date(day.at(10, 30, 0, 0))
        );
        assert_eq!(from_iso("PT10H30M"), Cell::Text("PT10H30M".into()));
    }
}
