//! The integration tests: one binary, one module per subcommand, and a small harness in common/.
mod another_council;
mod common;
mod completions;
mod diff;
mod first_mapping;
mod generate;
mod html;
mod junit;
mod migrate;
mod report;
mod run_record;
mod second_company;
mod summary;
mod sunderland;
mod validate;
mod verify;
mod workbook;
