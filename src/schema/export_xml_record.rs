//! Resolving one `[[export.xml.record]]` of an XML layout (#12): its table and where its records
//! go (the head, `after` it, `nested` in it, `merged` into it), the columns it writes and the
//! element of each, the columns it leaves to the head (`from_head`), a merged table's `flag` and
//! the column its row is recognised by (`recognised_by`).
//! Each mistake is located at the key that makes it.
use toml::Spanned;

use super::export_xml::{CHECK, check_name, is_name};
use super::model::{Place, Schema, Table, XmlFlag, XmlRecord};
use super::raw::RawXmlRecord;
use crate::diagnostic::Sink;

/// One record, or `None` (with the reasons in `sink`).
pub(super) fn record(
    sink: &mut Sink,
    r: &Spanned<RawXmlRecord>,
    schema: &Schema,
    key: &str,
    is_head: bool,
    head: Option<&Table>,
) -> Option<XmlRecord> {
    let r = r.get_ref();
    let Some(table) = schema.table(r.table.get_ref()) else {
        sink.error(
            CHECK,
            r.table.span().start,
            format!(
                "`[[export.xml.record]] table` names `{}`, which is not a table",
                r.table.get_ref()
            ),
        );
        return None;
    };
    if !table.columns.iter().any(|c| c.name == key) {
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
    let place = place(sink, r, table, key, is_head, head)?;
    let element = element(sink, r, place);
    let from_head = from_head(sink, r, table, key, head);
    let columns = columns(sink, r, table, key, &from_head);
    let names = names(sink, r, schema, &columns);
    let flag = flag(sink, r, place);
    let recognised_by = recognised_by(sink, r, place, &columns);
    Some(XmlRecord {
        table: table.name.clone(),
        element,
        place,
        columns,
        names,
        flag,
        from_head,
        recognised_by,
    })
}

/// `place`: none on the head (the first record); `after` (default), `nested` or `merged`; a
/// record inside the head needs a head holding one row per group, a merged table too.
fn place(
    sink: &mut Sink,
    r: &RawXmlRecord,
    table: &Table,
    key: &str,
    is_head: bool,
    head: Option<&Table>,
) -> Option<Place> {
    let keyed_by_group = |t: &Table| t.key.len() == 1 && t.key[0] == key;
    let given = r
        .place
        .as_ref()
        .map(|p| (p.span().start, p.get_ref().as_str()));
    let place = match (is_head, given) {
        (true, None) => Place::Head,
        (true, Some((at, _))) => {
            sink.error(CHECK, at, "`[[export.xml.record]] place`: the first record is the head of each group and takes no `place`");
            return None;
        }
        (false, None | Some((_, "after"))) => Place::After,
        (false, Some((_, "nested"))) => Place::Nested,
        (false, Some((_, "merged"))) => Place::Merged,
        (false, Some((at, other))) => {
            sink.error(CHECK, at, format!("`[[export.xml.record]] place` must be `after`, `nested` or `merged`, not `{other}`"));
            return None;
        }
    };
    let at = r
        .place
        .as_ref()
        .map_or(r.table.span().start, |p| p.span().start);
    if place == Place::Merged && !keyed_by_group(table) {
        sink.error(CHECK, at, format!("`[[export.xml.record]] place = \"merged\"`: table `{}` is keyed by ({}), so it can hold more than one row per `{key}`, and the head holds each of its columns once; only a table keyed by `{key}` alone can be merged", table.name, table.key.join(", ")));
    }
    if matches!(place, Place::Nested | Place::Merged)
        && let Some(h) = head
        && !keyed_by_group(h)
    {
        sink.error(CHECK, at, format!("`[[export.xml.record]] place`: records inside the head need a head table keyed by `{key}` alone, and `{}` is keyed by ({})", h.name, h.key.join(", ")));
    }
    if let Some(b) = &r.before
        && !matches!(place, Place::Nested | Place::Merged)
    {
        sink.error(CHECK, b.span().start, "`[[export.xml.record]] before` places a `nested` or `merged` record in the head; this record is not one");
    }
    Some(place)
}

/// `element`: needed unless the table is merged into the head, which has none of its own.
fn element(sink: &mut Sink, r: &RawXmlRecord, place: Place) -> String {
    match (&r.element, place) {
        (Some(e), Place::Merged) => {
            sink.error(CHECK, e.span().start, "`[[export.xml.record]] element`: a merged table's columns are elements of the head; it has no element of its own");
            String::new()
        }
        (Some(e), _) => {
            check_name(sink, e);
            e.get_ref().clone()
        }
        (None, Place::Merged) => String::new(),
        (None, _) => {
            sink.error(
                CHECK,
                r.table.span().start,
                format!(
                    "`[[export.xml.record]]` of `{}` needs an `element`",
                    r.table.get_ref()
                ),
            );
            String::new()
        }
    }
}

/// `from_head`: columns of this table the layout holds once, in the head's columns.
fn from_head(
    sink: &mut Sink,
    r: &RawXmlRecord,
    table: &Table,
    key: &str,
    head: Option<&Table>,
) -> Vec<(String, String)> {
    let Some(map) = &r.from_head else {
        return Vec::new();
    };
    let at = map.span().start;
    let Some(head) = head.filter(|h| h.name != table.name) else {
        sink.error(
            CHECK,
            at,
            "`[[export.xml.record]] from_head`: the head writes its own columns",
        );
        return Vec::new();
    };
    let has = |t: &Table, c: &str| c != key && t.columns.iter().any(|x| x.name == c);
    for (column, head_column) in map.get_ref() {
        if !has(table, column) {
            sink.error(CHECK, at, format!("`[[export.xml.record]] from_head` names `{column}`, which is not a column of `{}` (but the group key)", table.name));
        }
        if !has(head, head_column) {
            sink.error(CHECK, at, format!("`[[export.xml.record]] from_head` names `{head_column}`, which is not a column of the head `{}` (but the group key)", head.name));
        }
    }
    map.get_ref()
        .iter()
        .map(|(c, h)| (c.clone(), h.clone()))
        .collect()
}

/// `columns`: every column but the group key and those `from_head`, once each, in the order
/// written (default: the table's declared order).
fn columns(
    sink: &mut Sink,
    r: &RawXmlRecord,
    table: &Table,
    key: &str,
    from_head: &[(String, String)],
) -> Vec<String> {
    let all: Vec<&String> = table
        .columns
        .iter()
        .map(|c| &c.name)
        .filter(|c| *c != key && !from_head.iter().any(|(f, _)| f == *c))
        .collect();
    let Some(list) = &r.columns else {
        return all.into_iter().cloned().collect();
    };
    let given = list.get_ref();
    let once = given
        .iter()
        .all(|g| given.iter().filter(|x| *x == g).count() == 1);
    if given.len() != all.len() || all.iter().any(|c| !given.contains(c)) || !once {
        sink.error(
            CHECK,
            list.span().start,
            format!(
                "`[[export.xml.record]] columns` must list every column of `{}` but `{key}` and those `from_head`, once each: {}",
                table.name,
                all.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", ")
            ),
        );
    }
    given.clone()
}

/// The element of each column: `elements` where given, else the column as `column_case` writes it.
fn names(sink: &mut Sink, r: &RawXmlRecord, schema: &Schema, columns: &[String]) -> Vec<String> {
    if let Some(map) = &r.elements {
        for (column, name) in map.get_ref() {
            if !columns.contains(column) {
                sink.error(CHECK, map.span().start, format!("`[[export.xml.record]] elements` names `{column}`, which is not a column this record writes"));
            }
            if !is_name(name) {
                sink.error(
                    CHECK,
                    map.span().start,
                    format!(
                        "`[[export.xml.record]] elements`: `{name}` is not an XML element name"
                    ),
                );
            }
        }
    }
    columns
        .iter()
        .map(|c| {
            r.elements
                .as_ref()
                .and_then(|m| m.get_ref().get(c).cloned())
                .unwrap_or_else(|| schema.export.header(c))
        })
        .collect()
}

/// `flag`: only for a merged table.
fn flag(sink: &mut Sink, r: &RawXmlRecord, place: Place) -> Option<XmlFlag> {
    let f = r.flag.as_ref()?;
    if place != Place::Merged {
        sink.error(CHECK, f.span().start, "`[[export.xml.record]] flag` marks a merged table's row in the head; this record is not merged");
    }
    if !is_name(&f.get_ref().element) {
        sink.error(
            CHECK,
            f.span().start,
            format!(
                "`[[export.xml.record]] flag`: `{}` is not an XML element name",
                f.get_ref().element
            ),
        );
    }
    let f = f.get_ref();
    Some(XmlFlag {
        element: f.element.clone(),
        present: f.value.clone(),
        absent: f.absent.clone(),
    })
}

/// `recognised_by`: only for a merged table, a column it writes.
fn recognised_by(
    sink: &mut Sink,
    r: &RawXmlRecord,
    place: Place,
    columns: &[String],
) -> Option<usize> {
    let c = r.recognised_by.as_ref()?;
    if place != Place::Merged {
        sink.error(
            CHECK,
            c.span().start,
            "`[[export.xml.record]] recognised_by` names the column by which a reader finds a merged table's row in the head; this record is not merged",
        );
    }
    let at = columns.iter().position(|x| x == c.get_ref());
    if at.is_none() {
        sink.error(
            CHECK,
            c.span().start,
            format!(
                "`[[export.xml.record]] recognised_by` names `{}`, which is not a column this record writes",
                c.get_ref()
            ),
        );
    }
    at
}
