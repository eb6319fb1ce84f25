//! Resolving `[crosswalk.NAME]`: inline maps or a CSV under the mapping folder, checked against
//! the company's code list (every target code valid, no council code twice).
use std::collections::BTreeMap;
use std::path::Path;

use toml::Spanned;

use super::diagnostic::{Diagnostic, Level, Sink};
use super::model::{Crosswalk, MappingFile, Origin};
use super::raw::RawCrosswalk;
use super::source::check_relative_path;
use crate::schema::Schema;

/// Resolves one crosswalk. CSV files it reads are added to `files` with their SHA-256.
pub fn crosswalk(
    sink: &mut Sink,
    name: &Spanned<String>,
    raw: &Spanned<RawCrosswalk>,
    ctx: (&Path, &str, &Schema),
    files: &mut Vec<MappingFile>,
) -> Option<Crosswalk> {
    let (dir, file, schema) = ctx;
    let r = raw.get_ref();
    let Some(codelist) = schema.code_list(r.codelist.get_ref()).cloned() else {
        let hint = super::diagnostic::suggest(
            r.codelist.get_ref(),
            schema.code_lists.iter().map(|c| c.name.as_str()),
        )
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default();
        sink.error(
            "codelist",
            r.codelist.span().start,
            format!("no company code list `{}`{hint}", r.codelist.get_ref()),
        );
        return None;
    };
    let ignore_case = r.ignore_case.unwrap_or(false);
    let mut xw = Crosswalk {
        name: name.get_ref().clone(),
        codelist,
        ignore_case,
        entries: BTreeMap::new(),
        origin: Origin {
            file: file.to_string(),
            line: sink.line_of(raw.span().start),
        },
    };
    if let Some(map) = &r.map {
        for (council, company) in map.get_ref() {
            let at = council.span().start;
            add(
                &mut xw,
                council.get_ref(),
                company.get_ref(),
                |level, msg| sink.at(level, "crosswalk", at, msg),
            );
        }
    }
    if let Some(path) = &r.file
        && check_relative_path(sink, path, "crosswalk file")
    {
        let rel = path.get_ref().replace('\\', "/");
        match read_csv(dir, &rel, sink.file, &mut xw, files) {
            Ok(found) => sink.found.extend(found),
            Err(msg) => sink.error("path", path.span().start, msg),
        }
    }
    if r.map.is_none() && r.file.is_none() {
        sink.error(
            "crosswalk",
            raw.span().start,
            format!("crosswalk `{}` needs `map` or `file`", xw.name),
        );
    }
    Some(xw)
}

/// Adds one pair, reporting an unknown company code or a council code given twice.
fn add(xw: &mut Crosswalk, council: &str, company: &str, mut report: impl FnMut(Level, String)) {
    let key = if xw.ignore_case {
        council.trim().to_uppercase()
    } else {
        council.trim().to_string()
    };
    if !xw.codelist.knows(company) {
        let hint =
            super::diagnostic::suggest(company, xw.codelist.codes.iter().map(|c| c.code.as_str()))
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
        report(
            Level::Error,
            format!(
                "`{company}` is not a code of the company's `{}` list{hint}",
                xw.codelist.name
            ),
        );
    }
    if xw.entries.insert(key, company.to_string()).is_some() {
        report(
            Level::Error,
            format!(
                "council code `{council}` appears twice in crosswalk `{}`",
                xw.name
            ),
        );
    }
}

fn read_csv(
    dir: &Path,
    rel: &str,
    mapping_file: &str,
    xw: &mut Crosswalk,
    files: &mut Vec<MappingFile>,
) -> Result<Vec<Diagnostic>, String> {
    let path = dir.join(rel);
    let bytes =
        std::fs::read(&path).map_err(|e| format!("crosswalk file `{rel}` cannot be read: {e}"))?;
    files.push(MappingFile {
        path: rel.to_string(),
        bytes: bytes.as_slice().into(),
    });
    let display = display_beside(mapping_file, rel);
    let mut found = Vec::new();
    let mut reader = csv::ReaderBuilder::new().from_reader(bytes.as_slice());
    let headers = reader
        .headers()
        .map_err(|e| format!("crosswalk file `{rel}`: {e}"))?
        .clone();
    let col = |n: &str| {
        headers
            .iter()
            .position(|h| h.trim().trim_start_matches('\u{feff}') == n)
    };
    let (Some(ci), Some(oi)) = (col("council_code"), col("company_code")) else {
        return Err(format!(
            "crosswalk file `{rel}` needs the columns `council_code` and `company_code`"
        ));
    };
    for record in reader.records() {
        let record = record.map_err(|e| format!("crosswalk file `{rel}`: {e}"))?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        let (council, company) = (
            record.get(ci).unwrap_or(""),
            record.get(oi).unwrap_or("").trim(),
        );
        add(xw, council, company, |level, message| {
            found.push(Diagnostic {
                level,
                check: "crosswalk",
                file: display.clone(),
                line,
                col: 1,
                message,
            })
        });
    }
    Ok(found)
}

/// The crosswalk CSV's display path, beside the mapping file that names it.
fn display_beside(mapping_file: &str, rel: &str) -> String {
    match mapping_file.rfind('/') {
        Some(i) => format!("{}/{rel}", &mapping_file[..i]),
        None => rel.to_string(),
    }
}
