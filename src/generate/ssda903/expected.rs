//! The return's ground truth, `expected.json`: the rows of each file and how many of them a
//! correct load transfers, and one entry per injected defect with the rule code the dry run gives
//! it, the validator's rule, the table, the child, and its place in each form (CSV file and line;
//! XML file, line of the record's start tag and element path). Tests only; the product never
//! reads it.
use std::path::Path;

use anyhow::Context;
use serde::Serialize;

use super::super::{Ctx, dates};
use super::Defects;
use super::defects::{Break, SPECS};
use super::tables::TABLES;
use super::write::{Finished, XML_FILE};

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
    defects: Vec<Located>,
}

#[derive(Serialize)]
struct TableRows {
    table: &'static str,
    csv: String,
    xml_element: &'static str,
    rows: u64,
    transferred: u64,
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
    path: String,
}

/// Writes expected.json.
pub fn write(ctx: &Ctx, defects: Defects, done: &Finished, path: &Path) -> anyhow::Result<()> {
    let (y, m, d) = dates::ymd(ctx.as_at);
    let mut located: Vec<Located> = done
        .placed
        .iter()
        .map(|p| {
            let s = SPECS[p.spec];
            Located {
                rule: s.rule,
                validator: s.validator,
                table: s.table.name(),
                child: p.child.to_string(),
                csv: CsvPlace {
                    file: s.table.csv_file(),
                    line: p.csv_line,
                },
                xml: XmlPlace {
                    file: XML_FILE,
                    line: p.xml_line,
                    path: format!("EXPSSDA903/CHILD/{}", s.table.element()),
                },
            }
        })
        .collect();
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
            TableRows {
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
        defects: located,
    };
    let mut text = serde_json::to_string_pretty(&doc).context("failed to render expected.json")?;
    text.push('\n');
    std::fs::write(path, text).with_context(|| format!("failed to write `{}`", path.display()))
}
