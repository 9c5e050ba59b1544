//! Shared fixtures: the Coventry plan and small hand-built plans.

use std::path::PathBuf;

use chrono::NaiveDate;
use ragplan_core::{Assessment, Plan, Policy, assess};
use ragplan_report::{Report, ReportOptions};

/// A date.
pub fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The repository root.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The bundled Coventry CSE delivery plan
/// (`examples/plans/coventry-cse-delivery-plan.json`, with its dated updates).
pub fn coventry_plan() -> Plan {
    let path = repo_root().join("examples/plans/coventry-cse-delivery-plan.json");
    let text = std::fs::read_to_string(&path).unwrap();
    Plan::from_json(&text).unwrap()
}

/// A plan assessed under the default policy as of `as_of`, with the previous report
/// rebuilt from the plan's own update log as of `previous`.
pub fn assessed(
    plan: &Plan,
    as_of: NaiveDate,
    previous: Option<NaiveDate>,
) -> (Assessment, Option<Assessment>) {
    let policy = Policy::default();
    let now = assess(plan, &policy, as_of);
    let before = previous.map(|d| assess(&plan.as_at(d), &policy, d));
    (now, before)
}

/// The Coventry report as of 30 June 2015 compared with 31 March 2015, as `ragplan
/// report --as-of 2015-06-30 --previous 2015-03-31` makes it: the plan as it stood on
/// 30 June, and as it stood on 31 March rebuilt from its update log.
pub fn coventry_report() -> (Plan, Assessment, Report) {
    let plan = coventry_plan().as_at(day(2015, 6, 30));
    let (now, before) = assessed(&plan, day(2015, 6, 30), Some(day(2015, 3, 31)));
    let report = Report::build(&plan, &now, before.as_ref(), &ReportOptions::default());
    (plan, now, report)
}

/// `bytes` as text.
pub fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap()
}
