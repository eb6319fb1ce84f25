//! `handover validate`.
use crate::cli::GlobalOpts;
use crate::exit::Exit;

/// Arguments of `handover validate`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `handover validate`.
pub fn run(_args: &Args, _global: &GlobalOpts) -> anyhow::Result<Exit> {
    anyhow::bail!("`handover validate` is not built yet")
}
