//! The reconciliation report and its formats.
