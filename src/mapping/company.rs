//! Resolving `[schema]`: which company schema folder a mapping set maps onto. The folder is
//! named relative to the mapping folder (it usually sits beside it, under mappings/companies/),
//! or given on the command line, and is read with [`crate::schema::load()`]; its diagnostics join
//! the mapping set's, and its files are recorded with the set's so that a run can be traced to
//! the exact schema it used.
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use super::model::MappingFile;
use super::raw::RawFile;
use super::resolve::LoadOptions;
use crate::diagnostic::{Diagnostic, Level, Sink};
use crate::schema::Schema;

/// One mapping file's text: path relative to the mapping folder, path as displayed, text.
pub type Text = (String, String, String);

/// The schema (narrowed to the as-at date), its files as mapping files, and the empty database
/// its queries were prepared on.
pub type Resolved = (Arc<Schema>, Vec<MappingFile>, Option<rusqlite::Connection>);

/// The schema the set names (or the one `opts` gives), narrowed to the as-at date, with its
/// files as mapping files; `None` when there is none to resolve against (diagnostics say why).
pub fn resolve(
    dir: &Path,
    texts: &[Text],
    parsed: &[Result<RawFile, toml::de::Error>],
    opts: &LoadOptions,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Resolved> {
    let declared = declared(texts, parsed, diagnostics);
    let (folder, at) = match (&opts.schema_dir, declared) {
        (Some(d), _) => (d.clone(), None),
        (None, Some((folder, at))) => (normalize(&dir.join(&folder)), Some(at)),
        (None, None) => {
            let parsed_all = parsed.iter().all(Result::is_ok);
            if parsed_all {
                diagnostics.push(Diagnostic {
                    level: Level::Error,
                    check: "schema",
                    file: super::display(dir, ""),
                    line: 0,
                    col: 0,
                    message: "the mapping set names no company schema: add `[schema]` with `folder = \"../companies/NAME\"` to one of its files".to_string(),
                });
            }
            return None;
        }
    };
    let loaded = match crate::schema::load(&folder) {
        Ok(l) => l,
        Err(e) => {
            let (file, line, col) = at.unwrap_or_else(|| (super::display(dir, ""), 0, 0));
            diagnostics.push(Diagnostic {
                level: Level::Error,
                check: "schema",
                file,
                line,
                col,
                message: e.to_string(),
            });
            return None;
        }
    };
    diagnostics.extend(loaded.diagnostics);
    let prefix = relative_to(&folder, dir);
    let files = loaded
        .schema
        .files
        .iter()
        .map(|f| MappingFile {
            path: format!("{prefix}/{}", f.path),
            bytes: f.bytes.clone(),
        })
        .collect();
    let scratch = loaded.scratch;
    Some((Arc::new(loaded.schema.in_force(opts.as_at)), files, scratch))
}

/// The `[schema]` folder as written, with where it is; several are an error.
fn declared(
    texts: &[Text],
    parsed: &[Result<RawFile, toml::de::Error>],
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<(String, (String, usize, usize))> {
    let mut found: Option<(String, (String, usize, usize))> = None;
    for ((_, display, text), raw) in texts.iter().zip(parsed) {
        let Ok(RawFile {
            schema: Some(s), ..
        }) = raw
        else {
            continue;
        };
        let mut sink = Sink::new(display, text);
        let folder = s.get_ref().folder.get_ref().clone();
        if found.is_some() {
            sink.error(
                "schema",
                s.span().start,
                "`[schema]` is declared in more than one file",
            );
            diagnostics.append(&mut sink.found);
            continue;
        }
        let (line, col) = sink.position(s.get_ref().folder.span().start);
        found = Some((folder, (display.clone(), line, col)));
    }
    found
}

/// `path` with `.` and `dir/..` removed, without touching the file system.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// `path` as seen from `base`, with `/` separators (absolute when they share no root).
fn relative_to(path: &Path, base: &Path) -> String {
    let (p, b) = (normalize(path), normalize(base));
    let pc: Vec<_> = p.components().collect();
    let bc: Vec<_> = b.components().collect();
    let common = pc.iter().zip(&bc).take_while(|(x, y)| x == y).count();
    if common == 0 && (p.is_absolute() || b.is_absolute()) {
        return p.to_string_lossy().replace('\\', "/");
    }
    let mut parts: Vec<String> = bc[common..].iter().map(|_| "..".to_string()).collect();
    parts.extend(
        pc[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_normalised_and_made_relative() {
        let p = normalize(Path::new("mappings/sunderland/../companies/tfc"));
        assert_eq!(p, Path::new("mappings/companies/tfc"));
        assert_eq!(
            relative_to(
                Path::new("mappings/companies/tfc"),
                Path::new("mappings/sunderland")
            ),
            "../companies/tfc"
        );
    }
}
