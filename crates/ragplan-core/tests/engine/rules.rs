//! Table tests of the rules that rate one action: each case gives the action, the
//! policy, and the expected rating, flags and reason sentences.

use ragplan_core::{
    Action, Flag, Override, Policy, Rating, RatingSource, Status, Timescale, Unreported, Update,
};

use crate::common::{action, as_of, assess, d, key, plan_of};

const TITLE: &str = "Agree the protocol";

struct Case {
    name: &'static str,
    action: Action,
    policy: Policy,
    rating: Rating,
    flags: &'static [Flag],
    reasons: &'static [&'static str],
}

fn base(timescale: &str, status: Status) -> Action {
    let mut a = action("1.1.1", TITLE, timescale);
    a.status = Some(status);
    a
}

fn with(mut a: Action, f: impl FnOnce(&mut Action)) -> Action {
    f(&mut a);
    a
}

fn policy(f: impl FnOnce(&mut Policy)) -> Policy {
    let mut p = Policy::default();
    f(&mut p);
    p
}

fn cases() -> Vec<Case> {
    use Status::*;
    let behind = |progress: u8| {
        with(base("30/09/2015", InProgress), |a| {
            a.start = Some(d(4, 1));
            a.progress = Some(progress);
        })
    };
    vec![
        Case {
            name: "past due and not complete is red, with the days overdue",
            action: base("May 2015", InProgress),
            policy: Policy::default(),
            rating: Rating::Red,
            flags: &[Flag::Overdue, Flag::Unreported],
            reasons: &[
                "Red because action 1.1.1 \"Agree the protocol\" was due 31 May 2015 and is not complete (30 days overdue).",
            ],
        },
        Case {
            name: "one day overdue is singular",
            action: base("29/06/2015", NotStarted),
            policy: Policy::default(),
            rating: Rating::Red,
            flags: &[Flag::Overdue, Flag::Unreported],
            reasons: &[
                "Red because action 1.1.1 \"Agree the protocol\" was due 29 June 2015 and is not complete (1 day overdue).",
            ],
        },
        Case {
            name: "due on the as-of date is not overdue, and with nothing reported is not rated",
            action: base("30/06/2015", InProgress),
            policy: Policy::default(),
            rating: Rating::NotRated,
            flags: &[Flag::Unreported],
            reasons: &[
                "Not rated because no rating is reported for action 1.1.1 \"Agree the protocol\" and it is not late by its dates (due 30 June 2015).",
            ],
        },
        Case {
            name: "due on the as-of date and not started is due soon (today)",
            action: base("30/06/2015", NotStarted),
            policy: Policy::default(),
            rating: Rating::Amber,
            flags: &[Flag::DueSoon, Flag::Unreported],
            reasons: &[
                "Amber because action 1.1.1 \"Agree the protocol\" is due 30 June 2015 (today) and has not started.",
            ],
        },
        Case {
            name: "not started and due at the edge of the 28-day window is amber",
            action: base("28/07/2015", NotStarted),
            policy: Policy::default(),
            rating: Rating::Amber,
            flags: &[Flag::DueSoon, Flag::DueNextQuarter, Flag::Unreported],
            reasons: &[
                "Amber because action 1.1.1 \"Agree the protocol\" is due 28 July 2015 (in 28 days) and has not started.",
            ],
        },
        Case {
            name: "not started and due one day past the window is not lowered",
            action: base("29/07/2015", NotStarted),
            policy: Policy::default(),
            rating: Rating::NotRated,
            flags: &[Flag::DueNextQuarter, Flag::Unreported],
            reasons: &[
                "Not rated because no rating is reported for action 1.1.1 \"Agree the protocol\" and it is not late by its dates (due 29 July 2015).",
            ],
        },
        Case {
            name: "a wider due-soon window catches it",
            action: base("29/07/2015", NotStarted),
            policy: policy(|p| p.due_soon_days = 29),
            rating: Rating::Amber,
            flags: &[Flag::DueSoon, Flag::DueNextQuarter, Flag::Unreported],
            reasons: &[
                "Amber because action 1.1.1 \"Agree the protocol\" is due 29 July 2015 (in 29 days) and has not started.",
            ],
        },
        Case {
            name: "due soon but started is not lowered",
            action: base("28/07/2015", InProgress),
            policy: Policy::default(),
            rating: Rating::NotRated,
            flags: &[Flag::DueNextQuarter, Flag::Unreported],
            reasons: &[
                "Not rated because no rating is reported for action 1.1.1 \"Agree the protocol\" and it is not late by its dates (due 28 July 2015).",
            ],
        },
        Case {
            name: "complete is complete even past its due date",
            action: base("May 2015", Complete),
            policy: Policy::default(),
            rating: Rating::Complete,
            flags: &[],
            reasons: &["Complete because action 1.1.1 \"Agree the protocol\" is marked complete."],
        },
        Case {
            name: "cancelled is left out",
            action: base("May 2015", Cancelled),
            policy: Policy::default(),
            rating: Rating::NotRated,
            flags: &[Flag::Cancelled],
            reasons: &[
                "Not rated because action 1.1.1 \"Agree the protocol\" is cancelled and left out of roll-up.",
            ],
        },
        Case {
            name: "removed is left out",
            action: with(base("May 2015", InProgress), |a| a.removed = true),
            policy: Policy::default(),
            rating: Rating::NotRated,
            flags: &[Flag::Removed],
            reasons: &[
                "Not rated because action 1.1.1 \"Agree the protocol\" is no longer in the plan and is left out of roll-up.",
            ],
        },
        // Start 1 April, due 30 September: on 30 June 90 of 182 days have passed, so
        // 49% progress is expected. Amber below 90% of that (44.1%), Red below 70% (34.3%).
        Case {
            name: "progress at 90% of expected is not lowered",
            action: behind(45),
            policy: Policy::default(),
            rating: Rating::NotRated,
            flags: &[Flag::DueNextQuarter, Flag::Unreported],
            reasons: &[
                "Not rated because no rating is reported for action 1.1.1 \"Agree the protocol\" and it is not late by its dates (due 30 September 2015).",
            ],
        },
        Case {
            name: "progress just below 90% of expected is amber",
            action: behind(44),
            policy: Policy::default(),
            rating: Rating::Amber,
            flags: &[Flag::DueNextQuarter, Flag::BehindSchedule, Flag::Unreported],
            reasons: &[
                "Amber because action 1.1.1 \"Agree the protocol\" is 44% done against 49% expected by 30 June 2015, below 90% of the expected progress.",
            ],
        },
        Case {
            name: "progress at 70% of expected is amber",
            action: behind(35),
            policy: Policy::default(),
            rating: Rating::Amber,
            flags: &[Flag::DueNextQuarter, Flag::BehindSchedule, Flag::Unreported],
            reasons: &[
                "Amber because action 1.1.1 \"Agree the protocol\" is 35% done against 49% expected by 30 June 2015, below 90% of the expected progress.",
            ],
        },
        Case {
            name: "progress just below 70% of expected is red",
            action: behind(34),
            policy: Policy::default(),
            rating: Rating::Red,
            flags: &[Flag::DueNextQuarter, Flag::BehindSchedule, Flag::Unreported],
            reasons: &[
                "Red because action 1.1.1 \"Agree the protocol\" is 34% done against 49% expected by 30 June 2015, below 70% of the expected progress.",
            ],
        },
        Case {
            name: "progress thresholds are configurable",
            action: behind(45),
            policy: policy(|p| p.progress.amber_below_percent = 95),
            rating: Rating::Amber,
            flags: &[Flag::DueNextQuarter, Flag::BehindSchedule, Flag::Unreported],
            reasons: &[
                "Amber because action 1.1.1 \"Agree the protocol\" is 45% done against 49% expected by 30 June 2015, below 95% of the expected progress.",
            ],
        },
        Case {
            name: "worse_of: a reported green does not hide an overdue action",
            action: with(base("May 2015", InProgress), |a| a.action_rag = Some(Rating::Green)),
            policy: Policy::default(),
            rating: Rating::Red,
            flags: &[Flag::Overdue],
            reasons: &[
                "Red because action 1.1.1 \"Agree the protocol\" was due 31 May 2015 and is not complete (30 days overdue).",
                "Red rather than the reported Green because the rating worked out for action 1.1.1 \"Agree the protocol\" is worse.",
            ],
        },
        Case {
            name: "worse_of: a reported red on an action on track stays red",
            action: with(base("2015/16", InProgress), |a| a.action_rag = Some(Rating::Red)),
            policy: Policy::default(),
            rating: Rating::Red,
            flags: &[],
            reasons: &["Red because action 1.1.1 \"Agree the protocol\" is reported Red."],
        },
        Case {
            name: "worse_of: equal ratings give both reasons, the worked-out one first",
            action: with(base("May 2015", InProgress), |a| a.action_rag = Some(Rating::Red)),
            policy: Policy::default(),
            rating: Rating::Red,
            flags: &[Flag::Overdue],
            reasons: &[
                "Red because action 1.1.1 \"Agree the protocol\" was due 31 May 2015 and is not complete (30 days overdue).",
                "Red because action 1.1.1 \"Agree the protocol\" is reported Red.",
            ],
        },
        Case {
            name: "worse_of: reported with no due date stands",
            action: with(base("", InProgress), |a| a.action_rag = Some(Rating::Amber)),
            policy: Policy::default(),
            rating: Rating::Amber,
            flags: &[],
            reasons: &["Amber because action 1.1.1 \"Agree the protocol\" is reported Amber."],
        },
        Case {
            name: "worse_of: a reported not rated is nothing reported",
            action: with(base("2015/16", InProgress), |a| a.action_rag = Some(Rating::NotRated)),
            policy: Policy::default(),
            rating: Rating::NotRated,
            flags: &[Flag::Unreported],
            reasons: &[
                "Not rated because no rating is reported for action 1.1.1 \"Agree the protocol\" and it is not late by its dates (due 31 March 2016).",
            ],
        },
        Case {
            name: "nothing reported and no due date is not rated",
            action: base("TBC", InProgress),
            policy: Policy::default(),
            rating: Rating::NotRated,
            flags: &[Flag::Unreported],
            reasons: &[
                "Not rated because no rating is reported for action 1.1.1 \"Agree the protocol\" and it has no due date to judge it by.",
            ],
        },
        Case {
            name: "reported source keeps a green on an overdue action (still flagged)",
            action: with(base("May 2015", InProgress), |a| a.action_rag = Some(Rating::Green)),
            policy: policy(|p| p.source = RatingSource::Reported),
            rating: Rating::Green,
            flags: &[Flag::Overdue],
            reasons: &["Green because action 1.1.1 \"Agree the protocol\" is reported Green."],
        },
        Case {
            name: "reported source with nothing reported is not rated",
            action: base("May 2015", InProgress),
            policy: policy(|p| p.source = RatingSource::Reported),
            rating: Rating::NotRated,
            flags: &[Flag::Overdue, Flag::Unreported],
            reasons: &[
                "Not rated because no delivery rating is reported for action 1.1.1 \"Agree the protocol\".",
            ],
        },
        Case {
            name: "derived source ignores a reported red",
            action: with(base("2015/16", InProgress), |a| a.action_rag = Some(Rating::Red)),
            policy: policy(|p| p.source = RatingSource::Derived),
            rating: Rating::Green,
            flags: &[],
            reasons: &[
                "Green because action 1.1.1 \"Agree the protocol\" is due 31 March 2016 and nothing about it is late.",
            ],
        },
        Case {
            name: "an override wins and says who, when and why",
            action: with(base("May 2015", InProgress), |a| {
                a.overrides = vec![
                    Override::new(
                        Rating::Green,
                        "LSCB Chair",
                        d(6, 1),
                        "Police data shows the agreement is in use",
                    )
                    .unwrap(),
                ]
            }),
            policy: Policy::default(),
            rating: Rating::Green,
            flags: &[Flag::Overdue, Flag::Unreported, Flag::Overridden],
            reasons: &[
                "Green because the rating of action 1.1.1 \"Agree the protocol\" was overridden by LSCB Chair on 1 June 2015: \"Police data shows the agreement is in use\".",
            ],
        },
        // Last update 1 March: 121 days before 30 June.
        Case {
            name: "no update within the stale window is flagged stale only",
            action: with(base("2015/16", InProgress), |a| {
                a.updates.push(Update::new(d(3, 1), "Lead"))
            }),
            policy: Policy::default(),
            rating: Rating::NotRated,
            flags: &[Flag::Stale, Flag::Unreported],
            reasons: &[
                "Not rated because no rating is reported for action 1.1.1 \"Agree the protocol\" and it is not late by its dates (due 31 March 2016).",
            ],
        },
        Case {
            name: "stale is lowered to amber when the policy says so",
            action: with(base("2015/16", InProgress), |a| {
                a.updates.push(Update::new(d(3, 1), "Lead"))
            }),
            policy: policy(|p| p.stale_lowers_to_amber = true),
            rating: Rating::Amber,
            flags: &[Flag::Stale, Flag::Unreported],
            reasons: &[
                "Amber because action 1.1.1 \"Agree the protocol\" has had no update since 1 March 2015 (121 days).",
            ],
        },
        Case {
            name: "an update exactly 92 days old is not stale",
            action: with(base("2015/16", InProgress), |a| {
                a.updates.push(Update::new(d(3, 30), "Lead"))
            }),
            policy: policy(|p| p.stale_lowers_to_amber = true),
            rating: Rating::NotRated,
            flags: &[Flag::Unreported],
            reasons: &[
                "Not rated because no rating is reported for action 1.1.1 \"Agree the protocol\" and it is not late by its dates (due 31 March 2016).",
            ],
        },
        Case {
            name: "a critical action is flagged critical",
            action: with(base("2015/16", InProgress), |a| a.critical = true),
            policy: Policy::default(),
            rating: Rating::NotRated,
            flags: &[Flag::Unreported, Flag::Critical],
            reasons: &[
                "Not rated because no rating is reported for action 1.1.1 \"Agree the protocol\" and it is not late by its dates (due 31 March 2016).",
            ],
        },
        Case {
            name: "unreported: derived rates an action with nothing reported by its dates",
            action: base("2015/16", InProgress),
            policy: policy(|p| p.unreported = Unreported::Derived),
            rating: Rating::Green,
            flags: &[Flag::Unreported],
            reasons: &[
                "Green because action 1.1.1 \"Agree the protocol\" is due 31 March 2016 and nothing about it is late.",
            ],
        },
        Case {
            name: "unreported: derived keeps not rated for no due date",
            action: base("TBC", InProgress),
            policy: policy(|p| p.unreported = Unreported::Derived),
            rating: Rating::NotRated,
            flags: &[Flag::Unreported],
            reasons: &[
                "Not rated because action 1.1.1 \"Agree the protocol\" has no reported rating and no due date to judge it by.",
            ],
        },
        Case {
            name: "due soon with its status unknown is flagged and keeps the reported rating",
            action: with(action("1.1.1", TITLE, "15/07/2015"), |a| {
                a.action_rag = Some(Rating::Green)
            }),
            policy: Policy::default(),
            rating: Rating::Green,
            flags: &[Flag::DueSoon, Flag::DueNextQuarter],
            reasons: &["Green because action 1.1.1 \"Agree the protocol\" is reported Green."],
        },
        Case {
            name: "due soon with its status unknown and nothing reported is not rated",
            action: action("1.1.1", TITLE, "15/07/2015"),
            policy: Policy::default(),
            rating: Rating::NotRated,
            flags: &[Flag::DueSoon, Flag::DueNextQuarter, Flag::Unreported],
            reasons: &[
                "Not rated because no rating is reported for action 1.1.1 \"Agree the protocol\" and it is not late by its dates (due 15 July 2015).",
            ],
        },
        Case {
            name: "a reported Complete with no status is complete and never overdue",
            action: with(action("1.1.1", TITLE, "May 2015"), |a| {
                a.action_rag = Some(Rating::Complete)
            }),
            policy: Policy::default(),
            rating: Rating::Complete,
            flags: &[],
            reasons: &["Complete because action 1.1.1 \"Agree the protocol\" is marked complete."],
        },
        Case {
            name: "a reported Complete with a status that says otherwise: the status stands",
            action: with(base("May 2015", InProgress), |a| a.action_rag = Some(Rating::Complete)),
            policy: Policy::default(),
            rating: Rating::Red,
            flags: &[Flag::Overdue],
            reasons: &[
                "Red because action 1.1.1 \"Agree the protocol\" was due 31 May 2015 and is not complete (30 days overdue).",
                "Red rather than the reported Complete because the rating worked out for action 1.1.1 \"Agree the protocol\" is worse.",
            ],
        },
    ]
}

#[test]
fn action_rules_table() {
    for case in cases() {
        // Reported as a whole on the as-of date: the never-updated rule has its own
        // tests below.
        let mut plan = plan_of(vec![case.action]);
        plan.reported_on = Some(as_of());
        let assessment = assess(&plan, &case.policy, as_of());
        let node = assessment.node(&key("1.1.1")).unwrap();
        assert_eq!(node.delivery.rating, case.rating, "{}", case.name);
        assert_eq!(node.flags, case.flags, "{}", case.name);
        let reasons: Vec<String> = node.delivery.reasons.iter().map(ToString::to_string).collect();
        assert_eq!(reasons, case.reasons, "{}", case.name);
    }
}

fn chain(first: Action) -> Vec<Action> {
    let mut b = action("1.1.2", "Train staff", "2015/16");
    b.status = Some(Status::InProgress);
    b.depends_on.push(key("1.1.1"));
    let mut c = action("1.1.3", "Audit practice", "2015/16");
    c.status = Some(Status::InProgress);
    c.depends_on.push(key("1.1.2"));
    vec![first, b, c]
}

/// A plan of `actions` reported as a whole on the as-of date.
fn reported_plan(actions: Vec<Action>) -> ragplan_core::Plan {
    let mut plan = plan_of(actions);
    plan.reported_on = Some(as_of());
    plan
}

fn delivery_of(plan: &ragplan_core::Plan, k: &str) -> (Rating, Vec<Flag>, Vec<String>) {
    let assessment = assess(plan, &Policy::default(), as_of());
    let node = assessment.node(&key(k)).unwrap();
    let reasons = node.delivery.reasons.iter().map(ToString::to_string).collect();
    (node.delivery.rating, node.flags.to_vec(), reasons)
}

#[test]
fn depending_on_an_overdue_action_is_amber_directly_and_through_others() {
    let plan = reported_plan(chain(base("May 2015", Status::InProgress)));
    assert_eq!(
        delivery_of(&plan, "1.1.2"),
        (
            Rating::Amber,
            vec![Flag::Blocked, Flag::Unreported],
            vec!["Amber because action 1.1.2 \"Train staff\" depends on action 1.1.1 \"Agree the protocol\", which is overdue.".to_owned()]
        )
    );
    assert_eq!(
        delivery_of(&plan, "1.1.3"),
        (
            Rating::Amber,
            vec![Flag::Blocked, Flag::Unreported],
            vec!["Amber because action 1.1.3 \"Audit practice\" depends, through action 1.1.2, on action 1.1.1 \"Agree the protocol\", which is overdue.".to_owned()]
        )
    );
}

#[test]
fn depending_on_a_red_action_is_amber() {
    let first = with(base("2015/16", Status::InProgress), |a| a.action_rag = Some(Rating::Red));
    let plan = reported_plan(chain(first));
    let (rating, flags, reasons) = delivery_of(&plan, "1.1.2");
    assert_eq!((rating, flags), (Rating::Amber, vec![Flag::Blocked, Flag::Unreported]));
    assert_eq!(
        reasons,
        [
            "Amber because action 1.1.2 \"Train staff\" depends on action 1.1.1 \"Agree the protocol\", which is Red."
        ]
    );
}

#[test]
fn depending_on_a_green_or_complete_action_is_not_blocked() {
    for status in [Status::InProgress, Status::Complete] {
        let first = with(base("2015/16", status), |a| a.action_rag = Some(Rating::Green));
        let mut actions = chain(first);
        actions[2].action_rag = Some(Rating::Green);
        let plan = reported_plan(actions);
        let (rating, flags, _) = delivery_of(&plan, "1.1.3");
        assert_eq!((rating, flags), (Rating::Green, vec![]), "{status:?}");
    }
}

#[test]
fn blocked_never_lowers_a_worse_rating() {
    let mut actions = chain(base("May 2015", Status::InProgress));
    actions[1].timescale = Timescale::parse("May 2015");
    actions[1].status = Some(Status::InProgress);
    let plan = reported_plan(actions);
    // 1.1.2 is itself overdue: Red, and blocked too.
    let (rating, flags, reasons) = delivery_of(&plan, "1.1.2");
    assert_eq!(rating, Rating::Red);
    assert_eq!(flags, [Flag::Overdue, Flag::Blocked, Flag::Unreported]);
    assert_eq!(reasons.len(), 2);
    assert!(
        reasons[0].starts_with("Red because action 1.1.2 \"Train staff\" was due 31 May 2015"),
        "{reasons:?}"
    );
}

#[test]
fn a_dependency_cycle_rates_without_blocking_and_is_an_error() {
    let mut a = base("2015/16", Status::InProgress);
    a.action_rag = Some(Rating::Green);
    a.depends_on.push(key("1.1.2"));
    let mut b = action("1.1.2", "Train staff", "May 2015");
    b.depends_on.push(key("1.1.1"));
    let plan = plan_of(vec![a, b]);
    let assessment = assess(&plan, &Policy::default(), as_of());
    assert_eq!(assessment.node(&key("1.1.1")).unwrap().delivery.rating, Rating::Green);
    assert_eq!(assessment.node(&key("1.1.2")).unwrap().delivery.rating, Rating::Red);
    let codes: Vec<&str> = assessment.lints.iter().map(|l| l.code.as_str()).collect();
    assert!(codes.contains(&"dependency-cycle"), "{codes:?}");
}

#[test]
fn outcome_is_the_reported_outcome_rag() {
    let with_outcome =
        with(base("2015/16", Status::InProgress), |a| a.outcome_rag = Some(Rating::Amber));
    let plan = plan_of(vec![with_outcome]);
    let assessment = assess(&plan, &Policy::default(), as_of());
    let node = assessment.node(&key("1.1.1")).unwrap();
    assert_eq!(node.outcome.rating, Rating::Amber);
    assert_eq!(node.outcome.reported, Some(Rating::Amber));
    assert_eq!(
        node.outcome.reasons[0].to_string(),
        "Amber because the outcome of action 1.1.1 \"Agree the protocol\" is reported Amber."
    );

    let plan = plan_of(vec![base("2015/16", Status::InProgress)]);
    let assessment = assess(&plan, &Policy::default(), as_of());
    let node = assessment.node(&key("1.1.1")).unwrap();
    assert_eq!(node.outcome.rating, Rating::NotRated);
    assert_eq!(
        node.outcome.reasons[0].to_string(),
        "Not rated because no outcome rating is reported for action 1.1.1 \"Agree the protocol\"."
    );
}

#[test]
fn a_later_update_log_makes_it_fresh_again() {
    let mut a = base("2015/16", Status::InProgress);
    a.action_rag = Some(Rating::Green);
    a.updates.push(Update::new(d(3, 1), "Lead"));
    a.updates.push(Update::new(d(6, 1), "Lead"));
    let plan = plan_of(vec![a]);
    let (_, flags, _) = delivery_of(&plan, "1.1.1");
    assert_eq!(flags, Vec::<Flag>::new());
}

#[test]
fn an_action_never_updated_in_a_plan_with_no_report_date_is_flagged_and_noted() {
    let plan = plan_of(vec![with(base("2015/16", Status::InProgress), |a| {
        a.action_rag = Some(Rating::Green)
    })]);
    let policy = Policy::default();
    let ratings = ragplan_core::rate(&plan, &policy, as_of());
    let action = ratings.actions().next().unwrap();
    assert_eq!(action.rating(ragplan_core::Dimension::Delivery), Rating::Green);
    assert_eq!(action.flags(), [Flag::NeverUpdated]);
    let notes: Vec<String> = action.notes().iter().map(ToString::to_string).collect();
    assert_eq!(
        notes,
        ["Never updated: no update is logged and the plan has no date it was reported on."]
    );
}

#[test]
fn the_plan_report_date_is_the_last_report_of_an_action_with_no_update() {
    let green = with(base("2015/16", Status::InProgress), |a| a.action_rag = Some(Rating::Green));
    let mut plan = plan_of(vec![green.clone()]);
    // Reported 1 March: 121 days before 30 June, past the 92-day window.
    plan.reported_on = Some(d(3, 1));
    let policy = Policy::default();
    let ratings = ragplan_core::rate(&plan, &policy, as_of());
    let action = ratings.actions().next().unwrap();
    assert_eq!(action.flags(), [Flag::Stale]);
    assert_eq!(
        action.notes()[0].to_string(),
        "No update since 1 March 2015 (121 days before 30 June 2015)."
    );
    // An update after the plan's report date is the later report.
    let mut updated = green;
    updated.updates.push(Update::new(d(6, 1), "Lead"));
    let mut plan = plan_of(vec![updated]);
    plan.reported_on = Some(d(3, 1));
    let policy = Policy::default();
    let ratings = ragplan_core::rate(&plan, &policy, as_of());
    assert_eq!(ratings.actions().next().unwrap().flags(), Vec::<Flag>::new());
}

#[test]
fn a_due_soon_action_of_unknown_status_carries_a_note_not_a_cause() {
    let mut a = action("1.1.1", TITLE, "15/07/2015");
    a.action_rag = Some(Rating::Green);
    let mut plan = plan_of(vec![a]);
    plan.reported_on = Some(as_of());
    let policy = Policy::default();
    let ratings = ragplan_core::rate(&plan, &policy, as_of());
    let action = ratings.actions().next().unwrap();
    let notes: Vec<String> = action.notes().iter().map(ToString::to_string).collect();
    assert_eq!(
        notes[0],
        "Due 15 July 2015 (in 15 days); its status is not known, so being due soon does not \
         lower its rating."
    );
    let reasons = action.reasons(ragplan_core::Dimension::Delivery);
    assert!(reasons.iter().all(|r| !r.to_string().contains("has not started")), "{reasons:?}");
}
