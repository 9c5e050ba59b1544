//! `ragplan serve`.

use std::process::ExitCode;

/// Flags of `ragplan serve`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `ragplan serve`.
pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("ragplan serve is not available yet")
}
