//! The errors of writing a report.

/// What went wrong writing a report.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    /// A template did not parse or failed to render; the message names the template
    /// and the line.
    #[error("template {name}: {message}")]
    Template {
        /// The template's name (the file name of a council's own template).
        name: String,
        /// What the template engine said, with the line.
        message: String,
    },
    /// The spreadsheet could not be written.
    #[error("writing the spreadsheet{}: {message}", sheet.map(|s| format!(", sheet {s}")).unwrap_or_default())]
    Xlsx {
        /// The sheet being written, when one was.
        sheet: Option<&'static str>,
        /// What went wrong.
        message: String,
    },
    /// The Word document could not be written.
    #[error("writing the Word document, {part}: {message}")]
    Docx {
        /// The part being written.
        part: &'static str,
        /// What went wrong.
        message: String,
    },
    /// The CSV could not be written.
    #[error("writing the CSV: {0}")]
    Csv(String),
    /// The JSON could not be written.
    #[error("writing the JSON: {0}")]
    Json(String),
    /// The report could not be written where it was going.
    #[error("writing the report: {0}")]
    Write(String),
}

/// A `Result` whose error is [`ReportError`].
pub type Result<T, E = ReportError> = std::result::Result<T, E>;
