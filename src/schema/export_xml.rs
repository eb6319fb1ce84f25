//! Resolving `[[export.xml]]` (#12): the XML layouts `handover export --format xml` writes,
//! declared in the schema folder rather than built into handover. Every name must be an XML name;
//! every table of the schema is written by one record or left out with a reason (a table neither
//! written nor declared left out would be lost in silence); the group key must be a column of
//! each table written. A table is written after the head (`after`), inside it (`nested`), or as
//! elements of the head itself (`merged`: only a table keyed by the group key alone, which holds
//! one row per group). [`super::export_xml_record`] resolves each record.
use std::collections::BTreeSet;

use toml::Spanned;

use super::export_xml_record::record;
use super::model::{HeadItem, Place, Schema, XmlExport, XmlRecord};
use super::raw::RawXmlExport;
use crate::diagnostic::Sink;

pub(super) const CHECK: &str = "schema-table";

/// Every layout declared, or none (with the reasons in `sink`) when one cannot be written.
pub fn resolve_all(
    sink: &mut Sink,
    raw: &[Spanned<RawXmlExport>],
    schema: &Schema,
) -> Vec<XmlExport> {
    let before = sink.found.len();
    let mut names = BTreeSet::new();
    let mut out = Vec::new();
    for x in raw {
        let name = &x.get_ref().name;
        if !names.insert(name.get_ref().clone()) {
            sink.error(
                CHECK,
                name.span().start,
                format!(
                    "`[[export.xml]] name`: a second layout named `{}`",
                    name.get_ref()
                ),
            );
        }
        out.extend(resolve(sink, x, schema));
    }
    if sink.found.len() == before {
        out
    } else {
        Vec::new()
    }
}

/// One layout, or `None` (with the reasons in `sink`) when it cannot be written.
fn resolve(sink: &mut Sink, raw: &Spanned<RawXmlExport>, schema: &Schema) -> Option<XmlExport> {
    let x = raw.get_ref();
    let before = sink.found.len();
    check_plain_name(sink, &x.name, "name");
    for name in [&x.root, &x.group, &x.key_element] {
        check_name(sink, name);
    }
    check_plain_name(sink, &x.file, "file");
    let spaced_empty = match x.empty_element.as_ref().map(|e| (e, e.get_ref().as_str())) {
        None | Some((_, "compact")) => false,
        Some((_, "spaced")) => true,
        Some((e, other)) => {
            sink.error(
                CHECK,
                e.span().start,
                format!(
                    "`[[export.xml]] empty_element` must be `compact` or `spaced`, not `{other}`"
                ),
            );
            false
        }
    };
    let key = x.group_key.get_ref();
    if x.record.is_empty() {
        sink.error(
            CHECK,
            raw.span().start,
            "`[[export.xml]]` needs a `[[export.xml.record]]` per table, the head first",
        );
        return None;
    }
    let head_table = schema.table(x.record[0].get_ref().table.get_ref());
    let records: Vec<XmlRecord> = x
        .record
        .iter()
        .enumerate()
        .filter_map(|(i, r)| record(sink, r, schema, key, i == 0, head_table))
        .collect();
    let left_out = left_out(sink, x, schema);
    coverage(sink, raw, schema, &left_out);
    let head = head_items(sink, x, &records);
    (sink.found.len() == before).then(|| XmlExport {
        name: x.name.get_ref().clone(),
        file: x.file.get_ref().clone(),
        root: x.root.get_ref().clone(),
        group: x.group.get_ref().clone(),
        group_key: key.clone(),
        key_element: x.key_element.get_ref().clone(),
        spaced_empty,
        records,
        head,
        left_out,
    })
}

/// `leave_out`: each a table of the schema, with a reason.
fn left_out(sink: &mut Sink, x: &RawXmlExport, schema: &Schema) -> Vec<(String, String)> {
    let Some(map) = &x.leave_out else {
        return Vec::new();
    };
    for (table, reason) in map.get_ref() {
        if schema.table(table).is_none() {
            sink.error(
                CHECK,
                map.span().start,
                format!("`[[export.xml]] leave_out` names `{table}`, which is not a table"),
            );
        } else if reason.trim().is_empty() {
            sink.error(
                CHECK,
                map.span().start,
                format!("`[[export.xml]] leave_out` must say why `{table}` is left out"),
            );
        }
    }
    map.get_ref()
        .iter()
        .map(|(t, r)| (t.clone(), r.clone()))
        .collect()
}

/// Every table written once or left out, not both.
fn coverage(
    sink: &mut Sink,
    raw: &Spanned<RawXmlExport>,
    schema: &Schema,
    left_out: &[(String, String)],
) {
    let x = raw.get_ref();
    let mut seen = BTreeSet::new();
    for r in &x.record {
        let t = r.get_ref().table.get_ref();
        if !seen.insert(t.as_str()) {
            sink.error(
                CHECK,
                r.get_ref().table.span().start,
                format!(
                    "`[[export.xml.record]] table`: `{t}` is declared twice in layout `{}`",
                    x.name.get_ref()
                ),
            );
        } else if left_out.iter().any(|(l, _)| l == t) {
            sink.error(
                CHECK,
                r.get_ref().table.span().start,
                format!("`[[export.xml.record]] table`: `{t}` is both written and in `leave_out`"),
            );
        }
    }
    for t in &schema.tables {
        let declared = seen.contains(t.name.as_str()) || left_out.iter().any(|(l, _)| l == &t.name);
        if !declared {
            sink.error(
                CHECK,
                raw.span().start,
                format!("layout `{}` must write table `{}` once (one `[[export.xml.record]]`) or name it in `leave_out` with the reason: a table left out in silence would be lost", x.name.get_ref(), t.name),
            );
        }
    }
}

/// The head's items after the key: each head column, the nested and merged records declared
/// `before` it just ahead of it (in declared order), the others after the last column.
fn head_items(sink: &mut Sink, x: &RawXmlExport, records: &[XmlRecord]) -> Vec<HeadItem> {
    let Some(head) = records.first().filter(|r| r.place == Place::Head) else {
        return Vec::new();
    };
    let inside: Vec<(usize, Option<&Spanned<String>>)> = records
        .iter()
        .enumerate()
        .filter(|(_, r)| matches!(r.place, Place::Nested | Place::Merged))
        .map(|(i, r)| {
            let raw = x
                .record
                .iter()
                .find(|raw| raw.get_ref().table.get_ref() == &r.table);
            (i, raw.and_then(|raw| raw.get_ref().before.as_ref()))
        })
        .collect();
    for (_, before) in &inside {
        if let Some(b) = before
            && !head.columns.contains(b.get_ref())
        {
            sink.error(
                CHECK,
                b.span().start,
                format!(
                    "`[[export.xml.record]] before`: `{}` is not a column the head `{}` writes",
                    b.get_ref(),
                    head.table
                ),
            );
        }
    }
    let mut items = Vec::new();
    for (c, column) in head.columns.iter().enumerate() {
        for (i, before) in &inside {
            if before.is_some_and(|b| b.get_ref() == column) {
                items.push(HeadItem::Record(*i));
            }
        }
        items.push(HeadItem::Column(c));
    }
    for (i, before) in &inside {
        if before.is_none() {
            items.push(HeadItem::Record(*i));
        }
    }
    items
}

/// A plain name (a file name, a layout's name): not empty, no path separator, not `.` or `..`.
fn check_plain_name(sink: &mut Sink, name: &Spanned<String>, key: &str) {
    let n = name.get_ref();
    if n.is_empty() || n.contains(['/', '\\']) || n == ".." || n == "." {
        sink.error(
            CHECK,
            name.span().start,
            format!("`[[export.xml]] {key}`: `{n}` must be a plain name"),
        );
    }
}

/// An XML name: a letter or `_` first, then letters, digits, `_`, `-` or `.`.
pub(super) fn check_name(sink: &mut Sink, name: &Spanned<String>) {
    if !is_name(name.get_ref()) {
        sink.error(
            CHECK,
            name.span().start,
            format!("`{}` is not an XML element name", name.get_ref()),
        );
    }
}

/// True for an XML name (as [`check_name`] checks it).
pub(super) fn is_name(n: &str) -> bool {
    let mut chars = n.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
}
