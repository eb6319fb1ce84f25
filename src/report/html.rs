//! The reconciliation as one self-contained HTML page that an auditor can sign (issue #13): a
//! verdict block at the top (clean, findings or refused, naming `--allow-findings` when it was
//! used), the council and the as-at date, the sections, and a provenance footer (tool version,
//! the database's SHA-256, every input and mapping file's SHA-256), with an optional sign-off
//! block. Inline CSS keeps ids, codes, hashes and numbers on one line and wraps prose between
//! words only; printed, it is A4 with page numbers, repeated table headers and headings kept with
//! what follows. Inline SVG charts (the ledger as stacked bars per entity, the placement mix); no
//! script, font, style sheet or image is fetched. The tables' rows come from [`super::sections`].
use std::fmt::Write;

use super::breakdowns::Breakdown;
use super::document::{Database, plural};
use super::sections::{self, Cell, Kind, Section};
use super::{Document, Reconciliation, ReportWriter, Status};

/// Writes report.html.
pub struct HtmlWriter;

/// Screen and print styles. Cells never break inside a word (`overflow-wrap: normal`, and
/// `.u` tokens unbroken); codes, hashes, numbers and verdicts never break at all.
const STYLE: &str = "body{font:10.5pt/1.45 system-ui,sans-serif;margin:2em auto;max-width:64em;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:0 0 1.5em}th,td{border:1px solid #bbb;padding:.25em .5em;text-align:left;vertical-align:top;overflow-wrap:normal;word-break:normal;hyphens:manual}
th{background:#eee;white-space:nowrap}td.n{text-align:right}td.n,td.h,td.bad,td.ok,.u{white-space:nowrap}
code{font:.85em ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;white-space:nowrap}td.h code{font-size:.8em}
.bad{color:#a00;font-weight:bold}tr.failed td{background:#fdecec}.ok{color:#070}
h1{margin:0 0 .2em}h2{border-bottom:2px solid #333;margin-top:1.8em}h2,h3{break-after:avoid;page-break-after:avoid}
p.parties{margin:0 0 1em;font-size:1.1em}
.verdict{border:3px solid #777;padding:.5em 1em;margin:0 0 1.5em;break-inside:avoid}.verdict p{margin:.3em 0}
.verdict .word{font-size:1.5em;font-weight:bold;letter-spacing:.05em}
.verdict.clean{border-color:#070;background:#eef8ee}.verdict.findings{border-color:#b60;background:#fff5e6}.verdict.refused{border-color:#a00;background:#fdecec}
thead{display:table-header-group}tr{break-inside:avoid;page-break-inside:avoid}svg{max-width:100%;height:auto}
footer.provenance{margin-top:2.5em;border-top:2px solid #333;font-size:.9em}
table.sign th{width:10em}table.sign td{height:2.4em;width:24em}.sign{break-inside:avoid}
@media print{body{margin:0;max-width:none;padding:0;font-size:9pt}.verdict,tr.failed td{-webkit-print-color-adjust:exact;print-color-adjust:exact}}";

impl ReportWriter for HtmlWriter {
    fn write(&self, doc: &Document) -> anyhow::Result<Vec<u8>> {
        let (mut out, r) = (String::new(), doc.rec);
        head(&mut out, doc)?;
        verdict(&mut out, doc)?;
        writeln!(out, "<h2>Run</h2>")?;
        table(&mut out, &sections::run(doc))?;
        ledger(&mut out, r)?;
        controls(&mut out, r)?;
        findings(&mut out, doc)?;
        breakdowns(&mut out, doc)?;
        figures(&mut out, r)?;
        provenance(&mut out, doc)?;
        if doc.sign_off {
            sign_off(&mut out)?;
        }
        writeln!(out, "</body></html>")?;
        Ok(out.into_bytes())
    }
}

/// `text` with its first letter in capitals.
fn capitalised(text: &str) -> String {
    let mut c = text.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// Text safe inside a CSS string (the printed page's footer).
fn css_string(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '"' | '\\' | '<' | '>' | '\n' | '\r'))
        .collect()
}

/// The page's head: its title, the styles, and the printed page's size, footer and numbers.
fn head(out: &mut String, doc: &Document) -> std::fmt::Result {
    let mut what = vec!["Handover reconciliation".to_string()];
    what.extend(doc.council());
    what.extend(doc.rec.run.as_at.as_ref().map(|d| format!("as at {d}")));
    let title = what.join(" · ");
    writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    )?;
    writeln!(
        out,
        "<title>{}</title><style>{STYLE}\n@page{{size:A4;margin:16mm 14mm 18mm;@bottom-left{{content:\"{} · {}\";font:8pt system-ui,sans-serif;color:#555}}@bottom-right{{content:\"Page \" counter(page) \" of \" counter(pages);font:8pt system-ui,sans-serif;color:#555}}}}</style></head><body>",
        esc(&title),
        css_string(&title),
        doc.verdict.status.word()
    )
}

/// The verdict block: the word, what happened, what to do next, and the counts behind it.
fn verdict(out: &mut String, doc: &Document) -> std::fmt::Result {
    let v = &doc.verdict;
    writeln!(out, "<h1>Handover reconciliation</h1>")?;
    let mut parties = Vec::new();
    if let Some(council) = doc.council() {
        parties.push(format!("from <strong>{}</strong>", esc(&council)));
    }
    if let Some(company) = doc.company() {
        parties.push(format!("to <strong>{}</strong>", esc(&company)));
    }
    parties.push(format!("as at <strong>{}</strong>", esc(&doc.as_at_text())));
    writeln!(out, "<p class=\"parties\">{}</p>", parties.join(", "))?;
    let class = match v.status {
        Status::Clean => "clean",
        Status::Findings => "findings",
        Status::Refused => "refused",
    };
    writeln!(
        out,
        "<section class=\"verdict {class}\" aria-label=\"Verdict\"><p class=\"word\">{}</p><p>{}</p><p><strong>Next:</strong> {}</p>",
        v.label(),
        inline(&capitalised(&v.headline)),
        inline(&v.next_step)
    )?;
    let mut facts = vec![
        plural(v.error_findings, "error finding"),
        plural(v.failed_controls, "failed control"),
        plural(v.warnings, "warning"),
    ];
    if doc.record.allow_findings {
        facts.push("written with <code>--allow-findings</code>".to_string());
    }
    if doc.record.force {
        facts.push("replaced an existing file (<code>--force</code>)".to_string());
    }
    if !v.database_written {
        facts.push("no database file".to_string());
    }
    writeln!(out, "<p>{}</p></section>", facts.join(" · "))
}

/// Tool version, the database's hash, and every input and mapping file's hash.
fn provenance(out: &mut String, doc: &Document) -> std::fmt::Result {
    writeln!(out, "<footer class=\"provenance\"><h2>Provenance</h2>")?;
    let db = match &doc.database {
        Database::Written { sha256, size } => {
            format!("SHA-256 <code>{}</code> ({size} bytes)", esc(sha256))
        }
        Database::None { reason } => esc(reason),
    };
    let run = &doc.rec.run;
    writeln!(
        out,
        "<p>Made by handover {} from the run started at {}. Company database: {db}.</p>",
        esc(&run.tool_version),
        esc(&run.started_at)
    )?;
    writeln!(out, "<h3>Inputs</h3>")?;
    table(out, &sections::inputs(doc.rec))?;
    writeln!(out, "<h3>Mapping files</h3>")?;
    table(out, &sections::mappings(doc.rec))?;
    writeln!(out, "</footer>")
}

/// A block to sign: who checked the report, their role, signature and date.
fn sign_off(out: &mut String) -> std::fmt::Result {
    writeln!(
        out,
        "<section class=\"sign\"><h2>Sign-off</h2><table class=\"sign\"><tbody>"
    )?;
    for what in ["Checked by", "Role", "Signature", "Date"] {
        writeln!(out, "<tr><th>{what}</th><td></td></tr>")?;
    }
    writeln!(out, "</tbody></table></section>")
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

/// Escaped text whose tokens may not break inside: a browser may break after `/` or `-` (as in
/// `hr/staff.csv` or `HO-ORP-003`), so a token holding anything but letters and digits is kept
/// whole in a `<span class="u">`; lines break only between tokens.
fn unbroken(s: &str) -> String {
    let token = |t: &str| match t.chars().all(char::is_alphanumeric) {
        true => esc(t),
        false => format!("<span class=\"u\">{}</span>", esc(t)),
    };
    s.split(' ').map(token).collect::<Vec<_>>().join(" ")
}

/// Text with `code` spans (messages quote values and fields in backticks) as `<code>`, tokens
/// kept whole.
fn inline(s: &str) -> String {
    let parts: Vec<&str> = s.split('`').collect();
    if parts.len() < 3 || parts.len().is_multiple_of(2) {
        return unbroken(s);
    }
    let mut out = String::new();
    for (i, part) in parts.iter().enumerate() {
        match i % 2 {
            1 => out.push_str(&format!("<code>{}</code>", esc(part))),
            _ => out.push_str(&unbroken(part)),
        }
    }
    out
}

/// One cell: numbers right-aligned, ids and hashes unbroken, alerts and bad verdicts alike.
fn cell(c: &Cell) -> String {
    match c.kind {
        Kind::Num => format!("<td class=\"n\">{}</td>", esc(&c.text)),
        Kind::Id => format!("<td>{}</td>", unbroken(&c.text)),
        Kind::Code => format!("<td class=\"h\"><code>{}</code></td>", esc(&c.text)),
        Kind::Alert | Kind::Verdict(true) => format!("<td class=\"bad\">{}</td>", esc(&c.text)),
        Kind::Verdict(false) => format!("<td class=\"ok\">{}</td>", esc(&c.text)),
        Kind::Text => format!("<td>{}</td>", inline(&c.text)),
    }
}

/// A section as a table; a row holding an alert or a bad verdict is marked as failed.
fn table(out: &mut String, s: &Section) -> std::fmt::Result {
    out.push_str("<table><thead><tr>");
    for h in &s.headers {
        write!(out, "<th>{}</th>", esc(h))?;
    }
    out.push_str("</tr></thead><tbody>\n");
    for row in &s.rows {
        let failed = row
            .iter()
            .any(|c| matches!(c.kind, Kind::Alert | Kind::Verdict(true)));
        out.push_str(if failed {
            "<tr class=\"failed\">"
        } else {
            "<tr>"
        });
        for c in row {
            out.push_str(&cell(c));
        }
        out.push_str("</tr>\n");
    }
    writeln!(out, "</tbody></table>")
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
            kind: Kind::Verdict(!e.balances()),
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

fn findings(out: &mut String, doc: &Document) -> std::fmt::Result {
    let r = doc.rec;
    writeln!(out, "<h2>Findings</h2>")?;
    if r.rules.is_empty() {
        return writeln!(out, "<p class=\"ok\">No findings.</p>");
    }
    table(out, &sections::rules(r, &doc.labels))?;
    for s in sections::findings(r, &doc.labels) {
        writeln!(out, "<h3>{}</h3>", inline(&s.title))?;
        table(out, &s)?;
        if let Some(note) = s.more_note() {
            writeln!(out, "<p>{note}</p>")?;
        }
    }
    Ok(())
}

fn breakdowns(out: &mut String, doc: &Document) -> std::fmt::Result {
    let r = doc.rec;
    writeln!(out, "<h2>Breakdowns</h2>")?;
    for b in &r.breakdowns {
        writeln!(out, "<h3>{}</h3>", esc(&b.title))?;
        if b.name == "looked_after_by_placement_type" {
            bar_chart(out, b)?;
        }
        table(out, &sections::breakdown(b, &doc.labels))?;
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
