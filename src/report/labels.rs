//! Words for the codes a report shows (issue #13): a breakdown's values with the labels of its
//! code list in the company schema (`U6` is "Foster placement with other foster carer(s): other"),
//! and a rule's code with what it means (the built-in rules, the schema's orphan rules and the
//! rules the schema declares). They come from the mapping set the run used, which carries its
//! schema; without it a report shows the codes alone.
use std::collections::BTreeMap;

use crate::mapping::MappingSet;

/// Labels for codes and titles for rules.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Labels {
    /// Code to label, per breakdown name.
    breakdowns: BTreeMap<String, BTreeMap<String, String>>,
    /// Rule code to title, for the schema's rules.
    rules: BTreeMap<String, String>,
}

impl Labels {
    /// The labels of the schema the mapping set `set` maps onto.
    pub fn of(set: &MappingSet) -> Self {
        let schema = &set.schema;
        let breakdowns = schema
            .breakdowns
            .iter()
            .filter_map(|b| {
                let list = schema.code_list(b.codelist.as_deref()?)?;
                let codes = list.codes.iter().map(|c| (c.code.clone(), c.label.clone()));
                Some((b.name.clone(), codes.collect()))
            })
            .collect();
        let declared = schema
            .rules
            .iter()
            .map(|r| (r.code.clone(), r.title.clone()));
        let orphans = schema
            .tables
            .iter()
            .flat_map(|t| &t.columns)
            .filter_map(|c| c.references.as_ref())
            .map(|r| {
                let title = format!("{}: the record referred to does not transfer", r.relation);
                (r.rule.clone(), title)
            });
        Labels {
            breakdowns,
            rules: declared.chain(orphans).collect(),
        }
    }

    /// The label of `code` among the values of the breakdown called `breakdown`.
    pub fn code(&self, breakdown: &str, code: &str) -> Option<&str> {
        self.breakdowns
            .get(breakdown)?
            .get(code)
            .map(String::as_str)
    }

    /// What the rule `code` means.
    pub fn rule(&self, code: &str) -> Option<&str> {
        match crate::finding::builtin::Builtin::from_code(code) {
            Some(b) => Some(b.title()),
            None => self.rules.get(code).map(String::as_str),
        }
    }
}

/// A kind of finding in words: `invalid_code` is `invalid code`.
pub fn kind(kind: &str) -> String {
    kind.replace('_', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Together for Children schema labels its placement types and names its rules.
    #[test]
    fn labels_come_from_the_schema_the_mappings_use() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/mappings/sunderland");
        let set = crate::mapping::load(std::path::Path::new(dir))
            .expect("load")
            .set;
        let labels = Labels::of(&set);
        let u6 = labels.code("looked_after_by_placement_type", "U6");
        assert!(
            u6.is_some_and(|l| l.starts_with("Foster placement")),
            "{u6:?}"
        );
        assert_eq!(labels.code("staff_by_team", "T001"), None);
        assert!(labels.rule("HO-DUP-001").is_some());
        assert!(labels.rule("HO-ORP-003").is_some(), "{labels:?}");
        assert_eq!(Labels::default().rule("HO-ORP-003"), None);
    }
}
