//! `handover validate` reports every unknown key of a mapping file at once, each at its line with
//! a suggestion, not only the first. See: #13
use super::common::{bin, copy_fixture};

#[test]
fn issue_13_every_unknown_key_of_a_mapping_file_is_reported_at_once() {
    let tmp = copy_fixture("fixtures/mini_mappings");
    let staff = tmp.path().join("staff.toml");
    let text = std::fs::read_to_string(&staff).expect("read");
    let text = text
        .replacen("file = \"staff.csv\"", "fiel = \"staff.csv\"", 1)
        .replacen("reason = \"not in", "reasn = \"not in", 1)
        .replacen(
            "table = \"staff\"",
            "table = \"staff\"\ntabel_note = \"x\"",
            1,
        );
    std::fs::write(&staff, text).expect("write");
    let out = bin()
        .args(["validate", "--mappings"])
        .arg(tmp.path())
        .output()
        .expect("validate");
    assert_eq!(out.status.code(), Some(1));
    let report = String::from_utf8(out.stdout).expect("utf-8");
    let file = format!("{}/staff.toml", tmp.path().display());
    for (line, col, message) in [
        (3, 1, "unknown key `fiel` (did you mean `file`?)"),
        (8, 1, "unknown key `reasn` (did you mean `reason`?)"),
        (12, 1, "unknown key `tabel_note`"),
    ] {
        let want = format!("{file}:{line}:{col}: error: {message}");
        assert!(
            report.lines().any(|l| l.starts_with(&want)),
            "no `{want}` in:\n{report}"
        );
    }
    assert_eq!(report.matches("error: unknown key").count(), 3, "{report}");
    assert_eq!(
        report.matches("invalid mapping file").count(),
        0,
        "{report}"
    );
}
