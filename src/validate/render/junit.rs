//! JUnit XML for CI test reports (GitLab `artifacts:reports:junit`, Jenkins, Azure): one
//! `<testsuite>` per mapping file, one `<testcase>` per check run on it, and a `<failure>` per
//! error that check found in the file. A check that found nothing is a passing test case, which
//! is why [`Report::checks`] lists every check that ran. A check that could not run on a file
//! (the file is not valid TOML or has keys the format does not know, so nothing in it was read;
//! the source file it names is missing from `--input`) is `<skipped>` with the reason, never a
//! pass (issue #13). Warnings are failures only with `--strict`; otherwise they go to the test
//! case's `<system-out>`.
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
    let (mut tests, mut failures, mut skipped) = (0, 0, 0);
    for file in &files {
        let (xml, t, f, s) = suite(report, file, strict);
        suites.push_str(&xml);
        tests += t;
        failures += f;
        skipped += s;
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"handover validate\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\">\n{suites}</testsuites>\n"
    )
}

/// Why `check` could not run on `file`, if it could not: a file that did not parse was not
/// read, so no later check saw it; `unused-crosswalk` needs every file parsed; the extract
/// checks need the source file that `input-file` found missing.
fn not_run(report: &Report, file: &str, check: &str) -> Option<&'static str> {
    let failed = |f: &str, c: &str| {
        report
            .diagnostics
            .iter()
            .any(|d| d.file == f && d.check == c && d.level == Level::Error)
    };
    let found_here = report
        .diagnostics
        .iter()
        .any(|d| d.file == file && d.check == check);
    if found_here || matches!(check, "syntax" | "unknown-key") {
        return None;
    }
    if failed(file, "syntax") {
        return Some("not run: the file is not valid TOML, so nothing in it was read");
    }
    if failed(file, "unknown-key") {
        return Some(
            "not run: the file has keys the mapping format does not know, so it was not read",
        );
    }
    let any_unparsed = report
        .diagnostics
        .iter()
        .any(|d| matches!(d.check, "syntax" | "unknown-key") && d.level == Level::Error);
    if check == "unused-crosswalk" && any_unparsed {
        return Some(
            "not run: a mapping file could not be read, so which crosswalks are used is unknown",
        );
    }
    if check.starts_with("input-") && check != "input-file" && failed(file, "input-file") {
        return Some("not run: the source file is missing from the input folder or unreadable");
    }
    None
}

/// One file's suite, with its test, failure and skipped counts.
fn suite(report: &Report, file: &str, strict: bool) -> (String, usize, usize, usize) {
    let mut cases = String::new();
    let (mut failures, mut skipped) = (0, 0);
    for check in &report.checks {
        if let Some(why) = not_run(report, file, check.name) {
            skipped += 1;
            let _ = writeln!(
                cases,
                "    <testcase name=\"{}\" classname=\"{}\">\n      <skipped message=\"{}\"/>\n    </testcase>",
                escape(check.name),
                escape(file),
                escape(why)
            );
            continue;
        }
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
        "  <testsuite name=\"{}\" tests=\"{n}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\">\n{cases}  </testsuite>\n",
        escape(file)
    );
    (xml, n, failures, skipped)
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
