//! `handover validate --format junit`: a check that could not run is a skipped test case with
//! its reason, never a pass. See: #13
use super::common::{bin, copy_fixture};

/// (case name, outcome) of every test case in the suite of the file whose name ends with `file`:
/// outcome is `passed`, `failure` or `skipped`.
fn cases(xml: &str, file: &str) -> Vec<(String, &'static str)> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let (mut out, mut in_suite) = (Vec::<(String, &'static str)>::new(), false);
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) | Event::Empty(e) => {
                let attr = |n: &str| {
                    e.try_get_attribute(n)
                        .expect("attr")
                        .map(|a| a.value.to_string())
                };
                match e.name().as_ref() {
                    "testsuite" => in_suite = attr("name").is_some_and(|n| n.ends_with(file)),
                    "testcase" if in_suite => out.push((attr("name").expect("name"), "passed")),
                    "failure" if in_suite => out.last_mut().expect("case").1 = "failure",
                    "skipped" if in_suite => out.last_mut().expect("case").1 = "skipped",
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

fn junit(mappings: &std::path::Path, input: Option<&std::path::Path>) -> String {
    let mut cmd = bin();
    cmd.args(["validate", "--format", "junit", "--mappings"])
        .arg(mappings);
    if let Some(input) = input {
        cmd.arg("--input").arg(input);
    }
    let out = cmd.output().expect("run validate");
    assert_eq!(out.status.code(), Some(1));
    String::from_utf8(out.stdout).expect("utf-8")
}

fn outcome<'a>(cases: &'a [(String, &'static str)], name: &str) -> &'a str {
    cases
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, o)| *o)
        .unwrap_or_else(|| panic!("no test case `{name}`: {cases:?}"))
}

#[test]
fn checks_that_could_not_run_on_an_unreadable_file_are_skipped_not_passed() {
    let tmp = copy_fixture("fixtures/mini_mappings");
    let staff = tmp.path().join("staff.toml");
    let text = std::fs::read_to_string(&staff).expect("read");
    std::fs::write(&staff, text.replacen("[source]", "[source", 1)).expect("write");
    let xml = junit(tmp.path(), None);

    let staff = cases(&xml, "staff.toml");
    assert_eq!(outcome(&staff, "syntax"), "failure", "{xml}");
    for check in [
        "schema",
        "field",
        "type",
        "required-field",
        "key",
        "crosswalk",
    ] {
        assert_eq!(outcome(&staff, check), "skipped", "{check}: {xml}");
    }
    assert!(xml.contains("not run: the file is not valid TOML"), "{xml}");
    let cases_file = cases(&xml, "cases.toml");
    assert_eq!(outcome(&cases_file, "schema"), "passed");
    assert_eq!(outcome(&cases_file, "unused-crosswalk"), "skipped");
    let skipped = xml.matches("<skipped ").count();
    assert!(skipped > 10, "{skipped}");
    let header = xml.lines().nth(1).expect("<testsuites>");
    assert!(
        header.ends_with(&format!("skipped=\"{skipped}\">")),
        "{header}"
    );
}

#[test]
fn extract_checks_on_a_missing_source_file_are_skipped() {
    let input = copy_fixture("fixtures/clean_small");
    std::fs::remove_file(input.path().join("providers.csv")).expect("remove");
    let xml = junit(
        std::path::Path::new("fixtures/mini_mappings"),
        Some(input.path()),
    );
    let providers = cases(&xml, "providers.toml");
    assert_eq!(outcome(&providers, "input-file"), "failure", "{xml}");
    for check in ["input-column", "input-code", "input-value"] {
        assert_eq!(outcome(&providers, check), "skipped", "{check}: {xml}");
    }
    let staff = cases(&xml, "staff.toml");
    assert_eq!(outcome(&staff, "input-column"), "passed", "{xml}");
}
