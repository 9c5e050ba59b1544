//! An action's rating: an override, the reported rating, or the one worked out from
//! its dates, progress, dependencies and updates, as the policy's source says; its
//! flags; and, when a reader asks, its reasons and notes.
//!
//! Each rule is written once and used twice: [`rate_action`] in the pass that rates
//! a whole plan into compact records, and [`action_reasons`] when one record is
//! explained.

use std::borrow::Cow;

use chrono::{Datelike, NaiveDate};
use smallvec::smallvec;

use crate::engine::ctx::Ctx;
use crate::plan::Action;
use crate::policy::{Policy, RatingSource, Unreported};
use crate::rating::{Rating, Status};
use crate::reason::{BlockedByReason, DueNextQuarterReason, OverriddenReason, Reason, ReasonVec};
use crate::vocab::{Dimension, Flag, FlagSet, NodeKind};

/// No action: the value of [`ActionRecord::blocker`] and [`ActionRecord::through`]
/// when there is none.
pub(crate) const NONE: u32 = u32::MAX;

/// Where an action's delivery rating comes from, which decides its reasons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    /// Cancelled or removed: left out.
    Excluded,
    /// Worked out from dates, progress, dependencies and updates.
    Derived,
    /// Worked out, and worse than the reported rating.
    DerivedWorse,
    /// Worked out, and the same as the reported (not Green) rating.
    DerivedReported,
    /// The reported rating.
    Reported,
    /// Nothing reported (under the `reported` source).
    NotReported,
    /// Nothing reported and nothing late by its dates: not rated (the default
    /// `unreported` policy).
    Unreported,
    /// An override.
    Overridden,
}

/// One action, rated: 20 bytes, with what its parent's roll-up reads of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ActionRecord {
    /// Its weight in a `mean_score` roll-up.
    pub weight: u32,
    pub delivery: Rating,
    pub outcome: Rating,
    pub source: Source,
    pub flags: FlagSet,
    /// The Red or overdue action this one waits on (a position), or [`NONE`].
    pub blocker: u32,
    /// The direct prerequisite through which it waits (a position), or [`NONE`] when
    /// it waits on the blocker directly.
    pub through: u32,
}

impl ActionRecord {
    /// An action not rated yet: it blocks nothing.
    pub(crate) const PENDING: ActionRecord = ActionRecord {
        weight: 1,
        delivery: Rating::NotRated,
        outcome: Rating::NotRated,
        source: Source::Excluded,
        flags: FlagSet::EMPTY,
        blocker: NONE,
        through: NONE,
    };

    pub(crate) fn excluded(&self) -> bool {
        self.source == Source::Excluded
    }

    fn blocks(&self) -> bool {
        !self.excluded() && (self.delivery == Rating::Red || self.flags.has(Flag::Overdue))
    }

    /// The rating on `dimension`.
    pub(crate) fn rating(&self, dimension: Dimension) -> Rating {
        match dimension {
            Dimension::Delivery => self.delivery,
            Dimension::Outcome => self.outcome,
        }
    }
}

/// Progress behind the straight-line expectation.
#[derive(Debug, Clone, Copy)]
struct Behind {
    rating: Rating,
    progress: u8,
    expected: u8,
    below_percent: u8,
}

/// What the date, progress and update rules find about an incomplete action on
/// `as_of`, before its dependencies are looked at.
#[derive(Debug, Clone, Copy, Default)]
struct Facts {
    /// The due date and the days past it.
    overdue: Option<(NaiveDate, i64)>,
    /// Not started, or its status unknown: the due date and the days until it
    /// (within the window).
    due_soon: Option<(NaiveDate, i64)>,
    /// Whether the action is known not to have started: only then does due soon
    /// lower its rating.
    not_started: bool,
    behind: Option<Behind>,
    /// Last report (an update, or the plan's report date) and days since, when past
    /// the stale window.
    stale: Option<(NaiveDate, i64)>,
    /// No update and no report date.
    never_updated: bool,
}

/// Days from `from` to `to` (negative when `to` is earlier): the difference of their
/// day numbers, which is what `(to - from).num_days()` gives, without building a
/// duration on every action.
pub(crate) fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    i64::from(to.num_days_from_ce()) - i64::from(from.num_days_from_ce())
}

fn find_facts(action: &Action, cx: &Ctx<'_>) -> Facts {
    let (policy, as_of) = (cx.policy, cx.as_of);
    let mut facts =
        Facts { not_started: action.status == Some(Status::NotStarted), ..Facts::default() };
    if let Some(due) = action.timescale.due {
        let left = days_between(as_of, due);
        let unstarted = matches!(action.status, None | Some(Status::NotStarted));
        if left < 0 {
            facts.overdue = Some((due, -left));
        } else if unstarted && left <= i64::from(policy.due_soon_days) {
            facts.due_soon = Some((due, left));
        }
        if let (Some(start), Some(progress)) = (action.start, action.progress) {
            let span = days_between(start, due);
            let passed = days_between(start, as_of);
            if span > 0 && passed > 0 {
                let expected = (passed.min(span) * 100 / span) as u8;
                let progress = progress.min(100);
                let share = u32::from(progress) * 100;
                let t = policy.progress;
                let below = |pct: u8| share < u32::from(pct) * u32::from(expected);
                let hit = if below(t.red_below_percent) {
                    Some((Rating::Red, t.red_below_percent))
                } else if below(t.amber_below_percent) {
                    Some((Rating::Amber, t.amber_below_percent))
                } else {
                    None
                };
                facts.behind = hit.map(|(rating, below_percent)| Behind {
                    rating,
                    progress,
                    expected,
                    below_percent,
                });
            }
        }
    }
    match action.last_reported_on(cx.reported_on) {
        Some(last) => {
            let days = days_between(last, as_of);
            if days > i64::from(policy.stale_days) {
                facts.stale = Some((last, days));
            }
        }
        None => facts.never_updated = true,
    }
    facts
}

/// One thing wrong with an incomplete action, with what its reason needs.
#[derive(Debug, Clone, Copy)]
enum Problem {
    Overdue(NaiveDate, i64),
    DueSoon(NaiveDate, i64),
    Behind(Behind),
    Blocked,
    Stale(NaiveDate, i64),
}

impl Problem {
    fn rating(self) -> Rating {
        match self {
            Problem::Overdue(..) => Rating::Red,
            Problem::Behind(b) => b.rating,
            Problem::DueSoon(..) | Problem::Blocked | Problem::Stale(..) => Rating::Amber,
        }
    }
}

impl Facts {
    /// The problems found that lower the rating, in the order their reasons are
    /// listed before sorting by severity.
    fn problems(&self, blocked: bool, policy: &Policy) -> impl Iterator<Item = Problem> {
        [
            self.overdue.map(|(due, days)| Problem::Overdue(due, days)),
            self.due_soon
                .filter(|_| self.not_started)
                .map(|(due, days)| Problem::DueSoon(due, days)),
            self.behind.map(Problem::Behind),
            blocked.then_some(Problem::Blocked),
            self.stale
                .filter(|_| policy.stale_lowers_to_amber)
                .map(|(on, n)| Problem::Stale(on, n)),
        ]
        .into_iter()
        .flatten()
    }

    fn flags(&self, blocked: bool, flags: &mut FlagSet) {
        for (hit, flag) in [
            (self.overdue.is_some(), Flag::Overdue),
            (self.due_soon.is_some(), Flag::DueSoon),
            (self.behind.is_some(), Flag::BehindSchedule),
            (blocked, Flag::Blocked),
            (self.stale.is_some(), Flag::Stale),
            (self.never_updated, Flag::NeverUpdated),
        ] {
            if hit {
                flags.set(flag);
            }
        }
    }
}

/// The rating the rules work out: complete, the worst problem, on track, or nothing
/// to judge.
fn derived_rating(action: &Action, facts: &Facts, blocked: bool, policy: &Policy) -> Rating {
    if action.is_complete() {
        return Rating::Complete;
    }
    let worst = facts.problems(blocked, policy).map(Problem::rating).min_by_key(|r| r.severity());
    match (worst, action.timescale.due) {
        (Some(r), _) => r,
        (None, Some(_)) => Rating::Green,
        (None, None) => Rating::NotRated,
    }
}

/// How the reported and derived ratings combine under the policy's source; then,
/// under the default `unreported` policy, an action with nothing reported whose
/// dates show nothing late (derived Green, or nothing to judge) is not rated.
fn combine(policy: &Policy, derived: Rating, action: &Action) -> (Rating, Source) {
    // `Source::Derived`: the rating is the one its dates give, with nothing reported
    // worse beside it.
    match combine_source(policy, derived, action) {
        (Rating::Green | Rating::NotRated, Source::Derived)
            if policy.unreported == Unreported::NotRated && !action.is_reported() =>
        {
            (Rating::NotRated, Source::Unreported)
        }
        other => other,
    }
}

fn combine_source(policy: &Policy, derived: Rating, action: &Action) -> (Rating, Source) {
    let complete = action.is_complete();
    // A reported Not rated is nothing reported.
    let reported = action.action_rag.filter(|r| *r != Rating::NotRated);
    match policy.source {
        RatingSource::Derived => (derived, Source::Derived),
        RatingSource::Reported => match reported {
            Some(r) => (r, Source::Reported),
            // The status is reported too.
            None if complete => (derived, Source::Derived),
            None => (Rating::NotRated, Source::NotReported),
        },
        RatingSource::WorseOf => match reported {
            _ if derived == Rating::Complete => (derived, Source::Derived),
            None => (derived, Source::Derived),
            Some(r) if derived == Rating::NotRated => (r, Source::Reported),
            Some(r) if derived.is_worse_than(r) => (derived, Source::DerivedWorse),
            Some(r) if r == derived && derived != Rating::Green => (r, Source::DerivedReported),
            Some(r) => (r, Source::Reported),
        },
    }
}

/// Rates one action. `rated` holds the records of the actions rated so far (the
/// prerequisites of this one, unless they are in a cycle with it); `prerequisites`
/// are positions in it.
pub(crate) fn rate_action(
    action: &Action,
    prerequisites: &[usize],
    rated: &[ActionRecord],
    cx: &Ctx<'_>,
) -> ActionRecord {
    let policy = cx.policy;
    let mut flags = FlagSet::default();
    if action.critical {
        flags.set(Flag::Critical);
    }
    if action.is_left_out() {
        flags.set(if action.removed { Flag::Removed } else { Flag::Cancelled });
        return ActionRecord { flags, weight: action.weight.unwrap_or(1), ..ActionRecord::PENDING };
    }

    let complete = action.is_complete();
    let mut facts = Facts::default();
    let (mut blocker, mut through) = (NONE, NONE);
    if !complete {
        facts = find_facts(action, cx);
        if !action.is_reported() {
            flags.set(Flag::Unreported);
        }
        for &p in prerequisites {
            let Some(prereq) = rated.get(p) else { continue };
            if prereq.blocks() {
                blocker = p as u32;
            } else if prereq.blocker != NONE {
                (blocker, through) = (prereq.blocker, p as u32);
            }
            if blocker != NONE {
                break;
            }
        }
    }
    let blocked = blocker != NONE;
    facts.flags(blocked, &mut flags);
    if !complete && action.timescale.due.is_some_and(|due| cx.next_quarter.contains(due)) {
        flags.set(Flag::DueNextQuarter);
    }
    let derived = derived_rating(action, &facts, blocked, policy);
    let (mut delivery, mut source) = combine(policy, derived, action);
    if let Some(ov) = action.override_on(cx.as_of) {
        flags.set(Flag::Overridden);
        (delivery, source) = (ov.rating, Source::Overridden);
    }
    let outcome = action.outcome_rag.unwrap_or(Rating::NotRated);
    let weight = action.weight.unwrap_or(1);
    ActionRecord { weight, delivery, outcome, source, flags, blocker, through }
}

/// What an action needs to explain its record: the plan's actions by position.
pub(crate) struct ActionContext<'a, 'p> {
    pub actions: &'a [&'p Action],
    pub records: &'a [ActionRecord],
    pub cx: Ctx<'a>,
}

/// The reasons for an action's rating on `dimension`: never empty.
pub(crate) fn action_reasons<'p>(
    position: usize,
    dimension: Dimension,
    cx: &ActionContext<'_, 'p>,
) -> ReasonVec<'p> {
    let action = cx.actions[position];
    let record = &cx.records[position];
    let key = || Cow::Borrowed(&action.key);
    let title = || Cow::Borrowed(action.title.as_str());
    if record.excluded() {
        return smallvec![if action.removed {
            Reason::Removed { kind: NodeKind::Action, key: key(), title: title() }
        } else {
            Reason::Cancelled { key: key(), title: title() }
        }];
    }
    if dimension == Dimension::Outcome {
        return smallvec![match action.outcome_rag {
            Some(rating) => Reason::Reported { dimension, rating, key: key(), title: title() },
            None => Reason::NotReported { dimension, key: key(), title: title() },
        }];
    }
    let reported =
        |rating: Rating| Reason::Reported { dimension, rating, key: key(), title: title() };
    let reported_rating = action.action_rag.unwrap_or(Rating::NotRated);
    match record.source {
        Source::Overridden => {
            let Some(ov) = action.override_on(cx.cx.as_of) else {
                return smallvec![reported(record.delivery)];
            };
            smallvec![Reason::Overridden(Box::new(OverriddenReason {
                rating: ov.rating,
                key: key(),
                title: title(),
                by: Cow::Borrowed(ov.by.as_str()),
                on: ov.on,
                justification: Cow::Borrowed(ov.justification.as_str()),
            }))]
        }
        Source::Reported => smallvec![reported(reported_rating)],
        Source::NotReported => {
            smallvec![Reason::NotReported { dimension, key: key(), title: title() }]
        }
        Source::Unreported => {
            smallvec![Reason::Unreported { key: key(), title: title(), due: action.timescale.due }]
        }
        Source::Derived | Source::DerivedWorse | Source::DerivedReported | Source::Excluded => {
            let mut reasons = derived_reasons(position, cx);
            match record.source {
                // Worse than reported: the effective rating is the derived one.
                Source::DerivedWorse => reasons.push(Reason::WorseThanReported {
                    rating: record.delivery,
                    reported: reported_rating,
                    key: key(),
                    title: title(),
                }),
                Source::DerivedReported => reasons.push(reported(reported_rating)),
                _ => {}
            }
            reasons
        }
    }
}

/// The sentences behind an action's flags that are not among the reasons for its
/// rating: stale (unless the stale rule lowered the rating), and due next quarter.
pub(crate) fn action_notes<'p>(position: usize, cx: &ActionContext<'_, 'p>) -> ReasonVec<'p> {
    let action = cx.actions[position];
    let record = &cx.records[position];
    // Each note comes from one of these flags: the list is sized for them, and most
    // actions have none or one.
    let noted = [Flag::Stale, Flag::NeverUpdated, Flag::DueSoon, Flag::DueNextQuarter];
    let n_notes = noted.iter().filter(|f| record.flags.has(**f)).count();
    let mut notes = ReasonVec::with_capacity(n_notes);
    if n_notes == 0 {
        return notes;
    }
    let (key, title) = (|| Cow::Borrowed(&action.key), || Cow::Borrowed(action.title.as_str()));
    // The stale reason is among the reasons when the policy lowers stale actions and
    // the rating was worked out; otherwise staleness is a note.
    let stale_is_a_reason = cx.cx.policy.stale_lowers_to_amber
        && matches!(
            record.source,
            Source::Derived | Source::DerivedWorse | Source::DerivedReported
        );
    if let (true, false, Some(last_update)) = (
        record.flags.has(Flag::Stale),
        stale_is_a_reason,
        action.last_reported_on(cx.cx.reported_on),
    ) {
        notes.push(Reason::NotUpdated {
            key: key(),
            title: title(),
            last_update,
            days: days_between(last_update, cx.cx.as_of),
            as_of: cx.cx.as_of,
        });
    }
    if record.flags.has(Flag::NeverUpdated) {
        notes.push(Reason::NeverUpdated { key: key() });
    }
    // Due soon lowers the rating only of an action known not to have started; with
    // its status unknown, it is a note.
    if let (true, None, Some(due)) =
        (record.flags.has(Flag::DueSoon), action.status, action.timescale.due)
    {
        notes.push(Reason::DueSoonStatusUnknown {
            key: key(),
            title: title(),
            due,
            days_left: days_between(cx.cx.as_of, due),
        });
    }
    if let (true, Some(due)) = (record.flags.has(Flag::DueNextQuarter), action.timescale.due) {
        notes.push(Reason::DueNextQuarter(Box::new(DueNextQuarterReason {
            key: key(),
            title: title(),
            due,
            quarter: cx.cx.next_quarter.to_string(),
            timescale: Cow::Borrowed(action.timescale.text.trim()),
            status: action.status,
        })));
    }
    notes
}

/// The reasons for an action's derived rating, in severity order.
fn derived_reasons<'p>(position: usize, cx: &ActionContext<'_, 'p>) -> ReasonVec<'p> {
    let action = cx.actions[position];
    let record = &cx.records[position];
    let key = || Cow::Borrowed(&action.key);
    let title = || Cow::Borrowed(action.title.as_str());
    if action.is_complete() {
        return smallvec![Reason::Complete { key: key(), title: title() }];
    }
    let facts = find_facts(action, &cx.cx);
    let blocker = cx.actions.get(record.blocker as usize);
    // At most five problems, sorted by severity on the stack (the sort is stable,
    // so problems of one severity keep the order `problems` lists them in), then
    // written into a list sized for them and the reason `action_reasons` may add.
    let mut found: [Option<Problem>; 5] = [None; 5];
    let mut n = 0;
    for problem in facts.problems(blocker.is_some(), cx.cx.policy) {
        if let Some(slot) = found.get_mut(n) {
            *slot = Some(problem);
            n += 1;
        }
    }
    let found = &mut found[..n];
    found.sort_by_key(|p| p.map(|p| p.rating().severity()));
    if n > 0 {
        let mut reasons = ReasonVec::with_capacity(n + 1);
        for problem in found.iter().flatten() {
            reasons.push(match *problem {
                Problem::Overdue(due, days_overdue) => {
                    Reason::Overdue { key: key(), title: title(), due, days_overdue }
                }
                Problem::DueSoon(due, days_left) => {
                    Reason::DueSoon { key: key(), title: title(), due, days_left }
                }
                Problem::Behind(b) => Reason::BehindProgress {
                    rating: b.rating,
                    key: key(),
                    title: title(),
                    progress: b.progress,
                    expected: b.expected,
                    below_percent: b.below_percent,
                    as_of: cx.cx.as_of,
                },
                Problem::Blocked => {
                    let Some(blocker) = blocker else { continue };
                    let blocker_overdue = cx
                        .records
                        .get(record.blocker as usize)
                        .is_some_and(|r| r.flags.has(Flag::Overdue));
                    Reason::BlockedBy(Box::new(BlockedByReason {
                        key: key(),
                        title: title(),
                        blocker: Cow::Borrowed(&blocker.key),
                        blocker_title: Cow::Borrowed(&blocker.title),
                        blocker_overdue,
                        through: cx
                            .actions
                            .get(record.through as usize)
                            .map(|t| Cow::Borrowed(&t.key)),
                    }))
                }
                Problem::Stale(last_update, days) => {
                    Reason::Stale { key: key(), title: title(), last_update, days }
                }
            });
        }
        if !reasons.is_empty() {
            return reasons;
        }
    }
    match action.timescale.due {
        Some(due) => smallvec![Reason::OnTrack { key: key(), title: title(), due }],
        None => smallvec![Reason::NothingToJudge { key: key(), title: title() }],
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Days, NaiveDate};

    use super::days_between;

    #[test]
    fn days_between_is_the_duration_in_days_both_ways() {
        let start = NaiveDate::from_ymd_opt(1999, 12, 25).unwrap_or_default();
        for a in (0..12_000u64).step_by(37) {
            for b in (0..12_000u64).step_by(911) {
                let (from, to) = (start + Days::new(a), start + Days::new(b));
                assert_eq!(days_between(from, to), (to - from).num_days(), "{from} {to}");
            }
        }
    }
}
