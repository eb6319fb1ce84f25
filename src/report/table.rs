//! The terminal summary, drawn with tabled: the ledger per entity, findings per rule and the
//! controls, expected against actual ([`render`], which `migrate` prints); and the whole report
//! as text ([`TableWriter`]: the run, inputs, mappings, that summary, the findings, breakdowns
//! and service figures).
use tabled::builder::Builder;
use tabled::settings::Style;
use tabled::{Table, Tabled};

use super::{Reconciliation, ReportWriter, agreement, figure_text, location};

/// Writes the whole report as text tables (report.txt).
pub struct TableWriter;

impl ReportWriter for TableWriter {
    fn write(&self, r: &Reconciliation) -> anyhow::Result<Vec<u8>> {
        let run = &r.run;
        let mut out = format!(
            "Handover reconciliation\n{}\n",
            grid(
                &["run", ""],
                [
                    ["tool version", &run.tool_version],
                    ["mode", &run.mode],
                    ["as at", run.as_at.as_deref().unwrap_or("-")],
                    ["started at", &run.started_at],
                    ["mappings", &run.mappings_dir],
                    ["input", &run.input_dir],
                    ["personal data", &r.personal_data],
                ]
                .map(|row| row.map(str::to_string).to_vec())
            )
        );
        let inputs = r.inputs.iter().map(|i| {
            vec![
                i.path.clone(),
                i.size.to_string(),
                i.rows.to_string(),
                i.sha256.clone(),
            ]
        });
        out.push_str(&format!(
            "\nInputs\n{}\n",
            grid(&["file", "bytes", "rows", "sha256"], inputs)
        ));
        let maps = r
            .mappings
            .iter()
            .map(|m| vec![m.path.clone(), m.sha256.clone()]);
        out.push_str(&format!(
            "\nMapping files\n{}\n\n",
            grid(&["file", "sha256"], maps)
        ));
        out.push_str(&render(r));
        if !r.exclusions.is_empty() {
            let rows = r
                .exclusions
                .iter()
                .map(|x| vec![x.entity.clone(), x.reason.clone(), x.rows.to_string()]);
            out.push_str(&format!(
                "\nExclusions\n{}\n",
                grid(&["entity", "reason", "rows"], rows)
            ));
        }
        details(&mut out, r);
        Ok(out.into_bytes())
    }
}

fn details(out: &mut String, r: &Reconciliation) {
    if !r.findings.is_empty() {
        let rows = r.findings.iter().map(|f| {
            vec![
                f.rule.clone(),
                f.severity.as_str().to_string(),
                f.entity.clone(),
                f.key.clone().unwrap_or_default(),
                location(f),
                f.message.clone(),
            ]
        });
        out.push_str(&format!(
            "\nFindings\n{}\n",
            grid(
                &["rule", "severity", "entity", "record", "where", "message"],
                rows
            )
        ));
    }
    for b in &r.breakdowns {
        let rows = b
            .rows
            .iter()
            .map(|x| vec![x.value.clone(), x.count.to_string()]);
        out.push_str(&format!(
            "\n{}\n{}\n",
            b.title,
            grid(&[b.dimension.as_str(), "count"], rows)
        ));
    }
    let rows = r.figures.items.iter().map(|f| {
        vec![
            f.label.clone(),
            figure_text(f.source, &f.unit),
            figure_text(f.company, &f.unit),
            agreement(f).to_string(),
        ]
    });
    out.push_str(&format!(
        "\nService figures (source side: {})\n{}\n",
        r.figures.source_side,
        grid(
            &["figure", "source exports", "company database", "agreement"],
            rows
        )
    ));
}

fn grid(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut b = Builder::default();
    b.push_record(header.iter().map(|h| h.to_string()));
    for row in rows {
        b.push_record(row);
    }
    b.build().with(Style::sharp()).to_string()
}

#[derive(Tabled)]
struct LedgerLine<'a> {
    entity: &'a str,
    #[tabled(rename = "source rows")]
    source_rows: u64,
    transferred: u64,
    excluded: u64,
    rejected: u64,
    balances: &'a str,
}

#[derive(Tabled)]
struct RuleLine<'a> {
    rule: &'a str,
    kind: &'a str,
    severity: &'a str,
    findings: i64,
}

#[derive(Tabled)]
struct ControlLine<'a> {
    control: &'a str,
    expected: String,
    actual: i64,
    result: &'a str,
}

/// The summary as text.
pub fn render(rec: &Reconciliation) -> String {
    let ledger = rec.entities.iter().map(|e| LedgerLine {
        entity: &e.entity,
        source_rows: e.source_rows,
        transferred: e.transferred,
        excluded: e.excluded,
        rejected: e.rejected,
        balances: if e.balances() { "yes" } else { "NO" },
    });
    let mut out = format!(
        "Ledger (source rows = transferred + excluded + rejected)\n{}\n",
        Table::new(ledger).with(Style::sharp())
    );
    if rec.rules.is_empty() {
        out.push_str("\nFindings: none\n");
    } else {
        let rules = rec.rules.iter().map(|r| RuleLine {
            rule: &r.rule,
            kind: &r.kind,
            severity: &r.severity,
            findings: r.count,
        });
        out.push_str(&format!(
            "\nFindings by rule\n{}\n",
            Table::new(rules).with(Style::sharp())
        ));
    }
    if !rec.controls.is_empty() {
        let controls = rec.controls.iter().map(|c| ControlLine {
            control: &c.name,
            expected: c.expected.map_or("-".to_string(), |e| e.to_string()),
            actual: c.actual,
            result: if c.ok { "ok" } else { "FAILED" },
        });
        out.push_str(&format!(
            "\nControls\n{}\n",
            Table::new(controls).with(Style::sharp())
        ));
    }
    out
}
