//! `ragplan remove`: take an objective, sub-objective or action out of a plan as a
//! recorded change. The node is kept, marked removed with everything under it, so
//! history, `ragplan log` and movement still see it; the plan is written back
//! atomically.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use ragplan_core::Key;

use crate::{load, output};

/// Flags of `ragplan remove`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  ragplan remove plan.json R6c --justification \"Merged into R6b by Cabinet, 7 July 2015\" \\
      --by \"Scrutiny officer\"
  ragplan remove plan.json 2.3 --justification \"Sub-group disbanded\" --by Analyst --on 01/10/2015

The node stays in the plan, marked removed, with every sub-objective and action
under it; each is left out of roll-up and counts from --on, takes no more updates,
edits or overrides, and its key is not given to a new node. The plan as it stood
before --on still has it, so the next report lists it as Removed. KEY names the
node itself (R3 is the recommendation, with its actions); a key that differs only
in case is taken, and said.

Exit codes: 0 removed; 2 bad usage, a plan that cannot be read, an unknown key, a
node removed already, or no justification, each with the problem.")]
pub struct Args {
    /// The plan (a ragplan JSON document), written back in place.
    pub plan: PathBuf,
    /// The node's key, such as R3, 1.2 or 1.2.1.
    pub key: Key,
    /// Why the node is taken out (kept in the change log).
    #[arg(long, value_name = "TEXT")]
    pub justification: String,
    /// Who removes it.
    #[arg(long, value_name = "NAME")]
    pub by: String,
    /// The date of the removal (YYYY-MM-DD or DD/MM/YYYY, day first); default today.
    #[arg(long, value_name = "DATE", value_parser = output::parse_date)]
    pub on: Option<NaiveDate>,
}

/// Runs `ragplan remove`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let on = output::as_of_or_today(args.on);
    load::change_plan(&args.plan, |plan| {
        // The node named, whatever it is: R3 is the recommendation with its actions.
        let key = load::resolve_key(plan, &args.key, false);
        let marked = plan.remove_node(&key, &args.justification, &args.by, on)?;
        // The nodes under it that were not removed before, named up to five.
        let under: Vec<String> = marked.iter().skip(1).map(ToString::to_string).collect();
        let with = match under.as_slice() {
            [] => String::new(),
            [one] => format!(" with {one}"),
            [named @ .., last] if under.len() <= 5 => {
                format!(" with {} and {last}", named.join(", "))
            }
            named => format!(" with {} and {} more", named[..4].join(", "), named.len() - 4),
        };
        Ok(format!("removed {key}{with} on {}", ragplan_core::uk_date(on)))
    })
}
