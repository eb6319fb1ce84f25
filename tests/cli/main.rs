//! The integration tests: one binary, one module per subcommand, and a small harness in common/.
mod common;
mod diff;
mod generate;
mod migrate;
mod noloss;
mod report;
mod second_company;
mod sunderland;
mod validate;
mod verify;
