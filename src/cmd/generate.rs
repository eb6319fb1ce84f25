//! `handover generate`.
use crate::cli::GlobalOpts;
use crate::exit::Exit;

/// Arguments of `handover generate`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `handover generate`.
pub fn run(_args: &Args, _global: &GlobalOpts) -> anyhow::Result<Exit> {
    anyhow::bail!("`handover generate` is not built yet")
}
