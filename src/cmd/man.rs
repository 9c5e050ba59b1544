//! `ragplan man`: the manual page, in roff, from the same definitions as `--help`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;

/// Flags of `ragplan man`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  ragplan man | man -l -
  ragplan man --out-dir /usr/local/share/man/man1

Without --out-dir the page of `ragplan` is written to standard output; with it, one
page for `ragplan` and one for each subcommand (ragplan-status.1, …) are written
into the folder, which must exist.

Exit codes: 0 written; 2 a page cannot be written.")]
pub struct Args {
    /// Write every page (ragplan.1 and one per subcommand) into this folder.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
}

/// Runs `ragplan man` for the command `cli`.
pub fn run(args: Args, cli: clap::Command) -> anyhow::Result<ExitCode> {
    match args.out_dir {
        Some(dir) => {
            if !dir.is_dir() {
                anyhow::bail!("{}: no such folder", dir.display());
            }
            clap_mangen::generate_to(cli, &dir)
                .with_context(|| format!("cannot write the pages into {}", dir.display()))?;
            crate::output::print_stderr(&format!("wrote the pages into {}", dir.display()));
        }
        None => {
            let mut page = Vec::new();
            clap_mangen::Man::new(cli).render(&mut page)?;
            crate::output::print_data(&String::from_utf8(page)?)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
