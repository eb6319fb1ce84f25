//! The service figures counted on the company database: each recorded figure's query, run on the
//! company tables. A figure whose tables are empty is not available, never a made-up zero.
use rusqlite::Connection;

use super::{Values, evaluate};
use crate::schema::FigureDef;

/// Counts every recorded figure on the company database; also returns the definitions.
pub fn compute(
    conn: &Connection,
    as_at: Option<jiff::civil::Date>,
) -> anyhow::Result<(Vec<FigureDef>, Values)> {
    let defs = crate::audit::figures::figures(conn)?;
    let values = evaluate(conn, &defs, as_at)?;
    Ok((defs, values))
}
