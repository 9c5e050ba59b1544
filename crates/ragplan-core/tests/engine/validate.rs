//! Validation: one case per lint code, with its severity, key and message.

use ragplan_core::{
    Lint, LintCode, Override, Owner, Plan, Rating, Scale, Severity, Status, Update, validate,
};

use crate::common::{action, d, key, plan_of};

/// An action that passes every check: an owner, a timescale, evidence.
fn good(k: &str) -> ragplan_core::Action {
    let mut a = action(k, "Agree the protocol", "May 2015");
    a.accountable.push(Owner::person("Jayne Hutchings"));
    a
}

fn lints_of(plan: &Plan) -> Vec<(LintCode, Severity, Option<String>, String)> {
    validate(plan)
        .into_iter()
        .map(|Lint { code, severity, key, message, .. }| {
            (code, severity, key.map(|k| k.to_string()), message)
        })
        .collect()
}

fn one(
    code: LintCode,
    key: &str,
    message: &str,
) -> Vec<(LintCode, Severity, Option<String>, String)> {
    vec![(code, code.severity(), Some(key.to_owned()), message.to_owned())]
}

#[test]
fn a_good_plan_has_no_lints() {
    assert_eq!(lints_of(&plan_of(vec![good("1.1.1")])), vec![]);
}

#[test]
fn each_lint_code() {
    type Edit = Box<dyn Fn(&mut Plan)>;
    let table: Vec<(&str, Edit, LintCode, &str, &str)> = vec![
        (
            "no accountable owner",
            Box::new(|p| p.objectives[0].sub_objectives[0].actions[0].accountable.clear()),
            LintCode::NoAccountableOwner,
            "1.1.1",
            "action 1.1.1 \"Agree the protocol\" names nobody accountable",
        ),
        (
            "no timescale",
            Box::new(|p| {
                p.objectives[0].sub_objectives[0].actions[0].timescale =
                    ragplan_core::Timescale::parse("")
            }),
            LintCode::NoTimescale,
            "1.1.1",
            "action 1.1.1 \"Agree the protocol\" has no timescale",
        ),
        (
            "unresolved timescale",
            Box::new(|p| {
                p.objectives[0].sub_objectives[0].actions[0].timescale =
                    ragplan_core::Timescale::parse(
                        "first Cabinet Member meeting in the new Municipal Year",
                    )
            }),
            LintCode::UnresolvedTimescale,
            "1.1.1",
            "action 1.1.1 \"Agree the protocol\" has the timescale \"first Cabinet Member meeting in the new Municipal Year\", which names no date ragplan can work out",
        ),
        (
            "ongoing without review date",
            Box::new(|p| {
                p.objectives[0].sub_objectives[0].actions[0].timescale =
                    ragplan_core::Timescale::parse("Ongoing")
            }),
            LintCode::OngoingWithoutReviewDate,
            "1.1.1",
            "action 1.1.1 \"Agree the protocol\" is \"Ongoing\" with no review date",
        ),
        (
            "green without evidence",
            Box::new(|p| {
                p.objectives[0].sub_objectives[0].actions[0].action_rag = Some(Rating::Green)
            }),
            LintCode::GreenWithoutEvidence,
            "1.1.1",
            "action 1.1.1 \"Agree the protocol\" is reported Green with no evidence",
        ),
        (
            "rating outside scale",
            Box::new(|p| {
                p.objectives[0].sub_objectives[0].actions[0].action_rag = Some(Rating::AmberGreen)
            }),
            LintCode::RatingOutsideScale,
            "1.1.1",
            "the Action RAG of 1.1.1 is Amber/Green, which is not on the plan's rag3 scale",
        ),
        (
            "duplicate key",
            Box::new(|p| p.objectives[0].sub_objectives[0].actions.push(good("1.1.1"))),
            LintCode::DuplicateKey,
            "1.1.1",
            "the key 1.1.1 is used by 2 nodes; keys must be unique",
        ),
        (
            "dependency on itself",
            Box::new(|p| {
                p.objectives[0].sub_objectives[0].actions[0].depends_on.push(key("1.1.1"))
            }),
            LintCode::DependencyCycle,
            "1.1.1",
            "action 1.1.1 depends on itself",
        ),
        (
            "missing dependency",
            Box::new(|p| p.objectives[0].sub_objectives[0].actions[0].depends_on.push(key("9.9"))),
            LintCode::MissingDependency,
            "1.1.1",
            "action 1.1.1 depends on 9.9, which no action of the plan has",
        ),
        (
            "override without justification",
            Box::new(|p| {
                p.objectives[0].sub_objectives[0].actions[0].overrides = vec![Override {
                    rating: Rating::Green,
                    by: "Chair".into(),
                    on: d(6, 1),
                    justification: " ".into(),
                    withdrawn: None,
                }]
            }),
            LintCode::OverrideWithoutJustification,
            "1.1.1",
            "the override of action 1.1.1 \"Agree the protocol\" to Green has no justification",
        ),
        (
            "update before previous",
            Box::new(|p| {
                let a = &mut p.objectives[0].sub_objectives[0].actions[0];
                a.updates.push(Update::new(d(6, 1), "Lead"));
                a.updates.push(Update::new(d(5, 1), "Lead"));
            }),
            LintCode::UpdateBeforePrevious,
            "1.1.1",
            "action 1.1.1 \"Agree the protocol\" has an update dated 1 May 2015 logged after one dated 1 June 2015",
        ),
        (
            "reported complete with a status that says otherwise",
            Box::new(|p| {
                p.scale = Scale::Brag;
                let a = &mut p.objectives[0].sub_objectives[0].actions[0];
                a.action_rag = Some(Rating::Complete);
                a.status = Some(Status::InProgress);
            }),
            LintCode::RatingStatusConflict,
            "1.1.1",
            "action 1.1.1 \"Agree the protocol\" is reported Complete but its status is in progress; the status stands until one of them is corrected",
        ),
    ];
    for (name, edit, code, key, message) in table {
        let mut plan = plan_of(vec![good("1.1.1")]);
        edit(&mut plan);
        assert_eq!(lints_of(&plan), one(code, key, message), "{name}");
    }
}

#[test]
fn severities() {
    assert_eq!(LintCode::NoAccountableOwner.severity(), Severity::Warning);
    assert_eq!(LintCode::DependencyCycle.severity(), Severity::Error);
    let json =
        serde_json::to_string(&validate(&plan_of(vec![action("1.1.1", "T", "May 2015")]))[0])
            .unwrap();
    assert_eq!(
        json,
        r#"{"code":"no-accountable-owner","severity":"warning","key":"1.1.1","message":"action 1.1.1 \"T\" names nobody accountable"}"#
    );
}

#[test]
fn a_cycle_lists_every_key_in_it() {
    let mut a = good("1.1.1");
    let mut b = good("1.1.2");
    let mut c = good("1.1.3");
    a.depends_on.push(key("1.1.3"));
    b.depends_on.push(key("1.1.1"));
    c.depends_on.push(key("1.1.2"));
    let lints = lints_of(&plan_of(vec![a, b, c]));
    assert_eq!(
        lints,
        one(
            LintCode::DependencyCycle,
            "1.1.1",
            "actions 1.1.1, 1.1.2, 1.1.3 depend on each other in a cycle"
        )
    );
}

#[test]
fn cancelled_actions_are_not_linted_for_owners_or_timescales() {
    let mut a = action("1.1.1", "Dropped", "");
    a.status = Some(Status::Cancelled);
    assert_eq!(lints_of(&plan_of(vec![a])), vec![]);
}

#[test]
fn ratings_on_the_five_point_scale_are_fine_there() {
    let mut plan = plan_of(vec![good("1.1.1")]);
    plan.objectives[0].sub_objectives[0].actions[0].action_rag = Some(Rating::AmberGreen);
    plan.scale = Scale::Dca5;
    assert_eq!(lints_of(&plan), vec![]);
}

/// Overrides on a sub-objective, an objective and the plan are checked as an
/// action's are: each lint is on its own node.
#[test]
fn overrides_of_parents_and_the_plan_are_checked() {
    let blank = |rating| Override {
        rating,
        by: "Chair".into(),
        on: d(6, 1),
        justification: " ".into(),
        withdrawn: None,
    };
    let mut plan = plan_of(vec![good("1.1.1")]);
    plan.objectives[0].sub_objectives[0].node.overrides = vec![blank(Rating::Amber)];
    plan.objectives[0].node.overrides = vec![blank(Rating::Green)];
    plan.overrides = vec![blank(Rating::AmberGreen)];
    let lints = validate(&plan);
    let got: Vec<(LintCode, Option<&str>, &str)> = lints
        .iter()
        .map(|l| (l.code, l.key.as_ref().map(|k| k.as_str()), l.message.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (
                LintCode::RatingOutsideScale,
                None,
                "the override of the plan is Amber/Green, which is not on the plan's rag3 scale"
            ),
            (
                LintCode::OverrideWithoutJustification,
                None,
                "the override of the plan to Amber/Green has no justification"
            ),
            (
                LintCode::OverrideWithoutJustification,
                Some("1"),
                "the override of objective 1 \"Objective one\" to Green has no justification"
            ),
            (
                LintCode::OverrideWithoutJustification,
                Some("1.1"),
                "the override of sub-objective 1.1 \"Sub-objective one\" to Amber has no justification"
            ),
        ]
    );
    assert_eq!(lints[0].place, Some(ragplan_core::Place::Plan));
    assert_eq!(lints[3].place, Some(ragplan_core::Place::SubObjective(0)));
}
