//! Comparing two runs: findings resolved, new and still open, matched by rule, entity and record
//! key (never by line, which moves between extracts), and the change of every ledger and control
//! figure. Rendered as a table, Markdown or JSON.
use std::fmt::Write;

use serde::Serialize;

use super::Reconciliation;
use crate::check::{Finding, Severity};

/// The comparison of an old and a new run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diff {
    /// Findings of the old run that the new run no longer has.
    pub resolved: Vec<Finding>,
    /// Findings of the new run that the old run did not have.
    pub new: Vec<Finding>,
    /// Findings in both runs (as the new run records them).
    pub still_open: Vec<Finding>,
    /// Ledger figures per entity, old and new.
    pub ledger: Vec<Change>,
    /// Control totals (actual), old and new.
    pub controls: Vec<Change>,
}

/// One figure in both runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// Entity or control name.
    pub name: String,
    /// What is counted (`source_rows`, `transferred`, `excluded`, `rejected`, `actual`).
    pub measure: String,
    /// In the old run; `None` when absent.
    pub old: Option<i64>,
    /// In the new run; `None` when absent.
    pub new: Option<i64>,
}

fn key(f: &Finding) -> (&str, &str, Option<&str>) {
    (&f.rule, &f.entity, f.key.as_deref())
}

impl Diff {
    /// Compares `old` with `new`.
    pub fn compare(old: &Reconciliation, new: &Reconciliation) -> Self {
        let mut unmatched: Vec<Option<&Finding>> = new.findings.iter().map(Some).collect();
        let (mut resolved, mut still_open) = (Vec::new(), Vec::new());
        for f in &old.findings {
            let found = unmatched
                .iter_mut()
                .find(|n| n.is_some_and(|n| key(n) == key(f)));
            match found.and_then(Option::take) {
                Some(n) => still_open.push(n.clone()),
                None => resolved.push(f.clone()),
            }
        }
        Diff {
            resolved,
            new: unmatched.into_iter().flatten().cloned().collect(),
            still_open,
            ledger: ledger_changes(old, new),
            controls: control_changes(old, new),
        }
    }

    /// New findings that are errors.
    pub fn new_errors(&self) -> usize {
        self.new
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count()
    }
}

fn ledger_changes(old: &Reconciliation, new: &Reconciliation) -> Vec<Change> {
    let mut names: Vec<&str> = old
        .entities
        .iter()
        .chain(&new.entities)
        .map(|e| e.entity.as_str())
        .collect();
    names.sort_unstable();
    names.dedup();
    let mut out = Vec::new();
    for name in names {
        let get = |r: &Reconciliation| r.entities.iter().find(|e| e.entity == name).cloned();
        let (o, n) = (get(old), get(new));
        for measure in ["source_rows", "transferred", "excluded", "rejected"] {
            let pick = |e: &Option<crate::load::LedgerRow>| {
                e.as_ref().map(|e| match measure {
                    "source_rows" => e.source_rows,
                    "transferred" => e.transferred,
                    "excluded" => e.excluded,
                    _ => e.rejected,
                } as i64)
            };
            out.push(Change {
                name: name.to_string(),
                measure: measure.to_string(),
                old: pick(&o),
                new: pick(&n),
            });
        }
    }
    out
}

fn control_changes(old: &Reconciliation, new: &Reconciliation) -> Vec<Change> {
    let mut names: Vec<&str> = old
        .controls
        .iter()
        .chain(&new.controls)
        .map(|c| c.name.as_str())
        .collect();
    names.sort_unstable();
    names.dedup();
    names
        .into_iter()
        .map(|name| {
            let get =
                |r: &Reconciliation| r.controls.iter().find(|c| c.name == name).map(|c| c.actual);
            Change {
                name: name.to_string(),
                measure: "actual".to_string(),
                old: get(old),
                new: get(new),
            }
        })
        .collect()
}

fn num(v: Option<i64>) -> String {
    v.map_or("-".to_string(), |v| v.to_string())
}

fn delta(c: &Change) -> String {
    match (c.old, c.new) {
        (Some(o), Some(n)) if n != o => format!("{:+}", n - o),
        (Some(_), Some(_)) => "0".to_string(),
        _ => "-".to_string(),
    }
}

fn finding_line(f: &Finding) -> [String; 5] {
    [
        f.rule.clone(),
        f.severity.as_str().to_string(),
        f.entity.clone(),
        f.key.clone().unwrap_or_else(|| "-".to_string()),
        f.message.clone(),
    ]
}

/// The diff as Markdown.
pub fn markdown(d: &Diff) -> String {
    let mut out = String::from("# Handover diff\n\n");
    let cell = |s: &str| s.replace('|', "\\|").replace(['\n', '\r'], " ");
    for (title, list) in [
        ("Resolved", &d.resolved),
        ("New", &d.new),
        ("Still open", &d.still_open),
    ] {
        let _ = writeln!(out, "## {title} findings ({})\n", list.len());
        if list.is_empty() {
            continue;
        }
        out.push_str("| rule | severity | entity | record | message |\n|---|---|---|---|---|\n");
        for f in list {
            let cells: Vec<String> = finding_line(f).iter().map(|c| cell(c)).collect();
            let _ = writeln!(out, "| {} |", cells.join(" | "));
        }
        out.push('\n');
    }
    for (title, list) in [("Ledger", &d.ledger), ("Controls", &d.controls)] {
        let _ = writeln!(
            out,
            "## {title}\n\n| name | measure | old | new | change |\n|---|---|---|---|---|"
        );
        for c in list {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                c.name,
                c.measure,
                num(c.old),
                num(c.new),
                delta(c)
            );
        }
        out.push('\n');
    }
    out
}

/// The diff as text tables.
pub fn table(d: &Diff) -> String {
    use tabled::builder::Builder;
    let grid = |header: &[&str], rows: Vec<Vec<String>>| {
        let mut b = Builder::default();
        b.push_record(header.iter().map(|h| h.to_string()));
        rows.into_iter().for_each(|r| b.push_record(r));
        b.build().with(tabled::settings::Style::sharp()).to_string()
    };
    let mut out = String::new();
    for (title, list) in [
        ("Resolved", &d.resolved),
        ("New", &d.new),
        ("Still open", &d.still_open),
    ] {
        let _ = writeln!(out, "{title} findings: {}", list.len());
        if !list.is_empty() {
            let rows = list.iter().map(|f| finding_line(f).to_vec()).collect();
            let _ = writeln!(
                out,
                "{}",
                grid(&["rule", "severity", "entity", "record", "message"], rows)
            );
        }
    }
    for (title, list) in [("Ledger", &d.ledger), ("Controls", &d.controls)] {
        let rows = list
            .iter()
            .map(|c| {
                vec![
                    c.name.clone(),
                    c.measure.clone(),
                    num(c.old),
                    num(c.new),
                    delta(c),
                ]
            })
            .collect();
        let _ = writeln!(
            out,
            "{title}\n{}",
            grid(&["name", "measure", "old", "new", "change"], rows)
        );
    }
    out
}
