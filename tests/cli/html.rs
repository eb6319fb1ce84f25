//! The HTML report in headless Chromium: nothing fetched, a verdict block, and on screen (at three
//! widths) and printed to PDF (A4, page numbers) no id, code, path or hash broken over two lines.
//! See: #13
use std::path::Path;

use super::common::{migrate_db, repo, report, sunderland};

const MINI: &str = "fixtures/mini_mappings";

/// The Chromium binary, or `None` when it is absent and `HANDOVER_SKIP_BROWSER` says to skip.
fn chromium() -> Option<&'static Path> {
    let chromium = Path::new("/usr/bin/chromium");
    if !chromium.exists() && std::env::var_os("HANDOVER_SKIP_BROWSER").is_some() {
        return None;
    }
    assert!(
        chromium.exists(),
        "install chromium (apt-get install chromium) or set HANDOVER_SKIP_BROWSER=1"
    );
    Some(chromium)
}

#[test]
fn html_report_renders_in_headless_chromium_with_nothing_fetched() {
    let Some(chromium) = chromium() else { return };
    let tmp = tempfile::tempdir().expect("tmp");
    let db = migrate_db(MINI, &repo("fixtures/unallocated_case"), tmp.path(), "html");
    let html = String::from_utf8(report(&db, "html", &[])).expect("utf-8");
    for needle in [
        "http://", "https://", "src=", "href=", "<script", "<link", "url(", "@import",
    ] {
        assert!(!html.contains(needle), "the page refers to `{needle}`");
    }
    let page = tmp.path().join("report.html");
    std::fs::write(&page, &html).expect("write page");
    let dom = headless(chromium, tmp.path(), &["--dump-dom".to_string()], &page);
    assert!(
        dom.contains("Handover reconciliation") && dom.contains("<svg"),
        "{dom}"
    );
    let shot = tmp.path().join("shot.png");
    headless(
        chromium,
        tmp.path(),
        &[
            format!("--screenshot={}", shot.display()),
            "--window-size=1200,2400".into(),
        ],
        &page,
    );
    assert!(std::fs::metadata(&shot).expect("a screenshot").len() > 1000);
}

/// Measures the page as Chromium laid it out: every whitespace-separated token of every table
/// cell must sit on one line (a token split over two lines gives two rows of boxes). Also reads
/// the colours of a failed control and a disagreeing figure. Added to a test copy of the page only.
const PROBE: &str = r#"<script>
const broken = []; let checked = 0; const tokens = [];
for (const td of document.querySelectorAll('td')) {
  const walker = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const m of node.data.matchAll(/\S+/g)) {
      const r = document.createRange();
      r.setStart(node, m.index); r.setEnd(node, m.index + m[0].length);
      const tops = new Set([...r.getClientRects()].filter(x => x.width > 0).map(x => Math.round(x.top)));
      checked++; tokens.push(m[0]);
      if (tops.size > 1) broken.push(m[0]);
    }
  }
}
const cell = t => [...document.querySelectorAll('td')].find(td => td.textContent === t);
const colour = t => cell(t) ? getComputedStyle(cell(t)).color + ' ' + getComputedStyle(cell(t)).fontWeight : 'none';
const out = document.createElement('pre'); out.id = 'probe';
out.textContent = JSON.stringify({checked, broken, tokens, failed: colour('FAILED'), disagrees: colour('DISAGREES'), width: document.documentElement.clientWidth});
document.body.appendChild(out);
</script></body></html>"#;

/// The ids an auditor looks up: a placement id, a rule code, a control name, an employee number,
/// a spreadsheet location, a file path and an input file's SHA-256.
fn sample_ids(json: &serde_json::Value) -> Vec<String> {
    let sha = json["inputs"][0]["sha256"]
        .as_str()
        .expect("sha256")
        .to_string();
    [
        "PL1000840",
        "HO-ORP-003",
        "staff_in_scope",
        "100598",
        "[Placements]:112",
    ]
    .map(String::from)
    .into_iter()
    .chain([
        "placements/placements.xlsx".to_string(),
        "hr/staff.csv:601".to_string(),
        sha,
    ])
    .collect()
}

/// See: #13
#[test]
fn issue_13_html_report_breaks_no_token_on_screen_or_in_print_and_prints_on_a4() {
    let Some(chromium) = chromium() else { return };
    let db = sunderland("2017-01-31");
    let json: serde_json::Value = serde_json::from_slice(&report(&db, "json", &[])).expect("JSON");
    let ids = sample_ids(&json);
    let html = String::from_utf8(report(&db, "html", &["--sign-off"])).expect("utf-8");
    assert!(
        html.contains("<section class=\"verdict findings\""),
        "a verdict block at the top"
    );
    assert!(html.contains("written with <code>--allow-findings</code>"));
    assert!(html.contains("from <strong>Sunderland</strong>, to <strong>Together for Children</strong>, as at <strong>2017-01-31"));
    assert!(html.contains("<h2>Provenance</h2>") && html.contains("<h2>Sign-off</h2>"));
    assert!(
        html.contains(
            "<td>Foster placement with other foster <span class=\"u\">carer(s):</span> other</td>"
        ),
        "codes with labels"
    );
    assert!(html.contains("@page{size:A4") && html.contains("counter(pages)"));
    let tmp = tempfile::tempdir().expect("tmp");
    let probe = tmp.path().join("probe.html");
    std::fs::write(&probe, html.replace("</body></html>", PROBE)).expect("write");
    // The print layout, measured on screen: the print styles forced on, at the width of an A4
    // page's text (210 mm less 2 × 14 mm of margin is 688 CSS pixels).
    let print = tmp.path().join("print.html");
    assert!(html.contains("@media print{"), "the page has print styles");
    let forced = html.replace("@media print{", "@media all{");
    std::fs::write(&print, forced.replace("</body></html>", PROBE)).expect("write");
    for (width, page) in [(1280, &probe), (700, &probe), (480, &probe), (688, &print)] {
        let dom = headless(
            chromium,
            tmp.path(),
            &[
                "--dump-dom".to_string(),
                format!("--window-size={width},1000"),
            ],
            page,
        );
        let start = dom.find("<pre id=\"probe\">").expect("the probe ran") + 16;
        let end = start + dom[start..].find("</pre>").expect("end");
        let text = dom[start..end]
            .replace("&amp;", "&")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"");
        let probe: serde_json::Value = serde_json::from_str(&text).expect("probe JSON");
        assert_eq!(
            probe["broken"],
            serde_json::json!([]),
            "tokens split over lines at {width}px"
        );
        let tokens: Vec<&str> = probe["tokens"]
            .as_array()
            .expect("tokens")
            .iter()
            .filter_map(|t| t.as_str())
            .collect();
        for id in &ids {
            assert!(
                tokens.contains(&id.as_str()),
                "`{id}` is not a whole token at {width}px"
            );
        }
        assert!(probe["checked"].as_u64() > Some(1000), "{probe}");
        assert_eq!(
            probe["failed"], probe["disagrees"],
            "a failed control and a disagreeing figure look alike"
        );
        assert!(
            probe["failed"]
                .as_str()
                .is_some_and(|c| c.contains("rgb(170, 0, 0) 700")),
            "{probe}"
        );
    }
    let page = tmp.path().join("report.html");
    std::fs::write(&page, &html).expect("write");
    let pdf = tmp.path().join("report.pdf");
    headless(
        chromium,
        tmp.path(),
        &[
            format!("--print-to-pdf={}", pdf.display()),
            "--no-pdf-header-footer".into(),
        ],
        &page,
    );
    let bytes = std::fs::read(&pdf).expect("a PDF");
    let text = String::from_utf8_lossy(&bytes);
    let pages = text.matches("/Type /Page\n").count() + text.matches("/Type /Page\r").count();
    let a4 = text.matches("/MediaBox [0 0 594.9").count();
    assert!(pages >= 3 && a4 == pages, "{pages} pages, {a4} of them A4");
    // With poppler's pdftotext (not needed by CI), read the printed text: page numbers, and every
    // sample id whole on one line.
    if let Ok(out) = std::process::Command::new("pdftotext")
        .args(["-layout"])
        .arg(&pdf)
        .arg("-")
        .output()
    {
        let printed = String::from_utf8_lossy(&out.stdout);
        assert!(
            printed.contains(&format!("Page 1 of {pages}")),
            "page numbers: {printed}"
        );
        for id in &ids {
            assert!(printed.contains(id.as_str()), "`{id}` is split in print");
        }
    }
}

fn headless(chromium: &Path, tmp: &Path, extra: &[String], page: &Path) -> String {
    let out = std::process::Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
        ])
        .args([
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", tmp.join("profile").display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("run chromium");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}
