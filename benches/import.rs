//! Importing the seed delivery plan (the Coventry table, with its repeated headers,
//! page markers and HTML) and a generated 100,000-row CSV.
//!
//! Targets: the seed plan in at most 2 ms, the 100,000-row CSV in at most 0.5 s.
//! Run with `cargo bench --bench import -- --warm-up-time 1 --measurement-time 3`.

use std::fmt::Write as _;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use ragplan_import::{ImportOptions, SourceFormat, import};

const SEED: &[u8] = include_bytes!("../examples/plans/coventry-cse-delivery-plan.tsv");

/// A delivery plan of `n_rows` actions in ten-action sub-objectives, every column
/// filled the way analysts fill them.
fn generated_csv(n_rows: usize) -> String {
    let ratings = ["Green", "Amber", "Red", "Amber/Green", "Complete"];
    let owners = ["Mandie Watson", "Debbie Carter", "WMP", "Information governance"];
    let timescales = ["May 2015", "Q1 2015/16", "31/03/2016", "Ongoing", "TBC"];
    let mut out = String::from(
        "Sub Objectives,Actions,Action RAG,Evidence,Accountable,Responsibility,Timescale,Partners Involved\n",
    );
    for i in 0..n_rows {
        let sub = if i % 10 == 0 {
            format!("Sub-objective {} of the plan", i / 10)
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "{sub},\"Action {i}: review, agree and publish the {i}th procedure\",{},Minutes of meeting {i},{},{},{},\"Education; Health; Police\"",
            ratings[i % ratings.len()],
            owners[i % owners.len()],
            owners[(i + 1) % owners.len()],
            timescales[i % timescales.len()],
        );
    }
    out
}

fn bench_import(c: &mut Criterion) {
    let seed_options = ImportOptions::for_format(SourceFormat::Tsv);
    c.bench_function("import/coventry-seed", |b| {
        b.iter(|| import(black_box(SEED), &seed_options).map(|i| i.plan.n_actions()))
    });

    let csv = generated_csv(100_000);
    let csv_options = ImportOptions::for_format(SourceFormat::Csv);
    let mut group = c.benchmark_group("import");
    group.sample_size(10);
    group.bench_function("generated-100k-rows-csv", |b| {
        b.iter(|| import(black_box(csv.as_bytes()), &csv_options).map(|i| i.plan.n_actions()))
    });
    group.finish();
}

criterion_group!(benches, bench_import);
criterion_main!(benches);
