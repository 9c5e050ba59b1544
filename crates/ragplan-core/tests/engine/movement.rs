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
