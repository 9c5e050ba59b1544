//! [`Ratings`]: a plan rated in one pass into compact records, with reasons written
//! only when they are asked for.
//!
//! This is the engine's own result. Every action, sub-objective, objective and the
//! plan are rated on both dimensions, with flags and counts; a record is a few bytes
//! per node and names nothing by copying it. The plan is validated when its lints
//! are first asked for. A
//! node's [`Reason`]s are worked out from its record and the plan when a caller asks
//! (a report, the CLI, the API), and [`Ratings::to_assessment`] writes the whole
//! `ragplan-assessment/1` document.

use std::ops::Range;
use std::sync::OnceLock;

use chrono::NaiveDate;

use crate::assessment::{
    Assessment, AssessmentFormat, DimensionAssessment, Flag, NodeAssessment, NodeKind, PlanRef,
    RatingCounts,
};
use crate::graph::DependencyGraph;
use crate::plan::{Action, Measure, NodeRatings, Objective, Plan};
use crate::policy::{Policy, RollupRule};
use crate::rating::Rating;
use crate::reason::{ChildNoun, Dimension, Reason};
use crate::rollup::{
    ActionContext, ActionRecord, Child, FlagSet, action_reasons, measures_outcome, rate_action,
    roll_up, roll_up_rating,
};
use crate::validate::{Findings, Lint};

const DIMENSIONS: [Dimension; 2] = [Dimension::Delivery, Dimension::Outcome];

/// A sub-objective, an objective or the plan, rated.
#[derive(Debug, Clone, Copy)]
struct ParentRecord {
    delivery: Rating,
    outcome: Rating,
    flags: FlagSet,
    /// Delivery, then outcome.
    counts: [RatingCounts; 2],
}

impl ParentRecord {
    fn rating(&self, dimension: Dimension) -> Rating {
        match dimension {
            Dimension::Delivery => self.delivery,
            Dimension::Outcome => self.outcome,
        }
    }
}

fn slot(dimension: Dimension) -> usize {
    match dimension {
        Dimension::Delivery => 0,
        Dimension::Outcome => 1,
    }
}

/// A plan rated as of a date under a policy, held as compact records.
///
/// Made by [`Ratings::new`] (or [`crate::rate`]); [`crate::assess`] is
/// `Ratings::new(…).to_assessment()`.
///
/// # Example
/// ```
/// use chrono::NaiveDate;
/// use ragplan_core::{Action, Dimension, Flag, Key, Objective, Plan, PlanId, Policy, Rating};
/// use ragplan_core::{Timescale, rate};
///
/// let mut plan = Plan::new(PlanId::new("cse-2015")?, "CSE delivery plan");
/// let mut objective = Objective::new(Key::new("1")?, "Prevent");
/// let mut action = Action::new(Key::new("1.1.2")?, "Information sharing agreement to be in place");
/// action.timescale = Timescale::parse("May 2015");
/// action.action_rag = Some(Rating::Green);
/// objective.actions.push(action);
/// plan.objectives.push(objective);
///
/// let policy = Policy::default();
/// let ratings = rate(&plan, &policy, NaiveDate::from_ymd_opt(2015, 6, 30).unwrap());
/// assert_eq!(ratings.rating(Dimension::Delivery), Rating::Red);
/// let overdue: Vec<_> = ratings.actions().filter(|a| a.has(Flag::Overdue)).collect();
/// assert_eq!(overdue.len(), 1);
/// assert_eq!(
///     overdue[0].reasons(Dimension::Delivery)[0].to_string(),
///     "Red because action 1.1.2 \"Information sharing agreement to be in place\" was due \
///      31 May 2015 and is not complete (30 days overdue)."
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Ratings<'a> {
    plan: &'a Plan,
    policy: &'a Policy,
    as_of: NaiveDate,
    /// The plan's actions in [`Plan::actions`] order: a position is an index here.
    actions: Vec<&'a Action>,
    graph: DependencyGraph<'a>,
    /// The actions' keys by hash, when the graph sorted them, for the duplicate-key check.
    hashes: Option<crate::graph::KeyIndex>,
    records: Vec<ActionRecord>,
    /// Every sub-objective, in plan order.
    subs: Vec<ParentRecord>,
    objectives: Vec<ParentRecord>,
    whole: ParentRecord,
    /// What validation found: looked for when lints are first asked for, and
    /// written as lints on request.
    findings: OnceLock<Findings>,
}

/// Where each node's children are, by position, while walking the plan.
struct Cursor {
    position: usize,
    sub: usize,
}

impl Cursor {
    fn take(&mut self, n: usize) -> Range<usize> {
        let range = self.position..self.position + n;
        self.position = range.end;
        range
    }
}

impl<'a> Ratings<'a> {
    /// Rates every action, sub-objective, objective and the plan on delivery and
    /// outcome as of `as_of` under `policy`. The plan is validated when its lints
    /// are first asked for ([`Ratings::lints`], [`Ratings::to_assessment`]).
    ///
    /// Pure and deterministic: nothing reads the clock.
    pub fn new(plan: &'a Plan, policy: &'a Policy, as_of: NaiveDate) -> Ratings<'a> {
        let actions: Vec<&'a Action> = plan.actions().collect();
        // Each key's text is read once: its hash serves the graph now and the
        // duplicate-key check when the lints are asked for.
        let (graph, hashes) = DependencyGraph::hashing(&actions);
        let records = rate_actions(&actions, &graph, policy, as_of);

        let mut subs = Vec::new();
        let mut objectives = Vec::with_capacity(plan.objectives.len());
        let mut children: Vec<Child<'a>> = Vec::new();
        let mut at = Cursor { position: 0, sub: 0 };
        for objective in &plan.objectives {
            let own = at.take(objective.actions.len());
            let first_sub = subs.len();
            for sub in &objective.sub_objectives {
                let range = at.take(sub.actions.len());
                let counts = action_counts(&records[range.clone()]);
                let fill = |d, out: &mut Vec<Child<'a>>| {
                    fill_actions(out, &actions[range.clone()], &records[range.clone()], d);
                };
                let rule = policy.sub_objective;
                let record = parent_record(
                    rule,
                    policy,
                    as_of,
                    &sub.node,
                    &sub.measures,
                    counts,
                    &mut children,
                    fill,
                );
                subs.push(record);
            }
            let sub_records = &subs[first_sub..];
            let mut counts = action_counts(&records[own.clone()]);
            for s in sub_records {
                for d in DIMENSIONS {
                    counts[slot(d)].merge(&s.counts[slot(d)]);
                }
            }
            let fill = |d, out: &mut Vec<Child<'a>>| {
                fill_objective(
                    out,
                    objective,
                    &actions[own.clone()],
                    &records[own.clone()],
                    sub_records,
                    d,
                );
            };
            let rule = policy.objective;
            let record = parent_record(
                rule,
                policy,
                as_of,
                &objective.node,
                &objective.measures,
                counts,
                &mut children,
                fill,
            );
            objectives.push(record);
        }
        let mut counts = [RatingCounts::default(); 2];
        for o in &objectives {
            for d in DIMENSIONS {
                counts[slot(d)].merge(&o.counts[slot(d)]);
            }
        }
        let fill = |d, out: &mut Vec<Child<'a>>| fill_plan(out, plan, &objectives, d);
        let whole = parent_record(
            policy.plan,
            policy,
            as_of,
            &NodeRatings::default(),
            &[],
            counts,
            &mut children,
            fill,
        );
        Ratings {
            plan,
            policy,
            as_of,
            actions,
            graph,
            hashes,
            records,
            subs,
            objectives,
            whole,
            findings: OnceLock::new(),
        }
    }

    /// The plan rated.
    pub fn plan(&self) -> &'a Plan {
        self.plan
    }

    /// The policy it was rated under.
    pub fn policy(&self) -> &'a Policy {
        self.policy
    }

    /// The date it was rated as of.
    pub fn as_of(&self) -> NaiveDate {
        self.as_of
    }

    /// The plan's rating on `dimension`.
    pub fn rating(&self, dimension: Dimension) -> Rating {
        self.whole.rating(dimension)
    }

    /// The plan's actions by their effective rating on `dimension` (cancelled and
    /// removed actions are not counted).
    pub fn counts(&self, dimension: Dimension) -> RatingCounts {
        self.whole.counts[slot(dimension)]
    }

    /// Every action, rated, in [`Plan::actions`] order.
    pub fn actions(&self) -> impl ExactSizeIterator<Item = ActionRating<'_, 'a>> {
        (0..self.records.len()).map(move |position| ActionRating { ratings: self, position })
    }

    /// How many problems validation finds in the plan.
    pub fn lint_count(&self) -> usize {
        self.findings().len()
    }

    /// What validation finds in the plan, in the order of [`crate::validate()`], each
    /// message written as it is read.
    pub fn lints(&self) -> impl Iterator<Item = Lint> + '_ {
        self.findings().render(self.plan, &self.actions, &self.graph)
    }

    /// The plan is validated the first time lints are asked for, not before: a
    /// caller that needs only ratings does not pay for it.
    fn findings(&self) -> &Findings {
        self.findings.get_or_init(|| {
            crate::validate::find(self.plan, &self.actions, &self.graph, &self.hashes)
        })
    }

    /// The whole `ragplan-assessment/1` document, with every node's reasons written.
    pub fn to_assessment(&self) -> Assessment {
        let policy = self.policy;
        let cx = self.context();
        let mut children: Vec<Child<'a>> = Vec::new();
        let mut at = Cursor { position: 0, sub: 0 };
        let mut nodes = Vec::with_capacity(self.plan.objectives.len());
        for (o, objective) in self.plan.objectives.iter().enumerate() {
            let own = at.take(objective.actions.len());
            let first_sub = at.sub;
            let mut kids = Vec::with_capacity(own.len() + objective.sub_objectives.len());
            kids.extend(own.clone().map(|p| self.action_node(p, &cx)));
            for sub in &objective.sub_objectives {
                let range = at.take(sub.actions.len());
                let record = &self.subs[at.sub];
                at.sub += 1;
                let fill = |d, out: &mut Vec<Child<'a>>| {
                    let range = range.clone();
                    fill_actions(out, &self.actions[range.clone()], &self.records[range], d);
                };
                let (delivery, outcome) = self.parent_dimensions(
                    policy.sub_objective,
                    ChildNoun::Actions,
                    record,
                    &sub.node,
                    &sub.measures,
                    &mut children,
                    fill,
                );
                kids.push(NodeAssessment {
                    key: sub.key.clone(),
                    kind: NodeKind::SubObjective,
                    title: sub.title.clone(),
                    delivery,
                    outcome,
                    flags: record.flags.to_vec(),
                    children: range.map(|p| self.action_node(p, &cx)).collect(),
                });
            }
            let noun = match (objective.actions.is_empty(), objective.sub_objectives.is_empty()) {
                (false, false) => ChildNoun::Parts,
                (true, false) => ChildNoun::SubObjectives,
                _ => ChildNoun::Actions,
            };
            let sub_records = &self.subs[first_sub..at.sub];
            let fill = |d, out: &mut Vec<Child<'a>>| {
                let own = own.clone();
                fill_objective(
                    out,
                    objective,
                    &self.actions[own.clone()],
                    &self.records[own],
                    sub_records,
                    d,
                );
            };
            let record = &self.objectives[o];
            let (delivery, outcome) = self.parent_dimensions(
                policy.objective,
                noun,
                record,
                &objective.node,
                &objective.measures,
                &mut children,
                fill,
            );
            nodes.push(NodeAssessment {
                key: objective.key.clone(),
                kind: NodeKind::Objective,
                title: objective.title.clone(),
                delivery,
                outcome,
                flags: record.flags.to_vec(),
                children: kids,
            });
        }
        let fill = |d, out: &mut Vec<Child<'a>>| fill_plan(out, self.plan, &self.objectives, d);
        let (delivery, outcome) = self.parent_dimensions(
            policy.plan,
            ChildNoun::Objectives,
            &self.whole,
            &NodeRatings::default(),
            &[],
            &mut children,
            fill,
        );
        Assessment {
            format: AssessmentFormat,
            plan: PlanRef { id: self.plan.id.clone(), title: self.plan.title.clone() },
            as_of: self.as_of,
            policy: policy.clone(),
            delivery,
            outcome,
            nodes,
            lints: self.lints().collect(),
        }
    }

    fn context(&self) -> ActionContext<'_, 'a> {
        ActionContext {
            actions: &self.actions,
            records: &self.records,
            policy: self.policy,
            as_of: self.as_of,
        }
    }

    fn action_node(&self, position: usize, cx: &ActionContext<'_, 'a>) -> NodeAssessment {
        let action = self.actions[position];
        let record = &self.records[position];
        let dimension = |d: Dimension, reported: Option<Rating>| {
            let rating = record.rating(d);
            DimensionAssessment {
                rating,
                reported,
                counts: action_counts(std::slice::from_ref(record))[slot(d)],
                reasons: action_reasons(position, d, cx),
            }
        };
        NodeAssessment {
            key: action.key.clone(),
            kind: NodeKind::Action,
            title: action.title.clone(),
            delivery: dimension(Dimension::Delivery, action.action_rag),
            outcome: dimension(Dimension::Outcome, action.outcome_rag),
            flags: record.flags.to_vec(),
            children: Vec::new(),
        }
    }

    /// A parent's two dimensions with their reasons: the roll-up's (or the
    /// measures'), then a divergent reason where the plan reports another rating.
    #[allow(clippy::too_many_arguments)]
    fn parent_dimensions(
        &self,
        rule: RollupRule,
        noun: ChildNoun,
        record: &ParentRecord,
        node: &NodeRatings,
        measures: &[Measure],
        children: &mut Vec<Child<'a>>,
        fill: impl Fn(Dimension, &mut Vec<Child<'a>>),
    ) -> (DimensionAssessment, DimensionAssessment) {
        let dimension = |d: Dimension, children: &mut Vec<Child<'a>>| {
            let mut reasons = if d == Dimension::Outcome && !measures.is_empty() {
                measures_outcome(rule, self.policy, measures, self.as_of).1
            } else {
                fill(d, children);
                roll_up(rule, self.policy, noun, children).1
            };
            let rating = record.rating(d);
            let reported = reported(node, d);
            if let Some(r) = reported.filter(|r| *r != rating) {
                reasons.push(Reason::Divergent { rating, reported: r });
            }
            DimensionAssessment { rating, reported, counts: record.counts[slot(d)], reasons }
        };
        (dimension(Dimension::Delivery, children), dimension(Dimension::Outcome, children))
    }
}

/// One action of [`Ratings`]: its ratings and flags, and its reasons on request.
#[derive(Debug, Clone, Copy)]
pub struct ActionRating<'r, 'a> {
    ratings: &'r Ratings<'a>,
    position: usize,
}

impl<'a> ActionRating<'_, 'a> {
    /// The action.
    pub fn action(&self) -> &'a Action {
        self.ratings.actions[self.position]
    }

    fn record(&self) -> &ActionRecord {
        &self.ratings.records[self.position]
    }

    /// Its effective rating on `dimension`.
    pub fn rating(&self, dimension: Dimension) -> Rating {
        self.record().rating(dimension)
    }

    /// Whether it carries `flag`.
    pub fn has(&self, flag: Flag) -> bool {
        self.record().flags.has(flag)
    }

    /// Its flags, in [`Flag::ALL`] order.
    pub fn flags(&self) -> Vec<Flag> {
        self.record().flags.to_vec()
    }

    /// Why it has its rating on `dimension`: never empty.
    pub fn reasons(&self, dimension: Dimension) -> Vec<Reason> {
        action_reasons(self.position, dimension, &self.ratings.context())
    }
}

fn reported(node: &NodeRatings, dimension: Dimension) -> Option<Rating> {
    match dimension {
        Dimension::Delivery => node.reported_delivery,
        Dimension::Outcome => node.reported_outcome,
    }
}

/// Rates every action after its prerequisites: in plan order those whose
/// prerequisites are rated already (most of them, and in the order they lie in
/// memory), then the rest in dependency order. The result is in plan order.
fn rate_actions(
    actions: &[&Action],
    graph: &DependencyGraph<'_>,
    policy: &Policy,
    as_of: NaiveDate,
) -> Vec<ActionRecord> {
    let mut records = vec![ActionRecord::PENDING; actions.len()];
    let mut done = vec![false; actions.len()];
    let mut scratch = Vec::new();
    for (i, action) in actions.iter().enumerate() {
        let prerequisites = prerequisites(graph, i, &mut scratch);
        if prerequisites.iter().all(|&p| done[p]) {
            records[i] = rate_action(action, prerequisites, &records, policy, as_of);
            done[i] = true;
        }
    }
    for &i in graph.order_positions() {
        if !done[i] {
            let prerequisites = prerequisites(graph, i, &mut scratch);
            records[i] = rate_action(actions[i], prerequisites, &records, policy, as_of);
            done[i] = true;
        }
    }
    records
}

/// The prerequisites an action is rated after: all of them, except those in a cycle
/// with it, which are ignored so that the result does not depend on the order the
/// cycle is walked.
fn prerequisites<'g>(
    graph: &'g DependencyGraph<'_>,
    i: usize,
    scratch: &'g mut Vec<usize>,
) -> &'g [usize] {
    let all = graph.prerequisite_positions(i);
    if all.iter().any(|&p| graph.same_cycle(i, p)) {
        scratch.clear();
        scratch.extend(all.iter().copied().filter(|&p| !graph.same_cycle(i, p)));
        scratch
    } else {
        all
    }
}

/// The actions counted by their effective rating: delivery, then outcome.
fn action_counts(records: &[ActionRecord]) -> [RatingCounts; 2] {
    let mut counts = [RatingCounts::default(); 2];
    for r in records.iter().filter(|r| !r.excluded()) {
        counts[0].add(r.delivery);
        counts[1].add(r.outcome);
    }
    counts
}

/// A parent rated from its children (filled into `children` by `fill`), its
/// measures and what the plan reports for it.
#[allow(clippy::too_many_arguments)]
fn parent_record<'a>(
    rule: RollupRule,
    policy: &Policy,
    as_of: NaiveDate,
    node: &NodeRatings,
    measures: &[Measure],
    counts: [RatingCounts; 2],
    children: &mut Vec<Child<'a>>,
    fill: impl Fn(Dimension, &mut Vec<Child<'a>>),
) -> ParentRecord {
    let mut flags = FlagSet::default();
    if node.critical {
        flags.set(Flag::Critical);
    }
    fill(Dimension::Delivery, children);
    let delivery = roll_up_rating(rule, policy, children);
    let outcome = if measures.is_empty() {
        fill(Dimension::Outcome, children);
        roll_up_rating(rule, policy, children)
    } else {
        measures_outcome(rule, policy, measures, as_of).0
    };
    let record = ParentRecord { delivery, outcome, flags, counts };
    if DIMENSIONS.into_iter().any(|d| reported(node, d).is_some_and(|r| r != record.rating(d))) {
        let mut record = record;
        record.flags.set(Flag::Divergent);
        return record;
    }
    record
}

fn action_child<'a>(action: &'a Action, record: &ActionRecord, d: Dimension) -> Child<'a> {
    Child {
        key: &action.key,
        title: &action.title,
        rating: record.rating(d),
        critical: record.flags.has(Flag::Critical),
        weight: record.weight,
        excluded: record.excluded(),
    }
}

fn node_child<'a>(
    key: &'a crate::Key,
    title: &'a String,
    node: &NodeRatings,
    record: &ParentRecord,
    d: Dimension,
) -> Child<'a> {
    Child {
        key,
        title,
        rating: record.rating(d),
        critical: node.critical,
        weight: node.weight.unwrap_or(1),
        excluded: false,
    }
}

/// A sub-objective's children: its actions.
fn fill_actions<'a>(
    out: &mut Vec<Child<'a>>,
    actions: &[&'a Action],
    records: &[ActionRecord],
    d: Dimension,
) {
    out.clear();
    out.extend(actions.iter().zip(records).map(|(a, r)| action_child(a, r, d)));
}

/// An objective's children: its own actions, then its sub-objectives.
fn fill_objective<'a>(
    out: &mut Vec<Child<'a>>,
    objective: &'a Objective,
    actions: &[&'a Action],
    records: &[ActionRecord],
    subs: &[ParentRecord],
    d: Dimension,
) {
    fill_actions(out, actions, records, d);
    out.extend(
        objective
            .sub_objectives
            .iter()
            .zip(subs)
            .map(|(s, r)| node_child(&s.key, &s.title, &s.node, r, d)),
    );
}

/// The plan's children: its objectives.
fn fill_plan<'a>(
    out: &mut Vec<Child<'a>>,
    plan: &'a Plan,
    objectives: &[ParentRecord],
    d: Dimension,
) {
    out.clear();
    out.extend(
        plan.objectives
            .iter()
            .zip(objectives)
            .map(|(o, r)| node_child(&o.key, &o.title, &o.node, r, d)),
    );
}
