//! `ragplan token`.

use std::process::ExitCode;

/// Flags of `ragplan token`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `ragplan token`.
pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("ragplan token is not available yet")
}
