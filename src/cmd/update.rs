//! `ragplan update`.

use std::process::ExitCode;

/// Flags of `ragplan update`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `ragplan update`.
pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("ragplan update is not available yet")
}
