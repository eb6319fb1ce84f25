//! Integrity checks after loading, and the findings they produce.
pub mod finding;
pub use finding::{Finding, Kind, Severity};
