//! Resolving `[controls]` and `[[control]]`: where the extract's control totals are, and the SQL
//! that counts what transferred. Each control's SQL is prepared against the company schema, so a
//! typo in a table or column name is found by `handover validate`, not on go-live day.
use toml::Spanned;

use super::diagnostic::Sink;
use super::model::{Control, ControlsFile, Origin};
use super::raw::{RawControl, RawControls};
use super::source::check_relative_path;

/// Resolves `[controls]`.
pub fn controls_file(sink: &mut Sink, raw: &Spanned<RawControls>) -> Option<ControlsFile> {
    let r = raw.get_ref();
    if !check_relative_path(sink, &r.file, "controls file") {
        return None;
    }
    Some(ControlsFile {
        file: r.file.get_ref().replace('\\', "/"),
        measure_column: r
            .measure_column
            .clone()
            .unwrap_or_else(|| "measure".to_string()),
        expected_column: r
            .expected_column
            .clone()
            .unwrap_or_else(|| "expected".to_string()),
    })
}

/// Resolves one `[[control]]`, preparing its SQL on `schema_db` (an empty company database).
pub fn control(
    sink: &mut Sink,
    raw: &Spanned<RawControl>,
    file: &str,
    schema_db: &rusqlite::Connection,
) -> Option<Control> {
    let r = raw.get_ref();
    let sql = r.sql.get_ref().trim().to_string();
    let at = r.sql.span().start;
    if !sql.to_ascii_lowercase().starts_with("select") || sql.trim_end_matches(';').contains(';') {
        sink.error(
            "control",
            at,
            "a control's `sql` must be one `SELECT` statement",
        );
        return None;
    }
    match schema_db.prepare(&sql) {
        Ok(stmt) if stmt.column_count() == 1 => {}
        Ok(_) => {
            sink.error(
                "control",
                at,
                "a control's `sql` must return exactly one column",
            );
            return None;
        }
        Err(e) => {
            sink.error(
                "control",
                at,
                format!("the control's SQL does not run on the company schema: {e}"),
            );
            return None;
        }
    }
    let name = r.name.get_ref().trim().to_string();
    if name.is_empty() {
        sink.error("control", r.name.span().start, "a control needs a `name`");
        return None;
    }
    Some(Control {
        name,
        description: r.description.clone().unwrap_or_default(),
        sql,
        origin: Origin {
            file: file.to_string(),
            line: sink.line_of(raw.span().start),
        },
    })
}
