//! A schema folder's files as written: serde types that mirror the TOML keys one to one, with
//! spans so that every diagnostic can point at a line and column. docs/schema.md documents each
//! key. A folder may spread its sections over any number of `*.toml` files.
use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

/// Every key a schema file may hold at the top level.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSchemaFile {
    /// `[company]`: who the schema is for.
    pub company: Option<Spanned<RawCompany>>,
    /// `[[table]]`: the tables, in load order.
    #[serde(default)]
    pub table: Vec<Spanned<RawTable>>,
    /// `[codelist.NAME]`: the code lists.
    #[serde(default)]
    pub codelist: BTreeMap<Spanned<String>, Spanned<RawCodeList>>,
    /// `[[rule]]`: rules beyond keys, references and code lists.
    #[serde(default)]
    pub rule: Vec<Spanned<RawRule>>,
    /// `[[figure]]`: the service figures.
    #[serde(default)]
    pub figure: Vec<Spanned<RawFigure>>,
    /// `[[breakdown]]`: counts per value of one dimension.
    #[serde(default)]
    pub breakdown: Vec<Spanned<RawBreakdown>>,
    /// `[export]`: how `handover export` writes the tables.
    pub export: Option<Spanned<RawExport>>,
}

/// `[export]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawExport {
    /// How dates are written (strftime; default `%Y-%m-%d`).
    pub date_format: Option<Spanned<String>>,
    /// The file each table is written to (default `TABLE.csv`).
    pub files: Option<Spanned<BTreeMap<String, String>>>,
    /// The header's letter case: `as_declared` (default) or `upper`.
    pub column_case: Option<Spanned<String>>,
    /// `[[export.xml]]`: the XML layouts `handover export --format xml` can write, the first the
    /// default.
    #[serde(default, deserialize_with = "layouts")]
    pub xml: Option<Vec<Spanned<RawXmlExport>>>,
}

/// `[[export.xml]]`, each a layout; a single `[export.xml]` (the form before layouts had names)
/// is refused with what to write instead.
fn layouts<'de, D>(d: D) -> Result<Option<Vec<Spanned<RawXmlExport>>>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    struct Layouts;
    impl<'de> serde::de::Visitor<'de> for Layouts {
        type Value = Vec<Spanned<RawXmlExport>>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("`[[export.xml]]` tables, each a layout with a `name`")
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
            Deserialize::deserialize(serde::de::value::SeqAccessDeserializer::new(seq))
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
            Err(serde::de::Error::custom(
                "`[export.xml]` is written `[[export.xml]]` with a `name` (a schema may declare several layouts, docs/schema.md)",
            ))
        }
    }
    d.deserialize_any(Layouts).map(Some)
}

/// `[[export.xml]]`: one named layout.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawXmlExport {
    /// The layout's name (`handover export --layout NAME`).
    pub name: Spanned<String>,
    /// The file written (a plain file name).
    pub file: Spanned<String>,
    /// The root element.
    pub root: Spanned<String>,
    /// The element that groups one key's records.
    pub group: Spanned<String>,
    /// The column, in every table, whose value groups the records.
    pub group_key: Spanned<String>,
    /// The element that holds the group key in the first record (the head) of each group.
    pub key_element: Spanned<String>,
    /// How an empty element is written: `compact` (`<X/>`, the default) or `spaced` (`<X />`).
    pub empty_element: Option<Spanned<String>>,
    /// The tables the layout has no element for, each with the reason.
    pub leave_out: Option<Spanned<BTreeMap<String, String>>>,
    /// `[[export.xml.record]]`: each table's element, the head first.
    pub record: Vec<Spanned<RawXmlRecord>>,
}

/// `[[export.xml.record]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawXmlRecord {
    /// The table.
    pub table: Spanned<String>,
    /// Its element (for a `merged` table, none: its columns are elements of the head).
    pub element: Option<Spanned<String>>,
    /// Where its records go: `after` the head (default), `nested` in it, or `merged` into it.
    pub place: Option<Spanned<String>>,
    /// For a `nested` or `merged` table: the head column it is written before (default: after
    /// the head's columns).
    pub before: Option<Spanned<String>>,
    /// For a `merged` table: an element written in the head whether or not the table has a row,
    /// holding `value` when it has.
    pub flag: Option<Spanned<RawXmlFlag>>,
    /// The columns written, in order (default: the table's, but the group key and `from_head`).
    pub columns: Option<Spanned<Vec<String>>>,
    /// Element names of columns whose element is not the column's name (`place = "PL"`).
    pub elements: Option<Spanned<BTreeMap<String, String>>>,
    /// Columns not written because the layout holds them once, in the head: column to the head's
    /// column (`dob = "dob"`). A row whose value differs is reported as not carried.
    pub from_head: Option<Spanned<BTreeMap<String, String>>>,
    /// For a `merged` table without a `flag`: the column a reader of the layout recognises its
    /// row by. A row with it blank is written but reported as one a reader would not recognise.
    pub recognised_by: Option<Spanned<String>>,
}

/// `flag = { element = "UASC", value = "1", absent = "0" }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawXmlFlag {
    /// The element.
    pub element: String,
    /// Its value when the table has a row for the group.
    pub value: String,
    /// Its value when the table has none (default: empty).
    #[serde(default)]
    pub absent: String,
}

/// `[company]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCompany {
    /// The company's name.
    pub name: Spanned<String>,
    /// What it is.
    pub description: Option<String>,
}

/// `[[table]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTable {
    /// Table name.
    pub name: Spanned<String>,
    /// What a row is.
    pub description: Option<String>,
    /// Primary key columns.
    pub primary_key: Spanned<Vec<String>>,
    /// Further unique keys, each a list of columns.
    pub unique: Option<Spanned<Vec<Vec<String>>>>,
    /// The columns, in order.
    pub columns: Vec<Spanned<RawColumn>>,
}

/// One column of `columns = [...]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawColumn {
    /// Column name.
    pub name: Spanned<String>,
    /// `text`, `integer`, `decimal`, `boolean` or `date`.
    #[serde(rename = "type")]
    pub ty: Spanned<String>,
    /// NOT NULL.
    pub required: Option<bool>,
    /// Personal data: never printed by default.
    pub personal: Option<bool>,
    /// What it holds.
    pub description: Option<String>,
    /// Code list.
    pub codelist: Option<Spanned<String>>,
    /// `table.column` it refers to.
    pub references: Option<Spanned<String>>,
    /// The orphan rule's code, with `references`.
    pub rule: Option<Spanned<String>>,
    /// The relation in words, with `references`.
    pub relation: Option<String>,
    /// How to fix an orphan, with `references`.
    pub fix: Option<String>,
    /// Inclusive lower bound.
    pub min: Option<f64>,
    /// Inclusive upper bound.
    pub max: Option<f64>,
    /// Exclusive lower bound.
    pub greater_than: Option<f64>,
    /// Exclusive upper bound.
    pub less_than: Option<f64>,
    /// Shortest text.
    pub min_length: Option<u32>,
    /// Longest text.
    pub max_length: Option<u32>,
    /// Regular expression the whole text must match.
    pub pattern: Option<Spanned<String>>,
    /// Earliest date (`YYYY-MM-DD`).
    pub not_before: Option<Spanned<String>>,
    /// Latest date (`YYYY-MM-DD`).
    pub not_after: Option<Spanned<String>>,
}

/// `[codelist.NAME]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCodeList {
    /// What it codes.
    pub description: Option<String>,
    /// Crosswalks onto it must cover every code in force.
    pub cover_in_full: Option<bool>,
    /// Inline codes: code to label.
    pub codes: Option<Spanned<BTreeMap<String, String>>>,
    /// CSV file (code, label, valid_from, valid_to) relative to the schema folder.
    pub file: Option<Spanned<String>>,
}

/// `[[rule]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRule {
    /// Stable code.
    pub code: Spanned<String>,
    /// `unallocated`, `row`, `existence` or `agreement`.
    #[serde(rename = "type")]
    pub ty: Spanned<String>,
    /// `error` (default) or `warning`.
    pub severity: Option<Spanned<String>>,
    /// One line.
    pub title: String,
    /// In full.
    pub meaning: Option<String>,
    /// How to fix the data.
    pub fix: Option<String>,
    /// The table checked.
    pub table: Spanned<String>,
    /// The column a finding names.
    pub column: Option<Spanned<String>>,
    /// Which rows the rule applies to (SQL condition).
    #[serde(rename = "where")]
    pub filter: Option<Spanned<String>>,
    /// `row`: the condition every row meets.
    pub check: Option<Spanned<String>>,
    /// `existence`: the other table.
    pub exists_in: Option<Spanned<String>>,
    /// `existence`, `agreement`: this table's column to the other table's column.
    pub on: Option<Spanned<BTreeMap<String, String>>>,
    /// `existence`: a condition on the other table's row.
    pub exists_where: Option<Spanned<String>>,
    /// `agreement`: the other table.
    pub other_table: Option<Spanned<String>>,
    /// `agreement`: the column there.
    pub other_column: Option<Spanned<String>>,
    /// The finding's message.
    pub message: Spanned<String>,
}

/// `[[figure]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFigure {
    /// Stable name.
    pub name: Spanned<String>,
    /// What it counts.
    pub label: String,
    /// `count`, `percent` or `average`.
    pub unit: Spanned<String>,
    /// The query.
    pub sql: Spanned<String>,
    /// Tables that must have rows.
    pub requires: Option<Spanned<Vec<String>>>,
}

/// `[[breakdown]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBreakdown {
    /// Stable name.
    pub name: Spanned<String>,
    /// What it counts.
    pub title: String,
    /// The dimension counted by.
    pub dimension: String,
    /// Code list of the values, for labels.
    pub codelist: Option<Spanned<String>>,
    /// The query: value, count.
    pub sql: Spanned<String>,
}

#[cfg(test)]
mod tests {
    /// Every key a schema file accepts is documented in docs/schema.md.
    #[test]
    fn docs_document_every_key() {
        let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/schema.md"))
            .unwrap();
        let keys = [
            "name",
            "description",
            "primary_key",
            "unique",
            "columns",
            "type",
            "required",
            "personal",
            "codelist",
            "references",
            "rule",
            "relation",
            "fix",
            "min`, `max",
            "greater_than`, `less_than",
            "min_length`, `max_length",
            "pattern",
            "not_before`, `not_after",
            "codes",
            "file",
            "cover_in_full",
            "code",
            "severity",
            "title",
            "meaning",
            "table",
            "column",
            "where",
            "check",
            "exists_in",
            "on",
            "exists_where",
            "other_table",
            "other_column",
            "message",
            "label",
            "unit",
            "sql",
            "requires",
            "dimension",
            "date_format",
            "files",
            "column_case",
        ];
        for k in keys {
            assert!(
                docs.contains(&format!("| `{k}` |")),
                "docs/schema.md lacks `{k}`"
            );
        }
    }
}
