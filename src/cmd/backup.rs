//! `ragplan backup`: a consistent copy of the API's SQLite database, taken while
//! `ragplan serve` runs.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use ragplan_api::SqliteStore;

use crate::output;

/// Flags of `ragplan backup`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  ragplan backup --db ragplan.db --to backups/ragplan-2015-06-30.db

The copy is taken with SQLite's online backup, so the server may go on writing: the
copy holds every write acknowledged before it began. It is checked first (a damaged
database is refused), written beside --to and renamed into place. Restore by
stopping the server and putting the copy where --db points.

Exit codes: 0 written; 2 the database cannot be read, is damaged, or --to is --db.")]
pub struct Args {
    /// The database to copy.
    #[arg(long, value_name = "PATH", default_value = "ragplan.db")]
    pub db: PathBuf,
    /// The file to write the copy to.
    #[arg(long, value_name = "PATH")]
    pub to: PathBuf,
}

/// Runs `ragplan backup`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let Some(db) = ragplan_api::store::sqlite_file(args.db.as_os_str()) else {
        anyhow::bail!(
            "ragplan backup copies a SQLite file; back a PostgreSQL database up with pg_dump \
             (docs/deploy.md says how), or copy it into a SQLite file with ragplan store copy"
        );
    };
    output::refuse_overwriting_inputs(Some(&args.to), &[&db])?;
    if !db.is_file() {
        anyhow::bail!("{}: no such database", db.display());
    }
    SqliteStore::backup(&db, &args.to)
        .with_context(|| format!("cannot back up {} to {}", db.display(), args.to.display()))?;
    output::print_stderr(&format!("backed up {} to {}", db.display(), args.to.display()));
    Ok(ExitCode::SUCCESS)
}
