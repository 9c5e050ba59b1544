//! Table tests of roll-up: every rule, exclusion, tie and threshold, with the parent's
//! expected rating and reason sentence; measures; divergent reported ratings; counts.

use ragplan_core::{
    Action, Direction, Flag, Measure, Policy, Rating, RatingSource, Reading, RollupRule, Status,
};

use crate::common::{action, as_of, assess, d, key, plan_of};

/// `policy` with one change made.
fn changed(mut policy: Policy, change: impl FnOnce(&mut Policy)) -> Policy {
    change(&mut policy);
    policy
}

/// `children[i]` is the reported rating of action `1.1.{i+1}` titled `A{i+1}`;
/// `Complete` means status complete and `None` a cancelled action.
fn children(ratings: &[Option<Rating>]) -> Vec<Action> {
    ratings
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut a = action(&format!("1.1.{}", i + 1), &format!("A{}", i + 1), "");
            match r {
                Some(Rating::Complete) => a.status = Some(Status::Complete),
                Some(r) => a.action_rag = Some(*r),
                None => a.status = Some(Status::Cancelled),
            }
            a
        })
        .collect()
}

fn reported(rule: RollupRule) -> Policy {
    let mut policy = Policy::default();
    policy.source = RatingSource::Reported;
    policy.sub_objective = rule;
    policy
}

struct Case {
    name: &'static str,
    policy: Policy,
    children: Vec<Option<Rating>>,
    rating: Rating,
    reason: &'static str,
    /// The reasons after the first: the notes that qualify the rating.
    notes: &'static [&'static str],
}

fn cases() -> Vec<Case> {
    use Rating::*;
    let worst = reported(RollupRule::WorstOf);
    let majority = reported(RollupRule::Majority);
    let mean = reported(RollupRule::MEAN_SCORE);
    let share = reported(RollupRule::SHARE);
    vec![
        Case {
            name: "worst of: the worst child",
            policy: worst.clone(),
            children: vec![Some(Green), Some(Amber), Some(Red), Some(Green)],
            rating: Red,
            reason: "Red because action 1.1.3 \"A3\" is reported Red.",
            notes: &[],
        },
        Case {
            name: "worst of: all the children that share the worst rating are named",
            policy: worst.clone(),
            children: vec![Some(Green), Some(Green)],
            rating: Green,
            reason: "Green because 2 actions are reported Green: 1.1.1 \"A1\" and 1.1.2 \"A2\".",
            notes: &[],
        },
        Case {
            name: "worst of: past five children the rest are counted",
            policy: worst.clone(),
            children: vec![Some(Amber); 7],
            rating: Amber,
            reason: "Amber because 7 actions are reported Amber: 1.1.1 \"A1\", 1.1.2 \"A2\", 1.1.3 \"A3\" and 4 more.",
            notes: &[],
        },
        Case {
            name: "worst of: the five-point scale",
            policy: worst.clone(),
            children: vec![Some(AmberGreen), Some(AmberRed), Some(Green)],
            rating: AmberRed,
            reason: "Amber/Red because action 1.1.2 \"A2\" is reported Amber/Red.",
            notes: &[],
        },
        Case {
            name: "complete counts as green",
            policy: worst.clone(),
            children: vec![Some(Complete), Some(Green)],
            rating: Green,
            reason: "Green because 2 actions are Green: 1.1.2 \"A2\" (reported Green) and 1.1.1 \"A1\" (complete).",
            notes: &[],
        },
        Case {
            name: "complete is left out when the policy says so",
            policy: changed(worst.clone(), |p| p.complete_counts_as_green = false),
            children: vec![Some(Complete), Some(Amber)],
            rating: Amber,
            reason: "Amber because action 1.1.2 \"A2\" is reported Amber.",
            notes: &[],
        },
        Case {
            name: "all complete is complete",
            policy: worst.clone(),
            children: vec![Some(Complete), Some(Complete), None],
            rating: Complete,
            reason: "Complete because all 2 of its counted actions are complete.",
            notes: &[],
        },
        Case {
            name: "all complete is complete when complete is left out too",
            policy: changed(worst.clone(), |p| p.complete_counts_as_green = false),
            children: vec![Some(Complete)],
            rating: Complete,
            reason: "Complete because its one counted action is complete.",
            notes: &[],
        },
        Case {
            name: "not rated is left out",
            policy: worst.clone(),
            children: vec![Some(NotRated), Some(Green)],
            rating: Green,
            reason: "Green because action 1.1.2 \"A2\" is reported Green.",
            notes: &[
                "1 of the 2 actions below it is not rated and left out: the rating stands on the other one.",
            ],
        },
        Case {
            name: "not rated counts as amber when the policy says so",
            policy: changed(worst.clone(), |p| p.not_rated_counts_as_amber = true),
            children: vec![Some(NotRated), Some(Green)],
            rating: Amber,
            reason: "Amber because action 1.1.1 \"A1\" is not rated, which counts as Amber.",
            notes: &[],
        },
        Case {
            name: "cancelled is left out",
            policy: worst.clone(),
            children: vec![None, Some(Green)],
            rating: Green,
            reason: "Green because action 1.1.2 \"A2\" is reported Green.",
            notes: &[],
        },
        Case {
            name: "nothing left to count is not rated",
            policy: worst.clone(),
            children: vec![Some(NotRated), None],
            rating: NotRated,
            reason: "Not rated because none of its 2 actions can be counted: 1 is not rated and 1 is cancelled, removed or complete where complete is left out.",
            notes: &[],
        },
        Case {
            name: "no children is not rated",
            policy: worst.clone(),
            children: vec![],
            rating: NotRated,
            reason: "Not rated because it has no actions to rate.",
            notes: &[],
        },
        Case {
            name: "majority: the most common",
            policy: majority.clone(),
            children: vec![Some(Green), Some(Green), Some(Red)],
            rating: Green,
            reason: "Green because it is the most common rating among its 3 counted actions (2 of 3): 1.1.1 and 1.1.2.",
            notes: &[],
        },
        Case {
            name: "majority: a tie goes to the worse",
            policy: majority.clone(),
            children: vec![Some(Green), Some(Amber)],
            rating: Amber,
            reason: "Amber because it is the most common rating among its 2 counted actions (1 of 2, tied with Green and taking the worse): 1.1.2 \"A2\".",
            notes: &[],
        },
        Case {
            name: "majority: a three-way tie goes to the worst",
            policy: majority.clone(),
            children: vec![Some(Green), Some(Red), Some(Amber)],
            rating: Red,
            reason: "Red because it is the most common rating among its 3 counted actions (1 of 3, tied with Amber and Green and taking the worse): 1.1.2 \"A2\".",
            notes: &[],
        },
        Case {
            name: "mean score: 3.0 is amber",
            policy: mean.clone(),
            children: vec![Some(Green), Some(Amber)],
            rating: Amber,
            reason: "Amber because the mean score of its 2 counted actions is 3.00 (Red 0 to Green 4; Green from 3.5, Amber from 1.5); lowest: 1.1.2 \"A2\".",
            notes: &[],
        },
        Case {
            name: "mean score: exactly the green threshold is green",
            policy: mean.clone(),
            children: vec![Some(Green), Some(Green), Some(Amber), Some(Green)],
            rating: Green,
            reason: "Green because the mean score of its 4 counted actions is 3.50 (Red 0 to Green 4; Green from 3.5, Amber from 1.5).",
            notes: &[],
        },
        Case {
            name: "mean score: exactly the amber threshold is amber",
            policy: mean.clone(),
            children: vec![Some(Red), Some(Amber), Some(Green), Some(Red)],
            rating: Amber,
            reason: "Amber because the mean score of its 4 counted actions is 1.50 (Red 0 to Green 4; Green from 3.5, Amber from 1.5); lowest: 1.1.1 and 1.1.4.",
            notes: &[],
        },
        Case {
            name: "mean score: below the amber threshold is red",
            policy: mean.clone(),
            children: vec![Some(Red), Some(Amber), Some(Amber)],
            rating: Red,
            reason: "Red because the mean score of its 3 counted actions is 1.33 (Red 0 to Green 4; Green from 3.5, Amber from 1.5); lowest: 1.1.1 \"A1\".",
            notes: &[],
        },
        Case {
            name: "mean score: thresholds are configurable",
            policy: reported(RollupRule::MeanScore { green_from: 3.0, amber_from: 1.0 }),
            children: vec![Some(Green), Some(Amber)],
            rating: Green,
            reason: "Green because the mean score of its 2 counted actions is 3.00 (Red 0 to Green 4; Green from 3, Amber from 1).",
            notes: &[],
        },
        Case {
            name: "share: a quarter red is red",
            policy: share.clone(),
            children: vec![Some(Red), Some(Green), Some(Green), Some(Green)],
            rating: Red,
            reason: "Red because 1 of its 4 counted actions (25%) is Red, at or above the 25% that makes it Red: 1.1.1 \"A1\".",
            notes: &[],
        },
        Case {
            name: "share: a fifth red is amber even with 80% green",
            policy: share.clone(),
            children: vec![Some(Red), Some(Green), Some(Green), Some(Green), Some(Green)],
            rating: Amber,
            reason: "Amber because 1 of its 5 counted actions (20%) is Red, below the 25% that makes it Red, and 4 (80%) are Green, short of the 75% with none Red that makes it Green.",
            notes: &[],
        },
        Case {
            name: "share: three quarters green and none red is green",
            policy: share.clone(),
            children: vec![Some(Green), Some(Green), Some(Amber), Some(Green)],
            rating: Green,
            reason: "Green because 3 of its 4 counted actions (75%) are Green, at or above the 75% that makes it Green, and none is Red.",
            notes: &[],
        },
        Case {
            name: "share: half green is amber",
            policy: share.clone(),
            children: vec![Some(Green), Some(Amber), Some(Amber), Some(Green)],
            rating: Amber,
            reason: "Amber because 0 of its 4 counted actions (0%) are Red, below the 25% that makes it Red, and 2 (50%) are Green, short of the 75% with none Red that makes it Green.",
            notes: &[],
        },
    ]
}

#[test]
fn roll_up_table() {
    for case in cases() {
        let plan = plan_of(children(&case.children));
        let assessment = assess(&plan, &case.policy, as_of());
        let sub = assessment.node(&key("1.1")).unwrap();
        assert_eq!(sub.delivery.rating, case.rating, "{}", case.name);
        let said: Vec<String> = sub.delivery.reasons.iter().map(ToString::to_string).collect();
        assert_eq!(said.first().map(String::as_str), Some(case.reason), "{}", case.name);
        assert_eq!(said[1..], *case.notes, "{}", case.name);
    }
}

#[test]
fn a_red_critical_child_makes_the_parent_red_under_every_rule() {
    for rule in
        [RollupRule::WorstOf, RollupRule::Majority, RollupRule::MEAN_SCORE, RollupRule::SHARE]
    {
        let mut actions = children(&[
            Some(Rating::Red),
            Some(Rating::Green),
            Some(Rating::Green),
            Some(Rating::Green),
            Some(Rating::Green),
        ]);
        actions[0].critical = true;
        let assessment = assess(&plan_of(actions), &reported(rule), as_of());
        let sub = assessment.node(&key("1.1")).unwrap();
        assert_eq!(sub.delivery.rating, Rating::Red, "{rule:?}");
        assert_eq!(
            sub.delivery.reasons[0].to_string(),
            "Red because critical action 1.1.1 \"A1\" is Red.",
            "{rule:?}"
        );
    }
}

#[test]
fn weights_count_in_the_mean_score() {
    let mut actions = children(&[Some(Rating::Red), Some(Rating::Green)]);
    // Unweighted the mean is 2.0 (Amber); with the red weighing 3 it is 1.0 (Red).
    let plan = plan_of(actions.clone());
    let assessment = assess(&plan, &reported(RollupRule::MEAN_SCORE), as_of());
    assert_eq!(assessment.node(&key("1.1")).unwrap().delivery.rating, Rating::Amber);
    actions[0].weight = Some(3);
    let assessment = assess(&plan_of(actions), &reported(RollupRule::MEAN_SCORE), as_of());
    let sub = assessment.node(&key("1.1")).unwrap();
    assert_eq!(sub.delivery.rating, Rating::Red);
    assert!(sub.delivery.reasons[0].to_string().contains("is 1.00"), "{}", sub.delivery.reasons[0]);
}

#[test]
fn a_reported_parent_rating_that_disagrees_is_divergent_and_kept_visible() {
    let mut plan = plan_of(children(&[Some(Rating::Red), Some(Rating::Green)]));
    plan.objectives[0].sub_objectives[0].node.reported_delivery = Some(Rating::Green);
    let assessment = assess(&plan, &reported(RollupRule::WorstOf), as_of());
    let sub = assessment.node(&key("1.1")).unwrap();
    assert_eq!(sub.delivery.rating, Rating::Red);
    assert_eq!(sub.delivery.reported, Some(Rating::Green));
    assert_eq!(sub.flags, [Flag::Divergent]);
    let reasons: Vec<String> = sub.delivery.reasons.iter().map(ToString::to_string).collect();
    assert_eq!(
        reasons,
        [
            "Red because action 1.1.1 \"A1\" is reported Red.",
            "The plan reports Green here but its parts roll up to Red; the rolled-up Red is shown.",
        ]
    );

    // Agreeing is not divergent.
    plan.objectives[0].sub_objectives[0].node.reported_delivery = Some(Rating::Red);
    let assessment = assess(&plan, &reported(RollupRule::WorstOf), as_of());
    assert!(assessment.node(&key("1.1")).unwrap().flags.is_empty());
}

#[test]
fn counts_count_actions_below_by_effective_rating() {
    let plan = plan_of(children(&[
        Some(Rating::Red),
        Some(Rating::Red),
        Some(Rating::Amber),
        Some(Rating::Complete),
        Some(Rating::NotRated),
        None,
    ]));
    let assessment = assess(&plan, &reported(RollupRule::WorstOf), as_of());
    for counts in [
        assessment.node(&key("1.1")).unwrap().delivery.counts,
        assessment.node(&key("1")).unwrap().delivery.counts,
        assessment.delivery.counts,
    ] {
        assert_eq!(
            (
                counts.red,
                counts.amber,
                counts.green,
                counts.complete,
                counts.not_rated,
                counts.total()
            ),
            (2, 1, 0, 1, 1, 5)
        );
    }
}

#[test]
fn levels_take_their_own_rule() {
    // Objective "1" holds two sub-objectives: 1.1 is Red, 1.2 Green twice over.
    let mut plan = plan_of(children(&[Some(Rating::Red)]));
    let mut second = ragplan_core::SubObjective::new(key("1.2"), "Second");
    for i in 1..=2 {
        let mut a = action(&format!("1.2.{i}"), "G", "");
        a.action_rag = Some(Rating::Green);
        second.actions.push(a);
    }
    plan.objectives[0].sub_objectives.push(second);
    let mut third = ragplan_core::SubObjective::new(key("1.3"), "Third");
    let mut a = action("1.3.1", "G", "");
    a.action_rag = Some(Rating::Green);
    third.actions.push(a);
    plan.objectives[0].sub_objectives.push(third);
    let policy = changed(reported(RollupRule::WorstOf), |p| p.objective = RollupRule::Majority);
    let assessment = assess(&plan, &policy, as_of());
    let objective = assessment.node(&key("1")).unwrap();
    assert_eq!(objective.delivery.rating, Rating::Green);
    assert_eq!(
        objective.delivery.reasons[0].to_string(),
        "Green because it is the most common rating among its 3 counted sub-objectives (2 of 3): 1.2 and 1.3."
    );
    assert_eq!(assessment.delivery.rating, Rating::Green);
    assert_eq!(
        assessment.delivery.reasons[0].to_string(),
        "Green because objective 1 \"Objective one\" is Green (the most common rating of its 3 sub-objectives)."
    );
}

fn measure(
    readings: &[(u32, u32, f64)],
    direction: Direction,
    target: f64,
    tolerance: f64,
) -> Measure {
    Measure {
        key: key("M1"),
        title: "Return interviews within 72 hours".into(),
        unit: Some("%".into()),
        target,
        direction,
        tolerance,
        readings: readings
            .iter()
            .map(|(m, day, value)| Reading { on: d(*m, *day), value: *value, note: None })
            .collect(),
    }
}

#[test]
fn measures_rate_their_parents_outcome() {
    use Direction::*;
    let table: Vec<(&str, Measure, Rating, &str)> = vec![
        (
            "within tolerance",
            measure(&[(5, 31, 76.0)], HigherIsBetter, 80.0, 5.0),
            Rating::Green,
            "Green because measure M1 \"Return interviews within 72 hours\" read 76 on 31 May 2015, within 5 of its target of 80.",
        ),
        (
            "past the target on the good side",
            measure(&[(5, 31, 85.0)], HigherIsBetter, 80.0, 0.0),
            Rating::Green,
            "Green because measure M1 \"Return interviews within 72 hours\" read 85 on 31 May 2015, better than its target of 80.",
        ),
        (
            "on the target itself",
            measure(&[(5, 31, 80.0)], LowerIsBetter, 80.0, 0.0),
            Rating::Green,
            "Green because measure M1 \"Return interviews within 72 hours\" read 80 on 31 May 2015, on its target of 80.",
        ),
        (
            "off target but improving is amber",
            measure(&[(4, 30, 60.0), (5, 31, 70.0)], HigherIsBetter, 80.0, 5.0),
            Rating::Amber,
            "Amber because measure M1 \"Return interviews within 72 hours\" read 70 on 31 May 2015, off its target of 80, but improved on the previous reading of 60.",
        ),
        (
            "off target and worse is red",
            measure(&[(4, 30, 72.0), (5, 31, 70.0)], HigherIsBetter, 80.0, 5.0),
            Rating::Red,
            "Red because measure M1 \"Return interviews within 72 hours\" read 70 on 31 May 2015, off its target of 80, and did not improve on the previous reading of 72.",
        ),
        (
            "off target with no trend is red",
            measure(&[(5, 31, 70.0)], HigherIsBetter, 80.0, 5.0),
            Rating::Red,
            "Red because measure M1 \"Return interviews within 72 hours\" read 70 on 31 May 2015, off its target of 80, with no earlier reading to show a trend.",
        ),
        (
            "lower is better, improving",
            measure(&[(4, 30, 15.0), (5, 31, 12.5)], LowerIsBetter, 10.0, 1.0),
            Rating::Amber,
            "Amber because measure M1 \"Return interviews within 72 hours\" read 12.5 on 31 May 2015, off its target of 80, but improved on the previous reading of 15.",
        ),
        (
            "readings after the as-of date are not used",
            measure(&[(5, 31, 70.0), (7, 31, 90.0)], HigherIsBetter, 80.0, 5.0),
            Rating::Red,
            "Red because measure M1 \"Return interviews within 72 hours\" read 70 on 31 May 2015, off its target of 80, with no earlier reading to show a trend.",
        ),
        (
            "no reading is not rated",
            measure(&[(7, 31, 90.0)], HigherIsBetter, 80.0, 5.0),
            Rating::NotRated,
            "Not rated because measure M1 \"Return interviews within 72 hours\" has no reading on or before 30 June 2015.",
        ),
    ];
    for (name, m, rating, reason) in table {
        let reason = if name == "lower is better, improving" {
            reason.replace("target of 80", "target of 10")
        } else {
            reason.to_owned()
        };
        let mut plan = plan_of(children(&[Some(Rating::Green)]));
        plan.objectives[0].sub_objectives[0].actions[0].outcome_rag = Some(Rating::Green);
        plan.objectives[0].sub_objectives[0].measures.push(m);
        let assessment = assess(&plan, &Policy::default(), as_of());
        let sub = assessment.node(&key("1.1")).unwrap();
        assert_eq!(sub.outcome.rating, rating, "{name}");
        let reasons: Vec<String> = sub.outcome.reasons.iter().map(ToString::to_string).collect();
        assert_eq!(reasons.len(), 2, "{name}: {reasons:?}");
        assert_eq!(reasons[1], reason, "{name}");
        // The plan's outcome names the measured sub-objective as its cause, not the
        // Green outcome of the action below it.
        if rating == Rating::Red {
            let headline = assessment.outcome.reasons[0].to_string();
            assert!(headline.contains("sub-objective 1.1 "), "{name}: {headline}");
        }
    }
}

#[test]
fn derived_source_rolls_up_overdue_actions() {
    // The objective rolls up sub-objectives; the plan rolls up objectives.
    let mut overdue = action("1.1.1", "Agree the protocol", "May 2015");
    overdue.action_rag = Some(Rating::Green);
    let plan = plan_of(vec![overdue]);
    let assessment = assess(&plan, &Policy::default(), as_of());
    assert_eq!(assessment.delivery.rating, Rating::Red);
    assert_eq!(assessment.node(&key("1")).unwrap().delivery.rating, Rating::Red);
    assert_eq!(
        assessment.node(&key("1")).unwrap().delivery.reasons[0].to_string(),
        "Red because action 1.1.1 \"Agree the protocol\" is overdue (30 days)."
    );
}
