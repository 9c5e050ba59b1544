//! `ragplan measure add` and `ragplan reading`: an objective's or sub-objective's
//! indicators, each with a target, and their dated readings, recorded in the plan's
//! change log; the plan is written back atomically.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use ragplan_core::{Direction, Key, Measure, Reading};

use crate::{load, output};

/// `ragplan measure`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: MeasureCommand,
}

/// What `ragplan measure` does.
#[derive(Debug, clap::Subcommand)]
pub enum MeasureCommand {
    /// Add a measure to an objective or sub-objective.
    Add(AddArgs),
}

/// Which way a measure should move, as the command line writes it.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Better {
    /// Higher readings are better.
    Higher,
    /// Lower readings are better.
    Lower,
}

/// Flags of `ragplan measure add`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  ragplan measure add plan.json --under 1 --title \"Children screened with the CSE tool\" \\
      --target 95 --unit % --direction higher --tolerance 2.5 --by \"Performance analyst\"
  ragplan measure add plan.json --under R9 --key R9-M1 --title \"Missing episodes\" \\
      --target 10 --direction lower --by \"Performance analyst\" --on 2015-04-01

A measure rates its parent's outcome from its latest reading on or before the date
rated: on target (within the tolerance) is Green. The key is M1, M2, … (the first
free) unless --key gives one. The addition is recorded in the plan's change log, so
the plan as it stood before --on is rated without it; `ragplan log PLAN KEY` of the
parent shows it.

Exit codes: 0 recorded; 2 bad usage, a plan that cannot be read, an unknown or
taken key, or a refused measure, which lists every problem.")]
pub struct AddArgs {
    /// The plan (a ragplan JSON document), written back in place.
    pub plan: PathBuf,
    /// The objective or sub-objective the measure belongs to.
    #[arg(long, value_name = "KEY")]
    pub under: Key,
    /// What is measured.
    #[arg(long, value_name = "TEXT")]
    pub title: String,
    /// The target value.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub target: f64,
    /// Whether higher or lower readings are better.
    #[arg(long, value_enum)]
    pub direction: Better,
    /// How far from the target a reading may be and still count as on target.
    #[arg(long, value_name = "N", default_value_t = 0.0, allow_negative_numbers = true)]
    pub tolerance: f64,
    /// The unit of the readings (`%`, `referrals`).
    #[arg(long, value_name = "TEXT")]
    pub unit: Option<String>,
    /// The measure's key; default the first free of M1, M2, …
    #[arg(long, value_name = "KEY")]
    pub key: Option<Key>,
    /// Who adds the measure.
    #[arg(long, value_name = "NAME")]
    pub by: String,
    /// The date it is added (YYYY-MM-DD or DD/MM/YYYY, day first); default today.
    #[arg(long, value_name = "DATE", value_parser = output::parse_date)]
    pub on: Option<NaiveDate>,
}

/// Flags of `ragplan reading`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  ragplan reading plan.json M1 --value 91.5 --on 30/06/2015 --by \"Performance analyst\"
  ragplan reading plan.json M1 --value 96 --on 2015-09-30 --note \"Q2 audit\" --by \"Analyst\"

The reading is added to the measure in date order and recorded in the plan's
change log on its date.

Exit codes: 0 recorded; 2 bad usage, a plan that cannot be read, an unknown measure
(with the nearest keys), or a value that is not a number.")]
pub struct ReadingArgs {
    /// The plan (a ragplan JSON document), written back in place.
    pub plan: PathBuf,
    /// The measure's key, such as M1.
    pub measure: Key,
    /// The value read.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub value: f64,
    /// A note on the reading.
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    /// Who took the reading.
    #[arg(long, value_name = "NAME")]
    pub by: String,
    /// When the value was taken (YYYY-MM-DD or DD/MM/YYYY, day first); default today.
    #[arg(long, value_name = "DATE", value_parser = output::parse_date)]
    pub on: Option<NaiveDate>,
}

/// Runs `ragplan measure`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let MeasureCommand::Add(args) = args.command;
    load::change_plan(&args.plan.clone(), |plan| {
        let key = args.key.unwrap_or_else(|| plan.next_measure_key());
        let measure = Measure {
            key: key.clone(),
            title: args.title,
            unit: args.unit.filter(|u| !u.trim().is_empty()),
            target: args.target,
            direction: match args.direction {
                Better::Higher => Direction::HigherIsBetter,
                Better::Lower => Direction::LowerIsBetter,
            },
            tolerance: args.tolerance,
            readings: Vec::new(),
        };
        let on = output::as_of_or_today(args.on);
        plan.add_measure(&args.under, measure, &args.by, on)?;
        Ok(format!("added measure {key} to {} on {}", args.under, ragplan_core::uk_date(on)))
    })
}

/// Runs `ragplan reading`.
pub fn run_reading(args: ReadingArgs) -> anyhow::Result<ExitCode> {
    load::change_plan(&args.plan.clone(), |plan| {
        let on = output::as_of_or_today(args.on);
        let note = args.note.filter(|n| !n.trim().is_empty());
        plan.add_reading(&args.measure, Reading { on, value: args.value, note }, &args.by)?;
        Ok(format!("recorded a reading of {} on {}", args.measure, ragplan_core::uk_date(on)))
    })
}
