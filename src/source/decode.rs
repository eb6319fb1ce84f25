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

/// Reads `path` once in 64 KiB blocks and reports whether every byte is valid UTF-8, with the same
/// semantics as [`super::fingerprint`] (a character cut by the end of the file is invalid).
pub fn is_utf8_file(path: &Path) -> std::io::Result<bool> {
    let mut file = std::fs::File::open(path)?;
    let mut buf = vec![0u8; 64 * 1024];
    let mut carry: Vec<u8> = Vec::new();
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok(carry.is_empty());
        }
        carry.extend_from_slice(&buf[..n]);
        match std::str::from_utf8(&carry) {
            Ok(_) => carry.clear(),
            Err(e) if e.error_len().is_none() => {
                carry = carry.split_off(e.valid_up_to());
            }
            Err(_) => return Ok(false),
        }
    }
}

/// Chooses the encoding: the declared one, else UTF-8 for a BOM or valid bytes, else Windows-1252.
pub fn detect(declared: Option<Encoding>, bom: bool, path: &Path) -> std::io::Result<Encoding> {
    if let Some(enc) = declared {
        return Ok(enc);
    }
    if bom || is_utf8_file(path)? {
        Ok(Encoding::Utf8)
    } else {
        Ok(Encoding::Windows1252)
    }
}

/// Appends `bytes` decoded as `enc` to `out`. Returns `false` when UTF-8 bytes are invalid.
pub fn decode_into(enc: Encoding, bytes: &[u8], out: &mut String) -> bool {
    match enc {
        Encoding::Utf8 => match std::str::from_utf8(bytes) {
            Ok(s) => {
                out.push_str(s);
                true
            }
            Err(_) => false,
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
    fn detects_by_bom_then_validity() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.csv");
        std::fs::write(&p, "Zoë").unwrap();
        assert_eq!(detect(None, false, &p).unwrap(), Encoding::Utf8);
        std::fs::write(&p, b"Zo\xeb").unwrap();
        assert_eq!(detect(None, false, &p).unwrap(), Encoding::Windows1252);
        assert_eq!(detect(None, true, &p).unwrap(), Encoding::Utf8);
        let declared = Some(Encoding::Utf8);
        assert_eq!(detect(declared, false, &p).unwrap(), Encoding::Utf8);
        assert!(has_bom(b"\xEF\xBB\xBFa"));
        assert!(!has_bom(b"a"));
    }
}
