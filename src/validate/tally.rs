//! Bounded counters for the `--input` checks: for each mapped field of one input file, the
//! distinct values that no crosswalk or code list covers (with their counts and first lines) and
//! the values that do not convert (counted, with the first few). Memory stays bounded however
//! large the extract: at most [`MAX_DISTINCT`] distinct values and [`MAX_LINES`] lines each.
use std::collections::BTreeMap;

/// Distinct uncovered values kept per field; further ones are only counted.
pub const MAX_DISTINCT: usize = 50;
/// First lines kept per uncovered value and per failing field.
pub const MAX_LINES: usize = 5;

pub use crate::source::At;

/// How often something was seen, and where first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Seen {
    /// Rows.
    pub count: u64,
    /// The first places (at most [`MAX_LINES`]).
    pub lines: Vec<At>,
}

impl Seen {
    fn add(&mut self, at: At) {
        self.count += 1;
        if self.lines.len() < MAX_LINES {
            self.lines.push(at);
        }
    }
}

/// What one field of one file showed.
#[derive(Debug, Clone, Default)]
pub struct FieldTally {
    /// Uncovered values, by value.
    pub codes: BTreeMap<String, Seen>,
    /// Rows with an uncovered value beyond the first [`MAX_DISTINCT`] distinct ones.
    pub more_codes: Seen,
    /// Rows whose value does not convert.
    pub bad: Seen,
    /// The first failures: where, value and what is wrong.
    pub bad_examples: Vec<(At, String, String)>,
}

impl FieldTally {
    /// Counts an uncovered code at `line`.
    pub fn code(&mut self, value: &str, line: At) {
        if let Some(seen) = self.codes.get_mut(value) {
            seen.add(line);
        } else if self.codes.len() < MAX_DISTINCT {
            self.codes.entry(value.to_string()).or_default().add(line);
        } else {
            self.more_codes.add(line);
        }
    }

    /// Counts a value that does not convert at `line`.
    pub fn bad_value(&mut self, value: &str, line: At, message: &str) {
        self.bad.add(line);
        if self.bad_examples.len() < MAX_LINES {
            self.bad_examples
                .push((line, value.to_string(), message.to_string()));
        }
    }

    /// True when nothing was found.
    pub fn is_clean(&self) -> bool {
        self.codes.is_empty() && self.bad.count == 0 && self.more_codes.count == 0
    }
}

/// `1 row` / `3 rows`.
pub fn rows(n: u64) -> String {
    if n == 1 {
        "1 row".to_string()
    } else {
        format!("{n} rows")
    }
}

/// `1 value` / `3 values`.
pub fn values(n: u64) -> String {
    if n == 1 {
        "1 value".to_string()
    } else {
        format!("{n} values")
    }
}

/// `line 4` / `lines 4, 9, 12`; for XML records, `line 2, column 9` / `lines:columns 2:9, 2:40`.
pub fn lines(lines: &[At]) -> String {
    if let [one] = lines {
        return one.long();
    }
    let list: Vec<String> = lines.iter().map(At::short).collect();
    let what = if lines.iter().any(|a| a.col.is_some()) {
        "lines:columns"
    } else {
        "lines"
    };
    format!("{what} {}", list.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_stay_bounded() {
        let mut t = FieldTally::default();
        for i in 0..1000u64 {
            let at = At {
                line: i + 2,
                col: None,
            };
            t.code(&format!("X{}", i % 100), at);
            t.bad_value("v", at, "bad");
        }
        assert_eq!(t.codes.len(), MAX_DISTINCT);
        assert_eq!(t.codes["X0"].count, 10);
        let lines: Vec<u64> = t.codes["X0"].lines.iter().map(|a| a.line).collect();
        assert_eq!(lines, vec![2, 102, 202, 302, 402]);
        assert_eq!(t.more_codes.count, 500);
        assert_eq!(t.bad.count, 1000);
        assert_eq!(t.bad_examples.len(), MAX_LINES);
    }

    #[test]
    fn words() {
        assert_eq!(rows(1), "1 row");
        assert_eq!(rows(2), "2 rows");
        let at = |line, col| At { line, col };
        assert_eq!(lines(&[at(3, None)]), "line 3");
        assert_eq!(lines(&[at(3, None), at(5, None)]), "lines 3, 5");
        assert_eq!(lines(&[at(2, Some(9))]), "line 2, column 9");
        assert_eq!(
            lines(&[at(2, Some(9)), at(2, Some(40))]),
            "lines:columns 2:9, 2:40"
        );
    }
}
