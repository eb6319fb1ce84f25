//! Errors that stop a load before it can finish: input or configuration problems, each naming
//! the file and where. Problems in the data itself are findings, not errors.
use thiserror::Error;

use crate::source::SourceError;

/// Why a load could not run.
#[derive(Debug, Error)]
pub enum LoadError {
    /// No file in the input folder matches a source's `file`.
    #[error("{mapping_file}:{line}: no file in the input folder matches `{pattern}`")]
    NoMatch {
        /// The source's file pattern.
        pattern: String,
        /// Mapping file (as displayed).
        mapping_file: String,
        /// Line of `[source]`.
        line: usize,
    },
    /// A column the mapping names is not in the file's header.
    #[error("{file}: no column `{column}` (named at {mapping_file}:{line}){}", closest_hint(.closest))]
    MissingColumn {
        /// The input file.
        file: String,
        /// The column.
        column: String,
        /// Mapping file (as displayed).
        mapping_file: String,
        /// Line that names the column.
        line: usize,
        /// Closest header names.
        closest: Vec<String>,
    },
    /// The source cannot be read.
    #[error(transparent)]
    Source(#[from] SourceError),
    /// The controls file is malformed.
    #[error("{file}:{line}: {message}")]
    Controls {
        /// The controls file.
        file: String,
        /// 1-based line.
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// The database failed, outside any one source row.
    #[error("database error: {0}")]
    Sql(#[from] rusqlite::Error),
    /// The database failed while storing rows of a source: the file, sheet and line say which.
    #[error("{file}{}:{line}: database error while storing this row: {source}", sheet_part(.sheet))]
    SqlAt {
        /// The input file.
        file: String,
        /// The sheet, for spreadsheets.
        sheet: Option<String>,
        /// The row's line (the last row read, for a batch of audit records).
        line: u64,
        /// The database error.
        source: rusqlite::Error,
    },
}

impl LoadError {
    /// Places a database error at a source row; other errors already name their place.
    pub fn at(self, file: &str, sheet: Option<&str>, line: u64) -> LoadError {
        match self {
            LoadError::Sql(source) => LoadError::SqlAt {
                file: file.to_string(),
                sheet: sheet.map(str::to_string),
                line,
                source,
            },
            other => other,
        }
    }
}

fn sheet_part(sheet: &Option<String>) -> String {
    sheet
        .as_ref()
        .map(|s| format!(" (sheet `{s}`)"))
        .unwrap_or_default()
}

fn closest_hint(closest: &[String]) -> String {
    if closest.is_empty() {
        String::new()
    } else {
        let names: Vec<String> = closest.iter().map(|c| format!("`{c}`")).collect();
        format!("; closest header names: {}", names.join(", "))
    }
}
