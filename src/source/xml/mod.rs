//! XML exports (the SSDA903 return's XML form, the CIN census, ...) flattened into rows by a
//! declared record path (issue #12). Every element at the record path is one row: its child
//! elements' text (element name = column name, as a CSV header names columns), its attributes as
//! `@name` columns, and values inherited from enclosing elements read earlier in the document
//! (`[source.inherit]`). What does not flatten into one row (a repeated child element, markup
//! nested in a child element, text between child elements, an inherited value given twice) is a
//! located [`RowProblem`](super::RowProblem) of rule `HO-SRC-005`, so the row is rejected, not
//! changed. Elements outside records and inherited paths are passed over: each mapping of the
//! file reads its own records (an element that leads to neither is skipped without being copied,
//! its bounds and refusals still checked).
//!
//! The file is read twice, streaming: once to learn the columns (so that the headers, like a
//! CSV header, are known before the first row: inherited columns, then every column seen in
//! document order, then the columns the mapping names that no record holds), then for the rows.
//! Bounds ([`MAX_DEPTH`], [`MAX_TEXT`], [`MAX_RECORD`], [`MAX_COLUMNS`], [`MAX_NAME`]) keep any
//! file, however crafted, within memory; a DOCTYPE and any entity but XML's five are refused.
//! Each is a located error (docs/limits.md).
//!
//! A row is known by its record's number among the file's records of its path (1 for the
//! first), as a spreadsheet row is by its number, and placed by the line and column of its start
//! tag ([`Place`]): records may share a line, as in a file written on one line.
pub mod input;
mod walk;

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Read};

use super::{Cell, DateSystem, Place, Row, RowReader, SourceError, SourceSpec};
use input::Input;
pub use walk::{Field, Record};

/// Elements open at once (the depth of nesting).
pub const MAX_DEPTH: usize = 64;
/// Bytes of one element's text, and of any one text run, tag or comment.
pub const MAX_TEXT: u64 = 1024 * 1024;
/// Bytes of one record, from its start tag to its end tag.
pub const MAX_RECORD: u64 = 16 * 1024 * 1024;
/// Columns of one file (distinct child elements and attributes of its records), and fields of
/// one record.
pub const MAX_COLUMNS: usize = 4096;
/// Bytes of one element's name.
pub const MAX_NAME: usize = 1024;

/// How an XML file flattens into rows: resolved from a mapping's `[source]`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct XmlLayout {
    /// The record element's path from the root element, one name a step.
    pub record: Vec<String>,
    /// Inherited columns: the column, and the path of the element (or, last step `@name`, the
    /// attribute) whose value every record inside its enclosing element takes.
    pub inherit: Vec<(String, Vec<String>)>,
    /// Columns the mapping reads or ignores: in the headers even when no record holds them.
    pub declared: Vec<String>,
    /// Child elements whose content no column reads (the mapping's `ignore_columns`): passed
    /// over whole, nested markup included.
    pub skip: Vec<String>,
}

impl XmlLayout {
    /// The record path as findings show it (in the `sheet` slot): `EXPSSDA903/CHILD/EPISODE`.
    pub fn label(&self) -> String {
        self.record.join("/")
    }
}

/// True when `path` names an XML file by its extension (any case).
pub fn is_xml(path: &std::path::Path) -> bool {
    super::extension(path) == "xml"
}

/// Streams the records of one XML file as rows.
pub struct XmlReader {
    label: String,
    headers: Vec<String>,
    /// Per column, where it is first met: (line, column of the element's `<`).
    first_at: Vec<(u64, Option<u64>)>,
    index: HashMap<String, usize>,
    walker: walk::Walker<BufReader<File>>,
    record: Record,
    /// Records read so far: the next row's number.
    records: u64,
    file: String,
}

impl XmlReader {
    /// Opens the file, checks its encoding, and reads it once to learn its columns.
    pub fn open(spec: &SourceSpec) -> Result<Self, SourceError> {
        let layout = spec.xml.as_ref().ok_or_else(|| SourceError::XmlLayout {
            file: spec.display.clone(),
        })?;
        let mut headers: Vec<String> = Vec::new();
        let mut first_at = Vec::new();
        let mut index = HashMap::new();
        let mut add = |name: &str, at: (u64, Option<u64>)| -> bool {
            if index.contains_key(name) {
                return true;
            }
            index.insert(name.to_string(), headers.len());
            headers.push(name.to_string());
            first_at.push(at);
            headers.len() <= MAX_COLUMNS
        };
        for (column, _) in &layout.inherit {
            add(column, (1, None));
        }
        let mut scan = walker(spec, layout)?;
        let mut record = Record::default();
        while scan.next_record(&mut record)? {
            for f in &record.fields {
                if !add(&f.name, (f.line, Some(f.col))) {
                    return Err(SourceError::XmlLimit {
                        file: spec.display.clone(),
                        line: f.line,
                        col: f.col,
                        what: format!("the columns of the file pass the limit of {MAX_COLUMNS}"),
                    });
                }
            }
        }
        for column in &layout.declared {
            add(column, (1, None));
        }
        Ok(XmlReader {
            label: layout.label(),
            headers,
            first_at,
            index,
            walker: walker(spec, layout)?,
            record,
            records: 0,
            file: spec.display.clone(),
        })
    }
}

/// A walk over the file, its encoding found and its byte-order mark skipped.
fn walker(
    spec: &SourceSpec,
    layout: &XmlLayout,
) -> Result<walk::Walker<BufReader<File>>, SourceError> {
    let io = |source| SourceError::Io {
        file: spec.display.clone(),
        source,
    };
    let mut file = File::open(&spec.path).map_err(io)?;
    let mut head = Vec::new();
    (&mut file).take(1024).read_to_end(&mut head).map_err(io)?;
    let (encoding, bom) = input::detect(&head).map_err(|message| SourceError::XmlEncoding {
        file: spec.display.clone(),
        message,
    })?;
    drop(head);
    let mut file = File::open(&spec.path).map_err(io)?;
    if bom > 0 && encoding == input::XmlEncoding::Utf8 {
        std::io::copy(&mut (&mut file).take(bom as u64), &mut std::io::sink()).map_err(io)?;
    }
    let input = Input::new(
        BufReader::with_capacity(64 * 1024, file),
        encoding,
        MAX_TEXT,
    );
    Ok(walk::Walker::new(input, &spec.display, layout))
}

impl RowReader for XmlReader {
    fn headers(&self) -> &[String] {
        &self.headers
    }
    fn sheet(&self) -> Option<&str> {
        Some(&self.label)
    }
    fn date_system(&self) -> DateSystem {
        DateSystem::Excel1900
    }
    fn read_row(&mut self, row: &mut Row) -> Result<bool, SourceError> {
        loop {
            if !self.walker.next_record(&mut self.record)? {
                return Ok(false);
            }
            // Every record is numbered, a skipped blank one too: the n-th record of the path.
            self.records += 1;
            row.line = self.records;
            row.place = Some(Place {
                line: self.record.line,
                col: self.record.col,
            });
            row.cells.clear();
            row.cells.resize(self.headers.len(), Cell::Empty);
            let mut filled = vec![false; self.headers.len()];
            for f in &mut self.record.fields {
                let Some(&i) = self.index.get(&f.name) else {
                    return Err(SourceError::Xml {
                        file: self.file.clone(),
                        line: f.line,
                        col: f.col,
                        message: "the file changed while it was read".to_string(),
                    });
                };
                if !filled[i] {
                    filled[i] = true;
                    if !f.text.is_empty() {
                        row.cells[i] = Cell::Text(std::mem::take(&mut f.text));
                    }
                }
            }
            row.problems.clear();
            row.problems.append(&mut self.record.problems);
            let blank = row.cells.iter().all(|c| *c == Cell::Empty);
            if !blank || !row.problems.is_empty() {
                return Ok(true);
            }
        }
    }
    fn position(&self) -> u64 {
        self.walker.position()
    }
    fn column_at(&self, column: usize) -> Option<(u64, Option<u64>)> {
        self.first_at.get(column).copied()
    }
}
