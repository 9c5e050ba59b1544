//! [`PlanRollup`]: the plan's own ratings and reasons from its objectives rated in
//! parts, each part a plan holding some of them, so that a plan too big to hold
//! whole is rated objective by objective and its headline is the one [`Ratings`]
//! gives for it whole.

use std::borrow::Cow;

use chrono::NaiveDate;

use super::ctx::Ctx;
use super::explain::{Explained, causes_reason};
use super::rollup::{Child, rating_counted_as};
use super::{Causes, DIMENSIONS, ParentRecord, Ratings, fill_parents, merge, parent_record};
use super::{plan_parent, slot};
use crate::key::Key;
use crate::plan::{NodeRatings, Override};
use crate::policy::Policy;
use crate::rating::Rating;
use crate::reason::{Cause, CauseRef, Reason};
use crate::vocab::{Dimension, RatingCounts};
use crate::walk::Place;

/// The plan's roll-up over its objectives, gathered part by part: each
/// [`PlanRollup::add`] gives the [`Ratings`] of a plan holding the next objectives
/// (in plan order, rated under one policy as of one date), which can then be
/// dropped. What it keeps is a few dozen bytes an objective and the worst causes
/// found so far.
///
/// Its [`PlanRollup::rating`], [`PlanRollup::counts`] and [`PlanRollup::reasons`]
/// are those [`Ratings::whole`] gives for the plan holding every objective added:
/// the same roll-up and the same reasons, made by the same code. The plan's own
/// fields (title, overrides, report date) are taken from the first part.
///
/// # Example
/// ```
/// use chrono::NaiveDate;
/// use ragplan_core::{Dimension, PlanRollup, Policy, generate::synthetic_plan, rate};
///
/// let plan = synthetic_plan(60, 6, 3);
/// let policy = Policy::default();
/// let as_of = NaiveDate::from_ymd_opt(2015, 6, 30).unwrap();
/// let mut rollup = PlanRollup::default();
/// for half in [0..3, 3..6] {
///     let mut part = plan.clone();
///     part.objectives = plan.objectives[half].to_vec();
///     rollup.add(&rate(&part, &policy, as_of));
/// }
/// let whole = rate(&plan, &policy, as_of);
/// let d = Dimension::Delivery;
/// assert_eq!(rollup.rating(d), whole.whole().rating(d));
/// assert_eq!(rollup.reasons(d), whole.whole().reasons(d));
/// ```
#[derive(Debug, Clone, Default)]
pub struct PlanRollup {
    policy: Policy,
    as_of: Option<NaiveDate>,
    reported_on: Option<NaiveDate>,
    title: String,
    overrides: Vec<Override>,
    /// Each objective added, in plan order: its key, title and what the plan says
    /// of it.
    objectives: Vec<(Key, String, NodeRatings)>,
    /// Each objective's record, in the same order.
    records: Vec<ParentRecord>,
    /// Every action added, counted or not.
    n_actions: usize,
    /// On each dimension, for each rating the plan may roll up to, the causes that
    /// a worst-of plan so rated would name.
    causes: [Vec<(Rating, Found)>; 2],
    /// Whether a cause could not be kept (its reason did not read back).
    lost: bool,
}

/// The causes found for one rating across the parts: as [`Causes`], the worst named
/// with their reasons, owned.
#[derive(Debug, Clone, Default)]
struct Found {
    total: u32,
    cause: Option<Option<Cause>>,
    parts: bool,
    named: Vec<((Cause, i64, u32), Option<CauseRef<'static>>)>,
}

impl Found {
    /// Adds the causes one objective gave (`found`, ranked in its own order), naming
    /// each that is among the worst so far by `resolve`.
    fn absorb(&mut self, found: Causes, resolve: impl FnMut(Place) -> Option<CauseRef<'static>>) {
        let named = found.named.into_iter().map(|n| (n.rank, n.place));
        self.add(found.total, found.cause, found.parts, named, resolve);
    }

    /// Adds the causes found after these (`later`), whose named are resolved.
    fn append(&mut self, later: Found) {
        self.add(later.total, later.cause, later.parts, later.named, |named| named);
    }

    /// Adds `total` causes found after these, sharing `cause` and naming `parts`,
    /// of which `named` were the worst (ranked in their own order), each named by
    /// `resolve` when it is among the worst so far.
    fn add<T>(
        &mut self,
        total: u32,
        cause: Option<Option<Cause>>,
        parts: bool,
        named: impl IntoIterator<Item = ((Cause, i64, u32), T)>,
        mut resolve: impl FnMut(T) -> Option<CauseRef<'static>>,
    ) {
        let offset = self.total;
        self.total += total;
        self.parts |= parts;
        self.cause = match (self.cause, cause) {
            (None, theirs) => theirs,
            (ours, None) => ours,
            (Some(Some(a)), Some(Some(b))) if a == b => Some(Some(a)),
            _ => Some(None),
        };
        for ((cause, days, order), item) in named {
            // Worst first: by cause, then the longest overdue, then plan order.
            let rank = (cause, days, order + offset);
            if self.named.len() < Causes::NAMED {
                self.named.push((rank, resolve(item)));
            } else if let Some(last) = self.named.iter_mut().max_by_key(|(r, _)| *r)
                && rank < last.0
            {
                *last = (rank, resolve(item));
            }
        }
    }
}

/// `cause` with its texts owned; its reason is copied through its own serde form,
/// which the assessment document reads back to the same reason.
fn owned(cause: CauseRef<'_>) -> Option<CauseRef<'static>> {
    let value = serde_json::to_value(&cause.reason).ok()?;
    let reason: Reason<'static> = serde_json::from_value(value).ok()?;
    Some(CauseRef {
        kind: cause.kind,
        key: Cow::Owned(cause.key.into_owned()),
        title: Cow::Owned(cause.title.into_owned()),
        reason,
    })
}

impl PlanRollup {
    /// Adds the objectives `ratings` rates, after those added before.
    pub fn add(&mut self, ratings: &Ratings<'_>) {
        let plan = ratings.plan;
        if self.as_of.is_none() {
            self.policy = ratings.policy.clone();
            self.as_of = Some(ratings.as_of);
            self.reported_on = plan.reported_on;
            self.title = plan.title.clone();
            self.overrides = plan.overrides.clone();
        }
        self.n_actions += ratings.records.len();
        for (o, (objective, record)) in plan.objectives.iter().zip(&ratings.objectives).enumerate()
        {
            self.objectives.push((
                objective.key.clone(),
                objective.title.clone(),
                objective.node.clone(),
            ));
            self.records.push(*record);
            for d in DIMENSIONS {
                // An objective adds to the causes of the one rating it counts as.
                let Some(rating) = rating_counted_as(ratings.policy, record.rating(d)) else {
                    continue;
                };
                let mut found = Causes::default();
                let rule = ratings.policy.objective;
                ratings.collect_part(Place::Objective(o), rule, rating, d, &mut found);
                if found.total == 0 {
                    continue;
                }
                let list = &mut self.causes[slot(d)];
                let at = match list.iter().position(|(r, _)| *r == rating) {
                    Some(at) => at,
                    None => {
                        list.push((rating, Found::default()));
                        list.len() - 1
                    }
                };
                let mut lost = false;
                list[at].1.absorb(found, |place| {
                    let kept = ratings.cause_ref(place, d).and_then(owned);
                    lost |= kept.is_none();
                    kept
                });
                self.lost |= lost;
            }
        }
    }

    /// Adds the objectives `later` gathered, after those added here.
    pub fn append(&mut self, later: PlanRollup) {
        if self.as_of.is_none() {
            *self = later;
            return;
        }
        self.objectives.extend(later.objectives);
        self.records.extend(later.records);
        self.n_actions += later.n_actions;
        self.lost |= later.lost;
        for (ours, theirs) in self.causes.iter_mut().zip(later.causes) {
            for (rating, found) in theirs {
                match ours.iter_mut().find(|(r, _)| *r == rating) {
                    Some((_, kept)) => kept.append(found),
                    None => ours.push((rating, found)),
                }
            }
        }
    }

    /// Whether every cause found was kept whole: when not, [`PlanRollup::reasons`]
    /// may name fewer than the whole plan's.
    pub fn is_whole(&self) -> bool {
        !self.lost
    }

    /// How many objectives were added.
    pub fn n_objectives(&self) -> usize {
        self.objectives.len()
    }

    fn cx(&self) -> Ctx<'_> {
        Ctx::new(&self.policy, self.as_of.unwrap_or_default(), self.reported_on)
    }

    fn children(&self, d: Dimension) -> Vec<Child<'_>> {
        let mut children = Vec::with_capacity(self.objectives.len());
        let nodes = self.objectives.iter().map(|(key, title, node)| (key, title, node));
        fill_parents(&mut children, nodes, &self.records, d);
        children
    }

    /// The plan's record, rolled up from its objectives as [`Ratings`] rolls it.
    fn record<'s>(&'s self) -> ParentRecord {
        let mut counts = [RatingCounts::default(); 2];
        for record in &self.records {
            merge(&mut counts, &record.counts);
        }
        let parent = plan_parent(&self.policy, &self.overrides);
        let fill = |d, out: &mut Vec<Child<'s>>| {
            out.clear();
            let nodes = self.objectives.iter().map(|(key, title, node)| (key, title, node));
            fill_parents(out, nodes, &self.records, d);
        };
        parent_record(&self.cx(), &parent, counts, &mut Vec::new(), fill)
    }

    /// The plan's rating on `dimension`.
    pub fn rating(&self, dimension: Dimension) -> Rating {
        self.record().rating(dimension)
    }

    /// The plan's actions by their rating on `dimension` (cancelled and removed
    /// ones not counted).
    pub fn counts(&self, dimension: Dimension) -> RatingCounts {
        self.record().counts[slot(dimension)]
    }

    /// Why the plan has its rating on `dimension`: never empty.
    pub fn reasons(&self, dimension: Dimension) -> Vec<Reason<'_>> {
        let record = self.record();
        let children = self.children(dimension);
        let explained = Explained {
            cx: self.cx(),
            parent: plan_parent(&self.policy, &self.overrides),
            record: &record,
            below: self.n_actions,
            at: None,
            plan_title: &self.title,
        };
        explained.reasons(dimension, &children, |rating| {
            let (_, found) = self.causes[slot(dimension)].iter().find(|(r, _)| *r == rating)?;
            let mut named = found.named.clone();
            named.sort_by_key(|(rank, _)| *rank);
            let named = named.into_iter().filter_map(|(_, c)| c).collect();
            Some(causes_reason(rating, found.total, found.cause, found.parts, named))
        })
    }
}
