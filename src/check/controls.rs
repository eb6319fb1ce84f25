//! Control totals: the counts the council states with its extract (such as 828 staff, 534
//! looked-after children, 450 child protection plans), compared with what transferred. The
//! expected figures come from the controls file in the input folder; the actual ones from each
//! control's SQL on the company database. A control that differs, or that the extract does not
//! state, is a finding.
use std::collections::BTreeMap;
use std::path::Path;

use rusqlite::Connection;

use super::{Finding, Severity};
use crate::audit;
pub use crate::audit::controls::ControlResult;
use crate::finding::Builtin;
use crate::load::LoadError;
use crate::mapping::{ControlsFile, MappingSet};

/// Evaluates every control of `set`, records the results and a finding for each that fails.
/// `counted`, when given, holds each control's count, made on this database already
/// ([`super::early`]).
pub fn check(
    conn: &Connection,
    set: &MappingSet,
    input_dir: &Path,
    counted: Option<Vec<i64>>,
) -> Result<Vec<ControlResult>, LoadError> {
    let expected = match &set.controls_file {
        Some(cf) => read_expected(conn, cf, input_dir)?,
        None => BTreeMap::new(),
    };
    let counted = match counted {
        Some(counted) => counted,
        None => set
            .controls
            .iter()
            .map(|control| count(conn, control))
            .collect::<rusqlite::Result<_>>()?,
    };
    let mut results = Vec::new();
    for (control, actual) in set.controls.iter().zip(counted) {
        let want = expected.get(&control.name).copied();
        let ok = want == Some(actual);
        let result = ControlResult {
            name: control.name.clone(),
            description: control.description.clone(),
            expected: want,
            actual,
            ok,
        };
        audit::controls::insert(conn, &result)?;
        if !ok {
            audit::findings::insert(conn, &failure(control, want, actual))?;
        }
        results.push(result);
    }
    Ok(results)
}

/// What transferred by `control`'s SQL.
pub fn count(conn: &Connection, control: &crate::mapping::Control) -> rusqlite::Result<i64> {
    conn.query_row(&control.sql, [], |r| r.get(0))
}

fn failure(control: &crate::mapping::Control, want: Option<i64>, actual: i64) -> Finding {
    let message = match want {
        Some(e) => format!(
            "control `{}`: the extract states {e}, {actual} transferred (difference {})",
            control.name,
            actual - e
        ),
        None => format!(
            "control `{}`: the extract's controls file states no figure; {actual} transferred",
            control.name
        ),
    };
    let mut f = Finding::builtin(
        Builtin::ControlTotal,
        Severity::Error,
        &control.name,
        message,
    );
    f.key = Some(control.name.clone());
    f.value = Some(actual.to_string());
    f.mapping_file = Some(control.origin.file.clone());
    f.mapping_line = Some(control.origin.line as u64);
    f
}

/// Reads `measure,expected` pairs from the controls file, recording it as an input of the run.
fn read_expected(
    conn: &Connection,
    cf: &ControlsFile,
    input_dir: &Path,
) -> Result<BTreeMap<String, i64>, LoadError> {
    let mut spec = crate::source::SourceSpec {
        path: input_dir.join(&cf.file),
        display: cf.file.clone(),
        sheet: None,
        header_row: 1,
        delimiter: None,
        encoding: None,
        xml: None,
    };
    let file_id = crate::load::inputs::record_file(conn, &mut spec)?;
    let mut reader = crate::source::open(&spec)?;
    let col = |name: &str| {
        reader
            .headers()
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| LoadError::Controls {
                file: cf.file.clone(),
                line: 1,
                message: format!("no column `{name}`"),
            })
    };
    let (mi, ei) = (col(&cf.measure_column)?, col(&cf.expected_column)?);
    let mut row = crate::source::Row::default();
    let mut out = BTreeMap::new();
    let mut rows = 0u64;
    while reader.read_row(&mut row)? {
        rows += 1;
        let text = |i: usize| {
            crate::load::convert::cell_text(&row.cells[i])
                .unwrap_or_default()
                .trim()
                .to_string()
        };
        let value = text(ei).parse::<i64>().map_err(|_| LoadError::Controls {
            file: cf.file.clone(),
            line: row.line,
            message: format!("expected count `{}` is not a whole number", text(ei)),
        })?;
        out.insert(text(mi), value);
    }
    audit::inputs::set_rows_read(conn, file_id, rows)?;
    Ok(out)
}
