//! Writing the company's tables back out as files: one CSV per table, its columns in the order
//! the schema declares them, its rows in primary-key order, dates in the format the schema's
//! `[export]` names (so that a return such as the SSDA903 is written as the DfE specifies it).
//! Exporting what a run loaded and loading the export again gives the same rows and values: the
//! round trip that shows nothing was lost.
use std::io::Write;
use std::path::Path;

use anyhow::Context;
use rusqlite::Connection;
use rusqlite::types::ValueRef;

use crate::schema::{ColType, Schema, Table};

pub mod carried;
pub mod xml;

/// One file written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// The table.
    pub table: String,
    /// The file, in the export folder.
    pub file: String,
    /// Rows written.
    pub rows: u64,
}

/// Writes every table of `schema` held in `conn` into `dir` (which must exist), each file
/// atomically and readable by its owner only.
pub fn export(conn: &Connection, schema: &Schema, dir: &Path) -> anyhow::Result<Vec<Written>> {
    schema
        .tables
        .iter()
        .map(|t| {
            let file = schema.export.file(&t.name);
            let rows = write_table(conn, schema, t, &dir.join(&file))?;
            Ok(Written {
                table: t.name.clone(),
                file,
                rows,
            })
        })
        .collect()
}

fn write_table(conn: &Connection, schema: &Schema, t: &Table, path: &Path) -> anyhow::Result<u64> {
    let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
    let sql = format!(
        "SELECT {} FROM {} ORDER BY {}",
        names.join(", "),
        t.name,
        t.key.join(", ")
    );
    let mut stmt = conn.prepare(&sql).with_context(|| {
        format!(
            "the database has no table `{}` as the schema declares it",
            t.name
        )
    })?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("failed to create a temporary file in `{}`", dir.display()))?;
    let mut out = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(std::io::BufWriter::new(tmp));
    let header: Vec<String> = names.iter().map(|n| schema.export.header(n)).collect();
    out.write_record(&header)?;
    let mut rows = stmt.query([])?;
    let mut n = 0;
    while let Some(row) = rows.next()? {
        let mut record = Vec::with_capacity(names.len());
        for (i, c) in t.columns.iter().enumerate() {
            record.push(cell(
                row.get_ref(i)?,
                c.ty,
                schema.export.date_format.as_deref(),
            ));
        }
        out.write_record(&record)?;
        n += 1;
    }
    let mut buffered = out.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
    buffered.flush()?;
    let tmp = buffered.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
    crate::fsx::set_private(tmp.path())?;
    tmp.persist(path)
        .with_context(|| format!("failed to write `{}`", path.display()))?;
    Ok(n)
}

/// A stored value as the export writes it: dates in the export's format, NULL as blank.
pub(crate) fn cell(value: ValueRef<'_>, ty: ColType, date_format: Option<&str>) -> String {
    match value {
        ValueRef::Null => String::new(),
        ValueRef::Integer(i) => i.to_string(),
        ValueRef::Real(f) => f.to_string(),
        ValueRef::Text(t) | ValueRef::Blob(t) => {
            let text = String::from_utf8_lossy(t);
            match (ty, date_format) {
                (ColType::Date, Some(format)) => text
                    .parse::<jiff::civil::Date>()
                    .map(|d| d.strftime(format).to_string())
                    .unwrap_or_else(|_| text.into_owned()),
                _ => text.into_owned(),
            }
        }
    }
}
