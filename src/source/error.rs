//! Errors that stop a source from being read, each naming the file and where in it.
use thiserror::Error;

/// A source that cannot be read. Every variant names the file (relative to the input folder).
#[derive(Debug, Error)]
pub enum SourceError {
    /// The file cannot be opened or read.
    #[error("{file}: cannot read the file: {source}")]
    Io {
        /// The file.
        file: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A CSV record has a different number of fields from the header.
    #[error("{file}:{line}: ragged row: {found} fields where the header has {expected}")]
    Ragged {
        /// The file.
        file: String,
        /// 1-based physical line.
        line: u64,
        /// Fields in the header.
        expected: usize,
        /// Fields in this record.
        found: usize,
    },
    /// The CSV parser failed (for example an unterminated quote).
    #[error("{file}:{line}: malformed CSV: {message}")]
    Csv {
        /// The file.
        file: String,
        /// 1-based physical line.
        line: u64,
        /// What the parser said.
        message: String,
    },
    /// The file was declared (or detected) as UTF-8 but holds bytes that are not.
    #[error(
        "{file}:{line}: invalid UTF-8 in a file declared as UTF-8 (set `encoding = \"windows-1252\"` if that is what it is)"
    )]
    Encoding {
        /// The file.
        file: String,
        /// 1-based physical line.
        line: u64,
    },
    /// The file is UTF-16, which the CSV reader does not read.
    #[error(
        "{file}: the file is {name} (it starts with a {name} byte-order mark); export it as UTF-8 (or Windows-1252) and re-run"
    )]
    Utf16 {
        /// The file.
        file: String,
        /// `UTF-16LE` or `UTF-16BE`.
        name: &'static str,
    },
    /// The workbook cannot be opened (corrupt, encrypted, or not a spreadsheet).
    #[error("{file}: cannot open the workbook: {message}")]
    Workbook {
        /// The file.
        file: String,
        /// What calamine said.
        message: String,
    },
    /// The workbook passes a limit that keeps reading it within the memory budget
    /// (docs/limits.md): a crafted or corrupt workbook (a zip bomb) is refused before it is read.
    #[error(
        "{file}: the workbook is refused: {what} (docs/limits.md); if it is a genuine export, save it as CSV"
    )]
    Limit {
        /// The file.
        file: String,
        /// Which limit, with the value and the limit.
        what: String,
    },
    /// A sheet cannot be read to its end (corrupt XML or records): the sheet, and the last cell
    /// read before the failure, say where.
    #[error("{file} (sheet `{sheet}`{}): cannot read the sheet: {message}", after_part(.after))]
    Sheet {
        /// The file.
        file: String,
        /// The sheet.
        sheet: String,
        /// The last cell read before the failure, in A1 style (`None`: before the first cell).
        after: Option<String>,
        /// What calamine said.
        message: String,
    },
    /// The named sheet is not in the workbook.
    #[error("{file}: no sheet named `{sheet}` (the workbook has: {available})")]
    MissingSheet {
        /// The file.
        file: String,
        /// The sheet asked for.
        sheet: String,
        /// The sheets there are, comma-separated.
        available: String,
    },
    /// The header row is beyond the end of the file, or blank.
    #[error("{file}: no header at row {row}")]
    NoHeader {
        /// The file.
        file: String,
        /// The 1-based header row asked for.
        row: u32,
    },
    /// A workbook's cells are not in reading order: a row number repeats or goes back, or a cell
    /// repeats or goes left within its row. Reading on would merge or drop rows in silence.
    #[error(
        "{file} (sheet `{sheet}`): cell {cell} comes after cell {after}: a row number or cell is repeated or out of order, so rows could be merged or lost; re-save the workbook in a spreadsheet application"
    )]
    CellOrder {
        /// The file.
        file: String,
        /// The sheet.
        sheet: String,
        /// The cell out of order, in A1 style.
        cell: String,
        /// The cell before it in the file.
        after: String,
    },
    /// Two header cells have the same name. The message gives their positions, not the name: a
    /// header row that is really data holds personal values, which errors must not echo (#9).
    #[error(
        "{file}: header cells {first} and {second} (counting from 1) have the same name; is `header_row` right?"
    )]
    DuplicateHeader {
        /// The file.
        file: String,
        /// The repeated name (not shown in the message).
        name: String,
        /// 1-based position of its first cell.
        first: usize,
        /// 1-based position of the repeat.
        second: usize,
    },
    /// An XML file is not well-formed, or holds what handover refuses (a DOCTYPE, an entity
    /// other than XML's five).
    #[error("{file}:{line}:{col}: malformed XML: {message}")]
    Xml {
        /// The file.
        file: String,
        /// 1-based line of the event where reading stopped.
        line: u64,
        /// 1-based column (in characters).
        col: u64,
        /// What is wrong (element names, never text).
        message: String,
    },
    /// An XML file passes a bound that keeps reading it within memory (docs/limits.md).
    #[error("{file}:{line}:{col}: the XML file is refused: {what} (docs/limits.md)")]
    XmlLimit {
        /// The file.
        file: String,
        /// 1-based line.
        line: u64,
        /// 1-based column (in characters).
        col: u64,
        /// Which bound.
        what: String,
    },
    /// An XML file's encoding is not one handover reads, or its declaration contradicts it.
    #[error("{file}: cannot read the XML file: {message}")]
    XmlEncoding {
        /// The file.
        file: String,
        /// Why, naming the encoding.
        message: String,
    },
    /// An XML file holds bytes that are not in its encoding.
    #[error(
        "{file}:{line}: bytes that are not in the XML file's encoding (as its declaration or byte-order mark gives it)"
    )]
    XmlDecode {
        /// The file.
        file: String,
        /// 1-based line.
        line: u64,
    },
    /// An XML file read by a mapping that gives no record path.
    #[error(
        "{file}: an XML file is read by records: give the mapping's `[source]` a `record` path (docs/mapping.md)"
    )]
    XmlLayout {
        /// The file.
        file: String,
    },
}

fn after_part(after: &Option<String>) -> String {
    match after {
        Some(cell) => format!(", after cell {cell}"),
        None => ", before its first cell".to_string(),
    }
}
