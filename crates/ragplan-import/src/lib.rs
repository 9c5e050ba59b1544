//! Import the plans LSCB analysts already have — delivery-plan tables (TSV, CSV,
//! XLSX, Word, Markdown), recommendation lists and ragplan JSON — into a ragplan
//! [`Plan`], without losing a word.
//!
//! # Overview
//!
//! - [`import`] reads a source from bytes (the caller reads the file) into an
//!   [`Imported`]: the plan and a list of [`Diagnostic`]s, one for every guess made
//!   (a split cell, a shifted row, a header recognised by its spelling, a skipped page
//!   marker, a timescale that could not be resolved), each with its row, column and
//!   the text concerned.
//! - Headers are matched by the words users write ([`Field::synonyms`]), ignoring
//!   case, punctuation, HTML tags and spacing; [`ImportOptions::map`] adds or
//!   overrides, [`ImportOptions::group_by`] makes objectives from a column's values.
//! - A row whose indicator cell is filled makes a measure of the sub-objective (or
//!   objective) it sits under, with its target, direction, tolerance, unit and latest
//!   value as a dated reading, so that the parent's outcome is rated from it.
//! - Import never loses text: every non-empty cell ends up in a field of the plan, in
//!   a node's `unmapped` notes, or — for skipped header rows and page markers only —
//!   quoted in a diagnostic.
//! - [`reimport`] merges a newer version of the same table into a stored plan,
//!   keeping updates, overrides and history; [`export`] writes a plan back to a
//!   delimited table in the layout it came from, so import → export → import is a
//!   fixed point.
//!
//! # Example
//!
//! ```
//! use ragplan_core::{OwnerKind, Rating};
//! use ragplan_import::{ImportOptions, import};
//!
//! let source = "Sub Objectives\tActions\tAction RAG\tAccountable\tTimescale\n\
//!               Prevent\tInformation sharing agreement\tRed\tJayne Hutchings\tMay 2015\n\
//!               \tReporting to the LSCB\tGreen\tWMP\tSpring 2016ish\n";
//! let imported = import(source.as_bytes(), &ImportOptions::default())?;
//! let plan = &imported.plan;
//! assert_eq!(plan.n_actions(), 2);
//!
//! // The blank sub-objective cell continues the one above.
//! let prevent = &plan.objectives[0].sub_objectives[0];
//! assert_eq!(prevent.title, "Prevent");
//! assert_eq!(prevent.actions[1].action_rag, Some(Rating::Green));
//! assert_eq!(prevent.actions[1].accountable[0].kind, OwnerKind::Role);
//!
//! // A timescale it could not resolve is kept, with a diagnostic.
//! assert_eq!(imported.diagnostics[0].to_string(),
//!     r#"warning[unresolved-timescale] row 3, column "Timescale": timescale not understood; the text is kept"#);
//! # Ok::<(), ragplan_import::ImportError>(())
//! ```
#![deny(missing_docs)]

mod columns;
mod decoding;
mod delimited;
mod diagnostic;
mod docx;
mod export;
mod field;
mod grid;
mod limits;
mod markdown;
mod owner;
mod paper;
mod partner;
mod people;
mod records;
mod reimport;
mod reported;
mod table;
mod text;
mod transpose;
mod xlsx;

use std::borrow::Cow;
use std::fmt;
use std::num::NonZeroUsize;
use std::str::FromStr;

use chrono::NaiveDate;
use decoding::{decode, decode_bytes, report_decoding};
use ragplan_core::{DocumentError, Key, Plan, PlanId, Rating, Scale};

pub use delimited::{ParseDelimiterError, parse_delimiter};
pub use diagnostic::{Diagnostic, DiagnosticCode, Severity};
pub use export::{ExportFormat, ParseExportFormatError, export};
pub use field::{Field, ParseFieldError};
pub use limits::{LimitInfo, Limits, ParseLimitError, UnknownLimit, parse_limit};
pub use partner::AGENCIES as PARTNER_AGENCIES;

/// An owner named by `name`, as the importer reads a cell naming one: a role, team
/// or agency (`LSCB Business Manager`, `CSE Co-ordinator`) or a person (`DCI
/// Handson`, `Mandie Watson`).
///
/// # Example
/// ```
/// use ragplan_core::OwnerKind;
/// assert_eq!(ragplan_import::classify_owner("LSCB Business Manager").kind, OwnerKind::Role);
/// assert_eq!(ragplan_import::classify_owner("Mandie Watson").kind, OwnerKind::Person);
/// ```
pub fn classify_owner(name: &str) -> ragplan_core::Owner {
    owner::classify(name.trim())
}
pub use reimport::{Change, ChangeKind, MatchBy, ReimportOptions, Reimported, reimport};

/// The metadata entry that keeps the source's column layout, for [`export`]: an
/// array of one object a source column, in order, with its `header` as written and
/// the `field` it filled (left out for a column kept as notes). A plan written by an
/// earlier version keeps it as text, one `header<TAB>field` a line, read too.
pub const LAYOUT_KEY: &str = "import.layout";
/// The metadata entry that names the file a plan was imported from.
pub const SOURCE_KEY: &str = "import.source";
/// The metadata entry that says whether action keys came from the source
/// (`source`) or were given by position (`positional`), for [`reimport`].
pub const KEYS_KEY: &str = "import.keys";

/// The kind of a source.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SourceFormat {
    /// Decided from the file name, then from the bytes.
    #[default]
    Auto,
    /// Tab-separated.
    Tsv,
    /// Comma-, semicolon- or pipe-separated (detected), or by
    /// [`ImportOptions::delimiter`].
    Csv,
    /// An Excel workbook.
    Xlsx,
    /// A Word document: its tables, or else its paragraphs as a recommendation list.
    Docx,
    /// Markdown pipe tables under headings.
    Markdown,
    /// A plain-text recommendation list.
    Text,
    /// A ragplan JSON document (`ragplan/1`), or a JSON array of records read as a
    /// table (`[{"project": …, "rag": …}, …]`).
    Json,
}

impl SourceFormat {
    /// The name used by `--format`: `auto`, `tsv`, `csv`, `xlsx`, `docx`, `md`, `text`,
    /// `json`.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceFormat::Auto => "auto",
            SourceFormat::Tsv => "tsv",
            SourceFormat::Csv => "csv",
            SourceFormat::Xlsx => "xlsx",
            SourceFormat::Docx => "docx",
            SourceFormat::Markdown => "md",
            SourceFormat::Text => "text",
            SourceFormat::Json => "json",
        }
    }
}

impl fmt::Display for SourceFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A source format name that is not one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown source format {0:?} (expected auto, tsv, csv, xlsx, docx, md, text or json)")]
pub struct ParseSourceFormatError(pub String);

impl FromStr for SourceFormat {
    type Err = ParseSourceFormatError;
    fn from_str(text: &str) -> Result<SourceFormat, ParseSourceFormatError> {
        Ok(match text.trim().to_ascii_lowercase().as_str() {
            "auto" => SourceFormat::Auto,
            "tsv" | "tab" => SourceFormat::Tsv,
            "csv" => SourceFormat::Csv,
            "xlsx" | "excel" => SourceFormat::Xlsx,
            "docx" | "word" => SourceFormat::Docx,
            "md" | "markdown" => SourceFormat::Markdown,
            "text" | "txt" => SourceFormat::Text,
            "json" => SourceFormat::Json,
            _ => return Err(ParseSourceFormatError(text.to_owned())),
        })
    }
}

/// How to read a source.
///
/// New choices are added as fields, so the type is not built with a struct
/// expression outside this crate: start from [`ImportOptions::default`] or
/// [`ImportOptions::for_format`] and set the fields wanted.
///
/// ```
/// use ragplan_import::{ImportOptions, SourceFormat};
///
/// let mut options = ImportOptions::for_format(SourceFormat::Csv);
/// options.file_name = Some("plan.csv".to_owned());
/// assert_eq!(options.format, SourceFormat::Csv);
/// ```
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct ImportOptions {
    /// The source's format; [`SourceFormat::Auto`] decides from the name and bytes.
    pub format: SourceFormat,
    /// The source's file name: used to detect the format and for the default plan
    /// id and title.
    pub file_name: Option<String>,
    /// The sheet of a workbook to read; by default the first with a recognisable
    /// header.
    pub sheet: Option<String>,
    /// Header → field entries that override or add to the synonyms. A header may
    /// also be named by its column letter (`C`) or number from 1 (`3`), where no
    /// header has that text. An entry that names no column is an error
    /// ([`ImportError::MapUnmatched`]).
    pub map: Vec<(String, Field)>,
    /// A column whose values become the objectives (a department, a theme).
    pub group_by: Option<String>,
    /// The plan's id; by default made from the file name.
    pub id: Option<PlanId>,
    /// The plan's title; by default the file name without its extension.
    pub title: Option<String>,
    /// The plan's rating scale; by default RAG.
    pub scale: Option<Scale>,
    /// The date the plan's ratings were reported on (`Plan::reported_on`). Without
    /// it, a full date standing plainly in the source's title or preamble ("update,
    /// 30 June 2015") is taken, with a `reported-on-from-source` note; a month or a
    /// period ("March 2015 – March 2017") is not. A ragplan JSON source keeps its own
    /// unless this is given.
    pub reported_on: Option<NaiveDate>,
    /// The character that separates the cells of a delimited source (`,`, `;`, tab,
    /// `|`, …); by default detected from the first records. Given with an `Auto`
    /// format, it makes the source a delimited table.
    pub delimiter: Option<u8>,
    /// Codes a source writes for its ratings (`lg` → Green), matched against a whole
    /// rating cell ignoring case, before the rating words; the cell's text is kept
    /// as written. See [`parse_rating_map`].
    pub rating_map: Vec<(String, Rating)>,
    /// Read the table on its side: the header down the first column, one action per
    /// column. Without it, a table whose first column names more fields than its
    /// first row is read so, with a `transposed` warning.
    pub transpose: bool,
    /// Agencies added to the partner vocabulary ([`PARTNER_AGENCIES`]), one each: a
    /// partners cell is split on the vocabulary, longest name first, and an agency's
    /// name is never split in an owners cell either.
    pub partners: Vec<String>,
    /// Which plan of a whole paper to read (1-based, in the paper's order), when the
    /// source is a committee paper holding several (a timetable and a list of
    /// recommendations). By default the first table, else the first list; the rest
    /// of the paper is skipped with a `paper-extract` diagnostic naming the lines.
    pub plan: Option<NonZeroUsize>,
    /// Which plan of a whole paper to read: the first with a heading containing this
    /// text (case-insensitive), such as `Risk assessment`.
    pub section: Option<String>,
    /// What the source may ask of the machine: sizes, rows, cells, nesting. A source
    /// past one is refused with [`ImportError::Limit`]. By default
    /// [`Limits::default`], each limit documented there.
    pub limits: Limits,
}

impl ImportOptions {
    /// The default options with the source read as `format`.
    pub fn for_format(format: SourceFormat) -> ImportOptions {
        ImportOptions { format, ..ImportOptions::default() }
    }
}

/// The `with_…` methods of [`ImportOptions`]: each sets one field and gives the
/// options back, so that a caller outside the crate writes
/// `ImportOptions::for_format(SourceFormat::Csv).with_sheet(Some("Plan".into()))`.
macro_rules! setters {
    ($($with:ident => $field:ident: $ty:ty;)*) => {
        impl ImportOptions {
            $(
                #[doc = concat!("These options with [`ImportOptions::", stringify!($field), "`] set.")]
                #[must_use]
                pub fn $with(mut self, $field: $ty) -> ImportOptions {
                    self.$field = $field;
                    self
                }
            )*
        }
    };
}

setters! {
    with_format => format: SourceFormat;
    with_file_name => file_name: Option<String>;
    with_sheet => sheet: Option<String>;
    with_map => map: Vec<(String, Field)>;
    with_group_by => group_by: Option<String>;
    with_id => id: Option<PlanId>;
    with_title => title: Option<String>;
    with_scale => scale: Option<Scale>;
    with_reported_on => reported_on: Option<NaiveDate>;
    with_delimiter => delimiter: Option<u8>;
    with_rating_map => rating_map: Vec<(String, Rating)>;
    with_transpose => transpose: bool;
    with_partners => partners: Vec<String>;
    with_plan => plan: Option<NonZeroUsize>;
    with_section => section: Option<String>;
    with_limits => limits: Limits;
}

/// An imported plan and what the importer guessed on the way.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The plan.
    pub plan: Plan,
    /// Every guess and oddity, in source order per kind.
    pub diagnostics: Vec<Diagnostic>,
    /// Which node each source row gave its words to, in source order: one entry per
    /// row and node, so a row holding several actions has one for each. A row that
    /// gave the plan nothing (a header, a repeated header, a rule, a blank row) has
    /// none. Empty for a ragplan document, which has no rows.
    pub rows: Vec<RowNode>,
}

/// A source row and a node of the plan it gave words to (see [`Imported::rows`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowNode {
    /// The source row: the line of a text source, the row number of a sheet or a
    /// Word document's table row, as diagnostics number it.
    pub row: usize,
    /// The node's key; `None` for the plan itself (a title or preamble line).
    pub key: Option<Key>,
}

/// A source that cannot be read at all.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    /// The source has no bytes, or only spaces.
    #[error("the source is empty")]
    Empty,
    /// A delimited table that cannot be parsed.
    #[error("row {row}, column {column}: {message}")]
    Parse {
        /// The source row (1-based line).
        row: usize,
        /// The column (1-based).
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// No row of the table names its columns.
    #[error(
        "row 1, column 1: no header row found in {rows} rows; name at least two \
         columns such as `Actions`, `Action RAG`, `Accountable`, `Timescale`, or use --map"
    )]
    NoHeader {
        /// How many rows were searched.
        rows: usize,
    },
    /// A `--map` entry that names no column: neither a header's text nor a column
    /// letter or number within the table.
    #[error(
        "row {row}, column 1: --map {header:?} matches no column; the headers are {found}{hint}"
    )]
    MapUnmatched {
        /// The header row.
        row: usize,
        /// The entry's header, as given.
        header: String,
        /// The headers found, quoted, comma-separated.
        found: String,
        /// `; did you mean "…"?` naming the closest header, or empty.
        hint: String,
    },
    /// A text source with no recommendation in it.
    #[error(
        "row 1, column 1: no recommendation found (expected lines such as \
         `Recommendation 1: …` or `1. That …`)"
    )]
    NothingFound,
    /// [`ImportOptions::plan`] or [`ImportOptions::section`] names no plan of the
    /// paper.
    #[error("the source holds no plan {asked}; it holds: {found}")]
    NoSuchPlan {
        /// The plan asked for.
        asked: String,
        /// The plans there are, with their lines.
        found: String,
    },
    /// A workbook that cannot be opened.
    #[error("the workbook cannot be read: {0}")]
    Xlsx(String),
    /// A Word document that cannot be opened: a damaged zip, no
    /// `word/document.xml`, XML that is not well formed or too large.
    #[error("the Word document cannot be read: {0}")]
    Docx(String),
    /// An Office 97-2003 compound file: an Excel `.xls` workbook, a Word `.doc`
    /// document, or a password-protected workbook or document, which Office keeps
    /// in that format. ragplan reads none of them; the message says how to save one
    /// that it does.
    #[error("{what}, which ragplan cannot read: {fix}")]
    CompoundFile {
        /// What the file is taken for, from its name.
        what: &'static str,
        /// How to save it as a file ragplan reads.
        fix: &'static str,
    },
    /// The named sheet is not in the workbook.
    #[error("sheet {name:?} not found; the workbook has: {available}")]
    NoSheet {
        /// The sheet asked for.
        name: String,
        /// The sheets there are.
        available: String,
    },
    /// A ragplan JSON document that cannot be read.
    #[error("{0}")]
    Json(DocumentError),
    /// A source past one of its [`Limits`], refused before what it asks for is
    /// allocated.
    #[error(
        "{place}: {value} {unit}, over the limit {limit}={max} ({what})",
        unit = limits::unit_of(limit),
        what = limits::what_of(limit)
    )]
    Limit {
        /// The limit's name, as [`Limits::set`] and `--limit` take it.
        limit: &'static str,
        /// What the source holds or declares (at least: counting stops past the
        /// limit).
        value: u64,
        /// The limit's value.
        max: u64,
        /// Where: `row R`, `row R, column C`, or the part of a zip (and what it
        /// spans).
        place: String,
    },
}

/// An empty plan named from the options.
pub(crate) fn plan_shell(options: &ImportOptions) -> Plan {
    let stem = options.file_name.as_deref().map(|name| {
        let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
        match base.rsplit_once('.') {
            Some((stem, _)) if !stem.is_empty() => stem.to_owned(),
            _ => base.to_owned(),
        }
    });
    let title = options
        .title
        .clone()
        .or_else(|| stem.clone())
        .unwrap_or_else(|| "Imported plan".to_owned());
    let id = options.id.clone().unwrap_or_else(|| PlanId::slug(stem.as_deref().unwrap_or(&title)));
    let mut plan = Plan::new(id, title);
    if let Some(scale) = options.scale {
        plan.scale = scale;
    }
    plan
}

fn extension(options: &ImportOptions) -> Option<String> {
    let name = options.file_name.as_deref()?;
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    base.rsplit_once('.').map(|(_, ext)| ext.to_ascii_lowercase())
}

/// The format a file's extension names.
fn named_format(options: &ImportOptions) -> Option<SourceFormat> {
    Some(match extension(options)?.as_str() {
        "tsv" | "tab" => SourceFormat::Tsv,
        "csv" => SourceFormat::Csv,
        "xlsx" | "xlsm" => SourceFormat::Xlsx,
        "docx" | "docm" => SourceFormat::Docx,
        "md" | "markdown" => SourceFormat::Markdown,
        "json" => SourceFormat::Json,
        _ => return None,
    })
}

/// Whether `bytes` hold a JSON array of records (`[{"Action": …}, …]`), which is
/// imported as a table, and not a `ragplan` plan document, which is an object. A
/// byte-order mark and leading spaces are allowed.
///
/// # Example
/// ```
/// assert!(ragplan_import::is_json_records(br#" [{"Action": "Do it"}]"#));
/// assert!(!ragplan_import::is_json_records(br#"{"format": "ragplan/2"}"#));
/// ```
pub fn is_json_records(bytes: &[u8]) -> bool {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = body.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(body.len());
    // `[` and, spaces aside, what opens the first value: a short head says it.
    let rest = &body[start..];
    let gap =
        rest.iter().skip(1).position(|b| !b.is_ascii_whitespace()).map_or(rest.len(), |n| n + 1);
    records::looks_like_records(&String::from_utf8_lossy(&rest[..rest.len().min(gap + 1)]))
}

/// The first bytes of an Office 97-2003 compound file (`.xls`, `.doc`, and a
/// password-protected `.xlsx` or `.docx`).
const COMPOUND_FILE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// The error for a compound file, named from the file's extension.
fn compound_file(options: &ImportOptions) -> ImportError {
    let (what, fix) = match extension(options).as_deref() {
        Some("xls") => (
            "an Excel 97-2003 workbook (.xls)",
            "open it in Excel and save it as an Excel Workbook (.xlsx) or as CSV, then \
             import that",
        ),
        Some("doc") => (
            "a Word 97-2003 document (.doc)",
            "open it in Word and save it as a Word Document (.docx), then import that",
        ),
        Some("xlsx" | "xlsm") => (
            "a password-protected workbook",
            "open it in Excel, remove the password (File > Info > Protect Workbook) and \
             save it, then import that",
        ),
        Some("docx") => (
            "a password-protected Word document",
            "open it in Word, remove the password (File > Info > Protect Document) and \
             save it, then import that",
        ),
        _ => (
            "an Office 97-2003 file (.xls or .doc) or a password-protected one",
            "save it from Excel as .xlsx or CSV, or from Word as .docx, without a \
             password, then import that",
        ),
    };
    ImportError::CompoundFile { what, fix }
}

/// The format `Auto` resolves to for these bytes: the one the file's extension
/// names, unless the extension names a workbook or a Word document and the bytes
/// are the other (a Word document saved as `.xlsx`), or no zip at all (a CSV saved
/// as `.xlsx`), when the bytes decide.
pub fn detect_format(bytes: &[u8], options: &ImportOptions) -> SourceFormat {
    if options.format != SourceFormat::Auto {
        return options.format;
    }
    match named_format(options) {
        Some(SourceFormat::Xlsx | SourceFormat::Docx) if !bytes.starts_with(b"PK\x03\x04") => {}
        Some(SourceFormat::Xlsx) if docx::looks_like_docx(bytes) => return SourceFormat::Docx,
        Some(SourceFormat::Docx) if xlsx::holds_workbook(bytes) => return SourceFormat::Xlsx,
        Some(named) => return named,
        None => {}
    }
    if let Some(delimiter) = options.delimiter
        && !docx::looks_like_docx(bytes)
        && !xlsx::looks_like_xlsx(bytes)
    {
        return if delimiter == b'\t' { SourceFormat::Tsv } else { SourceFormat::Csv };
    }
    if docx::looks_like_docx(bytes) {
        return SourceFormat::Docx;
    }
    if xlsx::looks_like_xlsx(bytes) {
        return SourceFormat::Xlsx;
    }
    let text = decode_bytes(bytes).text;
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') || records::looks_like_records(trimmed) {
        return SourceFormat::Json;
    }
    if markdown::has_pipe_table(&text) {
        return SourceFormat::Markdown;
    }
    if text::looks_like_list(&text) && !text.lines().any(|l| l.contains('\t')) {
        return SourceFormat::Text;
    }
    match delimited::detect_delimiter(&text) {
        b'\t' => SourceFormat::Tsv,
        _ => SourceFormat::Csv,
    }
}

/// Reads a plan source.
///
/// # Errors
/// [`ImportError`] when the source cannot be read at all: empty, unparseable, no
/// header row, no recommendation, a broken workbook, Word document or JSON document. Everything
/// short of that is read, with [`Diagnostic`]s.
pub fn import(bytes: &[u8], options: &ImportOptions) -> Result<Imported, ImportError> {
    import_with_progress(bytes, options, &mut |_, _| {})
}

/// [`import`], calling `progress(rows_done, rows_total)` as rows are read, so that a
/// caller can draw a progress bar.
///
/// # Errors
/// As [`import`].
pub fn import_with_progress(
    bytes: &[u8],
    options: &ImportOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Imported, ImportError> {
    import_source(Cow::Borrowed(bytes), options, progress, Beside::WhenWorthIt)
}

/// [`import_with_progress`] of a source the caller gives up: a delimited table's
/// bytes are freed once its rows are read, before the plan is built from them, so
/// that a large table is not held twice (its bytes and its rows) while its plan is
/// made.
///
/// # Errors
/// As [`import`].
pub fn import_owned(
    bytes: Vec<u8>,
    options: &ImportOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Imported, ImportError> {
    import_source(Cow::Owned(bytes), options, progress, Beside::WhenWorthIt)
}

/// Whether a table source is read as rows beside the search for a paper
/// ([`paper_or_rows`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Beside {
    /// For a source of [`BESIDE_PAPER_BYTES`] or more, on two cores or more.
    WhenWorthIt,
    /// Always (for a table source), or never: a test compares the two.
    #[cfg(test)]
    Always(bool),
}

fn import_source(
    source: Cow<'_, [u8]>,
    options: &ImportOptions,
    progress: &mut dyn FnMut(usize, usize),
    beside: Beside,
) -> Result<Imported, ImportError> {
    let bytes: &[u8] = &source;
    options.limits.check_input(bytes)?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ImportError::Empty);
    }
    if bytes.starts_with(&COMPOUND_FILE) {
        return Err(compound_file(options));
    }
    let format = detect_format(bytes, options);
    let is_records =
        format == SourceFormat::Json && records::looks_like_records(&decode_bytes(bytes).text);
    let mut diagnostics = Vec::new();
    if options.format == SourceFormat::Auto
        && let Some(named) = named_format(options)
        && named != format
    {
        diagnostics.push(not_as_named(named, format, options));
    }
    let mut imported = match format {
        SourceFormat::Xlsx => {
            let rows = xlsx::read(bytes, options, &mut diagnostics)?;
            build_table(rows, options, progress, diagnostics)?
        }
        SourceFormat::Json if is_records => {
            let text = decode(bytes, None, &mut diagnostics);
            let rows = records::read(&text, &options.limits)?;
            build_table(rows, options, progress, diagnostics)?
        }
        SourceFormat::Json => {
            let text = decode(bytes, None, &mut diagnostics);
            options.limits.check_json_depth(&text)?;
            let mut plan = Plan::from_json(&text).map_err(ImportError::Json)?;
            if let Some(id) = &options.id {
                plan.id = id.clone();
            }
            if let Some(title) = &options.title {
                plan.title = title.clone();
            }
            if let Some(scale) = options.scale {
                plan.scale = scale;
            }
            if let Some(date) = options.reported_on {
                plan.reported_on = Some(date);
            }
            progress(1, 1);
            Imported { plan, diagnostics, rows: Vec::new() }
        }
        SourceFormat::Markdown => {
            let text = decode(bytes, None, &mut diagnostics);
            let rows = markdown::read(&text, &options.limits)?;
            build_table(rows, options, progress, diagnostics)?
        }
        SourceFormat::Docx => match docx::read(bytes, options, &mut diagnostics)? {
            docx::Content::Rows(rows) => build_table(rows, options, progress, diagnostics)?,
            docx::Content::Text(text) => read_list(&text, options, progress, diagnostics)?,
        },
        SourceFormat::Text | SourceFormat::Tsv | SourceFormat::Csv | SourceFormat::Auto => {
            let beside = format != SourceFormat::Text
                && match beside {
                    Beside::WhenWorthIt => {
                        bytes.len() >= BESIDE_PAPER_BYTES && ragplan_core::blocks::two_cores()
                    }
                    #[cfg(test)]
                    Beside::Always(always) => always,
                };
            let (taken, rows) = paper_or_rows(bytes, format, options, &mut diagnostics, beside);
            if let Some(taken) = taken? {
                let mut options = options.clone();
                if options.title.is_none() {
                    options.title = taken.title;
                }
                let mut imported = match taken.kind {
                    paper::PlanKind::List => {
                        read_list(&taken.text, &options, progress, diagnostics)?
                    }
                    paper::PlanKind::Table => {
                        let rows =
                            delimited::read(&taken.text, b'\t', &options.limits, &mut diagnostics)?;
                        table::build(rows, &options, progress, diagnostics)?
                    }
                };
                // A plan that gives no date of its own is the paper's, of its date line.
                if let Some(found) = taken.date
                    && imported.plan.reported_on.is_none()
                    && options.reported_on.is_none()
                {
                    imported.plan.reported_on = Some(found.date);
                    imported.diagnostics.push(found.diagnostic());
                }
                people::give_owners(&mut imported.plan, &taken.people, &mut imported.diagnostics);
                imported
            } else if format == SourceFormat::Text {
                let text = decode(bytes, None, &mut diagnostics);
                read_list(&text, options, progress, diagnostics)?
            } else {
                let rows = match rows {
                    Some((rows, mut read)) => {
                        diagnostics.append(&mut read);
                        rows?
                    }
                    None => read_delimited(bytes, format, options, &mut diagnostics)?,
                };
                // The rows own their text: the source is not needed to build the plan.
                drop(source);
                build_table(rows, options, progress, diagnostics)?
            }
        }
    };
    // A ragplan document is read as it is; a table (JSON records too) is a source.
    let from_table = format != SourceFormat::Json || is_records;
    if from_table {
        finish_table(&mut imported, options);
    }
    Ok(imported)
}

/// What every plan read from a table gets once it is built: a warning when it has
/// no action, its source's name, and the scale of the ratings it reports when none
/// was asked for.
fn finish_table(imported: &mut Imported, options: &ImportOptions) {
    let has_measures = || {
        imported.plan.objectives.iter().any(|o| {
            !o.measures.is_empty() || o.sub_objectives.iter().any(|s| !s.measures.is_empty())
        })
    };
    if imported.plan.n_actions() == 0 && !has_measures() {
        imported.diagnostics.push(Diagnostic::warning(
            DiagnosticCode::NoActions,
            "no action was found: the source has a header but no rows under it",
        ));
    }
    if let Some(name) = &options.file_name {
        imported.plan.metadata.insert(SOURCE_KEY.to_owned(), name.clone().into());
    }
    if options.scale.is_none() {
        choose_scale(imported);
    }
}

/// The field each column of the table `plan` was imported from fills, in column
/// order (`None` for a column kept as notes), as its recorded layout says; empty for
/// a plan read from a document.
pub fn table_columns(plan: &Plan) -> Vec<Option<Field>> {
    export::layout_of(plan).into_iter().map(|(_, field)| field).collect()
}

/// Where a part of a delimited table lies in the whole ([`import_part`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Part {
    /// How many objectives the whole table holds before the part's first.
    pub objectives_before: usize,
    /// How many source lines lie between the header (line 1) and the part's first
    /// row, which is line 2 of the part's own source.
    pub lines_before: usize,
}

/// The names of people a table's owner cells give standing alone, which split
/// owner cells where no separator does ([`import_part`]): for a part of a table,
/// those its own cells give.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OwnerNames {
    /// The distinct parts of the owner cells.
    parts: std::collections::BTreeSet<String>,
    /// The names among them standing alone.
    known: std::collections::BTreeSet<String>,
}

impl OwnerNames {
    /// Whether every one of `parts` read its owner cells with the names the whole
    /// table gives (those of all the parts' cells together), so that each part's
    /// owners are those the whole table's import gives them.
    pub fn agree(parts: &[OwnerNames]) -> bool {
        let mut all = std::collections::BTreeSet::new();
        for part in parts {
            all.extend(part.parts.iter().cloned());
        }
        let known = owner::known_from_parts(&all);
        parts.iter().all(|p| p.known == known)
    }
}

/// A part of a table imported by [`import_part`].
#[derive(Debug, Clone)]
pub struct ImportedPart {
    /// The plan of the part's objectives, keyed and its diagnostics numbered as in
    /// the whole table; its [`Imported::rows`] are not kept.
    pub imported: Imported,
    /// The owner names its cells give.
    pub names: OwnerNames,
}

/// Imports a part of a delimited table: `source` is the table's header line and
/// then some of its rows, `part` where those rows lie in the whole. Rows are read
/// as the whole table's import reads them (its delimiter given in `options`), the
/// objectives are keyed after `part.objectives_before` of them and every row is
/// numbered as in the whole source; the plan is finished as a table's is (a
/// warning when it has no action, the scale of its own ratings). What the whole
/// table decides beyond its rows — whether it is a paper, lies on its side, its
/// owner names — is the caller's to check: `None` when the source is not read as a
/// delimited table by its name, or (for the first part) lies on its side.
///
/// # Errors
/// As [`import`].
pub fn import_part(
    source: &[u8],
    options: &ImportOptions,
    part: Part,
) -> Result<Option<ImportedPart>, ImportError> {
    options.limits.check_input(source)?;
    if source.iter().all(u8::is_ascii_whitespace) {
        return Err(ImportError::Empty);
    }
    let format = detect_format(source, options);
    if !matches!(named_format(options), Some(SourceFormat::Tsv | SourceFormat::Csv))
        || !matches!(format, SourceFormat::Tsv | SourceFormat::Csv)
        || options.transpose
    {
        return Ok(None);
    }
    let mut diagnostics = Vec::new();
    let rows = read_delimited(source, format, options, &mut diagnostics)?;
    if part == Part::default() && transpose::looks_transposed(&rows, &options.map) {
        return Ok(None);
    }
    let (mut imported, names) =
        table::build_part(rows, options, &mut |_, _| {}, diagnostics, part, false)?;
    finish_table(&mut imported, options);
    Ok(Some(ImportedPart { imported, names }))
}

/// The delimiter a source whose name makes it a delimited table (`.tsv`, `.csv`) is
/// split by, as [`import`] reads it: the one `options` give, else a tab for a TSV
/// and the one found in the first records for a CSV; `None` for any other source.
pub fn table_delimiter(source: &[u8], options: &ImportOptions) -> Option<u8> {
    let format = detect_format(source, options);
    if !matches!(named_format(options), Some(SourceFormat::Tsv | SourceFormat::Csv))
        || !matches!(format, SourceFormat::Tsv | SourceFormat::Csv)
    {
        return None;
    }
    Some(delimiter_for(&decode_bytes(source).text, format, options))
}

/// The warning that a source is not what its extension names, saying what it was
/// read as.
fn not_as_named(named: SourceFormat, read_as: SourceFormat, options: &ImportOptions) -> Diagnostic {
    let what = |format: SourceFormat| match format {
        SourceFormat::Xlsx => "an Excel workbook",
        SourceFormat::Docx => "a Word document",
        SourceFormat::Json => "JSON",
        SourceFormat::Markdown => "a Markdown table",
        SourceFormat::Text => "text",
        SourceFormat::Tsv => "a tab-separated table",
        SourceFormat::Csv | SourceFormat::Auto => "a comma-separated table",
    };
    let ext = extension(options).unwrap_or_default();
    let zip = if matches!(named, SourceFormat::Xlsx | SourceFormat::Docx)
        && !matches!(read_as, SourceFormat::Xlsx | SourceFormat::Docx)
    {
        " (it is not a zip file, as one is)"
    } else {
        ""
    };
    Diagnostic::warning(
        DiagnosticCode::NotAsNamed,
        format!(
            "named .{ext}, but it is not {}{zip}: read as {}; `--format` says which it is",
            what(named),
            what(read_as)
        ),
    )
}

/// A table source of this many bytes or more is read as a delimited table while a
/// second thread searches it for a paper, on two cores or more
/// ([`paper_or_rows`]): the search takes about half as long as the reading (0.14
/// against 0.26 s for a million rows), and a source that is no paper needs the rows.
const BESIDE_PAPER_BYTES: usize = 8 << 20;

/// Rows read from a delimited table, with what reading them said.
type ReadRows = (Result<Vec<table::GridRow>, ImportError>, Vec<Diagnostic>);

/// The plan inside a paper, when the source is one ([`take_from_paper`]); and, when
/// `beside`, the source's rows read as a delimited table while that search runs on
/// a second thread, given only when the source is no paper. (A search that fails
/// waits for the reading before its error is returned.)
fn paper_or_rows(
    bytes: &[u8],
    format: SourceFormat,
    options: &ImportOptions,
    diagnostics: &mut Vec<Diagnostic>,
    beside: bool,
) -> (Result<Option<paper::Taken>, ImportError>, Option<ReadRows>) {
    if !beside {
        return (take_from_paper(bytes, format, options, diagnostics), None);
    }
    // The search on the second thread, the rows read on this one: the rows are then
    // made, and later freed, by the thread that builds the plan, which an allocator
    // with a heap a thread (the system's) serves much faster than rows freed away
    // from the thread that made them.
    std::thread::scope(|scope| {
        let search = scope.spawn(|| {
            let mut said = Vec::new();
            (take_from_paper(bytes, format, options, &mut said), said)
        });
        let mut read = Vec::new();
        let rows = (read_delimited(bytes, format, options, &mut read), read);
        let (taken, mut said) =
            search.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        diagnostics.append(&mut said);
        // A paper's rows are read from its plan's lines: these go at once.
        let rows = matches!(taken, Ok(None)).then_some(rows);
        (taken, rows)
    })
}

/// The rows of a delimited table (the delimiter given, or found), after the
/// diagnostics of decoding its bytes.
fn read_delimited(
    bytes: &[u8],
    format: SourceFormat,
    options: &ImportOptions,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Vec<table::GridRow>, ImportError> {
    let decoded = decode_bytes(bytes);
    let delimiter = delimiter_for(&decoded.text, format, options);
    let text = report_decoding(decoded, Some(delimiter), diagnostics);
    delimited::read(&text, delimiter, &options.limits, diagnostics)
}

/// The delimiter a delimited table of `format` is split by: the one `options`
/// give, a tab for a TSV, else the one found in `text`'s first records (a comma
/// rather than a tab for a CSV).
fn delimiter_for(text: &str, format: SourceFormat, options: &ImportOptions) -> u8 {
    match (options.delimiter, format) {
        (Some(d), _) => d,
        (None, SourceFormat::Tsv) => b'\t',
        (None, _) => match delimited::detect_delimiter(text) {
            b'\t' if format == SourceFormat::Csv => b',',
            d => d,
        },
    }
}

/// The plan of a table's rows, turned first if the table lies on its side.
fn build_table(
    rows: Vec<table::GridRow>,
    options: &ImportOptions,
    progress: &mut dyn FnMut(usize, usize),
    mut diagnostics: Vec<Diagnostic>,
) -> Result<Imported, ImportError> {
    let rows = transpose::oriented(rows, options, &mut diagnostics)?;
    table::build(rows, options, progress, diagnostics)
}

/// The plan inside a whole paper (a report, an agenda pack, minutes), when the source
/// is one: text that is not a comma-separated file, read as tab-separated tables and
/// recommendation lists.
fn take_from_paper(
    bytes: &[u8],
    format: SourceFormat,
    options: &ImportOptions,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Option<paper::Taken>, ImportError> {
    let kinds: &[paper::PlanKind] = match options.format {
        SourceFormat::Auto if extension(options).as_deref() != Some("csv") => {
            &[paper::PlanKind::Table, paper::PlanKind::List]
        }
        SourceFormat::Tsv => &[paper::PlanKind::Table],
        SourceFormat::Text => &[paper::PlanKind::List],
        _ => return Ok(None),
    };
    if format == SourceFormat::Csv && options.format != SourceFormat::Auto {
        return Ok(None);
    }
    // A table given its own delimiter, or turned on its side, is a table, not a paper.
    if options.delimiter.is_some_and(|d| d != b'\t') || options.transpose {
        return Ok(None);
    }
    let mut decoding = Vec::new();
    let text = decode(bytes, None, &mut decoding);
    options.limits.check_lines(&text)?;
    let taken = paper::take(&text, kinds, options, &mut decoding)?;
    if taken.is_some() {
        diagnostics.append(&mut decoding);
    }
    Ok(taken)
}

/// A recommendation list, after the diagnostics of reading its bytes.
fn read_list(
    text: &str,
    options: &ImportOptions,
    progress: &mut dyn FnMut(usize, usize),
    mut diagnostics: Vec<Diagnostic>,
) -> Result<Imported, ImportError> {
    let mut imported = text::read(text, options, progress)?;
    diagnostics.append(&mut imported.diagnostics);
    imported.diagnostics = diagnostics;
    Ok(imported)
}

/// With no scale asked for, the plan takes the scale of the ratings it reports, with
/// a diagnostic, instead of refusing its own ratings as off the RAG scale: Amber/Red
/// or Amber/Green make it DCA5; Complete (Blue) makes it BRAG. A plan reporting both
/// takes DCA5, and validation names the Blue ratings it does not allow.
fn choose_scale(imported: &mut Imported) {
    let plan = &mut imported.plan;
    let ratings = || plan.actions().flat_map(|a| [a.action_rag, a.outcome_rag]).flatten();
    let n_split = ratings().filter(|r| matches!(r, Rating::AmberRed | Rating::AmberGreen)).count();
    let n_complete = ratings().filter(|r| *r == Rating::Complete).count();
    let (scale, code, message) = if n_split > 0 {
        (
            Scale::Dca5,
            DiagnosticCode::ScaleDca5,
            format!(
                "{} Amber/Red or Amber/Green: the plan rates on the DCA5 scale (give --scale \
                 to choose another)",
                ragplan_core::count(n_split, "rating")
            ),
        )
    } else if n_complete > 0 {
        (
            Scale::Brag,
            DiagnosticCode::ScaleBrag,
            format!(
                "{} reported Complete (Blue): the plan rates on the BRAG scale (give --scale \
                 to choose another)",
                ragplan_core::count(n_complete, "action")
            ),
        )
    } else {
        return;
    };
    if plan.scale == scale {
        return;
    }
    plan.scale = scale;
    imported.diagnostics.push(Diagnostic::info(code, message));
}

/// A rating map that is not one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ParseRatingMapError(String);

/// Reads a rating map as `--rating-map` and the API take it: `CODE=RATING` entries
/// separated by commas, each rating one that ragplan reads (`green`, `amber/red`,
/// `blue`, …).
///
/// # Errors
/// [`ParseRatingMapError`] naming the entry that is not `CODE=RATING`.
///
/// # Example
/// ```
/// use ragplan_core::Rating;
/// let map = ragplan_import::parse_rating_map("lg=green, la=amber,lr=red")?;
/// assert_eq!(map[1], ("la".to_owned(), Rating::Amber));
/// assert!(ragplan_import::parse_rating_map("lg").is_err());
/// # Ok::<(), ragplan_import::ParseRatingMapError>(())
/// ```
pub fn parse_rating_map(text: &str) -> Result<Vec<(String, Rating)>, ParseRatingMapError> {
    text.split(',')
        .filter(|entry| !entry.trim().is_empty())
        .map(|entry| {
            let (code, rating) = entry.split_once('=').ok_or_else(|| {
                ParseRatingMapError(format!(
                    "{:?} is not CODE=RATING (e.g. \"lg=green,la=amber,lr=red\")",
                    entry.trim()
                ))
            })?;
            let rating = rating
                .trim()
                .parse::<Rating>()
                .map_err(|e| ParseRatingMapError(format!("{:?}: {e}", entry.trim())))?;
            let code = code.trim();
            if code.is_empty() {
                return Err(ParseRatingMapError(format!("{:?} has no code", entry.trim())));
            }
            Ok((code.to_owned(), rating))
        })
        .collect()
}

/// The lowercase words of `text`, HTML tags removed: runs of letters, and runs of
/// digits, each a word. The unit of the lossless promise: every word of every source
/// cell is a word of the plan's JSON strings or of a diagnostic's quoted text.
///
/// # Example
/// ```
/// let words: Vec<String> = ragplan_import::words("<b>Amber/Red</b> R7, 6a").collect();
/// assert_eq!(words, ["amber", "red", "r", "7", "6", "a"]);
/// ```
pub fn words(text: &str) -> impl Iterator<Item = String> {
    let cleaned = field::strip_html(text);
    let mut out = Vec::new();
    let mut current = String::new();
    let mut digits = false;
    for c in cleaned.chars() {
        if c.is_alphanumeric() {
            let is_digit = c.is_numeric();
            if !current.is_empty() && is_digit != digits {
                out.push(std::mem::take(&mut current));
            }
            digits = is_digit;
            current.extend(c.to_lowercase());
        } else if !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out.into_iter()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The whole import of `bytes` (plan, diagnostics and rows, or the error),
    /// written out to be compared, with the rows read beside the search for a paper
    /// or after it.
    fn imported(bytes: &[u8], options: &ImportOptions, beside: bool) -> String {
        match import_source(Cow::Borrowed(bytes), options, &mut |_, _| {}, Beside::Always(beside)) {
            Ok(i) => format!("{}\n{:?}\n{:?}", i.plan.to_json(), i.diagnostics, i.rows),
            Err(e) => format!("error: {e}"),
        }
    }

    /// A table read beside the search for a paper is imported as it is after the
    /// search: the same plan from each whole paper, the same plan of a table that is
    /// none, and the same diagnostics and errors, in every format a text source is
    /// read as.
    #[test]
    fn a_source_read_beside_the_paper_search_is_imported_as_it_is_after_it() {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/import");
        let mut sources: Vec<Vec<u8>> = std::fs::read_dir(dir.join("seeds"))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .map(|p| std::fs::read(p).unwrap())
            .collect();
        assert_eq!(sources.len(), 5);
        for name in ["plymouth-timetable.tsv", "stockton-recommendations.txt"] {
            sources.push(std::fs::read(dir.join(name)).unwrap());
        }
        sources.push(b"Action,Owner\nReview the tool,Jo Bloggs\n".to_vec());
        sources.push(b"Action\tOwner\n\"Review the tool\tJo Bloggs\n".to_vec());
        sources.push(b"Action\tOwner\nReview\xff the tool\tJo Bloggs\n".to_vec());
        let mut three_rows = ImportOptions::default();
        three_rows.limits.set("rows", 3).unwrap();
        let (mut plans, mut errors) = (0, 0);
        for bytes in &sources {
            for options in [
                ImportOptions::default(),
                ImportOptions { format: SourceFormat::Tsv, ..ImportOptions::default() },
                ImportOptions { format: SourceFormat::Csv, ..ImportOptions::default() },
                ImportOptions { format: SourceFormat::Text, ..ImportOptions::default() },
                three_rows.clone(),
            ] {
                let after = imported(bytes, &options, false);
                assert_eq!(imported(bytes, &options, true), after);
                if after.starts_with("error: ") {
                    errors += 1;
                } else {
                    plans += 1;
                }
            }
        }
        // Plans and errors both.
        assert!(plans > 20 && errors > 2, "{plans} plans, {errors} errors");
    }
}
