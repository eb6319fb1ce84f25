//! The company's tables as data: columns, types, code lists, natural keys and foreign keys. The
//! DDL ([`super::ddl`]), the orphan checks and `handover validate` are all derived from this one
//! description, so they cannot disagree.

/// A column's type in the company schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColType {
    /// Text.
    Text,
    /// Whole number.
    Integer,
    /// Decimal number (stored as REAL).
    Decimal,
    /// True or false (stored as INTEGER 0 or 1).
    Boolean,
    /// Calendar date, stored as ISO 8601 text `YYYY-MM-DD`.
    Date,
}

impl ColType {
    /// The name mapping files use for this type.
    pub fn name(self) -> &'static str {
        match self {
            ColType::Text => "text",
            ColType::Integer => "integer",
            ColType::Decimal => "decimal",
            ColType::Boolean => "boolean",
            ColType::Date => "date",
        }
    }

    /// The type named `name` in a mapping file.
    pub fn from_name(name: &str) -> Option<ColType> {
        [
            ColType::Text,
            ColType::Integer,
            ColType::Decimal,
            ColType::Boolean,
            ColType::Date,
        ]
        .into_iter()
        .find(|t| t.name() == name)
    }
}

/// A reference from a column to another table's key: a foreign key and its orphan rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reference {
    /// The referenced table.
    pub table: &'static str,
    /// The referenced column (the table's natural key).
    pub column: &'static str,
    /// The orphan rule's stable code.
    pub rule: &'static str,
    /// The relation in words, for messages (for example "placement to child").
    pub relation: &'static str,
}

/// One column of a company table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// Column name.
    pub name: &'static str,
    /// Type.
    pub ty: ColType,
    /// NOT NULL: a mapping must give it a value.
    pub required: bool,
    /// Code list whose codes the column may hold.
    pub codelist: Option<&'static str>,
    /// Foreign key, if the column refers to another table.
    pub references: Option<Reference>,
    /// Personal data (names, dates of birth, UPNs, postcodes): never printed in reports by default.
    pub personal: bool,
    /// What the column holds.
    pub doc: &'static str,
}

/// One company table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Table {
    /// Table name.
    pub name: &'static str,
    /// What a row is.
    pub doc: &'static str,
    /// Natural key (the primary key).
    pub key: &'static [&'static str],
    /// Columns, key first.
    pub columns: &'static [Column],
}

impl Table {
    /// The column called `name`.
    pub fn column(&self, name: &str) -> Option<&'static Column> {
        self.columns.iter().find(|c| c.name == name)
    }
}

const fn col(name: &'static str, ty: ColType, doc: &'static str) -> Column {
    Column {
        name,
        ty,
        required: false,
        codelist: None,
        references: None,
        personal: false,
        doc,
    }
}

const fn req(name: &'static str, ty: ColType, doc: &'static str) -> Column {
    Column {
        required: true,
        ..col(name, ty, doc)
    }
}

const fn coded(
    name: &'static str,
    list: &'static str,
    required: bool,
    doc: &'static str,
) -> Column {
    Column {
        codelist: Some(list),
        required,
        ..col(name, ColType::Text, doc)
    }
}

const fn personal(name: &'static str, ty: ColType, required: bool, doc: &'static str) -> Column {
    Column {
        personal: true,
        required,
        ..col(name, ty, doc)
    }
}

const fn fk(
    name: &'static str,
    required: bool,
    to: (&'static str, &'static str),
    rule: &'static str,
    relation: &'static str,
    doc: &'static str,
) -> Column {
    let references = Some(Reference {
        table: to.0,
        column: to.1,
        rule,
        relation,
    });
    Column {
        references,
        required,
        ..col(name, ColType::Text, doc)
    }
}

use ColType::{Date, Decimal, Text};

/// Every company table, in load order (referenced tables first).
pub const TABLES: &[Table] = &[
    Table {
        name: "teams",
        doc: "A team of the company.",
        key: &["team_code"],
        columns: &[
            req(
                "team_code",
                Text,
                "Team code, as the council's HR system gives it",
            ),
            req("name", Text, "Team name"),
            req("directorate", Text, "Directorate the team sits in"),
            col("service_area", Text, "Service area"),
            col("cost_centre", Text, "Cost centre"),
        ],
    },
    Table {
        name: "staff",
        doc: "A member of staff who transfers to the company (one row per person, not per post).",
        key: &["employee_number"],
        columns: &[
            req(
                "employee_number",
                Text,
                "Employee number, kept from the council",
            ),
            col(
                "post_number",
                Text,
                "Post (assignment) number of the main post",
            ),
            personal("surname", Text, true, "Surname"),
            personal("forenames", Text, true, "Forenames"),
            personal("date_of_birth", Date, true, "Date of birth"),
            coded("sex", "sex", false, "Sex"),
            req("job_title", Text, "Job title"),
            coded("role", "staff_role", true, "Role (job family)"),
            col("grade", Text, "Grade"),
            req(
                "fte",
                Decimal,
                "Full-time equivalent, above 0 and at most 1",
            ),
            col("weekly_hours", Decimal, "Contracted weekly hours"),
            coded("contract_type", "contract_type", true, "Contract type"),
            col("cost_centre", Text, "Cost centre"),
            req("directorate", Text, "Directorate"),
            fk(
                "team_code",
                true,
                ("teams", "team_code"),
                "HO-ORP-005",
                "staff to team",
                "Team",
            ),
            fk(
                "line_manager",
                false,
                ("staff", "employee_number"),
                "HO-ORP-004",
                "staff to line manager",
                "Line manager's employee number",
            ),
            req("start_date", Date, "Start date in post"),
            col(
                "continuous_service_date",
                Date,
                "Continuous service date (TUPE)",
            ),
            coded("pension_scheme", "pension_scheme", false, "Pension scheme"),
            col(
                "registration_number",
                Text,
                "HCPC / Social Work England registration number",
            ),
        ],
    },
    Table {
        name: "agency_workers",
        doc: "An agency worker engaged by the council (not an employee: does not transfer under TUPE).",
        key: &["agency_ref"],
        columns: &[
            req("agency_ref", Text, "Agency reference"),
            personal("surname", Text, false, "Surname"),
            personal("forenames", Text, false, "Forenames"),
            col("agency", Text, "Agency"),
            col("job_title", Text, "Job title"),
            fk(
                "team_code",
                false,
                ("teams", "team_code"),
                "HO-ORP-009",
                "agency worker to team",
                "Team",
            ),
            req("start_date", Date, "Start of the engagement"),
            col(
                "end_date",
                Date,
                "End of the engagement; empty while engaged",
            ),
            col("registration_number", Text, "HCPC registration number"),
        ],
    },
    Table {
        name: "children",
        doc: "A child or young person known to children's services.",
        key: &["child_id"],
        columns: &[
            req("child_id", Text, "Child id in the case-management system"),
            personal("upn", Text, false, "Unique pupil number"),
            personal("surname", Text, false, "Surname"),
            personal("forenames", Text, false, "Forenames"),
            personal("date_of_birth", Date, true, "Date of birth"),
            coded("sex", "sex", true, "Sex"),
            coded("ethnicity", "ethnicity", false, "Ethnicity"),
        ],
    },
    Table {
        name: "involvements",
        doc: "A case: the service's involvement with a child, with its allocated worker.",
        key: &["involvement_id"],
        columns: &[
            req("involvement_id", Text, "Involvement id"),
            fk(
                "child_id",
                true,
                ("children", "child_id"),
                "HO-ORP-002",
                "involvement to child",
                "The child",
            ),
            coded(
                "involvement_type",
                "involvement_type",
                true,
                "Kind of involvement",
            ),
            coded("status", "case_status", true, "Open or closed"),
            req("start_date", Date, "Start date"),
            col("end_date", Date, "End date; empty while open"),
            fk(
                "allocated_worker",
                false,
                ("staff", "employee_number"),
                "HO-ORP-003",
                "allocated worker to staff who transfer",
                "Allocated worker's employee number; empty means unallocated",
            ),
            fk(
                "team_code",
                false,
                ("teams", "team_code"),
                "HO-ORP-010",
                "involvement to team",
                "Allocated team",
            ),
        ],
    },
    Table {
        name: "cp_plans",
        doc: "A child protection plan.",
        key: &["involvement_id"],
        columns: &[
            fk(
                "involvement_id",
                true,
                ("involvements", "involvement_id"),
                "HO-ORP-008",
                "child protection plan to involvement",
                "The child protection involvement",
            ),
            fk(
                "child_id",
                true,
                ("children", "child_id"),
                "HO-ORP-011",
                "child protection plan to child",
                "The child",
            ),
            req("start_date", Date, "Plan start date"),
            coded(
                "category_of_abuse",
                "category_of_abuse",
                true,
                "Latest category of abuse",
            ),
            col("last_visit_date", Date, "Date of the last statutory visit"),
        ],
    },
    Table {
        name: "providers",
        doc: "A placement provider.",
        key: &["provider_id"],
        columns: &[
            req("provider_id", Text, "Provider id"),
            req("name", Text, "Provider name"),
            col("urn", Text, "Ofsted unique reference number"),
            coded(
                "provider_type",
                "provider_type",
                true,
                "SSDA903 placement provider code",
            ),
            col("postcode", Text, "Provider postcode"),
        ],
    },
    Table {
        name: "placements",
        doc: "A placement of a looked-after child, current or past.",
        key: &["placement_id"],
        columns: &[
            req("placement_id", Text, "Placement id"),
            fk(
                "child_id",
                true,
                ("children", "child_id"),
                "HO-ORP-001",
                "placement to child",
                "The child",
            ),
            coded(
                "placement_type",
                "placement_type",
                true,
                "SSDA903 placement type",
            ),
            coded("legal_status", "legal_status", true, "SSDA903 legal status"),
            fk(
                "provider_id",
                false,
                ("providers", "provider_id"),
                "HO-ORP-007",
                "placement to provider",
                "Provider",
            ),
            req("start_date", Date, "Start date"),
            col(
                "end_date",
                Date,
                "End date; empty for the current placement",
            ),
            personal("postcode", Text, false, "Placement postcode"),
        ],
    },
    Table {
        name: "care_leavers",
        doc: "A care leaver and their personal adviser.",
        key: &["child_id"],
        columns: &[
            fk(
                "child_id",
                true,
                ("children", "child_id"),
                "HO-ORP-012",
                "care leaver to child",
                "The young person",
            ),
            fk(
                "involvement_id",
                false,
                ("involvements", "involvement_id"),
                "HO-ORP-013",
                "care leaver to involvement",
                "The care-leaver involvement",
            ),
            coded(
                "eligibility",
                "care_leaver_eligibility",
                true,
                "Eligibility category",
            ),
            fk(
                "personal_adviser",
                false,
                ("staff", "employee_number"),
                "HO-ORP-006",
                "care leaver to personal adviser",
                "Personal adviser's employee number",
            ),
        ],
    },
    Table {
        name: "pathway_plans",
        doc: "A care leaver's latest pathway plan.",
        key: &["child_id"],
        columns: &[
            fk(
                "child_id",
                true,
                ("care_leavers", "child_id"),
                "HO-ORP-014",
                "pathway plan to care leaver",
                "The care leaver",
            ),
            req(
                "plan_date",
                Date,
                "Date of the latest pathway plan or review",
            ),
        ],
    },
];

/// The table called `name`.
pub fn table(name: &str) -> Option<&'static Table> {
    TABLES.iter().find(|t| t.name == name)
}
