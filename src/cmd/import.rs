//! `ragplan import`: read a delivery plan (TSV, CSV, XLSX, Markdown, a
//! recommendation list or ragplan JSON) into a `ragplan/2` document, with every guess
//! reported; or merge a newer version into a stored plan (`--into`).

use std::io::IsTerminal as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use chrono::NaiveDate;
use ragplan_core::{PlanId, Scale};
use ragplan_import::{
    Field, ImportOptions, ReimportOptions, Severity, SourceFormat, import_owned, reimport,
};

use crate::{load, output};

/// Sources longer than this many rows get a progress bar (on a terminal).
const PROGRESS_ROWS: usize = 10_000;

/// How many diagnostics are printed before the rest are counted by code.
const SHOWN_DIAGNOSTICS: usize = 20;

/// Flags of `ragplan import`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  ragplan import examples/plans/coventry-cse-delivery-plan.tsv -o plan.json
  ragplan import plan.xlsx --sheet 'Delivery plan' --map 'Lead officer=accountable'
  ragplan import delivery-plan.docx -o plan.json     # the tables of a Word document
  ragplan import recommendations.txt --format text --title 'CSE scrutiny review'
  ragplan import agenda-pack.txt --plan 2     # the second plan of a whole paper
  ragplan import newer.tsv --into plan.json -o plan.json      # merge a newer version
  ragplan import plan.tsv --partners agencies.txt             # more partner agencies
  ragplan import ipa.csv --delimiter ';' --rating-map 'lg=green,la=amber,lr=red'
  ragplan import sideways.xlsx --transpose                    # one project per column
  ragplan import kpis.csv --map 'Q1=actual' --reported-on 2015-06-30  # indicators, values

Diagnostics go to standard error as `warning[code] row R, column \"C\": message`:
the first 20 (--max-diagnostics), then the rest counted by code; --diagnostics FILE
writes them all as a JSON array.

Exit codes: 0 imported (warnings allowed); 1 --strict and there were warnings;
2 the source cannot be read or parsed (the message names file, row and column).")]
pub struct Args {
    /// The source file (`-` for standard input).
    pub source: PathBuf,
    /// Write the plan document here (atomically) instead of standard output.
    #[arg(short, long, value_name = "PLAN.json")]
    pub output: Option<PathBuf>,
    /// The source format: auto, tsv, csv, xlsx, docx, md, text or json (auto: from the
    /// file's extension, then its content).
    #[arg(long, default_value = "auto", value_parser = parse_format)]
    pub format: SourceFormat,
    /// The sheet of a workbook to read (default: the first with a recognisable header).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// Read the column HEADER as a plan field (repeatable), e.g. "Lead officer=accountable";
    /// HEADER may be a column letter or number ("C=owner", "3=owner"). An entry that
    /// matches no column is an error.
    #[arg(long, value_name = "HEADER=field", value_parser = parse_map)]
    pub map: Vec<(String, Field)>,
    /// The character between cells of a delimited source: one character such as `;`
    /// or `|`, or `tab` (default: detected from the first records).
    #[arg(long, value_name = "C", value_parser = parse_delimiter)]
    pub delimiter: Option<u8>,
    /// Codes the source writes for its ratings, e.g. 'lg=green,la=amber,lr=red' (each
    /// rating one ragplan reads: green, amber, red, amber/red, amber/green, blue, …).
    /// With no --scale, the scale follows the ratings seen.
    #[arg(long, value_name = "CODE=RATING,…", value_parser = parse_rating_map)]
    pub rating_map: Option<RatingMap>,
    /// Read the table on its side: the header down the first column, one action per
    /// column (detected, with a warning, when the first column names more fields
    /// than the first row).
    #[arg(long)]
    pub transpose: bool,
    /// Make objectives from the values of this column (e.g. a department).
    #[arg(long, value_name = "HEADER")]
    pub group_by: Option<String>,
    /// The plan's id (default: from the file name; with --into, the stored plan's).
    #[arg(long, value_parser = parse_id)]
    pub id: Option<PlanId>,
    /// The plan's title (default: the title above the plan in a whole paper, else the
    /// file name; with --into, the stored plan's).
    #[arg(long)]
    pub title: Option<String>,
    /// The rating scale: rag3, brag or dca5.
    #[arg(long, value_parser = parse_scale)]
    pub scale: Option<Scale>,
    /// The date the plan's ratings were reported on (YYYY-MM-DD or DD/MM/YYYY, day first)
    /// (default: a full date in the source's title or preamble, if one is there).
    #[arg(long, value_name = "DATE", value_parser = output::parse_date)]
    pub reported_on: Option<NaiveDate>,
    /// Add the agencies in FILE (one a line; blank lines and `#` comments skipped) to
    /// the vocabulary that partners cells are split on.
    #[arg(long, value_name = "FILE")]
    pub partners: Option<PathBuf>,
    /// Of a whole paper holding several plans (a timetable and a list of
    /// recommendations), read plan N (1-based, in the paper's order; default: the first
    /// table, else the first list). The diagnostics name the plans found.
    #[arg(long, value_name = "N", conflicts_with = "section")]
    pub plan: Option<std::num::NonZeroUsize>,
    /// Of a whole paper holding several plans, read the first under a heading
    /// containing TEXT (case-insensitive), e.g. "Risk assessment".
    #[arg(long, value_name = "TEXT")]
    pub section: Option<String>,
    /// Treat warnings as errors: exit 1 and write nothing when there are any.
    #[arg(long)]
    pub strict: bool,
    /// Also write every diagnostic to this file, uncapped: one JSON array of
    /// objects with `severity`, `code`, `row`, `column`, `message` and `text` (`row`,
    /// `column` and `text` left out where there is none).
    #[arg(long, value_name = "FILE.json")]
    pub diagnostics: Option<PathBuf>,
    /// Print at most N diagnostics on standard error, then their count by code (0:
    /// print them all).
    #[arg(long, value_name = "N", default_value_t = SHOWN_DIAGNOSTICS)]
    pub max_diagnostics: usize,
    /// Merge the source into this stored plan, keeping its updates and history.
    #[arg(long, value_name = "PLAN.json")]
    pub into: Option<PathBuf>,
    /// With --into: delete the actions the source no longer has instead of marking
    /// them removed.
    #[arg(long, requires = "into")]
    pub prune: bool,
    /// Limits on the source.
    #[command(flatten)]
    pub limits: load::LimitArgs,
}

fn parse_format(text: &str) -> Result<SourceFormat, String> {
    text.parse().map_err(|e: ragplan_import::ParseSourceFormatError| e.to_string())
}

fn parse_map(text: &str) -> Result<(String, Field), String> {
    let (header, field) = text.rsplit_once('=').ok_or_else(|| {
        format!("{text:?} is not HEADER=field (e.g. \"Lead officer=accountable\")")
    })?;
    let field = field.parse::<Field>().map_err(|e| e.to_string())?;
    Ok((header.trim().to_owned(), field))
}

fn parse_delimiter(text: &str) -> Result<u8, String> {
    ragplan_import::parse_delimiter(text).map_err(|e| e.to_string())
}

/// The codes of a `--rating-map`, as one value (clap reads a bare `Vec` as many).
#[derive(Debug, Clone)]
pub struct RatingMap(Vec<(String, ragplan_core::Rating)>);

fn parse_rating_map(text: &str) -> Result<RatingMap, String> {
    ragplan_import::parse_rating_map(text).map(RatingMap).map_err(|e| e.to_string())
}

fn parse_id(text: &str) -> Result<PlanId, String> {
    PlanId::new(text).map_err(|e| e.to_string())
}

fn parse_scale(text: &str) -> Result<Scale, String> {
    text.parse::<Scale>().map_err(|e| e.to_string())
}

/// The agencies of a `--partners` file: one a line, blank lines and `#` comments
/// skipped.
fn read_partners(path: &std::path::Path) -> anyhow::Result<Vec<String>> {
    let bytes = std::fs::read(path)
        .with_context(|| format!("{}: cannot read the partners file", path.display()))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| anyhow::anyhow!("{}: the partners file is not UTF-8", path.display()))?;
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect())
}

/// Runs `ragplan import`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    output::refuse_overwriting_inputs(args.output.as_deref(), &[&args.source])?;
    output::refuse_overwriting_inputs(args.diagnostics.as_deref(), &[&args.source])?;
    let limits = args.limits.limits();
    let bytes = load::read_import_source(&args.source, &limits)?;
    let name = args.source.file_name().map(|n| n.to_string_lossy().into_owned());
    let partners = match &args.partners {
        Some(path) => read_partners(path)?,
        None => Vec::new(),
    };
    let options = ImportOptions::for_format(args.format)
        .with_file_name(name.filter(|n| n != "-"))
        .with_sheet(args.sheet.clone())
        .with_map(args.map.clone())
        .with_group_by(args.group_by.clone())
        .with_delimiter(args.delimiter)
        .with_transpose(args.transpose)
        .with_rating_map(args.rating_map.clone().map(|m| m.0).unwrap_or_default())
        .with_id(args.id.clone())
        .with_title(args.title.clone())
        .with_scale(args.scale)
        .with_reported_on(args.reported_on)
        .with_partners(partners)
        .with_plan(args.plan)
        .with_section(args.section.clone())
        .with_limits(limits);
    let imported = with_progress(bytes, &options)
        .map_err(|e| anyhow::anyhow!("{}: {e}", args.source.display()))?;

    let mut diagnostics = imported.diagnostics;
    let mut changes = None;
    let plan = match &args.into {
        Some(stored_path) => {
            let stored = load::load_plan_document(stored_path)?;
            let mut merge = ReimportOptions::default();
            merge.prune = args.prune;
            merge.id = args.id.clone();
            merge.title = args.title.clone();
            let merged = reimport(&stored, &imported.plan, &merge);
            diagnostics.extend(merged.diagnostics);
            changes = Some(merged.changes);
            merged.plan
        }
        None => imported.plan,
    };

    load::print_capped(&args.source, &diagnostics, args.max_diagnostics, |more, counts| {
        format!("… and {more} more diagnostics: {counts}; --diagnostics FILE writes them all")
    });
    if let Some(path) = &args.diagnostics {
        let json = serde_json::to_string_pretty(&diagnostics)
            .context("cannot write the diagnostics as JSON")?;
        output::write_atomic(path, format!("{json}\n").as_bytes())?;
    }
    let n_warnings = diagnostics.iter().filter(|d| d.severity == Severity::Warning).count();
    if args.strict && n_warnings > 0 {
        output::print_stderr(&format!(
            "error: {}: {n_warnings} warning(s) and --strict: nothing written",
            args.source.display()
        ));
        return Ok(ExitCode::from(1));
    }
    if let Some(changes) = changes {
        for change in &changes {
            output::print_stderr(&change.to_string());
        }
        if changes.is_empty() {
            output::print_stderr("no changes");
        }
    }
    output::write_plan(args.output.as_deref(), &plan)?;
    output::exit_without_freeing(plan);
    Ok(ExitCode::SUCCESS)
}

/// Imports, drawing a progress bar on a terminal for sources over
/// [`PROGRESS_ROWS`] rows.
fn with_progress(
    bytes: Vec<u8>,
    options: &ImportOptions,
) -> Result<ragplan_import::Imported, ragplan_import::ImportError> {
    if !std::io::stderr().is_terminal() {
        return import_owned(bytes, options, &mut |_, _| {});
    }
    let mut bar: Option<indicatif::ProgressBar> = None;
    let result = import_owned(bytes, options, &mut |done, total| {
        if total <= PROGRESS_ROWS {
            return;
        }
        let bar = bar.get_or_insert_with(|| {
            let bar = indicatif::ProgressBar::new(total as u64);
            if let Ok(style) =
                indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} rows {eta}")
            {
                bar.set_style(style);
            }
            bar
        });
        bar.set_position(done as u64);
    });
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    result
}
