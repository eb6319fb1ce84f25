//! The reconciliation as JSON: `schema_version`, then the run, inputs, mappings, `entities[]`,
//! `exclusions[]`, `controls[]`, `rules[]` and `findings[]`, as docs/report.md documents.
use super::Reconciliation;

/// Pretty-printed JSON with a trailing newline.
pub fn render(rec: &Reconciliation) -> anyhow::Result<Vec<u8>> {
    let mut out = serde_json::to_vec_pretty(rec)?;
    out.push(b'\n');
    Ok(out)
}
