//! The input ledger (#9): every file in the input folder, and every sheet of every workbook read,
//! is read by a mapping, declared ignored by an `[[ignore]]` with its reason, or reported as not
//! read (a warning finding, [`Builtin::UnreadFile`] or [`Builtin::UnreadSheet`]). Without it a
//! sheet "Placements 2" that no mapping names would go unread while the run reports itself clean.
use std::collections::BTreeSet;
use std::path::Path;

use rusqlite::Connection;

use super::{Load, LoadError, inputs};
use crate::audit::findings;
use crate::finding::{Builtin, Finding};
use crate::mapping::{Ignored, MappingSet};
use crate::source::{SourceSpec, sheet};

/// Finds every file and sheet nothing read or ignored, records a warning for each, and returns
/// how many there were.
pub fn check(
    conn: &Connection,
    set: &MappingSet,
    input_dir: &Path,
    load: &Load,
) -> Result<usize, LoadError> {
    let read_files: BTreeSet<&str> = load
        .sources
        .values()
        .map(|s| s.file.as_str())
        .chain(set.controls_file.as_ref().map(|c| c.file.as_str()))
        .collect();
    let read_sheets: BTreeSet<(&str, &str)> = load
        .sources
        .values()
        .filter_map(|s| Some((s.file.as_str(), s.sheet.as_deref()?)))
        .collect();
    let mut found = 0;
    for rel in inputs::files(input_dir)? {
        if !read_files.contains(rel.as_str()) {
            if ignored(&set.ignored, &rel, None).is_none() {
                let message = format!(
                    "`{rel}` is in the input folder but no mapping reads it (declare it in an `[[ignore]]` with a reason if that is right)"
                );
                insert(conn, Builtin::UnreadFile, &rel, None, message)?;
                found += 1;
            }
            continue;
        }
        // An XML file's "sheets" are record paths (#12): each mapping reads its own records.
        if !read_sheets.iter().any(|(f, _)| *f == rel)
            || !crate::source::is_workbook(Path::new(&rel))
        {
            continue;
        }
        let names = match load.sheets.get(&rel) {
            Some(names) => names.clone(),
            None => sheet::sheet_names(&SourceSpec {
                path: input_dir.join(&rel),
                display: rel.clone(),
                sheet: None,
                header_row: 1,
                delimiter: None,
                encoding: None,
                xml: None,
            })?,
        };
        for name in names {
            if read_sheets.contains(&(rel.as_str(), name.as_str()))
                || ignored(&set.ignored, &rel, Some(&name)).is_some()
            {
                continue;
            }
            let message = format!(
                "sheet `{name}` of `{rel}` is read by no mapping (name it in the source's `sheet`, or declare it in an `[[ignore]]` with a reason)"
            );
            insert(conn, Builtin::UnreadSheet, &rel, Some(&name), message)?;
            found += 1;
        }
    }
    Ok(found)
}

/// The `[[ignore]]` that covers `file` (and `sheet`, for a sheet; an entry without a sheet covers
/// the whole file and every sheet in it).
pub fn ignored<'a>(all: &'a [Ignored], file: &str, sheet: Option<&str>) -> Option<&'a Ignored> {
    all.iter().find(|i| {
        matches(&i.file, file)
            && match (&i.sheet, sheet) {
                (None, _) => true,
                (Some(_), None) => false,
                (Some(pattern), Some(name)) => matches(pattern, name),
            }
    })
}

/// `value` is `pattern`, or matches it as a glob.
fn matches(pattern: &str, value: &str) -> bool {
    sheet::glob_matcher(pattern).map_or(pattern == value, |m| m.is_match(value))
}

fn insert(
    conn: &Connection,
    rule: Builtin,
    file: &str,
    sheet: Option<&str>,
    message: String,
) -> rusqlite::Result<()> {
    let mut finding = Finding::builtin(rule, rule.severity(), "input", message);
    finding.file = Some(file.to_string());
    finding.sheet = sheet.map(str::to_string);
    findings::insert(conn, &finding)
}
