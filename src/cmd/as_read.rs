//! `ragplan status TABLE --summary` rated as the table is read: a delimited table
//! cut into parts at the rows that start an objective, each part imported, rated
//! and summarised on one of two threads and then dropped, and the parts' summaries
//! joined in order ([`ragplan_report::SummaryParts`]). The whole plan is never
//! held, nor the whole file.
//!
//! It is taken only where its answer is the whole table's, byte for byte; where it
//! cannot tell, [`summarise`] gives `None` and the caller imports the table whole,
//! which says what is wrong with it in its own words. What it asks of the table
//! (each checked as the table is read or once its parts are imported):
//!
//! - its name ends `.tsv`, `.tab` or `.csv` and it is read as a delimited table,
//!   no larger than the `input_bytes` limit, with fewer lines than the `rows` one;
//! - it holds no `"`, so that every line is one row; every line is blank or has as
//!   many cells as the first, which is the header (no title above it): the source
//!   is one table with nothing beside it, so never a paper;
//! - it has an objective and an action column and no key, dependency or measure
//!   column (no keys, dependencies or measures, whose meaning spans objectives),
//!   and it does not lie on its side;
//! - a part starts at a row naming an objective other than the one above, with an
//!   action, after a row with an action that is not a repeated header; each part
//!   makes as many objectives as the rows it holds start;
//! - the parts agree on what the whole table decides from all its rows: the scale
//!   of their ratings and the names standing alone in owner cells; each part's
//!   warnings about its header are the first part's, and every warning names its
//!   row; no part's source is bad text (not UTF-8, a cell over the limit) or has no
//!   action, and no key is shared.

use std::collections::BTreeMap;
use std::io::Read;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, mpsc};

use chrono::NaiveDate;
use ragplan_core::{LintCode, Policy, Scale};
use ragplan_import::{
    Diagnostic, DiagnosticCode, Field, ImportOptions, OwnerNames, Part, Severity,
};
use ragplan_report::{Summary, SummaryParts};

/// Where a table is cut into parts.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cuts {
    /// About how many bytes of rows a part holds.
    pub part_bytes: usize,
    /// The fewest rows the first part holds (all when the table has fewer): the
    /// delimiter and whether the table lies on its side are decided from the first
    /// rows, which the first part must hold as the whole table does.
    pub first_part_lines: usize,
}

impl Cuts {
    /// Parts of a few thousand actions, whose plan is a few megabytes; a first part
    /// holding the rows the importer decides by (the first 200).
    pub(crate) const STATUS: Cuts = Cuts { part_bytes: 1 << 20, first_part_lines: 256 };
}

/// The summary of a table rated as it is read, with what printing it needs.
#[derive(Debug)]
pub(crate) struct AsRead {
    /// The summary, the whole table's.
    pub summary: Summary,
    /// How many actions are cancelled or removed.
    pub n_left_out: usize,
    /// The import's diagnostics, as the whole table's import gives them (its
    /// warnings in order and numbered alike).
    pub diagnostics: Vec<Diagnostic>,
}

/// The columns the parts are cut by.
#[derive(Debug, Clone, Copy)]
struct Columns {
    delimiter: u8,
    n_cells: usize,
    objective: usize,
    action: usize,
}

/// A part to read: the header line and its rows, where they lie in the whole, how
/// many objectives its rows start, and its last source line when a later part
/// follows.
struct Work {
    index: usize,
    source: Vec<u8>,
    part: Part,
    n_objectives: usize,
    last_line: Option<usize>,
}

/// A part read and summarised.
struct Done {
    parts: SummaryParts,
    scale: Scale,
    names: OwnerNames,
    warnings: Vec<Diagnostic>,
}

/// The summary of the table `source` (imported with `options`, rated under `policy`
/// as of `as_of`), its rows read in the parts `cuts` says; `None` when the
/// table is not one this reads as its whole import would (module docs), or it
/// cannot be read.
pub(crate) fn summarise(
    source: impl Read,
    options: &ImportOptions,
    policy: &Policy,
    as_of: NaiveDate,
    cuts: Cuts,
) -> Option<AsRead> {
    let mut lines = Lines::new(source);
    let header = lines.next_line()?.to_vec();
    let body = header.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&header);
    // A source opening `{` is read as a plan document, whatever its name.
    let opens = body.iter().find(|b| !b.is_ascii_whitespace());
    if opens.is_none_or(|b| *b == b'{') || header.contains(&b'"') || !named_as_table(options) {
        return None;
    }
    // The first rows decide the delimiter and the columns, as they do for the whole.
    let mut first: Vec<Vec<u8>> = Vec::new();
    while first.len() < cuts.first_part_lines.max(1) {
        let Some(line) = lines.next_line() else { break };
        first.push(line.to_vec());
    }
    if lines.failed {
        return None;
    }
    let columns = probe(&header, &first, options)?;
    let mut options = options.clone();
    options.delimiter = Some(columns.delimiter);
    let header_only = header.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&header).to_vec();

    let (work_tx, work_rx) = mpsc::sync_channel::<Work>(2);
    let work_rx = Mutex::new(work_rx);
    let (done_tx, done_rx) = mpsc::channel::<(usize, Option<Done>)>();
    // Set once a part gives up: what is left is not read.
    let gave_up = AtomicBool::new(false);
    let options = &options;
    std::thread::scope(|scope| {
        for _ in 0..2 {
            let (work_rx, done_tx, gave_up) = (&work_rx, done_tx.clone(), &gave_up);
            scope.spawn(move || {
                loop {
                    let work = match work_rx.lock() {
                        Ok(rx) => rx.recv(),
                        Err(_) => return,
                    };
                    let Ok(work) = work else { return };
                    if gave_up.load(Ordering::Relaxed) {
                        continue;
                    }
                    let index = work.index;
                    let done = read_part(work, options, policy, as_of);
                    if done.is_none() {
                        gave_up.store(true, Ordering::Relaxed);
                    }
                    let _ = done_tx.send((index, done));
                }
            });
        }
        drop(done_tx);
        let mut cutter = Cutter::new(columns, cuts, options.limits.rows);
        let sent = cutter.cut(&header, &header_only, first, &mut lines, &work_tx, &gave_up);
        drop(work_tx);
        join(done_rx, sent?)
    })
}

/// Whether the source's name makes it a delimited table.
fn named_as_table(options: &ImportOptions) -> bool {
    let name = options.file_name.as_deref().unwrap_or_default();
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    matches!(ext.as_deref(), Some("tsv" | "tab" | "csv"))
}

/// The delimiter and columns of the table whose `header` and first rows are given:
/// `None` unless its first line is its header, it lies the right way up, and it
/// has an objective and an action column and no column whose meaning spans
/// objectives.
fn probe(header: &[u8], first: &[Vec<u8>], options: &ImportOptions) -> Option<Columns> {
    let mut source = header.to_vec();
    for line in first {
        source.extend_from_slice(line);
    }
    let delimiter = ragplan_import::table_delimiter(&source, options)?;
    let probed = ragplan_import::import_part(&source, options, Part::default()).ok()??;
    let plan = &probed.imported.plan;
    if plan.metadata.contains_key("preamble") {
        return None;
    }
    let fields = ragplan_import::table_columns(plan);
    // Keys, dependencies and measures mean something across objectives.
    let spans = |f: &Option<Field>| {
        matches!(f, Some(Field::Key | Field::DependsOn)) || f.is_some_and(Field::is_measure)
    };
    if fields.iter().any(spans) {
        return None;
    }
    let objective = fields.iter().position(|f| *f == Some(Field::Objective))?;
    let action = fields.iter().position(|f| *f == Some(Field::Action))?;
    let n_cells = cells(trimmed(header), delimiter).count();
    (n_cells >= 2 && n_cells == fields.len()).then_some(Columns {
        delimiter,
        n_cells,
        objective,
        action,
    })
}

/// A line without its line end.
fn trimmed(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

fn cells(line: &[u8], delimiter: u8) -> impl Iterator<Item = &[u8]> {
    line.split(move |b| *b == delimiter)
}

/// A cell as the importer compares it: without the white space around it.
fn cell_text(cell: &[u8]) -> &[u8] {
    cell.trim_ascii()
}

/// The lines of a source read in blocks, each with its line end.
struct Lines<R> {
    reader: R,
    buf: Vec<u8>,
    at: usize,
    eof: bool,
    failed: bool,
}

impl<R: Read> Lines<R> {
    const BLOCK: usize = 1 << 20;

    fn new(reader: R) -> Lines<R> {
        Lines { reader, buf: Vec::new(), at: 0, eof: false, failed: false }
    }

    /// The next line, with its line end; `None` at the end (or when reading failed,
    /// `failed` then set).
    fn next_line(&mut self) -> Option<&[u8]> {
        loop {
            if let Some(n) = memchr::memchr(b'\n', &self.buf[self.at..]) {
                let start = self.at;
                self.at += n + 1;
                return Some(&self.buf[start..self.at]);
            }
            if self.eof {
                if self.at < self.buf.len() {
                    let start = self.at;
                    self.at = self.buf.len();
                    return Some(&self.buf[start..]);
                }
                return None;
            }
            self.buf.drain(..self.at);
            self.at = 0;
            let len = self.buf.len();
            self.buf.resize(len + Self::BLOCK, 0);
            match self.reader.read(&mut self.buf[len..]) {
                Ok(0) => {
                    self.buf.truncate(len);
                    self.eof = true;
                }
                Ok(n) => self.buf.truncate(len + n),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => self.buf.truncate(len),
                Err(_) => {
                    self.buf.truncate(len);
                    self.eof = true;
                    self.failed = true;
                    return None;
                }
            }
        }
    }
}

/// Cuts the rows into parts at objective boundaries and hands them out.
struct Cutter {
    columns: Columns,
    cuts: Cuts,
    max_rows: u64,
    /// The source line of the next line read (the header is line 1).
    line_no: usize,
    /// The trimmed text of the last objective cell read.
    last_objective: Option<Vec<u8>>,
    /// Whether the last line read had an action.
    last_had_action: bool,
}

impl Cutter {
    fn new(columns: Columns, cuts: Cuts, max_rows: u64) -> Cutter {
        Cutter { columns, cuts, max_rows, line_no: 2, last_objective: None, last_had_action: false }
    }

    /// Reads `line`: `None` when the table is not one read in parts; else whether
    /// it starts an objective, and whether a part may start at it.
    fn read_line(&mut self, line: &[u8]) -> Option<(bool, bool)> {
        if memchr::memchr(b'"', line).is_some() || self.line_no as u64 >= self.max_rows {
            return None;
        }
        let text = trimmed(line);
        let c = self.columns;
        if text.is_empty() {
            self.last_had_action = false;
            return Some((false, false));
        }
        if memchr::memchr_iter(c.delimiter, text).count() + 1 != c.n_cells {
            return None;
        }
        let (mut objective, mut action) = (&b""[..], &b""[..]);
        for (i, cell) in cells(text, c.delimiter).enumerate().take(c.objective.max(c.action) + 1) {
            if i == c.objective {
                objective = cell_text(cell);
            }
            if i == c.action {
                action = cell_text(cell);
            }
        }
        if objective.contains(&b'<') {
            return None;
        }
        let starts = !objective.is_empty() && self.last_objective.as_deref() != Some(objective);
        let may_cut = starts && !action.is_empty() && self.last_had_action;
        if !objective.is_empty() {
            self.last_objective = Some(objective.to_vec());
        }
        self.last_had_action = !action.is_empty();
        Some((starts, may_cut))
    }

    /// Cuts the rows (`first`, then the rest of `lines`) into parts, sends each as
    /// work and stops when a part read gives up (`done` says so); the number of
    /// parts sent, or `None` when the table is not one read in parts.
    fn cut<R: Read>(
        &mut self,
        header: &[u8],
        header_only: &[u8],
        first: Vec<Vec<u8>>,
        lines: &mut Lines<R>,
        work: &mpsc::SyncSender<Work>,
        gave_up: &AtomicBool,
    ) -> Option<usize> {
        let mut source = header.to_vec();
        let mut part = Part::default();
        let (mut n_objectives, mut n_lines, mut index) = (0, 0, 0);
        let mut objectives_before = 0;
        let mut first = first.into_iter();
        loop {
            let line: Vec<u8>;
            let next: Option<&[u8]> = match first.next() {
                Some(l) => {
                    line = l;
                    Some(&line)
                }
                None => lines.next_line(),
            };
            let Some(next) = next else { break };
            let (starts, may_cut) = self.read_line(next)?;
            let big = source.len() - header_only.len() >= self.cuts.part_bytes;
            if may_cut && big && (index > 0 || n_lines >= self.cuts.first_part_lines) {
                let last_line = Some(self.line_no - 1);
                let cut = Work { index, source, part, n_objectives, last_line };
                // A part that gave up ends the reading.
                if gave_up.load(Ordering::Relaxed) || work.send(cut).is_err() {
                    return None;
                }
                index += 1;
                objectives_before += n_objectives;
                part = Part { objectives_before, lines_before: self.line_no - 2 };
                source = header_only.to_vec();
                (n_objectives, n_lines) = (0, 0);
            }
            n_objectives += usize::from(starts);
            n_lines += 1;
            source.extend_from_slice(next);
            self.line_no += 1;
        }
        if lines.failed {
            return None;
        }
        let last = Work { index, source, part, n_objectives, last_line: None };
        work.send(last).ok()?;
        Some(index + 1)
    }
}

/// The codes of diagnostics that only the whole source can give as it does: about
/// its bytes, which are read before its rows, and about the plan as a whole.
const WHOLE_SOURCE_CODES: [DiagnosticCode; 10] = [
    DiagnosticCode::NotUtf8,
    DiagnosticCode::Encoding,
    DiagnosticCode::LongCell,
    DiagnosticCode::UnclosedQuote,
    DiagnosticCode::TextAfterQuote,
    DiagnosticCode::NoActions,
    DiagnosticCode::DuplicateKeyRenumbered,
    DiagnosticCode::NotAsNamed,
    DiagnosticCode::Transposed,
    DiagnosticCode::PaperExtract,
];

/// Imports, rates and summarises one part; `None` when it is not read as the whole
/// table's import reads those rows.
fn read_part(
    work: Work,
    options: &ImportOptions,
    policy: &Policy,
    as_of: NaiveDate,
) -> Option<Done> {
    let imported = ragplan_import::import_part(&work.source, options, work.part).ok()??;
    drop(work.source);
    let ragplan_import::ImportedPart { imported, names } = imported;
    let plan = imported.plan;
    let odd = |d: &Diagnostic| {
        WHOLE_SOURCE_CODES.contains(&d.code)
            || (d.severity == Severity::Warning && d.row.is_none())
            || (d.code == DiagnosticCode::RepeatedHeader && d.row == work.last_line)
    };
    if plan.objectives.len() != work.n_objectives
        || plan.metadata.contains_key("preamble")
        || imported.diagnostics.iter().any(odd)
    {
        return None;
    }
    let scale = plan.scale;
    let warnings: Vec<Diagnostic> =
        imported.diagnostics.into_iter().filter(|d| d.severity == Severity::Warning).collect();
    let stood = plan.into_as_it_stood(as_of);
    let ratings = stood.rate(policy);
    if ratings.lints().any(|l| l.code == LintCode::DuplicateKey) {
        return None;
    }
    let mut parts = SummaryParts::default();
    parts.add(&ratings);
    Some(Done { parts, scale, names, warnings })
}

/// Whether a warning is about the header, which every part gives alike.
fn of_header(d: &Diagnostic) -> bool {
    d.row.is_some_and(|row| row <= 1)
}

/// The parts' summaries joined in order, once all `n_parts` are in; `None` when one
/// gave up or they disagree.
fn join(done: mpsc::Receiver<(usize, Option<Done>)>, n_parts: usize) -> Option<AsRead> {
    let mut waiting: BTreeMap<usize, Done> = BTreeMap::new();
    let mut next = 0;
    let mut parts = SummaryParts::default();
    let mut names: Vec<OwnerNames> = Vec::new();
    let mut scale = None;
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    let mut header: Vec<String> = Vec::new();
    while next < n_parts {
        let (index, part) = done.recv().ok()?;
        waiting.insert(index, part?);
        while let Some(part) = waiting.remove(&next) {
            if *scale.get_or_insert(part.scale) != part.scale {
                return None;
            }
            let ours: Vec<String> =
                part.warnings.iter().filter(|d| of_header(d)).map(ToString::to_string).collect();
            if next == 0 {
                header = ours;
                diagnostics = part.warnings;
            } else {
                if ours != header {
                    return None;
                }
                diagnostics.extend(part.warnings.into_iter().filter(|d| !of_header(d)));
            }
            names.push(part.names);
            parts.append(part.parts);
            next += 1;
        }
    }
    if !OwnerNames::agree(&names) || !parts.is_whole() {
        return None;
    }
    let n_left_out = parts.n_left_out();
    Some(AsRead { summary: parts.finish(), n_left_out, diagnostics })
}
