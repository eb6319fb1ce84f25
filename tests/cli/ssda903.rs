//! The SSDA903 return (children looked after) loaded through the shipped 903 mapping set
//! (mappings/ssda903) into the shipped 903 schema folder (mappings/companies/ssda903), whose rules
//! reproduce the open 903 validator's integrity family (INT01-INT36, EPI) and episode-chain rules
//! (142, 148, 168, 302, 352, 355, 356, 431, 433, 501) and placement-provider rules (178, 526-531,
//! 550). fixtures/ssda903 holds a small synthetic 2016-17 return, clean, and the same return with
//! one row breaking each rule (listed in fixtures/ssda903/README.md).
use std::collections::BTreeSet;
use std::path::Path;

use super::common::{
    EPOCH, SSDA903_TABLES, assert_balanced, bin, copy_dir, count, dry_run_json, dry_run_json_with,
    findings, ledger, migrate_db, open_db, repo,
};

const MAPPINGS: &str = "mappings/ssda903";
const SCHEMA: &str = "mappings/companies/ssda903";
const CLEAN: &str = "fixtures/ssda903/clean/2017-03-31";
const BROKEN: &str = "fixtures/ssda903/broken/2017-03-31";
const DOC: &str = "docs/companies/ssda903.md";

type Finding = (String, String, String, i64);

/// The findings of a dry run of the broken return, which must exit 1 and balance.
fn broken_findings() -> Vec<Finding> {
    let (code, json) = dry_run_json(repo(MAPPINGS), repo(BROKEN));
    assert_eq!(code, 1, "{json}");
    assert_balanced(&json);
    findings(&json)
}

/// Every finding the broken return gives, as (rule, entity, file, line): one per broken row.
const BROKEN_FINDINGS: &[(&str, &str, &str, i64)] = &[
    // A child in another file is not in the header (INT01-INT09; no validator code for SWEpisodes).
    ("903-INT01", "ad1", "ad1.csv", 3),
    (
        "903-INT02",
        "placed_for_adoption",
        "placed_for_adoption.csv",
        3,
    ),
    ("903-INT03", "episodes", "episodes.csv", 9),
    ("903-INT04", "missing", "missing.csv", 4),
    ("903-INT05", "oc2", "oc2.csv", 4),
    ("903-INT06", "oc3", "oc3.csv", 3),
    (
        "903-INT07",
        "previous_permanence",
        "previous_permanence.csv",
        7,
    ),
    ("903-INT08", "reviews", "reviews.csv", 6),
    ("903-INT09", "uasc", "uasc.csv", 3),
    ("903-INTSW1", "sw_episodes", "sw_episodes.csv", 2),
    // A date of birth, or the sex, held twice disagrees (INT11-INT21).
    ("903-INT11", "ad1", "ad1.csv", 4),
    (
        "903-INT12",
        "placed_for_adoption",
        "placed_for_adoption.csv",
        4,
    ),
    ("903-INT13", "missing", "missing.csv", 5),
    ("903-INT14", "oc2", "oc2.csv", 5),
    ("903-INT15", "oc3", "oc3.csv", 4),
    (
        "903-INT16",
        "previous_permanence",
        "previous_permanence.csv",
        8,
    ),
    ("903-INT17", "reviews", "reviews.csv", 7),
    ("903-INT18", "uasc", "uasc.csv", 4),
    ("903-INT21", "uasc", "uasc.csv", 5),
    ("903-INTSW2", "sw_episodes", "sw_episodes.csv", 3),
    // A child held twice in a once-per-child file (INT31-INT36): the duplicate key.
    ("HO-DUP-001", "ad1", "ad1.csv", 5),
    ("HO-DUP-001", "header", "header.csv", 8),
    ("HO-DUP-001", "oc2", "oc2.csv", 6),
    ("HO-DUP-001", "oc3", "oc3.csv", 5),
    (
        "HO-DUP-001",
        "previous_permanence",
        "previous_permanence.csv",
        9,
    ),
    ("HO-DUP-001", "uasc", "uasc.csv", 6),
    // A child with no episode and no OC3 record (EPI), and the episode chain.
    ("903-EPI", "header", "header.csv", 9),
    ("903-168", "header", "header.csv", 11),
    ("903-302", "episodes", "episodes.csv", 10),
    ("903-501", "episodes", "episodes.csv", 12),
    ("903-142", "episodes", "episodes.csv", 13),
    ("903-148", "episodes", "episodes.csv", 15),
    ("903-356", "episodes", "episodes.csv", 16),
    ("903-433", "episodes", "episodes.csv", 18),
    // The 501 row (a P episode starting before the previous one ends) breaks 433 too, as the
    // validator says of it.
    ("903-433", "episodes", "episodes.csv", 12),
    ("903-431", "episodes", "episodes.csv", 20),
    ("903-355", "episodes", "episodes.csv", 21),
    ("903-352", "episodes", "episodes.csv", 22),
    // Which providers can provide which placement types.
    ("903-526", "episodes", "episodes.csv", 23),
    ("903-178", "episodes", "episodes.csv", 24),
    ("903-527", "episodes", "episodes.csv", 25),
    ("903-528", "episodes", "episodes.csv", 26),
    ("903-529", "episodes", "episodes.csv", 27),
    ("903-530", "episodes", "episodes.csv", 28),
    ("903-531", "episodes", "episodes.csv", 29),
    ("903-550", "episodes", "episodes.csv", 30),
];

#[test]
fn ssda903_broken_return_gives_exactly_one_finding_per_broken_row() {
    let (code, json) = dry_run_json(repo(MAPPINGS), repo(BROKEN));
    assert_eq!(code, 1, "{json}");
    assert_balanced(&json);
    let found = findings(&json);
    let want: BTreeSet<Finding> = BROKEN_FINDINGS
        .iter()
        .map(|(r, e, f, l)| (r.to_string(), e.to_string(), f.to_string(), *l))
        .collect();
    assert_eq!(
        found.len(),
        want.len(),
        "one finding per broken row and rule"
    );
    assert_eq!(found.into_iter().collect::<BTreeSet<_>>(), want);
    // Orphans and duplicates do not transfer; the rows the declared rules find do.
    assert_eq!(ledger(&json, "header"), [25, 24, 0, 1]);
    assert_eq!(ledger(&json, "episodes"), [29, 28, 0, 1]);
    assert_eq!(ledger(&json, "uasc"), [5, 3, 0, 2]);
    assert_eq!(ledger(&json, "sw_episodes"), [2, 1, 0, 1]);
}

/// One test per rule: the rule's code, on the row of the file that breaks it, and nowhere else.
macro_rules! rule_test {
    ($name:ident, $rule:literal, $entity:literal, $file:literal, $($line:literal),+) => {
        #[test]
        fn $name() {
            let mut of_rule: Vec<Finding> = broken_findings()
                .into_iter()
                .filter(|f| f.0 == $rule && f.1 == $entity)
                .collect();
            of_rule.sort();
            let want: Vec<Finding> = [$($line),+]
                .into_iter()
                .map(|line: i64| ($rule.to_string(), $entity.to_string(), $file.to_string(), line))
                .collect();
            assert_eq!(of_rule, want);
        }
    };
}

rule_test!(
    ssda903_int01_child_in_ad1_not_in_header,
    "903-INT01",
    "ad1",
    "ad1.csv",
    3
);
rule_test!(
    ssda903_int02_child_placed_for_adoption_not_in_header,
    "903-INT02",
    "placed_for_adoption",
    "placed_for_adoption.csv",
    3
);
rule_test!(
    ssda903_int03_child_in_episodes_not_in_header,
    "903-INT03",
    "episodes",
    "episodes.csv",
    9
);
rule_test!(
    ssda903_int04_child_in_missing_not_in_header,
    "903-INT04",
    "missing",
    "missing.csv",
    4
);
rule_test!(
    ssda903_int05_child_in_oc2_not_in_header,
    "903-INT05",
    "oc2",
    "oc2.csv",
    4
);
rule_test!(
    ssda903_int06_child_in_oc3_not_in_header,
    "903-INT06",
    "oc3",
    "oc3.csv",
    3
);
rule_test!(
    ssda903_int07_child_in_previous_permanence_not_in_header,
    "903-INT07",
    "previous_permanence",
    "previous_permanence.csv",
    7
);
rule_test!(
    ssda903_int08_child_in_reviews_not_in_header,
    "903-INT08",
    "reviews",
    "reviews.csv",
    6
);
rule_test!(
    ssda903_int09_child_in_uasc_not_in_header,
    "903-INT09",
    "uasc",
    "uasc.csv",
    3
);
rule_test!(
    ssda903_intsw1_child_in_sw_episodes_not_in_header,
    "903-INTSW1",
    "sw_episodes",
    "sw_episodes.csv",
    2
);
rule_test!(
    ssda903_int11_dob_in_ad1_differs,
    "903-INT11",
    "ad1",
    "ad1.csv",
    4
);
rule_test!(
    ssda903_int12_dob_placed_for_adoption_differs,
    "903-INT12",
    "placed_for_adoption",
    "placed_for_adoption.csv",
    4
);
rule_test!(
    ssda903_int13_dob_in_missing_differs,
    "903-INT13",
    "missing",
    "missing.csv",
    5
);
rule_test!(
    ssda903_int14_dob_in_oc2_differs,
    "903-INT14",
    "oc2",
    "oc2.csv",
    5
);
rule_test!(
    ssda903_int15_dob_in_oc3_differs,
    "903-INT15",
    "oc3",
    "oc3.csv",
    4
);
rule_test!(
    ssda903_int16_dob_in_previous_permanence_differs,
    "903-INT16",
    "previous_permanence",
    "previous_permanence.csv",
    8
);
rule_test!(
    ssda903_int17_dob_in_reviews_differs,
    "903-INT17",
    "reviews",
    "reviews.csv",
    7
);
rule_test!(
    ssda903_int18_dob_in_uasc_differs,
    "903-INT18",
    "uasc",
    "uasc.csv",
    4
);
rule_test!(
    ssda903_int21_sex_in_uasc_differs,
    "903-INT21",
    "uasc",
    "uasc.csv",
    5
);
rule_test!(
    ssda903_intsw2_dob_in_sw_episodes_differs,
    "903-INTSW2",
    "sw_episodes",
    "sw_episodes.csv",
    3
);
rule_test!(
    ssda903_int31_child_twice_in_ad1,
    "HO-DUP-001",
    "ad1",
    "ad1.csv",
    5
);
rule_test!(
    ssda903_int32_child_twice_in_header,
    "HO-DUP-001",
    "header",
    "header.csv",
    8
);
rule_test!(
    ssda903_int33_child_twice_in_oc2,
    "HO-DUP-001",
    "oc2",
    "oc2.csv",
    6
);
rule_test!(
    ssda903_int34_child_twice_in_oc3,
    "HO-DUP-001",
    "oc3",
    "oc3.csv",
    5
);
rule_test!(
    ssda903_int35_child_twice_in_previous_permanence,
    "HO-DUP-001",
    "previous_permanence",
    "previous_permanence.csv",
    9
);
rule_test!(
    ssda903_int36_child_twice_in_uasc,
    "HO-DUP-001",
    "uasc",
    "uasc.csv",
    6
);
rule_test!(
    ssda903_epi_child_without_episode_or_oc3,
    "903-EPI",
    "header",
    "header.csv",
    9
);
rule_test!(
    ssda903_168_upn_not_valid,
    "903-168",
    "header",
    "header.csv",
    11
);
rule_test!(
    ssda903_302_episode_before_birth,
    "903-302",
    "episodes",
    "episodes.csv",
    10
);
rule_test!(
    ssda903_501_episode_starts_before_previous_ends,
    "903-501",
    "episodes",
    "episodes.csv",
    12
);
rule_test!(
    ssda903_142_previous_episode_not_ended,
    "903-142",
    "episodes",
    "episodes.csv",
    13
);
rule_test!(
    ssda903_148_dec_without_rec,
    "903-148",
    "episodes",
    "episodes.csv",
    15
);
rule_test!(
    ssda903_356_episode_ends_before_it_starts,
    "903-356",
    "episodes",
    "episodes.csv",
    16
);
rule_test!(
    ssda903_431_care_starts_before_previous_episode_ends,
    "903-431",
    "episodes",
    "episodes.csv",
    20
);
rule_test!(
    ssda903_433_continuation_episode_not_contiguous,
    "903-433",
    "episodes",
    "episodes.csv",
    12,
    18
);
rule_test!(
    ssda903_355_episode_of_less_than_a_day,
    "903-355",
    "episodes",
    "episodes.csv",
    21
);
rule_test!(
    ssda903_352_care_starts_at_18_or_over,
    "903-352",
    "episodes",
    "episodes.csv",
    22
);
rule_test!(
    ssda903_526_placement_without_provider,
    "903-526",
    "episodes",
    "episodes.csv",
    23
);
rule_test!(
    ssda903_178_temporary_move_with_provider,
    "903-178",
    "episodes",
    "episodes.csv",
    24
);
rule_test!(
    ssda903_527_pr1_with_r2,
    "903-527",
    "episodes",
    "episodes.csv",
    25
);
rule_test!(
    ssda903_528_pr2_with_r5,
    "903-528",
    "episodes",
    "episodes.csv",
    26
);
rule_test!(
    ssda903_529_pr3_with_k2,
    "903-529",
    "episodes",
    "episodes.csv",
    27
);
rule_test!(
    ssda903_530_pr4_with_p1,
    "903-530",
    "episodes",
    "episodes.csv",
    28
);
rule_test!(
    ssda903_531_pr5_with_p1,
    "903-531",
    "episodes",
    "episodes.csv",
    29
);
rule_test!(
    ssda903_550_pr0_with_u6,
    "903-550",
    "episodes",
    "episodes.csv",
    30
);

#[test]
fn ssda903_epi_is_a_warning_and_names_its_rule() {
    let (_, json) = dry_run_json(repo(MAPPINGS), repo(BROKEN));
    let epi = json["findings"]
        .as_array()
        .expect("findings[]")
        .iter()
        .find(|f| f["rule"] == "903-EPI")
        .expect("the EPI finding");
    assert_eq!(
        epi["severity"], "warning",
        "the validator's EPI is a warning"
    );
    assert_eq!(epi["rule_file"], "rules.toml");
    assert_eq!(
        epi["message"],
        "child C007 has no episode and no OC3 record"
    );
}

#[test]
fn ssda903_clean_return_loads_every_row_with_no_finding() {
    let (code, json) = dry_run_json(repo(MAPPINGS), repo(CLEAN));
    assert_eq!(code, 0, "{json}");
    assert_balanced(&json);
    assert_eq!(findings(&json), Vec::<Finding>::new());
    assert_eq!(json["run"]["as_at"], "2017-03-31", "from the folder's name");
    for (entity, rows) in [
        ("header", 6),
        ("episodes", 7),
        ("reviews", 4),
        ("uasc", 1),
        ("oc2", 2),
        ("oc3", 1),
        ("ad1", 1),
        ("placed_for_adoption", 1),
        ("previous_permanence", 5),
        ("missing", 2),
        ("sw_episodes", 0),
    ] {
        assert_eq!(ledger(&json, entity), [rows, rows, 0, 0], "{entity}");
    }
}

#[test]
fn ssda903_clean_return_is_in_the_database_as_the_dfe_wrote_it() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let db = migrate_db(MAPPINGS, &repo(CLEAN), tmp.path(), "ssda903");
    let conn = open_db(&db);
    let text = |sql: &str| -> String {
        conn.query_row(sql, [], |r| r.get(0))
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    };
    assert_eq!(count(&conn, "SELECT count(*) FROM episodes"), 7);
    // dd/mm/yyyy becomes an ISO date; an open episode's end is NULL.
    assert_eq!(
        text(
            "SELECT decom || '/' || dec || '/' || rec FROM episodes WHERE child = 'C006' AND rne = 'P'"
        ),
        "2016-05-20/2017-01-15/E11"
    );
    assert_eq!(
        count(&conn, "SELECT count(*) FROM episodes WHERE dec IS NULL"),
        4
    );
    // A partial date of previous permanence is kept as the DfE writes it.
    assert_eq!(
        text("SELECT date_perm FROM previous_permanence WHERE child = 'C004'"),
        "zz/03/2014"
    );
    assert_eq!(
        text("SELECT mc_dob FROM header WHERE child = 'C003'"),
        "2016-06-05"
    );
    assert_eq!(
        count(&conn, "SELECT mother FROM header WHERE child = 'C003'"),
        1
    );
    assert_eq!(text("SELECT company FROM handover_run"), "SSDA903 return");
    // The figures: looked after on 31 March 2017 (C006's adoption ended the last episode).
    let out = bin()
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .args(["report", "--format", "json"])
        .arg(&db)
        .output()
        .expect("run handover report");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let figure = |name: &str| {
        let items = json["figures"]["items"].as_array().expect("items[]");
        let f = items.iter().find(|f| f["name"] == name).expect(name);
        (f["source"].as_i64(), f["company"].as_i64())
    };
    assert_eq!(figure("looked_after_at_31_march"), (Some(4), Some(4)));
    assert_eq!(figure("children"), (Some(6), Some(6)));
}

/// A copy of the clean return with `header.csv` and `episodes.csv` replaced and every other file
/// left with its header line only.
fn small_return(dir: &Path, header: &str, episodes: &str) {
    copy_dir(&repo(CLEAN), dir);
    for entry in std::fs::read_dir(dir).expect("the copy") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("a CSV");
        let first = text.lines().next().expect("a header line");
        std::fs::write(&path, format!("{first}\n")).expect("write");
    }
    let append = |name: &str, rows: &str| {
        let path = dir.join(name);
        let text = std::fs::read_to_string(&path).expect("a CSV");
        std::fs::write(&path, format!("{text}{rows}")).expect("write");
    };
    append("header.csv", header);
    append("episodes.csv", episodes);
}

/// The lines of `file` with a finding of `rule`, in a dry run as at `as_at`.
fn lines_of(dir: &Path, as_at: &str, rule: &str, file: &str) -> Vec<i64> {
    let (_, json) = dry_run_json_with(repo(MAPPINGS), dir, &["--as-at", as_at]);
    assert_balanced(&json);
    let mut lines: Vec<i64> = findings(&json)
        .into_iter()
        .filter(|f| f.0 == rule && f.2 == file)
        .map(|f| f.3)
        .collect();
    lines.sort_unstable();
    lines
}

#[test]
fn ssda903_placement_types_follow_the_collection_year() {
    // K3 arrives in 2024-25; H5 goes and Z11 arrives in 2025-26.
    let episodes = "C1,01/04/2023,S,V2,N1,K3,PR4,,,,,,\n\
                    C1,01/05/2023,P,V2,N1,H5,PR4,,,,,,\n\
                    C1,01/06/2023,P,V2,N1,Z11,,,,,,,\n";
    for (as_at, sex, invalid) in [
        ("2024-03-31", "1", vec![2, 4]),
        ("2025-03-31", "M", vec![4]),
        ("2026-03-31", "M", vec![3]),
    ] {
        let tmp = tempfile::tempdir().expect("a temporary folder");
        small_return(
            tmp.path(),
            &format!("C1,{sex},01/01/2010,WBRI,UN1,,\n"),
            episodes,
        );
        assert_eq!(
            lines_of(tmp.path(), as_at, "HO-COD-002", "episodes.csv"),
            invalid,
            "as at {as_at}"
        );
        assert_eq!(
            lines_of(tmp.path(), as_at, "HO-COD-002", "header.csv"),
            Vec::<i64>::new(),
            "SEX {sex} is in force as at {as_at}"
        );
    }
}

#[test]
fn ssda903_sex_codes_change_in_2024_25() {
    // The clean 2016-17 return codes SEX as 1 and 2, which the 2024-25 return no longer takes.
    assert_eq!(
        lines_of(&repo(CLEAN), "2025-03-31", "HO-COD-002", "header.csv"),
        vec![2, 3, 4, 5, 6, 7]
    );
}

#[test]
fn ssda903_council_file_names_match_the_patterns() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    for name in SSDA903_TABLES {
        let council = match name {
            "placed_for_adoption" => "PlacedAdoption".to_string(),
            "previous_permanence" => "PrevPerm".to_string(),
            "sw_episodes" => "SWEpisodes".to_string(),
            "uasc" | "oc2" | "oc3" | "ad1" => name.to_uppercase(),
            _ => format!("{}{}", name[..1].to_uppercase(), &name[1..]),
        };
        let text = std::fs::read_to_string(repo(CLEAN).join(format!("{name}.csv")))
            .expect("a CSV of the clean return");
        let text = if name == "sw_episodes" {
            format!("{text}C001,14/02/2006,SW100200,01/04/2016,,\n")
        } else {
            text
        };
        std::fs::write(tmp.path().join(format!("SSDA903_2017_{council}.csv")), text)
            .expect("write");
    }
    let (code, json) = dry_run_json_with(repo(MAPPINGS), tmp.path(), &["--as-at", "2017-03-31"]);
    assert_eq!(code, 0, "{json}");
    // SSDA903_2017_SWEpisodes.csv is read as social-worker episodes, never as episodes.
    assert_eq!(ledger(&json, "episodes"), [7, 7, 0, 0]);
    assert_eq!(ledger(&json, "sw_episodes"), [1, 1, 0, 0]);
    assert_eq!(ledger(&json, "placed_for_adoption"), [1, 1, 0, 0]);
}

#[test]
fn ssda903_mapping_set_carries_every_column_of_the_return() {
    let out = bin()
        .args([
            "validate",
            "--strict",
            "--mappings",
            MAPPINGS,
            "--input",
            CLEAN,
        ])
        .output()
        .expect("run handover validate");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn ssda903_schema_reference_is_current() {
    let out = bin()
        .args(["schema", "--schema", SCHEMA, "--doc"])
        .output()
        .expect("run handover schema");
    assert_eq!(out.status.code(), Some(0));
    let want = String::from_utf8(out.stdout).expect("UTF-8");
    let path = repo(DOC);
    if std::env::var_os("HANDOVER_UPDATE_DOCS").is_some() {
        std::fs::write(&path, &want).expect("write the reference");
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "{DOC} is out of date: run `handover schema --schema {SCHEMA} --doc > {DOC}` (or HANDOVER_UPDATE_DOCS=1 cargo nextest run -E 'test(ssda903)')"
    );
}

#[test]
fn ssda903_a_return_without_one_of_its_files_stops_with_the_file_named() {
    // The mapping language has no optional source: a return with no adoptions still needs an
    // `ad1.csv` with its header line (docs/ssda903.md says so).
    let tmp = tempfile::tempdir().expect("a temporary folder");
    copy_dir(&repo(CLEAN), tmp.path());
    std::fs::remove_file(tmp.path().join("ad1.csv")).expect("remove ad1.csv");
    let out = super::common::migrate(repo(MAPPINGS), tmp.path())
        .args(["--dry-run", "--as-at", "2017-03-31"])
        .output()
        .expect("run handover");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("mappings/ssda903/ad1.toml:3: no file in the input folder matches"),
        "{stderr}"
    );
}
