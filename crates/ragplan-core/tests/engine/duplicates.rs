//! The duplicate-key check: exactly the keys used by more than one node of a plan, each
//! reported once, in plan order of its second use, with how many nodes use it.

use std::collections::HashMap;

use proptest::prelude::*;
use ragplan_core::{
    Action, Direction, Key, Lint, LintCode, Measure, Objective, Plan, PlanId, SubObjective,
    validate,
};

use crate::common::key;

/// Keys for generated nodes: few, so that many are shared, and some differing only in
/// their last character, their length or their case.
const POOL: [&str; 9] = ["1", "1.1", "1.1.1", "1.1.10", "1.1.1.", "1.1.2", "a", "A", "R7"];

/// The keys of a node's measures and actions, as indexes into [`POOL`].
type Children = (Vec<usize>, Vec<usize>);

/// Per objective: its key, its own measures and actions, and its sub-objectives (each
/// a key with measures and actions).
type Shape = Vec<(usize, Children, Vec<(usize, Children)>)>;

fn children() -> impl Strategy<Value = Children> {
    (prop::collection::vec(0..POOL.len(), 0..2), prop::collection::vec(0..POOL.len(), 0..6))
}

fn shape() -> impl Strategy<Value = Shape> {
    prop::collection::vec(
        (0..POOL.len(), children(), prop::collection::vec((0..POOL.len(), children()), 0..4)),
        0..4,
    )
}

fn measure(k: &str) -> Measure {
    Measure {
        key: key(k),
        title: "Referrals".into(),
        unit: None,
        target: 1.0,
        direction: Direction::HigherIsBetter,
        tolerance: 0.0,
        readings: Vec::new(),
    }
}

/// The plan of `shape`, and every key of it in plan order (each node's key, then its
/// measures', then its actions', then its sub-objectives').
fn build(shape: &Shape) -> (Plan, Vec<Key>) {
    let mut plan = Plan::new(PlanId::new("dup").unwrap(), "Generated");
    let mut keys = Vec::new();
    let fill = |keys: &mut Vec<Key>, (measures, actions): &Children| {
        let measures: Vec<Measure> = measures.iter().map(|&m| measure(POOL[m])).collect();
        let actions: Vec<Action> =
            actions.iter().map(|&a| Action::new(key(POOL[a]), "Agree the protocol")).collect();
        keys.extend(measures.iter().map(|m| m.key.clone()));
        keys.extend(actions.iter().map(|a| a.key.clone()));
        (measures, actions)
    };
    for (o_key, own, subs) in shape {
        let mut objective = Objective::new(key(POOL[*o_key]), "Objective");
        keys.push(objective.key.clone());
        (objective.measures, objective.actions) = fill(&mut keys, own);
        for (s_key, children) in subs {
            let mut sub = SubObjective::new(key(POOL[*s_key]), "Sub-objective");
            keys.push(sub.key.clone());
            (sub.measures, sub.actions) = fill(&mut keys, children);
            objective.sub_objectives.push(sub);
        }
        plan.objectives.push(objective);
    }
    (plan, keys)
}

/// The duplicate-key lints a plan with `keys` (in plan order) should have, counted the
/// plain way.
fn expected(keys: &[Key]) -> Vec<(String, String)> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for k in keys {
        *counts.entry(k.to_string()).or_default() += 1;
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut lints = Vec::new();
    for k in keys {
        let n = seen.entry(k.to_string()).or_default();
        *n += 1;
        if *n == 2 {
            let total = counts[k.as_str()];
            lints.push((
                k.to_string(),
                format!("the key {k} is used by {total} nodes; keys must be unique"),
            ));
        }
    }
    lints
}

fn duplicate_lints(plan: &Plan) -> Vec<(String, String)> {
    validate(plan)
        .into_iter()
        .filter(|l| l.code == LintCode::DuplicateKey)
        .map(|Lint { key, message, .. }| (key.map(|k| k.to_string()).unwrap_or_default(), message))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Exactly the keys used more than once are reported, each once, with its count.
    #[test]
    fn duplicate_keys_are_exactly_those_used_twice(shape in shape()) {
        let (plan, keys) = build(&shape);
        prop_assert_eq!(duplicate_lints(&plan), expected(&keys));
    }
}

#[test]
fn keys_differing_in_case_or_length_are_not_duplicates() {
    let shape: Shape = vec![(0, (vec![], vec![6, 7, 2, 4, 3]), vec![(1, (vec![], vec![5]))])];
    let (plan, keys) = build(&shape);
    assert_eq!(keys.len(), 8);
    assert_eq!(duplicate_lints(&plan), vec![]);
}

#[test]
fn a_key_shared_by_every_kind_of_node_is_counted_once_with_all_its_uses() {
    // Objective "1", its measure "1", its action "1", sub-objective "1" and its measure
    // and action "1"; and "1.1" twice, second used after "1" is.
    let shape: Shape = vec![(0, (vec![0], vec![1, 0]), vec![(0, (vec![0], vec![0, 1]))])];
    let (plan, _) = build(&shape);
    assert_eq!(
        duplicate_lints(&plan),
        vec![
            ("1".to_owned(), "the key 1 is used by 6 nodes; keys must be unique".to_owned()),
            ("1.1".to_owned(), "the key 1.1 is used by 2 nodes; keys must be unique".to_owned()),
        ]
    );
}
