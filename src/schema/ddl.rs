//! The SQL a schema becomes: one SQLite `STRICT` table per company table, with its primary and
//! unique keys, foreign keys, `NOT NULL` for required columns and a `CHECK` for each column's code
//! list (the codes in force), type (dates, booleans) and bounds. The loader checks all of these
//! before it inserts, and says which value broke which; the constraints stay as a guard.
use super::model::{ColType, Column, Schema, Table};

impl Schema {
    /// The `CREATE TABLE` statements of the company tables, in load order.
    pub fn company_ddl(&self) -> String {
        self.tables
            .iter()
            .map(|t| self.table_ddl(t))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The company tables with their columns and types only, no keys or constraints: enough to
    /// prepare a query against, and quick to create (`handover validate` prepares every rule,
    /// figure and control on such a database, and runs as often as CI does).
    pub fn scratch_ddl(&self) -> String {
        self.tables
            .iter()
            .map(|t| {
                let columns: Vec<String> = t
                    .columns
                    .iter()
                    .map(|c| format!("{} {}", c.name, c.ty.sql()))
                    .collect();
                format!("CREATE TABLE {} ({});\n", t.name, columns.join(", "))
            })
            .collect()
    }

    fn table_ddl(&self, table: &Table) -> String {
        let mut lines: Vec<String> = table
            .columns
            .iter()
            .map(|c| self.column_ddl(c, table.key == [c.name.as_str()]))
            .collect();
        lines.push(format!("PRIMARY KEY ({})", table.key.join(", ")));
        for u in &table.unique {
            lines.push(format!("UNIQUE ({})", u.join(", ")));
        }
        for c in &table.columns {
            if let Some(r) = &c.references {
                lines.push(format!(
                    "FOREIGN KEY ({}) REFERENCES {} ({})",
                    c.name, r.table, r.column
                ));
            }
        }
        format!(
            "CREATE TABLE {} (\n    {}\n) STRICT;\n",
            table.name,
            lines.join(",\n    ")
        )
    }

    /// A column's definition. The sole key column of a table is never declared `INTEGER`, which
    /// would make it the table's rowid: handover keeps the rowid for the row's lineage
    /// (`audit::lineage`). `INT` is the same type in a `STRICT` table.
    fn column_ddl(&self, c: &Column, sole_key: bool) -> String {
        let ty = match c.ty.sql() {
            "INTEGER" if sole_key => "INT",
            other => other,
        };
        let mut s = format!("{} {ty}", c.name);
        if c.required {
            s.push_str(" NOT NULL");
        }
        let checks = self.column_checks(c);
        if !checks.is_empty() {
            s.push_str(&format!(" CHECK ({})", checks.join(" AND ")));
        }
        s
    }

    /// The conditions of a column's `CHECK` constraint.
    pub fn column_checks(&self, c: &Column) -> Vec<String> {
        let name = &c.name;
        let mut out = Vec::new();
        if let Some(list) = c.codelist.as_deref().and_then(|l| self.code_list(l)) {
            // `=` ... `OR` rather than `IN (...)`: SQLite builds a temporary index for an IN list
            // on every row it checks, which made code-list checks the largest cost of a load.
            let codes: Vec<String> = list
                .in_force_codes()
                .map(|v| format!("{name} = {}", quote(&v.code)))
                .collect();
            if codes.is_empty() {
                // A list with no code in force allows no value.
                out.push(format!("{name} IS NULL"));
            } else {
                out.push(format!("({})", codes.join(" OR ")));
            }
        }
        match c.ty {
            ColType::Date => out.push(format!("date({name}) IS {name}")),
            ColType::Boolean => out.push(format!("{name} IN (0, 1)")),
            _ => {}
        }
        let k = &c.constraints;
        let bound = |v: Option<f64>, op: &str| v.map(|v| format!("{name} {op} {v}"));
        out.extend(bound(k.min, ">="));
        out.extend(bound(k.greater_than, ">"));
        out.extend(bound(k.max, "<="));
        out.extend(bound(k.less_than, "<"));
        out.extend(k.min_length.map(|n| format!("length({name}) >= {n}")));
        out.extend(k.max_length.map(|n| format!("length({name}) <= {n}")));
        out.extend(k.not_before.map(|d| format!("{name} >= '{d}'")));
        out.extend(k.not_after.map(|d| format!("{name} <= '{d}'")));
        out
    }
}

/// `text` as an SQL string literal.
pub fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}
