//! Movement between two assessments: improved, worsened, unchanged, rerated, new,
//! removed and completed.

use ragplan_core::{Change, Policy, Rating, RatingMove, Status, compare};

use crate::common::{action, as_of, key, plan_of, snapshot};

fn rated(k: &str, rating: Option<Rating>, status: Status) -> ragplan_core::Action {
    let mut a = action(k, &format!("Action {k}"), "");
    a.action_rag = rating;
    a.status = Some(status);
    a
}

#[test]
fn every_kind_of_change() {
    use Rating::*;
    let ip = Status::InProgress;
    let before = plan_of(vec![
        rated("1.1.1", Some(Red), ip),
        rated("1.1.2", Some(Green), ip),
        rated("1.1.3", Some(Amber), ip),
        rated("1.1.4", Some(Green), ip),
        rated("1.1.5", None, ip),
        rated("1.1.6", Some(Amber), ip),
    ]);
    let after = plan_of(vec![
        rated("1.1.1", Some(Amber), ip),
        rated("1.1.2", Some(Red), ip),
        rated("1.1.3", Some(Amber), ip),
        rated("1.1.4", None, Status::Complete),
        rated("1.1.5", Some(Red), ip),
        rated("1.1.7", Some(Green), ip),
    ]);
    let policy = Policy::default();
    let movement =
        compare(&snapshot(&before, &policy, as_of()), &snapshot(&after, &policy, as_of()));
    let table = [
        ("1.1.1", Change::Improved, Some(Red), Some(Amber)),
        ("1.1.2", Change::Worsened, Some(Green), Some(Red)),
        ("1.1.3", Change::Unchanged, Some(Amber), Some(Amber)),
        ("1.1.4", Change::Completed, Some(Green), Some(Complete)),
        ("1.1.5", Change::Rerated, Some(NotRated), Some(Red)),
        ("1.1.6", Change::Removed, Some(Amber), None),
        ("1.1.7", Change::New, None, Some(Green)),
    ];
    for (k, change, previous, current) in table {
        let node = movement.node(&key(k)).unwrap();
        assert_eq!(node.delivery, RatingMove { change, previous, current }, "{k}");
    }
    // Current nodes in plan order, then the removed ones.
    let keys: Vec<&str> = movement.nodes.iter().map(|n| n.key.as_str()).collect();
    assert_eq!(keys, ["1", "1.1", "1.1.1", "1.1.2", "1.1.3", "1.1.4", "1.1.5", "1.1.7", "1.1.6"]);
    assert_eq!(movement.count(Change::Worsened), 1);
    assert_eq!(movement.delivery.change, Change::Unchanged);
    assert_eq!(movement.node(&key("1.1.6")).unwrap().title, "Action 1.1.6");
}

#[test]
fn the_same_plan_a_quarter_later_moves_only_by_dates() {
    let mut a = action("1.1.1", "Agree the protocol", "September 2015");
    a.status = Some(Status::InProgress);
    a.action_rag = Some(Rating::Green);
    let plan = plan_of(vec![a]);
    let june = snapshot(&plan, &Policy::default(), as_of());
    let october =
        snapshot(&plan, &Policy::default(), chrono::NaiveDate::from_ymd_opt(2015, 10, 1).unwrap());
    let movement = compare(&june, &october);
    assert_eq!((movement.from, movement.to), (june.as_of, october.as_of));
    let node = movement.node(&key("1.1.1")).unwrap();
    assert_eq!(node.delivery.change, Change::Worsened);
    assert_eq!(
        (node.delivery.previous, node.delivery.current),
        (Some(Rating::Green), Some(Rating::Red))
    );
}

/// A sub-objective taken out of the plan leaves its objective's roll-up with its
/// actions, says why it is Not rated, and moves as removed with them, while the plan
/// as it stood before the removal still rates it.
#[test]
fn a_removed_sub_objective_leaves_roll_up_and_moves_as_removed() {
    use ragplan_core::{Dimension, Flag, Place, SubObjective, rate};
    let mut plan = plan_of(vec![rated("1.1.1", Some(Rating::Green), Status::InProgress)]);
    let mut red = SubObjective::new(key("1.2"), "Sub-objective two");
    red.actions.push(rated("1.2.1", Some(Rating::Red), Status::InProgress));
    plan.objectives[0].sub_objectives.push(red);
    let policy = Policy::default();
    let before = rate(&plan, &policy, as_of());
    assert_eq!(before.whole().rating(Dimension::Delivery), Rating::Red);
    let before = snapshot(&plan, &policy, as_of());

    let on = chrono::NaiveDate::from_ymd_opt(2015, 7, 1).unwrap();
    plan.remove_node(&key("1.2"), "Merged into 1.1", "Analyst", on).unwrap();
    let ratings = rate(&plan, &policy, as_of());
    assert_eq!(ratings.whole().rating(Dimension::Delivery), Rating::Green);
    let sub = ratings.node(Place::SubObjective(1)).unwrap();
    assert!(sub.has(Flag::Removed));
    assert_eq!(
        sub.reasons(Dimension::Delivery)[0].to_string(),
        "Not rated because sub-objective 1.2 \"Sub-objective two\" is no longer in the plan \
         and is left out of roll-up."
    );
    assert_eq!(ratings.whole().counts(Dimension::Delivery).total(), 1);

    let movement = compare(&before, &snapshot(&plan, &policy, as_of()));
    for k in ["1.2", "1.2.1"] {
        assert_eq!(movement.node(&key(k)).unwrap().delivery.change, Change::Removed, "{k}");
    }
    // As it stood at the end of June, before the removal, 1.2 still counted.
    let june = plan.as_at(as_of());
    assert_eq!(rate(&june, &policy, as_of()).whole().rating(Dimension::Delivery), Rating::Red);
    // A removed node takes no update.
    let update = ragplan_core::Update::new(on, "Analyst");
    let err = plan.apply(&key("1.2.1"), update).unwrap_err();
    assert_eq!(
        err.to_string(),
        "action 1.2.1: the update was refused: key: action 1.2.1 was removed from the plan; it \
         takes no updates"
    );
    assert!(!err.is_unknown_key());
}
