//! Where each company row came from, held in the row itself: the loader gives every company row
//! the rowid [`rowid`] builds from its source, its source row's line and its target, so a row's
//! lineage costs no record of its own, is written as the row is, and goes with the row when an
//! orphan check deletes it. [`source_sql`] and [`line_sql`] read it back in SQL, and the
//! `handover_lineage` view ([`view_ddl`]) shows it as a table, one row per company row, for
//! auditors. This module also looks up the record key of a source row, and rejects a source row
//! whose company rows an orphan check removed.
use rusqlite::{Connection, OptionalExtension};

/// Bits of a rowid that number the target of the row's mapping (the low bits).
const TARGET_BITS: u32 = 8;
/// Bits of a rowid that hold the source row's line (above the target).
const LINE_BITS: u32 = 36;
/// Bits left for the source above the line, under the sign bit.
const SOURCE_BITS: u32 = 63 - LINE_BITS - TARGET_BITS;

/// The most targets one mapping may have (each numbers its rows' rowids).
pub const MAX_TARGETS: usize = 1 << TARGET_BITS;
/// The highest line (or spreadsheet row) a source row may be on.
pub const MAX_LINE: u64 = (1 << LINE_BITS) - 1;
/// The most sources (file, sheet and mapping) one run may read.
pub const MAX_SOURCES: i64 = (1 << SOURCE_BITS) - 1;

/// The rowid of the company row that target `target` of source `source_id` writes for the row on
/// `line`: source, line and target, high bits to low, so rowids grow as the load goes on and each
/// insert appends. `None` when a part is beyond its bits ([`MAX_SOURCES`], [`MAX_LINE`],
/// [`MAX_TARGETS`]).
pub fn rowid(source_id: i64, line: u64, target: usize) -> Option<i64> {
    if !(0..=MAX_SOURCES).contains(&source_id) || line > MAX_LINE || target >= MAX_TARGETS {
        return None;
    }
    Some((source_id << (LINE_BITS + TARGET_BITS)) | ((line as i64) << TARGET_BITS) | target as i64)
}

/// The first and last rowid any company row from source row (`source_id`, `line`) can have.
fn row_range(source_id: i64, line: i64) -> (i64, i64) {
    let first = (source_id << (LINE_BITS + TARGET_BITS)) | (line << TARGET_BITS);
    (first, first | (MAX_TARGETS as i64 - 1))
}

/// SQL for the source (`handover_source.source_id`) company row `table.rowid` came from.
pub fn source_sql(table: &str) -> String {
    format!("({table}.rowid >> {})", LINE_BITS + TARGET_BITS)
}

/// SQL for the line of the source row company row `table.rowid` came from.
pub fn line_sql(table: &str) -> String {
    format!("(({table}.rowid >> {TARGET_BITS}) & {MAX_LINE})")
}

/// A condition on `rowid` true for the company rows of a table that came from `source_ids`.
pub fn from_sources(source_ids: &[i64]) -> String {
    let shift = LINE_BITS + TARGET_BITS;
    let ranges: Vec<String> = source_ids
        .iter()
        .map(|s| {
            let first = s << shift;
            format!(
                "rowid BETWEEN {first} AND {}",
                first | ((1i64 << shift) - 1)
            )
        })
        .collect();
    if ranges.is_empty() {
        "0".to_string()
    } else {
        format!("({})", ranges.join(" OR "))
    }
}

/// `CREATE VIEW handover_lineage`: every row of the company `tables` with the source and line it
/// came from, as (target_table, target_rowid, source_id, line).
pub fn view_ddl<'t>(tables: impl IntoIterator<Item = &'t str>) -> String {
    let arms: Vec<String> = tables
        .into_iter()
        .map(|t| {
            format!(
                "SELECT '{t}', rowid, {}, {} FROM {t}",
                source_sql(t),
                line_sql(t)
            )
        })
        .collect();
    let body = if arms.is_empty() {
        "SELECT NULL, NULL, NULL, NULL WHERE 0".to_string()
    } else {
        arms.join("\nUNION ALL ")
    };
    format!(
        "CREATE VIEW handover_lineage (target_table, target_rowid, source_id, line) AS\n{body};\n"
    )
}

/// The record key recorded for source row (`source_id`, `line`).
pub fn record_key(
    conn: &Connection,
    source_id: i64,
    line: i64,
) -> rusqlite::Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT record_key FROM handover_row WHERE source_id = ?1 AND line = ?2",
            [source_id, line],
            |r| r.get(0),
        )
        .optional()?
        .flatten())
}

/// The rowids of company `table` that came from source row (`source_id`, `line`).
pub fn targets(
    conn: &Connection,
    table: &str,
    source_id: i64,
    line: i64,
) -> rusqlite::Result<Vec<i64>> {
    let (first, last) = row_range(source_id, line);
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT rowid FROM {table} WHERE rowid BETWEEN ?1 AND ?2"
    ))?;
    let rows = stmt.query_map([first, last], |r| r.get(0))?;
    rows.collect()
}

/// Marks source row (`source_id`, `line`) rejected; true when it was transferred until now.
pub fn reject(conn: &Connection, source_id: i64, line: i64) -> rusqlite::Result<bool> {
    let changed = conn.execute(
        "UPDATE handover_row SET outcome = 'rejected' WHERE source_id = ?1 AND line = ?2 AND outcome = 'transferred'",
        [source_id, line],
    )?;
    Ok(changed == 1)
}

/// The input file of the company row of `table` whose `columns` hold `values`, if any, and where
/// in it the row is (`line 12`, or `line 3, column 7` for an XML record): the first holder of a
/// natural key, for a duplicate's message.
pub fn holder(
    conn: &Connection,
    table: &str,
    columns: &[&str],
    values: &[&dyn rusqlite::ToSql],
) -> rusqlite::Result<Option<(String, String)>> {
    let wheres: Vec<String> = columns
        .iter()
        .enumerate()
        .map(|(n, c)| format!("{table}.{c} = ?{}", n + 1))
        .collect();
    let sql = format!(
        "SELECT i.path, coalesce(c.start_line, {line}), c.col FROM {table}
         JOIN handover_source s ON s.source_id = {source}
         JOIN handover_input i ON i.file_id = s.file_id
         LEFT JOIN handover_row_col c ON c.source_id = s.source_id AND c.line = {line}
         WHERE {}",
        wheres.join(" AND "),
        line = line_sql(table),
        source = source_sql(table),
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(values)?;
    rows.next()?
        .map(|r| {
            let (line, col): (i64, Option<i64>) = (r.get(1)?, r.get(2)?);
            let at = crate::source::At {
                line: line as u64,
                col: col.map(|c| c as u64),
            };
            Ok((r.get(0)?, at.long()))
        })
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A rowid gives back its source and line through the SQL that reads them, and rowids grow
    /// with (source, line, target).
    #[test]
    fn a_rowid_holds_its_source_and_line() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (x TEXT)").unwrap();
        let cases = [
            (1, 2, 0),
            (1, 2, 1),
            (1, 3, 0),
            (2, 1, 0),
            (MAX_SOURCES, MAX_LINE, 255),
        ];
        let mut last = 0;
        for (s, l, t) in cases {
            let id = rowid(s, l, t).unwrap();
            assert!(id > last, "rowids grow: {s} {l} {t}");
            last = id;
            conn.execute("INSERT INTO t (rowid, x) VALUES (?1, 'v')", [id])
                .unwrap();
            let (gs, gl): (i64, i64) = conn
                .query_row(
                    &format!(
                        "SELECT {}, {} FROM t WHERE rowid = ?1",
                        source_sql("t"),
                        line_sql("t")
                    ),
                    [id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .unwrap();
            assert_eq!((gs, gl as u64), (s, l));
        }
        assert_eq!(targets(&conn, "t", 1, 2).unwrap().len(), 2);
        let from_one: i64 = conn
            .query_row(
                &format!("SELECT count(*) FROM t WHERE {}", from_sources(&[1])),
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(from_one, 3);
    }

    /// A part beyond its bits gives no rowid rather than one that reads back wrong.
    #[test]
    fn parts_beyond_their_bits_give_no_rowid() {
        assert_eq!(rowid(MAX_SOURCES + 1, 1, 0), None);
        assert_eq!(rowid(-1, 1, 0), None);
        assert_eq!(rowid(1, MAX_LINE + 1, 0), None);
        assert_eq!(rowid(1, 1, MAX_TARGETS), None);
    }
}
