//! The `ragplan-assessment/2` document: every reason on the wire carries its code,
//! its fields, its sentence and the keys it names.

use ragplan_core::document::{AssessmentDocument, ReasonDocument};
use ragplan_core::{Policy, Rating, Reason, rate};
use serde_json::json;

use crate::common::{action, as_of, key, plan_of};

#[test]
fn an_overdue_reason_keeps_its_structure_on_the_wire() {
    let mut a = action("1.1.2", "Information sharing agreement", "May 2015");
    a.action_rag = Some(Rating::Green);
    let plan = plan_of(vec![a]);
    let policy = Policy::default();
    let document = AssessmentDocument::from(&rate(&plan, &policy, as_of()));
    let node = document.node(&key("1.1.2")).unwrap();
    let written = serde_json::to_value(&node.delivery.reasons).unwrap();
    assert_eq!(
        written,
        json!([
            {
                "code": "overdue",
                "key": "1.1.2",
                "title": "Information sharing agreement",
                "due": "2015-05-31",
                "days_overdue": 30,
                "sentence": "Red because action 1.1.2 \"Information sharing agreement\" was due 31 May 2015 and is not complete (30 days overdue).",
                "keys": ["1.1.2"]
            },
            {
                "code": "worse_than_reported",
                "rating": "red",
                "reported": "green",
                "key": "1.1.2",
                "title": "Information sharing agreement",
                "sentence": "Red rather than the reported Green because the rating worked out for action 1.1.2 \"Information sharing agreement\" is worse.",
                "keys": ["1.1.2"]
            }
        ])
    );
    let back: Vec<ReasonDocument<'_>> = serde_json::from_value(written).unwrap();
    assert!(matches!(back[0].reason, Reason::Overdue { days_overdue: 30, .. }));
}

#[test]
fn a_roll_up_reason_names_the_keys_that_drive_it() {
    let plan =
        plan_of(vec![action("1.1.1", "Agree", "May 2015"), action("1.1.2", "Train", "April 2015")]);
    let policy = Policy::default();
    let document = AssessmentDocument::from(&rate(&plan, &policy, as_of()));
    let sub = document.node(&key("1.1")).unwrap();
    let reason = &sub.delivery.reasons[0];
    assert!(matches!(reason.reason, Reason::Causes { total: 2, .. }));
    let keys: Vec<&str> = reason.keys().iter().map(|k| k.as_str()).collect();
    // Worst first: 1.1.2 is the longer overdue.
    assert_eq!(keys, ["1.1.2", "1.1.1"]);
    assert_eq!(
        reason.sentence(),
        "Red because 2 actions are overdue: 1.1.2 \"Train\" (61 days) and 1.1.1 \"Agree\" (30 days)."
    );
}
