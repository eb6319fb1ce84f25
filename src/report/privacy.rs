//! Keeping reports safe to share: personal values (names, dates of birth, UPNs, postcodes) are
//! redacted from findings unless asked for, and spreadsheet cells that a spreadsheet would run as
//! a formula are neutralised.
use std::borrow::Cow;

use crate::check::Finding;
use crate::mapping::MappingSet;

/// What a redacted value reads as.
pub const REDACTED: &str = "[personal data]";

/// Whether the finding's value may be personal data. With the mapping set, a value is personal
/// when its source column feeds a `personal` company column; without it, every value that is not
/// a key reference (orphans, duplicates, unallocated cases hold ids) counts as personal.
pub fn is_personal(f: &Finding, set: Option<&MappingSet>) -> bool {
    let Some(column) = f.column.as_deref() else {
        return false;
    };
    let Some(set) = set else {
        use crate::check::Kind::*;
        return !matches!(f.kind, Orphan | Duplicate | Unallocated | Control);
    };
    let sources = set.sources.iter().filter(|s| {
        f.mapping_file.as_deref().is_none_or(|m| m == s.origin.file) || f.entity == s.entity
    });
    let mut known = false;
    for source in sources {
        for field in source.targets.iter().flat_map(|t| &t.fields) {
            if field.column() == Some(column) {
                known = true;
                if field.target.personal {
                    return true;
                }
            }
        }
    }
    // A column no mapping accounts for: be conservative.
    !known
}

/// Redacts the value of every finding that may hold personal data, in its message too.
pub fn redact(findings: &mut [Finding], set: Option<&MappingSet>) {
    for f in findings.iter_mut() {
        if !is_personal(f, set) {
            continue;
        }
        if let Some(value) = f.value.take() {
            if !value.is_empty() {
                f.message = f.message.replace(&value, REDACTED);
            }
            f.value = Some(REDACTED.to_string());
        }
    }
}

/// A cell value a spreadsheet will show as text: one that starts with `=`, `+`, `-`, `@`, a tab
/// or a carriage return gets a leading single quote.
pub fn cell(value: &str) -> Cow<'_, str> {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{value}"))
    } else {
        Cow::Borrowed(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(cell("-1"), "'-1");
        assert_eq!(cell("\tx"), "'\tx");
        assert_eq!(cell("HO-ORP-001"), "HO-ORP-001");
    }
}
