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
    /// The file `[as_at]` names gives no date.
    #[error("{file}:{line}: {message}")]
    AsAt {
        /// The input file.
        file: String,
        /// 1-based line, 0 for the file's name.
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// The database failed.
    #[error("database error: {0}")]
    Sql(#[from] rusqlite::Error),
}

fn closest_hint(closest: &[String]) -> String {
    if closest.is_empty() {
        String::new()
    } else {
        let names: Vec<String> = closest.iter().map(|c| format!("`{c}`")).collect();
        format!("; closest header names: {}", names.join(", "))
    }
}
