//! [`Ratings`]: the engine's one result. A plan rated in one pass into compact
//! records, read node by node through its [`Place`], with reasons written only when
//! they are asked for.
//!
//! Every action, sub-objective, objective and the plan are rated on both dimensions,
//! with flags and counts; a record is a few bytes per node and names nothing by
//! copying it. The plan is validated when its lints are first asked for. A node's
//! [`Reason`]s are worked out from its record and the plan when a caller asks (a
//! report, the CLI, the API). The `ragplan-assessment/2` document is written from
//! it by [`crate::document::AssessmentDocument`].

use std::borrow::Cow;
use std::sync::OnceLock;

use chrono::NaiveDate;

use crate::graph::DependencyGraph;
use crate::plan::{Action, Measure, NodeRatings, Override, Plan, SubObjective};
use crate::policy::{Policy, RollupRule};
use crate::rating::Rating;
use crate::reason::{Cause, CauseRef, ChildNoun, Reason, ReasonVec};
mod action;
mod ctx;
mod explain;
mod measure;
mod parts;
pub(crate) mod rollup;

pub use self::parts::PlanRollup;

use self::action::{
    ActionContext, ActionRecord, Source, action_notes, action_reasons, rate_action,
};
use self::ctx::Ctx;
use self::explain::{Explained, causes_reason};
use self::measure::measures_outcome;
use self::rollup::{Child, rating_counted_as, roll_up_rating};
use crate::validate::{Findings, Lint};
use crate::vocab::{Dimension, Flag, FlagSet, NodeKind, RatingCounts};
use crate::walk::{Node, Place, PlanNode, Spans};

const DIMENSIONS: [Dimension; 2] = [Dimension::Delivery, Dimension::Outcome];

/// What the plan says of itself as a parent: nothing.
static PLAN_RATINGS: NodeRatings = NodeRatings {
    reported_delivery: None,
    reported_outcome: None,
    weight: None,
    critical: false,
    overrides: Vec::new(),
    removed: false,
};

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

/// A parent as its roll-up sees it: the rule for its level, what its children are
/// called, what the plan says of it, and its measures.
struct Parent<'n> {
    rule: RollupRule,
    noun: ChildNoun,
    node: &'n NodeRatings,
    measures: &'n [Measure],
    /// Its record of overrides (the plan's own for the plan).
    overrides: &'n [Override],
}

/// A plan rated as of a date under a policy: the one result of the engine.
///
/// Made by [`crate::rate`]. Read the plan's own ratings with [`Ratings::whole`], a
/// node's with [`Ratings::node`] by its [`Place`], or walk every node in plan order
/// with [`Ratings::nodes`].
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
/// assert_eq!(ratings.whole().rating(Dimension::Delivery), Rating::Red);
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
    /// The plan's sub-objectives in plan order, with their objective's index.
    sub_objectives: Vec<(usize, &'a SubObjective)>,
    spans: Spans,
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

/// Rates every action, sub-objective, objective and the plan on delivery and outcome
/// as of `as_of`, under `policy`, into [`Ratings`] whose reasons are written, and
/// whose plan is validated, on request.
///
/// Pure and deterministic: nothing reads the clock; the same inputs give the same
/// output.
pub fn rate<'a>(plan: &'a Plan, policy: &'a Policy, as_of: NaiveDate) -> Ratings<'a> {
    Ratings::new(plan, policy, as_of)
}

impl<'a> Ratings<'a> {
    fn new(plan: &'a Plan, policy: &'a Policy, as_of: NaiveDate) -> Ratings<'a> {
        let cx = Ctx::new(policy, as_of, plan.reported_on);
        let spans = Spans::of(plan);
        // Sized from the spans: collecting the plan's nested iterators would grow
        // them step by step, copying a million entries several times over.
        // Filled slice by slice, in the order of `Plan::actions`.
        let mut actions: Vec<&'a Action> = Vec::with_capacity(spans.n_actions());
        let mut sub_objectives: Vec<(usize, &'a SubObjective)> =
            Vec::with_capacity(spans.subs.len());
        for (o, objective) in plan.objectives.iter().enumerate() {
            actions.extend(&objective.actions);
            for sub in &objective.sub_objectives {
                actions.extend(&sub.actions);
                sub_objectives.push((o, sub));
            }
        }
        // Each key's text is read once: its hash serves the graph now and the
        // duplicate-key check when the lints are asked for.
        let (graph, hashes) = DependencyGraph::hashing(&actions);
        let records = rate_actions(&actions, &graph, &cx);

        let mut children: Vec<Child<'a>> = Vec::new();
        let subs: Vec<ParentRecord> = sub_objectives
            .iter()
            .zip(&spans.subs)
            .map(|((_, sub), range)| {
                let parent = Parent {
                    rule: policy.sub_objective,
                    noun: ChildNoun::Actions,
                    node: &sub.node,
                    measures: &sub.measures,
                    overrides: &sub.node.overrides,
                };
                let fill = |d, out: &mut Vec<Child<'a>>| {
                    fill_actions(out, &actions[range.clone()], &records[range.clone()], d);
                };
                let counts = action_counts(&records[range.clone()]);
                parent_record(&cx, &parent, counts, &mut children, fill)
            })
            .collect();
        let objectives: Vec<ParentRecord> = plan
            .objectives
            .iter()
            .zip(&spans.objectives)
            .map(|(objective, span)| {
                let parent = Parent {
                    rule: policy.objective,
                    noun: objective_noun(span.own.len(), span.subs.len()),
                    node: &objective.node,
                    measures: &objective.measures,
                    overrides: &objective.node.overrides,
                };
                let own = span.own.clone();
                let sub_records = &subs[span.subs.clone()];
                let mut counts = action_counts(&records[own.clone()]);
                for s in sub_records {
                    merge(&mut counts, &s.counts);
                }
                let fill = |d, out: &mut Vec<Child<'a>>| {
                    fill_actions(out, &actions[own.clone()], &records[own.clone()], d);
                    let subs = sub_objectives[span.subs.clone()].iter().map(|(_, s)| *s);
                    fill_parents(out, subs.map(|s| (&s.key, &s.title, &s.node)), sub_records, d);
                };
                parent_record(&cx, &parent, counts, &mut children, fill)
            })
            .collect();
        let mut counts = [RatingCounts::default(); 2];
        for o in &objectives {
            merge(&mut counts, &o.counts);
        }
        let parent = plan_parent(policy, &plan.overrides);
        let fill = |d, out: &mut Vec<Child<'a>>| {
            out.clear();
            let nodes = plan.objectives.iter().map(|o| (&o.key, &o.title, &o.node));
            fill_parents(out, nodes, &objectives, d);
        };
        let whole = parent_record(&cx, &parent, counts, &mut children, fill);
        Ratings {
            plan,
            policy,
            as_of,
            actions,
            sub_objectives,
            spans,
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

    /// The plan itself, rated.
    pub fn whole(&self) -> NodeRating<'_, 'a> {
        NodeRating { ratings: self, place: Place::Plan, at: None }
    }

    /// The node at `place`, rated; none when the plan has no node there.
    pub fn node(&self, place: Place) -> Option<NodeRating<'_, 'a>> {
        let at = match place {
            Place::Plan => return Some(self.whole()),
            Place::Objective(o) => {
                let objective = self.plan.objectives.get(o)?;
                PlanNode { place, parent: Place::Plan, depth: 0, node: Node::Objective(objective) }
            }
            Place::SubObjective(s) => {
                let (o, sub) = *self.sub_objectives.get(s)?;
                let parent = Place::Objective(o);
                PlanNode { place, parent, depth: 1, node: Node::SubObjective(sub) }
            }
            Place::Action(p) => {
                let action = *self.actions.get(p)?;
                let o = self.spans.objectives.partition_point(|span| span.all.end <= p);
                let span = self.spans.objectives.get(o)?;
                let (parent, depth) = if span.own.contains(&p) {
                    (Place::Objective(o), 1)
                } else {
                    let s = span.subs.start
                        + self.spans.subs[span.subs.clone()].partition_point(|r| r.end <= p);
                    (Place::SubObjective(s), 2)
                };
                PlanNode { place, parent, depth, node: Node::Action(action) }
            }
        };
        Some(NodeRating { ratings: self, place, at: Some(at) })
    }

    /// Every node, rated, depth-first in plan order (see [`Plan::nodes`]).
    pub fn nodes(&self) -> impl Iterator<Item = NodeRating<'_, 'a>> {
        self.plan.nodes().map(move |at| NodeRating { ratings: self, place: at.place, at: Some(at) })
    }

    /// The nodes of the objectives in `objectives`, rated, as [`Ratings::nodes`]
    /// gives them.
    pub(crate) fn nodes_of(
        &self,
        objectives: std::ops::Range<usize>,
    ) -> impl Iterator<Item = NodeRating<'_, 'a>> {
        self.plan.nodes_of(objectives, &self.spans).map(move |at| NodeRating {
            ratings: self,
            place: at.place,
            at: Some(at),
        })
    }

    /// Every action, rated, in [`Plan::actions`] order.
    pub fn actions(&self) -> impl ExactSizeIterator<Item = NodeRating<'_, 'a>> {
        // Walked, not looked up one by one: the walk knows each action's parent.
        let walk = self.nodes().filter(|n| matches!(n.place, Place::Action(_)));
        Counted { walk, left: self.records.len() }
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

    fn action_context(&self) -> ActionContext<'_, 'a> {
        ActionContext {
            actions: &self.actions,
            records: &self.records,
            cx: Ctx::new(self.policy, self.as_of, self.plan.reported_on),
        }
    }

    fn parent(&self, place: Place) -> Option<&ParentRecord> {
        match place {
            Place::Plan => Some(&self.whole),
            Place::Objective(o) => self.objectives.get(o),
            Place::SubObjective(s) => self.subs.get(s),
            Place::Action(_) => None,
        }
    }

    /// A parent's reasons on `d`: the roll-up's (or the measures'), then a divergent
    /// reason where the plan reports another rating.
    fn parent_reasons(&self, place: Place, d: Dimension) -> Vec<Reason<'a>> {
        let cx = Ctx::new(self.policy, self.as_of, self.plan.reported_on);
        let mut children: Vec<Child<'a>> = Vec::new();
        let (parent, record, below) = match place {
            Place::Action(_) => return Vec::new(),
            Place::Plan => {
                let nodes = self.plan.objectives.iter().map(|o| (&o.key, &o.title, &o.node));
                fill_parents(&mut children, nodes, &self.objectives, d);
                (self.plan_parent(), &self.whole, self.records.len())
            }
            Place::Objective(o) => {
                let objective = &self.plan.objectives[o];
                let span = &self.spans.objectives[o];
                let own = span.own.clone();
                fill_actions(&mut children, &self.actions[own.clone()], &self.records[own], d);
                let subs = self.sub_objectives[span.subs.clone()].iter().map(|(_, s)| *s);
                let nodes = subs.map(|s| (&s.key, &s.title, &s.node));
                fill_parents(&mut children, nodes, &self.subs[span.subs.clone()], d);
                let parent = Parent {
                    rule: self.policy.objective,
                    noun: objective_noun(span.own.len(), span.subs.len()),
                    node: &objective.node,
                    measures: &objective.measures,
                    overrides: &objective.node.overrides,
                };
                (parent, &self.objectives[o], span.all.len())
            }
            Place::SubObjective(s) => {
                let sub = self.sub_objectives[s].1;
                let range = self.spans.subs[s].clone();
                fill_actions(&mut children, &self.actions[range.clone()], &self.records[range], d);
                let parent = Parent {
                    rule: self.policy.sub_objective,
                    noun: ChildNoun::Actions,
                    node: &sub.node,
                    measures: &sub.measures,
                    overrides: &sub.node.overrides,
                };
                (parent, &self.subs[s], self.spans.subs[s].len())
            }
        };
        let at = self.node(place).and_then(|n| n.plan_node());
        let explained = Explained { cx, parent, record, below, at, plan_title: &self.plan.title };
        explained.reasons(d, &children, |rating| self.causes(place, rating, d))
    }

    /// The plan as its roll-up sees it ([`plan_parent`]).
    fn plan_parent(&self) -> Parent<'a> {
        plan_parent(self.policy, &self.plan.overrides)
    }

    /// The reason of a `worst_of` parent rated `rating` on `d`: the actions below it
    /// that count with that rating, through every level rated `worst_of` and not
    /// overridden (nor, on outcome, rated by its measures); a part rated otherwise is
    /// named as itself. The worst three are named with their own first reason; the
    /// rest are counted. None when nothing below counts with the rating.
    fn causes(&self, place: Place, rating: Rating, d: Dimension) -> Option<Reason<'a>> {
        let mut found = Causes::default();
        self.collect_causes(place, rating, d, &mut found);
        if found.total == 0 {
            return None;
        }
        found.named.sort_by_key(|c| c.rank);
        let named: Vec<CauseRef<'a>> =
            found.named.iter().filter_map(|c| self.cause_ref(c.place, d)).collect();
        Some(causes_reason(rating, found.total, found.cause, found.parts, named))
    }

    /// The node at `place` named as a cause on `d`, with its own first reason.
    fn cause_ref(&self, place: Place, d: Dimension) -> Option<CauseRef<'a>> {
        let node = self.node(place)?;
        let at = node.plan_node()?;
        Some(CauseRef {
            kind: at.kind(),
            key: Cow::Borrowed(at.key()),
            title: Cow::Borrowed(at.title()),
            reason: node.reasons(d).into_iter().next()?,
        })
    }

    fn collect_causes(&self, place: Place, rating: Rating, d: Dimension, found: &mut Causes) {
        let counts = |r: Rating| rating_counted_as(self.policy, r) == Some(rating);
        let action_range = |range: std::ops::Range<usize>, found: &mut Causes| {
            for p in range {
                let record = &self.records[p];
                if !record.excluded() && counts(record.rating(d)) {
                    let cause = self.record_cause(p, d);
                    found.add(Place::Action(p), cause, || self.overdue_days(p, d), false);
                }
            }
        };
        match place {
            Place::Plan => {
                for o in 0..self.objectives.len() {
                    self.collect_part(Place::Objective(o), self.policy.objective, rating, d, found);
                }
            }
            Place::Objective(o) => {
                let span = &self.spans.objectives[o];
                action_range(span.own.clone(), found);
                for s in span.subs.clone() {
                    self.collect_part(
                        Place::SubObjective(s),
                        self.policy.sub_objective,
                        rating,
                        d,
                        found,
                    );
                }
            }
            Place::SubObjective(s) => action_range(self.spans.subs[s].clone(), found),
            Place::Action(_) => {}
        }
    }

    /// The causes a part (an objective or sub-objective, rolled up by `rule`) adds
    /// to a parent rated `rating` on `d`: none unless it counts with that rating;
    /// the actions below it, when it too is rated worst-of and not overridden (nor,
    /// on outcome, rated by its measures); otherwise the part itself.
    fn collect_part(
        &self,
        child: Place,
        rule: RollupRule,
        rating: Rating,
        d: Dimension,
        found: &mut Causes,
    ) {
        let Some(record) = self.parent(child) else { return };
        if record.flags.has(Flag::Removed)
            || rating_counted_as(self.policy, record.rating(d)) != Some(rating)
        {
            return;
        }
        let overridden = d == Dimension::Delivery && record.flags.has(Flag::Overridden);
        // A part whose outcome its measures give is a cause itself on outcome.
        let measured = d == Dimension::Outcome
            && match child {
                Place::Objective(o) => !self.plan.objectives[o].measures.is_empty(),
                Place::SubObjective(s) => !self.sub_objectives[s].1.measures.is_empty(),
                _ => false,
            };
        if rule == RollupRule::WorstOf && !overridden && !measured {
            self.collect_causes(child, rating, d, found);
        } else {
            let cause = if overridden { Cause::Overridden } else { Cause::RolledUp };
            found.add(child, cause, || 0, true);
        }
    }

    /// What makes the action at `p` count with its rating on `d`, read from its
    /// record as its first reason would give it, and its days overdue.
    /// What makes the action at `p` count as it does on `d` (how far past its due
    /// date it is comes from [`Ratings::overdue_days`]). The action itself is
    /// read only where its record cannot tell: a rating collecting causes passes
    /// over every action below a parent, and the records lie together in memory.
    fn record_cause(&self, p: usize, d: Dimension) -> Cause {
        let record = &self.records[p];
        if d == Dimension::Outcome {
            let reported =
                record.outcome != Rating::NotRated || self.actions[p].outcome_rag.is_some();
            return if reported { Cause::Reported } else { Cause::NotRated };
        }
        let flags = record.flags;
        match record.source {
            Source::Overridden => Cause::Overridden,
            Source::Reported => Cause::Reported,
            Source::NotReported | Source::Unreported => Cause::NotRated,
            _ if record.delivery == Rating::NotRated => Cause::NotRated,
            _ if record.delivery == Rating::Complete => Cause::Complete,
            // In the order the action's reasons list its problems: the Red ones
            // (overdue, then far behind), then the Amber ones as found.
            _ if flags.has(Flag::Overdue) => Cause::Overdue,
            _ if flags.has(Flag::BehindSchedule) && record.delivery == Rating::Red => {
                Cause::BehindProgress
            }
            _ if flags.has(Flag::DueSoon) && self.actions[p].status.is_some() => Cause::DueSoon,
            _ if flags.has(Flag::BehindSchedule) => Cause::BehindProgress,
            _ if flags.has(Flag::Blocked) => Cause::Blocked,
            _ if flags.has(Flag::Stale) && self.policy.stale_lowers_to_amber => Cause::Stale,
            _ => Cause::OnTrack,
        }
    }

    /// How many days past its due date the action at `p` is on the as-of date (none
    /// on outcome): how causes of one kind are ranked.
    fn overdue_days(&self, p: usize, d: Dimension) -> i64 {
        let due = self.actions[p].timescale.due.filter(|_| d == Dimension::Delivery);
        due.map_or(0, |due| action::days_between(due, self.as_of).max(0))
    }
}

/// What [`Ratings::causes`] gathers below a parent: how many causes, whether they
/// share one, and the worst few.
#[derive(Debug, Default)]
struct Causes {
    total: u32,
    /// `None` before the first; `Some(None)` once two differ.
    cause: Option<Option<Cause>>,
    /// Whether any cause is a part rather than an action.
    parts: bool,
    /// The worst [`Causes::NAMED`] so far.
    named: Vec<Named>,
}

/// A cause kept to be named, with its rank (lower is worse).
#[derive(Debug, Clone, Copy)]
struct Named {
    place: Place,
    rank: (Cause, i64, u32),
}

impl Causes {
    /// The most causes a headline names.
    const NAMED: usize = 3;

    /// Counts a cause, and keeps it among the worst named. `days_overdue` is asked
    /// for only when the cause could be named: once three are kept, a cause of a
    /// milder kind than the mildest kept cannot be.
    fn add(&mut self, place: Place, cause: Cause, days_overdue: impl FnOnce() -> i64, part: bool) {
        self.cause = match self.cause {
            None => Some(Some(cause)),
            Some(Some(c)) if c == cause => Some(Some(c)),
            _ => Some(None),
        };
        self.parts |= part;
        // Worst first: by cause, then the longest overdue, then plan order.
        let order = self.total;
        self.total += 1;
        if self.named.len() < Causes::NAMED {
            self.named.push(Named { place, rank: (cause, -days_overdue(), order) });
        } else if let Some(last) = self.named.iter_mut().max_by_key(|n| n.rank)
            && cause <= last.rank.0
        {
            let named = Named { place, rank: (cause, -days_overdue(), order) };
            if named.rank < last.rank {
                *last = named;
            }
        }
    }
}

/// One node of [`Ratings`], found by its [`Place`]: its ratings, counts and flags,
/// and its reasons on request.
#[derive(Debug, Clone, Copy)]
pub struct NodeRating<'r, 'a> {
    ratings: &'r Ratings<'a>,
    place: Place,
    /// The node in the plan (none for the plan itself).
    at: Option<PlanNode<'a>>,
}

impl<'a> NodeRating<'_, 'a> {
    /// Where the node is.
    pub fn place(&self) -> Place {
        self.place
    }

    /// The node as the plan walk meets it (none for the plan itself).
    pub fn plan_node(&self) -> Option<PlanNode<'a>> {
        self.at
    }

    /// What the node is; none for the plan itself.
    pub fn kind(&self) -> Option<NodeKind> {
        self.at.map(|n| n.kind())
    }

    /// The node's key; none for the plan itself.
    pub fn key(&self) -> Option<&'a crate::Key> {
        self.at.map(|n| n.key())
    }

    /// The node's title (the plan's title for the plan itself).
    pub fn title(&self) -> &'a str {
        self.at.map_or(self.ratings.plan.title.as_str(), |n| n.title())
    }

    /// The action, when the node is one.
    pub fn action(&self) -> Option<&'a Action> {
        match self.place {
            Place::Action(p) => self.ratings.actions.get(p).copied(),
            _ => None,
        }
    }

    fn record(&self) -> Option<&ActionRecord> {
        match self.place {
            Place::Action(p) => self.ratings.records.get(p),
            _ => None,
        }
    }

    /// Its effective rating on `dimension`.
    pub fn rating(&self, dimension: Dimension) -> Rating {
        match (self.record(), self.ratings.parent(self.place)) {
            (Some(r), _) => r.rating(dimension),
            (None, Some(p)) => p.rating(dimension),
            (None, None) => Rating::NotRated,
        }
    }

    /// The rating the plan reports for the node on `dimension`, when it reports one.
    pub fn reported(&self, dimension: Dimension) -> Option<Rating> {
        match (self.action(), self.at.and_then(|n| n.node.parent_ratings())) {
            (Some(a), _) => match dimension {
                Dimension::Delivery => a.action_rag,
                Dimension::Outcome => a.outcome_rag,
            },
            (None, Some(node)) => reported(node, dimension),
            (None, None) => None,
        }
    }

    /// The actions below the node (an action counts itself) by their effective
    /// rating on `dimension`; cancelled and removed actions are not counted.
    pub fn counts(&self, dimension: Dimension) -> RatingCounts {
        match (self.record(), self.ratings.parent(self.place)) {
            (Some(r), _) => {
                let mut counts = RatingCounts::default();
                if !r.excluded() {
                    counts.add(r.rating(dimension));
                    if dimension == Dimension::Delivery && r.flags.has(Flag::Unreported) {
                        counts.unreported = 1;
                    }
                }
                counts
            }
            (None, Some(p)) => p.counts[slot(dimension)],
            (None, None) => RatingCounts::default(),
        }
    }

    pub(crate) fn flag_set(&self) -> FlagSet {
        match (self.record(), self.ratings.parent(self.place)) {
            (Some(r), _) => r.flags,
            (None, Some(p)) => p.flags,
            (None, None) => FlagSet::default(),
        }
    }

    /// Whether it carries `flag`.
    pub fn has(&self, flag: Flag) -> bool {
        self.flag_set().has(flag)
    }

    /// Its flags, in [`Flag::ALL`] order.
    pub fn flags(&self) -> Vec<Flag> {
        self.flag_set().to_vec()
    }

    /// Whether it is left out of roll-up and counts: a cancelled or removed action.
    pub fn is_left_out(&self) -> bool {
        self.record().is_some_and(ActionRecord::excluded)
    }

    /// Why it has its rating on `dimension`: never empty.
    pub fn reasons(&self, dimension: Dimension) -> Vec<Reason<'a>> {
        self.reason_list(dimension).into_vec()
    }

    /// [`NodeRating::reasons`], the one reason most nodes have held inline.
    pub(crate) fn reason_list(&self, dimension: Dimension) -> ReasonVec<'a> {
        match self.place {
            Place::Action(p) => action_reasons(p, dimension, &self.ratings.action_context()),
            place => ReasonVec::from_vec(self.ratings.parent_reasons(place, dimension)),
        }
    }

    /// What a reader should know of the node beside the reasons for its rating: the
    /// sentences behind flags that are not among those reasons (stale, unless the
    /// stale rule lowered the rating; due next quarter).
    pub fn notes(&self) -> Vec<Reason<'a>> {
        self.note_list().into_vec()
    }

    /// [`NodeRating::notes`], a single note held inline.
    pub(crate) fn note_list(&self) -> ReasonVec<'a> {
        match self.place {
            Place::Action(p) => action_notes(p, &self.ratings.action_context()),
            _ => ReasonVec::new(),
        }
    }
}

/// The plan as its roll-up sees it: objectives for children, under `policy`'s plan
/// rule, with the plan's `overrides`; it reports no rating and has no measures.
fn plan_parent<'a>(policy: &Policy, overrides: &'a [Override]) -> Parent<'a> {
    Parent {
        rule: policy.plan,
        noun: ChildNoun::Objectives,
        node: &PLAN_RATINGS,
        measures: &[],
        overrides,
    }
}

fn reported(node: &NodeRatings, dimension: Dimension) -> Option<Rating> {
    match dimension {
        Dimension::Delivery => node.reported_delivery,
        Dimension::Outcome => node.reported_outcome,
    }
}

fn merge(into: &mut [RatingCounts; 2], counts: &[RatingCounts; 2]) {
    for d in DIMENSIONS {
        into[slot(d)].merge(&counts[slot(d)]);
    }
}

/// What an objective's children are called, by how many of each it has.
fn objective_noun(n_own_actions: usize, n_subs: usize) -> ChildNoun {
    match (n_own_actions == 0, n_subs == 0) {
        (false, false) => ChildNoun::Parts,
        (true, false) => ChildNoun::SubObjectives,
        _ => ChildNoun::Actions,
    }
}

/// Rates every action after its prerequisites: in plan order those whose
/// prerequisites are rated already (most of them, and in the order they lie in
/// memory), then the rest in dependency order. The result is in plan order.
fn rate_actions(
    actions: &[&Action],
    graph: &DependencyGraph<'_>,
    cx: &Ctx<'_>,
) -> Vec<ActionRecord> {
    let mut records = vec![ActionRecord::PENDING; actions.len()];
    let mut done = vec![false; actions.len()];
    let mut scratch = Vec::new();
    for (i, action) in actions.iter().enumerate() {
        let prerequisites = prerequisites(graph, i, &mut scratch);
        if prerequisites.iter().all(|&p| done[p]) {
            records[i] = rate_action(action, prerequisites, &records, cx);
            done[i] = true;
        }
    }
    for &i in graph.order_positions() {
        if !done[i] {
            let prerequisites = prerequisites(graph, i, &mut scratch);
            records[i] = rate_action(actions[i], prerequisites, &records, cx);
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
        counts[0].unreported += u32::from(r.flags.has(Flag::Unreported));
    }
    counts
}

/// A parent rated from its children (filled into `children` by `fill`), its
/// measures and what the plan reports for it.
fn parent_record<'a>(
    cx: &Ctx<'_>,
    parent: &Parent<'_>,
    counts: [RatingCounts; 2],
    children: &mut Vec<Child<'a>>,
    fill: impl Fn(Dimension, &mut Vec<Child<'a>>),
) -> ParentRecord {
    let (rule, policy) = (parent.rule, cx.policy);
    let mut flags = FlagSet::default();
    if parent.node.removed {
        // Taken out of the plan: left out of its parent's roll-up, as are the
        // actions under it, which its removal marked too.
        flags.set(Flag::Removed);
        return ParentRecord {
            delivery: Rating::NotRated,
            outcome: Rating::NotRated,
            flags,
            counts,
        };
    }
    if parent.node.critical {
        flags.set(Flag::Critical);
    }
    fill(Dimension::Delivery, children);
    let delivery = roll_up_rating(rule, policy, children);
    let outcome = if parent.measures.is_empty() {
        fill(Dimension::Outcome, children);
        roll_up_rating(rule, policy, children)
    } else {
        measures_outcome(rule, policy, parent.measures, cx.as_of).0
    };
    let mut record = ParentRecord { delivery, outcome, flags, counts };
    if let Some(ov) = Override::in_force(parent.overrides, cx.as_of) {
        record.delivery = ov.rating;
        record.flags.set(Flag::Overridden);
    }
    if DIMENSIONS
        .into_iter()
        .any(|d| reported(parent.node, d).is_some_and(|r| r != record.rating(d)))
    {
        record.flags.set(Flag::Divergent);
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

/// A sub-objective's children, or the first part of an objective's: its actions.
/// Clears `out` first.
fn fill_actions<'a>(
    out: &mut Vec<Child<'a>>,
    actions: &[&'a Action],
    records: &[ActionRecord],
    d: Dimension,
) {
    out.clear();
    out.extend(actions.iter().zip(records).map(|(a, r)| action_child(a, r, d)));
}

/// Parent children (an objective's sub-objectives, the plan's objectives), added to
/// `out` after what it holds.
fn fill_parents<'a>(
    out: &mut Vec<Child<'a>>,
    nodes: impl Iterator<Item = (&'a crate::Key, &'a String, &'a NodeRatings)>,
    records: &[ParentRecord],
    d: Dimension,
) {
    out.extend(nodes.zip(records).map(|((key, title, node), record)| Child {
        key,
        title,
        rating: record.rating(d),
        critical: node.critical,
        weight: node.weight.unwrap_or(1),
        excluded: node.removed,
    }));
}

/// An iterator that knows how many items it has left (every action of a plan, walked).
struct Counted<I> {
    walk: I,
    left: usize,
}

impl<I: Iterator> Iterator for Counted<I> {
    type Item = I::Item;

    fn next(&mut self) -> Option<I::Item> {
        let next = self.walk.next()?;
        self.left = self.left.saturating_sub(1);
        Some(next)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl<I: Iterator> ExactSizeIterator for Counted<I> {}
