//! Binding a source mapping to the header of one file: every column the mapping names is looked
//! up once, before the first row, so that the per-row work is indexing, and a column missing from
//! the export is an error naming the file, the column and the closest header names.
use crate::mapping::{
    Condition, Crosswalk, FieldMapping, MappingSet, ScopeRule, SourceMapping, TargetMapping,
};

/// A mapping source bound to one file's header.
pub struct Bound<'m> {
    /// The mapping source.
    pub source: &'m SourceMapping,
    /// Scope rules with their column index.
    pub scope: Vec<(usize, &'m ScopeRule)>,
    /// Targets with their column indexes.
    pub targets: Vec<BoundTarget<'m>>,
}

/// A target bound to a header.
pub struct BoundTarget<'m> {
    /// The target mapping.
    pub target: &'m TargetMapping,
    /// Its `when` condition with the column index.
    pub when: Option<(usize, &'m Condition)>,
    /// Fields with the column index (`None` for constants) and crosswalk.
    pub fields: Vec<BoundField<'m>>,
    /// Positions in `fields` of the natural key.
    pub key: Vec<usize>,
}

/// A field bound to a header.
pub struct BoundField<'m> {
    /// Column index in the row, `None` for a constant.
    pub index: Option<usize>,
    /// The field mapping.
    pub field: &'m FieldMapping,
    /// Its crosswalk.
    pub crosswalk: Option<&'m Crosswalk>,
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
    let find = |name: &str, origin: &crate::mapping::Origin| {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| MissingColumn {
                column: name.to_string(),
                origin: origin.clone(),
                closest: closest(name, headers),
            })
    };
    let mut scope = Vec::new();
    for rule in &source.scope {
        scope.push((find(&rule.condition.column, &rule.origin)?, rule));
    }
    let mut targets = Vec::new();
    for target in &source.targets {
        let when = match &target.when {
            Some(c) => Some((find(&c.column, &target.origin)?, c)),
            None => None,
        };
        let mut fields = Vec::new();
        for field in &target.fields {
            let index = match field.column() {
                Some(c) => Some(find(c, &field.origin)?),
                None => None,
            };
            let crosswalk = field.crosswalk.as_ref().and_then(|n| set.crosswalks.get(n));
            fields.push(BoundField {
                index,
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

/// The `INSERT` statement of a target.
pub fn insert_sql(target: &TargetMapping) -> String {
    let cols: Vec<&str> = target
        .fields
        .iter()
        .map(|f| f.target.name.as_str())
        .collect();
    let params: Vec<String> = (1..=cols.len()).map(|i| format!("?{i}")).collect();
    format!(
        "INSERT INTO {} ({}) VALUES ({})",
        target.table.name,
        cols.join(", "),
        params.join(", ")
    )
}
