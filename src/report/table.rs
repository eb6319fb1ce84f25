//! The terminal summary, drawn with tabled: the ledger per entity, findings per rule and the
//! controls, expected against actual ([`render`], which `migrate` prints); and the whole report
//! as text ([`TableWriter`]: the run, inputs, mappings, that summary, the findings, breakdowns
//! and service figures, their rows from [`super::sections`]).
use tabled::builder::Builder;
use tabled::settings::Style;
use tabled::{Table, Tabled};

use super::sections::{self, Section};
use super::{Reconciliation, ReportWriter, location};

/// Writes the whole report as text tables (report.txt).
pub struct TableWriter;

impl ReportWriter for TableWriter {
    fn write(&self, r: &Reconciliation) -> anyhow::Result<Vec<u8>> {
        let run = sections::run(r);
        let mut out = format!(
            "Handover reconciliation\n{}\n",
            grid(&["run", ""], run.plain_rows())
        );
        let inputs = sections::inputs(r);
        block(
            &mut out,
            "Inputs",
            &["file", "bytes", "rows", "sha256"],
            &inputs,
        );
        block(
            &mut out,
            "Mapping files",
            &["file", "sha256"],
            &sections::mappings(r),
        );
        out.push('\n');
        out.push_str(&render(r));
        if !r.exclusions.is_empty() {
            let s = sections::exclusions(r);
            block(&mut out, "Exclusions", &["entity", "reason", "rows"], &s);
        }
        details(&mut out, r);
        Ok(out.into_bytes())
    }
}

/// `title` and the section's rows under `header`, after a blank line.
fn block(out: &mut String, title: &str, header: &[&str], s: &Section) {
    out.push_str(&format!("\n{title}\n{}\n", grid(header, s.plain_rows())));
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
        let s = sections::breakdown(b);
        let header: Vec<&str> = s.headers.iter().map(String::as_str).collect();
        block(out, &s.title, &header, &s);
    }
    let header = ["figure", "source exports", "company database", "agreement"];
    let title = format!("Service figures (source side: {})", r.figures.source_side);
    block(out, &title, &header, &sections::figures(r));
}

/// Rows under a header, as a text table.
pub(super) fn grid(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> String {
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
