//! Issue #9, "no row lost, no value changed, without a finding": one module per promise.
mod confine;
mod csv;
mod inputs;
mod pipe;
mod workbook;
