//! Whole-set checks that only `handover validate` makes, beyond what resolving a mapping set
//! finds: control totals with nowhere to read the expected figures from, and crosswalks that no
//! field uses (a warning: usually a typo in a field's `crosswalk`, or a leftover).
use std::collections::BTreeSet;

use super::locate::Texts;
use crate::mapping::{Diagnostic, Level, MappingSet};

/// The diagnostics of the whole-set checks. `complete` is false when some mapping file could not
/// be parsed: what it would have declared is unknown, so "never used" cannot be told.
pub fn check(set: &MappingSet, complete: bool) -> Vec<Diagnostic> {
    let mut texts = Texts::new(&set.dir);
    let mut out = Vec::new();
    if set.controls_file.is_none()
        && let Some(first) = set.controls.first()
    {
        out.push(
            texts.diag(
                (Level::Error, "control"),
                &first.origin,
                "[[control]]",
                "`[[control]]` totals need a `[controls]` table naming the file of expected counts"
                    .into(),
            ),
        );
    }
    if complete {
        unused_crosswalks(set, &mut texts, &mut out);
    }
    out
}

fn unused_crosswalks(set: &MappingSet, texts: &mut Texts, out: &mut Vec<Diagnostic>) {
    let used: BTreeSet<&str> = set
        .sources
        .iter()
        .flat_map(|s| &s.targets)
        .flat_map(|t| &t.fields)
        .filter_map(|f| f.crosswalk.as_deref())
        .collect();
    for x in set
        .crosswalks
        .values()
        .filter(|x| !used.contains(x.name.as_str()))
    {
        out.push(texts.diag(
            (Level::Warning, "unused-crosswalk"),
            &x.origin,
            &x.name,
            format!("crosswalk `{}` is declared but no field uses it", x.name),
        ));
    }
}
