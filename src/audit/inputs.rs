//! `handover_input` and `handover_source`: every input file read, with its size and SHA-256, and
//! every source read from one of them (which mapping, which sheet, how many rows).
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use crate::source::lines::LineTally;

/// One input file, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InputInfo {
    /// Path relative to the input folder.
    pub path: String,
    /// Size in bytes.
    pub size: i64,
    /// Rows read.
    pub rows: i64,
    /// SHA-256.
    pub sha256: String,
    /// For a CSV: what each of its physical lines was, in words (#9).
    pub lines: Option<String>,
}

/// The `file_id` of an input file already recorded.
pub fn file_id(conn: &Connection, path: &str) -> rusqlite::Result<Option<i64>> {
    conn.query_row(
        "SELECT file_id FROM handover_input WHERE path = ?1",
        [path],
        |r| r.get(0),
    )
    .optional()
}

/// An input file to record.
pub struct FileRecord<'a> {
    /// Path relative to the input folder.
    pub path: &'a str,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256.
    pub sha256: &'a str,
    /// For a CSV: the encoding chosen and the evidence (#9).
    pub encoding: Option<&'a str>,
}

/// Records an input file; returns its `file_id`.
pub fn insert_file(conn: &Connection, f: &FileRecord) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO handover_input (path, size, sha256, rows_read, encoding) VALUES (?1, ?2, ?3, 0, ?4)",
        params![f.path, f.size as i64, f.sha256, f.encoding],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Sets how many rows were read from a file read whole (the controls file).
pub fn set_rows_read(conn: &Connection, file_id: i64, rows: u64) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE handover_input SET rows_read = ?1 WHERE file_id = ?2",
        params![rows as i64, file_id],
    )?;
    Ok(())
}

/// Where a source read is declared: its entity, mapping file and line.
pub struct SourceDecl<'a> {
    /// Ledger entity.
    pub entity: &'a str,
    /// Mapping file of its `[source]`.
    pub mapping_file: &'a str,
    /// Line of its `[source]`.
    pub mapping_line: usize,
}

/// Records one source read of one file; returns its `source_id`.
pub fn insert_source(
    conn: &Connection,
    decl: &SourceDecl,
    file_id: i64,
    sheet: Option<&str>,
) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO handover_source (entity, mapping_file, mapping_line, file_id, sheet, rows_read)
         VALUES (?1, ?2, ?3, ?4, ?5, 0)",
        params![decl.entity, decl.mapping_file, decl.mapping_line as i64, file_id, sheet],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Stores the number of rows read from a source (and, for a CSV, what each physical line was)
/// and adds the rows to its file's count.
pub fn finish_source(
    conn: &Connection,
    source_id: i64,
    file_id: i64,
    rows: u64,
    lines: Option<&LineTally>,
) -> rusqlite::Result<()> {
    let l = |f: fn(&LineTally) -> u64| lines.map(|t| f(t) as i64);
    conn.execute(
        "UPDATE handover_source SET rows_read = ?1, lines_total = ?3, lines_title = ?4,
         lines_header = ?5, lines_rows = ?6, lines_inside = ?7, lines_swallowed = ?8,
         lines_blank = ?9 WHERE source_id = ?2",
        params![
            rows as i64,
            source_id,
            l(|t| t.total),
            l(|t| t.title),
            l(|t| t.header),
            l(|t| t.rows),
            l(|t| t.inside),
            l(|t| t.swallowed),
            l(|t| t.blank)
        ],
    )?;
    conn.execute(
        "UPDATE handover_input SET rows_read = rows_read + ?1 WHERE file_id = ?2",
        params![rows as i64, file_id],
    )?;
    Ok(())
}

/// Every input file recorded, by path; a CSV's line tally is its first source's.
pub fn all(conn: &Connection) -> rusqlite::Result<Vec<InputInfo>> {
    let mut stmt = conn.prepare(
        "SELECT i.path, i.size, i.rows_read, i.sha256, s.lines_total, s.lines_title,
                s.lines_header, s.lines_rows, s.lines_inside, s.lines_swallowed, s.lines_blank
         FROM handover_input i
         LEFT JOIN handover_source s ON s.source_id =
             (SELECT min(source_id) FROM handover_source
              WHERE file_id = i.file_id AND lines_total IS NOT NULL)
         ORDER BY i.path",
    )?;
    let rows = stmt.query_map([], |r| {
        let n = |i: usize| r.get::<_, Option<i64>>(i).map(|v| v.unwrap_or(0) as u64);
        let lines = match r.get::<_, Option<i64>>(4)? {
            None => None,
            Some(total) => Some(
                LineTally {
                    total: total as u64,
                    title: n(5)?,
                    header: n(6)?,
                    rows: n(7)?,
                    inside: n(8)?,
                    swallowed: n(9)?,
                    blank: n(10)?,
                }
                .describe(),
            ),
        };
        Ok(InputInfo {
            path: r.get(0)?,
            size: r.get(1)?,
            rows: r.get(2)?,
            sha256: r.get(3)?,
            lines,
        })
    })?;
    rows.collect()
}
