//! handover moves a public service's records from one organisation to another and proves that no
//! person and no case was lost on the way.
//!
//! The pipeline reads one way: [`source`] streams rows out of CSV and spreadsheet exports,
//! [`mapping`] declares how they become records of the company's [`schema`], [`load`] writes them
//! into SQLite while keeping the exactly-once ledger, [`check`] turns problems into findings, and
//! [`report`] renders the reconciliation. [`generate`] makes the synthetic council exports that
//! every test and benchmark runs on.

pub mod audit;
pub mod check;
pub mod cli;
pub mod cmd;
pub mod diagnostic;
pub mod exit;
pub mod export;
pub mod finding;
pub mod fsx;
pub mod generate;
pub mod load;
pub mod mapping;
pub mod pipeline;
pub mod progress;
pub mod report;
pub mod schema;
pub mod source;
pub mod validate;
pub mod verify;

use cli::{Cli, Command};
use exit::Exit;

/// Runs one parsed command line and returns the exit code it should end with.
pub fn run(cli: Cli) -> anyhow::Result<Exit> {
    let global = &cli.global;
    match &cli.command {
        Command::Generate(args) => cmd::generate::run(args, global),
        Command::Migrate(args) => cmd::migrate::run(args, global),
        Command::Validate(args) => cmd::validate::run(args, global),
        Command::Report(args) => cmd::report::run(args, global),
        Command::Verify(args) => cmd::verify::run(args, global),
        Command::Diff(args) => cmd::diff::run(args, global),
        Command::Completions(args) => cmd::completions::run(args, global),
        Command::Man(args) => cmd::man::run(args, global),
        Command::Schema(args) => cmd::schema::run(args, global),
        Command::Export(args) => cmd::export::run(args, global),
    }
}
