//! The one integration test binary: one module per subcommand, plus the shared harness in `common`.
mod common;
mod generate;
