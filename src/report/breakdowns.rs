//! Breakdowns of what transferred, counted on the company tables by the queries the company's
//! schema declares and the run recorded: a count per value of one dimension, such as members of
//! staff per team or current placements per placement type.
use rusqlite::Connection;
use serde::Serialize;

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

/// One value of a breakdown and its count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BreakdownRow {
    /// The value (a code, a team code, a directorate); `(none)` for blanks.
    pub value: String,
    /// How many.
    pub count: i64,
}

/// Every recorded breakdown, in report order.
pub fn read(conn: &Connection) -> anyhow::Result<Vec<Breakdown>> {
    let defs = crate::audit::figures::breakdowns(conn)?;
    defs.iter()
        .map(|def| {
            let mut stmt = conn.prepare(&def.sql)?;
            let mut rows: Vec<BreakdownRow> = stmt
                .query_map([], |r| {
                    let value: Option<rusqlite::types::Value> = r.get(0)?;
                    Ok(BreakdownRow {
                        value: text(value),
                        count: r.get(1)?,
                    })
                })?
                .collect::<rusqlite::Result<_>>()?;
            rows.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
            Ok(Breakdown {
                name: def.name.clone(),
                title: def.title.clone(),
                dimension: def.dimension.clone(),
                rows,
            })
        })
        .collect()
}

fn text(value: Option<rusqlite::types::Value>) -> String {
    use rusqlite::types::Value;
    match value {
        None | Some(Value::Null) => "(none)".to_string(),
        Some(Value::Integer(i)) => i.to_string(),
        Some(Value::Real(f)) => f.to_string(),
        Some(Value::Text(t)) => t,
        Some(Value::Blob(b)) => String::from_utf8_lossy(&b).into_owned(),
    }
}
