//! Comparing two runs: findings resolved, new and still open, matched by rule, entity and record
//! key (never by line, which moves between extracts), and the change of every ledger and control
//! figure. Rendered as a table, Markdown or JSON.
use std::fmt::Write;

use serde::Serialize;

use super::Reconciliation;
use super::model::RunInfo;
use crate::check::{Finding, Severity};

/// Version of `diff --format json`'s layout (docs/report.md); raised on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

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

/// The names `names` gives for either run, sorted, each once.
fn union<'a>(
    old: &'a Reconciliation,
    new: &'a Reconciliation,
    names: impl Fn(&'a Reconciliation) -> Vec<&'a str>,
) -> Vec<&'a str> {
    let mut all = names(old);
    all.extend(names(new));
    all.sort_unstable();
    all.dedup();
    all
}

fn ledger_changes(old: &Reconciliation, new: &Reconciliation) -> Vec<Change> {
    let mut out = Vec::new();
    for name in union(old, new, |r| {
        r.entities.iter().map(|e| e.entity.as_str()).collect()
    }) {
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
    union(old, new, |r| {
        r.controls.iter().map(|c| c.name.as_str()).collect()
    })
    .into_iter()
    .map(|name| {
        let get = |r: &Reconciliation| r.controls.iter().find(|c| c.name == name).map(|c| c.actual);
        Change {
            name: name.to_string(),
            measure: "actual".to_string(),
            old: get(old),
            new: get(new),
        }
    })
    .collect()
}

/// `diff --format json`: the version, which two runs, the counts, then the diff itself.
#[derive(Serialize)]
struct Doc<'a> {
    schema_version: u32,
    old_run: &'a RunInfo,
    new_run: &'a RunInfo,
    summary: Summary,
    #[serde(flatten)]
    diff: &'a Diff,
}

/// How many findings each list holds, and how many new ones are errors (the exit code's reason).
#[derive(Serialize)]
struct Summary {
    resolved: usize,
    new: usize,
    new_errors: usize,
    still_open: usize,
}

/// The diff as pretty-printed JSON with a final newline (layout in docs/report.md).
pub fn json(d: &Diff, old: &RunInfo, new: &RunInfo) -> serde_json::Result<Vec<u8>> {
    let doc = Doc {
        schema_version: SCHEMA_VERSION,
        old_run: old,
        new_run: new,
        summary: Summary {
            resolved: d.resolved.len(),
            new: d.new.len(),
            new_errors: d.new_errors(),
            still_open: d.still_open.len(),
        },
        diff: d,
    };
    let mut out = serde_json::to_vec_pretty(&doc)?;
    out.push(b'\n');
    Ok(out)
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

fn finding_line(f: &Finding) -> Vec<String> {
    vec![
        f.rule.clone(),
        f.severity.as_str().to_string(),
        f.entity.clone(),
        f.key.clone().unwrap_or_else(|| "-".to_string()),
        f.message.clone(),
    ]
}

fn change_line(c: &Change) -> Vec<String> {
    let (old, new) = (num(c.old), num(c.new));
    vec![c.name.clone(), c.measure.clone(), old, new, delta(c)]
}

const FINDING_HEADER: [&str; 5] = ["rule", "severity", "entity", "record", "message"];
const CHANGE_HEADER: [&str; 5] = ["name", "measure", "old", "new", "change"];

/// The three lists of findings, titled.
fn finding_lists(d: &Diff) -> [(&'static str, Vec<Vec<String>>); 3] {
    let rows = |list: &[Finding]| list.iter().map(finding_line).collect();
    [
        ("Resolved", rows(&d.resolved)),
        ("New", rows(&d.new)),
        ("Still open", rows(&d.still_open)),
    ]
}

/// The ledger and control changes, titled.
fn change_lists(d: &Diff) -> [(&'static str, Vec<Vec<String>>); 2] {
    let rows = |list: &[Change]| list.iter().map(change_line).collect();
    [("Ledger", rows(&d.ledger)), ("Controls", rows(&d.controls))]
}

/// A Markdown table; `cell` escapes each cell.
fn md_table(out: &mut String, header: &[&str], rows: &[Vec<String>], cell: fn(&str) -> String) {
    let _ = writeln!(
        out,
        "| {} |\n|{}",
        header.join(" | "),
        "---|".repeat(header.len())
    );
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| cell(c)).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    out.push('\n');
}

/// The verdict of a comparison and what to do next (issue #13).
pub fn verdict(d: &Diff) -> (String, String) {
    let counts = format!(
        "{} resolved, {} new ({} of them errors), {} still open.",
        d.resolved.len(),
        d.new.len(),
        d.new_errors(),
        d.still_open.len()
    );
    match (d.new_errors(), d.still_open.len()) {
        (0, 0) => (
            format!("NO NEW ERRORS: {counts}"),
            "nothing is open; the later run can go ahead.".to_string(),
        ),
        (0, open) => (
            format!("NO NEW ERRORS: {counts}"),
            format!("{open} findings are still open; resolve them with the council before go-live."),
        ),
        (_, _) => (
            format!("NEW ERRORS: {counts}"),
            "the later extract brings new error findings (listed under New); send them to the council.".to_string(),
        ),
    }
}

/// The diff as Markdown.
pub fn markdown(d: &Diff) -> String {
    let (verdict, next) = verdict(d);
    let mut out = format!("# Handover diff\n\n> **{verdict}**\n>\n> **Next:** {next}\n\n");
    let escape = |s: &str| s.replace('|', "\\|").replace(['\n', '\r'], " ");
    for (title, rows) in finding_lists(d) {
        let _ = writeln!(out, "## {title} findings ({})\n", rows.len());
        if !rows.is_empty() {
            md_table(&mut out, &FINDING_HEADER, &rows, escape);
        }
    }
    for (title, rows) in change_lists(d) {
        let _ = writeln!(out, "## {title}\n");
        md_table(&mut out, &CHANGE_HEADER, &rows, str::to_string);
    }
    out
}

/// The diff for a terminal, fitted to `width`: each list of findings (two lines per finding, as
/// `migrate` prints them), the ledger and control tables (numbers right-aligned), then the
/// verdict and the next step.
pub fn table(d: &Diff, width: Option<usize>) -> String {
    let mut out = String::new();
    let lists: [(&str, &[Finding]); 3] = [
        ("Resolved", &d.resolved),
        ("New", &d.new),
        ("Still open", &d.still_open),
    ];
    for (title, list) in lists {
        let _ = writeln!(out, "{title} findings: {}", list.len());
        for f in list {
            out.push_str(&super::table::finding_lines(f, width));
        }
    }
    for (title, rows) in change_lists(d) {
        let grid = super::table::fitted(&CHANGE_HEADER, rows, &[2, 3, 4], width);
        let _ = writeln!(out, "{title}\n{grid}");
    }
    let (verdict, next) = verdict(d);
    for line in [verdict, format!("Next: {next}")] {
        let _ = writeln!(out, "{}", super::fit::wrap_text(&line, width));
    }
    out
}
