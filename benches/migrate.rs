//! Benchmark of `handover migrate` against a bare rusqlite loop, measured in the same run.
//!
//! Run: `cargo bench --bench migrate` (default `--scale 100`), or
//! `cargo bench --bench migrate -- --scale 10`.
//!
//! It generates a synthetic Sunderland extract at the given scale (not timed), then times
//! 1. handover: the whole pipeline (read, map, load, ledger, lineage, orphan, unallocated and
//!    control checks) into a database file, as `migrate --out` does, and
//! 2. the baseline: the same rows read through the same readers and inserted as raw text, one
//!    prepared statement per source in one transaction, with no mapping, checks or audit trail.
//!
//! It prints rows per second for both and their ratio. Figures go in the issue notes, never in
//! tests.
use std::path::Path;
use std::time::Instant;

use handover::mapping;
use handover::pipeline::{self, Mode, RunConfig};
use handover::source::{self, Row};

fn main() -> anyhow::Result<()> {
    let scale = scale_arg();
    let tmp = tempfile::tempdir()?;
    let input = tmp.path().join("extract");
    let started = Instant::now();
    handover::generate::generate(&handover::generate::Options {
        as_at: jiff::civil::date(2017, 3, 31),
        out: input.clone(),
        seed: 394,
        scale,
    })?;
    eprintln!(
        "generated --scale {scale} in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let mappings = Path::new(env!("CARGO_MANIFEST_DIR")).join("mappings/sunderland");
    let set = mapping::load(&mappings)?.set;

    let (rows, handover_secs) =
        run_handover(&set, &mappings, &input, &tmp.path().join("company.db"))?;
    let (base_rows, base_secs) = run_baseline(&set, &input, &tmp.path().join("baseline.db"))?;
    assert_eq!(rows, base_rows, "both sides must read the same rows");

    let rate = |secs: f64| rows as f64 / secs;
    println!("rows read:            {rows}");
    println!(
        "handover migrate:     {handover_secs:.2} s, {:.0} rows/s",
        rate(handover_secs)
    );
    println!(
        "bare rusqlite loop:   {base_secs:.2} s, {:.0} rows/s",
        rate(base_secs)
    );
    println!(
        "ratio (handover / baseline time): {:.2}",
        handover_secs / base_secs
    );
    Ok(())
}

fn scale_arg() -> u32 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == "--scale")
        .and_then(|i| args.get(i + 1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(100)
}

fn run_handover(
    set: &mapping::MappingSet,
    mappings: &Path,
    input: &Path,
    db: &Path,
) -> anyhow::Result<(u64, f64)> {
    let cfg = RunConfig {
        set,
        mappings_dir: mappings,
        input_dir: input,
        mode: Mode::Final,
        as_at: Some(jiff::civil::date(2017, 3, 31)),
        started_at: "2017-03-31T00:00:00Z".to_string(),
        quiet: true,
        allow_findings: false,
        force: false,
        as_at_origin: None,
    };
    let started = Instant::now();
    let mut conn = rusqlite::Connection::open(db)?;
    let summary = pipeline::run(&mut conn, &cfg)?;
    drop(conn);
    let secs = started.elapsed().as_secs_f64();
    Ok((summary.ledger.iter().map(|e| e.source_rows).sum(), secs))
}

fn run_baseline(set: &mapping::MappingSet, input: &Path, db: &Path) -> anyhow::Result<(u64, f64)> {
    let started = Instant::now();
    let mut conn = rusqlite::Connection::open(db)?;
    conn.execute_batch("PRAGMA synchronous = OFF; PRAGMA journal_mode = OFF;")?;
    let tx = conn.transaction()?;
    let mut rows = 0;
    for (n, src) in set.sources.iter().enumerate() {
        // The first sheet a source names: at the benchmark's scale, the only placements sheet.
        let spec = handover::load::inputs::spec(src, input, &src.pattern);
        let mut reader = source::open(&spec)?;
        let width = reader.headers().len();
        let cols: Vec<String> = (0..width).map(|i| format!("c{i} TEXT")).collect();
        tx.execute_batch(&format!("CREATE TABLE raw_{n} ({})", cols.join(", ")))?;
        let params: Vec<String> = (1..=width).map(|i| format!("?{i}")).collect();
        let mut stmt = tx.prepare(&format!(
            "INSERT INTO raw_{n} VALUES ({})",
            params.join(", ")
        ))?;
        let mut row = Row::default();
        while reader.read_row(&mut row)? {
            let texts = row
                .cells
                .iter()
                .map(|c| handover::load::convert::cell_text(c).unwrap_or_default());
            stmt.execute(rusqlite::params_from_iter(texts))?;
            rows += 1;
        }
    }
    tx.commit()?;
    drop(conn);
    Ok((rows, started.elapsed().as_secs_f64()))
}
