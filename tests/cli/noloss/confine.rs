//! Confinement and leftovers: a symbolic link out of the input or mapping folder stops the run
//! naming it; temporary databases of killed runs are removed by the next run into the folder,
//! and an interrupted run removes its own; header errors do not echo cell values.
// See: #9
use std::time::{Duration, Instant};

use predicates::prelude::*;
use predicates::str::contains;

use crate::common::{bin, copy_fixture, migrate, repo};

const MINI: &str = "fixtures/mini_mappings";

#[test]
fn issue_9_a_symlink_out_of_the_input_folder_stops_the_run_naming_it() {
    let input = copy_fixture("fixtures/clean_small");
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("teams.csv");
    std::fs::copy(input.path().join("teams.csv"), &secret).unwrap();
    std::fs::remove_file(input.path().join("teams.csv")).unwrap();
    std::os::unix::fs::symlink(&secret, input.path().join("teams.csv")).unwrap();
    migrate(repo(MINI), input.path())
        .arg("--dry-run")
        .assert()
        .code(2)
        .stderr(
            contains("teams.csv` is a symbolic link to").and(contains("outside the input folder")),
        );
}

#[test]
fn issue_9_a_symlink_inside_the_input_folder_is_read() {
    let input = copy_fixture("fixtures/clean_small");
    std::fs::create_dir(input.path().join("real")).unwrap();
    std::fs::rename(
        input.path().join("teams.csv"),
        input.path().join("real/teams.csv"),
    )
    .unwrap();
    std::os::unix::fs::symlink("real/teams.csv", input.path().join("teams.csv")).unwrap();
    let maps = copy_fixture(MINI);
    std::fs::write(
        maps.path().join("ignore.toml"),
        "[[ignore]]\nfile = \"real/teams.csv\"\nreason = \"read through the link teams.csv\"\n",
    )
    .unwrap();
    migrate(maps.path(), input.path())
        .arg("--dry-run")
        .assert()
        .code(0);
}

#[test]
fn issue_9_a_symlink_out_of_the_mapping_folder_stops_the_run_naming_it() {
    let maps = copy_fixture(MINI);
    let outside = tempfile::tempdir().unwrap();
    let moved = outside.path().join("staff.toml");
    std::fs::rename(maps.path().join("staff.toml"), &moved).unwrap();
    std::os::unix::fs::symlink(&moved, maps.path().join("staff.toml")).unwrap();
    migrate(maps.path(), repo("fixtures/clean_small"))
        .arg("--dry-run")
        .assert()
        .code(2)
        .stderr(
            contains("staff.toml` is a symbolic link to")
                .and(contains("outside the mapping folder")),
        );
}

#[test]
fn issue_9_leftovers_of_killed_runs_are_removed_by_the_next_run() {
    let out = tempfile::tempdir().unwrap();
    // A dead process's file, and one from before files carried a pid; a live run's stays.
    let dead = out.path().join(".handover-4000000000-abc123.db.partial");
    let old = out.path().join(".handover-xyz789.db.partial");
    let live_pid = std::process::id();
    let live = out
        .path()
        .join(format!(".handover-{live_pid}-def456.db.partial"));
    for f in [&dead, &old, &live] {
        std::fs::write(f, b"personal data").unwrap();
    }
    migrate(repo(MINI), repo("fixtures/clean_small"))
        .arg("--out")
        .arg(out.path().join("company.db"))
        .assert()
        .code(0)
        .stderr(contains("left by a run that did not finish"));
    assert!(!dead.exists() && !old.exists());
    assert!(live.exists(), "a live run's file was removed");
    assert!(out.path().join("company.db").is_file());
}

#[test]
fn issue_9_an_interrupted_run_removes_its_own_temporary_database() {
    let out = tempfile::tempdir().unwrap();
    let exe = bin().get_program().to_owned();
    let mut child = std::process::Command::new(exe)
        .current_dir(repo(""))
        .args([
            "-q",
            "migrate",
            "--mappings",
            "mappings/sunderland",
            "--input",
        ])
        .arg("fixtures/sunderland/2017-03-31")
        .arg("--out")
        .arg(out.path().join("company.db"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let partial = || {
        std::fs::read_dir(out.path())
            .unwrap()
            .flatten()
            .any(|e| e.file_name().to_string_lossy().ends_with(".db.partial"))
    };
    let started = Instant::now();
    while !partial() {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run ended before it could be interrupted"
        );
        assert!(started.elapsed() < Duration::from_secs(60));
        std::thread::sleep(Duration::from_millis(1));
    }
    let status = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let out_status = child.wait_with_output().unwrap();
    assert_eq!(out_status.status.code(), Some(130));
    assert!(String::from_utf8_lossy(&out_status.stderr).contains("interrupted: removed"));
    assert!(
        !partial(),
        "the interrupted run left its temporary database"
    );
    assert!(!out.path().join("company.db").exists());
}

#[test]
fn issue_9_a_header_that_is_really_data_is_not_echoed() {
    let input = copy_fixture("fixtures/clean_small");
    let staff = input.path().join("staff.csv");
    let text = std::fs::read_to_string(&staff).unwrap();
    // The header row lost: the first row of data is taken for it.
    let body: Vec<&str> = text.lines().skip(1).collect();
    std::fs::write(&staff, body.join("\n") + "\n").unwrap();
    let assert = migrate(repo(MINI), input.path())
        .arg("--dry-run")
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    for value in ["Smith", "Ann", "01/01/1970", "100001"] {
        assert!(!stderr.contains(value), "{value} echoed: {stderr}");
    }
}

/// A copy of the Sunderland mapping set and the Together for Children schema beside it, with the
/// schema's code list `file` moved out of the folder and replaced by a link to it.
fn mappings_with_schema_link_out(file: &str) -> (tempfile::TempDir, tempfile::TempDir) {
    let root = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    for dir in [
        "mappings/sunderland",
        "mappings/companies/together-for-children",
    ] {
        let to = root.path().join(dir);
        copy_tree(&repo(dir), &to);
    }
    let schema = root.path().join("mappings/companies/together-for-children");
    let moved = outside.path().join("moved");
    std::fs::rename(schema.join(file), &moved).unwrap();
    std::os::unix::fs::symlink(&moved, schema.join(file)).unwrap();
    (root, outside)
}

fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            copy_tree(&path, &to.join(entry.file_name()));
        } else {
            std::fs::copy(&path, to.join(entry.file_name())).unwrap();
        }
    }
}

#[test]
fn issue_9_a_symlink_out_of_the_schema_folder_stops_migrate_and_validate() {
    let (root, _outside) = mappings_with_schema_link_out("codelists/placement_type.csv");
    let maps = root.path().join("mappings/sunderland");
    let says_so = || {
        contains("placement_type.csv` is a symbolic link to")
            .and(contains("outside the company schema folder"))
    };
    migrate(&maps, repo("fixtures/sunderland/2017-03-31"))
        .arg("--dry-run")
        .assert()
        .code(2)
        .stderr(says_so());
    bin()
        .args(["validate", "--mappings"])
        .arg(&maps)
        .assert()
        .code(1)
        .stdout(says_so());
}

#[test]
fn issue_9_validate_refuses_a_symlink_out_of_the_mapping_or_input_folder() {
    let maps = copy_fixture(MINI);
    let outside = tempfile::tempdir().unwrap();
    let moved = outside.path().join("staff.toml");
    std::fs::rename(maps.path().join("staff.toml"), &moved).unwrap();
    std::os::unix::fs::symlink(&moved, maps.path().join("staff.toml")).unwrap();
    bin()
        .args(["validate", "--mappings"])
        .arg(maps.path())
        .assert()
        .code(2)
        .stderr(
            contains("staff.toml` is a symbolic link to")
                .and(contains("outside the mapping folder")),
        );

    let input = copy_fixture("fixtures/clean_small");
    let secret = outside.path().join("teams.csv");
    std::fs::rename(input.path().join("teams.csv"), &secret).unwrap();
    std::os::unix::fs::symlink(&secret, input.path().join("teams.csv")).unwrap();
    bin()
        .args(["validate", "--mappings"])
        .arg(repo(MINI))
        .arg("--input")
        .arg(input.path())
        .assert()
        .code(2)
        .stderr(
            contains("teams.csv` is a symbolic link to").and(contains("outside the input folder")),
        );
}

#[test]
fn issue_9_report_does_not_read_the_source_side_through_a_link_out_of_the_input_folder() {
    let input = copy_fixture("fixtures/clean_small");
    let out = tempfile::tempdir().unwrap();
    let db = out.path().join("company.db");
    migrate(repo(MINI), input.path())
        .arg("--out")
        .arg(&db)
        .assert()
        .code(0);
    // The same bytes, now reached through a link that leads out of the folder.
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("teams.csv");
    std::fs::rename(input.path().join("teams.csv"), &secret).unwrap();
    std::os::unix::fs::symlink(&secret, input.path().join("teams.csv")).unwrap();
    bin()
        .arg("report")
        .arg(&db)
        .arg("--input")
        .arg(input.path())
        .assert()
        .code(0)
        .stdout(contains("outside the input folder"));
}
