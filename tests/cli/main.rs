//! The integration tests: one binary, one module per subcommand, and a small harness in common/.
mod common;
mod diff;
mod migrate;
mod report;
mod verify;
