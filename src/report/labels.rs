//! Words for the codes a report shows (issue #13): the SSDA903 placement types and legal statuses
//! and the CIN census categories of abuse that the breakdowns count by (as the DfE's 2016-17
//! guidance names them, shortened), the rules of the catalogue ([`crate::check::rules`]) and the
//! kinds of finding. Reports show a code with its label so that a reader needs no code list.

const PLACEMENT_TYPE: &[(&str, &str)] = &[
    (
        "A3",
        "placed for adoption with consent, with current foster carer",
    ),
    (
        "A4",
        "placed for adoption with consent, not with current foster carer",
    ),
    (
        "A5",
        "placed for adoption with placement order, with current foster carer",
    ),
    (
        "A6",
        "placed for adoption with placement order, not with current foster carer",
    ),
    ("H5", "semi-independent living accommodation"),
    ("K1", "secure children's home"),
    ("K2", "children's home"),
    (
        "P1",
        "placed with own parents or person with parental responsibility",
    ),
    ("P2", "independent living"),
    ("P3", "residential employment"),
    ("R1", "residential care home"),
    ("R2", "NHS or health trust establishment"),
    ("R3", "family centre or mother and baby unit"),
    ("R5", "young offender institution"),
    ("S1", "residential school"),
    ("T0", "temporary placement of another type"),
    ("T1", "temporary period in hospital"),
    ("T2", "temporary absence on holiday"),
    (
        "T3",
        "temporary accommodation while foster carer is on holiday",
    ),
    ("T4", "temporary accommodation of seven days or less"),
    ("U1", "foster placement with relative or friend, long term"),
    (
        "U2",
        "foster placement with relative or friend who is an approved adopter",
    ),
    (
        "U3",
        "foster placement with relative or friend, not long term",
    ),
    ("U4", "foster placement with other foster carer, long term"),
    (
        "U5",
        "foster placement with other foster carer who is an approved adopter",
    ),
    (
        "U6",
        "foster placement with other foster carer, not long term",
    ),
    ("Z1", "other placement"),
];

const LEGAL_STATUS: &[(&str, &str)] = &[
    ("C1", "interim care order"),
    ("C2", "full care order"),
    ("D1", "freeing order granted"),
    ("E1", "placement order granted"),
    ("V2", "accommodated under section 20 (single period)"),
    (
        "V3",
        "accommodated under agreed short-term breaks (episodes recorded)",
    ),
    (
        "V4",
        "accommodated under agreed short-term breaks (agreements recorded)",
    ),
    ("L1", "police protection, in local authority accommodation"),
    ("L2", "emergency protection order"),
    (
        "L3",
        "child assessment order, in local authority accommodation",
    ),
    (
        "J1",
        "remanded to local authority or youth detention accommodation",
    ),
    ("J2", "placed in local authority accommodation under PACE"),
    ("J3", "sentenced to a youth rehabilitation order"),
];

const CATEGORY_OF_ABUSE: &[(&str, &str)] = &[
    ("NEG", "neglect"),
    ("PHY", "physical abuse"),
    ("SAB", "sexual abuse"),
    ("EMO", "emotional abuse"),
    ("MUL", "multiple categories"),
];

/// The label of `code` in the company column `dimension` counts by, when it has one.
pub fn code(dimension: &str, code: &str) -> Option<&'static str> {
    let list = match dimension {
        "placement_type" => PLACEMENT_TYPE,
        "legal_status" => LEGAL_STATUS,
        "category_of_abuse" => CATEGORY_OF_ABUSE,
        _ => return None,
    };
    list.iter().find(|(c, _)| *c == code).map(|(_, l)| *l)
}

/// What a rule means, from the catalogue.
pub fn rule(code: &str) -> Option<&'static str> {
    crate::check::rules::rule_by_code(code).map(|r| r.title)
}

/// A kind of finding in words: `invalid_code` is `invalid code`.
pub fn kind(kind: &str) -> String {
    kind.replace('_', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every code of the company's coded lists that a breakdown counts by has a label.
    #[test]
    fn every_code_of_a_breakdown_list_has_a_label() {
        for list in ["placement_type", "legal_status", "category_of_abuse"] {
            let codes = crate::schema::codelists::code_list(list).expect("list");
            for c in codes.codes {
                assert!(code(list, c).is_some(), "{list} {c} has no label");
            }
        }
        assert_eq!(code("team_code", "T001"), None);
        assert!(rule("HO-ORP-003").is_some_and(|t| t.contains("worker")));
    }
}
