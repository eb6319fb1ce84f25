//! The terminal summary, drawn with tabled: the ledger per entity, findings per rule and the
//! controls, expected against actual.
use tabled::settings::Style;
use tabled::{Table, Tabled};

use super::Reconciliation;

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
