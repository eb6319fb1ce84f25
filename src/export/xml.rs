//! The tables as one XML file, in the layout the schema's `[export.xml]` declares (#12): the root
//! element; one group element per value of the group key, in order of the key; in each, the head
//! table's record (the key written as `key_element`; a head holding only the key when the head
//! table has no row for it), then each table's records for the key, in the declared order, each
//! table's rows in primary-key order; every column an element, an empty value an empty element.
//! The tables are read together, one cursor each ordered by the group key, so the file streams.
//! Two-space indent, LF line ends, `&`, `<` and `>` escaped: the same database writes the same
//! bytes.
use std::io::Write;
use std::path::Path;

use anyhow::Context;
use rusqlite::{Connection, Rows, Statement};

use super::{Written, cell};
use crate::schema::{Schema, XmlExport, XmlRecord};

/// One table's cursor, with its next row read ahead: (group key, values in column order).
struct Cursor<'s> {
    rows: Rows<'s>,
    next: Option<(String, Vec<String>)>,
    count: u64,
}

/// Writes the XML file into `dir`, atomically and readable by its owner only.
pub fn export(
    conn: &Connection,
    schema: &Schema,
    layout: &XmlExport,
    dir: &Path,
) -> anyhow::Result<Vec<Written>> {
    let path = dir.join(&layout.file);
    let mut stmts = layout
        .records
        .iter()
        .map(|r| statement(conn, schema, layout, r))
        .collect::<anyhow::Result<Vec<Statement<'_>>>>()?;
    let mut cursors = Vec::new();
    for (stmt, r) in stmts.iter_mut().zip(&layout.records) {
        let mut c = Cursor {
            rows: stmt.query([])?,
            next: None,
            count: 0,
        };
        advance(&mut c, schema, r)?;
        cursors.push(c);
    }
    let tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("failed to create a temporary file in `{}`", dir.display()))?;
    let mut out = std::io::BufWriter::new(tmp);
    writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    writeln!(out, "<{}>", layout.root)?;
    while let Some(key) = cursors
        .iter()
        .filter_map(|c| c.next.as_ref().map(|n| &n.0))
        .min()
        .cloned()
    {
        group(&mut out, schema, layout, &mut cursors, &key)?;
    }
    writeln!(out, "</{}>", layout.root)?;
    out.flush()?;
    let tmp = out.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
    crate::fsx::set_private(tmp.path())?;
    tmp.persist(&path)
        .with_context(|| format!("failed to write `{}`", path.display()))?;
    Ok(layout
        .records
        .iter()
        .zip(&cursors)
        .map(|(r, c)| Written {
            table: r.table.clone(),
            file: layout.file.clone(),
            rows: c.count,
        })
        .collect())
}

/// One group: the head record (or the key alone), then every table's records for `key`.
fn group(
    out: &mut impl Write,
    schema: &Schema,
    layout: &XmlExport,
    cursors: &mut [Cursor<'_>],
    key: &str,
) -> anyhow::Result<()> {
    writeln!(out, "  <{}>", layout.group)?;
    for (i, (c, r)) in cursors.iter_mut().zip(&layout.records).enumerate() {
        let mut wrote = false;
        while c.next.as_ref().is_some_and(|n| n.0 == key) {
            if let Some((_, values)) = c.next.take() {
                let head = (i == 0).then_some(key);
                element(out, schema, layout, r, head, &values)?;
                wrote = true;
            }
            advance(c, schema, r)?;
        }
        if i == 0 && !wrote {
            writeln!(out, "    <{}>", r.element)?;
            leaf(out, &layout.key_element, key)?;
            writeln!(out, "    </{}>", r.element)?;
        }
    }
    writeln!(out, "  </{}>", layout.group)?;
    Ok(())
}

fn element(
    out: &mut impl Write,
    schema: &Schema,
    layout: &XmlExport,
    r: &XmlRecord,
    head: Option<&str>,
    values: &[String],
) -> std::io::Result<()> {
    writeln!(out, "    <{}>", r.element)?;
    if let Some(key) = head {
        leaf(out, &layout.key_element, key)?;
    }
    for (column, value) in r.columns.iter().zip(values) {
        leaf(out, &schema.export.header(column), value)?;
    }
    writeln!(out, "    </{}>", r.element)
}

fn leaf(out: &mut impl Write, name: &str, value: &str) -> std::io::Result<()> {
    if value.is_empty() {
        writeln!(out, "      <{name}/>")
    } else {
        writeln!(
            out,
            "      <{name}>{}</{name}>",
            quick_xml::escape::partial_escape(value)
        )
    }
}

/// Reads the cursor's next row ahead.
fn advance(c: &mut Cursor<'_>, schema: &Schema, r: &XmlRecord) -> anyhow::Result<()> {
    c.next = match c.rows.next()? {
        None => None,
        Some(row) => {
            let table = schema.table(&r.table).context("a table of the layout")?;
            let key: String = match row.get_ref(0)? {
                rusqlite::types::ValueRef::Null => String::new(),
                v => cell(v, crate::schema::ColType::Text, None),
            };
            let mut values = Vec::with_capacity(r.columns.len());
            for (i, name) in r.columns.iter().enumerate() {
                let ty = table.columns.iter().find(|c| &c.name == name).map(|c| c.ty);
                let ty = ty.unwrap_or(crate::schema::ColType::Text);
                values.push(cell(
                    row.get_ref(i + 1)?,
                    ty,
                    schema.export.date_format.as_deref(),
                ));
            }
            c.count += 1;
            Some((key, values))
        }
    };
    Ok(())
}

/// The query of one table: the group key as text first, then the columns, in group-key order
/// (compared as text, as the merge compares them) and then the table's key.
fn statement<'c>(
    conn: &'c Connection,
    schema: &Schema,
    layout: &XmlExport,
    r: &XmlRecord,
) -> anyhow::Result<Statement<'c>> {
    let table = schema.table(&r.table).context("a table of the layout")?;
    let sql = format!(
        "SELECT CAST({key} AS TEXT), {} FROM {} ORDER BY CAST({key} AS TEXT), {}",
        r.columns.join(", "),
        table.name,
        table.key.join(", "),
        key = layout.group_key,
    );
    conn.prepare(&sql).with_context(|| {
        format!(
            "the database has no table `{}` as the schema declares it",
            table.name
        )
    })
}
