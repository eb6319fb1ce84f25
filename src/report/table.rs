//! Text tables drawn with tabled: the terminal summary that `migrate` prints ([`summary`]: the
//! ledger, why rows were excluded, the controls with what they count, findings per rule and the
//! findings themselves, then the verdict and the next step), and the whole report as text
//! ([`TableWriter`], report.txt). Rows come from [`super::sections`]; numbers are right-aligned,
//! and terminal output is fitted to the terminal's width, wrapping between words (issue #13).
use tabled::builder::Builder;
use tabled::settings::object::Columns;
use tabled::settings::{Alignment, Padding, Style};

use super::fit;
use super::sections::{self, Kind, Section};
use super::{Document, ReportWriter, location};

/// Findings the terminal summary lists; the rest are counted.
pub const SUMMARY_FINDINGS: usize = 50;

/// Writes the whole report as text tables (report.txt), at no fixed width so that the file is
/// the same wherever it is written.
pub struct TableWriter;

impl ReportWriter for TableWriter {
    fn write(&self, doc: &Document) -> anyhow::Result<Vec<u8>> {
        let r = doc.rec;
        let mut out = format!("Handover reconciliation\n\n{}", verdict(doc, None));
        for s in [
            sections::run(doc),
            sections::inputs(r),
            sections::mappings(r),
            ledger(r),
            sections::exclusions(r),
            sections::controls(r),
            sections::rules(r, &doc.labels),
        ] {
            block(&mut out, &s, None);
        }
        if !r.findings.is_empty() {
            let rows = r.findings.iter().map(finding_row).collect();
            block(&mut out, &findings_section("Findings", rows), None);
        }
        for b in &r.breakdowns {
            block(&mut out, &sections::breakdown(b, &doc.labels), None);
        }
        let mut figures = sections::figures(r);
        figures.title = format!("Service figures (source side: {})", r.figures.source_side);
        block(&mut out, &figures, None);
        Ok(out.into_bytes())
    }
}

/// The ledger with whether each line adds up (`yes`, or `NO`): the equation in the title.
fn ledger(r: &super::Reconciliation) -> Section {
    let mut s = sections::ledger(r);
    s.headers.push("adds up".to_string());
    for (row, e) in s.rows.iter_mut().zip(&r.entities) {
        let text = if e.balances() { "yes" } else { "NO" };
        row.push(sections::Cell {
            text: text.to_string(),
            kind: Kind::Verdict(!e.balances()),
        });
    }
    s
}

/// The width to fit terminal output to: `COLUMNS` when set, else the terminal's width when
/// stdout is a terminal; `None` (no limit) when piped.
pub fn terminal_width() -> Option<usize> {
    if let Some(n) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse().ok())
    {
        return Some(n);
    }
    terminal_size::terminal_size_of(std::io::stdout()).map(|(w, _)| usize::from(w.0))
}

/// `title`, then the section as a table, after a blank line.
fn block(out: &mut String, s: &Section, width: Option<usize>) {
    out.push_str(&format!("\n{}\n{}\n", s.title, section_table(s, width)));
}

/// A section as a text table: columns of numbers right-aligned, fitted to `width` when given.
pub fn section_table(s: &Section, width: Option<usize>) -> String {
    let right: Vec<usize> = (0..s.headers.len())
        .filter(|&i| {
            !s.rows.is_empty()
                && s.rows
                    .iter()
                    .all(|r| r.get(i).is_some_and(|c| c.kind == Kind::Num))
        })
        .collect();
    let header: Vec<&str> = s.headers.iter().map(String::as_str).collect();
    fitted(&header, s.plain_rows(), &right, width)
}

/// Rows under a header, the `right` columns right-aligned, wrapped between words to `width`.
pub(super) fn fitted(
    header: &[&str],
    rows: impl IntoIterator<Item = Vec<String>>,
    right: &[usize],
    width: Option<usize>,
) -> String {
    let mut all = vec![header.iter().map(|h| h.to_string()).collect::<Vec<_>>()];
    all.extend(rows);
    let mut padded = true;
    if let Some(total) = width {
        let (widths, pad) = fit::layout(&all, total);
        padded = pad;
        for row in &mut all {
            for (cell, w) in row.iter_mut().zip(&widths) {
                *cell = fit::wrap(cell, *w).join("\n");
            }
        }
    }
    let mut b = Builder::default();
    for row in all {
        b.push_record(row);
    }
    let mut table = b.build();
    table.with(Style::sharp());
    if !padded {
        table.with(Padding::zero());
    }
    for &i in right {
        table.modify(Columns::one(i), Alignment::right());
    }
    table.to_string()
}

/// Prose wrapped to `width` between words.
fn wrap(text: &str, width: Option<usize>) -> String {
    fit::wrap_text(text, width)
}

/// The verdict and the next step, as two paragraphs.
pub fn verdict(doc: &Document, width: Option<usize>) -> String {
    let v = &doc.verdict;
    let line = format!("{}: {}", v.label(), v.headline);
    let next = format!("Next: {}", v.next_step);
    format!("{}\n{}\n", wrap(&line, width), wrap(&next, width))
}

/// One finding in two lines for a terminal: where, severity, rule and record; then, indented, the
/// export's column and the message (which names the company field), each wrapped to `width`.
pub(super) fn finding_lines(f: &crate::check::Finding, width: Option<usize>) -> String {
    let record = format!("{} {}", f.entity, f.key.as_deref().unwrap_or("-"));
    let first = format!(
        "{} {}  {record}  {}",
        f.severity.as_str(),
        f.rule,
        location(f)
    );
    let column = f
        .column
        .as_deref()
        .map(|c| format!("column \"{c}\": "))
        .unwrap_or_default();
    let second = format!("{column}{}", f.message);
    let indent = |text: String| {
        let wrapped = wrap(&text, width.map(|w| w.saturating_sub(4).max(20)));
        wrapped
            .lines()
            .map(|l| format!("    {l}\n"))
            .collect::<String>()
    };
    format!("{}\n{}", wrap(&first, width), indent(second))
}

/// One finding as a row: where, rule, severity, record, the export's column, message.
fn finding_row(f: &crate::check::Finding) -> Vec<sections::Cell> {
    let t = |s: String| sections::Cell {
        text: s,
        kind: Kind::Text,
    };
    vec![
        t(location(f)),
        t(f.rule.clone()),
        t(f.severity.as_str().to_string()),
        t(format!("{} {}", f.entity, f.key.as_deref().unwrap_or("-"))),
        t(f.column.clone().unwrap_or_else(|| "-".to_string())),
        t(f.message.clone()),
    ]
}

fn findings_section(title: &str, rows: Vec<Vec<sections::Cell>>) -> Section {
    Section {
        title: title.to_string(),
        headers: [
            "where",
            "rule",
            "severity",
            "record",
            "export column",
            "message",
        ]
        .map(String::from)
        .to_vec(),
        rows,
        more: 0,
    }
}

/// The terminal summary `migrate` prints: ledger, exclusions, controls, findings by rule, the
/// first [`SUMMARY_FINDINGS`] findings, then the verdict and the next step, fitted to `width`.
pub fn summary(doc: &Document, width: Option<usize>) -> String {
    let r = doc.rec;
    let mut ledger = ledger(r);
    ledger.title = "Ledger (source rows = transferred + excluded + rejected)".to_string();
    let mut out = String::new();
    block(&mut out, &ledger, width);
    if !r.exclusions.is_empty() {
        let mut s = sections::exclusions(r);
        s.title = "Excluded by scope rules (these rows stay with the council)".to_string();
        block(&mut out, &s, width);
    }
    if !r.controls.is_empty() {
        block(&mut out, &sections::controls(r), width);
    }
    match r.findings.len() {
        0 => out.push_str("\nFindings: none\n"),
        n => {
            block(&mut out, &sections::rules(r, &doc.labels), width);
            let title = match n > SUMMARY_FINDINGS {
                true => format!(
                    "Findings (the first {SUMMARY_FINDINGS} of {n}; --format json or --report DIR has them all)"
                ),
                false => format!("Findings ({n})"),
            };
            out.push_str(&format!("\n{}\n", wrap(&title, width)));
            for f in r.findings.iter().take(SUMMARY_FINDINGS) {
                out.push_str(&finding_lines(f, width));
            }
        }
    }
    out.push('\n');
    out.push_str(&verdict(doc, width));
    out
}
