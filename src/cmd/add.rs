//! `ragplan add`: a new objective, sub-objective or action, with its fields, recorded
//! in the plan's change log; the plan is written back atomically.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use ragplan_core::{Key, NewNode, NodeKind};

use crate::cmd::edit::Fields;
use crate::{load, output};

/// What to add, as the command line writes it.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Kind {
    /// A strategy objective (the default with no --under).
    Objective,
    /// A sub-objective of an objective.
    SubObjective,
    /// An action (the default with --under).
    Action,
}

/// Flags of `ragplan add`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  ragplan add plan.json --under R3 --title \"Commission early support\" \\
      --accountable \"Head of Early Help\" --timescale \"31 March 2016\" --by \"Scrutiny officer\"
  ragplan add plan.json --under 1 --kind sub-objective --title \"Raise awareness\" --by Analyst
  ragplan add plan.json --title \"Pursue perpetrators\" --by Analyst --on 2015-07-01

With --under, an action is added (--kind sub-objective adds a sub-objective of an
objective); without it, an objective. The key is the parent's key and the next
number (R3.2 after R3.1, 4 after three objectives) unless --key gives one. The other
flags are those of `ragplan edit`. The addition is recorded in the plan's change log,
so the plan as it stood before --on does not have the node; `ragplan log` tells it.

Exit codes: 0 added; 2 bad usage, a plan that cannot be read, an unknown parent, a
taken key, or a node the parent cannot hold, each with the problem.")]
pub struct Args {
    /// The plan (a ragplan JSON document), written back in place.
    pub plan: PathBuf,
    /// The objective or sub-objective the node goes under; none for an objective.
    #[arg(long, value_name = "KEY")]
    pub under: Option<Key>,
    /// What to add.
    #[arg(long, value_enum)]
    pub kind: Option<Kind>,
    /// The new node's key; default the parent's key and the next number.
    #[arg(long, value_name = "KEY")]
    pub key: Option<Key>,
    /// The node's title.
    #[arg(long, value_name = "TEXT")]
    pub title: String,
    /// The node's other fields.
    #[command(flatten)]
    pub fields: Fields,
    /// Who adds the node.
    #[arg(long, value_name = "NAME")]
    pub by: String,
    /// The date it is added (YYYY-MM-DD or DD/MM/YYYY, day first); default today.
    #[arg(long, value_name = "DATE", value_parser = output::parse_date)]
    pub on: Option<NaiveDate>,
}

/// Runs `ragplan add`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let on = output::as_of_or_today(args.on);
    let node = NewNode {
        kind: args.kind.map(|kind| match kind {
            Kind::Objective => NodeKind::Objective,
            Kind::SubObjective => NodeKind::SubObjective,
            Kind::Action => NodeKind::Action,
        }),
        under: args.under,
        key: args.key,
        title: args.title,
        fields: args.fields.changes(None),
    };
    let kind = node.kind();
    load::change_plan(&args.plan, |plan| {
        let (key, _) = plan.add(node, &args.by, on)?;
        Ok(format!("added {} {key} on {}", kind.label(), ragplan_core::uk_date(on)))
    })
}
