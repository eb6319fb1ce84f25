//! The byte side of the XML reader: the declared encoding found (byte-order mark, the UTF-16
//! signature of `<?`, then the XML declaration's `encoding`), the file decoded to UTF-8 as it
//! streams, and the stream handed to quick-xml as a `BufRead` that counts lines and columns as
//! quick-xml consumes them and refuses any one event (a text run, a tag, a comment) longer than
//! [`super::MAX_TEXT`], so that quick-xml's event buffer stays bounded whatever the file holds.
use std::io::{BufRead, Read};

use encoding_rs::{Decoder, DecoderResult};

/// Raw bytes decoded at a time.
const CHUNK: usize = 16 * 1024;

/// The encodings the XML reader reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum XmlEncoding {
    /// UTF-8 (the default when nothing is declared), or US-ASCII.
    Utf8,
    /// UTF-16, little-endian.
    Utf16Le,
    /// UTF-16, big-endian.
    Utf16Be,
    /// Windows-1252, also for a declared ISO-8859-1 (as browsers read it).
    Windows1252,
}

impl XmlEncoding {
    /// The name shown in messages.
    pub fn name(self) -> &'static str {
        match self {
            XmlEncoding::Utf8 => "UTF-8",
            XmlEncoding::Utf16Le => "UTF-16LE",
            XmlEncoding::Utf16Be => "UTF-16BE",
            XmlEncoding::Windows1252 => "Windows-1252",
        }
    }
}

/// The file's encoding and the length of its byte-order mark, or why it cannot be read: an
/// encoding that is declared but not read (named), or a declaration the bytes contradict.
pub fn detect(head: &[u8]) -> Result<(XmlEncoding, usize), String> {
    let sixteen = match head {
        [0xFF, 0xFE, ..] => Some((XmlEncoding::Utf16Le, 2)),
        [0xFE, 0xFF, ..] => Some((XmlEncoding::Utf16Be, 2)),
        [b'<', 0, b'?', 0, ..] => Some((XmlEncoding::Utf16Le, 0)),
        [0, b'<', 0, b'?', ..] => Some((XmlEncoding::Utf16Be, 0)),
        _ => None,
    };
    if let Some((enc, bom)) = sixteen {
        let rest = &head[bom..];
        let text = match enc {
            XmlEncoding::Utf16Le => encoding_rs::UTF_16LE.decode_without_bom_handling(rest).0,
            _ => encoding_rs::UTF_16BE.decode_without_bom_handling(rest).0,
        };
        return match declared(text.as_bytes()).as_deref() {
            None | Some("utf-16" | "utf-16le" | "utf-16be" | "ucs-2") => Ok((enc, bom)),
            Some(other) => Err(format!(
                "it is {} but declares `encoding=\"{other}\"`",
                enc.name()
            )),
        };
    }
    let bom = if head.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    match declared(&head[bom..]).as_deref() {
        None | Some("utf-8" | "utf8" | "us-ascii" | "ascii") => Ok((XmlEncoding::Utf8, bom)),
        Some("windows-1252" | "cp1252" | "iso-8859-1" | "iso8859-1" | "latin1" | "latin-1")
            if bom == 0 =>
        {
            Ok((XmlEncoding::Windows1252, 0))
        }
        Some(name @ ("utf-16" | "utf-16le" | "utf-16be")) => Err(format!(
            "it declares `encoding=\"{name}\"` but its bytes are not UTF-16 (no byte-order mark, no `<?` in UTF-16)"
        )),
        Some(name) if bom > 0 => Err(format!(
            "it starts with a UTF-8 byte-order mark but declares `encoding=\"{name}\""
        )),
        Some(name) => Err(format!(
            "its declared encoding `{name}` is not one handover reads (UTF-8, UTF-16, Windows-1252 or ISO-8859-1); convert it to UTF-8"
        )),
    }
}

/// The `encoding` of the XML declaration at the start of `head`, in lower case.
fn declared(head: &[u8]) -> Option<String> {
    let head = head.strip_prefix(b"<?xml")?;
    let end = head.windows(2).position(|w| w == b"?>")?;
    let decl = String::from_utf8_lossy(&head[..end]);
    let at = decl.find("encoding")?;
    let rest = decl[at + "encoding".len()..]
        .trim_start()
        .strip_prefix('=')?;
    let rest = rest.trim_start();
    let quote = rest.chars().next().filter(|q| *q == '"' || *q == '\'')?;
    let value = &rest[1..];
    let close = value.find(quote)?;
    Some(value[..close].trim().to_ascii_lowercase())
}

/// Why the stream stopped with an I/O error that is not the file's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// One event passed [`super::MAX_TEXT`] bytes.
    TooLong,
    /// Bytes that are not valid in the encoding, at this line.
    Malformed(u64),
}

/// The decoded stream, as quick-xml reads it.
pub struct Input<R> {
    inner: R,
    decoder: Option<Decoder>,
    raw: Vec<u8>,
    out: Vec<u8>,
    pos: usize,
    eof: bool,
    /// 1-based line of the next byte quick-xml will consume.
    pub line: u64,
    /// Characters consumed on that line (its 0-based column).
    pub col: u64,
    /// Bytes (of UTF-8) consumed since the start.
    pub consumed: u64,
    since_mark: u64,
    /// Lines decoded so far (ahead of `line`), for locating bad bytes.
    decoded_lines: u64,
    limit: u64,
    /// Why the stream stopped, when it did.
    pub stop: Option<Stop>,
}

impl<R: Read> Input<R> {
    /// A stream of `inner` (its byte-order mark already skipped for UTF-8) in `enc`, refusing
    /// events longer than `limit` bytes.
    pub fn new(inner: R, enc: XmlEncoding, limit: u64) -> Self {
        let decoder = match enc {
            XmlEncoding::Utf8 => None,
            XmlEncoding::Utf16Le => Some(encoding_rs::UTF_16LE.new_decoder_with_bom_removal()),
            XmlEncoding::Utf16Be => Some(encoding_rs::UTF_16BE.new_decoder_with_bom_removal()),
            XmlEncoding::Windows1252 => {
                Some(encoding_rs::WINDOWS_1252.new_decoder_without_bom_handling())
            }
        };
        Input {
            inner,
            decoder,
            raw: vec![0; CHUNK],
            out: Vec::with_capacity(CHUNK * 3 + 16),
            pos: 0,
            eof: false,
            line: 1,
            col: 0,
            consumed: 0,
            since_mark: 0,
            decoded_lines: 1,
            limit,
            stop: None,
        }
    }

    /// Marks the end of one event: the next one is measured from here.
    pub fn mark(&mut self) {
        self.since_mark = 0;
    }

    /// Reads and decodes the next chunk into `out`.
    fn refill(&mut self) -> std::io::Result<()> {
        self.out.clear();
        self.pos = 0;
        let n = read_some(&mut self.inner, &mut self.raw)?;
        let last = n == 0;
        match &mut self.decoder {
            None => self.out.extend_from_slice(&self.raw[..n]),
            Some(decoder) => {
                let room = decoder
                    .max_utf8_buffer_length_without_replacement(n)
                    .unwrap_or(CHUNK * 3)
                    + 16;
                self.out.resize(room, 0);
                let (result, _, written) =
                    decoder.decode_to_utf8_without_replacement(&self.raw[..n], &mut self.out, last);
                self.out.truncate(written);
                if let DecoderResult::Malformed(..) = result {
                    let line = self.decoded_lines + count_lines(&self.out);
                    self.stop = Some(Stop::Malformed(line));
                    return Err(std::io::Error::other("bytes not in the encoding"));
                }
            }
        }
        self.decoded_lines += count_lines(&self.out);
        self.eof = last;
        Ok(())
    }
}

fn count_lines(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| b == b'\n').count() as u64
}

/// Reads what is there (retrying on interruption); 0 at the end.
fn read_some(inner: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    loop {
        match inner.read(buf) {
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

impl<R: Read> Read for Input<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: Read> BufRead for Input<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        if self.stop.is_some() {
            return Err(std::io::Error::other("the XML stream stopped"));
        }
        if self.since_mark > self.limit {
            self.stop = Some(Stop::TooLong);
            return Err(std::io::Error::other("an event is too long"));
        }
        while self.pos >= self.out.len() && !self.eof {
            self.refill()?;
        }
        Ok(&self.out[self.pos..])
    }

    fn consume(&mut self, amt: usize) {
        let amt = amt.min(self.out.len() - self.pos);
        for &b in &self.out[self.pos..self.pos + amt] {
            if b == b'\n' {
                self.line += 1;
                self.col = 0;
            } else if b & 0xC0 != 0x80 {
                self.col += 1;
            }
        }
        self.pos += amt;
        self.consumed += amt as u64;
        self.since_mark += amt as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_declared_and_signalled_encodings() {
        let d = |s: &[u8]| detect(s);
        assert_eq!(d(b"<a/>"), Ok((XmlEncoding::Utf8, 0)));
        assert_eq!(d(b"\xEF\xBB\xBF<a/>"), Ok((XmlEncoding::Utf8, 3)));
        assert_eq!(
            d(b"<?xml version='1.0' encoding = 'ISO-8859-1'?><a/>"),
            Ok((XmlEncoding::Windows1252, 0))
        );
        assert_eq!(d(b"\xFF\xFE<\0"), Ok((XmlEncoding::Utf16Le, 2)));
        assert_eq!(d(b"\0<\0?\0x"), Ok((XmlEncoding::Utf16Be, 0)));
        let refused = d(b"<?xml version=\"1.0\" encoding=\"Shift_JIS\"?>").unwrap_err();
        assert!(refused.contains("`shift_jis`"), "{refused}");
        assert!(d(b"<?xml version=\"1.0\" encoding=\"UTF-16\"?>").is_err());
        let le = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect::<Vec<u8>>();
        assert!(d(&le).unwrap_err().contains("UTF-16LE"));
    }

    #[test]
    fn counts_lines_and_columns_as_consumed() {
        let mut input = Input::new(&b"ab\ncd\xc3\xa9f"[..], XmlEncoding::Utf8, 100);
        let mut s = String::new();
        input.read_to_string(&mut s).unwrap();
        assert_eq!((input.line, input.col, input.consumed), (2, 4, 8));
    }

    #[test]
    fn refuses_an_event_past_the_limit() {
        let mut input = Input::new(&[b'x'; 100][..], XmlEncoding::Utf8, 10);
        let mut s = String::new();
        assert!(input.read_to_string(&mut s).is_err());
        assert_eq!(input.stop, Some(Stop::TooLong));
    }

    #[test]
    fn locates_bytes_not_in_the_encoding() {
        // An unpaired UTF-16 surrogate on the second line.
        let bytes = [b'a', 0, b'\n', 0, 0x00, 0xD8, b'b', 0];
        let mut input = Input::new(&bytes[..], XmlEncoding::Utf16Le, 100);
        let mut s = String::new();
        assert!(input.read_to_string(&mut s).is_err());
        assert_eq!(input.stop, Some(Stop::Malformed(2)));
    }
}
