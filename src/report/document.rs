//! What a report says beside the reconciliation's numbers (issue #13): the verdict of the run
//! (clean, findings, refused), the parameters recorded with it that change its outcome
//! (`--allow-findings`, `--force`, where the as-at date came from), who the transfer is between,
//! and the provenance of the database the report was made from. Every format renders a
//! [`Document`]; `migrate --report` and `handover report` build the same one for the same
//! database, so their bytes stay equal.
use std::path::Path;

use rusqlite::Connection;
use serde::Serialize;

use super::Reconciliation;
use crate::check::{Kind, Severity};

/// A reconciliation with what the report says about it.
#[derive(Debug, Clone)]
pub struct Document<'a> {
    /// The numbers.
    pub rec: &'a Reconciliation,
    /// Clean, findings or refused, with the counts behind it.
    pub verdict: Verdict,
    /// The parameters recorded with the run.
    pub record: RunRecord,
    /// The company database the report describes.
    pub database: Database,
    /// Whether the HTML and Markdown reports end with a block to sign.
    pub sign_off: bool,
    /// Labels for codes and titles for rules, from the company schema.
    pub labels: super::labels::Labels,
}

/// How the run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// No error findings, every control holds, every ledger line balances.
    Clean,
    /// Error findings or failed controls; a final run wrote the database with `--allow-findings`.
    Findings,
    /// A final run with error findings or failed controls: the database was not written.
    Refused,
}

impl Status {
    /// The word for it, in capitals.
    pub fn word(self) -> &'static str {
        match self {
            Status::Clean => "CLEAN",
            Status::Findings => "FINDINGS",
            Status::Refused => "REFUSED",
        }
    }
}

/// The verdict, with honest counts: a failed control is counted once, as a failed control, not
/// also as an error finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    /// Clean, findings or refused.
    pub status: Status,
    /// One sentence saying what happened and what it means.
    pub headline: String,
    /// What to do next.
    pub next_step: String,
    /// Error findings about the data (control findings not included).
    pub error_findings: usize,
    /// Warnings.
    pub warnings: usize,
    /// Controls that do not hold.
    pub failed_controls: usize,
    /// Ledger entities whose equation does not balance.
    pub unbalanced_entities: usize,
    /// Whether the company database exists (a final run that was not refused).
    pub database_written: bool,
    /// Whether the run was a dry run.
    pub dry_run: bool,
}

/// The parameters the run recorded in `handover_run.parameters` that change its outcome.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RunRecord {
    /// `--allow-findings`.
    pub allow_findings: bool,
    /// `--force`.
    pub force: bool,
    /// Where the as-at date came from: `--as-at` or `input folder name`.
    pub as_at_origin: Option<String>,
}

/// The database a report describes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Database {
    /// A file, with its SHA-256 and size.
    Written {
        /// Lower-case hex SHA-256 of the file.
        sha256: String,
        /// Bytes.
        size: u64,
    },
    /// No file: why (a dry run, or a refused final run).
    None {
        /// In words.
        reason: String,
    },
}

impl RunRecord {
    /// Reads the recorded parameters; a run recorded before they were kept reads as all unset.
    pub fn read(conn: &Connection) -> Self {
        let text: Option<String> = conn
            .query_row(
                "SELECT parameters FROM handover_run WHERE run_id = 1",
                [],
                |r| r.get(0),
            )
            .ok()
            .flatten();
        let p: serde_json::Value = text
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default();
        RunRecord {
            allow_findings: p["allow_findings"].as_bool().unwrap_or(false),
            force: p["force"].as_bool().unwrap_or(false),
            as_at_origin: p["as_at_origin"].as_str().map(str::to_string),
        }
    }
}

impl Database {
    /// The SHA-256 and size of the database file at `path`.
    pub fn file(path: &Path) -> anyhow::Result<Self> {
        let (size, sha256) = crate::source::fingerprint::digest(path, &path.display().to_string())?;
        Ok(Database::Written { sha256, size })
    }
}

/// `n thing` or `n things`.
pub fn plural(n: usize, word: &str) -> String {
    match n {
        1 => format!("1 {word}"),
        _ => format!("{n} {word}s"),
    }
}

impl Verdict {
    /// The status word, with `(dry run)` after it for a dry run: `CLEAN (dry run)`.
    pub fn label(&self) -> String {
        match self.dry_run {
            true => format!("{} (dry run)", self.status.word()),
            false => self.status.word().to_string(),
        }
    }

    /// The verdict on `rec`: `refused` when a final run was not written.
    pub fn of(rec: &Reconciliation, refused: bool) -> Self {
        let error_findings = rec
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error && f.kind != Kind::Control)
            .count();
        let warnings = rec
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Warning)
            .count();
        let failed_controls = rec.failed_controls();
        let unbalanced_entities = rec.entities.iter().filter(|e| !e.balances()).count();
        let dry = rec.run.mode == "dry_run";
        let problems = error_findings + failed_controls + unbalanced_entities > 0;
        let status = match (problems, refused) {
            (_, true) => Status::Refused,
            (true, false) => Status::Findings,
            (false, false) => Status::Clean,
        };
        let what = what_was_found(error_findings, failed_controls, unbalanced_entities);
        let (headline, next_step) = match (status, dry) {
            (Status::Clean, true) => (
                "every row is accounted for, with no error findings and every control holding. Nothing was written.".to_string(),
                "Run again with `--out FILE` to write the company database.".to_string(),
            ),
            (Status::Clean, false) => (
                "every row is accounted for, with no error findings and every control holding.".to_string(),
                "Keep this report with the database; `handover verify` checks the inputs later.".to_string(),
            ),
            (Status::Findings, true) => (
                format!("{what}. Nothing was written; a final run would be refused."),
                "Fix the data or the mappings (docs/rules.md says how for each rule), then run again.".to_string(),
            ),
            (Status::Findings, false) => (
                format!("{what}. The database was written anyway, because the run was given `--allow-findings`."),
                "Resolve the findings with the council before go-live; `handover diff` shows what the next extract fixes.".to_string(),
            ),
            (Status::Refused, _) => (
                format!("{what}, so the company database was not written."),
                "Fix the data or the mappings (docs/rules.md says how for each rule) and run again, or use `--allow-findings` to write it anyway.".to_string(),
            ),
        };
        Verdict {
            status,
            headline,
            next_step,
            error_findings,
            warnings,
            failed_controls,
            unbalanced_entities,
            database_written: !dry && !refused,
            dry_run: dry,
        }
    }
}

fn what_was_found(errors: usize, controls: usize, unbalanced: usize) -> String {
    let mut parts = Vec::new();
    if errors > 0 {
        parts.push(plural(errors, "error finding"));
    }
    if controls > 0 {
        parts.push(plural(controls, "failed control"));
    }
    if unbalanced > 0 {
        parts.push(plural(unbalanced, "ledger line that does not balance"));
    }
    match parts.len() {
        0 => "no error findings".to_string(),
        _ => parts.join(" and "),
    }
}

impl<'a> Document<'a> {
    /// The document of a written database (what `handover report` renders), read from `conn`,
    /// with the labels of the schema the run's mappings use.
    pub fn of_database(
        rec: &'a Reconciliation,
        conn: &Connection,
        path: &Path,
        labels: super::labels::Labels,
    ) -> anyhow::Result<Self> {
        let record = RunRecord::read(conn);
        let database = match rec.run.mode.as_str() {
            "dry_run" => Database::None {
                reason: "dry run: no database was written".to_string(),
            },
            _ => Database::file(path)?,
        };
        Ok(Document {
            verdict: Verdict::of(rec, false),
            rec,
            record,
            database,
            sign_off: false,
            labels,
        })
    }

    /// The council, as far as the run tells: the mapping folder's name in title case, without the
    /// word `mappings` (`mappings/sunderland` gives `Sunderland`). The reports say where it came
    /// from.
    pub fn council(&self) -> Option<String> {
        let name = Path::new(&self.rec.run.mappings_dir)
            .file_name()?
            .to_str()?;
        let words: Vec<String> = name
            .split(['_', '-', ' '])
            .filter(|w| !w.is_empty() && !w.eq_ignore_ascii_case("mappings"))
            .map(|w| {
                let mut c = w.chars();
                c.next()
                    .map(|f| f.to_uppercase().chain(c).collect())
                    .unwrap_or_default()
            })
            .collect();
        (!words.is_empty()).then(|| words.join(" "))
    }

    /// The company, as its schema folder names it.
    pub fn company(&self) -> Option<String> {
        let name = self.rec.run.company.trim();
        (!name.is_empty()).then(|| name.to_string())
    }

    /// `as at 2017-03-31 (from the input folder name)`, or `as at: not recorded`.
    pub fn as_at_text(&self) -> String {
        match (&self.rec.run.as_at, &self.record.as_at_origin) {
            (Some(d), Some(o)) => format!("{d} (from {o})"),
            (Some(d), None) => d.clone(),
            (None, _) => "not recorded".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::controls::ControlResult;
    use crate::finding::{Finding, Kind, Severity};
    use crate::report::figures::Figures;
    use crate::report::model::RunInfo;

    fn rec(mode: &str, findings: Vec<Finding>, control_ok: bool) -> Reconciliation {
        Reconciliation {
            schema_version: 1,
            personal_data: "redacted".into(),
            run: RunInfo {
                tool_version: "0.1.0".into(),
                mode: mode.into(),
                as_at: Some("2017-03-31".into()),
                company: "Together for Children".into(),
                started_at: "2017-03-31T00:00:00Z".into(),
                mappings_dir: "mappings/sunderland".into(),
                input_dir: "in".into(),
            },
            inputs: vec![],
            mappings: vec![],
            entities: vec![],
            exclusions: vec![],
            controls: vec![ControlResult {
                name: "staff_in_scope".into(),
                description: "Members of staff who transfer".into(),
                expected: Some(828),
                actual: if control_ok { 828 } else { 825 },
                ok: control_ok,
            }],
            rules: vec![],
            findings,
            breakdowns: vec![],
            figures: Figures {
                source_side: "computed".into(),
                items: vec![],
            },
        }
    }

    fn finding(kind: Kind, severity: Severity) -> Finding {
        Finding {
            rule: "HO-X".into(),
            kind,
            severity,
            entity: "staff".into(),
            key: None,
            file: None,
            sheet: None,
            col: None,
            line: None,
            column: None,
            value: None,
            message: "m".into(),
            mapping_file: None,
            mapping_line: None,
            rule_file: None,
            rule_line: None,
        }
    }

    /// A failed control is counted once, as a failed control, never also as an error finding.
    #[test]
    fn verdicts_count_each_problem_once() {
        let control = finding(Kind::Control, Severity::Error);
        let orphan = finding(Kind::Orphan, Severity::Error);
        let warning = finding(Kind::Orphan, Severity::Warning);
        let r = rec("final", vec![orphan, control, warning], false);
        let refused = Verdict::of(&r, true);
        assert_eq!(refused.status, Status::Refused);
        assert_eq!(
            (
                refused.error_findings,
                refused.failed_controls,
                refused.warnings
            ),
            (1, 1, 1)
        );
        assert_eq!(
            refused.headline,
            "1 error finding and 1 failed control, so the company database was not written."
        );
        assert!(!refused.database_written);
        let written = Verdict::of(&r, false);
        assert_eq!(written.status, Status::Findings);
        assert!(written.headline.contains("`--allow-findings`") && written.database_written);
        let clean = Verdict::of(&rec("dry_run", vec![], true), false);
        assert_eq!(
            (clean.status, clean.label().as_str()),
            (Status::Clean, "CLEAN (dry run)")
        );
        assert!(!clean.database_written && clean.next_step.contains("--out FILE"));
    }

    #[test]
    fn the_council_comes_from_the_mapping_folder_and_the_company_from_the_run() {
        let r = rec("final", vec![], true);
        let doc = Document {
            rec: &r,
            verdict: Verdict::of(&r, false),
            record: RunRecord::default(),
            database: Database::None { reason: "x".into() },
            sign_off: false,
            labels: Default::default(),
        };
        assert_eq!(doc.council().as_deref(), Some("Sunderland"));
        assert_eq!(doc.company().as_deref(), Some("Together for Children"));
        assert_eq!(doc.as_at_text(), "2017-03-31");
    }
}
