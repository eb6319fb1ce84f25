//! What a schema's SQL may rely on beyond SQLite itself: names that are safe to put into a query
//! unquoted, and the functions handover registers on every connection that runs a schema's
//! queries (`working_days_before`).
use jiff::civil::Date;
use rusqlite::Connection;
use rusqlite::functions::FunctionFlags;

/// True when `name` is a plain SQL identifier: a letter or `_`, then letters, digits or `_`.
pub fn is_ident(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.to_ascii_lowercase().starts_with("handover_")
        && !name.to_ascii_lowercase().starts_with("sqlite_")
}

/// Registers `working_days_before(date, n)`: the date `n` working days (Monday to Friday, no
/// bank holidays) before `date`, which itself counts as day 0. NULL when `date` is NULL or not a
/// date.
pub fn register(conn: &Connection) -> rusqlite::Result<()> {
    conn.create_scalar_function(
        "working_days_before",
        2,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let date: Option<String> = ctx.get(0)?;
            let n: i64 = ctx.get(1)?;
            Ok(date
                .and_then(|d| d.parse::<Date>().ok())
                .map(|d| working_days_before(d, n).to_string()))
        },
    )
}

/// The date `n` working days before `day` (Monday to Friday; `day` is day 0).
pub fn working_days_before(mut day: Date, n: i64) -> Date {
    let mut counted = 0;
    while counted < n {
        day = day.yesterday().unwrap_or(day);
        if day.weekday().to_monday_one_offset() <= 5 {
            counted += 1;
        }
    }
    day
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn ten_working_days_skip_weekends() {
        // Friday 31 March 2017: ten weekdays back is Friday 17 March.
        assert_eq!(
            working_days_before(date(2017, 3, 31), 10),
            date(2017, 3, 17)
        );
        // Tuesday 31 January 2017: back to Tuesday 17 January.
        assert_eq!(
            working_days_before(date(2017, 1, 31), 10),
            date(2017, 1, 17)
        );
        let conn = Connection::open_in_memory().unwrap();
        register(&conn).unwrap();
        let d: Option<String> = conn
            .query_row("SELECT working_days_before('2017-03-31', 10)", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(d.as_deref(), Some("2017-03-17"));
    }

    #[test]
    fn identifiers_are_plain_names() {
        assert!(is_ident("cp_plans") && is_ident("_x1"));
        assert!(!is_ident("1x") && !is_ident("a b") && !is_ident("x;drop"));
        assert!(!is_ident("handover_row") && !is_ident(""));
    }
}
