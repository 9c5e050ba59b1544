//! The engine's rules: an action's delivery rating (override, reported, derived from
//! dates, progress, dependencies and updates), measures, and the roll-up of children
//! to their parent under a [`RollupRule`].

use chrono::NaiveDate;

use crate::assessment::{
    Assessment, AssessmentFormat, DimensionAssessment, Flag, NodeAssessment, NodeKind, PlanRef,
    RatingCounts,
};
use crate::graph::DependencyGraph;
use crate::key::Key;
use crate::plan::{Action, Direction, Measure, NodeRatings, Plan};
use crate::policy::{Policy, RatingSource, RollupRule};
use crate::rating::{Rating, Status};
use crate::reason::{ChildNoun, Dimension, Driving, Reason};

/// Flags as bits, in [`Flag::ALL`] order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct FlagSet(u16);

impl FlagSet {
    fn set(&mut self, flag: Flag) {
        self.0 |= 1 << flag as u16;
    }
    fn has(self, flag: Flag) -> bool {
        self.0 & (1 << flag as u16) != 0
    }
    fn to_vec(self) -> Vec<Flag> {
        if self.0 == 0 {
            return Vec::new();
        }
        Flag::ALL.into_iter().filter(|f| self.has(*f)).collect()
    }
}

/// One action, rated.
#[derive(Debug)]
struct RatedAction {
    delivery: Rating,
    delivery_reasons: Vec<Reason>,
    outcome: Rating,
    outcome_reasons: Vec<Reason>,
    flags: FlagSet,
    /// Cancelled or removed: left out of roll-up and counts.
    excluded: bool,
    /// The Red or overdue action this one waits on, and the direct prerequisite
    /// through which it does (none when direct).
    blocked_by: Option<(usize, Option<usize>)>,
}

impl RatedAction {
    fn blocks(&self) -> bool {
        !self.excluded && (self.delivery == Rating::Red || self.flags.has(Flag::Overdue))
    }
}

/// What the derived rules found about an action on `as_of`.
struct Derived {
    rating: Rating,
    reasons: Vec<Reason>,
}

fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days()
}

/// Rates one action's delivery and outcome. `rated` holds the actions already rated
/// (the prerequisites of this one, unless they are in a cycle with it).
fn rate_action(
    action: &Action,
    prerequisites: &[usize],
    rated: &[Option<RatedAction>],
    actions: &[&Action],
    policy: &Policy,
    as_of: NaiveDate,
) -> RatedAction {
    let key = &action.key;
    let title = &action.title;
    let mut flags = FlagSet::default();
    if action.critical {
        flags.set(Flag::Critical);
    }
    if action.removed || action.status == Status::Cancelled {
        let (flag, reason) = if action.removed {
            (Flag::Removed, Reason::Removed { key: key.clone(), title: title.clone() })
        } else {
            (Flag::Cancelled, Reason::Cancelled { key: key.clone(), title: title.clone() })
        };
        flags.set(flag);
        return RatedAction {
            delivery: Rating::NotRated,
            delivery_reasons: vec![reason.clone()],
            outcome: Rating::NotRated,
            outcome_reasons: vec![reason],
            flags,
            excluded: true,
            blocked_by: None,
        };
    }

    // Facts relative to `as_of`.
    let complete = action.status == Status::Complete;
    let due = action.timescale.due;
    let mut problems: Vec<(Rating, Reason)> = Vec::new();
    let mut blocked_by = None;
    if !complete {
        if let Some(due) = due {
            let left = days_between(as_of, due);
            if left < 0 {
                flags.set(Flag::Overdue);
                problems.push((
                    Rating::Red,
                    Reason::Overdue {
                        key: key.clone(),
                        title: title.clone(),
                        due,
                        days_overdue: -left,
                    },
                ));
            } else if action.status == Status::NotStarted && left <= i64::from(policy.due_soon_days)
            {
                flags.set(Flag::DueSoon);
                problems.push((
                    Rating::Amber,
                    Reason::DueSoon {
                        key: key.clone(),
                        title: title.clone(),
                        due,
                        days_left: left,
                    },
                ));
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
                    if let Some((rating, below_percent)) = hit {
                        flags.set(Flag::BehindSchedule);
                        problems.push((
                            rating,
                            Reason::BehindProgress {
                                rating,
                                key: key.clone(),
                                title: title.clone(),
                                progress,
                                expected,
                                below_percent,
                                as_of,
                            },
                        ));
                    }
                }
            }
        }
        for &p in prerequisites {
            let Some(prereq) = rated.get(p).and_then(Option::as_ref) else { continue };
            if prereq.blocks() {
                blocked_by = Some((p, None));
            } else if let Some((blocker, _)) = prereq.blocked_by {
                blocked_by = Some((blocker, Some(p)));
            }
            if blocked_by.is_some() {
                break;
            }
        }
        if let Some((blocker, through)) = blocked_by {
            flags.set(Flag::Blocked);
            let b = actions[blocker];
            let blocker_overdue =
                rated[blocker].as_ref().is_some_and(|r| r.flags.has(Flag::Overdue));
            problems.push((
                Rating::Amber,
                Reason::BlockedBy {
                    key: key.clone(),
                    title: title.clone(),
                    blocker: b.key.clone(),
                    blocker_title: b.title.clone(),
                    blocker_overdue,
                    through: through.map(|t| actions[t].key.clone()),
                },
            ));
        }
        if let Some(last) = action.last_update_on() {
            let days = days_between(last, as_of);
            if days > i64::from(policy.stale_days) {
                flags.set(Flag::Stale);
                if policy.stale_lowers_to_amber {
                    problems.push((
                        Rating::Amber,
                        Reason::Stale {
                            key: key.clone(),
                            title: title.clone(),
                            last_update: last,
                            days,
                        },
                    ));
                }
            }
        }
    }

    let derived = if complete {
        Derived {
            rating: Rating::Complete,
            reasons: vec![Reason::Complete { key: key.clone(), title: title.clone() }],
        }
    } else if !problems.is_empty() {
        problems.sort_by_key(|(r, _)| r.severity());
        Derived { rating: problems[0].0, reasons: problems.into_iter().map(|(_, r)| r).collect() }
    } else if let Some(due) = due {
        Derived {
            rating: Rating::Green,
            reasons: vec![Reason::OnTrack { key: key.clone(), title: title.clone(), due }],
        }
    } else {
        Derived {
            rating: Rating::NotRated,
            reasons: vec![Reason::NothingToJudge { key: key.clone(), title: title.clone() }],
        }
    };

    let reported = action.action_rag;
    let reported_reason = |rating: Rating| Reason::Reported {
        dimension: Dimension::Delivery,
        rating,
        key: key.clone(),
        title: title.clone(),
    };
    let (mut delivery, mut delivery_reasons) = match policy.source {
        RatingSource::Derived => (derived.rating, derived.reasons),
        RatingSource::Reported => match reported {
            Some(r) => (r, vec![reported_reason(r)]),
            // The status is reported too.
            None if complete => (derived.rating, derived.reasons),
            None => (
                Rating::NotRated,
                vec![Reason::NotReported {
                    dimension: Dimension::Delivery,
                    key: key.clone(),
                    title: title.clone(),
                }],
            ),
        },
        RatingSource::WorseOf => match reported {
            _ if derived.rating == Rating::Complete => (derived.rating, derived.reasons),
            None | Some(Rating::NotRated) => (derived.rating, derived.reasons),
            Some(r) if derived.rating == Rating::NotRated => (r, vec![reported_reason(r)]),
            Some(r) if derived.rating.is_worse_than(r) => {
                let mut reasons = derived.reasons;
                reasons.push(Reason::WorseThanReported {
                    rating: derived.rating,
                    reported: r,
                    key: key.clone(),
                    title: title.clone(),
                });
                (derived.rating, reasons)
            }
            Some(r) if r == derived.rating && derived.rating != Rating::Green => {
                let mut reasons = derived.reasons;
                reasons.push(reported_reason(r));
                (r, reasons)
            }
            Some(r) => (r, vec![reported_reason(r)]),
        },
    };
    if let Some(ov) = &action.override_rating {
        flags.set(Flag::Overridden);
        delivery = ov.rating;
        delivery_reasons = vec![Reason::Overridden {
            rating: ov.rating,
            key: key.clone(),
            title: title.clone(),
            by: ov.by.clone(),
            on: ov.on,
            justification: ov.justification.clone(),
        }];
    }

    let (outcome, outcome_reasons) = match action.outcome_rag {
        Some(r) => (
            r,
            vec![Reason::Reported {
                dimension: Dimension::Outcome,
                rating: r,
                key: key.clone(),
                title: title.clone(),
            }],
        ),
        None => (
            Rating::NotRated,
            vec![Reason::NotReported {
                dimension: Dimension::Outcome,
                key: key.clone(),
                title: title.clone(),
            }],
        ),
    };

    RatedAction {
        delivery,
        delivery_reasons,
        outcome,
        outcome_reasons,
        flags,
        excluded: false,
        blocked_by,
    }
}

/// A child as the roll-up sees it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Child<'a> {
    pub key: &'a Key,
    pub title: &'a str,
    pub rating: Rating,
    pub critical: bool,
    pub weight: u32,
    /// Cancelled or removed: never counted.
    pub excluded: bool,
}

/// Rolls `children` up under `rule` and the policy's exclusions: the rating and its
/// reasons (never empty).
pub(crate) fn roll_up(
    rule: RollupRule,
    policy: &Policy,
    noun: ChildNoun,
    children: &[Child<'_>],
) -> (Rating, Vec<Reason>) {
    // The rating each child counts as, or none when it is left out.
    let counted_as = |c: &Child<'_>| -> Option<Rating> {
        match c.rating {
            _ if c.excluded => None,
            Rating::Complete => policy.complete_counts_as_green.then_some(Rating::Green),
            Rating::NotRated => policy.not_rated_counts_as_amber.then_some(Rating::Amber),
            r => Some(r),
        }
    };
    let mut counted: u32 = 0;
    let mut left_out: u32 = 0;
    let mut complete: u32 = 0;
    let mut considered: u32 = 0;
    let mut per_rating = [0u32; 5];
    for c in children {
        if !c.excluded && c.rating == Rating::Complete {
            complete += 1;
        }
        if !c.excluded && (c.rating != Rating::NotRated || policy.not_rated_counts_as_amber) {
            considered += 1;
        }
        match counted_as(c).and_then(Rating::score) {
            Some(score) => {
                counted += 1;
                per_rating[usize::from(score)] += 1;
            }
            None => left_out += 1,
        }
    }

    if complete > 0 && complete == considered {
        return (Rating::Complete, vec![Reason::AllComplete { noun, counted: complete }]);
    }

    let critical: Vec<Reason> = children
        .iter()
        .filter(|c| !c.excluded && c.critical && c.rating == Rating::Red)
        .map(|c| Reason::CriticalChild { noun, key: c.key.clone(), title: c.title.to_owned() })
        .collect();
    if !critical.is_empty() {
        return (Rating::Red, critical);
    }

    if counted == 0 {
        return (Rating::NotRated, vec![Reason::NothingToCount { noun, left_out }]);
    }

    let driving_of = |rating: Rating| {
        let mut driving = Driving::default();
        for c in children {
            if counted_as(c) == Some(rating) {
                driving.push(c.key, c.title);
            }
        }
        driving
    };

    match rule {
        RollupRule::WorstOf => {
            let worst = per_rating.iter().position(|n| *n > 0).unwrap_or(4) as u8;
            let rating = Rating::from_score(worst);
            (
                rating,
                vec![Reason::WorstChild { rating, noun, counted, driving: driving_of(rating) }],
            )
        }
        RollupRule::Majority => {
            let most = per_rating.iter().copied().max().unwrap_or(0);
            // The worst of the most common: scores run red (0) to green (4).
            let winner = per_rating.iter().position(|n| *n == most).unwrap_or(0);
            let rating = Rating::from_score(winner as u8);
            let tied_with = (winner + 1..5)
                .filter(|s| per_rating[*s] == most)
                .map(|s| Rating::from_score(s as u8))
                .collect();
            let driving = driving_of(rating);
            (rating, vec![Reason::MostCommon { rating, noun, counted, tied_with, driving }])
        }
        RollupRule::MeanScore { green_from, amber_from } => {
            let mut sum: u64 = 0;
            let mut total: u64 = 0;
            for c in children {
                if let Some(score) = counted_as(c).and_then(Rating::score) {
                    sum += u64::from(score) * u64::from(c.weight);
                    total += u64::from(c.weight);
                }
            }
            let mean = if total == 0 {
                // Every counted child weighs nothing: fall back to the plain mean.
                let plain: u32 = per_rating.iter().enumerate().map(|(s, n)| s as u32 * n).sum();
                f64::from(plain) / f64::from(counted)
            } else {
                sum as f64 / total as f64
            };
            let rating = if mean >= green_from {
                Rating::Green
            } else if mean >= amber_from {
                Rating::Amber
            } else {
                Rating::Red
            };
            let lowest_score = per_rating.iter().position(|n| *n > 0).unwrap_or(4) as u8;
            let lowest = if rating == Rating::Green {
                Driving::default()
            } else {
                driving_of(Rating::from_score(lowest_score))
            };
            (
                rating,
                vec![Reason::MeanScore {
                    rating,
                    noun,
                    counted,
                    mean,
                    green_from,
                    amber_from,
                    lowest,
                }],
            )
        }
        RollupRule::Share { red_from_percent, green_from_percent } => {
            let red = per_rating[0];
            let green = per_rating[4];
            // In u64: a node may hold more than 42 million children.
            let at_least =
                |n: u32, percent: u8| u64::from(n) * 100 >= u64::from(percent) * u64::from(counted);
            let rating = if red > 0 && at_least(red, red_from_percent) {
                Rating::Red
            } else if red == 0 && at_least(green, green_from_percent) {
                Rating::Green
            } else {
                Rating::Amber
            };
            let driving =
                if rating == Rating::Green { Driving::default() } else { driving_of(Rating::Red) };
            (
                rating,
                vec![Reason::Share {
                    rating,
                    noun,
                    counted,
                    red,
                    green,
                    red_from_percent,
                    green_from_percent,
                    driving,
                }],
            )
        }
    }
}

/// Rates a measure on `as_of`: its rating and the reason.
pub(crate) fn rate_measure(measure: &Measure, as_of: NaiveDate) -> (Rating, Reason) {
    let key = measure.key.clone();
    let title = measure.title.clone();
    // Latest reading on or before `as_of` (the later-listed wins a tie), and the one
    // before it.
    let mut latest: Option<usize> = None;
    for (i, r) in measure.readings.iter().enumerate() {
        if r.on <= as_of && latest.is_none_or(|l| measure.readings[l].on <= r.on) {
            latest = Some(i);
        }
    }
    let Some(latest) = latest else {
        return (Rating::NotRated, Reason::MeasureNoReading { key, title, as_of });
    };
    let reading = &measure.readings[latest];
    let mut previous: Option<usize> = None;
    for (i, r) in measure.readings.iter().enumerate() {
        let before = r.on < reading.on || (r.on == reading.on && i < latest);
        if i != latest && before && previous.is_none_or(|p| measure.readings[p].on <= r.on) {
            previous = Some(i);
        }
    }
    let previous = previous.map(|p| measure.readings[p].value);
    let (value, target, tolerance) = (reading.value, measure.target, measure.tolerance.abs());
    let good_side = match measure.direction {
        Direction::HigherIsBetter => value >= target,
        Direction::LowerIsBetter => value <= target,
    };
    if good_side || (value - target).abs() <= tolerance {
        return (
            Rating::Green,
            Reason::MeasureOnTarget { key, title, value, on: reading.on, target, tolerance },
        );
    }
    let improved = previous.is_some_and(|p| match measure.direction {
        Direction::HigherIsBetter => value > p,
        Direction::LowerIsBetter => value < p,
    });
    let rating = if improved { Rating::Amber } else { Rating::Red };
    (
        rating,
        Reason::MeasureOffTarget { rating, key, title, value, on: reading.on, target, previous },
    )
}

/// The outcome of a parent with measures: the measures rolled up, with each
/// measure's reason after the roll-up's.
fn measures_outcome(
    rule: RollupRule,
    policy: &Policy,
    measures: &[Measure],
    as_of: NaiveDate,
) -> (Rating, Vec<Reason>) {
    let rated: Vec<(Rating, Reason)> = measures.iter().map(|m| rate_measure(m, as_of)).collect();
    let children: Vec<Child<'_>> = measures
        .iter()
        .zip(&rated)
        .map(|(m, (rating, _))| Child {
            key: &m.key,
            title: &m.title,
            rating: *rating,
            critical: false,
            weight: 1,
            excluded: false,
        })
        .collect();
    let (rating, mut reasons) = roll_up(rule, policy, ChildNoun::Measures, &children);
    reasons.extend(rated.into_iter().map(|(_, r)| r));
    (rating, reasons)
}

/// A parent's two dimensions from its children, its measures and what the plan
/// reports for it; sets the divergent flag.
#[allow(clippy::too_many_arguments)]
fn parent_dimensions(
    rule: RollupRule,
    policy: &Policy,
    noun: ChildNoun,
    children: &[NodeAssessment],
    child_meta: &[(bool, u32, bool)],
    measures: &[Measure],
    reported: &NodeRatings,
    as_of: NaiveDate,
    flags: &mut FlagSet,
) -> (DimensionAssessment, DimensionAssessment) {
    let child_list = |outcome: bool| -> Vec<Child<'_>> {
        children
            .iter()
            .zip(child_meta)
            .map(|(n, &(critical, weight, excluded))| Child {
                key: &n.key,
                title: &n.title,
                rating: if outcome { n.outcome.rating } else { n.delivery.rating },
                critical,
                weight,
                excluded,
            })
            .collect()
    };
    let (d_rating, d_reasons) = roll_up(rule, policy, noun, &child_list(false));
    let (o_rating, o_reasons) = if measures.is_empty() {
        roll_up(rule, policy, noun, &child_list(true))
    } else {
        measures_outcome(rule, policy, measures, as_of)
    };
    let mut d_counts = RatingCounts::default();
    let mut o_counts = RatingCounts::default();
    for n in children {
        d_counts.merge(&n.delivery.counts);
        o_counts.merge(&n.outcome.counts);
    }
    let mut dimension =
        |rating: Rating, mut reasons: Vec<Reason>, counts, reported: Option<Rating>| {
            if let Some(r) = reported.filter(|r| *r != rating) {
                flags.set(Flag::Divergent);
                reasons.push(Reason::Divergent { rating, reported: r });
            }
            DimensionAssessment { rating, reported, counts, reasons }
        };
    let delivery = dimension(d_rating, d_reasons, d_counts, reported.reported_delivery);
    let outcome = dimension(o_rating, o_reasons, o_counts, reported.reported_outcome);
    (delivery, outcome)
}

fn action_node(action: &Action, rated: RatedAction) -> NodeAssessment {
    let mut d_counts = RatingCounts::default();
    let mut o_counts = RatingCounts::default();
    if !rated.excluded {
        d_counts.add(rated.delivery);
        o_counts.add(rated.outcome);
    }
    NodeAssessment {
        key: action.key.clone(),
        kind: NodeKind::Action,
        title: action.title.clone(),
        delivery: DimensionAssessment {
            rating: rated.delivery,
            reported: action.action_rag,
            counts: d_counts,
            reasons: rated.delivery_reasons,
        },
        outcome: DimensionAssessment {
            rating: rated.outcome,
            reported: action.outcome_rag,
            counts: o_counts,
            reasons: rated.outcome_reasons,
        },
        flags: rated.flags.to_vec(),
        children: Vec::new(),
    }
}

fn action_meta(action: &Action) -> (bool, u32, bool) {
    (
        action.critical,
        action.weight.unwrap_or(1),
        action.removed || action.status == Status::Cancelled,
    )
}

fn node_meta(node: &NodeRatings) -> (bool, u32, bool) {
    (node.critical, node.weight.unwrap_or(1), false)
}

/// Rates every action of `plan` in dependency order; the result is in plan order.
fn rate_actions(
    actions: &[&Action],
    graph: &DependencyGraph<'_>,
    policy: &Policy,
    as_of: NaiveDate,
) -> Vec<Option<RatedAction>> {
    let mut rated: Vec<Option<RatedAction>> = Vec::with_capacity(actions.len());
    rated.resize_with(actions.len(), || None);
    for &i in graph.order_positions() {
        let all = graph.prerequisite_positions(i);
        // Within a cycle, prerequisites in the same cycle are ignored so that the
        // result does not depend on the order the cycle is walked.
        let outside: Vec<usize>;
        let prerequisites = if all.iter().any(|&p| graph.same_cycle(i, p)) {
            outside = all.iter().copied().filter(|&p| !graph.same_cycle(i, p)).collect();
            &outside[..]
        } else {
            all
        };
        rated[i] = Some(rate_action(actions[i], prerequisites, &rated, actions, policy, as_of));
    }
    rated
}

/// The whole assessment, with the lints validation finds.
pub(crate) fn assess_plan(plan: &Plan, policy: &Policy, as_of: NaiveDate) -> Assessment {
    let actions: Vec<&Action> = plan.actions().collect();
    let graph = DependencyGraph::from_actions(&actions);
    let lints = crate::validate::lints_with(plan, &actions, &graph);
    let mut rated = rate_actions(&actions, &graph, policy, as_of).into_iter();
    let mut take = |action: &Action| -> NodeAssessment {
        // `rated` is in the order of `Plan::actions`, which this walk follows.
        match rated.next().flatten() {
            Some(r) => action_node(action, r),
            // Not reached: every action was rated above. Rated alone, without its
            // prerequisites, rather than panicking.
            None => action_node(action, rate_action(action, &[], &[], &[], policy, as_of)),
        }
    };

    let mut nodes = Vec::with_capacity(plan.objectives.len());
    let mut objective_meta = Vec::with_capacity(plan.objectives.len());
    for objective in &plan.objectives {
        let mut children =
            Vec::with_capacity(objective.actions.len() + objective.sub_objectives.len());
        let mut meta = Vec::with_capacity(children.capacity());
        for action in &objective.actions {
            children.push(take(action));
            meta.push(action_meta(action));
        }
        for sub in &objective.sub_objectives {
            let sub_children: Vec<NodeAssessment> = sub.actions.iter().map(&mut take).collect();
            let sub_meta: Vec<_> = sub.actions.iter().map(action_meta).collect();
            let mut flags = FlagSet::default();
            if sub.node.critical {
                flags.set(Flag::Critical);
            }
            let (delivery, outcome) = parent_dimensions(
                policy.sub_objective,
                policy,
                ChildNoun::Actions,
                &sub_children,
                &sub_meta,
                &sub.measures,
                &sub.node,
                as_of,
                &mut flags,
            );
            children.push(NodeAssessment {
                key: sub.key.clone(),
                kind: NodeKind::SubObjective,
                title: sub.title.clone(),
                delivery,
                outcome,
                flags: flags.to_vec(),
                children: sub_children,
            });
            meta.push(node_meta(&sub.node));
        }
        let noun = match (objective.actions.is_empty(), objective.sub_objectives.is_empty()) {
            (false, false) => ChildNoun::Parts,
            (true, false) => ChildNoun::SubObjectives,
            _ => ChildNoun::Actions,
        };
        let mut flags = FlagSet::default();
        if objective.node.critical {
            flags.set(Flag::Critical);
        }
        let (delivery, outcome) = parent_dimensions(
            policy.objective,
            policy,
            noun,
            &children,
            &meta,
            &objective.measures,
            &objective.node,
            as_of,
            &mut flags,
        );
        nodes.push(NodeAssessment {
            key: objective.key.clone(),
            kind: NodeKind::Objective,
            title: objective.title.clone(),
            delivery,
            outcome,
            flags: flags.to_vec(),
            children,
        });
        objective_meta.push(node_meta(&objective.node));
    }

    let mut plan_flags = FlagSet::default();
    let (delivery, outcome) = parent_dimensions(
        policy.plan,
        policy,
        ChildNoun::Objectives,
        &nodes,
        &objective_meta,
        &[],
        &NodeRatings::default(),
        as_of,
        &mut plan_flags,
    );

    Assessment {
        format: AssessmentFormat,
        plan: PlanRef { id: plan.id.clone(), title: plan.title.clone() },
        as_of,
        policy: policy.clone(),
        delivery,
        outcome,
        nodes,
        lints,
    }
}
