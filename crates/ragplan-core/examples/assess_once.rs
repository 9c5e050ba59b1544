//! Rates a generated plan once, and writes its assessment document once, so that an
//! instruction counter can measure one call of each without the bench harness:
//!
//! ```text
//! cargo build --release -p ragplan-core --example assess_once
//! valgrind --tool=callgrind --collect-atstart=no --toggle-collect='assess_once::measure_*' \
//!     target/release/examples/assess_once 100000 document
//! ```
//!
//! The plan is `synthetic_plan(n, 10, 42)` as of 30 June 2015, as in `benches/assess.rs`;
//! the second argument is `engine` (`rate` alone), `document` (`rate` and the whole
//! `ragplan-assessment/2` document, then freeing both) or `plan` (generating the plan
//! only, to subtract from a timing of the other two).

use chrono::NaiveDate;
use ragplan_core::document::AssessmentDocument;
use ragplan_core::generate::synthetic_plan;
use ragplan_core::{Dimension, Plan, Policy, Rating, rate};

/// [`rate`], as the `engine` bench times it.
#[inline(never)]
fn measure_engine(plan: &Plan, policy: &Policy, as_of: NaiveDate) -> Rating {
    rate(std::hint::black_box(plan), policy, as_of).whole().rating(Dimension::Delivery)
}

/// [`rate`] and the whole document, as the `document` bench times it.
#[inline(never)]
fn measure_document(plan: &Plan, policy: &Policy, as_of: NaiveDate) -> usize {
    AssessmentDocument::from(&rate(std::hint::black_box(plan), policy, as_of)).nodes.len()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let n_actions: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(100_000);
    let what = args.next().unwrap_or_else(|| "document".to_owned());
    let as_of = NaiveDate::from_ymd_opt(2015, 6, 30).unwrap_or_default();
    let policy = Policy::default();
    let plan = synthetic_plan(n_actions, 10, 42);
    match what.as_str() {
        "engine" => println!("{:?}", measure_engine(&plan, &policy, as_of)),
        "document" => println!("{} objectives", measure_document(&plan, &policy, as_of)),
        "plan" => println!("{} actions", plan.n_actions()),
        other => eprintln!("expected `engine`, `document` or `plan`, not {other:?}"),
    }
}
