//! `handover verify`.
use crate::cli::GlobalOpts;
use crate::exit::Exit;

/// Arguments of `handover verify`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `handover verify`.
pub fn run(_args: &Args, _global: &GlobalOpts) -> anyhow::Result<Exit> {
    anyhow::bail!("`handover verify` is not built yet")
}
