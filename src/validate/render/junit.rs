//! JUnit XML for CI test reports (GitLab `artifacts:reports:junit`, Jenkins, Azure): one
//! `<testsuite>` per mapping file, one `<testcase>` per check run on it, and a `<failure>` per
//! error that check found in the file. A check that found nothing is a passing test case, which
//! is why [`Report::checks`] lists every check that ran. Warnings are failures only with
//! `--strict`; otherwise they go to the test case's `<system-out>`.
use std::fmt::Write;

use super::super::Report;
use crate::mapping::{Diagnostic, Level};

/// Renders `report`; `strict` makes warnings failures.
pub fn render(report: &Report, strict: bool) -> String {
    let mut files = report.files.clone();
    for d in &report.diagnostics {
        if !files.contains(&d.file) {
            files.push(d.file.clone());
        }
    }
    files.sort();
    let mut suites = String::new();
    let (mut tests, mut failures) = (0, 0);
    for file in &files {
        let (xml, t, f) = suite(report, file, strict);
        suites.push_str(&xml);
        tests += t;
        failures += f;
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"handover validate\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">\n{suites}</testsuites>\n"
    )
}

/// One file's suite, with its test and failure counts.
fn suite(report: &Report, file: &str, strict: bool) -> (String, usize, usize) {
    let mut cases = String::new();
    let mut failures = 0;
    for check in &report.checks {
        let found: Vec<&Diagnostic> = report
            .diagnostics
            .iter()
            .filter(|d| d.file == file && d.check == check.name)
            .collect();
        let (failed, quiet): (Vec<&Diagnostic>, Vec<&Diagnostic>) = found
            .into_iter()
            .partition(|d| d.level == Level::Error || strict);
        failures += failed.len();
        case(&mut cases, (file, check.name), &failed, &quiet);
    }
    let n = report.checks.len();
    let xml = format!(
        "  <testsuite name=\"{}\" tests=\"{n}\" failures=\"{failures}\" errors=\"0\">\n{cases}  </testsuite>\n",
        escape(file)
    );
    (xml, n, failures)
}

/// One test case: self-closing when the check found nothing in the file.
fn case(
    out: &mut String,
    (file, check): (&str, &str),
    failed: &[&Diagnostic],
    quiet: &[&Diagnostic],
) {
    let open = format!(
        "    <testcase name=\"{}\" classname=\"{}\"",
        escape(check),
        escape(file)
    );
    if failed.is_empty() && quiet.is_empty() {
        let _ = writeln!(out, "{open}/>");
        return;
    }
    let _ = writeln!(out, "{open}>");
    for d in failed {
        let _ = writeln!(
            out,
            "      <failure type=\"{}\" message=\"{}\">{}</failure>",
            super::level_word(d.level),
            escape(&d.message),
            escape(&d.to_string())
        );
    }
    if !quiet.is_empty() {
        let text: Vec<String> = quiet.iter().map(|d| d.to_string()).collect();
        let _ = writeln!(
            out,
            "      <system-out>{}</system-out>",
            escape(&text.join("\n"))
        );
    }
    out.push_str("    </testcase>\n");
}

/// Escapes text for XML content and attribute values; drops characters XML 1.0 cannot hold.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_control_characters() {
        assert_eq!(escape("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;");
    }
}
