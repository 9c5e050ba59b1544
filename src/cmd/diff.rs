//! `ragplan diff`: what moved between two versions of a plan.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use ragplan_core::{Change, Movement, Rating};

use crate::{load, output};

/// Flags of `ragplan diff`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  ragplan diff plan-march.json plan-june.json --as-of 2015-06-30
  ragplan diff plan-march.json plan-june.json --old-as-of 2015-03-31 --as-of 2015-06-30
  ragplan diff old.tsv new.tsv --format json

Both versions are rated under the same policy; OLD as of --old-as-of (default: the
same date as NEW). Nodes are matched by key. Each node is improved, worsened,
unchanged, rerated (to or from Not rated), completed, new or removed.

Exit codes: 0 success; 2 bad usage or a plan that cannot be read.")]
pub struct Args {
    /// The earlier version: a ragplan/1 JSON document or any source `ragplan import`
    /// reads.
    pub old: PathBuf,
    /// The later version.
    pub new: PathBuf,
    /// Rate NEW as of this date (YYYY-MM-DD); default today.
    #[arg(long, value_name = "DATE", value_parser = output::parse_date)]
    pub as_of: Option<NaiveDate>,
    /// Rate OLD as of this date; default the same as --as-of.
    #[arg(long, value_name = "DATE", value_parser = output::parse_date)]
    pub old_as_of: Option<NaiveDate>,
    /// The roll-up policy (JSON) for both; default the documented default.
    #[arg(long, value_name = "POLICY.json")]
    pub policy: Option<PathBuf>,
    /// How to print the movement.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
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
    let old = load::load_plan(&args.old)?;
    let new = load::load_plan(&args.new)?;
    let policy = load::load_policy(args.policy.as_deref())?;
    let as_of = output::as_of_or_today(args.as_of);
    let old_as_of = args.old_as_of.unwrap_or(as_of);
    let before = ragplan_core::assess(&old.plan, &policy, old_as_of);
    let after = ragplan_core::assess(&new.plan, &policy, as_of);
    let movement = ragplan_core::compare(&before, &after);
    let text = match args.format {
        Format::Text => render_text(&after.plan.title, &movement),
        Format::Json => ragplan_core::document::to_canonical_json(&movement),
    };
    match args.format {
        Format::Text => output::print_stdout(&text)?,
        Format::Json => output::print_data(&text)?,
    }
    Ok(ExitCode::SUCCESS)
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
        ragplan_core::reason::uk_date(movement.from),
        ragplan_core::reason::uk_date(movement.to)
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
