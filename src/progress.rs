//! Progress on stderr, hidden when stderr is not a terminal or under `--quiet`, so that tests and
//! pipes never see spinner bytes. A CSV gets a bar in bytes (its length is known), a spreadsheet a
//! spinner that counts rows, each rate labelled with its unit (issue #13: not an unlabelled
//! `3,094,272.306/s`); [`spinner`] shows a phase (the checks, building the reports) with its
//! elapsed time. Every bar shares one [`MultiProgress`], so a phase spinner and the per-file bars
//! draw together without overwriting each other.
use std::io::IsTerminal;
use std::sync::OnceLock;
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressState, ProgressStyle};

fn visible(quiet: bool) -> bool {
    !quiet && std::io::stderr().is_terminal()
}

/// The one set of bars on stderr.
fn multi() -> &'static MultiProgress {
    static MULTI: OnceLock<MultiProgress> = OnceLock::new();
    MULTI.get_or_init(MultiProgress::new)
}

/// `1.2 MiB/s` or `4,096 rows/s`: a rate in words, with its unit.
pub fn rate(per_sec: f64, unit: &str) -> String {
    let per_sec = if per_sec.is_finite() {
        per_sec.max(0.0)
    } else {
        0.0
    };
    match unit {
        "bytes" => format!("{}/s", indicatif::BinaryBytes(per_sec as u64)),
        _ => format!("{} {unit}/s", indicatif::HumanCount(per_sec as u64)),
    }
}

/// A spreadsheet's progress: `opening the workbook` until the first row, then rows and their rate.
pub fn rows_text(rows: u64, per_sec: f64) -> String {
    match rows {
        0 => "opening the workbook".to_string(),
        n => format!(
            "{} rows, {}",
            indicatif::HumanCount(n),
            rate(per_sec, "rows")
        ),
    }
}

/// A bar in bytes (`len` known) or a spinner counting rows (`None`), for one source; hidden when
/// stderr is not a terminal or under `--quiet`.
pub fn bar(quiet: bool, label: &str, len: Option<u64>) -> ProgressBar {
    if !visible(quiet) {
        return ProgressBar::hidden();
    }
    let (bar, template) = match len {
        Some(n) => (
            ProgressBar::new(n),
            "{prefix:>32} [{bar:30}] {binary_bytes}/{binary_total_bytes}, {byte_rate}, {eta} left",
        ),
        None => (ProgressBar::new_spinner(), "{prefix:>32} {spinner} {rows}"),
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        let style = style
            .progress_chars("=> ")
            .with_key(
                "byte_rate",
                |s: &ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = w.write_str(&rate(s.per_sec(), "bytes"));
                },
            )
            .with_key("rows", |s: &ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = w.write_str(&rows_text(s.pos(), s.per_sec()));
            });
        bar.set_style(style);
    }
    bar.set_prefix(label.to_string());
    if len.is_none() {
        bar.enable_steady_tick(Duration::from_millis(120));
    }
    multi().add(bar)
}

/// A spinner for a phase with no count (the checks, building the reports), with its elapsed
/// time; hidden like [`bar`]. Change its words with `set_message`, end it with `finish_and_clear`.
pub fn spinner(quiet: bool, message: &str) -> ProgressBar {
    if !visible(quiet) {
        return ProgressBar::hidden();
    }
    let spinner = ProgressBar::new_spinner();
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
        spinner.set_style(style);
    }
    spinner.set_message(message.to_string());
    spinner.enable_steady_tick(Duration::from_millis(120));
    multi().add(spinner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_say_their_unit() {
        assert_eq!(rate(3_094_272.306, "bytes"), "2.95 MiB/s");
        assert_eq!(rate(41_230.7, "rows"), "41,230 rows/s");
        assert_eq!(rate(f64::NAN, "rows"), "0 rows/s");
        assert_eq!(rows_text(0, 0.0), "opening the workbook");
        assert_eq!(rows_text(2360, 1180.0), "2,360 rows, 1,180 rows/s");
    }

    #[test]
    fn nothing_is_drawn_under_quiet() {
        assert!(bar(true, "x", Some(10)).is_hidden());
        assert!(spinner(true, "checks").is_hidden());
    }
}
