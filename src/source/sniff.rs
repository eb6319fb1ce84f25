//! Looking at CSV bytes before and after the csv crate does: the delimiter is sniffed from the
//! header line (the most frequent of comma, tab, semicolon and pipe outside quotes), and the last
//! record is re-scanned for a quote left open, which the csv crate itself accepts silently.
use std::io::Read;

/// The delimiters we sniff, in tie-breaking order.
const CANDIDATES: [u8; 4] = [b',', b'\t', b';', b'|'];

/// Sniffs the delimiter from `head` (the first bytes of the file, BOM removed): the `header_row`-th
/// non-blank line, or the first non-blank line when there are fewer (a header beyond the first
/// 64 KiB, or title rows holding quoted line breaks). Comma when nothing is found.
pub fn sniff_delimiter(head: &[u8], header_row: u32) -> u8 {
    let lines: Vec<&[u8]> = head
        .split(|&b| b == b'\n')
        .filter(|l| l.iter().any(|&b| !is_filler(b)))
        .collect();
    let index = (header_row.max(1) as usize) - 1;
    let Some(line) = lines.get(index).or_else(|| lines.first()) else {
        return b',';
    };
    let mut counts = [0usize; 4];
    let mut quoted = false;
    for &b in line.iter() {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted && let Some(i) = CANDIDATES.iter().position(|&c| c == b) {
            counts[i] += 1;
        }
    }
    let mut best = 0;
    for i in 1..CANDIDATES.len() {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    CANDIDATES[best]
}

/// Bytes that make a line blank: whitespace, quotes and delimiters (`,,,` is an empty record).
fn is_filler(b: u8) -> bool {
    b.is_ascii_whitespace() || b == b'"' || CANDIDATES.contains(&b)
}

/// Where the scanner is within a record, mirroring the csv crate's rules (double-quote escapes).
#[derive(Clone, Copy, PartialEq)]
enum State {
    FieldStart,
    Unquoted,
    Quoted,
    QuoteInQuoted,
}

/// Streams `bytes` (one record's bytes, to the end of the file) and reports whether a quoted field
/// is still open at the end, that is, whether a closing quote is missing.
pub fn ends_inside_quotes(bytes: impl Read, delimiter: u8) -> std::io::Result<bool> {
    let mut reader = std::io::BufReader::new(bytes);
    let mut state = State::FieldStart;
    let mut buf = [0u8; 8192];
    loop {
        let n = reader.read(&mut buf)?;
        if n == 0 {
            return Ok(state == State::Quoted);
        }
        for &b in &buf[..n] {
            state = step(state, b, delimiter);
        }
    }
}

/// One byte of the quote state machine.
fn step(state: State, b: u8, delimiter: u8) -> State {
    let ends_field = b == delimiter || b == b'\n' || b == b'\r';
    match state {
        State::Quoted if b == b'"' => State::QuoteInQuoted,
        State::Quoted => State::Quoted,
        State::QuoteInQuoted if b == b'"' => State::Quoted,
        State::FieldStart if b == b'"' => State::Quoted,
        _ if ends_field => State::FieldStart,
        _ => State::Unquoted,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_the_most_frequent_delimiter_outside_quotes() {
        assert_eq!(sniff_delimiter(b"a,b,c\n1,2,3\n", 1), b',');
        assert_eq!(sniff_delimiter(b"a;b;c\n", 1), b';');
        assert_eq!(sniff_delimiter(b"a\tb\tc\n", 1), b'\t');
        assert_eq!(sniff_delimiter(b"a|b|\"x,y,z\"\n", 1), b'|');
        assert_eq!(sniff_delimiter(b"Report, March\na|b|c\n", 2), b'|');
        assert_eq!(sniff_delimiter(b"\r\n;;\nTitle\na|b|c\n", 2), b'|');
        assert_eq!(sniff_delimiter(b"single\n", 1), b',');
        assert_eq!(sniff_delimiter(b"", 1), b',');
    }

    #[test]
    fn finds_an_open_quote() {
        let open = |s: &str| ends_inside_quotes(s.as_bytes(), b',').unwrap();
        assert!(open("1,\"abc\n2,3\n"));
        assert!(!open("1,\"ab\"\"c\"\n"));
        assert!(!open("1,5\" disk,3\n"));
        assert!(!open("1,\"a\nb\",3"));
        assert!(open("\"a\"\"\n"));
    }
}
