//! `ragplan override`: record a professional judgement that replaces an action's
//! computed rating, with who, when and why, and write the plan back atomically.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use ragplan_core::{Key, Override, Rating};

use crate::{load, output};

/// Flags of `ragplan override`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  ragplan override plan.json 1.1.2 --rating amber --by \"LSCB Chair\" \\
      --justification \"Police intelligence shows the risk is not yet reduced\"
  ragplan override plan.json 3.2.1 --rating green --by Chair --on 2015-06-30 \\
      --justification \"Delivered through the MASH; minutes of 24 June 2015\"

An override stands over the computed rating and is shown as an override with its
justification. A justification is required: record why the rating differs.

Exit codes: 0 recorded; 2 bad usage (such as no justification), a plan that cannot
be read, an unknown key or a rating outside the plan's scale. A refused override
lists every problem it has, each with its field.")]
pub struct Args {
    /// The plan (a ragplan/1 JSON document), written back in place.
    pub plan: PathBuf,
    /// The action's key, such as 1.1.2.
    pub key: Key,
    /// The rating that stands.
    #[arg(long, value_name = "R")]
    pub rating: Rating,
    /// Who makes the judgement.
    #[arg(long, value_name = "NAME")]
    pub by: String,
    /// Why: the recorded professional judgement.
    #[arg(long, value_name = "TEXT")]
    pub justification: String,
    /// The date of the judgement (YYYY-MM-DD); default today.
    #[arg(long, value_name = "DATE", value_parser = output::parse_date)]
    pub on: Option<NaiveDate>,
}

/// Runs `ragplan override`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let on = output::as_of_or_today(args.on);
    let judgement =
        Override { rating: args.rating, by: args.by, on, justification: args.justification };
    let mut plan = load::load_plan_document(&args.plan)?;
    plan.set_override(&args.key, judgement)
        .map_err(|e| anyhow::anyhow!("{}: {e}", args.plan.display()))?;
    output::write_atomic(&args.plan, plan.to_json().as_bytes())?;
    output::print_stderr(&format!(
        "recorded an override of {} as {} on {} in {}",
        args.key,
        args.rating,
        ragplan_core::uk_date(on),
        args.plan.display()
    ));
    Ok(ExitCode::SUCCESS)
}
