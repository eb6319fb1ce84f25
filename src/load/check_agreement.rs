//! The converter and the schema's `CHECK` constraints agree: every value the converter accepts
//! for a field passes its column's `CHECK`. The loader relies on it to load with `CHECK`s not
//! tested again ([`super::load_all`]). Each field of every shipped mapping set is given edge
//! values (codes in and out of force, impossible dates, numbers at and beyond bounds, lengths in
//! characters), and each value converted is tested by SQLite against the column's conditions.
use std::path::Path;

use rusqlite::Connection;

use super::convert::{Value, convert};
use crate::mapping::{FieldMapping, LoadOptions, MappingSet};
use crate::source::{Cell, DateSystem};

/// Values to try for `field`: its codes (in force or not, in other case), dates real and not,
/// numbers about its bounds, text about its lengths.
fn candidates(set: &MappingSet, field: &FieldMapping) -> Vec<String> {
    let mut out: Vec<String> = [
        "",
        "0",
        "1",
        "-1",
        "0.5",
        "1.5",
        "2",
        "40",
        "41",
        "1e300",
        "NaN",
        "inf",
        "Y",
        "N",
        "x",
        "2016-02-29",
        "2017-02-29",
        "2017-04-31",
        "2017-13-01",
        "0999-12-31",
        "1000-01-01",
        "9999-12-31",
        "31/03/2017",
        "29/02/2017",
        "03/31/2017",
        "42825",
        "2958466",
        "-5",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let schema = &set.schema;
    if let Some(list) = field
        .target
        .codelist
        .as_deref()
        .and_then(|l| schema.code_list(l))
    {
        for code in &list.codes {
            out.push(code.code.clone());
            out.push(code.code.to_lowercase());
        }
    }
    let k = &field.target.constraints;
    for bound in [k.min, k.max, k.greater_than, k.less_than]
        .into_iter()
        .flatten()
    {
        for v in [
            bound - 1.0,
            bound - 0.001,
            bound,
            bound + 0.001,
            bound + 1.0,
        ] {
            out.push(v.to_string());
        }
    }
    for n in [k.min_length, k.max_length].into_iter().flatten() {
        for len in [n.saturating_sub(1), n, n + 1] {
            out.push("a".repeat(len as usize));
            out.push("é".repeat(len as usize));
        }
    }
    for d in [k.not_before, k.not_after].into_iter().flatten() {
        for day in [d.yesterday(), Ok(d), d.tomorrow()].into_iter().flatten() {
            out.push(day.to_string());
        }
    }
    out
}

/// Whether `value` passes the column's `CHECK` (a `CHECK` fails only when it is false).
fn passes(conn: &Connection, set: &MappingSet, field: &FieldMapping, value: &Value) -> bool {
    let checks = set.schema.column_checks(&field.target);
    if checks.is_empty() {
        return true;
    }
    let sql = format!(
        "SELECT ({}) IS NOT 0 FROM (SELECT ?1 AS {})",
        checks.join(" AND "),
        field.target.name
    );
    conn.query_row(&sql, [value], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// Converts every candidate for every field of the set in `dir`, with the code lists in force on
/// `as_at`; returns (accepted, refused).
fn agree(dir: &str, as_at: Option<jiff::civil::Date>) -> (usize, usize) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let opts = LoadOptions {
        as_at,
        ..LoadOptions::default()
    };
    let set = crate::mapping::load_with(&dir, &opts)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .set;
    let conn = Connection::open_in_memory().unwrap();
    let (mut accepted, mut refused) = (0, 0);
    for source in &set.sources {
        for field in source.targets.iter().flat_map(|t| &t.fields) {
            let crosswalk = field.crosswalk.as_ref().and_then(|x| set.crosswalks.get(x));
            for text in candidates(&set, field) {
                let cell = Cell::Text(text.clone());
                let Ok(value) = convert(field, &cell, DateSystem::default(), crosswalk) else {
                    refused += 1;
                    continue;
                };
                assert!(
                    passes(&conn, &set, field, &value),
                    "{}: `{text}` converts to {value:?} for `{}.{}`, which its CHECK refuses",
                    dir.display(),
                    field.target.name,
                    source.entity
                );
                accepted += 1;
            }
        }
    }
    (accepted, refused)
}

#[test]
fn every_value_the_converter_accepts_passes_its_columns_check() {
    for dir in [
        "mappings/sunderland",
        "mappings/ssda903",
        "mappings/ssda903-xml",
        "fixtures/second_company/mappings",
        "fixtures/another_council/mappings",
    ] {
        // Every code, and the codes in force on a date: in 2017 the placement types that begin in
        // 2024 and 2025 are not yet in force, and by 2026 three have ended.
        for as_at in [
            None,
            Some(jiff::civil::date(2017, 3, 31)),
            Some(jiff::civil::date(2026, 3, 31)),
        ] {
            let (accepted, refused) = agree(dir, as_at);
            // The candidates reach both sides of the constraints.
            assert!(
                accepted > 100 && refused > 100,
                "{dir}: {accepted} accepted, {refused} refused"
            );
        }
    }
}

#[test]
fn a_value_beyond_a_columns_check_is_refused_by_the_converter() {
    // The test above fails when the two disagree: a code out of force, an impossible date and
    // a number beyond its bound each pass SQLite's typing but not the column's CHECK.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/second_company/mappings");
    let set = crate::mapping::load_with(&dir, &LoadOptions::default())
        .unwrap()
        .set;
    let conn = Connection::open_in_memory().unwrap();
    let field = set
        .sources
        .iter()
        .flat_map(|s| s.targets.iter().flat_map(|t| &t.fields))
        .find(|f| f.target.name == "fte")
        .expect("the second company maps fte");
    assert!(!passes(&conn, &set, field, &Value::Real(1.5)));
    assert!(!passes(&conn, &set, field, &Value::Real(0.0)));
    assert!(passes(&conn, &set, field, &Value::Real(1.0)));
    for text in ["1.5", "0"] {
        assert!(convert(field, &Cell::Text(text.into()), DateSystem::default(), None).is_err());
    }
}
