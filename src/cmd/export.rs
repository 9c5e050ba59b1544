//! `ragplan export`: a plan written back to a delimited table in the column layout it
//! was imported from.

use std::path::PathBuf;
use std::process::ExitCode;

use ragplan_import::ExportFormat;

use crate::{load, output};

/// Flags of `ragplan export`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  ragplan export plan.json --format csv -o plan.csv
  ragplan export plan.json --format tsv

Import → export → import gives the same plan.

Exit codes: 0 written; 2 the plan cannot be read.")]
pub struct Args {
    /// The plan: a ragplan JSON document, or any source `ragplan import` reads.
    pub plan: PathBuf,
    /// The table format: csv or tsv.
    #[arg(long, default_value = "csv", value_parser = parse_format)]
    pub format: ExportFormat,
    /// Write the table here (atomically) instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Limits on a source imported on the fly.
    #[command(flatten)]
    pub limits: load::LimitArgs,
}

fn parse_format(text: &str) -> Result<ExportFormat, String> {
    text.parse().map_err(|e: ragplan_import::ParseExportFormatError| e.to_string())
}

/// Runs `ragplan export`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    output::refuse_overwriting_inputs(args.output.as_deref(), &[&args.plan])?;
    let loaded = load::load_plan(&args.plan, &args.limits.limits())?;
    let table = ragplan_import::export(&loaded.plan, args.format);
    output::write_to(args.output.as_deref(), &table)?;
    output::exit_without_freeing(loaded);
    Ok(ExitCode::SUCCESS)
}
