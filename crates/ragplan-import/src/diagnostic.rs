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

/// What a [`Diagnostic`] is about: one variant per kind of guess or oddity, each with a
/// stable kebab-case spelling (`owner-split`) that is what JSON, the CLI and the API
/// show. The spelling is written once, here; new codes may be added, never renamed.
///
/// # Example
/// ```
/// use ragplan_import::DiagnosticCode;
/// assert_eq!(DiagnosticCode::OwnerSplit.as_str(), "owner-split");
/// assert_eq!(DiagnosticCode::ScaleDca5.to_string(), "scale-dca5");
/// assert_eq!(serde_json::to_string(&DiagnosticCode::NotUtf8).ok().as_deref(), Some("\"not-utf8\""));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum DiagnosticCode {
    /// A header cell read as a field by a close spelling of one of its synonyms.
    FuzzyHeader,
    /// A second column of a field: it fills the field where the first is empty.
    FallbackColumn,
    /// A fallback column's cell filled a field its first column left empty.
    FallbackUsed,
    /// The source is not what its file's extension names (a Word document saved
    /// as `.xlsx`): it was read as what it is.
    NotAsNamed,
    /// A column headed `Status` beside another rating column is read as the
    /// actions' status, not as a second rating.
    StatusBesideRating,
    /// No column has the header `--group-by` names.
    GroupByMissing,
    /// A header row starting the columns of the next table.
    TableHeader,
    /// A repeated header row (a page break) skipped.
    RepeatedHeader,
    /// A bold header word removed from a cell.
    HeaderInCell,
    /// A row of table rule characters (`|---|`) skipped.
    RuleRow,
    /// A row shifted one column left moved back into place.
    ShiftedRow,
    /// Text outside the table kept as a note of its objective.
    TextRow,
    /// An objective cell repeating the objective above: the row continues it.
    SameObjective,
    /// A sub-objective cell repeating the one above: the row continues it.
    SameSubObjective,
    /// A cell beyond the header's columns kept as a note.
    ExtraCell,
    /// A page marker (`Page 15`) skipped.
    PageMarker,
    /// A cell read as several actions, one for each rating beside it.
    SplitActions,
    /// A row with no action added to the action above (a cell split across a page).
    ContinuationRow,
    /// A row with no action and none above kept as a note of its sub-objective.
    RowWithoutAction,
    /// Words opening an action cell after a page break added back to the action above.
    CarriedWords,
    /// A key cell that is not a valid key; the action is keyed by position, the
    /// measure by the next free `M` number.
    BadKey,
    /// A source key already used elsewhere in the plan; the action is keyed by
    /// position, the measure by the next free `M` number.
    DuplicateKeyRenumbered,
    /// A status cell that is not a status, kept as a note.
    UnknownStatus,
    /// A start, review or as-at date cell that is not a date.
    NotADate,
    /// A weight cell that is not a whole number from 1.
    NotAWeight,
    /// A critical cell that is neither yes nor no.
    NotYesOrNo,
    /// A progress cell holding a number that is not a percentage from 0 to 100.
    NotAPercentage,
    /// A dependency that names no action of the plan.
    UnknownDependency,
    /// A target, actual or tolerance cell that is not a number; a target that is
    /// not makes no measure.
    NotANumber,
    /// An indicator with no target: no measure is made, its cells kept as notes.
    NoTarget,
    /// A direction cell that says neither higher nor lower is better.
    NotADirection,
    /// An indicator with no direction: higher is taken as better.
    DirectionAssumed,
    /// A value with no as-at date, dated the plan's report date.
    ReadingOnReportDate,
    /// A value with no as-at date in a plan with no report date: kept as a note.
    UndatedReading,
    /// A timescale not understood; its text is kept.
    UnresolvedTimescale,
    /// An exemption (`No DCA`) read as Not rated, its text kept.
    ExemptRating,
    /// A rating cell that is not a rating, kept as a note.
    NotARating,
    /// Several ratings beside one action: the first is used, the cell kept.
    RatingsUnsplit,
    /// An owners cell split into several owners.
    OwnerSplit,
    /// A person and their role kept as one owner.
    OwnerRoleKept,
    /// A placeholder owner (`TBC`, `N/A`, `To be confirmed`) read as no owner, the
    /// cell kept as written.
    OwnerPlaceholder,
    /// A placeholder partner (`TBC`, `N/A`, `None`) read as no partner, the cell
    /// kept as written.
    PartnerPlaceholder,
    /// A person a paper names above its table (`Chair:`, `Lead Officer:`) taken as
    /// the owner of the actions of a table with no column for them.
    OwnerFromPaper,
    /// A partners cell split into several partners.
    PartnerSplit,
    /// A partner not in the vocabulary, kept as written.
    PartnerUnknown,
    /// A table with a header but no action under it.
    NoActions,
    /// An Amber/Red or Amber/Green rating made the plan rate on the DCA5 scale.
    ScaleDca5,
    /// A Complete (Blue) rating made the plan rate on the BRAG scale.
    ScaleBrag,
    /// The plan's report date taken from a date in its title or preamble.
    ReportedOnFromSource,
    /// A recommendation with no number numbered after the one above.
    UnnumberedRecommendation,
    /// A lettered sub-item placed under the recommendation its number names.
    SubItemNumber,
    /// A wrapped line of a list joined to the line above.
    JoinedLine,
    /// Text in a list kept as a note of its recommendation.
    TextLine,
    /// The lines of a paper taken as its plan, and those skipped.
    PaperExtract,
    /// The plans a paper holds, when it holds several.
    PaperPlans,
    /// A Word table joined to the one above (a page break).
    TableContinued,
    /// Merged cells of a Word table filled with the merge's text.
    MergedCells,
    /// Merged cells left empty: the copies passed their budget.
    MergeNotFilled,
    /// A Word cell claiming more columns than a table has, read as the most it may.
    GridSpanCapped,
    /// A quote never closed: the rest of the file was read as one cell.
    UnclosedQuote,
    /// Text after a quoted cell's closing quote, joined to the quoted text.
    TextAfterQuote,
    /// A cell over 10,000 characters: an unclosed quote may have joined rows.
    LongCell,
    /// Which sheet of a workbook of several was read.
    Sheet,
    /// Another sheet of the workbook also holds a table.
    OtherSheetTable,
    /// Text read as UTF-16, as its byte-order mark says.
    Encoding,
    /// Bytes that are not UTF-8 read as Windows-1252.
    NotUtf8,
    /// A table whose header runs down its first column, read one action per column.
    Transposed,
    /// A re-import kept a field a later logged update set.
    UpdateKept,
    /// A re-import kept a rating, status or progress the stored plan's table
    /// reported, against a newer table reported before it or with no report date.
    ReportKept,
    /// A field set by `ragplan edit` after the newer table was reported (or when it
    /// has no report date) stood against the table's value.
    EditKept,
}

impl DiagnosticCode {
    /// The code as written on the wire: `owner-split`, `unresolved-timescale`.
    pub fn as_str(self) -> &'static str {
        match self {
            DiagnosticCode::FuzzyHeader => "fuzzy-header",
            DiagnosticCode::FallbackColumn => "fallback-column",
            DiagnosticCode::FallbackUsed => "fallback-used",
            DiagnosticCode::NotAsNamed => "not-as-named",
            DiagnosticCode::StatusBesideRating => "status-beside-rating",
            DiagnosticCode::GroupByMissing => "group-by-missing",
            DiagnosticCode::TableHeader => "table-header",
            DiagnosticCode::RepeatedHeader => "repeated-header",
            DiagnosticCode::HeaderInCell => "header-in-cell",
            DiagnosticCode::RuleRow => "rule-row",
            DiagnosticCode::ShiftedRow => "shifted-row",
            DiagnosticCode::TextRow => "text-row",
            DiagnosticCode::SameObjective => "same-objective",
            DiagnosticCode::SameSubObjective => "same-sub-objective",
            DiagnosticCode::ExtraCell => "extra-cell",
            DiagnosticCode::PageMarker => "page-marker",
            DiagnosticCode::SplitActions => "split-actions",
            DiagnosticCode::ContinuationRow => "continuation-row",
            DiagnosticCode::RowWithoutAction => "row-without-action",
            DiagnosticCode::CarriedWords => "carried-words",
            DiagnosticCode::BadKey => "bad-key",
            DiagnosticCode::DuplicateKeyRenumbered => "duplicate-key-renumbered",
            DiagnosticCode::UnknownStatus => "unknown-status",
            DiagnosticCode::NotADate => "not-a-date",
            DiagnosticCode::NotAWeight => "not-a-weight",
            DiagnosticCode::NotYesOrNo => "not-yes-or-no",
            DiagnosticCode::NotAPercentage => "not-a-percentage",
            DiagnosticCode::UnknownDependency => "unknown-dependency",
            DiagnosticCode::NotANumber => "not-a-number",
            DiagnosticCode::NoTarget => "no-target",
            DiagnosticCode::NotADirection => "not-a-direction",
            DiagnosticCode::DirectionAssumed => "direction-assumed",
            DiagnosticCode::ReadingOnReportDate => "reading-on-report-date",
            DiagnosticCode::UndatedReading => "undated-reading",
            DiagnosticCode::UnresolvedTimescale => "unresolved-timescale",
            DiagnosticCode::ExemptRating => "exempt-rating",
            DiagnosticCode::NotARating => "not-a-rating",
            DiagnosticCode::RatingsUnsplit => "ratings-unsplit",
            DiagnosticCode::OwnerSplit => "owner-split",
            DiagnosticCode::OwnerRoleKept => "owner-role-kept",
            DiagnosticCode::OwnerPlaceholder => "owner-placeholder",
            DiagnosticCode::PartnerPlaceholder => "partner-placeholder",
            DiagnosticCode::OwnerFromPaper => "owner-from-paper",
            DiagnosticCode::PartnerSplit => "partner-split",
            DiagnosticCode::PartnerUnknown => "partner-unknown",
            DiagnosticCode::NoActions => "no-actions",
            DiagnosticCode::ScaleDca5 => "scale-dca5",
            DiagnosticCode::ScaleBrag => "scale-brag",
            DiagnosticCode::ReportedOnFromSource => "reported-on-from-source",
            DiagnosticCode::UnnumberedRecommendation => "unnumbered-recommendation",
            DiagnosticCode::SubItemNumber => "sub-item-number",
            DiagnosticCode::JoinedLine => "joined-line",
            DiagnosticCode::TextLine => "text-line",
            DiagnosticCode::PaperExtract => "paper-extract",
            DiagnosticCode::PaperPlans => "paper-plans",
            DiagnosticCode::TableContinued => "table-continued",
            DiagnosticCode::MergedCells => "merged-cells",
            DiagnosticCode::MergeNotFilled => "merge-not-filled",
            DiagnosticCode::GridSpanCapped => "grid-span-capped",
            DiagnosticCode::UnclosedQuote => "unclosed-quote",
            DiagnosticCode::TextAfterQuote => "text-after-quote",
            DiagnosticCode::LongCell => "long-cell",
            DiagnosticCode::Sheet => "sheet",
            DiagnosticCode::OtherSheetTable => "other-sheet-table",
            DiagnosticCode::Encoding => "encoding",
            DiagnosticCode::NotUtf8 => "not-utf8",
            DiagnosticCode::Transposed => "transposed",
            DiagnosticCode::UpdateKept => "update-kept",
            DiagnosticCode::ReportKept => "report-kept",
            DiagnosticCode::EditKept => "edit-kept",
        }
    }
}

impl fmt::Display for DiagnosticCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for DiagnosticCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// A code compares equal to its wire spelling.
impl PartialEq<str> for DiagnosticCode {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

/// A code compares equal to its wire spelling.
impl PartialEq<&str> for DiagnosticCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// One guess or oddity met while importing, with where it was met.
///
/// Displays as `warning[code] row R, column "C": message`.
///
/// # Example
/// ```
/// use ragplan_import::{Diagnostic, DiagnosticCode, Severity};
/// let d = Diagnostic::warning(DiagnosticCode::PageMarker, "page marker skipped")
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
    /// What it is about: a stable code, such as `owner-split` or
    /// `unresolved-timescale` on the wire.
    pub code: DiagnosticCode,
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
    pub fn warning(code: DiagnosticCode, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            code,
            row: None,
            column: None,
            message: message.into(),
            text: None,
        }
    }

    /// An informational note with a code and message.
    pub fn info(code: DiagnosticCode, message: impl Into<String>) -> Diagnostic {
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
