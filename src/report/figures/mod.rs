//! The service figures, counted twice: [`db`] counts them with SQL over the company tables, and
//! [`source`] counts them again from the raw source exports (re-read through the recorded mapping
//! set), so that the report can show the two side by side and flag any disagreement.
use serde::Serialize;

pub mod db;
pub mod source;

/// One service figure, from both sides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Figure {
    /// Stable name, such as `looked_after`.
    pub name: String,
    /// What it counts, in words.
    pub label: String,
    /// `count`, `average` or `percent`.
    pub unit: String,
    /// Computed from the source exports; `None` when that side is unavailable or has no data.
    pub source: Option<i64>,
    /// Computed from the company database; `None` when the database has no data for it.
    pub company: Option<i64>,
    /// Whether the two sides are equal; `None` (JSON `null`) when either side is unknown.
    pub agree: Option<bool>,
}

/// The figures, with the state of the source side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Figures {
    /// `computed`, or why the source side could not be computed.
    pub source_side: String,
    /// The figures, in a fixed order.
    pub items: Vec<Figure>,
}

impl Figures {
    /// Pairs the company side with the source side (`Err` holds why the source is unavailable).
    pub fn pair(company: Values, source: Result<Values, String>) -> Self {
        let (state, src) = match source {
            Ok(v) => ("computed".to_string(), Some(v)),
            Err(why) => (why, None),
        };
        let items = DEFS
            .iter()
            .enumerate()
            .map(|(i, (name, label, unit))| {
                let s = src.as_ref().and_then(|v| v.0[i]);
                let c = company.0[i];
                Figure {
                    name: name.to_string(),
                    label: label.to_string(),
                    unit: unit.to_string(),
                    source: s,
                    company: c,
                    agree: s.zip(c).map(|(s, c)| s == c),
                }
            })
            .collect();
        Figures {
            source_side: state,
            items,
        }
    }

    /// Figures whose two sides are both known and differ.
    pub fn disagreements(&self) -> usize {
        let differ = |f: &&Figure| f.agree == Some(false);
        self.items.iter().filter(differ).count()
    }
}

/// The figures' names, labels and units, in report order.
pub const DEFS: [(&str, &str, &str); 8] = [
    ("staff_transferred", "Staff transferred", "count"),
    ("looked_after", "Looked-after children", "count"),
    ("cp_plans", "Children on child protection plans", "count"),
    ("unallocated_cases", "Unallocated open cases", "count"),
    (
        "average_caseload",
        "Average caseload per case-holding social worker",
        "average",
    ),
    (
        "cp_visits_within_10_working_days_pct",
        "Child protection visits within ten working days",
        "percent",
    ),
    (
        "care_leavers_with_pathway_plan_pct",
        "Care leavers with a pathway plan",
        "percent",
    ),
    ("agency_workers", "Agency workers", "count"),
];

/// One side's values, in the order of [`DEFS`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Values(pub [Option<i64>; 8]);

/// The open involvement types that need an allocated worker.
pub const ALLOCATED_TYPES: [&str; 4] = [
    "child_in_need",
    "child_protection",
    "looked_after",
    "care_leaver",
];

/// The involvement types whose open cases make up a social worker's caseload.
pub const CASELOAD_TYPES: [&str; 3] = ["child_in_need", "child_protection", "looked_after"];

/// `round(num / den)`, `None` when `den` is 0.
pub fn ratio(num: i64, den: i64) -> Option<i64> {
    (den > 0).then(|| ((num as f64) / (den as f64)).round() as i64)
}

/// `round(100 * num / den)`, `None` when `den` is 0.
pub fn percent(num: i64, den: i64) -> Option<i64> {
    ratio(100 * num, den)
}

/// The earliest date within ten working days of `as_at`: Monday to Friday count, the as-at date
/// itself is day 0, and there are no bank holidays.
pub fn ten_working_days_before(as_at: jiff::civil::Date) -> jiff::civil::Date {
    let mut day = as_at;
    let mut counted = 0;
    while counted < 10 {
        day = day.yesterday().unwrap_or(day);
        let weekday = day.weekday().to_monday_one_offset();
        if weekday <= 5 {
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
            ten_working_days_before(date(2017, 3, 31)),
            date(2017, 3, 17)
        );
        // Tuesday 31 January 2017: back to Tuesday 17 January.
        assert_eq!(
            ten_working_days_before(date(2017, 1, 31)),
            date(2017, 1, 17)
        );
    }

    #[test]
    fn ratios_round_and_refuse_zero() {
        assert_eq!(ratio(39, 2), Some(20));
        assert_eq!(percent(23, 25), Some(92));
        assert_eq!(percent(1, 0), None);
    }
}
