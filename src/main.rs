//! The `handover` binary: parse the command line, run it, map the outcome to an exit code.
use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = handover::cli::Cli::parse();
    match handover::run(cli) {
        Ok(code) => code.into(),
        Err(err) => {
            if handover::exit::is_broken_pipe(&err) {
                return handover::exit::Exit::Clean.into();
            }
            eprintln!("error: {err:#}");
            handover::exit::Exit::Error.into()
        }
    }
}
