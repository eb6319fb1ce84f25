//! Writing the return as it streams: the eleven CSV files (the DfE's header line, CRLF, rows in
//! each table's key order), the XML form (`xml/ssda903.xml`, one element per line) and the DfE's
//! XML layout ([`super::dfe`]), counting lines in each so that every injected defect is located
//! in each form that can carry it.
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;

use super::super::out::{self, Csv, Row};
use super::child::Group;
use super::dfe;
use super::tables::{TABLES, Table};
use crate::source::Place;

/// The XML file, relative to the output folder.
pub const XML_FILE: &str = "xml/ssda903.xml";
/// The root element of the XML form.
const ROOT: &str = "EXPSSDA903";

/// Where one injected defect was written.
#[derive(Debug, Clone)]
pub struct Placed {
    /// Index into [`super::defects::SPECS`].
    pub spec: usize,
    /// The CHILD of the record.
    pub child: u64,
    /// Line in the table's CSV file (the header line is line 1).
    pub csv_line: u64,
    /// The record's start tag in the XML file.
    pub xml: Place,
    /// The record's start tag in the DfE layout, when it carries the defect.
    pub dfe: Option<Place>,
}

/// The open files of the return and the lines written so far.
pub struct Writer {
    csv: Vec<(Csv, PathBuf)>,
    /// Data rows written per table.
    pub rows: [u64; 11],
    xml: XmlFile,
    dfe: dfe::Writer,
    marks: Vec<(usize, Place)>,
    /// `<HEADER>` elements holding only CHILDID (children the header does not hold).
    pub header_stubs: u64,
    /// The defects written, in the order written.
    pub placed: Vec<Placed>,
    row: Row,
}

impl Writer {
    /// Creates `csv/` and `xml/` under `dir` and writes the files' opening lines.
    pub fn create(dir: &Path) -> anyhow::Result<Writer> {
        for sub in ["csv", "xml"] {
            let d = dir.join(sub);
            std::fs::create_dir_all(&d)
                .with_context(|| format!("failed to create `{}`", d.display()))?;
        }
        let mut row = Row::default();
        let mut csv = Vec::with_capacity(TABLES.len());
        for t in TABLES {
            let path = dir.join(t.csv_file());
            let mut w = out::csv_file(&path, true, false)?;
            row.clear();
            row.s("CHILD");
            for c in t.columns() {
                row.s(c);
            }
            row.write(&mut w, &path)?;
            csv.push((w, path));
        }
        let mut w = Writer {
            csv,
            rows: [0; 11],
            xml: XmlFile::create(dir.join(XML_FILE))?,
            dfe: dfe::Writer::create(dir)?,
            marks: Vec::new(),
            header_stubs: 0,
            placed: Vec::new(),
            row,
        };
        w.xml
            .line(0, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
        w.xml.line(0, &format!("<{ROOT}>"))?;
        Ok(w)
    }

    /// Writes one child: its rows to each CSV file and one `<CHILD>` element.
    pub fn child(&mut self, g: &Group) -> anyhow::Result<()> {
        self.marks.clear();
        self.dfe.child(g, &mut self.marks)?;
        self.xml.line(1, "<CHILD>")?;
        if g.of(Table::Header).is_empty() {
            self.header_stubs += 1;
            self.xml.line(2, "<HEADER>")?;
            self.xml.element(3, "CHILDID", &g.child.to_string())?;
            self.xml.line(2, "</HEADER>")?;
        }
        for t in TABLES {
            for record in g.of(t) {
                let csv_line = self.csv_row(t, g.child, &record.values)?;
                let xml = self.xml_record(t, g.child, &record.values)?;
                if let Some(spec) = record.defect {
                    let dfe = self.marks.iter().find(|m| m.0 == spec).map(|m| m.1);
                    self.placed.push(Placed {
                        spec,
                        child: g.child,
                        csv_line,
                        xml,
                        dfe,
                    });
                }
            }
        }
        self.xml.line(1, "</CHILD>")
    }

    /// Closes the XML root and flushes every file.
    pub fn finish(mut self) -> anyhow::Result<Finished> {
        self.xml.line(0, &format!("</{ROOT}>"))?;
        for (w, path) in self.csv {
            out::finish(w, &path)?;
        }
        let xml_lines = self.xml.finish()?;
        let dfe_rows = self.dfe.rows;
        let dfe_lines = self.dfe.finish()?;
        Ok(Finished {
            rows: self.rows,
            dfe_rows,
            dfe_lines,
            header_stubs: self.header_stubs,
            placed: self.placed,
            xml_lines,
        })
    }

    /// Writes a CSV row and returns its line.
    fn csv_row(&mut self, t: Table, child: u64, values: &[String]) -> anyhow::Result<u64> {
        let i = t.index();
        self.row.clear();
        self.row.f(child);
        for v in values {
            self.row.s(v);
        }
        let (w, path) = &mut self.csv[i];
        self.row.write(w, path)?;
        self.rows[i] += 1;
        Ok(self.rows[i] + 1)
    }

    /// Writes a record element, its non-empty values one per line, and returns where it starts.
    fn xml_record(&mut self, t: Table, child: u64, values: &[String]) -> anyhow::Result<Place> {
        let name = t.element();
        self.xml.line(2, &format!("<{name}>"))?;
        let start = self.xml.at();
        if t == Table::Header {
            self.xml.element(3, "CHILDID", &child.to_string())?;
        }
        for (column, v) in t.columns().iter().zip(values) {
            if !v.is_empty() {
                self.xml.element(3, column, v)?;
            }
        }
        self.xml.line(2, &format!("</{name}>"))?;
        Ok(start)
    }
}

/// What the writer wrote.
#[derive(Debug)]
pub struct Finished {
    /// Data rows per table (= records of the table's element in the XML form).
    pub rows: [u64; 11],
    /// `<HEADER>` elements holding only CHILDID.
    pub header_stubs: u64,
    /// The defects, in the order written.
    pub placed: Vec<Placed>,
    /// Lines of the XML file.
    pub xml_lines: u64,
    /// Records per table in the DfE layout (fewer than `rows` where it cannot hold one).
    pub dfe_rows: [u64; 11],
    /// Lines of the DfE layout's file.
    pub dfe_lines: u64,
}

impl Finished {
    /// Record elements of the DfE layout: HEADERs, the records nested in them and EPISODEs (the
    /// UASC, OC3 and AD1 items are part of their HEADER).
    pub fn dfe_records(&self) -> u64 {
        TABLES
            .iter()
            .filter(|t| !matches!(t, Table::Uasc | Table::Oc3 | Table::Ad1))
            .map(|t| self.dfe_rows[t.index()])
            .sum()
    }
}

/// An XML file written a line at a time, two spaces of indent a level, counting its lines: the
/// ground truth locates each record by the line of its start tag.
pub struct XmlFile {
    w: BufWriter<File>,
    path: PathBuf,
    /// Lines written so far.
    pub lines: u64,
    /// Column of the last line's first character after its indent.
    col: u64,
    /// The line being built by [`XmlFile::element`], kept to reuse its allocation.
    text: String,
}

impl XmlFile {
    /// Creates the file (and its folder).
    pub fn create(path: PathBuf) -> anyhow::Result<XmlFile> {
        if let Some(d) = path.parent() {
            std::fs::create_dir_all(d)
                .with_context(|| format!("failed to create `{}`", d.display()))?;
        }
        let file = File::create(&path)
            .with_context(|| format!("failed to create `{}`", path.display()))?;
        Ok(XmlFile {
            w: BufWriter::with_capacity(1 << 16, file),
            path,
            lines: 0,
            col: 1,
            text: String::new(),
        })
    }

    /// Writes one line at `depth` and counts it.
    pub fn line(&mut self, depth: usize, text: &str) -> anyhow::Result<()> {
        self.lines += 1;
        // The indent is two spaces a level: the text starts after them.
        self.col = depth as u64 * 2 + 1;
        let w = &mut self.w;
        (|| -> std::io::Result<()> {
            for _ in 0..depth {
                w.write_all(b"  ")?;
            }
            w.write_all(text.as_bytes())?;
            w.write_all(b"\n")
        })()
        .with_context(|| format!("failed to write `{}`", self.path.display()))
    }

    /// Writes `<name>v</name>`, `v` escaped (`<name />` when it is empty), as one line at `depth`.
    pub fn element(&mut self, depth: usize, name: &str, v: &str) -> anyhow::Result<()> {
        let mut text = std::mem::take(&mut self.text);
        text.clear();
        text.push('<');
        text.push_str(name);
        if v.is_empty() {
            text.push_str(" />");
        } else {
            text.push('>');
            text.push_str(&quick_xml::escape::partial_escape(v));
            text.push_str("</");
            text.push_str(name);
            text.push('>');
        }
        let written = self.line(depth, &text);
        self.text = text;
        written
    }

    /// Where the last line's text starts: for a start tag, the record's place.
    pub fn at(&self) -> Place {
        Place {
            line: self.lines,
            col: self.col,
        }
    }

    /// Flushes the file; returns the lines written.
    pub fn finish(mut self) -> anyhow::Result<u64> {
        self.w
            .flush()
            .with_context(|| format!("failed to write `{}`", self.path.display()))?;
        Ok(self.lines)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_element_escapes_markup_and_an_empty_one_closes_itself() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.xml");
        let mut xml = XmlFile::create(path.clone()).unwrap();
        xml.element(1, "A", "A&B <C>").unwrap();
        xml.element(2, "B", "").unwrap();
        assert_eq!(xml.at(), Place { line: 2, col: 5 });
        xml.finish().unwrap();
        let text = std::fs::read_to_string(path).unwrap();
        assert_eq!(text, "  <A>A&amp;B &lt;C&gt;</A>\n    <B />\n");
    }
}
