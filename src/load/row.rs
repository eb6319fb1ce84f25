//! One source row, end to end: scope rules, then every target's fields converted, then the
//! inserts. A row is atomic: it transfers into all of its targets or into none, so a case row
//! whose involvement fails does not leave its child behind.
use compact_str::CompactString;
use rusqlite::{Connection, ErrorCode};

use super::bind::{Bound, BoundTarget, insert_sql};
use super::convert::{Problem, Value};
use super::stage::{Staged, StagedKind};
use super::{LoadError, Outcome, SourceRun};
use crate::audit::row_cols::ColBuffer;
use crate::audit::rows::AuditBuffer;
use crate::audit::{findings, lineage};
use crate::finding::{Builtin, Finding, Severity};

/// Everything needed to process the rows of one source file.
pub struct RowContext<'a, 'm> {
    conn: &'a Connection,
    bound: &'a Bound<'m>,
    run: &'a SourceRun,
    source_id: i64,
    audit: AuditBuffer,
    /// Where each row starts, for sources whose rows are not lines of their own (XML).
    cols: ColBuffer,
    inserts: Vec<rusqlite::Statement<'a>>,
    /// Per target: for a collected one (`distinct`), the query reading back the row a key holds.
    held: Vec<Option<String>>,
    /// Where the row being applied starts, when that is not a line of its own (XML): its
    /// findings are placed there.
    place: Option<crate::source::Place>,
    /// The (target, rowid) of each company row the row being applied has inserted, to undo them
    /// if a later target fails; kept between rows so that a row allocates nothing for it.
    done: Vec<(usize, i64)>,
}

impl<'a, 'm> RowContext<'a, 'm> {
    /// Prepares the context, and each target's insert statement once, for one file.
    pub fn new(
        conn: &'a Connection,
        bound: &'a Bound<'m>,
        run: &'a SourceRun,
        source_id: i64,
    ) -> rusqlite::Result<Self> {
        let inserts = bound
            .targets
            .iter()
            .map(|t| conn.prepare(&insert_sql(t.target)))
            .collect::<rusqlite::Result<_>>()?;
        let held = bound
            .targets
            .iter()
            .map(|t| t.target.distinct.then(|| held_sql(t)))
            .collect();
        Ok(RowContext {
            conn,
            bound,
            run,
            source_id,
            audit: AuditBuffer::new(source_id),
            cols: ColBuffer::new(source_id),
            inserts,
            held,
            place: None,
            done: Vec::with_capacity(bound.targets.len()),
        })
    }

    /// Writes one staged row (findings, company rows, lineage, outcome) and returns its outcome.
    /// The row's values stay in `staged`, to be freed off this thread (`load_file`).
    pub fn apply(&mut self, staged: &mut Staged) -> Result<Outcome, LoadError> {
        let line = staged.line;
        self.place = staged.place;
        if let Some(place) = staged.place {
            self.cols.push(self.conn, line, place)?;
        }
        let key = staged.key.take();
        let (values, problems) = match &mut staged.kind {
            StagedKind::Broken(problems) => {
                for p in problems.iter() {
                    self.source_finding(line, key.as_deref(), p)?;
                }
                self.record(line, Outcome::Rejected, None, key)?;
                return Ok(Outcome::Rejected);
            }
            StagedKind::Excluded(reason) => {
                self.record(line, Outcome::Excluded, Some(std::mem::take(reason)), key)?;
                return Ok(Outcome::Excluded);
            }
            StagedKind::Converted { values, problems } => (values, problems),
        };
        // A collected reference row that does not convert is left out, with its findings; the
        // row itself is not rejected because of it.
        let rejects = problems
            .iter()
            .any(|(ti, _, _)| !self.bound.targets[*ti].target.distinct);
        for (ti, field, p) in problems.drain(..) {
            values[ti] = None;
            self.finding(line, key.as_deref(), ti, field, p)?;
        }
        if rejects {
            self.record(line, Outcome::Rejected, None, key)?;
            return Ok(Outcome::Rejected);
        }
        let outcome = self.insert(line, key.as_deref(), values)?;
        self.record(line, outcome, None, key)?;
        Ok(outcome)
    }

    /// Inserts every applicable target, each row at the rowid that holds its lineage; on a
    /// constraint failure undoes the row's inserts.
    fn insert(
        &mut self,
        line: u64,
        key: Option<&str>,
        values: &[Option<Vec<Value>>],
    ) -> Result<Outcome, LoadError> {
        self.done.clear();
        for (ti, vals) in values.iter().enumerate() {
            let Some(vals) = vals else { continue };
            let rowid =
                lineage::rowid(self.source_id, line, ti).ok_or_else(|| LoadError::Unnumbered {
                    file: self.run.file.clone(),
                    sheet: self.run.sheet.clone(),
                    line,
                })?;
            let stmt = &mut self.inserts[ti];
            stmt.raw_bind_parameter(1, rowid)?;
            for (i, v) in vals.iter().enumerate() {
                stmt.raw_bind_parameter(i + 2, v)?;
            }
            match stmt.raw_execute() {
                Ok(0) => self.repeated(line, key, ti, vals)?,
                Ok(_) => self.done.push((ti, rowid)),
                Err(rusqlite::Error::SqliteFailure(e, msg))
                    if e.code == ErrorCode::ConstraintViolation =>
                {
                    self.undo(&self.done)?;
                    self.constraint_finding(line, key, ti, vals, e.extended_code, msg)?;
                    return Ok(Outcome::Rejected);
                }
                Err(e) => return Err(e.into()),
            }
        }
        Ok(Outcome::Transferred)
    }

    /// A collected reference row whose key is already there: identical, it merges; with other
    /// values, it is a finding naming the first difference.
    fn repeated(
        &mut self,
        line: u64,
        key: Option<&str>,
        ti: usize,
        vals: &[Value],
    ) -> Result<(), LoadError> {
        let target = &self.bound.targets[ti];
        let table = &target.target.table.name;
        let columns: Vec<&str> = target
            .fields
            .iter()
            .map(|f| f.field.target.name.as_str())
            .collect();
        let sql = self.held[ti].as_deref().unwrap_or_default();
        let key_values: Vec<&Value> = target.key.iter().map(|&i| &vals[i]).collect();
        let held: Vec<rusqlite::types::Value> = self
            .conn
            .prepare_cached(sql)?
            .query_row(rusqlite::params_from_iter(key_values.iter()), |r| {
                (0..columns.len()).map(|i| r.get(i)).collect()
            })?;
        let Some(fi) = (0..columns.len()).find(|&i| !same(&vals[i], &held[i])) else {
            return Ok(());
        };
        let first = self
            .first_line(target, &key_values)?
            .map(|(f, at)| format!(" ({f} {at})"))
            .unwrap_or_default();
        let shown = |v: &rusqlite::types::Value| match v {
            rusqlite::types::Value::Text(t) => t.clone(),
            rusqlite::types::Value::Integer(i) => i.to_string(),
            rusqlite::types::Value::Real(f) => f.to_string(),
            _ => String::new(),
        };
        let problem = Problem {
            rule: Builtin::ConflictingRepeat,
            value: vals[fi].as_text(),
            message: format!(
                "{table} `{}` is given again with {} `{}`, where the row already collected{first} has `{}`",
                key_values
                    .iter()
                    .map(|v| v.as_text())
                    .collect::<Vec<_>>()
                    .join("/"),
                columns[fi],
                vals[fi].as_text(),
                shown(&held[fi])
            ),
        };
        self.finding(line, key, ti, fi, problem)
    }

    fn undo(&self, done: &[(usize, i64)]) -> rusqlite::Result<()> {
        for (ti, rowid) in done.iter().rev() {
            let table = &self.bound.targets[*ti].target.table.name;
            self.conn
                .prepare_cached(&format!("DELETE FROM {table} WHERE rowid = ?1"))?
                .execute([rowid])?;
        }
        Ok(())
    }

    fn constraint_finding(
        &mut self,
        line: u64,
        key: Option<&str>,
        ti: usize,
        vals: &[Value],
        code: i32,
        msg: Option<String>,
    ) -> Result<(), LoadError> {
        let target = &self.bound.targets[ti];
        let is_key = code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
            || code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE;
        let key_fields: Vec<&super::bind::BoundField> =
            target.key.iter().map(|&i| &target.fields[i]).collect();
        let key_value: Vec<String> = target.key.iter().map(|&i| vals[i].as_text()).collect();
        let problem = if is_key {
            let first = self.first_line(target, &vals_of(&target.key, vals))?;
            Problem {
                rule: Builtin::DuplicateKey,
                value: key_value.join("/"),
                message: format!(
                    "duplicate {} key {} = `{}`{}",
                    target.target.table.name,
                    key_fields
                        .iter()
                        .map(|f| f.field.target.name.as_str())
                        .collect::<Vec<_>>()
                        .join("+"),
                    key_value.join("/"),
                    first
                        .map(|(f, at)| format!(": already transferred from {f} {at}"))
                        .unwrap_or_default()
                ),
            }
        } else {
            Problem {
                rule: Builtin::OutOfBounds,
                value: String::new(),
                message: format!(
                    "rejected by the company schema: {}",
                    msg.unwrap_or_default()
                ),
            }
        };
        let field = target.key.first().copied().unwrap_or(0);
        self.finding(line, key, ti, field, problem)
    }

    /// File and line of the row already holding `key` in the target's table.
    fn first_line(
        &mut self,
        target: &BoundTarget,
        key: &[&Value],
    ) -> rusqlite::Result<Option<(String, String)>> {
        let columns: Vec<&str> = target
            .key
            .iter()
            .map(|&i| target.fields[i].field.target.name.as_str())
            .collect();
        let values: Vec<&dyn rusqlite::ToSql> =
            key.iter().map(|v| *v as &dyn rusqlite::ToSql).collect();
        // The holder's place (an XML record's line and column) may still be waiting.
        self.cols.flush(self.conn)?;
        lineage::holder(self.conn, &target.target.table.name, &columns, &values)
    }

    fn finding(
        &self,
        line: u64,
        key: Option<&str>,
        ti: usize,
        fi: usize,
        p: Problem,
    ) -> Result<(), LoadError> {
        let field = self.bound.targets[ti].fields.get(fi).map(|f| f.field);
        let origin = field.map_or(&self.bound.targets[ti].target.origin, |f| &f.origin);
        findings::insert(
            self.conn,
            &Finding {
                rule: p.rule.code().to_string(),
                kind: p.rule.kind(),
                severity: Severity::Error,
                entity: self.run.entity.clone(),
                key: key.map(str::to_string),
                file: Some(self.run.file.clone()),
                sheet: self.run.sheet.clone(),
                line: Some(self.place.map_or(line, |p| p.line)),
                col: self.place.map(|p| p.col),
                column: field.and_then(|f| f.column().map(str::to_string)),
                value: Some(p.value),
                message: p.message,
                mapping_file: Some(origin.file.clone()),
                mapping_line: Some(origin.line as u64),
                rule_file: None,
                rule_line: None,
            },
        )?;
        Ok(())
    }

    /// A finding for a problem the reader found in the row's structure, placed at the `[source]`.
    fn source_finding(
        &self,
        line: u64,
        key: Option<&str>,
        p: &crate::source::RowProblem,
    ) -> Result<(), LoadError> {
        let origin = &self.bound.source.origin;
        findings::insert(
            self.conn,
            &Finding {
                rule: p.rule.code().to_string(),
                kind: p.rule.kind(),
                severity: p.rule.severity(),
                entity: self.run.entity.clone(),
                key: key.map(str::to_string),
                file: Some(self.run.file.clone()),
                sheet: self.run.sheet.clone(),
                line: Some(self.place.map_or(line, |p| p.line)),
                col: self.place.map(|p| p.col),
                column: p.column.clone(),
                value: None,
                message: p.message.clone(),
                mapping_file: Some(origin.file.clone()),
                mapping_line: Some(origin.line as u64),
                rule_file: None,
                rule_line: None,
            },
        )?;
        Ok(())
    }

    fn record(
        &mut self,
        line: u64,
        outcome: Outcome,
        reason: Option<String>,
        key: Option<CompactString>,
    ) -> rusqlite::Result<()> {
        self.audit.row(self.conn, line, outcome, reason, key)
    }

    /// Writes the audit records still waiting; call once the file's rows are done.
    pub fn finish(&mut self) -> rusqlite::Result<()> {
        self.audit.flush(self.conn)?;
        self.cols.flush(self.conn)
    }
}

/// The query reading back every field of the row a collected target's key already holds.
fn held_sql(target: &BoundTarget) -> String {
    let columns: Vec<&str> = target
        .fields
        .iter()
        .map(|f| f.field.target.name.as_str())
        .collect();
    let wheres: Vec<String> = target
        .key
        .iter()
        .enumerate()
        .map(|(n, &i)| format!("{} = ?{}", columns[i], n + 1))
        .collect();
    format!(
        "SELECT {} FROM {} WHERE {}",
        columns.join(", "),
        target.target.table.name,
        wheres.join(" AND ")
    )
}

/// Whether a converted value equals what the database holds.
fn same(value: &Value, held: &rusqlite::types::Value) -> bool {
    use rusqlite::types::Value as Held;
    match (value, held) {
        (Value::Null, Held::Null) => true,
        (Value::Text(a), Held::Text(b)) => a == b,
        (Value::Integer(a), Held::Integer(b)) => a == b,
        (Value::Real(a), Held::Real(b)) => a == b,
        _ => false,
    }
}

fn vals_of<'v>(idx: &[usize], vals: &'v [Value]) -> Vec<&'v Value> {
    idx.iter().map(|&i| &vals[i]).collect()
}
