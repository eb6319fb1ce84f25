//! The definitions of the service figures and breakdowns a run's schema declared, kept in the
//! run's database (`handover_figure`, `handover_breakdown`) so that `handover report` re-creates
//! both from the database alone, even when the schema folder has changed or gone since; and how
//! each is counted on a database ([`count`], [`breakdown`]), which the checks after the load do
//! on both cores ([`crate::check::early`]) and the report does on the source side's copy.
use rusqlite::{Connection, params};
use serde::Serialize;

use crate::schema::{BreakdownDef, FigureDef, Schema, SchemaOrigin, Unit};

/// Records the schema's figures and breakdowns, in report order.
pub fn write(conn: &Connection, schema: &Schema) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare(
        "INSERT INTO handover_figure (position, name, label, unit, sql, requires)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (i, f) in schema.figures.iter().enumerate() {
        let requires = f.requires.join(",");
        stmt.execute(params![
            i as i64,
            f.name,
            f.label,
            f.unit.name(),
            f.sql,
            requires
        ])?;
    }
    let mut stmt = conn.prepare(
        "INSERT INTO handover_breakdown (position, name, title, dimension, codelist, sql)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (i, b) in schema.breakdowns.iter().enumerate() {
        stmt.execute(params![
            i as i64,
            b.name,
            b.title,
            b.dimension,
            b.codelist,
            b.sql
        ])?;
    }
    Ok(())
}

/// The recorded figures, in report order.
pub fn figures(conn: &Connection) -> rusqlite::Result<Vec<FigureDef>> {
    let mut stmt = conn.prepare(
        "SELECT name, label, unit, sql, requires FROM handover_figure ORDER BY position",
    )?;
    let rows = stmt.query_map([], |r| {
        let unit: String = r.get(2)?;
        let requires: String = r.get(4)?;
        Ok(FigureDef {
            name: r.get(0)?,
            label: r.get(1)?,
            unit: Unit::from_name(&unit).unwrap_or(Unit::Count),
            sql: r.get(3)?,
            requires: requires
                .split(',')
                .filter(|t| !t.is_empty())
                .map(str::to_string)
                .collect(),
            origin: SchemaOrigin::default(),
        })
    })?;
    rows.collect()
}

/// The recorded breakdowns, in report order.
pub fn breakdowns(conn: &Connection) -> rusqlite::Result<Vec<BreakdownDef>> {
    let mut stmt = conn.prepare(
        "SELECT name, title, dimension, codelist, sql FROM handover_breakdown ORDER BY position",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(BreakdownDef {
            name: r.get(0)?,
            title: r.get(1)?,
            dimension: r.get(2)?,
            codelist: r.get(3)?,
            sql: r.get(4)?,
            origin: SchemaOrigin::default(),
        })
    })?;
    rows.collect()
}

/// The company side of the figures and breakdowns, counted on the loaded database: each figure's
/// value or why it is not available, and each breakdown's rows, in report order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counted {
    /// Each figure's value, or why it is not available.
    pub figures: Vec<Result<i64, String>>,
    /// Each breakdown's rows.
    pub breakdowns: Vec<Vec<BreakdownRow>>,
}

/// One value of a breakdown and its count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BreakdownRow {
    /// The value (a code, a team code, a directorate); `(none)` for blanks.
    pub value: String,
    /// How many.
    pub count: i64,
}

/// Runs a figure's query on `conn`. It is not available, with the reason, when a table it
/// requires is empty, when it needs the as-at date and there is none, or when there is nothing to
/// divide by.
pub fn count(
    conn: &Connection,
    def: &FigureDef,
    as_at: Option<jiff::civil::Date>,
) -> rusqlite::Result<Result<i64, String>> {
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

/// Runs a breakdown's query on `conn`: its counts per value, largest first, then by value.
pub fn breakdown(conn: &Connection, def: &BreakdownDef) -> rusqlite::Result<Vec<BreakdownRow>> {
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
    Ok(rows)
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
