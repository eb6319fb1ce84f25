//! The service figures the company's schema declares, counted twice: [`db`] runs each figure's
//! query on the company database, and [`source`] runs the same query on a scratch copy of the
//! tables filled from the raw source exports (re-read through the recorded mapping set), so that
//! the report can show the two side by side and flag any disagreement. The definitions are read
//! from the run's database ([`crate::audit::figures`]).
use rusqlite::Connection;
use serde::Serialize;

use crate::schema::{FigureDef, Unit};

pub mod db;
pub mod source;

/// One service figure, from both sides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Figure {
    /// Stable name, as the schema declares it.
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
    pub fn pair(defs: &[FigureDef], company: Values, source: Result<Values, String>) -> Self {
        let (state, src) = match source {
            Ok(v) => ("computed".to_string(), Some(v)),
            Err(why) => (why, None),
        };
        let items = defs
            .iter()
            .enumerate()
            .map(|(i, def)| {
                let s = src.as_ref().and_then(|v| v.0.get(i).copied().flatten());
                let c = company.0.get(i).copied().flatten();
                Figure {
                    name: def.name.clone(),
                    label: def.label.clone(),
                    unit: def.unit.name().to_string(),
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

/// One side's values, in the order of the figure definitions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Values(pub Vec<Option<i64>>);

/// Runs every figure's query on `conn` (the company database, or the source side's scratch copy).
/// A figure is `None` when a table it requires is empty, when it needs the as-at date and there
/// is none, or when its denominator is 0.
pub fn evaluate(
    conn: &Connection,
    defs: &[FigureDef],
    as_at: Option<jiff::civil::Date>,
) -> anyhow::Result<Values> {
    crate::schema::sql::register(conn)?;
    let mut out = Vec::with_capacity(defs.len());
    for def in defs {
        out.push(one(conn, def, as_at)?);
    }
    Ok(Values(out))
}

fn one(
    conn: &Connection,
    def: &FigureDef,
    as_at: Option<jiff::civil::Date>,
) -> anyhow::Result<Option<i64>> {
    for table in &def.requires {
        let empty: bool = conn.query_row(
            &format!("SELECT NOT EXISTS (SELECT 1 FROM {table})"),
            [],
            |r| r.get(0),
        )?;
        if empty {
            return Ok(None);
        }
    }
    if def.uses_as_at() && as_at.is_none() {
        return Ok(None);
    }
    let mut stmt = conn.prepare(&def.sql)?;
    if let Some(i) = stmt.parameter_index(":as_at")? {
        stmt.raw_bind_parameter(i, as_at.map(|d| d.to_string()))?;
    }
    let mut rows = stmt.raw_query();
    let Some(row) = rows.next()? else {
        return Ok(None);
    };
    let num: Option<f64> = row.get(0)?;
    Ok(match def.unit {
        Unit::Count => num.map(|n| n.round() as i64),
        Unit::Percent | Unit::Average => {
            let den: Option<f64> = row.get(1)?;
            let scale = if def.unit == Unit::Percent { 100 } else { 1 };
            num.zip(den)
                .and_then(|(n, d)| ratio(scale * n as i64, d as i64))
        }
    })
}

/// `round(num / den)`, `None` when `den` is 0.
pub fn ratio(num: i64, den: i64) -> Option<i64> {
    (den > 0).then(|| ((num as f64) / (den as f64)).round() as i64)
}

/// `round(100 * num / den)`, `None` when `den` is 0.
pub fn percent(num: i64, den: i64) -> Option<i64> {
    ratio(100 * num, den)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios_round_and_refuse_zero() {
        assert_eq!(ratio(39, 2), Some(20));
        assert_eq!(percent(23, 25), Some(92));
        assert_eq!(percent(1, 0), None);
    }
}
