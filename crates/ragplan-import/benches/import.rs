//! Importing the seed delivery plan (the Coventry table) written as a Word document,
//! beside the same table as TSV, the baseline it is compared with; and re-importing a
//! table of 1,000 actions, every one retitled and the rows reversed, so that each is
//! found by a close title; and sources that once cost the square of their size (a
//! row of very many columns, a cell of very many `<`), at n and 10 n.
//!
//! Targets: the Word document in at most 20 ms; the re-import well under a second.
//! Run with `cargo bench -p ragplan-import --bench import -- --warm-up-time 1 --measurement-time 3`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use ragplan_import::{ImportOptions, ReimportOptions, SourceFormat, import, reimport};

#[path = "../tests/import/docx_writer.rs"]
mod docx_writer;
#[path = "../tests/import/wide.rs"]
mod wide;

const SEED: &str = include_str!("../../../examples/plans/coventry-cse-delivery-plan.tsv");

fn bench_import(c: &mut Criterion) {
    let docx = docx_writer::docx(&docx_writer::body_from_tsv(SEED));
    let docx_options = ImportOptions::for_format(SourceFormat::Docx);
    c.bench_function("import/coventry-seed-docx", |b| {
        b.iter(|| import(black_box(&docx), &docx_options).map(|i| i.plan.n_actions()))
    });
    let tsv_options = ImportOptions::for_format(SourceFormat::Tsv);
    c.bench_function("import/coventry-seed-tsv", |b| {
        b.iter(|| import(black_box(SEED.as_bytes()), &tsv_options).map(|i| i.plan.n_actions()))
    });
}

/// A table of `n` actions with titles of seven words drawn from a small vocabulary;
/// `retitled` changes one word of each, reverses the rows and puts a new objective
/// first, so that no action keeps its key and each is found by its close title.
fn retitled_table(n: usize, retitled: bool) -> String {
    const WORDS: [&str; 24] = [
        "review",
        "the",
        "multi",
        "agency",
        "protocol",
        "for",
        "missing",
        "children",
        "train",
        "staff",
        "in",
        "schools",
        "audit",
        "case",
        "files",
        "publish",
        "guidance",
        "to",
        "parents",
        "taxi",
        "drivers",
        "health",
        "police",
        "referrals",
    ];
    let mut seed: u64 = 7;
    let mut next = || {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) as usize
    };
    let mut rows: Vec<String> = (0..n)
        .map(|i| {
            let mut words: Vec<&str> = (0..7).map(|_| WORDS[next() % WORDS.len()]).collect();
            if retitled {
                words[i % 7] = "revised";
            }
            format!("Protect\t{} {i}\tOfficer {}\tQ{} 2015/16", words.join(" "), i % 40, i % 4 + 1)
        })
        .collect();
    if retitled {
        rows.reverse();
        rows.insert(0, "Prevent\tAgree the information sharing protocol\tWMP\tMay 2015".to_owned());
    }
    format!("Objective\tActions\tAccountable\tTimescale\n{}\n", rows.join("\n"))
}

fn bench_reimport(c: &mut Criterion) {
    let options = ImportOptions::for_format(SourceFormat::Tsv);
    let read = |text: String| import(text.as_bytes(), &options).map(|i| i.plan);
    let (Ok(stored), Ok(newer)) =
        (read(retitled_table(1000, false)), read(retitled_table(1000, true)))
    else {
        return;
    };
    c.bench_function("reimport/1000-retitled", |b| {
        b.iter(|| {
            reimport(black_box(&stored), black_box(&newer), &ReimportOptions::default())
                .changes
                .len()
        })
    });
}

/// Sources that once cost the square of their size, each at n and 10 n: the time
/// should grow about tenfold.
fn bench_linear(c: &mut Criterion) {
    // A row of 60,000 cells is past the default `columns` limit (a worksheet's 16,384).
    let mut limits = ragplan_import::Limits::default();
    limits.set("columns", 100_000).unwrap_or_else(|e| panic!("{e}"));
    let options = ImportOptions::for_format(SourceFormat::Tsv).with_limits(limits);
    // What is timed is the import, never a refusal.
    for source in
        [wide::wide_row(60_000), wide::angle_brackets(200_000), wide::bold_segments(20_000)]
    {
        if let Err(e) = import(source.as_bytes(), &options) {
            panic!("the linear bench's source is refused: {e}");
        }
    }
    let mut group = c.benchmark_group("linear");
    group.sample_size(10);
    for n in [6_000, 60_000] {
        let source = wide::wide_row(n);
        group.bench_function(format!("wide-row/{n}"), |b| {
            b.iter(|| import(black_box(source.as_bytes()), &options).map(|i| i.plan.n_actions()))
        });
    }
    for n in [6_000, 60_000] {
        let plan = match import(wide::wide_row(n).as_bytes(), &options) {
            Ok(imported) => imported.plan,
            Err(e) => panic!("the linear bench's source is refused: {e}"),
        };
        group.bench_function(format!("export-wide-row/{n}"), |b| {
            b.iter(|| ragplan_import::export(black_box(&plan), ragplan_import::ExportFormat::Tsv))
        });
    }
    for n in [20_000, 200_000] {
        let source = wide::angle_brackets(n);
        group.bench_function(format!("angle-brackets/{n}"), |b| {
            b.iter(|| import(black_box(source.as_bytes()), &options).map(|i| i.plan.n_actions()))
        });
    }
    for n in [2_000, 20_000] {
        let source = wide::bold_segments(n);
        group.bench_function(format!("bold-segments/{n}"), |b| {
            b.iter(|| import(black_box(source.as_bytes()), &options).map(|i| i.plan.n_actions()))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_import, bench_reimport, bench_linear);
criterion_main!(benches);
