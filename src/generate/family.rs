//! The job families of hr/staff.csv with their grades, and which of them are registered social
//! workers (and so carry an HCPC number).

/// Job families of the contract (hr/staff.csv).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// Director of Children's Services.
    Director,
    /// Head of Service.
    HeadOfService,
    /// Service Manager.
    ServiceManager,
    /// Team Manager.
    TeamManager,
    /// Social Worker.
    SocialWorker,
    /// Senior Practitioner.
    SeniorPractitioner,
    /// Personal Adviser (care leavers).
    PersonalAdviser,
    /// Family Support Worker.
    SupportWorker,
    /// Early Years Practitioner.
    EarlyYears,
    /// Education Officer.
    Education,
    /// Youth Offending Officer.
    YouthOffending,
    /// Substance Misuse Worker.
    SubstanceMisuse,
    /// Business Support Officer.
    BusinessSupport,
}

impl Family {
    /// The Job Family text and the Grade.
    pub fn label_grade(self) -> (&'static str, &'static str) {
        match self {
            Family::Director => ("Director", "G15"),
            Family::HeadOfService => ("Head of Service", "G14"),
            Family::ServiceManager => ("Service Manager", "G13"),
            Family::TeamManager => ("Team Manager", "G12"),
            Family::SocialWorker => ("Social Worker", "G9"),
            Family::SeniorPractitioner => ("Senior Practitioner", "G10"),
            Family::PersonalAdviser => ("Personal Adviser", "G7"),
            Family::SupportWorker => ("Family Support Worker", "G6"),
            Family::EarlyYears => ("Early Years Practitioner", "G5"),
            Family::Education => ("Education Officer", "G8"),
            Family::YouthOffending => ("Youth Offending Officer", "G7"),
            Family::SubstanceMisuse => ("Substance Misuse Worker", "G6"),
            Family::BusinessSupport => ("Business Support Officer", "G4"),
        }
    }

    /// True for the registered social work families that carry an HCPC number.
    pub fn registered(self) -> bool {
        matches!(
            self,
            Family::SocialWorker | Family::SeniorPractitioner | Family::TeamManager
        )
    }
}
