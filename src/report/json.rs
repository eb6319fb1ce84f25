//! The reconciliation as JSON: `schema_version`, `personal_data`, then the run, inputs, mappings,
//! `entities[]`, `exclusions[]`, `controls[]`, `rules[]`, `findings[]` (all of them),
//! `breakdowns[]` and `figures`, as docs/report.md documents.
use super::{Reconciliation, ReportWriter};

/// Writes JSON.
pub struct JsonWriter;

impl ReportWriter for JsonWriter {
    fn write(&self, r: &Reconciliation) -> anyhow::Result<Vec<u8>> {
        render(r)
    }
}

/// Pretty-printed JSON with a trailing newline.
pub fn render(rec: &Reconciliation) -> anyhow::Result<Vec<u8>> {
    let mut out = serde_json::to_vec_pretty(rec)?;
    out.push(b'\n');
    Ok(out)
}
