//! `ragplan update`: record a progress update against an action and write the plan
//! back atomically.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use ragplan_core::{Key, Rating, Status, Update};

use crate::{load, output};

/// Flags of `ragplan update`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  ragplan update plan.json 1.1.2 --rating amber --note \"Draft agreed by CMOG\" --by \"R Eaves\"
  ragplan update plan.json 1.1.2 --status complete --evidence \"Signed ISA, 12 June 2015\" \\
      --by \"R Eaves\" --on 2015-06-12
  ragplan update plan.json 2.3.1 --progress 60 --outcome-rating green --by \"Mandie Watson\"

The update is added to the action's log and the plan is written back through a
temporary file and a rename, so an interrupted write leaves the old plan whole.
PLAN must be a ragplan JSON document (make one with `ragplan import`).

Exit codes: 0 recorded; 2 bad usage, a plan that cannot be read, an unknown key, a
rating outside the plan's scale or a date before the action's last update. A refused
update lists every problem it has, each with its field.")]
#[command(group(clap::ArgGroup::new("what").required(true).multiple(true)
    .args(["rating", "outcome_rating", "status", "progress", "note", "evidence"])))]
pub struct Args {
    /// The plan (a ragplan JSON document), written back in place.
    pub plan: PathBuf,
    /// The action's key, such as 1.1.2.
    pub key: Key,
    /// The delivery rating (Action RAG): red, amber, green, complete, …
    #[arg(long, value_name = "R")]
    pub rating: Option<Rating>,
    /// The outcome rating (Outcome RAG).
    #[arg(long, value_name = "R")]
    pub outcome_rating: Option<Rating>,
    /// Where the action stands: not_started, in_progress, complete, cancelled, on_hold.
    #[arg(long, value_name = "S")]
    pub status: Option<Status>,
    /// Progress in percent (0–100).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(0..=100))]
    pub progress: Option<u8>,
    /// The progress note.
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    /// Evidence added with the update (minutes, a register, a published tool).
    #[arg(long, value_name = "TEXT")]
    pub evidence: Option<String>,
    /// Who reports the update.
    #[arg(long, value_name = "NAME")]
    pub by: String,
    /// The date of the update (YYYY-MM-DD or DD/MM/YYYY, day first); default today, and
    /// never after it.
    #[arg(long, value_name = "DATE", value_parser = output::parse_date)]
    pub on: Option<NaiveDate>,
}

/// Runs `ragplan update`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let on = output::as_of_or_today(args.on);
    let mut update = Update::new(on, args.by);
    update.delivery = args.rating;
    update.outcome = args.outcome_rating;
    update.status = args.status;
    update.progress = args.progress;
    update.note = args.note;
    update.evidence = args.evidence;
    load::change_plan(&args.plan, |plan| {
        let key = load::resolve_key(plan, &args.key, true);
        plan.record(&key, update, output::today())?;
        Ok(format!("recorded an update to {key} on {}", ragplan_core::uk_date(on)))
    })
}
