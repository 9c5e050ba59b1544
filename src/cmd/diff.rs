//! `ragplan diff`.

use std::process::ExitCode;

/// Flags of `ragplan diff`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `ragplan diff`.
pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("ragplan diff is not available yet")
}
