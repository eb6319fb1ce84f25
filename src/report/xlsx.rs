//! The reconciliation as an Excel workbook, one sheet per section (Run, Inputs, Mappings, Ledger,
//! Exclusions, Controls, Rules, Findings with all findings, Breakdowns, Figures). Every text cell
//! goes through [`super::privacy::cell`], so no value runs as a formula; the workbook's creation
//! time is the run's `started_at`, so the same database gives the same bytes.
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet};

use super::privacy::cell;
use super::{Reconciliation, ReportWriter, agreement, figure_text};

/// Writes report.xlsx.
pub struct XlsxWriter;

/// A cell to write: text (neutralised) or a number.
enum V {
    T(String),
    N(f64),
}

fn t(s: impl Into<String>) -> V {
    V::T(s.into())
}

fn n(x: impl Into<f64>) -> V {
    V::N(x.into())
}

fn opt(s: &Option<String>) -> V {
    t(s.clone().unwrap_or_default())
}

impl ReportWriter for XlsxWriter {
    fn write(&self, r: &Reconciliation) -> anyhow::Result<Vec<u8>> {
        let mut wb = Workbook::new();
        let created = jiff::Timestamp::strptime("%Y-%m-%dT%H:%M:%SZ", &r.run.started_at)
            .or_else(|_| r.run.started_at.parse::<jiff::Timestamp>())?;
        let when = ExcelDateTime::from_timestamp(created.as_second())?;
        wb.set_properties(
            &DocProperties::new()
                .set_title("Handover reconciliation")
                .set_creation_datetime(&when),
        );
        let bold = Format::new().set_bold();
        for (name, header, rows) in sections(r) {
            let ws = wb.add_worksheet();
            sheet(ws, name, &header, &rows, &bold)?;
        }
        Ok(wb.save_to_buffer()?)
    }
}

fn sheet(
    ws: &mut Worksheet,
    name: &str,
    header: &[&str],
    rows: &[Vec<V>],
    bold: &Format,
) -> anyhow::Result<()> {
    ws.set_name(name)?;
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, bold)?;
        ws.set_column_width(c as u16, 18)?;
    }
    for (i, row) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        for (c, v) in row.iter().enumerate() {
            match v {
                V::T(s) => ws.write_string(r, c as u16, cell(s))?,
                V::N(x) => ws.write_number(r, c as u16, *x)?,
            };
        }
    }
    Ok(())
}

type Section = (&'static str, Vec<&'static str>, Vec<Vec<V>>);

fn sections(r: &Reconciliation) -> Vec<Section> {
    vec![
        run(r),
        ("Inputs", vec!["file", "bytes", "rows", "sha256"], inputs(r)),
        ("Mappings", vec!["file", "sha256"], mappings(r)),
        (
            "Ledger",
            vec![
                "entity",
                "source rows",
                "transferred",
                "excluded",
                "rejected",
                "balances",
            ],
            ledger(r),
        ),
        (
            "Exclusions",
            vec!["entity", "reason", "rows"],
            exclusions(r),
        ),
        (
            "Controls",
            vec!["control", "description", "expected", "actual", "ok"],
            controls(r),
        ),
        (
            "Rules",
            vec!["rule", "kind", "severity", "findings"],
            rules(r),
        ),
        ("Findings", super::csv::HEADER.to_vec(), findings(r)),
        (
            "Breakdowns",
            vec!["breakdown", "dimension", "value", "count"],
            breakdowns(r),
        ),
        (
            "Figures",
            vec![
                "figure",
                "label",
                "source",
                "company",
                "agreement",
                "source side",
            ],
            figures(r),
        ),
    ]
}

fn run(r: &Reconciliation) -> Section {
    let run = &r.run;
    let rows = vec![
        vec![t("tool version"), t(&run.tool_version)],
        vec![t("mode"), t(&run.mode)],
        vec![t("as at"), opt(&run.as_at)],
        vec![t("started at"), t(&run.started_at)],
        vec![t("mappings"), t(&run.mappings_dir)],
        vec![t("input"), t(&run.input_dir)],
        vec![t("personal data"), t(&r.personal_data)],
        vec![t("schema version"), n(r.schema_version)],
    ];
    ("Run", vec!["", ""], rows)
}

fn inputs(r: &Reconciliation) -> Vec<Vec<V>> {
    r.inputs
        .iter()
        .map(|i| vec![t(&i.path), n(i.size as f64), n(i.rows as f64), t(&i.sha256)])
        .collect()
}

fn mappings(r: &Reconciliation) -> Vec<Vec<V>> {
    r.mappings
        .iter()
        .map(|m| vec![t(&m.path), t(&m.sha256)])
        .collect()
}

fn ledger(r: &Reconciliation) -> Vec<Vec<V>> {
    r.entities
        .iter()
        .map(|e| {
            let balances = t(if e.balances() { "yes" } else { "NO" });
            vec![
                t(&e.entity),
                n(e.source_rows as f64),
                n(e.transferred as f64),
                n(e.excluded as f64),
                n(e.rejected as f64),
                balances,
            ]
        })
        .collect()
}

fn exclusions(r: &Reconciliation) -> Vec<Vec<V>> {
    r.exclusions
        .iter()
        .map(|x| vec![t(&x.entity), t(&x.reason), n(x.rows as f64)])
        .collect()
}

fn controls(r: &Reconciliation) -> Vec<Vec<V>> {
    r.controls
        .iter()
        .map(|c| {
            let expected = c.expected.map_or(t(""), |e| n(e as f64));
            vec![
                t(&c.name),
                t(&c.description),
                expected,
                n(c.actual as f64),
                t(if c.ok { "ok" } else { "FAILED" }),
            ]
        })
        .collect()
}

fn rules(r: &Reconciliation) -> Vec<Vec<V>> {
    r.rules
        .iter()
        .map(|x| vec![t(&x.rule), t(&x.kind), t(&x.severity), n(x.count as f64)])
        .collect()
}

fn breakdowns(r: &Reconciliation) -> Vec<Vec<V>> {
    r.breakdowns
        .iter()
        .flat_map(|b| {
            b.rows
                .iter()
                .map(|x| vec![t(&b.name), t(&b.dimension), t(&x.value), n(x.count as f64)])
        })
        .collect()
}

fn figures(r: &Reconciliation) -> Vec<Vec<V>> {
    r.figures
        .items
        .iter()
        .map(|f| {
            let (source, company) = (
                figure_text(f.source, &f.unit),
                figure_text(f.company, &f.unit),
            );
            vec![
                t(&f.name),
                t(&f.label),
                t(source),
                t(company),
                t(agreement(f)),
                t(&r.figures.source_side),
            ]
        })
        .collect()
}

fn findings(r: &Reconciliation) -> Vec<Vec<V>> {
    r.findings
        .iter()
        .map(|f| {
            let line = |v: Option<u64>| v.map_or(t(""), |l| n(l as f64));
            vec![
                t(&f.rule),
                t(f.kind.as_str()),
                t(f.severity.as_str()),
                t(&f.entity),
                opt(&f.key),
                opt(&f.file),
                opt(&f.sheet),
                line(f.line),
                opt(&f.column),
                opt(&f.value),
                t(&f.message),
                opt(&f.mapping_file),
                line(f.mapping_line),
            ]
        })
        .collect()
}
