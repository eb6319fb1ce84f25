//! `handover verify`: passes on the untouched input folder, fails naming the file after one byte
//! of an input changes, or when a file is missing.
use predicates::prelude::*;
use predicates::str::contains;

use super::common::{bin, copy_fixture, migrate_db};

#[test]
fn verify_passes_on_untouched_inputs_and_names_a_changed_file() {
    let input = copy_fixture("fixtures/clean_small");
    let out = tempfile::tempdir().expect("tmp");
    let db = migrate_db("fixtures/mini_mappings", input.path(), out.path(), "clean");
    bin()
        .arg("verify")
        .arg(&db)
        .arg("--input")
        .arg(input.path())
        .assert()
        .code(0)
        .stdout(contains(
            "VERIFIED: all 6 input files match what the run read (SHA-256).\nNext: ",
        ));

    let staff = input.path().join("staff.csv");
    let mut bytes = std::fs::read(&staff).expect("read staff.csv");
    let last = bytes.len() - 2;
    bytes[last] = if bytes[last] == b'Y' { b'N' } else { b'Y' };
    std::fs::write(&staff, bytes).expect("write staff.csv");
    bin()
        .arg("verify")
        .arg(&db)
        .arg("--input")
        .arg(input.path())
        .assert()
        .code(1)
        .stdout(contains("staff.csv: differs"))
        .stdout(contains("teams.csv").not())
        // See: #13 (a verdict line and the next step)
        .stdout(contains(
            "NOT VERIFIED: 1 of 6 input files do not match what the run read.",
        ))
        .stdout(contains(
            "\nNext: the database was not produced from exactly the files in",
        ));
}

#[test]
fn verify_names_a_missing_file() {
    let input = copy_fixture("fixtures/clean_small");
    let out = tempfile::tempdir().expect("tmp");
    let db = migrate_db("fixtures/mini_mappings", input.path(), out.path(), "clean");
    std::fs::remove_file(input.path().join("teams.csv")).expect("remove");
    bin()
        .arg("verify")
        .arg(&db)
        .arg("--input")
        .arg(input.path())
        .assert()
        .code(1)
        .stdout(contains("teams.csv: missing"));
}
