//! Dates as plain day numbers (days since 1970-01-01), with the few conversions the exports need:
//! `dd/mm/yyyy` text, Excel 1900-system serials, whole years and Monday-to-Friday working days.
//! Day numbers keep the hot loops free of allocation and of calendar-library calls (#2).

/// Days since 1970-01-01.
pub type Day = i32;

/// The day number of a civil date (proleptic Gregorian; Howard Hinnant's algorithm).
pub fn from_ymd(y: i32, m: u32, d: u32) -> Day {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i32;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date `(year, month, day)` of a day number.
pub fn ymd(day: Day) -> (i32, u32, u32) {
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i32::from(m <= 2);
    (y, m, d)
}

/// The day number of a `jiff` civil date.
pub fn from_jiff(date: jiff::civil::Date) -> Day {
    from_ymd(
        i32::from(date.year()),
        date.month() as u32,
        date.day() as u32,
    )
}

/// Appends `dd/mm/yyyy` to `out`.
pub fn push_dmy(out: &mut String, day: Day) {
    use std::fmt::Write;
    let (y, m, d) = ymd(day);
    let _ = write!(out, "{d:02}/{m:02}/{y:04}");
}

/// `dd/mm/yyyy` as a new string.
pub fn dmy(day: Day) -> String {
    let mut s = String::with_capacity(10);
    push_dmy(&mut s, day);
    s
}

/// The Excel serial number (1900 date system) of a day after 1900-02-28.
pub fn excel(day: Day) -> f64 {
    f64::from(day + 25_569)
}

/// The same calendar day `years` later (29 February becomes 28 February).
pub fn add_years(day: Day, years: i32) -> Day {
    let (y, m, d) = ymd(day);
    let d = if m == 2 && d == 29 { 28 } else { d };
    from_ymd(y + years, m, d)
}

/// True on Saturdays and Sundays.
pub fn is_weekend(day: Day) -> bool {
    // 1970-01-01 was a Thursday: (day + 3) mod 7 is 0 on Mondays.
    (day + 3).rem_euclid(7) >= 5
}

/// The day `n` working days (Monday to Friday) before `day`; `day` itself is day 0.
pub fn working_days_before(day: Day, n: u32) -> Day {
    let mut d = day;
    for _ in 0..n {
        d -= 1;
        while is_weekend(d) {
            d -= 1;
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_formats() {
        let d = from_ymd(2017, 3, 31);
        assert_eq!(ymd(d), (2017, 3, 31));
        assert_eq!(dmy(d), "31/03/2017");
        assert_eq!(excel(from_ymd(2020, 9, 16)), 44090.0);
        assert_eq!(add_years(from_ymd(2016, 2, 29), 1), from_ymd(2017, 2, 28));
        assert!(!is_weekend(d)); // a Friday
        assert!(is_weekend(from_ymd(2017, 4, 1)));
        assert_eq!(working_days_before(d, 10), from_ymd(2017, 3, 17));
        assert_eq!(
            working_days_before(from_ymd(2017, 1, 31), 10),
            from_ymd(2017, 1, 17)
        );
    }
}
