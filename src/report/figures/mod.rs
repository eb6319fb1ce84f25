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
    /// Why the source side is not available, when it is not.
    pub source_unavailable: Option<String>,
    /// Why the company side is not available, when it is not.
    pub company_unavailable: Option<String>,
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
                let side = |v: Option<&Values>, whole: &str| -> Result<i64, String> {
                    v.map_or(Err(whole.to_string()), |v| {
                        v.0.get(i)
                            .cloned()
                            .unwrap_or_else(|| Err("not computed".to_string()))
                    })
                };
                let s = side(src.as_ref(), &state);
                let c = side(Some(&company), "not computed");
                Figure {
                    name: def.name.clone(),
                    label: def.label.clone(),
                    unit: def.unit.name().to_string(),
                    source: s.as_ref().ok().copied(),
                    company: c.as_ref().ok().copied(),
                    agree: s.as_ref().ok().zip(c.as_ref().ok()).map(|(s, c)| s == c),
                    source_unavailable: s.err(),
                    company_unavailable: c.err(),
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

/// One side's values, in the order of the figure definitions: each a number, or why it is not
/// available.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Values(pub Vec<Result<i64, String>>);

/// Runs every figure's query on `conn` (the company database, or the source side's scratch copy).
/// A figure is not available, with the reason, when a table it requires is empty, when it needs
/// the as-at date and there is none, or when there is nothing to divide by.
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
) -> anyhow::Result<Result<i64, String>> {
    for table in &def.requires {
        let empty: bool = conn.query_row(
            &format!("SELECT NOT EXISTS (SELECT 1 FROM {table})"),
            [],
            |r| r.get(0),
        )?;
        if empty {
            return Ok(Err(format!("no rows in `{table}`")));
        }
    }
    if def.uses_as_at() && as_at.is_none() {
        return Ok(Err("no as-at date".to_string()));
    }
    let mut stmt = conn.prepare(&def.sql)?;
    if let Some(i) = stmt.parameter_index(":as_at")? {
        stmt.raw_bind_parameter(i, as_at.map(|d| d.to_string()))?;
    }
    let mut rows = stmt.raw_query();
    let Some(row) = rows.next()? else {
        return Ok(Err("nothing to count".to_string()));
    };
    let num: Option<f64> = row.get(0)?;
    let Some(num) = num else {
        return Ok(Err("nothing to count".to_string()));
    };
    Ok(match def.unit {
        Unit::Count => Ok(num.round() as i64),
        Unit::Percent | Unit::Average => {
            let den: Option<f64> = row.get(1)?;
            let scale = if def.unit == Unit::Percent { 100 } else { 1 };
            den.and_then(|d| ratio(scale * num as i64, d as i64))
                .ok_or_else(|| "nothing to count (the denominator is 0)".to_string())
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
