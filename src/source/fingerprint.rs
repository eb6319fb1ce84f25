//! The fingerprint of an input file: size, SHA-256 and, for a file read as text, its UTF-8 census,
//! taken in one streaming pass so that auditors can trace a run to the exact files it read.
use std::io::Read;
use std::path::Path;

use sha2::{Digest, Sha256};

use super::SourceError;

/// What the audit tables record about one input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileInfo {
    /// Size in bytes.
    pub size: u64,
    /// Lower-case hex SHA-256 of the bytes.
    pub sha256: String,
    /// For a file read as text ([`super::is_text`]), its bytes counted as UTF-8: the evidence
    /// its encoding is decided on (#9). A workbook or an XML file is not counted: its encoding
    /// is its own, and counting a workbook's compressed bytes (invalid on almost every byte)
    /// took about 0.2 s of CPU at `--scale 100`, for nothing (#11).
    pub census: Option<super::decode::Utf8Census>,
}

/// Reads `path` once, in 64 KiB blocks, and returns its size, SHA-256 and, for a file read as
/// text, its UTF-8 census. `display` names the file in errors.
pub fn fingerprint(path: &Path, display: &str) -> Result<FileInfo, SourceError> {
    let mut hasher = Sha256::new();
    let mut census = super::is_text(path).then(super::decode::Utf8Census::default);
    let size = blocks(path, display, |block| {
        hasher.update(block);
        if let Some(census) = &mut census {
            census.feed(block);
        }
    })?;
    if let Some(census) = &mut census {
        census.finish();
    }
    Ok(FileInfo {
        size,
        sha256: hex(&hasher.finalize()),
        census,
    })
}

/// The size and SHA-256 of `path`, without the UTF-8 census: for a file whose bytes are not read
/// as text (the company database), or whose hash is compared with the one a run recorded.
pub fn digest(path: &Path, display: &str) -> Result<(u64, String), SourceError> {
    let mut hasher = Sha256::new();
    let size = blocks(path, display, |block| hasher.update(block))?;
    Ok((size, hex(&hasher.finalize())))
}

/// Reads `path` once, in 64 KiB blocks, handing each to `each`; returns the size in bytes.
fn blocks(path: &Path, display: &str, mut each: impl FnMut(&[u8])) -> Result<u64, SourceError> {
    let io = |source| SourceError::Io {
        file: display.to_string(),
        source,
    };
    let mut file = std::fs::File::open(path).map_err(io)?;
    let mut buf = vec![0u8; 64 * 1024];
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buf).map_err(io)?;
        if n == 0 {
            return Ok(size);
        }
        size += n as u64;
        each(&buf[..n]);
    }
}

/// `bytes` as lower-case hexadecimal (a digest as handover records it).
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut hex = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        hex.push(char::from(DIGITS[usize::from(b >> 4)]));
        hex.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    hex
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_and_detects_utf8() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.csv");
        std::fs::write(&p, "abc").unwrap();
        let info = fingerprint(&p, "a.csv").unwrap();
        assert_eq!(info.size, 3);
        assert_eq!(
            info.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(info.census.is_some_and(|c| c.is_utf8()));
        std::fs::write(&p, b"Zo\xeb").unwrap();
        let census = fingerprint(&p, "a.csv").unwrap().census;
        assert!(census.is_some_and(|c| !c.is_utf8()));
    }

    #[test]
    fn a_digest_is_the_fingerprints_size_and_hash_over_several_blocks() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("company.db");
        // Three blocks and a part, with bytes that are not UTF-8.
        let bytes: Vec<u8> = (0..200_000u32).map(|i| (i * 7 % 256) as u8).collect();
        std::fs::write(&p, &bytes).unwrap();
        let info = fingerprint(&p, "company.db").unwrap();
        assert_eq!(digest(&p, "company.db").unwrap(), (200_000, info.sha256));
        assert!(info.census.is_some_and(|c| !c.is_utf8()));
        let missing = digest(&dir.path().join("gone.db"), "gone.db").unwrap_err();
        assert!(missing.to_string().contains("gone.db"), "{missing}");
    }

    #[test]
    fn a_workbook_or_an_xml_file_is_hashed_but_not_counted_as_text() {
        let dir = tempfile::tempdir().unwrap();
        let bytes: Vec<u8> = (0..100_000u32).map(|i| (i * 7 % 256) as u8).collect();
        for name in ["placements.xlsx", "return.XML", "old.xls"] {
            let p = dir.path().join(name);
            std::fs::write(&p, &bytes).unwrap();
            let info = fingerprint(&p, name).unwrap();
            assert_eq!((info.size, info.sha256), digest(&p, name).unwrap());
            assert_eq!(info.census, None, "{name}");
        }
    }
}
