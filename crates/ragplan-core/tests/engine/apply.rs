//! Updates and overrides: what they change, what they refuse, and rewinding a plan.

use ragplan_core::{ApplyError, Override, Plan, Rating, Status, Update};
use ragplan_core::{ChangeKind as Change, Field};

use crate::common::{action, d, key, plan_of};

fn plan() -> Plan {
    plan_of(vec![action("1.1.1", "Agree the protocol", "May 2015")])
}

fn update(month: u32, day: u32, f: impl FnOnce(&mut Update)) -> Update {
    let mut u = Update::new(d(month, day), "CSE coordinator");
    f(&mut u);
    u
}

#[test]
fn an_update_changes_the_current_state_and_is_logged() {
    let mut plan = plan();
    let k = key("1.1.1");
    plan.apply(
        &k,
        update(6, 1, |u| {
            u.delivery = Some(Rating::Amber);
            u.outcome = Some(Rating::Green);
            u.status = Some(Status::InProgress);
            u.progress = Some(40);
            u.evidence = Some("Draft agreement circulated".into());
            u.note = Some("Waiting on Health".into());
        }),
    )
    .unwrap();
    let a = plan.action(&k).unwrap();
    assert_eq!(
        (a.action_rag, a.outcome_rag, a.status, a.progress),
        (Some(Rating::Amber), Some(Rating::Green), Some(Status::InProgress), Some(40))
    );
    assert_eq!(a.evidence, ["Draft agreement circulated"]);
    assert_eq!(a.updates.len(), 1);
    // Same-day updates are accepted; fields left out keep their value.
    plan.apply(&k, update(6, 1, |u| u.note = Some("Chased".into()))).unwrap();
    let a = plan.action(&k).unwrap();
    assert_eq!((a.action_rag, a.updates.len()), (Some(Rating::Amber), 2));
}

#[test]
fn refusals_name_the_key_and_leave_the_plan_unchanged() {
    let mut base = plan();
    base.apply(&key("1.1.1"), update(6, 1, |_| {})).unwrap();
    let table: Vec<(&str, &str, Update, &str)> = vec![
        (
            "unknown key",
            "9.9",
            update(6, 2, |_| {}),
            "action 9.9: the update was refused: key: no action has the key 9.9",
        ),
        (
            "rating outside the scale",
            "1.1.1",
            update(6, 2, |u| u.delivery = Some(Rating::AmberGreen)),
            "action 1.1.1: the update was refused: delivery: Amber/Green is not on the plan's rag3 scale",
        ),
        (
            "outcome outside the scale",
            "1.1.1",
            update(6, 2, |u| u.outcome = Some(Rating::Complete)),
            "action 1.1.1: the update was refused: outcome: Complete is not on the plan's rag3 scale",
        ),
        (
            "dated before the previous update",
            "1.1.1",
            update(5, 31, |_| {}),
            "action 1.1.1: the update was refused: on: the update is dated 31 May 2015, before the previous update of 1 June 2015",
        ),
        (
            "progress above 100",
            "1.1.1",
            update(6, 2, |u| u.progress = Some(101)),
            "action 1.1.1: the update was refused: progress: 101 is not a percentage from 0 to 100",
        ),
        (
            "no author",
            "1.1.1",
            update(6, 2, |u| u.by = "  ".into()),
            "action 1.1.1: the update was refused: by: say who made the update",
        ),
    ];
    for (name, k, u, message) in table {
        let mut plan = base.clone();
        let err = plan.apply(&key(k), u).unwrap_err();
        assert_eq!(err.to_string(), message, "{name}");
        assert_eq!(plan, base, "{name}");
    }
}

#[test]
fn overrides_are_recorded_and_refused_when_incomplete() {
    let mut plan = plan();
    let k = key("1.1.1");
    let ov = Override::new(Rating::Amber, "LSCB Chair", d(6, 1), "Police data shows risk").unwrap();
    plan.set_override(&k, ov.clone()).unwrap();
    assert_eq!(plan.action(&k).unwrap().overrides, vec![ov]);

    let blank = Override {
        rating: Rating::Amber,
        by: "Chair".into(),
        on: d(6, 2),
        justification: "".into(),
        withdrawn: None,
    };
    let err = plan.set_override(&k, blank).unwrap_err();
    assert_eq!(
        (err.change, err.key.as_ref(), err.kind),
        (Change::Override, Some(&k), Some(ragplan_core::NodeKind::Action))
    );
    assert_eq!(fields(&err), [(Field::Justification, "record why the rating differs")]);
    let earlier = Override::new(Rating::Green, "Chair", d(5, 1), "Reviewed").unwrap();
    assert_eq!(
        plan.set_override(&k, earlier).unwrap_err().to_string(),
        "action 1.1.1: the override was refused: on: the override is dated 1 May 2015, before the current override of 1 June 2015"
    );
    let off_scale = Override::new(Rating::AmberRed, "Chair", d(6, 3), "Reviewed").unwrap();
    let err = plan.set_override(&k, off_scale).unwrap_err();
    assert_eq!(err.problems.iter().map(|p| p.field).collect::<Vec<_>>(), [Field::Rating]);
    let unknown = Override::new(Rating::Red, "Chair", d(6, 3), "Reviewed").unwrap();
    let err = plan.set_override(&key("2.1"), unknown).unwrap_err();
    assert!(err.is_unknown_key(), "{err}");
}

fn fields(err: &ApplyError) -> Vec<(Field, &str)> {
    err.problems.iter().map(|p| (p.field, p.message.as_str())).collect()
}

#[test]
fn update_with_every_field_wrong_lists_every_problem() {
    let mut base = plan();
    base.apply(&key("1.1.1"), update(6, 1, |_| {})).unwrap();
    let mut plan = base.clone();
    let wrong = update(5, 1, |u| {
        u.by = " ".into();
        u.delivery = Some(Rating::AmberGreen);
        u.outcome = Some(Rating::AmberRed);
        u.progress = Some(140);
    });
    let err = plan.apply(&key("1.1.1"), wrong.clone()).unwrap_err();
    assert_eq!(
        fields(&err),
        [
            (Field::Delivery, "Amber/Green is not on the plan's rag3 scale"),
            (Field::Outcome, "Amber/Red is not on the plan's rag3 scale"),
            (Field::Progress, "140 is not a percentage from 0 to 100"),
            (Field::By, "say who made the update"),
            (
                Field::On,
                "the update is dated 1 May 2015, before the previous update of 1 June 2015"
            ),
        ]
    );
    assert_eq!(
        err.to_string(),
        "action 1.1.1: the update was refused: delivery: Amber/Green is not on the plan's rag3 \
         scale; outcome: Amber/Red is not on the plan's rag3 scale; progress: 140 is not a \
         percentage from 0 to 100; by: say who made the update; on: the update is dated 1 May \
         2015, before the previous update of 1 June 2015"
    );
    assert_eq!(plan, base);
    // An unknown key is listed with the update's own problems.
    let err = plan.apply(&key("9.9"), wrong).unwrap_err();
    assert!(err.is_unknown_key());
    assert_eq!(err.problems[0].field, Field::Key);
    assert_eq!(err.problems.len(), 5, "{err}");
}

#[test]
fn override_with_every_field_wrong_lists_every_problem() {
    let mut plan = plan();
    let k = key("1.1.1");
    plan.set_override(&k, Override::new(Rating::Red, "Chair", d(6, 1), "Police data").unwrap())
        .unwrap();
    let before = plan.clone();
    let wrong = Override {
        rating: Rating::Complete,
        by: "".into(),
        on: d(5, 1),
        justification: " ".into(),
        withdrawn: None,
    };
    let err = plan.set_override(&k, wrong).unwrap_err();
    assert_eq!(
        fields(&err),
        [
            (Field::Rating, "Complete is not on the plan's rag3 scale"),
            (Field::By, "say who made the judgement"),
            (
                Field::On,
                "the override is dated 1 May 2015, before the current override of 1 June 2015"
            ),
            (Field::Justification, "record why the rating differs"),
        ]
    );
    assert_eq!(plan, before);
}

#[test]
fn override_new_and_set_override_refuse_a_blank_override_alike() {
    let blank = Override::new(Rating::Amber, "", d(6, 1), "").unwrap_err();
    assert_eq!(blank.key, None);
    let mut plan = plan();
    let direct = Override {
        rating: Rating::Amber,
        by: "".into(),
        on: d(6, 1),
        justification: "".into(),
        withdrawn: None,
    };
    let err = plan.set_override(&key("1.1.1"), direct).unwrap_err();
    assert_eq!(err.problems, blank.problems);
}

#[test]
fn as_at_rewinds_to_an_earlier_date() {
    let mut plan = plan();
    let k = key("1.1.1");
    plan.objectives[0].sub_objectives[0].actions[0].action_rag = Some(Rating::Red);
    plan.apply(
        &k,
        update(4, 1, |u| {
            u.delivery = Some(Rating::Amber);
            u.status = Some(Status::InProgress);
            u.progress = Some(20);
        }),
    )
    .unwrap();
    plan.apply(
        &k,
        update(7, 1, |u| {
            u.delivery = Some(Rating::Green);
            u.status = Some(Status::Complete);
            u.progress = Some(100);
            u.evidence = Some("Signed agreement".into());
        }),
    )
    .unwrap();
    plan.set_override(&k, Override::new(Rating::Green, "Chair", d(7, 2), "Signed").unwrap())
        .unwrap();

    let june = plan.as_at(d(6, 30));
    let a = june.action(&k).unwrap();
    assert_eq!(
        (a.action_rag, a.status, a.progress, a.updates.len()),
        (Some(Rating::Amber), Some(Status::InProgress), Some(20), 1)
    );
    assert!(a.evidence.is_empty());
    assert_eq!(a.override_on(d(6, 30)), None);

    // Before the first update: what the source said before it is back.
    let march = plan.as_at(d(3, 31));
    let a = march.action(&k).unwrap();
    assert_eq!(
        (a.action_rag, a.status, a.progress, a.updates.len()),
        (Some(Rating::Red), None, None, 0)
    );

    // After the last change nothing moves.
    assert_eq!(plan.as_at(d(12, 31)), plan);
}

/// A plan like an imported scrutiny review: objective 1 holds recommendation R6 with
/// actions R6a and R6b, and R7 with its one action R7.1.
fn recommendations() -> Plan {
    let mut plan = plan_of(Vec::new());
    let subs = &mut plan.objectives[0].sub_objectives;
    subs.clear();
    for (rec, actions) in [("R6", &["R6a", "R6b"][..]), ("R7", &["R7.1"][..])] {
        let mut sub = ragplan_core::SubObjective::new(key(rec), "Recommendation");
        sub.actions = actions.iter().map(|k| action(k, "Act", "March 2016")).collect();
        subs.push(sub);
    }
    plan
}

#[test]
fn a_key_is_resolved_exactly_then_ignoring_case_then_to_the_one_action_under_it() {
    use ragplan_core::KeyMatch::{Exact, IgnoringCase, OnlyActionUnder};
    let plan = recommendations();
    type Case = (&'static str, bool, Option<(&'static str, ragplan_core::KeyMatch)>);
    let table: &[Case] = &[
        ("R7.1", true, Some(("R7.1", Exact))),
        ("r7.1", true, Some(("R7.1", IgnoringCase))),
        ("R7", true, Some(("R7.1", OnlyActionUnder))),
        ("r7", true, Some(("R7.1", OnlyActionUnder))),
        // Any node: the recommendation itself.
        ("R7", false, Some(("R7", Exact))),
        ("r7", false, Some(("R7", IgnoringCase))),
        // Two actions under R6, or under objective 1: no one action is meant.
        ("R6", true, None),
        ("1", true, None),
        ("R8", true, None),
    ];
    for (given, action, want) in table {
        let got = plan.resolve_key(&key(given), *action);
        let want = want.clone().map(|(k, how)| (key(k), how));
        assert_eq!(got, want, "{given} (action: {action})");
    }
}

#[test]
fn an_unknown_key_names_the_nearest_keys() {
    let mut plan = recommendations();
    let table = [
        // A recommendation's key: whose it is, and the actions under it.
        (
            "R6",
            "no action has the key R6: it is the key of sub-objective \"Recommendation\", \
             whose actions are R6a and R6b",
        ),
        ("R7.2", "no action has the key R7.2; did you mean R7.1?"),
        ("R9", "no action has the key R9"),
    ];
    for (given, want) in table {
        let err = plan.apply(&key(given), update(6, 2, |_| {})).unwrap_err();
        assert_eq!(err.to_string(), format!("action {given}: the update was refused: key: {want}"));
    }
}

/// An edit recorded after a later-dated one but dated before it (back-dated) was
/// undone with the later edit: the plan as it stood between their dates showed the
/// title as it was before both, where the back-dated edit had set it by then.
#[test]
fn a_back_dated_edit_was_undone_with_a_later_dated_edit_recorded_before_it() {
    use ragplan_core::Changes;
    let mut plan = plan();
    let k = key("1.1.1");
    let original = plan.action(&k).unwrap().title.clone();
    let title = |t: &str| Changes { title: Some(t.to_owned()), ..Changes::default() };
    plan.edit(&k, title("Agreement signed by all partners"), "Officer", d(7, 10)).unwrap();
    // Recorded second, dated first.
    plan.edit(&k, title("Agreement in place"), "Officer", d(6, 1)).unwrap();
    let title_on = |date| plan.as_at(date).action(&k).unwrap().title.clone();
    assert_eq!(title_on(d(6, 30)), "Agreement in place");
    assert_eq!(title_on(d(5, 31)), original);
    // Once both are in force, the plan is as the last recorded left it.
    assert_eq!(title_on(d(7, 31)), "Agreement in place");
    // In date order, rewinding is as it was.
    let mut in_order = self::plan();
    in_order.edit(&k, title("Agreement in place"), "Officer", d(6, 1)).unwrap();
    in_order.edit(&k, title("Agreement signed by all partners"), "Officer", d(7, 10)).unwrap();
    let title_on = |date| in_order.as_at(date).action(&k).unwrap().title.clone();
    assert_eq!(title_on(d(6, 30)), "Agreement in place");
    assert_eq!(title_on(d(5, 31)), original);
}

/// Two edits of one action, then the plan read back from its JSON and as it stood
/// between and before them.
#[test]
fn edits_are_logged_survive_the_json_and_are_undone_as_it_stood() {
    use ragplan_core::{Changes, Owner};
    let mut plan = plan();
    let k = key("1.1.1");
    let first = Changes {
        accountable: Some(vec![Owner::person("Mandie Watson")]),
        depends_on: Some(Vec::new()),
        weight: Some(3),
        ..Changes::default()
    };
    // An empty dependency list the action already has is no change.
    assert_eq!(
        plan.edit(&k, first, "Officer", d(7, 1)),
        Ok(vec![Field::Accountable, Field::Weight])
    );
    let second = Changes {
        timescale: Some("31 March 2016".to_owned()),
        start: Some(d(4, 1)),
        accountable: Some(vec![Owner::role("CSE Co-ordinator")]),
        ..Changes::default()
    };
    assert_eq!(plan.edit(&k, second, "Officer", d(10, 1)).map(|f| f.len()), Ok(3));
    let back = Plan::from_json(&plan.to_json());
    assert_eq!(back.as_ref(), Ok(&plan));
    assert_eq!(plan.edits.len(), 2);

    let between = plan.as_at(d(9, 30));
    let a = between.action(&k).unwrap();
    assert_eq!(a.accountable, [Owner::person("Mandie Watson")]);
    assert_eq!((a.timescale.text.as_str(), a.start, a.weight), ("May 2015", None, Some(3)));
    assert_eq!(between.edits.len(), 1);
    let before = plan.as_at(d(6, 30));
    assert_eq!(before.action(&k), self::plan().action(&k));
    assert!(before.edits.is_empty());
}

/// An edit is refused whole, listing every problem with its field.
#[test]
fn a_refused_edit_names_each_field_and_changes_nothing() {
    use ragplan_core::Changes;
    let mut plan = plan();
    let k = key("1.1.1");
    let changes =
        Changes { title: Some("  ".to_owned()), start: Some(d(9, 1)), ..Changes::default() };
    let err = plan.edit(&k, changes, "", d(7, 1)).unwrap_err();
    assert_eq!(err.change, Change::Edit);
    let fields: Vec<Field> = err.problems.iter().map(|p| p.field).collect();
    assert_eq!(fields, [Field::By, Field::Title, Field::Start]);
    assert_eq!(
        err.to_string(),
        "action 1.1.1: the edit was refused: by: say who made the edit; title: a title \
         cannot be empty; start: 2015-09-01 is after the action is due, 2015-05-31"
    );
    assert_eq!(plan, self::plan());
}

/// Readings logged out of date order (September's, then June's) were rewound as a
/// whole list: the plan as it stood in July lost June's reading with September's.
#[test]
fn a_reading_logged_after_a_later_one_was_lost_as_it_stood() {
    use ragplan_core::{Direction, Measure, Reading};
    let mut plan = plan();
    let parent = plan.objectives[0].key.clone();
    let measure = Measure {
        key: key("M1"),
        title: "Children screened".to_owned(),
        unit: Some("%".to_owned()),
        target: 95.0,
        direction: Direction::HigherIsBetter,
        tolerance: 0.0,
        readings: Vec::new(),
    };
    plan.add_measure(&parent, measure, "Analyst", d(8, 1)).unwrap();
    let reading = |month, day, value| Reading { on: d(month, day), value, note: None };
    plan.add_reading(&key("M1"), reading(9, 30, 96.0), "Analyst").unwrap();
    plan.add_reading(&key("M1"), reading(6, 30, 90.0), "Analyst").unwrap();
    let values = |p: &Plan| -> Vec<f64> {
        p.objectives[0].measures.iter().flat_map(|m| &m.readings).map(|r| r.value).collect()
    };
    assert_eq!(values(&plan), [90.0, 96.0]);
    // Added on 1 August, but with a reading of 30 June: it stood in July.
    assert_eq!(values(&plan.as_at(d(7, 31))), [90.0]);
    assert_eq!(values(&plan.as_at(d(10, 1))), [90.0, 96.0]);
    assert!(plan.as_at(d(6, 1)).objectives[0].measures.is_empty());
    let err = plan.add_reading(&key("M9"), reading(9, 30, 1.0), "Analyst").unwrap_err();
    assert_eq!(
        err.to_string(),
        "node M9: the edit was refused: key: no measure has the key M9; did you mean M1?"
    );
}

/// An action added in August with an update dated June stood in July: rewinding the
/// plan keeps it, as a measure with a reading by then is kept.
#[test]
fn an_added_action_with_an_earlier_update_stands_before_its_adding() {
    use ragplan_core::NodeKind;
    let mut plan = plan();
    let parent = plan.objectives[0].key.clone();
    let added = plan
        .add_node(Some(&parent), NodeKind::Action, None, "Train staff", "Analyst", d(8, 1))
        .unwrap();
    let other =
        plan.add_node(Some(&parent), NodeKind::Action, None, "Audit", "Analyst", d(8, 1)).unwrap();
    plan.apply(&added, update(6, 30, |u| u.status = Some(Status::InProgress))).unwrap();
    let july = plan.as_at(d(7, 31));
    assert!(july.action(&added).is_some());
    assert!(july.action(&other).is_none());
    assert!(plan.as_at(d(8, 1)).action(&other).is_some());
}

mod rewinding {
    use chrono::{Days, NaiveDate};
    use proptest::prelude::*;
    use ragplan_core::generate::synthetic_plan;
    use ragplan_core::{Changes, Plan, Rating, Status, Update};

    fn day(offset: u64) -> NaiveDate {
        NaiveDate::from_ymd_opt(2014, 1, 1).unwrap() + Days::new(offset)
    }

    /// A generated plan with more updates and edits (each in any date order, some
    /// updates repeating evidence), each on a day of 2014–2016.
    fn plan_with_history(seed: u64, updates: &[(usize, u64, u8)], edits: &[(usize, u64)]) -> Plan {
        let mut plan = synthetic_plan(12, 2, seed);
        let keys: Vec<_> = plan.actions().map(|a| a.key.clone()).collect();
        for &(which, on, what) in updates {
            let mut u = Update::new(day(on), "Lead officer");
            match what % 4 {
                0 => u.delivery = Some(Rating::ALL[usize::from(what) % Rating::ALL.len()]),
                1 => u.status = Some(Status::Complete),
                2 => u.evidence = Some(format!("Minutes {}", what % 3)),
                _ => u.progress = Some(what % 101),
            }
            let _ = plan.apply(&keys[which % keys.len()], u);
        }
        for (n, &(which, on)) in (2..).zip(edits) {
            let changes = Changes { weight: Some(n), ..Changes::default() };
            let _ = plan.edit(&keys[which % keys.len()], changes, "Officer", day(on));
        }
        plan
    }

    proptest! {
        /// The plan as it stood on each date, made from one copy rewound further, is the
        /// plan `as_it_stood` makes for that date alone.
        #[test]
        fn each_as_it_stood_is_as_it_stood_on_each_date(
            seed in 0u64..50,
            updates in prop::collection::vec((0usize..12, 0u64..1000, any::<u8>()), 0..30),
            edits in prop::collection::vec((0usize..3, 0u64..1000), 0..4),
            dates in prop::collection::vec(0u64..1100, 1..6),
            latest_first in any::<bool>(),
        ) {
            let plan = plan_with_history(seed, &updates, &edits);
            let mut dates: Vec<NaiveDate> = dates.into_iter().map(day).collect();
            if latest_first {
                dates.sort_by(|a, b| b.cmp(a));
            }
            let mut got = Vec::new();
            plan.each_as_it_stood(dates.iter().copied(), |then| got.push(then.clone()));
            let want: Vec<_> = dates.iter().map(|&d| plan.as_it_stood(d)).collect();
            prop_assert_eq!(got, want);
        }
    }
}
