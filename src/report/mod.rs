//! The reconciliation report. [`model`] reads it from a company database and [`build()`] makes the
//! shareable form (source-side figures recomputed, personal values redacted); one file per format
//! renders it through [`ReportWriter`]: [`table`], [`markdown`], [`html`], [`json`], [`csv`] and
//! [`xlsx`] (docs/report.md). Each renders a [`Document`]: the reconciliation with its verdict,
//! recorded parameters and database provenance ([`document`]). [`sections`] holds the rows that
//! Markdown, HTML and the text tables share, [`labels`] the words for codes. [`diff`] compares
//! two runs.

pub mod breakdowns;
pub mod build;
pub mod csv;
pub mod diff;
pub mod document;
pub mod figures;
pub mod fit;
pub mod html;
pub mod json;
pub mod labels;
pub mod markdown;
pub mod model;
pub mod privacy;
pub mod sections;
pub mod table;
pub mod xlsx;

use std::path::Path;

pub use build::{Options, build};
pub use document::{Document, Status, Verdict};
pub use model::Reconciliation;

/// Findings shown per rule in Markdown and HTML; the rest are counted.
pub const FINDINGS_PER_RULE: usize = 20;

/// Renders a reconciliation, with its verdict and provenance, in one format.
pub trait ReportWriter {
    /// The report's bytes.
    fn write(&self, doc: &Document) -> anyhow::Result<Vec<u8>>;
}

/// A report format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Tables for a terminal (report.txt).
    Table,
    /// Markdown, for a pull-request comment (report.md).
    Md,
    /// A self-contained HTML page with charts (report.html).
    Html,
    /// JSON, as docs/report.md documents (report.json).
    Json,
    /// Every finding as CSV (findings.csv).
    Csv,
    /// An Excel workbook, one sheet per section (report.xlsx).
    Xlsx,
}

impl Format {
    /// Every format, in the order `migrate --report` writes them.
    pub const ALL: [Format; 6] = [
        Format::Table,
        Format::Md,
        Format::Html,
        Format::Json,
        Format::Csv,
        Format::Xlsx,
    ];

    /// The file name `migrate --report DIR` gives this format.
    pub fn file_name(self) -> &'static str {
        match self {
            Format::Table => "report.txt",
            Format::Md => "report.md",
            Format::Html => "report.html",
            Format::Json => "report.json",
            Format::Csv => "findings.csv",
            Format::Xlsx => "report.xlsx",
        }
    }

    /// The writer for this format.
    pub fn writer(self) -> Box<dyn ReportWriter> {
        match self {
            Format::Table => Box::new(table::TableWriter),
            Format::Md => Box::new(markdown::MarkdownWriter),
            Format::Html => Box::new(html::HtmlWriter),
            Format::Json => Box::new(json::JsonWriter),
            Format::Csv => Box::new(csv::CsvWriter),
            Format::Xlsx => Box::new(xlsx::XlsxWriter),
        }
    }
}

/// Writes every format into `dir` (created if missing), each file with mode 0600.
pub fn write_all(dir: &Path, doc: &Document) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)
        .map_err(|e| anyhow::anyhow!("failed to create `{}`: {e}", dir.display()))?;
    for format in Format::ALL {
        let bytes = format.writer().write(doc)?;
        crate::fsx::write_private(&dir.join(format.file_name()), &bytes)?;
    }
    Ok(())
}

/// A figure as text: `92%`, `19`, or `not available` with the reason when there is one.
pub fn figure_text(value: Option<i64>, unit: &str, unavailable: Option<&str>) -> String {
    match (value, unit) {
        (None, _) => match unavailable {
            Some(why) => format!("not available ({why})"),
            None => "not available".to_string(),
        },
        (Some(v), "percent") => format!("{v}%"),
        (Some(v), _) => v.to_string(),
    }
}

/// `agrees`, `DISAGREES` or `-` (one side unknown).
pub fn agreement(f: &figures::Figure) -> &'static str {
    match f.agree {
        Some(true) => "agrees",
        Some(false) => "DISAGREES",
        None => "-",
    }
}

/// Findings grouped by rule (in the order of `rec.rules`), at most `cap` per rule, with how many
/// were left out.
pub fn capped_findings(
    rec: &Reconciliation,
    cap: usize,
) -> Vec<(&model::RuleCount, Vec<&crate::check::Finding>, usize)> {
    rec.rules
        .iter()
        .map(|r| {
            let all: Vec<_> = rec
                .findings
                .iter()
                .filter(|f| f.rule == r.rule && f.severity.as_str() == r.severity)
                .collect();
            let rest = all.len().saturating_sub(cap);
            (r, all.into_iter().take(cap).collect(), rest)
        })
        .collect()
}

/// Where a finding is: `file:line` (with the sheet for spreadsheets, the record path for XML),
/// then `:col` where the row's format has a column (XML, #12), or `-`.
pub fn location(f: &crate::check::Finding) -> String {
    let at = match (f.line, f.col) {
        (Some(line), Some(col)) => format!("{line}:{col}"),
        (Some(line), None) => line.to_string(),
        (None, _) => String::new(),
    };
    match (&f.file, &f.sheet, f.line) {
        (Some(file), Some(sheet), Some(_)) => format!("{file} [{sheet}]:{at}"),
        (Some(file), None, Some(_)) => format!("{file}:{at}"),
        (Some(file), _, None) => file.clone(),
        _ => "-".to_string(),
    }
}
