//! The audit tables, handover's own and the same for every company, in the same database as the
//! company's data: the run, every input file with its SHA-256, every mapping and schema file, the
//! outcome of every source row, the lineage of every company row, the findings, the ledger, the
//! controls, and the definitions of the service figures and breakdowns the run's schema declared.
//! They make a run traceable and re-creatable from the database alone; docs/schema.md documents
//! them. Every read and write of a `handover_*` table is in this module: [`run`], [`inputs`],
//! [`columns`] (what became of each column of each export),
//! [`rows`] (outcomes as rows are loaded), [`row_cols`] (where each XML record starts on its
//! line), [`lineage`] (each company row's origin, held in its rowid),
//! [`findings`], [`ledger`], [`controls`] and [`figures`].

pub mod columns;
pub mod controls;
pub mod figures;
pub mod findings;
pub mod inputs;
pub mod ledger;
pub mod lineage;
pub mod row_cols;
pub mod rows;
pub mod run;

/// The whole database of a run: the company's tables, then the audit tables, then the
/// `handover_lineage` view over the company tables.
pub fn ddl(schema: &crate::schema::Schema) -> String {
    format!(
        "{}\n{}",
        schema.company_ddl(),
        audit_ddl(schema.tables.iter().map(|t| t.name.as_str()))
    )
}

/// The audit tables, and the `handover_lineage` view over the company tables `tables`.
pub fn audit_ddl<'t>(tables: impl IntoIterator<Item = &'t str>) -> String {
    format!("{DDL}\n{}", lineage::view_ddl(tables))
}

/// `CREATE TABLE` statements of the audit tables.
pub const DDL: &str = "
CREATE TABLE handover_run (
    run_id INTEGER PRIMARY KEY CHECK (run_id = 1),
    tool_version TEXT NOT NULL,
    mode TEXT NOT NULL CHECK (mode IN ('dry_run', 'final')),
    as_at TEXT CHECK (as_at IS NULL OR date(as_at) IS as_at),
    company TEXT NOT NULL,
    started_at TEXT NOT NULL,
    mappings_dir TEXT NOT NULL,
    input_dir TEXT NOT NULL,
    parameters TEXT NOT NULL
) STRICT;
CREATE TABLE handover_input (
    file_id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    rows_read INTEGER NOT NULL,
    encoding TEXT
) STRICT;
CREATE TABLE handover_mapping (
    path TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL
) STRICT;
CREATE TABLE handover_source (
    source_id INTEGER PRIMARY KEY,
    entity TEXT NOT NULL,
    mapping_file TEXT NOT NULL,
    mapping_line INTEGER NOT NULL,
    file_id INTEGER NOT NULL REFERENCES handover_input (file_id),
    sheet TEXT,
    rows_read INTEGER NOT NULL,
    lines_total INTEGER,
    lines_title INTEGER,
    lines_header INTEGER,
    lines_rows INTEGER,
    lines_inside INTEGER,
    lines_swallowed INTEGER,
    lines_blank INTEGER
) STRICT;
CREATE TABLE handover_row (
    source_id INTEGER NOT NULL REFERENCES handover_source (source_id),
    line INTEGER NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome = 'transferred' OR outcome = 'excluded' OR outcome = 'rejected'),
    reason TEXT,
    record_key TEXT,
    PRIMARY KEY (source_id, line)
) STRICT, WITHOUT ROWID;
CREATE TABLE handover_row_col (
    source_id INTEGER NOT NULL REFERENCES handover_source (source_id),
    line INTEGER NOT NULL,
    start_line INTEGER NOT NULL,
    col INTEGER NOT NULL,
    PRIMARY KEY (source_id, line)
) STRICT, WITHOUT ROWID;
CREATE TABLE handover_column (
    source_id INTEGER NOT NULL REFERENCES handover_source (source_id),
    position INTEGER NOT NULL,
    column_name TEXT NOT NULL,
    fate TEXT NOT NULL CHECK (fate IN ('carried', 'ignored', 'not_carried')),
    reason TEXT,
    PRIMARY KEY (source_id, position)
) STRICT;
CREATE TABLE handover_finding (
    finding_id INTEGER PRIMARY KEY,
    rule TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('duplicate', 'orphan', 'unallocated', 'invalid_code',
        'invalid_value', 'missing_value', 'control', 'row_rule', 'existence', 'agreement',
        'configuration', 'unread', 'malformed')),
    severity TEXT NOT NULL CHECK (severity IN ('error', 'warning')),
    entity TEXT NOT NULL,
    record_key TEXT,
    file TEXT,
    sheet TEXT,
    line INTEGER,
    col INTEGER,
    column_name TEXT,
    value TEXT,
    message TEXT NOT NULL,
    mapping_file TEXT,
    mapping_line INTEGER,
    rule_file TEXT,
    rule_line INTEGER
) STRICT;
CREATE TABLE handover_ledger (
    entity TEXT PRIMARY KEY,
    source_rows INTEGER NOT NULL,
    transferred INTEGER NOT NULL,
    excluded INTEGER NOT NULL,
    rejected INTEGER NOT NULL,
    CHECK (source_rows = transferred + excluded + rejected)
) STRICT;
CREATE TABLE handover_figure (
    position INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    unit TEXT NOT NULL CHECK (unit IN ('count', 'percent', 'average')),
    sql TEXT NOT NULL,
    requires TEXT NOT NULL
) STRICT;
CREATE TABLE handover_breakdown (
    position INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    dimension TEXT NOT NULL,
    codelist TEXT,
    sql TEXT NOT NULL
) STRICT;
CREATE TABLE handover_control (
    name TEXT PRIMARY KEY,
    description TEXT NOT NULL,
    expected INTEGER,
    actual INTEGER NOT NULL,
    ok INTEGER NOT NULL CHECK (ok IN (0, 1))
) STRICT;
";

#[cfg(test)]
mod tests {
    /// Every audit table (and the lineage view) is documented in docs/schema.md.
    #[test]
    fn docs_document_every_audit_table() {
        let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/schema.md"))
            .unwrap();
        let tables = super::DDL
            .split("CREATE TABLE ")
            .skip(1)
            .filter_map(|t| t.split_whitespace().next());
        for table in tables.chain(["handover_lineage"]) {
            assert!(
                docs.contains(&format!("`{table}`")),
                "docs/schema.md lacks {table}"
            );
        }
    }
}
