//! The command line: the top-level [`Cli`], its subcommands and the options they share.
//! Each subcommand's own arguments live beside its code in [`crate::cmd`].
use clap::{Args, Parser, Subcommand};

use crate::cmd;

/// Move a public service's records to a new organisation and prove that no person and no case was lost.
#[derive(Debug, Parser)]
#[command(name = "handover", version, about, long_about = None, after_help = EXAMPLES)]
pub struct Cli {
    /// Options every subcommand takes.
    #[command(flatten)]
    pub global: GlobalOpts,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The top-level examples, shown after `handover --help` and `handover -h` (issue #13).
const EXAMPLES: &str = "Examples:
  handover validate --mappings mappings/sunderland --input fixtures/sunderland/2017-03-31
  handover migrate --mappings mappings/sunderland --input fixtures/sunderland/2017-03-31 --dry-run
  handover migrate --mappings mappings/sunderland --input DIR --out company.db --report reports/
  handover report company.db --format html -o report.html
  handover verify company.db --input fixtures/sunderland/2017-03-31
  handover diff january.db march.db

Exit codes: 0 clean; 1 the command completed and found errors; 2 usage, configuration or input error.
Each command's --help has its own examples; docs/ holds the guides.";

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
    /// The company schema folder, instead of the one the mapping set's `[schema]` names.
    #[arg(long, value_name = "DIR")]
    pub schema: Option<std::path::PathBuf>,
}

impl MappingOpts {
    /// How to resolve the mapping set, for an extract as at `as_at`.
    pub fn load_options(&self, as_at: Option<jiff::civil::Date>) -> crate::mapping::LoadOptions {
        crate::mapping::LoadOptions {
            schema_dir: self.schema.clone(),
            as_at,
        }
    }
}

/// Output format of a command that prints a summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SummaryFormat {
    /// Tables for a terminal.
    Table,
    /// JSON (docs/report.md).
    Json,
}

/// The subcommands. Each one's one-line help is set with `about` rather than a doc comment: a doc
/// comment here would replace the subcommand's own `long_about` (its `--help` with examples).
#[derive(Debug, Subcommand)]
pub enum Command {
    #[command(
        about = "Write a folder of synthetic council exports (HR, cases, placements) for tests and demos"
    )]
    Generate(cmd::generate::Args),
    #[command(
        about = "Load council exports through mapping files into the company database, with a ledger"
    )]
    Migrate(cmd::migrate::Args),
    #[command(about = "Check a mapping set (and optionally an extract) without loading anything")]
    Validate(cmd::validate::Args),
    #[command(about = "Render the reconciliation report of a company database")]
    Report(cmd::report::Args),
    #[command(
        about = "Check that a company database was produced from exactly the files in an input folder"
    )]
    Verify(cmd::verify::Args),
    #[command(about = "Compare the findings, ledger and controls of two runs")]
    Diff(cmd::diff::Args),
    #[command(about = "Print a shell completion script (bash, zsh, fish, elvish, powershell)")]
    Completions(cmd::completions::Args),
    #[command(about = "Write the manual pages (roff)")]
    Man(cmd::man::Args),
    #[command(about = "Check a company schema folder and print its reference or its SQL")]
    Schema(cmd::schema::Args),
    #[command(about = "Write the tables of a company database as files, as the schema declares")]
    Export(cmd::export::Args),
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    /// The top-level help ends with examples too.
    #[test]
    fn top_level_help_has_examples() {
        let help = Cli::command().render_long_help().to_string();
        assert!(help.contains("Examples:\n  handover validate"), "{help}");
    }

    /// Every subcommand's `--help` ends with its examples (the long help is not overridden).
    #[test]
    fn every_subcommand_long_help_has_examples() {
        let mut cli = Cli::command();
        for sub in cli.get_subcommands_mut() {
            let help = sub.render_long_help().to_string();
            assert!(
                help.contains("Examples:") || help.contains("Example"),
                "{}: {help}",
                sub.get_name()
            );
        }
    }
}
