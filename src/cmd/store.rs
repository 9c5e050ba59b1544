//! `ragplan store copy`: moves a deployment between stores (a SQLite file and a
//! PostgreSQL database, either way), every table copied exactly and checked.

use std::path::PathBuf;
use std::process::ExitCode;

use ragplan_api::store::copy::copy;
use ragplan_api::store::sqlite_file;

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

/// Runs `ragplan store`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let StoreCommand::Copy { from, to } = args.command;
    let (from_file, to_file) = (sqlite_file(from.as_os_str()), sqlite_file(to.as_os_str()));
    if let Some(file) = &from_file
        && !file.is_file()
    {
        anyhow::bail!("{}: no such database", file.display());
    }
    if let (Some(from), Some(to)) = (&from_file, &to_file) {
        output::refuse_overwriting_inputs(Some(to), &[from])?;
    }
    let source = crate::cmd::token::open(&from)?;
    // A SQLite target made for the copy is removed again if the copy fails.
    let made = to_file.as_ref().filter(|f| !f.exists()).cloned();
    let target = crate::cmd::token::open(&to)?;
    let (shown_from, shown_to) =
        (source.describe(from.as_os_str()), target.describe(to.as_os_str()));
    if source.place(from.as_os_str()) == target.place(to.as_os_str()) {
        anyhow::bail!("--from and --to are the same store ({shown_from})");
    }
    let digests = copy(&source, &target).map_err(|e| {
        if let Some(file) = &made {
            for suffix in ["", "-wal", "-shm"] {
                let mut name = file.as_os_str().to_owned();
                name.push(suffix);
                let _ = std::fs::remove_file(PathBuf::from(name));
            }
        }
        anyhow::anyhow!("cannot copy {shown_from} to {shown_to}: {e}")
    })?;
    let mut text = format!("copied {shown_from} to {shown_to}; each table read back the same:\n");
    for d in &digests {
        text.push_str(&format!("  {:<15} {:>8} rows  sha256 {}\n", d.table, d.rows, d.sha256));
    }
    output::print_stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}
