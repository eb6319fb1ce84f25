//! Benchmark of `handover migrate` against a bare rusqlite loop, measured in the same run, and the
//! peak memory of `handover migrate` (dry and `--out`) as a child process.
//!
//! Run: `cargo bench --bench migrate` (default `--scale 100`, 3 rounds), or
//! `cargo bench --bench migrate -- --scale 10,100,1000 --rounds 5` (several scales, one after the
//! other; the median of interleaved rounds of handover and the baseline at each, with the load
//! average before and after).
//!
//! At each scale it generates a synthetic Sunderland extract (not timed), then times
//! 1. handover: the release binary's `handover migrate --out` into a database file, as a user runs
//!    it: the mapping set read, the whole pipeline (read, map, load, ledger, lineage, orphan,
//!    unallocated and control checks), the reconciliation and its figures and the summary, with
//!    its CPU time taken from the kernel's count for waited-for children, and
//! 2. the baseline: the same rows read through the same readers (every file and every sheet the
//!    mapping set reads) and inserted as raw text, one prepared statement per source in one
//!    transaction, with no mapping, checks or audit trail.
//!
//! Both must read every data row the generator wrote (its summary, less the control totals):
//! the benchmark stops if either reads fewer or more. It prints rows per second for both and
//! their ratio, then runs the release binary `handover migrate --dry-run` and `--out` on the same
//! extract and prints each one's peak resident memory (`/usr/bin/time -f %M`, or the child's
//! `VmHWM` in /proc when that is missing). Figures go in the issue notes, never in tests.
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use handover::mapping;
use handover::source::{self, Row};

fn main() -> anyhow::Result<()> {
    for scale in scales_arg() {
        bench(scale)?;
    }
    Ok(())
}

fn bench(scale: u32) -> anyhow::Result<()> {
    let tmp = tempfile::tempdir()?;
    let input = tmp.path().join("extract");
    let started = Instant::now();
    let summary = handover::generate::generate(&handover::generate::Options {
        as_at: jiff::civil::date(2017, 3, 31),
        out: input.clone(),
        seed: 394,
        scale,
    })?;
    // The control totals are checked against the load, not loaded.
    let extract_rows: u64 = summary
        .files
        .iter()
        .filter(|(f, _)| f != "controls.csv")
        .map(|(_, n)| n)
        .sum();
    eprintln!(
        "generated --scale {scale} ({extract_rows} rows) in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let mappings = Path::new(env!("CARGO_MANIFEST_DIR")).join("mappings/sunderland");
    let set = mapping::load(&mappings)?.set;

    let rounds = rounds_arg();
    let load_before = loadavg();
    let (mut handover, mut baseline) = (Vec::new(), Vec::new());
    let (mut handover_cpu, mut baseline_cpu) = (Vec::new(), Vec::new());
    let (mut rows, mut base_rows) = (0, 0);
    // Interleaved rounds, so that a change in the machine's load falls on both alike.
    for round in 0..rounds {
        let db = tmp.path().join(format!("company-{round}.db"));
        let cpu = cpu_secs();
        let (r, secs) = run_handover(&mappings, &input, &db)?;
        handover_cpu.push(cpu_secs() - cpu);
        std::fs::remove_file(&db)?;
        handover.push(secs);
        let db = tmp.path().join(format!("baseline-{round}.db"));
        let cpu = cpu_secs();
        let (b, base_secs) = run_baseline(&set, &input, &db)?;
        baseline_cpu.push(cpu_secs() - cpu);
        std::fs::remove_file(&db)?;
        baseline.push(base_secs);
        (rows, base_rows) = (r, b);
    }
    let (handover_secs, base_secs) = (median(&mut handover), median(&mut baseline));
    let (handover_cpu, base_cpu) = (median(&mut handover_cpu), median(&mut baseline_cpu));
    assert_eq!(
        rows, extract_rows,
        "handover must read every row of the extract"
    );
    assert_eq!(base_rows, extract_rows, "the baseline must read every row");

    let rate = |secs: f64| rows as f64 / secs;
    println!("--scale {scale}, median of {rounds} interleaved rounds");
    println!(
        "load average (1 min): {load_before} before, {} after",
        loadavg()
    );
    println!("rows read:            {rows} (the extract's {extract_rows})");
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
    println!(
        "CPU time (all threads): handover {handover_cpu:.2} s, baseline {base_cpu:.2} s, ratio {:.2}",
        handover_cpu / base_cpu
    );
    for (label, args) in [
        ("--dry-run", vec!["--dry-run".to_string()]),
        (
            "--out",
            vec![
                "--out".to_string(),
                tmp.path().join("child.db").to_string_lossy().into_owned(),
            ],
        ),
    ] {
        let (kib, secs) = peak_rss(&mappings, &input, &args)?;
        println!(
            "peak RSS, migrate {label}: {:.0} MiB ({secs:.1} s)",
            kib as f64 / 1024.0
        );
    }
    Ok(())
}

/// `--rounds N`: interleaved rounds of handover and the baseline; 3 when not given.
fn rounds_arg() -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == "--rounds")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(3)
}

/// The median of `times` (the upper middle one of an even count).
fn median(times: &mut [f64]) -> f64 {
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

/// CPU time (user and system, every thread) this process and its waited-for children have used,
/// from /proc/self/stat, in seconds (0 where there is none). Its resolution is the kernel's clock
/// tick (usually 10 ms).
fn cpu_secs() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime, stime, cutime and cstime are fields 14 to 17 of the line, 12 to 15 after the name
    // and state.
    (ticks(11) + ticks(12) + ticks(13) + ticks(14)) / 100.0
}

/// The 1-minute load average, as /proc/loadavg gives it (`?` where there is none).
fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "?".to_string())
}

/// `--scale N` or `--scale N,M,...`; 100 when not given.
fn scales_arg() -> Vec<u32> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == "--scale")
        .and_then(|i| args.get(i + 1))
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![100])
}

fn run_handover(mappings: &Path, input: &Path, db: &Path) -> anyhow::Result<(u64, f64)> {
    let started = Instant::now();
    let status = Command::new(env!("CARGO_BIN_EXE_handover"))
        .args(["migrate", "--quiet", "--as-at", "2017-03-31", "--mappings"])
        .arg(mappings)
        .arg("--input")
        .arg(input)
        .arg("--out")
        .arg(db)
        .stdout(std::process::Stdio::null())
        .status()?;
    let secs = started.elapsed().as_secs_f64();
    anyhow::ensure!(status.success(), "handover migrate failed: {status}");
    // The rows read, as the run recorded them.
    let conn = rusqlite::Connection::open(db)?;
    let rows: i64 = conn.query_row("SELECT sum(rows_read) FROM handover_source", [], |r| {
        r.get(0)
    })?;
    Ok((rows as u64, secs))
}

fn run_baseline(set: &mapping::MappingSet, input: &Path, db: &Path) -> anyhow::Result<(u64, f64)> {
    use handover::load::inputs;
    let started = Instant::now();
    let mut conn = rusqlite::Connection::open(db)?;
    conn.execute_batch("PRAGMA synchronous = OFF; PRAGMA journal_mode = OFF;")?;
    let tx = conn.transaction()?;
    let mut rows = 0;
    let mut sheets = std::collections::BTreeMap::new();
    let mut n = 0;
    for src in &set.sources {
        // Every file and every sheet the source reads, as handover reads them.
        for rel in inputs::expand(set, src, input)? {
            for spec in inputs::specs(src, input, &rel, &mut sheets)? {
                n += 1;
                rows += load_raw(&tx, n, &spec)?;
            }
        }
    }
    tx.commit()?;
    drop(conn);
    Ok((rows, started.elapsed().as_secs_f64()))
}

/// Reads one file (or sheet) and inserts its cells as text into a fresh table `raw_{n}`.
fn load_raw(
    tx: &rusqlite::Transaction,
    n: usize,
    spec: &source::SourceSpec,
) -> anyhow::Result<u64> {
    let mut reader = source::open(spec)?;
    let width = reader.headers().len();
    let cols: Vec<String> = (0..width).map(|i| format!("c{i} TEXT")).collect();
    tx.execute_batch(&format!("CREATE TABLE raw_{n} ({})", cols.join(", ")))?;
    let params: Vec<String> = (1..=width).map(|i| format!("?{i}")).collect();
    let mut stmt = tx.prepare(&format!(
        "INSERT INTO raw_{n} VALUES ({})",
        params.join(", ")
    ))?;
    let mut row = Row::default();
    let mut rows = 0;
    while reader.read_row(&mut row)? {
        let texts = row
            .cells
            .iter()
            .map(|c| handover::load::convert::cell_text(c).unwrap_or_default());
        stmt.execute(rusqlite::params_from_iter(texts))?;
        rows += 1;
    }
    Ok(rows)
}

/// Runs the release binary's `migrate` with `args`; returns its peak resident memory in KiB and
/// its wall time.
fn peak_rss(mappings: &Path, input: &Path, args: &[String]) -> anyhow::Result<(u64, f64)> {
    let bin = env!("CARGO_BIN_EXE_handover");
    let mut migrate: Vec<String> = ["migrate", "--quiet", "--mappings"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    migrate.push(mappings.to_string_lossy().into_owned());
    migrate.push("--input".to_string());
    migrate.push(input.to_string_lossy().into_owned());
    migrate.extend(args.iter().cloned());
    let started = Instant::now();
    let time = Path::new("/usr/bin/time");
    let kib = if time.exists() {
        let out = tempfile::NamedTempFile::new()?;
        let status = Command::new(time)
            .args(["-f", "%M", "-o"])
            .arg(out.path())
            .arg(bin)
            .args(&migrate)
            .stdout(std::process::Stdio::null())
            .status()?;
        anyhow::ensure!(status.success(), "handover {migrate:?} failed: {status}");
        std::fs::read_to_string(out.path())?
            .lines()
            .last()
            .and_then(|l| l.trim().parse().ok())
            .ok_or_else(|| anyhow::anyhow!("/usr/bin/time printed no peak"))?
    } else {
        let mut child = Command::new(bin)
            .args(&migrate)
            .stdout(std::process::Stdio::null())
            .spawn()?;
        let status_file = format!("/proc/{}/status", child.id());
        let mut peak = 0;
        loop {
            if let Some(hwm) = vm_hwm(&status_file) {
                peak = peak.max(hwm);
            }
            if let Some(status) = child.try_wait()? {
                anyhow::ensure!(status.success(), "handover {migrate:?} failed: {status}");
                break peak;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    };
    Ok((kib, started.elapsed().as_secs_f64()))
}

/// `VmHWM` (peak resident set, KiB) from a /proc status file.
fn vm_hwm(status_file: &str) -> Option<u64> {
    let status = std::fs::read_to_string(status_file).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
