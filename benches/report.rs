//! Writing the quarterly report of a generated 10,000-action plan in every format
//! (`md`, `html`, `csv`, `xlsx`, `docx`, `json`). Each format is measured as gathering
//! the report (`Report::build`, with the movement since the previous quarter and the
//! trend by quarter) plus rendering it; the target is at most 1 s per format. `rate`
//! is measured alongside, for scale.
//!
//! Run with `cargo bench --bench report -- --warm-up-time 1 --measurement-time 5`; one
//! format with its name last (`… --measurement-time 3 docx`).

use std::hint::black_box;

use chrono::NaiveDate;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use ragplan_core::generate::synthetic_plan;
use ragplan_core::{Policy, Snapshot, rate};
use ragplan_report::{Format, Report, ReportOptions, render};

const N_ACTIONS: usize = 10_000;

fn report_10k(c: &mut Criterion) {
    let plan = synthetic_plan(N_ACTIONS, 20, 42);
    let policy = Policy::default();
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
    let (as_of, previous) = (day(2015, 12, 31), day(2015, 9, 30));
    let then = plan.as_it_stood(as_of);
    let now = then.rate(&policy);
    let before = Snapshot::from(&plan.as_it_stood(previous).rate(&policy));
    let options = ReportOptions::default();

    let mut group = c.benchmark_group("report_10k");
    group.sample_size(10);
    group.bench_function("rate", |b| {
        b.iter(|| {
            rate(black_box(&plan), &policy, as_of).whole().rating(ragplan_core::Dimension::Delivery)
        })
    });
    group.bench_function("build", |b| {
        b.iter(|| Report::build(black_box(&now), Some(&before), &options))
    });
    for format in Format::ALL {
        group.bench_with_input(
            BenchmarkId::new("build_and_render", format),
            &format,
            |b, &format| {
                b.iter(|| {
                    let report = Report::build(black_box(&now), Some(&before), &options);
                    render(&report, format).map(|bytes| bytes.len()).unwrap_or(0)
                })
            },
        );
    }
    group.finish();
}

criterion_group!(benches, report_10k);
criterion_main!(benches);
