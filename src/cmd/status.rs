//! `ragplan status`: the assessed plan as a tree, the assessment document, or one CSV
//! row per action.

use std::fmt::Write;

use anyhow::Context as _;
use std::path::PathBuf;
use std::process::ExitCode;

use std::io::IsTerminal as _;

use chrono::NaiveDate;
use ragplan_core::document::{JsonStyle, write_assessment};
use ragplan_core::{
    Action, Dimension, LintCode, NodeRating, Rating, RatingCounts, Ratings, uk_date,
};
use ragplan_report::content::actions_text;
use ragplan_report::{Portfolio, Summary};

use super::as_read;
use crate::output::printable;
use crate::{load, output};

/// Flags of `ragplan status`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  ragplan status examples/plans/coventry-cse-delivery-plan.tsv --as-of 2015-06-30
  ragplan status plan.json --only red,amber --depth 2
  ragplan status plan.json --owner \"Mandie Watson\"
  ragplan status plan.json --format json > assessment.json
  ragplan status big.tsv --summary
  ragplan status big.tsv --summary --format json > summary.json
  ragplan status plan.json --format csv --policy majority.json > actions.csv
  ragplan status plan.json --format csv --bom > actions-for-excel.csv
  ragplan status coventry.json warwickshire.json solihull.json --portfolio
  ragplan status plans/ --portfolio --tag west-midlands --format json

The tree shows each rating as a shape and a word (■ RED, ▲ AMBER, ● GREEN,
✓ COMPLETE, ○ NOT RATED), coloured on a terminal; NO_COLOR turns colour off.
--owner, --partner, --only and --depth shape the tree only: --format json and csv
always print the whole plan, and refuse them. --format json is written as it is
walked: indented on a terminal, compact when piped (--pretty, --compact choose).
--summary prints the plan's and objectives' ratings, the data gaps and each kind of
exception counted, the first 10 of each named: for plans too big to read whole.
--portfolio rates several plans together (files, or folders whose .json plans are
read in name order): each plan's ratings and counts, the worst actions across them
with their reasons, and the plans rolled up by the policy's plan rule; --tag keeps
the plans with that tag.

Exit codes: 0 success; 2 bad usage or a plan that cannot be read.")]
pub struct Args {
    /// The plan: a ragplan JSON document, or any source `ragplan import` reads
    /// (`-` for standard input); with --portfolio, several, or folders of them.
    #[arg(required = true, num_args = 1.., value_name = "PLAN")]
    pub plans: Vec<PathBuf>,
    /// Rate the plans given together: each plan's ratings, the worst actions across
    /// them and their roll-up (tree or json).
    #[arg(long)]
    pub portfolio: bool,
    /// --portfolio only: only the plans with this tag (whole, any case).
    #[arg(long, value_name = "TAG", requires = "portfolio")]
    pub tag: Option<String>,
    /// Rate the plan as of this date (YYYY-MM-DD or DD/MM/YYYY, day first); default today.
    #[arg(long, value_name = "DATE", value_parser = output::parse_date)]
    pub as_of: Option<NaiveDate>,
    /// The roll-up policy (JSON); default: worse of reported and derived, worst-of
    /// roll-up.
    #[arg(long, value_name = "POLICY.json")]
    pub policy: Option<PathBuf>,
    /// What to print.
    #[arg(long, value_enum, default_value_t = Format::Tree)]
    pub format: Format,
    /// Tree only: show only actions whose Accountable or Responsibility is found by
    /// NAME (whole words, any case: "mandie" finds "Mandie Watson"), with their
    /// parents.
    #[arg(long, value_name = "NAME")]
    pub owner: Option<String>,
    /// Tree only: show only actions whose Partners involved include one found by NAME
    /// (whole words, any case), with their parents.
    #[arg(long, value_name = "NAME")]
    pub partner: Option<String>,
    /// Tree only: show only nodes rated one of these (comma-separated: red, amber,
    /// green, complete, not_rated, amber_red, amber_green), with their parents.
    #[arg(long, value_name = "RATINGS", value_delimiter = ',', value_parser = parse_rating)]
    pub only: Vec<Rating>,
    /// Tree only: show nodes down to this depth (1 objectives, 2 sub-objectives, 3
    /// actions).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub depth: Option<u32>,
    /// csv only: begin with a UTF-8 byte-order mark, which Excel on Windows needs to
    /// read £ and curly quotes.
    #[arg(long)]
    pub bom: bool,
    /// The plan and objectives with their ratings, the data gaps and the exceptions
    /// counted (the first 10 of each kind named), instead of every node: tree or
    /// json.
    #[arg(long)]
    pub summary: bool,
    /// json only: no whitespace between tokens (the default when standard output is
    /// not a terminal).
    #[arg(long, conflicts_with = "pretty")]
    pub compact: bool,
    /// json only: indented, one value a line (the default on a terminal).
    #[arg(long)]
    pub pretty: bool,
    /// Limits on a source imported on the fly.
    #[command(flatten)]
    pub limits: load::LimitArgs,
}

/// What `ragplan status` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The indented tree with ratings, owners, due dates and reasons.
    Tree,
    /// The `ragplan-assessment/2` document.
    Json,
    /// One row per action.
    Csv,
}

/// The plan files `paths` name: each file, and each folder's `.json` files in name
/// order.
fn portfolio_files(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut inside: Vec<PathBuf> = std::fs::read_dir(path)
                .with_context(|| format!("{}: cannot read the folder", path.display()))?
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| {
                    p.is_file() && p.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"))
                })
                .collect();
            inside.sort();
            if inside.is_empty() {
                anyhow::bail!(
                    "{}: the folder holds no .json plan (name source files themselves to import \
                     them on the fly)",
                    path.display()
                );
            }
            files.extend(inside);
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

/// How many of a portfolio's worst actions the tree shows.
const WORST_SHOWN: usize = 10;

/// `ragplan status --portfolio`.
fn run_portfolio(args: &Args, style: JsonStyle) -> anyhow::Result<ExitCode> {
    let limits = args.limits.limits();
    let mut plans = Vec::new();
    for file in portfolio_files(&args.plans)? {
        let loaded = load::load_plan(&file, &limits)?;
        if loaded.plan.kept_by_tag(args.tag.as_deref()) {
            plans.push(loaded.plan);
        }
    }
    if plans.is_empty() {
        let tag = args.tag.as_deref().unwrap_or_default();
        anyhow::bail!("no plan given has the tag {tag:?}");
    }
    let policy = load::load_policy(args.policy.as_deref())?;
    let as_of = output::as_of_or_today(args.as_of);
    // Each plan as it stood on the date: an update or override recorded later is
    // not yet known then.
    let stood: Vec<_> = plans.into_iter().map(|p| p.into_as_it_stood(as_of)).collect();
    let ratings: Vec<Ratings<'_>> = stood.iter().map(|p| p.rate(&policy)).collect();
    let portfolio = Portfolio::build(&ratings, &policy, as_of);
    match args.format {
        Format::Json => output::write_json(&portfolio, style)?,
        _ => output::print_stdout(&render_portfolio(&portfolio))?,
    }
    Ok(ExitCode::SUCCESS)
}

/// The portfolio as text: the roll-up with its reasons, a line per plan, then the
/// worst actions.
fn render_portfolio(p: &Portfolio) -> String {
    let mut out = String::new();
    let n = p.plans.len();
    let _ = writeln!(
        out,
        "Portfolio of {n} plan{} — as of {}",
        if n == 1 { "" } else { "s" },
        p.as_of_text
    );
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{}the {n} plan{} together (outcome {}) — {}: {}",
        output::chip_cell(p.rollup.delivery.rating),
        if n == 1 { "" } else { "s" },
        output::chip(p.rollup.outcome.rating),
        actions_text(u64::from(p.rollup.actions.total)),
        p.rollup.actions.text()
    );
    for reason in &p.rollup.reasons {
        let _ = writeln!(out, "  {}", printable(reason));
    }
    let _ = writeln!(out);
    for plan in &p.plans {
        let tags = if plan.tags.is_empty() {
            String::new()
        } else {
            format!(" [{}]", printable(&plan.tags.join(", ")))
        };
        let _ = writeln!(
            out,
            "{}{}  {}{tags} — {}",
            output::chip_cell(plan.delivery.rating),
            printable(&plan.id),
            printable(&plan.title),
            plan.counts.text()
        );
        if needs_reasons(plan.delivery.rating) {
            for reason in &plan.reasons {
                let _ = writeln!(out, "    {}", printable(reason));
            }
        }
    }
    if !p.worst.is_empty() {
        let _ = writeln!(out);
        let shown = p.worst.len().min(WORST_SHOWN);
        let _ = if p.n_worst == 1 {
            writeln!(out, "The one action across the plans rated Red, Amber/Red or Amber:")
        } else if shown as u32 == p.n_worst {
            writeln!(
                out,
                "Worst actions across the plans, all {shown} rated Red, Amber/Red or Amber:"
            )
        } else {
            writeln!(
                out,
                "Worst actions across the plans, the first {shown} of {} rated Red, Amber/Red or \
                 Amber (--format json lists the first {}):",
                p.n_worst,
                Portfolio::WORST
            )
        };
        for a in p.worst.iter().take(WORST_SHOWN) {
            let _ = writeln!(
                out,
                "  {}{} {}  {}",
                output::chip_cell(a.rating.rating),
                printable(&a.plan_id),
                printable(&a.key),
                printable(&a.title)
            );
            let _ = writeln!(out, "      {}", printable(&a.reason));
        }
    }
    out
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
    if args.bom && args.format != Format::Csv {
        anyhow::bail!("--bom is for --format csv, which Excel reads");
    }
    if (args.compact || args.pretty) && args.format != Format::Json {
        anyhow::bail!("--compact and --pretty lay out --format json");
    }
    if args.summary && (filtered || args.format == Format::Csv) {
        anyhow::bail!(
            "--summary is the plan and its objectives, as a tree or json; --owner, --partner, \
             --only, --depth and --format csv show actions"
        );
    }
    let style = if args.compact || (!args.pretty && !std::io::stdout().is_terminal()) {
        JsonStyle::Compact
    } else {
        JsonStyle::Pretty
    };
    if args.portfolio {
        if filtered || args.summary || args.format == Format::Csv {
            anyhow::bail!(
                "--portfolio shows plans and their worst actions, as a tree or json; \
                 --owner, --partner, --only, --depth, --summary and --format csv show one plan"
            );
        }
        return run_portfolio(&args, style);
    }
    let [plan] = args.plans.as_slice() else {
        anyhow::bail!(
            "{} plans given: rate one at a time, or several together with --portfolio",
            args.plans.len()
        );
    };
    if plan.is_dir() {
        anyhow::bail!(
            "{}: is a directory, not a plan file; to rate the plans in it together: \
             ragplan status {} --portfolio",
            plan.display(),
            plan.display()
        );
    }
    if args.summary
        && let Some(read) = summary_as_read(plan, &args)
    {
        load::print_on_the_fly(plan, &read.diagnostics);
        let summary = &read.summary;
        match args.format {
            Format::Json => output::write_json(summary, style)?,
            _ => {
                let counts = summary.headline.delivery.counts.by_rating;
                let text = render_summary(summary, summary.as_of, &counts, read.n_left_out);
                output::print_stdout(&text)?;
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    let loaded = load::load_plan(plan, &args.limits.limits())?;
    let policy = load::load_policy(args.policy.as_deref())?;
    let as_of = output::as_of_or_today(args.as_of);
    // The plan as it stood on the date, as a report of it rates it: an update or
    // override recorded later is not yet known then.
    let stood = loaded.plan.into_as_it_stood(as_of);
    let ratings = stood.rate(&policy);
    match args.format {
        Format::Tree if args.summary => {
            let (counts, n_left_out) = delivery_counts(&ratings);
            let summary = Summary::build(&ratings);
            let text = render_summary(&summary, ratings.as_of(), &counts, n_left_out);
            output::print_stdout(&text)?;
        }
        Format::Json if args.summary => {
            output::write_json(&Summary::build(&ratings), style)?;
        }
        Format::Tree => {
            let filter = Filter {
                owner: args.owner,
                partner: args.partner,
                only: args.only,
                depth: args.depth,
            };
            let mut out = output::TextOut::new();
            write_tree(&mut out, &ratings, &filter);
            out.finish()?;
        }
        Format::Json => output::write_data(|out| write_assessment(&ratings, out, style))?,
        Format::Csv => {
            let bom = if args.bom { ragplan_report::csv::BOM } else { "" };
            output::write_data(|out| {
                out.write_all(bom.as_bytes())?;
                ragplan_report::actions_csv_to(&ratings, out)
            })?;
        }
    }
    // Two nodes sharing a key are each rated, but no change can be placed on them.
    for lint in ratings.lints().filter(|l| l.code == LintCode::DuplicateKey) {
        output::print_stderr(&format!(
            "{lint}; each is rated above, but `ragplan update` and `ragplan override` refuse \
             the key until each node has its own"
        ));
    }
    output::exit_without_freeing(ratings);
    output::exit_without_freeing(stood);
    Ok(ExitCode::SUCCESS)
}

/// The summary of the table `path` rated as it is read ([`as_read`]), where that
/// gives what importing it whole would; `None` otherwise, and for a file that is not
/// a table or cannot be read, whose errors importing it whole tells.
fn summary_as_read(path: &std::path::Path, args: &Args) -> Option<as_read::AsRead> {
    let meta = std::fs::metadata(path).ok().filter(std::fs::Metadata::is_file)?;
    let limits = args.limits.limits();
    limits.check_input_len(meta.len()).ok()?;
    // A policy that cannot be read is told after the plan, as importing it does.
    let policy = load::load_policy(args.policy.as_deref()).ok()?;
    let as_of = output::as_of_or_today(args.as_of);
    let file = std::fs::File::open(path).ok()?;
    let options = load::import_options(path, &limits);
    as_read::summarise(file, &options, &policy, as_of, as_read::Cuts::STATUS)
}

/// Which nodes the tree shows.
#[derive(Debug, Default)]
struct Filter {
    /// Who holds the action ([`Action::is_held_by`]).
    owner: Option<String>,
    /// A partner the action involves ([`Action::involves`]).
    partner: Option<String>,
    /// Delivery ratings to show.
    only: Vec<Rating>,
    /// Deepest level shown (1 objectives).
    depth: Option<u32>,
}

impl Filter {
    /// Whether `node` itself passes every filter that applies to it; owners and
    /// partners are found by core's one rule.
    fn matches(&self, node: &NodeRating<'_, '_>) -> bool {
        let rating_ok =
            self.only.is_empty() || self.only.contains(&node.rating(Dimension::Delivery));
        let action = node.action();
        let owner_ok =
            self.owner.as_deref().is_none_or(|q| action.is_some_and(|a| a.is_held_by(q)));
        let partner_ok =
            self.partner.as_deref().is_none_or(|q| action.is_some_and(|a| a.involves(q)));
        rating_ok && owner_ok && partner_ok
    }
}

/// Whether a rating gets its reasons printed under it.
fn needs_reasons(rating: Rating) -> bool {
    matches!(rating, Rating::Red | Rating::AmberRed | Rating::Amber)
}

/// The tree: a heading stating the as-of date, the plan line, one line per node, the
/// reasons under Red and Amber nodes (and under other parents the notes that qualify
/// their rating), and the counts of actions.
///
/// Every node is read from `ratings` by its place in the plan, its owner and due date
/// from the same node's action: two actions that share a key each show their own.
fn write_tree(out: &mut impl Write, ratings: &Ratings<'_>, filter: &Filter) {
    let whole = ratings.whole();
    let as_of = uk_date(ratings.as_of());
    let _ = writeln!(out, "{} — as of {as_of}", printable(whole.title()));
    let _ = writeln!(out);
    // What the plan does not say, before any rating that rests on it.
    let (n_counted, gaps) = ragplan_report::data_gaps(ratings);
    write_gaps(out, n_counted, &gaps);
    let mut scratch = String::new();
    let _ = write_node(out, &whole, "plan", 0, &mut scratch);

    let nodes: Vec<NodeRating<'_, '_>> = ratings.nodes().collect();
    let mut shown = shown_nodes(&nodes, filter);
    for (node, shown) in nodes.iter().zip(&mut shown) {
        // Depth 1 for an objective, as `--depth` counts.
        let depth = node.plan_node().map_or(0, |at| at.depth + 1);
        *shown &= depth > 0 && filter.depth.is_none_or(|max| depth <= max as usize);
    }
    if write_nodes(out, &nodes, &shown).is_err() {
        return;
    }

    let (counts, n_left_out) = delivery_counts(ratings);
    write_counts(out, ratings.as_of(), &counts, n_left_out);
}

/// How many nodes' lines are made at a time when a tree is made by two threads.
const TREE_BLOCK: usize = 4096;

/// Writes the lines of the `shown` nodes, in order. A large tree's lines are made
/// by two threads, block by block, each block written when its turn comes: the
/// bytes are one thread's, in about half the time on two cores. A writer that fails
/// (a closed pipe) stops both.
fn write_nodes(
    out: &mut impl Write,
    nodes: &[NodeRating<'_, '_>],
    shown: &[bool],
) -> std::fmt::Result {
    let n_blocks = nodes.len().div_ceil(TREE_BLOCK);
    if n_blocks < 4 {
        return write_range(out, nodes, shown, 0..nodes.len(), &mut String::new());
    }
    ragplan_core::blocks::make_in_order(
        n_blocks,
        |b, text: &mut String| {
            let start = b * TREE_BLOCK;
            let range = start..(start + TREE_BLOCK).min(nodes.len());
            write_range(text, nodes, shown, range, &mut String::new())
        },
        |text| out.write_str(text),
    )
}

/// Writes the lines of the shown nodes in `range`.
fn write_range(
    out: &mut impl Write,
    nodes: &[NodeRating<'_, '_>],
    shown: &[bool],
    range: std::ops::Range<usize>,
    scratch: &mut String,
) -> std::fmt::Result {
    for (node, _) in nodes[range.clone()].iter().zip(&shown[range]).filter(|(_, s)| **s) {
        if let Some(at) = node.plan_node() {
            write_node(out, node, at.key().as_str(), at.depth + 1, scratch)?;
        }
    }
    Ok(())
}

/// The summary: the heading, the data gaps, the plan and each objective with the
/// reasons under Red and Amber, each kind of exception counted with its first few
/// named, and the counts of actions.
pub(super) fn render_summary(
    summary: &Summary,
    as_of: NaiveDate,
    counts: &RatingCounts,
    n_left_out: usize,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} — as of {}", printable(&summary.plan.title), summary.as_of_text);
    let _ = writeln!(out);
    write_gaps(&mut out, summary.headline.actions, &summary.headline.gaps);
    let lines =
        std::iter::once(("plan", summary.plan.title.as_str(), &summary.headline.delivery, 0))
            .chain(
                summary
                    .objectives
                    .iter()
                    .map(|o| (o.key.as_str(), o.title.as_str(), &o.delivery, 1)),
            );
    for (label, title, delivery, depth) in lines {
        let indent = "  ".repeat(depth);
        let rating = delivery.rating.rating;
        let _ = writeln!(
            out,
            "{indent}{}{label}  {} — {}",
            output::chip_cell(rating),
            printable(title),
            delivery.counts.text()
        );
        // A summary says why for Not rated too: the plan's and objectives' reasons
        // name what lies beneath them. Under a better rating, the notes after its
        // first reason qualify it.
        let skip = usize::from(!(needs_reasons(rating) || rating == Rating::NotRated));
        for reason in delivery.reasons.iter().skip(skip) {
            let _ = writeln!(out, "{indent}  {}", printable(reason));
        }
    }
    let groups: Vec<_> = summary.exceptions.iter().filter(|g| g.count > 0).collect();
    if !groups.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "Exceptions, each kind counted, the first {} named (--format json gives each \
             one's reason):",
            Summary::ITEMS_PER_KIND
        );
        for group in groups {
            let _ = writeln!(out, "  {}: {}", group.heading, group.count);
            for item in group.items.iter() {
                let rating = output::chip_cell(item.rating.rating);
                let _ = writeln!(
                    out,
                    "    {rating}{}  {}",
                    item.key,
                    printable(&shortened(&item.title, 72))
                );
            }
            let more = group.count as usize - group.items.len();
            if more > 0 {
                let _ = writeln!(out, "    … and {more} more");
            }
        }
    }
    write_counts(&mut out, as_of, counts, n_left_out);
    out
}

/// `text` cut to at most `max` characters at a word boundary, with `…` when cut.
fn shortened(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head).trim_end();
    format!("{cut}…")
}

/// The line of data gaps that opens the tree and the summary, when there are any.
fn write_gaps(out: &mut impl Write, n_counted: u32, gaps: &[ragplan_report::content::Gap]) {
    if !gaps.is_empty() {
        let gaps: Vec<String> = gaps.iter().map(|g| format!("{} {}", g.count, g.text)).collect();
        let _ =
            writeln!(out, "Of the {}: {}.", actions_text(u64::from(n_counted)), gaps.join("; "));
        let _ = writeln!(out);
    }
}

/// The plan's actions by delivery rating, and how many are cancelled or removed.
pub(super) fn delivery_counts(ratings: &Ratings<'_>) -> (RatingCounts, usize) {
    let counts = ratings.whole().counts(Dimension::Delivery);
    (counts, ratings.actions().filter(NodeRating::is_left_out).count())
}

/// The counts of actions by delivery rating that close the tree and the summary,
/// with how many are left out as cancelled or removed.
fn write_counts(out: &mut impl Write, as_of: NaiveDate, counts: &RatingCounts, n_left_out: usize) {
    let as_of = uk_date(as_of);
    let parts: Vec<String> = Rating::ALL
        .iter()
        .filter(|r| counts.get(**r) > 0)
        .map(|r| format!("{} {}", counts.get(*r), r.label().to_lowercase()))
        .collect();
    let left_out = if n_left_out > 0 {
        format!(" ({n_left_out} cancelled or removed, not counted)")
    } else {
        String::new()
    };
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{} rated for delivery as of {as_of}{left_out}: {}",
        actions_text(u64::from(counts.total())),
        if parts.is_empty() { "none".to_owned() } else { parts.join(", ") }
    );
    if counts.unreported > 0 {
        let verb = if counts.unreported == 1 { "has" } else { "have" };
        let _ = writeln!(
            out,
            "{} of {} {verb} no reported rating.",
            counts.unreported,
            actions_text(u64::from(counts.total()))
        );
    }
}

/// For each of `nodes` (depth-first plan order), whether the tree shows it: it, or a
/// node below it, passes the filter.
fn shown_nodes(nodes: &[NodeRating<'_, '_>], filter: &Filter) -> Vec<bool> {
    let mut shown = vec![false; nodes.len()];
    // The indices of the current node's ancestors, by depth.
    let mut ancestors: Vec<usize> = Vec::new();
    for (i, node) in nodes.iter().enumerate() {
        let depth = node.plan_node().map_or(0, |at| at.depth);
        ancestors.truncate(depth);
        if filter.matches(node) {
            shown[i] = true;
            for &a in &ancestors {
                shown[a] = true;
            }
        }
        ancestors.push(i);
    }
    shown
}

/// Writes one node's line, indented to `depth` and labelled `label` (its key, or
/// `plan`), then its delivery reasons when it is Red or Amber; an error once `out`
/// takes no more (standard output closed), so that the tree stops being written.
fn write_node(
    out: &mut impl Write,
    node: &NodeRating<'_, '_>,
    label: &str,
    depth: usize,
    scratch: &mut String,
) -> std::fmt::Result {
    // Written piece by piece: a tree of a million lines makes no string per line.
    let rating = node.rating(Dimension::Delivery);
    write_indent(out, depth)?;
    out.write_str(output::chip_cell(rating))?;
    out.write_str(label)?;
    out.write_str("  ")?;
    out.write_str(&printable(node.title()))?;
    if let Some(action) = node.action() {
        out.write_str(" — ")?;
        write_owner(out, action)?;
        out.write_str(" · ")?;
        write_due(out, action)?;
    }
    let flags = node.flags();
    for (i, flag) in flags.iter().enumerate() {
        out.write_str(if i == 0 { " [" } else { ", " })?;
        out.write_str(flag.label())?;
    }
    out.write_str(if flags.is_empty() { "\n" } else { "]\n" })?;
    // Under a parent with a better rating, the notes after its first reason qualify
    // it: the actions left out as not rated, a reported rating that differs.
    let notes = !needs_reasons(rating) && node.action().is_none();
    if needs_reasons(rating) || notes {
        for reason in node.reasons(Dimension::Delivery).into_iter().skip(usize::from(notes)) {
            scratch.clear();
            let _ = write!(scratch, "{reason}");
            write_indent(out, depth + 1)?;
            out.write_str(&printable(scratch))?;
            out.write_str("\n")?;
        }
    }
    Ok(())
}

/// Two spaces for each level of `depth`.
fn write_indent(out: &mut impl Write, depth: usize) -> std::fmt::Result {
    const SPACES: &str = "                                ";
    let mut left = 2 * depth;
    while left > 0 {
        let n = left.min(SPACES.len());
        out.write_str(&SPACES[..n])?;
        left -= n;
    }
    Ok(())
}

/// Who holds an action: its Accountable owners, else its Responsibility, said to be
/// that (`Jayne Hutchings (responsible)`), as no one is accountable.
fn write_owner(out: &mut impl Write, action: &Action) -> std::fmt::Result {
    let responsible_only = action.accountable.is_empty();
    let owners = if responsible_only { &action.responsible } else { &action.accountable };
    if owners.is_empty() {
        return out.write_str("no owner");
    }
    for (i, owner) in owners.iter().enumerate() {
        if i > 0 {
            out.write_str(", ")?;
        }
        out.write_str(&printable(&owner.name))?;
    }
    if responsible_only {
        out.write_str(" (responsible)")?;
    }
    Ok(())
}

/// When an action is due: its due date, else its timescale as written.
fn write_due(out: &mut impl Write, action: &Action) -> std::fmt::Result {
    match action.timescale.due {
        Some(due) => write!(out, "due {}", uk_date(due)),
        None if action.timescale.is_missing() => out.write_str("no timescale"),
        None => out.write_str(&printable(&action.timescale.text)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lines of every node of a synthetic plan of `n` actions, with its ratings.
    fn with_nodes(n: usize, check: impl FnOnce(&[NodeRating<'_, '_>], &[bool])) {
        let plan = ragplan_core::generate::synthetic_plan(n, 20, 3);
        let policy = ragplan_core::Policy::default();
        let as_of = NaiveDate::from_ymd_opt(2015, 6, 30).unwrap();
        let ratings = ragplan_core::rate(&plan, &policy, as_of);
        let nodes: Vec<NodeRating<'_, '_>> = ratings.nodes().collect();
        let shown: Vec<bool> = (0..nodes.len()).map(|i| i % 7 != 3).collect();
        check(&nodes, &shown);
    }

    #[test]
    fn a_tree_made_by_two_threads_is_the_one_made_by_one() {
        with_nodes(30_000, |nodes, shown| {
            assert!(nodes.len() >= 4 * TREE_BLOCK, "{} nodes", nodes.len());
            let mut two = String::new();
            write_nodes(&mut two, nodes, shown).unwrap();
            let mut one = String::new();
            write_range(&mut one, nodes, shown, 0..nodes.len(), &mut String::new()).unwrap();
            assert_eq!(two, one);
            assert!(two.lines().count() > nodes.len() / 2);
        });
    }

    /// A writer that takes `left` bytes, then fails, as a closed pipe does.
    struct Closing {
        left: usize,
    }

    impl Write for Closing {
        fn write_str(&mut self, text: &str) -> std::fmt::Result {
            self.left = self.left.checked_sub(text.len()).ok_or(std::fmt::Error)?;
            Ok(())
        }
    }

    #[test]
    fn a_writer_that_fails_stops_both_threads() {
        with_nodes(30_000, |nodes, shown| {
            let mut out = Closing { left: 3 << 20 };
            assert!(write_nodes(&mut out, nodes, shown).is_err());
        });
    }
}
