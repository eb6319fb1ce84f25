//! Pointing at the right place in a mapping file. Resolved mappings keep only the line of what
//! they declare; validate's diagnostics about data also want the column, so that the caret sits
//! under the column name or crosswalk that the problem is about.
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::mapping::{Diagnostic, Level, Origin};

/// Mapping file texts, read once each on demand.
#[derive(Debug, Default)]
pub struct Texts {
    dir: PathBuf,
    cache: HashMap<String, String>,
}

impl Texts {
    /// Texts of the files under the mapping folder `dir`.
    pub fn new(dir: &Path) -> Self {
        Texts {
            dir: dir.to_path_buf(),
            cache: HashMap::new(),
        }
    }

    /// Line `line` (1-based) of mapping file `rel`, or "" when it cannot be read.
    pub fn line(&mut self, rel: &str, line: usize) -> &str {
        let dir = &self.dir;
        let text = self
            .cache
            .entry(rel.to_string())
            .or_insert_with(|| std::fs::read_to_string(dir.join(rel)).unwrap_or_default());
        text.lines().nth(line.saturating_sub(1)).unwrap_or("")
    }

    /// The first line at or after `origin` that quotes `needle` (else `origin` itself): where a
    /// key of a table is, when only the table's line is known.
    pub fn find(&mut self, origin: &Origin, needle: &str) -> Origin {
        let quoted = format!("\"{needle}\"");
        let dir = &self.dir;
        let text = self
            .cache
            .entry(origin.file.clone())
            .or_insert_with(|| std::fs::read_to_string(dir.join(&origin.file)).unwrap_or_default());
        let line = text
            .lines()
            .enumerate()
            .skip(origin.line.saturating_sub(1))
            .find(|(_, l)| l.contains(&quoted))
            .map_or(origin.line, |(i, _)| i + 1);
        Origin {
            file: origin.file.clone(),
            line,
        }
    }

    /// A diagnostic at `origin`, in the column where `needle` is quoted on that line (else at the
    /// line's first non-blank character).
    pub fn diag(
        &mut self,
        (level, check): (Level, &'static str),
        origin: &Origin,
        needle: &str,
        message: String,
    ) -> Diagnostic {
        let col = column_of(self.line(&origin.file, origin.line), needle);
        Diagnostic {
            level,
            check,
            file: super::display(&self.dir, &origin.file),
            line: origin.line,
            col,
            message,
        }
    }
}

/// 1-based column (in characters) of `"needle"` on `line`, else of its first non-blank character.
pub fn column_of(line: &str, needle: &str) -> usize {
    let quoted = format!("\"{needle}\"");
    let at = line
        .find(&quoted)
        .or_else(|| (!needle.is_empty()).then(|| line.find(needle)).flatten())
        .or_else(|| line.find(|c: char| !c.is_whitespace()))
        .unwrap_or(0);
    line[..at].chars().count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_quoted_name() {
        let line = r#"sex = { column = "Sex", crosswalk = "sex_hr" }"#;
        assert_eq!(column_of(line, "Sex"), 18);
        assert_eq!(column_of(line, "sex_hr"), 37);
        assert_eq!(column_of("  [source]", "nothing"), 3);
        assert_eq!(column_of("", "x"), 1);
    }
}
