//! One file per subcommand: its clap `Args` and a thin `run` that resolves the arguments into a
//! plan and calls the domain modules.
pub mod completions;
pub mod diff;
pub mod export;
pub mod generate;
pub mod man;
pub mod migrate;
pub mod report;
pub mod schema;
pub mod validate;
pub mod verify;
