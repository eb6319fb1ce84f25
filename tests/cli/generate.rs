//! `handover generate` (#2): the committed Sunderland snapshots regenerate byte for byte, and an
//! independent recount of the written files agrees with expected.json.
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::common::{bin, fixture};

mod audit;

const SNAPSHOTS: [&str; 2] = ["2017-01-31", "2017-03-31"];

fn generate(out: &Path, as_at: &str, extra: &[&str]) {
    bin()
        .args(["generate", "--quiet", "--as-at", as_at, "--out"])
        .arg(out)
        .args(extra)
        .assert()
        .success();
}

/// Every file under `dir`, relative, sorted.
fn files(dir: &Path) -> Vec<PathBuf> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("read_dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                out.push(path.strip_prefix(root).expect("prefix").to_path_buf());
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

fn expected(dir: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(dir.join("expected.json")).expect("expected.json");
    serde_json::from_str(&text).expect("valid json")
}

fn numbers(v: &serde_json::Value) -> BTreeMap<String, u64> {
    v.as_object()
        .expect("object")
        .iter()
        .map(|(k, n)| (k.clone(), n.as_u64().expect("number")))
        .collect()
}

#[test]
fn snapshots_regenerate_byte_for_byte() {
    for date in SNAPSHOTS {
        let tmp = tempfile::tempdir().expect("tempdir");
        generate(tmp.path(), date, &[]);
        let committed = fixture(&format!("sunderland/{date}"));
        assert_eq!(files(tmp.path()), files(&committed), "{date}: file list");
        for rel in files(&committed) {
            let a = std::fs::read(tmp.path().join(&rel)).expect("generated");
            let b = std::fs::read(committed.join(&rel)).expect("committed");
            assert!(
                a == b,
                "{date}: {} differs from the committed fixture",
                rel.display()
            );
        }
    }
}

#[test]
fn recount_of_the_files_matches_expected_json() {
    for date in SNAPSHOTS {
        let dir = fixture(&format!("sunderland/{date}"));
        let audit = audit::audit(&dir, date.parse().expect("date"));
        let exp = expected(&dir);
        assert_eq!(numbers(&exp["figures"]), audit.figures, "{date}: figures");
        assert_eq!(
            numbers(&exp["controls"]),
            audit.controls,
            "{date}: controls"
        );
        let listed: Vec<audit::Found> = exp["defects"]
            .as_array()
            .expect("defects")
            .iter()
            .map(|d| {
                let s = |k: &str| d[k].as_str().expect("text").to_string();
                let sheet = d["sheet"].as_str().map(String::from);
                (
                    s("file"),
                    d["line"].as_u64().expect("line"),
                    s("kind"),
                    s("entity"),
                    sheet,
                )
            })
            .collect();
        assert_eq!(
            listed, audit.defects,
            "{date}: defects (left expected.json, right recount)"
        );
        assert!(
            audit.inconsistencies.is_empty(),
            "{date}: {:?}",
            audit.inconsistencies
        );
    }
}

#[test]
fn march_is_clean_and_january_has_exactly_the_contract_defects() {
    let march = audit::audit(
        &fixture("sunderland/2017-03-31"),
        "2017-03-31".parse().expect("date"),
    );
    assert!(march.defects.is_empty(), "{:?}", march.defects);
    assert_eq!(march.figures["staff_in_scope"], 828);
    assert_eq!(march.figures["looked_after"], 534);
    assert_eq!(march.figures["cp_plans"], 450);
    assert_eq!(march.figures["average_caseload"], 19);
    assert_eq!(march.figures["cp_visit_within_10_working_days_pct"], 92);
    assert_eq!(march.figures["care_leavers_with_pathway_plan_pct"], 96);
    let january = audit::audit(
        &fixture("sunderland/2017-01-31"),
        "2017-01-31".parse().expect("date"),
    );
    let mut by_kind: BTreeMap<(String, String), u32> = BTreeMap::new();
    for (_, _, kind, entity, _) in &january.defects {
        *by_kind.entry((kind.clone(), entity.clone())).or_default() += 1;
    }
    let want = [
        ("duplicate", "staff", 1),
        ("invalid_code", "placement", 3),
        ("invalid_value", "child", 1),
        ("invalid_value", "staff", 1),
        ("missing_value", "placement", 1),
        ("orphan", "child", 3),
        ("orphan", "placement", 2),
        ("orphan", "staff", 2),
        ("unallocated", "child", 9),
    ];
    let want: BTreeMap<(String, String), u32> = want
        .iter()
        .map(|(k, e, n)| ((k.to_string(), e.to_string()), *n))
        .collect();
    assert_eq!(by_kind, want);
}

#[test]
fn encodings_and_line_endings_follow_the_contract() {
    let dir = fixture("sunderland/2017-03-31");
    let staff = std::fs::read(dir.join("hr/staff.csv")).expect("staff");
    assert!(
        std::str::from_utf8(&staff).is_err(),
        "staff.csv must be Windows-1252, not UTF-8"
    );
    assert!(staff.iter().any(|b| *b >= 0x80));
    assert!(staff.ends_with(b"\r\n"));
    let teams = std::fs::read(dir.join("hr/teams.csv")).expect("teams");
    assert!(teams.starts_with(b"\xEF\xBB\xBFTeam Code,") && teams.ends_with(b"\r\n"));
    let cases = std::fs::read(dir.join("cases/cases.csv")).expect("cases");
    assert!(!cases.contains(&b'\r') && cases.starts_with(b"Child ID,"));
}

#[test]
fn seed_changes_the_draw_and_same_arguments_give_same_bytes() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (a, b, c) = (
        tmp.path().join("a"),
        tmp.path().join("b"),
        tmp.path().join("c"),
    );
    generate(&a, "2016-11-30", &["--seed", "7"]);
    generate(&b, "2016-11-30", &["--seed", "7"]);
    generate(&c, "2016-11-30", &["--seed", "8"]);
    for rel in files(&a) {
        let same = std::fs::read(a.join(&rel)).ok() == std::fs::read(b.join(&rel)).ok();
        assert!(same, "{} differs between identical runs", rel.display());
    }
    let staff = |d: &Path| std::fs::read(d.join("hr/staff.csv")).expect("staff");
    assert_ne!(staff(&a), staff(&c));
    // Any date works: the recount of another seed and date agrees with its expected.json too.
    let audit = audit::audit(&c, "2016-11-30".parse().expect("date"));
    assert_eq!(numbers(&expected(&c)["figures"]), audit.figures);
    assert_eq!(
        expected(&c)["defects"].as_array().map(Vec::len),
        Some(audit.defects.len())
    );
    assert!(
        audit.inconsistencies.is_empty(),
        "{:?}",
        audit.inconsistencies
    );
}

#[test]
fn scale_two_doubles_the_rows() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (one, two) = (tmp.path().join("one"), tmp.path().join("two"));
    generate(&one, "2017-03-31", &[]);
    generate(&two, "2017-03-31", &["--scale", "2"]);
    let lines = |d: &Path, f: &str| {
        std::fs::read(d.join(f))
            .expect("csv")
            .split(|b| *b == b'\n')
            .count()
    };
    for f in ["hr/staff.csv", "hr/teams.csv", "cases/cases.csv"] {
        let (n1, n2) = (lines(&one, f) - 2, lines(&two, f) - 2);
        assert_eq!(n2, 2 * n1, "{f}");
    }
    let audit = audit::audit(&two, "2017-03-31".parse().expect("date"));
    assert_eq!(audit.figures["looked_after"], 2 * 534);
    assert!(audit.defects.is_empty() && audit.inconsistencies.is_empty());
}

#[test]
fn refuses_a_non_empty_folder_without_force() {
    let tmp = tempfile::tempdir().expect("tempdir");
    std::fs::write(tmp.path().join("keep.txt"), "x").expect("write");
    bin()
        .args(["generate", "--as-at", "2017-03-31", "--out"])
        .arg(tmp.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("not empty"));
    bin()
        .args([
            "generate",
            "--quiet",
            "--force",
            "--as-at",
            "2017-03-31",
            "--out",
        ])
        .arg(tmp.path())
        .assert()
        .success()
        .stderr("");
}
