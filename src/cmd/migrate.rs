//! `ragplan migrate`: rewrite a plan document in the current format (`ragplan/2`),
//! atomically, keeping everything it holds.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::{load, output};

/// Flags of `ragplan migrate`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  ragplan migrate plan.json
  ragplan migrate old.json -o plan.json

A ragplan/1 document's single override becomes a one-entry record of overrides,
and every status it holds is kept. The plan is rewritten in place unless -o names
another file.

Exit codes: 0 written; 2 a plan that cannot be read.")]
pub struct Args {
    /// The plan (a ragplan JSON document).
    pub plan: PathBuf,
    /// Where to write the migrated plan; default: over the plan itself.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Runs `ragplan migrate`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    // Rewritten in place, the plan is locked as `update` locks it.
    let _lock = output::lock_plan(&args.plan)?;
    let plan = load::load_plan_document(&args.plan)?;
    let out = args.output.as_ref().unwrap_or(&args.plan);
    output::write_plan(Some(out), &plan)?;
    output::print_stderr(&format!("wrote {} as {}", out.display(), ragplan_core::PLAN_FORMAT));
    Ok(ExitCode::SUCCESS)
}
