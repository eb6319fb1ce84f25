//! Progress bars on stderr, hidden when stderr is not a terminal or under `--quiet`, so that tests
//! and pipes never see spinner bytes.
use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

/// A bar (or spinner when `len` is unknown) for one source, or a hidden one.
pub fn bar(quiet: bool, label: &str, len: Option<u64>) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = match len {
        Some(n) => ProgressBar::new(n),
        None => ProgressBar::new_spinner(),
    };
    let template = match len {
        Some(_) => "{prefix:>24} [{bar:30}] {bytes}/{total_bytes} {per_sec}",
        None => "{prefix:>24} {spinner} {pos} rows {per_sec}",
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_prefix(label.to_string());
    bar
}
