//! The output formats of `handover validate`, one file each: [`human`] compiler-style messages
//! with the source line and a caret, [`json`] for tools (schema in docs/ci.md), [`github`]
//! workflow commands that annotate pull requests, [`junit`] XML for CI test reports.

pub mod github;
pub mod human;
pub mod json;
pub mod junit;

use crate::mapping::Level;

/// The word for a level, as every format spells it.
pub fn level_word(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
    }
}
