//! Exit status and writes independent of stdout: a reader that has gone away (`| head -1`)
//! changes neither what migrate writes nor how it exits, and no command panics on it.
// See: #9
use std::process::{Command, Stdio};

use crate::common::{bin, count, open_db, repo};

/// Runs `handover ARGS` with stdout a pipe whose reading end is already closed; returns the exit
/// code and stderr.
fn with_closed_stdout(args: &[&std::ffi::OsStr]) -> (Option<i32>, String) {
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    let exe = bin().get_program().to_owned();
    let out = Command::new(exe)
        .current_dir(repo(""))
        .args(args)
        .stdout(Stdio::from(writer))
        .stderr(Stdio::piped())
        .output()
        .expect("run handover");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn migrate_out(input: &str, db: &std::path::Path) -> (Option<i32>, String) {
    let args: Vec<&std::ffi::OsStr> = vec![
        "migrate".as_ref(),
        "--mappings".as_ref(),
        "fixtures/mini_mappings".as_ref(),
        "--input".as_ref(),
        input.as_ref(),
        "--out".as_ref(),
        db.as_os_str(),
    ];
    with_closed_stdout(&args)
}

#[test]
fn issue_9_migrate_with_stdout_closed_still_writes_the_database_and_exits_0() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("company.db");
    let (code, stderr) = migrate_out("fixtures/clean_small", &db);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(db.is_file(), "no database written; stderr: {stderr}");
    let conn = open_db(&db);
    assert_eq!(count(&conn, "SELECT count(*) FROM staff"), 4);
}

#[test]
fn issue_9_migrate_with_stdout_closed_still_refuses_and_exits_1() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("company.db");
    let (code, stderr) = migrate_out("fixtures/duplicate_staff", &db);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(!db.exists(), "a refused database was written");
    assert!(stderr.contains("not written"), "{stderr}");
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn issue_9_verify_with_stdout_closed_does_not_panic() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("company.db");
    let (code, _) = migrate_out("fixtures/clean_small", &db);
    assert_eq!(code, Some(0));
    let args: Vec<&std::ffi::OsStr> = vec![
        "verify".as_ref(),
        db.as_os_str(),
        "--input".as_ref(),
        "fixtures/clean_small".as_ref(),
    ];
    let (code, stderr) = with_closed_stdout(&args);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// Runs `handover ARGS` with stdout closed; asserts the exit code and that nothing panicked.
fn assert_closed_stdout_exit(args: &[&str], expected: i32) {
    let args: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_ref()).collect();
    let (code, stderr) = with_closed_stdout(&args);
    assert_eq!(code, Some(expected), "{args:?}: {stderr}");
    assert!(
        !stderr.contains("panicked") && !stderr.contains("internal error"),
        "{args:?}: {stderr}"
    );
}

#[test]
fn issue_9_validate_with_stdout_closed_keeps_its_exit_status() {
    // Errors found: 1, whether or not anyone reads the report.
    for format in ["human", "json", "github", "junit"] {
        assert_closed_stdout_exit(
            &[
                "validate",
                "--mappings",
                "mappings/sunderland",
                "--input",
                "fixtures/sunderland/2017-01-31",
                "--format",
                format,
            ],
            1,
        );
    }
    assert_closed_stdout_exit(&["validate", "--mappings", "mappings/sunderland"], 0);
}

#[test]
fn issue_9_every_printing_command_survives_a_closed_stdout() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("company.db");
    let (code, _) = migrate_out("fixtures/clean_small", &db);
    assert_eq!(code, Some(0));
    let db = db.to_str().unwrap();
    let schema = "mappings/companies/together-for-children";
    for args in [
        vec!["completions", "bash"],
        vec!["man"],
        vec!["schema", "--schema", schema],
        vec!["schema", "--schema", schema, "--doc"],
        vec!["schema", "--schema", schema, "--sql"],
        vec!["report", db],
        vec!["report", db, "--format", "html"],
        vec!["diff", db, db],
    ] {
        assert_closed_stdout_exit(&args, 0);
    }
}
