//! The company schema, read at run time from a schema folder (for example
//! mappings/companies/together-for-children/): its tables and columns with keys, references and
//! value bounds ([`tables`]), its code lists with labels and validity ([`codelists`], [`lists`]),
//! its declared rules ([`rules`]) and its service figures and breakdowns ([`queries`]), all
//! resolved into one [`Schema`] by [`load()`](load::load) with every mistake as a located
//! diagnostic. From it come the DDL ([`ddl`]), the docs ([`docs`]), and everything the loader,
//! the checks and the report do. The audit tables ([`crate::audit`]) are handover's own and the
//! same for every company.

pub mod codelists;
pub mod ddl;
pub mod docs;
pub mod export_xml;
pub mod export_xml_record;
pub mod lists;
pub mod load;
pub mod model;
pub mod queries;
pub mod raw;
pub mod rules;
pub mod sql;
pub mod tables;

pub use codelists::{Code, CodeList};
pub use load::{LoadedSchema, SchemaError, load};
pub use model::{
    BreakdownDef, ColType, Column, Constraints, Export, FigureDef, HeadItem, Pattern, Place,
    Reference, Schema, SchemaFile, SchemaOrigin, Table, Unit, XmlExport, XmlFlag, XmlRecord,
};
pub use rules::{RuleSpec, SchemaRule};

#[cfg(test)]
mod tests {
    use super::*;

    fn tfc() -> Schema {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("mappings/companies/together-for-children");
        let loaded = load(&dir).unwrap();
        assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
        loaded.schema
    }

    #[test]
    fn the_shipped_schema_loads_and_its_ddl_enforces_checks() {
        let schema = tfc();
        assert_eq!(schema.company, "Together for Children");
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch(&schema.company_ddl()).unwrap();
        for t in &schema.tables {
            let n: i64 = conn
                .query_row(
                    "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?1",
                    [&t.name],
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

    /// A table whose sole key is an integer keeps its rowid free for the row's lineage: the key
    /// is declared `INT`, not `INTEGER`, so it is not the rowid and keeps its own value.
    #[test]
    fn a_sole_integer_key_is_not_the_rowid() {
        let mut schema = tfc();
        let teams = schema
            .tables
            .iter_mut()
            .find(|t| t.name == "teams")
            .unwrap();
        assert_eq!(teams.key, ["team_code"]);
        let code = teams
            .columns
            .iter_mut()
            .find(|c| c.name == "team_code")
            .unwrap();
        code.ty = ColType::Integer;
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch(&schema.company_ddl()).unwrap();
        let rowid = crate::audit::lineage::rowid(3, 17, 1).unwrap();
        conn.execute(
            "INSERT INTO teams (rowid, team_code, name, directorate) VALUES (?1, 7, 'A', 'B')",
            [rowid],
        )
        .unwrap();
        let (id, team): (i64, i64) = conn
            .query_row("SELECT rowid, team_code FROM teams", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!((id, team), (rowid, 7));
    }

    /// A column named as SQLite names the rowid would hide the row's lineage: a located error.
    #[test]
    fn a_column_named_rowid_is_refused_where_it_is_declared() {
        let from = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("mappings/companies/together-for-children");
        let tmp = tempfile::tempdir().unwrap();
        for dir in ["", "codelists"] {
            std::fs::create_dir_all(tmp.path().join(dir)).unwrap();
            for entry in std::fs::read_dir(from.join(dir)).unwrap() {
                let path = entry.unwrap().path();
                if path.is_file() {
                    let to = tmp.path().join(dir).join(path.file_name().unwrap());
                    std::fs::copy(&path, to).unwrap();
                }
            }
        }
        let tables = tmp.path().join("tables.toml");
        let text = std::fs::read_to_string(&tables).unwrap();
        let text = text.replacen(
            r#"{ name = "name", type = "text""#,
            r#"{ name = "ROWID", type = "text""#,
            1,
        );
        std::fs::write(&tables, &text).unwrap();
        let loaded = load(tmp.path()).unwrap();
        let line = text.lines().position(|l| l.contains("\"ROWID\"")).unwrap() + 1;
        let found = loaded
            .diagnostics
            .iter()
            .find(|d| d.message.contains("column `ROWID` would hide"))
            .expect("the rowid column is refused");
        assert_eq!(
            (found.file.ends_with("tables.toml"), found.line),
            (true, line)
        );
    }

    #[test]
    fn the_as_at_date_narrows_the_placement_types() {
        let schema = tfc();
        let all = schema.code_list("placement_type").unwrap().clone();
        assert!(all.contains("Z11") && all.contains("Z1"));
        let y2017 = schema.in_force(Some(jiff::civil::date(2017, 3, 31)));
        let list = y2017.code_list("placement_type").unwrap();
        assert!(list.contains("Z1") && !list.contains("Z11") && !list.contains("K3"));
        assert_eq!(list.in_force_codes().count(), 27);
    }
}
