//! End to end, as `ragplan status big.tsv` runs: a generated delivery-plan table of
//! 100,000 and 1,000,000 actions imported, rated and written, and each step alone.
//!
//! The table is the shape an analyst keeps (Objective, Sub Objectives, Actions, Action
//! RAG, Accountable, Timescale, Evidence; ten actions a sub-objective, ten
//! sub-objectives an objective; timescales `DD/MM/YYYY` or `Month YYYY` in 2014–2016;
//! ratings Red, Amber, Green or blank), rated as of 30 June 2015. Each whole run
//! is also made once in a process of its own, which prints its peak resident memory
//! (Linux's `VmHWM`, what `/usr/bin/time -v` calls the maximum resident set size):
//! the table, the plan, its ratings and the output, as a user's run holds them.
//!
//! Steps: `import` (bytes to plan), `rate`, `summary` (`Summary::build` and its JSON),
//! `json` (the assessment document, streamed), and `whole/summary` and `whole/json`
//! (all of them from the bytes); and `as_read/summary`, the summary as `ragplan status
//! big.tsv --summary` makes it, the table read, rated and summarised in parts on two
//! threads (the binary's `cmd/as_read`, included here by path). Written output goes
//! to a sink.
//!
//! Run with `cargo bench --bench end_to_end -- --warm-up-time 1 --measurement-time 5`
//! (about five minutes; the 1,000,000-action runs take several seconds each; a
//! filter after `--`, such as `"end_to_end/whole/summary"`, times fewer steps, but
//! the peaks are measured for every size).

use std::fmt::Write as _;
use std::hint::black_box;
use std::io;

use chrono::NaiveDate;
use criterion::{BenchmarkId, Criterion, criterion_group};
use ragplan_core::document::{JsonStyle, write_assessment, write_json};
use ragplan_core::{Dimension, Plan, Policy, Ratings, rate};
use ragplan_import::{ImportOptions, SourceFormat, import};
use ragplan_report::Summary;

/// The binary's summary of a table rated as it is read (the bench reads only the
/// summary of what it gives).
#[path = "../src/cmd/as_read.rs"]
#[allow(dead_code)]
mod as_read;

/// The table of `n` actions, seeded by `seed`.
fn delivery_table(n: usize, seed: u64) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    const PEOPLE: [&str; 7] = [
        "Mandie Watson",
        "Debbie Carter",
        "Rebekah Eaves",
        "Sue Whitmore",
        "Jayne Hutchings",
        "Dean Young",
        "Darren O'Shaunassey",
    ];
    const RATINGS: [&str; 7] = ["Red", "Amber", "Amber", "Green", "Green", "Green", ""];
    // xorshift64*: small, seeded, the same table on every machine.
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = |below: usize| {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        (state.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % below
    };
    let mut out = String::with_capacity(n * 120);
    out.push_str(
        "Objective\tSub Objectives\tActions\tAction RAG\tAccountable\tTimescale\tEvidence\n",
    );
    for i in 0..n {
        let (o, s) = (i / 100, (i / 10) % 10);
        let year = 2014 + next(3);
        let month = next(12);
        let timescale = if next(2) == 0 {
            format!("{:02}/{:02}/{year}", 1 + next(28), month + 1)
        } else {
            format!("{} {year}", MONTHS[month])
        };
        if s == 0 && i % 10 == 0 {
            let _ = write!(
                out,
                "Objective {}: protect children from exploitation in area {}",
                o + 1,
                o + 1
            );
        }
        out.push('\t');
        if i % 10 == 0 {
            let _ = write!(out, "Sub-objective {}.{}: improve information sharing", o + 1, s + 1);
        }
        let _ = writeln!(
            out,
            "\tAction {}: review the screening tool with partners\t{}\t{}\t{timescale}\tMinutes of meeting {i}",
            i + 1,
            RATINGS[next(RATINGS.len())],
            PEOPLE[next(PEOPLE.len())],
        );
    }
    out
}

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2015, 6, 30).unwrap_or_default()
}

fn imported(table: &str) -> Plan {
    let options = ImportOptions::for_format(SourceFormat::Tsv);
    match import(table.as_bytes(), &options) {
        Ok(imported) => imported.plan,
        Err(e) => panic!("the generated table does not import: {e}"),
    }
}

fn summary_out(ratings: &Ratings<'_>) -> io::Result<()> {
    write_json(&Summary::build(ratings), io::sink(), JsonStyle::Compact)
}

fn json_out(ratings: &Ratings<'_>) -> io::Result<()> {
    write_assessment(ratings, io::sink(), JsonStyle::Compact)
}

/// Everything from the bytes: import, rate, write with `out`.
fn whole(table: &str, policy: &Policy, out: fn(&Ratings<'_>) -> io::Result<()>) -> io::Result<()> {
    let plan = imported(black_box(table));
    let ratings = rate(&plan, policy, as_of());
    out(&ratings)
}

/// The summary of the table rated as it is read, in the parts `ragplan status`
/// reads it in, and its JSON.
fn as_read_summary(table: &str, policy: &Policy) -> io::Result<()> {
    let options = ImportOptions::default().with_file_name(Some("big.tsv".to_owned()));
    let cuts = as_read::Cuts::STATUS;
    let read = as_read::summarise(table.as_bytes(), &options, policy, as_of(), cuts)
        .ok_or_else(|| io::Error::other("the generated table is not read in parts"))?;
    write_json(&read.summary, io::sink(), JsonStyle::Compact)
}

/// The environment variable under which the bench runs one whole step in a process of
/// its own: `summary:100000`, `json:1000000` or `as_read:1000000`.
const PEAK_RUN: &str = "RAGPLAN_END_TO_END_PEAK_RUN";

/// The peak resident memory of a process of this bench that generates the table of
/// `n` actions and runs the whole `step` once, as `/usr/bin/time` would report it, in
/// MiB; none where the kernel does not say (not Linux).
fn peak_mib(step: &str, n: usize) -> Option<f64> {
    let exe = std::env::current_exe().ok()?;
    let out = std::process::Command::new(exe).env(PEAK_RUN, format!("{step}:{n}")).output().ok()?;
    String::from_utf8_lossy(&out.stdout).trim().parse::<f64>().ok().map(|kib| kib / 1024.0)
}

/// In the process [`peak_mib`] starts: generates the table, runs the step, and prints
/// the process's peak resident memory in KiB (`VmHWM`).
fn peak_run(spec: &str) {
    let (step, n) = spec.split_once(':').unwrap_or((spec, "0"));
    let table = delivery_table(n.parse().unwrap_or(0), 7);
    let out = if step == "summary" { summary_out } else { json_out };
    let policy = Policy::default();
    let done = if step == "as_read" {
        as_read_summary(&table, &policy)
    } else {
        whole(&table, &policy, out)
    };
    if let Err(e) = done {
        eprintln!("{spec}: {e}");
        return;
    }
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    if let Some(line) = status.lines().find(|l| l.starts_with("VmHWM:")) {
        println!("{}", line["VmHWM:".len()..].trim().trim_end_matches("kB").trim());
    }
}

fn end_to_end(c: &mut Criterion) {
    let policy = Policy::default();
    for n in [100_000, 1_000_000] {
        let table = delivery_table(n, 7);
        let plan = imported(&table);
        assert_eq!(plan.n_actions(), n, "every row is an action");
        let ratings = rate(&plan, &policy, as_of());
        for step in ["summary", "json", "as_read"] {
            let peak = peak_mib(step, n);
            let peak = peak.map_or_else(|| "not known here".to_owned(), |m| format!("{m:.0} MiB"));
            eprintln!(
                "end_to_end/whole/{step}/{n}: peak memory {peak}, the generated table's {:.0} MiB \
                 among it",
                table.len() as f64 / (1024.0 * 1024.0)
            );
        }

        let mut group = c.benchmark_group("end_to_end");
        group.sample_size(10);
        group.bench_with_input(BenchmarkId::new("import", n), &table, |b, table| {
            b.iter(|| imported(black_box(table)).n_actions())
        });
        group.bench_with_input(BenchmarkId::new("rate", n), &plan, |b, plan| {
            b.iter(|| rate(black_box(plan), &policy, as_of()).whole().rating(Dimension::Delivery))
        });
        group.bench_with_input(BenchmarkId::new("summary", n), &ratings, |b, ratings| {
            b.iter(|| summary_out(black_box(ratings)))
        });
        group.bench_with_input(BenchmarkId::new("json", n), &ratings, |b, ratings| {
            b.iter(|| json_out(black_box(ratings)))
        });
        group.bench_with_input(BenchmarkId::new("whole/summary", n), &table, |b, table| {
            b.iter(|| whole(table, &policy, summary_out))
        });
        group.bench_with_input(BenchmarkId::new("whole/json", n), &table, |b, table| {
            b.iter(|| whole(table, &policy, json_out))
        });
        group.bench_with_input(BenchmarkId::new("as_read/summary", n), &table, |b, table| {
            b.iter(|| as_read_summary(table, &policy))
        });
        group.finish();
    }
}

criterion_group!(benches, end_to_end);

fn main() {
    match std::env::var(PEAK_RUN) {
        Ok(spec) => peak_run(&spec),
        Err(_) => {
            benches();
            Criterion::default().configure_from_args().final_summary();
        }
    }
}
