//! The service figures counted a second time, independently of the load: the source exports are
//! re-read through the mapping set into a scratch database that holds the figures' tables with
//! no constraint at all, and each figure's query runs there. Rows go in as the exports give them:
//! in scope (scope rules and `when` conditions applied), each field converted on its own through
//! [`crate::load::convert::convert`] (a value that does not convert is NULL), the first row of a
//! key kept as the load keeps it. No row is rejected, no orphan removed, no check run: the
//! difference between the two sides is what the transfer changed.
//!
//! The source side is only computed when the input folder and the mapping folder the run recorded
//! are still there and every file's SHA-256 matches the audit tables; otherwise it is reported as
//! unavailable, never guessed.
use std::collections::BTreeMap;
use std::path::Path;

use rusqlite::Connection;

use super::{Values, evaluate};
use crate::load::bind;
use crate::load::convert::{Value, convert};
use crate::load::inputs;
use crate::mapping::{MappingSet, SourceMapping, TargetMapping};
use crate::schema::{FigureDef, Table};
use crate::source::fingerprint::digest;
use crate::source::{self, Row};

/// Checks that `input_dir` and `set` are exactly what the run in `conn` read; `Err` says why not.
pub fn check_unchanged(
    conn: &Connection,
    set: &MappingSet,
    input_dir: &Path,
) -> Result<(), String> {
    // Only from inside the input folder, symbolic links included (#9).
    crate::fsx::check_confined(input_dir, "input folder")
        .map_err(|e| format!("source side: {e}"))?;
    let files = crate::audit::inputs::all(conn).map_err(|e| e.to_string())?;
    for f in &files {
        let path = &f.path;
        match digest(&input_dir.join(path), path) {
            Ok((_, sha256)) if sha256 == f.sha256 => {}
            Ok(_) => {
                return Err(format!(
                    "source side: input file `{path}` has changed since the run"
                ));
            }
            Err(_) => return Err("source side: input folder not available".to_string()),
        }
    }
    let recorded: BTreeMap<String, String> = crate::audit::run::files(conn)
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|f| (f.path, f.sha256))
        .collect();
    let now: BTreeMap<String, String> = set
        .files
        .iter()
        .map(|f| (f.path.clone(), f.sha256()))
        .collect();
    if now != recorded {
        return Err("source side: mapping files have changed since the run".to_string());
    }
    Ok(())
}

/// Counts every figure from the source exports.
pub fn compute(
    set: &MappingSet,
    input_dir: &Path,
    defs: &[FigureDef],
    as_at: Option<jiff::civil::Date>,
) -> anyhow::Result<Values> {
    // A private temporary database on disk: memory stays bounded whatever the extract's size.
    let mirror = Connection::open("")?;
    mirror.execute_batch("PRAGMA synchronous = OFF; PRAGMA journal_mode = OFF;")?;
    let tables: Vec<&Table> = set
        .schema
        .tables
        .iter()
        .filter(|t| defs.iter().any(|d| names(&d.sql, &t.name)))
        .collect();
    let tx = mirror.unchecked_transaction()?;
    for table in &tables {
        tx.execute_batch(&mirror_ddl(table))?;
    }
    // Every sheet a source names (a list or a pattern), as the loader reads them (#9).
    let mut sheets = std::collections::BTreeMap::new();
    for src in &set.sources {
        for target in src
            .targets
            .iter()
            .filter(|t| tables.iter().any(|x| x.name == t.table.name))
        {
            for rel in inputs::expand(set, src, input_dir)? {
                for spec in inputs::specs(src, input_dir, &rel, &mut sheets)? {
                    read_file(&tx, set, src, target, &spec)?;
                }
            }
        }
    }
    tx.commit()?;
    evaluate(&mirror, defs, as_at)
}

/// True when `sql` names `table` as a whole word.
fn names(sql: &str, table: &str) -> bool {
    sql.match_indices(table).any(|(i, _)| {
        let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
        let before = sql[..i].chars().next_back().is_none_or(|c| !word(c));
        let after = sql[i + table.len()..]
            .chars()
            .next()
            .is_none_or(|c| !word(c));
        before && after
    })
}

/// A table with the company table's columns and no constraint but its key, which keeps the
/// first row of each key (rows with a blank key part are all kept).
fn mirror_ddl(table: &Table) -> String {
    let cols: Vec<String> = table
        .columns
        .iter()
        .map(|c| format!("{} {}", c.name, c.ty.sql()))
        .collect();
    format!(
        "CREATE TABLE {t} ({});
CREATE UNIQUE INDEX {t}_key ON {t} ({});",
        cols.join(", "),
        table.key.join(", "),
        t = table.name
    )
}

fn read_file(
    conn: &Connection,
    set: &MappingSet,
    src: &SourceMapping,
    target: &TargetMapping,
    spec: &source::SourceSpec,
) -> anyhow::Result<()> {
    let mut reader = source::open(spec)?;
    let bound = bind::bind(set, src, reader.headers())
        .map_err(|m| anyhow::anyhow!("{}: no column `{}`", spec.display, m.column))?;
    let Some(bt) = bound
        .targets
        .iter()
        .find(|t| std::ptr::eq(t.target, target))
    else {
        return Ok(());
    };
    let mut insert = conn.prepare(&bind::insert_sql_keeping_first(target, true))?;
    let dates = reader.date_system();
    let mut row = Row::default();
    while reader.read_row(&mut row)? {
        if bound.excluded(&row).is_some() || !bt.applies(&row) {
            continue;
        }
        let values: Vec<Value> = bt
            .fields
            .iter()
            .map(|f| convert(f.field, &f.cell(&row), dates, f.crosswalk).unwrap_or(Value::Null))
            .collect();
        insert.execute(rusqlite::params_from_iter(values.iter()))?;
    }
    Ok(())
}
