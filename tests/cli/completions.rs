//! `handover completions`, `handover man` and the help text: generated from the same command
//! definition that parses the command line, and wrapped to the terminal. See: #13
use predicates::str::contains;

use super::common::bin;

#[test]
fn completions_name_every_subcommand_and_option_for_each_shell() {
    let cases = [
        ("bash", "_handover()"),
        ("zsh", "#compdef handover"),
        ("fish", "complete -c handover"),
        ("elvish", "edit:completion:arg-completer[handover]"),
        ("powershell", "Register-ArgumentCompleter"),
    ];
    for (shell, marker) in cases {
        let out = bin().args(["completions", shell]).output().expect("run");
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = String::from_utf8(out.stdout).expect("utf-8");
        assert!(script.contains(marker), "{shell}: no `{marker}`");
        for word in [
            "migrate",
            "report",
            "allow-findings",
            "include-personal-data",
        ] {
            assert!(script.contains(word), "{shell} completion lacks `{word}`");
        }
    }
    bin()
        .args(["completions", "tcsh"])
        .assert()
        .code(2)
        .stderr(contains("invalid value 'tcsh'"));
}

#[test]
fn man_prints_the_top_page_and_writes_one_page_per_subcommand() {
    let out = bin().arg("man").output().expect("run");
    assert_eq!(out.status.code(), Some(0));
    let page = String::from_utf8(out.stdout).expect("utf-8");
    assert!(
        page.starts_with(".ie \\n(.g .ds Aq") || page.contains(".TH handover 1"),
        "{page}"
    );
    assert!(page.contains(".TH handover 1"), "{page}");
    assert!(page.contains("handover\\-migrate(1)"), "{page}");

    let tmp = tempfile::tempdir().expect("tmp");
    bin()
        .args(["-q", "man", "--dir"])
        .arg(tmp.path())
        .assert()
        .code(0);
    let migrate = std::fs::read_to_string(tmp.path().join("handover-migrate.1")).expect("page");
    assert!(migrate.contains(".TH handover-migrate 1"), "{migrate}");
    assert!(migrate.contains("\\-\\-allow\\-findings"), "{migrate}");
    for sub in [
        "generate",
        "validate",
        "report",
        "verify",
        "diff",
        "completions",
        "man",
    ] {
        assert!(
            tmp.path().join(format!("handover-{sub}.1")).is_file(),
            "no page for {sub}"
        );
    }
}

#[test]
fn help_is_wrapped_to_the_terminal_and_the_top_level_has_examples() {
    let out = bin()
        .env("COLUMNS", "60")
        .args(["migrate", "--help"])
        .output()
        .expect("run");
    let help = String::from_utf8(out.stdout).expect("utf-8");
    for line in help.lines().filter(|l| !l.starts_with("Usage:")) {
        assert!(line.chars().count() <= 60, "wider than 60: `{line}`");
    }
    assert!(help.contains("Examples:"), "{help}");
    bin().arg("--help").assert().code(0).stdout(contains(
        "Examples:\n  handover validate --mappings mappings/sunderland",
    ));
}
