//! `handover diff`.
use crate::cli::GlobalOpts;
use crate::exit::Exit;

/// Arguments of `handover diff`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `handover diff`.
pub fn run(_args: &Args, _global: &GlobalOpts) -> anyhow::Result<Exit> {
    anyhow::bail!("`handover diff` is not built yet")
}
