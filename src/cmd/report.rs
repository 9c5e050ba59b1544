//! `ragplan report`.

use std::process::ExitCode;

/// Flags of `ragplan report`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `ragplan report`.
pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("ragplan report is not available yet")
}
