//! The reconciliation as one self-contained HTML page: inline, print-friendly CSS, inline SVG
//! charts (the ledger as stacked bars per entity, the placement mix), and no script, font, style
//! sheet or image fetched from anywhere. The tables' rows come from [`super::sections`].
use std::fmt::Write;

use super::breakdowns::Breakdown;
use super::sections::{self, Cell, Kind, Section};
use super::{Reconciliation, ReportWriter};

/// Writes report.html.
pub struct HtmlWriter;

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2em auto;max-width:60em;color:#222}
table{border-collapse:collapse;margin:0 0 1.5em;max-width:100%}th,td{border:1px solid #bbb;padding:.25em .6em;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:#eee;overflow-wrap:normal}td.n{text-align:right;white-space:nowrap;overflow-wrap:normal}.bad{color:#a00;font-weight:bold}.ok{color:#070}
code{font-size:.85em;word-break:break-all}h2{border-bottom:2px solid #333;margin-top:2em}
@media print{body{margin:0;max-width:none}h2{page-break-after:avoid}table{page-break-inside:auto}tr{page-break-inside:avoid}}";

impl ReportWriter for HtmlWriter {
    fn write(&self, r: &Reconciliation) -> anyhow::Result<Vec<u8>> {
        let mut out = String::new();
        writeln!(
            out,
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        )?;
        writeln!(
            out,
            "<title>Handover reconciliation</title><style>{STYLE}</style></head><body>"
        )?;
        run(&mut out, r)?;
        ledger(&mut out, r)?;
        controls(&mut out, r)?;
        findings(&mut out, r)?;
        breakdowns(&mut out, r)?;
        figures(&mut out, r)?;
        writeln!(out, "</body></html>")?;
        Ok(out.into_bytes())
    }
}

/// Escapes text for HTML content and attributes.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A section as a table: cells escaped, numbers right-aligned, verdicts coloured.
fn table(out: &mut String, s: &Section) -> std::fmt::Result {
    out.push_str("<table><thead><tr>");
    for h in &s.headers {
        write!(out, "<th>{}</th>", esc(h))?;
    }
    out.push_str("</tr></thead><tbody>\n");
    for row in &s.rows {
        out.push_str("<tr>");
        for c in row {
            match c.kind {
                Kind::Num => write!(out, "<td class=\"n\">{}</td>", esc(&c.text))?,
                Kind::Verdict(true) => write!(out, "<td class=\"bad\">{}</td>", esc(&c.text))?,
                Kind::Verdict(false) => write!(out, "<td class=\"ok\">{}</td>", esc(&c.text))?,
                Kind::Text | Kind::Code | Kind::Alert => write!(out, "<td>{}</td>", esc(&c.text))?,
            }
        }
        out.push_str("</tr>\n");
    }
    writeln!(out, "</tbody></table>")
}

fn run(out: &mut String, r: &Reconciliation) -> std::fmt::Result {
    writeln!(out, "<h1>Handover reconciliation</h1>")?;
    table(out, &sections::run(r))?;
    writeln!(out, "<h2>Inputs</h2>")?;
    table(out, &sections::inputs(r))?;
    writeln!(out, "<h2>Mapping files</h2>")?;
    table(out, &sections::mappings(r))
}

fn ledger(out: &mut String, r: &Reconciliation) -> std::fmt::Result {
    writeln!(
        out,
        "<h2>Ledger</h2><p>For every entity, source rows = transferred + excluded + rejected.</p>"
    )?;
    let mut s = sections::ledger(r);
    s.headers.push("equation".to_string());
    for (row, e) in s.rows.iter_mut().zip(&r.entities) {
        let ok = match e.balances() {
            true => "balances",
            false => "DOES NOT BALANCE",
        };
        row.push(Cell {
            text: ok.to_string(),
            kind: Kind::Text,
        });
    }
    table(out, &s)?;
    ledger_chart(out, r)?;
    if !r.exclusions.is_empty() {
        writeln!(out, "<h3>Exclusions</h3>")?;
        table(out, &sections::exclusions(r))?;
    }
    Ok(())
}

/// Stacked horizontal bars, one per entity: transferred, excluded, rejected.
fn ledger_chart(out: &mut String, r: &Reconciliation) -> std::fmt::Result {
    let max = r
        .entities
        .iter()
        .map(|e| e.source_rows)
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let height = 24 * r.entities.len() + 30;
    writeln!(
        out,
        "<svg role=\"img\" aria-label=\"Ledger per entity\" width=\"640\" height=\"{height}\" viewBox=\"0 0 640 {height}\">"
    )?;
    for (i, e) in r.entities.iter().enumerate() {
        let y = 24 * i;
        writeln!(
            out,
            "<text x=\"0\" y=\"{}\" font-size=\"12\">{}</text>",
            y + 15,
            esc(&e.entity)
        )?;
        let mut x = 130.0;
        for (n, colour, what) in [
            (e.transferred, "#2a7", "transferred"),
            (e.excluded, "#999", "excluded"),
            (e.rejected, "#c33", "rejected"),
        ] {
            let w = 400.0 * n as f64 / max;
            writeln!(
                out,
                "<rect x=\"{x:.1}\" y=\"{}\" width=\"{w:.1}\" height=\"18\" fill=\"{colour}\"><title>{what}: {n}</title></rect>",
                y + 2
            )?;
            x += w;
        }
        writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{}\" font-size=\"12\">{}</text>",
            x + 6.0,
            y + 15,
            e.source_rows
        )?;
    }
    let y = 24 * r.entities.len() + 18;
    writeln!(
        out,
        "<text x=\"130\" y=\"{y}\" font-size=\"12\"><tspan fill=\"#2a7\">■ transferred</tspan> <tspan fill=\"#999\">■ excluded</tspan> <tspan fill=\"#c33\">■ rejected</tspan></text></svg>"
    )
}

fn controls(out: &mut String, r: &Reconciliation) -> std::fmt::Result {
    writeln!(out, "<h2>Controls</h2>")?;
    table(out, &sections::controls(r))
}

fn findings(out: &mut String, r: &Reconciliation) -> std::fmt::Result {
    writeln!(out, "<h2>Findings</h2>")?;
    if r.rules.is_empty() {
        return writeln!(out, "<p class=\"ok\">No findings.</p>");
    }
    table(out, &sections::rules(r))?;
    for s in sections::findings(r) {
        writeln!(out, "<h3>{}</h3>", esc(&s.title))?;
        table(out, &s)?;
        if let Some(note) = s.more_note() {
            writeln!(out, "<p>{note}</p>")?;
        }
    }
    Ok(())
}

fn breakdowns(out: &mut String, r: &Reconciliation) -> std::fmt::Result {
    writeln!(out, "<h2>Breakdowns</h2>")?;
    for b in &r.breakdowns {
        writeln!(out, "<h3>{}</h3>", esc(&b.title))?;
        if b.name == "looked_after_by_placement_type" {
            bar_chart(out, b)?;
        }
        table(out, &sections::breakdown(b))?;
    }
    Ok(())
}

/// A horizontal bar per value of a breakdown.
fn bar_chart(out: &mut String, b: &Breakdown) -> std::fmt::Result {
    let max = b.rows.iter().map(|x| x.count).max().unwrap_or(0).max(1) as f64;
    let height = 22 * b.rows.len() + 4;
    writeln!(
        out,
        "<svg role=\"img\" aria-label=\"{}\" width=\"640\" height=\"{height}\" viewBox=\"0 0 640 {height}\">",
        esc(&b.title)
    )?;
    for (i, x) in b.rows.iter().enumerate() {
        let y = 22 * i;
        let w = 420.0 * x.count as f64 / max;
        writeln!(
            out,
            "<text x=\"0\" y=\"{}\" font-size=\"12\">{}</text>",
            y + 14,
            esc(&x.value)
        )?;
        writeln!(
            out,
            "<rect x=\"130\" y=\"{}\" width=\"{w:.1}\" height=\"16\" fill=\"#37a\"/>",
            y + 2
        )?;
        writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{}\" font-size=\"12\">{}</text>",
            136.0 + w,
            y + 14,
            x.count
        )?;
    }
    writeln!(out, "</svg>")
}

fn figures(out: &mut String, r: &Reconciliation) -> std::fmt::Result {
    writeln!(
        out,
        "<h2>Service figures</h2><p>Source side: {}.</p>",
        esc(&r.figures.source_side)
    )?;
    let n = r.figures.disagreements();
    if n > 0 {
        writeln!(
            out,
            "<p class=\"bad\">{n} figures disagree between the source exports and the company database.</p>"
        )?;
    }
    table(out, &sections::figures(r))
}
