//! `ragplan export`.

use std::process::ExitCode;

/// Flags of `ragplan export`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `ragplan export`.
pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("ragplan export is not available yet")
}
