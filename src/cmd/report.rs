//! `ragplan report`: the quarterly progress report, in Markdown, HTML, CSV, XLSX, a
//! Word committee paper (DOCX) or JSON, compared with the previous report.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use chrono::NaiveDate;
use ragplan_core::{FinancialQuarter, Plan, Policy, Snapshot, check_previous};
use ragplan_report::template::{TemplateKind, render_template};
use ragplan_report::{Format, Report, ReportOptions};

use crate::{load, output};

/// Flags of `ragplan report`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  ragplan report plan.json --format html -o q1-2015-16.html --as-of 2015-06-30 --previous 2015-03-31
  ragplan report examples/plans/coventry-cse-delivery-plan.tsv --format md --as-of 2015-06-30
  ragplan report plan.json --format xlsx -o report.xlsx --previous last-quarter.json
  ragplan report plan.json -o q1-cabinet.docx --as-of 2015-06-30 --previous 2015-03-31
  ragplan report plan.json --format html --template house-style.html.j2 -o report.html
  ragplan report plan.json --format csv --bom -o q1-actions.csv

--previous DATE rebuilds the plan as it stood on DATE from its own update log;
--previous FILE rates that earlier version of the plan as of the end of the quarter
before --as-of. --template renders the same data (the json format) with your own
minijinja template, for md or html.

Exit codes: 0 success; 2 bad usage or a plan that cannot be read.")]
pub struct Args {
    /// The plan: a ragplan JSON document, or any source `ragplan import` reads.
    pub plan: PathBuf,
    /// md, html, csv, xlsx, docx or json; default: from the -o file's extension (one that
    /// names no format is refused), else md.
    #[arg(long, value_name = "FORMAT", value_parser = parse_format)]
    pub format: Option<Format>,
    /// Write the report to FILE (default standard output; xlsx and docx need a file).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Report the plan as it stood on this date (YYYY-MM-DD or DD/MM/YYYY, day first): updates logged later are
    /// left out; default today.
    #[arg(long, value_name = "DATE", value_parser = output::parse_date)]
    pub as_of: Option<NaiveDate>,
    /// Compare with the plan as it stood on DATE (from its update log), or with an
    /// earlier version of the plan in FILE.
    #[arg(long, value_name = "PLAN_OR_DATE")]
    pub previous: Option<String>,
    /// Render md or html with this minijinja template instead of the shipped one.
    #[arg(long, value_name = "FILE")]
    pub template: Option<PathBuf>,
    /// The report's title; default the plan's title.
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,
    /// The roll-up policy (JSON); default: worse of reported and derived, worst-of
    /// roll-up.
    #[arg(long, value_name = "POLICY.json")]
    pub policy: Option<PathBuf>,
    /// csv only: begin with a UTF-8 byte-order mark, which Excel on Windows needs to
    /// read £ and curly quotes.
    #[arg(long)]
    pub bom: bool,
    /// Limits on a source imported on the fly.
    #[command(flatten)]
    pub limits: load::LimitArgs,
}

fn parse_format(text: &str) -> Result<Format, String> {
    text.parse::<Format>().map_err(|e| e.to_string())
}

/// The format asked for, or the one the output file's extension names (`.txt`, or no
/// extension, is Markdown).
///
/// # Errors
/// An extension that names no report format (`-o q1.pdf`): a report is never
/// written in one format under another format's name.
fn chosen_format(format: Option<Format>, output: Option<&Path>) -> anyhow::Result<Format> {
    if let Some(format) = format {
        return Ok(format);
    }
    let Some(extension) = output.and_then(|p| p.extension()) else {
        return Ok(Format::Markdown);
    };
    let text = extension.to_string_lossy();
    if text.eq_ignore_ascii_case("txt") {
        return Ok(Format::Markdown);
    }
    text.parse().map_err(|_| {
        anyhow::anyhow!(
            "-o {}: ragplan writes no .{text} report (it writes md, html, csv, xlsx, docx or \
             json); name the file for one of those, or give --format",
            output.map_or_else(String::new, |p| p.display().to_string())
        )
    })
}

/// The ratings `--previous` names: the plan as it stood on a date, or another
/// version of the plan rated as of the end of the quarter before `as_of`.
fn previous_snapshot(
    text: &str,
    plan: &Plan,
    policy: &Policy,
    as_of: NaiveDate,
    limits: &ragplan_import::Limits,
) -> anyhow::Result<Snapshot> {
    if let Ok(date) = output::parse_date(text) {
        check_previous(date, as_of).map_err(|e| {
            anyhow::anyhow!(
                "--previous {} is after --as-of {}: the previous report must come first",
                e.previous,
                e.as_of
            )
        })?;
        return Ok(Snapshot::from(&plan.as_it_stood(date).rate(policy)));
    }
    let path = Path::new(text);
    if !path.exists() && text.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        anyhow::bail!(
            "--previous {text:?} is neither a date (YYYY-MM-DD or DD/MM/YYYY, day first) nor a plan file"
        );
    }
    let earlier = load::load_plan(path, limits)?.plan;
    let date = FinancialQuarter::of(as_of).previous().end();
    Ok(Snapshot::from(&ragplan_core::rate(&earlier, policy, date)))
}

/// Runs `ragplan report`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let previous_file = args.previous.as_deref().map(Path::new);
    let inputs: Vec<&Path> = [Some(args.plan.as_path()), previous_file, args.template.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    output::refuse_overwriting_inputs(args.output.as_deref(), &inputs)?;
    let format = chosen_format(args.format, args.output.as_deref())?;
    let to_stdout = args.output.as_deref().is_none_or(|p| p.as_os_str() == "-");
    if args.bom && format != Format::Csv {
        anyhow::bail!(
            "--bom is for csv, which Excel reads; --format {format} has no byte-order mark"
        );
    }
    if !format.is_text() && args.output.is_none() {
        let what = if format == Format::Docx { "a Word document" } else { "a workbook" };
        anyhow::bail!(
            "--format {format} writes {what}: give -o FILE.{format} (or -o - for standard output)"
        );
    }
    let template = match &args.template {
        Some(path) => {
            let kind = match format {
                Format::Markdown => TemplateKind::Markdown,
                Format::Html => TemplateKind::Html,
                other => anyhow::bail!("--template renders md or html, not {other}"),
            };
            let bytes = load::read_source(path)?;
            let text = String::from_utf8(bytes).map_err(|e| {
                anyhow::anyhow!(
                    "{}: not UTF-8 text (byte {})",
                    path.display(),
                    e.utf8_error().valid_up_to()
                )
            })?;
            Some((path, kind, text))
        }
        None => None,
    };

    let limits = args.limits.limits();
    let loaded = load::load_plan(&args.plan, &limits)?;
    let policy = load::load_policy(args.policy.as_deref())?;
    let as_of = output::as_of_or_today(args.as_of);
    // The plan as it stood on the report's date: updates logged later are left out.
    let stood = loaded.plan.into_as_it_stood(as_of);
    let current = stood.rate(&policy);
    let previous = args
        .previous
        .as_deref()
        .map(|p| previous_snapshot(p, stood.plan(), &policy, as_of, &limits))
        .transpose()?;
    let mut options = ReportOptions::default();
    options.title = args.title.clone();
    options.action_rows = match &template {
        Some((_, _, text)) => ragplan_report::template::reads_field(text, "actions"),
        None => format.lists_actions(),
    };
    // The CSV is one row per action: it needs the ratings, not the whole report.
    let report = (format != Format::Csv || template.is_some())
        .then(|| Report::build(&current, previous.as_ref(), &options));
    if let (Some(report), Format::Xlsx, None) = (&report, format, &template) {
        for (sheet, left_out) in ragplan_report::xlsx::cut_lists(report) {
            output::print_stderr(&format!(
                "warning: sheet {sheet}: {left_out} rows do not fit (a sheet holds 1,048,576 \
                 rows) and are left out, as its last row says; --format json lists them all"
            ));
        }
    }

    let bom = if args.bom { ragplan_report::csv::BOM } else { "" };
    match (&template, &args.output, to_stdout) {
        // Into a file: written as it is made, never held whole (the CSV's rows not
        // even built all at once).
        (None, Some(path), false) => match (&report, format) {
            // A workbook's or Word document's zip is written into the file as it is made.
            (Some(report), Format::Xlsx | Format::Docx) => {
                output::write_atomic_seekable(path, |out| {
                    ragplan_report::render_to_seekable(report, format, out)
                        .map_err(std::io::Error::other)
                })?
            }
            _ => output::write_atomic_with(path, |out| {
                out.write_all(bom.as_bytes())?;
                match &report {
                    Some(report) => ragplan_report::render_to(report, format, out)
                        .map_err(std::io::Error::other),
                    None => ragplan_report::actions_csv_to(&current, out),
                }
            })?,
        },
        // To standard output, which cannot seek: the zip is made in a temporary file
        // and copied out.
        (None, _, _) if !format.is_text() => {
            let report = report.as_ref().context("a workbook or Word document is a report")?;
            output::write_seekable_stdout(|out| {
                ragplan_report::render_to_seekable(report, format, out)
                    .map_err(std::io::Error::other)
            })?;
        }
        // Text to standard output: printed as it is made, each piece as a reader's
        // text is printed (control characters filtered).
        (None, _, _) => {
            let mut out = output::TextOut::new();
            let mut text = output::TextBytes::new(&mut out);
            let made = match text.write_all(bom.as_bytes()) {
                Err(e) => Err(anyhow::Error::new(e)),
                Ok(()) => match &report {
                    Some(report) => {
                        ragplan_report::render_to(report, format, &mut text).map_err(Into::into)
                    }
                    None => ragplan_report::actions_csv_to(&current, &mut text).map_err(Into::into),
                },
            };
            let refused = text.refused();
            text.end();
            out.finish()?;
            // A stopped printing is what `finish` reported (a closed pipe is no error).
            if !refused {
                made?;
            }
        }
        (Some((path, kind, text)), _, _) => {
            let name = path
                .file_name()
                .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
            let report = report.as_ref().context("a template renders the whole report")?;
            let rendered = render_template(report, &name, text, *kind)
                .with_context(|| format!("{}: cannot render the report", path.display()))?;
            match (&args.output, to_stdout) {
                (Some(path), false) => output::write_atomic(path, rendered.as_bytes())?,
                _ => output::print_stdout(&rendered)?,
            }
        }
    }
    output::exit_without_freeing(report);
    output::exit_without_freeing(current);
    output::exit_without_freeing(stood);
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_from_flag_then_extension_then_markdown() {
        let table: &[(Option<Format>, Option<&str>, Format)] = &[
            (Some(Format::Json), Some("r.html"), Format::Json),
            (None, Some("r.html"), Format::Html),
            (None, Some("out/r.XLSX"), Format::Xlsx),
            (None, Some("q1-cabinet.docx"), Format::Docx),
            (None, Some("r.txt"), Format::Markdown),
            (None, None, Format::Markdown),
        ];
        for (flag, path, want) in table {
            let got = chosen_format(*flag, path.map(Path::new)).expect("a format");
            assert_eq!(got, *want, "{flag:?} {path:?}");
        }
    }

    /// `-o q1.docx` once wrote Markdown into a file named .docx; it writes the Word
    /// document now, and an extension that names no report format is refused.
    #[test]
    fn o_q1_docx_wrote_markdown_into_a_docx_file() {
        assert_eq!(chosen_format(None, Some(Path::new("out/q1.docx"))).ok(), Some(Format::Docx));
        let err = chosen_format(None, Some(Path::new("out/q1.pdf"))).unwrap_err();
        assert_eq!(
            err.to_string(),
            "-o out/q1.pdf: ragplan writes no .pdf report (it writes md, html, csv, xlsx, docx \
             or json); name the file for one of those, or give --format"
        );
        assert_eq!(
            chosen_format(Some(Format::Markdown), Some(Path::new("q1.docx"))).ok(),
            Some(Format::Markdown)
        );
    }
}
