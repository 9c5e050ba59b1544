//! The one-row-per-action CSV: the `csv` format of `ragplan report`, and what
//! `ragplan status --format csv` writes.

use crate::content::ActionRow;
use crate::error::{ReportError, Result};

/// The header of the actions CSV, in column order.
pub const ACTIONS_CSV_HEADER: [&str; 15] = [
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

/// Writes `rows` as CSV with [`ACTIONS_CSV_HEADER`]: ratings as words (`Amber/Red`),
/// lists joined with `"; "`, the due date as `YYYY-MM-DD`, and the first reason for the
/// delivery rating. Line ends are `\n`; fields are quoted only when they need it.
///
/// # Errors
/// [`ReportError::Csv`] if the CSV writer fails (it writes to memory, so it does not in
/// practice).
pub fn write_actions_csv(rows: &[ActionRow]) -> Result<String> {
    let mut writer =
        csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    let csv_err = |e: csv::Error| ReportError::Csv(e.to_string());
    writer.write_record(ACTIONS_CSV_HEADER).map_err(csv_err)?;
    for row in rows {
        let due = row.due.map(|d| d.to_string()).unwrap_or_default();
        writer
            .write_record([
                row.key.as_str(),
                row.objective.as_str(),
                row.sub_objective.as_deref().unwrap_or(""),
                row.title.as_str(),
                row.delivery.label,
                row.outcome.label,
                row.status.as_str(),
                row.accountable.join("; ").as_str(),
                row.responsible.join("; ").as_str(),
                row.partners.join("; ").as_str(),
                row.timescale.as_str(),
                due.as_str(),
                row.flags.join("; ").as_str(),
                row.reason.as_str(),
                row.latest_note.as_deref().unwrap_or(""),
            ])
            .map_err(csv_err)?;
    }
    let bytes = writer.into_inner().map_err(|e| ReportError::Csv(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| ReportError::Csv(e.to_string()))
}
