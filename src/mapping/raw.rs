//! The mapping file as written: serde types that mirror the TOML keys one to one, with spans so
//! that every later diagnostic can point at a line and column. docs/mapping.md documents each key.
use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

/// Every key a mapping file may hold at the top level. A file may hold any of the sections; the
/// Sunderland set keeps one source per file, crosswalks in crosswalks.toml and controls in
/// controls.toml.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFile {
    /// `[schema]`: the company schema folder the set maps onto (in one file of the set).
    pub schema: Option<Spanned<RawSchemaRef>>,
    /// `[source]`: the export this file maps.
    pub source: Option<Spanned<RawSource>>,
    /// `[[scope]]`: in-scope rules; a row failing one is excluded with its reason.
    #[serde(default)]
    pub scope: Vec<Spanned<RawCondition>>,
    /// `[[target]]`: the company tables a row feeds.
    #[serde(default)]
    pub target: Vec<Spanned<RawTarget>>,
    /// `[crosswalk.NAME]`: council codes to company codes.
    #[serde(default)]
    pub crosswalk: BTreeMap<Spanned<String>, Spanned<RawCrosswalk>>,
    /// `[controls]`: where the extract's control totals are.
    pub controls: Option<Spanned<RawControls>>,
    /// `[as_at]`: where the extract's as-at date is written, when its folder is not named by it.
    pub as_at: Option<Spanned<RawAsAt>>,
    /// `[[control]]`: one control total and the SQL that counts what transferred.
    #[serde(default)]
    pub control: Vec<Spanned<RawControl>>,
    /// `[[ignore]]`: an input file or sheet no mapping reads, on purpose, with the reason.
    #[serde(default)]
    pub ignore: Vec<Spanned<RawIgnore>>,
}

/// `[[ignore]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIgnore {
    /// File or glob, relative to the input folder.
    pub file: Spanned<String>,
    /// Sheet name or glob; without it the whole file is ignored.
    pub sheet: Option<Spanned<String>>,
    /// Why it is not read.
    pub reason: Spanned<String>,
}

/// `[schema]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSchemaRef {
    /// The schema folder, relative to the mapping folder (or absolute).
    pub folder: Spanned<String>,
}

/// `[source]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    /// Ledger entity name of the rows, as the ledger and findings show it.
    pub entity: Spanned<String>,
    /// File (or glob) relative to the input folder.
    pub file: Spanned<String>,
    /// Sheet name, for spreadsheets: one name or glob, or a list of them.
    pub sheet: Option<Spanned<OneOrMany>>,
    /// 1-based row holding the column names.
    pub header_row: Option<Spanned<i64>>,
    /// CSV delimiter: `,`, `\t`, `;` or `|`.
    pub delimiter: Option<Spanned<String>>,
    /// CSV encoding: `utf-8` or `windows-1252`.
    pub encoding: Option<Spanned<String>>,
    /// Columns of the export deliberately not carried, each with the reason.
    pub ignore_columns: Option<Spanned<BTreeMap<String, String>>>,
    /// XML: the path of the elements that are rows, from the root (`EXPSSDA903/CHILD/EPISODE`).
    pub record: Option<Spanned<String>>,
    /// XML: columns every record takes from an enclosing element read before it, each the path
    /// of an element or, last step `@name`, an attribute.
    pub inherit: Option<Spanned<BTreeMap<String, String>>>,
}

/// A condition, as `when` and `[[scope]]` write it: a test of one column (`column` with one of
/// `in`, `not_in`, `present`, a number bound or a date bound), or one of `all`, `any`, `not`.
/// `[[scope]]` adds `reason` and `reason_column`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCondition {
    /// Source column.
    pub column: Option<Spanned<String>>,
    /// The row passes when the (trimmed) value is one of these.
    #[serde(rename = "in")]
    pub in_: Option<Vec<String>>,
    /// The row passes when the value is none of these.
    pub not_in: Option<Vec<String>>,
    /// The row passes when the value is non-blank (`true`) or blank (`false`).
    pub present: Option<bool>,
    /// Compare text ignoring letter case.
    pub ignore_case: Option<bool>,
    /// The value is a number at least this.
    pub at_least: Option<f64>,
    /// The value is a number at most this.
    pub at_most: Option<f64>,
    /// The value is a number above this.
    pub above: Option<f64>,
    /// The value is a number below this.
    pub below: Option<f64>,
    /// The value is a date before this (`YYYY-MM-DD`).
    pub before: Option<Spanned<String>>,
    /// The value is a date after this.
    pub after: Option<Spanned<String>>,
    /// The value is a date on or before this.
    pub on_or_before: Option<Spanned<String>>,
    /// The value is a date on or after this.
    pub on_or_after: Option<Spanned<String>>,
    /// Date formats the value is read in, for date bounds.
    pub format: Option<Spanned<OneOrMany>>,
    /// Every condition holds.
    pub all: Option<Vec<Spanned<RawCondition>>>,
    /// At least one condition holds.
    pub any: Option<Vec<Spanned<RawCondition>>>,
    /// The condition does not hold.
    pub not: Option<Box<Spanned<RawCondition>>>,
    /// `[[scope]]`: why a row that fails is excluded, as the ledger shows it.
    pub reason: Option<Spanned<String>>,
    /// `[[scope]]`: a column whose value, when not blank, is the exclusion reason instead.
    pub reason_column: Option<Spanned<String>>,
}

/// `[[target]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTarget {
    /// Company table.
    pub table: Spanned<String>,
    /// Natural key fields; default: the table's primary key.
    pub key: Option<Spanned<Vec<String>>>,
    /// The rows are reference rows collected from the values of this export: repeats of a key
    /// merge, a repeat with other values is a finding, and the export's row never fails because
    /// of them.
    pub distinct: Option<bool>,
    /// Only rows meeting this condition feed the table.
    pub when: Option<Spanned<RawCondition>>,
    /// Company field name to how it is filled.
    #[serde(default)]
    pub fields: BTreeMap<Spanned<String>, Spanned<RawField>>,
}

/// One or several strings.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    /// `format = "%d/%m/%Y"`.
    One(String),
    /// `format = ["%d/%m/%Y", "excel"]`.
    Many(Vec<String>),
}

impl OneOrMany {
    /// The strings, in order.
    pub fn to_vec(&self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s.clone()],
            OneOrMany::Many(v) => v.clone(),
        }
    }
}

/// How one company field is filled.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawField {
    /// Source column.
    pub column: Option<Spanned<String>>,
    /// A constant instead of a column.
    pub value: Option<Spanned<String>>,
    /// Several columns joined with `separator`, instead of one.
    pub columns: Option<Spanned<Vec<String>>>,
    /// What goes between `columns` (default one space).
    pub separator: Option<String>,
    /// Text with `{Column Name}` in braces, instead of one column.
    pub template: Option<Spanned<String>>,
    /// A regular expression the value must match; its first capture group is the value.
    pub extract: Option<Spanned<String>>,
    /// Make runs of white space inside the value one space (default false).
    pub collapse_spaces: Option<bool>,
    /// The value writes numbers with a decimal comma (default false).
    pub decimal_comma: Option<bool>,
    /// The first year of the hundred two-digit years (`%y`) fall in.
    pub century_from: Option<Spanned<i64>>,
    /// Match the reference through this unique column of the referenced table.
    pub via: Option<Spanned<String>>,
    /// `text`, `integer`, `decimal`, `boolean` or `date`; default: the company column's type.
    #[serde(rename = "type")]
    pub ty: Option<Spanned<String>>,
    /// Date formats (strftime, `excel` for serial numbers, `iso`).
    pub format: Option<Spanned<OneOrMany>>,
    /// Trim white space (default true).
    pub trim: Option<bool>,
    /// `upper`, `lower` or `keep` (default).
    pub case: Option<Spanned<String>>,
    /// Values that mean blank, besides the empty string (for example `-1`).
    pub null_values: Option<Vec<String>>,
    /// Used when the value is blank.
    pub default: Option<Spanned<String>>,
    /// Crosswalk that turns the council's code into the company's.
    pub crosswalk: Option<Spanned<String>>,
    /// Spellings of true, for booleans.
    pub true_values: Option<Vec<String>>,
    /// Spellings of false, for booleans.
    pub false_values: Option<Vec<String>>,
    /// Override whether a blank is a finding (default: the company column's NOT NULL).
    pub required: Option<bool>,
}

/// `[crosswalk.NAME]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCrosswalk {
    /// The company code list the crosswalk maps onto.
    pub codelist: Spanned<String>,
    /// Inline `council code = company code` pairs.
    pub map: Option<Spanned<BTreeMap<Spanned<String>, Spanned<String>>>>,
    /// A CSV under the mapping folder with columns `council_code,company_code`.
    pub file: Option<Spanned<String>>,
    /// Match council codes ignoring case (default false).
    pub ignore_case: Option<bool>,
}

/// `[as_at]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAsAt {
    /// The file of the input folder that carries the date (a glob: the first match by name).
    pub file: Spanned<String>,
    /// A regular expression whose first capture group is the date.
    pub pattern: Spanned<String>,
    /// Read this line of the file (1-based; a title line) instead of the file's name.
    pub line: Option<Spanned<i64>>,
    /// How the date is written (default `iso`).
    pub format: Option<Spanned<OneOrMany>>,
}

/// `[controls]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawControls {
    /// CSV in the input folder with the control totals.
    pub file: Spanned<String>,
    /// Column naming the measure (default `measure`).
    pub measure_column: Option<String>,
    /// Column holding the expected count (default `expected`).
    pub expected_column: Option<String>,
}

/// `[[control]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawControl {
    /// The measure's name, as in the controls file.
    pub name: Spanned<String>,
    /// What it counts, in words.
    pub description: Option<String>,
    /// A single `SELECT` returning one integer: what transferred.
    pub sql: Spanned<String>,
}

#[cfg(test)]
mod tests {
    /// Every key a mapping file accepts is documented in docs/mapping.md.
    #[test]
    fn docs_document_every_key() {
        let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/mapping.md"))
            .unwrap();
        let keys = [
            "folder",
            "entity",
            "file",
            "sheet",
            "header_row",
            "delimiter",
            "encoding",
            "column",
            "in",
            "not_in",
            "present",
            "reason",
            "table",
            "key",
            "when",
            "fields",
            "value",
            "type",
            "format",
            "trim",
            "case",
            "null_values",
            "default",
            "crosswalk",
            "true_values",
            "false_values",
            "required",
            "columns",
            "separator",
            "template",
            "extract",
            "collapse_spaces",
            "decimal_comma",
            "century_from",
            "via",
            "ignore_case",
            "at_least",
            "at_most",
            "above",
            "below",
            "before",
            "after",
            "on_or_before",
            "on_or_after",
            "all",
            "any",
            "not",
            "reason_column",
            "distinct",
            "ignore_columns",
            "record",
            "inherit",
            "pattern",
            "line",
            "codelist",
            "map",
            "ignore_case",
            "measure_column",
            "expected_column",
            "name",
            "description",
            "sql",
        ];
        for k in keys {
            assert!(
                docs.contains(&format!("| `{k}`")) || docs.contains(&format!("] {k}`")),
                "docs/mapping.md lacks `{k}`"
            );
        }
    }
}
