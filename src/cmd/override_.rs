//! `ragplan override`: record a professional judgement that replaces a node's
//! computed rating, with who, when and why, or withdraw the one in force; either is
//! added to the node's record (nothing is deleted) and the plan is written back
//! atomically.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use ragplan_core::{Key, Override, Rating, Withdrawal};

use crate::{load, output};

/// Flags of `ragplan override`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  ragplan override plan.json 1.1.2 --rating amber --by \"LSCB Chair\" \\
      --justification \"Police intelligence shows the risk is not yet reduced\"
  ragplan override plan.json 3.2 --rating green --by Chair --on 2015-06-30 \\
      --justification \"Delivered through the MASH; minutes of 24 June 2015\"
  ragplan override plan.json --whole-plan --rating amber --by Chair \\
      --justification \"Board's judgement at its June meeting\"
  ragplan override plan.json 1.1.2 --withdraw --by \"LSCB Chair\" --on 2015-08-01 \\
      --justification \"The agreement is signed; the computed rating stands\"

An override stands over the computed rating of an action, sub-objective, objective
or the whole plan, from its date, and is shown with its justification. Every
override is kept: a later one replaces it from its own date, and a withdrawal ends
it from the withdrawal's date, so a report for an earlier quarter still shows the
judgement that stood then. A justification is required for both.

Exit codes: 0 recorded; 2 bad usage (such as no justification), a plan that cannot
be read, an unknown or shared key, a rating outside the plan's scale, or nothing to
withdraw. A refused change lists every problem it has, each with its field.")]
pub struct Args {
    /// The plan (a ragplan JSON document), written back in place.
    pub plan: PathBuf,
    /// The node's key, such as 1.1.2 (an action) or 1.2 (a sub-objective).
    #[arg(required_unless_present = "whole_plan", conflicts_with = "whole_plan")]
    pub key: Option<Key>,
    /// Override the rating of the plan itself instead of one node.
    #[arg(long)]
    pub whole_plan: bool,
    /// The rating that stands.
    #[arg(long, value_name = "R", required_unless_present = "withdraw")]
    pub rating: Option<Rating>,
    /// Withdraw the override in force on the date instead of making one.
    #[arg(long, conflicts_with = "rating")]
    pub withdraw: bool,
    /// Who makes (or withdraws) the judgement.
    #[arg(long, value_name = "NAME")]
    pub by: String,
    /// Why: the recorded professional judgement, or why it is withdrawn.
    #[arg(long, value_name = "TEXT")]
    pub justification: String,
    /// The date (YYYY-MM-DD or DD/MM/YYYY, day first); default today.
    #[arg(long, value_name = "DATE", value_parser = output::parse_date)]
    pub on: Option<NaiveDate>,
}

/// Runs `ragplan override`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let on = output::as_of_or_today(args.on);
    load::change_plan(&args.plan, |plan| {
        let key = args.key.as_ref().map(|given| load::resolve_key(plan, given, false));
        let whose = match &key {
            Some(key) => key.to_string(),
            None => "the plan".to_owned(),
        };
        let done = match args.rating {
            Some(rating) if !args.withdraw => {
                let judgement = Override {
                    rating,
                    by: args.by,
                    on,
                    justification: args.justification,
                    withdrawn: None,
                };
                match &key {
                    Some(key) => plan.set_override(key, judgement),
                    None => plan.set_plan_override(judgement),
                }?;
                format!("recorded an override of {whose} as {rating}")
            }
            _ => {
                let withdrawal = Withdrawal { by: args.by, on, justification: args.justification };
                match &key {
                    Some(key) => plan.withdraw_override(key, withdrawal),
                    None => plan.withdraw_plan_override(withdrawal),
                }?;
                format!("withdrew the override of {whose}")
            }
        };
        Ok(format!("{done} on {}", ragplan_core::uk_date(on)))
    })
}
