//! The extract's as-at date, when neither `--as-at` nor the input folder's name gives it: the
//! mapping set's `[as_at]` says which file carries it, in its name or on a title line, and the
//! pattern that picks it out.
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use super::LoadError;
use crate::mapping::AsAtRule;

/// The date `rule` finds in `input_dir`, with where it was found; `None` when no file matches or
/// the pattern finds nothing. A match that is not a date is an error naming the file.
pub fn find(rule: &AsAtRule, input_dir: &Path) -> Result<Option<(Date, String)>, LoadError> {
    let glob = globset::Glob::new(&rule.file)
        .map_err(|e| as_at_error(&rule.file, 0, e.to_string()))?
        .compile_matcher();
    let mut files = Vec::new();
    walk(input_dir, input_dir, &mut files);
    files.sort();
    let Some((rel, path)) = files.into_iter().find(|(rel, _)| glob.is_match(rel)) else {
        return Ok(None);
    };
    let (text, line, from) = match rule.line {
        None => (file_name(&rel), 0, format!("the name of {rel}")),
        Some(n) => (
            nth_line(&path, n).unwrap_or_default(),
            n as u64,
            format!("line {n} of {rel}"),
        ),
    };
    let Some(found) = rule.pattern.0.captures(&text).and_then(|c| c.get(1)) else {
        return Ok(None);
    };
    match crate::load::convert::parse_date(found.as_str(), &rule.formats, Default::default(), None)
    {
        Some(date) => Ok(Some((date, from))),
        None => Err(as_at_error(
            &rel,
            line,
            format!(
                "`{}` (the as-at date by `[as_at]`) is not a date in the declared format",
                found.as_str()
            ),
        )),
    }
}

fn as_at_error(file: &str, line: u64, message: String) -> LoadError {
    LoadError::AsAt {
        file: file.to_string(),
        line,
        message,
    }
}

fn file_name(rel: &str) -> String {
    rel.rsplit('/').next().unwrap_or(rel).to_string()
}

/// Line `n` (1-based) of a text file, decoded as UTF-8 or else Windows-1252.
fn nth_line(path: &Path, n: usize) -> Option<String> {
    use std::io::{BufRead, BufReader};
    let reader = BufReader::new(std::fs::File::open(path).ok()?);
    let bytes = reader.split(b'\n').nth(n - 1)?.ok()?;
    let text = match std::str::from_utf8(&bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252.decode(&bytes).0.into_owned(),
    };
    Some(text.trim_end_matches('\r').to_string())
}

/// Every regular file under `dir` (symbolic links not followed), relative to `root`.
fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            walk(root, &path, out);
        } else if meta.is_file()
            && let Ok(rel) = path.strip_prefix(root)
        {
            out.push((rel.to_string_lossy().replace('\\', "/"), path.clone()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mapping::{DateFormat, Origin};
    use crate::schema::Pattern;

    fn rule(file: &str, pattern: &str, line: Option<usize>, format: &str) -> AsAtRule {
        AsAtRule {
            file: file.into(),
            pattern: Pattern(regex::Regex::new(pattern).unwrap()),
            line,
            formats: vec![DateFormat::Pattern(format.into())],
            origin: Origin::default(),
        }
    }

    #[test]
    fn the_date_comes_from_a_file_name_or_a_title_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("hr")).unwrap();
        std::fs::write(dir.path().join("hr/staff_20170331.csv"), "a,b\n").unwrap();
        std::fs::write(
            dir.path().join("cases.csv"),
            "Case list as at 31/01/2017\r\nChild ID,Type\r\n",
        )
        .unwrap();
        let by_name = rule("hr/staff_*.csv", r"staff_(\d{8})", None, "%Y%m%d");
        assert_eq!(
            find(&by_name, dir.path()).unwrap(),
            Some((
                jiff::civil::date(2017, 3, 31),
                "the name of hr/staff_20170331.csv".to_string()
            ))
        );
        let by_title = rule("cases.csv", r"as at (\S+)", Some(1), "%d/%m/%Y");
        assert_eq!(
            find(&by_title, dir.path()).unwrap(),
            Some((
                jiff::civil::date(2017, 1, 31),
                "line 1 of cases.csv".to_string()
            ))
        );
        let none = rule("absent*.csv", r"(\d+)", None, "%Y");
        assert_eq!(find(&none, dir.path()).unwrap(), None);
        let not_a_date = rule("cases.csv", r"(Case)", Some(1), "%d/%m/%Y");
        assert!(find(&not_a_date, dir.path()).is_err());
    }
}
