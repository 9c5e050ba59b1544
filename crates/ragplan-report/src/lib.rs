//! The quarterly progress report of a multi-agency action plan, written from the
//! plan's [`Ratings`](ragplan_core::Ratings): Markdown for committee papers, one
//! self-contained accessible HTML file, a one-row-per-action CSV, an XLSX workbook, a
//! Word committee paper (DOCX) and JSON.
//!
//! # Overview
//!
//! A report is a function of `(Ratings, previous Snapshot?)`: the plan comes with its
//! ratings ([`Ratings::plan`](ragplan_core::Ratings::plan)). [`Report::build`] gathers
//! what it says into one [`Report`] value — the headline ratings and counts, movement
//! since the previous report, exceptions with the sentence that explains each, each
//! objective's table, and what each accountable owner and partner holds — and
//! [`render`] writes it in a [`Format`]. The JSON format *is* that value, so other
//! systems see exactly what the templates see. Every part reads its node from the
//! ratings by the node's place in the plan, so two nodes that share a key keep their
//! own details; nothing here rates anything.
//!
//! - [`chip()`] and [`mod@chip`]: the shape and word of each rating (■ RED, ▲ AMBER, ● GREEN, ✓ COMPLETE,
//!   ○ NOT RATED …), the same wherever ragplan shows a rating; colour only adds to them.
//! - [`template`]: Markdown and HTML come from minijinja templates shipped in the crate;
//!   a council can render the same data with its own template.
//! - [`Portfolio`]: many plans rated together (`ragplan status --portfolio`, `GET
//!   /v1/portfolio`): each plan's ratings, the worst actions across them, the
//!   roll-up of the plans by the policy's plan rule.
//! - [`actions_csv`]: the one-row-per-action CSV, also written by `ragplan status
//!   --format csv`; a text cell a spreadsheet would run as a formula (`=1+1`) is
//!   written with a `'` before it ([`csv::text_cell`]).
//! - [`xlsx`]: the workbook (Summary, Actions, Exceptions, Movement, By owner, By
//!   partner, Trend), each list an Excel Table.
//! - [`docx`]: the committee paper (title block, summary, movement, exceptions, then
//!   on landscape pages each objective's table, owners, partners and the trend).
//! - [`calendar`]: the due dates of open actions as an iCalendar document.
//!
//! # Example
//!
//! ```
//! use chrono::NaiveDate;
//! use ragplan_core::{Policy, Snapshot, generate::synthetic_plan, rate};
//! use ragplan_report::{Format, Report, ReportOptions, render};
//!
//! let plan = synthetic_plan(30, 3, 42);
//! let policy = Policy::default();
//! let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
//!
//! // This quarter, and the plan as it stood at the end of the last one (from its
//! // update log).
//! let now = rate(&plan, &policy, day(2015, 9, 30));
//! let before = Snapshot::from(&plan.as_it_stood(day(2015, 6, 30)).rate(&policy));
//!
//! let mut options = ReportOptions::default();
//! options.title = Some("CSE delivery plan: Q2 update".into());
//! let report = Report::build(&now, Some(&before), &options);
//! assert_eq!(report.quarter, "Q2 2015/16");
//!
//! let markdown = String::from_utf8(render(&report, Format::Markdown)?).unwrap();
//! assert!(markdown.starts_with("# CSE delivery plan: Q2 update"));
//! let html = String::from_utf8(render(&report, Format::Html)?).unwrap();
//! assert!(html.starts_with("<!DOCTYPE html>"));
//! let xlsx = render(&report, Format::Xlsx)?;
//! assert_eq!(&xlsx[..2], b"PK"); // a zip file
//! let docx = render(&report, Format::Docx)?;
//! assert_eq!(&docx[..2], b"PK"); // a zip file too
//! # Ok::<(), ragplan_report::ReportError>(())
//! ```
#![deny(missing_docs)]

mod build;
pub mod calendar;
pub mod chip;
pub mod content;
pub mod csv;
pub mod docx;
mod error;
pub mod portfolio;
mod stopping;
pub mod svg;
pub mod template;
mod values;
pub mod xlsx;

use std::fmt;
use std::str::FromStr;

pub use build::{
    MAX_TREND_QUARTERS, ReportOptions, SummaryParts, action_rows, actions_csv, actions_csv_to,
    data_gaps,
};
pub use chip::{Chip, chip};
pub use content::{REPORT_FORMAT, Report, SUMMARY_FORMAT, Summary};
pub use error::{ReportError, Result};
pub use portfolio::{PORTFOLIO_FORMAT, Portfolio};

/// A report format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// GitHub-flavoured Markdown.
    Markdown,
    /// One self-contained HTML file.
    Html,
    /// One row per action.
    Csv,
    /// An XLSX workbook.
    Xlsx,
    /// A Word document: the committee paper.
    Docx,
    /// The report's data as JSON.
    Json,
}

impl Format {
    /// Every format.
    pub const ALL: [Format; 6] =
        [Format::Markdown, Format::Html, Format::Csv, Format::Xlsx, Format::Docx, Format::Json];

    /// The name used on the command line: `md`, `html`, `csv`, `xlsx`, `docx`, `json`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Docx => "docx",
            Format::Json => "json",
        }
    }

    /// Whether the format shows every action's row ([`Report::actions`]): the CSV,
    /// the workbook's Actions sheet and the JSON do.
    pub fn lists_actions(self) -> bool {
        matches!(self, Format::Csv | Format::Xlsx | Format::Json)
    }

    /// The file extension (the same as [`Format::as_str`]).
    pub fn extension(self) -> &'static str {
        self.as_str()
    }

    /// Whether the format is text (all but XLSX and DOCX).
    pub fn is_text(self) -> bool {
        !matches!(self, Format::Xlsx | Format::Docx)
    }

    /// The media type a report in this format is served as (`Content-Type`).
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Markdown => "text/markdown; charset=utf-8",
            Format::Html => "text/html; charset=utf-8",
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            Format::Json => "application/json",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A string that is not a report format.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a report format (expected md, html, csv, xlsx, docx or json)")]
pub struct ParseFormatError(pub String);

impl FromStr for Format {
    type Err = ParseFormatError;

    fn from_str(text: &str) -> Result<Format, ParseFormatError> {
        match text.trim().to_ascii_lowercase().as_str() {
            "md" | "markdown" => Ok(Format::Markdown),
            "html" | "htm" => Ok(Format::Html),
            "csv" => Ok(Format::Csv),
            "xlsx" | "excel" => Ok(Format::Xlsx),
            "docx" | "word" => Ok(Format::Docx),
            "json" => Ok(Format::Json),
            _ => Err(ParseFormatError(text.to_owned())),
        }
    }
}

/// Writes `report` in `format`: UTF-8 text for every format but XLSX and DOCX.
///
/// # Errors
/// [`ReportError`] if a writer fails (the shipped templates and writers do not on any
/// report; the error names the part that failed).
pub fn render(report: &Report<'_>, format: Format) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    render_to(report, format, &mut out)?;
    Ok(out)
}

/// [`render`] written into `out`: the text formats as they are made, never held
/// whole (the workbook and the Word document are zips, made whole first; see
/// [`render_to_seekable`]).
///
/// # Errors
/// As [`render`], and [`ReportError::Write`] when `out` cannot be written.
pub fn render_to(report: &Report<'_>, format: Format, mut out: impl std::io::Write) -> Result<()> {
    use template::{HTML_TEMPLATE, MARKDOWN_TEMPLATE, TemplateKind, render_template_to};
    let write = |e: std::io::Error| ReportError::Write(e.to_string());
    match format {
        Format::Markdown => {
            render_template_to(report, "report.md", MARKDOWN_TEMPLATE, TemplateKind::Markdown, out)
        }
        Format::Html => {
            render_template_to(report, "report.html", HTML_TEMPLATE, TemplateKind::Html, out)
        }
        Format::Csv => {
            csv::write_actions_csv_to(&report.plan.id, report.as_of, report.actions.iter(), out)
                .map_err(|e| ReportError::Csv(e.to_string()))
        }
        Format::Xlsx => out.write_all(&xlsx::write_xlsx(report)?).map_err(write),
        Format::Docx => out.write_all(&docx::write_docx(report)?).map_err(write),
        Format::Json => {
            let pretty = ragplan_core::document::JsonStyle::Pretty;
            ragplan_core::document::write_json(report, &mut out, pretty)
                .map_err(|e| ReportError::Json(e.to_string()))
        }
    }
}

/// [`render_to`] into a file or anything else that can seek: the workbook and the
/// Word document (zips) are then written into `out` as they are made, where
/// [`render_to`] makes them whole first.
///
/// # Errors
/// As [`render_to`].
pub fn render_to_seekable(
    report: &Report<'_>,
    format: Format,
    mut out: impl std::io::Write + std::io::Seek,
) -> Result<()> {
    match format {
        Format::Xlsx => xlsx::write_xlsx_to(report, &mut out).map(drop),
        Format::Docx => docx::write_docx_to(report, &mut out).map(drop),
        _ => render_to(report, format, out),
    }
}

/// The report's data as pretty JSON with a final newline (the `json` format).
///
/// # Errors
/// [`ReportError::Json`] if serialisation fails (it does not for a built report).
pub fn to_json(report: &Report<'_>) -> Result<String> {
    let mut out = Vec::new();
    let pretty = ragplan_core::document::JsonStyle::Pretty;
    ragplan_core::document::write_json(report, &mut out, pretty)
        .map_err(|e| ReportError::Json(e.to_string()))?;
    String::from_utf8(out).map_err(|e| ReportError::Json(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_parse_and_print() {
        for format in Format::ALL {
            assert_eq!(format.as_str().parse::<Format>(), Ok(format));
            assert_eq!(format.to_string(), format.as_str());
        }
        assert_eq!("Markdown".parse::<Format>(), Ok(Format::Markdown));
        let err = "pdf".parse::<Format>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "\"pdf\" is not a report format (expected md, html, csv, xlsx, docx or json)"
        );
    }
}
