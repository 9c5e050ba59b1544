//! The `ragplan` command: rate multi-agency action plans Red / Amber / Green, import
//! the plans analysts already have, and write the quarterly progress report.
//!
//! A thin layer: parse the flags, call the library, render. Exit codes are the same
//! for every subcommand: 0 success; 1 the plan has error-level lints (or `--strict`
//! warnings); 2 bad usage or unreadable input.

use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

mod cmd;
mod load;
mod output;

/// Rate multi-agency action plans Red / Amber / Green, with reasons.
#[derive(Debug, Parser)]
#[command(name = "ragplan", version, about, long_about = None, term_width = 100, after_help = "\
Examples:
  ragplan status examples/plans/coventry-cse-delivery-plan.tsv --as-of 2015-06-30
  ragplan import plan.xlsx -o plan.json
  ragplan update plan.json 1.1.2 --rating amber --note \"Draft agreed\" --by \"R Eaves\"
  ragplan report plan.json --format html -o q1.html

PLAN is a ragplan JSON document or any source `ragplan import` reads. --as-of
defaults to today, and every output states the date it used. NO_COLOR turns colour
off; output that is not a terminal is plain unless CLICOLOR_FORCE=1 is set.

Exit codes (every subcommand):
  0  success
  1  the plan has error-level lints (validate), or warnings under --strict
  2  bad usage, or input that cannot be read: the message names the file and the
     row and column, key or JSON path")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Show the assessed plan: every rating with its reasons.
    Status(cmd::status::Args),
    /// Check a plan for problems (lints); exit 1 on an error-level lint.
    Validate(cmd::validate::Args),
    /// Record a progress update against an action.
    Update(cmd::update::Args),
    /// Change a node's title, owners, partners, timescale, status, evidence or weight.
    Edit(cmd::edit::Args),
    /// Record, or withdraw, a professional-judgement override of a rating.
    Override(cmd::override_::Args),
    /// Add an objective, sub-objective or action.
    Add(cmd::add::Args),
    /// Take a node out of the plan, kept and marked removed, with a justification.
    Remove(cmd::remove::Args),
    /// Add a measure (an indicator with a target) to an objective or sub-objective.
    Measure(cmd::measure::Args),
    /// Log a reading of a measure.
    Reading(cmd::measure::ReadingArgs),
    /// Show a node's story: its edits, updates, overrides and withdrawals in date order.
    Log(cmd::log::Args),
    /// Rewrite a plan document in the current format (ragplan/2).
    Migrate(cmd::migrate::Args),
    /// Show movement between two versions of a plan.
    Diff(cmd::diff::Args),
    /// Write a reproducible synthetic plan.
    Generate(cmd::generate::Args),
    /// Import a delivery plan (TSV, CSV, XLSX, Markdown, text, ragplan JSON).
    Import(cmd::import::Args),
    /// Export a plan back to a delimited table.
    Export(cmd::export::Args),
    /// Write the quarterly progress report (Markdown, HTML, CSV, XLSX, DOCX, JSON).
    Report(cmd::report::Args),
    /// Write the due dates of open actions as a calendar file (iCalendar, .ics).
    Calendar(cmd::calendar::Args),
    /// Serve the JSON API over HTTP.
    Serve(cmd::serve::Args),
    /// Create, list and revoke API tokens.
    Token(cmd::token::Args),
    /// Copy the API's database while the server runs.
    Backup(cmd::backup::Args),
    /// Move the API's store between SQLite and PostgreSQL, every table checked.
    Store(cmd::store::Args),
    /// Write the shell completion script (bash, zsh, fish, PowerShell, elvish).
    Completions(cmd::completions::Args),
    /// Write the manual page (roff).
    Man(cmd::man::Args),
}

/// The allocator: a large plan is millions of small strings and lists, made and read
/// once, which mimalloc hands out faster than the system allocator (a sixth to a
/// third less user time for a report of 100,000 actions; `BENCHMARKS.md`). Its
/// version 2 (`v2`), which held less memory than version 3 on these plans, built
/// without transparent huge pages (`no_thp`), whose page faults made a run's system
/// time vary several-fold from one run to the next.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Status(args) => cmd::status::run(args),
        Command::Validate(args) => cmd::validate::run(args),
        Command::Update(args) => cmd::update::run(args),
        Command::Edit(args) => cmd::edit::run(args),
        Command::Override(args) => cmd::override_::run(args),
        Command::Add(args) => cmd::add::run(args),
        Command::Remove(args) => cmd::remove::run(args),
        Command::Measure(args) => cmd::measure::run(args),
        Command::Reading(args) => cmd::measure::run_reading(args),
        Command::Log(args) => cmd::log::run(args),
        Command::Migrate(args) => cmd::migrate::run(args),
        Command::Diff(args) => cmd::diff::run(args),
        Command::Generate(args) => cmd::generate::run(args),
        Command::Import(args) => cmd::import::run(args),
        Command::Export(args) => cmd::export::run(args),
        Command::Report(args) => cmd::report::run(args),
        Command::Calendar(args) => cmd::calendar::run(args),
        Command::Serve(args) => cmd::serve::run(args),
        Command::Token(args) => cmd::token::run(args),
        Command::Backup(args) => cmd::backup::run(args),
        Command::Store(args) => cmd::store::run(args),
        Command::Completions(args) => cmd::completions::run(args, Cli::command()),
        Command::Man(args) => cmd::man::run(args, Cli::command()),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}
