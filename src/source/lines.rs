//! The physical-line ledger of a CSV file (#9): every line is accounted for as a title line above
//! the header, the header, the first line of a row, a line inside a multi-line quoted field, a
//! line inside a quoted field that looks like a whole record (a row of its own, rejected), or a
//! blank line. The reader counts the file's line breaks as it streams the bytes, independently of
//! the csv crate's record positions, and the two must agree: the tally balances when its parts
//! add up to the file's lines.
use std::io::Read;

/// What each physical line of one CSV file was.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct LineTally {
    /// Physical lines in the file, counted from its bytes (a last line without a line break
    /// counts).
    pub total: u64,
    /// Lines of records above the header row (titles, notes).
    pub title: u64,
    /// The header's first line.
    pub header: u64,
    /// The first line of each data row.
    pub rows: u64,
    /// Lines inside a quoted field that spans lines (a record's second and later lines).
    pub inside: u64,
    /// Lines inside a quoted field that look like whole records: each is a row of its own,
    /// rejected with `HO-SRC-001`.
    pub swallowed: u64,
    /// Empty lines, and records whose every field is empty or whitespace.
    pub blank: u64,
}

impl LineTally {
    /// The lines accounted for.
    pub fn accounted(&self) -> u64 {
        self.title + self.header + self.rows + self.inside + self.swallowed + self.blank
    }

    /// True when every line of the file is accounted for exactly once.
    pub fn balances(&self) -> bool {
        self.accounted() == self.total
    }

    /// The tally in words, for reports: `829 lines: 1 header, 828 rows`.
    pub fn describe(&self) -> String {
        let parts: Vec<String> = [
            (self.title, "title", "titles"),
            (self.header, "header", "headers"),
            (self.rows, "row", "rows"),
            (self.inside, "inside a field", "inside fields"),
            (self.swallowed, "swallowed record", "swallowed records"),
            (self.blank, "blank", "blank"),
        ]
        .into_iter()
        .filter(|(n, _, _)| *n > 0)
        .map(|(n, one, many)| format!("{n} {}", if n == 1 { one } else { many }))
        .collect();
        format!("{} lines: {}", self.total, parts.join(", "))
    }
}

/// What a record read from the file is, for the tally.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordKind {
    /// A record above the header row.
    Title,
    /// The header row.
    Header,
    /// A data row.
    Row,
    /// A record whose fields are all empty or whitespace.
    Blank,
}

/// Builds a [`LineTally`] from the records in file order.
#[derive(Debug, Default)]
pub struct LineLedger {
    tally: LineTally,
    /// Lines 1..=accounted are accounted for.
    accounted: u64,
    /// The first line where the csv crate's positions and the tally disagree.
    broken: Option<u64>,
}

impl LineLedger {
    /// Accounts for a record that starts on line `start` and holds `breaks` line breaks inside
    /// its fields. Lines skipped since the last record are blank lines.
    pub fn record(&mut self, start: u64, breaks: u64, kind: RecordKind) {
        if start <= self.accounted {
            self.broken.get_or_insert(start);
            return;
        }
        self.tally.blank += start - self.accounted - 1;
        match kind {
            RecordKind::Title => self.tally.title += 1,
            RecordKind::Header => self.tally.header += 1,
            RecordKind::Row => self.tally.rows += 1,
            RecordKind::Blank => self.tally.blank += 1,
        }
        self.tally.inside += breaks;
        self.accounted = start + breaks;
    }

    /// Moves `n` lines already counted inside a field to the swallowed records.
    pub fn swallowed(&mut self, n: u64) {
        let n = n.min(self.tally.inside);
        self.tally.inside -= n;
        self.tally.swallowed += n;
    }

    /// The tally at the end of the file of `total` lines: the lines after the last record are
    /// blank. `Err` names the first line the tally cannot place.
    pub fn finish(&self, total: u64) -> Result<LineTally, u64> {
        if let Some(line) = self.broken {
            return Err(line);
        }
        if total < self.accounted {
            return Err(total + 1);
        }
        let mut tally = self.tally;
        tally.blank += total - self.accounted;
        tally.total = total;
        Ok(tally)
    }
}

/// A reader that counts the line breaks (and whether the last byte was one) of what passes
/// through it.
#[derive(Debug)]
pub struct CountLines<R> {
    inner: R,
    breaks: u64,
    bytes: u64,
    last: Option<u8>,
}

impl<R> CountLines<R> {
    /// Wraps `inner`.
    pub fn new(inner: R) -> Self {
        CountLines {
            inner,
            breaks: 0,
            bytes: 0,
            last: None,
        }
    }

    /// Physical lines in what has been read so far: the line breaks, plus a last line without one.
    pub fn lines(&self) -> u64 {
        self.breaks + u64::from(self.bytes > 0 && self.last != Some(b'\n'))
    }
}

impl<R: Read> Read for CountLines<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let read = &buf[..n];
        self.breaks += read.iter().filter(|&&b| b == b'\n').count() as u64;
        self.bytes += n as u64;
        if let Some(&b) = read.last() {
            self.last = Some(b);
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_lines_with_and_without_a_final_break() {
        for (text, lines) in [("", 0), ("a", 1), ("a\n", 1), ("a\nb", 2), ("a\n\n", 2)] {
            let mut r = CountLines::new(text.as_bytes());
            std::io::copy(&mut r, &mut std::io::sink()).unwrap();
            assert_eq!(r.lines(), lines, "{text:?}");
        }
    }

    #[test]
    fn gaps_are_blank_and_the_tally_balances() {
        let mut l = LineLedger::default();
        l.record(1, 0, RecordKind::Title);
        l.record(3, 0, RecordKind::Header); // line 2 blank
        l.record(4, 2, RecordKind::Row); // lines 5, 6 inside a field
        l.swallowed(1);
        l.record(7, 0, RecordKind::Blank);
        let t = l.finish(9).unwrap(); // lines 8, 9 blank
        assert_eq!(
            (t.title, t.header, t.rows, t.inside, t.swallowed, t.blank),
            (1, 1, 1, 1, 1, 4)
        );
        assert!(t.balances());
        assert_eq!(
            t.describe(),
            "9 lines: 1 title, 1 header, 1 row, 1 inside a field, 1 swallowed record, 4 blank"
        );
    }

    #[test]
    fn positions_that_overlap_or_overrun_the_file_do_not_balance() {
        let mut l = LineLedger::default();
        l.record(1, 1, RecordKind::Header);
        l.record(2, 0, RecordKind::Row);
        assert_eq!(l.finish(2), Err(2));
        let mut l = LineLedger::default();
        l.record(1, 0, RecordKind::Header);
        l.record(5, 0, RecordKind::Row);
        assert_eq!(l.finish(3), Err(4));
    }
}
