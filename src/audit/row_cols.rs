//! `handover_row_col`: where each source row starts in its file, for the formats whose rows are
//! not lines of their own (an XML record: the line and column of its start tag `<`), so that a
//! finding raised after the load (an orphan, a declared rule, a duplicate) sends the analyst to
//! `file [record path]:line:col` as a load-time finding does (#12). Such a row is known
//! everywhere else by (source, its number among the file's records): records may share a line.
//! Rows of CSV files and spreadsheets, which are whole lines, write nothing here: their load
//! costs what it did.
use rusqlite::{Connection, OptionalExtension};

use super::rows::BATCH;
use crate::source::Place;

/// Row places waiting to be written, for one source: one multi-row `INSERT` per 64 rows, in
/// line order (each appends to the table's b-tree), as [`super::rows::AuditBuffer`] writes rows.
pub struct ColBuffer {
    source_id: i64,
    /// (row number, start line, start column).
    waiting: Vec<(i64, i64, i64)>,
}

impl ColBuffer {
    /// An empty buffer for `source_id`.
    pub fn new(source_id: i64) -> Self {
        ColBuffer {
            source_id,
            waiting: Vec::new(),
        }
    }

    /// Records that source row `line` (its number) starts at `place`.
    pub fn push(&mut self, conn: &Connection, line: u64, place: Place) -> rusqlite::Result<()> {
        self.waiting
            .push((line as i64, place.line as i64, place.col as i64));
        if self.waiting.len() >= BATCH {
            self.flush(conn)?;
        }
        Ok(())
    }

    /// Writes everything waiting.
    pub fn flush(&mut self, conn: &Connection) -> rusqlite::Result<()> {
        if self.waiting.is_empty() {
            return Ok(());
        }
        let sql = super::rows::insert_sql(
            "handover_row_col (source_id, line, start_line, col)",
            4,
            self.waiting.len(),
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        for (n, (line, start, col)) in self.waiting.iter().enumerate() {
            let at = n * 4;
            stmt.raw_bind_parameter(at + 1, self.source_id)?;
            stmt.raw_bind_parameter(at + 2, *line)?;
            stmt.raw_bind_parameter(at + 3, *start)?;
            stmt.raw_bind_parameter(at + 4, *col)?;
        }
        stmt.raw_execute()?;
        self.waiting.clear();
        Ok(())
    }
}

/// Where source row (`source_id`, `line`) starts, when its rows are not lines of their own.
pub fn place(conn: &Connection, source_id: i64, line: i64) -> rusqlite::Result<Option<Place>> {
    let mut stmt = conn.prepare_cached(
        "SELECT start_line, col FROM handover_row_col WHERE source_id = ?1 AND line = ?2",
    )?;
    let at: Option<(i64, i64)> = stmt
        .query_row([source_id, line], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(at.map(|(line, col)| Place {
        line: line as u64,
        col: col as u64,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_are_written_in_batches_and_looked_up_by_source_and_record() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE handover_source (source_id INTEGER PRIMARY KEY);
             INSERT INTO handover_source VALUES (1), (2);",
        )
        .unwrap();
        let ddl = super::super::DDL;
        let start = ddl.find("CREATE TABLE handover_row_col").unwrap();
        let end = start + ddl[start..].find(';').unwrap() + 1;
        conn.execute_batch(&ddl[start..end]).unwrap();
        let mut buf = ColBuffer::new(2);
        // Records 1 to 67, three to a line.
        for n in 1..=(BATCH as u64 + 3) {
            let place = Place {
                line: n.div_ceil(3),
                col: 5 + (n % 3) * 20,
            };
            buf.push(&conn, n, place).unwrap();
        }
        buf.flush(&conn).unwrap();
        let n: i64 = conn
            .query_row("SELECT count(*) FROM handover_row_col", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, BATCH as i64 + 3);
        let at = |line, col| Some(Place { line, col });
        assert_eq!(place(&conn, 2, 65).unwrap(), at(22, 45));
        assert_eq!(place(&conn, 2, 66).unwrap(), at(22, 5));
        assert_eq!(place(&conn, 2, 68).unwrap(), None, "no such record");
        assert_eq!(place(&conn, 1, 65).unwrap(), None, "another source");
    }
}
