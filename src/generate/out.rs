//! Output helpers shared by the writers: a reusable CSV row buffer that formats numbers and dates
//! without allocating, CSV writers with the contract's encodings and line endings, and xlsx
//! workbooks with a fixed creation date so their bytes are stable (#2).
use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::Context;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook};

use super::dates::{self, Day};

/// One CSV record being built, reused for every row.
#[derive(Debug, Default)]
pub struct Row {
    rec: csv::ByteRecord,
    tmp: String,
    /// Encode text fields as Windows-1252 (staff.csv) instead of UTF-8.
    pub cp1252: bool,
}

impl Row {
    /// Starts a new row.
    pub fn clear(&mut self) {
        self.rec.clear();
    }

    /// Adds a text field.
    pub fn s(&mut self, text: &str) -> &mut Row {
        if self.cp1252 {
            let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
            self.rec.push_field(&bytes);
        } else {
            self.rec.push_field(text.as_bytes());
        }
        self
    }

    /// Adds a field formatted from `value`.
    pub fn f(&mut self, value: impl std::fmt::Display) -> &mut Row {
        self.tmp.clear();
        let _ = write!(self.tmp, "{value}");
        self.rec.push_field(self.tmp.as_bytes());
        self
    }

    /// Adds a Sunderland UPN built from `serial`.
    pub fn upn(&mut self, serial: u64) -> &mut Row {
        self.tmp.clear();
        super::upn::push_upn(&mut self.tmp, 394, serial);
        self.rec.push_field(self.tmp.as_bytes());
        self
    }

    /// Adds a `dd/mm/yyyy` date, or an empty field.
    pub fn d(&mut self, day: Option<Day>) -> &mut Row {
        self.tmp.clear();
        if let Some(day) = day {
            dates::push_dmy(&mut self.tmp, day);
        }
        self.rec.push_field(self.tmp.as_bytes());
        self
    }

    /// Writes the row.
    pub fn write(&self, w: &mut Csv, path: &Path) -> anyhow::Result<()> {
        w.write_byte_record(&self.rec)
            .with_context(|| format!("failed to write `{}`", path.display()))
    }
}

/// A CSV writer over a buffered file.
pub type Csv = csv::Writer<BufWriter<File>>;

/// Creates `path` and returns a CSV writer; `bom` writes a UTF-8 byte-order mark first.
pub fn csv_file(path: &Path, crlf: bool, bom: bool) -> anyhow::Result<Csv> {
    let file =
        File::create(path).with_context(|| format!("failed to create `{}`", path.display()))?;
    let mut buf = BufWriter::with_capacity(1 << 16, file);
    if bom {
        buf.write_all(b"\xEF\xBB\xBF")
            .with_context(|| format!("failed to write `{}`", path.display()))?;
    }
    let terminator = if crlf {
        csv::Terminator::CRLF
    } else {
        csv::Terminator::Any(b'\n')
    };
    Ok(csv::WriterBuilder::new()
        .terminator(terminator)
        .from_writer(buf))
}

/// Flushes a CSV writer, naming the path on failure.
pub fn finish(mut w: Csv, path: &Path) -> anyhow::Result<()> {
    w.flush()
        .with_context(|| format!("failed to write `{}`", path.display()))
}

/// A workbook whose metadata carries `as_at` as its creation date instead of "now".
pub fn workbook(as_at: Day) -> anyhow::Result<Workbook> {
    let (y, m, d) = dates::ymd(as_at);
    let created = ExcelDateTime::from_ymd(y.clamp(1900, 9999) as u16, m as u8, d as u8)
        .context("failed to build the workbook creation date")?;
    let mut wb = Workbook::new();
    wb.set_properties(&DocProperties::new().set_creation_datetime(&created));
    // Fast deflate: the placements sheet dominates the run time at large --scale (#2).
    wb.set_zip_compression_level(1);
    Ok(wb)
}

/// Saves a workbook, naming the path on failure.
pub fn save(mut wb: Workbook, path: &Path) -> anyhow::Result<()> {
    wb.save(path)
        .with_context(|| format!("failed to write `{}`", path.display()))
}

/// Adds an xlsx error context naming the path.
pub fn xl<T>(r: Result<T, rust_xlsxwriter::XlsxError>, path: &Path) -> anyhow::Result<T> {
    r.with_context(|| format!("failed to write `{}`", path.display()))
}
