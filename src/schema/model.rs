//! The company schema as data, once read from its folder and resolved: tables and columns with
//! their keys, references and value constraints, code lists with labels and validity, declared
//! rules, and the service figures and breakdowns the report shows. Everything downstream (the DDL,
//! the mapping resolution, the loader's conversions, the checks, the figures and the docs) works
//! from these types alone.
use std::sync::Arc;

use super::codelists::CodeList;
use super::rules::SchemaRule;

/// Where in a schema folder something is declared.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SchemaOrigin {
    /// File, relative to the schema folder, with `/` separators.
    pub file: String,
    /// 1-based line.
    pub line: usize,
}

/// A column's type in the company schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColType {
    /// Text.
    Text,
    /// Whole number.
    Integer,
    /// Decimal number (stored as REAL).
    Decimal,
    /// True or false (stored as INTEGER 0 or 1).
    Boolean,
    /// Calendar date, stored as ISO 8601 text `YYYY-MM-DD`.
    Date,
}

impl ColType {
    /// Every type, in the order the docs list them.
    pub const ALL: [ColType; 5] = [
        ColType::Text,
        ColType::Integer,
        ColType::Decimal,
        ColType::Boolean,
        ColType::Date,
    ];

    /// The name schema and mapping files use for this type.
    pub fn name(self) -> &'static str {
        match self {
            ColType::Text => "text",
            ColType::Integer => "integer",
            ColType::Decimal => "decimal",
            ColType::Boolean => "boolean",
            ColType::Date => "date",
        }
    }

    /// The type called `name`.
    pub fn from_name(name: &str) -> Option<ColType> {
        Self::ALL.into_iter().find(|t| t.name() == name)
    }

    /// The SQLite storage type.
    pub fn sql(self) -> &'static str {
        match self {
            ColType::Text | ColType::Date => "TEXT",
            ColType::Integer | ColType::Boolean => "INTEGER",
            ColType::Decimal => "REAL",
        }
    }
}

/// A reference from a column to a unique column of another table: a foreign key and its orphan
/// rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The referenced table.
    pub table: String,
    /// The referenced column (a key of that table).
    pub column: String,
    /// The orphan rule's stable code.
    pub rule: String,
    /// The relation in words, for messages (for example "placement to child").
    pub relation: String,
    /// How to fix an orphan, for the docs.
    pub fix: String,
}

/// Bounds on a column's values beyond its type. Each becomes part of the column's `CHECK`
/// constraint and is checked by the loader, which reports a located finding.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Constraints {
    /// Inclusive lower bound of a number.
    pub min: Option<f64>,
    /// Inclusive upper bound of a number.
    pub max: Option<f64>,
    /// Exclusive lower bound of a number.
    pub greater_than: Option<f64>,
    /// Exclusive upper bound of a number.
    pub less_than: Option<f64>,
    /// Shortest text, in characters.
    pub min_length: Option<u32>,
    /// Longest text, in characters.
    pub max_length: Option<u32>,
    /// A regular expression the whole text must match (checked by the loader only: SQLite has no
    /// built-in regular expressions).
    pub pattern: Option<Pattern>,
    /// Earliest date allowed.
    pub not_before: Option<jiff::civil::Date>,
    /// Latest date allowed.
    pub not_after: Option<jiff::civil::Date>,
}

/// A compiled regular expression that must match a whole value; equal when the source is.
#[derive(Debug, Clone)]
pub struct Pattern(pub regex::Regex);

impl PartialEq for Pattern {
    fn eq(&self, other: &Self) -> bool {
        self.0.as_str() == other.0.as_str()
    }
}

impl Constraints {
    /// True when no bound is set.
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }
}

/// One column of a company table.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Column name.
    pub name: String,
    /// Type.
    pub ty: ColType,
    /// NOT NULL: a mapping must give it a value.
    pub required: bool,
    /// Code list whose codes the column may hold.
    pub codelist: Option<String>,
    /// Foreign key, if the column refers to another table.
    pub references: Option<Reference>,
    /// Personal data (names, dates of birth, UPNs, postcodes): never printed by default.
    pub personal: bool,
    /// Value bounds.
    pub constraints: Constraints,
    /// What the column holds.
    pub doc: String,
    /// Where it is declared.
    pub origin: SchemaOrigin,
}

/// One company table.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Table name.
    pub name: String,
    /// What a row is.
    pub doc: String,
    /// Primary key columns (one or several).
    pub key: Vec<String>,
    /// Further unique keys.
    pub unique: Vec<Vec<String>>,
    /// Columns, in declared order.
    pub columns: Vec<Column>,
    /// Where it is declared.
    pub origin: SchemaOrigin,
}

impl Table {
    /// The column called `name`.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// True when `columns` (in any order) are the primary key or a declared unique key, so that a
    /// reference may point at them.
    pub fn is_unique(&self, columns: &[&str]) -> bool {
        let same = |key: &[String]| {
            key.len() == columns.len() && key.iter().all(|k| columns.contains(&k.as_str()))
        };
        same(&self.key) || self.unique.iter().any(|u| same(u))
    }
}

/// How a service figure's query is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// One number.
    Count,
    /// Two numbers: round(100 × numerator ÷ denominator).
    Percent,
    /// Two numbers: round(numerator ÷ denominator).
    Average,
}

impl Unit {
    /// Every unit.
    pub const ALL: [Unit; 3] = [Unit::Count, Unit::Percent, Unit::Average];

    /// The name figure files use.
    pub fn name(self) -> &'static str {
        match self {
            Unit::Count => "count",
            Unit::Percent => "percent",
            Unit::Average => "average",
        }
    }

    /// The unit called `name`.
    pub fn from_name(name: &str) -> Option<Unit> {
        Self::ALL.into_iter().find(|u| u.name() == name)
    }

    /// How many values the query returns.
    pub fn arity(self) -> usize {
        match self {
            Unit::Count => 1,
            Unit::Percent | Unit::Average => 2,
        }
    }
}

/// A service figure: a named query on the company tables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FigureDef {
    /// Stable name, unique among the schema's figures.
    pub name: String,
    /// What it counts, in words.
    pub label: String,
    /// How to read the query's result.
    pub unit: Unit,
    /// The query.
    pub sql: String,
    /// Tables that must have rows for the figure to be available.
    pub requires: Vec<String>,
    /// Where it is declared.
    pub origin: SchemaOrigin,
}

impl FigureDef {
    /// True when the query uses the as-at date.
    pub fn uses_as_at(&self) -> bool {
        self.sql.contains(":as_at")
    }
}

/// A breakdown: a query giving a count per value of one dimension.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BreakdownDef {
    /// Stable name, such as `staff_by_team`.
    pub name: String,
    /// What it counts, in words.
    pub title: String,
    /// The dimension counted by.
    pub dimension: String,
    /// The code list of the dimension's values, for labels.
    pub codelist: Option<String>,
    /// The query: value, count.
    pub sql: String,
    /// Where it is declared.
    pub origin: SchemaOrigin,
}

/// One file of a schema folder, with its bytes as read, for the audit trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaFile {
    /// Path relative to the schema folder.
    pub path: String,
    /// Its bytes as read, hashed only by a run that records them (`handover validate` does not).
    pub bytes: Arc<[u8]>,
}

/// A whole company schema.
#[derive(Debug, Clone, Default)]
pub struct Schema {
    /// The folder it was read from.
    pub dir: std::path::PathBuf,
    /// The company's name.
    pub company: String,
    /// What the company is.
    pub description: String,
    /// Tables, in load order.
    pub tables: Vec<Table>,
    /// Code lists, by name order.
    pub code_lists: Vec<Arc<CodeList>>,
    /// Declared rules, in declared order.
    pub rules: Vec<SchemaRule>,
    /// Service figures, in report order.
    pub figures: Vec<FigureDef>,
    /// Breakdowns, in report order.
    pub breakdowns: Vec<BreakdownDef>,
    /// Every file read, sorted by path.
    pub files: Vec<SchemaFile>,
    /// How `handover export` writes the tables.
    pub export: Export,
}

/// How `handover export` writes the company tables: one CSV per table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Export {
    /// How dates are written (strftime); ISO `YYYY-MM-DD` when not given.
    pub date_format: Option<String>,
    /// The file a table is written to, by table; `TABLE.csv` when not given.
    pub files: std::collections::BTreeMap<String, String>,
    /// Write the header's column names in upper case (as the DfE's returns name them).
    pub upper_case_header: bool,
    /// The XML layouts the tables can be written in (`[[export.xml]]`), the default first.
    pub xml: Vec<XmlExport>,
}

/// `[[export.xml]]`: the tables as one XML file, each key's records grouped in one element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlExport {
    /// The layout's name.
    pub name: String,
    /// The file written.
    pub file: String,
    /// The root element.
    pub root: String,
    /// The element grouping one key's records.
    pub group: String,
    /// The column, in every table, whose value groups the records.
    pub group_key: String,
    /// The element holding the group key in each group's head record.
    pub key_element: String,
    /// Empty elements written `<X />` rather than `<X/>`.
    pub spaced_empty: bool,
    /// Each table's element and columns, the head first, in the order they are written.
    pub records: Vec<XmlRecord>,
    /// What the head element holds after the key, in order.
    pub head: Vec<HeadItem>,
    /// The tables the layout has no element for, with the reason: (table, reason).
    pub left_out: Vec<(String, String)>,
}

/// One item of the head element, after the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeadItem {
    /// The head table's column, by its position in the head record's columns.
    Column(usize),
    /// A `nested` or `merged` record, by its position in the records.
    Record(usize),
}

/// Where a table's records are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// The head of each group (the first record).
    Head,
    /// Beside the head, after it, in the group element.
    After,
    /// Inside the head, each row its own element.
    Nested,
    /// Inside the head, the row's columns as elements of the head itself (one row per group).
    Merged,
}

/// One table's element in `[[export.xml]]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlRecord {
    /// The table.
    pub table: String,
    /// Its element (empty for a merged table).
    pub element: String,
    /// Where its records go.
    pub place: Place,
    /// The columns written, in order (the group key only in the head, as `key_element`).
    pub columns: Vec<String>,
    /// The element of each of `columns`.
    pub names: Vec<String>,
    /// For a merged table: the element written in every head saying whether it has a row.
    pub flag: Option<XmlFlag>,
    /// Columns not written, held once in the head: (column, the head's column).
    pub from_head: Vec<(String, String)>,
    /// For a merged table: the position in `columns` of the column a reader recognises its row by.
    pub recognised_by: Option<usize>,
}

/// A merged table's flag in the head (`[[export.xml.record]] flag`): `<UASC>1</UASC>` when the
/// group has a row, `<UASC>0</UASC>` (or an empty element) when not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlFlag {
    /// The element.
    pub element: String,
    /// Its value when the group has a row.
    pub present: String,
    /// Its value when the group has none.
    pub absent: String,
}

impl Export {
    /// A column's name in the header.
    pub fn header(&self, column: &str) -> String {
        if self.upper_case_header {
            column.to_uppercase()
        } else {
            column.to_string()
        }
    }

    /// The file `table` is written to.
    pub fn file(&self, table: &str) -> String {
        self.files
            .get(table)
            .cloned()
            .unwrap_or_else(|| format!("{table}.csv"))
    }
}

impl Schema {
    /// The table called `name`.
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name)
    }

    /// The code list called `name`.
    pub fn code_list(&self, name: &str) -> Option<&Arc<CodeList>> {
        self.code_lists.iter().find(|c| c.name == name)
    }

    /// Position of `table` in load order (`usize::MAX` when unknown).
    pub fn load_rank(&self, table: &str) -> usize {
        self.tables
            .iter()
            .position(|t| t.name == table)
            .unwrap_or(usize::MAX)
    }

    /// The stable code of every rule this schema declares: orphan rules of its references, then
    /// its declared rules.
    pub fn rule_codes(&self) -> impl Iterator<Item = &str> {
        let orphans = self
            .tables
            .iter()
            .flat_map(|t| &t.columns)
            .filter_map(|c| c.references.as_ref().map(|r| r.rule.as_str()));
        orphans.chain(self.rules.iter().map(|r| r.code.as_str()))
    }

    /// The code lists as in force on `as_at`: codes whose validity does not cover the date are
    /// dropped. Without a date every code is kept.
    pub fn in_force(mut self, as_at: Option<jiff::civil::Date>) -> Schema {
        if let Some(date) = as_at {
            self.code_lists = self
                .code_lists
                .iter()
                .map(|l| Arc::new(l.in_force(date)))
                .collect();
        }
        self
    }
}
