//! The tables as one XML file, in a layout the schema's `[[export.xml]]` declares (#12): the root
//! element; one group element per value of the group key, in order of the key; in each, the head
//! table's record (the key written first, as `key_element`), holding the columns of `merged`
//! tables and the records of `nested` ones where the layout places them, then the records of the
//! tables placed `after` it, in the declared order, each table's rows in primary-key order; every
//! column an element, an empty value an empty element. A group whose head table has no row still
//! gets a head, holding the key and whatever is merged or nested in it, so no row is dropped.
//! The tables are read together, one cursor each ordered by the group key, so the file streams.
//! What the layout cannot carry is counted, never dropped in silence ([`super::carried`]). Two-space indent, LF
//! line ends, `&`, `<` and `>` escaped: the same database writes the same bytes.
use std::io::Write;
use std::path::Path;

use anyhow::Context;
use rusqlite::{Connection, Rows, Statement};

use super::carried::{Counts, NotCarried, not_carried};
use super::{Written, cell};
use crate::schema::{HeadItem, Place, Schema, XmlExport, XmlRecord};

/// What [`export`] wrote, and what it could not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlWritten {
    /// Rows written per table.
    pub written: Vec<Written>,
    /// What the layout does not carry (always every table it leaves out, with its rows).
    pub not_carried: Vec<NotCarried>,
}

/// One table's row: its group key and its values (the columns written, then the `from_head`
/// columns).
struct Row {
    key: String,
    values: Vec<String>,
}

/// One table's cursor, with its next row read ahead.
struct Cursor<'s> {
    rows: Rows<'s>,
    next: Option<Row>,
    count: u64,
    /// What it could not carry.
    counts: Counts,
}

/// The file being written.
struct Out<'a, W: Write> {
    w: W,
    schema: &'a Schema,
    layout: &'a XmlExport,
}

/// Writes the XML file into `dir`, atomically and readable by its owner only.
pub fn export(
    conn: &Connection,
    schema: &Schema,
    layout: &XmlExport,
    dir: &Path,
) -> anyhow::Result<XmlWritten> {
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
            counts: Counts {
                differs: vec![0; r.from_head.len()],
                unrecognised: 0,
            },
        };
        advance(&mut c, schema, r)?;
        cursors.push(c);
    }
    let tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("failed to create a temporary file in `{}`", dir.display()))?;
    let mut out = Out {
        w: std::io::BufWriter::new(tmp),
        schema,
        layout,
    };
    writeln!(out.w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    out.open(0, &layout.root)?;
    while let Some(key) = cursors
        .iter()
        .filter_map(|c| c.next.as_ref().map(|n| &n.key))
        .min()
        .cloned()
    {
        out.group(&mut cursors, &key)?;
    }
    out.close(0, &layout.root)?;
    out.w.flush()?;
    let tmp = out.w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
    crate::fsx::set_private(tmp.path())?;
    tmp.persist(&path)
        .with_context(|| format!("failed to write `{}`", path.display()))?;
    Ok(XmlWritten {
        written: layout
            .records
            .iter()
            .zip(&cursors)
            .map(|(r, c)| Written {
                table: r.table.clone(),
                file: layout.file.clone(),
                rows: c.count,
            })
            .collect(),
        not_carried: not_carried(
            conn,
            layout,
            &cursors.iter().map(|c| &c.counts).collect::<Vec<_>>(),
        )?,
    })
}

impl<W: Write> Out<'_, W> {
    /// One group: its head (or heads), then the records placed after it.
    fn group(&mut self, cursors: &mut [Cursor<'_>], key: &str) -> anyhow::Result<()> {
        let layout = self.layout;
        self.open(1, &layout.group)?;
        let heads = take(&mut cursors[0], self.schema, &layout.records[0], key)?;
        if heads.is_empty() {
            self.head(cursors, key, None, true)?;
        }
        for (i, h) in heads.iter().enumerate() {
            self.head(cursors, key, Some(&h.values), i == 0)?;
        }
        let head_values = heads.first().map(|h| h.values.as_slice());
        for (i, r) in layout.records.iter().enumerate() {
            if r.place == Place::After {
                self.records(&mut cursors[i], r, key, head_values, 2)?;
            }
        }
        Ok(self.close(1, &layout.group)?)
    }

    /// A head element: the key, then the head's items (its columns only when it has a row; the
    /// merged and nested records in the first head only).
    fn head(
        &mut self,
        cursors: &mut [Cursor<'_>],
        key: &str,
        values: Option<&[String]>,
        inside: bool,
    ) -> anyhow::Result<()> {
        let layout = self.layout;
        let head = &layout.records[0];
        self.open(2, &head.element)?;
        self.leaf(3, &layout.key_element, key)?;
        for item in &layout.head {
            match *item {
                HeadItem::Column(c) => {
                    if let Some(v) = values {
                        self.leaf(3, &head.names[c], &v[c])?;
                    }
                }
                HeadItem::Record(i) if inside => {
                    let r = &layout.records[i];
                    if r.place == Place::Merged {
                        self.merged(&mut cursors[i], r, key, values)?;
                    } else {
                        self.records(&mut cursors[i], r, key, values, 3)?;
                    }
                }
                HeadItem::Record(_) => {}
            }
        }
        Ok(self.close(2, &head.element)?)
    }

    /// A merged table's row for `key` as elements of the head: its flag (written whether or not
    /// there is a row), then its columns when there is one.
    fn merged(
        &mut self,
        c: &mut Cursor<'_>,
        r: &XmlRecord,
        key: &str,
        head: Option<&[String]>,
    ) -> anyhow::Result<()> {
        let rows = take(c, self.schema, r, key)?;
        if let Some(flag) = &r.flag {
            let v = if rows.is_empty() {
                &flag.absent
            } else {
                &flag.present
            };
            self.leaf(3, &flag.element, v)?;
        }
        for row in &rows {
            self.check_from_head(c, r, row, head);
            if r.recognised_by.is_some_and(|i| row.values[i].is_empty()) {
                c.counts.unrecognised += 1;
            }
            for (name, v) in r.names.iter().zip(&row.values) {
                self.leaf(3, name, v)?;
            }
        }
        Ok(())
    }

    /// Each row of `r` for `key` as its own element at `depth`.
    fn records(
        &mut self,
        c: &mut Cursor<'_>,
        r: &XmlRecord,
        key: &str,
        head: Option<&[String]>,
        depth: usize,
    ) -> anyhow::Result<()> {
        for row in take(c, self.schema, r, key)? {
            self.check_from_head(c, r, &row, head);
            self.open(depth, &r.element)?;
            for (name, v) in r.names.iter().zip(&row.values) {
                self.leaf(depth + 1, name, v)?;
            }
            self.close(depth, &r.element)?;
        }
        Ok(())
    }

    /// Counts each `from_head` value of `row` that the head (its first row, or none) does not hold.
    fn check_from_head(
        &self,
        c: &mut Cursor<'_>,
        r: &XmlRecord,
        row: &Row,
        head: Option<&[String]>,
    ) {
        let head_record = &self.layout.records[0];
        for (j, (_, head_column)) in r.from_head.iter().enumerate() {
            let held = head
                .zip(head_record.columns.iter().position(|x| x == head_column))
                .map_or("", |(v, p)| v[p].as_str());
            if row.values[r.columns.len() + j] != held {
                c.counts.differs[j] += 1;
            }
        }
    }

    fn open(&mut self, depth: usize, name: &str) -> std::io::Result<()> {
        writeln!(self.w, "{:indent$}<{name}>", "", indent = depth * 2)
    }

    fn close(&mut self, depth: usize, name: &str) -> std::io::Result<()> {
        writeln!(self.w, "{:indent$}</{name}>", "", indent = depth * 2)
    }

    fn leaf(&mut self, depth: usize, name: &str, value: &str) -> std::io::Result<()> {
        let indent = depth * 2;
        match (value.is_empty(), self.layout.spaced_empty) {
            (true, false) => writeln!(self.w, "{:indent$}<{name}/>", ""),
            (true, true) => writeln!(self.w, "{:indent$}<{name} />", ""),
            (false, _) => writeln!(
                self.w,
                "{:indent$}<{name}>{}</{name}>",
                "",
                quick_xml::escape::partial_escape(value)
            ),
        }
    }
}

/// The cursor's rows for `key` (it is at them or past them: keys come in order).
fn take(c: &mut Cursor<'_>, schema: &Schema, r: &XmlRecord, key: &str) -> anyhow::Result<Vec<Row>> {
    let mut rows = Vec::new();
    while c.next.as_ref().is_some_and(|n| n.key == key) {
        rows.extend(c.next.take());
        advance(c, schema, r)?;
    }
    Ok(rows)
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
            let names = r.columns.iter().chain(r.from_head.iter().map(|f| &f.0));
            let mut values = Vec::with_capacity(r.columns.len() + r.from_head.len());
            for (i, name) in names.enumerate() {
                let ty = table.columns.iter().find(|c| &c.name == name).map(|c| c.ty);
                let ty = ty.unwrap_or(crate::schema::ColType::Text);
                values.push(cell(
                    row.get_ref(i + 1)?,
                    ty,
                    schema.export.date_format.as_deref(),
                ));
            }
            c.count += 1;
            Some(Row { key, values })
        }
    };
    Ok(())
}

/// The query of one table: the group key as text first, then the columns written and those
/// `from_head`, in group-key order (compared as text, as the merge compares them) and then the
/// table's key.
fn statement<'c>(
    conn: &'c Connection,
    schema: &Schema,
    layout: &XmlExport,
    r: &XmlRecord,
) -> anyhow::Result<Statement<'c>> {
    let table = schema.table(&r.table).context("a table of the layout")?;
    let key = format!("CAST({} AS TEXT)", layout.group_key);
    let columns: Vec<&str> = std::iter::once(key.as_str())
        .chain(r.columns.iter().map(String::as_str))
        .chain(r.from_head.iter().map(|f| f.0.as_str()))
        .collect();
    let sql = format!(
        "SELECT {} FROM {} ORDER BY {key}, {}",
        columns.join(", "),
        table.name,
        table.key.join(", "),
    );
    conn.prepare(&sql).with_context(|| {
        format!(
            "the database has no table `{}` as the schema declares it",
            table.name
        )
    })
}
