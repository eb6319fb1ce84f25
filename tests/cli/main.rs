//! The integration tests: one binary, one module per subcommand, and a small harness in common/.
mod common;
mod generate;
mod migrate;
mod sunderland;
mod validate;
