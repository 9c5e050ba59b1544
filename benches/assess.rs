//! Assessing generated plans of 1k, 100k and 1M actions, next to a flat-array
//! single-pass baseline over the same actions, so that the engine's cost over the
//! least work that rates a plan can be read as a ratio.
//!
//! Run with `cargo bench --bench assess -- --warm-up-time 1 --measurement-time 5`.

use std::hint::black_box;

use chrono::NaiveDate;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use ragplan_core::generate::synthetic_plan;
use ragplan_core::{Plan, Policy, Rating, RatingCounts, Status, assess};

/// One action as the baseline sees it: what the derived rules read, and the index of
/// its sub-objective.
struct FlatAction {
    due: Option<NaiveDate>,
    status: Status,
    reported: Option<Rating>,
    sub: u32,
}

/// The plan as flat arrays: actions, and each sub-objective's objective.
struct Flat {
    actions: Vec<FlatAction>,
    sub_objective: Vec<u32>,
    n_objectives: usize,
}

fn flatten(plan: &Plan) -> Flat {
    let mut actions = Vec::with_capacity(plan.n_actions());
    let mut sub_objective = Vec::new();
    for (o, objective) in plan.objectives.iter().enumerate() {
        for sub in &objective.sub_objectives {
            let s = sub_objective.len() as u32;
            sub_objective.push(o as u32);
            for a in &sub.actions {
                actions.push(FlatAction {
                    due: a.timescale.due,
                    status: a.status,
                    reported: a.action_rag,
                    sub: s,
                });
            }
        }
    }
    Flat { actions, sub_objective, n_objectives: plan.objectives.len() }
}

/// One pass: each action's worse-of rating (complete, overdue, due soon, on track),
/// worst-of into its sub-objective, then objectives, then the plan; with counts.
fn baseline(flat: &Flat, as_of: NaiveDate) -> (Rating, RatingCounts) {
    let mut subs = vec![Rating::NotRated; flat.sub_objective.len()];
    let mut counts = RatingCounts::default();
    for a in &flat.actions {
        let derived = match (a.status, a.due) {
            (Status::Complete, _) => Rating::Complete,
            (Status::Cancelled, _) => continue,
            (_, Some(due)) if due < as_of => Rating::Red,
            (Status::NotStarted, Some(due)) if (due - as_of).num_days() <= 28 => Rating::Amber,
            (_, Some(_)) => Rating::Green,
            (_, None) => Rating::NotRated,
        };
        let rating = match a.reported {
            Some(r) if r != Rating::NotRated && derived != Rating::Complete => derived.worse(r),
            _ => derived,
        };
        counts.add(rating);
        let counted = if rating == Rating::Complete { Rating::Green } else { rating };
        let slot = &mut subs[a.sub as usize];
        *slot = slot.worse(counted);
    }
    let mut objectives = vec![Rating::NotRated; flat.n_objectives];
    for (s, rating) in subs.iter().enumerate() {
        let slot = &mut objectives[flat.sub_objective[s] as usize];
        *slot = slot.worse(*rating);
    }
    let plan = objectives.iter().fold(Rating::NotRated, |acc, r| acc.worse(*r));
    (plan, counts)
}

fn bench_assess(c: &mut Criterion) {
    let as_of = NaiveDate::from_ymd_opt(2015, 6, 30).unwrap_or_default();
    let policy = Policy::default();
    for n_actions in [1_000usize, 100_000, 1_000_000] {
        let plan = synthetic_plan(n_actions, 10, 42);
        let flat = flatten(&plan);
        let mut group = c.benchmark_group("assess");
        if n_actions >= 100_000 {
            group.sample_size(10);
        }
        group.bench_with_input(BenchmarkId::new("engine", n_actions), &plan, |b, plan| {
            b.iter(|| assess(black_box(plan), &policy, as_of))
        });
        group.bench_with_input(BenchmarkId::new("flat_baseline", n_actions), &flat, |b, flat| {
            b.iter(|| baseline(black_box(flat), as_of))
        });
        group.finish();
    }
}

criterion_group!(benches, bench_assess);
criterion_main!(benches);
