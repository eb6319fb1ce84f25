//! The shared test harness: the built binary and the checked-in fixtures.
#![allow(dead_code)]
use std::path::PathBuf;

/// The `handover` binary built for this test run.
pub fn bin() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("handover").expect("the handover binary is built")
}

/// A folder under `fixtures/`.
pub fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
}
