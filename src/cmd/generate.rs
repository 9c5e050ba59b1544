//! `ragplan generate`.

use std::process::ExitCode;

/// Flags of `ragplan generate`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `ragplan generate`.
pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("ragplan generate is not available yet")
}
