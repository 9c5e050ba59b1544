//! `ragplan store copy`: moves a deployment between stores (a SQLite file and a
//! PostgreSQL database, either way), every table copied exactly and checked.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use ragplan_api::is_postgres_url;
use ragplan_api::store::copy::copy;

use crate::output;

/// Flags of `ragplan store`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  ragplan store copy --from ragplan.db --to postgres://ragplan@db.internal/ragplan
  ragplan store copy --from postgres://ragplan@db.internal/ragplan --to restored.db

Copies every table (plans, their documents and recorded changes, the audit log,
tokens) row for row into a store that holds nothing yet, keeping ids and audit
sequence numbers, in one transaction; then reads the target back and compares each
table's row count and SHA-256 digest with the source's, and prints them. Stop the
servers writing to the source first: a write made during the copy is not in it.

Exit codes: 0 copied and checked; 2 a store cannot be opened, the target is not
empty, or the copy read back differs (named by table).")]
pub struct Args {
    #[command(subcommand)]
    pub command: StoreCommand,
}

/// What to do with stores.
#[derive(Debug, clap::Subcommand)]
pub enum StoreCommand {
    /// Copy every table of one store into another, empty one, and check it.
    Copy {
        /// The store to copy: a SQLite file or a PostgreSQL URL.
        #[arg(long, value_name = "PATH|URL")]
        from: PathBuf,
        /// The store to copy into (created if a SQLite file that does not exist).
        #[arg(long, value_name = "PATH|URL")]
        to: PathBuf,
    },
}

fn is_url(path: &Path) -> bool {
    path.to_str().is_some_and(is_postgres_url)
}

/// Runs `ragplan store`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let StoreCommand::Copy { from, to } = args.command;
    if !is_url(&from) && !from.is_file() {
        anyhow::bail!("{}: no such database", from.display());
    }
    if !is_url(&from) && !is_url(&to) {
        output::refuse_overwriting_inputs(Some(&to), &[&from])?;
    }
    let source = crate::cmd::token::open(&from)?;
    let target = crate::cmd::token::open(&to)?;
    let (shown_from, shown_to) =
        (source.describe(from.as_os_str()), target.describe(to.as_os_str()));
    if shown_from == shown_to {
        anyhow::bail!("--from and --to are the same store ({shown_from})");
    }
    let digests = copy(&source, &target)
        .map_err(|e| anyhow::anyhow!("cannot copy {shown_from} to {shown_to}: {e}"))?;
    let mut text = format!("copied {shown_from} to {shown_to}; each table read back the same:\n");
    for d in &digests {
        text.push_str(&format!("  {:<15} {:>8} rows  sha256 {}\n", d.table, d.rows, d.sha256));
    }
    output::print_stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}
