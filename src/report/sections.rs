//! The report's sections as format-neutral tables: a title, column headers and rows of typed
//! cells, built once from a [`Reconciliation`] so that Markdown, HTML and the text tables render
//! the same rows. Each cell says what it is (text, a number, a hash, an alert or a verdict), and
//! each format decides what that looks like; prose, charts and headings stay in the formats.
use super::breakdowns::Breakdown;
use super::document::Database;
use super::labels::{self, Labels};
use super::model::RuleCount;
use super::{Document, FINDINGS_PER_RULE, Reconciliation, agreement, figure_text, location};

/// What a cell holds, so each format can style it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Plain text, wrapped between words only.
    Text,
    /// An id, a name, a path or a code that must stay on one line (`HO-ORP-003`, `PL0999991`).
    Id,
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

fn id(s: impl Into<String>) -> Cell {
    Cell {
        text: s.into(),
        kind: Kind::Id,
    }
}

/// The run: one `key, value` row per recorded fact, with the parameters that change its outcome
/// and the database it wrote.
pub fn run(doc: &Document) -> Section {
    let (r, run) = (doc.rec, &doc.rec.run);
    let mut rows = vec![vec![
        text("verdict"),
        Cell {
            text: doc.verdict.label(),
            kind: match doc.verdict.status {
                super::Status::Clean => Kind::Verdict(false),
                _ => Kind::Verdict(true),
            },
        },
    ]];
    if let Some(council) = doc.council() {
        rows.push(vec![
            text("council (from the mapping folder)"),
            text(council),
        ]);
    }
    if let Some(company) = doc.company() {
        rows.push(vec![text("company"), text(company)]);
    }
    let yes_no = |b: bool| if b { "yes" } else { "no" };
    let facts = [
        ("as at", text(doc.as_at_text())),
        ("mode", id(&run.mode)),
        ("allow findings", text(yes_no(doc.record.allow_findings))),
        ("force", text(yes_no(doc.record.force))),
        ("tool version", id(&run.tool_version)),
        ("started at", id(&run.started_at)),
        ("mappings", id(&run.mappings_dir)),
        ("input", id(&run.input_dir)),
        ("personal data", text(&r.personal_data)),
    ];
    rows.extend(facts.into_iter().map(|(k, v)| vec![text(k), v]));
    rows.push(vec![text("database"), database(&doc.database)]);
    section("Run", &["fact", "value"], rows)
}

/// The database's SHA-256, or why there is no database.
fn database(db: &Database) -> Cell {
    match db {
        Database::Written { sha256, .. } => code(sha256),
        Database::None { reason } => text(reason),
    }
}

/// The input files with size, rows, hash and (for a CSV) what each physical line was.
pub fn inputs(r: &Reconciliation) -> Section {
    let rows = r.inputs.iter().map(|i| {
        vec![
            id(&i.path),
            num(i.size),
            num(i.rows),
            code(&i.sha256),
            text(i.lines.as_deref().unwrap_or("")),
        ]
    });
    section(
        "Inputs",
        &["file", "bytes", "rows", "SHA-256", "lines"],
        rows.collect(),
    )
}

/// The mapping files with their hash.
pub fn mappings(r: &Reconciliation) -> Section {
    let rows = r
        .mappings
        .iter()
        .map(|m| vec![id(&m.path), code(&m.sha256)]);
    section("Mapping files", &["file", "SHA-256"], rows.collect())
}

/// The ledger's counts per entity (formats add how they show the equation).
pub fn ledger(r: &Reconciliation) -> Section {
    let rows = r.entities.iter().map(|e| {
        vec![
            id(&e.entity),
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
        .map(|x| vec![id(&x.entity), text(&x.reason), num(x.rows)]);
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
        let (name, what) = (id(&c.name), text(&c.description));
        vec![name, what, num(expected), num(c.actual), result]
    });
    let headers = ["control", "what", "expected", "actual", "result"];
    section("Controls", &headers, rows.collect())
}

/// Findings counted per rule, each rule with what it means.
pub fn rules(r: &Reconciliation, names: &Labels) -> Section {
    let rows = r.rules.iter().map(|x| {
        vec![
            id(&x.rule),
            text(names.rule(&x.rule).unwrap_or("")),
            text(labels::kind(&x.kind)),
            text(&x.severity),
            num(x.count),
        ]
    });
    section(
        "Findings by rule",
        &["rule", "what it means", "kind", "severity", "findings"],
        rows.collect(),
    )
}

/// A rule's findings, at most [`FINDINGS_PER_RULE`], titled `rule (kind, severity)`.
pub fn findings(r: &Reconciliation, names: &Labels) -> Vec<Section> {
    let per_rule = |(rule, shown, rest): (&RuleCount, Vec<&crate::check::Finding>, usize)| {
        let rows = shown.iter().map(|f| {
            vec![
                id(&f.entity),
                id(f.key.clone().unwrap_or_else(|| "-".into())),
                id(location(f)),
                text(f.column.clone().unwrap_or_default()),
                text(&f.message),
            ]
        });
        let title = match names.rule(&rule.rule) {
            Some(what) => format!(
                "{}: {what} ({}, {})",
                rule.rule,
                labels::kind(&rule.kind),
                rule.severity
            ),
            None => format!(
                "{} ({}, {})",
                rule.rule,
                labels::kind(&rule.kind),
                rule.severity
            ),
        };
        let headers = ["entity", "record", "where", "column", "message"];
        Section {
            more: rest,
            ..section(&title, &headers, rows.collect())
        }
    };
    let capped = super::capped_findings(r, FINDINGS_PER_RULE);
    capped.into_iter().map(per_rule).collect()
}

/// One breakdown: a count per value, coded values with their labels.
pub fn breakdown(b: &Breakdown, names: &Labels) -> Section {
    let labelled = b
        .rows
        .iter()
        .any(|x| names.code(&b.name, &x.value).is_some());
    let rows = b.rows.iter().map(|x| match labelled {
        true => {
            let label = names.code(&b.name, &x.value).unwrap_or("");
            vec![id(&x.value), text(label), num(x.count)]
        }
        false => vec![id(&x.value), num(x.count)],
    });
    let headers: &[&str] = match labelled {
        true => &[b.dimension.as_str(), "meaning", "count"],
        false => &[b.dimension.as_str(), "count"],
    };
    section(&b.title, headers, rows.collect())
}

/// A figure's own reason for its source side, leaving out the one the whole side shares (which
/// the section's title gives).
fn per_figure<'a>(why: Option<&'a str>, r: &Reconciliation) -> Option<&'a str> {
    why.filter(|w| *w != r.figures.source_side)
}

/// The service figures from both sides, with their agreement.
pub fn figures(r: &Reconciliation) -> Section {
    let rows = r.figures.items.iter().map(|f| {
        let a = agreement(f);
        vec![
            text(&f.label),
            num(figure_text(
                f.source,
                &f.unit,
                per_figure(f.source_unavailable.as_deref(), r),
            )),
            num(figure_text(
                f.company,
                &f.unit,
                f.company_unavailable.as_deref(),
            )),
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
