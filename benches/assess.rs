//! Rating generated plans of 1k, 100k and 1M actions, next to flat-array single-pass
//! baselines over the same actions, so that the engine's cost over the least work
//! that rates a plan can be read as a ratio.
//!
//! - `engine`: [`rate`], the engine: every action, sub-objective, objective and the
//!   plan rated on both dimensions with flags, counts and the dependency graph;
//!   reasons are written, and the plan validated, when asked for.
//! - `engine_and_lints`: the same, and the plan validated (every problem found and
//!   counted; no message written).
//! - `document`: [`rate`] followed by the whole `ragplan-assessment/2` document
//!   ([`AssessmentDocument::from`]), every reason written with its code, fields,
//!   sentence and keys.
//! - `flat_baseline`: the same rules over the same `Action` nodes held in one flat
//!   array with their sub-objective and prerequisites as indices: override,
//!   worse-of reported and derived (overdue, due soon, behind expected progress,
//!   blocked by, stale), outcome, worst-of roll-up of both dimensions, counts. No
//!   reasons, flags, lints or tree. It covers what these generated plans hold (no
//!   objective's own actions, dependencies within a sub-objective, no all-complete
//!   or critical case), and is checked against the engine before timing.
//! - `flat_minimal`: less than that: 12 bytes copied out of each action (due date,
//!   status, reported rating), delivery only.
//! - `rate_and_json/500`: the plan of the API's figures (`ragplan generate --actions
//!   500 --seed 1`) rated and its whole assessment document written as compact JSON
//!   into memory, as `GET /v1/plans/{id}/assessment` does for a version it has not
//!   assessed before.
//!
//! Run with `cargo bench --bench assess -- --warm-up-time 1 --measurement-time 5`.

use std::hint::black_box;

use chrono::NaiveDate;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use ragplan_core::document::{AssessmentDocument, JsonStyle, write_assessment};
use ragplan_core::generate::synthetic_plan;
use ragplan_core::{Action, Dimension, Plan, Policy, Rating, RatingCounts, Status, rate};

/// The plan as flat arrays over its actions.
struct Flat<'a> {
    /// Every action, in plan order.
    actions: Vec<&'a Action>,
    /// Per action, its sub-objective.
    sub: Vec<u32>,
    /// Per action, the range of its prerequisites in `prerequisites`.
    first_prerequisite: Vec<u32>,
    /// The positions of prerequisites; in these plans they come before their
    /// dependants, so one pass sees them rated.
    prerequisites: Vec<u32>,
    /// Per sub-objective, its objective.
    sub_objective: Vec<u32>,
    n_objectives: usize,
}

fn flatten(plan: &Plan) -> Flat<'_> {
    let mut flat = Flat {
        actions: Vec::with_capacity(plan.n_actions()),
        sub: Vec::with_capacity(plan.n_actions()),
        first_prerequisite: Vec::with_capacity(plan.n_actions() + 1),
        prerequisites: Vec::new(),
        sub_objective: Vec::new(),
        n_objectives: plan.objectives.len(),
    };
    for (o, objective) in plan.objectives.iter().enumerate() {
        for sub in &objective.sub_objectives {
            let s = flat.sub_objective.len() as u32;
            flat.sub_objective.push(o as u32);
            let first = flat.actions.len();
            for a in &sub.actions {
                flat.first_prerequisite.push(flat.prerequisites.len() as u32);
                for dep in &a.depends_on {
                    if let Some(i) = sub.actions.iter().position(|b| &b.key == dep) {
                        flat.prerequisites.push((first + i) as u32);
                    }
                }
                flat.actions.push(a);
                flat.sub.push(s);
            }
        }
    }
    flat.first_prerequisite.push(flat.prerequisites.len() as u32);
    flat
}

/// One pass over the flat actions: each action's delivery (override, else the worse
/// of reported and derived) and outcome, worst-of into its sub-objective, then
/// objectives, then the plan; with counts.
fn baseline(flat: &Flat<'_>, policy: &Policy, as_of: NaiveDate) -> [(Rating, RatingCounts); 2] {
    let n = flat.actions.len();
    let mut blocks = vec![false; n];
    let mut blocked = vec![false; n];
    let mut subs = vec![[Rating::NotRated; 2]; flat.sub_objective.len()];
    let mut counts = [RatingCounts::default(); 2];
    for (i, a) in flat.actions.iter().enumerate() {
        if a.removed || a.status == Some(Status::Cancelled) {
            continue;
        }
        // The latest update's status or rating decides, else the status, else a
        // reported Complete.
        let complete = a.is_complete();
        let reported = a.action_rag.is_some_and(|r| r != Rating::NotRated);
        let mut derived = if complete { Rating::Complete } else { Rating::NotRated };
        let mut overdue = false;
        if !complete {
            let mut worst: Option<Rating> = None;
            let mut hit = |r: Rating| worst = Some(worst.map_or(r, |w| w.worse(r)));
            if let Some(due) = a.timescale.due {
                let left = (due - as_of).num_days();
                if left < 0 {
                    overdue = true;
                    hit(Rating::Red);
                } else if a.status == Some(Status::NotStarted)
                    && left <= i64::from(policy.due_soon_days)
                {
                    hit(Rating::Amber);
                }
                if let (Some(start), Some(progress)) = (a.start, a.progress) {
                    let span = (due - start).num_days();
                    let passed = (as_of - start).num_days();
                    if span > 0 && passed > 0 {
                        let expected = u32::try_from(passed.min(span) * 100 / span).unwrap_or(0);
                        let share = u32::from(progress.min(100)) * 100;
                        let t = policy.progress;
                        if share < u32::from(t.red_below_percent) * expected {
                            hit(Rating::Red);
                        } else if share < u32::from(t.amber_below_percent) * expected {
                            hit(Rating::Amber);
                        }
                    }
                }
            }
            let range =
                flat.first_prerequisite[i] as usize..flat.first_prerequisite[i + 1] as usize;
            if flat.prerequisites[range].iter().any(|&p| blocks[p as usize] || blocked[p as usize])
            {
                blocked[i] = true;
                hit(Rating::Amber);
            }
            if let Some(last) = a.updates.iter().map(|u| u.on).max()
                && (as_of - last).num_days() > i64::from(policy.stale_days)
                && policy.stale_lowers_to_amber
            {
                hit(Rating::Amber);
            }
            derived = match (worst, a.timescale.due) {
                (Some(r), _) => r,
                (None, Some(_)) => Rating::Green,
                (None, None) => Rating::NotRated,
            };
        }
        let mut delivery =
            match a.action_rag {
                Some(r) if reported && derived != Rating::Complete => {
                    if derived == Rating::NotRated { r } else { derived.worse(r) }
                }
                // Nothing reported and nothing late: not rated.
                _ if !reported && matches!(derived, Rating::Green | Rating::NotRated) => {
                    Rating::NotRated
                }
                _ => derived,
            };
        if let Some(ov) = a.override_on(as_of) {
            delivery = ov.rating;
        }
        blocks[i] = delivery == Rating::Red || overdue;
        let outcome = a.outcome_rag.unwrap_or(Rating::NotRated);
        let slot = &mut subs[flat.sub[i] as usize];
        counts[0].unreported += u32::from(!reported && !complete);
        for (d, rating) in [delivery, outcome].into_iter().enumerate() {
            counts[d].add(rating);
            let counted = if rating == Rating::Complete { Rating::Green } else { rating };
            if counted != Rating::NotRated {
                slot[d] =
                    if slot[d] == Rating::NotRated { counted } else { slot[d].worse(counted) };
            }
        }
    }
    let mut objectives = vec![[Rating::NotRated; 2]; flat.n_objectives];
    for (s, ratings) in subs.iter().enumerate() {
        let slot = &mut objectives[flat.sub_objective[s] as usize];
        for d in 0..2 {
            if ratings[d] != Rating::NotRated {
                slot[d] = if slot[d] == Rating::NotRated {
                    ratings[d]
                } else {
                    slot[d].worse(ratings[d])
                };
            }
        }
    }
    let plan = |d: usize| {
        objectives.iter().map(|o| o[d]).filter(|r| *r != Rating::NotRated).fold(
            Rating::NotRated,
            |acc, r| {
                if acc == Rating::NotRated { r } else { acc.worse(r) }
            },
        )
    };
    [(plan(0), counts[0]), (plan(1), counts[1])]
}

/// One action as the minimal baseline sees it.
struct MinimalAction {
    due: Option<NaiveDate>,
    status: Option<Status>,
    reported: Option<Rating>,
    sub: u32,
}

fn minimal_flatten(flat: &Flat<'_>) -> Vec<MinimalAction> {
    flat.actions
        .iter()
        .zip(&flat.sub)
        .map(|(a, s)| MinimalAction {
            due: a.timescale.due,
            status: a.status,
            reported: a.action_rag,
            sub: *s,
        })
        .collect()
}

/// Delivery only, from three fields copied out of each action.
fn minimal(actions: &[MinimalAction], flat: &Flat<'_>, as_of: NaiveDate) -> (Rating, RatingCounts) {
    let mut subs = vec![Rating::NotRated; flat.sub_objective.len()];
    let mut counts = RatingCounts::default();
    for a in actions {
        let derived = match (a.status, a.due) {
            (Some(Status::Complete), _) => Rating::Complete,
            (Some(Status::Cancelled), _) => continue,
            (_, Some(due)) if due < as_of => Rating::Red,
            (Some(Status::NotStarted), Some(due)) if (due - as_of).num_days() <= 28 => {
                Rating::Amber
            }
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
        let minimal_actions = minimal_flatten(&flat);
        // The baseline does the engine's work: the same ratings and counts.
        let ratings = rate(&plan, &policy, as_of);
        let expected = [Dimension::Delivery, Dimension::Outcome]
            .map(|d| (ratings.whole().rating(d), ratings.whole().counts(d)));
        assert_eq!(baseline(&flat, &policy, as_of), expected, "{n_actions} actions");
        drop(ratings);
        let mut group = c.benchmark_group("assess");
        if n_actions >= 100_000 {
            group.sample_size(10);
        }
        group.bench_with_input(BenchmarkId::new("engine", n_actions), &plan, |b, plan| {
            b.iter(|| rate(black_box(plan), &policy, as_of).whole().rating(Dimension::Delivery))
        });
        group.bench_with_input(
            BenchmarkId::new("engine_and_lints", n_actions),
            &plan,
            |b, plan| b.iter(|| rate(black_box(plan), &policy, as_of).lint_count()),
        );
        group.bench_with_input(BenchmarkId::new("document", n_actions), &plan, |b, plan| {
            b.iter(|| AssessmentDocument::from(&rate(black_box(plan), &policy, as_of)))
        });
        group.bench_with_input(BenchmarkId::new("flat_baseline", n_actions), &flat, |b, flat| {
            b.iter(|| baseline(black_box(flat), &policy, as_of))
        });
        group.bench_with_input(BenchmarkId::new("flat_minimal", n_actions), &flat, |b, flat| {
            b.iter(|| minimal(black_box(&minimal_actions), flat, as_of))
        });
        group.finish();
    }
    let plan = synthetic_plan(500, 5, 1);
    let mut out = Vec::new();
    c.benchmark_group("assess").bench_function("rate_and_json/500", |b| {
        b.iter(|| {
            out.clear();
            let ratings = rate(black_box(&plan), &policy, as_of);
            write_assessment(&ratings, &mut out, JsonStyle::Compact).map(|()| out.len())
        })
    });
}

criterion_group!(benches, bench_assess);
criterion_main!(benches);
