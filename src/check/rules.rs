//! The catalogue of rules: every stable rule code a finding can carry, its kind, and what it
//! means. docs/rules.md explains each one and how to fix the data; a test keeps the two in step.
use super::Kind;

/// One rule of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Stable code.
    pub code: &'static str,
    /// Kind of finding it produces.
    pub kind: Kind,
    /// What it means, in one line.
    pub title: &'static str,
}

const fn rule(code: &'static str, kind: Kind, title: &'static str) -> Rule {
    Rule { code, kind, title }
}

/// Every rule, in code order.
pub const RULES: &[Rule] = &[
    rule(
        "HO-COD-001",
        Kind::InvalidCode,
        "a council code has no entry in the field's crosswalk",
    ),
    rule(
        "HO-COD-002",
        Kind::InvalidCode,
        "a value is not a code of the company's code list",
    ),
    rule(
        "HO-CTL-001",
        Kind::Control,
        "a control total differs from what transferred",
    ),
    rule(
        "HO-DUP-001",
        Kind::Duplicate,
        "two rows share a natural key",
    ),
    rule(
        "HO-MIS-001",
        Kind::MissingValue,
        "a required value is blank",
    ),
    rule(
        "HO-ORP-001",
        Kind::Orphan,
        "placement to child: the child does not transfer",
    ),
    rule(
        "HO-ORP-002",
        Kind::Orphan,
        "involvement to child: the child does not transfer",
    ),
    rule(
        "HO-ORP-003",
        Kind::Orphan,
        "allocated worker to staff: the worker does not transfer",
    ),
    rule(
        "HO-ORP-004",
        Kind::Orphan,
        "staff to line manager: the manager does not transfer",
    ),
    rule(
        "HO-ORP-005",
        Kind::Orphan,
        "staff to team: the team does not transfer",
    ),
    rule(
        "HO-ORP-006",
        Kind::Orphan,
        "care leaver to personal adviser: the adviser does not transfer",
    ),
    rule(
        "HO-ORP-007",
        Kind::Orphan,
        "placement to provider: the provider is not in the providers list",
    ),
    rule(
        "HO-ORP-008",
        Kind::Orphan,
        "child protection plan to involvement: the involvement does not transfer",
    ),
    rule(
        "HO-ORP-009",
        Kind::Orphan,
        "agency worker to team: the team does not transfer",
    ),
    rule(
        "HO-ORP-010",
        Kind::Orphan,
        "involvement to team: the team does not transfer",
    ),
    rule(
        "HO-ORP-011",
        Kind::Orphan,
        "child protection plan to child: the child does not transfer",
    ),
    rule(
        "HO-ORP-012",
        Kind::Orphan,
        "care leaver to child: the young person does not transfer",
    ),
    rule(
        "HO-ORP-013",
        Kind::Orphan,
        "care leaver to involvement: the involvement does not transfer",
    ),
    rule(
        "HO-ORP-014",
        Kind::Orphan,
        "pathway plan to care leaver: the care leaver does not transfer",
    ),
    rule(
        "HO-UNA-001",
        Kind::Unallocated,
        "an open case has no allocated worker",
    ),
    rule(
        "HO-VAL-001",
        Kind::InvalidValue,
        "a value does not parse as its type in the accepted formats",
    ),
    rule(
        "HO-VAL-002",
        Kind::InvalidValue,
        "a value breaks a rule of the company schema (such as FTE above 1)",
    ),
];

/// The rule with `code`.
pub fn rule_by_code(code: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_foreign_key_has_a_catalogued_orphan_rule() {
        for t in crate::schema::TABLES {
            for c in t.columns {
                if let Some(r) = c.references {
                    let rule =
                        rule_by_code(r.rule).unwrap_or_else(|| panic!("{} not catalogued", r.rule));
                    assert_eq!(rule.kind, Kind::Orphan);
                }
            }
        }
    }

    #[test]
    fn docs_catalogue_every_rule() {
        let docs =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules.md")).unwrap();
        for r in RULES {
            assert!(
                docs.contains(&format!("`{}`", r.code)),
                "docs/rules.md lacks {}",
                r.code
            );
        }
    }
}
