//! `ragplan validate`.

use std::process::ExitCode;

/// Flags of `ragplan validate`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `ragplan validate`.
pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("ragplan validate is not available yet")
}
