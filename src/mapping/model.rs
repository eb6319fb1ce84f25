//! The mapping set after resolution: every name checked against the company schema, every
//! crosswalk loaded, every format parsed. The loader works only from these types.
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::schema::{CodeList, ColType, Column, Schema, Table};
use crate::source::Encoding;

/// Where in a mapping file something was declared.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Origin {
    /// Mapping file, relative to the mapping folder.
    pub file: String,
    /// 1-based line.
    pub line: usize,
}

/// One mapping file read.
#[derive(Debug, Clone)]
pub struct MappingFile {
    /// Path relative to the mapping folder, with `/` separators.
    pub path: String,
    /// Its bytes as read, hashed only by a run that records them (`handover validate` does not).
    pub bytes: Arc<[u8]>,
}

impl MappingFile {
    /// Lower-case hex SHA-256 of the bytes read.
    pub fn sha256(&self) -> String {
        super::sha256_hex(&self.bytes)
    }
}

/// A whole mapping set, ready to run.
#[derive(Debug, Clone)]
pub struct MappingSet {
    /// The mapping folder.
    pub dir: PathBuf,
    /// The company schema the set maps onto, with its code lists as in force on the as-at date.
    pub schema: Arc<Schema>,
    /// Every file of the set (mapping files, crosswalk CSVs, and the schema folder's files, by
    /// their path from the mapping folder), sorted by path.
    pub files: Vec<MappingFile>,
    /// Sources, in load order (by the position of their first target table in the schema).
    pub sources: Vec<SourceMapping>,
    /// Crosswalks by name.
    pub crosswalks: BTreeMap<String, Crosswalk>,
    /// Where the control totals are, if the set declares controls.
    pub controls_file: Option<ControlsFile>,
    /// Where the extract's as-at date is written, if the set says.
    pub as_at: Option<AsAtRule>,
    /// Control totals to reconcile.
    pub controls: Vec<Control>,
    /// Input files and sheets declared as not read, with their reasons (`[[ignore]]`, #9).
    pub ignored: Vec<Ignored>,
}

impl MappingSet {
    /// A set with no sources, crosswalks or controls yet.
    pub fn empty(dir: &Path, files: Vec<MappingFile>, schema: Arc<Schema>) -> Self {
        MappingSet {
            dir: dir.to_path_buf(),
            schema,
            files,
            sources: Vec::new(),
            crosswalks: BTreeMap::new(),
            controls_file: None,
            as_at: None,
            controls: Vec::new(),
            ignored: Vec::new(),
        }
    }
}

pub use super::condition::{Cmp, ColumnTest, Condition, Test};

/// `[source]` with its scope rules and targets.
#[derive(Debug, Clone)]
pub struct SourceMapping {
    /// Ledger entity of the rows.
    pub entity: String,
    /// File or glob, relative to the input folder.
    pub pattern: String,
    /// The sheets to read, each a name or a glob pattern (`Placements*`), in workbook order;
    /// empty means the first sheet.
    pub sheets: Vec<String>,
    /// 1-based header row.
    pub header_row: u32,
    /// CSV delimiter, if declared.
    pub delimiter: Option<u8>,
    /// CSV encoding, if declared.
    pub encoding: Option<Encoding>,
    /// Columns of the export deliberately not carried, with the reason for each.
    pub ignore_columns: BTreeMap<String, String>,
    /// How an XML file flattens into rows (`record`, `inherit`), for an XML source.
    pub xml: Option<Arc<crate::source::xml::XmlLayout>>,
    /// In-scope rules, in order; the first one a row fails gives its exclusion reason.
    pub scope: Vec<ScopeRule>,
    /// Target tables, in schema load order.
    pub targets: Vec<TargetMapping>,
    /// Where `[source]` is.
    pub origin: Origin,
}

/// One `[[ignore]]`: an input file (or some of a workbook's sheets) that no mapping reads, on
/// purpose, with the reason the input ledger shows.
#[derive(Debug, Clone)]
pub struct Ignored {
    /// File or glob, relative to the input folder.
    pub file: String,
    /// Sheet name or glob; `None` ignores the whole file.
    pub sheet: Option<String>,
    /// Why it is not read.
    pub reason: String,
    /// Where `[[ignore]]` is.
    pub origin: Origin,
}

impl SourceMapping {
    /// Every column of the export the source reads: in its scope rules, conditions and fields.
    pub fn columns_read(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for rule in &self.scope {
            out.extend(rule.condition.columns());
            out.extend(rule.reason_column.as_deref());
        }
        for t in &self.targets {
            out.extend(t.when.iter().flat_map(Condition::columns));
            out.extend(t.fields.iter().flat_map(FieldMapping::columns));
        }
        out
    }

    /// What becomes of each column of `headers`: carried, ignored with its reason, or not
    /// carried; in header order.
    pub fn column_ledger(&self, headers: &[String]) -> Vec<(String, ColumnFate)> {
        let read = self.columns_read();
        headers
            .iter()
            .map(|h| {
                let fate = if read.contains(&h.as_str()) {
                    ColumnFate::Carried
                } else if let Some(reason) = self.ignore_columns.get(h) {
                    ColumnFate::Ignored(reason.clone())
                } else {
                    ColumnFate::NotCarried
                };
                (h.clone(), fate)
            })
            .collect()
    }
}

/// What becomes of one column of an export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnFate {
    /// A mapping reads it.
    Carried,
    /// The mapping declares it not needed, for this reason.
    Ignored(String),
    /// Nothing reads it and nothing says why: its data stays behind.
    NotCarried,
}

/// One `[[scope]]` rule.
#[derive(Debug, Clone)]
pub struct ScopeRule {
    /// The condition a row must meet to be in scope.
    pub condition: Condition,
    /// The exclusion reason when it does not.
    pub reason: String,
    /// A column whose value, when not blank, is the exclusion reason instead.
    pub reason_column: Option<String>,
    /// Where the rule is.
    pub origin: Origin,
}

/// One `[[target]]`.
#[derive(Debug, Clone)]
pub struct TargetMapping {
    /// The company table.
    pub table: Table,
    /// Natural key columns.
    pub key: Vec<String>,
    /// Only rows meeting this feed the table.
    pub when: Option<Condition>,
    /// Reference rows collected from the export's values: repeats merge.
    pub distinct: bool,
    /// Fields, in the table's column order.
    pub fields: Vec<FieldMapping>,
    /// Where `[[target]]` is.
    pub origin: Origin,
}

/// Where a field's value comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldInput {
    /// A source column.
    Column(String),
    /// A constant.
    Value(String),
    /// Several columns joined: each column's trimmed text, with the text between.
    Joined(Vec<Part>),
}

/// One part of a joined field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Literal text (a separator).
    Text(String),
    /// A source column's trimmed text.
    Column(String),
}

/// Letter case applied to text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// As read.
    Keep,
    /// UPPER.
    Upper,
    /// lower.
    Lower,
}

/// An accepted date format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateFormat {
    /// A strftime pattern such as `%d/%m/%Y`.
    Pattern(String),
    /// An Excel serial day number, in the workbook's date system.
    Excel,
    /// ISO 8601 `YYYY-MM-DD`.
    Iso,
}

/// How one company field is filled.
#[derive(Debug, Clone)]
pub struct FieldMapping {
    /// The company column.
    pub target: Column,
    /// The column's code list, as in force on the as-at date.
    pub codelist: Option<Arc<CodeList>>,
    /// Where the value comes from.
    pub input: FieldInput,
    /// The type to parse as.
    pub ty: ColType,
    /// Accepted date formats, tried in order.
    pub formats: Vec<DateFormat>,
    /// Trim white space.
    pub trim: bool,
    /// Letter case.
    pub case: Case,
    /// Values meaning blank besides the empty string.
    pub null_values: Vec<String>,
    /// Used when blank.
    pub default: Option<String>,
    /// Crosswalk name.
    pub crosswalk: Option<String>,
    /// Spellings of true.
    pub true_values: Vec<String>,
    /// Spellings of false.
    pub false_values: Vec<String>,
    /// Blank is a missing-value finding.
    pub required: bool,
    /// Runs of white space inside the value become one space.
    pub collapse_spaces: bool,
    /// A pattern the value must match; its first capture group is the value.
    pub extract: Option<crate::schema::Pattern>,
    /// Numbers are written with a decimal comma (`0,5`).
    pub decimal_comma: bool,
    /// Two-digit years (`%y`) fall in the hundred years from this one.
    pub century_from: Option<i16>,
    /// The reference is matched through this unique column of the referenced table, and
    /// replaced by the referenced key after loading.
    pub via: Option<String>,
    /// Where the field is declared.
    pub origin: Origin,
}

impl FieldMapping {
    /// The source column, if the field reads one.
    pub fn column(&self) -> Option<&str> {
        match &self.input {
            FieldInput::Column(c) => Some(c),
            FieldInput::Value(_) | FieldInput::Joined(_) => None,
        }
    }

    /// Every source column the field reads.
    pub fn columns(&self) -> Vec<&str> {
        match &self.input {
            FieldInput::Column(c) => vec![c.as_str()],
            FieldInput::Value(_) => Vec::new(),
            FieldInput::Joined(parts) => parts
                .iter()
                .filter_map(|p| match p {
                    Part::Column(c) => Some(c.as_str()),
                    Part::Text(_) => None,
                })
                .collect(),
        }
    }

    /// The source column (or columns, joined with ` + `) as findings name it.
    pub fn column_label(&self) -> Option<String> {
        let columns = self.columns();
        (!columns.is_empty()).then(|| columns.join(" + "))
    }
}

/// A crosswalk from council codes to a company code list.
#[derive(Debug, Clone)]
pub struct Crosswalk {
    /// Its name.
    pub name: String,
    /// The company code list it maps onto.
    pub codelist: Arc<CodeList>,
    /// Match ignoring case.
    pub ignore_case: bool,
    /// Council code (upper-cased when `ignore_case`) to company code.
    pub entries: BTreeMap<String, String>,
    /// Where it is declared.
    pub origin: Origin,
}

impl Crosswalk {
    /// The company code for a council code, if the crosswalk has one. It is asked once per cell:
    /// a short code is upper-cased inline, without an allocation.
    pub fn lookup(&self, code: &str) -> Option<&str> {
        if self.ignore_case {
            let upper = compact_str::CompactString::from_str_to_uppercase(code);
            self.entries.get(upper.as_str()).map(String::as_str)
        } else {
            self.entries.get(code).map(String::as_str)
        }
    }
}

/// `[as_at]`: where the extract's as-at date is written.
#[derive(Debug, Clone)]
pub struct AsAtRule {
    /// File of the input folder (a glob).
    pub file: String,
    /// Its first capture group is the date.
    pub pattern: crate::schema::Pattern,
    /// The line of the file to read, instead of its name.
    pub line: Option<usize>,
    /// How the date is written.
    pub formats: Vec<DateFormat>,
    /// Where `[as_at]` is.
    pub origin: Origin,
}

/// `[controls]`.
#[derive(Debug, Clone)]
pub struct ControlsFile {
    /// CSV in the input folder.
    pub file: String,
    /// Column naming the measure.
    pub measure_column: String,
    /// Column with the expected count.
    pub expected_column: String,
}

/// `[[control]]`.
#[derive(Debug, Clone)]
pub struct Control {
    /// Measure name.
    pub name: String,
    /// What it counts.
    pub description: String,
    /// SQL counting what transferred.
    pub sql: String,
    /// Where it is declared.
    pub origin: Origin,
}
