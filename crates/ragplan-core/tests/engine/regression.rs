//! One test per rating bug fixed, named after it.

use ragplan_core::{Dimension, Flag, Key, Policy, Rating, Status, Update, rate};

use crate::common::{action, as_of, d, plan_of};

fn delivery(plan: &ragplan_core::Plan) -> (Rating, Vec<Flag>, String) {
    let policy = Policy::default();
    let ratings = rate(plan, &policy, as_of());
    let node = ratings.actions().next().unwrap();
    let reason = node.reasons(Dimension::Delivery)[0].to_string();
    (node.rating(Dimension::Delivery), node.flags(), reason)
}

#[test]
fn an_action_with_nothing_reported_showed_green() {
    let plan = plan_of(vec![action("1.1.1", "Sign the agreement", "March 2016")]);
    let (rating, flags, reason) = delivery(&plan);
    assert_eq!(rating, Rating::NotRated);
    assert!(flags.contains(&Flag::Unreported), "{flags:?}");
    assert_eq!(
        reason,
        "Not rated because no rating is reported for action 1.1.1 \"Sign the agreement\" and it \
         is not late by its dates (due 31 March 2016)."
    );
}

#[test]
fn a_reported_complete_showed_red() {
    let mut done = action("1.1.1", "Train taxi drivers", "May 2015");
    done.action_rag = Some(Rating::Complete);
    let (rating, flags, _) = delivery(&plan_of(vec![done]));
    assert_eq!(rating, Rating::Complete);
    assert!(!flags.contains(&Flag::Overdue), "{flags:?}");
}

#[test]
fn the_importer_invented_not_started_so_due_soon_said_has_not_started() {
    // No status given: due in 15 days keeps its reported Green and is only flagged.
    let mut tool = action("1.1.1", "Publish the tool", "15/07/2015");
    tool.action_rag = Some(Rating::Green);
    let (rating, flags, reason) = delivery(&plan_of(vec![tool]));
    assert_eq!(rating, Rating::Green);
    assert!(flags.contains(&Flag::DueSoon), "{flags:?}");
    assert!(!reason.contains("has not started"), "{reason}");
}

#[test]
fn an_explicit_not_rated_showed_green() {
    let mut audit = action("1.1.1", "Audit case files", "March 2016");
    audit.action_rag = Some(Rating::NotRated);
    let (rating, flags, _) = delivery(&plan_of(vec![audit]));
    assert_eq!(rating, Rating::NotRated);
    assert!(flags.contains(&Flag::Unreported), "{flags:?}");
}

#[test]
fn rewinding_wiped_the_imported_rating() {
    let mut a = action("1.1.1", "Agree the protocol", "2015/16");
    a.action_rag = Some(Rating::Amber);
    a.status = Some(Status::InProgress);
    let mut plan = plan_of(vec![a]);
    let k = Key::new("1.1.1").unwrap();
    let mut update = Update::new(d(6, 10), "Lead");
    update.delivery = Some(Rating::Green);
    plan.apply(&k, update).unwrap();
    // Before the update the plan stood as imported: Amber, not Not rated.
    let march = plan.as_at(d(3, 31));
    let then = march.action(&k).unwrap();
    assert_eq!((then.action_rag, then.status), (Some(Rating::Amber), Some(Status::InProgress)));
    assert_eq!(plan.action(&k).unwrap().action_rag, Some(Rating::Green));
}

#[test]
fn a_new_override_overwrote_the_one_before() {
    let mut plan = plan_of(vec![action("1.1.1", "Agree the protocol", "May 2015")]);
    let k = Key::new("1.1.1").unwrap();
    for (on, rating) in [(d(3, 1), Rating::Amber), (d(6, 1), Rating::Green)] {
        let ov = ragplan_core::Override::new(rating, "Chair", on, "Judgement").unwrap();
        plan.set_override(&k, ov).unwrap();
    }
    let a = plan.action(&k).unwrap();
    assert_eq!(a.overrides.len(), 2);
    assert_eq!(a.override_on(d(3, 31)).map(|o| o.rating), Some(Rating::Amber));
    assert_eq!(a.override_on(d(6, 30)).map(|o| o.rating), Some(Rating::Green));
}

#[test]
fn a_change_to_a_key_two_nodes_share_is_refused_naming_both() {
    let mut plan = plan_of(vec![
        action("1.1", "First action", "May 2015"),
        action("1.1", "Second action", "March 2016"),
    ]);
    let k = Key::new("1.1").unwrap();
    let err = plan.apply(&k, Update::new(d(6, 1), "Lead")).unwrap_err().to_string();
    assert!(err.contains("the key 1.1 is held by"), "{err}");
    assert!(err.contains("\"First action\"") && err.contains("\"Second action\""), "{err}");
    let ov = ragplan_core::Override::new(Rating::Green, "Chair", d(6, 1), "Judgement").unwrap();
    assert!(plan.set_override(&k, ov).is_err());
}

#[test]
fn a_complete_reported_once_stayed_complete_after_a_later_red() {
    let mut plan = plan_of(vec![action("1.1.1", "Agree the protocol", "2015/16")]);
    plan.scale = ragplan_core::Scale::Brag;
    let k = Key::new("1.1.1").unwrap();
    let mut done = Update::new(d(5, 1), "Lead");
    done.delivery = Some(Rating::Complete);
    plan.apply(&k, done).unwrap();
    assert!(plan.action(&k).unwrap().is_complete());
    assert_eq!(plan.action(&k).unwrap().status, None, "no status is invented");
    let mut red = Update::new(d(6, 1), "Lead");
    red.delivery = Some(Rating::Red);
    plan.apply(&k, red).unwrap();
    assert!(!plan.action(&k).unwrap().is_complete());
    let (rating, _, _) = delivery(&plan);
    assert_eq!(rating, Rating::Red);
    // As it stood in May, it was complete.
    assert!(plan.as_at(d(5, 31)).action(&k).unwrap().is_complete());
}

#[test]
fn a_second_withdrawal_replaced_the_first() {
    let mut plan = plan_of(vec![action("1.1.1", "Agree the protocol", "May 2015")]);
    let k = Key::new("1.1.1").unwrap();
    let ov = ragplan_core::Override::new(Rating::Green, "Chair", d(6, 1), "Signed").unwrap();
    plan.set_override(&k, ov).unwrap();
    let withdraw =
        |on| ragplan_core::Withdrawal { by: "Chair".into(), on, justification: "Lapsed".into() };
    plan.withdraw_override(&k, withdraw(d(8, 1))).unwrap();
    let err = plan.withdraw_override(&k, withdraw(d(7, 15))).unwrap_err().to_string();
    assert!(err.contains("already withdrawn from 1 August 2015"), "{err}");
    let w = plan.action(&k).unwrap().overrides[0].withdrawn.clone().unwrap();
    assert_eq!(w.on, d(8, 1));
}

#[test]
fn an_overridden_parent_was_flagged_divergent_without_saying_why() {
    let mut plan = plan_of(vec![action("1.1.1", "Agree the protocol", "May 2015")]);
    plan.objectives[0].sub_objectives[0].node.reported_delivery = Some(Rating::Green);
    let k = Key::new("1.1").unwrap();
    let ov = ragplan_core::Override::new(Rating::Amber, "Chair", d(6, 1), "Judged").unwrap();
    plan.set_override(&k, ov).unwrap();
    let policy = Policy::default();
    let ratings = rate(&plan, &policy, as_of());
    let sub = ratings.node(ragplan_core::Place::SubObjective(0)).unwrap();
    assert!(sub.has(Flag::Divergent) && sub.has(Flag::Overridden));
    let reasons = sub.reasons(Dimension::Delivery);
    assert!(matches!(reasons[0], ragplan_core::Reason::ParentOverridden { .. }), "{reasons:?}");
    assert!(reasons.iter().any(|r| matches!(r, ragplan_core::Reason::Divergent { .. })));
}

/// A plan whose 200,000 actions depend on each other in one cycle overflowed the
/// stack: the cycle search recursed once per action, and the process aborted (in
/// `ragplan serve`, the whole server). It now keeps its own stack: the plan rates,
/// and validation finds the one cycle.
#[test]
fn a_cycle_through_two_hundred_thousand_actions_overflowed_the_stack() {
    let n = 200_000;
    let mut actions: Vec<_> =
        (0..n).map(|i| action(&format!("a{i}"), &format!("Step {i}"), "March 2016")).collect();
    for (i, action) in actions.iter_mut().enumerate() {
        let before = (i + n - 1) % n;
        action.depends_on = vec![Key::new(&format!("a{before}")).unwrap()];
    }
    let plan = plan_of(actions);
    let lints = ragplan_core::validate(&plan);
    let cycles: Vec<_> =
        lints.iter().filter(|l| l.code == ragplan_core::LintCode::DependencyCycle).collect();
    assert_eq!(cycles.len(), 1, "{:?}", cycles.first().map(ToString::to_string));
    let policy = Policy::default();
    let ratings = rate(&plan, &policy, as_of());
    assert_eq!(ratings.actions().count(), n);
}

#[test]
fn the_outcome_headline_said_only_that_its_one_objective_cannot_be_counted() {
    let mut cancelled = action("1.1.3", "Retired idea", "March 2016");
    cancelled.status = Some(Status::Cancelled);
    let plan = plan_of(vec![
        action("1.1.1", "Sign the agreement", "March 2016"),
        action("1.1.2", "Train taxi drivers", "May 2016"),
        cancelled,
    ]);
    let policy = Policy::default();
    let ratings = rate(&plan, &policy, as_of());
    let sentence = |node: ragplan_core::NodeRating<'_, '_>| {
        node.reasons(Dimension::Outcome).iter().map(ToString::to_string).collect::<Vec<_>>()
    };
    // The plan and the objective say what lies beneath them: two actions counted, both
    // not rated on outcome (the cancelled one is not counted).
    assert_eq!(
        sentence(ratings.whole()),
        ["Not rated because none of the 2 actions below it is rated, so its one objective \
          cannot be counted."]
    );
    let objective = ratings.nodes().next().unwrap();
    assert_eq!(
        sentence(objective),
        ["Not rated because none of the 2 actions below it is rated, so its one sub-objective \
          cannot be counted."]
    );
    // The sub-objective holds a cancelled action beside the two: it says what it can.
    let sub = ratings.nodes().nth(1).unwrap();
    assert_eq!(
        sentence(sub),
        ["Not rated because none of its 3 actions can be counted: 2 are not rated and 1 is \
          cancelled, removed or complete where complete is left out."]
    );
    // Its own actions, every one Not rated, are said so.
    let only_two = plan_of(vec![
        action("1.1.1", "Sign the agreement", "March 2016"),
        action("1.1.2", "Train taxi drivers", "May 2016"),
    ]);
    let ratings = rate(&only_two, &policy, as_of());
    assert_eq!(
        sentence(ratings.nodes().nth(1).unwrap()),
        ["Not rated because none of its 2 actions is rated."]
    );
}

#[test]
fn a_plan_whose_actions_are_all_cancelled_said_its_objective_could_not_be_counted() {
    let cancelled = |key: &str| {
        let mut a = action(key, "Retired idea", "March 2016");
        a.status = Some(Status::Cancelled);
        a
    };
    let plan = plan_of(vec![cancelled("1.1.1"), cancelled("1.1.2"), cancelled("1.1.3")]);
    let policy = Policy::default();
    let ratings = rate(&plan, &policy, as_of());
    let sentence = |node: ragplan_core::NodeRating<'_, '_>| {
        node.reasons(Dimension::Delivery).iter().map(ToString::to_string).collect::<Vec<_>>()
    };
    assert_eq!(
        sentence(ratings.whole()),
        ["Not rated because all 3 actions below it are cancelled or removed, so its one \
          objective cannot be counted."]
    );
    assert_eq!(
        sentence(ratings.nodes().nth(1).unwrap()),
        ["Not rated because all 3 actions below it are cancelled or removed."]
    );
}

/// A plan written without the record of what its source said (`imported`), whose
/// action already had an update, lost the action's status when rewound to before
/// a later update that set it: "in progress" came back as no status, so a report or
/// status as of that date showed the action with none. The first update logged
/// since now keeps what the source said of each field no earlier update set.
#[test]
fn rewinding_a_later_update_lost_a_status_no_update_had_set() {
    let mut plan = plan_of(vec![action("1.1.1", "Sign the agreement", "March 2016")]);
    let key = Key::new("1.1.1").unwrap();
    let mut first = Update::new(d(6, 1), "Lead");
    first.delivery = Some(Rating::Green);
    plan.apply(&key, first).unwrap();
    // As a plan written before the record was kept reads: no `imported`, and a
    // status from the source.
    let a = plan.actions_mut().next().unwrap();
    a.imported = None;
    a.status = Some(Status::InProgress);
    let mut later = Update::new(d(7, 12), "Lead");
    later.status = Some(Status::Complete);
    plan.apply(&key, later).unwrap();
    let june = plan.as_at(d(6, 30));
    let then = june.action(&key).unwrap();
    assert_eq!(then.status, Some(Status::InProgress));
    assert_eq!(then.action_rag, Some(Rating::Green));
    // Before every update: the rating the first update set is not known from before it.
    let may = plan.as_at(d(5, 31));
    assert_eq!(may.action(&key).unwrap().action_rag, None);
    assert_eq!(may.action(&key).unwrap().status, Some(Status::InProgress));
}

/// An action reported in progress at 40% with a note, but no rating, was "Not
/// rated because nothing is reported", which the status, progress and note beside
/// it contradicted. The reason now says what is missing: a rating.
#[test]
fn an_action_with_a_status_and_progress_was_said_to_have_nothing_reported() {
    let mut plan = plan_of(vec![action("1.1.1", "Sign the agreement", "March 2016")]);
    let mut update = Update::new(d(6, 1), "Lead");
    update.status = Some(Status::InProgress);
    update.progress = Some(40);
    update.note = Some("Draft with legal".to_owned());
    plan.apply(&Key::new("1.1.1").unwrap(), update).unwrap();
    let (rating, _, reason) = delivery(&plan);
    assert_eq!(rating, Rating::NotRated);
    assert!(!reason.contains("nothing is reported"), "{reason}");
    assert!(
        reason.starts_with("Not rated because no rating is reported for action 1.1.1"),
        "{reason}"
    );
}

/// A sub-objective overridden to Red, whose two actions are Green, read "Red
/// because … was overridden by Chair …" and then "Green because 2 actions are
/// Green: …", two reasons that contradict each other. The roll-up's reason now says
/// what the rating would be without the override; one that agrees is left as it is.
#[test]
fn an_overridden_parent_was_red_because_and_green_because() {
    use ragplan_core::Override;
    let mut actions = vec![
        action("1.1.1", "Train members", "March 2016"),
        action("1.1.2", "Publish the guide", "March 2016"),
    ];
    for a in &mut actions {
        a.action_rag = Some(Rating::Green);
    }
    let sub = Key::new("1.1").unwrap();
    let reasons_under = |rating: Rating| {
        let mut plan = plan_of(actions.clone());
        let ov = Override::new(rating, "Chair", d(6, 1), "Member training not started");
        plan.set_override(&sub, ov.unwrap()).unwrap();
        let assessment = crate::common::assess(&plan, &Policy::default(), as_of());
        let node = assessment.node(&sub).unwrap();
        assert_eq!(node.delivery.rating, rating);
        node.delivery.reasons.iter().map(ToString::to_string).collect::<Vec<_>>()
    };
    let red = reasons_under(Rating::Red);
    assert_eq!(red.len(), 2, "{red:?}");
    assert!(red[0].starts_with("Red because the rating of sub-objective 1.1"), "{red:?}");
    assert!(red[1].starts_with("Without the override: Green because 2 actions are"), "{red:?}");
    let green = reasons_under(Rating::Green);
    assert!(green[1].starts_with("Green because 2 actions are"), "{green:?}");
}
