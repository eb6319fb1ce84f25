//! The company schema: SQLite STRICT tables with declared foreign keys and `CHECK` constraints for
//! the company's code lists ([`tables`], [`codelists`]), plus the audit tables that make every run
//! traceable ([`audit`]). docs/schema.md documents every table and column.

pub mod audit;
pub mod codelists;
pub mod docs;
pub mod tables;

pub use codelists::{CODE_LISTS, CodeList, code_list};
pub use tables::{ColType, Column, Reference, TABLES, Table, table};

/// The `CREATE TABLE` statements of the company tables, in load order.
pub fn company_ddl() -> String {
    TABLES.iter().map(table_ddl).collect::<Vec<_>>().join("\n")
}

/// The whole schema: company tables, then audit tables.
pub fn ddl() -> String {
    format!("{}\n{}", company_ddl(), audit::DDL)
}

fn table_ddl(table: &Table) -> String {
    let mut lines: Vec<String> = table.columns.iter().map(column_ddl).collect();
    lines.push(format!("PRIMARY KEY ({})", table.key.join(", ")));
    for c in table.columns {
        if let Some(r) = c.references {
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

fn column_ddl(c: &Column) -> String {
    let sql_type = match c.ty {
        ColType::Text | ColType::Date => "TEXT",
        ColType::Integer | ColType::Boolean => "INTEGER",
        ColType::Decimal => "REAL",
    };
    let mut s = format!("{} {}", c.name, sql_type);
    if c.required {
        s.push_str(" NOT NULL");
    }
    if let Some(check) = column_check(c) {
        s.push_str(&format!(" CHECK ({check})"));
    }
    s
}

fn column_check(c: &Column) -> Option<String> {
    if let Some(list) = c.codelist.and_then(code_list) {
        let codes: Vec<String> = list.codes.iter().map(|v| format!("'{v}'")).collect();
        return Some(format!("{} IN ({})", c.name, codes.join(", ")));
    }
    match c.ty {
        ColType::Date => Some(format!("date({0}) IS {0}", c.name)),
        ColType::Boolean => Some(format!("{} IN (0, 1)", c.name)),
        _ if c.name == "fte" => Some("fte > 0 AND fte <= 1".to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ddl_creates_every_table_and_enforces_checks() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch(&ddl()).unwrap();
        for t in TABLES {
            let n: i64 = conn
                .query_row(
                    "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?1",
                    [t.name],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(n, 1, "{}", t.name);
        }
        conn.execute(
            "INSERT INTO teams (team_code, name, directorate) VALUES ('T1', 'A', 'B')",
            [],
        )
        .unwrap();
        let bad = conn.execute(
            "INSERT INTO providers (provider_id, name, provider_type) VALUES ('P', 'N', 'PR9')",
            [],
        );
        assert!(bad.is_err(), "a code outside the list must fail its CHECK");
        let bad_date = conn.execute(
            "INSERT INTO children (child_id, date_of_birth, sex) VALUES ('1', '2017-02-31', 'M')",
            [],
        );
        assert!(bad_date.is_err(), "an impossible date must fail its CHECK");
    }

    #[test]
    fn every_reference_points_at_a_key() {
        for t in TABLES {
            for c in t.columns {
                if let Some(r) = c.references {
                    let target = table(r.table).expect("referenced table exists");
                    assert_eq!(target.key, &[r.column], "{}.{}", t.name, c.name);
                }
            }
        }
    }
}
