//! The `--input` checks: the extract against the mapping set, without a database. Each source's
//! files must be there with their sheets, every mapped column must be in the header, and every
//! row is streamed through the loader's own binding and conversion ([`crate::load::bind`],
//! [`crate::load::convert`]) so that validate and migrate can never disagree on what converts.
//! Findings are counted per field in bounded [`tally`] counters and reported at the
//! mapping line that declares the column or crosswalk, naming the data file and first lines.
use std::path::Path;

use super::locate::Texts;
use super::tally::{self, FieldTally};
use crate::finding::Builtin;
use crate::load::bind::{self, Bound, BoundTarget, closest};
use crate::load::convert::convert;
use crate::load::inputs;
use crate::mapping::{
    ColumnFate, Diagnostic, FieldMapping, Level, MappingSet, Origin, SourceMapping,
};
use crate::source::{self, DateSystem, Row, RowReader, SourceError};

/// How much of the extract the input checks read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Read {
    /// Source files (or sheets) opened.
    pub files: usize,
    /// Data rows streamed through the mappings.
    pub rows: u64,
}

/// The diagnostics of the input checks of `set` over the extract in `input_dir`.
pub fn check(set: &MappingSet, input_dir: &Path) -> (Vec<Diagnostic>, Read) {
    let mut ctx = Ctx {
        set,
        texts: Texts::new(&set.dir),
        out: Vec::new(),
        read: Read::default(),
        sheets: std::collections::BTreeMap::new(),
        read_sheets: std::collections::BTreeSet::new(),
    };
    for source in &set.sources {
        match inputs::expand(set, source, input_dir) {
            Ok(files) => {
                for rel in files {
                    ctx.file(source, input_dir, &rel);
                }
            }
            Err(_) => {
                let msg = format!(
                    "no file in the input folder `{}` matches `{}`",
                    input_dir.display(),
                    source.pattern
                );
                ctx.at_key(&source.origin, &source.pattern, "input-file", msg);
            }
        }
    }
    ctx.controls_file(input_dir);
    ctx.unread(input_dir);
    (ctx.out, ctx.read)
}

/// What one input check run works with.
struct Ctx<'m> {
    set: &'m MappingSet,
    texts: Texts,
    out: Vec<Diagnostic>,
    read: Read,
    /// Sheet names of the workbooks opened, by file.
    sheets: std::collections::BTreeMap<String, Vec<String>>,
    /// Files read, and `(file, sheet)` for each sheet read.
    read_sheets: std::collections::BTreeSet<(String, Option<String>)>,
}

/// A row of one file with the per-field tallies of its targets.
type Tallies = Vec<Vec<FieldTally>>;

impl<'m> Ctx<'m> {
    /// An error on the line at or after `origin` that quotes `needle`, under the needle.
    fn at_key(&mut self, origin: &Origin, needle: &str, check: &'static str, message: String) {
        let at = self.texts.find(origin, needle);
        let d = self.texts.diag((Level::Error, check), &at, needle, message);
        self.out.push(d);
    }

    fn error(&mut self, origin: &Origin, needle: &str, check: &'static str, message: String) {
        let d = self
            .texts
            .diag((Level::Error, check), origin, needle, message);
        self.out.push(d);
    }

    /// Every sheet the source names (a list or a pattern), as migrate reads them (#9).
    fn file(&mut self, source: &'m SourceMapping, input_dir: &Path, rel: &str) {
        self.read_sheets.insert((rel.to_string(), None));
        match inputs::specs(source, input_dir, rel, &mut self.sheets) {
            Ok(specs) => {
                for spec in specs {
                    self.read_sheets
                        .insert((rel.to_string(), spec.sheet.clone()));
                    self.sheet(source, rel, &spec);
                }
            }
            Err(crate::load::LoadError::Source(e)) => self.read_error(source, &e),
            Err(e) => {
                let msg = e.to_string();
                self.at_key(&source.origin, &source.pattern, "input-file", msg);
            }
        }
    }

    fn sheet(&mut self, source: &'m SourceMapping, rel: &str, spec: &crate::source::SourceSpec) {
        let mut reader = match source::open(spec) {
            Ok(r) => r,
            Err(e) => return self.read_error(source, &e),
        };
        let headers = reader.headers().to_vec();
        let where_ = match reader.sheet() {
            Some(sheet) => format!("{rel} (sheet `{sheet}`)"),
            None => rel.to_string(),
        };
        if self.missing_columns(source, &headers, &where_) {
            return;
        }
        self.not_carried(source, &headers, &where_);
        let Ok(bound) = bind::bind(self.set, source, &headers) else {
            return; // every column was just found in the header
        };
        let mut tallies: Tallies = bound
            .targets
            .iter()
            .map(|t| vec![FieldTally::default(); t.fields.len()])
            .collect();
        self.read.files += 1;
        if let Err(e) = stream(reader.as_mut(), &bound, &mut tallies, &mut self.read.rows) {
            self.read_error(source, &e);
        }
        self.report(&bound, &tallies, &where_);
    }

    fn read_error(&mut self, source: &SourceMapping, e: &SourceError) {
        let needle = match e {
            SourceError::MissingSheet { sheet, .. } => sheet.clone(),
            _ => source.pattern.clone(),
        };
        self.at_key(&source.origin, &needle, "input-file", e.to_string());
    }

    /// Reports every column the source names that `headers` lacks; true when any is missing.
    fn missing_columns(&mut self, source: &SourceMapping, headers: &[String], file: &str) -> bool {
        let mut named: Vec<(&str, &Origin)> = Vec::new();
        for r in &source.scope {
            named.extend(r.condition.columns().into_iter().map(|c| (c, &r.origin)));
            named.extend(r.reason_column.iter().map(|c| (c.as_str(), &r.origin)));
        }
        for t in &source.targets {
            if let Some(c) = &t.when {
                named.extend(c.columns().into_iter().map(|c| (c, &t.origin)));
            }
            named.extend(
                t.fields
                    .iter()
                    .filter_map(|f| f.column().map(|c| (c, &f.origin))),
            );
        }
        let before = self.out.len();
        for (column, origin) in named {
            if headers.iter().any(|h| h == column) {
                continue;
            }
            let near = closest(column, headers);
            let hint = match near.is_empty() {
                true => String::new(),
                false => format!(" (closest: `{}`)", near.join("`, `")),
            };
            let msg = format!("{file} has no column `{column}`{hint}");
            self.at_key(origin, column, "input-column", msg);
        }
        self.out.len() > before
    }

    /// A warning for each column of the file that nothing reads and `ignore_columns` does not
    /// name: its data would stay behind unsaid.
    fn not_carried(&mut self, source: &SourceMapping, headers: &[String], file: &str) {
        for (column, fate) in source.column_ledger(headers) {
            if fate != ColumnFate::NotCarried {
                continue;
            }
            let msg = format!(
                "{file}: column `{column}` is not carried: map it, or name it in `ignore_columns` with the reason it stays behind"
            );
            let d = self
                .texts
                .diag((Level::Warning, "input-column"), &source.origin, "", msg);
            self.out.push(d);
        }
    }

    fn report(&mut self, bound: &Bound, tallies: &Tallies, file: &str) {
        for (target, fields) in bound.targets.iter().zip(tallies) {
            for (bf, t) in target
                .fields
                .iter()
                .zip(fields)
                .filter(|(_, t)| !t.is_clean())
            {
                self.report_codes(bf.field, t, file);
                self.report_values(bf.field, t, file);
            }
        }
    }

    fn report_codes(&mut self, field: &FieldMapping, t: &FieldTally, file: &str) {
        let column = field.column().unwrap_or_default();
        let (needle, what) = match &field.crosswalk {
            Some(x) => (x.as_str(), format!("has no entry in crosswalk `{x}`")),
            None => (column, code_list_phrase(field)),
        };
        for (value, seen) in &t.codes {
            let msg = format!(
                "{file}: `{value}` in column `{column}` {what}: {}, first at {}",
                tally::rows(seen.count),
                tally::lines(&seen.lines)
            );
            self.error(&field.origin, needle, "input-code", msg);
        }
        if t.more_codes.count > 0 {
            let msg = format!(
                "{file}: more than {} distinct values in column `{column}` are not covered; {} more, first at {}",
                tally::MAX_DISTINCT,
                tally::rows(t.more_codes.count),
                tally::lines(&t.more_codes.lines)
            );
            self.error(&field.origin, needle, "input-code", msg);
        }
    }

    fn report_values(&mut self, field: &FieldMapping, t: &FieldTally, file: &str) {
        let Some((at, _, first)) = t.bad_examples.first() else {
            return;
        };
        let column = field.column().unwrap_or_default();
        let mut msg = format!(
            "{file}: {} in column `{column}` {}, first at {}: {first}",
            tally::values(t.bad.count),
            if t.bad.count == 1 {
                "does not convert"
            } else {
                "do not convert"
            },
            at.long()
        );
        if t.bad_examples.len() > 1 {
            let more: Vec<String> = t.bad_examples[1..]
                .iter()
                .map(|(a, v, _)| format!("{} (`{v}`)", a.short()))
                .collect();
            let what = if t.bad_examples.iter().any(|(a, _, _)| a.col.is_some()) {
                "lines:columns"
            } else {
                "lines"
            };
            msg.push_str(&format!("; then {what} {}", more.join(", ")));
        }
        self.error(&field.origin, column, "input-value", msg);
    }

    /// The controls file that `[controls]` names must be in the input folder.
    /// The input ledger (#9): a file of the input folder, or a sheet of a workbook read, that no
    /// source reads and no `[[ignore]]` names is a warning (so `--strict` fails on it), placed at
    /// the input file itself.
    fn unread(&mut self, input_dir: &Path) {
        let Ok(files) = inputs::files(input_dir) else {
            return;
        };
        let controls = self.set.controls_file.as_ref().map(|c| c.file.as_str());
        let ignored = &self.set.ignored;
        let mut found = Vec::new();
        for rel in files {
            if Some(rel.as_str()) == controls {
                continue;
            }
            if !self.read_sheets.contains(&(rel.clone(), None)) {
                if crate::load::unread::ignored(ignored, &rel, None).is_none() {
                    found.push((rel.clone(), "no mapping reads this file (map it, or declare it in an `[[ignore]]` with the reason)".to_string()));
                }
                continue;
            }
            for name in self.sheets.get(&rel).into_iter().flatten() {
                let read = self
                    .read_sheets
                    .contains(&(rel.clone(), Some(name.clone())));
                if !read && crate::load::unread::ignored(ignored, &rel, Some(name)).is_none() {
                    found.push((rel.clone(), format!("sheet `{name}` is read by no mapping (name it in the source's `sheet`, or declare it in an `[[ignore]]` with the reason)")));
                }
            }
        }
        for (rel, message) in found {
            self.out.push(Diagnostic {
                level: Level::Warning,
                check: "input-ledger",
                file: input_dir.join(&rel).to_string_lossy().replace('\\', "/"),
                line: 0,
                col: 0,
                message,
            });
        }
    }

    fn controls_file(&mut self, input_dir: &Path) {
        let Some(cf) = &self.set.controls_file else {
            return;
        };
        if input_dir.join(&cf.file).is_file() {
            return;
        }
        let quoted = format!("\"{}\"", cf.file);
        let mut origin = Origin::default();
        for f in self.set.files.iter().filter(|f| f.path.ends_with(".toml")) {
            let at = self.texts.find(
                &Origin {
                    file: f.path.clone(),
                    line: 1,
                },
                &cf.file,
            );
            if self.texts.line(&at.file, at.line).contains(&quoted) {
                origin = at;
                break;
            }
        }
        let msg = format!(
            "the controls file `{}` is not in the input folder `{}`",
            cf.file,
            input_dir.display()
        );
        self.error(&origin, &cf.file.clone(), "input-file", msg);
    }
}

fn code_list_phrase(field: &FieldMapping) -> String {
    format!(
        "is not a code of the company's `{}` list",
        field.target.codelist.as_deref().unwrap_or("-")
    )
}

/// Streams every row of `reader` through the bound mapping, counting what does not convert.
fn stream(
    reader: &mut dyn RowReader,
    bound: &Bound,
    tallies: &mut Tallies,
    rows: &mut u64,
) -> Result<(), SourceError> {
    let dates = reader.date_system();
    let mut row = Row::default();
    while reader.read_row(&mut row)? {
        *rows += 1;
        if bound.excluded(&row).is_some() {
            continue;
        }
        for (target, fields) in bound.targets.iter().zip(tallies.iter_mut()) {
            if target.applies(&row) {
                convert_row(target, &row, dates, fields);
            }
        }
    }
    Ok(())
}

/// Converts the row's fields for one target, exactly as the loader does, and counts every value
/// migrate would find missing, invalid or uncoded.
fn convert_row(target: &BoundTarget, row: &Row, dates: DateSystem, fields: &mut [FieldTally]) {
    // The place in the file: an XML record's start tag's line and column, not its number.
    let line = match row.place {
        Some(p) => tally::At {
            line: p.line,
            col: Some(p.col),
        },
        None => tally::At {
            line: row.line,
            col: None,
        },
    };
    for (bf, t) in target.fields.iter().zip(fields) {
        let Err(p) = convert(bf.field, &bf.cell(row), dates, bf.crosswalk) else {
            continue;
        };
        match p.rule {
            Builtin::UncrosswalkedCode => t.code(&p.value, line),
            // After a crosswalk, a code outside the list is the crosswalk's fault, which the
            // mapping checks already report at the crosswalk entry.
            Builtin::NotInCodeList if bf.crosswalk.is_none() => t.code(&p.value, line),
            // CI logs are shared: a personal value (a date of birth) is named, never shown.
            Builtin::UnparsableValue | Builtin::OutOfBounds if bf.field.target.personal => {
                let hidden = "[personal data]";
                t.bad_value(hidden, line, &p.message.replace(&p.value, hidden))
            }
            Builtin::UnparsableValue | Builtin::OutOfBounds | Builtin::MissingValue => {
                t.bad_value(&p.value, line, &p.message)
            }
            _ => {}
        }
    }
}
