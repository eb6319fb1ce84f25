//! The reconciliation as Markdown that reads well as a pull-request comment: the run, inputs,
//! mapping files, the ledger with its equation, exclusions, controls, findings by rule (at most
//! [`super::FINDINGS_PER_RULE`] shown per rule), breakdowns and the service figures.
use std::fmt::Write;

use super::{FINDINGS_PER_RULE, Reconciliation, ReportWriter, agreement, figure_text, location};

/// Writes report.md.
pub struct MarkdownWriter;

impl ReportWriter for MarkdownWriter {
    fn write(&self, r: &Reconciliation) -> anyhow::Result<Vec<u8>> {
        let mut out = String::new();
        run(&mut out, r)?;
        ledger(&mut out, r)?;
        controls(&mut out, r)?;
        findings(&mut out, r)?;
        breakdowns(&mut out, r)?;
        figures(&mut out, r)?;
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

fn table(out: &mut String, header: &[&str], rows: &[Vec<String>]) -> std::fmt::Result {
    writeln!(out, "| {} |", header.join(" | "))?;
    writeln!(out, "|{}", "---|".repeat(header.len()))?;
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| md(c)).collect();
        writeln!(out, "| {} |", cells.join(" | "))?;
    }
    writeln!(out)
}

fn run(out: &mut String, r: &Reconciliation) -> std::fmt::Result {
    let run = &r.run;
    writeln!(out, "# Handover reconciliation\n")?;
    writeln!(out, "| | |\n|---|---|")?;
    let as_at = run.as_at.as_deref().unwrap_or("-");
    for (k, v) in [
        ("tool version", run.tool_version.as_str()),
        ("mode", run.mode.as_str()),
        ("as at", as_at),
        ("started at", run.started_at.as_str()),
        ("mappings", run.mappings_dir.as_str()),
        ("input", run.input_dir.as_str()),
        ("personal data", r.personal_data.as_str()),
    ] {
        writeln!(out, "| {k} | {} |", md(v))?;
    }
    writeln!(out, "\n## Inputs\n")?;
    let rows: Vec<_> = r
        .inputs
        .iter()
        .map(|i| {
            vec![
                i.path.clone(),
                i.size.to_string(),
                i.rows.to_string(),
                format!("`{}`", i.sha256),
            ]
        })
        .collect();
    table(out, &["file", "bytes", "rows", "SHA-256"], &rows)?;
    writeln!(out, "## Mapping files\n")?;
    let rows: Vec<_> = r
        .mappings
        .iter()
        .map(|m| vec![m.path.clone(), format!("`{}`", m.sha256)])
        .collect();
    table(out, &["file", "SHA-256"], &rows)
}

fn ledger(out: &mut String, r: &Reconciliation) -> std::fmt::Result {
    writeln!(out, "## Ledger\n")?;
    let rows: Vec<_> = r
        .entities
        .iter()
        .map(|e| {
            let ok = if e.balances() {
                "="
            } else {
                "≠ (DOES NOT BALANCE)"
            };
            vec![
                e.entity.clone(),
                format!(
                    "{} {ok} {} + {} + {}",
                    e.source_rows, e.transferred, e.excluded, e.rejected
                ),
                e.source_rows.to_string(),
                e.transferred.to_string(),
                e.excluded.to_string(),
                e.rejected.to_string(),
            ]
        })
        .collect();
    table(
        out,
        &[
            "entity",
            "source rows = transferred + excluded + rejected",
            "source rows",
            "transferred",
            "excluded",
            "rejected",
        ],
        &rows,
    )?;
    if !r.exclusions.is_empty() {
        writeln!(out, "### Exclusions\n")?;
        let rows: Vec<_> = r
            .exclusions
            .iter()
            .map(|x| vec![x.entity.clone(), x.reason.clone(), x.rows.to_string()])
            .collect();
        table(out, &["entity", "reason", "rows"], &rows)?;
    }
    Ok(())
}

fn controls(out: &mut String, r: &Reconciliation) -> std::fmt::Result {
    writeln!(out, "## Controls\n")?;
    if r.controls.is_empty() {
        return writeln!(out, "No control totals.\n");
    }
    let rows: Vec<_> = r
        .controls
        .iter()
        .map(|c| {
            let expected = c.expected.map_or("-".to_string(), |e| e.to_string());
            let result = if c.ok { "ok" } else { "**FAILED**" };
            vec![
                c.name.clone(),
                c.description.clone(),
                expected,
                c.actual.to_string(),
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
    writeln!(out, "## Findings\n")?;
    if r.rules.is_empty() {
        return writeln!(out, "No findings.\n");
    }
    let rows: Vec<_> = r
        .rules
        .iter()
        .map(|x| {
            vec![
                x.rule.clone(),
                x.kind.clone(),
                x.severity.clone(),
                x.count.to_string(),
            ]
        })
        .collect();
    table(out, &["rule", "kind", "severity", "findings"], &rows)?;
    for (rule, shown, rest) in super::capped_findings(r, FINDINGS_PER_RULE) {
        writeln!(
            out,
            "### {} ({}, {})\n",
            rule.rule, rule.kind, rule.severity
        )?;
        let rows: Vec<_> = shown
            .iter()
            .map(|f| {
                let key = f.key.clone().unwrap_or_else(|| "-".to_string());
                vec![
                    f.entity.clone(),
                    key,
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
                "… and {rest} more (all of them are in report.json, findings.csv and report.xlsx).\n"
            )?;
        }
    }
    Ok(())
}

fn breakdowns(out: &mut String, r: &Reconciliation) -> std::fmt::Result {
    writeln!(out, "## Breakdowns\n")?;
    for b in &r.breakdowns {
        writeln!(out, "### {}\n", b.title)?;
        let rows: Vec<_> = b
            .rows
            .iter()
            .map(|x| vec![x.value.clone(), x.count.to_string()])
            .collect();
        table(out, &[b.dimension.as_str(), "count"], &rows)?;
    }
    Ok(())
}

fn figures(out: &mut String, r: &Reconciliation) -> std::fmt::Result {
    writeln!(out, "## Service figures\n")?;
    writeln!(out, "Source side: {}.\n", r.figures.source_side)?;
    let rows: Vec<_> = r
        .figures
        .items
        .iter()
        .map(|f| {
            let agree = match agreement(f) {
                "DISAGREES" => "**DISAGREES**",
                other => other,
            };
            vec![
                f.label.clone(),
                figure_text(f.source, &f.unit),
                figure_text(f.company, &f.unit),
                agree.to_string(),
            ]
        })
        .collect();
    table(
        out,
        &[
            "figure",
            "from the source exports",
            "from the company database",
            "agreement",
        ],
        &rows,
    )?;
    let n = r.figures.disagreements();
    if n > 0 {
        writeln!(
            out,
            "> **Warning:** {n} figures disagree between the source exports and the company database (rejected rows are the usual cause; see the findings).\n"
        )?;
    }
    Ok(())
}
