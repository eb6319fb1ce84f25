//! `handover validate` (issue #4): everything that can be known about a mapping set, and
//! optionally an extract, without loading anything into a database. The mapping set's own
//! diagnostics come from [`crate::mapping`]; [`set`] adds the whole-set checks validate alone
//! makes, [`input`] streams the extract's rows through the mappings' conversions. The result is a
//! [`Report`]: diagnostics as data plus the list of checks that ran, which [`render`] prints in
//! the human, JSON, GitHub and JUnit formats.

pub mod checks;
pub mod input;
pub mod locate;
pub mod render;
pub mod set;
pub mod tally;

use std::path::Path;

use crate::mapping::{self, Diagnostic, Level};

pub use checks::Check;

/// What a validation found.
#[derive(Debug, Clone)]
pub struct Report {
    /// Every diagnostic, sorted by file, line and column.
    pub diagnostics: Vec<Diagnostic>,
    /// The checks that ran, in a stable order.
    pub checks: Vec<Check>,
    /// The mapping files validated (as displayed), sorted: one JUnit test suite each.
    pub files: Vec<String>,
    /// What `--input` read, when given.
    pub read: Option<input::Read>,
}

impl Report {
    /// Number of diagnostics at `level`.
    pub fn count(&self, level: Level) -> usize {
        self.diagnostics.iter().filter(|d| d.level == level).count()
    }

    /// True when the report should fail the run: any error, or any warning under `strict`.
    pub fn fails(&self, strict: bool) -> bool {
        self.count(Level::Error) > 0 || (strict && self.count(Level::Warning) > 0)
    }
}

/// Validates the mapping set in `dir`, and with `input` the extract in that folder.
///
/// Only a folder that cannot be read at all is an `Err`; every mistake in it is a diagnostic.
pub fn validate(
    dir: &Path,
    input: Option<&Path>,
) -> Result<Report, mapping::resolve::MappingError> {
    validate_with(dir, input, &mapping::LoadOptions::default())
}

/// [`validate()`], resolving the mapping set with `opts` (another schema folder, an as-at date).
pub fn validate_with(
    dir: &Path,
    input: Option<&Path>,
    opts: &mapping::LoadOptions,
) -> Result<Report, mapping::resolve::MappingError> {
    check(dir, input, opts).map(|(report, _)| report)
}

/// [`validate_with()`], returning as well the mapping set it resolved (with what resolving built on
/// the way), for a caller that ends the process right after to leave it to the exit rather than
/// free it ([`mapping::Loaded::spent`]).
pub fn check(
    dir: &Path,
    input: Option<&Path>,
    opts: &mapping::LoadOptions,
) -> Result<(Report, mapping::Loaded), mapping::resolve::MappingError> {
    if let Some(input) = input {
        // The input folder is read only from inside, symbolic links included (#9).
        crate::fsx::check_confined(input, "input folder")?;
    }
    let mut loaded = mapping::load_with(dir, opts)?;
    let mut diagnostics = std::mem::take(&mut loaded.diagnostics);
    let parsed = !diagnostics
        .iter()
        .any(|d| matches!(d.check, "syntax" | "unknown-key"));
    diagnostics.extend(set::check(&loaded.set, parsed));
    let read = input.map(|input_dir| {
        let (found, read) = input::check(&loaded.set, input_dir);
        diagnostics.extend(found);
        read
    });
    diagnostics.sort_by(|a, b| (&a.file, a.line, a.col).cmp(&(&b.file, b.line, b.col)));
    let mut files: Vec<String> = loaded
        .set
        .files
        .iter()
        .filter(|f| f.path.ends_with(".toml"))
        .map(|f| display(dir, &f.path))
        .collect();
    files.sort();
    let report = Report {
        diagnostics,
        checks: checks::run(input.is_some()),
        files,
        read,
    };
    Ok((report, loaded))
}

pub use crate::mapping::display;
