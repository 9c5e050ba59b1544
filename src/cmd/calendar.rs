//! `ragplan calendar`: the plan's due dates as an iCalendar file, for owners'
//! calendars (Outlook, Google Calendar, Apple Calendar).

use std::path::PathBuf;
use std::process::ExitCode;

use ragplan_report::calendar::{CalendarOptions, due_calendar};

use crate::{load, output};

/// Flags of `ragplan calendar`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  ragplan calendar plan.json -o due.ics
  ragplan calendar plan.json --owner \"Mandie Watson\" -o mandie-due.ics

One all-day event on each open action's due date (not complete, not cancelled,
still in the plan), marked free, not busy. Each event keeps its identity from one
calendar to the next (the plan's id and the action's key), so importing next
quarter's file updates the events already there instead of adding copies.

Exit codes: 0 written; 2 bad usage, a plan that cannot be read, or an --owner who
holds no action.")]
pub struct Args {
    /// The plan: a ragplan JSON document, or any source `ragplan import` reads.
    pub plan: PathBuf,
    /// Only the actions whose Accountable or Responsibility is found by NAME (whole
    /// words, any case: "mandie" finds "Mandie Watson").
    #[arg(long, value_name = "NAME")]
    pub owner: Option<String>,
    /// Write the calendar here (atomically) instead of standard output.
    #[arg(short, long, value_name = "FILE.ics")]
    pub output: Option<PathBuf>,
    /// Limits on a source imported on the fly.
    #[command(flatten)]
    pub limits: load::LimitArgs,
}

/// Runs `ragplan calendar`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    output::refuse_overwriting_inputs(args.output.as_deref(), &[&args.plan])?;
    let loaded = load::load_plan(&args.plan, &args.limits.limits())?;
    let mut options = CalendarOptions::default();
    options.owner = args.owner.clone();
    let calendar = due_calendar(&loaded.plan, &options, chrono::Utc::now());
    if let Some(name) = &args.owner
        && calendar.held == 0
    {
        anyhow::bail!(
            "--owner {name:?} finds no accountable or responsible owner in the plan (names \
             are matched by whole words, any case)"
        );
    }
    output::write_to(args.output.as_deref(), &calendar.ics)?;
    let mut left = Vec::new();
    for (n, what) in [
        (calendar.complete, "complete"),
        (calendar.left_out, "cancelled or removed"),
        (calendar.undated, "with no due date"),
    ] {
        if n > 0 {
            left.push(format!("{n} {what}"));
        }
    }
    let plural = if calendar.events == 1 { "" } else { "s" };
    let mut line = format!("{} due date{plural}", calendar.events);
    if !left.is_empty() {
        line.push_str(&format!("; left out: {}", left.join(", ")));
    }
    output::print_stderr(&line);
    output::exit_without_freeing(loaded);
    Ok(ExitCode::SUCCESS)
}
