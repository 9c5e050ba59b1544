//! Builders for small plans used across the engine tests.

use chrono::NaiveDate;
use ragplan_core::{Action, Key, Objective, Plan, PlanId, SubObjective, Timescale};

/// A date in 2015.
pub fn d(month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2015, month, day).unwrap()
}

/// The as-of date used by most tests: 30 June 2015, the end of Q1 2015/16.
pub fn as_of() -> NaiveDate {
    d(6, 30)
}

pub fn key(text: &str) -> Key {
    Key::new(text).unwrap()
}

/// An action with a key, a title and a timescale text.
pub fn action(k: &str, title: &str, timescale: &str) -> Action {
    let mut a = Action::new(key(k), title);
    a.timescale = Timescale::parse(timescale);
    a
}

/// A plan with one objective "1" holding one sub-objective "1.1" with `actions`.
pub fn plan_of(actions: Vec<Action>) -> Plan {
    let mut plan = Plan::new(PlanId::new("test").unwrap(), "Test plan");
    let mut objective = Objective::new(key("1"), "Objective one");
    let mut sub = SubObjective::new(key("1.1"), "Sub-objective one");
    sub.actions = actions;
    objective.sub_objectives.push(sub);
    plan.objectives.push(objective);
    plan
}

pub use ragplan_core::document::{
    AssessmentDocument as Assessment, NodeDocument as NodeAssessment,
};

/// The assessment document of `plan`: the engine's one result, written out and read
/// back, so that it outlives the plan.
pub fn assess(plan: &Plan, policy: &ragplan_core::Policy, as_of: NaiveDate) -> Assessment<'static> {
    let written = Assessment::from(&ragplan_core::rate(plan, policy, as_of)).to_json();
    Assessment::from_json(&written).expect("an assessment document reads back")
}

/// The ratings of `plan`, as one side of a comparison.
pub fn snapshot(
    plan: &Plan,
    policy: &ragplan_core::Policy,
    as_of: NaiveDate,
) -> ragplan_core::Snapshot {
    ragplan_core::Snapshot::from(&ragplan_core::rate(plan, policy, as_of))
}
