//! Mapping files: how council exports become records of the company schema. A mapping set is a
//! folder of TOML files ([`raw`] mirrors the keys, docs/mapping.md documents them) that is
//! resolved against the company schema into a [`MappingSet`] ([`model`]). Everything wrong with
//! the set is collected as [`Diagnostic`]s with file, line and column, never as the first error
//! only.

pub mod company;
pub mod condition;
pub mod controls;
pub mod crosswalk;
pub mod fields;
pub mod model;
pub mod raw;
pub mod resolve;
pub mod source;
pub mod xml;

use sha2::{Digest, Sha256};

pub use crate::diagnostic::{self, Diagnostic, Level};
pub use model::*;
pub use resolve::{LoadOptions, Loaded, load, load_with};

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    crate::source::fingerprint::hex(&Sha256::digest(bytes))
}

/// A mapping file's path as messages show it: the mapping folder as given, joined with the path
/// relative to it, with `/` separators.
pub fn display(dir: &std::path::Path, rel: &str) -> String {
    company::normalize(&dir.join(rel))
        .to_string_lossy()
        .replace('\\', "/")
}

#[cfg(test)]
mod tests {
    #[test]
    fn sha256_hex_is_the_lower_case_digest() {
        assert_eq!(
            super::sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(super::sha256_hex(b"").len(), 64);
    }
}
