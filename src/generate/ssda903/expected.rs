//! The return's ground truth, `expected.json`: the rows of each file and how many of them a
//! correct load transfers, and one entry per injected defect with the rule code the dry run gives
//! it, the validator's rule, the table, the child, and its place in each form (CSV file and line;
//! XML file, line and column of the record's start tag `<` and element path; the same in the DfE's
//! XML layout, or `dfe_xml: null` and the reason that layout cannot carry it). Tests only; the
//! product never reads it.
use std::path::Path;

use anyhow::{Context, bail};
use serde::Serialize;

use super::super::{Ctx, dates};
use super::Defects;
use super::defects::{Break, SPECS};
use super::dfe;
use super::tables::TABLES;
use super::write::{Finished, XML_FILE};
use crate::source::Place;

#[derive(Serialize)]
struct Expected {
    r#return: &'static str,
    as_at: String,
    collection_year: String,
    seed: u64,
    scale: u32,
    defects_injected: &'static str,
    tables: Vec<TableRows>,
    xml: XmlFile,
    dfe_xml: DfeFile,
    defects: Vec<Located>,
}

#[derive(Serialize)]
struct DfeFile {
    file: &'static str,
    lines: u64,
}

/// A table's records in the DfE layout: the element path, the records written, and how many a
/// correct load transfers.
#[derive(Serialize)]
struct DfeRows {
    path: &'static str,
    rows: u64,
    transferred: u64,
}

#[derive(Serialize)]
struct TableRows {
    table: &'static str,
    csv: String,
    xml_element: &'static str,
    rows: u64,
    transferred: u64,
    dfe_xml: Option<DfeRows>,
}

#[derive(Serialize)]
struct XmlFile {
    file: &'static str,
    lines: u64,
    header_stubs: u64,
}

#[derive(Serialize)]
struct Located {
    rule: &'static str,
    validator: Option<&'static str>,
    table: &'static str,
    child: String,
    csv: CsvPlace,
    xml: XmlPlace,
    dfe_xml: Option<XmlPlace>,
    #[serde(skip_serializing_if = "Option::is_none")]
    dfe_xml_absent: Option<&'static str>,
}

#[derive(Serialize)]
struct CsvPlace {
    file: String,
    line: u64,
}

#[derive(Serialize)]
struct XmlPlace {
    file: &'static str,
    line: u64,
    /// Column (in characters) of the record's start tag `<`, as findings give it (#12).
    col: u64,
    path: String,
}

impl XmlPlace {
    fn new(file: &'static str, at: Place, path: String) -> Self {
        XmlPlace {
            file,
            line: at.line,
            col: at.col,
            path,
        }
    }
}

/// Writes expected.json.
pub fn write(ctx: &Ctx, defects: Defects, done: &Finished, path: &Path) -> anyhow::Result<()> {
    let (y, m, d) = dates::ymd(ctx.as_at);
    let mut located: Vec<Located> = Vec::with_capacity(done.placed.len());
    for p in &done.placed {
        let s = SPECS[p.spec];
        let dfe_xml = match (p.dfe, dfe::path(s.table)) {
            (Some(at), Some(path)) => Some(XmlPlace::new(dfe::FILE, at, path.to_string())),
            _ => None,
        };
        let dfe_xml_absent = dfe::absent(p.spec);
        if dfe_xml.is_some() == dfe_xml_absent.is_some() {
            bail!(
                "the {} defect of child {} is not where the DfE layout should put it",
                s.rule,
                p.child
            );
        }
        located.push({
            Located {
                rule: s.rule,
                validator: s.validator,
                table: s.table.name(),
                child: p.child.to_string(),
                csv: CsvPlace {
                    file: s.table.csv_file(),
                    line: p.csv_line,
                },
                xml: XmlPlace::new(
                    XML_FILE,
                    p.xml,
                    format!("EXPSSDA903/CHILD/{}", s.table.element()),
                ),
                dfe_xml,
                dfe_xml_absent,
            }
        });
    }
    located.sort_by(|a, b| (&a.csv.file, a.csv.line).cmp(&(&b.csv.file, b.csv.line)));
    let tables = TABLES
        .iter()
        .map(|t| {
            let rejected = done
                .placed
                .iter()
                .filter(|p| SPECS[p.spec].table == *t)
                .filter(|p| matches!(SPECS[p.spec].does, Break::Orphan | Break::Twice))
                .count() as u64;
            let dfe_rejected = done
                .placed
                .iter()
                .filter(|p| SPECS[p.spec].table == *t && p.dfe.is_some())
                .filter(|p| SPECS[p.spec].does == Break::Twice)
                .count() as u64;
            let dfe_rows = done.dfe_rows[t.index()];
            TableRows {
                dfe_xml: dfe::path(*t).map(|path| DfeRows {
                    path,
                    rows: dfe_rows,
                    transferred: dfe_rows - dfe_rejected,
                }),
                table: t.name(),
                csv: t.csv_file(),
                xml_element: t.element(),
                rows: done.rows[t.index()],
                transferred: done.rows[t.index()] - rejected,
            }
        })
        .collect();
    let doc = Expected {
        r#return: "ssda903",
        as_at: format!("{y:04}-{m:02}-{d:02}"),
        collection_year: format!("{}-{:02}", y - 1, y % 100),
        seed: ctx.seed,
        scale: ctx.scale,
        defects_injected: match defects {
            Defects::None => "none",
            Defects::Integrity => "integrity",
        },
        tables,
        xml: XmlFile {
            file: XML_FILE,
            lines: done.xml_lines,
            header_stubs: done.header_stubs,
        },
        dfe_xml: DfeFile {
            file: dfe::FILE,
            lines: done.dfe_lines,
        },
        defects: located,
    };
    let mut text = serde_json::to_string_pretty(&doc).context("failed to render expected.json")?;
    text.push('\n');
    std::fs::write(path, text).with_context(|| format!("failed to write `{}`", path.display()))
}
