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

/// The number of columns `sql` returns, prepared on `db`. The audit tables are added to `db` only
/// when a query names one (most controls count company rows): creating them is most of the cost
/// of `handover validate`.
fn result_columns(db: &rusqlite::Connection, sql: &str) -> rusqlite::Result<usize> {
    match db.prepare(sql) {
        Err(e) if e.to_string().contains("no such table: handover_") && !has_audit_tables(db) => {
            let tables = company_tables(db)?;
            db.execute_batch(&crate::audit::audit_ddl(tables.iter().map(String::as_str)))?;
            db.prepare(sql).map(|s| s.column_count())
        }
        other => other.map(|s| s.column_count()),
    }
}

/// The company tables of a scratch database: every table but handover's own.
fn company_tables(db: &rusqlite::Connection) -> rusqlite::Result<Vec<String>> {
    let mut stmt = db.prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'handover\\_%' ESCAPE '\\' ORDER BY name",
    )?;
    let names = stmt.query_map([], |r| r.get(0))?;
    names.collect()
}

fn has_audit_tables(db: &rusqlite::Connection) -> bool {
    db.query_row(
        "SELECT count(*) FROM sqlite_master WHERE name = 'handover_run'",
        [],
        |r| r.get::<_, i64>(0),
    )
    .is_ok_and(|n| n > 0)
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
    match result_columns(schema_db, &sql) {
        Ok(1) => {}
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_control_may_count_audit_rows_and_an_unknown_table_is_an_error() {
        let db = rusqlite::Connection::open_in_memory().unwrap();
        db.execute_batch("CREATE TABLE staff (id TEXT);").unwrap();
        assert_eq!(
            result_columns(&db, "SELECT count(*) FROM staff").unwrap(),
            1
        );
        assert!(
            !has_audit_tables(&db),
            "not created for a company-only query"
        );
        let audit = "SELECT count(*), min(line) FROM handover_row WHERE outcome = 'rejected'";
        assert_eq!(result_columns(&db, audit).unwrap(), 2);
        assert!(has_audit_tables(&db));
        let e = result_columns(&db, "SELECT count(*) FROM handover_nothing").unwrap_err();
        assert!(
            e.to_string().contains("no such table: handover_nothing"),
            "{e}"
        );
        assert!(result_columns(&db, "SELECT * FROM placements").is_err());
    }
}
