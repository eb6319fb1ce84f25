//! The mapping parser and resolver on arbitrary text, as one mapping file of a set resolved
//! against Together for Children's schema: every input ends in a set and diagnostics (each with
//! file, line and column), never a panic.
#![no_main]
use std::path::PathBuf;

use handover::mapping::{self, LoadOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(dir.path().join("fuzz.toml"), data).expect("write the mapping file");
    let schema = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../mappings/companies/together-for-children");
    let opts = LoadOptions {
        schema_dir: Some(schema),
        as_at: None,
    };
    if let Ok(loaded) = mapping::load_with(dir.path(), &opts) {
        for d in &loaded.diagnostics {
            assert!(d.line >= 1, "a diagnostic names its line: {d}");
        }
    }
});
