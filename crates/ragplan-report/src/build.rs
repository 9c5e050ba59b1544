//! Gathering a [`Report`] from a plan's [`Ratings`] and optionally the [`Snapshot`]
//! of the previous report.
//!
//! Every row, exception, holder and table reads its node's ratings, counts, flags,
//! reasons and notes from [`Ratings`] by the node's [`Place`], walking
//! [`Ratings::nodes`] or [`Ratings::actions`]; nothing is looked up by key, so two
//! nodes that share a key keep their own details. The plan gives what ratings do not
//! (owners, partners, timescales, status, update notes). Nothing here rates anything:
//! "due next quarter", "stale", holder grouping, "as it stood" and movement are
//! `ragplan-core`'s, called from here.

use std::cell::OnceCell;
use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDate;
use ragplan_core::{
    Action, Change, Dimension, FinancialQuarter, Flag, Lint, LintCode, Node, NodeKind, NodeRating,
    Place, PlanRollup, Rating, RatingCounts, Ratings, Reason, Snapshot, compare, holder_key,
    uk_date,
};

use crate::chip::Chip;
use crate::content::{
    ActionRow, ActionRows, Counts, DimensionView, Exception, ExceptionGroup, ExceptionKind, Gap,
    Headline, HolderSummary, MovedNode, MovementSection, ObjectiveSection, ObjectiveSummary,
    PlanInfo, REPORT_FORMAT, Report, SUMMARY_FORMAT, Summary, TableRow, TrendPoint,
};

/// How many quarters the trend goes back at most (two financial years).
pub const MAX_TREND_QUARTERS: usize = 8;

/// Choices for [`Report::build`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReportOptions {
    /// The report's title; the plan's title when none.
    pub title: Option<String>,
    /// Whether to chart the trend by quarter from the plan's update log (the plan as
    /// it stood at the end of each earlier quarter, rated then; at most
    /// [`MAX_TREND_QUARTERS`]).
    pub trend: bool,
    /// Whether to list every action in [`Report::actions`]. The CSV, the workbook and
    /// the JSON show that list ([`crate::Format::lists_actions`]); the Word paper and
    /// the shipped Markdown and HTML do not, and a council's template may
    /// ([`crate::template::reads_field`]), so a report only rendered by those can
    /// leave it empty.
    pub action_rows: bool,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions { title: None, trend: true, action_rows: true }
    }
}

/// `date` as a reader writes it: `"30 June 2015"`.
fn date_text(date: NaiveDate) -> String {
    uk_date(date).to_string()
}

/// A node's rating, counts and reasons on one dimension.
fn dimension(node: &NodeRating<'_, '_>, d: Dimension) -> DimensionView {
    DimensionView {
        rating: node.rating(d).into(),
        counts: (&node.counts(d)).into(),
        reasons: node.reasons(d).iter().map(ToString::to_string).collect(),
    }
}

fn names<T: ToString>(items: &[T]) -> Vec<String> {
    items.iter().map(|i| i.to_string().trim().to_owned()).filter(|n| !n.is_empty()).collect()
}

fn key_text(node: &NodeRating<'_, '_>) -> String {
    node.key().map(ToString::to_string).unwrap_or_default()
}

fn flag_words(node: &NodeRating<'_, '_>) -> Vec<String> {
    node.flags().iter().map(|f| f.label().to_owned()).collect()
}

/// The titles of an action's objective and, when it has one, sub-objective: read
/// from its parent's place, and the parent's parent.
fn ancestry(ratings: &Ratings<'_>, action: &NodeRating<'_, '_>) -> (String, Option<String>) {
    let title = |place: Place| ratings.node(place).map(|n| n.title().to_owned());
    let Some(parent) = action.plan_node().map(|at| at.parent) else {
        return (String::new(), None);
    };
    match parent {
        Place::SubObjective(_) => {
            let objective = ratings.node(parent).and_then(|s| s.plan_node()).map(|s| s.parent);
            (objective.and_then(title).unwrap_or_default(), title(parent))
        }
        _ => (title(parent).unwrap_or_default(), None),
    }
}

fn action_row(ratings: &Ratings<'_>, node: &NodeRating<'_, '_>) -> ActionRow {
    let action = node.action();
    let (objective, sub_objective) = ancestry(ratings, node);
    ActionRow {
        key: key_text(node),
        objective,
        sub_objective,
        title: node.title().to_owned(),
        delivery: node.rating(Dimension::Delivery).into(),
        outcome: node.rating(Dimension::Outcome).into(),
        status: action.and_then(|a| a.status).map(|s| s.label().to_owned()).unwrap_or_default(),
        accountable: action.map(|a| names(&a.accountable)).unwrap_or_default(),
        responsible: action.map(|a| names(&a.responsible)).unwrap_or_default(),
        partners: action.map(|a| names(&a.partners)).unwrap_or_default(),
        timescale: action.map(|a| a.timescale.text.clone()).unwrap_or_default(),
        due: action.and_then(|a| a.timescale.due),
        flags: flag_words(node),
        reason: first_reason(&node.reasons(Dimension::Delivery)),
        latest_note: action.and_then(Action::latest_note).map(str::to_owned),
    }
}

/// One row per action of `ratings`, in plan order, with the details its plan holds:
/// the rows of the actions CSV and of the spreadsheet's Actions sheet.
pub fn action_rows(ratings: &Ratings<'_>) -> Vec<ActionRow> {
    rows_of(ratings).collect()
}

/// [`action_rows`], each row made as it is reached: what [`ActionRows::iter`], the
/// CSV and the spreadsheet's Actions sheet read.
pub(crate) fn rows_of<'r>(ratings: &'r Ratings<'_>) -> impl Iterator<Item = ActionRow> + 'r {
    ratings.actions().map(move |node| action_row(ratings, &node))
}

/// The one-row-per-action CSV of a rated plan: the plan's id and the as-of date (on
/// every row, so that quarters append into one table), key, the titles of its objective and
/// sub-objective, the action's title, delivery and outcome ratings (as words), status,
/// accountable, responsible, partners, timescale, due date, flags, the first reason for
/// the delivery rating, and the latest update note. The columns are
/// [`crate::csv::ACTIONS_CSV_HEADER`]. This is also what `ragplan status --format csv`
/// writes. A text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage
/// return is written with a `'` before it, so that a spreadsheet does not run it as
/// a formula ([`crate::csv::text_cell`]); the dates are written as they are.
///
/// # Errors
/// [`crate::ReportError::Csv`] if the CSV writer fails (it writes to memory, so it does
/// not in practice).
///
/// # Example
/// ```
/// use chrono::NaiveDate;
/// use ragplan_core::{Policy, generate::synthetic_plan, rate};
/// let plan = synthetic_plan(3, 1, 1);
/// let policy = Policy::default();
/// let ratings = rate(&plan, &policy, NaiveDate::from_ymd_opt(2015, 6, 30).unwrap());
/// let csv = ragplan_report::actions_csv(&ratings)?;
/// assert!(csv.starts_with("plan_id,as_of,key,objective,sub_objective,action,delivery,"));
/// assert_eq!(csv.lines().count(), 1 + 3);
/// # Ok::<(), ragplan_report::ReportError>(())
/// ```
pub fn actions_csv(ratings: &Ratings<'_>) -> crate::Result<String> {
    let mut bytes = Vec::new();
    actions_csv_to(ratings, &mut bytes).map_err(|e| crate::ReportError::Csv(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| crate::ReportError::Csv(e.to_string()))
}

/// [`actions_csv`] streamed into `out`, each row made as it is written: what
/// `ragplan report -o actions.csv` writes for a plan of any size without holding
/// its rows.
///
/// # Errors
/// When `out` cannot be written.
pub fn actions_csv_to(ratings: &Ratings<'_>, out: impl std::io::Write) -> std::io::Result<()> {
    crate::csv::write_actions_csv_to(
        ratings.plan().id.as_str(),
        ratings.as_of(),
        rows_of(ratings),
        out,
    )
}

fn table_row(node: &NodeRating<'_, '_>) -> TableRow {
    let join = |v: Vec<String>| v.join("; ");
    let action = node.action();
    TableRow {
        kind: node.kind().map_or("", |k| k.as_str()),
        key: key_text(node),
        title: node.title().to_owned(),
        delivery: node.rating(Dimension::Delivery).into(),
        outcome: node.rating(Dimension::Outcome).into(),
        status: action.and_then(|a| a.status).map(|s| s.label().to_owned()).unwrap_or_default(),
        accountable: join(action.map(|a| names(&a.accountable)).unwrap_or_default()),
        responsible: join(action.map(|a| names(&a.responsible)).unwrap_or_default()),
        partners: join(action.map(|a| names(&a.partners)).unwrap_or_default()),
        timescale: action.map(|a| a.timescale.text.clone()).unwrap_or_default(),
        latest_note: action.and_then(Action::latest_note).map(str::to_owned).unwrap_or_default(),
        flags: flag_words(node),
    }
}

/// One section per objective, each with its rows in plan order: the walk meets an
/// objective, then every node below it, before the next objective.
fn objective_sections(ratings: &Ratings<'_>) -> Vec<ObjectiveSection> {
    let mut sections: Vec<(ObjectiveSection, Vec<TableRow>)> = Vec::new();
    for node in ratings.nodes() {
        let Some(at) = node.plan_node() else { continue };
        match at.node {
            Node::Objective(objective) => sections.push((
                ObjectiveSection {
                    key: objective.key.to_string(),
                    title: objective.title.clone(),
                    strand: objective.strand.clone(),
                    delivery: dimension(&node, Dimension::Delivery),
                    outcome: dimension(&node, Dimension::Outcome),
                    rows: Arc::default(),
                },
                Vec::new(),
            )),
            Node::SubObjective(_) | Node::Action(_) => {
                if let Some((_, rows)) = sections.last_mut() {
                    rows.push(table_row(&node));
                }
            }
        }
    }
    sections
        .into_iter()
        .map(|(section, rows)| ObjectiveSection { rows: rows.into(), ..section })
        .collect()
}

fn exception(node: &NodeRating<'_, '_>, reason: String) -> Exception {
    Exception {
        key: key_text(node),
        title: node.title().to_owned(),
        rating: node.rating(Dimension::Delivery).into(),
        reason,
    }
}

/// `text` with a capital first letter.
pub(crate) fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// `text` as a sentence: a capital first letter and a final full stop.
fn sentence(text: &str) -> String {
    let mut out = capitalised(text.trim());
    if !out.is_empty() && !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

fn first_reason(reasons: &[Reason<'_>]) -> String {
    reasons.first().map(ToString::to_string).unwrap_or_default()
}

/// The first reason for `node`'s delivery rating, as a sentence.
pub(crate) fn first_reason_of(node: &NodeRating<'_, '_>) -> String {
    first_reason(&node.reasons(Dimension::Delivery))
}

/// The sentence of the first of `reasons` matching `wanted`, else of the first reason
/// of `fallback`.
fn sentence_of(
    reasons: &[Reason<'_>],
    wanted: impl Fn(&Reason<'_>) -> bool,
    fallback: &[Reason<'_>],
) -> String {
    reasons.iter().find(|r| wanted(r)).map_or_else(|| first_reason(fallback), ToString::to_string)
}

/// The exceptions of one kind each, in [`ExceptionKind::ALL`] order: every one
/// counted, the first `keep` of each kind written out.
#[derive(Debug)]
struct Groups {
    /// Each kind's group, and the items written so far.
    groups: Vec<(ExceptionGroup, Vec<Exception>)>,
    keep: usize,
}

impl Groups {
    fn new(keep: usize) -> Groups {
        let groups = ExceptionKind::ALL
            .into_iter()
            .map(|kind| {
                let group = ExceptionGroup {
                    kind,
                    heading: kind.heading(),
                    anchor: kind.anchor(),
                    count: 0,
                    items: Arc::default(),
                };
                (group, Vec::new())
            })
            .collect();
        Groups { groups, keep }
    }

    /// Counts the exceptions of `later`, a later part of the plan, after these: its
    /// items are written while fewer than `keep` of their kind are.
    fn append(&mut self, later: Groups) {
        for ((group, items), (theirs, their_items)) in self.groups.iter_mut().zip(later.groups) {
            group.count += theirs.count;
            let room = self.keep.saturating_sub(items.len());
            items.extend(their_items.into_iter().take(room));
        }
    }

    /// The groups, each with the items written.
    fn finish(self) -> Vec<ExceptionGroup> {
        self.groups
            .into_iter()
            .map(|(group, items)| ExceptionGroup { items: items.into(), ..group })
            .collect()
    }

    /// Counts one exception of `kind`, and writes it (`item`) while fewer than `keep`
    /// of the kind are written.
    fn push_with(&mut self, kind: ExceptionKind, item: impl FnOnce() -> Exception) {
        if let Some((group, items)) = self.groups.iter_mut().find(|(g, _)| g.kind == kind) {
            group.count += 1;
            if items.len() < self.keep {
                items.push(item());
            }
        }
    }

    /// Counts `node` as an exception of `kind`, listed with the sentence `why`.
    fn push(
        &mut self,
        kind: ExceptionKind,
        node: &NodeRating<'_, '_>,
        why: impl FnOnce() -> String,
    ) {
        self.push_with(kind, || exception(node, why()));
    }
}

/// An action's exceptions: Red, overdue, due next quarter (the engine's flag and
/// note) and no recent update — stale (the engine's reason, or its note when the
/// policy does not lower stale actions) or never updated (its note). Cancelled and
/// removed actions have none.
fn action_exceptions(node: &NodeRating<'_, '_>, groups: &mut Groups) {
    let red = node.rating(Dimension::Delivery) == Rating::Red;
    let flagged =
        [Flag::Overdue, Flag::DueNextQuarter, Flag::Stale, Flag::NeverUpdated, Flag::Unreported]
            .into_iter()
            .any(|f| node.has(f));
    if node.is_left_out() || !(red || flagged) {
        return;
    }
    // Made only for an exception that is written, not for one only counted.
    let (reasons, notes) = (OnceCell::new(), OnceCell::new());
    let reasons = || reasons.get_or_init(|| node.reasons(Dimension::Delivery)).as_slice();
    let notes = || notes.get_or_init(|| node.notes()).as_slice();
    if red {
        groups.push(ExceptionKind::Red, node, || first_reason(reasons()));
    }
    if node.has(Flag::Overdue) {
        let why = || sentence_of(reasons(), |r| matches!(r, Reason::Overdue { .. }), reasons());
        groups.push(ExceptionKind::Overdue, node, why);
    }
    if node.has(Flag::DueNextQuarter) {
        let due = |r: &Reason<'_>| matches!(r, Reason::DueNextQuarter { .. });
        groups.push(ExceptionKind::DueNextQuarter, node, || sentence_of(notes(), due, reasons()));
    }
    if node.has(Flag::Stale) || node.has(Flag::NeverUpdated) {
        let stale = |r: &Reason<'_>| {
            matches!(
                r,
                Reason::Stale { .. } | Reason::NotUpdated { .. } | Reason::NeverUpdated { .. }
            )
        };
        let why = || {
            reasons()
                .iter()
                .chain(notes())
                .find(|r| stale(r))
                .map_or_else(|| first_reason(reasons()), ToString::to_string)
        };
        groups.push(ExceptionKind::Stale, node, why);
    }
    if node.has(Flag::Unreported) {
        let unreported =
            |r: &Reason<'_>| matches!(r, Reason::Unreported { .. } | Reason::NotReported { .. });
        groups.push(ExceptionKind::NoReportedRating, node, || {
            sentence_of(reasons(), unreported, reasons())
        });
    }
}

/// What a rated plan does not say of its actions, as the report's headline gives it:
/// the actions counted, and how many of them have no reported rating, no accountable
/// owner, no update ever, or none lately ([`Gap`]s, only those some action has). The
/// tree of `ragplan status` opens with them too.
pub fn data_gaps(ratings: &Ratings<'_>) -> (u32, Vec<Gap>) {
    gaps(ratings, &exceptions(ratings, 0))
}

/// [`data_gaps`], each linked to its list among `exceptions`.
fn gaps(ratings: &Ratings<'_>, exceptions: &[ExceptionGroup]) -> (u32, Vec<Gap>) {
    let mut counts = GapCounts::default();
    counts.add(ratings);
    counts.gaps(exceptions)
}

/// The counted actions of one or more rated plans, and how many of them lack a
/// reported rating, were never updated or have no recent update.
#[derive(Debug, Clone, Copy, Default)]
struct GapCounts {
    counted: u32,
    unreported: u32,
    never_updated: u32,
    stale: u32,
}

impl GapCounts {
    /// Counts the actions of `ratings`, in one pass holding none of them.
    fn add(&mut self, ratings: &Ratings<'_>) {
        for node in ratings.actions().filter(|n| !n.is_left_out()) {
            self.counted += 1;
            self.unreported += u32::from(node.has(Flag::Unreported));
            self.never_updated += u32::from(node.has(Flag::NeverUpdated));
            self.stale += u32::from(node.has(Flag::Stale));
        }
    }

    /// Counts `later`'s actions too.
    fn append(&mut self, later: GapCounts) {
        self.counted += later.counted;
        self.unreported += later.unreported;
        self.never_updated += later.never_updated;
        self.stale += later.stale;
    }

    /// The gaps some action has, each linked to its list among `exceptions` (which
    /// also counts those with no accountable owner).
    fn gaps(&self, exceptions: &[ExceptionGroup]) -> (u32, Vec<Gap>) {
        let listed =
            |kind: ExceptionKind| exceptions.iter().find(|g| g.kind == kind).map_or(0, |g| g.count);
        let stale = ExceptionKind::Stale.anchor();
        let found = [
            (
                self.unreported,
                ("has no reported rating", "have no reported rating"),
                ExceptionKind::NoReportedRating.anchor(),
            ),
            (
                listed(ExceptionKind::NoAccountableOwner),
                ("has no accountable owner", "have no accountable owner"),
                ExceptionKind::NoAccountableOwner.anchor(),
            ),
            (self.never_updated, ("was never updated", "were never updated"), stale.clone()),
            (self.stale, ("has no recent update", "have no recent update"), stale),
        ];
        let gaps = found
            .into_iter()
            .filter(|(count, _, _)| *count > 0)
            .map(|(count, (one, many), anchor)| Gap {
                count,
                text: if count == 1 { one } else { many },
                anchor,
            })
            .collect();
        (self.counted, gaps)
    }
}

/// A lint as an exception on the node at its place; a lint with no place (a
/// plan-wide one) is listed by its key alone.
fn lint_exception(ratings: &Ratings<'_>, lint: &Lint) -> Exception {
    let reason = sentence(&lint.message);
    match lint.place.and_then(|place| ratings.node(place)) {
        Some(node) => exception(&node, reason),
        None => Exception {
            key: lint.key.as_ref().map(ToString::to_string).unwrap_or_default(),
            title: String::new(),
            rating: Rating::NotRated.into(),
            reason,
        },
    }
}

/// A node's divergent and overridden exceptions.
fn node_exceptions(node: &NodeRating<'_, '_>, groups: &mut Groups) {
    if node.has(Flag::Divergent) {
        let delivery = node.reasons(Dimension::Delivery);
        let divergent = |reasons: &[Reason<'_>]| {
            reasons.iter().find(|r| matches!(r, Reason::Divergent { .. })).map(ToString::to_string)
        };
        let mut sentences: Vec<String> = Vec::new();
        if let Some(r) = divergent(&delivery) {
            sentences.push(format!("Delivery: {r}"));
        }
        if let Some(r) = divergent(&node.reasons(Dimension::Outcome)) {
            sentences.push(format!("Outcome: {r}"));
        }
        if sentences.is_empty() {
            sentences.push(first_reason(&delivery));
        }
        groups.push(ExceptionKind::Divergent, node, || sentences.join(" "));
    }
    if node.has(Flag::Overridden) {
        let reasons = node.reasons(Dimension::Delivery);
        let why = || sentence_of(&reasons, |r| matches!(r, Reason::Overridden { .. }), &reasons);
        groups.push(ExceptionKind::Override, node, why);
    }
}

/// The exceptions of `ratings`, every one counted and the first `keep` of each kind
/// listed.
fn exceptions(ratings: &Ratings<'_>, keep: usize) -> Vec<ExceptionGroup> {
    exception_groups(ratings, keep).finish()
}

/// [`exceptions`], not yet finished.
fn exception_groups(ratings: &Ratings<'_>, keep: usize) -> Groups {
    let mut groups = Groups::new(keep);
    for node in ratings.actions() {
        action_exceptions(&node, &mut groups);
    }
    for lint in ratings.lints() {
        let kind = match lint.code {
            LintCode::NoAccountableOwner => ExceptionKind::NoAccountableOwner,
            LintCode::GreenWithoutEvidence => ExceptionKind::GreenWithoutEvidence,
            _ => continue,
        };
        groups.push_with(kind, || lint_exception(ratings, &lint));
    }
    for node in ratings.nodes() {
        node_exceptions(&node, &mut groups);
    }
    groups
}

/// What each holder named by `names_of` holds, grouped by [`holder_key`] and shown
/// by the name as first written, in the order of their keys. Cancelled and removed
/// actions are left out, as they are from counts.
fn holders(ratings: &Ratings<'_>, names_of: impl Fn(&Action) -> Vec<String>) -> Vec<HolderSummary> {
    let mut by_holder: BTreeMap<String, HolderSummary> = BTreeMap::new();
    for node in ratings.actions().filter(|n| !n.is_left_out()) {
        let Some(action) = node.action() else { continue };
        let rating = node.rating(Dimension::Delivery);
        let key = key_text(&node);
        let mut seen: Vec<String> = Vec::new();
        for name in names_of(action) {
            let holder = holder_key(&name);
            if holder.is_empty() || seen.contains(&holder) {
                continue;
            }
            seen.push(holder.clone());
            let entry = by_holder.entry(holder).or_insert_with(|| HolderSummary {
                name,
                counts: Counts::default(),
                worst: Rating::NotRated.into(),
                keys: Vec::new(),
                red_keys: Vec::new(),
            });
            entry.counts.add(rating);
            entry.worst = Chip::from(entry.worst.rating.worse(rating));
            entry.keys.push(key.clone());
            if rating == Rating::Red {
                entry.red_keys.push(key.clone());
            }
        }
    }
    by_holder.into_values().collect()
}

fn moved(node: &ragplan_core::NodeMovement) -> MovedNode {
    MovedNode {
        key: node.key.to_string(),
        kind: node.kind.as_str().to_owned(),
        title: node.title.clone(),
        from: node.delivery.previous.map(Chip::from),
        to: node.delivery.current.map(Chip::from),
    }
}

fn movement(previous: &Snapshot, current: &Ratings<'_>) -> MovementSection {
    let movement = compare(previous, &Snapshot::from(current));
    let list = |change: Change| movement.with_change(change).map(moved).collect::<Vec<_>>();
    MovementSection {
        previous_as_of: previous.as_of,
        improved: list(Change::Improved),
        worsened: list(Change::Worsened),
        new: list(Change::New),
        removed: list(Change::Removed),
        completed: list(Change::Completed),
        rerated: list(Change::Rerated),
        n_unchanged: movement.count(Change::Unchanged),
        unchanged_text: kept_text(&movement),
    }
}

/// The nodes that kept their rating, counted by kind in words: `"30 actions and 4
/// objectives kept their rating."`, `"1 action kept its rating."`.
fn kept_text(movement: &ragplan_core::Movement) -> String {
    let kinds = [
        (NodeKind::Action, "action", "actions"),
        (NodeKind::SubObjective, "sub-objective", "sub-objectives"),
        (NodeKind::Objective, "objective", "objectives"),
    ];
    let words: Vec<String> = kinds
        .into_iter()
        .filter_map(|(kind, one, many)| {
            let n = movement.with_change(Change::Unchanged).filter(|m| m.kind == kind).count();
            (n > 0).then(|| format!("{n} {}", if n == 1 { one } else { many }))
        })
        .collect();
    let verb = if movement.count(Change::Unchanged) == 1 { "kept its" } else { "kept their" };
    match words.as_slice() {
        [] => "Nothing kept its rating.".to_owned(),
        [one] => format!("{one} {verb} rating."),
        [head @ .., last] => format!("{} and {last} {verb} rating.", head.join(", ")),
    }
}

/// Delivery counts at the end of each quarter from the first with an update to the
/// one holding the as-of date (at most [`MAX_TREND_QUARTERS`]); empty with fewer than
/// two. An earlier quarter's counts are the plan's as it stood at the quarter's end,
/// rated then under the same policy.
fn trend(current: &Ratings<'_>) -> Vec<TrendPoint> {
    let plan = current.plan();
    let first_update = plan.actions().flat_map(|a| a.updates.iter().map(|u| u.on)).min();
    let Some(first) = first_update else { return Vec::new() };
    let this_quarter = FinancialQuarter::of(current.as_of());
    let first_quarter = FinancialQuarter::of(first);
    let mut quarters = vec![this_quarter];
    let mut q = this_quarter;
    while q > first_quarter && quarters.len() < MAX_TREND_QUARTERS {
        q = q.previous();
        quarters.push(q);
    }
    if quarters.len() < 2 {
        return Vec::new();
    }
    let point = |q: FinancialQuarter, as_of, counts: &RatingCounts| TrendPoint {
        quarter: q.to_string(),
        as_of,
        counts: counts.into(),
    };
    // Latest first, so that one copy of the plan is rewound quarter by quarter.
    let mut points =
        vec![point(this_quarter, current.as_of(), &current.whole().counts(Dimension::Delivery))];
    let earlier = &quarters[1..];
    plan.each_as_it_stood(earlier.iter().map(|q| q.end()), |then| {
        let counts = then.rate(current.policy()).whole().counts(Dimension::Delivery);
        points.push(point(FinancialQuarter::of(then.date()), then.date(), &counts));
    });
    points.reverse();
    points
}

impl Summary {
    /// How many exceptions of each kind a summary names; it counts them all.
    pub const ITEMS_PER_KIND: usize = 10;

    /// The summary of the plan `ratings` rates: one pass over its actions and nodes
    /// for the exceptions, which are counted in full and written out only for the
    /// first [`Summary::ITEMS_PER_KIND`] of each kind.
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// use ragplan_core::{Policy, generate::synthetic_plan, rate};
    /// use ragplan_report::Summary;
    ///
    /// let plan = synthetic_plan(500, 5, 7);
    /// let policy = Policy::default();
    /// let ratings = rate(&plan, &policy, NaiveDate::from_ymd_opt(2015, 6, 30).unwrap());
    /// let summary = Summary::build(&ratings);
    /// assert_eq!(summary.objectives.len(), plan.objectives.len());
    /// assert!(summary.exceptions.iter().all(|g| g.items.len() <= Summary::ITEMS_PER_KIND));
    /// ```
    pub fn build(ratings: &Ratings<'_>) -> Summary {
        Summary::gather(ratings, worth_two_threads(ratings))
    }

    /// [`Summary::build`], on two threads when `two`.
    fn gather(ratings: &Ratings<'_>, two: bool) -> Summary {
        let mut parts = SummaryParts::default();
        parts.add_with(ratings, two);
        parts.finish()
    }
}

/// A [`Summary`] gathered part by part: each [`SummaryParts::add`] gives the
/// [`Ratings`] of a plan holding the next objectives of one plan (in plan order,
/// rated under one policy as of one date), which can then be dropped; the summary
/// of the plan holding them all is [`SummaryParts::finish`]. Its objectives are the
/// parts' in order; each kind of exception is counted across the parts and its
/// first items are the earliest parts'; the plan's ratings and reasons are rolled up
/// from the objectives by [`PlanRollup`]. [`Summary::build`] is one part.
///
/// # Example
/// ```
/// use chrono::NaiveDate;
/// use ragplan_core::{Policy, generate::synthetic_plan, rate};
/// use ragplan_report::{Summary, SummaryParts};
///
/// let plan = synthetic_plan(60, 6, 3);
/// let policy = Policy::default();
/// let as_of = NaiveDate::from_ymd_opt(2015, 6, 30).unwrap();
/// let mut parts = SummaryParts::default();
/// for half in [0..3, 3..6] {
///     let mut part = plan.clone();
///     part.objectives = plan.objectives[half].to_vec();
///     parts.add(&rate(&part, &policy, as_of));
/// }
/// assert_eq!(parts.finish(), Summary::build(&rate(&plan, &policy, as_of)));
/// ```
#[derive(Debug, Default)]
pub struct SummaryParts {
    /// The first part's plan, date and policy in words.
    first: Option<(PlanInfo, NaiveDate, String)>,
    n_actions: usize,
    n_left_out: usize,
    objectives: Vec<ObjectiveSummary>,
    groups: Option<Groups>,
    gaps: GapCounts,
    rollup: PlanRollup,
}

impl SummaryParts {
    /// Adds the objectives `ratings` rates, after those added before.
    pub fn add(&mut self, ratings: &Ratings<'_>) {
        self.add_with(ratings, worth_two_threads(ratings));
    }

    /// [`SummaryParts::add`], the exceptions and the objectives gathered on two
    /// threads when `two`.
    fn add_with(&mut self, ratings: &Ratings<'_>, two: bool) {
        let listed = || {
            let groups = exception_groups(ratings, Summary::ITEMS_PER_KIND);
            let mut gaps = GapCounts::default();
            gaps.add(ratings);
            (groups, gaps)
        };
        let objectives = || {
            ratings
                .nodes()
                .filter_map(|node| match node.plan_node()?.node {
                    Node::Objective(objective) => Some(ObjectiveSummary {
                        key: objective.key.to_string(),
                        title: objective.title.clone(),
                        delivery: dimension(&node, Dimension::Delivery),
                        outcome: dimension(&node, Dimension::Outcome),
                    }),
                    _ => None,
                })
                .collect::<Vec<_>>()
        };
        // The exceptions and the objectives' reasons each read every action: a large
        // plan's are gathered on two threads.
        let ((groups, gaps), objectives) = if two {
            std::thread::scope(|scope| {
                let listing = scope.spawn(listed);
                let objectives = objectives();
                let listed =
                    listing.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                (listed, objectives)
            })
        } else {
            (listed(), objectives())
        };
        let info = plan_info(ratings);
        self.n_actions += info.n_actions;
        self.n_left_out += ratings.actions().filter(NodeRating::is_left_out).count();
        if self.first.is_none() {
            self.first = Some((info, ratings.as_of(), ratings.policy().describe()));
        }
        self.objectives.extend(objectives);
        match &mut self.groups {
            Some(earlier) => earlier.append(groups),
            None => self.groups = Some(groups),
        }
        self.gaps.append(gaps);
        self.rollup.add(ratings);
    }

    /// Adds the parts `later` gathered, after those added here.
    pub fn append(&mut self, later: SummaryParts) {
        if self.first.is_none() {
            *self = later;
            return;
        }
        self.n_actions += later.n_actions;
        self.n_left_out += later.n_left_out;
        self.objectives.extend(later.objectives);
        match (&mut self.groups, later.groups) {
            (Some(earlier), Some(groups)) => earlier.append(groups),
            (None, groups) => self.groups = groups,
            (_, None) => {}
        }
        self.gaps.append(later.gaps);
        self.rollup.append(later.rollup);
    }

    /// How many of the actions added are cancelled or removed, and not counted.
    pub fn n_left_out(&self) -> usize {
        self.n_left_out
    }

    /// Whether the plan's reasons are whole ([`PlanRollup::is_whole`]).
    pub fn is_whole(&self) -> bool {
        self.rollup.is_whole()
    }

    /// The summary of the plan holding every objective added (of no plan, with no
    /// objective, when nothing was added).
    pub fn finish(self) -> Summary {
        let exceptions = self.groups.unwrap_or_else(|| Groups::new(0)).finish();
        let (n_counted, gaps) = self.gaps.gaps(&exceptions);
        let (mut plan, as_of, policy) = self.first.unwrap_or_else(|| {
            let info = PlanInfo {
                id: String::new(),
                title: String::new(),
                owner_body: None,
                period: None,
                scale: ragplan_core::Scale::default(),
                n_actions: 0,
            };
            (info, NaiveDate::default(), String::new())
        });
        plan.n_actions = self.n_actions;
        let rollup = &self.rollup;
        let dimension = |d: Dimension| DimensionView {
            rating: rollup.rating(d).into(),
            counts: (&rollup.counts(d)).into(),
            reasons: rollup.reasons(d).iter().map(ToString::to_string).collect(),
        };
        Summary {
            format: SUMMARY_FORMAT,
            plan,
            as_of,
            as_of_text: date_text(as_of),
            policy,
            headline: Headline {
                delivery: dimension(Dimension::Delivery),
                outcome: dimension(Dimension::Outcome),
                actions: n_counted,
                gaps,
            },
            objectives: self.objectives,
            exceptions,
        }
    }
}

/// A plan of this many actions or more has its summary gathered on two threads, on a
/// machine of two cores or more ([`Summary::build`]).
const TWO_THREAD_ACTIONS: usize = 20_000;

/// Whether the summary of `ratings` is gathered on two threads.
fn worth_two_threads(ratings: &Ratings<'_>) -> bool {
    ratings.plan().n_actions() >= TWO_THREAD_ACTIONS && ragplan_core::blocks::two_cores()
}

/// What a report or summary says of the plan itself.
fn plan_info(ratings: &Ratings<'_>) -> PlanInfo {
    let plan = ratings.plan();
    PlanInfo {
        id: plan.id.to_string(),
        title: plan.title.clone(),
        owner_body: plan.owner_body.clone(),
        period: plan.period.as_ref().map(|p| p.text.clone()),
        scale: plan.scale,
        n_actions: ratings.actions().filter(|n| !n.has(Flag::Removed)).count(),
    }
}

impl<'r> Report<'r> {
    /// Gathers the report of the plan `current` rates, compared with `previous` when
    /// given: the snapshot of the previous report, or of the plan as it stood then
    /// (`Snapshot::from(&plan.as_it_stood(date).rate(&policy))`).
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// use ragplan_core::{Policy, Snapshot, generate::synthetic_plan, rate};
    /// use ragplan_report::{Report, ReportOptions};
    ///
    /// let plan = synthetic_plan(40, 3, 7);
    /// let policy = Policy::default();
    /// let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// let june = rate(&plan, &policy, day(2015, 6, 30));
    /// let march = Snapshot::from(&plan.as_it_stood(day(2015, 3, 31)).rate(&policy));
    /// let report = Report::build(&june, Some(&march), &ReportOptions::default());
    /// assert_eq!(report.quarter, "Q1 2015/16");
    /// assert_eq!(report.actions.len(), 40);
    /// assert!(report.movement.is_some());
    /// ```
    pub fn build(
        current: &'r Ratings<'r>,
        previous: Option<&Snapshot>,
        options: &ReportOptions,
    ) -> Report<'r> {
        let plan = current.plan();
        let as_of = current.as_of();
        let whole = current.whole();
        // The trend first: the copy of the plan it rewinds is gone before the rows
        // and exceptions are made, rather than held beside them.
        let trend = if options.trend { trend(current) } else { Vec::new() };
        let exceptions = exceptions(current, usize::MAX);
        let (n_counted, gaps) = gaps(current, &exceptions);
        Report {
            format: REPORT_FORMAT,
            title: options
                .title
                .clone()
                .filter(|t| !t.trim().is_empty())
                .unwrap_or_else(|| plan.title.clone()),
            plan: plan_info(current),
            as_of,
            as_of_text: date_text(as_of),
            quarter: FinancialQuarter::of(as_of).to_string(),
            previous_as_of: previous.map(|p| p.as_of),
            previous_as_of_text: previous.map(|p| date_text(p.as_of)),
            policy: current.policy().describe(),
            headline: Headline {
                delivery: dimension(&whole, Dimension::Delivery),
                outcome: dimension(&whole, Dimension::Outcome),
                actions: n_counted,
                gaps,
            },
            movement: previous.map(|p| movement(p, current)),
            exceptions,
            objectives: objective_sections(current),
            owners: holders(current, |a| names(&a.accountable)),
            partners: holders(current, |a| names(&a.partners)),
            trend,
            actions: if options.action_rows {
                ActionRows::of(current)
            } else {
                ActionRows::default()
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The summary gathered on two threads is the one gathered on one, for a plan
    /// with exceptions of every kind the synthetic plans give.
    #[test]
    fn a_summary_gathered_on_two_threads_is_the_one_gathered_on_one() {
        let plan = ragplan_core::generate::synthetic_plan(600, 6, 11);
        let policy = ragplan_core::Policy::default();
        for date in [(2015, 6, 30), (2016, 3, 31)] {
            let as_of = chrono::NaiveDate::from_ymd_opt(date.0, date.1, date.2).unwrap();
            let ratings = ragplan_core::rate(&plan, &policy, as_of);
            let one = Summary::gather(&ratings, false);
            assert!(one.exceptions.iter().any(|g| g.count > 0) && !one.headline.gaps.is_empty());
            assert_eq!(Summary::gather(&ratings, true), one);
        }
    }

    #[test]
    fn sentences() {
        let table: &[(&str, &str)] = &[
            ("action 1.1 names nobody accountable", "Action 1.1 names nobody accountable."),
            ("Already a sentence.", "Already a sentence."),
            ("  ", ""),
            ("élan", "Élan."),
        ];
        for (input, want) in table {
            assert_eq!(sentence(input), *want);
        }
    }
}
