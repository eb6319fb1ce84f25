//! What an XML layout does not carry (#12), counted as the export streams so that nothing is
//! lost in silence: the rows of each table the layout leaves out (with the schema's reason), the
//! values of `from_head` columns that differ from the head's (the layout holds them once), and
//! the rows of a merged table whose `recognised_by` column is blank (written, but a reader of the
//! layout recognises such a row by that column, so it would not read it back).
use anyhow::Context;
use rusqlite::Connection;

use crate::schema::XmlExport;

/// What is not carried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lost {
    /// The table's rows: the layout has no element for it.
    Table,
    /// The column's values: the layout holds them once, in the head.
    Value(String),
    /// The rows: written, but with the column a reader recognises them by blank.
    Unrecognised(String),
}

/// One thing the layout could not carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotCarried {
    /// The table.
    pub table: String,
    /// What of it.
    pub lost: Lost,
    /// Rows concerned.
    pub rows: u64,
    /// Why.
    pub reason: String,
}

/// The counts one table's cursor keeps as its rows are written.
#[derive(Debug, Clone, Default)]
pub struct Counts {
    /// Per `from_head` column: rows whose value differs from the head's.
    pub differs: Vec<u64>,
    /// Rows whose `recognised_by` column is blank.
    pub unrecognised: u64,
}

/// The tables left out with their rows (whether or not they have any), then each `from_head`
/// column that differed somewhere and each merged table with rows a reader would not recognise.
pub fn not_carried(
    conn: &Connection,
    layout: &XmlExport,
    counts: &[&Counts],
) -> anyhow::Result<Vec<NotCarried>> {
    let mut out = Vec::new();
    for (table, reason) in &layout.left_out {
        let rows: i64 = conn
            .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
            .with_context(|| {
                format!("the database has no table `{table}` as the schema declares it")
            })?;
        out.push(NotCarried {
            table: table.clone(),
            lost: Lost::Table,
            rows: u64::try_from(rows).unwrap_or(0),
            reason: reason.clone(),
        });
    }
    for (r, c) in layout.records.iter().zip(counts) {
        for ((column, head), n) in r.from_head.iter().zip(&c.differs) {
            if *n > 0 {
                out.push(NotCarried {
                    table: r.table.clone(),
                    lost: Lost::Value(column.clone()),
                    rows: *n,
                    reason: format!(
                        "its value differs from the head's `{head}`, and the layout holds it once, in the head"
                    ),
                });
            }
        }
        if let Some(i) = r.recognised_by
            && c.unrecognised > 0
        {
            out.push(NotCarried {
                table: r.table.clone(),
                lost: Lost::Unrecognised(r.columns[i].clone()),
                rows: c.unrecognised,
                reason: format!(
                    "written, but `{}` is blank, and a reader of the layout recognises the row by it",
                    r.columns[i]
                ),
            });
        }
    }
    Ok(out)
}

/// The summary's lines for `not_carried`, then its total line (none when there is nothing).
pub fn summary(not_carried: &[NotCarried]) -> Vec<String> {
    let mut lines: Vec<String> = not_carried
        .iter()
        .map(|n| {
            let what = match &n.lost {
                Lost::Table => "not written".to_string(),
                Lost::Value(c) => format!("`{c}` not written"),
                Lost::Unrecognised(_) => "not recognisable".to_string(),
            };
            format!("{:>9} rows  {what}  ({}): {}", n.rows, n.table, n.reason)
        })
        .collect();
    if not_carried.is_empty() {
        return lines;
    }
    let sum = |f: &dyn Fn(&Lost) -> bool| -> (u64, usize) {
        let hits: Vec<&NotCarried> = not_carried.iter().filter(|n| f(&n.lost)).collect();
        (hits.iter().map(|n| n.rows).sum(), hits.len())
    };
    let (rows, tables) = sum(&|l| *l == Lost::Table);
    let mut total = format!(
        "not carried by the layout: {rows} rows of {tables} table{} left out",
        if tables == 1 { "" } else { "s" }
    );
    let (values, _) = sum(&|l| matches!(l, Lost::Value(_)));
    if values > 0 {
        total.push_str(&format!(
            "; {values} values held once in the head that differed"
        ));
    }
    let (unread, _) = sum(&|l| matches!(l, Lost::Unrecognised(_)));
    if unread > 0 {
        total.push_str(&format!("; {unread} rows a reader would not recognise"));
    }
    lines.push(total);
    lines
}
