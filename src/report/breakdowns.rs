//! Breakdowns of what transferred, counted on the company tables by the queries the company's
//! schema declares and the run recorded: a count per value of one dimension, such as members of
//! staff per team or current placements per placement type.
use rusqlite::Connection;
use serde::Serialize;

pub use crate::audit::figures::BreakdownRow;

/// One breakdown: a count per value of one dimension.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Breakdown {
    /// Stable name, such as `staff_by_team`.
    pub name: String,
    /// What it counts, in words.
    pub title: String,
    /// The dimension (column) counted by.
    pub dimension: String,
    /// Counts per value, largest first, then by value.
    pub rows: Vec<BreakdownRow>,
}

/// Every recorded breakdown, in report order, with its rows: `counted` when the run counted them
/// already ([`crate::audit::figures::Counted`]), else counted here on `conn`.
pub fn read(
    conn: &Connection,
    counted: Option<Vec<Vec<BreakdownRow>>>,
) -> anyhow::Result<Vec<Breakdown>> {
    let defs = crate::audit::figures::breakdowns(conn)?;
    let rows = match counted {
        Some(rows) if rows.len() != defs.len() => {
            return Err(crate::exit::bug(
                "the breakdowns counted with the checks are not the ones the run recorded",
            ));
        }
        Some(rows) => rows,
        None => defs
            .iter()
            .map(|def| crate::audit::figures::breakdown(conn, def))
            .collect::<rusqlite::Result<_>>()?,
    };
    Ok(defs
        .into_iter()
        .zip(rows)
        .map(|(def, rows)| Breakdown {
            name: def.name,
            title: def.title,
            dimension: def.dimension,
            rows,
        })
        .collect())
}
