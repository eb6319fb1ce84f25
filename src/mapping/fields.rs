//! Resolving `[[target]]` tables and their fields against the company schema: unknown tables and
//! fields (with near-miss suggestions), types and formats that do not fit the column, required
//! fields left unmapped, natural keys whose fields are not mapped.
use toml::Spanned;

use super::diagnostic::{Sink, suggest};
use super::model::{Case, DateFormat, FieldInput, FieldMapping, Origin, Part, TargetMapping};
use super::raw::{OneOrMany, RawField, RawTarget};
use super::source::when;
use crate::schema::{ColType, Column, Pattern, Schema, Table};

/// Resolves one `[[target]]`, or `None` when its table is unknown.
pub fn target(
    sink: &mut Sink,
    raw: &Spanned<RawTarget>,
    file: &str,
    schema: &Schema,
) -> Option<TargetMapping> {
    let at = raw.span().start;
    let r = raw.get_ref();
    let Some(table) = schema.table(r.table.get_ref()) else {
        let hint = suggest(
            r.table.get_ref(),
            schema.tables.iter().map(|t| t.name.as_str()),
        )
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default();
        sink.error(
            "schema",
            r.table.span().start,
            format!("no company table `{}`{hint}", r.table.get_ref()),
        );
        return None;
    };
    let mut fields = Vec::new();
    for (name, raw_field) in &r.fields {
        let Some(column) = table.column(name.get_ref()) else {
            let hint = suggest(
                name.get_ref(),
                table.columns.iter().map(|c| c.name.as_str()),
            )
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
            sink.error(
                "schema",
                name.span().start,
                format!(
                    "table `{}` has no field `{}`{hint}",
                    table.name,
                    name.get_ref()
                ),
            );
            continue;
        };
        if let Some(f) = field(sink, column, raw_field, file, schema) {
            fields.push(f);
        }
    }
    fields.sort_by_key(|f| table.columns.iter().position(|c| c.name == f.target.name));
    check_required(sink, table, &fields, at);
    let key = key(sink, table, r, &fields)?;
    let when = r.when.as_ref().map(|w| when(sink, w));
    let origin = Origin {
        file: file.to_string(),
        line: sink.line_of(at),
    };
    Some(TargetMapping {
        table: table.clone(),
        key,
        distinct: r.distinct.unwrap_or(false),
        when,
        fields,
        origin,
    })
}

fn check_required(sink: &mut Sink, table: &Table, fields: &[FieldMapping], at: usize) {
    for c in table.columns.iter().filter(|c| c.required) {
        if !fields.iter().any(|f| f.target.name == c.name) {
            sink.error(
                "required-field",
                at,
                format!(
                    "required field `{}.{}` is not mapped and has no default",
                    table.name, c.name
                ),
            );
        }
    }
}

fn key(
    sink: &mut Sink,
    table: &Table,
    r: &RawTarget,
    fields: &[FieldMapping],
) -> Option<Vec<String>> {
    let Some(raw_key) = &r.key else {
        return Some(table.key.clone());
    };
    let mut key = Vec::new();
    for name in raw_key.get_ref() {
        match table.column(name) {
            Some(c) if fields.iter().any(|f| f.target.name == c.name) => key.push(c.name.clone()),
            Some(c) => sink.error(
                "key",
                raw_key.span().start,
                format!("key field `{}` is not mapped", c.name),
            ),
            None => sink.error(
                "key",
                raw_key.span().start,
                format!("key field `{name}` is not a field of `{}`", table.name),
            ),
        }
    }
    if key.is_empty() {
        sink.error("key", raw_key.span().start, "the natural key is empty");
        return None;
    }
    Some(key)
}

fn field(
    sink: &mut Sink,
    column: &Column,
    raw: &Spanned<RawField>,
    file: &str,
    schema: &Schema,
) -> Option<FieldMapping> {
    let at = raw.span().start;
    let r = raw.get_ref();
    let input = input(sink, column, raw)?;
    let ty = field_type(sink, column, r)?;
    let formats = formats(sink, column, ty, r);
    let century_from = century_from(sink, r, &formats);
    let case = match r.case.as_ref().map(|c| c.get_ref().as_str()) {
        None | Some("keep") => Case::Keep,
        Some("upper") => Case::Upper,
        Some("lower") => Case::Lower,
        Some(other) => {
            let at = r.case.as_ref().map_or(at, |c| c.span().start);
            sink.error(
                "field",
                at,
                format!("`case` must be `upper`, `lower` or `keep`, not `{other}`"),
            );
            Case::Keep
        }
    };
    if r.crosswalk.is_some() && column.codelist.is_none() {
        sink.error(
            "crosswalk",
            at,
            format!(
                "field `{}` is not coded: a crosswalk does not apply",
                column.name
            ),
        );
    }
    Some(FieldMapping {
        target: column.clone(),
        codelist: column
            .codelist
            .as_deref()
            .and_then(|l| schema.code_list(l))
            .cloned(),
        input,
        ty,
        formats,
        trim: r.trim.unwrap_or(true),
        case,
        null_values: r.null_values.clone().unwrap_or_default(),
        default: r.default.as_ref().map(|d| d.get_ref().clone()),
        crosswalk: r.crosswalk.as_ref().map(|c| c.get_ref().clone()),
        true_values: r
            .true_values
            .clone()
            .unwrap_or_else(|| strings(&["Y", "Yes", "True", "1"])),
        false_values: r
            .false_values
            .clone()
            .unwrap_or_else(|| strings(&["N", "No", "False", "0"])),
        required: r.required.unwrap_or(column.required),
        collapse_spaces: r.collapse_spaces.unwrap_or(false),
        extract: extract(sink, r),
        decimal_comma: r.decimal_comma.unwrap_or(false),
        century_from,
        via: via(sink, column, r, schema),
        origin: Origin {
            file: file.to_string(),
            line: sink.line_of(at),
        },
    })
}

/// Where the field's value comes from: exactly one of `column`, `columns`, `template`, `value`
/// (or only a `default`).
fn input(sink: &mut Sink, column: &Column, raw: &Spanned<RawField>) -> Option<FieldInput> {
    let r = raw.get_ref();
    let given = usize::from(r.column.is_some())
        + usize::from(r.value.is_some())
        + usize::from(r.columns.is_some())
        + usize::from(r.template.is_some());
    if given > 1 || (given == 0 && r.default.is_none()) {
        sink.error(
            "field",
            raw.span().start,
            format!(
                "field `{}` needs exactly one of `column`, `columns`, `template` or `value`",
                column.name
            ),
        );
        return None;
    }
    if let Some(c) = &r.column {
        return Some(FieldInput::Column(c.get_ref().clone()));
    }
    if let Some(v) = &r.value {
        return Some(FieldInput::Value(v.get_ref().clone()));
    }
    if let Some(cols) = &r.columns {
        let separator = r.separator.clone().unwrap_or_else(|| " ".to_string());
        let mut parts = Vec::new();
        for (i, c) in cols.get_ref().iter().enumerate() {
            if i > 0 {
                parts.push(Part::Text(separator.clone()));
            }
            parts.push(Part::Column(c.clone()));
        }
        if cols.get_ref().is_empty() {
            sink.error("field", cols.span().start, "`columns` is empty");
            return None;
        }
        return Some(FieldInput::Joined(parts));
    }
    if let Some(t) = &r.template {
        return match template(t.get_ref()) {
            Ok(parts) => Some(FieldInput::Joined(parts)),
            Err(e) => {
                sink.error("field", t.span().start, e);
                None
            }
        };
    }
    Some(FieldInput::Value(String::new()))
}

/// The parts of a template such as `{Child ID}/{Start Date}`.
fn template(text: &str) -> Result<Vec<Part>, String> {
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            parts.push(Part::Text(rest[..open].to_string()));
        }
        let Some(close) = rest[open..].find('}') else {
            return Err(format!("template `{text}` has a `{{` without its `}}`"));
        };
        let name = &rest[open + 1..open + close];
        if name.is_empty() {
            return Err(format!("template `{text}` has an empty `{{}}`"));
        }
        parts.push(Part::Column(name.to_string()));
        rest = &rest[open + close + 1..];
    }
    if !rest.is_empty() {
        parts.push(Part::Text(rest.to_string()));
    }
    if !parts.iter().any(|p| matches!(p, Part::Column(_))) {
        return Err(format!("template `{text}` names no `{{column}}`"));
    }
    Ok(parts)
}

fn extract(sink: &mut Sink, r: &RawField) -> Option<Pattern> {
    let e = r.extract.as_ref()?;
    match regex::Regex::new(e.get_ref()) {
        Ok(re) if re.captures_len() >= 2 => Some(Pattern(re)),
        Ok(_) => {
            sink.error(
                "field",
                e.span().start,
                "`extract` needs a capture group `( )` around the part to keep",
            );
            None
        }
        Err(err) => {
            sink.error(
                "field",
                e.span().start,
                format!("`extract` is not a regular expression: {err}"),
            );
            None
        }
    }
}

/// `century_from`, which a two-digit-year format (`%y`) must have and others must not.
fn century_from(sink: &mut Sink, r: &RawField, formats: &[DateFormat]) -> Option<i16> {
    let two_digit = formats
        .iter()
        .any(|f| matches!(f, DateFormat::Pattern(p) if p.contains("%y")));
    match (&r.century_from, two_digit) {
        (Some(c), true) => match i16::try_from(*c.get_ref()) {
            Ok(y) if (1000..=9899).contains(&y) => Some(y),
            _ => {
                sink.error(
                    "format",
                    c.span().start,
                    "`century_from` must be a year such as 1930",
                );
                None
            }
        },
        (Some(c), false) => {
            sink.error(
                "format",
                c.span().start,
                "`century_from` applies only to a format with a two-digit year (`%y`)",
            );
            None
        }
        (None, true) => {
            let at = r.format.as_ref().map_or(0, |f| f.span().start);
            sink.error(
                "format",
                at,
                "a format with a two-digit year (`%y`) needs `century_from`: the first year of the hundred the years fall in (for example 1930 reads `29` as 2029 and `30` as 1930)",
            );
            None
        }
        (None, false) => None,
    }
}

/// `via`: the reference is matched through another unique column of the referenced table.
fn via(sink: &mut Sink, column: &Column, r: &RawField, schema: &Schema) -> Option<String> {
    let v = r.via.as_ref()?;
    let name = v.get_ref();
    let Some(reference) = &column.references else {
        sink.error(
            "field",
            v.span().start,
            format!(
                "`via` applies to a reference, and `{}` references no table",
                column.name
            ),
        );
        return None;
    };
    let target = schema.table(&reference.table)?;
    if target.column(name).is_none() {
        sink.error(
            "field",
            v.span().start,
            format!(
                "table `{}` has no column `{name}` to match through",
                target.name
            ),
        );
        return None;
    }
    if !target.is_unique(&[name]) {
        sink.error(
            "field",
            v.span().start,
            format!(
                "`{}.{name}` is not a unique key of `{}`, so a value could match several rows",
                target.name, target.name
            ),
        );
        return None;
    }
    Some(name.clone())
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn field_type(sink: &mut Sink, column: &Column, r: &RawField) -> Option<ColType> {
    let Some(raw) = &r.ty else {
        return Some(column.ty);
    };
    let Some(ty) = ColType::from_name(raw.get_ref()) else {
        let names = ["text", "integer", "decimal", "boolean", "date"];
        let hint = suggest(raw.get_ref(), names)
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        sink.error(
            "type",
            raw.span().start,
            format!("unknown type `{}`{hint}", raw.get_ref()),
        );
        return None;
    };
    let fits = ty == column.ty || (ty == ColType::Integer && column.ty == ColType::Decimal);
    if !fits {
        sink.error(
            "type",
            raw.span().start,
            format!(
                "field `{}` is {} in the company schema, not {}",
                column.name,
                column.ty.name(),
                ty.name()
            ),
        );
        return None;
    }
    Some(ty)
}

fn formats(sink: &mut Sink, column: &Column, ty: ColType, r: &RawField) -> Vec<DateFormat> {
    let Some(raw) = &r.format else {
        return if ty == ColType::Date {
            vec![DateFormat::Iso]
        } else {
            Vec::new()
        };
    };
    if ty != ColType::Date {
        sink.error(
            "type",
            raw.span().start,
            format!(
                "field `{}` is {}: a date `format` does not apply",
                column.name,
                ty.name()
            ),
        );
        return Vec::new();
    }
    date_formats(sink, raw)
}

/// The date formats a `format` key lists, each checked.
pub fn date_formats(sink: &mut Sink, raw: &Spanned<OneOrMany>) -> Vec<DateFormat> {
    let mut out = Vec::new();
    for f in raw.get_ref().to_vec() {
        match f.as_str() {
            "excel" => out.push(DateFormat::Excel),
            "iso" => out.push(DateFormat::Iso),
            p if valid_pattern(p) => out.push(DateFormat::Pattern(p.to_string())),
            p => sink.error(
                "format",
                raw.span().start,
                format!(
                    "`{p}` is not a date format: use strftime such as `%d/%m/%Y`, `excel` or `iso`"
                ),
            ),
        }
    }
    out
}

/// A strftime pattern is usable when it names a year, a month and a day.
fn valid_pattern(p: &str) -> bool {
    let has = |specs: &[&str]| specs.iter().any(|s| p.contains(s));
    has(&["%Y", "%y", "%F", "%D"])
        && (has(&["%m", "%b", "%B", "%F", "%D"]))
        && has(&["%d", "%e", "%F", "%D"])
}
