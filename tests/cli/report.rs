//! `handover report` and `migrate --report`: every format, byte-identical between the two and
//! between runs; formula-like values neutralised; no personal data by default; the HTML page
//! renders in headless Chromium with nothing fetched; the Sunderland figures.
use std::path::Path;

use predicates::prelude::*;

use super::common::{EPOCH, bin, copy_fixture, migrate_db, repo, report, sunderland, xlsx_cells};

const MINI: &str = "fixtures/mini_mappings";
const FORMATS: [(&str, &str); 6] = [
    ("table", "report.txt"),
    ("md", "report.md"),
    ("html", "report.html"),
    ("json", "report.json"),
    ("csv", "findings.csv"),
    ("xlsx", "report.xlsx"),
];

#[test]
fn migrate_report_dir_matches_handover_report_byte_for_byte() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("reports");
    let db = tmp.path().join("company.db");
    bin()
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .args(["-q", "migrate", "--allow-findings", "--mappings", MINI])
        .args(["--input", "fixtures/unallocated_case", "--out"])
        .arg(&db)
        .arg("--report")
        .arg(&dir)
        .assert()
        .code(1);
    for (format, file) in FORMATS {
        let written = std::fs::read(dir.join(file)).expect("report file");
        assert_eq!(
            written,
            report(&db, format, &[]),
            "{file} differs from `report --format {format}`"
        );
        assert_eq!(
            report(&db, format, &[]),
            report(&db, format, &[]),
            "{format} is not deterministic"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.join(file))
                .expect("meta")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "{file} is not private");
        }
    }
}

#[test]
fn a_dry_run_writes_its_reports_too() {
    let tmp = tempfile::tempdir().expect("tmp");
    bin()
        .args([
            "-q",
            "migrate",
            "--dry-run",
            "--mappings",
            MINI,
            "--input",
            "fixtures/clean_small",
            "--report",
        ])
        .arg(tmp.path())
        .assert()
        .code(0);
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(tmp.path().join("report.json")).expect("json"))
            .expect("JSON");
    assert_eq!(json["run"]["mode"], "dry_run");
    assert_eq!(json["figures"]["source_side"], "computed");
    let staff = &json["figures"]["items"][0];
    assert_eq!(
        (staff["source"].as_i64(), staff["company"].as_i64()),
        (Some(4), Some(4))
    );
}

#[test]
fn source_side_is_unavailable_when_the_input_folder_is_gone_or_changed() {
    let input = copy_fixture("fixtures/clean_small");
    let tmp = tempfile::tempdir().expect("tmp");
    let db = migrate_db(MINI, input.path(), tmp.path(), "clean");
    let side = |db: &Path| {
        let json: serde_json::Value =
            serde_json::from_slice(&report(db, "json", &[])).expect("JSON");
        json["figures"]["source_side"]
            .as_str()
            .expect("text")
            .to_string()
    };
    assert_eq!(side(&db), "computed");
    std::fs::write(
        input.path().join("teams.csv"),
        "team_code,name,transfers\nT1,X,Y\n",
    )
    .expect("write");
    assert!(
        side(&db).contains("teams.csv` has changed"),
        "{}",
        side(&db)
    );
    drop(input);
    assert_eq!(side(&db), "source side: input folder not available");
    let md = String::from_utf8(report(&db, "md", &[])).expect("utf-8");
    assert!(md.contains("| Staff transferred | n/a | 4 | - |"), "{md}");
}

#[test]
fn formula_like_values_are_neutralised_in_csv_and_xlsx() {
    let input = copy_fixture("fixtures/clean_small");
    let placements = input.path().join("placements.csv");
    let text = std::fs::read_to_string(&placements).expect("read");
    let evil = "\"=HYPERLINK(\"\"http://example.invalid\"\",\"\"x\"\")\"";
    std::fs::write(
        &placements,
        text.replace("P1,C1,FOS,", &format!("P1,C1,{evil},")),
    )
    .expect("write");
    let tmp = tempfile::tempdir().expect("tmp");
    let db = migrate_db(MINI, input.path(), tmp.path(), "evil");

    let csv = report(&db, "csv", &[]);
    let mut reader = csv::Reader::from_reader(csv.as_slice());
    let values: Vec<String> = reader
        .records()
        .map(|r| r.expect("record")[9].to_string())
        .collect();
    assert!(
        values.contains(&"'=HYPERLINK(\"http://example.invalid\",\"x\")".to_string()),
        "{values:?}"
    );
    let cells = xlsx_cells(&report(&db, "xlsx", &[]));
    assert!(
        cells
            .iter()
            .any(|c| c == "'=HYPERLINK(\"http://example.invalid\",\"x\")")
    );
    for cell in csv::Reader::from_reader(csv.as_slice())
        .records()
        .flat_map(|r| {
            r.expect("record")
                .iter()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .chain(cells)
    {
        assert!(
            !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
            "cell `{cell}` could run as a formula"
        );
    }
}

#[test]
fn default_reports_hold_no_surname_or_date_of_birth() {
    let tmp = tempfile::tempdir().expect("tmp");
    let db = migrate_db(MINI, &repo("fixtures/invalid_date"), tmp.path(), "dob");
    let mut personal = Vec::new();
    for file in ["staff.csv", "cases.csv"] {
        let mut reader =
            csv::Reader::from_path(repo("fixtures/invalid_date").join(file)).expect("csv");
        for r in reader.records() {
            let r = r.expect("record");
            personal.push(r[1].to_string());
            personal.push(if file == "staff.csv" {
                r[3].to_string()
            } else {
                r[2].to_string()
            });
        }
    }
    assert!(personal.contains(&"31/02/1990".to_string()));
    for (format, _) in FORMATS {
        let bytes = report(&db, format, &[]);
        let text = if format == "xlsx" {
            xlsx_cells(&bytes).join("\n")
        } else {
            String::from_utf8(bytes).expect("utf-8")
        };
        for p in &personal {
            assert!(
                !text.contains(p.as_str()),
                "`{p}` is in the {format} report"
            );
        }
    }
    let with = String::from_utf8(report(&db, "csv", &["--include-personal-data"])).expect("utf-8");
    assert!(
        with.contains("31/02/1990"),
        "--include-personal-data shows the value: {with}"
    );
}

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
    assert!(html.contains("from <strong>Sunderland</strong>, as at <strong>2017-01-31"));
    assert!(html.contains("<h2>Provenance</h2>") && html.contains("<h2>Sign-off</h2>"));
    assert!(
        html.contains("<td>foster placement with other foster <span class=\"u\">carer,</span> not long term</td>"),
        "codes with labels"
    );
    assert!(html.contains("@page{size:A4") && html.contains("counter(pages)"));
    let tmp = tempfile::tempdir().expect("tmp");
    let probe = tmp.path().join("probe.html");
    std::fs::write(&probe, html.replace("</body></html>", PROBE)).expect("write");
    for width in [1280, 700, 480] {
        let dom = headless(
            chromium,
            tmp.path(),
            &[
                "--dump-dom".to_string(),
                format!("--window-size={width},1000"),
            ],
            &probe,
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

/// (name, source, company, agree) of every service figure in a JSON report.
fn figures(json: &serde_json::Value) -> Vec<(String, Option<i64>, Option<i64>, bool)> {
    let items = json["figures"]["items"]
        .as_array()
        .expect("figures.items[]");
    items
        .iter()
        .map(|f| {
            (
                f["name"].as_str().expect("name").to_string(),
                f["source"].as_i64(),
                f["company"].as_i64(),
                f["agree"] == true,
            )
        })
        .collect()
}

fn sunderland_reports(snapshot: &str) -> serde_json::Value {
    let db = sunderland(snapshot);
    let name = snapshot.replace('-', "_");
    for (format, _) in FORMATS {
        assert!(!report(&db, format, &[]).is_empty(), "{format} is empty");
    }
    assert!(
        xlsx_cells(&report(&db, "xlsx", &[]))
            .iter()
            .any(|c| c == "staff_transferred")
    );
    let text = |format| String::from_utf8(report(&db, format, &[])).expect("utf-8");
    insta::assert_snapshot!(format!("sunderland_{name}_md"), text("md"));
    insta::assert_snapshot!(format!("sunderland_{name}_json"), text("json"));
    insta::assert_snapshot!(format!("sunderland_{name}_csv"), text("csv"));
    serde_json::from_str(&text("json")).expect("JSON")
}

#[test]
fn sunderland_march_reports_show_the_go_live_figures_on_both_sides() {
    let json = sunderland_reports("2017-03-31");
    assert_eq!(json["figures"]["source_side"], "computed");
    let expected = [828, 534, 450, 0, 19, 92, 96, 167];
    for ((name, source, company, agree), want) in figures(&json).into_iter().zip(expected) {
        assert_eq!(
            (source, company, agree),
            (Some(want), Some(want), true),
            "{name}"
        );
    }
    let md = String::from_utf8(report(&sunderland("2017-03-31"), "md", &[])).expect("utf-8");
    assert!(
        md.contains("| Child protection visits within ten working days | 92% | 92% | agrees |")
    );
    assert!(md.contains("| Care leavers with a pathway plan | 96% | 96% | agrees |"));
}

#[test]
fn sunderland_january_reports_show_nine_unallocated_cases_and_flag_rejections() {
    let json = sunderland_reports("2017-01-31");
    let figures = figures(&json);
    assert_eq!(
        figures[3],
        ("unallocated_cases".to_string(), Some(9), Some(9), true)
    );
    // Three staff rows were rejected: the exports hold 828 staff in scope, 825 transferred.
    assert_eq!(
        figures[0],
        ("staff_transferred".to_string(), Some(828), Some(825), false)
    );
    let md = String::from_utf8(report(&sunderland("2017-01-31"), "md", &[])).expect("utf-8");
    assert!(
        md.contains("**DISAGREES**") && md.contains("**Warning:**"),
        "a disagreement is shown loudly"
    );
}

/// A database handover did not write, or a file that is no database, is named plainly. See: #13
#[test]
fn issue_13_a_database_handover_did_not_write_is_named_plainly() {
    let tmp = tempfile::tempdir().expect("tmp");
    let other = tmp.path().join("other.db");
    rusqlite::Connection::open(&other)
        .expect("open")
        .execute_batch("CREATE TABLE t (x)")
        .expect("create");
    let text = tmp.path().join("notes.db");
    std::fs::write(
        &text,
        "these are not the rows you are looking for\n".repeat(40),
    )
    .expect("write");
    for cmd in [vec!["report"], vec!["diff"], vec!["verify", "--input", "."]] {
        let mut run = bin();
        run.arg(cmd[0]).arg(&other);
        if cmd[0] == "diff" {
            run.arg(&other);
        }
        run.args(&cmd[1..])
            .assert()
            .code(2)
            .stderr(predicates::str::contains("handover did not write it"))
            .stderr(predicates::str::contains("no such table").not());
    }
    bin()
        .arg("report")
        .arg(&text)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("is not a SQLite database"));
}
