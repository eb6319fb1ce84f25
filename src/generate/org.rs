//! The council's organisation: 53 teams and 950 posts per block of the population, laid out by
//! index so that any post's role, team and line manager is a pure function of its index (#2). At
//! `--scale K` the block is repeated K times with fresh ids; block 0 holds the Director.

pub use super::family::Family;

/// Teams per block: 45 transferring then 8 staying with the council.
pub const TEAMS: u32 = 53;
/// Transferring teams per block (the first 45).
pub const TRANSFERRING_TEAMS: u32 = 45;
/// Staff rows (posts) per block: 828 in scope then 122 out of scope.
pub const STAFF: u32 = 950;
/// In-scope staff per block.
pub const IN_SCOPE: u32 = 828;
/// First case-holding Social Worker / Senior Practitioner and how many there are.
pub const CASE_HOLDERS: (u32, u32) = (61, 110);
/// First Personal Adviser and how many.
pub const ADVISERS: (u32, u32) = (171, 15);
/// First Family Support Worker and how many.
pub const SUPPORT_WORKERS: (u32, u32) = (186, 60);
/// First adults' Social Worker (stays with the council) and how many.
pub const ADULT_WORKERS: (u32, u32) = (838, 45);
/// First leaver (Transfer Flag `N`, "Leaver before transfer"); the first ten are Social Workers.
pub const FIRST_LEAVER: u32 = 910;

/// A team's fixed description.
#[derive(Debug, Clone, Copy)]
pub struct Team {
    /// Team name (block suffix added by the writer).
    pub name: &'static str,
    /// Directorate.
    pub directorate: &'static str,
    /// Service area.
    pub service_area: &'static str,
    /// Number within its group, for names like "Assessment Team 3".
    pub number: u32,
}

const CSC: &str = "Children's Social Care";

/// The team with local index `t` (0..53).
pub fn team(t: u32) -> Team {
    let (name, directorate, service_area, first) = match t {
        0..=4 => ("Assessment Team", CSC, "Assessment and Safeguarding", 0),
        5..=9 => (
            "Child Protection and Court Team",
            CSC,
            "Child Protection",
            5,
        ),
        10..=13 => (
            "Looked After Children Team",
            CSC,
            "Looked After Children",
            10,
        ),
        14..=15 => ("Leaving Care Team", CSC, "Leaving Care", 14),
        16 => ("Fostering Service", CSC, "Placements", 16),
        17 => ("Adoption Service", CSC, "Placements", 17),
        18 => ("Children's Social Care Management", CSC, "Management", 18),
        19 => (
            "Independent Reviewing Service",
            CSC,
            "Quality Assurance",
            19,
        ),
        20..=27 => (
            "Early Help Locality Team",
            "Early Help",
            "Early Help Localities",
            20,
        ),
        28..=31 => (
            "School Improvement Team",
            "Education",
            "Learning and Achievement",
            28,
        ),
        32..=35 => ("Education Welfare Team", "Education", "Inclusion", 32),
        36..=39 => (
            "Youth Offending Team",
            "Youth Offending",
            "Youth Justice",
            36,
        ),
        40 => (
            "Substance Misuse Service",
            "Youth Offending",
            "Substance Misuse",
            40,
        ),
        41..=44 => (
            "Business Support Hub",
            "Business Support",
            "Business Support",
            41,
        ),
        45..=49 => (
            "Adult Social Care Team",
            "Adult Services",
            "Adult Social Care",
            45,
        ),
        _ => (
            "Corporate HR and Payroll Team",
            "Corporate Services",
            "Corporate HR",
            50,
        ),
    };
    Team {
        name,
        directorate,
        service_area,
        number: t - first + 1,
    }
}

/// The Team Manager post of team `t`.
pub fn team_manager(t: u32) -> u32 {
    if t < TRANSFERRING_TEAMS {
        16 + t
    } else {
        830 + (t - TRANSFERRING_TEAMS)
    }
}

/// Who a post reports to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Manager {
    /// Nobody: the Director.
    None,
    /// The Director (post 0 of block 0).
    Director,
    /// Another post of the same block.
    Local(u32),
}

/// One post's place in the organisation.
#[derive(Debug, Clone, Copy)]
pub struct Role {
    /// Job family.
    pub family: Family,
    /// Job title.
    pub title: &'static str,
    /// Local team index.
    pub team: u32,
    /// Line manager.
    pub manager: Manager,
    /// Transfer Reason; empty for in-scope staff.
    pub reason: &'static str,
}

const REMAINS: &str = "Remains with council";
const LEAVER: &str = "Leaver before transfer";

/// The post at local index `local` (0..950) of block `block`.
pub fn role(block: u32, local: u32) -> Role {
    let r = |family, title, team, manager| Role {
        family,
        title,
        team,
        manager,
        reason: "",
    };
    let under_tm = |t: u32| Manager::Local(team_manager(t));
    match local {
        0 if block == 0 => r(
            Family::Director,
            "Director of Children's Services",
            18,
            Manager::None,
        ),
        0 => r(
            Family::HeadOfService,
            "Head of Service (Area)",
            18,
            Manager::Director,
        ),
        1..=5 => {
            let team = [18, 20, 28, 36, 41][local as usize - 1];
            r(
                Family::HeadOfService,
                "Head of Service",
                team,
                Manager::Local(0),
            )
        }
        6..=15 => {
            let s = local - 6;
            let team = [18, 18, 18, 18, 20, 20, 28, 28, 36, 41][s as usize];
            let hos = [1, 1, 1, 1, 2, 2, 3, 3, 4, 5][s as usize];
            r(
                Family::ServiceManager,
                "Service Manager",
                team,
                Manager::Local(hos),
            )
        }
        16..=60 => r(
            Family::TeamManager,
            "Team Manager",
            local - 16,
            Manager::Local(6 + service_manager(local - 16)),
        ),
        61..=145 => r(
            Family::SocialWorker,
            "Social Worker",
            (local - 61) % 14,
            under_tm((local - 61) % 14),
        ),
        146..=170 => r(
            Family::SeniorPractitioner,
            "Senior Practitioner",
            (local - 61) % 14,
            under_tm((local - 61) % 14),
        ),
        _ => other_role(local, under_tm),
    }
}

/// The Service Manager (0..10) over transferring team `t`.
fn service_manager(t: u32) -> u32 {
    match t {
        0..=19 => t / 5,
        20..=27 => 4 + (t - 20) / 4,
        28..=35 => 6 + (t - 28) / 4,
        36..=40 => 8,
        _ => 9,
    }
}

/// Posts 171 and above: the rest of the transferring workforce, then the out-of-scope rows.
fn other_role(local: u32, under_tm: impl Fn(u32) -> Manager) -> Role {
    let at = |family, title, team: u32| Role {
        family,
        title,
        team,
        manager: under_tm(team),
        reason: "",
    };
    let mut role = match local {
        171..=185 => at(Family::PersonalAdviser, "Personal Adviser", 14 + local % 2),
        186..=245 => at(
            Family::SupportWorker,
            "Family Support Worker",
            20 + local % 8,
        ),
        246..=395 => at(
            Family::EarlyYears,
            "Early Years Practitioner",
            20 + local % 8,
        ),
        396..=515 => at(Family::Education, "Education Officer", 28 + local % 8),
        516..=575 => at(
            Family::YouthOffending,
            "Youth Offending Officer",
            36 + local % 4,
        ),
        576..=595 => at(Family::SubstanceMisuse, "Substance Misuse Worker", 40),
        596..=827 => at(
            Family::BusinessSupport,
            "Business Support Officer",
            41 + local % 4,
        ),
        828 | 829 => Role {
            family: Family::HeadOfService,
            title: "Head of Service",
            team: if local == 828 { 45 } else { 50 },
            manager: Manager::Local(0),
            reason: REMAINS,
        },
        830..=837 => Role {
            family: Family::TeamManager,
            title: "Team Manager",
            team: 45 + local - 830,
            manager: Manager::Local(if local < 835 { 828 } else { 829 }),
            reason: REMAINS,
        },
        838..=882 => at(
            Family::SocialWorker,
            "Social Worker (Adults)",
            45 + local % 5,
        ),
        883..=909 => at(
            Family::BusinessSupport,
            "HR and Payroll Officer",
            50 + local % 3,
        ),
        910..=919 => at(Family::SocialWorker, "Social Worker", local % 14),
        _ => leaver(local, &under_tm),
    };
    if (838..910).contains(&local) {
        role.reason = REMAINS;
    } else if local >= FIRST_LEAVER {
        role.reason = LEAVER;
    }
    role
}

/// Leavers 920..950 across several families and transferring teams.
fn leaver(local: u32, under_tm: &impl Fn(u32) -> Manager) -> Role {
    let (family, title, team) = match local % 4 {
        0 => (
            Family::BusinessSupport,
            "Business Support Officer",
            41 + local % 4,
        ),
        1 => (
            Family::EarlyYears,
            "Early Years Practitioner",
            20 + local % 8,
        ),
        2 => (
            Family::SupportWorker,
            "Family Support Worker",
            20 + local % 8,
        ),
        _ => (Family::Education, "Education Officer", 28 + local % 8),
    };
    Role {
        family,
        title,
        team,
        manager: under_tm(team),
        reason: LEAVER,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_scope_staff_report_to_in_scope_managers_in_transferring_teams() {
        for local in 0..STAFF {
            let role = role(0, local);
            let in_scope = role.reason.is_empty();
            assert_eq!(in_scope, local < IN_SCOPE, "post {local}");
            if in_scope {
                assert!(role.team < TRANSFERRING_TEAMS, "post {local}");
                if let Manager::Local(m) = role.manager {
                    assert!(m < IN_SCOPE && m != local, "post {local}");
                }
            }
        }
        assert_eq!(role(0, 0).manager, Manager::None);
        assert_eq!(role(1, 0).manager, Manager::Director);
    }
}
