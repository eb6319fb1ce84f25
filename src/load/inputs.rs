//! The input files of a run: finding the files a source names (a path or a glob under the input
//! folder), fingerprinting each one once (size and SHA-256), and recording files and sources in
//! the audit tables.
use std::path::Path;

use rusqlite::{Connection, OptionalExtension, params};

use super::LoadError;
use crate::mapping::{MappingSet, SourceMapping};
use crate::source::{Encoding, SourceSpec, fingerprint};

/// The files under `input_dir` that `source` reads, relative and sorted.
pub fn expand(
    set: &MappingSet,
    source: &SourceMapping,
    input_dir: &Path,
) -> Result<Vec<String>, LoadError> {
    let no_match = || LoadError::NoMatch {
        pattern: source.pattern.clone(),
        mapping_file: crate::mapping::display(&set.dir, &source.origin.file),
        line: source.origin.line,
    };
    let is_glob = source.pattern.contains(['*', '?', '[', '{']);
    if !is_glob {
        return if input_dir.join(&source.pattern).is_file() {
            Ok(vec![source.pattern.clone()])
        } else {
            Err(no_match())
        };
    }
    let matcher = globset::Glob::new(&source.pattern)
        .map_err(|_| no_match())?
        .compile_matcher();
    let mut found = Vec::new();
    walk(input_dir, input_dir, &mut |rel| {
        if matcher.is_match(rel) {
            found.push(rel.to_string());
        }
    });
    found.sort();
    if found.is_empty() {
        Err(no_match())
    } else {
        Ok(found)
    }
}

fn walk(root: &Path, dir: &Path, visit: &mut dyn FnMut(&str)) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            walk(root, &path, visit);
        } else if let Ok(rel) = path.strip_prefix(root) {
            visit(&rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

/// How to read `rel` for `source`.
pub fn spec(source: &SourceMapping, input_dir: &Path, rel: &str) -> SourceSpec {
    SourceSpec {
        path: input_dir.join(rel),
        display: rel.to_string(),
        sheet: source.sheet.clone(),
        header_row: source.header_row,
        delimiter: source.delimiter,
        encoding: source.encoding,
    }
}

/// Fingerprints a file once and records it in `handover_input`; returns its `file_id`. When the
/// spec leaves the encoding open, the fingerprint's UTF-8 check settles it, so that the CSV reader
/// need not read the file an extra time.
pub fn record_file(conn: &Connection, spec: &mut SourceSpec) -> Result<i64, LoadError> {
    let existing = conn
        .query_row(
            "SELECT file_id FROM handover_input WHERE path = ?1",
            [&spec.display],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(id) = existing {
        return Ok(id);
    }
    let info = fingerprint(&spec.path, &spec.display)?;
    if spec.encoding.is_none() {
        spec.encoding = Some(if info.utf8 {
            Encoding::Utf8
        } else {
            Encoding::Windows1252
        });
    }
    conn.execute(
        "INSERT INTO handover_input (path, size, sha256, rows_read) VALUES (?1, ?2, ?3, 0)",
        params![spec.display, info.size as i64, info.sha256],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Records one source read of one file in `handover_source`; returns its `source_id`.
pub fn record_source(
    conn: &Connection,
    source: &SourceMapping,
    file_id: i64,
    sheet: Option<&str>,
) -> Result<i64, LoadError> {
    conn.execute(
        "INSERT INTO handover_source (entity, mapping_file, mapping_line, file_id, sheet, rows_read)
         VALUES (?1, ?2, ?3, ?4, ?5, 0)",
        params![source.entity, source.origin.file, source.origin.line as i64, file_id, sheet],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Stores the number of rows read from a source and adds them to its file's count.
pub fn finish_source(
    conn: &Connection,
    source_id: i64,
    file_id: i64,
    rows: u64,
) -> Result<(), LoadError> {
    conn.execute(
        "UPDATE handover_source SET rows_read = ?1 WHERE source_id = ?2",
        params![rows as i64, source_id],
    )?;
    conn.execute(
        "UPDATE handover_input SET rows_read = rows_read + ?1 WHERE file_id = ?2",
        params![rows as i64, file_id],
    )?;
    Ok(())
}
