//! `ragplan validate`: the plan's lints, and exit 1 when one is an error.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use ragplan_core::{Lint, Severity, uk_date, validate};
use serde::Serialize;

use crate::{load, output};

/// Flags of `ragplan validate`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  ragplan validate plan.json
  ragplan validate examples/plans/coventry-cse-delivery-plan.tsv --as-of 2015-06-30
  ragplan validate plan.json --format json
  ragplan validate plan.json --strict      # warnings fail too

Lints: no-accountable-owner, no-timescale, unresolved-timescale,
ongoing-without-review-date, green-without-evidence, rating-outside-scale,
duplicate-key, dependency-cycle, missing-dependency,
override-without-justification, update-before-previous.

Exit codes: 0 no error-level lint; 1 an error-level lint (or, with --strict, any
warning, including import warnings); 2 bad usage or a plan that cannot be read.")]
pub struct Args {
    /// The plan: a ragplan JSON document, or any source `ragplan import` reads
    /// (`-` for standard input).
    pub plan: PathBuf,
    /// Check the plan as of this date (YYYY-MM-DD or DD/MM/YYYY, day first); default today.
    #[arg(long, value_name = "DATE", value_parser = output::parse_date)]
    pub as_of: Option<NaiveDate>,
    /// How to print the lints.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Exit 1 on warnings too.
    #[arg(long)]
    pub strict: bool,
    /// Limits on a source imported on the fly.
    #[command(flatten)]
    pub limits: load::LimitArgs,
}

/// How `ragplan validate` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One line per lint, then a summary line.
    Text,
    /// A JSON document: the as-of date, the counts and the lints.
    Json,
}

/// The JSON `ragplan validate --format json` prints.
#[derive(Debug, Serialize)]
struct Report<'a> {
    plan: &'a str,
    as_of: NaiveDate,
    errors: usize,
    warnings: usize,
    lints: &'a [Lint],
}

/// Runs `ragplan validate`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let loaded = load::load_plan(&args.plan, &args.limits.limits())?;
    let as_of = output::as_of_or_today(args.as_of);
    let lints = validate(&loaded.plan);
    let errors = lints.iter().filter(|l| l.severity == Severity::Error).count();
    let warnings = lints.len() - errors;
    let text = match args.format {
        Format::Text => {
            let mut text = String::new();
            for lint in &lints {
                text.push_str(&format!("{lint}\n"));
            }
            text.push_str(&format!(
                "{}: {errors} {}, {warnings} {} as of {}\n",
                args.plan.display(),
                if errors == 1 { "error" } else { "errors" },
                if warnings == 1 { "warning" } else { "warnings" },
                uk_date(as_of)
            ));
            text
        }
        Format::Json => {
            let plan = loaded.plan.id.as_str();
            let report = Report { plan, as_of, errors, warnings, lints: &lints };
            ragplan_core::document::to_canonical_json(&report)
        }
    };
    output::print_data(&text)?;
    let failed = errors > 0 || (args.strict && (warnings > 0 || loaded.n_warnings > 0));
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
