//! Diagnostics about mapping files and company schema folders: each names the file, line and
//! column, like a compiler message. `handover validate` prints them in several formats; `handover
//! migrate` refuses to run while any is an error.
use serde::Serialize;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// The mapping set is wrong: migrate refuses it, validate exits 1.
    Error,
    /// Suspicious but usable: validate exits 1 only with `--strict`.
    Warning,
}

/// One problem in a mapping set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub level: Level,
    /// Which check found it (a stable name such as `syntax`, `unknown-key`, `schema`), used to
    /// group diagnostics into JUnit test cases.
    pub check: &'static str,
    /// The mapping file, relative to the mapping folder's parent as given on the command line.
    pub file: String,
    /// 1-based line, 0 when the problem is about the whole file.
    pub line: usize,
    /// 1-based column, 0 when unknown.
    pub col: usize,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let level = match self.level {
            Level::Error => "error",
            Level::Warning => "warning",
        };
        write!(
            f,
            "{}:{}:{}: {level}: {}",
            self.file, self.line, self.col, self.message
        )
    }
}

/// Byte offsets of line starts in a text, to turn spans into line and column.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes `text`.
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// 1-based line and column (in characters) of byte offset `at` in `text`.
    pub fn line_col(&self, text: &str, at: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= at).max(1);
        let start = self.starts[line - 1];
        let col = text
            .get(start..at.min(text.len()))
            .map_or(0, |s| s.chars().count())
            + 1;
        (line, col)
    }
}

/// Collects diagnostics for one mapping file, turning byte spans into positions.
pub struct Sink<'a> {
    /// The file as displayed.
    pub file: &'a str,
    /// Its text.
    pub text: &'a str,
    index: LineIndex,
    /// What has been found so far.
    pub found: Vec<Diagnostic>,
}

impl<'a> Sink<'a> {
    /// A sink for `file` holding `text`.
    pub fn new(file: &'a str, text: &'a str) -> Self {
        Sink {
            file,
            text,
            index: LineIndex::new(text),
            found: Vec::new(),
        }
    }

    /// Records a diagnostic at byte offset `at`.
    pub fn at(&mut self, level: Level, check: &'static str, at: usize, message: impl Into<String>) {
        let (line, col) = self.index.line_col(self.text, at);
        self.found.push(Diagnostic {
            level,
            check,
            file: self.file.to_string(),
            line,
            col,
            message: message.into(),
        });
    }

    /// Records an error at byte offset `at`.
    pub fn error(&mut self, check: &'static str, at: usize, message: impl Into<String>) {
        self.at(Level::Error, check, at, message);
    }

    /// The 1-based line and column of byte offset `at`.
    pub fn position(&self, at: usize) -> (usize, usize) {
        self.index.line_col(self.text, at)
    }

    /// The 1-based line of byte offset `at`.
    pub fn line_of(&self, at: usize) -> usize {
        self.index.line_col(self.text, at).0
    }
}

/// Turns a TOML error into a diagnostic, adding a suggestion for an unknown key. `what` names
/// the kind of file (`mapping file`, `schema file`).
pub fn syntax_error(sink: &mut Sink, e: &toml::de::Error, what: &str) {
    let at = e.span().map_or(0, |s| s.start);
    let message = e.message().trim().to_string();
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let word = rest.split('`').next().unwrap_or("");
        let expected: Vec<&str> = rest.split('`').skip(2).step_by(2).collect();
        let hint = suggest(word, expected.iter().copied())
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        sink.error("unknown-key", at, format!("unknown key `{word}`{hint}"));
    } else {
        sink.error("syntax", at, format!("invalid {what}: {message}"));
    }
}

/// The closest of `candidates` to `word`, when close enough to be a likely typo.
pub fn suggest<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based() {
        let text = "a = 1\nbb = 2\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0), (1, 1));
        assert_eq!(idx.line_col(text, 6), (2, 1));
        assert_eq!(idx.line_col(text, 9), (2, 4));
    }

    #[test]
    fn suggests_near_misses_only() {
        assert_eq!(
            suggest("formt", ["format", "formats", "column"]),
            Some("format")
        );
        assert_eq!(suggest("zzz", ["format", "column"]), None);
    }
}
