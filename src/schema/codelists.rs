//! The company's code lists: each code with its label and, where the list changes by collection
//! year, the dates it is valid between. A coded column holds only codes of its list; crosswalks
//! map council codes onto them. The extract's as-at date chooses the codes in force
//! ([`CodeList::in_force`]); a list marked `cover_in_full` must be reachable in full from any
//! crosswalk onto it.
use jiff::civil::Date;

/// One code of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code {
    /// The code, as the company stores it.
    pub code: String,
    /// What it means (may be empty where the standard gives none).
    pub label: String,
    /// First day it is valid, if it has one.
    pub valid_from: Option<Date>,
    /// Last day it is valid, if it has one.
    pub valid_to: Option<Date>,
}

impl Code {
    /// True when the code is valid on `date`.
    pub fn valid_on(&self, date: Date) -> bool {
        self.valid_from.is_none_or(|f| f <= date) && self.valid_to.is_none_or(|t| date <= t)
    }

    /// True when the code has no validity bounds.
    pub fn always_valid(&self) -> bool {
        self.valid_from.is_none() && self.valid_to.is_none()
    }
}

/// One code list of the company.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeList {
    /// The name columns and crosswalks use.
    pub name: String,
    /// What it codes.
    pub description: String,
    /// Whether a crosswalk onto it must cover every code in force.
    pub complete: bool,
    /// The codes, in declared order.
    pub codes: Vec<Code>,
    /// The date the list was narrowed to, if any.
    pub as_at: Option<Date>,
}

impl CodeList {
    /// True when `code` is in the list and in force on its as-at date, if it has one (exact
    /// match: the company's codes are canonical).
    pub fn contains(&self, code: &str) -> bool {
        self.codes
            .iter()
            .any(|c| c.code == code && self.as_at.is_none_or(|d| c.valid_on(d)))
    }

    /// True when `code` is in the list at all, in force or not.
    pub fn knows(&self, code: &str) -> bool {
        self.codes.iter().any(|c| c.code == code)
    }

    /// The codes in force (every code when the list has no as-at date).
    pub fn in_force_codes(&self) -> impl Iterator<Item = &Code> {
        self.codes
            .iter()
            .filter(|c| self.as_at.is_none_or(|d| c.valid_on(d)))
    }

    /// The label of `code`, when the list has one.
    pub fn label(&self, code: &str) -> Option<&str> {
        self.codes
            .iter()
            .find(|c| c.code == code)
            .map(|c| c.label.as_str())
            .filter(|l| !l.is_empty())
    }

    /// The list as of `date`: only the codes valid on it are [`contains`](Self::contains)ed.
    pub fn in_force(&self, date: Date) -> CodeList {
        CodeList {
            as_at: Some(date),
            ..self.clone()
        }
    }

    /// The codes a complete list's crosswalk must reach: every code in force on the as-at date,
    /// or, with no as-at date, every code valid at all times.
    pub fn must_cover(&self) -> impl Iterator<Item = &str> {
        let dated = self.as_at.is_some();
        self.in_force_codes()
            .filter(move |c| dated || c.always_valid())
            .map(|c| c.code.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn code(code: &str, from: Option<Date>, to: Option<Date>) -> Code {
        Code {
            code: code.into(),
            label: String::new(),
            valid_from: from,
            valid_to: to,
        }
    }

    #[test]
    fn the_as_at_date_picks_the_codes_in_force() {
        let list = CodeList {
            name: "placement_type".into(),
            description: String::new(),
            complete: true,
            codes: vec![
                code("U6", None, None),
                code("Z1", None, Some(date(2025, 3, 31))),
                code("Z11", Some(date(2025, 4, 1)), None),
            ],
            as_at: None,
        };
        let in_2017 = list.in_force(date(2017, 3, 31));
        assert!(in_2017.contains("Z1") && !in_2017.contains("Z11") && in_2017.knows("Z11"));
        let in_2025 = list.in_force(date(2025, 4, 1));
        assert!(!in_2025.contains("Z1") && in_2025.contains("Z11"));
        assert_eq!(list.must_cover().collect::<Vec<_>>(), ["U6"]);
        assert_eq!(in_2017.must_cover().collect::<Vec<_>>(), ["U6", "Z1"]);
    }
}
