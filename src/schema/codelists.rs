//! The company's code lists. Every coded column of the company schema names one of these; the
//! schema turns each into a `CHECK` constraint, and `handover validate` checks crosswalks against
//! them. Lists marked complete must be reachable in full from a crosswalk (every code of the list
//! has at least one council code mapped onto it), because the company reports them to the DfE.
//! The SSDA903 lists are those valid for the 2016-17 return (../shared/docs/domain.md §1.2).

/// One code list of the company.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeList {
    /// The name mappings and crosswalks use.
    pub name: &'static str,
    /// What it codes.
    pub description: &'static str,
    /// Whether a crosswalk onto it must cover every code.
    pub complete: bool,
    /// The codes.
    pub codes: &'static [&'static str],
}

impl CodeList {
    /// True when `code` is in the list (exact match: the company's codes are canonical).
    pub fn contains(&self, code: &str) -> bool {
        self.codes.contains(&code)
    }
}

/// Every code list of the company, in a stable order.
pub const CODE_LISTS: &[CodeList] = &[
    CodeList {
        name: "sex",
        description: "Sex: M male, F female, U not known",
        complete: false,
        codes: &["M", "F", "U"],
    },
    CodeList {
        name: "staff_role",
        description: "Role of a member of staff",
        complete: false,
        codes: &[
            "social_worker",
            "senior_practitioner",
            "team_manager",
            "service_manager",
            "head_of_service",
            "director",
            "personal_adviser",
            "family_support_worker",
            "early_years_practitioner",
            "education_officer",
            "youth_offending_officer",
            "substance_misuse_worker",
            "business_support_officer",
        ],
    },
    CodeList {
        name: "contract_type",
        description: "Contract type (agency workers are not employees)",
        complete: false,
        codes: &["permanent", "fixed_term", "casual"],
    },
    CodeList {
        name: "pension_scheme",
        description: "Pension scheme: Local Government, Teachers', none",
        complete: false,
        codes: &["lgps", "tps", "none"],
    },
    CodeList {
        name: "involvement_type",
        description: "Kind of involvement with a child",
        complete: true,
        codes: &[
            "child_in_need",
            "child_protection",
            "looked_after",
            "care_leaver",
            "early_help",
        ],
    },
    CodeList {
        name: "case_status",
        description: "Whether an involvement is open",
        complete: false,
        codes: &["open", "closed"],
    },
    CodeList {
        name: "category_of_abuse",
        description: "CIN census category of abuse",
        complete: false,
        codes: &["NEG", "PHY", "SAB", "EMO", "MUL"],
    },
    CodeList {
        name: "placement_type",
        description: "SSDA903 placement type (PLACE), 2016-17 list",
        complete: true,
        codes: &[
            "A3", "A4", "A5", "A6", "H5", "K1", "K2", "P1", "P2", "P3", "R1", "R2", "R3", "R5",
            "S1", "T0", "T1", "T2", "T3", "T4", "U1", "U2", "U3", "U4", "U5", "U6", "Z1",
        ],
    },
    CodeList {
        name: "legal_status",
        description: "SSDA903 legal status (LS)",
        complete: true,
        codes: &[
            "C1", "C2", "D1", "E1", "V2", "V3", "V4", "L1", "L2", "L3", "J1", "J2", "J3",
        ],
    },
    CodeList {
        name: "provider_type",
        description: "SSDA903 placement provider (PLACE_PROVIDER)",
        complete: false,
        codes: &["PR0", "PR1", "PR2", "PR3", "PR4", "PR5"],
    },
    CodeList {
        name: "care_leaver_eligibility",
        description: "Care leaver eligibility category",
        complete: false,
        codes: &["eligible", "relevant", "former_relevant", "qualifying"],
    },
    CodeList {
        name: "ethnicity",
        description: "SSDA903 / CIN ethnicity",
        complete: false,
        codes: &[
            "WBRI", "WIRI", "WOTH", "WIRT", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND", "APKN",
            "ABAN", "AOTH", "BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT",
        ],
    },
];

/// The code list called `name`.
pub fn code_list(name: &str) -> Option<&'static CodeList> {
    CODE_LISTS.iter().find(|c| c.name == name)
}
