//! The command line: the top-level [`Cli`], its subcommands and the options they share.
//! Each subcommand's own arguments live beside its code in [`crate::cmd`].
use clap::{Args, Parser, Subcommand};

use crate::cmd;

/// Move a public service's records to a new organisation and prove that no person and no case was lost.
#[derive(Debug, Parser)]
#[command(name = "handover", version, about, long_about = None)]
pub struct Cli {
    /// Options every subcommand takes.
    #[command(flatten)]
    pub global: GlobalOpts,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Options that every subcommand takes.
#[derive(Debug, Clone, Args)]
pub struct GlobalOpts {
    /// Print nothing on stderr but errors: no progress bars.
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

/// Where the mapping set is.
#[derive(Debug, Clone, Args)]
pub struct MappingOpts {
    /// Folder of mapping files (TOML), such as mappings/sunderland.
    #[arg(long, value_name = "DIR")]
    pub mappings: std::path::PathBuf,
}

/// Output format of a command that prints a summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SummaryFormat {
    /// Tables for a terminal.
    Table,
    /// JSON (docs/report.md).
    Json,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write a folder of synthetic council exports (HR, cases, placements) for tests and demos.
    Generate(cmd::generate::Args),
    /// Load council exports through mapping files into the company database, with a ledger.
    Migrate(cmd::migrate::Args),
    /// Check a mapping set (and optionally an extract) without loading anything.
    #[command(long_about = cmd::validate::LONG_ABOUT)]
    Validate(cmd::validate::Args),
    /// Render the reconciliation report of a company database.
    Report(cmd::report::Args),
    /// Check that a company database was produced from exactly the files in an input folder.
    Verify(cmd::verify::Args),
    /// Compare the findings, ledger and controls of two runs.
    Diff(cmd::diff::Args),
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }
}
