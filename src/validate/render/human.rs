//! Compiler-style messages, as rustc prints them: `file:line:col: error: message`, then the
//! mapping line with a caret under the column, then a one-line summary and the next step.
use std::collections::HashMap;
use std::fmt::Write;

use super::super::Report;
use super::level_word;
use crate::mapping::{Diagnostic, Level};

/// Renders `report` for a terminal. Mapping lines are read from the files the diagnostics name.
pub fn render(report: &Report) -> String {
    let mut texts: HashMap<&str, String> = HashMap::new();
    let mut out = String::new();
    for d in &report.diagnostics {
        let text = texts
            .entry(d.file.as_str())
            .or_insert_with(|| std::fs::read_to_string(&d.file).unwrap_or_default());
        diagnostic(&mut out, d, text);
    }
    let _ = writeln!(out, "{}", summary(report));
    let _ = writeln!(out, "Next: {}", next_step(report));
    out
}

/// What to do after reading the report (issue #13).
pub fn next_step(report: &Report) -> &'static str {
    match (report.count(Level::Error), report.count(Level::Warning)) {
        (0, 0) => {
            "the mapping set is ready; `handover migrate --dry-run` loads an extract through it."
        }
        (0, _) => {
            "read the warnings (--strict makes them errors); then `handover migrate --dry-run`."
        }
        _ => {
            "fix each error at the file, line and column shown (docs/mapping.md documents every key), then validate again."
        }
    }
}

/// One diagnostic with its snippet.
fn diagnostic(out: &mut String, d: &Diagnostic, text: &str) {
    let _ = writeln!(
        out,
        "{}:{}:{}: {}: {}",
        d.file,
        d.line,
        d.col,
        level_word(d.level),
        d.message
    );
    let Some(src) = d.line.checked_sub(1).and_then(|i| text.lines().nth(i)) else {
        return;
    };
    let gutter = " ".repeat(d.line.to_string().len());
    let pad: String = src
        .chars()
        .take(d.col.saturating_sub(1))
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    let _ = writeln!(out, "{gutter} |");
    let _ = writeln!(out, "{} | {}", d.line, src.trim_end());
    let _ = writeln!(out, "{gutter} | {pad}^");
}

/// `2 errors, 1 warning in 9 mapping files (16 checks)`, then with `--input`
/// `; 6 input files, 4211 rows read`.
pub fn summary(report: &Report) -> String {
    let mut line = format!(
        "{}, {} in {} ({})",
        plural(report.count(Level::Error) as u64, "error"),
        plural(report.count(Level::Warning) as u64, "warning"),
        plural(report.files.len() as u64, "mapping file"),
        plural(report.checks.len() as u64, "check"),
    );
    if let Some(read) = report.read {
        let _ = write!(
            line,
            "; {}, {} read",
            plural(read.files as u64, "input file"),
            plural(read.rows, "row")
        );
    }
    line
}

fn plural(n: u64, word: &str) -> String {
    match n {
        1 => format!("1 {word}"),
        _ => format!("{n} {word}s"),
    }
}
