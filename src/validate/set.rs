//! Whole-set checks that only `handover validate` makes, beyond what resolving a mapping set
//! finds: control totals with nowhere to read the expected figures from, crosswalks that no field
//! uses (a warning: usually a typo in a field's `crosswalk`, or a leftover), and conditions that
//! accept other spellings than the crosswalk on the same column (a warning).
use std::collections::BTreeSet;

use super::locate::Texts;
use crate::mapping::{
    ColumnTest, Condition, Crosswalk, Diagnostic, Level, MappingSet, Origin, Test,
};

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
    conditions_against_crosswalks(set, &mut texts, &mut out);
    out
}

/// A condition and a crosswalk that read the same column but accept different spellings: the
/// condition compares case-sensitively where the crosswalk ignores case, or names a value the
/// crosswalk does not know. Rows the crosswalk accepts would then silently miss the condition.
fn conditions_against_crosswalks(set: &MappingSet, texts: &mut Texts, out: &mut Vec<Diagnostic>) {
    for source in &set.sources {
        let mut conditions: Vec<(&Condition, &Origin)> = source
            .scope
            .iter()
            .map(|r| (&r.condition, &r.origin))
            .collect();
        conditions.extend(
            source
                .targets
                .iter()
                .filter_map(|t| t.when.as_ref().map(|w| (w, &t.origin))),
        );
        for (condition, origin) in conditions {
            for test in condition.tests() {
                let (Test::In(values) | Test::NotIn(values)) = &test.test else {
                    continue;
                };
                let walks = source
                    .targets
                    .iter()
                    .flat_map(|t| &t.fields)
                    .filter(|f| f.column() == Some(test.column.as_str()))
                    .filter_map(|f| f.crosswalk.as_ref().and_then(|n| set.crosswalks.get(n)));
                for walk in walks {
                    if let Some(message) = disagreement(test, values, walk) {
                        let at = texts.find(origin, &test.column);
                        out.push(texts.diag(
                            (Level::Warning, "condition"),
                            &at,
                            &test.column,
                            message,
                        ));
                    }
                }
            }
        }
    }
}

fn disagreement(test: &ColumnTest, values: &[String], walk: &Crosswalk) -> Option<String> {
    let column = &test.column;
    if walk.ignore_case && !test.ignore_case {
        return Some(format!(
            "the condition on `{column}` compares case-sensitively, but crosswalk `{}` on the same column ignores case: a row spelt otherwise passes the crosswalk and fails the condition; add `ignore_case = true`",
            walk.name
        ));
    }
    if !matches!(test.test, Test::In(_)) {
        return None;
    }
    let unknown: Vec<&str> = values
        .iter()
        .filter(|v| walk.lookup(v).is_none())
        .map(String::as_str)
        .collect();
    (!unknown.is_empty()).then(|| {
        format!(
            "the condition on `{column}` names {}, which crosswalk `{}` on the same column does not know",
            unknown.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", "),
            walk.name
        )
    })
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
