//! The Coventry CSE delivery plan (seeds/004), assessed as of 30 June 2015.

use ragplan_core::{Plan, Policy};

use crate::common::{assess, d};

fn coventry() -> Plan {
    let text = include_str!("../../../../tests/fixtures/coventry-cse-plan.json");
    Plan::from_json(text).unwrap()
}

#[test]
fn coventry_assessment_json() {
    let assessment = assess(&coventry(), &Policy::default(), d(6, 30));
    insta::assert_snapshot!("coventry_assessment_json", assessment.to_json());
}

#[test]
fn coventry_reason_sentences() {
    let assessment = assess(&coventry(), &Policy::default(), d(6, 30));
    let mut out = String::new();
    for (label, dim) in [("delivery", &assessment.delivery), ("outcome", &assessment.outcome)] {
        out.push_str(&format!("plan {label} {}\n", dim.rating));
        for r in &dim.reasons {
            out.push_str(&format!("  {r}\n"));
        }
    }
    for node in assessment.walk() {
        out.push_str(&format!(
            "{} {} {} [{}]\n",
            node.kind,
            node.key,
            node.delivery.rating,
            node.flags.iter().map(|f| f.as_str()).collect::<Vec<_>>().join(", ")
        ));
        for r in &node.delivery.reasons {
            out.push_str(&format!("  {r}\n"));
        }
    }
    for lint in &assessment.lints {
        out.push_str(&format!("{lint}\n"));
    }
    insta::assert_snapshot!("coventry_reasons", out);
}
