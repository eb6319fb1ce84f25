//! `handover_finding`: findings written as they are found, so that a run with millions of rows and
//! many findings never holds them all in memory, and read back for the report.
use rusqlite::{Connection, params};

use crate::finding::{Finding, Kind, Severity};

/// Inserts one finding.
pub fn insert(conn: &Connection, f: &Finding) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO handover_finding (rule, kind, severity, entity, record_key, file, sheet, line,
             col, column_name, value, message, mapping_file, mapping_line, rule_file, rule_line)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
    )?;
    stmt.execute(params![
        f.rule,
        f.kind.as_str(),
        f.severity.as_str(),
        f.entity,
        f.key,
        f.file,
        f.sheet,
        f.line.map(|l| l as i64),
        f.col.map(|c| c as i64),
        f.column,
        f.value,
        f.message,
        f.mapping_file,
        f.mapping_line.map(|l| l as i64),
        f.rule_file,
        f.rule_line.map(|l| l as i64),
    ])?;
    Ok(())
}

/// Reads every finding back, in the order they were found.
pub fn all(conn: &Connection) -> rusqlite::Result<Vec<Finding>> {
    let mut stmt = conn.prepare(
        "SELECT rule, kind, severity, entity, record_key, file, sheet, line, column_name, value,
                message, mapping_file, mapping_line, rule_file, rule_line, col
         FROM handover_finding ORDER BY finding_id",
    )?;
    let rows = stmt.query_map([], |r| {
        let kind: String = r.get(1)?;
        let severity: String = r.get(2)?;
        Ok(Finding {
            rule: r.get(0)?,
            kind: Kind::from_name(&kind).unwrap_or(Kind::Control),
            severity: Severity::from_name(&severity).unwrap_or(Severity::Error),
            entity: r.get(3)?,
            key: r.get(4)?,
            file: r.get(5)?,
            sheet: r.get(6)?,
            line: r.get::<_, Option<i64>>(7)?.map(|l| l as u64),
            col: r.get::<_, Option<i64>>(15)?.map(|c| c as u64),
            column: r.get(8)?,
            value: r.get(9)?,
            message: r.get(10)?,
            mapping_file: r.get(11)?,
            mapping_line: r.get::<_, Option<i64>>(12)?.map(|l| l as u64),
            rule_file: r.get(13)?,
            rule_line: r.get::<_, Option<i64>>(14)?.map(|l| l as u64),
        })
    })?;
    rows.collect()
}

/// Findings of one rule.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RuleCount {
    /// Rule code.
    pub rule: String,
    /// Kind.
    pub kind: String,
    /// Severity.
    pub severity: String,
    /// Findings.
    pub count: i64,
}

/// How many findings each rule raised, by rule and severity.
pub fn per_rule(conn: &Connection) -> rusqlite::Result<Vec<RuleCount>> {
    let mut stmt = conn.prepare(
        "SELECT rule, kind, severity, count(*) FROM handover_finding GROUP BY rule, kind, severity ORDER BY rule, severity",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(RuleCount {
            rule: r.get(0)?,
            kind: r.get(1)?,
            severity: r.get(2)?,
            count: r.get(3)?,
        })
    })?;
    rows.collect()
}
