//! Reading a mapping folder: every `*.toml` in it, parsed and resolved into one [`MappingSet`],
//! with every problem kept as a [`Diagnostic`].
use std::path::{Path, PathBuf};

use super::diagnostic::{Diagnostic, Level, Sink};
use super::model::{Control, MappingFile, MappingSet};
use super::raw::RawFile;

/// A mapping folder that cannot be read at all (as opposed to one with mistakes in it).
pub type MappingError = crate::diagnostic::FolderError;

const WHAT: &str = "mapping folder";

/// A resolved mapping set and everything found wrong with it.
#[derive(Debug)]
pub struct Loaded {
    /// The set, as far as it could be resolved.
    pub set: MappingSet,
    /// Problems, sorted by file, line and column.
    pub diagnostics: Vec<Diagnostic>,
    /// What resolving built on the way and no longer needs.
    pub spent: Spent,
}

/// What resolving a mapping set built on the way and no longer needs: the files' texts and parse
/// trees, and the scratch database their queries were prepared on. It is kept rather than freed
/// as soon as it is done with, so that a command that ends right after (`handover validate`, run
/// by CI on every push, #11) can leave it to the process's exit: freeing it piece by piece, the
/// database closed table by table, took about 0.5 ms of its 4 ms.
#[derive(Debug, Default)]
#[expect(dead_code, reason = "held only to be freed, or left to the exit")]
pub struct Spent {
    texts: Vec<super::company::Text>,
    parsed: Vec<Result<RawFile, toml::de::Error>>,
    db: Option<rusqlite::Connection>,
}

impl Loaded {
    /// True when any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.level == Level::Error)
    }
}

/// What a mapping set is resolved against, beyond its own files.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// The company schema folder, instead of the one the set's `[schema]` names.
    pub schema_dir: Option<PathBuf>,
    /// The extract's as-at date, which picks the codes in force in the schema's code lists.
    pub as_at: Option<jiff::civil::Date>,
}

/// Reads and resolves every `*.toml` file in `dir` (not its subfolders, which hold code lists),
/// against the company schema the set names.
pub fn load(dir: &Path) -> Result<Loaded, MappingError> {
    load_with(dir, &LoadOptions::default())
}

/// [`load`], with options.
pub fn load_with(dir: &Path, opts: &LoadOptions) -> Result<Loaded, MappingError> {
    if !dir.is_dir() {
        return Err(MappingError::NoFolder {
            what: WHAT,
            path: dir.to_path_buf(),
        });
    }
    crate::fsx::check_confined(dir, WHAT)?;
    let paths = toml_files(dir)?;
    if paths.is_empty() {
        return Err(MappingError::Empty {
            what: WHAT,
            path: dir.to_path_buf(),
        });
    }
    let mut files = Vec::new();
    let mut texts = Vec::new();
    for path in paths {
        let bytes = std::fs::read(&path).map_err(|source| MappingError::Io {
            path: path.clone(),
            source,
        })?;
        let rel = path
            .strip_prefix(dir)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        files.push(MappingFile {
            path: rel.clone(),
            bytes: bytes.as_slice().into(),
        });
        let display = path.to_string_lossy().replace('\\', "/");
        texts.push((rel, display, crate::fsx::into_text(bytes)));
    }
    let parsed: Vec<_> = texts
        .iter()
        .map(|(_, _, text)| toml::from_str::<RawFile>(text))
        .collect();
    let mut diagnostics = Vec::new();
    let company = super::company::resolve(dir, &texts, &parsed, opts, &mut diagnostics);
    let Some((schema, schema_files, scratch)) = company else {
        for ((_, display, text), raw) in texts.iter().zip(&parsed) {
            if let Err(e) = raw {
                let mut sink = Sink::new(display, text);
                crate::diagnostic::syntax_error::<RawFile>(&mut sink, e, "mapping file");
                diagnostics.append(&mut sink.found);
            }
        }
        diagnostics.sort_by(|a, b| (&a.file, a.line, a.col).cmp(&(&b.file, b.line, b.col)));
        let set = MappingSet::empty(dir, files, std::sync::Arc::default());
        let spent = Spent {
            texts,
            parsed,
            db: None,
        };
        return Ok(Loaded {
            set,
            diagnostics,
            spent,
        });
    };
    let schema_db = schema_db(&schema, scratch);
    files.extend(schema_files);
    let mut set = MappingSet::empty(dir, files, schema);
    for ((rel, display, text), raw) in texts.iter().zip(&parsed) {
        let mut sink = Sink::new(display, text);
        match raw {
            Ok(raw) => resolve_file(&mut sink, rel, raw, &mut set, &schema_db),
            Err(e) => crate::diagnostic::syntax_error::<RawFile>(&mut sink, e, "mapping file"),
        }
        diagnostics.append(&mut sink.found);
    }
    cross_checks(&set, &mut diagnostics);
    set.files.sort_by(|a, b| a.path.cmp(&b.path));
    let schema = set.schema.clone();
    set.sources
        .sort_by_key(|s| s.targets.first().map(|t| schema.load_rank(&t.table.name)));
    diagnostics.sort_by(|a, b| (&a.file, a.line, a.col).cmp(&(&b.file, b.line, b.col)));
    let spent = Spent {
        texts,
        parsed,
        db: Some(schema_db),
    };
    Ok(Loaded {
        set,
        diagnostics,
        spent,
    })
}

fn toml_files(dir: &Path) -> Result<Vec<PathBuf>, MappingError> {
    let io = |source| MappingError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "toml") && crate::fsx::is_file(&entry) {
            paths.push(path);
        }
    }
    paths.sort();
    Ok(paths)
}

/// An empty company database, for preparing control SQL (empty of tables when the schema's DDL
/// does not run: the schema's diagnostics say why).
/// The schema's own scratch database is reused (the audit tables are added when a control names
/// one, [`super::controls`]).
fn schema_db(
    schema: &crate::schema::Schema,
    scratch: Option<rusqlite::Connection>,
) -> rusqlite::Connection {
    if let Some(conn) = scratch {
        return conn;
    }
    let conn =
        rusqlite::Connection::open_in_memory().expect("an in-memory SQLite database always opens");
    let _ = crate::schema::sql::register(&conn);
    let _ = conn.execute_batch(&schema.scratch_ddl());
    conn
}

fn resolve_file(
    sink: &mut Sink,
    rel: &str,
    raw: &RawFile,
    set: &mut MappingSet,
    schema_db: &rusqlite::Connection,
) {
    let schema = set.schema.clone();
    if let Some(src) = super::source::source(sink, raw, rel, &schema) {
        set.sources.push(src);
    }
    set.ignored.extend(super::source::ignored(sink, raw, rel));
    for (name, xw) in &raw.crosswalk {
        if set.crosswalks.contains_key(name.get_ref()) {
            sink.error(
                "crosswalk",
                name.span().start,
                format!("crosswalk `{}` is declared twice", name.get_ref()),
            );
            continue;
        }
        let dir = set.dir.clone();
        let ctx = (dir.as_path(), rel, schema.as_ref());
        if let Some(x) = super::crosswalk::crosswalk(sink, name, xw, ctx, &mut set.files) {
            set.crosswalks.insert(x.name.clone(), x);
        }
    }
    if let Some(c) = &raw.controls {
        if set.controls_file.is_some() {
            sink.error(
                "control",
                c.span().start,
                "`[controls]` is declared in more than one file",
            );
        }
        set.controls_file = super::controls::controls_file(sink, c);
    }
    if let Some(a) = &raw.as_at {
        if set.as_at.is_some() {
            sink.error(
                "source",
                a.span().start,
                "`[as_at]` is declared in more than one file",
            );
        }
        set.as_at = as_at_rule(sink, a, rel);
    }
    for c in &raw.control {
        if let Some(control) = super::controls::control(sink, c, rel, schema_db) {
            push_control(sink, c.span().start, &mut set.controls, control);
        }
    }
}

fn as_at_rule(
    sink: &mut Sink,
    raw: &toml::Spanned<super::raw::RawAsAt>,
    rel: &str,
) -> Option<super::model::AsAtRule> {
    let r = raw.get_ref();
    super::source::check_relative_path(sink, &r.file, "as-at file");
    let pattern = match regex::Regex::new(r.pattern.get_ref()) {
        Ok(re) if re.captures_len() >= 2 => crate::schema::Pattern(re),
        _ => {
            sink.error(
                "source",
                r.pattern.span().start,
                "`pattern` must be a regular expression with a capture group `( )` around the date",
            );
            return None;
        }
    };
    let line = match &r.line {
        None => None,
        Some(l) => match usize::try_from(*l.get_ref()) {
            Ok(n) if n >= 1 => Some(n),
            _ => {
                sink.error("source", l.span().start, "`line` must be 1 or more");
                return None;
            }
        },
    };
    let formats = match &r.format {
        Some(f) => super::fields::date_formats(sink, f),
        None => vec![super::model::DateFormat::Iso],
    };
    Some(super::model::AsAtRule {
        file: r.file.get_ref().replace('\\', "/"),
        pattern,
        line,
        formats,
        origin: super::Origin {
            file: rel.to_string(),
            line: sink.line_of(raw.span().start),
        },
    })
}

fn push_control(sink: &mut Sink, at: usize, controls: &mut Vec<Control>, control: Control) {
    if controls.iter().any(|c| c.name == control.name) {
        sink.error(
            "control",
            at,
            format!("control `{}` is declared twice", control.name),
        );
    } else {
        controls.push(control);
    }
}

/// Checks that need the whole set: crosswalk references, complete code lists, controls file.
fn cross_checks(set: &MappingSet, diagnostics: &mut Vec<Diagnostic>) {
    let mut report = |origin: &super::Origin, check, message: String| {
        diagnostics.push(Diagnostic {
            level: Level::Error,
            check,
            file: super::display(&set.dir, &origin.file),
            line: origin.line,
            col: 1,
            message,
        })
    };
    for field in set
        .sources
        .iter()
        .flat_map(|s| &s.targets)
        .flat_map(|t| &t.fields)
    {
        let Some(name) = &field.crosswalk else {
            continue;
        };
        match set.crosswalks.get(name) {
            None => report(
                &field.origin,
                "crosswalk",
                format!("no crosswalk `{name}` in the mapping set"),
            ),
            Some(x) if Some(&x.codelist.name) != field.target.codelist.as_ref() => report(
                &field.origin,
                "crosswalk",
                format!(
                    "crosswalk `{name}` maps onto `{}` but field `{}` holds `{}`",
                    x.codelist.name,
                    field.target.name,
                    field.target.codelist.as_deref().unwrap_or("-")
                ),
            ),
            Some(_) => {}
        }
    }
    for x in set.crosswalks.values().filter(|x| x.codelist.complete) {
        let missing: Vec<&str> = x
            .codelist
            .must_cover()
            .filter(|c| !x.entries.values().any(|v| v == c))
            .collect();
        if !missing.is_empty() {
            report(
                &x.origin,
                "codelist-coverage",
                format!(
                    "crosswalk `{}` must cover the whole `{}` code list; no council code maps to {}",
                    x.name,
                    x.codelist.name,
                    missing.join(", ")
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sunderland_mapping_set_resolves_without_diagnostics() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("mappings/sunderland");
        let loaded = load(&dir).unwrap();
        assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
        let entities: Vec<&str> = loaded
            .set
            .sources
            .iter()
            .map(|s| s.entity.as_str())
            .collect();
        assert_eq!(
            entities,
            [
                "team",
                "staff",
                "agency_worker",
                "child",
                "provider",
                "placement"
            ]
        );
        assert_eq!(loaded.set.controls.len(), 4);
    }

    #[test]
    fn each_file_read_is_hashed_as_it_was_read() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("mappings/sunderland");
        let loaded = load(&dir).unwrap();
        let staff = loaded.set.files.iter().find(|f| f.path == "staff.toml");
        let bytes = std::fs::read(dir.join("staff.toml")).unwrap();
        assert_eq!(
            staff.map(MappingFile::sha256),
            Some(super::super::sha256_hex(&bytes))
        );
        let schema_file = "../companies/together-for-children/tables.toml";
        let tables = loaded.set.files.iter().find(|f| f.path == schema_file);
        let bytes = std::fs::read(dir.join(schema_file)).unwrap();
        assert_eq!(tables.map(|f| f.sha256().len()), Some(64));
        assert_eq!(
            tables.map(MappingFile::sha256),
            Some(super::super::sha256_hex(&bytes))
        );
    }

    #[test]
    fn unknown_key_gets_a_suggestion_and_a_position() {
        let dir = tempfile::tempdir().unwrap();
        let text = "[source]\nentity = \"t\"\nfile = \"t.csv\"\n\n[[target]]\ntable = \"teams\"\n\n[target.fields]\nteam_code = { column = \"a\", formt = \"x\" }\n";
        std::fs::write(dir.path().join("t.toml"), text).unwrap();
        let loaded = load(dir.path()).unwrap();
        let d = &loaded.diagnostics[0];
        assert_eq!((d.line, d.check), (9, "unknown-key"), "{d}");
        assert!(d.message.contains("did you mean `format`"), "{d}");
    }
}
