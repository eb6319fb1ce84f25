//! Conditions on a source row, as `[[scope]]` rules and a target's `when` declare them: a test of
//! one column's value (one of a list, present, a number or a date compared with a bound), or
//! `all`, `any` and `not` of other conditions. A value is compared after the same trimming as a
//! field's (white space, non-breaking spaces included), and ignoring case when asked.
use std::borrow::Cow;

use compact_str::CompactString;
use jiff::civil::Date;

use super::model::DateFormat;

/// A condition on a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// A test of one column's value.
    Test(ColumnTest),
    /// Every condition holds.
    All(Vec<Condition>),
    /// At least one condition holds.
    Any(Vec<Condition>),
    /// The condition does not hold.
    Not(Box<Condition>),
}

/// A test of one column's value.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnTest {
    /// Source column.
    pub column: String,
    /// The test.
    pub test: Test,
    /// Compare text ignoring letter case.
    pub ignore_case: bool,
}

/// How a value is compared with a bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    /// Strictly less (`below`, `before`).
    Less,
    /// Less or equal (`at_most`, `on_or_before`).
    AtMost,
    /// Greater or equal (`at_least`, `on_or_after`).
    AtLeast,
    /// Strictly greater (`above`, `after`).
    Greater,
}

impl Cmp {
    fn holds<T: PartialOrd>(self, value: &T, bound: &T) -> bool {
        match self {
            Cmp::Less => value < bound,
            Cmp::AtMost => value <= bound,
            Cmp::AtLeast => value >= bound,
            Cmp::Greater => value > bound,
        }
    }
}

/// What a test asks of the (trimmed) value.
#[derive(Debug, Clone, PartialEq)]
pub enum Test {
    /// One of these.
    In(Vec<String>),
    /// None of these.
    NotIn(Vec<String>),
    /// Non-blank (`true`) or blank (`false`).
    Present(bool),
    /// A number compared with a bound; a value that is not a number fails.
    Number(Cmp, f64),
    /// A date (read in the formats given) compared with a bound; a value that is not a date fails.
    Date(Cmp, Date, Vec<DateFormat>),
}

impl Condition {
    /// Every column the condition reads, in order of first mention.
    pub fn columns(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        self.visit(&mut |t| {
            if !out.contains(&t.column.as_str()) {
                out.push(&t.column);
            }
        });
        out
    }

    /// Every column test in the condition.
    pub fn tests(&self) -> Vec<&ColumnTest> {
        let mut out = Vec::new();
        self.visit(&mut |t| out.push(t));
        out
    }

    fn visit<'a>(&'a self, f: &mut dyn FnMut(&'a ColumnTest)) {
        match self {
            Condition::Test(t) => f(t),
            Condition::All(cs) | Condition::Any(cs) => cs.iter().for_each(|c| c.visit(f)),
            Condition::Not(c) => c.visit(f),
        }
    }

    /// Whether the row passes; `value(column)` gives a column's text as read.
    pub fn passes<'r>(&self, value: &dyn Fn(&str) -> Cow<'r, str>) -> bool {
        match self {
            Condition::Test(t) => t.passes(&value(&t.column)),
            Condition::All(cs) => cs.iter().all(|c| c.passes(value)),
            Condition::Any(cs) => cs.iter().any(|c| c.passes(value)),
            Condition::Not(c) => !c.passes(value),
        }
    }
}

impl ColumnTest {
    /// Whether `raw` (the cell's text as read) passes. It is asked once per row: the row's value
    /// is lower-cased once, not once per listed value, and short values inline.
    pub fn passes(&self, raw: &str) -> bool {
        let value = normalize(raw);
        let lower = CompactString::from_str_to_lowercase;
        let lowered = self.ignore_case.then(|| lower(&value));
        let same = |v: &String| match &lowered {
            Some(lowered) => lower(v) == *lowered,
            None => *v == value,
        };
        match &self.test {
            Test::In(list) => list.iter().any(same),
            Test::NotIn(list) => !list.iter().any(same),
            Test::Present(want) => value.is_empty() != *want,
            Test::Number(cmp, bound) => value
                .parse::<f64>()
                .is_ok_and(|n| n.is_finite() && cmp.holds(&n, bound)),
            Test::Date(cmp, bound, formats) => {
                crate::load::convert::parse_date(&value, formats, Default::default(), None)
                    .is_some_and(|d| cmp.holds(&d, bound))
            }
        }
    }
}

/// A value as fields read it: trimmed of white space at both ends (non-breaking spaces
/// included), and inner runs of white space made one space.
pub fn normalize(raw: &str) -> String {
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn test(column: &str, test: Test, ignore_case: bool) -> Condition {
        Condition::Test(ColumnTest {
            column: column.into(),
            test,
            ignore_case,
        })
    }

    #[test]
    fn conditions_combine_ignore_case_and_compare() {
        let cp = test("type", Test::In(vec!["CP".into()]), true);
        let recent = test(
            "start",
            Test::Date(
                Cmp::AtLeast,
                jiff::civil::date(2017, 1, 1),
                vec![DateFormat::Pattern("%d/%m/%Y".into())],
            ),
            false,
        );
        let both = Condition::All(vec![cp, Condition::Not(Box::new(recent))]);
        let row = |t: &'static str, s: &'static str| {
            move |c: &str| Cow::Borrowed(if c == "type" { t } else { s })
        };
        assert!(both.passes(&row(" cp\u{a0}", "31/12/2016")));
        assert!(!both.passes(&row("CP", "01/01/2017")));
        assert!(!both.passes(&row("CIN", "31/12/2016")));
        let fte = test("fte", Test::Number(Cmp::Greater, 0.5), false);
        assert!(fte.passes(&|_| Cow::Borrowed("0.75")));
        assert!(!fte.passes(&|_| Cow::Borrowed("n/a")));
        assert_eq!(both.columns(), ["type", "start"]);
    }
}
