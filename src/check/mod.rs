//! Checks after loading, and the findings they produce. Problems found while converting a row
//! (missing, invalid and uncoded values, duplicate keys) are recorded by the loader; the checks
//! here need the whole load: [`orphans`] of the schema's references, the schema's declared
//! [`rules`] (unallocated cases among them) and the mapping set's [`controls`] totals.

pub mod as_at;
pub mod controls;
pub mod early;
pub mod orphans;
pub mod rules;

pub use crate::finding::{Finding, Kind, Severity};

use rusqlite::Connection;

use crate::load::Load;
use crate::mapping::{FieldMapping, MappingSet};

/// A loaded row located for a finding: its source, the field that mapped a company column, and
/// its record key.
pub struct Located<'m> {
    /// The source file read.
    pub run: crate::load::SourceRun,
    /// The field mapping for the column, if the source maps it.
    pub field: Option<&'m FieldMapping>,
    /// The row's record key.
    pub key: Option<String>,
    /// Where the row starts, when that is not a line of its own (XML): the finding is placed
    /// there rather than at the row's number.
    pub place: Option<crate::source::Place>,
}

impl Located<'_> {
    /// An error finding about this row, filled with its file, line, column and mapping origin.
    pub fn finding(
        &self,
        rule: &str,
        kind: Kind,
        line: i64,
        value: Option<String>,
        message: String,
    ) -> Finding {
        Finding {
            rule: rule.to_string(),
            kind,
            severity: Severity::Error,
            rule_file: None,
            rule_line: None,
            entity: self.run.entity.clone(),
            key: self.key.clone(),
            file: Some(self.run.file.clone()),
            sheet: self.run.sheet.clone(),
            line: Some(self.place.map_or(line as u64, |p| p.line)),
            col: self.place.map(|p| p.col),
            column: self.field.and_then(|f| f.column().map(str::to_string)),
            value,
            message,
            mapping_file: self.field.map(|f| f.origin.file.clone()),
            mapping_line: self.field.map(|f| f.origin.line as u64),
        }
    }
}

/// Locates source row (`source_id`, `line`) and the field that maps `table.column`.
pub fn locate<'m>(
    conn: &Connection,
    set: &'m MappingSet,
    load: &Load,
    (source_id, line): (i64, i64),
    (table, column): (&str, &str),
) -> anyhow::Result<Located<'m>> {
    let Some(run) = load.sources.get(&source_id) else {
        return Err(crate::exit::bug(format!(
            "lineage names unknown source {source_id}"
        )));
    };
    let field = set.sources[run.mapping]
        .targets
        .iter()
        .filter(|t| t.table.name == table)
        .flat_map(|t| &t.fields)
        .find(|f| f.target.name == column);
    let key = crate::audit::lineage::record_key(conn, source_id, line)?;
    // Only an XML source's rows have a place; a CSV's findings need no look-up for it.
    let place = if crate::source::xml::is_xml(std::path::Path::new(&run.file)) {
        crate::audit::row_cols::place(conn, source_id, line)?
    } else {
        None
    };
    Ok(Located {
        run: run.clone(),
        field,
        key,
        place,
    })
}
