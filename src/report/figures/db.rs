//! The service figures counted with SQL over the company tables. A table the database lacks rows
//! for gives `None` for the figures that need it, never a made-up zero.
use rusqlite::{Connection, params};

use super::{Values, percent, ratio, ten_working_days_before};

/// Counts every figure on the company database.
pub fn compute(conn: &Connection, as_at: Option<jiff::civil::Date>) -> anyhow::Result<Values> {
    let one = |sql: &str| -> anyhow::Result<i64> { Ok(conn.query_row(sql, [], |r| r.get(0))?) };
    let open_of = |ty: &str| {
        one(&format!(
            "SELECT count(DISTINCT child_id) FROM involvements WHERE involvement_type = '{ty}' AND status = 'open'"
        ))
    };
    let has_cases = one("SELECT count(*) FROM involvements")? > 0;
    let cases = |v: i64| has_cases.then_some(v);
    let unallocated = one(
        "SELECT count(*) FROM involvements WHERE status = 'open' AND allocated_worker IS NULL
           AND involvement_type IN ('child_in_need', 'child_protection', 'looked_after', 'care_leaver')",
    )?;
    let (held, workers): (i64, i64) = conn.query_row(
        "SELECT count(*), count(DISTINCT allocated_worker) FROM involvements
         WHERE status = 'open' AND allocated_worker IS NOT NULL
           AND involvement_type IN ('child_in_need', 'child_protection', 'looked_after')",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let agency = one("SELECT count(*) FROM agency_workers")?;
    Ok(Values([
        Some(one("SELECT count(*) FROM staff")?),
        cases(open_of("looked_after")?),
        cases(open_of("child_protection")?),
        cases(unallocated),
        ratio(held, workers),
        cp_visits(conn, as_at)?,
        pathway_plans(conn)?,
        (agency > 0).then_some(agency),
    ]))
}

/// Open child protection cases visited within ten working days of the as-at date, in percent.
fn cp_visits(conn: &Connection, as_at: Option<jiff::civil::Date>) -> anyhow::Result<Option<i64>> {
    let Some(as_at) = as_at else {
        return Ok(None);
    };
    let from = ten_working_days_before(as_at).to_string();
    let (open, visited): (i64, i64) = conn.query_row(
        "SELECT count(*), count(p.involvement_id) FROM involvements i
         LEFT JOIN cp_plans p ON p.involvement_id = i.involvement_id
              AND p.last_visit_date BETWEEN ?1 AND ?2
         WHERE i.involvement_type = 'child_protection' AND i.status = 'open'",
        params![from, as_at.to_string()],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(percent(visited, open))
}

/// Open care leavers with a pathway plan, in percent.
fn pathway_plans(conn: &Connection) -> anyhow::Result<Option<i64>> {
    let (open, planned): (i64, i64) = conn.query_row(
        "SELECT count(DISTINCT i.child_id), count(DISTINCT p.child_id) FROM involvements i
         LEFT JOIN pathway_plans p ON p.child_id = i.child_id
         WHERE i.involvement_type = 'care_leaver' AND i.status = 'open'",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(percent(planned, open))
}
