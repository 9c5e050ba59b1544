//! `ragplan diff`: what moved between two versions of a plan.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::NaiveDate;
use ragplan_core::{Change, Movement, Policy, Rating, Snapshot, uk_date};

use crate::{load, output};

/// Flags of `ragplan diff`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  ragplan diff plan-march.json plan-june.json --as-of 2015-06-30
  ragplan diff plan-march.json plan-june.json --old-as-of 2015-03-31 --as-of 2015-06-30
  ragplan diff old.tsv new.tsv --format json
  ragplan diff assessment-march.json plan.json --as-of 2015-06-30

OLD and NEW are plans, or assessments saved by `ragplan status --format json`
(ragplan-assessment/2 or /1). Plans are rated under the same policy; OLD as of
--old-as-of (default: the same date as NEW). A saved assessment keeps the date and
policy it was rated with, so --as-of or --old-as-of cannot be given for it. Nodes
are matched by key. Each node is improved, worsened, unchanged, rerated (to or from
Not rated), completed, new or removed.

Exit codes: 0 success; 2 bad usage or a plan that cannot be read.")]
pub struct Args {
    /// The earlier version: a ragplan JSON document, any source `ragplan import`
    /// reads, or a saved assessment document.
    pub old: PathBuf,
    /// The later version.
    pub new: PathBuf,
    /// Rate NEW as of this date (YYYY-MM-DD or DD/MM/YYYY, day first); default today, or the date of a
    /// saved NEW.
    #[arg(long, value_name = "DATE", value_parser = output::parse_date)]
    pub as_of: Option<NaiveDate>,
    /// Rate OLD as of this date; default the same date as NEW.
    #[arg(long, value_name = "DATE", value_parser = output::parse_date)]
    pub old_as_of: Option<NaiveDate>,
    /// The roll-up policy (JSON) for both plans; default the documented default.
    #[arg(long, value_name = "POLICY.json")]
    pub policy: Option<PathBuf>,
    /// How to print the movement.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Limits on a source imported on the fly.
    #[command(flatten)]
    pub limits: load::LimitArgs,
}

/// How `ragplan diff` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Nodes grouped by how they moved.
    Text,
    /// The movement as JSON.
    Json,
}

/// Runs `ragplan diff`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let old = load::load_plan_or_saved(&args.old, &args.limits.limits())?;
    let new = load::load_plan_or_saved(&args.new, &args.limits.limits())?;
    let policy = load::load_policy(args.policy.as_deref())?;
    let (after, title) = side(new, args.as_of, "--as-of", &args.new, &policy, output::today)?;
    let (before, _) = side(old, args.old_as_of, "--old-as-of", &args.old, &policy, || after.as_of)?;
    let movement = ragplan_core::compare(&before, &after);
    match args.format {
        Format::Text => output::print_stdout(&render_text(&title, &movement))?,
        Format::Json => output::print_data(&ragplan_core::document::to_canonical_json(&movement))?,
    }
    Ok(ExitCode::SUCCESS)
}

/// One side of the comparison and its plan's title: a plan rated as of `as_of`
/// (`flag`; else `default_date()`), or a saved assessment as it was saved.
fn side(
    loaded: load::PlanOrSaved,
    as_of: Option<NaiveDate>,
    flag: &str,
    path: &Path,
    policy: &Policy,
    default_date: impl FnOnce() -> NaiveDate,
) -> anyhow::Result<(Snapshot, String)> {
    match loaded {
        load::PlanOrSaved::Plan(loaded) => {
            let date = as_of.unwrap_or_else(default_date);
            // The plan as it stood on the date: what was recorded later is left out.
            let title = loaded.plan.title.clone();
            let snapshot = Snapshot::from(&loaded.plan.into_as_it_stood(date).rate(policy));
            Ok((snapshot, title))
        }
        load::PlanOrSaved::Saved(saved) => {
            if let Some(date) = as_of {
                anyhow::bail!(
                    "{flag} {date} rates a plan, but {} is an assessment saved as of {}",
                    load::shown(path),
                    saved.snapshot.as_of
                );
            }
            Ok((saved.snapshot, saved.title))
        }
    }
}

/// A rating as its chip, `■ RED`, or `–` for none.
fn chip(rating: Option<Rating>) -> String {
    rating.map_or_else(|| "–".to_owned(), output::chip)
}

/// The groups of the text output, in the order they are printed.
const GROUPS: [(Change, &str); 6] = [
    (Change::Worsened, "Worsened"),
    (Change::Improved, "Improved"),
    (Change::Completed, "Completed"),
    (Change::New, "New"),
    (Change::Removed, "Removed"),
    (Change::Rerated, "Rerated (to or from Not rated)"),
];

/// The movement as text: the plan's move, then nodes grouped by how their delivery
/// rating moved, then how many did not move.
fn render_text(title: &str, movement: &Movement) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{title} — movement from {} to {}",
        uk_date(movement.from),
        uk_date(movement.to)
    );
    let _ = writeln!(
        out,
        "Plan delivery: {} → {} ({})",
        chip(movement.delivery.previous),
        chip(movement.delivery.current),
        movement.delivery.change
    );
    for (change, heading) in GROUPS {
        let nodes: Vec<_> = movement.with_change(change).collect();
        if nodes.is_empty() {
            continue;
        }
        let _ = writeln!(out);
        let _ = writeln!(out, "{heading} ({})", nodes.len());
        for node in nodes {
            let _ = writeln!(
                out,
                "  {} {}  {}: {} → {}",
                node.kind.label(),
                node.key,
                node.title,
                chip(node.delivery.previous),
                chip(node.delivery.current)
            );
        }
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "Unchanged: {}", movement.count(Change::Unchanged));
    out
}
