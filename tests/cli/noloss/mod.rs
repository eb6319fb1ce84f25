//! Issue #9, "no row lost, no value changed, without a finding": one module per promise.
mod inputs;
mod pipe;
