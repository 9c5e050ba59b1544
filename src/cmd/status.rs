//! `ragplan status`: the assessed plan as a tree, the assessment document, or one CSV
//! row per action.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use ragplan_core::{Action, Assessment, Key, NodeAssessment, NodeKind, Plan, Rating};

use crate::{load, output};

/// Flags of `ragplan status`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  ragplan status examples/plans/coventry-cse-delivery-plan.tsv --as-of 2015-06-30
  ragplan status plan.json --only red,amber --depth 2
  ragplan status plan.json --owner \"Mandie Watson\"
  ragplan status plan.json --format json > assessment.json
  ragplan status plan.json --format csv --policy majority.json > actions.csv

The tree shows each rating as a shape and a word (■ RED, ▲ AMBER, ● GREEN,
✓ COMPLETE, ○ NOT RATED), coloured on a terminal; NO_COLOR turns colour off.

Exit codes: 0 success; 2 bad usage or a plan that cannot be read.")]
pub struct Args {
    /// The plan: a ragplan/1 JSON document, or any source `ragplan import` reads
    /// (`-` for standard input).
    pub plan: PathBuf,
    /// Rate the plan as of this date (YYYY-MM-DD); default today.
    #[arg(long, value_name = "DATE", value_parser = output::parse_date)]
    pub as_of: Option<NaiveDate>,
    /// The roll-up policy (JSON); default: worse of reported and derived, worst-of
    /// roll-up.
    #[arg(long, value_name = "POLICY.json")]
    pub policy: Option<PathBuf>,
    /// What to print.
    #[arg(long, value_enum, default_value_t = Format::Tree)]
    pub format: Format,
    /// Show only actions whose Accountable or Responsibility includes NAME (any part,
    /// any case), with their parents.
    #[arg(long, value_name = "NAME")]
    pub owner: Option<String>,
    /// Show only actions whose Partners involved include NAME (any part, any case),
    /// with their parents.
    #[arg(long, value_name = "NAME")]
    pub partner: Option<String>,
    /// Show only nodes rated one of these (comma-separated: red, amber, green,
    /// complete, not_rated, amber_red, amber_green), with their parents.
    #[arg(long, value_name = "RATINGS", value_delimiter = ',', value_parser = parse_rating)]
    pub only: Vec<Rating>,
    /// Show nodes down to this depth (1 objectives, 2 sub-objectives, 3 actions).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub depth: Option<u32>,
}

/// What `ragplan status` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The indented tree with ratings, owners, due dates and reasons.
    Tree,
    /// The `ragplan-assessment/1` document.
    Json,
    /// One row per action.
    Csv,
}

/// A rating named in `--only`.
fn parse_rating(text: &str) -> Result<Rating, String> {
    text.parse::<Rating>().map_err(|e| e.to_string())
}

/// Runs `ragplan status`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let filtered = args.owner.is_some()
        || args.partner.is_some()
        || !args.only.is_empty()
        || args.depth.is_some();
    if filtered && args.format != Format::Tree {
        anyhow::bail!(
            "--owner, --partner, --only and --depth shape the tree; --format json and csv \
             print the whole plan"
        );
    }
    let loaded = load::load_plan(&args.plan)?;
    let policy = load::load_policy(args.policy.as_deref())?;
    let as_of = output::as_of_or_today(args.as_of);
    let assessment = ragplan_core::assess(&loaded.plan, &policy, as_of);
    let text = match args.format {
        Format::Tree => {
            let filter = Filter {
                owner: args.owner.map(|s| s.to_lowercase()),
                partner: args.partner.map(|s| s.to_lowercase()),
                only: args.only,
                depth: args.depth,
            };
            render_tree(&loaded.plan, &assessment, &filter)
        }
        Format::Json => assessment.to_json(),
        Format::Csv => {
            // The CSV has no room for the date: say it beside the data.
            output::print_stderr(&format!(
                "rated as of {}",
                ragplan_core::reason::uk_date(assessment.as_of)
            ));
            ragplan_report::actions_csv(&loaded.plan, &assessment)?
        }
    };
    if args.format == Format::Tree {
        output::print_stdout(&text)?
    } else {
        output::print_data(&text)?
    }
    Ok(ExitCode::SUCCESS)
}

/// Which nodes the tree shows.
#[derive(Debug, Default)]
struct Filter {
    /// Lower-cased part of an owner's name.
    owner: Option<String>,
    /// Lower-cased part of a partner's name.
    partner: Option<String>,
    /// Delivery ratings to show.
    only: Vec<Rating>,
    /// Deepest level shown (1 objectives).
    depth: Option<u32>,
}

impl Filter {
    /// Whether `node` itself passes every filter that applies to it.
    fn matches(&self, node: &NodeAssessment, action: Option<&Action>) -> bool {
        let rating_ok = self.only.is_empty() || self.only.contains(&node.delivery.rating);
        let has_part = |mut names: std::slice::Iter<'_, String>, part: &str| {
            names.any(|n| n.to_lowercase().contains(part))
        };
        let owner_ok = self.owner.as_deref().is_none_or(|part| {
            action.is_some_and(|a| {
                a.accountable
                    .iter()
                    .chain(&a.responsible)
                    .any(|o| o.name.to_lowercase().contains(part))
            })
        });
        let partner_ok = self
            .partner
            .as_deref()
            .is_none_or(|part| action.is_some_and(|a| has_part(a.partners.iter(), part)));
        rating_ok && owner_ok && partner_ok
    }
}

/// Whether a rating gets its reasons printed under it.
fn needs_reasons(rating: Rating) -> bool {
    matches!(rating, Rating::Red | Rating::AmberRed | Rating::Amber)
}

/// The tree: a heading stating the as-of date, the plan line, one line per node, the
/// reasons under Red and Amber nodes, and the counts of actions.
fn render_tree(plan: &Plan, assessment: &Assessment, filter: &Filter) -> String {
    let actions: HashMap<&Key, &Action> = plan.actions().map(|a| (&a.key, a)).collect();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} — as of {}",
        assessment.plan.title,
        ragplan_core::reason::uk_date(assessment.as_of)
    );
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{}plan  {}",
        output::chip_cell(assessment.delivery.rating),
        assessment.plan.title
    );
    if needs_reasons(assessment.delivery.rating) {
        for reason in &assessment.delivery.reasons {
            let _ = writeln!(out, "  {reason}");
        }
    }
    let mut ctx = TreeContext { actions: &actions, filter, out };
    for node in &assessment.nodes {
        ctx.node(node, 1);
    }
    let mut out = ctx.out;
    let counts = &assessment.delivery.counts;
    let parts: Vec<String> = Rating::ALL
        .iter()
        .filter(|r| counts.get(**r) > 0)
        .map(|r| format!("{} {}", counts.get(*r), r.label().to_lowercase()))
        .collect();
    let _ = writeln!(out);
    let n_left_out = plan.n_actions().saturating_sub(counts.total() as usize);
    let left_out = if n_left_out > 0 {
        format!(" ({n_left_out} cancelled or removed, not counted)")
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "{} actions rated for delivery as of {}{left_out}: {}",
        counts.total(),
        ragplan_core::reason::uk_date(assessment.as_of),
        if parts.is_empty() { "none".to_owned() } else { parts.join(", ") }
    );
    out
}

/// What the tree is drawn from and into.
struct TreeContext<'a> {
    actions: &'a HashMap<&'a Key, &'a Action>,
    filter: &'a Filter,
    out: String,
}

impl TreeContext<'_> {
    /// Whether `node` or anything below it passes the filter.
    fn shown(&self, node: &NodeAssessment) -> bool {
        let action = self.action(node);
        self.filter.matches(node, action) || node.children.iter().any(|c| self.shown(c))
    }

    fn action(&self, node: &NodeAssessment) -> Option<&Action> {
        if node.kind == NodeKind::Action { self.actions.get(&node.key).copied() } else { None }
    }

    /// Writes `node` at `depth` (1 for an objective) and its children.
    fn node(&mut self, node: &NodeAssessment, depth: u32) {
        if self.filter.depth.is_some_and(|max| depth > max) || !self.shown(node) {
            return;
        }
        let indent = "  ".repeat(depth as usize);
        let mut line = format!(
            "{indent}{}{}  {}",
            output::chip_cell(node.delivery.rating),
            node.key,
            node.title
        );
        if let Some(action) = self.action(node) {
            let _ = write!(line, " — {} · {}", owner_text(action), due_text(action));
        }
        if !node.flags.is_empty() {
            let flags: Vec<&str> = node.flags.iter().map(|f| f.label()).collect();
            let _ = write!(line, " [{}]", flags.join(", "));
        }
        let _ = writeln!(self.out, "{line}");
        if needs_reasons(node.delivery.rating) {
            for reason in &node.delivery.reasons {
                let _ = writeln!(self.out, "{indent}  {reason}");
            }
        }
        for child in &node.children {
            self.node(child, depth + 1);
        }
    }
}

/// Who holds an action: its Accountable owners, else its Responsibility.
fn owner_text(action: &Action) -> String {
    let names: Vec<&str> = if action.accountable.is_empty() {
        action.responsible.iter().map(|o| o.name.as_str()).collect()
    } else {
        action.accountable.iter().map(|o| o.name.as_str()).collect()
    };
    if names.is_empty() { "no owner".to_owned() } else { names.join(", ") }
}

/// When an action is due: its due date, else its timescale as written.
fn due_text(action: &Action) -> String {
    match action.timescale.due {
        Some(due) => format!("due {}", ragplan_core::reason::uk_date(due)),
        None if action.timescale.is_missing() => "no timescale".to_owned(),
        None => action.timescale.text.clone(),
    }
}
