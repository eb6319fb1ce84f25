//! A finding is one problem found in the data or the mappings, kept as data (never as an `Err`) so
//! that a run reports every problem, not just the first. The loader and the checks both raise
//! findings; the rules they cite are either [`builtin`] (the same for every company) or declared
//! in the company's schema folder.
use serde::{Deserialize, Serialize};

pub mod builtin;

pub use builtin::Builtin;

/// What kind of problem a finding is. The names are stable: they appear in JSON, in reports and in
/// the generator's `expected.json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Two rows share a natural key.
    Duplicate,
    /// A row refers to a record that does not transfer.
    Orphan,
    /// An open case has no allocated worker.
    Unallocated,
    /// A code has no crosswalk entry or is not in the company's code list.
    InvalidCode,
    /// A value does not parse or is impossible.
    InvalidValue,
    /// A required value is blank.
    MissingValue,
    /// A control total does not match what transferred.
    Control,
    /// A row breaks a row rule of the company schema.
    RowRule,
    /// A row lacks the related row an existence rule asks for.
    Existence,
    /// A fact held in two tables disagrees.
    Agreement,
    /// Something about the run's set-up, not a row: a figure that cannot be computed.
    Configuration,
    /// An input file or sheet that no mapping reads and none declares ignored.
    Unread,
    /// The structure of an export is broken in a way that would lose or change rows silently
    /// (a quote that swallows records, a cell outside the header's columns, bytes not in the
    /// file's encoding).
    Malformed,
}

impl Kind {
    /// The stable snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Duplicate => "duplicate",
            Kind::Orphan => "orphan",
            Kind::Unallocated => "unallocated",
            Kind::InvalidCode => "invalid_code",
            Kind::InvalidValue => "invalid_value",
            Kind::MissingValue => "missing_value",
            Kind::Control => "control",
            Kind::RowRule => "row_rule",
            Kind::Existence => "existence",
            Kind::Agreement => "agreement",
            Kind::Configuration => "configuration",
            Kind::Unread => "unread",
            Kind::Malformed => "malformed",
        }
    }

    /// Every kind, in a stable order.
    pub const ALL: [Kind; 13] = [
        Kind::Duplicate,
        Kind::Orphan,
        Kind::Unallocated,
        Kind::InvalidCode,
        Kind::InvalidValue,
        Kind::MissingValue,
        Kind::Control,
        Kind::RowRule,
        Kind::Existence,
        Kind::Agreement,
        Kind::Configuration,
        Kind::Unread,
        Kind::Malformed,
    ];

    /// The kind called `name`.
    pub fn from_name(name: &str) -> Option<Kind> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

/// How serious a finding is: errors block a final run, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Blocks `migrate --out` unless `--allow-findings`; exit code 1.
    Error,
    /// Reported, does not block.
    Warning,
}

impl Severity {
    /// The severity called `name`.
    pub fn from_name(name: &str) -> Option<Severity> {
        [Severity::Error, Severity::Warning]
            .into_iter()
            .find(|s| s.as_str() == name)
    }

    /// The stable lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

impl Finding {
    /// A finding of built-in `rule` about `entity`, located nowhere yet: the caller fills in
    /// file, line, column and the rest as it knows them.
    pub fn builtin(rule: Builtin, severity: Severity, entity: &str, message: String) -> Self {
        Finding {
            rule: rule.code().to_string(),
            kind: rule.kind(),
            severity,
            entity: entity.to_string(),
            key: None,
            file: None,
            sheet: None,
            line: None,
            col: None,
            column: None,
            value: None,
            message,
            mapping_file: None,
            mapping_line: None,
            rule_file: None,
            rule_line: None,
        }
    }
}

/// One problem, with everything needed to find and fix it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable rule code, catalogued in docs/rules.md (for example `HO-ORP-003`).
    pub rule: String,
    /// What kind of problem.
    pub kind: Kind,
    /// Error or warning.
    pub severity: Severity,
    /// The ledger entity of the row (the mapping source's `entity`), or the control's name.
    pub entity: String,
    /// The record's natural key (for example the employee number), used to match findings between runs.
    pub key: Option<String>,
    /// The input file, relative to the input folder.
    pub file: Option<String>,
    /// The sheet, for spreadsheets.
    pub sheet: Option<String>,
    /// 1-based physical line of a CSV, or the row number a spreadsheet shows; for XML, the line
    /// of the record's start tag.
    pub line: Option<u64>,
    /// 1-based column, in characters, of the record's start tag `<` on that line, for a row of an
    /// XML source (#12); `None` for CSV and spreadsheets, and for findings about no row.
    #[serde(default)]
    pub col: Option<u64>,
    /// The source column.
    pub column: Option<String>,
    /// The offending value, as read.
    pub value: Option<String>,
    /// What is wrong, in words.
    pub message: String,
    /// The mapping file the rule came from, relative to the mapping folder.
    pub mapping_file: Option<String>,
    /// The line in that mapping file.
    pub mapping_line: Option<u64>,
    /// The schema file that declares the rule, relative to the schema folder (schema rules only).
    pub rule_file: Option<String>,
    /// The line in that schema file.
    pub rule_line: Option<u64>,
}
