//! Tables of rows and cells (from TSV, CSV, XLSX or Markdown) turned into a plan.
//!
//! One builder serves every tabular source. It finds the header row, maps columns to
//! fields, skips repeated header rows and page markers, continues blank
//! sub-objective cells, splits cells holding several actions or owners, moves a
//! rating stranded by a shifted row, reads a row's indicator into a measure of its
//! parent (`measures`), and keeps every other word as a note.

use std::collections::{BTreeSet, HashMap, HashSet};

use ragplan_core::{
    Action, Key, Objective, Plan, Rating, Status, SubObjective, Timescale, TimescaleKind,
    UnmappedNote,
};

use crate::field::{
    Field, HeaderMatch, is_header_word, match_header, normalise_header, one_line,
    remove_bold_headers, strip_html,
};
use crate::owner::{CellNote, OwnerContext, known_names, split_owners};
use crate::partner::{Vocabulary, read_partners};
use crate::{
    Diagnostic, DiagnosticCode, ImportError, ImportOptions, Imported, LAYOUT_KEY, Severity,
    plan_shell, words,
};

pub(crate) mod measures;

/// What a row of a table is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RowKind {
    /// Cells of the table (the header row is found among them).
    Data,
    /// Known to be a header row (a Markdown table's first row).
    Header,
    /// A line of text outside any table.
    Text,
}

/// One row of a source table.
#[derive(Debug, Clone)]
pub(crate) struct GridRow {
    /// The source row: the line of a text source, the row number of a sheet.
    pub line: usize,
    /// The cells, as found.
    pub cells: Vec<String>,
    /// The heading the row sits under (Markdown), which names its objective.
    pub group: Option<String>,
    /// What the row is.
    pub kind: RowKind,
}

impl GridRow {
    pub(crate) fn data(line: usize, cells: Vec<String>) -> GridRow {
        GridRow { line, cells, group: None, kind: RowKind::Data }
    }
}

/// How many rows from the top a header may be recognised by a close spelling; below
/// them (a paper's appendix, hundreds of lines down) it must be spelled as a synonym
/// is, so that searching a long source with no header costs no spelling comparisons.
pub(crate) const FUZZY_HEADER_ROWS: usize = 200;

/// The longest header cell looked at when searching for the header row (before its
/// tags are removed): `<p><b>Partners Involved</b></p>` and longer spellings fit.
const HEADER_CELL_BYTES: usize = 64;

/// A column of the table.
#[derive(Debug, Clone)]
struct Column {
    /// The header as written, tags removed.
    header: String,
    /// The field it fills; `None` for a column with no header (page markers) or one
    /// that is kept as notes.
    field: Option<Field>,
    /// For a second column of a field: the field, which this column fills where the
    /// first is empty (its text is otherwise a note under its header).
    fallback: Option<Field>,
}

impl Column {
    /// The column's name in diagnostics and notes.
    fn name(&self, index: usize) -> String {
        if self.header.is_empty() { format!("column {}", index + 1) } else { self.header.clone() }
    }
}

/// Where the last action went: objective, sub-objective (if any), action.
type ActionPlace = (usize, Option<usize>, usize);

/// A key the source gave an action, applied once the whole plan is read.
struct SourceKey {
    /// Where the action is.
    place: ActionPlace,
    /// The source row.
    line: usize,
    /// The key column's name.
    column: String,
    /// The key as written.
    text: String,
    /// The key it reads as.
    key: Key,
}

struct Builder<'o> {
    options: &'o ImportOptions,
    plan: Plan,
    diagnostics: Vec<Diagnostic>,
    columns: Vec<Column>,
    /// The first column of each field, by [`Field`] in declaration order.
    first_column: [Option<usize>; Field::ALL.len()],
    have_header: bool,
    /// The names standing alone in the plan and the partner vocabulary.
    owners: OwnerContext,
    objective: Option<usize>,
    sub_objective: Option<usize>,
    last_action: Option<ActionPlace>,
    /// Whether the table broke across a page since the last row that gave an action
    /// its text: a blank row, a page marker or a repeated header came between.
    page_break: bool,
    /// The ends of headers a repeated header row cut short (`Action` for `Action
    /// RAG`), by column: a PDF's second header line, which lands in the next row.
    header_tails: Vec<(usize, String)>,
    group_by: Option<usize>,
    /// The keys the source gave its actions, in source order.
    source_keys: Vec<SourceKey>,
    keys_from_source: bool,
    /// The rows before the header (a title, a date), by source row.
    preamble: Vec<(usize, String)>,
    /// The notes of the action being filled, or of the action at `notes_of`.
    notes: NoteIndex,
    notes_of: Option<ActionPlace>,
    /// The notes of the objective or sub-objective (by place) a row with no action
    /// above it last gave its cells to.
    node_notes: (Option<(usize, Option<usize>)>, NoteIndex),
    /// The keys the source gave its measures, in source order, applied once the
    /// whole plan is read ([`Builder::key_measures`]).
    measure_keys: Vec<measures::MeasureKey>,
    /// The values read with no as-at date, dated once the plan's report date is
    /// known ([`Builder::date_readings`]).
    undated: Vec<measures::UndatedValue>,
}

/// Builds a plan from the rows of a table.
pub(crate) fn build(
    rows: &[GridRow],
    options: &ImportOptions,
    progress: &mut dyn FnMut(usize, usize),
    mut diagnostics: Vec<Diagnostic>,
) -> Result<Imported, ImportError> {
    let first_filled = rows.iter().position(|r| r.cells.iter().any(|c| !c.trim().is_empty()));
    // Blank lines (kept as rows with no cells) do not count towards the search.
    let lines = rows.iter().enumerate().filter(|(_, r)| !r.cells.is_empty());
    // The whole source is searched, each row once: a paper's table may start
    // hundreds of lines down.
    let header_idx = lines
        .clone()
        .find(|&(i, r)| {
            r.kind == RowKind::Header
                || is_first_header(r, &options.map, i < FUZZY_HEADER_ROWS)
                || (Some(i) == first_filled && names_actions(r, &options.map))
        })
        .map(|(i, _)| i);
    let Some(header_idx) = header_idx else {
        // A `--map` entry naming no column of the likeliest header says why better.
        if let Some(first) = first_filled {
            crate::columns::check_map(&options.map, rows[first].line, &[&rows[first].cells])?;
        }
        return Err(ImportError::NoHeader { rows: lines.count() });
    };
    let header_rows: Vec<&[String]> = std::iter::once(&rows[header_idx])
        .chain(rows.iter().filter(|r| r.kind == RowKind::Header))
        .map(|r| r.cells.as_slice())
        .collect();
    crate::columns::check_map(&options.map, rows[header_idx].line, &header_rows)?;
    let mut builder = Builder::new(options);
    builder.diagnostics.append(&mut diagnostics);
    builder.set_header(&rows[header_idx]);
    builder.owners.known = known_names_as_placed(&rows[header_idx..], options);
    let total = rows.len();
    for (i, row) in rows.iter().enumerate() {
        if i < header_idx {
            builder.preamble_row(row);
        } else if i > header_idx {
            builder.row(row);
        }
        if i % 1024 == 0 {
            progress(i, total);
        }
    }
    progress(total, total);
    Ok(builder.finish())
}

pub(crate) fn is_first_header(row: &GridRow, map: &[(String, Field)], fuzzy: bool) -> bool {
    row.kind != RowKind::Text && header_fields(&row.cells, map, fuzzy).is_some()
}

/// The fields a row's cells name, in order, when it reads as the first header: two
/// or more, one of them placing a row ([`Field::places_row`]: the action,
/// sub-objective, objective, key or indicator). Close spellings
/// count only when `fuzzy`.
pub(crate) fn header_fields(
    cells: &[String],
    map: &[(String, Field)],
    fuzzy: bool,
) -> Option<Vec<Field>> {
    // The whole source is searched for the header, so a row that cannot be one is
    // told cheaply: it names two columns or more, and a header cell is short (tags
    // and all) — a data cell is never spelled against every synonym. A column a
    // `--map` entry names by letter or number counts whatever it holds.
    let longest = map.iter().map(|(h, _)| h.len()).max().unwrap_or(0).max(HEADER_CELL_BYTES);
    let by_position = crate::columns::positional_fields(map, cells);
    let candidates = || {
        cells.iter().zip(by_position.iter().copied()).filter(|(c, by_position)| {
            by_position.is_some() || (!c.trim().is_empty() && c.len() <= longest + 32)
        })
    };
    candidates().nth(1)?;
    let fields: Vec<Field> = candidates()
        .filter_map(|(c, by_position)| {
            by_position.or_else(|| match crate::field::match_header_as(c, map, fuzzy) {
                Some(HeaderMatch::Exact(f) | HeaderMatch::Fuzzy(f)) => Some(f),
                None => None,
            })
        })
        .collect();
    let names_rows = fields.iter().any(|f| f.places_row());
    (fields.len() >= 2 && names_rows).then_some(fields)
}

/// Whether a row names an action column exactly (a table whose only known column
/// is `Actions`).
fn names_actions(row: &GridRow, map: &[(String, Field)]) -> bool {
    row.kind == RowKind::Data
        && row.cells.len() > 1
        && row.cells.iter().any(|c| match_header(c, map) == Some(HeaderMatch::Exact(Field::Action)))
}

/// Whether `text` is a page marker of a Word table pasted as text: `Page 15`, `15`.
fn is_page_marker(text: &str) -> bool {
    let t = text.trim();
    let digits = t.strip_prefix("Page").or_else(|| t.strip_prefix("page")).unwrap_or(t).trim();
    !digits.is_empty() && digits.len() <= 4 && digits.chars().all(|c| c.is_ascii_digit())
}

/// Whether the text is only table rule characters and spaces of any kind: `--`,
/// `|---|:--:|`, `- - -` with no-break spaces.
pub(crate) fn is_rule(text: &str) -> bool {
    text.chars().all(|c| matches!(c, '-' | ':' | '|' | '=' | '+' | '_') || c.is_whitespace())
}

/// Marks the source of a dependency cell until every key is known: the row and the
/// header follow it, each after the mark. No header holds the character.
const PENDING_DEPENDENCY: &str = "\u{1}";

fn is_pending_dependency(note: &UnmappedNote) -> bool {
    note.source.as_deref().is_some_and(|s| s.starts_with(PENDING_DEPENDENCY))
}

/// The items of a dependency cell: keys or titles separated by semicolons or line
/// breaks, and within a part that `known` does not take whole (a title such as
/// "Review and update the protocol"), by commas or `and`.
fn dependency_items(text: &str, known: impl Fn(&str) -> bool) -> Vec<&str> {
    let mut items = Vec::new();
    for part in text.split([';', '\n']).map(str::trim).filter(|p| !p.is_empty()) {
        if known(part) {
            items.push(part);
            continue;
        }
        let pieces = part.split(',').flat_map(|p| p.split(" and ")).map(str::trim);
        items.extend(pieces.filter(|item| !item.is_empty()));
    }
    items
}

/// `yes`, `y`, `true`, `x`, `✓`, `critical` → true; `no`, `n`, `false`, `-` → false.
pub(crate) fn yes_or_no(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "yes" | "y" | "true" | "x" | "✓" | "✔" | "critical" | "1" => Some(true),
        "no" | "n" | "false" | "-" | "0" | "not critical" => Some(false),
        _ => None,
    }
}

/// What a rating cell held.
#[derive(Debug, Default)]
struct RatingCell {
    ratings: Vec<Rating>,
    status: Option<Status>,
    exempt: bool,
    unknown: bool,
}

fn is_exemption(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower.contains("exempt")
        || lower.contains("no dca")
        || lower.trim() == "reset"
        || lower.starts_with("reset ")
}

fn read_ratings(text: &str, coded: &[(String, Rating)]) -> RatingCell {
    let mut cell = RatingCell::default();
    let line = one_line(text);
    if line.is_empty() {
        return cell;
    }
    if let Some((_, rating)) = coded.iter().find(|(code, _)| code.eq_ignore_ascii_case(&line)) {
        cell.ratings.push(*rating);
        return cell;
    }
    if is_exemption(&line) {
        cell.ratings.push(Rating::NotRated);
        cell.exempt = true;
        return cell;
    }
    if let Ok(r) = line.parse::<Rating>() {
        cell.ratings.push(r);
        return cell;
    }
    let wide: Vec<&str> = text
        .split('\n')
        .flat_map(|l| l.split("  "))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    for parts in [wide, line.split(' ').collect()] {
        if parts.len() > 1 {
            let parsed: Result<Vec<Rating>, _> =
                parts.iter().map(|p| p.parse::<Rating>()).collect();
            if let Ok(ratings) = parsed {
                cell.ratings = ratings;
                return cell;
            }
        }
    }
    match line.parse::<Status>() {
        Ok(status) => cell.status = Some(status),
        Err(_) => cell.unknown = true,
    }
    cell
}

/// Whether every word of the cell is a word of the ratings' JSON names, so that the
/// JSON keeps the cell's text.
fn ratings_keep_words(text: &str, ratings: &[Rating]) -> bool {
    let kept: Vec<String> = ratings.iter().flat_map(|r| words(r.as_str())).collect();
    words(text).all(|w| kept.contains(&w))
}

/// Whether a row reads as shifted one column left: a whole rating word ("Amber")
/// where the action should be, no rating where the rating should be, and text where
/// the sub-objective should be.
pub(crate) fn looks_shifted_left(sub: &str, action: &str, rating: &str) -> bool {
    let whole_rating = |t: &str| {
        let t = t.trim();
        (3..=16).contains(&t.len()) && !t.contains('\n') && t.parse::<Rating>().is_ok()
    };
    !sub.trim().is_empty() && whole_rating(action) && !whole_rating(rating)
}

/// Where each source first gives a note in one node's list of notes, so that adding
/// a note finds the earlier note of its column without reading the list: a row of
/// many columns would otherwise read the notes of every column before it.
///
/// An index serves one list, which only grows while it is in use (notes are ordered
/// in [`Builder::finish`], after the last is added); notes pushed onto the list
/// directly are indexed when the index is next used.
#[derive(Debug, Default)]
struct NoteIndex {
    /// The position of the first note with each source.
    first: HashMap<String, usize>,
    /// How many notes of the list are indexed.
    seen: usize,
}

impl NoteIndex {
    /// Indexes the notes pushed since the index was last used.
    fn catch_up(&mut self, notes: &[UnmappedNote]) {
        if self.seen > notes.len() {
            *self = NoteIndex::default();
        }
        for (i, note) in notes.iter().enumerate().skip(self.seen) {
            if let Some(source) = &note.source {
                self.first.entry(source.clone()).or_insert(i);
            }
        }
        self.seen = notes.len();
    }

    /// Whether the list holds a note with this source.
    fn contains(&mut self, notes: &[UnmappedNote], source: &str) -> bool {
        self.catch_up(notes);
        self.first.contains_key(source)
    }

    /// Adds a note, joining it to an earlier note from the same column (a cell
    /// continued on the next row), so that each column gives a node at most one note.
    fn add(&mut self, notes: &mut Vec<UnmappedNote>, note: UnmappedNote) {
        self.catch_up(notes);
        let existing = note.source.as_ref().and_then(|s| self.first.get(s)).copied();
        match existing.and_then(|i| notes.get_mut(i)) {
            Some(existing) => {
                existing.text.push('\n');
                existing.text.push_str(&note.text);
            }
            None => {
                if let Some(source) = &note.source {
                    self.first.insert(source.clone(), notes.len());
                }
                notes.push(note);
                self.seen = notes.len();
            }
        }
    }
}

/// Words that start a new clause when an action cell is split: "Police to ensure …".
const CLAUSE_JOINERS: &[&str] =
    &["of", "and", "for", "the", "to", "in", "at", "on", "with", "by", "a", "an", "or", "re"];

/// Splits a cell holding `n` actions, or `None` when no split is convincing.
fn split_actions(text: &str, n: usize) -> Option<Vec<String>> {
    let wide: Vec<String> = text
        .split('\n')
        .flat_map(|l| l.split("  "))
        .map(one_line)
        .filter(|p| !p.is_empty())
        .collect();
    if wide.len() == n {
        return Some(wide);
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let candidates: Vec<usize> = (1..words.len())
        .filter(|&i| {
            let prev = words[i - 1];
            words[i].chars().next().is_some_and(char::is_uppercase)
                && prev.chars().last().is_some_and(|c| c.is_lowercase() || c == '.')
                && !CLAUSE_JOINERS.contains(&prev.to_lowercase().as_str())
        })
        .collect();
    let opening = words.get(1).copied();
    let echo: Vec<usize> =
        candidates.iter().copied().filter(|&i| words.get(i + 1).copied() == opening).collect();
    // Only a repeated opening ("Police to …  Police to …  CPS to …") is convincing:
    // a capital letter alone also starts names and acronyms inside one action.
    if echo.len() + 1 != n {
        return None;
    }
    let cuts = echo;
    let mut parts = Vec::with_capacity(n);
    let mut start = 0;
    for cut in cuts.into_iter().chain([words.len()]) {
        parts.push(words[start..cut].join(" "));
        start = cut;
    }
    Some(parts)
}

/// The names of people that stand alone in the plan's owner cells, read from the
/// cells as the rows place them (`rows` starts at the header row): a row moved one
/// column right puts a name in an owner column that the source wrote beside it, and
/// an export writes it there, so a re-import must split owners with the same names.
fn known_names_as_placed(rows: &[GridRow], options: &ImportOptions) -> BTreeSet<String> {
    let Some((header, rows)) = rows.split_first() else { return BTreeSet::new() };
    // A scout builder places the rows; its plan and diagnostics are dropped.
    let mut scout = Builder::new(options);
    scout.set_header(header);
    let mut cells: Vec<String> = Vec::new();
    for row in rows {
        if let Some(placed) = scout.placed_cells(row) {
            cells.extend(scout.owner_cells(&placed).map(str::to_owned));
        }
    }
    known_names(cells.iter().map(String::as_str), &scout.owners.vocabulary)
}

impl<'o> Builder<'o> {
    fn new(options: &'o ImportOptions) -> Builder<'o> {
        Builder {
            options,
            plan: plan_shell(options),
            diagnostics: Vec::new(),
            columns: Vec::new(),
            first_column: [None; Field::ALL.len()],
            have_header: false,
            owners: OwnerContext {
                known: BTreeSet::new(),
                vocabulary: Vocabulary::new(&options.partners),
            },
            objective: None,
            sub_objective: None,
            last_action: None,
            page_break: false,
            header_tails: Vec::new(),
            group_by: None,
            source_keys: Vec::new(),
            keys_from_source: false,
            preamble: Vec::new(),
            notes: NoteIndex::default(),
            notes_of: None,
            node_notes: (None, NoteIndex::default()),
            measure_keys: Vec::new(),
            undated: Vec::new(),
        }
    }
}

impl Builder<'_> {
    fn set_header(&mut self, row: &GridRow) {
        self.columns.clear();
        self.first_column = [None; Field::ALL.len()];
        let by_position = crate::columns::positional_fields(&self.options.map, &row.cells);
        for (i, cell) in row.cells.iter().enumerate() {
            let header = one_line(&strip_html(cell));
            let matched = match by_position.get(i).copied().flatten() {
                Some(f) => Some(HeaderMatch::Exact(f)),
                None => match_header(cell, &self.options.map),
            };
            let mut field = match matched {
                Some(HeaderMatch::Exact(f)) => Some(f),
                Some(HeaderMatch::Fuzzy(f)) => {
                    self.diagnostics.push(
                        Diagnostic::warning(
                            DiagnosticCode::FuzzyHeader,
                            format!("header read as `{f}` by its spelling"),
                        )
                        .at_row(row.line)
                        .at_column(header.clone())
                        .with_text(header.clone()),
                    );
                    Some(f)
                }
                None if header.is_empty() => None,
                None => Some(Field::Unmapped),
            };
            let mut fallback = None;
            if let Some(f) = field
                && f != Field::Unmapped
                && f != Field::Progress
                && let Some(first) = self.column_of(f)
            {
                self.diagnostics.push(
                    Diagnostic::info(
                        DiagnosticCode::FallbackColumn,
                        format!(
                            "a second `{f}` column: read where {:?} is empty, otherwise kept \
                             as a note under its header",
                            self.column_name(first)
                        ),
                    )
                    .at_row(row.line)
                    .at_column(header.clone())
                    .with_text(header.clone()),
                );
                field = Some(Field::Unmapped);
                fallback = Some(f);
            }
            if let Some(f) = field {
                self.first_column[f as usize].get_or_insert(self.columns.len());
            }
            self.columns.push(Column { header, field, fallback });
        }
        if let Some(group_by) = &self.options.group_by {
            let wanted = crate::field::normalise_header(group_by);
            self.group_by = self
                .columns
                .iter()
                .position(|c| crate::field::normalise_header(&c.header) == wanted);
            if self.group_by.is_none() {
                self.diagnostics.push(
                    Diagnostic::warning(
                        DiagnosticCode::GroupByMissing,
                        "no column has this header",
                    )
                    .at_row(row.line)
                    .with_text(group_by.clone()),
                );
            }
        }
        let layout: Vec<(String, Option<Field>)> =
            self.columns.iter().map(|c| (c.header.clone(), c.field)).collect();
        if !self.have_header {
            self.plan
                .metadata
                .insert(LAYOUT_KEY.to_owned(), crate::export::layout_to_string(&layout));
        }
        self.have_header = true;
    }

    /// The cells of a placed row (see [`Builder::placed_cells`]) that sit in an
    /// Accountable or Responsibility column of the current header.
    fn owner_cells<'c>(&self, cells: &'c [String]) -> impl Iterator<Item = &'c str> {
        cells.iter().enumerate().filter_map(|(i, c)| {
            matches!(self.field_at(i), Some(Field::Accountable | Field::Responsible))
                .then_some(c.as_str())
        })
    }

    fn preamble_row(&mut self, row: &GridRow) {
        let text: Vec<String> =
            row.cells.iter().map(|c| strip_html(c)).filter(|c| !c.is_empty()).collect();
        if !text.is_empty() {
            self.preamble.push((row.line, text.join(" | ")));
        }
    }

    fn row(&mut self, row: &GridRow) {
        if let Some(cells) = self.placed_cells(row) {
            self.data_row(row, cells);
        }
    }

    /// The cells of a data row as they go into the plan: HTML and bold header words
    /// removed, a row shifted one column left moved back. `None` for a row that is
    /// not table data (a header, text, a repeated header, a blank row, a rule).
    fn placed_cells(&mut self, row: &GridRow) -> Option<Vec<String>> {
        match row.kind {
            RowKind::Header => {
                let text: Vec<String> =
                    row.cells.iter().map(|c| strip_html(c)).filter(|c| !c.is_empty()).collect();
                self.diagnostics.push(
                    Diagnostic::info(DiagnosticCode::TableHeader, "the columns of the next table")
                        .at_row(row.line)
                        .with_text(text.join(" | ")),
                );
                self.set_header(row);
                return None;
            }
            RowKind::Text => {
                self.text_row(row.line, &row.cells.join(" "), row.group.as_deref());
                return None;
            }
            RowKind::Data => {}
        }
        if row.cells.len() == 1 && self.columns.len() > 1 {
            self.text_row(row.line, &row.cells[0], row.group.as_deref());
            return None;
        }
        let stripped: Vec<String> = row.cells.iter().map(|c| strip_html(c)).collect();
        if self.is_repeated_header(&stripped) {
            let text: Vec<&str> =
                stripped.iter().map(String::as_str).filter(|c| !c.is_empty()).collect();
            self.diagnostics.push(
                Diagnostic::warning(DiagnosticCode::RepeatedHeader, "repeated header row skipped")
                    .at_row(row.line)
                    .with_text(text.join(" | ")),
            );
            self.page_break = true;
            self.header_tails = self.cut_headers(&stripped);
            return None;
        }
        let tails = std::mem::take(&mut self.header_tails);
        let mut cells = Vec::with_capacity(row.cells.len());
        for (i, (raw, clean)) in row.cells.iter().zip(stripped).enumerate() {
            if !raw.contains('<') {
                cells.push(clean);
                continue;
            }
            let (rest, removed) = remove_bold_headers(raw);
            for word in removed {
                self.diagnostics.push(
                    Diagnostic::warning(
                        DiagnosticCode::HeaderInCell,
                        "header word removed from a cell",
                    )
                    .at_row(row.line)
                    .at_column(self.column_name(i))
                    .with_text(word),
                );
            }
            cells.push(strip_html(&rest));
        }
        self.remove_header_tails(row.line, &tails, &mut cells);
        if cells.iter().all(String::is_empty) {
            self.page_break = true;
            return None;
        }
        if cells.iter().all(|c| is_rule(c)) {
            let text: Vec<&str> =
                cells.iter().map(String::as_str).filter(|c| !c.is_empty()).collect();
            self.diagnostics.push(
                Diagnostic::info(DiagnosticCode::RuleRow, "table rule skipped")
                    .at_row(row.line)
                    .with_text(text.join(" ")),
            );
            return None;
        }
        self.shift_if_stranded(row.line, &mut cells);
        self.fall_back(row.line, &mut cells);
        Some(cells)
    }

    /// Moves the cell of a fallback column of a field that places the row (the
    /// action, its key, objective or sub-objective) into the first column of its
    /// field where that one is empty: of several columns of one field, the first
    /// non-empty wins. The fields of an action fall back in [`Builder::fill`].
    fn fall_back(&mut self, line: usize, cells: &mut [String]) {
        let placing = [Field::Action, Field::Key, Field::Objective, Field::SubObjective];
        for j in 0..self.columns.len().min(cells.len()) {
            let Some(f) = self.columns[j].fallback.filter(|f| placing.contains(f)) else {
                continue;
            };
            let Some(first) = self.column_of(f) else {
                continue;
            };
            if cells[j].is_empty() || cells.get(first).is_some_and(|c| !c.is_empty()) {
                continue;
            }
            let text = std::mem::take(&mut cells[j]);
            self.diagnostics.push(
                Diagnostic::info(
                    DiagnosticCode::FallbackUsed,
                    format!("{:?} is empty: `{f}` read from this column", self.column_name(first)),
                )
                .at_row(line)
                .at_column(self.column_name(j))
                .with_text(text.clone()),
            );
            cells[first] = text;
        }
    }

    fn column_name(&self, index: usize) -> String {
        match self.columns.get(index) {
            Some(c) => c.name(index),
            None => format!("column {}", index + 1),
        }
    }

    /// The first column of field `f`.
    fn column_of(&self, f: Field) -> Option<usize> {
        self.first_column[f as usize]
    }

    fn field_at(&self, index: usize) -> Option<Field> {
        self.columns.get(index).and_then(|c| c.field)
    }

    /// The ends of the headers `cells` (a repeated header row) cut short: for each
    /// cell that is the start of its column's header (`Partners` of `Partners
    /// Involved`), the rest (`Involved`).
    fn cut_headers(&self, cells: &[String]) -> Vec<(usize, String)> {
        let columns = cells.iter().zip(&self.columns).enumerate();
        columns
            .filter_map(|(i, (cell, column))| {
                let rest = column.header.strip_prefix(cell.as_str())?;
                let rest = rest.strip_prefix(' ')?.trim();
                (!cell.is_empty() && !rest.is_empty()).then(|| (i, rest.to_owned()))
            })
            .collect()
    }

    /// Takes the ends of headers cut short on the row above out of the cells of this
    /// row, where a cell is that end alone or starts or ends with it as a word of its
    /// own (`Green  RAG`), each with a warning.
    fn remove_header_tails(
        &mut self,
        line: usize,
        tails: &[(usize, String)],
        cells: &mut [String],
    ) {
        for (i, tail) in tails {
            let Some(cell) = cells.get_mut(*i) else { continue };
            let rest = if cell.as_str() == tail.as_str() {
                Some(String::new())
            } else {
                let before = cell.strip_suffix(tail.as_str()).filter(|b| b.ends_with(' '));
                let after = cell.strip_prefix(tail.as_str()).filter(|a| a.starts_with(' '));
                before.or(after).map(|r| r.trim().to_owned())
            };
            let Some(rest) = rest else { continue };
            *cell = rest;
            self.diagnostics.push(
                Diagnostic::warning(
                    DiagnosticCode::HeaderInCell,
                    "the end of a header cut short on the row above removed from a cell",
                )
                .at_row(line)
                .at_column(self.column_name(*i))
                .with_text(tail.clone()),
            );
        }
    }

    fn is_repeated_header(&self, cells: &[String]) -> bool {
        let mut headers = 0;
        let mut others = 0;
        for (i, cell) in cells.iter().enumerate() {
            if cell.is_empty() || (self.field_at(i).is_none() && is_page_marker(cell)) {
                continue;
            }
            if is_header_word(cell) { headers += 1 } else { others += 1 }
        }
        headers >= 2 && others == 0
    }

    /// Moves a row shifted one column left back into place: a whole rating word in
    /// the Actions cell, the rating cell holding no rating, and the action's text in
    /// the sub-objective cell (Sub Objectives, Actions and the rating must be
    /// neighbours, as in the delivery-plan layout).
    fn shift_if_stranded(&mut self, line: usize, cells: &mut Vec<String>) {
        let Some(rag) = self.column_of(Field::ActionRag) else {
            return;
        };
        if rag < 2
            || self.field_at(rag - 1) != Some(Field::Action)
            || self.field_at(rag - 2) != Some(Field::SubObjective)
        {
            return;
        }
        let at = |i: usize| cells.get(i).map(String::as_str).unwrap_or_default();
        if !looks_shifted_left(at(rag - 2), at(rag - 1), at(rag)) {
            return;
        }
        let text = at(rag - 1).to_owned();
        let col = self.column_name(rag - 1);
        cells.insert(rag - 2, String::new());
        // A last cell pushed past the header is kept as a note, like any other.
        if cells.last().is_some_and(String::is_empty) {
            cells.pop();
        }
        self.diagnostics.push(
            Diagnostic::warning(
                DiagnosticCode::ShiftedRow,
                "rating found in the Actions column; the row was moved one column right",
            )
            .at_row(line)
            .at_column(col)
            .with_text(text),
        );
    }

    fn text_row(&mut self, line: usize, text: &str, group: Option<&str>) {
        let text = strip_html(text);
        if text.is_empty() {
            self.page_break = true;
            return;
        }
        if is_rule(&text) {
            self.diagnostics.push(
                Diagnostic::info(DiagnosticCode::RuleRow, "table rule skipped")
                    .at_row(line)
                    .with_text(text),
            );
            return;
        }
        let o = self.objective_for(group.map(str::to_owned));
        self.plan.objectives[o].unmapped.push(UnmappedNote { source: None, text: text.clone() });
        self.diagnostics.push(
            Diagnostic::warning(
                DiagnosticCode::TextRow,
                "text outside the table kept as a note of the objective",
            )
            .at_row(line)
            .with_text(text),
        );
    }

    /// The objective a row belongs to, created when new.
    fn objective_for(&mut self, title: Option<String>) -> usize {
        match title {
            Some(title) => {
                let found = if self.group_by.is_some() {
                    self.plan.objectives.iter().position(|o| o.title == title)
                } else {
                    self.objective.filter(|&o| self.plan.objectives[o].title == title)
                };
                let o = found.unwrap_or_else(|| self.new_objective(&title));
                if Some(o) != self.objective {
                    self.sub_objective = None;
                }
                self.objective = Some(o);
                o
            }
            None => match self.objective {
                Some(o) => o,
                None => {
                    let title = self.plan.title.clone();
                    let o = self.new_objective(&title);
                    self.objective = Some(o);
                    o
                }
            },
        }
    }

    fn new_objective(&mut self, title: &str) -> usize {
        let key = Key::positional(None, self.plan.objectives.len());
        self.plan.objectives.push(Objective::new(key, title));
        self.sub_objective = None;
        self.plan.objectives.len() - 1
    }

    fn data_row(&mut self, row: &GridRow, mut cells: Vec<String>) {
        let line = row.line;
        // Which objective.
        let objective_cell = self
            .columns
            .iter()
            .position(|c| c.field == Some(Field::Objective))
            .and_then(|i| cells.get(i))
            .filter(|c| !c.is_empty())
            .map(|c| one_line(c));
        let group_cell =
            self.group_by.and_then(|i| cells.get(i)).filter(|c| !c.is_empty()).map(|c| one_line(c));
        if group_cell.is_none()
            && let Some(title) = &objective_cell
            && self.objective.is_some_and(|o| &self.plan.objectives[o].title == title)
        {
            let col = self.column_of(Field::Objective);
            self.diagnostics.push(
                Diagnostic::info(
                    DiagnosticCode::SameObjective,
                    "same text as the objective above: the row continues it",
                )
                .at_row(line)
                .at_column(self.column_name(col.unwrap_or(0)))
                .with_text(title.clone()),
            );
        }
        let o = self.objective_for(group_cell.or(objective_cell).or_else(|| row.group.clone()));

        // Page markers and other cells of unnamed columns.
        let mut row_notes: Vec<UnmappedNote> = Vec::new();
        let mut extra_notes: Vec<UnmappedNote> = Vec::new();
        for (i, cell) in cells.iter().enumerate() {
            if cell.is_empty() {
                continue;
            }
            if i >= self.columns.len() {
                self.diagnostics.push(
                    Diagnostic::warning(
                        DiagnosticCode::ExtraCell,
                        "cell beyond the header kept as a note",
                    )
                    .at_row(line)
                    .at_column(self.column_name(i))
                    .with_text(cell.clone()),
                );
                extra_notes
                    .push(UnmappedNote { source: Some(self.column_name(i)), text: cell.clone() });
            } else if self.columns[i].field.is_none() {
                if is_page_marker(cell) {
                    self.page_break = true;
                    self.diagnostics.push(
                        Diagnostic::warning(DiagnosticCode::PageMarker, "page marker skipped")
                            .at_row(line)
                            .at_column(self.column_name(i))
                            .with_text(cell.clone()),
                    );
                } else {
                    row_notes.push(UnmappedNote {
                        source: Some(self.column_name(i)),
                        text: cell.clone(),
                    });
                }
            }
        }
        row_notes.append(&mut extra_notes);

        // Which sub-objective.
        if let Some(sub_idx) = self.column_of(Field::SubObjective)
            && let Some(title) = cells.get(sub_idx).filter(|c| !c.is_empty()).map(|c| one_line(c))
        {
            let objective = &mut self.plan.objectives[o];
            let same = self
                .sub_objective
                .and_then(|s| objective.sub_objectives.get(s))
                .is_some_and(|s| s.title == title);
            if same {
                self.diagnostics.push(
                    Diagnostic::info(
                        DiagnosticCode::SameSubObjective,
                        "same text as the sub-objective above: the row continues it",
                    )
                    .at_row(line)
                    .at_column(self.column_name(sub_idx))
                    .with_text(title),
                );
            } else {
                let index = objective.sub_objectives.len() + objective.actions.len();
                let key = Key::positional(Some(&objective.key), index);
                objective.sub_objectives.push(SubObjective::new(key, title));
                self.sub_objective = Some(objective.sub_objectives.len() - 1);
                self.last_action = None;
            }
        }

        let action_text = self
            .columns
            .iter()
            .position(|c| c.field == Some(Field::Action))
            .and_then(|i| cells.get(i))
            .filter(|c| !c.is_empty())
            .cloned();
        // An indicator makes a measure of the row's parent and takes the measure's
        // cells (and, on a row with no action, its key) out of the row.
        let has_indicator = self.take_measure(line, o, &mut cells, action_text.is_some());
        match action_text {
            Some(text) => {
                let text = self.carried_words(line, o, &text, &cells);
                self.new_actions(line, o, text, &cells, row_notes);
                self.page_break = false;
            }
            None if has_indicator => {
                let filled = self.filled_cells(&cells);
                self.node_notes_of_row(line, o, &filled, &cells, row_notes);
                self.page_break = false;
            }
            None => self.continuation(line, o, &cells, row_notes),
        }
    }

    fn action_column(&self) -> usize {
        self.column_of(Field::Action).unwrap_or(0)
    }

    fn new_actions(
        &mut self,
        line: usize,
        o: usize,
        text: &str,
        cells: &[String],
        row_notes: Vec<UnmappedNote>,
    ) {
        let rag_col = self.column_of(Field::ActionRag);
        let rag_text = rag_col.and_then(|i| cells.get(i)).cloned().unwrap_or_default();
        let rag = read_ratings(&rag_text, &self.options.rating_map);
        let titles = if rag.ratings.len() > 1 {
            match split_actions(text, rag.ratings.len()) {
                Some(parts) => {
                    self.diagnostics.push(
                        Diagnostic::warning(
                            DiagnosticCode::SplitActions,
                            format!(
                                "cell read as {} actions, one for each rating beside it",
                                parts.len()
                            ),
                        )
                        .at_row(line)
                        .at_column(self.column_name(self.action_column()))
                        .with_text(text.to_owned()),
                    );
                    parts
                }
                None => vec![one_line(text)],
            }
        } else {
            vec![one_line(text)]
        };
        let n = titles.len();
        for (i, title) in titles.into_iter().enumerate() {
            let mut action = Action::new(Key::positional(None, 0), title);
            self.notes = NoteIndex::default();
            for (c, cell) in cells.iter().enumerate() {
                if cell.is_empty() {
                    continue;
                }
                let Some(field) = self.field_at(c).filter(|f| *f != Field::Key) else { continue };
                self.fill(line, c, field, cell, &mut action, (i, n));
            }
            if i == 0 {
                action.unmapped.extend(row_notes.iter().cloned());
            }
            self.push_action(line, o, action, cells);
            self.notes_of = self.last_action;
        }
    }

    /// A row with no action: its cells continue the last action above (a Word table
    /// cell split across a page), or, with none, become notes of the sub-objective.
    fn continuation(&mut self, line: usize, o: usize, cells: &[String], notes: Vec<UnmappedNote>) {
        let filled = self.filled_cells(cells);
        if filled.is_empty() && notes.is_empty() {
            return;
        }
        self.page_break = false;
        let place = self.last_action.filter(|(lo, ls, _)| *lo == o && *ls == self.sub_objective);
        match place {
            Some(place) => {
                let mut action = match self.take_action(place) {
                    Some(a) => a,
                    None => return,
                };
                if self.notes_of != Some(place) {
                    self.notes = NoteIndex::default();
                    self.notes_of = Some(place);
                }
                for &c in &filled {
                    if let Some(field) = self.field_at(c) {
                        self.diagnostics.push(
                            Diagnostic::warning(
                                DiagnosticCode::ContinuationRow,
                                format!("row with no action added to action {}", action.key),
                            )
                            .at_row(line)
                            .at_column(self.column_name(c))
                            .with_text(cells[c].clone()),
                        );
                        self.fill(line, c, field, &cells[c], &mut action, (0, 1));
                    }
                }
                for note in notes {
                    self.notes.add(&mut action.unmapped, note);
                }
                self.put_action(place, action);
            }
            None => self.node_notes_of_row(line, o, &filled, cells, notes),
        }
    }

    /// The cells of a row that may continue an action: filled, in a column with a
    /// field, and not placing the row in an objective or sub-objective.
    fn filled_cells(&self, cells: &[String]) -> Vec<usize> {
        let skip = [Field::Objective, Field::SubObjective];
        cells
            .iter()
            .enumerate()
            .filter(|(c, cell)| {
                !cell.is_empty()
                    && self.field_at(*c).is_some_and(|f| !skip.contains(&f))
                    && Some(*c) != self.group_by
            })
            .map(|(c, _)| c)
            .collect()
    }

    /// The `filled` cells of a row with no action, and its `notes`, kept as notes of
    /// the sub-objective the row sits under (or of objective `o` when none), each
    /// cell with a `row-without-action` warning.
    fn node_notes_of_row(
        &mut self,
        line: usize,
        o: usize,
        filled: &[usize],
        cells: &[String],
        notes: Vec<UnmappedNote>,
    ) {
        let mut node_notes = notes;
        for &c in filled {
            let name = self.column_name(c);
            self.diagnostics.push(
                Diagnostic::warning(
                    DiagnosticCode::RowWithoutAction,
                    "row with no action kept as a note of its sub-objective",
                )
                .at_row(line)
                .at_column(name.clone())
                .with_text(cells[c].clone()),
            );
            node_notes.push(UnmappedNote { source: Some(name), text: cells[c].clone() });
        }
        self.add_node_notes(o, node_notes);
    }

    /// Adds notes to the sub-objective rows are read under (or to objective `o` when
    /// none), each joining an earlier note of its column there.
    fn add_node_notes(&mut self, o: usize, notes: Vec<UnmappedNote>) {
        if notes.is_empty() {
            return;
        }
        let objective = &mut self.plan.objectives[o];
        let (s, list) = match self
            .sub_objective
            .and_then(|s| objective.sub_objectives.get_mut(s).map(|sub| (s, sub)))
        {
            Some((s, sub)) => (Some(s), &mut sub.unmapped),
            None => (None, &mut objective.unmapped),
        };
        let (of, index) = &mut self.node_notes;
        if *of != Some((o, s)) {
            *index = NoteIndex::default();
            *of = Some((o, s));
        }
        for note in notes {
            index.add(list, note);
        }
    }

    /// The action cell of a row without leading words that finish the action above.
    ///
    /// A Word table cell split across a page can leave the last words of one action
    /// at the start of the next row's cell, before the next action: "… evidence in
    /// CSE", a blank row, then "cases Access to specialist advocacy". When the row
    /// comes after a page break (a blank row, a page marker or a repeated header),
    /// continues the sub-objective above, the action above does not end a sentence,
    /// and the cell opens with one to three lower-case words followed by a
    /// capitalised one, those words are added back to the action above, with a
    /// warning. A table ragplan writes has no page breaks, so an action of its own
    /// that opens in lower case is read back as written.
    fn carried_words<'t>(
        &mut self,
        line: usize,
        o: usize,
        text: &'t str,
        cells: &[String],
    ) -> &'t str {
        if !self.page_break {
            return text;
        }
        let sub_cell_empty = self
            .columns
            .iter()
            .position(|c| c.field == Some(Field::SubObjective))
            .is_none_or(|i| cells.get(i).is_none_or(|c| c.trim().is_empty()));
        let place = self.last_action.filter(|(lo, ls, _)| *lo == o && *ls == self.sub_objective);
        let words: Vec<&str> = text.split_whitespace().collect();
        let n_lower = words
            .iter()
            .take_while(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase()))
            .count();
        let capital_follows =
            words.get(n_lower).and_then(|w| w.chars().next()).is_some_and(char::is_uppercase);
        let (Some(place), true, 1..=3, true) = (place, sub_cell_empty, n_lower, capital_follows)
        else {
            return text;
        };
        let column = self.column_name(self.action_column());
        let Some(above) = self.action_mut(place) else { return text };
        if above.title.trim_end().ends_with(['.', '!', '?', ':', ';', ')']) {
            return text;
        }
        let carried = words[..n_lower].join(" ");
        above.title = format!("{} {carried}", above.title.trim_end());
        let key = above.key.clone();
        self.diagnostics.push(
            Diagnostic::warning(
                DiagnosticCode::CarriedWords,
                format!(
                    "\"{carried}\" finishes action {key} above (a cell split across a page) \
                     and is added to it"
                ),
            )
            .at_row(line)
            .at_column(column)
            .with_text(text.to_owned()),
        );
        // The rest of the cell as written, line breaks and all.
        let mut rest = text;
        for _ in 0..n_lower {
            rest = rest.trim_start();
            rest = &rest[rest.find(char::is_whitespace).unwrap_or(rest.len())..];
        }
        rest.trim_start()
    }

    fn action_mut(&mut self, (o, s, a): ActionPlace) -> Option<&mut Action> {
        let objective = self.plan.objectives.get_mut(o)?;
        let list = match s {
            Some(s) => &mut objective.sub_objectives.get_mut(s)?.actions,
            None => &mut objective.actions,
        };
        list.get_mut(a)
    }

    fn take_action(&mut self, (o, s, a): ActionPlace) -> Option<Action> {
        let objective = self.plan.objectives.get_mut(o)?;
        let list = match s {
            Some(s) => &mut objective.sub_objectives.get_mut(s)?.actions,
            None => &mut objective.actions,
        };
        (a < list.len()).then(|| list.remove(a))
    }

    fn put_action(&mut self, (o, s, a): ActionPlace, action: Action) {
        let objective = &mut self.plan.objectives[o];
        let list = match s.and_then(|s| objective.sub_objectives.get_mut(s)) {
            Some(sub) => &mut sub.actions,
            None => &mut objective.actions,
        };
        list.insert(a.min(list.len()), action);
    }

    fn push_action(&mut self, line: usize, o: usize, mut action: Action, cells: &[String]) {
        let objective = &mut self.plan.objectives[o];
        let (parent_key, index) =
            match self.sub_objective.and_then(|s| objective.sub_objectives.get(s)) {
                Some(sub) => (sub.key.clone(), sub.actions.len()),
                None => (
                    objective.key.clone(),
                    objective.sub_objectives.len() + objective.actions.len(),
                ),
            };
        let positional = Key::positional(Some(&parent_key), index);
        let key_col = self.column_of(Field::Key);
        let key_text = key_col.and_then(|i| cells.get(i)).map(|c| one_line(c)).unwrap_or_default();
        // Every action is keyed by position first; the source's own key replaces it
        // in `finish`, where it is unique in the whole plan.
        action.key = positional.clone();
        let mut source_key = None;
        if !key_text.is_empty() {
            let column = self.column_name(key_col.unwrap_or(0));
            match Key::new(&key_text) {
                Ok(key) => source_key = Some((key, column, key_text)),
                Err(e) => {
                    self.diagnostics.push(
                        Diagnostic::warning(
                            DiagnosticCode::BadKey,
                            format!("{e}; the action is keyed {positional} by position"),
                        )
                        .at_row(line)
                        .at_column(column.clone())
                        .with_text(key_text.clone()),
                    );
                    // Kept as written, so that an export writes it back in its column.
                    let written = format!("{column}{}", crate::export::AS_WRITTEN);
                    action.unmapped.push(UnmappedNote { source: Some(written), text: key_text });
                }
            }
        }
        let objective = &mut self.plan.objectives[o];
        let place = match self
            .sub_objective
            .and_then(|s| objective.sub_objectives.get_mut(s).map(|x| (s, x)))
        {
            Some((s, sub)) => {
                sub.actions.push(action);
                (o, Some(s), sub.actions.len() - 1)
            }
            None => {
                objective.actions.push(action);
                (o, None, objective.actions.len() - 1)
            }
        };
        if let Some((key, column, text)) = source_key {
            self.source_keys.push(SourceKey { place, line, column, text, key });
        }
        self.last_action = Some(place);
    }

    /// The splits and joins made reading an owners or partners cell, as diagnostics
    /// quoting the cell.
    fn cell_notes(&mut self, line: usize, col: usize, cell: &str, notes: Vec<CellNote>) {
        for note in notes {
            let diagnostic = match note.code.severity() {
                Severity::Warning => Diagnostic::warning(note.code.code(), note.message),
                Severity::Info => Diagnostic::info(note.code.code(), note.message),
            };
            self.diagnostics.push(
                diagnostic.at_row(line).at_column(self.column_name(col)).with_text(cell.to_owned()),
            );
        }
    }

    /// Puts one cell into its field of `action`. `part` is (this action, of how many)
    /// when a cell holding several actions was split.
    fn fill(
        &mut self,
        line: usize,
        col: usize,
        field: Field,
        cell: &str,
        action: &mut Action,
        part: (usize, usize),
    ) {
        if field == Field::Unmapped
            && let Some(f) = self.columns.get(col).and_then(|c| c.fallback)
            && let Some(first) = self.column_of(f)
            && self.falls_back(f, first, cell, action)
        {
            if part.0 == 0 {
                self.diagnostics.push(
                    Diagnostic::info(
                        DiagnosticCode::FallbackUsed,
                        format!(
                            "{:?} is empty: `{f}` read from this column",
                            self.column_name(first)
                        ),
                    )
                    .at_row(line)
                    .at_column(self.column_name(col))
                    .with_text(cell.to_owned()),
                );
            }
            return self.fill(line, first, f, cell, action, part);
        }
        // The fields that need no column name first: most cells are one of these.
        match field {
            Field::Action | Field::Objective | Field::SubObjective => return,
            Field::Evidence => return action.evidence.extend(cell.lines().map(one_line)),
            Field::Outcomes => return action.outcomes.extend(cell.lines().map(one_line)),
            Field::Partners => {
                let read = read_partners(cell, &self.owners.vocabulary);
                if part.0 == 0 {
                    self.cell_notes(line, col, cell, read.notes);
                }
                return action.partners.extend(read.partners);
            }
            Field::Accountable | Field::Responsible => {
                let split = split_owners(cell, &self.owners);
                if part.0 == 0 {
                    self.cell_notes(line, col, cell, split.notes);
                }
                let list = if field == Field::Accountable {
                    &mut action.accountable
                } else {
                    &mut action.responsible
                };
                return list.extend(split.owners);
            }
            _ => {}
        }
        let header = self.column_name(col);
        let note =
            |text: &str| UnmappedNote { source: Some(header.clone()), text: text.to_owned() };
        let written = |text: &str| UnmappedNote {
            source: Some(format!("{header}{}", crate::export::AS_WRITTEN)),
            text: text.to_owned(),
        };
        let more = |text: &str| UnmappedNote {
            source: Some(format!("{header} (more)")),
            text: text.to_owned(),
        };
        if field == Field::Status && action.status.is_some() {
            let same_status = one_line(cell).parse::<Status>().is_ok_and(|st| {
                Some(st) == action.status && words(cell).all(|w| words(st.as_str()).any(|s| s == w))
            });
            if same_status {
                return;
            }
            self.notes.add(&mut action.unmapped, more(cell));
            return;
        }
        match field {
            Field::Action | Field::Objective | Field::SubObjective => {}
            // A key on a row that continues an action above: kept, not applied.
            Field::Key => self.notes.add(&mut action.unmapped, more(cell)),
            Field::Description => {
                let text = one_line(cell);
                action.description = Some(match action.description.take() {
                    Some(d) => format!("{d} {text}"),
                    None => text,
                });
            }
            Field::ActionRag | Field::OutcomeRag => {
                self.fill_rating(line, col, field, cell, action, part)
            }
            Field::Status => match one_line(cell).parse::<Status>() {
                Ok(status) if words(cell).all(|w| words(status.as_str()).any(|s| s == w)) => {
                    action.status = Some(status);
                }
                Ok(status) => {
                    action.status = Some(status);
                    action.unmapped.push(written(cell));
                }
                Err(_) => {
                    self.diagnostics.push(
                        Diagnostic::warning(
                            DiagnosticCode::UnknownStatus,
                            "not a status; kept as a note",
                        )
                        .at_row(line)
                        .at_column(header.clone())
                        .with_text(cell.to_owned()),
                    );
                    action.unmapped.push(written(cell));
                }
            },
            Field::Evidence
            | Field::Outcomes
            | Field::Partners
            | Field::Accountable
            | Field::Responsible => {}
            Field::Timescale => {
                let text = one_line(cell);
                if !action.timescale.is_missing() {
                    self.notes.add(&mut action.unmapped, more(cell));
                    return;
                }
                let timescale = Timescale::parse(&text);
                if timescale.kind == TimescaleKind::Unresolved && part.0 == 0 {
                    self.diagnostics.push(
                        Diagnostic::warning(
                            DiagnosticCode::UnresolvedTimescale,
                            "timescale not understood; the text is kept",
                        )
                        .at_row(line)
                        .at_column(header.clone())
                        .with_text(text),
                    );
                }
                action.timescale = timescale;
            }
            Field::Start
            | Field::ReviewDate
            | Field::Weight
            | Field::Critical
            | Field::DependsOn => self.fill_detail(line, &header, field, cell, action),
            // A measure's cell on a row with no indicator has no measure to go to.
            Field::Indicator
            | Field::Unit
            | Field::Target
            | Field::Direction
            | Field::Tolerance
            | Field::Actual
            | Field::AsAt
            | Field::Progress
            | Field::Unmapped => self.notes.add(&mut action.unmapped, note(cell)),
        }
    }

    /// A start or review date, a weight, a yes or no for critical, or dependencies
    /// (resolved to keys when the whole plan is read). What cannot be read is kept as
    /// written, with a warning; a second value for the action is kept as a note.
    fn fill_detail(
        &mut self,
        line: usize,
        header: &str,
        field: Field,
        cell: &str,
        action: &mut Action,
    ) {
        let text = one_line(cell);
        let written = format!("{header}{}", crate::export::AS_WRITTEN);
        if self.notes.contains(&action.unmapped, &written) {
            let more = UnmappedNote { source: Some(format!("{header} (more)")), text };
            return self.notes.add(&mut action.unmapped, more);
        }
        // A value read from text other than its own spelling (`1 April 2015`, `Yes`)
        // keeps the text as written too, as a rating does.
        let mut keep_text = false;
        let refused = match field {
            Field::Start | Field::ReviewDate => {
                let slot =
                    if field == Field::Start { &mut action.start } else { &mut action.review_date };
                match (*slot, Timescale::day(&text)) {
                    (None, Some(day)) => {
                        *slot = Some(day);
                        keep_text = text != day.to_string();
                        None
                    }
                    (Some(_), _) => {
                        let more = UnmappedNote { source: Some(format!("{header} (more)")), text };
                        return self.notes.add(&mut action.unmapped, more);
                    }
                    (None, None) => Some((
                        DiagnosticCode::NotADate,
                        "not a date (such as 1 April 2015 or 2015-04-01); kept as a note",
                    )),
                }
            }
            Field::Weight => match text.parse::<u32>() {
                Ok(w) if w >= 1 && action.weight.is_none() => {
                    action.weight = Some(w);
                    keep_text = text != w.to_string();
                    None
                }
                _ => Some((
                    DiagnosticCode::NotAWeight,
                    "not a weight (a whole number from 1); kept as a note",
                )),
            },
            Field::Critical => match yes_or_no(&text) {
                Some(critical) => {
                    action.critical |= critical;
                    keep_text = text != critical.to_string();
                    None
                }
                None => Some((DiagnosticCode::NotYesOrNo, "neither yes nor no; kept as a note")),
            },
            _ => {
                // Read once every key is known: in `resolve_dependencies`.
                let pending = format!("{PENDING_DEPENDENCY}{line}{PENDING_DEPENDENCY}{header}");
                action.unmapped.push(UnmappedNote { source: Some(pending), text: cell.to_owned() });
                None
            }
        };
        if let Some((code, message)) = refused {
            self.diagnostics.push(
                Diagnostic::warning(code, message)
                    .at_row(line)
                    .at_column(header.to_owned())
                    .with_text(text.clone()),
            );
            keep_text = true;
        }
        if keep_text {
            action.unmapped.push(UnmappedNote { source: Some(written), text });
        }
    }

    /// Turns each action's dependency cells into keys: an item is the key of an action,
    /// or the title of exactly one action (any case). A cell with an item that names
    /// no action is also kept as written, with an `unknown-dependency` warning.
    fn resolve_dependencies(&mut self) {
        let mut keys: HashSet<String> = HashSet::new();
        let mut titles: HashMap<String, Option<Key>> = HashMap::new();
        for action in self.plan.actions() {
            keys.insert(action.key.to_string());
            titles
                .entry(normalise_header(&action.title))
                .and_modify(|k| *k = None)
                .or_insert_with(|| Some(action.key.clone()));
        }
        let mut diagnostics = Vec::new();
        for action in self.plan.actions_mut() {
            if !action.unmapped.iter().any(is_pending_dependency) {
                continue;
            }
            let (pending, kept): (Vec<UnmappedNote>, Vec<UnmappedNote>) =
                std::mem::take(&mut action.unmapped).into_iter().partition(is_pending_dependency);
            action.unmapped = kept;
            for note in pending {
                let source = note.source.unwrap_or_default();
                let mut parts = source.split(PENDING_DEPENDENCY).skip(1);
                let line = parts.next().and_then(|l| l.parse::<usize>().ok());
                let header = parts.next().unwrap_or_default().to_owned();
                let mut unknown = Vec::new();
                let lookup = |item: &str| {
                    Key::new(item)
                        .ok()
                        .filter(|k| keys.contains(k.as_str()))
                        .or_else(|| titles.get(&normalise_header(item)).cloned().flatten())
                };
                for item in dependency_items(&note.text, |part| lookup(part).is_some()) {
                    match lookup(item) {
                        Some(key) if key == action.key => unknown.push(item.to_owned()),
                        Some(key) if action.depends_on.contains(&key) => {}
                        Some(key) => action.depends_on.push(key),
                        None if titles.get(&normalise_header(item)) == Some(&None) => {
                            unknown.push(format!("{item} (the title of several actions)"));
                        }
                        None => unknown.push(item.to_owned()),
                    }
                }
                if unknown.is_empty() {
                    continue;
                }
                let mut d = Diagnostic::warning(
                    DiagnosticCode::UnknownDependency,
                    format!(
                        "{}: not the key or the title of one other action of the plan; the \
                         cell is kept as a note",
                        unknown.join(", ")
                    ),
                )
                .at_column(header.clone())
                .with_text(note.text.clone());
                if let Some(line) = line {
                    d = d.at_row(line);
                }
                diagnostics.push(d);
                let written = format!("{header}{}", crate::export::AS_WRITTEN);
                action.unmapped.push(UnmappedNote { source: Some(written), text: note.text });
            }
        }
        self.diagnostics.extend(diagnostics);
    }

    /// Whether a fallback column's cell fills field `f` of the action: the action has
    /// no value of `f` yet (from `first`, the field's first column, or an earlier
    /// fallback), and for a rating the cell is a plain rating. Otherwise the cell is
    /// a note under its own header, which an export writes back beside the value.
    fn falls_back(&mut self, f: Field, first: usize, cell: &str, action: &Action) -> bool {
        match f {
            Field::ActionRag | Field::OutcomeRag => {
                let slot =
                    if f == Field::ActionRag { action.action_rag } else { action.outcome_rag };
                let written = format!("{}{}", self.column_name(first), crate::export::AS_WRITTEN);
                let rating = read_ratings(cell, &self.options.rating_map);
                slot.is_none()
                    && !self.notes.contains(&action.unmapped, &written)
                    && !rating.ratings.is_empty()
                    && !rating.exempt
                    && !rating.unknown
                    && rating.status.is_none()
            }
            Field::Status => action.status.is_none() && one_line(cell).parse::<Status>().is_ok(),
            Field::Timescale => action.timescale.is_missing(),
            Field::Accountable => action.accountable.is_empty(),
            Field::Responsible => action.responsible.is_empty(),
            Field::Partners => action.partners.is_empty(),
            Field::Evidence => action.evidence.is_empty(),
            Field::Outcomes => action.outcomes.is_empty(),
            Field::Description => action.description.is_none(),
            Field::Start => action.start.is_none(),
            Field::ReviewDate => action.review_date.is_none(),
            Field::Weight => action.weight.is_none(),
            Field::Critical => !action.critical,
            Field::DependsOn => action.depends_on.is_empty(),
            Field::Key
            | Field::Action
            | Field::Objective
            | Field::SubObjective
            | Field::Indicator
            | Field::Unit
            | Field::Target
            | Field::Direction
            | Field::Tolerance
            | Field::Actual
            | Field::AsAt
            | Field::Progress
            | Field::Unmapped => false,
        }
    }

    fn fill_rating(
        &mut self,
        line: usize,
        col: usize,
        field: Field,
        cell: &str,
        action: &mut Action,
        (i, n): (usize, usize),
    ) {
        let header = self.column_name(col);
        let written_source = format!("{header}{}", crate::export::AS_WRITTEN);
        let has_written = self.notes.contains(&action.unmapped, &written_source);
        let rating = read_ratings(cell, &self.options.rating_map);
        // With no status column, a status the action has came from a rating cell: a
        // second status word in one continues that cell, like a second rating.
        let status_again = rating.status.is_some()
            && action.status.is_some()
            && self.column_of(Field::Status).is_none();
        if n == 1
            && (has_written
                || status_again
                || (if field == Field::ActionRag { action.action_rag } else { action.outcome_rag })
                    .is_some())
        {
            let more =
                UnmappedNote { source: Some(format!("{header} (more)")), text: cell.to_owned() };
            self.notes.add(&mut action.unmapped, more);
            return;
        }
        let slot = if field == Field::ActionRag {
            &mut action.action_rag
        } else {
            &mut action.outcome_rag
        };
        let note = |text: &str| UnmappedNote {
            source: Some(format!("{header}{}", crate::export::AS_WRITTEN)),
            text: text.to_owned(),
        };
        if rating.exempt {
            *slot = Some(Rating::NotRated);
            if i == 0 {
                self.diagnostics.push(
                    Diagnostic::warning(
                        DiagnosticCode::ExemptRating,
                        "exemption read as not rated; text kept",
                    )
                    .at_row(line)
                    .at_column(header.clone())
                    .with_text(cell.to_owned()),
                );
            }
            action.unmapped.push(note(cell));
            return;
        }
        if let Some(status) = rating.status {
            // A status another cell already gave keeps this cell's text: the one
            // status cannot hold the words of both.
            let given_before = action.status.is_some();
            action.status = Some(status);
            if given_before || !words(cell).all(|w| words(status.as_str()).any(|s| s == w)) {
                action.unmapped.push(note(cell));
            }
            return;
        }
        if rating.unknown {
            if i == 0 {
                self.diagnostics.push(
                    Diagnostic::warning(DiagnosticCode::NotARating, "not a rating; kept as a note")
                        .at_row(line)
                        .at_column(header.clone())
                        .with_text(cell.to_owned()),
                );
            }
            action.unmapped.push(note(cell));
            return;
        }
        if rating.ratings.len() == n && n > 1 {
            *slot = Some(rating.ratings[i]);
            if !ratings_keep_words(cell, &rating.ratings) {
                action.unmapped.push(note(cell));
            }
            return;
        }
        *slot = rating.ratings.first().copied();
        let exact = rating.ratings.len() == 1 && ratings_keep_words(cell, &rating.ratings);
        if !exact {
            if rating.ratings.len() > 1 && i == 0 {
                self.diagnostics.push(
                    Diagnostic::warning(
                        DiagnosticCode::RatingsUnsplit,
                        "several ratings beside one action; the first is used, the cell kept",
                    )
                    .at_row(line)
                    .at_column(header.clone())
                    .with_text(cell.to_owned()),
                );
            }
            action.unmapped.push(note(cell));
        }
    }

    /// Orders notes by the column they came from, and within a column the cell's own
    /// text, then its text as written, then what later rows added to it: where an
    /// export puts them, so that a re-import gives the same order.
    fn order_notes(&mut self) {
        let mut names: HashMap<String, usize> = HashMap::with_capacity(self.columns.len());
        for i in 0..self.columns.len() {
            names.entry(self.column_name(i)).or_insert(i);
        }
        let n_columns = self.columns.len();
        let rank = |note: &UnmappedNote| -> (usize, u8) {
            let Some(source) = &note.source else { return (usize::MAX, 0) };
            let (base, part) = if let Some(base) = source.strip_suffix(crate::export::AS_WRITTEN) {
                (base, 1)
            } else if let Some(base) = source.strip_suffix(" (more)") {
                (base, 2)
            } else {
                (source.as_str(), 0)
            };
            (names.get(base).copied().unwrap_or(n_columns), part)
        };
        for objective in &mut self.plan.objectives {
            objective.unmapped.sort_by_cached_key(rank);
            for sub in &mut objective.sub_objectives {
                sub.unmapped.sort_by_cached_key(rank);
                for action in &mut sub.actions {
                    action.unmapped.sort_by_cached_key(rank);
                }
            }
            for action in &mut objective.actions {
                action.unmapped.sort_by_cached_key(rank);
            }
        }
    }

    /// Gives each action the key its source gave it where that key is unique in the
    /// whole plan: not the key of an objective, a sub-objective or an action keyed by
    /// position, nor of an action above with the same key. An action whose key is not
    /// unique keeps its key by position (with a number added in the rare case that a
    /// source key took it), its key as written is kept, and a
    /// `duplicate-key-renumbered` warning names the row, the old key and the new.
    fn assign_source_keys(&mut self) {
        let sourced: HashSet<ActionPlace> = self.source_keys.iter().map(|k| k.place).collect();
        let mut used: HashSet<String> = HashSet::new();
        for (o, objective) in self.plan.objectives.iter().enumerate() {
            used.insert(objective.key.to_string());
            for (a, action) in objective.actions.iter().enumerate() {
                if !sourced.contains(&(o, None, a)) {
                    used.insert(action.key.to_string());
                }
            }
            for (s, sub) in objective.sub_objectives.iter().enumerate() {
                used.insert(sub.key.to_string());
                for (a, action) in sub.actions.iter().enumerate() {
                    if !sourced.contains(&(o, Some(s), a)) {
                        used.insert(action.key.to_string());
                    }
                }
            }
        }
        let source_keys = std::mem::take(&mut self.source_keys);
        let mut renumbered = Vec::new();
        for source in source_keys {
            if used.insert(source.key.to_string()) {
                if let Some(action) = self.action_mut(source.place) {
                    action.key = source.key.clone();
                    self.keys_from_source = true;
                }
            } else {
                renumbered.push(source);
            }
        }
        for source in renumbered {
            let Some(action) = self.action_mut(source.place) else { continue };
            let positional = action.key.clone();
            let mut key = positional.clone();
            let mut n = 2;
            while used.contains(key.as_str()) {
                match Key::new(&format!("{positional}-{n}")) {
                    Ok(k) => key = k,
                    Err(_) => break,
                }
                n += 1;
            }
            used.insert(key.to_string());
            action.key = key.clone();
            let written = format!("{}{}", source.column, crate::export::AS_WRITTEN);
            action.unmapped.push(UnmappedNote { source: Some(written), text: source.text.clone() });
            self.diagnostics.push(
                Diagnostic::warning(
                    DiagnosticCode::DuplicateKeyRenumbered,
                    format!(
                        "key {:?} is already the key of another part of the plan; the action \
                         is keyed {key} by position",
                        source.key.as_str()
                    ),
                )
                .at_row(source.line)
                .at_column(source.column)
                .with_text(source.text),
            );
        }
    }

    fn finish(mut self) -> Imported {
        self.assign_source_keys();
        self.resolve_dependencies();
        self.key_measures();
        if !self.preamble.is_empty() {
            let text: Vec<&str> = self.preamble.iter().map(|(_, t)| t.as_str()).collect();
            self.plan.metadata.insert("preamble".to_owned(), text.join("\n"));
        }
        crate::reported::set_reported_on(
            &mut self.plan,
            self.options,
            &self.preamble,
            &mut self.diagnostics,
        );
        // A value with no as-at date is dated by the report date, known only now.
        self.date_readings();
        self.order_notes();
        self.plan.metadata.insert(
            crate::KEYS_KEY.to_owned(),
            if self.keys_from_source { "source" } else { "positional" }.to_owned(),
        );
        Imported { plan: self.plan, diagnostics: self.diagnostics }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_of_several_actions_split_where_the_opening_repeats() {
        let text = "Police to ensure bail restrictions Police to ensure evidence in CSE cases \
                    CPS to ensure Crown Prosecutors are aware";
        let parts = split_actions(text, 3).unwrap_or_default();
        assert_eq!(
            parts,
            [
                "Police to ensure bail restrictions",
                "Police to ensure evidence in CSE cases",
                "CPS to ensure Crown Prosecutors are aware"
            ]
        );
        assert_eq!(split_actions("a  b", 2), Some(vec!["a".to_owned(), "b".to_owned()]));
    }

    /// A capital letter inside one action ("Review CSE Team plan") is no cut: splitting
    /// on it broke import → export → import when a continued row's "Green  Green" met
    /// a one-action cell.
    #[test]
    fn capitals_alone_do_not_split_an_action() {
        assert_eq!(split_actions("aqofew Qt 2fywv4", 2), None);
        assert_eq!(split_actions("Review the plan with MASH partners", 2), None);
        assert_eq!(split_actions("one action only", 2), None);
    }

    #[test]
    fn rating_cells_are_read() {
        let cases: &[(&str, &[Rating], bool, bool)] = &[
            ("Green", &[Rating::Green], false, false),
            ("Green  Green  Green", &[Rating::Green; 3], false, false),
            ("Amber/ Red", &[Rating::AmberRed], false, false),
            ("Data exempt under section 27", &[Rating::NotRated], true, false),
            ("No DCA", &[Rating::NotRated], true, false),
            ("Reset", &[Rating::NotRated], true, false),
            ("Leaflets Website", &[], false, true),
        ];
        for (text, ratings, exempt, unknown) in cases {
            let cell = read_ratings(text, &[]);
            assert_eq!(cell.ratings, *ratings, "{text}");
            assert_eq!((cell.exempt, cell.unknown), (*exempt, *unknown), "{text}");
        }
    }

    #[test]
    fn page_markers_are_told_from_text() {
        assert!(is_page_marker("Page 15"));
        assert!(is_page_marker("1"));
        assert!(!is_page_marker("Page"));
        assert!(!is_page_marker("Prevent"));
    }
}
