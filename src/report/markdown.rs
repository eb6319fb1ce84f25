//! The reconciliation as Markdown that reads well as a pull-request comment: the run, inputs,
//! mapping files, the ledger with its equation, exclusions, controls, findings by rule (at most
//! [`super::FINDINGS_PER_RULE`] shown per rule), breakdowns and the service figures. The rows come
//! from [`super::sections`]; this file only writes them as Markdown.
use std::fmt::Write;

use super::sections::{self, Cell, Kind, Section};
use super::{Document, Reconciliation, ReportWriter};

/// Writes report.md.
pub struct MarkdownWriter;

impl ReportWriter for MarkdownWriter {
    fn write(&self, doc: &Document) -> anyhow::Result<Vec<u8>> {
        let (mut out, r) = (String::new(), doc.rec);
        run(&mut out, doc)?;
        ledger(&mut out, r)?;
        controls(&mut out, r)?;
        findings(&mut out, doc)?;
        breakdowns(&mut out, doc)?;
        figures(&mut out, r)?;
        if doc.sign_off {
            sign_off(&mut out)?;
        }
        Ok(out.into_bytes())
    }
}

/// Text safe inside a Markdown table cell.
fn md(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\n', '\r'], " ")
        .replace('<', "&lt;")
}

/// A cell as Markdown: hashes in backticks, alerts and bad verdicts in bold.
fn cell(c: &Cell) -> String {
    match c.kind {
        Kind::Code => format!("`{}`", md(&c.text)),
        Kind::Alert | Kind::Verdict(true) => format!("**{}**", md(&c.text)),
        Kind::Text | Kind::Id | Kind::Num | Kind::Verdict(false) => md(&c.text),
    }
}

/// The table's rows, then a blank line.
fn body(out: &mut String, rows: &[Vec<Cell>]) -> std::fmt::Result {
    for row in rows {
        let cells: Vec<String> = row.iter().map(cell).collect();
        writeln!(out, "| {} |", cells.join(" | "))?;
    }
    writeln!(out)
}

/// A section as a Markdown table under its headers.
fn table(out: &mut String, s: &Section) -> std::fmt::Result {
    writeln!(out, "| {} |", s.headers.join(" | "))?;
    writeln!(out, "|{}", "---|".repeat(s.headers.len()))?;
    body(out, &s.rows)
}

fn run(out: &mut String, doc: &Document) -> std::fmt::Result {
    let r = doc.rec;
    writeln!(out, "# Handover reconciliation\n")?;
    let v = &doc.verdict;
    writeln!(
        out,
        "> **{}:** {}\n>\n> **Next:** {}\n",
        v.label(),
        md(&v.headline),
        md(&v.next_step)
    )?;
    writeln!(out, "| | |\n|---|---|")?;
    body(out, &sections::run(doc).rows)?;
    writeln!(out, "## Inputs\n")?;
    table(out, &sections::inputs(r))?;
    writeln!(out, "## Mapping files\n")?;
    table(out, &sections::mappings(r))
}

fn ledger(out: &mut String, r: &Reconciliation) -> std::fmt::Result {
    writeln!(out, "## Ledger\n")?;
    let mut s = sections::ledger(r);
    let equation = "source rows = transferred + excluded + rejected";
    s.headers.insert(1, equation.to_string());
    for (row, e) in s.rows.iter_mut().zip(&r.entities) {
        let ok = match e.balances() {
            true => "=",
            false => "≠ (DOES NOT BALANCE)",
        };
        let text = format!(
            "{} {ok} {} + {} + {}",
            e.source_rows, e.transferred, e.excluded, e.rejected
        );
        row.insert(
            1,
            Cell {
                text,
                kind: Kind::Text,
            },
        );
    }
    table(out, &s)?;
    if !r.exclusions.is_empty() {
        writeln!(out, "### Exclusions\n")?;
        table(out, &sections::exclusions(r))?;
    }
    Ok(())
}

fn controls(out: &mut String, r: &Reconciliation) -> std::fmt::Result {
    writeln!(out, "## Controls\n")?;
    if r.controls.is_empty() {
        return writeln!(out, "No control totals.\n");
    }
    table(out, &sections::controls(r))
}

fn findings(out: &mut String, doc: &Document) -> std::fmt::Result {
    let r = doc.rec;
    writeln!(out, "## Findings\n")?;
    if r.rules.is_empty() {
        return writeln!(out, "No findings.\n");
    }
    table(out, &sections::rules(r, &doc.labels))?;
    for s in sections::findings(r, &doc.labels) {
        writeln!(out, "### {}\n", s.title)?;
        table(out, &s)?;
        if let Some(note) = s.more_note() {
            writeln!(out, "{note}\n")?;
        }
    }
    Ok(())
}

fn breakdowns(out: &mut String, doc: &Document) -> std::fmt::Result {
    let r = doc.rec;
    writeln!(out, "## Breakdowns\n")?;
    for b in &r.breakdowns {
        let s = sections::breakdown(b, &doc.labels);
        writeln!(out, "### {}\n", s.title)?;
        table(out, &s)?;
    }
    Ok(())
}

fn figures(out: &mut String, r: &Reconciliation) -> std::fmt::Result {
    writeln!(out, "## Service figures\n")?;
    writeln!(out, "Source side: {}.\n", r.figures.source_side)?;
    table(out, &sections::figures(r))?;
    let n = r.figures.disagreements();
    if n > 0 {
        writeln!(
            out,
            "> **Warning:** {n} figures disagree between the source exports and the company database (rejected rows are the usual cause; see the findings).\n"
        )?;
    }
    Ok(())
}

/// The block an auditor signs.
fn sign_off(out: &mut String) -> std::fmt::Result {
    writeln!(out, "## Sign-off\n")?;
    writeln!(out, "| | |\n|---|---|")?;
    for what in ["Checked by", "Role", "Signature", "Date"] {
        writeln!(out, "| {what} | |")?;
    }
    writeln!(out)
}
