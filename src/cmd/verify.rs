//! `handover verify`: checks that a company database was produced from exactly the files in an
//! input folder.
use std::path::PathBuf;

use crate::cli::GlobalOpts;
use crate::exit::Exit;

/// Arguments of `handover verify`.
#[derive(Debug, clap::Args)]
#[command(
    long_about = "Check that a company database was produced from exactly the files in an input folder.\n\n\
Every input file the run recorded (in handover_input) is read again and its SHA-256 compared with \
the recorded one. Exit codes: 0 every file matches; 1 a file differs or is missing (each is named); \
2 usage or input error.\n\n\
Examples:\n  \
handover verify company.db --input fixtures/sunderland/2017-03-31"
)]
pub struct Args {
    /// The company database.
    #[arg(value_name = "DB")]
    pub db: PathBuf,
    /// The input folder to check against.
    #[arg(long, value_name = "DIR")]
    pub input: PathBuf,
}

/// Runs `handover verify`.
pub fn run(args: &Args, _global: &GlobalOpts) -> anyhow::Result<Exit> {
    if !args.input.is_dir() {
        anyhow::bail!(
            "input folder `{}` does not exist or is not a folder",
            args.input.display()
        );
    }
    let conn = super::report::open_db(&args.db)?;
    let v = crate::verify::verify(&conn, &args.input)?;
    let mut out = String::new();
    for m in &v.mismatches {
        out.push_str(&format!("{m}\n"));
    }
    let (verdict, next) = match v.mismatches.len() {
        0 => (
            format!(
                "VERIFIED: all {} input files match what the run read (SHA-256).",
                v.checked
            ),
            "Next: keep this folder with the database and its reports; they prove each other."
                .to_string(),
        ),
        n => (
            format!(
                "NOT VERIFIED: {n} of {} input files do not match what the run read.",
                v.checked
            ),
            format!(
                "Next: the database was not produced from exactly the files in `{}`; find the files the run read, or migrate these again.",
                args.input.display()
            ),
        ),
    };
    let width = crate::report::table::terminal_width();
    for line in [verdict, next] {
        out.push_str(&crate::report::fit::wrap_text(&line, width));
        out.push('\n');
    }
    let exit = match v.mismatches.is_empty() {
        true => Exit::Clean,
        false => Exit::Findings,
    };
    // The status is decided before output; a closed pipe neither panics nor changes it (#9).
    crate::exit::to_stdout(|stdout| Ok(stdout.write_all(out.as_bytes())?))?;
    Ok(exit)
}
