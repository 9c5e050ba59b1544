//! `cmd/as_read`: the summary of a table rated as it is read against the table imported whole: the
//! same tree, JSON and warnings for every table it takes, and no answer (so the
//! whole import) for every table whose meaning it cannot tell from its parts.

use std::cell::Cell;
use std::fmt::Write as _;

use chrono::NaiveDate;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use ragplan_core::{LintCode, Policy};
use ragplan_import::{Diagnostic, ImportOptions, Limits, Severity};
use ragplan_report::Summary;

use super::as_read::*;
use super::status::{delivery_counts, render_summary};

/// What `ragplan status --summary` prints: the tree, the JSON and, on standard error,
/// the warnings.
#[derive(Debug, PartialEq)]
struct Printed {
    tree: String,
    json: String,
    stderr: Vec<String>,
}

fn options(name: &str) -> ImportOptions {
    ImportOptions::default().with_file_name(Some(name.to_owned()))
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn warnings(diagnostics: &[Diagnostic]) -> Vec<String> {
    diagnostics.iter().filter(|d| d.severity == Severity::Warning).map(|d| d.to_string()).collect()
}

/// The table imported whole, as `ragplan status --summary` does without parts.
fn whole(source: &str, options: &ImportOptions, as_of: NaiveDate) -> Result<Printed, String> {
    let imported =
        ragplan_import::import_owned(source.as_bytes().to_vec(), options, &mut |_, _| {})
            .map_err(|e| e.to_string())?;
    let mut stderr = warnings(&imported.diagnostics);
    let stood = imported.plan.into_as_it_stood(as_of);
    let policy = Policy::default();
    let ratings = stood.rate(&policy);
    let summary = Summary::build(&ratings);
    let (counts, n_left_out) = delivery_counts(&ratings);
    stderr.extend(
        ratings.lints().filter(|l| l.code == LintCode::DuplicateKey).map(|l| l.to_string()),
    );
    Ok(Printed {
        tree: render_summary(&summary, as_of, &counts, n_left_out),
        json: serde_json::to_string_pretty(&summary).unwrap(),
        stderr,
    })
}

/// The table rated as it is read, in the parts `cuts` gives.
fn as_read(source: &str, options: &ImportOptions, as_of: NaiveDate, cuts: Cuts) -> Option<Printed> {
    let read = summarise(source.as_bytes(), options, &Policy::default(), as_of, cuts)?;
    let counts = read.summary.headline.delivery.counts.by_rating;
    Some(Printed {
        tree: render_summary(&read.summary, as_of, &counts, read.n_left_out),
        json: serde_json::to_string_pretty(&read.summary).unwrap(),
        stderr: warnings(&read.diagnostics),
    })
}

const HEADER: &str =
    "Objective\tSub Objectives\tActions\tAction RAG\tStatus\tAccountable\tTimescale\tEvidence\n";

/// Every objective starts a part.
const EVERY_OBJECTIVE: Cuts = Cuts { part_bytes: 0, first_part_lines: 1 };

/// A line of a generated table.
#[derive(Debug, Clone)]
enum Line {
    /// A row: objective, sub-objective, action, rating, status, owners, timescale,
    /// evidence.
    Row([String; 8]),
    Blank,
    RepeatedHeader,
}

const RATINGS: [&str; 8] = ["Red", "Amber", "Green", "", "Not rated", "green", "R", "Amber"];
const STATUSES: [&str; 6] = ["", "Complete", "Cancelled", "Not started", "In progress", ""];
const OWNERS: [&str; 8] = [
    "Mandie Watson",
    "Debbie Carter",
    "Mandie Watson Debbie Carter",
    "TBC",
    "",
    "N/A",
    "Mandie Watson and Debbie Carter",
    "Police",
];
const TIMESCALES: [&str; 8] =
    ["02/03/2015", "March 2015", "June 2016", "Ongoing", "", "TBC", "31/12/2014", "2015"];
/// What a wild table adds: a name standing alone in one part only, ratings of
/// another scale, a quote.
const WILD_OWNERS: [&str; 2] = ["Sue Whitmore", "\"Dean Young\""];
const WILD_RATINGS: [&str; 2] = ["Amber/Red", "Complete"];

/// One action row's cells after the objective, sub-objective and action.
fn cells(wild: bool) -> impl Strategy<Value = [String; 5]> {
    let rating = if wild {
        prop::sample::select([&RATINGS[..], &WILD_RATINGS[..]].concat()).boxed()
    } else {
        prop::sample::select(RATINGS.to_vec()).boxed()
    };
    let owner = if wild {
        prop::sample::select([&OWNERS[..], &WILD_OWNERS[..]].concat()).boxed()
    } else {
        prop::sample::select(OWNERS.to_vec()).boxed()
    };
    (
        rating,
        prop::sample::select(STATUSES.to_vec()),
        owner,
        prop::sample::select(TIMESCALES.to_vec()),
        prop::sample::select(vec!["", "Minutes"]),
    )
        .prop_map(|(r, s, o, t, e)| [r, s, o, t, e].map(str::to_owned))
}

/// A generated objective: its title's number, whether its first row has an action,
/// its other rows (whether each starts a sub-objective, whether it has an action,
/// its cells), and what follows it (a blank line, a repeated header).
type Objective = (u8, bool, Vec<(u8, bool, [String; 5])>, u8);

/// An objective's lines: its first row (its title by number, which may repeat the
/// objective above; with or without an action), then rows under it, some starting a
/// sub-objective, some with no action (continuing the one above), blank lines and
/// repeated headers among them when `wild`.
fn objective(wild: bool) -> impl Strategy<Value = Objective> {
    let rows = prop::collection::vec((0u8..4, any::<bool>(), cells(wild)), 0..7);
    (0u8..6, any::<bool>(), rows, 0u8..8)
}

/// A generated table: the lines, written out.
fn table(wild: bool) -> impl Strategy<Value = String> {
    prop::collection::vec((objective(wild), cells(wild)), 1..9).prop_map(move |objectives| {
        let mut lines = Vec::new();
        let mut n_action = 0;
        for (o, ((title, first_has_action, rows, extra), first_cells)) in
            objectives.into_iter().enumerate()
        {
            let mut first = first_cells;
            // Every part knows the two names standing alone.
            first[2] = "Mandie Watson; Debbie Carter".to_owned();
            n_action += 1;
            // The first objective has an action: a table with none is no plan.
            let has_action = first_has_action || o == 0;
            let action = if has_action { format!("Action {n_action}") } else { String::new() };
            let [r, s, ow, t, e] = first;
            let sub = format!("Sub-objective {o}.0");
            lines.push(Line::Row([format!("Objective {title}"), sub, action, r, s, ow, t, e]));
            for (j, (sub, has_action, cells)) in rows.into_iter().enumerate() {
                n_action += 1;
                let sub = if sub == 0 { format!("Sub-objective {o}.{j}") } else { String::new() };
                let action = if has_action { format!("Action {n_action}") } else { String::new() };
                let [r, s, ow, t, e] = cells;
                lines.push(Line::Row([String::new(), sub, action, r, s, ow, t, e]));
            }
            match extra {
                1 if wild => lines.push(Line::Blank),
                2 if wild => lines.push(Line::RepeatedHeader),
                _ => {}
            }
        }
        let mut text = HEADER.to_owned();
        for line in lines {
            match line {
                Line::Row(cells) => {
                    let _ = writeln!(text, "{}", cells.join("\t"));
                }
                Line::Blank => text.push('\n'),
                Line::RepeatedHeader => text.push_str(HEADER),
            }
        }
        text
    })
}

/// Runs the comparison over generated tables, `wild` or not, and says how many took
/// the parts.
fn differential(wild: bool, cases: u32) -> usize {
    let taken = Cell::new(0);
    let strategy = (
        table(wild),
        0usize..400,
        1usize..5,
        prop::sample::select(vec![day(2015, 6, 30), day(2016, 3, 31), day(2014, 1, 1)]),
    );
    let mut runner = TestRunner::new(Config { cases, ..Config::default() });
    runner
        .run(&strategy, |(text, part_bytes, first_part_lines, as_of)| {
            let options = options("plan.tsv");
            let cuts = Cuts { part_bytes, first_part_lines };
            let want = whole(&text, &options, as_of);
            if let Some(got) = as_read(&text, &options, as_of, cuts) {
                taken.set(taken.get() + 1);
                prop_assert_eq!(Ok(got), want, "{}", text);
            }
            Ok(())
        })
        .unwrap();
    taken.get()
}

#[test]
fn a_table_read_in_parts_prints_what_it_prints_imported_whole() {
    let taken = differential(false, 160);
    // The plain tables meet every condition.
    assert_eq!(taken, 160);
}

#[test]
fn a_wild_table_read_in_parts_prints_what_it_prints_imported_whole_or_is_imported_whole() {
    let taken = differential(true, 160);
    assert!(taken > 0);
}

/// A table of `n` objectives of three actions each, one part an objective, with
/// `line` in place of the second objective's second row and `extra` columns.
fn plain(n: usize) -> String {
    let mut text = HEADER.to_owned();
    for o in 1..=n {
        let _ = writeln!(
            text,
            "Objective {o}\tSub {o}.1\tAction {o}.1\tRed\t\tMandie Watson\tMarch 2015\tMinutes"
        );
        for a in 2..=3 {
            let _ = writeln!(text, "\t\tAction {o}.{a}\tGreen\t\tDebbie Carter\tJune 2016\t");
        }
    }
    text
}

#[test]
fn what_cannot_be_read_in_parts_is_imported_whole() {
    let lines = |text: &str, at: usize, with: &str| {
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        lines[at] = with.to_owned();
        lines.join("\n") + "\n"
    };
    let base = plain(4);
    let table: Vec<(&str, String, &str, bool)> = vec![
        ("a plain table", base.clone(), "plan.tsv", true),
        ("a byte-order mark", format!("\u{feff}{base}"), "plan.tsv", true),
        ("a CSV", base.replace('\t', ","), "plan.csv", true),
        ("the same objective again", base.replace("Objective 2", "Objective 1"), "plan.tsv", true),
        (
            "a quote",
            lines(&base, 5, "\t\t\"Action\"\tRed\t\tDean Young\t2015\t"),
            "plan.tsv",
            false,
        ),
        ("a ragged row", lines(&base, 5, "\t\tAction\tRed"), "plan.tsv", false),
        ("a title above the header", format!("Delivery plan 2015\n{base}"), "plan.tsv", false),
        ("a key column", base.replacen("Evidence", "Ref", 1), "plan.tsv", false),
        ("a dependency column", base.replacen("Evidence", "Depends on", 1), "plan.tsv", false),
        ("an indicator column", base.replacen("Evidence", "Indicator", 1), "plan.tsv", false),
        ("not named as a table", base.clone(), "plan.txt", false),
        ("a document", format!("{{{base}"), "plan.tsv", false),
        (
            "ratings of another scale in one part",
            lines(&base, 6, "\t\tAction 2.3\tAmber/Red\t\tDebbie Carter\tJune 2016\t"),
            "plan.tsv",
            false,
        ),
        (
            "a name standing alone in one part",
            lines(&base, 6, "\t\tAction 2.3\tRed\t\tSue Whitmore\tJune 2016\t"),
            "plan.tsv",
            false,
        ),
        ("a repeated header before a part", lines(&base, 6, HEADER.trim_end()), "plan.tsv", false),
        ("a part with no action", lines(&base, 7, "Objective 9\t\t\t\t\t\t\t"), "plan.tsv", true),
    ];
    for (what, text, name, taken) in table {
        let options = options(name);
        let as_of = day(2015, 6, 30);
        let got = as_read(&text, &options, as_of, EVERY_OBJECTIVE);
        assert_eq!(got.is_some(), taken, "{what}");
        if let Some(got) = got {
            assert_eq!(Ok(got), whole(&text, &options, as_of), "{what}");
        }
    }
    // Bytes that are not UTF-8 and a limit on the rows.
    let mut bytes = base.clone().into_bytes();
    let at = bytes.len() - 3;
    bytes[at] = 0xE9;
    let read = summarise(
        &bytes[..],
        &options("plan.tsv"),
        &Policy::default(),
        day(2015, 6, 30),
        EVERY_OBJECTIVE,
    );
    assert!(read.is_none(), "bytes not UTF-8");
    let mut limits = Limits::default();
    limits.rows = 10;
    let limited = options("plan.tsv").with_limits(limits);
    assert!(as_read(&base, &limited, day(2015, 6, 30), EVERY_OBJECTIVE).is_none(), "a row limit");
}
