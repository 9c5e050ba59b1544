//! Importing the seed delivery plan (the Coventry table) written as a Word document,
//! beside the same table as TSV, the baseline it is compared with.
//!
//! Target: the Word document in at most 20 ms.
//! Run with `cargo bench -p ragplan-import --bench import -- --warm-up-time 1 --measurement-time 3`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use ragplan_import::{ImportOptions, SourceFormat, import};

#[path = "../tests/import/docx_writer.rs"]
mod docx_writer;

const SEED: &str = include_str!("../../../examples/plans/coventry-cse-delivery-plan.tsv");

fn bench_import(c: &mut Criterion) {
    let docx = docx_writer::docx(&docx_writer::body_from_tsv(SEED));
    let docx_options = ImportOptions { format: SourceFormat::Docx, ..ImportOptions::default() };
    c.bench_function("import/coventry-seed-docx", |b| {
        b.iter(|| import(black_box(&docx), &docx_options).map(|i| i.plan.n_actions()))
    });
    let tsv_options = ImportOptions { format: SourceFormat::Tsv, ..ImportOptions::default() };
    c.bench_function("import/coventry-seed-tsv", |b| {
        b.iter(|| import(black_box(SEED.as_bytes()), &tsv_options).map(|i| i.plan.n_actions()))
    });
}

criterion_group!(benches, bench_import);
criterion_main!(benches);
