//! `handover_row_col`: the column where each source row starts on its line, for the formats that
//! have one (an XML record's start tag `<`), so that a finding raised after the load (an orphan,
//! a declared rule, a duplicate) sends the analyst to `file [record path]:line:col` as a
//! load-time finding does (#12). A source row is known everywhere else by (source, line): XML
//! records that share a line are refused before anything is read, so (source, line) still names
//! one record and the column only places it. Rows of CSV files and spreadsheets, which are whole
//! lines, write nothing here: their load costs what it did.
use rusqlite::{Connection, OptionalExtension};

const BATCH: usize = 64;

/// Row columns waiting to be written, for one source: one multi-row `INSERT` per 64 rows, in
/// line order (each appends to the table's b-tree), as [`super::rows::AuditBuffer`] writes rows.
pub struct ColBuffer {
    source_id: i64,
    /// (line, col).
    waiting: Vec<(i64, i64)>,
}

impl ColBuffer {
    /// An empty buffer for `source_id`.
    pub fn new(source_id: i64) -> Self {
        ColBuffer {
            source_id,
            waiting: Vec::new(),
        }
    }

    /// Records that source row `line` starts at column `col`.
    pub fn push(&mut self, conn: &Connection, line: u64, col: u64) -> rusqlite::Result<()> {
        self.waiting.push((line as i64, col as i64));
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
        let one = "(?, ?, ?)";
        let sql = format!(
            "INSERT INTO handover_row_col (source_id, line, col) VALUES {}",
            vec![one; self.waiting.len()].join(", ")
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        for (n, (line, col)) in self.waiting.iter().enumerate() {
            let at = n * 3;
            stmt.raw_bind_parameter(at + 1, self.source_id)?;
            stmt.raw_bind_parameter(at + 2, *line)?;
            stmt.raw_bind_parameter(at + 3, *col)?;
        }
        stmt.raw_execute()?;
        self.waiting.clear();
        Ok(())
    }
}

/// The column where source row (`source_id`, `line`) starts, when its format has one.
pub fn col(conn: &Connection, source_id: i64, line: i64) -> rusqlite::Result<Option<u64>> {
    let mut stmt =
        conn.prepare_cached("SELECT col FROM handover_row_col WHERE source_id = ?1 AND line = ?2")?;
    let col: Option<i64> = stmt.query_row([source_id, line], |r| r.get(0)).optional()?;
    Ok(col.map(|c| c as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_written_in_batches_and_looked_up_by_source_and_line() {
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
        for line in 1..=(BATCH as u64 + 3) {
            buf.push(&conn, line * 10, line % 7 + 1).unwrap();
        }
        buf.flush(&conn).unwrap();
        let n: i64 = conn
            .query_row("SELECT count(*) FROM handover_row_col", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, BATCH as i64 + 3);
        assert_eq!(col(&conn, 2, 650).unwrap(), Some(65 % 7 + 1));
        assert_eq!(col(&conn, 2, 655).unwrap(), None, "no row starts there");
        assert_eq!(col(&conn, 1, 650).unwrap(), None, "another source");
    }
}
