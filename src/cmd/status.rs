//! `ragplan status`.

use std::process::ExitCode;

/// Flags of `ragplan status`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `ragplan status`.
pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("ragplan status is not available yet")
}
