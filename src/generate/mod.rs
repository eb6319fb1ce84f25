//! The synthetic Sunderland exports: `handover generate`.
