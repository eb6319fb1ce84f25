//! CSV exports through the csv crate. The file is streamed through a `BufReader` and parsed as raw
//! bytes into one reused `csv::ByteRecord`; each field is then decoded as UTF-8 (BOM stripped) or
//! Windows-1252 into the reused `String`s of the caller's [`Row`]. The encoding is the declared
//! one, else UTF-8 for a BOM or a file that is wholly valid UTF-8 (one extra streaming pass in
//! [`CsvReader::open`]), else Windows-1252. The delimiter is the declared one, else sniffed from the
//! header line. Records before `header_row` are skipped; blank lines and records whose fields are
//! all empty do not count, so `header_row = 3` is the third record with something in it;
//! header names are trimmed, cells are kept raw (`Cell::Text`, or `Cell::Empty` for ""). Records
//! whose fields are all empty or whitespace are skipped; any other record whose field count differs
//! from the header's is a [`SourceError::Ragged`]. A quote left open at the end of the file, which
//! the csv crate would accept, is a [`SourceError::Csv`] naming the line where the record starts.
//! Line ends are `\n` or `\r\n`; old-Mac files ending lines with a lone `\r` are not supported
//! (they read as one record).
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::PathBuf;

use csv::ByteRecord;

use super::decode::{self, BOM};
use super::lines::{CountLines, LineLedger, LineTally, RecordKind};
use super::sniff;
use super::{Cell, DateSystem, Encoding, Row, RowProblem, RowReader, SourceError, SourceSpec};
use crate::finding::Builtin;

/// How many bytes at the start of the file are looked at for a BOM and the delimiter.
const HEAD_BYTES: u64 = 64 * 1024;

/// Streams rows out of one CSV file.
pub struct CsvReader {
    file: String,
    path: PathBuf,
    reader: csv::Reader<BufReader<CountLines<File>>>,
    record: ByteRecord,
    headers: Vec<String>,
    encoding: Encoding,
    delimiter: u8,
    /// Bytes skipped before the csv reader starts (the BOM).
    offset: u64,
    file_len: u64,
    /// Lines inside a quoted field that look like whole records, still to be handed out as rows
    /// of their own (line, line where the quote opened), so that the ledger counts them (#9).
    swallowed: std::collections::VecDeque<(u64, u64)>,
    /// What each physical line read so far was (#9).
    ledger: LineLedger,
    /// The line tally, once the end of the file is reached; `Err` names the first line that
    /// could not be placed.
    tally: Option<Result<LineTally, u64>>,
}

impl CsvReader {
    /// Opens the file, detects encoding and delimiter, and reads the header row.
    pub fn open(spec: &SourceSpec) -> Result<Self, SourceError> {
        let io = |source| SourceError::Io {
            file: spec.display.clone(),
            source,
        };
        let mut file = File::open(&spec.path).map_err(io)?;
        let file_len = file.metadata().map_err(io)?.len();
        let mut head = Vec::new();
        (&mut file)
            .take(HEAD_BYTES)
            .read_to_end(&mut head)
            .map_err(io)?;
        if let Some(name) = decode::utf16_bom(&head) {
            return Err(SourceError::Utf16 {
                file: spec.display.clone(),
                name,
            });
        }
        let bom = decode::has_bom(&head);
        let offset = if bom { BOM.len() } else { 0 };
        let encoding = decode::detect(spec.encoding, &spec.path).map_err(io)?;
        let delimiter = spec
            .delimiter
            .unwrap_or_else(|| sniff::sniff_delimiter(&head[offset..], spec.header_row));
        file.seek(SeekFrom::Start(offset as u64)).map_err(io)?;
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .terminator(csv::Terminator::Any(b'\n'))
            .from_reader(BufReader::with_capacity(64 * 1024, CountLines::new(file)));
        let mut this = CsvReader {
            file: spec.display.clone(),
            path: spec.path.clone(),
            reader,
            record: ByteRecord::new(),
            headers: Vec::new(),
            encoding,
            delimiter,
            offset: offset as u64,
            file_len,
            swallowed: std::collections::VecDeque::new(),
            ledger: LineLedger::default(),
            tally: None,
        };
        this.read_header(spec.header_row)?;
        Ok(this)
    }

    /// The encoding in use (declared or detected).
    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// The delimiter in use (declared or sniffed).
    pub fn delimiter(&self) -> u8 {
        self.delimiter
    }

    /// Skips to record `header_row` and takes its trimmed fields as the column names.
    fn read_header(&mut self, header_row: u32) -> Result<(), SourceError> {
        let file = self.file.clone();
        let no_header = || SourceError::NoHeader {
            file,
            row: header_row,
        };
        let mut seen = 0;
        while seen < header_row.max(1) {
            if !self.fetch()? {
                return Err(no_header());
            }
            let kind = if is_blank(&self.record) {
                RecordKind::Blank
            } else {
                seen += 1;
                match seen < header_row.max(1) {
                    true => RecordKind::Title,
                    false => RecordKind::Header,
                }
            };
            self.account(kind);
        }
        let line = self.line();
        let mut headers = Vec::with_capacity(self.record.len());
        for field in fields(&self.record) {
            let mut name = String::new();
            if !decode::decode_into(self.encoding, field, &mut name) {
                return Err(self.encoding_error(line));
            }
            let name = name.trim();
            if !name.is_empty()
                && let Some(first) = headers.iter().position(|h| h == name)
            {
                return Err(SourceError::DuplicateHeader {
                    file: self.file.clone(),
                    name: name.to_string(),
                    first: first + 1,
                    second: headers.len() + 1,
                });
            }
            headers.push(name.to_string());
        }
        self.headers = headers;
        Ok(())
    }

    /// Reads the next record into `self.record`; `Ok(false)` at the end of the file.
    fn fetch(&mut self) -> Result<bool, SourceError> {
        match self.reader.read_byte_record(&mut self.record) {
            Ok(false) => Ok(false),
            Ok(true) => {
                self.check_closed_quotes()?;
                Ok(true)
            }
            Err(e) => {
                let line = e
                    .position()
                    .map_or_else(|| self.reader.position().line(), |p| p.line());
                Err(SourceError::Csv {
                    file: self.file.clone(),
                    line,
                    message: e.to_string(),
                })
            }
        }
    }

    /// When the record just read runs to the end of the file, re-scans its bytes for an open
    /// quote: an unterminated quoted field always swallows the rest of the file.
    fn check_closed_quotes(&self) -> Result<(), SourceError> {
        let end = self.reader.position().byte() + self.offset;
        if end < self.file_len {
            return Ok(());
        }
        let start = self.record.position().map_or(0, |p| p.byte()) + self.offset;
        let io = |source| SourceError::Io {
            file: self.file.clone(),
            source,
        };
        let mut file = File::open(&self.path).map_err(io)?;
        file.seek(SeekFrom::Start(start)).map_err(io)?;
        if sniff::ends_inside_quotes(file, self.delimiter).map_err(io)? {
            return Err(SourceError::Csv {
                file: self.file.clone(),
                line: self.line(),
                message: "a quoted field is never closed (missing `\"`)".to_string(),
            });
        }
        Ok(())
    }

    /// Accounts for the lines of the record just read (#9).
    fn account(&mut self, kind: RecordKind) {
        let breaks = self
            .record
            .as_slice()
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.ledger.record(self.line(), breaks as u64, kind);
    }

    /// The 1-based physical line where the current record starts.
    fn line(&self) -> u64 {
        self.record.position().map_or(0, |p| p.line())
    }

    fn encoding_error(&self, line: u64) -> SourceError {
        SourceError::Encoding {
            file: self.file.clone(),
            line,
        }
    }
}

impl CsvReader {
    /// When a quoted field of the record just read holds line breaks followed by lines with at
    /// least as many delimiters as a row has, those lines are records the quote swallowed: queues
    /// them as rows of their own and returns the problem of the record that swallowed them.
    fn find_swallowed(&mut self, line: u64) -> Option<RowProblem> {
        let needed = self.headers.len().saturating_sub(1);
        if needed == 0 || !self.record.as_slice().contains(&b'\n') {
            return None;
        }
        // Delimiters on each physical line of the record (its fields joined by the delimiter,
        // split at line breaks). The first field holding a line break, and so its quote, opens on
        // the record's first line.
        let mut per_line = vec![0usize];
        for (i, field) in fields(&self.record).enumerate() {
            if i > 0
                && let Some(n) = per_line.last_mut()
            {
                *n += 1;
            }
            for &b in field {
                if b == b'\n' {
                    per_line.push(0);
                } else if b == self.delimiter
                    && let Some(n) = per_line.last_mut()
                {
                    *n += 1;
                }
            }
        }
        // Lines wholly inside a quoted field (neither the first nor the last of the record) that
        // hold as many delimiters as a row: records the quote swallowed. The first and last lines
        // belong to the record itself, so a legal line break never makes a row of its own.
        let last = per_line.len() - 1;
        let found: Vec<u64> = (1..last)
            .filter(|&k| per_line[k] >= needed)
            .map(|k| line + k as u64)
            .collect();
        if found.is_empty() {
            return None;
        }
        let lines: Vec<String> = found.iter().map(u64::to_string).collect();
        self.ledger.swallowed(found.len() as u64);
        self.swallowed.extend(found.iter().map(|&l| (l, line)));
        Some(RowProblem {
            rule: Builtin::SwallowedRecords,
            column: None,
            message: format!(
                "a quoted field opened on line {line} runs to line {} and holds lines that look like whole records (line{} {}): a quote is probably not closed where it should be; those lines are rows of their own, rejected, and this row is rejected with them",
                line + last as u64,
                if lines.len() == 1 { "" } else { "s" },
                lines.join(", ")
            ),
        })
    }
}

/// The problem of a row holding bytes that are not UTF-8 in a UTF-8 file (the bytes and values
/// are not quoted: they may be personal data).
fn mixed_problem(line: u64, columns: &[String]) -> RowProblem {
    let names: Vec<String> = columns.iter().map(|c| format!("`{c}`")).collect();
    RowProblem {
        rule: Builtin::MixedEncoding,
        column: columns.first().cloned(),
        message: format!(
            "line {line} holds bytes that are not UTF-8 (in {}) in a file that is otherwise UTF-8: the row is not stored garbled",
            names.join(", ")
        ),
    }
}

/// The record's fields, with the `\r` of a CRLF line end removed from the last one. Records end at
/// `\n` only: the csv crate's CRLF terminator miscounts physical lines (a record after `\r\n` is
/// placed on the line before), so `\r` is stripped here instead.
fn fields(record: &ByteRecord) -> impl Iterator<Item = &[u8]> {
    let last = record.len().saturating_sub(1);
    record.iter().enumerate().map(move |(i, f)| match f {
        [rest @ .., b'\r'] if i == last => rest,
        _ => f,
    })
}

/// True when every field of the record is empty or whitespace.
fn is_blank(record: &ByteRecord) -> bool {
    record
        .iter()
        .all(|f| f.iter().all(|b| b.is_ascii_whitespace()))
}

/// Decodes `field` into `cell`, reusing its `String` when it already holds text. `false` when the
/// bytes are not valid in `enc`.
fn set_cell(cell: &mut Cell, field: &[u8], enc: Encoding) -> bool {
    if field.is_empty() {
        *cell = Cell::Empty;
        return true;
    }
    let mut text = match std::mem::replace(cell, Cell::Empty) {
        Cell::Text(mut s) => {
            s.clear();
            s
        }
        _ => String::with_capacity(field.len()),
    };
    let ok = decode::decode_into(enc, field, &mut text);
    *cell = Cell::Text(text);
    ok
}

impl RowReader for CsvReader {
    fn headers(&self) -> &[String] {
        &self.headers
    }
    fn sheet(&self) -> Option<&str> {
        None
    }
    fn date_system(&self) -> DateSystem {
        DateSystem::Excel1900
    }
    fn read_row(&mut self, row: &mut Row) -> Result<bool, SourceError> {
        row.problems.clear();
        if let Some((line, quote)) = self.swallowed.pop_front() {
            row.line = line;
            row.cells.clear();
            row.cells.resize(self.headers.len(), Cell::Empty);
            row.problems.push(RowProblem {
                rule: Builtin::SwallowedRecords,
                column: None,
                message: format!(
                    "line {line} looks like a record but lies inside the quoted field opened on line {quote}: rejected as a row of its own"
                ),
            });
            return Ok(true);
        }
        loop {
            if !self.fetch()? {
                let total = self.reader.get_ref().get_ref().lines();
                self.tally = Some(self.ledger.finish(total));
                return Ok(false);
            }
            if !is_blank(&self.record) {
                self.account(RecordKind::Row);
                break;
            }
            self.account(RecordKind::Blank);
        }
        let line = self.line();
        row.line = line;
        if let Some(problem) = self.find_swallowed(line) {
            row.problems.push(problem);
        } else if self.record.len() != self.headers.len() {
            return Err(SourceError::Ragged {
                file: self.file.clone(),
                line,
                expected: self.headers.len(),
                found: self.record.len(),
            });
        }
        row.cells.resize(self.headers.len(), Cell::Empty);
        let mut bad_columns = Vec::new();
        for (i, (cell, field)) in row.cells.iter_mut().zip(fields(&self.record)).enumerate() {
            if !set_cell(cell, field, self.encoding) {
                if self.encoding != Encoding::Utf8Mixed {
                    return Err(self.encoding_error(line));
                }
                bad_columns.push(self.headers[i].clone());
            }
        }
        for cell in row.cells.iter_mut().skip(self.record.len()) {
            *cell = Cell::Empty;
        }
        if !bad_columns.is_empty() {
            row.problems.push(mixed_problem(line, &bad_columns));
        }
        Ok(true)
    }
    fn position(&self) -> u64 {
        self.reader.position().byte() + self.offset
    }
    fn lines(&self) -> Option<Result<LineTally, u64>> {
        self.tally
    }
}

#[cfg(test)]
#[path = "csv_tests.rs"]
mod tests;
