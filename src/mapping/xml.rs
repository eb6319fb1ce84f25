//! Resolving an XML source's `record` and `inherit` keys (#12): each path split into steps and
//! checked (an inherited path shares its root with the record path and lies outside the record),
//! then completed with the columns the mapping reads and ignores, which the reader keeps in its
//! headers even when no record holds them.
use std::sync::Arc;

use toml::Spanned;

use super::diagnostic::Sink;
use super::model::SourceMapping;
use super::raw::RawSource;
use crate::source::xml::XmlLayout;

/// The layout `[source]` declares, without its columns; `None` for a source that is not XML.
pub fn layout(sink: &mut Sink, s: &RawSource) -> Option<XmlLayout> {
    let Some(record) = &s.record else {
        if let Some(inherit) = &s.inherit {
            sink.error(
                "source",
                inherit.span().start,
                "`inherit` belongs to an XML source: give its `record` path too",
            );
        }
        if s.file.get_ref().to_ascii_lowercase().ends_with(".xml") {
            sink.error(
                "source",
                s.file.span().start,
                "an XML file is read by records: give `record`, the path of the elements that are rows (docs/mapping.md)",
            );
        }
        return None;
    };
    for (key, given) in [
        ("sheet", s.sheet.as_ref().map(|x| x.span().start)),
        ("header_row", s.header_row.as_ref().map(|x| x.span().start)),
        ("delimiter", s.delimiter.as_ref().map(|x| x.span().start)),
        ("encoding", s.encoding.as_ref().map(|x| x.span().start)),
    ] {
        if let Some(at) = given {
            sink.error(
                "source",
                at,
                format!("`{key}` does not apply to an XML source (`record` is given)"),
            );
        }
    }
    let record_path = steps(sink, record, false)?;
    let mut inherit = Vec::new();
    if let Some(map) = &s.inherit {
        for (column, path) in map.get_ref() {
            let at = map.span().start;
            let spanned = Spanned::new(at..at, path.clone());
            let Some(p) = steps(sink, &spanned, true) else {
                continue;
            };
            if let Some(why) = misplaced(&p, &record_path) {
                sink.error(
                    "source",
                    at,
                    format!("inherited column `{column}` = `{path}` {why}"),
                );
                continue;
            }
            inherit.push((column.clone(), p));
        }
    }
    Some(XmlLayout {
        record: record_path,
        inherit,
        declared: Vec::new(),
        skip: Vec::new(),
    })
}

/// Completes the layout with the columns the source reads and ignores.
pub fn complete(mut layout: XmlLayout, source: &SourceMapping) -> Arc<XmlLayout> {
    let mut declared: Vec<String> = Vec::new();
    let read = source.columns_read();
    let ignored = source.ignore_columns.keys().map(String::as_str);
    for c in read.into_iter().chain(ignored) {
        if !declared.iter().any(|d| d == c) && !layout.inherit.iter().any(|(i, _)| i == c) {
            declared.push(c.to_string());
        }
    }
    layout.skip = source
        .ignore_columns
        .keys()
        .filter(|k| !k.contains('@'))
        .cloned()
        .collect();
    layout.declared = declared;
    Arc::new(layout)
}

/// A path's steps: names of elements, the last one `@name` when `attribute` is allowed.
fn steps(sink: &mut Sink, path: &Spanned<String>, attribute: bool) -> Option<Vec<String>> {
    let text = path.get_ref();
    let parts: Vec<String> = text.split('/').map(|p| p.trim().to_string()).collect();
    let last = parts.len() - 1;
    let bad = parts.iter().enumerate().find(|(i, p)| {
        let name = match p.strip_prefix('@') {
            Some(attr) if attribute && *i == last && *i > 0 => attr,
            _ => p.as_str(),
        };
        name.is_empty() || name.contains(['@', ' ', '<', '>', '&', '"', '\''])
    });
    if bad.is_some() {
        sink.error(
            "source",
            path.span().start,
            format!(
                "`{text}` is not a path of element names from the root, such as `Message/Children/Child`{}",
                if attribute { " (or ending in `@attribute`)" } else { "" }
            ),
        );
        return None;
    }
    Some(parts)
}

/// Why an inherited path cannot give every record a value, if it cannot.
fn misplaced(path: &[String], record: &[String]) -> Option<&'static str> {
    let attribute = path.last().is_some_and(|l| l.starts_with('@'));
    let element = if attribute {
        &path[..path.len() - 1]
    } else {
        path
    };
    let shared = element
        .iter()
        .zip(record)
        .take_while(|(a, b)| a == b)
        .count();
    if shared == 0 {
        Some("shares no enclosing element with the record path")
    } else if shared == record.len() {
        Some("lies inside the record: its own elements and attributes are columns already")
    } else if shared == element.len() && !attribute {
        Some("encloses the records: its text would hold them")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Vec<String> {
        s.split('/').map(str::to_string).collect()
    }

    #[test]
    fn an_inherited_path_must_enclose_the_record_from_outside() {
        let record = p("R/C/E");
        assert_eq!(misplaced(&p("R/C/H/ID"), &record), None);
        assert_eq!(misplaced(&p("R/C/@id"), &record), None);
        assert!(misplaced(&p("X/H/ID"), &record).is_some());
        assert!(misplaced(&p("R/C/E/ID"), &record).is_some());
        assert!(misplaced(&p("R/C"), &record).is_some());
    }
}
