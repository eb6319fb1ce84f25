//! The definitions of the service figures and breakdowns a run's schema declared, kept in the
//! run's database (`handover_figure`, `handover_breakdown`) so that `handover report` re-creates
//! both from the database alone, even when the schema folder has changed or gone since.
use rusqlite::{Connection, params};

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
