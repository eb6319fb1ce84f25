//! docs/first-mapping.md: every `handover` command in its `sh` blocks is run from the repository
//! root, with the exit code the walkthrough says (`# exits N`, else 0), and the errors it quotes
//! for the draft are what validate prints.
use super::common::{bin, root};

/// Each command of the walkthrough's `sh` blocks, with the exit code it states.
fn commands(doc: &str) -> Vec<(Vec<String>, i32)> {
    let mut out = Vec::new();
    let mut in_sh = false;
    for line in doc.lines() {
        let t = line.trim();
        if t.starts_with("```") {
            in_sh = t == "```sh";
            continue;
        }
        let Some(rest) = t.strip_prefix("handover ").filter(|_| in_sh) else {
            continue;
        };
        let (args, code) = match rest.split_once("# exits ") {
            Some((args, code)) => (args, code.trim().parse().expect("an exit code")),
            None => (rest, 0),
        };
        out.push((args.split_whitespace().map(str::to_string).collect(), code));
    }
    out
}

#[test]
fn every_command_of_the_walkthrough_runs_as_it_says() {
    let doc =
        std::fs::read_to_string(root().join("docs/first-mapping.md")).expect("the walkthrough");
    let all = commands(&doc);
    assert_eq!(all.len(), 5, "the walkthrough's commands: {all:?}");
    for (args, want) in &all {
        let out = bin()
            .args(args)
            .current_dir(root())
            .output()
            .expect("run handover");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            out.status.code(),
            Some(*want),
            "handover {}\n{stdout}{}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
        if args.iter().any(|a| a.ends_with("/draft")) {
            let quoted = doc
                .split("```text\n")
                .nth(1)
                .and_then(|t| t.split("```").next())
                .expect("the quoted errors");
            for line in quoted.lines() {
                assert!(stdout.contains(line), "`{line}` not in:\n{stdout}");
            }
        }
    }
}
