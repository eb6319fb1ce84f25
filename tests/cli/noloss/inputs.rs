//! The input ledger: every file in the input folder and every sheet of a workbook read is read by
//! a mapping, declared ignored with a reason, or reported as not read; a source can name several
//! sheets by a list or a pattern.
// See: #9
use std::path::Path;

use crate::common::{assert_balanced, copy_fixture, dry_run_json, findings, ledger};

/// A workbook whose sheets each hold the placements header and the given rows.
fn placements_workbook(path: &Path, sheets: &[(&str, &[[&str; 7]])]) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    for (name, rows) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(*name).unwrap();
        let header = [
            "placement_id",
            "child_id",
            "code",
            "legal",
            "provider",
            "start",
            "end",
        ];
        for (c, h) in header.iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                if !v.is_empty() {
                    ws.write_string(r as u32 + 1, c as u16, *v).unwrap();
                }
            }
        }
    }
    wb.save(path).unwrap();
}

/// The mini mapping set and clean extract, with placements in a workbook of two placements
/// sheets and a notes sheet, a stray file, and an old export the set declares ignored.
fn extract() -> (tempfile::TempDir, tempfile::TempDir) {
    let maps = copy_fixture("fixtures/mini_mappings");
    let input = copy_fixture("fixtures/clean_small");
    let toml = maps.path().join("placements.toml");
    let text = std::fs::read_to_string(&toml).unwrap().replace(
        "file = \"placements.csv\"",
        "file = \"placements.xlsx\"\nsheet = [\"Placements\", \"Placements [0-9]*\"]",
    );
    let text = format!(
        "{text}\n[[ignore]]\nfile = \"old/*.csv\"\nreason = \"last year's export, superseded\"\n"
    );
    std::fs::write(&toml, text).unwrap();
    std::fs::remove_file(input.path().join("placements.csv")).unwrap();
    let p1 = ["P1", "C1", "FOS", "FCO", "PRV1", "01/01/2016", ""];
    let p2 = ["P2", "C1", "FOS", "FCO", "PRV1", "01/01/2015", "31/12/2015"];
    placements_workbook(
        &input.path().join("placements.xlsx"),
        &[
            ("Placements", &[p1]),
            ("Notes", &[]),
            ("Placements 2", &[p2]),
        ],
    );
    std::fs::write(input.path().join("readme.txt"), "notes from the council\n").unwrap();
    std::fs::create_dir(input.path().join("old")).unwrap();
    std::fs::write(input.path().join("old/staff.csv"), "a,b\n1,2\n").unwrap();
    (maps, input)
}

#[test]
fn issue_9_a_source_reads_every_sheet_its_list_or_pattern_names() {
    let (maps, input) = extract();
    let (code, json) = dry_run_json(maps.path(), input.path());
    assert_balanced(&json);
    assert_eq!(ledger(&json, "placement"), [2, 2, 0, 0], "{json:#}");
    assert_eq!(code, 0, "warnings only: {:?}", findings(&json));
}

#[test]
fn issue_9_files_and_sheets_nothing_reads_are_warnings_and_ignored_ones_are_not() {
    let (maps, input) = extract();
    let (_, json) = dry_run_json(maps.path(), input.path());
    let unread: Vec<(String, String, String)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or("").to_string();
            (s("rule"), s("file"), s("sheet"))
        })
        .filter(|(rule, _, _)| rule.starts_with("HO-INP-"))
        .collect();
    let expected = |r: &str, f: &str, s: &str| (r.to_string(), f.to_string(), s.to_string());
    assert_eq!(
        unread,
        vec![
            expected("HO-INP-002", "placements.xlsx", "Notes"),
            expected("HO-INP-001", "readme.txt", ""),
        ]
    );
    for f in json["findings"].as_array().unwrap() {
        assert_eq!(f["severity"], "warning", "{f}");
    }
    assert_eq!(findings(&json).len(), 3, "and the as-at warning: {json:#}");
}

#[test]
fn issue_9_a_named_sheet_that_is_not_there_stops_the_run() {
    let (maps, input) = extract();
    let toml = maps.path().join("placements.toml");
    let text = std::fs::read_to_string(&toml)
        .unwrap()
        .replace("\"Placements [0-9]*\"", "\"Placement 3\"");
    std::fs::write(&toml, text).unwrap();
    crate::common::migrate(maps.path(), input.path())
        .arg("--dry-run")
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "placements.xlsx: no sheet named `Placement 3`",
        ));
}

#[test]
fn issue_9_validate_reads_every_named_sheet_too() {
    let (maps, input) = extract();
    let p1 = ["P1", "C1", "FOS", "FCO", "PRV1", "01/01/2016", ""];
    let p2 = [
        "P2",
        "C1",
        "NOT-A-CODE",
        "FCO",
        "PRV1",
        "01/01/2015",
        "31/12/2015",
    ];
    placements_workbook(
        &input.path().join("placements.xlsx"),
        &[("Placements", &[p1]), ("Placements 2", &[p2])],
    );
    let out = crate::common::bin()
        .args(["validate", "--mappings"])
        .arg(maps.path())
        .arg("--input")
        .arg(input.path())
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(text.contains("NOT-A-CODE"), "{text}");
}

#[test]
fn issue_9_validate_warns_of_every_unread_file_and_sheet_and_strict_fails_on_them() {
    let (maps, input) = extract();
    let validate = |strict: bool| {
        let mut cmd = crate::common::bin();
        cmd.args(["validate", "--mappings"])
            .arg(maps.path())
            .arg("--input")
            .arg(input.path());
        if strict {
            cmd.arg("--strict");
        }
        cmd.output().unwrap()
    };
    let out = validate(false);
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(
        text.contains("readme.txt:0:0: warning: no mapping reads this file"),
        "{text}"
    );
    assert!(
        text.contains("placements.xlsx:0:0: warning: sheet `Notes` is read by no mapping"),
        "{text}"
    );
    assert!(
        !text.contains("old/staff.csv"),
        "an ignored file is not reported: {text}"
    );
    assert_eq!(validate(true).status.code(), Some(1));
    // Declared ignored, they are no longer warnings.
    std::fs::write(
        maps.path().join("ignore.toml"),
        "[[ignore]]\nfile = \"readme.txt\"\nreason = \"the council's notes\"\n\n[[ignore]]\nfile = \"placements.xlsx\"\nsheet = \"Notes\"\nreason = \"working notes\"\n",
    )
    .unwrap();
    let out = validate(false);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        !text.contains("input-ledger") && !text.contains(":0:0: warning: no mapping"),
        "{text}"
    );
    let strict = validate(true);
    assert_eq!(
        strict.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&strict.stdout)
    );
}
