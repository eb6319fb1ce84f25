//! Rules a company schema declares beyond its keys, references and code lists, and the query on
//! the company tables that finds each rule's violations ([`SchemaRule::select_sql`]): it returns,
//! per violating row, the value of the rule's column and the values of the columns its message
//! names. The query is built here, once, so that `handover validate` prepares exactly the SQL
//! that `handover migrate` runs (which joins it to the rows' lineage).
use super::model::SchemaOrigin;
use crate::finding::{Kind, Severity};

/// What a rule asks of the data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleSpec {
    /// Rows meeting `filter` must have a value in the rule's column (a worker allocated).
    Unallocated {
        /// Which rows need one (SQL condition), if not all.
        filter: Option<String>,
    },
    /// Every row meeting `filter` meets `check` (SQL condition; NULL passes, as in `CHECK`).
    Row {
        /// Which rows the rule applies to, if not all.
        filter: Option<String>,
        /// The condition.
        condition: String,
    },
    /// Every row meeting `filter` has at least one row in `exists_in` matching on `on`.
    Existence {
        /// Which rows need one, if not all.
        filter: Option<String>,
        /// The other table.
        exists_in: String,
        /// Column pairs: this table's column, the other table's column.
        on: Vec<(String, String)>,
        /// A condition on the other table's row, if any.
        exists_where: Option<String>,
    },
    /// The rule's column agrees with `other_column` of the `other_table` row matching on `on`.
    Agreement {
        /// The other table.
        other_table: String,
        /// The column there.
        other_column: String,
        /// Column pairs: this table's column, the other table's column.
        on: Vec<(String, String)>,
    },
}

/// The rule types' names, as schema files spell them.
pub const RULE_TYPES: [&str; 4] = ["unallocated", "row", "existence", "agreement"];

/// One declared rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaRule {
    /// Stable code.
    pub code: String,
    /// Error (blocks a final run) or warning.
    pub severity: Severity,
    /// What it means, in one line.
    pub title: String,
    /// What it means, in full.
    pub meaning: String,
    /// How to fix the data.
    pub fix: String,
    /// The table whose rows it checks.
    pub table: String,
    /// The column a finding names (its value is the finding's value).
    pub column: Option<String>,
    /// The finding's message; `{column}` is replaced by that column's value, and
    /// `{column:label}` by the label of its code.
    pub message: String,
    /// What it asks.
    pub spec: RuleSpec,
    /// Where it is declared.
    pub origin: SchemaOrigin,
}

impl SchemaRule {
    /// The kind of finding it raises.
    pub fn kind(&self) -> Kind {
        match self.spec {
            RuleSpec::Unallocated { .. } => Kind::Unallocated,
            RuleSpec::Row { .. } => Kind::RowRule,
            RuleSpec::Existence { .. } => Kind::Existence,
            RuleSpec::Agreement { .. } => Kind::Agreement,
        }
    }

    /// The type's name.
    pub fn type_name(&self) -> &'static str {
        match self.spec {
            RuleSpec::Unallocated { .. } => RULE_TYPES[0],
            RuleSpec::Row { .. } => RULE_TYPES[1],
            RuleSpec::Existence { .. } => RULE_TYPES[2],
            RuleSpec::Agreement { .. } => RULE_TYPES[3],
        }
    }

    /// True when the rule's SQL reads the extract's as-at date (`:as_at`).
    pub fn uses_as_at(&self) -> bool {
        self.condition().contains(":as_at")
    }

    /// The columns the message names, in order of first mention.
    pub fn placeholders(&self) -> Vec<String> {
        placeholders(&self.message)
    }

    /// The message for one violation: each `{column}` replaced by its value (blank for NULL),
    /// each `{column:label}` by `label(column, value)` (the value itself when it has none).
    pub fn render(
        &self,
        values: &[(String, Option<String>)],
        label: impl Fn(&str, &str) -> Option<String>,
    ) -> String {
        let mut out = self.message.clone();
        for (name, value) in values {
            let value = value.as_deref().unwrap_or("");
            let labelled = label(name, value).unwrap_or_else(|| value.to_string());
            out = out.replace(&format!("{{{name}:label}}"), &labelled);
            out = out.replace(&format!("{{{name}}}"), value);
        }
        out
    }

    /// The other table and columns the rule looks rows up by (existence and agreement rules):
    /// an index on them turns the rule's query from a scan per row into a lookup per row.
    pub fn lookup(&self) -> Option<(&str, Vec<&str>)> {
        let (table, on) = match &self.spec {
            RuleSpec::Existence { exists_in, on, .. } => (exists_in, on),
            RuleSpec::Agreement {
                other_table, on, ..
            } => (other_table, on),
            _ => return None,
        };
        Some((
            table,
            on.iter().map(|(_, theirs)| theirs.as_str()).collect(),
        ))
    }

    /// The columns the violations query selects: the rule's column (or NULL), then the message's.
    pub fn columns_sql(&self) -> String {
        let t = &self.table;
        let value = self
            .column
            .as_ref()
            .map_or("NULL".to_string(), |c| format!("{t}.{c}"));
        let mut select = vec![value];
        select.extend(self.placeholders().iter().map(|c| format!("{t}.{c}")));
        select.join(", ")
    }

    /// The query that finds violations on the company tables alone.
    pub fn select_sql(&self) -> String {
        format!(
            "SELECT {} FROM {} WHERE {}",
            self.columns_sql(),
            self.table,
            self.condition()
        )
    }

    /// The SQL condition a violating row of the rule's table meets.
    pub fn condition(&self) -> String {
        let t = &self.table;
        let filter = |f: &Option<String>| f.as_ref().map_or("1".to_string(), |f| format!("({f})"));
        let joined = |on: &[(String, String)]| {
            on.iter()
                .map(|(mine, theirs)| format!("o.{theirs} = {t}.{mine}"))
                .collect::<Vec<_>>()
                .join(" AND ")
        };
        match &self.spec {
            RuleSpec::Unallocated { filter: f } => {
                let c = self.column.as_deref().unwrap_or("rowid");
                format!("{} AND {t}.{c} IS NULL", filter(f))
            }
            RuleSpec::Row {
                filter: f,
                condition,
            } => {
                format!("{} AND NOT coalesce(({condition}), 1)", filter(f))
            }
            RuleSpec::Existence {
                filter: f,
                exists_in,
                on,
                exists_where,
            } => format!(
                "{} AND NOT EXISTS (SELECT 1 FROM {exists_in} o WHERE {} AND {})",
                filter(f),
                joined(on),
                filter(exists_where)
            ),
            RuleSpec::Agreement {
                other_table,
                other_column,
                on,
            } => {
                let c = self.column.as_deref().unwrap_or("rowid");
                format!(
                    "{t}.{c} IS NOT NULL AND EXISTS (SELECT 1 FROM {other_table} o WHERE {} \
                     AND o.{other_column} IS NOT NULL AND o.{other_column} <> {t}.{c})",
                    joined(on)
                )
            }
        }
    }
}

/// The column names in braces in `message` (`{name}` or `{name:label}`), each once, in order.
pub fn placeholders(message: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut rest = message;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let inner = &rest[open + 1..open + close];
        let name = inner.strip_suffix(":label").unwrap_or(inner);
        if !name.is_empty() && !out.iter().any(|n| n == name) {
            out.push(name.to_string());
        }
        rest = &rest[open + close + 1..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(spec: RuleSpec) -> SchemaRule {
        SchemaRule {
            code: "X-1".into(),
            severity: Severity::Error,
            title: String::new(),
            meaning: String::new(),
            fix: String::new(),
            table: "placements".into(),
            column: Some("end_date".into()),
            message: "{placement_type:label} placement {placement_id} ends {end_date}".into(),
            spec,
            origin: SchemaOrigin::default(),
        }
    }

    #[test]
    fn messages_name_columns_in_braces() {
        let r = rule(RuleSpec::Row {
            filter: None,
            condition: "end_date >= start_date".into(),
        });
        assert_eq!(
            r.placeholders(),
            ["placement_type", "placement_id", "end_date"]
        );
        let values = [
            ("placement_type".into(), Some("U6".into())),
            ("placement_id".into(), Some("P1".into())),
            ("end_date".into(), None),
        ];
        let label = |col: &str, code: &str| (col == "placement_type").then(|| format!("<{code}>"));
        assert_eq!(r.render(&values, label), "<U6> placement P1 ends ");
    }

    #[test]
    fn a_row_rule_passes_null_as_a_check_constraint_does() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE placements (placement_id TEXT, placement_type TEXT, start_date TEXT, end_date TEXT);
             INSERT INTO placements VALUES ('P1', 'U6', '2017-01-02', '2017-01-01'), ('P2', 'U6', '2017-01-01', NULL), ('P3', 'U6', '2017-01-01', '2017-02-01');",
        )
        .unwrap();
        let r = rule(RuleSpec::Row {
            filter: None,
            condition: "end_date >= start_date".into(),
        });
        let ids: Vec<String> = conn
            .prepare(&r.select_sql())
            .unwrap()
            .query_map([], |row| row.get(2))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(ids, ["P1"]);
    }
}
