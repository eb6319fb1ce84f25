//! The report's sections as format-neutral tables: a title, column headers and rows of typed
//! cells, built once from a [`Reconciliation`] so that Markdown, HTML and the text tables render
//! the same rows. Each cell says what it is (text, a number, a hash, an alert or a verdict), and
//! each format decides what that looks like; prose, charts and headings stay in the formats.
use super::breakdowns::Breakdown;
use super::model::RuleCount;
use super::{FINDINGS_PER_RULE, Reconciliation, agreement, figure_text, location};

/// What a cell holds, so each format can style it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Plain text.
    Text,
    /// A number (right-aligned in HTML).
    Num,
    /// A hash or other code (in backticks in Markdown).
    Code,
    /// Text to stand out when shown (bold in Markdown), such as `FAILED`.
    Alert,
    /// An agreement verdict; `true` when it is bad (`DISAGREES`).
    Verdict(bool),
}

/// One table cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// The cell's text, unescaped.
    pub text: String,
    /// What the text is.
    pub kind: Kind,
}

/// One table: a title, headers and rows; `more` counts rows left out (capped findings).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The section's title.
    pub title: String,
    /// Column headers.
    pub headers: Vec<String>,
    /// Rows of cells.
    pub rows: Vec<Vec<Cell>>,
    /// Rows left out of `rows`.
    pub more: usize,
}

fn text(s: impl Into<String>) -> Cell {
    Cell {
        text: s.into(),
        kind: Kind::Text,
    }
}

fn num(n: impl ToString) -> Cell {
    Cell {
        text: n.to_string(),
        kind: Kind::Num,
    }
}

fn code(s: &str) -> Cell {
    Cell {
        text: s.to_string(),
        kind: Kind::Code,
    }
}

fn section(title: &str, headers: &[&str], rows: Vec<Vec<Cell>>) -> Section {
    Section {
        title: title.to_string(),
        headers: headers.iter().map(|h| h.to_string()).collect(),
        rows,
        more: 0,
    }
}

impl Section {
    /// The sentence that counts the rows left out, when any were.
    pub fn more_note(&self) -> Option<String> {
        (self.more > 0).then(|| {
            format!(
                "… and {} more (all of them are in report.json, findings.csv and report.xlsx).",
                self.more
            )
        })
    }

    /// The rows as plain strings, styles dropped.
    pub fn plain_rows(&self) -> Vec<Vec<String>> {
        let row = |r: &Vec<Cell>| r.iter().map(|c| c.text.clone()).collect();
        self.rows.iter().map(row).collect()
    }
}

/// The run: one `key, value` row per recorded fact.
pub fn run(r: &Reconciliation) -> Section {
    let run = &r.run;
    let rows = [
        ("tool version", run.tool_version.as_str()),
        ("mode", run.mode.as_str()),
        ("as at", run.as_at.as_deref().unwrap_or("-")),
        ("started at", run.started_at.as_str()),
        ("mappings", run.mappings_dir.as_str()),
        ("input", run.input_dir.as_str()),
        ("personal data", r.personal_data.as_str()),
    ];
    let rows = rows
        .into_iter()
        .map(|(k, v)| vec![text(k), text(v)])
        .collect();
    section("Run", &["run", ""], rows)
}

/// The input files with size, rows and hash.
pub fn inputs(r: &Reconciliation) -> Section {
    let rows = r
        .inputs
        .iter()
        .map(|i| vec![text(&i.path), num(i.size), num(i.rows), code(&i.sha256)]);
    section(
        "Inputs",
        &["file", "bytes", "rows", "SHA-256"],
        rows.collect(),
    )
}

/// The mapping files with their hash.
pub fn mappings(r: &Reconciliation) -> Section {
    let rows = r
        .mappings
        .iter()
        .map(|m| vec![text(&m.path), code(&m.sha256)]);
    section("Mapping files", &["file", "SHA-256"], rows.collect())
}

/// The ledger's counts per entity (formats add how they show the equation).
pub fn ledger(r: &Reconciliation) -> Section {
    let rows = r.entities.iter().map(|e| {
        vec![
            text(&e.entity),
            num(e.source_rows),
            num(e.transferred),
            num(e.excluded),
            num(e.rejected),
        ]
    });
    let headers = [
        "entity",
        "source rows",
        "transferred",
        "excluded",
        "rejected",
    ];
    section("Ledger", &headers, rows.collect())
}

/// Rows excluded, per entity and reason.
pub fn exclusions(r: &Reconciliation) -> Section {
    let rows = r
        .exclusions
        .iter()
        .map(|x| vec![text(&x.entity), text(&x.reason), num(x.rows)]);
    section("Exclusions", &["entity", "reason", "rows"], rows.collect())
}

/// Control totals, expected against actual.
pub fn controls(r: &Reconciliation) -> Section {
    let rows = r.controls.iter().map(|c| {
        let expected = c.expected.map_or("-".to_string(), |e| e.to_string());
        let result = match c.ok {
            true => text("ok"),
            false => Cell {
                text: "FAILED".into(),
                kind: Kind::Alert,
            },
        };
        let (name, what) = (text(&c.name), text(&c.description));
        vec![name, what, num(expected), num(c.actual), result]
    });
    let headers = ["control", "what", "expected", "actual", "result"];
    section("Controls", &headers, rows.collect())
}

/// Findings counted per rule.
pub fn rules(r: &Reconciliation) -> Section {
    let rows = r.rules.iter().map(|x| {
        vec![
            text(&x.rule),
            text(&x.kind),
            text(&x.severity),
            num(x.count),
        ]
    });
    section(
        "Findings by rule",
        &["rule", "kind", "severity", "findings"],
        rows.collect(),
    )
}

/// A rule's findings, at most [`FINDINGS_PER_RULE`], titled `rule (kind, severity)`.
pub fn findings(r: &Reconciliation) -> Vec<Section> {
    let per_rule = |(rule, shown, rest): (&RuleCount, Vec<&crate::check::Finding>, usize)| {
        let rows = shown.iter().map(|f| {
            vec![
                text(&f.entity),
                text(f.key.clone().unwrap_or_else(|| "-".into())),
                text(location(f)),
                text(f.column.clone().unwrap_or_default()),
                text(&f.message),
            ]
        });
        let title = format!("{} ({}, {})", rule.rule, rule.kind, rule.severity);
        let headers = ["entity", "record", "where", "column", "message"];
        Section {
            more: rest,
            ..section(&title, &headers, rows.collect())
        }
    };
    let capped = super::capped_findings(r, FINDINGS_PER_RULE);
    capped.into_iter().map(per_rule).collect()
}

/// One breakdown: a count per value.
pub fn breakdown(b: &Breakdown) -> Section {
    let rows = b.rows.iter().map(|x| vec![text(&x.value), num(x.count)]);
    section(&b.title, &[b.dimension.as_str(), "count"], rows.collect())
}

/// The service figures from both sides, with their agreement.
pub fn figures(r: &Reconciliation) -> Section {
    let rows = r.figures.items.iter().map(|f| {
        let a = agreement(f);
        vec![
            text(&f.label),
            num(figure_text(f.source, &f.unit)),
            num(figure_text(f.company, &f.unit)),
            Cell {
                text: a.into(),
                kind: Kind::Verdict(a == "DISAGREES"),
            },
        ]
    });
    let headers = [
        "figure",
        "from the source exports",
        "from the company database",
        "agreement",
    ];
    section("Service figures", &headers, rows.collect())
}
