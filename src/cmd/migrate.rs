//! `handover migrate`.
use crate::cli::GlobalOpts;
use crate::exit::Exit;

/// Arguments of `handover migrate`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `handover migrate`.
pub fn run(_args: &Args, _global: &GlobalOpts) -> anyhow::Result<Exit> {
    anyhow::bail!("`handover migrate` is not built yet")
}
