//! The service figures counted a second time, independently of the company database: the source
//! exports are re-read through the mapping set, and each figure is counted from the raw cells of
//! in-scope rows (scope rules and `when` conditions applied, crosswalks and formats through
//! [`crate::load::convert::convert`] one field at a time). No SQL and no company table is used.
//!
//! The source side is only computed when the input folder and the mapping folder the run recorded
//! are still there and every file's SHA-256 matches the audit tables; otherwise it is reported as
//! unavailable, never guessed.
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use rusqlite::Connection;

use super::{ALLOCATED_TYPES, CASELOAD_TYPES, Values, percent, ratio, ten_working_days_before};
use crate::load::convert::{cell_text, convert};
use crate::load::inputs;
use crate::mapping::{MappingSet, SourceMapping, TargetMapping};
use crate::source::{self, Row, fingerprint};

/// One converted record: the requested fields, `None` where blank or not convertible.
type Record = Vec<Option<String>>;

/// Checks that `input_dir` and `set` are exactly what the run in `conn` read; `Err` says why not.
pub fn check_unchanged(
    conn: &Connection,
    set: &MappingSet,
    input_dir: &Path,
) -> Result<(), String> {
    let mut stmt = conn
        .prepare("SELECT path, sha256 FROM handover_input ORDER BY path")
        .map_err(|e| e.to_string())?;
    let files: Vec<(String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .and_then(Iterator::collect)
        .map_err(|e| e.to_string())?;
    for (path, sha) in &files {
        match fingerprint(&input_dir.join(path), path) {
            Ok(info) if &info.sha256 == sha => {}
            Ok(_) => {
                return Err(format!(
                    "source side: input file `{path}` has changed since the run"
                ));
            }
            Err(_) => return Err("source side: input folder not available".to_string()),
        }
    }
    let mut stmt = conn
        .prepare("SELECT path, sha256 FROM handover_mapping ORDER BY path")
        .map_err(|e| e.to_string())?;
    let recorded: BTreeMap<String, String> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .and_then(Iterator::collect)
        .map_err(|e| e.to_string())?;
    let now: BTreeMap<String, String> = set
        .files
        .iter()
        .map(|f| (f.path.clone(), f.sha256.clone()))
        .collect();
    if now != recorded {
        return Err("source side: mapping files have changed since the run".to_string());
    }
    Ok(())
}

/// Counts every figure from the source exports.
pub fn compute(
    set: &MappingSet,
    input_dir: &Path,
    as_at: Option<jiff::civil::Date>,
) -> anyhow::Result<Values> {
    let staff = collect(set, input_dir, "staff", &["employee_number"])?;
    let cases = collect(
        set,
        input_dir,
        "involvements",
        &[
            "involvement_id",
            "child_id",
            "involvement_type",
            "status",
            "allocated_worker",
        ],
    )?;
    let plans = collect(
        set,
        input_dir,
        "cp_plans",
        &["involvement_id", "last_visit_date"],
    )?;
    let pathway = collect(set, input_dir, "pathway_plans", &["child_id", "plan_date"])?;
    let agency = collect(set, input_dir, "agency_workers", &["agency_ref"])?;
    let cases = first_by_key(cases);
    let open = |types: &[&str]| -> Vec<&Record> {
        cases
            .iter()
            .filter(|c| {
                c[3].as_deref() == Some("open")
                    && c[2].as_deref().is_some_and(|t| types.contains(&t))
            })
            .collect()
    };
    let children = |ty: &str| distinct(open(&[ty]).into_iter().map(|c| &c[1]));
    let unallocated = open(&ALLOCATED_TYPES)
        .iter()
        .filter(|c| c[4].is_none())
        .count();
    let held: Vec<&Record> = open(&CASELOAD_TYPES)
        .into_iter()
        .filter(|c| c[4].is_some())
        .collect();
    let workers = distinct(held.iter().map(|c| &c[4]));
    let has_cases = !cases.is_empty();
    let count = |v: usize| has_cases.then_some(v as i64);
    Ok(Values([
        (!staff.is_empty()).then(|| distinct(staff.iter().map(|s| &s[0])) as i64),
        count(children("looked_after")),
        count(children("child_protection")),
        count(unallocated),
        ratio(held.len() as i64, workers as i64),
        cp_visits(&open(&["child_protection"]), &plans, as_at),
        pathway_plans(&open(&["care_leaver"]), &pathway),
        (!agency.is_empty()).then(|| distinct(agency.iter().map(|a| &a[0])) as i64),
    ]))
}

fn cp_visits(
    open_cp: &[&Record],
    plans: &[Record],
    as_at: Option<jiff::civil::Date>,
) -> Option<i64> {
    let as_at = as_at?;
    let from = ten_working_days_before(as_at).to_string();
    let to = as_at.to_string();
    let visited: BTreeSet<&str> = plans
        .iter()
        .filter(|p| {
            p[1].as_deref()
                .is_some_and(|d| d >= from.as_str() && d <= to.as_str())
        })
        .filter_map(|p| p[0].as_deref())
        .collect();
    let ids: BTreeSet<&str> = open_cp.iter().filter_map(|c| c[0].as_deref()).collect();
    let within = ids.iter().filter(|id| visited.contains(*id)).count();
    percent(within as i64, ids.len() as i64)
}

fn pathway_plans(open_cl: &[&Record], pathway: &[Record]) -> Option<i64> {
    let planned: BTreeSet<&str> = pathway
        .iter()
        .filter(|p| p[1].is_some())
        .filter_map(|p| p[0].as_deref())
        .collect();
    let children: BTreeSet<&str> = open_cl.iter().filter_map(|c| c[1].as_deref()).collect();
    let with = children.iter().filter(|c| planned.contains(*c)).count();
    percent(with as i64, children.len() as i64)
}

fn distinct<'a>(values: impl Iterator<Item = &'a Option<String>>) -> usize {
    values.flatten().collect::<BTreeSet<_>>().len()
}

/// Keeps the first record of each key (field 0), as the load keeps the first of duplicates.
fn first_by_key(records: Vec<Record>) -> Vec<Record> {
    let mut seen = BTreeSet::new();
    records
        .into_iter()
        .filter(|r| r[0].as_ref().is_none_or(|k| seen.insert(k.clone())))
        .collect()
}

/// Every in-scope source row that feeds `table`, as the requested fields of that target.
fn collect(
    set: &MappingSet,
    input_dir: &Path,
    table: &str,
    fields: &[&str],
) -> anyhow::Result<Vec<Record>> {
    let mut out = Vec::new();
    for src in &set.sources {
        for target in src.targets.iter().filter(|t| t.table.name == table) {
            for rel in inputs::expand(set, src, input_dir)? {
                read_file(
                    set,
                    src,
                    target,
                    &inputs::spec(src, input_dir, &rel),
                    fields,
                    &mut out,
                )?;
            }
        }
    }
    Ok(out)
}

fn read_file(
    set: &MappingSet,
    src: &SourceMapping,
    target: &TargetMapping,
    spec: &source::SourceSpec,
    fields: &[&str],
    out: &mut Vec<Record>,
) -> anyhow::Result<()> {
    let mut reader = source::open(spec)?;
    let headers = reader.headers().to_vec();
    let text = |row: &Row, column: &str| -> Option<String> {
        let i = headers.iter().position(|h| h == column)?;
        cell_text(&row.cells[i]).ok().map(|s| s.trim().to_string())
    };
    let dates = reader.date_system();
    let mut row = Row::default();
    while reader.read_row(&mut row)? {
        let in_scope = src.scope.iter().all(|s| {
            s.condition
                .test
                .passes(&text(&row, &s.condition.column).unwrap_or_default())
        });
        let wanted = target
            .when
            .as_ref()
            .is_none_or(|w| w.test.passes(&text(&row, &w.column).unwrap_or_default()));
        if !(in_scope && wanted) {
            continue;
        }
        let record = fields
            .iter()
            .map(|name| {
                let field = target.fields.iter().find(|f| f.target.name == *name)?;
                let i = field
                    .column()
                    .and_then(|c| headers.iter().position(|h| h == c));
                let cell = i.map_or(source::Cell::Empty, |i| row.cells[i].clone());
                let walk = field.crosswalk.as_ref().and_then(|n| set.crosswalks.get(n));
                convert(field, &cell, dates, walk)
                    .ok()
                    .map(|v| v.as_text())
                    .filter(|s| !s.is_empty())
            })
            .collect();
        out.push(record);
    }
    Ok(())
}
