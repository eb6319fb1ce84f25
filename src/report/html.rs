//! The reconciliation as one self-contained HTML page: inline, print-friendly CSS, inline SVG
//! charts (the ledger as stacked bars per entity, the placement mix), and no script, font, style
//! sheet or image fetched from anywhere.
use std::fmt::Write;

use super::breakdowns::Breakdown;
use super::{FINDINGS_PER_RULE, Reconciliation, ReportWriter, agreement, figure_text, location};

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

/// A table; cells are escaped, and a cell starting with `#` is right-aligned (a number).
fn table(out: &mut String, header: &[&str], rows: &[Vec<String>]) -> std::fmt::Result {
    out.push_str("<table><thead><tr>");
    for h in header {
        write!(out, "<th>{}</th>", esc(h))?;
    }
    out.push_str("</tr></thead><tbody>\n");
    for row in rows {
        out.push_str("<tr>");
        for c in row {
            match c.strip_prefix('#') {
                Some(n) => write!(out, "<td class=\"n\">{}</td>", esc(n))?,
                None => write!(out, "<td>{}</td>", esc(c))?,
            }
        }
        out.push_str("</tr>\n");
    }
    writeln!(out, "</tbody></table>")
}

fn num(n: impl ToString) -> String {
    format!("#{}", n.to_string())
}

fn run(out: &mut String, r: &Reconciliation) -> std::fmt::Result {
    let run = &r.run;
    writeln!(out, "<h1>Handover reconciliation</h1>")?;
    let rows: Vec<Vec<String>> = [
        ("tool version", run.tool_version.clone()),
        ("mode", run.mode.clone()),
        ("as at", run.as_at.clone().unwrap_or_else(|| "-".into())),
        ("started at", run.started_at.clone()),
        ("mappings", run.mappings_dir.clone()),
        ("input", run.input_dir.clone()),
        ("personal data", r.personal_data.clone()),
    ]
    .into_iter()
    .map(|(k, v)| vec![k.to_string(), v])
    .collect();
    table(out, &["run", ""], &rows)?;
    writeln!(out, "<h2>Inputs</h2>")?;
    let rows: Vec<_> = r
        .inputs
        .iter()
        .map(|i| vec![i.path.clone(), num(i.size), num(i.rows), i.sha256.clone()])
        .collect();
    table(out, &["file", "bytes", "rows", "SHA-256"], &rows)?;
    writeln!(out, "<h2>Mapping files</h2>")?;
    let rows: Vec<_> = r
        .mappings
        .iter()
        .map(|m| vec![m.path.clone(), m.sha256.clone()])
        .collect();
    table(out, &["file", "SHA-256"], &rows)
}

fn ledger(out: &mut String, r: &Reconciliation) -> std::fmt::Result {
    writeln!(
        out,
        "<h2>Ledger</h2><p>For every entity, source rows = transferred + excluded + rejected.</p>"
    )?;
    let rows: Vec<_> = r
        .entities
        .iter()
        .map(|e| {
            let ok = if e.balances() {
                "balances"
            } else {
                "DOES NOT BALANCE"
            };
            vec![
                e.entity.clone(),
                num(e.source_rows),
                num(e.transferred),
                num(e.excluded),
                num(e.rejected),
                ok.to_string(),
            ]
        })
        .collect();
    table(
        out,
        &[
            "entity",
            "source rows",
            "transferred",
            "excluded",
            "rejected",
            "equation",
        ],
        &rows,
    )?;
    ledger_chart(out, r)?;
    if !r.exclusions.is_empty() {
        writeln!(out, "<h3>Exclusions</h3>")?;
        let rows: Vec<_> = r
            .exclusions
            .iter()
            .map(|x| vec![x.entity.clone(), x.reason.clone(), num(x.rows)])
            .collect();
        table(out, &["entity", "reason", "rows"], &rows)?;
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
    let rows: Vec<_> = r
        .controls
        .iter()
        .map(|c| {
            let expected = c.expected.map_or("-".to_string(), |e| e.to_string());
            let result = if c.ok { "ok" } else { "FAILED" };
            vec![
                c.name.clone(),
                c.description.clone(),
                num(expected),
                num(c.actual),
                result.to_string(),
            ]
        })
        .collect();
    table(
        out,
        &["control", "what", "expected", "actual", "result"],
        &rows,
    )
}

fn findings(out: &mut String, r: &Reconciliation) -> std::fmt::Result {
    writeln!(out, "<h2>Findings</h2>")?;
    if r.rules.is_empty() {
        return writeln!(out, "<p class=\"ok\">No findings.</p>");
    }
    let rows: Vec<_> = r
        .rules
        .iter()
        .map(|x| {
            vec![
                x.rule.clone(),
                x.kind.clone(),
                x.severity.clone(),
                num(x.count),
            ]
        })
        .collect();
    table(out, &["rule", "kind", "severity", "findings"], &rows)?;
    for (rule, shown, rest) in super::capped_findings(r, FINDINGS_PER_RULE) {
        writeln!(
            out,
            "<h3>{} ({}, {})</h3>",
            esc(&rule.rule),
            esc(&rule.kind),
            esc(&rule.severity)
        )?;
        let rows: Vec<_> = shown
            .iter()
            .map(|f| {
                vec![
                    f.entity.clone(),
                    f.key.clone().unwrap_or_else(|| "-".into()),
                    location(f),
                    f.column.clone().unwrap_or_default(),
                    f.message.clone(),
                ]
            })
            .collect();
        table(
            out,
            &["entity", "record", "where", "column", "message"],
            &rows,
        )?;
        if rest > 0 {
            writeln!(
                out,
                "<p>… and {rest} more (all of them are in report.json, findings.csv and report.xlsx).</p>"
            )?;
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
        let rows: Vec<_> = b
            .rows
            .iter()
            .map(|x| vec![x.value.clone(), num(x.count)])
            .collect();
        table(out, &[b.dimension.as_str(), "count"], &rows)?;
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
    out.push_str("<table><thead><tr><th>figure</th><th>from the source exports</th><th>from the company database</th><th>agreement</th></tr></thead><tbody>\n");
    for f in &r.figures.items {
        let a = agreement(f);
        let class = if a == "DISAGREES" { "bad" } else { "ok" };
        writeln!(
            out,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"{class}\">{a}</td></tr>",
            esc(&f.label),
            figure_text(f.source, &f.unit),
            figure_text(f.company, &f.unit)
        )?;
    }
    writeln!(out, "</tbody></table>")
}
