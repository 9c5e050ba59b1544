//! Why a parent has its rating: the one rule for every parent — a sub-objective, an
//! objective and the plan, whether the plan is rated whole ([`super::Ratings`]) or
//! from its objectives rated in parts ([`super::PlanRollup`]).

use std::borrow::Cow;

use super::ctx::Ctx;
use super::measure::measures_outcome;
use super::rollup::{Child, decided_by_rule, roll_up, roll_up_rating};
use super::{Parent, ParentRecord, reported, slot};
use crate::plan::Override;
use crate::policy::RollupRule;
use crate::rating::Rating;
use crate::reason::{
    Cause, CauseRef, ChildNoun, ParentOverriddenReason, Reason, WithoutOverrideReason,
};
use crate::vocab::Dimension;
use crate::walk::PlanNode;

/// A parent to explain: what its roll-up reads, its record, how many actions lie
/// below it (counted or not), and where it is (none for the plan).
pub(super) struct Explained<'p, 'a> {
    pub cx: Ctx<'p>,
    pub parent: Parent<'a>,
    pub record: &'p ParentRecord,
    pub below: usize,
    pub at: Option<PlanNode<'a>>,
    pub plan_title: &'a str,
}

impl<'a> Explained<'_, 'a> {
    /// The parent's reasons on `d` from its `children`: the roll-up's (or the
    /// measures'; for a worst-of parent the actions `causes` names below it), then
    /// an override in force, the Not rated actions left out and a divergent reported
    /// rating.
    pub fn reasons(
        &self,
        d: Dimension,
        children: &[Child<'a>],
        causes: impl FnOnce(Rating) -> Option<Reason<'a>>,
    ) -> Vec<Reason<'a>> {
        let (parent, record, policy) = (&self.parent, self.record, self.cx.policy);
        if parent.node.removed
            && let Some(at) = self.at
        {
            return vec![Reason::Removed {
                kind: at.kind(),
                key: Cow::Borrowed(at.key()),
                title: Cow::Borrowed(at.title()),
            }];
        }
        let rating = record.rating(d);
        let by_measures = d == Dimension::Outcome && !parent.measures.is_empty();
        let mut reasons = if by_measures {
            measures_outcome(parent.rule, policy, parent.measures, self.cx.as_of).1
        } else if parent.rule == RollupRule::WorstOf
            && decided_by_rule(parent.rule, policy, children)
        {
            // A worst-of parent names the actions that drive it, through every level;
            // should none be found, the roll-up names its children itself.
            let rolled_up = roll_up_rating(parent.rule, policy, children);
            match causes(rolled_up) {
                Some(causes) => vec![causes],
                None => roll_up(parent.rule, policy, parent.noun, children).1,
            }
        } else {
            roll_up(parent.rule, policy, parent.noun, children).1
        };
        if !by_measures
            && let Some(Reason::NothingToCount { not_rated_actions, left_out_actions, .. }) =
                reasons.first_mut()
        {
            let counted = record.counts[slot(d)].total() as usize;
            *left_out_actions =
                u32::try_from(self.below.saturating_sub(counted)).unwrap_or(u32::MAX);
            // What leaves the parts with nothing to count, told from the actions.
            *not_rated_actions = record.counts[slot(d)].get(Rating::NotRated);
        }
        let overridden = (d == Dimension::Delivery)
            .then(|| Override::in_force(parent.overrides, self.cx.as_of))
            .flatten();
        if let Some(ov) = overridden {
            let at = self.at;
            // The roll-up's reason for another rating is what it would be without.
            let rolled_up = roll_up_rating(parent.rule, policy, children);
            if rolled_up != ov.rating && !reasons.is_empty() {
                let reason = reasons.remove(0);
                let without = WithoutOverrideReason { reason };
                reasons.insert(0, Reason::WithoutOverride(Box::new(without)));
            }
            reasons.insert(
                0,
                Reason::ParentOverridden(Box::new(ParentOverriddenReason {
                    rating: ov.rating,
                    kind: at.map(|n| n.kind()),
                    key: at.map(|n| Cow::Borrowed(n.key())),
                    title: Cow::Borrowed(at.map_or(self.plan_title, |n| n.title())),
                    by: Cow::Borrowed(ov.by.as_str()),
                    on: ov.on,
                    justification: Cow::Borrowed(ov.justification.as_str()),
                })),
            );
        }
        let counts = &record.counts[slot(d)];
        let not_rated = counts.get(Rating::NotRated);
        // Unknown is not Green: a rating that stands without some actions says so,
        // unless it is the worst that worst-of could give.
        let worst_already = rating == Rating::Red
            && (parent.rule == RollupRule::WorstOf
                || matches!(reasons.first(), Some(Reason::CriticalChild { .. })));
        if !by_measures
            && not_rated > 0
            && !policy.not_rated_counts_as_amber
            && overridden.is_none()
            && rating != Rating::NotRated
            && !worst_already
        {
            reasons.push(Reason::NotRatedLeftOut { not_rated, actions: counts.total() });
        }
        if let Some(r) = reported(parent.node, d).filter(|r| *r != rating) {
            reasons.push(Reason::Divergent { rating, reported: r });
        }
        reasons
    }
}

/// The reason naming the causes found below a worst-of parent rated `rating`:
/// `total` of them, the `named` worst first; the sentence groups them by cause only
/// when every one shares `cause` and the named agree with it.
pub(super) fn causes_reason<'a>(
    rating: Rating,
    total: u32,
    cause: Option<Option<Cause>>,
    parts: bool,
    named: Vec<CauseRef<'a>>,
) -> Reason<'a> {
    let cause =
        cause.flatten().filter(|shared| named.iter().all(|r| Cause::of(&r.reason).0 == *shared));
    Reason::Causes {
        rating,
        noun: if parts { ChildNoun::Parts } else { ChildNoun::Actions },
        total,
        cause,
        more: total.saturating_sub(named.len() as u32),
        named,
    }
}
