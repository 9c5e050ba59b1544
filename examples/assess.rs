//! Assesses the Coventry CSE delivery plan as of a date and prints the headline
//! ratings, the exceptions with their reasons, what validation found, and each
//! overdue action with the rating the plan reports for it.
//!
//! Run with `cargo run --example assess` (as of 30 June 2015), or give a plan file
//! and a date: `cargo run --example assess -- plan.json 2015-09-30`.

use chrono::NaiveDate;
use ragplan_core::{Dimension, Flag, Plan, Policy, Rating, rate};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().unwrap_or_else(|| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/coventry-cse-plan.json").to_owned()
    });
    let as_of = match args.next() {
        Some(text) => NaiveDate::parse_from_str(&text, "%Y-%m-%d")
            .map_err(|e| format!("as-of date {text:?}: {e} (expected YYYY-MM-DD)"))?,
        None => NaiveDate::from_ymd_opt(2015, 6, 30).ok_or("invalid date")?,
    };
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
    let plan = Plan::from_json(&text).map_err(|e| format!("{path}: {e}"))?;

    let policy = Policy::default();
    let ratings = rate(&plan, &policy, as_of);
    let whole = ratings.whole();

    println!("{} — as of {}", plan.title, as_of.format("%-d %B %Y"));
    println!("{}\n", policy.describe());
    let counts = whole.counts(Dimension::Delivery);
    println!(
        "Delivery: {} ({} actions: {} Red, {} Amber, {} Green, {} Complete, {} not rated)",
        whole.rating(Dimension::Delivery),
        counts.total(),
        counts.red,
        counts.amber,
        counts.green,
        counts.complete,
        counts.not_rated
    );
    for reason in whole.reasons(Dimension::Delivery) {
        println!("  {reason}");
    }
    println!("Outcome: {}\n", whole.rating(Dimension::Outcome));

    // Every node is read by its place in the plan: two actions that share a key
    // keep their own ratings and reasons.
    println!("Exceptions:");
    for node in ratings.actions() {
        let exceptional = node.rating(Dimension::Delivery) == Rating::Red
            || [Flag::Overdue, Flag::Stale, Flag::Blocked, Flag::Overridden]
                .iter()
                .any(|f| node.has(*f));
        if let (true, Some(action)) = (exceptional, node.action()) {
            println!("- {} {}", action.key, node.rating(Dimension::Delivery));
            for reason in node.reasons(Dimension::Delivery) {
                println!("    {reason}");
            }
        }
    }

    println!("\nValidation: {} findings", ratings.lint_count());
    for lint in ratings.lints().take(5) {
        println!("  {lint}");
    }

    // An overdue action reported Green is the one a tracker would hide.
    println!("\nOverdue, with the rating the plan reports:");
    for a in ratings.actions().filter(|a| a.has(Flag::Overdue)) {
        let Some(action) = a.action() else { continue };
        let reported = action.action_rag.map_or("nothing".into(), |r| r.to_string());
        let note = if a.has(Flag::Overridden) {
            " (overridden)"
        } else if action.action_rag == Some(Rating::Green) {
            "  <- hidden by the plan"
        } else {
            ""
        };
        let rated = a.rating(Dimension::Delivery);
        println!("- {} reported {reported}, rated {rated}{note}", action.key);
    }
    Ok(())
}
