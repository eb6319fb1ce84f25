//! Resolving `[codelist.NAME]`: inline codes with labels, or a CSV file in the schema folder with
//! the columns `code`, `label` and optionally `valid_from` and `valid_to` (inclusive ISO dates;
//! blank means open-ended).
use std::sync::Arc;

use toml::Spanned;

use super::codelists::{Code, CodeList};
use super::load::Parsed;
use super::model::{Schema, SchemaFile};
use super::raw::{RawCodeList, RawSchemaFile};
use crate::diagnostic::Sink;

/// Resolves the code lists of one file; CSV files read are added to the schema's files.
pub fn resolve(sink: &mut Sink, _p: &Parsed, raw: &RawSchemaFile, schema: &mut Schema) {
    for (name, list) in &raw.codelist {
        if schema.code_list(name.get_ref()).is_some() {
            sink.error(
                "schema-codelist",
                name.span().start,
                format!("code list `{}` is declared twice", name.get_ref()),
            );
            continue;
        }
        if let Some(l) = code_list(sink, name, list, schema) {
            schema.code_lists.push(Arc::new(l));
        }
    }
}

fn code_list(
    sink: &mut Sink,
    name: &Spanned<String>,
    raw: &Spanned<RawCodeList>,
    schema: &mut Schema,
) -> Option<CodeList> {
    let r = raw.get_ref();
    let mut codes: Vec<Code> = r
        .codes
        .as_ref()
        .map(|m| {
            m.get_ref()
                .iter()
                .map(|(code, label)| Code {
                    code: code.clone(),
                    label: label.clone(),
                    valid_from: None,
                    valid_to: None,
                })
                .collect()
        })
        .unwrap_or_default();
    if let Some(file) = &r.file {
        match read_csv(&schema.dir, file.get_ref(), &mut schema.files) {
            Ok(found) => codes.extend(found),
            Err(msg) => sink.error("schema-codelist", file.span().start, msg),
        }
    }
    if r.codes.is_none() && r.file.is_none() {
        sink.error(
            "schema-codelist",
            raw.span().start,
            format!("code list `{}` needs `codes` or `file`", name.get_ref()),
        );
        return None;
    }
    for (i, c) in codes.iter().enumerate() {
        if codes[..i].iter().any(|d| d.code == c.code) {
            sink.error(
                "schema-codelist",
                raw.span().start,
                format!("code `{}` is listed twice in `{}`", c.code, name.get_ref()),
            );
        }
    }
    Some(CodeList {
        name: name.get_ref().clone(),
        description: r.description.clone().unwrap_or_default(),
        complete: r.cover_in_full.unwrap_or(false),
        codes,
        as_at: None,
    })
}

/// Reads a code-list CSV; `Err` says what is wrong, with the line.
fn read_csv(
    dir: &std::path::Path,
    rel: &str,
    files: &mut Vec<SchemaFile>,
) -> Result<Vec<Code>, String> {
    if crate::fsx::escapes_folder(rel) {
        return Err(format!(
            "code-list file `{rel}` must be a relative path inside the schema folder"
        ));
    }
    let path = dir.join(rel);
    let bytes = std::fs::read(&path).map_err(|e| format!("cannot read `{rel}`: {e}"))?;
    files.push(SchemaFile {
        path: rel.replace('\\', "/"),
        bytes: bytes.as_slice().into(),
    });
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let headers = reader
        .headers()
        .map_err(|e| format!("`{rel}`: {e}"))?
        .clone();
    let col = |name: &str| headers.iter().position(|h| h.trim() == name);
    let Some(code_at) = col("code") else {
        return Err(format!("`{rel}` has no `code` column"));
    };
    let (label_at, from_at, to_at) = (col("label"), col("valid_from"), col("valid_to"));
    let mut codes = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.map_err(|e| format!("`{rel}` line {line}: {e}"))?;
        let cell = |at: Option<usize>| at.and_then(|a| record.get(a)).unwrap_or("").trim();
        let date = |at: Option<usize>, what: &str| -> Result<_, String> {
            let text = cell(at);
            if text.is_empty() {
                return Ok(None);
            }
            text.parse().map(Some).map_err(|_| {
                format!("`{rel}` line {line}: {what} `{text}` is not a date (YYYY-MM-DD)")
            })
        };
        let code = cell(Some(code_at));
        if code.is_empty() {
            return Err(format!("`{rel}` line {line}: the code is blank"));
        }
        codes.push(Code {
            code: code.to_string(),
            label: cell(label_at).to_string(),
            valid_from: date(from_at, "valid_from")?,
            valid_to: date(to_at, "valid_to")?,
        });
    }
    Ok(codes)
}
