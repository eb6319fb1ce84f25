//! The service figures the company's schema declares, counted twice: each figure's query runs on
//! the company database ([`crate::audit::figures::count`]), and [`source`] runs the same query on a scratch copy of the
//! tables filled from the raw source exports (re-read through the recorded mapping set), so that
//! the report can show the two side by side and flag any disagreement. The definitions are read
//! from the run's database ([`crate::audit::figures`]).
use rusqlite::Connection;
use serde::Serialize;

pub use crate::audit::figures::ratio;
use crate::schema::FigureDef;

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

    /// The company side's values, as [`Figures::pair`] took them.
    pub fn company(&self) -> Values {
        let value = |f: &Figure| {
            f.company
                .ok_or_else(|| f.company_unavailable.clone().unwrap_or_default())
        };
        Values(self.items.iter().map(value).collect())
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

/// Runs every figure's query on `conn` (the company database, or the source side's scratch copy),
/// as [`crate::audit::figures::count`] does each.
pub fn evaluate(
    conn: &Connection,
    defs: &[FigureDef],
    as_at: Option<jiff::civil::Date>,
) -> anyhow::Result<Values> {
    crate::schema::sql::register(conn)?;
    let mut out = Vec::with_capacity(defs.len());
    for def in defs {
        out.push(crate::audit::figures::count(conn, def, as_at)?);
    }
    Ok(Values(out))
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
