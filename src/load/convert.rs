//! Turning one source cell into one company value, as a field mapping declares: trim, blank and
//! null spellings, defaults, letter case, crosswalk, code list, then the type (dates tried in each
//! accepted format). A value that cannot be converted is a [`Problem`], which becomes a finding.
use std::borrow::Cow;

use compact_str::{CompactString, ToCompactString};
use jiff::civil::Date;

use crate::finding::Builtin;
use crate::mapping::{Case, Crosswalk, DateFormat, FieldMapping};
use crate::schema::{ColType, Constraints};
use crate::source::{Cell, DateSystem};

/// A converted value, ready to bind to an `INSERT`.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// SQL NULL.
    Null,
    /// Text (also dates, as `YYYY-MM-DD`). Held inline up to 24 bytes (an id, a code, a date, most
    /// names), so that most converted cells cost no allocation on the reading thread and no free on
    /// the writing one.
    Text(CompactString),
    /// Whole number (also booleans, as 0 or 1).
    Integer(i64),
    /// Decimal number.
    Real(f64),
}

impl Value {
    /// The value as text, for keys and messages.
    pub fn as_text(&self) -> String {
        match self {
            Value::Null => String::new(),
            Value::Text(s) => s.to_string(),
            Value::Integer(i) => i.to_string(),
            Value::Real(f) => f.to_string(),
        }
    }
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(match self {
            Value::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            Value::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            Value::Integer(i) => ToSqlOutput::Owned(rusqlite::types::Value::Integer(*i)),
            Value::Real(f) => ToSqlOutput::Owned(rusqlite::types::Value::Real(*f)),
        })
    }
}

/// Why a cell could not become a value.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// The built-in rule broken.
    pub rule: Builtin,
    /// The value as read.
    pub value: String,
    /// What is wrong.
    pub message: String,
}

/// Converts `cell` for `field`. `cell` is ignored for constant fields.
pub fn convert(
    field: &FieldMapping,
    cell: &Cell,
    dates: DateSystem,
    crosswalk: Option<&Crosswalk>,
) -> Result<Value, Problem> {
    let text = match (&field.input, cell) {
        (crate::mapping::FieldInput::Value(v), _) => Cow::Borrowed(v.as_str()),
        (_, Cell::Number(n)) if field.ty == ColType::Date => return excel_date(field, *n, dates),
        (_, Cell::Date(dt)) if field.ty == ColType::Date => {
            return Ok(Value::Text(dt.date().to_compact_string()));
        }
        (_, c) => cell_str(c).map_err(|v| {
            problem(
                Builtin::UnparsableValue,
                &v,
                format!("`{}` holds a spreadsheet error", field.target.name),
            )
        })?,
    };
    let trimmed = if field.trim { text.trim() } else { &text };
    let collapsed;
    let mut trimmed = if field.collapse_spaces {
        collapsed = crate::mapping::condition::normalize(trimmed);
        collapsed.as_str()
    } else {
        trimmed
    };
    let extracted;
    if let Some(pattern) = field.extract.as_ref().filter(|_| !trimmed.is_empty()) {
        extracted = extract(field, pattern, trimmed)?;
        trimmed = extracted.as_str();
    }
    let blank = trimmed.is_empty() || field.null_values.iter().any(|n| n == trimmed);
    let value = match (blank, &field.default) {
        (false, _) => cased(trimmed, field.case),
        (true, Some(d)) => CompactString::from(d.as_str()),
        (true, None) if field.required => {
            return Err(problem(
                Builtin::MissingValue,
                trimmed,
                format!("required `{}` is blank", field.target.name),
            ));
        }
        (true, None) => return Ok(Value::Null),
    };
    let value = coded(field, value, crosswalk)?;
    let typed = typed(field, value, dates)?;
    bounded(field, typed)
}

/// The first capture group of the field's `extract` pattern in `text`; a value it does not match
/// is an invalid value, never passed on unchanged.
fn extract(
    field: &FieldMapping,
    pattern: &crate::schema::Pattern,
    text: &str,
) -> Result<String, Problem> {
    match pattern.0.captures(text).and_then(|c| c.get(1)) {
        Some(m) => Ok(m.as_str().trim().to_string()),
        None => Err(problem(
            Builtin::UnparsableValue,
            text,
            format!(
                "`{text}` does not match the `extract` pattern `{}` of `{}`",
                pattern.0.as_str(),
                field.target.name
            ),
        )),
    }
}

/// Checks the column's bounds (range, length, pattern, dates) on a converted value.
fn bounded(field: &FieldMapping, value: Value) -> Result<Value, Problem> {
    let k = &field.target.constraints;
    if k.is_empty() {
        return Ok(value);
    }
    let name = &field.target.name;
    let broken = match &value {
        Value::Integer(i) => number_bound(k, *i as f64),
        Value::Real(f) => number_bound(k, *f),
        Value::Text(t) if field.target.ty == ColType::Date => date_bound(k, t),
        Value::Text(t) => text_bound(k, t),
        Value::Null => None,
    };
    match broken {
        None => Ok(value),
        Some(why) => {
            let text = value.as_text();
            let msg = format!("`{text}` is {why} for `{name}`");
            Err(problem(Builtin::OutOfBounds, &text, msg))
        }
    }
}

fn number_bound(k: &Constraints, v: f64) -> Option<String> {
    let fail = |bound: Option<f64>, bad: fn(f64, f64) -> bool, what: &str| {
        bound.filter(|b| bad(v, *b)).map(|b| format!("{what} {b}"))
    };
    fail(k.min, |v, b| v < b, "below the minimum")
        .or_else(|| fail(k.greater_than, |v, b| v <= b, "not above"))
        .or_else(|| fail(k.max, |v, b| v > b, "above the maximum"))
        .or_else(|| fail(k.less_than, |v, b| v >= b, "not below"))
}

fn text_bound(k: &Constraints, t: &str) -> Option<String> {
    let len = t.chars().count() as u32;
    if let Some(n) = k.min_length.filter(|n| len < *n) {
        return Some(format!("shorter than {n} characters"));
    }
    if let Some(n) = k.max_length.filter(|n| len > *n) {
        return Some(format!("longer than {n} characters"));
    }
    k.pattern
        .as_ref()
        .filter(|p| !p.0.is_match(t))
        .map(|p| format!("not of the form `{}`", pattern_text(p)))
}

fn pattern_text(p: &crate::schema::Pattern) -> &str {
    let s = p.0.as_str();
    s.strip_prefix("^(?:")
        .and_then(|s| s.strip_suffix(")$"))
        .unwrap_or(s)
}

fn date_bound(k: &Constraints, t: &str) -> Option<String> {
    let d: Date = t.parse().ok()?;
    if let Some(b) = k.not_before.filter(|b| d < *b) {
        return Some(format!("before {b}"));
    }
    k.not_after.filter(|b| d > *b).map(|b| format!("after {b}"))
}

fn problem(rule: Builtin, value: &str, message: String) -> Problem {
    Problem {
        rule,
        value: value.to_string(),
        message,
    }
}

/// The text of a cell; `Err` with the error text for a spreadsheet error cell.
pub fn cell_text(cell: &Cell) -> Result<String, String> {
    cell_str(cell).map(Cow::into_owned)
}

/// The text of a cell, borrowed when it already is text (the common case, and every CSV cell).
pub fn cell_str(cell: &Cell) -> Result<Cow<'_, str>, String> {
    Ok(match cell {
        Cell::Empty => Cow::Borrowed(""),
        Cell::Text(s) => Cow::Borrowed(s.as_str()),
        Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => {
            Cow::Owned(format!("{}", *n as i64))
        }
        Cell::Number(n) => Cow::Owned(n.to_string()),
        Cell::Bool(b) => Cow::Borrowed(if *b { "TRUE" } else { "FALSE" }),
        Cell::Date(dt) => Cow::Owned(dt.date().to_string()),
        Cell::Error(e) => return Err(e.clone()),
    })
}

fn cased(s: &str, case: Case) -> CompactString {
    match case {
        Case::Keep => CompactString::from(s),
        Case::Upper => CompactString::from_str_to_uppercase(s),
        Case::Lower => CompactString::from_str_to_lowercase(s),
    }
}

fn coded(
    field: &FieldMapping,
    value: CompactString,
    crosswalk: Option<&Crosswalk>,
) -> Result<CompactString, Problem> {
    let value = match crosswalk {
        Some(x) => match x.lookup(&value) {
            Some(code) => CompactString::from(code),
            None => {
                let msg = format!(
                    "`{value}` has no entry in crosswalk `{}` (for `{}`)",
                    x.name, field.target.name
                );
                return Err(problem(Builtin::UncrosswalkedCode, &value, msg));
            }
        },
        None => value,
    };
    if let Some(list) = &field.codelist
        && !list.contains(&value)
    {
        let msg = match list.as_at.filter(|_| list.knows(&value)) {
            Some(date) => format!(
                "`{value}` is a code of the company's `{}` list, but not one in force on {date}",
                list.name
            ),
            None => format!(
                "`{value}` is not a code of the company's `{}` list",
                list.name
            ),
        };
        return Err(problem(Builtin::NotInCodeList, &value, msg));
    }
    Ok(value)
}

fn typed(field: &FieldMapping, value: CompactString, dates: DateSystem) -> Result<Value, Problem> {
    let bad = |what: &str| {
        let msg = format!(
            "`{value}` is not a valid {what} for `{}`",
            field.target.name
        );
        problem(Builtin::UnparsableValue, &value, msg)
    };
    let number = if field.decimal_comma && matches!(field.ty, ColType::Decimal | ColType::Integer) {
        Cow::Owned(value.replace('.', "").replace(',', "."))
    } else {
        Cow::Borrowed(value.as_str())
    };
    match field.ty {
        ColType::Text => Ok(Value::Text(value)),
        ColType::Integer => number
            .parse()
            .map(Value::Integer)
            .map_err(|_| bad("whole number")),
        ColType::Decimal => match number.parse::<f64>() {
            Ok(f) if f.is_finite() => Ok(Value::Real(f)),
            _ => Err(bad("number")),
        },
        ColType::Boolean => {
            let is = |list: &[String]| list.iter().any(|v| v.eq_ignore_ascii_case(&value));
            match (is(&field.true_values), is(&field.false_values)) {
                (true, _) => Ok(Value::Integer(1)),
                (_, true) => Ok(Value::Integer(0)),
                _ => Err(bad("true/false value")),
            }
        }
        ColType::Date => parse_date(&value, &field.formats, dates, field.century_from)
            .map(|d| Value::Text(d.to_compact_string()))
            .ok_or_else(|| {
                let msg = format!(
                    "`{value}` is not a valid date for `{}` in the accepted formats ({})",
                    field.target.name,
                    format_list(&field.formats)
                );
                problem(Builtin::UnparsableValue, &value, msg)
            }),
    }
}

fn excel_date(field: &FieldMapping, serial: f64, dates: DateSystem) -> Result<Value, Problem> {
    let accepts = field.formats.contains(&DateFormat::Excel);
    match dates.serial_to_date(serial).filter(|_| accepts) {
        Some(d) => Ok(Value::Text(d.to_compact_string())),
        None => {
            let msg = format!(
                "`{serial}` is not a valid date for `{}` in the accepted formats ({})",
                field.target.name,
                format_list(&field.formats)
            );
            Err(problem(Builtin::UnparsableValue, &serial.to_string(), msg))
        }
    }
}

/// Parses `text` with the first format that accepts it. A four-digit-year format (`%Y`) does not
/// accept a year written with fewer digits (`10/03/77` is not the year 77); a two-digit-year
/// format (`%y`) reads the year in the hundred years from `century_from` (without one, the
/// format accepts nothing).
pub fn parse_date(
    text: &str,
    formats: &[DateFormat],
    dates: DateSystem,
    century_from: Option<i16>,
) -> Option<Date> {
    formats.iter().find_map(|f| match f {
        DateFormat::Iso => text.parse::<Date>().ok().filter(|_| text.len() == 10),
        DateFormat::Excel => text
            .parse::<f64>()
            .ok()
            .and_then(|n| dates.serial_to_date(n)),
        DateFormat::Pattern(p) => {
            let date = jiff::fmt::strtime::parse(p, text).ok()?.to_date().ok()?;
            if p.contains("%y") {
                let from = century_from?;
                let yy = date.year().rem_euclid(100);
                let year = from + (yy - from.rem_euclid(100)).rem_euclid(100);
                return date.with().year(year).build().ok();
            }
            (date.year() >= 1000 || !p.contains("%Y")).then_some(date)
        }
    })
}

fn format_list(formats: &[DateFormat]) -> String {
    formats
        .iter()
        .map(|f| match f {
            DateFormat::Iso => "iso".to_string(),
            DateFormat::Excel => "excel".to_string(),
            DateFormat::Pattern(p) => p.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn pattern(p: &str) -> Vec<DateFormat> {
        vec![DateFormat::Pattern(p.to_string())]
    }

    #[test]
    fn years_are_read_as_written_or_by_a_stated_century() {
        let dates = DateSystem::default();
        // `%Y` does not take a two-digit year as the year 77.
        assert_eq!(
            parse_date("10/03/77", &pattern("%d/%m/%Y"), dates, None),
            None
        );
        assert_eq!(
            parse_date("10/03/1977", &pattern("%d/%m/%Y"), dates, None),
            Some(date(1977, 3, 10))
        );
        // `%y` needs a century, and reads the year within it.
        assert_eq!(
            parse_date("10/03/77", &pattern("%d/%m/%y"), dates, None),
            None
        );
        let from_1930 = |t| parse_date(t, &pattern("%d/%m/%y"), dates, Some(1930));
        assert_eq!(from_1930("10/03/77"), Some(date(1977, 3, 10)));
        assert_eq!(from_1930("10/03/29"), Some(date(2029, 3, 10)));
        assert_eq!(from_1930("10/03/30"), Some(date(1930, 3, 10)));
        // A time of day, when the format says so.
        assert_eq!(
            parse_date("01/01/2010 00:00", &pattern("%d/%m/%Y %H:%M"), dates, None),
            Some(date(2010, 1, 1))
        );
    }

    #[test]
    fn letter_case_is_changed_as_the_standard_library_changes_it_inline_or_not() {
        let values = [
            "t004",
            "straße",
            "ΟΔΟΣ ΣΑΣ",
            "İstanbul",
            "a name longer than twenty-four bytes, ß",
        ];
        for v in values {
            assert_eq!(cased(v, Case::Upper), v.to_uppercase(), "{v}");
            assert_eq!(cased(v, Case::Lower), v.to_lowercase(), "{v}");
            assert_eq!(cased(v, Case::Keep), v, "{v}");
        }
        // One character may become several, and a short value stays inline.
        assert_eq!(cased("straße", Case::Upper), "STRASSE");
        assert!(!cased("T004", Case::Lower).is_heap_allocated());
    }
}
