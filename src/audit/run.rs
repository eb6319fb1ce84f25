//! `handover_run` and `handover_mapping`: the run's parameters, and every mapping and schema file
//! it read, with its SHA-256.
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

/// The run, as recorded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunInfo {
    /// handover's version.
    pub tool_version: String,
    /// `dry_run` or `final`.
    pub mode: String,
    /// The extract's as-at date.
    pub as_at: Option<String>,
    /// The company the database was loaded for (its schema folder's `[company]`).
    pub company: String,
    /// When the run started (UTC; `SOURCE_DATE_EPOCH` when set).
    pub started_at: String,
    /// Mapping folder, as given.
    pub mappings_dir: String,
    /// Input folder, as given.
    pub input_dir: String,
}

/// One mapping or schema file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MappingInfo {
    /// Path relative to the mapping folder.
    pub path: String,
    /// SHA-256.
    pub sha256: String,
}

/// Records the run (`run_id` 1) with its parameters as JSON.
pub fn record(conn: &Connection, run: &RunInfo, parameters: &str) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO handover_run (run_id, tool_version, mode, as_at, company, started_at, mappings_dir, input_dir, parameters)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            run.tool_version,
            run.mode,
            run.as_at,
            run.company,
            run.started_at,
            run.mappings_dir,
            run.input_dir,
            parameters,
        ],
    )?;
    Ok(())
}

/// Records the mapping and schema files the run read.
pub fn record_files<'f>(
    conn: &Connection,
    files: impl IntoIterator<Item = (&'f str, String)>,
) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare("INSERT INTO handover_mapping (path, sha256) VALUES (?1, ?2)")?;
    for (path, sha256) in files {
        stmt.execute(params![path, sha256])?;
    }
    Ok(())
}

/// The run recorded in `conn`, if it holds one.
pub fn read(conn: &Connection) -> rusqlite::Result<Option<RunInfo>> {
    conn.query_row(
        "SELECT tool_version, mode, as_at, company, started_at, mappings_dir, input_dir FROM handover_run WHERE run_id = 1",
        [],
        |r| {
            Ok(RunInfo {
                tool_version: r.get(0)?,
                mode: r.get(1)?,
                as_at: r.get(2)?,
                company: r.get(3)?,
                started_at: r.get(4)?,
                mappings_dir: r.get(5)?,
                input_dir: r.get(6)?,
            })
        },
    )
    .optional()
}

/// Every mapping and schema file recorded, by path.
pub fn files(conn: &Connection) -> rusqlite::Result<Vec<MappingInfo>> {
    let mut stmt = conn.prepare("SELECT path, sha256 FROM handover_mapping ORDER BY path")?;
    let rows = stmt.query_map([], |r| {
        Ok(MappingInfo {
            path: r.get(0)?,
            sha256: r.get(1)?,
        })
    })?;
    rows.collect()
}
