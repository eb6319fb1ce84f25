//! The reconciliation as an Excel workbook, one sheet per section (Run, Inputs, Mappings, Ledger,
//! Exclusions, Controls, Rules, Findings with all findings, Breakdowns, Figures), laid out as an
//! analyst would by hand (issue #13): each sheet an Excel table (header row frozen, filter
//! buttons), columns sized to their content, counts and percentages stored as numbers with number
//! formats, failures (a failed control, an unbalanced ledger line, a disagreeing figure, an error
//! finding) highlighted by conditional formatting, and the document properties set. Every text
//! cell goes through [`super::privacy::cell`], so no value runs as a formula; the workbook's
//! creation time is the run's `started_at`, so the same database gives the same bytes.
use rust_xlsxwriter::{
    Color, ConditionalFormatCell, ConditionalFormatCellRule, DocProperties, ExcelDateTime, Format,
    Table, TableColumn, TableStyle, Workbook, Worksheet,
};

use super::labels::Labels;
use super::privacy::cell;
use super::{Document, Reconciliation, ReportWriter, agreement};

/// Writes report.xlsx.
pub struct XlsxWriter;

/// A cell to write: text (neutralised), a count, a percentage (0–100), a plain number (a line
/// number), or nothing.
enum V {
    T(String),
    N(f64),
    Pct(f64),
    Plain(f64),
    Blank,
}

fn t(s: impl Into<String>) -> V {
    V::T(s.into())
}

fn n(x: impl Into<f64>) -> V {
    V::N(x.into())
}

fn opt(s: &Option<String>) -> V {
    s.as_ref().map_or(V::Blank, |s| t(s.clone()))
}

/// One sheet: its name, column headers, rows, and the text that marks a failure in a column.
struct Sheet {
    name: &'static str,
    header: Vec<&'static str>,
    rows: Vec<Vec<V>>,
    alert: Option<(usize, &'static str)>,
}

fn sheet(name: &'static str, header: &[&'static str], rows: Vec<Vec<V>>) -> Sheet {
    Sheet {
        name,
        header: header.to_vec(),
        rows,
        alert: None,
    }
}

/// The number formats and the failure highlight.
struct Styles {
    count: Format,
    pct: Format,
    bad: Format,
}

impl ReportWriter for XlsxWriter {
    fn write(&self, doc: &Document) -> anyhow::Result<Vec<u8>> {
        let mut wb = Workbook::new();
        wb.set_properties(&properties(doc)?);
        let styles = Styles {
            count: Format::new().set_num_format("#,##0"),
            pct: Format::new().set_num_format("0%"),
            bad: Format::new()
                .set_font_color(Color::RGB(0x9C0006))
                .set_background_color(Color::RGB(0xFFC7CE))
                .set_bold(),
        };
        for s in sheets(doc) {
            write_sheet(wb.add_worksheet(), &s, &styles)?;
        }
        Ok(wb.save_to_buffer()?)
    }
}

/// Title, subject, author, keywords, the verdict as the comment, and the run's start as the
/// creation time.
fn properties(doc: &Document) -> anyhow::Result<DocProperties> {
    let run = &doc.rec.run;
    let created = jiff::Timestamp::strptime("%Y-%m-%dT%H:%M:%SZ", &run.started_at)
        .or_else(|_| run.started_at.parse::<jiff::Timestamp>())?;
    let when = ExcelDateTime::from_timestamp(created.as_second())?;
    let mut subject = doc.council().unwrap_or_default();
    if let Some(d) = &run.as_at {
        subject = format!("{subject} as at {d}").trim().to_string();
    }
    let v = &doc.verdict;
    Ok(DocProperties::new()
        .set_title("Handover reconciliation")
        .set_subject(subject)
        .set_author(format!("handover {}", run.tool_version))
        .set_category("Reconciliation")
        .set_keywords("handover, reconciliation, ledger, controls, findings")
        .set_status(v.status.word())
        .set_comment(format!("{}: {}", v.label(), v.headline))
        .set_creation_datetime(&when))
}

fn write_sheet(ws: &mut Worksheet, s: &Sheet, styles: &Styles) -> anyhow::Result<()> {
    ws.set_name(s.name)?;
    let bold = Format::new().set_bold();
    for (c, h) in s.header.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (i, row) in s.rows.iter().enumerate() {
        let r = i as u32 + 1;
        for (c, v) in row.iter().enumerate() {
            let c = c as u16;
            match v {
                V::T(x) if x.is_empty() => ws.write_blank(r, c, &Format::new())?,
                V::T(x) => ws.write_string(r, c, cell(x))?,
                V::N(x) => ws.write_number_with_format(r, c, *x, &styles.count)?,
                V::Pct(x) => ws.write_number_with_format(r, c, *x / 100.0, &styles.pct)?,
                V::Plain(x) => ws.write_number(r, c, *x)?,
                V::Blank => ws.write_blank(r, c, &Format::new())?,
            };
        }
    }
    for (c, w) in widths(s).into_iter().enumerate() {
        ws.set_column_width(c as u16, w)?;
    }
    ws.set_freeze_panes(1, 0)?;
    let last_col = s.header.len().saturating_sub(1) as u16;
    let last_row = s.rows.len() as u32;
    if last_row == 0 {
        ws.autofilter(0, 0, 0, last_col)?;
        return Ok(());
    }
    let columns: Vec<TableColumn> = s
        .header
        .iter()
        .map(|h| TableColumn::new().set_header(*h))
        .collect();
    let table = Table::new()
        .set_name(s.name)
        .set_style(TableStyle::Light9)
        .set_columns(&columns);
    ws.add_table(0, 0, last_row, last_col, &table)?;
    if let Some((col, word)) = s.alert {
        let rule = ConditionalFormatCell::new()
            .set_rule(ConditionalFormatCellRule::EqualTo(word))
            .set_format(&styles.bad);
        ws.add_conditional_format(1, col as u16, last_row, col as u16, &rule)?;
    }
    Ok(())
}

/// Each column's width in characters: its longest cell, between 6 and 80.
fn widths(s: &Sheet) -> Vec<f64> {
    let len = |v: &V| match v {
        V::T(x) => x.chars().count(),
        V::N(x) => {
            let digits = format!("{x:.0}").len();
            digits + digits.saturating_sub(1) / 3
        }
        V::Plain(x) => format!("{x:.0}").len(),
        V::Pct(_) => 4,
        V::Blank => 0,
    };
    (0..s.header.len())
        .map(|c| {
            let longest = s
                .rows
                .iter()
                .filter_map(|r| r.get(c).map(len))
                .chain([s.header[c].chars().count() + 3])
                .max()
                .unwrap_or(0);
            (longest + 2).clamp(6, 80) as f64
        })
        .collect()
}

fn sheets(doc: &Document) -> Vec<Sheet> {
    let r = doc.rec;
    let ledger_header = [
        "entity",
        "source rows",
        "transferred",
        "excluded",
        "rejected",
        "balances",
    ];
    let figure_header = [
        "figure",
        "label",
        "unit",
        "source",
        "company",
        "agreement",
        "source side",
    ];
    let with_alert = |s: Sheet, col, word| Sheet {
        alert: Some((col, word)),
        ..s
    };
    vec![
        run(doc),
        sheet("Inputs", &["file", "bytes", "rows", "sha256"], inputs(r)),
        sheet("Mappings", &["file", "sha256"], mappings(r)),
        with_alert(sheet("Ledger", &ledger_header, ledger(r)), 5, "NO"),
        sheet("Exclusions", &["entity", "reason", "rows"], exclusions(r)),
        with_alert(
            sheet(
                "Controls",
                &["control", "description", "expected", "actual", "result"],
                controls(r),
            ),
            4,
            "FAILED",
        ),
        sheet(
            "Rules",
            &["rule", "what it means", "kind", "severity", "findings"],
            rules(r, &doc.labels),
        ),
        with_alert(
            sheet("Findings", &super::csv::HEADER, findings(r)),
            2,
            "error",
        ),
        sheet(
            "Breakdowns",
            &["breakdown", "dimension", "value", "meaning", "count"],
            breakdowns(r, &doc.labels),
        ),
        with_alert(sheet("Figures", &figure_header, figures(r)), 5, "DISAGREES"),
    ]
}

fn run(doc: &Document) -> Sheet {
    let mut rows: Vec<Vec<V>> = super::sections::run(doc)
        .plain_rows()
        .into_iter()
        .map(|row| row.into_iter().map(t).collect())
        .collect();
    rows.push(vec![t("verdict in words"), t(&doc.verdict.headline)]);
    rows.push(vec![t("next step"), t(&doc.verdict.next_step)]);
    rows.push(vec![t("schema version"), n(doc.rec.schema_version)]);
    Sheet {
        alert: Some((1, "REFUSED")),
        ..sheet("Run", &["field", "value"], rows)
    }
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
            let expected = c.expected.map_or(V::Blank, |e| n(e as f64));
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

fn rules(r: &Reconciliation, names: &Labels) -> Vec<Vec<V>> {
    r.rules
        .iter()
        .map(|x| {
            let what = names.rule(&x.rule).unwrap_or("");
            vec![
                t(&x.rule),
                t(what),
                t(&x.kind),
                t(&x.severity),
                n(x.count as f64),
            ]
        })
        .collect()
}

fn breakdowns(r: &Reconciliation, names: &Labels) -> Vec<Vec<V>> {
    r.breakdowns
        .iter()
        .flat_map(|b| {
            b.rows.iter().map(|x| {
                let label = names.code(&b.name, &x.value).unwrap_or("");
                vec![
                    t(&b.name),
                    t(&b.dimension),
                    t(&x.value),
                    t(label),
                    n(x.count as f64),
                ]
            })
        })
        .collect()
}

fn figures(r: &Reconciliation) -> Vec<Vec<V>> {
    r.figures
        .items
        .iter()
        .map(|f| {
            let value = |v: Option<i64>, why: &Option<String>| match (v, f.unit.as_str()) {
                (None, _) => t(crate::report::figure_text(None, &f.unit, why.as_deref())),
                (Some(x), "percent") => V::Pct(x as f64),
                (Some(x), _) => n(x as f64),
            };
            vec![
                t(&f.name),
                t(&f.label),
                t(&f.unit),
                value(f.source, &f.source_unavailable),
                value(f.company, &f.company_unavailable),
                match agreement(f) {
                    "-" => V::Blank,
                    a => t(a),
                },
                t(&r.figures.source_side),
            ]
        })
        .collect()
}

fn findings(r: &Reconciliation) -> Vec<Vec<V>> {
    r.findings
        .iter()
        .map(|f| {
            let line = |v: Option<u64>| v.map_or(V::Blank, |l| V::Plain(l as f64));
            vec![
                t(&f.rule),
                t(f.kind.as_str()),
                t(f.severity.as_str()),
                t(&f.entity),
                opt(&f.key),
                opt(&f.file),
                opt(&f.sheet),
                line(f.line),
                line(f.col),
                opt(&f.column),
                opt(&f.value),
                t(&f.message),
                opt(&f.mapping_file),
                line(f.mapping_line),
            ]
        })
        .collect()
}
