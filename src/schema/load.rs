//! Reading a schema folder: every `*.toml` in it (not its subfolders, which hold code-list CSVs),
//! parsed and resolved into one [`Schema`], with every problem kept as a [`Diagnostic`] naming
//! file, line and column. Resolution runs in passes, because a file may refer to what another
//! declares: code lists and tables first, then references, then rules and figures, whose SQL is
//! prepared against the schema's own DDL.
use std::path::Path;

use super::model::{Schema, SchemaFile, SchemaOrigin};
use super::raw::RawSchemaFile;
use crate::diagnostic::{Diagnostic, Level, Sink};

/// A schema folder that cannot be read at all (as opposed to one with mistakes in it).
pub type SchemaError = crate::diagnostic::FolderError;

const WHAT: &str = "company schema folder";

/// A resolved schema and everything found wrong with it.
#[derive(Debug)]
pub struct LoadedSchema {
    /// The schema, as far as it could be resolved.
    pub schema: Schema,
    /// Problems, sorted by file, line and column.
    pub diagnostics: Vec<Diagnostic>,
    /// An empty in-memory database with the company tables (no constraints), on which the
    /// schema's queries were prepared; `None` when its tables cannot be created.
    pub scratch: Option<rusqlite::Connection>,
}

impl LoadedSchema {
    /// True when any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.level == Level::Error)
    }
}

/// One parsed file of the folder.
pub struct Parsed {
    /// Path relative to the schema folder.
    pub rel: String,
    /// As diagnostics show it.
    pub display: String,
    /// Its text.
    pub text: String,
    /// Its keys, when it parsed.
    pub raw: Option<RawSchemaFile>,
}

impl Parsed {
    /// A diagnostic sink for this file.
    pub fn sink(&self) -> Sink<'_> {
        Sink::new(&self.display, &self.text)
    }

    /// Where byte offset `at` of this file is.
    pub fn origin(&self, sink: &Sink, at: usize) -> SchemaOrigin {
        SchemaOrigin {
            file: self.rel.clone(),
            line: sink.line_of(at),
        }
    }
}

/// Reads and resolves the schema folder `dir`.
pub fn load(dir: &Path) -> Result<LoadedSchema, SchemaError> {
    if !dir.is_dir() {
        return Err(SchemaError::NoFolder {
            what: WHAT,
            path: dir.to_path_buf(),
        });
    }
    crate::fsx::check_confined(dir, WHAT)?;
    let mut schema = Schema {
        dir: dir.to_path_buf(),
        ..Schema::default()
    };
    let mut diagnostics = Vec::new();
    let parsed = parse_all(dir, &mut schema.files, &mut diagnostics)?;
    for p in &parsed {
        let mut sink = p.sink();
        if let Some(raw) = &p.raw {
            company(&mut sink, raw, &mut schema);
            super::lists::resolve(&mut sink, p, raw, &mut schema);
            super::tables::resolve(&mut sink, p, raw, &mut schema);
        }
        diagnostics.append(&mut sink.found);
    }
    schema.code_lists.sort_by(|a, b| a.name.cmp(&b.name));
    for p in &parsed {
        let mut sink = p.sink();
        if let Some(raw) = &p.raw {
            super::tables::check_references(&mut sink, raw, &mut schema);
        }
        diagnostics.append(&mut sink.found);
    }
    let scratch = super::queries::resolve(&parsed, &mut schema, &mut diagnostics);
    for p in &parsed {
        let mut sink = p.sink();
        if let Some(raw) = &p.raw {
            export(&mut sink, raw, &mut schema);
        }
        diagnostics.append(&mut sink.found);
    }
    if schema.company.is_empty() {
        diagnostics.push(Diagnostic {
            level: Level::Error,
            check: "schema-table",
            file: display(dir, ""),
            line: 0,
            col: 0,
            message: "the schema folder declares no `[company]` with a `name`".to_string(),
        });
    }
    schema.files.sort_by(|a, b| a.path.cmp(&b.path));
    diagnostics.sort_by(|a, b| (&a.file, a.line, a.col).cmp(&(&b.file, b.line, b.col)));
    Ok(LoadedSchema {
        schema,
        diagnostics,
        scratch,
    })
}

fn parse_all(
    dir: &Path,
    files: &mut Vec<SchemaFile>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Vec<Parsed>, SchemaError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| SchemaError::Io { path, source }
    };
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io(dir))? {
        let entry = entry.map_err(io(dir))?;
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "toml") && crate::fsx::is_file(&entry) {
            paths.push(path);
        }
    }
    if paths.is_empty() {
        return Err(SchemaError::Empty {
            what: WHAT,
            path: dir.to_path_buf(),
        });
    }
    paths.sort();
    let mut parsed = Vec::new();
    for path in paths {
        let bytes = std::fs::read(&path).map_err(io(&path))?;
        let rel = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        files.push(SchemaFile {
            path: rel.clone(),
            bytes: bytes.as_slice().into(),
        });
        let mut p = Parsed {
            display: display(dir, &rel),
            rel,
            text: crate::fsx::into_text(bytes),
            raw: None,
        };
        let mut sink = p.sink();
        let raw = match toml::from_str::<RawSchemaFile>(&p.text) {
            Ok(raw) => Some(raw),
            Err(e) => {
                crate::diagnostic::syntax_error::<RawSchemaFile>(&mut sink, &e, "schema file");
                None
            }
        };
        diagnostics.append(&mut sink.found);
        p.raw = raw;
        parsed.push(p);
    }
    Ok(parsed)
}

fn company(sink: &mut Sink, raw: &RawSchemaFile, schema: &mut Schema) {
    let Some(c) = &raw.company else { return };
    if !schema.company.is_empty() {
        sink.error(
            "schema-table",
            c.span().start,
            "`[company]` is declared in more than one file",
        );
        return;
    }
    let c = c.get_ref();
    schema.company = c.name.get_ref().trim().to_string();
    if schema.company.is_empty() {
        sink.error(
            "schema-table",
            c.name.span().start,
            "`name` must not be empty",
        );
    }
    schema.description = c.description.clone().unwrap_or_default();
}

/// `[export]`: a date format that writes a year, a month and a day, and files for known tables.
fn export(sink: &mut Sink, raw: &RawSchemaFile, schema: &mut Schema) {
    let Some(e) = &raw.export else { return };
    let e = e.get_ref();
    if let Some(f) = &e.date_format {
        let probe = jiff::civil::date(2017, 3, 31)
            .strftime(f.get_ref())
            .to_string();
        if probe.parse::<jiff::civil::Date>().is_err()
            && jiff::fmt::strtime::parse(f.get_ref(), &probe)
                .ok()
                .and_then(|t| t.to_date().ok())
                != Some(jiff::civil::date(2017, 3, 31))
        {
            sink.error(
                "schema-table",
                f.span().start,
                format!(
                    "`{}` does not write a date that reads back (use strftime such as `%d/%m/%Y`)",
                    f.get_ref()
                ),
            );
        } else {
            schema.export.date_format = Some(f.get_ref().clone());
        }
    }
    if let Some(case) = &e.column_case {
        match case.get_ref().as_str() {
            "as_declared" => schema.export.upper_case_header = false,
            "upper" => schema.export.upper_case_header = true,
            other => sink.error(
                "schema-table",
                case.span().start,
                format!("`column_case` must be `as_declared` or `upper`, not `{other}`"),
            ),
        }
    }
    if let Some(x) = &e.xml {
        schema.export.xml = super::export_xml::resolve_all(sink, x, schema);
    }
    if let Some(files) = &e.files {
        for (table, file) in files.get_ref() {
            let plain =
                !file.is_empty() && !file.contains(['/', '\\']) && file != ".." && file != ".";
            if schema.table(table).is_none() {
                sink.error(
                    "schema-table",
                    files.span().start,
                    format!("`[export] files` names `{table}`, which is not a table"),
                );
            } else if !plain {
                sink.error(
                    "schema-table",
                    files.span().start,
                    format!("`{file}` must be a plain file name, written into the export folder"),
                );
            } else {
                schema.export.files.insert(table.clone(), file.clone());
            }
        }
    }
}

/// A schema file's path as messages show it: the folder as given joined with the path.
pub fn display(dir: &Path, rel: &str) -> String {
    let joined = if rel.is_empty() {
        dir.to_path_buf()
    } else {
        dir.join(rel)
    };
    joined.to_string_lossy().replace('\\', "/")
}
