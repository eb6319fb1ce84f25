//! `handover report`.
use crate::cli::GlobalOpts;
use crate::exit::Exit;

/// Arguments of `handover report`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `handover report`.
pub fn run(_args: &Args, _global: &GlobalOpts) -> anyhow::Result<Exit> {
    anyhow::bail!("`handover report` is not built yet")
}
