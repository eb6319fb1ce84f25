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

/// A folder of TOML files (a mapping set, a company schema) that cannot be read at all, as
/// opposed to one with mistakes in it (those are [`Diagnostic`]s).
#[derive(Debug, thiserror::Error)]
pub enum FolderError {
    /// The folder does not exist or is not a folder.
    #[error("{what} `{}` does not exist or is not a folder", .path.display())]
    NoFolder {
        /// `mapping folder` or `company schema folder`.
        what: &'static str,
        /// The folder.
        path: std::path::PathBuf,
    },
    /// The folder holds no `*.toml` file.
    #[error("{what} `{}` holds no `*.toml` file", .path.display())]
    Empty {
        /// `mapping folder` or `company schema folder`.
        what: &'static str,
        /// The folder.
        path: std::path::PathBuf,
    },
    /// A symbolic link in the folder leads outside it (#9: files are read only from inside
    /// their folder).
    #[error("`{}` is a symbolic link to `{}`, outside the {what} `{}`: files are read only from inside their folder", .link.display(), .target.display(), .root.display())]
    Escapes {
        /// `input folder`, `mapping folder` or `company schema folder`.
        what: &'static str,
        /// The link.
        link: std::path::PathBuf,
        /// Where it leads.
        target: std::path::PathBuf,
        /// The folder.
        root: std::path::PathBuf,
    },
    /// A symbolic link in the folder leads nowhere readable.
    #[error("`{}` is a symbolic link that leads nowhere readable: {source}", .link.display())]
    Dangling {
        /// The link.
        link: std::path::PathBuf,
        /// Why it cannot be followed.
        source: std::io::Error,
    },
    /// A file cannot be read.
    #[error("failed to read `{}`: {source}", .path.display())]
    Io {
        /// The file.
        path: std::path::PathBuf,
        /// Why.
        source: std::io::Error,
    },
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
    /// Built on the first position asked for: most files have nothing to report.
    index: std::cell::OnceCell<LineIndex>,
    /// What has been found so far.
    pub found: Vec<Diagnostic>,
}

impl<'a> Sink<'a> {
    /// A sink for `file` holding `text`.
    pub fn new(file: &'a str, text: &'a str) -> Self {
        Sink {
            file,
            text,
            index: std::cell::OnceCell::new(),
            found: Vec::new(),
        }
    }

    /// Records a diagnostic at byte offset `at`.
    pub fn at(&mut self, level: Level, check: &'static str, at: usize, message: impl Into<String>) {
        let (line, col) = self.position(at);
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
        self.index
            .get_or_init(|| LineIndex::new(self.text))
            .line_col(self.text, at)
    }

    /// The 1-based line of byte offset `at`.
    pub fn line_of(&self, at: usize) -> usize {
        self.position(at).0
    }
}

/// Turns a TOML error into diagnostics, adding a suggestion for an unknown key. `what` names the
/// kind of file (`mapping file`, `schema file`). Every unknown key of the file is reported at
/// once: each is blanked out of a copy of the text (offsets kept) and the copy parsed again as a
/// `T`. A table the blanking left without a required key is blanked in turn; the search stops
/// when the copy parses or fails otherwise (errors made by the blanking are not reported).
pub fn syntax_error<T: serde::de::DeserializeOwned>(
    sink: &mut Sink,
    e: &toml::de::Error,
    what: &str,
) {
    let mut text = sink.text.to_string();
    let mut error = e.clone();
    for _ in 0..100 {
        let at = error.span().map_or(0, |s| s.start);
        let message = error.message().trim().to_string();
        let Some(rest) = message.strip_prefix("unknown field `") else {
            if text == sink.text {
                sink.error("syntax", at, format!("invalid {what}: {message}"));
                return;
            }
            if !message.starts_with("missing field") || error.span().is_none() {
                return;
            }
            let blanked = blank_entry(&text, table_start(&text, at));
            if blanked == text {
                return;
            }
            text = blanked;
            match toml::from_str::<T>(&text) {
                Ok(_) => return,
                Err(next) => error = next,
            }
            continue;
        };
        let word = rest.split('`').next().unwrap_or("");
        let expected: Vec<&str> = rest.split('`').skip(2).step_by(2).collect();
        let hint = suggest(word, expected.iter().copied())
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        sink.error("unknown-key", at, format!("unknown key `{word}`{hint}"));
        text = blank_entry(&text, at);
        match toml::from_str::<T>(&text) {
            Ok(_) => return,
            Err(next) => error = next,
        }
    }
}

/// `text` with the entry at byte offset `at` replaced by spaces (line breaks and every other
/// offset kept): the key's line, or for a table header (`[name]`, `[[name]]`) the whole table up
/// to the next header. Used to find the next unknown key after one is reported.
pub fn blank_entry(text: &str, at: usize) -> String {
    let at = at.min(text.len());
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = |from: usize| text[from..].find('\n').map_or(text.len(), |i| from + i);
    let mut end = line_end(start);
    if text[start..end].trim_start().starts_with('[') {
        while end < text.len() {
            let next = end + 1;
            if text[next..].trim_start().starts_with('[') {
                break;
            }
            end = line_end(next);
        }
    }
    let blanked: String = text[start..end]
        .chars()
        .map(|c| if c == '\n' { '\n' } else { ' ' })
        .collect();
    // Spaces are one byte each; keep every later offset by padding wide characters' bytes.
    let pad = (end - start).saturating_sub(blanked.len());
    format!(
        "{}{blanked}{}{}",
        &text[..start],
        " ".repeat(pad),
        &text[end..]
    )
}

/// The byte offset of the header line (`[name]` or `[[name]]`) of the table holding offset `at`,
/// or 0 when `at` is before every header.
pub fn table_start(text: &str, at: usize) -> usize {
    let mut start = 0;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if offset > at {
            break;
        }
        if line.trim_start().starts_with('[') {
            start = offset;
        }
        offset += line.len();
    }
    start
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
    fn blanking_an_entry_keeps_every_offset() {
        let text = "[source]\nentity = \"staff\"\nfiel = \"é\"\n[[target]]\ntable = \"x\"\n";
        let at = text.find("fiel").unwrap();
        let out = blank_entry(text, at);
        assert_eq!(out.len(), text.len());
        assert!(out.contains("entity") && !out.contains("fiel") && out.contains("[[target]]"));
        let header = blank_entry(text, text.find("[[target]]").unwrap());
        assert!(!header.contains("target") && !header.contains("table") && header.contains("fiel"));
        assert_eq!(header.len(), text.len());
        assert_eq!(table_start(text, text.find("fiel").unwrap()), 0);
        let target = text.find("[[target]]").unwrap();
        assert_eq!(table_start(text, text.find("table =").unwrap()), target);
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
