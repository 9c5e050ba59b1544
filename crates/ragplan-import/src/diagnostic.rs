//! Diagnostics: every guess the importer makes, with the source row, column and text.

use std::fmt;

use serde::Serialize;

/// How much a [`Diagnostic`] matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Something worth knowing that is not a guess.
    Info,
    /// A guess the importer made; `--strict` turns these into errors.
    Warning,
}

impl Severity {
    /// The word used in messages: `info` or `warning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
        }
    }
}

/// One guess or oddity met while importing, with where it was met.
///
/// Displays as `warning[code] row R, column "C": message`.
///
/// # Example
/// ```
/// use ragplan_import::{Diagnostic, Severity};
/// let d = Diagnostic::warning("page-marker", "page marker skipped")
///     .at_row(3)
///     .at_column("column 1")
///     .with_text("Page 15");
/// assert_eq!(d.to_string(), r#"warning[page-marker] row 3, column "column 1": page marker skipped"#);
/// assert_eq!(d.severity, Severity::Warning);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Info or warning.
    pub severity: Severity,
    /// A stable code, such as `owner-split` or `unresolved-timescale`.
    pub code: String,
    /// The source row (1-based line of a text source, row number of a sheet).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<usize>,
    /// The source column, named by its header (or `column N` when it has none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// What happened, in one sentence.
    pub message: String,
    /// The source text concerned, quoted as found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

impl Diagnostic {
    /// A warning with a code and message, and no place yet.
    pub fn warning(code: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            code: code.to_owned(),
            row: None,
            column: None,
            message: message.into(),
            text: None,
        }
    }

    /// An informational note with a code and message.
    pub fn info(code: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic { severity: Severity::Info, ..Diagnostic::warning(code, message) }
    }

    /// The same diagnostic at source row `row`.
    pub fn at_row(mut self, row: usize) -> Diagnostic {
        self.row = Some(row);
        self
    }

    /// The same diagnostic in column `column`.
    pub fn at_column(mut self, column: impl Into<String>) -> Diagnostic {
        self.column = Some(column.into());
        self
    }

    /// The same diagnostic quoting `text`.
    pub fn with_text(mut self, text: impl Into<String>) -> Diagnostic {
        self.text = Some(text.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}[{}]", self.severity.as_str(), self.code)?;
        match (&self.row, &self.column) {
            (Some(row), Some(column)) => write!(f, " row {row}, column {column:?}")?,
            (Some(row), None) => write!(f, " row {row}")?,
            (None, Some(column)) => write!(f, " column {column:?}")?,
            (None, None) => {}
        }
        write!(f, ": {}", self.message)
    }
}
