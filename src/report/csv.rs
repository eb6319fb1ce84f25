//! Every finding as CSV, one row each, with a header row. Cells that a spreadsheet would run as a
//! formula are neutralised ([`super::privacy::cell`]).
use super::privacy::cell;
use super::{Document, ReportWriter};

/// Writes findings.csv.
pub struct CsvWriter;

/// The header row.
pub const HEADER: [&str; 14] = [
    "rule",
    "kind",
    "severity",
    "entity",
    "record_key",
    "file",
    "sheet",
    "line",
    "col",
    "column",
    "value",
    "message",
    "mapping_file",
    "mapping_line",
];

impl ReportWriter for CsvWriter {
    fn write(&self, doc: &Document) -> anyhow::Result<Vec<u8>> {
        let mut out = ::csv::WriterBuilder::new()
            .terminator(::csv::Terminator::CRLF)
            .from_writer(Vec::new());
        out.write_record(HEADER)?;
        for f in &doc.rec.findings {
            let opt = |v: &Option<String>| v.clone().unwrap_or_default();
            let num = |v: Option<u64>| v.map(|n| n.to_string()).unwrap_or_default();
            let fields = [
                f.rule.clone(),
                f.kind.as_str().to_string(),
                f.severity.as_str().to_string(),
                f.entity.clone(),
                opt(&f.key),
                opt(&f.file),
                opt(&f.sheet),
                num(f.line),
                num(f.col),
                opt(&f.column),
                opt(&f.value),
                f.message.clone(),
                opt(&f.mapping_file),
                num(f.mapping_line),
            ];
            out.write_record(fields.iter().map(|v| cell(v).into_owned()))?;
        }
        out.into_inner().map_err(|e| anyhow::anyhow!("{e}"))
    }
}
