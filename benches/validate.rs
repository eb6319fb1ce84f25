//! In-process benchmark of `handover validate --mappings mappings/sunderland` (issue #4): the
//! median time of the validation itself, without process start-up. Run with
//! `cargo bench --bench validate` (benches/validate.sh also times whole runs of the binary).
use std::path::Path;
use std::time::{Duration, Instant};

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("mappings/sunderland");
    let runs = 200;
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            let report = handover::validate::validate(&dir, None).expect("the mapping folder");
            let took = start.elapsed();
            assert!(!report.fails(true), "mappings/sunderland validates clean");
            took
        })
        .collect();
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "validate mappings/sunderland in-process: median {:.3} ms, min {:.3} ms, max {:.3} ms over {runs} runs",
        ms(times[runs / 2]),
        ms(times[0]),
        ms(times[runs - 1])
    );
}
