//! Invariants of the engine over generated plans.

use std::collections::HashMap;

use crate::common::{Assessment, NodeAssessment, assess};
use chrono::{Days, NaiveDate};
use proptest::prelude::*;
use ragplan_core::{
    Action, Flag, Key, NodeKind, Objective, Plan, PlanId, Policy, Rating, RatingSource, RollupRule,
    Status, SubObjective, Timescale, Update, rate,
};
use ragplan_core::{Dimension, Place, RatingCounts};

const TIMESCALES: [&str; 8] =
    ["", "May 2015", "June 2015", "Q2 2015/16", "2015/16", "Ongoing", "TBC", "15/07/2015"];
const RATINGS: [Option<Rating>; 5] =
    [None, Some(Rating::Red), Some(Rating::Amber), Some(Rating::Green), Some(Rating::NotRated)];
const STATUSES: [Option<Status>; 6] = [
    None,
    Some(Status::NotStarted),
    Some(Status::InProgress),
    Some(Status::Complete),
    Some(Status::Cancelled),
    Some(Status::OnHold),
];

/// The parts of a generated action; keys are given when the plan is put together.
#[derive(Debug, Clone)]
struct ActionSpec {
    timescale: usize,
    rating: usize,
    outcome: usize,
    status: usize,
    critical: bool,
    weight: u32,
    progress: Option<u8>,
    updated: Option<u32>,
    /// Depends on the action this many places earlier in its sub-objective.
    depends_back: Option<usize>,
}

fn action_spec() -> impl Strategy<Value = ActionSpec> {
    (
        0..TIMESCALES.len(),
        0..RATINGS.len(),
        0..RATINGS.len(),
        0..STATUSES.len(),
        prop::bool::weighted(0.15),
        1u32..4,
        prop::option::of(0u8..=100),
        prop::option::of(0u32..200),
        prop::option::weighted(0.2, 1usize..4),
    )
        .prop_map(
            |(
                timescale,
                rating,
                outcome,
                status,
                critical,
                weight,
                progress,
                updated,
                depends_back,
            )| ActionSpec {
                timescale,
                rating,
                outcome,
                status,
                critical,
                weight,
                progress,
                updated,
                depends_back,
            },
        )
}

/// Objectives of sub-objectives of actions, plus an objective's own actions.
type Shape = Vec<(Vec<ActionSpec>, Vec<Vec<ActionSpec>>, bool)>;

fn shape() -> impl Strategy<Value = Shape> {
    prop::collection::vec(
        (
            prop::collection::vec(action_spec(), 0..3),
            prop::collection::vec(prop::collection::vec(action_spec(), 0..5), 0..4),
            prop::bool::weighted(0.2),
        ),
        1..4,
    )
}

fn build_action(k: Key, spec: &ActionSpec, siblings: &[Key]) -> Action {
    let mut a = Action::new(k.clone(), format!("Action {k}"));
    a.timescale = Timescale::parse(TIMESCALES[spec.timescale]);
    a.action_rag = RATINGS[spec.rating];
    a.outcome_rag = RATINGS[spec.outcome];
    a.status = STATUSES[spec.status];
    a.critical = spec.critical;
    a.weight = Some(spec.weight);
    if let Some(p) = spec.progress {
        a.start = NaiveDate::from_ymd_opt(2015, 4, 1);
        a.progress = Some(p);
    }
    if let Some(days) = spec.updated {
        let on = NaiveDate::from_ymd_opt(2015, 1, 1).unwrap() + Days::new(u64::from(days));
        a.updates.push(Update::new(on, "Lead"));
    }
    if let Some(back) = spec.depends_back.filter(|b| *b <= siblings.len()) {
        a.depends_on.push(siblings[siblings.len() - back].clone());
    }
    a
}

fn build(shape: &Shape) -> Plan {
    let mut plan = Plan::new(PlanId::new("prop").unwrap(), "Generated");
    for (o, (own, subs, critical)) in shape.iter().enumerate() {
        let o_key = Key::positional(None, o);
        let mut objective = Objective::new(o_key.clone(), format!("Objective {o_key}"));
        objective.node.critical = *critical;
        let mut siblings = Vec::new();
        for (i, spec) in own.iter().enumerate() {
            let k = Key::new(&format!("{o_key}.a{}", i + 1)).unwrap();
            objective.actions.push(build_action(k.clone(), spec, &siblings));
            siblings.push(k);
        }
        for (s, actions) in subs.iter().enumerate() {
            let s_key = Key::positional(Some(&o_key), s);
            let mut sub = SubObjective::new(s_key.clone(), format!("Sub-objective {s_key}"));
            sub.node.critical = s % 2 == 1;
            let mut siblings = Vec::new();
            for (i, spec) in actions.iter().enumerate() {
                let k = Key::positional(Some(&s_key), i);
                sub.actions.push(build_action(k.clone(), spec, &siblings));
                siblings.push(k);
            }
            objective.sub_objectives.push(sub);
        }
        plan.objectives.push(objective);
    }
    plan
}

fn policy_strategy() -> impl Strategy<Value = Policy> {
    let rule = prop_oneof![
        Just(RollupRule::WorstOf),
        Just(RollupRule::Majority),
        Just(RollupRule::MEAN_SCORE),
        Just(RollupRule::SHARE),
    ];
    let source = prop_oneof![
        Just(RatingSource::WorseOf),
        Just(RatingSource::Reported),
        Just(RatingSource::Derived)
    ];
    (source, rule.clone(), rule.clone(), rule, any::<bool>(), any::<bool>(), any::<bool>())
        .prop_map(
            |(
                source,
                sub_objective,
                objective,
                plan,
                complete_green,
                not_rated_amber,
                stale_amber,
            )| {
                let mut policy = Policy::default();
                policy.source = source;
                policy.sub_objective = sub_objective;
                policy.objective = objective;
                policy.plan = plan;
                policy.complete_counts_as_green = complete_green;
                policy.not_rated_counts_as_amber = not_rated_amber;
                policy.stale_lowers_to_amber = stale_amber;
                policy
            },
        )
}

fn as_of_strategy() -> impl Strategy<Value = NaiveDate> {
    (0u64..500).prop_map(|days| NaiveDate::from_ymd_opt(2015, 1, 1).unwrap() + Days::new(days))
}

fn ratings_by_key(a: &Assessment<'_>) -> HashMap<Key, (Rating, Rating, Vec<Flag>)> {
    a.walk()
        .map(|n| {
            (n.key.clone().into_owned(), (n.delivery.rating, n.outcome.rating, n.flags.to_vec()))
        })
        .collect()
}

fn excluded(flags: &[Flag]) -> bool {
    flags.contains(&Flag::Cancelled) || flags.contains(&Flag::Removed)
}

/// Rank for "better or worse": Red 0 … Green 4, Complete 5; Not rated has none.
fn rank(r: Rating) -> Option<u8> {
    match r {
        Rating::Complete => Some(5),
        Rating::NotRated => None,
        r => r.score(),
    }
}

/// Deterministic shuffle of a slice by a list of sort keys.
fn shuffle<T>(items: &mut Vec<T>, keys: &[u64], salt: u64) {
    let mut tagged: Vec<(u64, T)> = items
        .drain(..)
        .enumerate()
        .map(|(i, t)| {
            (
                keys.get(i % keys.len().max(1)).copied().unwrap_or(0)
                    ^ salt.wrapping_mul(i as u64 + 1),
                t,
            )
        })
        .collect();
    tagged.sort_by_key(|(k, _)| *k);
    items.extend(tagged.into_iter().map(|(_, t)| t));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn worst_of_no_parent_is_better_than_its_worst_counted_child(shape in shape(), as_of in as_of_strategy()) {
        let a = assess(&build(&shape), &Policy::default(), as_of);
        let parents = a.walk().filter(|n| n.kind != NodeKind::Action);
        for parent in parents {
            for child in &parent.children {
                if excluded(&child.flags) {
                    continue;
                }
                let counted_as = match child.delivery.rating {
                    Rating::Complete => Rating::Green,
                    r => r,
                };
                if counted_as == Rating::NotRated {
                    continue;
                }
                // A parent all of whose counted children are complete is complete.
                let parent_as = match parent.delivery.rating {
                    Rating::Complete => Rating::Green,
                    r => r,
                };
                prop_assert!(
                    !counted_as.is_worse_than(parent_as),
                    "{} is {:?} but its child {} is {:?}", parent.key, parent.delivery.rating, child.key, child.delivery.rating
                );
            }
        }
    }

    #[test]
    fn reordering_children_never_changes_a_rating(
        shape in shape(),
        policy in policy_strategy(),
        as_of in as_of_strategy(),
        keys in prop::collection::vec(any::<u64>(), 1..8),
    ) {
        let plan = build(&shape);
        let mut shuffled = plan.clone();
        shuffle(&mut shuffled.objectives, &keys, 1);
        for (i, o) in shuffled.objectives.iter_mut().enumerate() {
            shuffle(&mut o.actions, &keys, 2 + i as u64);
            shuffle(&mut o.sub_objectives, &keys, 3 + i as u64);
            for (j, s) in o.sub_objectives.iter_mut().enumerate() {
                shuffle(&mut s.actions, &keys, 5 + (i * 7 + j) as u64);
            }
        }
        let a = assess(&plan, &policy, as_of);
        let b = assess(&shuffled, &policy, as_of);
        prop_assert_eq!(ratings_by_key(&a), ratings_by_key(&b));
        prop_assert_eq!(a.delivery.rating, b.delivery.rating);
        prop_assert_eq!(a.outcome.rating, b.outcome.rating);
        prop_assert_eq!(a.delivery.counts, b.delivery.counts);
    }

    #[test]
    fn assessing_twice_gives_identical_output(shape in shape(), policy in policy_strategy(), as_of in as_of_strategy()) {
        let plan = build(&shape);
        prop_assert_eq!(assess(&plan, &policy, as_of).to_json(), assess(&plan, &policy, as_of).to_json());
    }

    #[test]
    fn adding_a_complete_child_never_worsens_a_parent_under_worst_of(
        shape in shape(),
        as_of in as_of_strategy(),
        pick in any::<prop::sample::Index>(),
    ) {
        let plan = build(&shape);
        let mut grown = plan.clone();
        let n_subs: usize = grown.objectives.iter().map(|o| o.sub_objectives.len()).sum();
        prop_assume!(n_subs > 0);
        let target = pick.index(n_subs);
        let sub = grown.objectives.iter_mut().flat_map(|o| o.sub_objectives.iter_mut()).nth(target).unwrap();
        let mut done = Action::new(Key::new(&format!("{}.done", sub.key)).unwrap(), "Done");
        done.status = Some(Status::Complete);
        sub.actions.push(done);
        let before = ratings_by_key(&assess(&plan, &Policy::default(), as_of));
        let after = assess(&grown, &Policy::default(), as_of);
        for node in after.walk() {
            let old = before.get(&node.key).and_then(|(old, _, _)| rank(*old));
            if let (Some(old), Some(new)) = (old, rank(node.delivery.rating)) {
                prop_assert!(new >= old, "{} went from {:?} to {:?}", node.key, old, node.delivery.rating);
            }
        }
    }

    #[test]
    fn a_red_critical_child_always_makes_its_parent_red(shape in shape(), policy in policy_strategy(), as_of in as_of_strategy()) {
        let plan = build(&shape);
        let a = assess(&plan, &policy, as_of);
        let parents: Vec<(&[NodeAssessment<'_>], Rating)> = a
            .walk()
            .filter(|n| n.kind != NodeKind::Action)
            .map(|n| (n.children.as_slice(), n.delivery.rating))
            .chain(std::iter::once((a.nodes.as_slice(), a.delivery.rating)))
            .collect();
        for (children, rating) in parents {
            let red_critical = children.iter().any(|c| {
                c.has(Flag::Critical) && !excluded(&c.flags) && c.delivery.rating == Rating::Red
            });
            if red_critical {
                prop_assert_eq!(rating, Rating::Red);
            }
        }
    }

    #[test]
    fn every_node_has_a_reason(shape in shape(), policy in policy_strategy(), as_of in as_of_strategy()) {
        let a = assess(&build(&shape), &policy, as_of);
        prop_assert!(!a.delivery.reasons.is_empty() && !a.outcome.reasons.is_empty());
        for n in a.walk() {
            prop_assert!(!n.delivery.reasons.is_empty(), "{} delivery", n.key);
            prop_assert!(!n.outcome.reasons.is_empty(), "{} outcome", n.key);
            for r in n.delivery.reasons.iter().chain(&n.outcome.reasons) {
                let sentence = r.to_string();
                prop_assert!(sentence.ends_with('.') && !sentence.contains('\n'), "{sentence}");
            }
        }
    }

    #[test]
    fn a_later_as_of_never_turns_overdue_into_not_overdue(
        shape in shape(),
        policy in policy_strategy(),
        first in as_of_strategy(),
        later in 0u64..400,
    ) {
        let plan = build(&shape);
        let a = assess(&plan, &policy, first);
        let b = assess(&plan, &policy, first + Days::new(later));
        let overdue_later: HashMap<&Key, bool> = b.actions().map(|n| (&*n.key, n.has(Flag::Overdue))).collect();
        for n in a.actions().filter(|n| n.has(Flag::Overdue)) {
            prop_assert_eq!(overdue_later.get(&*n.key), Some(&true), "{}", n.key);
        }
    }

    #[test]
    fn the_assessment_document_reads_back(shape in shape(), policy in policy_strategy(), as_of in as_of_strategy()) {
        let a = assess(&build(&shape), &policy, as_of);
        let json = a.to_json();
        let back = Assessment::from_json(&json).unwrap();
        prop_assert_eq!(back.to_json(), json);
        // Reasons come back as the structured reasons they were, not as sentences.
        prop_assert_eq!(&back.delivery, &a.delivery);
        prop_assert_eq!(&back.outcome, &a.outcome);
        prop_assert_eq!(&back.nodes, &a.nodes);
    }

    #[test]
    fn the_compact_ratings_say_what_the_document_says(shape in shape(), policy in policy_strategy(), as_of in as_of_strategy()) {
        let plan = build(&shape);
        let ratings = rate(&plan, &policy, as_of);
        let document = Assessment::from(&ratings);
        for (d, dim) in [(Dimension::Delivery, &document.delivery), (Dimension::Outcome, &document.outcome)] {
            prop_assert_eq!(ratings.whole().rating(d), dim.rating);
            prop_assert_eq!(ratings.whole().counts(d), dim.counts);
        }
        let mut all = RatingCounts::default();
        let nodes: Vec<_> = document.actions().collect();
        prop_assert_eq!(ratings.actions().len(), nodes.len());
        // The walked actions are the actions at their places, in place order.
        for (p, walked) in ratings.actions().enumerate() {
            prop_assert_eq!(walked.place(), Place::Action(p));
            let looked_up = ratings.node(Place::Action(p)).and_then(|n| n.plan_node());
            let (walked, looked_up) = (walked.plan_node(), looked_up);
            prop_assert_eq!(walked.map(|n| (n.parent, n.depth)), looked_up.map(|n| (n.parent, n.depth)));
        }
        for (rated, node) in ratings.actions().zip(nodes) {
            prop_assert_eq!(&rated.action().unwrap().key, &*node.key);
            prop_assert_eq!(rated.flags(), node.flags.to_vec());
            for (d, dim) in [(Dimension::Delivery, &node.delivery), (Dimension::Outcome, &node.outcome)] {
                prop_assert_eq!(rated.rating(d), dim.rating);
                let said: Vec<String> = rated.reasons(d).iter().map(ToString::to_string).collect();
                let written: Vec<String> = dim.reasons.iter().map(ToString::to_string).collect();
                prop_assert!(!said.is_empty());
                prop_assert_eq!(said, written);
            }
            if !rated.has(Flag::Cancelled) && !rated.has(Flag::Removed) {
                all.add(rated.rating(Dimension::Delivery));
                all.unreported += u32::from(rated.has(Flag::Unreported));
            }
        }
        prop_assert_eq!(all, ratings.whole().counts(Dimension::Delivery));
        prop_assert_eq!(ratings.lint_count(), document.lints.len());
        prop_assert_eq!(ratings.lints().collect::<Vec<_>>(), document.lints);
    }
}
