//! The one-row-per-action CSV: the `csv` format of `ragplan report`, and what
//! `ragplan status --format csv` writes.
//!
//! A CSV is opened in Excel or LibreOffice, which run a cell that begins with `=`,
//! `+`, `-` or `@` (or a tab or carriage return) as a formula. The text in a plan
//! comes from analysts' spreadsheets and other councils' systems, so every text cell
//! goes through [`text_cell`], which writes such a cell with a leading `'` (OWASP's
//! defence against "CSV injection"). The values ragplan spells itself (the dates)
//! are written as they are.

use std::borrow::{Borrow, Cow};
use std::io::Write;

use chrono::NaiveDate;

use crate::content::ActionRow;
use crate::error::{ReportError, Result};

/// The columns that say which plan and which date each row is from, first in the
/// CSV: a BI tool appends quarter after quarter, and plan after plan, into one table.
pub const PLAN_COLUMNS: [&str; 2] = ["plan_id", "as_of"];

/// The header of the actions CSV, in column order: [`PLAN_COLUMNS`], then
/// [`ACTION_COLUMNS`].
pub const ACTIONS_CSV_HEADER: [&str; PLAN_COLUMNS.len() + ACTION_COLUMNS.len()] = {
    let mut header = [""; PLAN_COLUMNS.len() + ACTION_COLUMNS.len()];
    let mut i = 0;
    while i < header.len() {
        header[i] = if i < PLAN_COLUMNS.len() {
            PLAN_COLUMNS[i]
        } else {
            ACTION_COLUMNS[i - PLAN_COLUMNS.len()]
        };
        i += 1;
    }
    header
};

/// A UTF-8 byte-order mark, which Excel on Windows needs before a CSV to read it as
/// UTF-8 (without it, `£` and curly quotes come out as two or three other letters).
/// `ragplan report --bom` and `ragplan status --format csv --bom` write it first.
pub const BOM: &str = "\u{feff}";

/// The columns of one action, in order: the actions CSV after its
/// [`PLAN_COLUMNS`], and the XLSX report's Actions sheet.
pub const ACTION_COLUMNS: [&str; 15] = [
    "key",
    "objective",
    "sub_objective",
    "action",
    "delivery",
    "outcome",
    "status",
    "accountable",
    "responsible",
    "partners",
    "timescale",
    "due",
    "flags",
    "reason",
    "latest_note",
];

pub use ragplan_core::{FORMULA_STARTS, text_cell};

/// Writes `rows` as CSV with [`ACTIONS_CSV_HEADER`]: on every row the plan's id and
/// the as-of date (`YYYY-MM-DD`), then ratings as words (`Amber/Red`), lists joined
/// with `"; "`, the due date as `YYYY-MM-DD`, and the first reason for the delivery
/// rating. Line ends are `\n`; fields are quoted only when they need it. Every column
/// but the two dates, `as_of` and `due`, is text, written through [`text_cell`].
///
/// # Errors
/// [`ReportError::Csv`] if the CSV writer fails (it writes to memory, so it does not in
/// practice).
pub fn write_actions_csv(plan_id: &str, as_of: NaiveDate, rows: &[ActionRow]) -> Result<String> {
    let mut bytes = Vec::new();
    write_actions_csv_to(plan_id, as_of, rows, &mut bytes)
        .map_err(|e| ReportError::Csv(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| ReportError::Csv(e.to_string()))
}

/// [`write_actions_csv`] streamed into `out` as the rows come, so that the rows of a
/// big plan are never all held at once.
///
/// # Errors
/// When `out` cannot be written.
pub fn write_actions_csv_to(
    plan_id: &str,
    as_of: NaiveDate,
    rows: impl IntoIterator<Item = impl Borrow<ActionRow>>,
    out: impl Write,
) -> std::io::Result<()> {
    let mut writer =
        csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(out);
    writer.write_record(ACTIONS_CSV_HEADER).map_err(io_error)?;
    let as_of = as_of.to_string();
    for row in rows {
        let row = row.borrow();
        let due = row.due.map(|d| d.to_string()).unwrap_or_default();
        // In `ACTIONS_CSV_HEADER`'s order; the dates are values, the rest text.
        let record: [Cow<'_, str>; ACTIONS_CSV_HEADER.len()] = [
            text_cell(plan_id),
            Cow::Borrowed(&as_of),
            text_cell(row.key.as_str()),
            text_cell(&row.objective),
            text_cell(row.sub_objective.as_deref().unwrap_or("")),
            text_cell(&row.title),
            text_cell(row.delivery.label()),
            text_cell(row.outcome.label()),
            text_cell(&row.status),
            text_cell(row.accountable.join("; ")),
            text_cell(row.responsible.join("; ")),
            text_cell(row.partners.join("; ")),
            text_cell(&row.timescale),
            Cow::Borrowed(&due),
            text_cell(row.flags.join("; ")),
            text_cell(&row.reason),
            text_cell(row.latest_note.as_deref().unwrap_or("")),
        ];
        writer.write_record(record.iter().map(|cell| cell.as_bytes())).map_err(io_error)?;
    }
    writer.flush()
}

/// The writer's error as it came from `out` (a closed pipe stays a
/// [`std::io::ErrorKind::BrokenPipe`], which the caller may pass over), or as text.
fn io_error(err: csv::Error) -> std::io::Error {
    let text = err.to_string();
    match err.into_kind() {
        csv::ErrorKind::Io(io) => io,
        _ => std::io::Error::other(text),
    }
}
