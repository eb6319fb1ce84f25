//! Resolving `[source]` and `[[scope]]`: where the export is, how to read it, and which rows are
//! in scope.
use toml::Spanned;

use super::diagnostic::Sink;
use super::model::{
    Cmp, ColumnTest, Condition, DateFormat, Ignored, Origin, ScopeRule, SourceMapping, Test,
};
use super::raw::{RawCondition, RawFile, RawIgnore, RawSource};
use crate::schema::Schema;
use crate::source::Encoding;

/// Resolves the `[source]` of a file, its scope rules and its targets.
pub fn source(
    sink: &mut Sink,
    raw: &RawFile,
    file: &str,
    schema: &Schema,
) -> Option<SourceMapping> {
    let Some(spanned) = &raw.source else {
        if let Some(t) = raw.target.first() {
            sink.error(
                "source",
                t.span().start,
                "`[[target]]` without a `[source]` in the same file",
            );
        }
        return None;
    };
    let at = spanned.span().start;
    let s = spanned.get_ref();
    if raw.target.is_empty() {
        sink.error("source", at, "`[source]` feeds no `[[target]]`");
    }
    check_relative_path(sink, &s.file, "source file");
    let entity = s.entity.get_ref().trim().to_string();
    if entity.is_empty() {
        sink.error(
            "source",
            s.entity.span().start,
            "`entity` must not be empty",
        );
    }
    let mut targets: Vec<_> = raw
        .target
        .iter()
        .filter_map(|t| super::fields::target(sink, t, file, schema))
        .collect();
    targets.sort_by_key(|t| schema.load_rank(&t.table.name));
    let xml = super::xml::layout(sink, s);
    let mut mapping = SourceMapping {
        entity,
        pattern: s.file.get_ref().replace('\\', "/"),
        sheets: sheets(sink, s),
        header_row: header_row(sink, s),
        delimiter: delimiter(sink, s),
        encoding: encoding(sink, s),
        ignore_columns: s
            .ignore_columns
            .as_ref()
            .map(|m| m.get_ref().clone())
            .unwrap_or_default(),
        scope: raw
            .scope
            .iter()
            .map(|r| scope_rule(sink, r, file))
            .collect(),
        targets,
        xml: None,
        origin: Origin {
            file: file.to_string(),
            line: sink.line_of(at),
        },
    };
    mapping.xml = xml.map(|layout| super::xml::complete(layout, &mapping));
    Some(mapping)
}

/// Refuses absolute paths and paths that climb out of their folder with `..`.
pub fn check_relative_path(sink: &mut Sink, path: &Spanned<String>, what: &str) -> bool {
    let p = path.get_ref();
    let escapes = crate::fsx::escapes_folder(p);
    if escapes {
        sink.error(
            "path",
            path.span().start,
            format!(
                "{what} `{p}` must be a relative path inside its folder (no `..`, not absolute)"
            ),
        );
    }
    !escapes
}

/// The `sheet` key: one name or glob, or a list; each glob must compile.
fn sheets(sink: &mut Sink, s: &RawSource) -> Vec<String> {
    let Some(sheet) = &s.sheet else {
        return Vec::new();
    };
    let names = sheet.get_ref().to_vec();
    for name in &names {
        check_sheet(sink, sheet.span().start, name);
    }
    if names.is_empty() {
        sink.error("source", sheet.span().start, "`sheet` lists no sheet");
    }
    names
}

/// A sheet name, or a glob when it holds `*`, `?` or `[` (characters Excel forbids in names).
fn check_sheet(sink: &mut Sink, at: usize, name: &str) {
    if name.trim().is_empty() {
        sink.error("source", at, "a sheet name must not be empty");
    } else if is_glob(name)
        && let Err(e) = globset::Glob::new(name)
    {
        sink.error(
            "source",
            at,
            format!("sheet pattern `{name}` is not a glob: {e}"),
        );
    }
}

/// True when a file or sheet value is a pattern rather than a name.
pub fn is_glob(s: &str) -> bool {
    s.contains(['*', '?', '[', '{'])
}

/// Resolves the file's `[[ignore]]` entries: the file is relative and the reason is given.
pub fn ignored(sink: &mut Sink, raw: &RawFile, file: &str) -> Vec<Ignored> {
    raw.ignore
        .iter()
        .map(|spanned| {
            let r: &RawIgnore = spanned.get_ref();
            check_relative_path(sink, &r.file, "ignored file");
            if r.reason.get_ref().trim().is_empty() {
                sink.error(
                    "source",
                    r.reason.span().start,
                    "`[[ignore]]` needs a `reason`",
                );
            }
            if let Some(sheet) = &r.sheet {
                check_sheet(sink, sheet.span().start, sheet.get_ref());
            }
            Ignored {
                file: r.file.get_ref().replace('\\', "/"),
                sheet: r.sheet.as_ref().map(|x| x.get_ref().clone()),
                reason: r.reason.get_ref().trim().to_string(),
                origin: Origin {
                    file: file.to_string(),
                    line: sink.line_of(spanned.span().start),
                },
            }
        })
        .collect()
}

fn header_row(sink: &mut Sink, s: &RawSource) -> u32 {
    match &s.header_row {
        None => 1,
        Some(h) => match u32::try_from(*h.get_ref()) {
            Ok(n) if n >= 1 => n,
            _ => {
                sink.error("source", h.span().start, "`header_row` must be 1 or more");
                1
            }
        },
    }
}

fn delimiter(sink: &mut Sink, s: &RawSource) -> Option<u8> {
    let d = s.delimiter.as_ref()?;
    match d.get_ref().as_str() {
        "," => Some(b','),
        "\t" | "tab" => Some(b'\t'),
        ";" => Some(b';'),
        "|" => Some(b'|'),
        other => {
            sink.error(
                "source",
                d.span().start,
                format!("delimiter `{other}` is not one of `,` `\\t` `;` `|`"),
            );
            None
        }
    }
}

fn encoding(sink: &mut Sink, s: &RawSource) -> Option<Encoding> {
    let e = s.encoding.as_ref()?;
    match e.get_ref().to_ascii_lowercase().as_str() {
        "utf-8" | "utf8" => Some(Encoding::Utf8),
        "windows-1252" | "cp1252" | "latin1" => Some(Encoding::Windows1252),
        other => {
            sink.error(
                "source",
                e.span().start,
                format!("encoding `{other}` is not `utf-8` or `windows-1252`"),
            );
            None
        }
    }
}

fn scope_rule(sink: &mut Sink, raw: &Spanned<RawCondition>, file: &str) -> ScopeRule {
    let r = raw.get_ref();
    let at = raw.span().start;
    let reason = match &r.reason {
        Some(reason) => reason.get_ref().clone(),
        None => {
            sink.error("scope", at, "a `[[scope]]` rule needs a `reason`");
            String::new()
        }
    };
    ScopeRule {
        condition: condition(sink, raw),
        reason,
        reason_column: r.reason_column.as_ref().map(|c| c.get_ref().clone()),
        origin: Origin {
            file: file.to_string(),
            line: sink.line_of(at),
        },
    }
}

/// A `when` condition: as a scope rule's, without a reason.
pub fn when(sink: &mut Sink, raw: &Spanned<RawCondition>) -> Condition {
    let r = raw.get_ref();
    if let Some(x) = r.reason.as_ref().or(r.reason_column.as_ref()) {
        sink.error(
            "scope",
            x.span().start,
            "`reason` and `reason_column` belong to `[[scope]]`, not to `when`",
        );
    }
    condition(sink, raw)
}

/// Turns a condition table into a [`Condition`], reporting what is missing or given twice.
pub fn condition(sink: &mut Sink, raw: &Spanned<RawCondition>) -> Condition {
    let r = raw.get_ref();
    let at = raw.span().start;
    let nested = |sink: &mut Sink, list: &[Spanned<RawCondition>]| -> Vec<Condition> {
        list.iter().map(|c| when(sink, c)).collect()
    };
    let combinators =
        usize::from(r.all.is_some()) + usize::from(r.any.is_some()) + usize::from(r.not.is_some());
    if combinators > 0 {
        if combinators > 1 || r.column.is_some() {
            sink.error(
                "scope",
                at,
                "a condition is either a test of one `column` or one of `all`, `any`, `not`",
            );
        }
        return match (&r.all, &r.any, &r.not) {
            (Some(all), _, _) => Condition::All(nested(sink, all)),
            (None, Some(any), _) => Condition::Any(nested(sink, any)),
            (None, None, Some(not)) => Condition::Not(Box::new(when(sink, not))),
            (None, None, None) => Condition::All(Vec::new()),
        };
    }
    let Some(column) = &r.column else {
        sink.error(
            "scope",
            at,
            "a condition needs a `column` to test, or one of `all`, `any`, `not`",
        );
        return Condition::All(Vec::new());
    };
    Condition::Test(ColumnTest {
        column: column.get_ref().clone(),
        test: test(sink, at, r),
        ignore_case: r.ignore_case.unwrap_or(false),
    })
}

fn test(sink: &mut Sink, at: usize, r: &RawCondition) -> Test {
    let numbers = [
        (r.at_least, Cmp::AtLeast),
        (r.at_most, Cmp::AtMost),
        (r.above, Cmp::Greater),
        (r.below, Cmp::Less),
    ];
    let dates = [
        (&r.on_or_after, Cmp::AtLeast),
        (&r.on_or_before, Cmp::AtMost),
        (&r.after, Cmp::Greater),
        (&r.before, Cmp::Less),
    ];
    let given = usize::from(r.in_.is_some())
        + usize::from(r.not_in.is_some())
        + usize::from(r.present.is_some())
        + numbers.iter().filter(|(n, _)| n.is_some()).count()
        + dates.iter().filter(|(d, _)| d.is_some()).count();
    if given != 1 {
        sink.error(
            "scope",
            at,
            "a condition on a column needs exactly one of `in`, `not_in`, `present`, `at_least`, `at_most`, `above`, `below`, `before`, `after`, `on_or_before`, `on_or_after`",
        );
    }
    if let Some(v) = &r.in_ {
        return Test::In(v.clone());
    }
    if let Some(v) = &r.not_in {
        return Test::NotIn(v.clone());
    }
    if let Some((n, cmp)) = numbers.iter().find_map(|(n, c)| n.map(|n| (n, *c))) {
        return Test::Number(cmp, n);
    }
    if let Some((d, cmp)) = dates.iter().find_map(|(d, c)| d.as_ref().map(|d| (d, *c))) {
        let bound = d.get_ref().parse().unwrap_or_else(|_| {
            sink.error(
                "scope",
                d.span().start,
                format!("`{}` is not a date (YYYY-MM-DD)", d.get_ref()),
            );
            jiff::civil::Date::default()
        });
        let formats = match &r.format {
            Some(f) => super::fields::date_formats(sink, f),
            None => vec![DateFormat::Iso],
        };
        return Test::Date(cmp, bound, formats);
    }
    Test::Present(r.present.unwrap_or(true))
}
