//! The machine formats of `handover validate`: GitHub workflow commands checked line for line,
//! JUnit XML parsed with a real XML parser.
use std::path::Path;

use super::{broken, repo, validate, with_unused_crosswalk};

#[test]
fn github_lines_are_workflow_commands() {
    let tmp = broken(
        "crosswalks.toml",
        r#""Permanent" = "permanent""#,
        r#""Permanent" = "permanant""#,
    );
    let (code, out) = validate(tmp.path(), &["--format", "github"]);
    assert_eq!(code, 1);
    let file = format!("{}/crosswalks.toml", tmp.path().display())
        .replace(':', "%3A")
        .replace(',', "%2C");
    let expected = format!(
        "::error file={file},line=15,col=9,title=handover crosswalk::`permanant` is not a code of the company's `contract_type` list (did you mean `permanent`?)\n"
    );
    assert_eq!(out, expected);
    let tmp = with_unused_crosswalk();
    let (_, out) = validate(tmp.path(), &["--format", "github"]);
    let file = format!("{}/crosswalks.toml", tmp.path().display());
    assert_eq!(
        out,
        format!(
            "::warning file={file},line=13,col=12,title=handover unused-crosswalk::crosswalk `unused` is declared but no field uses it\n"
        )
    );
}

/// Counts of `<testsuite>`, `<testcase>` and `<failure>` elements, and the failures' test cases.
fn junit_counts(xml: &str) -> (usize, usize, usize, Vec<String>) {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let (mut suites, mut cases, mut failures) = (0, 0, 0);
    let (mut failing, mut case) = (Vec::new(), String::new());
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                "testsuite" => suites += 1,
                "testcase" => {
                    cases += 1;
                    let name = e.try_get_attribute("name").expect("attr").expect("name");
                    case = name.value.to_string();
                }
                "failure" => {
                    failures += 1;
                    failing.push(case.clone());
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    (suites, cases, failures, failing)
}

#[test]
fn junit_has_a_suite_per_file_and_a_case_per_check() {
    let (code, xml) = validate(Path::new("mappings/sunderland"), &["--format", "junit"]);
    assert_eq!(code, 0);
    let (suites, cases, failures, _) = junit_counts(&xml);
    // 9 mapping files and the 5 files of the company schema folder they name.
    assert_eq!((suites, failures), (14, 0));
    assert_eq!(cases, 14 * 22, "22 mapping and schema checks per file");

    let tmp = broken(
        "crosswalks.toml",
        r#""Permanent" = "permanent""#,
        r#""Permanent" = "perm<a>nant&""#,
    );
    let input = repo("fixtures/invalid_code");
    let (code, xml) = validate(
        tmp.path(),
        &[
            "--format",
            "junit",
            "--input",
            input.to_str().expect("UTF-8"),
        ],
    );
    assert_eq!(code, 1);
    let (suites, cases, failures, failing) = junit_counts(&xml);
    assert_eq!(suites, 12, "one suite per mapping and schema file: {xml}");
    assert_eq!(cases, suites * 26);
    assert_eq!(failures, 2);
    assert_eq!(failing, ["crosswalk", "input-code"], "{xml}");
}
