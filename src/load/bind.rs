//! Binding a source mapping to the header of one file: every column the mapping names is looked
//! up once, before the first row, so that the per-row work is indexing, and a column missing from
//! the export is an error naming the file, the column and the closest header names.
use std::borrow::Cow;

use crate::mapping::{
    Condition, Crosswalk, FieldInput, FieldMapping, MappingSet, Origin, Part, ScopeRule,
    SourceMapping, TargetMapping,
};
use crate::source::{Cell, Row};

/// A mapping source bound to one file's header.
pub struct Bound<'m> {
    /// The mapping source.
    pub source: &'m SourceMapping,
    /// Scope rules with their conditions bound, and the index of their reason column.
    pub scope: Vec<(BoundCondition<'m>, &'m ScopeRule, Option<usize>)>,
    /// Targets with their column indexes.
    pub targets: Vec<BoundTarget<'m>>,
}

/// A target bound to a header.
pub struct BoundTarget<'m> {
    /// The target mapping.
    pub target: &'m TargetMapping,
    /// Its `when` condition, bound.
    pub when: Option<BoundCondition<'m>>,
    /// Fields with the column index (`None` for constants) and crosswalk.
    pub fields: Vec<BoundField<'m>>,
    /// Positions in `fields` of the natural key.
    pub key: Vec<usize>,
}

/// A condition bound to a header: each column it reads with its index.
pub struct BoundCondition<'m> {
    /// The condition.
    pub condition: &'m Condition,
    /// Each column it reads, with its index in the row.
    pub columns: Vec<(&'m str, usize)>,
}

impl BoundCondition<'_> {
    /// Whether `row` passes.
    pub fn passes(&self, row: &Row) -> bool {
        self.condition.passes(&|column| {
            self.columns
                .iter()
                .find(|(c, _)| *c == column)
                .and_then(|(_, i)| row.cells.get(*i))
                .map_or(Cow::Borrowed(""), |cell| {
                    super::convert::cell_str(cell).unwrap_or_default()
                })
        })
    }
}

impl Bound<'_> {
    /// The exclusion reason of the first scope rule `row` fails: the rule's reason column's
    /// value when it has one and it is not blank, else its reason. `None` when in scope.
    pub fn excluded(&self, row: &Row) -> Option<String> {
        self.scope.iter().find_map(|(cond, rule, reason_at)| {
            if cond.passes(row) {
                return None;
            }
            let from_column = reason_at
                .and_then(|i| row.cells.get(i))
                .map(|c| {
                    crate::mapping::condition::normalize(
                        &super::convert::cell_str(c).unwrap_or_default(),
                    )
                })
                .filter(|r| !r.is_empty());
            Some(from_column.unwrap_or_else(|| rule.reason.clone()))
        })
    }
}

impl BoundTarget<'_> {
    /// Whether the target's `when` lets `row` in.
    pub fn applies(&self, row: &Row) -> bool {
        self.when.as_ref().is_none_or(|w| w.passes(row))
    }
}

/// A field bound to a header.
pub struct BoundField<'m> {
    /// Column index in the row, for a field that reads one column.
    pub index: Option<usize>,
    /// Column indexes of a joined field, in order, with the text between them.
    pub joined: Vec<BoundPart<'m>>,
    /// The field mapping.
    pub field: &'m FieldMapping,
    /// Its crosswalk.
    pub crosswalk: Option<&'m Crosswalk>,
}

/// One part of a joined field, bound.
pub enum BoundPart<'m> {
    /// Literal text.
    Text(&'m str),
    /// A column's index.
    Column(usize),
}

impl BoundField<'_> {
    /// The cell the field converts: its column's, the joined columns' trimmed text, or empty for
    /// a constant.
    pub fn cell<'r>(&self, row: &'r Row) -> Cow<'r, Cell> {
        if let Some(i) = self.index {
            return row
                .cells
                .get(i)
                .map_or(Cow::Owned(Cell::Empty), Cow::Borrowed);
        }
        if self.joined.is_empty() {
            return Cow::Owned(Cell::Empty);
        }
        let mut text = String::new();
        for part in &self.joined {
            match part {
                BoundPart::Text(t) => text.push_str(t),
                BoundPart::Column(i) => {
                    let cell = row.cells.get(*i).unwrap_or(&Cell::Empty);
                    text.push_str(super::convert::cell_str(cell).unwrap_or_default().trim());
                }
            }
        }
        Cow::Owned(Cell::Text(text))
    }
}

/// A column the mapping names that the file's header lacks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingColumn {
    /// The column name.
    pub column: String,
    /// Mapping file and line that name it.
    pub origin: crate::mapping::Origin,
    /// Header names closest to it.
    pub closest: Vec<String>,
}

/// Binds `source` to `headers`.
pub fn bind<'m>(
    set: &'m MappingSet,
    source: &'m SourceMapping,
    headers: &[String],
) -> Result<Bound<'m>, MissingColumn> {
    let find = |name: &str, origin: &Origin| {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| MissingColumn {
                column: name.to_string(),
                origin: origin.clone(),
                closest: closest(name, headers),
            })
    };
    let bind_condition = |condition: &'m Condition, origin: &Origin| {
        let mut columns = Vec::new();
        for c in condition.columns() {
            columns.push((c, find(c, origin)?));
        }
        Ok(BoundCondition { condition, columns })
    };
    let mut scope = Vec::new();
    for rule in &source.scope {
        let reason_at = match &rule.reason_column {
            Some(c) => Some(find(c, &rule.origin)?),
            None => None,
        };
        scope.push((
            bind_condition(&rule.condition, &rule.origin)?,
            rule,
            reason_at,
        ));
    }
    let mut targets = Vec::new();
    for target in &source.targets {
        let when = match &target.when {
            Some(c) => Some(bind_condition(c, &target.origin)?),
            None => None,
        };
        let mut fields = Vec::new();
        for field in &target.fields {
            let index = match field.column() {
                Some(c) => Some(find(c, &field.origin)?),
                None => None,
            };
            let mut joined = Vec::new();
            if let FieldInput::Joined(parts) = &field.input {
                for part in parts {
                    joined.push(match part {
                        Part::Text(t) => BoundPart::Text(t),
                        Part::Column(c) => BoundPart::Column(find(c, &field.origin)?),
                    });
                }
            }
            let crosswalk = field.crosswalk.as_ref().and_then(|n| set.crosswalks.get(n));
            fields.push(BoundField {
                index,
                joined,
                field,
                crosswalk,
            });
        }
        let key = target
            .key
            .iter()
            .filter_map(|k| fields.iter().position(|f| f.field.target.name == *k))
            .collect();
        targets.push(BoundTarget {
            target,
            when,
            fields,
            key,
        });
    }
    Ok(Bound {
        source,
        scope,
        targets,
    })
}

/// Up to three header names closest to `name`, best first.
pub fn closest(name: &str, headers: &[String]) -> Vec<String> {
    let mut scored: Vec<(f64, &String)> = headers
        .iter()
        .map(|h| {
            (
                strsim::jaro_winkler(&name.to_lowercase(), &h.to_lowercase()),
                h,
            )
        })
        .filter(|(s, _)| *s > 0.6)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored.into_iter().take(3).map(|(_, h)| h.clone()).collect()
}

/// The loader's `INSERT` statement of a target: the row's rowid first (`?1`, its lineage, see
/// [`crate::audit::lineage::rowid`]), then the fields in order. A collected reference row
/// (`distinct`) that is already there is compared afterwards, not refused.
pub fn insert_sql(target: &TargetMapping) -> String {
    insert_statement(target, target.distinct, true)
}

/// The `INSERT` statement of a target; with `keep_first`, a row whose key is already there is
/// left out (`ON CONFLICT DO NOTHING`) instead of refused.
pub fn insert_sql_keeping_first(target: &TargetMapping, keep_first: bool) -> String {
    insert_statement(target, keep_first, false)
}

fn insert_statement(target: &TargetMapping, keep_first: bool, rowid: bool) -> String {
    let mut cols: Vec<&str> = rowid.then_some("rowid").into_iter().collect();
    cols.extend(target.fields.iter().map(|f| f.target.name.as_str()));
    let params: Vec<String> = (1..=cols.len()).map(|i| format!("?{i}")).collect();
    let on_conflict = if keep_first {
        " ON CONFLICT DO NOTHING"
    } else {
        ""
    };
    format!(
        "INSERT INTO {} ({}) VALUES ({}){on_conflict}",
        target.table.name,
        cols.join(", "),
        params.join(", ")
    )
}
