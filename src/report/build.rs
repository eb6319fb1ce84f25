//! Building the shareable report of a company database: the reconciliation read back from the
//! audit tables, the source side of the service figures recomputed from the input folder (when it
//! is still there, unchanged), and personal values redacted unless asked for.
use std::path::PathBuf;

use rusqlite::Connection;

use super::Reconciliation;
use super::figures::{self, Figures};
use crate::mapping::MappingSet;

/// How to build the report.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Show personal values in findings.
    pub include_personal_data: bool,
    /// The input folder, instead of the one the run recorded.
    pub input_dir: Option<PathBuf>,
    /// The mapping folder, instead of the one the run recorded.
    pub mappings_dir: Option<PathBuf>,
}

/// Builds the report of the run held in `conn`.
pub fn build(conn: &Connection, opts: &Options) -> anyhow::Result<Reconciliation> {
    build_from(Reconciliation::read(conn)?, conn, opts)
}

/// Builds the report of the run held in `conn` from `rec`, its reconciliation as read back
/// (personal values included), so that nothing is counted twice.
pub fn build_from(
    mut rec: Reconciliation,
    conn: &Connection,
    opts: &Options,
) -> anyhow::Result<Reconciliation> {
    let mappings = opts
        .mappings_dir
        .clone()
        .unwrap_or_else(|| PathBuf::from(&rec.run.mappings_dir));
    let input = opts
        .input_dir
        .clone()
        .unwrap_or_else(|| PathBuf::from(&rec.run.input_dir));
    let set = load_set_at(&mappings, as_at(&rec));
    let defs = crate::audit::figures::figures(conn)?;
    let company = rec.figures.company();
    let source = match &set {
        Some(set) => source_side(conn, set, &input, &defs, &rec),
        None => Err("source side: mapping folder not available".to_string()),
    };
    rec.figures = Figures::pair(&defs, company, source);
    if !opts.include_personal_data {
        rec.redact(set.as_ref());
    }
    Ok(rec)
}

fn as_at(rec: &Reconciliation) -> Option<jiff::civil::Date> {
    rec.run.as_at.as_deref().and_then(|d| d.parse().ok())
}

/// The mapping set in `dir`, if it loads without errors.
pub fn load_set(dir: &std::path::Path) -> Option<MappingSet> {
    load_set_at(dir, None)
}

/// The mapping set in `dir` with its code lists as in force on `as_at`, if it loads without
/// errors.
pub fn load_set_at(dir: &std::path::Path, as_at: Option<jiff::civil::Date>) -> Option<MappingSet> {
    let opts = crate::mapping::LoadOptions {
        as_at,
        ..Default::default()
    };
    let loaded = crate::mapping::load_with(dir, &opts).ok()?;
    (!loaded.has_errors()).then_some(loaded.set)
}

fn source_side(
    conn: &Connection,
    set: &MappingSet,
    input: &std::path::Path,
    defs: &[crate::schema::FigureDef],
    rec: &Reconciliation,
) -> Result<figures::Values, String> {
    if !input.is_dir() {
        return Err("source side: input folder not available".to_string());
    }
    figures::source::check_unchanged(conn, set, input)?;
    figures::source::compute(set, input, defs, as_at(rec))
        .map_err(|e| format!("source side: could not be computed ({e:#})"))
}
