//! JSON for tools: `{ schema_version, checks[], diagnostics[], summary }`, documented in
//! docs/ci.md. `schema_version` changes only when a field changes meaning or goes away.
use serde::Serialize;

use super::super::Report;
use crate::mapping::{Diagnostic, Level};

/// The version of the JSON document's schema.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Doc<'a> {
    schema_version: u32,
    checks: Vec<&'static str>,
    diagnostics: &'a [Diagnostic],
    summary: Summary,
}

#[derive(Serialize)]
struct Summary {
    errors: usize,
    warnings: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    input_files: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rows_read: Option<u64>,
}

/// Renders `report` as pretty-printed JSON with a final newline.
pub fn render(report: &Report) -> serde_json::Result<Vec<u8>> {
    let doc = Doc {
        schema_version: SCHEMA_VERSION,
        checks: report.checks.iter().map(|c| c.name).collect(),
        diagnostics: &report.diagnostics,
        summary: Summary {
            errors: report.count(Level::Error),
            warnings: report.count(Level::Warning),
            input_files: report.read.map(|r| r.files),
            rows_read: report.read.map(|r| r.rows),
        },
    };
    let mut out = serde_json::to_vec_pretty(&doc)?;
    out.push(b'\n');
    Ok(out)
}
