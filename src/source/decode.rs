//! Text encodings of CSV files: byte-order mark, a streaming UTF-8 validity pass for detection, and
//! decoding of one field's bytes into a reused `String`. Windows-1252 is ASCII-compatible, so the
//! csv parser works on raw bytes and only field contents are decoded.
use std::io::Read;
use std::path::Path;

use super::Encoding;

/// The UTF-8 byte-order mark.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// True when `head` (the first bytes of a file) starts with the UTF-8 byte-order mark.
pub fn has_bom(head: &[u8]) -> bool {
    head.starts_with(BOM)
}

/// What a streaming pass learns about a file's bytes as UTF-8: how many multi-byte characters
/// are valid (evidence that the file is UTF-8) and how many bytes are not (#9).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Utf8Census {
    /// Valid UTF-8 characters of two to four bytes.
    pub multibyte: u64,
    /// Bytes that are not part of a valid UTF-8 character (a character cut by the end of the
    /// file included).
    pub invalid: u64,
    /// Bytes of a character cut by the block boundary, carried into the next block.
    carry: Vec<u8>,
}

impl Utf8Census {
    /// Counts one block of the file.
    pub fn feed(&mut self, block: &[u8]) {
        self.carry.extend_from_slice(block);
        let mut rest: &[u8] = &std::mem::take(&mut self.carry);
        loop {
            match std::str::from_utf8(rest) {
                Ok(s) => {
                    self.count(s);
                    return;
                }
                Err(e) => {
                    let (valid, after) = rest.split_at(e.valid_up_to());
                    self.count(std::str::from_utf8(valid).unwrap_or_default());
                    match e.error_len() {
                        None => {
                            self.carry = after.to_vec();
                            return;
                        }
                        Some(n) => {
                            self.invalid += n as u64;
                            rest = &after[n..];
                        }
                    }
                }
            }
        }
    }

    fn count(&mut self, s: &str) {
        self.multibyte += s.bytes().filter(|&b| b >= 0xC0).count() as u64;
    }

    /// Ends the pass: a character cut by the end of the file is invalid.
    pub fn finish(&mut self) {
        self.invalid += std::mem::take(&mut self.carry).len() as u64;
    }

    /// True when every byte is UTF-8.
    pub fn is_utf8(&self) -> bool {
        self.invalid == 0 && self.carry.is_empty()
    }
}

/// Reads `path` once in 64 KiB blocks and counts it as UTF-8.
pub fn census_file(path: &Path) -> std::io::Result<Utf8Census> {
    let mut file = std::fs::File::open(path)?;
    let mut buf = vec![0u8; 64 * 1024];
    let mut census = Utf8Census::default();
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            census.finish();
            return Ok(census);
        }
        census.feed(&buf[..n]);
    }
}

/// Chooses the encoding, with the evidence in words (recorded with the input): the declared one;
/// else UTF-8 for a file whose every byte is UTF-8; else, when the file holds more valid UTF-8
/// multi-byte characters (a UTF-8 byte-order mark is one) than bytes that are not, UTF-8 with its stray bytes found line by line ([`Encoding::Utf8Mixed`]:
/// re-decoding the whole file as Windows-1252 would garble every accented name, #9); else
/// Windows-1252.
pub fn decide(declared: Option<Encoding>, census: &Utf8Census) -> (Encoding, String) {
    if let Some(enc) = declared {
        return (enc, format!("{}: declared in the mapping", enc.name()));
    }
    if census.is_utf8() {
        return (Encoding::Utf8, "utf-8: every byte is UTF-8".to_string());
    }
    // More UTF-8 characters than stray bytes: a UTF-8 file with a few bytes pasted in. Fewer: a
    // Windows-1252 file in which some byte pairs happen to form UTF-8 characters.
    if census.multibyte > census.invalid {
        let why = format!(
            "utf-8: {} UTF-8 characters and {} bytes that are not (each line holding one is a finding)",
            census.multibyte, census.invalid
        );
        return (Encoding::Utf8Mixed, why);
    }
    let why = format!(
        "windows-1252: not UTF-8 ({} bytes are not, against {} UTF-8 characters)",
        census.invalid, census.multibyte
    );
    (Encoding::Windows1252, why)
}

/// Chooses the encoding of the file at `path` (see [`decide`]); reads the file only when nothing
/// is declared.
pub fn detect(declared: Option<Encoding>, path: &Path) -> std::io::Result<Encoding> {
    if declared.is_some() {
        return Ok(decide(declared, &Utf8Census::default()).0);
    }
    Ok(decide(None, &census_file(path)?).0)
}

/// The UTF-16 byte-order mark `head` starts with, by name, if any.
pub fn utf16_bom(head: &[u8]) -> Option<&'static str> {
    if head.starts_with(b"\xFF\xFE") {
        Some("UTF-16LE")
    } else if head.starts_with(b"\xFE\xFF") {
        Some("UTF-16BE")
    } else {
        None
    }
}

/// Appends `bytes` decoded as `enc` to `out`. Returns `false` when UTF-8 bytes are invalid (for
/// [`Encoding::Utf8Mixed`] the invalid bytes are appended as U+FFFD, for the finding's sake; the
/// row is rejected, never stored).
pub fn decode_into(enc: Encoding, bytes: &[u8], out: &mut String) -> bool {
    match enc {
        Encoding::Utf8 | Encoding::Utf8Mixed => match std::str::from_utf8(bytes) {
            Ok(s) => {
                out.push_str(s);
                true
            }
            Err(_) => {
                if enc == Encoding::Utf8Mixed {
                    out.push_str(&String::from_utf8_lossy(bytes));
                }
                false
            }
        },
        Encoding::Windows1252 => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            out.push_str(&text);
            true
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_windows_1252_and_rejects_bad_utf8() {
        let mut s = String::new();
        assert!(decode_into(Encoding::Windows1252, b"Zo\xeb \x80", &mut s));
        assert_eq!(s, "Zoë €");
        s.clear();
        assert!(!decode_into(Encoding::Utf8, b"Zo\xeb", &mut s));
        assert!(decode_into(Encoding::Utf8, "Zoë".as_bytes(), &mut s));
        assert_eq!(s, "Zoë");
    }

    #[test]
    fn counts_utf8_evidence_across_block_boundaries() {
        let text = "Zoë Crépy \u{20ac}".as_bytes();
        let mut census = Utf8Census::default();
        for chunk in text.chunks(1) {
            census.feed(chunk);
        }
        census.finish();
        assert_eq!((census.multibyte, census.invalid), (3, 0));
        let mut mixed = Utf8Census::default();
        mixed.feed(b"Zo\xc3\xab Ren\xe9e \xc3");
        mixed.finish();
        assert_eq!((mixed.multibyte, mixed.invalid), (1, 2));
        assert!(!mixed.is_utf8());
    }

    #[test]
    fn decides_utf8_with_stray_bytes_when_the_file_has_utf8_characters() {
        let census = |multibyte, invalid| Utf8Census {
            multibyte,
            invalid,
            carry: Vec::new(),
        };
        assert_eq!(decide(None, &census(200, 1)).0, Encoding::Utf8Mixed);
        assert_eq!(decide(None, &census(0, 5)).0, Encoding::Windows1252);
        assert_eq!(decide(None, &census(2, 40)).0, Encoding::Windows1252);
        assert_eq!(decide(None, &census(5, 0)).0, Encoding::Utf8);
        let declared = Some(Encoding::Windows1252);
        assert_eq!(decide(declared, &census(200, 1)).0, Encoding::Windows1252);
        assert_eq!(utf16_bom(b"\xFF\xFEa\0"), Some("UTF-16LE"));
        assert_eq!(utf16_bom(b"a,b"), None);
    }

    #[test]
    fn detects_by_validity_and_evidence() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.csv");
        std::fs::write(&p, "Zoë").unwrap();
        assert_eq!(detect(None, &p).unwrap(), Encoding::Utf8);
        std::fs::write(&p, b"Zo\xeb").unwrap();
        assert_eq!(detect(None, &p).unwrap(), Encoding::Windows1252);
        std::fs::write(&p, b"\xEF\xBB\xBFZo\xc3\xab Ren\xe9e").unwrap();
        assert_eq!(detect(None, &p).unwrap(), Encoding::Utf8Mixed);
        let declared = Some(Encoding::Utf8);
        assert_eq!(detect(declared, &p).unwrap(), Encoding::Utf8);
        assert!(has_bom(b"\xEF\xBB\xBFa"));
        assert!(!has_bom(b"a"));
    }
}
