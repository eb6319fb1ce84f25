//! The reconciliation as JSON: `schema_version`, `personal_data`, then the run, inputs, mappings,
//! `entities[]`, `exclusions[]`, `controls[]`, `rules[]`, `findings[]` (all of them),
//! `breakdowns[]` and `figures`, as docs/report.md documents; then what the report says about the
//! run (issue #13): `verdict`, the recorded `parameters` and the `database` it describes.
use serde::Serialize;

use super::document::{Database, RunRecord};
use super::{Document, Reconciliation, ReportWriter, Verdict};

/// Writes JSON.
pub struct JsonWriter;

impl ReportWriter for JsonWriter {
    fn write(&self, doc: &Document) -> anyhow::Result<Vec<u8>> {
        render(doc)
    }
}

/// The layout: the reconciliation's fields in their order, then the document's.
#[derive(Serialize)]
struct Layout<'a> {
    #[serde(flatten)]
    rec: &'a Reconciliation,
    verdict: &'a Verdict,
    parameters: &'a RunRecord,
    database: &'a Database,
}

/// Pretty-printed JSON with a trailing newline.
pub fn render(doc: &Document) -> anyhow::Result<Vec<u8>> {
    let layout = Layout {
        rec: doc.rec,
        verdict: &doc.verdict,
        parameters: &doc.record,
        database: &doc.database,
    };
    let mut out = serde_json::to_vec_pretty(&layout)?;
    out.push(b'\n');
    Ok(out)
}
