//! The input files of a run: finding the files a source names (a path or a glob under the input
//! folder), fingerprinting each one once (size and SHA-256), and recording files and sources in
//! the audit tables.
use std::collections::BTreeMap;
use std::path::Path;

use rusqlite::Connection;

use super::LoadError;
use crate::audit;
use crate::mapping::{MappingSet, SourceMapping};
use crate::source::{FileInfo, SourceError, SourceSpec, decode, fingerprint, sheet};

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

/// Every file under `input_dir`, relative with `/` separators, sorted.
pub fn files(input_dir: &Path) -> Result<Vec<String>, LoadError> {
    let mut found = Vec::new();
    walk(input_dir, input_dir, &mut |rel| found.push(rel.to_string()));
    found.sort();
    Ok(found)
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

/// How to read `rel` for `source`: its first sheet entry when that is a name (a pattern is left
/// to [`specs`], which opens the workbook).
pub fn spec(source: &SourceMapping, input_dir: &Path, rel: &str) -> SourceSpec {
    SourceSpec {
        path: input_dir.join(rel),
        display: rel.to_string(),
        sheet: source
            .sheets
            .first()
            .filter(|s| sheet::glob_matcher(s).is_none())
            .cloned(),
        header_row: source.header_row,
        delimiter: source.delimiter,
        encoding: source.encoding,
        xml: source.xml.clone(),
    }
}

/// Every read of `rel` for `source`: one for a CSV, one per selected sheet of a workbook (the
/// `sheet` key's names and patterns, in workbook order).
/// A workbook's sheet names are listed once per run, in `sheets` (by file).
pub fn specs(
    source: &SourceMapping,
    input_dir: &Path,
    rel: &str,
    sheets: &mut BTreeMap<String, Vec<String>>,
) -> Result<Vec<SourceSpec>, LoadError> {
    let base = spec(source, input_dir, rel);
    if !crate::source::is_workbook(&base.path) {
        return Ok(vec![base]);
    }
    if !sheets.contains_key(rel) {
        sheets.insert(rel.to_string(), sheet::sheet_names(&base)?);
    }
    let names = &sheets[rel];
    let chosen = sheet::select_sheets(names, &source.sheets, rel)?;
    Ok(chosen
        .into_iter()
        .map(|name| SourceSpec {
            sheet: Some(name),
            ..base.clone()
        })
        .collect())
}

/// Fingerprints a file once and records it in `handover_input`; returns its `file_id`. For a CSV
/// the fingerprint's UTF-8 census also decides the encoding when the spec leaves it open (so the
/// reader need not read the file an extra time), and the choice is recorded with its evidence.
pub fn record_file(conn: &Connection, spec: &mut SourceSpec) -> Result<i64, LoadError> {
    record_file_from(conn, spec, &mut |path, display| fingerprint(path, display))
}

/// [`record_file`], with the fingerprint made by `print` (made ahead: [`Prints::take`]).
pub fn record_file_from(
    conn: &Connection,
    spec: &mut SourceSpec,
    print: &mut dyn FnMut(&Path, &str) -> Result<FileInfo, SourceError>,
) -> Result<i64, LoadError> {
    if let Some(id) = audit::inputs::file_id(conn, &spec.display)? {
        // Read again (a second sheet, or the same file for a second source): the reader decides
        // the encoding the same way, from the same bytes.
        return Ok(id);
    }
    let info = print(&spec.path, &spec.display)?;
    // Only a file read as text is counted (`source::is_text`): a workbook's encoding is its own,
    // an XML file's is what its declaration says.
    let encoding = info.census.as_ref().map(|census| {
        let (enc, why) = decode::decide(spec.encoding, census);
        spec.encoding = Some(enc);
        why
    });
    let file = audit::inputs::FileRecord {
        path: &spec.display,
        size: info.size,
        sha256: &info.sha256,
        encoding: encoding.as_deref(),
    };
    Ok(audit::inputs::insert_file(conn, &file)?)
}

/// Records one source read of one file in `handover_source`; returns its `source_id`.
pub fn record_source(
    conn: &Connection,
    source: &SourceMapping,
    file_id: i64,
    sheet: Option<&str>,
) -> Result<i64, LoadError> {
    let decl = audit::inputs::SourceDecl {
        entity: &source.entity,
        mapping_file: &source.origin.file,
        mapping_line: source.origin.line,
    };
    Ok(audit::inputs::insert_source(conn, &decl, file_id, sheet)?)
}

/// Fingerprints made ahead of the load, on their own thread, in the order the load reads the
/// files; at most one waits in the channel, so the thread runs at most a file or two ahead. The
/// same thread checks each workbook against its limits (`source::limits`), so that the writing
/// thread does not inflate it to measure it.
pub struct Prints {
    rx: std::sync::mpsc::Receiver<(String, Result<FileInfo, SourceError>)>,
    /// Fingerprints received before they were asked for (a file the plan names twice).
    early: BTreeMap<String, Result<FileInfo, SourceError>>,
}

impl Prints {
    /// Starts fingerprinting `files` (relative to `input_dir`, each once) on a thread of `scope`.
    pub fn spawn<'scope>(
        scope: &'scope std::thread::Scope<'scope, '_>,
        input_dir: &'scope Path,
        files: &[&str],
    ) -> Self {
        let mut todo: Vec<String> = Vec::new();
        for f in files {
            if !todo.iter().any(|t| t == f) {
                todo.push(f.to_string());
            }
        }
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        scope.spawn(move || {
            for rel in todo {
                let path = input_dir.join(&rel);
                let info = fingerprint(&path, &rel);
                // A workbook's limits are checked here too, ahead of its load (the check is
                // remembered: opening it then does not check again). An error is left for the
                // opening to report, in its place.
                if crate::source::is_workbook(&path) {
                    let ext = crate::source::extension(&path);
                    let _ = crate::source::limits::check(&path, &rel, &ext);
                }
                if tx.send((rel, info)).is_err() {
                    return;
                }
            }
        });
        Prints {
            rx,
            early: BTreeMap::new(),
        }
    }

    /// The fingerprint of `display`, made ahead if it was planned, else now.
    pub fn take(&mut self, path: &Path, display: &str) -> Result<FileInfo, SourceError> {
        if let Some(info) = self.early.remove(display) {
            return info;
        }
        while let Ok((rel, info)) = self.rx.recv() {
            if rel == display {
                return info;
            }
            self.early.insert(rel, info);
        }
        fingerprint(path, display)
    }
}
