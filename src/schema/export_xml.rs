//! Resolving `[export.xml]` (#12): the layout `handover export --format xml` writes, declared in
//! the schema folder rather than built into handover. Every name must be an XML name, every table
//! of the schema must be written (an export that leaves a table out loses it), and the group key
//! must be a column of each.
use toml::Spanned;

use super::model::{Schema, XmlExport, XmlRecord};
use super::raw::{RawXmlExport, RawXmlRecord};
use crate::diagnostic::Sink;

const CHECK: &str = "schema-table";

/// The layout, or `None` (with the reasons in `sink`) when it cannot be written.
pub fn resolve(sink: &mut Sink, raw: &Spanned<RawXmlExport>, schema: &Schema) -> Option<XmlExport> {
    let x = raw.get_ref();
    let before = sink.found.len();
    for name in [&x.root, &x.group, &x.key_element] {
        check_name(sink, name);
    }
    let file = x.file.get_ref();
    if file.is_empty() || file.contains(['/', '\\']) || file == ".." || file == "." {
        sink.error(
            CHECK,
            x.file.span().start,
            format!("`{file}` must be a plain file name, written into the export folder"),
        );
    }
    let key = x.group_key.get_ref();
    let records: Vec<XmlRecord> = x
        .record
        .iter()
        .filter_map(|r| record(sink, r, schema, key))
        .collect();
    if x.record.is_empty() {
        sink.error(
            CHECK,
            raw.span().start,
            "`[export.xml]` needs a `[[export.xml.record]]` per table, the head first",
        );
    }
    for t in &schema.tables {
        if x.record
            .iter()
            .filter(|r| r.get_ref().table.get_ref() == &t.name)
            .count()
            != 1
        {
            sink.error(
                CHECK,
                raw.span().start,
                format!("`[export.xml]` must write table `{}` once (one `[[export.xml.record]]`): a table left out would be lost", t.name),
            );
        }
    }
    (sink.found.len() == before).then(|| XmlExport {
        file: file.clone(),
        root: x.root.get_ref().clone(),
        group: x.group.get_ref().clone(),
        group_key: key.clone(),
        key_element: x.key_element.get_ref().clone(),
        records,
    })
}

fn record(
    sink: &mut Sink,
    r: &Spanned<RawXmlRecord>,
    schema: &Schema,
    key: &str,
) -> Option<XmlRecord> {
    let r = r.get_ref();
    check_name(sink, &r.element);
    let Some(table) = schema.table(r.table.get_ref()) else {
        sink.error(
            CHECK,
            r.table.span().start,
            format!(
                "`[export.xml]` names `{}`, which is not a table",
                r.table.get_ref()
            ),
        );
        return None;
    };
    let has = |c: &str| table.columns.iter().any(|x| x.name == c);
    if !has(key) {
        sink.error(
            CHECK,
            r.table.span().start,
            format!(
                "table `{}` has no column `{key}`, the group key",
                table.name
            ),
        );
        return None;
    }
    let columns: Vec<String> = match &r.columns {
        None => table
            .columns
            .iter()
            .map(|c| c.name.clone())
            .filter(|c| c != key)
            .collect(),
        Some(list) => {
            let all: Vec<&String> = table
                .columns
                .iter()
                .map(|c| &c.name)
                .filter(|c| *c != key)
                .collect();
            let given = list.get_ref();
            if given.len() != all.len() || all.iter().any(|c| !given.contains(c)) {
                sink.error(
                    CHECK,
                    list.span().start,
                    format!(
                        "`columns` must list every column of `{}` but `{key}`, once each",
                        table.name
                    ),
                );
            }
            given.clone()
        }
    };
    Some(XmlRecord {
        table: table.name.clone(),
        element: r.element.get_ref().clone(),
        columns,
    })
}

/// An XML name: a letter or `_` first, then letters, digits, `_`, `-` or `.`.
fn check_name(sink: &mut Sink, name: &Spanned<String>) {
    let n = name.get_ref();
    let mut chars = n.chars();
    let ok = chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if !ok {
        sink.error(
            CHECK,
            name.span().start,
            format!("`{n}` is not an XML element name"),
        );
    }
}
