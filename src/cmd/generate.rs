//! `ragplan generate`: a reproducible synthetic plan, for trying ragplan and for
//! benchmarks.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::output;

/// Most actions `ragplan generate` writes (a plan of ten million actions is about
/// 10 GB of JSON).
const MAX_ACTIONS: u64 = 10_000_000;

/// Flags of `ragplan generate`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  ragplan generate --actions 200 -o trial.json
  ragplan generate --actions 100000 --objectives 50 --seed 7 -o big.json
  ragplan generate --actions 20 | ragplan status - --as-of 2015-09-30

The same --actions, --objectives and --seed always give the same plan: timescales in
2015/16, a mix of statuses, reported ratings, updates, evidence and dependencies.

Exit codes: 0 written; 2 bad usage or a file that cannot be written.")]
pub struct Args {
    /// How many actions.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(0..=MAX_ACTIONS))]
    pub actions: u64,
    /// How many objectives the actions are spread over.
    #[arg(long, value_name = "N", default_value_t = 5,
          value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub objectives: u64,
    /// The seed: the same seed gives the same plan.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// Where to write the plan (`-` or nothing: standard output).
    #[arg(short = 'o', long = "output", value_name = "PLAN.json")]
    pub output: Option<PathBuf>,
}

/// Runs `ragplan generate`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    // Both fit in usize: they are bounded by clap above.
    let n_actions = usize::try_from(args.actions)?;
    let n_objectives = usize::try_from(args.objectives)?;
    let plan = ragplan_core::generate::synthetic_plan(n_actions, n_objectives, args.seed);
    output::write_plan(args.output.as_deref(), &plan)?;
    Ok(ExitCode::SUCCESS)
}
