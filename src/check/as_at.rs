//! A run without an as-at date: the figures that count from it (such as visits within ten
//! working days of the as-at date) and the rules that read it cannot be computed. That is said as
//! a warning finding naming them, never left as a silent gap in the report.
use rusqlite::Connection;

use crate::finding::{Builtin, Finding, Severity};
use crate::mapping::MappingSet;

/// Records a warning when the run has no as-at date and a figure or rule needs one; true when it
/// did.
pub fn check(
    conn: &Connection,
    set: &MappingSet,
    as_at: Option<jiff::civil::Date>,
) -> rusqlite::Result<bool> {
    let figures = set.schema.figures.iter().filter(|f| f.uses_as_at());
    let rules = set.schema.rules.iter().filter(|r| r.uses_as_at());
    let needing: Vec<&str> = figures
        .map(|f| f.name.as_str())
        .chain(rules.map(|r| r.code.as_str()))
        .collect();
    if as_at.is_some() || needing.is_empty() {
        return Ok(false);
    }
    let message = format!(
        "the extract has no as-at date (give --as-at, name the input folder by the date, or declare `[as_at]` in the mapping set), so these figures and rules are not computed: {}",
        needing.join(", ")
    );
    let finding = Finding::builtin(Builtin::NoAsAtDate, Severity::Warning, "run", message);
    crate::audit::findings::insert(conn, &finding)?;
    Ok(true)
}
