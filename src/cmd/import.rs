//! `ragplan import`.

use std::process::ExitCode;

/// Flags of `ragplan import`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `ragplan import`.
pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("ragplan import is not available yet")
}
