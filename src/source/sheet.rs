//! Spreadsheets through calamine: xlsx, xlsm, xlsb, xls and ods. The workbook is opened here (a
//! corrupt or non-workbook file is a [`SourceError::Workbook`], an absent sheet a
//! [`SourceError::MissingSheet`] listing the sheets there are) and then handed to a feeding thread
//! (`feed`) that streams xlsx/xlsm/xlsb cell by cell and reads xls/ods a sheet at a time.
//!
//! Rows above `header_row` are skipped (title rows). The header row's non-blank cells name the
//! columns, by their position. A value in a column whose header cell is blank, or to the right of
//! the last header, is a [`RowProblem`] (`HO-SRC-003`), and so is a formula with no cached value
//! (`HO-SRC-004`): the loader rejects the row with a finding rather than drop the value (#9).
//! Cells must come in reading order ([`SourceError::CellOrder`]). A row with fewer cells gets
//! [`Cell::Empty`] for the missing ones, and rows with no value at all are skipped.
//! [`Row::line`] is the row number Excel shows (1-based, absolute, whatever the sheet's used range).
//! Date-formatted cells arrive as [`Cell::Date`], converted by calamine with the workbook's own
//! 1900 or 1904 system; plain numbers stay [`Cell::Number`], for the loader to convert with
//! [`RowReader::date_system`] where the mapping says a column is a date.
use std::sync::mpsc::Receiver;
use std::thread::JoinHandle;

use calamine::{Ods, Reader, Sheets, Xls, Xlsb, Xlsx, open_workbook};

use super::feed::{self, Batch, SheetRow};
use super::{Cell, DateSystem, Row, RowProblem, RowReader, SourceError, SourceSpec};
use crate::finding::Builtin;

/// Streams rows out of one sheet.
pub struct SheetReader {
    file: String,
    sheet: String,
    headers: Vec<String>,
    /// For each 0-based absolute column, the header index it feeds, if any.
    columns: Vec<Option<usize>>,
    date_system: DateSystem,
    rx: Receiver<Batch>,
    handle: Option<JoinHandle<()>>,
    pending: std::vec::IntoIter<SheetRow>,
    /// Data rows returned so far: the progress a spreadsheet can report (issue #13).
    rows_read: u64,
}

impl SheetReader {
    /// Opens the workbook, finds the sheet and reads the header row.
    pub fn open(spec: &SourceSpec) -> Result<Self, SourceError> {
        let file = spec.display.clone();
        let workbook = open_workbook_by_extension(spec)?;
        let sheet = choose_sheet(&workbook.sheet_names(), spec.sheet.as_deref(), &file)?;
        let date_system = date_system_of(&workbook);
        let (rx, handle) =
            feed::spawn(workbook, sheet.clone(), file.clone()).map_err(|source| {
                SourceError::Io {
                    file: file.clone(),
                    source,
                }
            })?;
        let mut this = SheetReader {
            file,
            sheet,
            headers: Vec::new(),
            columns: Vec::new(),
            date_system,
            rx,
            handle: Some(handle),
            pending: Vec::new().into_iter(),
            rows_read: 0,
        };
        this.read_header(spec.header_row.max(1))?;
        Ok(this)
    }

    /// Skips to `header_row` (1-based) and maps its non-blank cells to columns.
    fn read_header(&mut self, header_row: u32) -> Result<(), SourceError> {
        let no_header = |file: &str| SourceError::NoHeader {
            file: file.to_string(),
            row: header_row,
        };
        let header = loop {
            match self.next_sheet_row()? {
                None => return Err(no_header(&self.file)),
                Some(r) if r.row + 1 < header_row => continue,
                Some(r) if r.row + 1 == header_row => break r,
                Some(_) => return Err(no_header(&self.file)),
            }
        };
        for (col, cell) in header.cells {
            let name = header_name(&cell);
            let name = name.trim();
            if name.is_empty() {
                continue;
            }
            if let Some(first) = self.headers.iter().position(|h| h == name) {
                let first_col = self.columns.iter().position(|c| *c == Some(first));
                return Err(SourceError::DuplicateHeader {
                    file: self.file.clone(),
                    name: name.to_string(),
                    first: first_col.map_or(0, |c| c + 1),
                    second: col as usize + 1,
                });
            }
            let col = col as usize;
            if self.columns.len() <= col {
                self.columns.resize(col + 1, None);
            }
            self.columns[col] = Some(self.headers.len());
            self.headers.push(name.to_string());
        }
        Ok(())
    }

    /// The next non-blank sheet row from the feeding thread, or `None` at the end.
    fn next_sheet_row(&mut self) -> Result<Option<SheetRow>, SourceError> {
        loop {
            if let Some(r) = self.pending.next() {
                return Ok(Some(r));
            }
            match self.rx.recv() {
                Ok(batch) => self.pending = batch?.into_iter(),
                Err(_) => return self.finished().map(|()| None),
            }
        }
    }

    /// The feeding thread has hung up: the end of the sheet, unless it panicked.
    fn finished(&mut self) -> Result<(), SourceError> {
        match self.handle.take().map(JoinHandle::join) {
            Some(Err(_)) => Err(SourceError::Workbook {
                file: self.file.clone(),
                message: format!("reading sheet `{}` failed unexpectedly", self.sheet),
            }),
            _ => Ok(()),
        }
    }
}

/// Opens the workbook by its extension, in any case (`.XLSX` too); anything not `.xls`, `.xlsb` or
/// `.ods` is opened as xlsx. A missing or unreadable file is [`SourceError::Io`].
fn open_workbook_by_extension(spec: &SourceSpec) -> Result<feed::Workbook, SourceError> {
    let file = spec.display.clone();
    std::fs::File::open(&spec.path).map_err(|source| SourceError::Io {
        file: file.clone(),
        source,
    })?;
    let ext = super::extension(&spec.path);
    super::limits::check(&spec.path, &file, &ext)?;
    let path = &spec.path;
    let opened = match ext.as_str() {
        "xls" => open_workbook::<Xls<_>, _>(path)
            .map(Sheets::Xls)
            .map_err(|e| e.to_string()),
        "xlsb" => open_workbook::<Xlsb<_>, _>(path)
            .map(Sheets::Xlsb)
            .map_err(|e| e.to_string()),
        "ods" => open_workbook::<Ods<_>, _>(path)
            .map(Sheets::Ods)
            .map_err(|e| e.to_string()),
        _ => open_workbook::<Xlsx<_>, _>(path)
            .map(Sheets::Xlsx)
            .map_err(|e| e.to_string()),
    };
    opened.map_err(|message| SourceError::Workbook { file, message })
}

/// The names of a workbook's sheets, in workbook order (`spec.sheet` is not looked at).
pub fn sheet_names(spec: &SourceSpec) -> Result<Vec<String>, SourceError> {
    Ok(open_workbook_by_extension(spec)?.sheet_names())
}

/// The sheets `wanted` selects out of `names`, in workbook order: each entry is a name, or a glob
/// when it holds `*`, `?`, `[` or `{` (Excel forbids those in names). No entry selects the first
/// sheet. A name that is not there, or a list that selects nothing, is
/// [`SourceError::MissingSheet`] listing the sheets there are.
pub fn select_sheets(
    names: &[String],
    wanted: &[String],
    file: &str,
) -> Result<Vec<String>, SourceError> {
    if wanted.is_empty() {
        return choose_sheet(names, None, file).map(|s| vec![s]);
    }
    let mut selected = vec![false; names.len()];
    for w in wanted {
        let matcher = glob_matcher(w);
        let mut any = false;
        for (i, name) in names.iter().enumerate() {
            if matcher.as_ref().map_or(name == w, |m| m.is_match(name)) {
                selected[i] = true;
                any = true;
            }
        }
        // A name must be there; a pattern may match nothing ("Placements [0-9]*" at small scales)
        // as long as the whole list selects a sheet.
        if !any && matcher.is_none() {
            return Err(missing(names, w, file));
        }
    }
    if !selected.contains(&true) {
        return Err(missing(names, &wanted.join("`, `"), file));
    }
    Ok(names
        .iter()
        .zip(selected)
        .filter(|(_, s)| *s)
        .map(|(n, _)| n.clone())
        .collect())
}

/// A matcher for `pattern` when it is a glob; `None` for a plain name.
pub fn glob_matcher(pattern: &str) -> Option<globset::GlobMatcher> {
    if !pattern.contains(['*', '?', '[', '{']) {
        return None;
    }
    globset::Glob::new(pattern)
        .ok()
        .map(|g| g.compile_matcher())
}

fn missing(names: &[String], wanted: &str, file: &str) -> SourceError {
    SourceError::MissingSheet {
        file: file.to_string(),
        sheet: wanted.to_string(),
        available: names.join(", "),
    }
}

/// The sheet asked for, or the first; [`SourceError::MissingSheet`] lists the sheets there are.
fn choose_sheet(names: &[String], wanted: Option<&str>, file: &str) -> Result<String, SourceError> {
    let found = match wanted {
        Some(w) => names.iter().find(|n| *n == w),
        None => names.first(),
    };
    found.cloned().ok_or_else(|| SourceError::MissingSheet {
        file: file.to_string(),
        sheet: wanted.unwrap_or("(the first sheet)").to_string(),
        available: names.join(", "),
    })
}

/// The workbook's date system as calamine read it (ods has no 1904 system).
fn date_system_of(workbook: &feed::Workbook) -> DateSystem {
    let is_1904 = match workbook {
        Sheets::Xlsx(wb) => wb.has_1904_epoch(),
        Sheets::Xlsb(wb) => wb.has_1904_epoch(),
        Sheets::Xls(wb) => wb.has_1904_epoch(),
        Sheets::Ods(_) => false,
    };
    if is_1904 {
        DateSystem::Excel1904
    } else {
        DateSystem::Excel1900
    }
}

/// A header cell as a column name: text as it is, numbers without a needless `.0`.
fn header_name(cell: &Cell) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Text(s) | Cell::Error(s) => s.clone(),
        Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
        Cell::Number(n) => n.to_string(),
        Cell::Bool(b) => b.to_string().to_uppercase(),
        Cell::Date(d) => d.date().to_string(),
    }
}

impl SheetReader {
    /// A problem for each formula cell with no cached value under a header.
    fn uncached_problems(&self, uncached: &[u32], sheet_row: u32, row: &mut Row) {
        for &col in uncached {
            if let Some(Some(i)) = self.columns.get(col as usize) {
                row.problems.push(RowProblem {
                    rule: Builtin::UncachedFormula,
                    column: Some(self.headers[*i].clone()),
                    message: format!(
                        "cell {} holds a formula with no cached value: its value is unknown, not blank",
                        feed::cell_name(sheet_row, col)
                    ),
                });
            }
        }
    }
}

/// The problem of values in columns no header names (the values are not quoted: they may be
/// personal data).
fn outside_problem(cols: &[u32], sheet_row: u32) -> RowProblem {
    let cells: Vec<String> = cols
        .iter()
        .map(|&c| feed::cell_name(sheet_row, c))
        .collect();
    RowProblem {
        rule: Builtin::CellOutsideHeader,
        column: None,
        message: format!(
            "cell{} {} hold{} a value in a column the header row does not name; it would be dropped",
            if cells.len() == 1 { "" } else { "s" },
            cells.join(", "),
            if cells.len() == 1 { "s" } else { "" },
        ),
    }
}

impl RowReader for SheetReader {
    fn headers(&self) -> &[String] {
        &self.headers
    }
    fn sheet(&self) -> Option<&str> {
        Some(&self.sheet)
    }
    fn date_system(&self) -> DateSystem {
        self.date_system
    }
    fn read_row(&mut self, row: &mut Row) -> Result<bool, SourceError> {
        while let Some(next) = self.next_sheet_row()? {
            row.cells.clear();
            row.cells.resize(self.headers.len(), Cell::Empty);
            row.problems.clear();
            let mut any = false;
            let mut outside = Vec::new();
            for (col, cell) in next.cells {
                match self.columns.get(col as usize) {
                    Some(Some(i)) => {
                        row.cells[*i] = cell;
                        any = true;
                    }
                    _ if cell != Cell::Empty => outside.push(col),
                    _ => {}
                }
            }
            self.uncached_problems(&next.uncached, next.row, row);
            if !outside.is_empty() {
                row.problems.push(outside_problem(&outside, next.row));
            }
            if any || !row.problems.is_empty() {
                row.line = u64::from(next.row) + 1;
                self.rows_read += 1;
                return Ok(true);
            }
        }
        Ok(false)
    }
    /// A spreadsheet's bytes are compressed XML read ahead by a thread: the progress it can
    /// report is the data rows returned so far.
    fn position(&self) -> u64 {
        self.rows_read
    }
}

#[cfg(test)]
#[path = "sheet_tests.rs"]
mod tests;
