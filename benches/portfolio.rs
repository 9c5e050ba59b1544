//! Rating a portfolio: 150 generated plans of 500 actions each, every plan rated and
//! the portfolio built (each plan's ratings, counts, reasons and data gaps, the worst
//! actions across the plans, the roll-up); the target is at most 200 ms. The
//! portfolio alone, from plans already rated, is measured beside it.
//!
//! Run with `cargo bench --bench portfolio -- --warm-up-time 1 --measurement-time 5`.

use std::hint::black_box;

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use ragplan_core::generate::synthetic_plan;
use ragplan_core::{Policy, rate};
use ragplan_report::Portfolio;

fn portfolio(c: &mut Criterion) {
    let plans: Vec<_> = (0..150).map(|seed| synthetic_plan(500, 5, seed)).collect();
    let policy = Policy::default();
    let as_of = NaiveDate::from_ymd_opt(2015, 6, 30).unwrap_or_default();
    let mut group = c.benchmark_group("portfolio");
    group.sample_size(10);
    group.bench_function("rate_and_build/150x500", |b| {
        b.iter(|| {
            let ratings: Vec<_> =
                plans.iter().map(|p| rate(black_box(p), &policy, as_of)).collect();
            Portfolio::build(&ratings, &policy, as_of).n_worst
        })
    });
    let ratings: Vec<_> = plans.iter().map(|p| rate(p, &policy, as_of)).collect();
    group.bench_function("build/150x500", |b| {
        b.iter(|| Portfolio::build(black_box(&ratings), &policy, as_of).n_worst)
    });
    group.finish();
}

criterion_group!(benches, portfolio);
criterion_main!(benches);
