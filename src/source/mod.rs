//! Sources: rows streamed out of council exports. CSV goes through the csv crate ([`csv`] module:
//! UTF-8 with or without BOM, Windows-1252 when the bytes are not UTF-8, any of four delimiters,
//! quoted multi-line fields); spreadsheets through calamine ([`sheet`] module: xlsx, xls, xlsb and
//! ods, a named sheet, a header row that is not the first). Every row knows its origin, so that
//! every finding and every lineage record can name the file, sheet and line.
//!
//! XML goes through quick-xml ([`xml`] module: elements at a declared record path flattened
//! into rows).
//!
//! Rows are read one at a time into a reused [`Row`] buffer: no export is ever held whole in memory
//! (xlsx and xlsb stream cell by cell; xls and ods are read by calamine a sheet at a time).

pub mod csv;
pub mod decode;
pub mod error;
mod feed;
pub mod fingerprint;
pub mod limits;
pub mod lines;
pub mod sheet;
mod sniff;
pub mod xml;

use std::path::PathBuf;

pub use error::SourceError;
pub use fingerprint::{FileInfo, fingerprint};

/// Where and how to read one export: resolved from a mapping's `[source]` table before any work.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceSpec {
    /// Absolute (or working-directory relative) path to open.
    pub path: PathBuf,
    /// The path as reports show it: relative to the input folder, with `/` separators.
    pub display: String,
    /// Sheet name, for spreadsheets; `None` means the first sheet.
    pub sheet: Option<String>,
    /// 1-based row (CSV: record) that holds the column names. Rows above it are skipped.
    pub header_row: u32,
    /// CSV delimiter; `None` sniffs comma, tab, semicolon or pipe from the header line.
    pub delimiter: Option<u8>,
    /// CSV text encoding; `None` detects (BOM, then UTF-8 validity, else Windows-1252).
    pub encoding: Option<Encoding>,
    /// How an XML file flattens into rows (the mapping's `record` and `inherit`); `None` for
    /// other files.
    pub xml: Option<std::sync::Arc<xml::XmlLayout>>,
}

/// A CSV file's text encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8, with or without a byte-order mark.
    Utf8,
    /// Windows-1252, as many HR and payroll systems write.
    Windows1252,
    /// UTF-8 (detected: the file holds UTF-8 characters) with some bytes that are not: each row
    /// holding one is rejected with a finding, instead of the whole file being re-decoded as
    /// Windows-1252 and every accented name garbled (#9).
    Utf8Mixed,
}

impl Encoding {
    /// The name recorded with the input and shown in messages.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Windows1252 => "windows-1252",
            Encoding::Utf8Mixed => "utf-8 with stray bytes",
        }
    }
}

/// A workbook's date system: where Excel serial day 0 falls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DateSystem {
    /// Serial 1 is 1900-01-01 (with Lotus's phantom 29 February 1900); the default.
    #[default]
    Excel1900,
    /// Serial 0 is 1904-01-01 (old Mac workbooks).
    Excel1904,
}

impl DateSystem {
    /// Converts an Excel serial day number to a civil date, or `None` when out of range. The time
    /// of day (the fraction) is dropped. In the 1900 system serial 60, Lotus's phantom 29 February
    /// 1900, is `None`: it is no real date. The range is 1900-01-01 (serial 1) or 1904-01-01
    /// (serial 0) to 9999-12-31.
    pub fn serial_to_date(self, serial: f64) -> Option<jiff::civil::Date> {
        if !serial.is_finite() {
            return None;
        }
        let days = serial.floor();
        let (first, last) = match self {
            DateSystem::Excel1900 => (1.0, 2_958_465.0),
            DateSystem::Excel1904 => (0.0, 2_957_003.0),
        };
        if !(first..=last).contains(&days) || (self == DateSystem::Excel1900 && days == 60.0) {
            return None;
        }
        let days = days as i64;
        let (epoch, days) = match self {
            // Serials from 61 on count Lotus's phantom 29 February 1900, so day 0 is 1899-12-30.
            DateSystem::Excel1900 if days >= 61 => (jiff::civil::date(1899, 12, 30), days),
            DateSystem::Excel1900 => (jiff::civil::date(1899, 12, 31), days),
            DateSystem::Excel1904 => (jiff::civil::date(1904, 1, 1), days),
        };
        epoch.checked_add(jiff::Span::new().days(days)).ok()
    }
}

/// One cell as the reader found it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Blank.
    Empty,
    /// Text (every CSV cell is text).
    Text(String),
    /// A number, which may be an Excel serial date when the cell is not date-formatted.
    Number(f64),
    /// A boolean cell.
    Bool(bool),
    /// A date-formatted spreadsheet cell, already converted with the workbook's date system.
    Date(jiff::civil::DateTime),
    /// A spreadsheet error value such as `#N/A`.
    Error(String),
}

/// One data row: its number in the source (a CSV's physical line, a spreadsheet's row number, an
/// XML record's number), where it starts when that is not a line of its own (XML), and its cells
/// in header order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    /// 1-based physical line of the record's start in a CSV, the row number a spreadsheet shows,
    /// or an XML record's number among the file's records of its path (1 for the first): the
    /// row's key in the ledger and the lineage. XML records may share a line (a file on one
    /// line), so a line cannot be their key.
    pub line: u64,
    /// Where an XML record's start tag `<` is (#12). `None` for CSV and spreadsheets, whose rows
    /// are whole lines and whose `line` says where they are.
    pub place: Option<Place>,
    /// Cells in header order; always exactly as many as there are headers.
    pub cells: Vec<Cell>,
    /// What is wrong with the row's structure, if anything: the loader rejects such a row with a
    /// finding for each, so that it is never lost or changed in silence (#9).
    pub problems: Vec<RowProblem>,
}

/// Where a record starts in its file: the line and the 1-based column, in characters, of its
/// start tag's `<`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    /// 1-based line.
    pub line: u64,
    /// 1-based column, in characters.
    pub col: u64,
}

/// Where a row is in its file: its line, and for an XML record (which may share its line with
/// others) the column of its start tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct At {
    /// 1-based line.
    pub line: u64,
    /// 1-based column, in characters, when the row is not a line of its own.
    pub col: Option<u64>,
}

impl At {
    /// `5`, or `2:9` (line:column).
    pub fn short(&self) -> String {
        match self.col {
            Some(col) => format!("{}:{col}", self.line),
            None => self.line.to_string(),
        }
    }

    /// `line 5`, or `line 2, column 9`.
    pub fn long(&self) -> String {
        match self.col {
            Some(col) => format!("line {}, column {col}", self.line),
            None => format!("line {}", self.line),
        }
    }
}

/// A problem with a row's structure that the reader found: a quoted field that swallowed records,
/// bytes not in the file's encoding, a value outside the header's columns, a formula with no
/// cached value. Messages never quote cell values: they may be personal data.
#[derive(Debug, Clone, PartialEq)]
pub struct RowProblem {
    /// The built-in rule.
    pub rule: crate::finding::Builtin,
    /// The column, when one header names it.
    pub column: Option<String>,
    /// What is wrong, in words, with the lines or cells it concerns.
    pub message: String,
}

/// A stream of rows out of one export.
pub trait RowReader {
    /// The column names from the header row, trimmed.
    fn headers(&self) -> &[String];
    /// The sheet being read, for spreadsheets.
    fn sheet(&self) -> Option<&str>;
    /// The workbook's date system (CSV: the 1900 system).
    fn date_system(&self) -> DateSystem;
    /// Reads the next data row into `row`, reusing its buffers. Returns `Ok(false)` at the end.
    /// Blank rows (every cell empty) are skipped.
    fn read_row(&mut self, row: &mut Row) -> Result<bool, SourceError>;
    /// Progress so far, for progress bars: bytes consumed for a CSV, data rows returned for a
    /// spreadsheet (whose length is unknown, so it gets a spinner that counts rows).
    fn position(&self) -> u64;
    /// For a CSV read to its end: what each physical line was (#9), or the first line that could
    /// not be placed. `None` for spreadsheets, whose rows are accounted for by row number.
    fn lines(&self) -> Option<Result<lines::LineTally, u64>> {
        None
    }
    /// The 1-based line and column where a column (by index in [`RowReader::headers`]) is first
    /// met, when the reader knows a place that is not the header row (XML: the start tag of the
    /// first element or attribute's element that holds it; the column is `None` for a column no
    /// record holds).
    fn column_at(&self, _column: usize) -> Option<(u64, Option<u64>)> {
        None
    }
}

/// Opens a source for reading: a CSV by the extension `.csv`, `.tsv` or `.txt`, a spreadsheet by
/// `.xlsx`, `.xlsm`, `.xls`, `.xlsb` or `.ods`, an XML file by `.xml`.
pub fn open(spec: &SourceSpec) -> Result<Box<dyn RowReader + Send>, SourceError> {
    if is_workbook(&spec.path) {
        Ok(Box::new(sheet::SheetReader::open(spec)?))
    } else if xml::is_xml(&spec.path) {
        Ok(Box::new(xml::XmlReader::open(spec)?))
    } else {
        Ok(Box::new(csv::CsvReader::open(spec)?))
    }
}

/// True when `path` names a spreadsheet by its extension (any case).
pub fn is_workbook(path: &std::path::Path) -> bool {
    matches!(
        extension(path).as_str(),
        "xlsx" | "xlsm" | "xls" | "xlsb" | "ods"
    )
}

/// True when the file is read as text of an encoding to decide (a CSV): neither a workbook nor
/// an XML file, whose encodings are their own.
pub fn is_text(path: &std::path::Path) -> bool {
    !(is_workbook(path) || xml::is_xml(path))
}

/// A path's extension in lower case (`.XLSX` is a workbook too), or empty.
pub fn extension(path: &std::path::Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn serials_in_the_1900_system() {
        let sys = DateSystem::Excel1900;
        assert_eq!(sys.serial_to_date(1.0), Some(date(1900, 1, 1)));
        assert_eq!(sys.serial_to_date(59.0), Some(date(1900, 2, 28)));
        assert_eq!(sys.serial_to_date(60.0), None, "the phantom 1900-02-29");
        assert_eq!(sys.serial_to_date(61.0), Some(date(1900, 3, 1)));
        assert_eq!(sys.serial_to_date(42825.0), Some(date(2017, 3, 31)));
        assert_eq!(sys.serial_to_date(42825.75), Some(date(2017, 3, 31)));
        assert_eq!(sys.serial_to_date(2_958_465.0), Some(date(9999, 12, 31)));
        assert_eq!(sys.serial_to_date(2_958_466.0), None);
        assert_eq!(sys.serial_to_date(0.0), None);
        assert_eq!(sys.serial_to_date(f64::NAN), None);
    }

    #[test]
    fn serials_in_the_1904_system() {
        let sys = DateSystem::Excel1904;
        assert_eq!(sys.serial_to_date(0.0), Some(date(1904, 1, 1)));
        assert_eq!(sys.serial_to_date(41363.0), Some(date(2017, 3, 31)));
        assert_eq!(sys.serial_to_date(2_957_003.0), Some(date(9999, 12, 31)));
        assert_eq!(sys.serial_to_date(2_957_004.0), None);
        assert_eq!(sys.serial_to_date(-1.0), None);
    }
}
