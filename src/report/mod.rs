//! The reconciliation report: [`model`] reads it from a company database; [`table`] draws the
//! terminal summary; [`json`] writes the machine-readable form (docs/report.md).

pub mod json;
pub mod model;
pub mod table;

pub use model::Reconciliation;
