//! Gathering a [`Report`] from a plan, its assessment and optionally the previous one.
//!
//! Ratings, counts, flags and reasons come from the assessment only; the plan gives
//! what the assessment does not hold (owners, partners, timescales, status, update
//! notes, overrides). Nothing here rates anything: a rule about ratings lives in
//! `ragplan-core`.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use ragplan_core::reason::uk_date;
use ragplan_core::{
    Action, Assessment, Change, Dimension, DimensionAssessment, FinancialQuarter, Flag, Key,
    LintCode, NodeAssessment, NodeKind, Objective, Plan, Policy, Rating, Reason, Status, assess,
    compare, rate,
};

use crate::chip::Chip;
use crate::content::{
    ActionRow, Counts, DimensionView, Exception, ExceptionGroup, ExceptionKind, Headline,
    HolderSummary, MovedNode, MovementSection, ObjectiveSection, PlanInfo, REPORT_FORMAT, Report,
    TableRow, TrendPoint,
};

/// How many quarters the trend goes back at most (two financial years).
pub const MAX_TREND_QUARTERS: usize = 8;

/// Choices for [`Report::build`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportOptions {
    /// The report's title; the plan's title when none.
    pub title: Option<String>,
    /// Whether to chart the trend by quarter from the plan's update log (one more
    /// assessment per quarter of history, at most [`MAX_TREND_QUARTERS`]).
    pub trend: bool,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions { title: None, trend: true }
    }
}

/// `date` as a reader writes it: `"30 June 2015"`.
fn date_text(date: NaiveDate) -> String {
    uk_date(date).to_string()
}

fn dimension(d: &DimensionAssessment) -> DimensionView {
    DimensionView {
        rating: d.rating.into(),
        counts: (&d.counts).into(),
        reasons: d.reasons.iter().map(ToString::to_string).collect(),
    }
}

fn names<T: ToString>(items: &[T]) -> Vec<String> {
    items.iter().map(|i| i.to_string().trim().to_owned()).filter(|n| !n.is_empty()).collect()
}

/// The note of the latest update that has one.
fn latest_note(action: &Action) -> Option<String> {
    action
        .updates
        .iter()
        .enumerate()
        .filter(|(_, u)| u.note.as_deref().is_some_and(|n| !n.trim().is_empty()))
        .max_by_key(|(i, u)| (u.on, *i))
        .and_then(|(_, u)| u.note.clone())
}

/// Whether an action is left out of counts: cancelled or removed.
fn left_out(node: &NodeAssessment) -> bool {
    node.has(Flag::Cancelled) || node.has(Flag::Removed)
}

/// An action node with the titles of its ancestors and the plan's action it rates.
struct Placed<'a> {
    node: &'a NodeAssessment,
    objective: &'a NodeAssessment,
    sub_objective: Option<&'a NodeAssessment>,
    /// The action at the same place in the plan, when the assessment is of this plan.
    action: Option<&'a Action>,
}

/// Pairs the assessment's nodes with the plan's, place by place (an objective's own
/// actions, then its sub-objectives'), so that actions sharing a key stay apart. A
/// node whose key differs from the plan's at that place has no plan node.
fn pair<'a, T>(
    nodes: impl IntoIterator<Item = &'a NodeAssessment>,
    plan: impl IntoIterator<Item = &'a T>,
    key: impl Fn(&T) -> &Key,
) -> impl Iterator<Item = (&'a NodeAssessment, Option<&'a T>)>
where
    T: 'a,
{
    let mut plan = plan.into_iter();
    nodes.into_iter().map(move |node| (node, plan.next().filter(|p| key(p) == &node.key)))
}

/// Every action node of the assessment in plan order, with its ancestors and action.
fn placed_actions<'a>(plan: &'a Plan, assessment: &'a Assessment) -> Vec<Placed<'a>> {
    let mut out = Vec::new();
    for (objective, in_plan) in pair(&assessment.nodes, &plan.objectives, |o| &o.key) {
        let own = objective.children.iter().filter(|n| n.kind == NodeKind::Action);
        let own_actions = in_plan.map(|o| o.actions.as_slice()).unwrap_or_default();
        for (node, action) in pair(own, own_actions, |a| &a.key) {
            out.push(Placed { node, objective, sub_objective: None, action });
        }
        let subs = objective.children.iter().filter(|n| n.kind == NodeKind::SubObjective);
        let plan_subs = in_plan.map(|o| o.sub_objectives.as_slice()).unwrap_or_default();
        for (sub, in_plan) in pair(subs, plan_subs, |s| &s.key) {
            let actions = sub.children.iter().filter(|n| n.kind == NodeKind::Action);
            let plan_actions = in_plan.map(|s| s.actions.as_slice()).unwrap_or_default();
            for (node, action) in pair(actions, plan_actions, |a| &a.key) {
                out.push(Placed { node, objective, sub_objective: Some(sub), action });
            }
        }
    }
    out
}

fn action_row(placed: &Placed<'_>) -> ActionRow {
    let node = placed.node;
    let action = placed.action;
    ActionRow {
        key: node.key.to_string(),
        objective: placed.objective.title.clone(),
        sub_objective: placed.sub_objective.map(|s| s.title.clone()),
        title: node.title.clone(),
        delivery: node.delivery.rating.into(),
        outcome: node.outcome.rating.into(),
        status: action.map(|a| a.status.label().to_owned()).unwrap_or_default(),
        accountable: action.map(|a| names(&a.accountable)).unwrap_or_default(),
        responsible: action.map(|a| names(&a.responsible)).unwrap_or_default(),
        partners: action.map(|a| names(&a.partners)).unwrap_or_default(),
        timescale: action.map(|a| a.timescale.text.clone()).unwrap_or_default(),
        due: action.and_then(|a| a.timescale.due),
        flags: node.flags.iter().map(|f| f.label().to_owned()).collect(),
        reason: node.delivery.reasons.first().map(ToString::to_string).unwrap_or_default(),
        latest_note: action.and_then(latest_note),
    }
}

/// One row per action of `assessment`, in plan order, with the details `plan` holds:
/// the rows of the actions CSV and of the spreadsheet's Actions sheet.
pub fn action_rows(plan: &Plan, assessment: &Assessment) -> Vec<ActionRow> {
    placed_actions(plan, assessment).iter().map(action_row).collect()
}

/// The one-row-per-action CSV of an assessed plan: key, the titles of its objective and
/// sub-objective, the action's title, delivery and outcome ratings (as words), status,
/// accountable, responsible, partners, timescale, due date, flags, the first reason for
/// the delivery rating, and the latest update note. The columns are
/// [`crate::csv::ACTIONS_CSV_HEADER`]. This is also what `ragplan status --format csv`
/// writes.
///
/// # Errors
/// [`crate::ReportError::Csv`] if the CSV writer fails (it writes to memory, so it does
/// not in practice).
///
/// # Example
/// ```
/// use chrono::NaiveDate;
/// use ragplan_core::{Policy, assess, generate::synthetic_plan};
/// let plan = synthetic_plan(3, 1, 1);
/// let assessment = assess(&plan, &Policy::default(), NaiveDate::from_ymd_opt(2015, 6, 30).unwrap());
/// let csv = ragplan_report::actions_csv(&plan, &assessment)?;
/// assert!(csv.starts_with("key,objective,sub_objective,action,delivery,outcome,status,"));
/// assert_eq!(csv.lines().count(), 1 + 3);
/// # Ok::<(), ragplan_report::ReportError>(())
/// ```
pub fn actions_csv(plan: &Plan, assessment: &Assessment) -> crate::Result<String> {
    crate::csv::write_actions_csv(&action_rows(plan, assessment))
}

fn table_row(node: &NodeAssessment, action: Option<&Action>) -> TableRow {
    let join = |v: Vec<String>| v.join("; ");
    TableRow {
        kind: node.kind.as_str(),
        key: node.key.to_string(),
        title: node.title.clone(),
        delivery: node.delivery.rating.into(),
        outcome: node.outcome.rating.into(),
        status: action.map(|a| a.status.label().to_owned()).unwrap_or_default(),
        accountable: join(action.map(|a| names(&a.accountable)).unwrap_or_default()),
        responsible: join(action.map(|a| names(&a.responsible)).unwrap_or_default()),
        partners: join(action.map(|a| names(&a.partners)).unwrap_or_default()),
        timescale: action.map(|a| a.timescale.text.clone()).unwrap_or_default(),
        latest_note: action.and_then(latest_note).unwrap_or_default(),
        flags: node.flags.iter().map(|f| f.label().to_owned()).collect(),
    }
}

fn objective_section(
    node: &NodeAssessment,
    objective: Option<&Objective>,
    placed: &[Placed<'_>],
) -> ObjectiveSection {
    // This objective's placed actions come in the order its action nodes are met.
    let mut mine = placed.iter().filter(|p| std::ptr::eq(p.objective, node));
    let mut action_of = |child: &NodeAssessment| {
        if child.kind != NodeKind::Action {
            return None;
        }
        mine.next().filter(|p| std::ptr::eq(p.node, child)).and_then(|p| p.action)
    };
    let mut rows = Vec::new();
    for child in &node.children {
        rows.push(table_row(child, action_of(child)));
        if child.kind == NodeKind::SubObjective {
            for action in &child.children {
                rows.push(table_row(action, action_of(action)));
            }
        }
    }
    ObjectiveSection {
        key: node.key.to_string(),
        title: node.title.clone(),
        strand: objective.and_then(|o| o.strand.clone()),
        delivery: dimension(&node.delivery),
        outcome: dimension(&node.outcome),
        rows,
    }
}

fn exception(node: &NodeAssessment, reason: String) -> Exception {
    Exception {
        key: node.key.to_string(),
        title: node.title.clone(),
        rating: node.delivery.rating.into(),
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

/// The first delivery reason matching `wanted`, else the first delivery reason.
fn reason_where(node: &NodeAssessment, wanted: impl Fn(&Reason) -> bool) -> String {
    node.delivery
        .reasons
        .iter()
        .find(|r| wanted(r))
        .or_else(|| node.delivery.reasons.first())
        .map(ToString::to_string)
        .unwrap_or_default()
}

fn exceptions(assessment: &Assessment, placed: &[Placed<'_>]) -> Vec<ExceptionGroup> {
    let mut groups: Vec<ExceptionGroup> = ExceptionKind::ALL
        .into_iter()
        .map(|kind| ExceptionGroup { kind, heading: kind.heading(), items: Vec::new() })
        .collect();
    let mut push = |kind: ExceptionKind, item: Exception| {
        if let Some(group) = groups.iter_mut().find(|g| g.kind == kind) {
            group.items.push(item);
        }
    };
    let next_quarter = FinancialQuarter::of(assessment.as_of).next();

    for p in placed {
        let (node, action) = (p.node, p.action);
        if left_out(node) {
            continue;
        }
        if node.delivery.rating == Rating::Red {
            push(ExceptionKind::Red, exception(node, reason_where(node, |_| true)));
        }
        if node.has(Flag::Overdue) {
            push(
                ExceptionKind::Overdue,
                exception(node, reason_where(node, |r| matches!(r, Reason::Overdue { .. }))),
            );
        }
        if let Some(action) = action {
            let due = action
                .timescale
                .due
                .filter(|d| *d >= next_quarter.start() && *d <= next_quarter.end());
            if let Some(due) = due.filter(|_| action.status != Status::Complete) {
                push(
                    ExceptionKind::DueNextQuarter,
                    exception(
                        node,
                        format!(
                            "Due {} ({next_quarter}, timescale \"{}\"); {}.",
                            uk_date(due),
                            action.timescale.text.trim(),
                            action.status.label()
                        ),
                    ),
                );
            }
        }
        if node.has(Flag::Stale) {
            let stated = node.delivery.reasons.iter().find(|r| matches!(r, Reason::Stale { .. }));
            let reason = match (stated, action.and_then(Action::last_update_on)) {
                (Some(r), _) => r.to_string(),
                (None, Some(last)) => format!(
                    "No update since {} ({} days before {}).",
                    uk_date(last),
                    (assessment.as_of - last).num_days(),
                    uk_date(assessment.as_of)
                ),
                (None, None) => "No update has been recorded.".to_owned(),
            };
            push(ExceptionKind::Stale, exception(node, reason));
        }
    }

    let mut nodes: HashMap<&Key, &NodeAssessment> = HashMap::new();
    for node in assessment.walk() {
        nodes.entry(&node.key).or_insert(node);
    }
    for (code, kind) in [
        (LintCode::NoAccountableOwner, ExceptionKind::NoAccountableOwner),
        (LintCode::GreenWithoutEvidence, ExceptionKind::GreenWithoutEvidence),
    ] {
        for lint in assessment.lints.iter().filter(|l| l.code == code) {
            let node = lint.key.as_ref().and_then(|k| nodes.get(k).copied());
            let reason = sentence(&lint.message);
            let item = match (node, &lint.key) {
                (Some(node), _) => exception(node, reason),
                (None, key) => Exception {
                    key: key.as_ref().map(ToString::to_string).unwrap_or_default(),
                    title: String::new(),
                    rating: Rating::NotRated.into(),
                    reason,
                },
            };
            push(kind, item);
        }
    }

    for node in assessment.walk() {
        if node.has(Flag::Divergent) {
            let delivery =
                node.delivery.reasons.iter().find(|r| matches!(r, Reason::Divergent { .. }));
            let outcome =
                node.outcome.reasons.iter().find(|r| matches!(r, Reason::Divergent { .. }));
            let mut sentences: Vec<String> = Vec::new();
            if let Some(r) = delivery {
                sentences.push(format!("Delivery: {r}"));
            }
            if let Some(r) = outcome {
                sentences.push(format!("Outcome: {r}"));
            }
            if sentences.is_empty() {
                sentences.push(reason_where(node, |_| true));
            }
            push(ExceptionKind::Divergent, exception(node, sentences.join(" ")));
        }
        if node.has(Flag::Overridden) {
            let reason = reason_where(node, |r| matches!(r, Reason::Overridden { .. }));
            push(ExceptionKind::Override, exception(node, reason));
        }
    }
    groups
}

fn holders(placed: &[Placed<'_>], names_of: impl Fn(&Action) -> Vec<String>) -> Vec<HolderSummary> {
    let mut by_name: BTreeMap<(String, String), HolderSummary> = BTreeMap::new();
    for p in placed.iter().filter(|p| !left_out(p.node)) {
        let Some(action) = p.action else { continue };
        let mut seen: Vec<String> = Vec::new();
        for name in names_of(action) {
            if seen.contains(&name) {
                continue;
            }
            seen.push(name.clone());
            let rating = p.node.delivery.rating;
            let entry = by_name.entry((name.to_lowercase(), name.clone())).or_insert_with(|| {
                HolderSummary {
                    name,
                    counts: Counts::default(),
                    worst: Rating::NotRated.into(),
                    keys: Vec::new(),
                    red_keys: Vec::new(),
                }
            });
            entry.counts.add(rating);
            entry.worst = Chip::from(entry.worst.rating.worse(rating));
            entry.keys.push(p.node.key.to_string());
            if rating == Rating::Red {
                entry.red_keys.push(p.node.key.to_string());
            }
        }
    }
    by_name.into_values().collect()
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

fn movement(previous: &Assessment, current: &Assessment) -> MovementSection {
    let movement = compare(previous, current);
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
    }
}

/// Delivery counts at the end of each quarter from the first with an update to the
/// one holding `as_of` (at most [`MAX_TREND_QUARTERS`]); empty with fewer than two.
fn trend(plan: &Plan, assessment: &Assessment) -> Vec<TrendPoint> {
    let as_of = assessment.as_of;
    let first_update =
        plan.actions().flat_map(|a| a.updates.iter().map(|u| u.on)).filter(|d| *d <= as_of).min();
    let Some(first) = first_update else { return Vec::new() };
    let current = FinancialQuarter::of(as_of);
    let mut quarters = vec![current];
    let mut q = current;
    while q > FinancialQuarter::of(first) && quarters.len() < MAX_TREND_QUARTERS {
        q = q.previous();
        quarters.push(q);
    }
    if quarters.len() < 2 {
        return Vec::new();
    }
    quarters.reverse();
    quarters
        .into_iter()
        .map(|q| {
            let counts = if q == current {
                (&assessment.delivery.counts).into()
            } else {
                // Only the counts are needed: no reasons, no lints.
                let then = plan.as_at(q.end());
                (&rate(&then, &assessment.policy, q.end()).counts(Dimension::Delivery)).into()
            };
            TrendPoint { quarter: q.to_string(), as_of: q.end().min(as_of), counts }
        })
        .collect()
}

/// The plan as it stood on `date` (updates logged after it left out) and its
/// assessment as of that date: what a report of that date shows, and what its
/// previous report showed.
///
/// # Example
/// ```
/// use chrono::NaiveDate;
/// use ragplan_core::{Policy, generate::synthetic_plan};
/// let plan = synthetic_plan(20, 2, 3);
/// let june = NaiveDate::from_ymd_opt(2015, 6, 30).unwrap();
/// let (then, assessment) = ragplan_report::as_it_stood(&plan, &Policy::default(), june);
/// assert!(then.actions().all(|a| a.updates.iter().all(|u| u.on <= june)));
/// assert_eq!(assessment.as_of, june);
/// ```
pub fn as_it_stood(plan: &Plan, policy: &Policy, date: NaiveDate) -> (Plan, Assessment) {
    let then = plan.as_at(date);
    let assessment = assess(&then, policy, date);
    (then, assessment)
}

impl Report {
    /// Gathers the report of `plan` as `assessment` rates it, compared with `previous`
    /// when given (the assessment of the previous report, or of the plan as it stood
    /// then: `assess(&plan.as_at(date), &policy, date)`).
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// use ragplan_core::{Policy, assess, generate::synthetic_plan};
    /// use ragplan_report::{Report, ReportOptions};
    ///
    /// let plan = synthetic_plan(40, 3, 7);
    /// let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// let june = assess(&plan, &Policy::default(), day(2015, 6, 30));
    /// let march = assess(&plan.as_at(day(2015, 3, 31)), &Policy::default(), day(2015, 3, 31));
    /// let report = Report::build(&plan, &june, Some(&march), &ReportOptions::default());
    /// assert_eq!(report.quarter, "Q1 2015/16");
    /// assert_eq!(report.actions.len(), 40);
    /// assert!(report.movement.is_some());
    /// ```
    pub fn build(
        plan: &Plan,
        assessment: &Assessment,
        previous: Option<&Assessment>,
        options: &ReportOptions,
    ) -> Report {
        let placed = placed_actions(plan, assessment);
        let actions: Vec<ActionRow> = placed.iter().map(action_row).collect();
        let as_of = assessment.as_of;
        Report {
            format: REPORT_FORMAT,
            title: options
                .title
                .clone()
                .filter(|t| !t.trim().is_empty())
                .unwrap_or_else(|| plan.title.clone()),
            plan: PlanInfo {
                id: plan.id.to_string(),
                title: plan.title.clone(),
                owner_body: plan.owner_body.clone(),
                period: plan.period.as_ref().map(|p| p.text.clone()),
                scale: plan.scale,
                n_actions: plan.actions().filter(|a| !a.removed).count(),
            },
            as_of,
            as_of_text: date_text(as_of),
            quarter: FinancialQuarter::of(as_of).to_string(),
            previous_as_of: previous.map(|p| p.as_of),
            previous_as_of_text: previous.map(|p| date_text(p.as_of)),
            policy: assessment.policy.describe(),
            headline: Headline {
                delivery: dimension(&assessment.delivery),
                outcome: dimension(&assessment.outcome),
            },
            movement: previous.map(|p| movement(p, assessment)),
            exceptions: exceptions(assessment, &placed),
            objectives: pair(&assessment.nodes, &plan.objectives, |o| &o.key)
                .map(|(node, objective)| objective_section(node, objective, &placed))
                .collect(),
            owners: holders(&placed, |a| names(&a.accountable)),
            partners: holders(&placed, |a| names(&a.partners)),
            trend: if options.trend { trend(plan, assessment) } else { Vec::new() },
            actions,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
