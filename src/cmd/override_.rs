//! `ragplan override`.

use std::process::ExitCode;

/// Flags of `ragplan override`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `ragplan override`.
pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("ragplan override is not available yet")
}
