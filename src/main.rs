//! The `handover` binary: parse the command line, run it, map the outcome to an exit code.
use clap::Parser;
use handover::exit::{self, Exit};

fn main() -> std::process::ExitCode {
    let cli = handover::cli::Cli::parse();
    // A panic is a bug: it ends with its own exit code, not Rust's 101 (#9).
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| handover::run(cli)))
        .unwrap_or_else(|_| Err(exit::bug("the command panicked (the message is above)")));
    match outcome {
        Ok(code) => code.into(),
        Err(err) if exit::is_broken_pipe(&err) => Exit::Clean.into(),
        Err(err) => {
            eprintln!("error: {err:#}");
            exit::code_of(&err).into()
        }
    }
}
