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
    #[error("{file}: no column `{column}` (named at {mapping_file}:{line}){}", closest_hint(.column, .closest))]
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
    /// A broken invariant of handover's own while reading the file, such as physical lines of a
    /// CSV that its line ledger cannot place (#9): the message (the [`crate::exit::Bug`] it
    /// holds) says what and that it is a bug.
    #[error("{file}")]
    Bug {
        /// The input file.
        file: String,
        /// What broke.
        #[source]
        source: crate::exit::Bug,
    },
    /// A source row whose company rows the lineage cannot number: a line past
    /// [`crate::audit::lineage::MAX_LINE`], more sources in one run than
    /// [`crate::audit::lineage::MAX_SOURCES`], or a mapping with more targets than
    /// [`crate::audit::lineage::MAX_TARGETS`] (docs/limits.md).
    #[error("{file}{}:{line}: this row cannot be given lineage: a run holds up to {} sources, lines up to {}, and {} targets per mapping (docs/limits.md)", sheet_part(.sheet), crate::audit::lineage::MAX_SOURCES, crate::audit::lineage::MAX_LINE, crate::audit::lineage::MAX_TARGETS)]
    Unnumbered {
        /// The input file.
        file: String,
        /// The sheet, for spreadsheets.
        sheet: Option<String>,
        /// The row's line.
        line: u64,
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

/// The closest header names, when they look like the column's name: a header row that is really
/// a row of data (a wrong `header_row`) holds personal values, which an error must not echo (#9).
fn closest_hint(column: &str, closest: &[String]) -> String {
    let names: Vec<String> = closest
        .iter()
        .filter(|c| !c.chars().any(|ch| ch.is_ascii_digit()))
        .filter(|c| strsim::jaro_winkler(&column.to_lowercase(), &c.to_lowercase()) >= 0.8)
        .map(|c| format!("`{c}`"))
        .collect();
    if names.is_empty() {
        String::new()
    } else {
        format!("; closest header names: {}", names.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_error_while_storing_a_row_names_the_file_sheet_and_line() {
        let sql = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CONSTRAINT),
            Some("UNIQUE constraint failed: handover_row.source_id, handover_row.line".into()),
        );
        let located = LoadError::Sql(sql).at("placements/placements.xlsx", Some("Placements"), 7);
        assert!(
            located.to_string().starts_with(
                "placements/placements.xlsx (sheet `Placements`):7: database error while storing this row: UNIQUE"
            ),
            "{located}"
        );
        let other = LoadError::Controls {
            file: "controls.csv".into(),
            line: 2,
            message: "m".into(),
        };
        assert_eq!(other.at("x.csv", None, 9).to_string(), "controls.csv:2: m");
    }

    #[test]
    fn hints_header_names_that_look_like_the_column_and_never_data() {
        let hint = |c: &str, names: &[&str]| {
            closest_hint(c, &names.iter().map(|n| n.to_string()).collect::<Vec<_>>())
        };
        assert_eq!(
            hint("Surname", &["Surnmae", "Sex"]),
            "; closest header names: `Surnmae`"
        );
        // A row of data taken for the header: no value is echoed.
        assert_eq!(hint("Surname", &["Smith", "01/01/1970", "SR1 1AA"]), "");
    }
}
