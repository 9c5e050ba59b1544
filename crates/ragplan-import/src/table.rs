//! Tables of rows and cells (from TSV, CSV, XLSX or Markdown) turned into a plan.
//!
//! One builder serves every tabular source. It finds the header row, maps columns to
//! fields, skips repeated header rows and page markers, continues blank
//! sub-objective cells, splits cells holding several actions or owners, moves a
//! rating stranded by a shifted row, reads a row's indicator into a measure of its
//! parent (`measures`), and keeps every other word as a note.
//!
//! This file holds the builder's state, the walk over the rows and the finish; each
//! part of the work has a module of its own, each an `impl Builder` of its part:
//! `header` (the header row and its repeats), `rows` (what a row is and where it
//! goes), `cells` (reading one cell: ratings, yes or no, dependencies, several
//! actions), `fill` (an action's fields from its cells), `pages` (a table broken
//! across pages), `notes` (text with no field) and `measures` (a row's indicator).

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::rc::Rc;

use ragplan_core::{
    Action, Key, Objective, Plan, Rating, Status, SubObjective, Timescale, TimescaleKind,
    UnmappedNote,
};

use crate::field::{
    Field, HeaderMatch, is_header_word, match_header, match_header_as, normalise_header, one_line,
    remove_bold_headers, strip_html,
};
use crate::grid::Cells;
use crate::owner::{CellNote, OwnerContext, known_from_parts, owner_parts, split_owners};
use crate::partner::{Vocabulary, read_partners};
use crate::{
    Diagnostic, DiagnosticCode, ImportError, ImportOptions, Imported, LAYOUT_KEY, Severity,
    plan_shell, words,
};

mod cells;
mod fill;
mod header;
pub(crate) mod measures;
mod notes;
mod pages;
mod rows;

use self::cells::*;
pub(crate) use self::cells::{Percent, read_percent, yes_or_no};

pub(crate) use self::header::{header_fields, opens_table};
use self::notes::*;
use self::rows::*;
pub(crate) use self::rows::{is_rule, looks_shifted_left};

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
    pub cells: Cells,
    /// The heading the row sits under (Markdown), which names its objective.
    pub group: Option<String>,
    /// What the row is.
    pub kind: RowKind,
}

impl GridRow {
    pub(crate) fn data(line: usize, cells: impl Into<Cells>) -> GridRow {
        GridRow { line, cells: cells.into(), group: None, kind: RowKind::Data }
    }
}

/// How many rows from the top a header may be recognised by a close spelling; below
/// them (a paper's appendix, hundreds of lines down) it must be spelled as a synonym
/// is, so that searching a long source with no header costs no spelling comparisons.
pub(crate) const FUZZY_HEADER_ROWS: usize = 200;

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
    /// Its names in diagnostics and notes, written once for every cell of the column.
    names: Rc<ColumnNames>,
}

/// The names a column's cells are noted and reported under.
#[derive(Debug)]
struct ColumnNames {
    /// The column's name: its header, or `column 3` when it has none.
    name: String,
    /// The source of a cell's text kept as written beside the value read from it.
    as_written: String,
    /// The source of what a later cell adds to a field already filled.
    more: String,
}

impl ColumnNames {
    fn new(index: usize, header: &str) -> ColumnNames {
        let name =
            if header.is_empty() { format!("column {}", index + 1) } else { header.to_owned() };
        ColumnNames {
            as_written: format!("{name}{}", crate::export::AS_WRITTEN),
            more: format!("{name} (more)"),
            name,
        }
    }
}

impl Column {
    /// The column at `index` with this header.
    fn new(index: usize, header: String, field: Option<Field>, fallback: Option<Field>) -> Column {
        let names = Rc::new(ColumnNames::new(index, &header));
        Column { header, field, fallback, names }
    }
}

/// A rating cell as read ([`read_ratings`]), with what its words keep.
#[derive(Debug)]
struct RatingRead {
    cell: RatingCell,
    /// Whether every word of the cell is a word of its ratings' names
    /// ([`ratings_keep_words`]).
    keeps_words: bool,
    /// Whether every word of the cell is a word of its status's name, for a cell read
    /// as a status.
    status_keeps_words: bool,
}

impl RatingRead {
    fn new(text: &str, coded: &[(String, Rating)]) -> RatingRead {
        let cell = read_ratings(text, coded);
        let keeps_words = ratings_keep_words(text, &cell.ratings);
        let status_keeps_words = cell
            .status
            .is_some_and(|status| words(text).all(|w| words(status.as_str()).any(|s| s == w)));
        RatingRead { cell, keeps_words, status_keeps_words }
    }
}

/// Owner, partner, timescale and rating cells as read, by their text, so that each distinct
/// cell is read once: the names the plan knows and its partner vocabulary do not
/// change while its rows are read. At most [`CellCache::MOST`] of each are kept, which
/// also bounds what a source crafted to collide costs: the cache is looked up for
/// nearly every cell, so it hashes with foldhash (seeded per process, like the
/// standard hasher) rather than SipHash.
#[derive(Default)]
struct CellCache {
    owners: CellMap<crate::owner::OwnerSplit>,
    partners: CellMap<crate::partner::PartnerRead>,
    timescales: CellMap<Timescale>,
    ratings: CellMap<Rc<RatingRead>>,
}

/// A value read from a cell, by the cell's text.
type CellMap<T> = HashMap<String, T, foldhash::fast::RandomState>;

impl CellCache {
    /// The most cells of one kind kept: a table of distinct cells gains nothing.
    const MOST: usize = 4096;

    /// The value kept for `cell` in `map`, or `read` of it, kept while there is room.
    fn get_or_read<T: Clone>(map: &mut CellMap<T>, cell: &str, read: impl FnOnce() -> T) -> T {
        if let Some(value) = map.get(cell) {
            return value.clone();
        }
        let value = read();
        if map.len() < CellCache::MOST {
            map.insert(cell.to_owned(), value.clone());
        }
        value
    }
}

/// Where the last action went: objective, sub-objective (if any), action.
type ActionPlace = (usize, Option<usize>, usize);

/// A node of the plan being built, by its place: the keys are known only at the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NodePlace {
    Plan,
    Objective(usize),
    SubObjective(usize, usize),
    Action(ActionPlace),
}

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
    /// How many objectives the whole table has before this part of it (0 for a
    /// whole table): the first objective made is keyed after them.
    objectives_before: usize,
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
    /// Cells read before, by their text: a plan repeats its owners, partners and
    /// timescales on row after row.
    cache: CellCache,
    /// The ends of headers a repeated header row cut short (`Action` for `Action
    /// RAG`), by column: a PDF's second header line, which lands in the next row.
    header_tails: Vec<(usize, String)>,
    group_by: Option<usize>,
    /// The keys the source gave its actions, in source order.
    source_keys: Vec<SourceKey>,
    keys_from_source: bool,
    /// The objective made for a table that names none, titled as the plan.
    implicit_objective: Option<usize>,
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
    /// Each source row and a node it gave words to, in source order
    /// ([`Imported::rows`]).
    touched: Vec<(usize, NodePlace)>,
    /// Whether `touched` is kept (not for a part of a table, which no caller
    /// checks row by row).
    tracks_rows: bool,
}

/// Builds a plan from the rows of a table.
pub(crate) fn build(
    rows: Vec<GridRow>,
    options: &ImportOptions,
    progress: &mut dyn FnMut(usize, usize),
    diagnostics: Vec<Diagnostic>,
) -> Result<Imported, ImportError> {
    let part = crate::Part::default();
    build_part(rows, options, progress, diagnostics, part, true).map(|(imported, _)| imported)
}

/// [`build`] of a part of a table ([`crate::import_part`]): its rows numbered and
/// its objectives keyed as they are in the whole table, with the owner names read;
/// [`Imported::rows`] left empty unless `rows_kept`.
pub(crate) fn build_part(
    mut rows: Vec<GridRow>,
    options: &ImportOptions,
    progress: &mut dyn FnMut(usize, usize),
    mut diagnostics: Vec<Diagnostic>,
    part: crate::Part,
    rows_kept: bool,
) -> Result<(Imported, crate::OwnerNames), ImportError> {
    if part.lines_before > 0 {
        for row in rows.iter_mut().filter(|r| r.line > 1) {
            row.line += part.lines_before;
        }
        for d in &mut diagnostics {
            if let Some(row) = d.row.as_mut().filter(|r| **r > 1) {
                *row += part.lines_before;
            }
        }
    }
    let first_filled = rows.iter().position(|r| r.cells.iter().any(|c| !c.trim().is_empty()));
    // Blank lines (kept as rows with no cells) do not count towards the search.
    let lines = rows.iter().enumerate().filter(|(_, r)| !r.cells.is_empty());
    // The whole source is searched, each row once: a paper's table may start
    // hundreds of lines down.
    let header_idx = lines
        .clone()
        .find(|&(i, r)| {
            opens_table(r, &options.map, i < FUZZY_HEADER_ROWS, Some(i) == first_filled)
        })
        .map(|(i, _)| i);
    let Some(header_idx) = header_idx else {
        // A `--map` entry naming no column of the likeliest header says why better.
        if let Some(first) = first_filled {
            crate::columns::check_map(&options.map, rows[first].line, &[&rows[first].cells])?;
        }
        return Err(ImportError::NoHeader { rows: lines.count() });
    };
    let header_rows: Vec<&Cells> = std::iter::once(&rows[header_idx])
        .chain(rows.iter().filter(|r| r.kind == RowKind::Header))
        .map(|r| &r.cells)
        .collect();
    crate::columns::check_map(&options.map, rows[header_idx].line, &header_rows)?;
    name_columns_by_header(&mut diagnostics, &rows[header_idx]);
    let mut builder = Builder::new(options);
    builder.objectives_before = part.objectives_before;
    builder.tracks_rows = rows_kept;
    builder.diagnostics.append(&mut diagnostics);
    builder.set_header(&rows[header_idx]);
    let (names, placed) = scout(&rows[header_idx..], options);
    builder.owners.known = names.known.clone();
    let total = rows.len();
    let mut tick = |i: usize| {
        if i.is_multiple_of(1024) {
            progress(i, total);
        }
    };
    // Each row is let go once it is read into the plan, so that a large table's
    // rows and its plan are not both held whole.
    let mut rows = rows.into_iter();
    for (i, row) in rows.by_ref().take(header_idx).enumerate() {
        builder.preamble_row(&row);
        tick(i);
    }
    builder.title_from_preamble();
    tick(header_idx);
    rows.next();
    // One placing for each row after the header, in order.
    for (i, (row, placed)) in rows.zip(placed).enumerate() {
        builder.row(&row, placed);
        tick(header_idx + 1 + i);
    }
    progress(total, total);
    Ok((builder.finish(), names))
}

/// Names by its header the column of each diagnostic made before the header was
/// found (the reader's and decoder's, which could only say `column N`), on a row
/// below the header whose column has a header: `column "Action"`, as the builder's
/// own diagnostics say.
fn name_columns_by_header(diagnostics: &mut [Diagnostic], header: &GridRow) {
    for d in diagnostics.iter_mut().filter(|d| d.row.is_some_and(|r| r > header.line)) {
        let Some(n) = d.column.as_deref().and_then(|c| c.strip_prefix("column ")) else {
            continue;
        };
        let Some(at) = n.parse::<usize>().ok().and_then(|n| n.checked_sub(1)) else { continue };
        if let Some(name) = header.cells.get(at).map(str::trim).filter(|h| !h.is_empty()) {
            d.column = Some(name.to_owned());
        }
    }
}

/// The rows after the header (`rows` starts at the header row) placed by a scout
/// builder, whose plan and diagnostics are dropped, in order; and the names of
/// people that stand alone in the plan's owner cells, read from the cells as the
/// rows place them: a row moved one column right puts a name in an owner column
/// that the source wrote beside it, and an export writes it there, so a re-import
/// must split owners with the same names.
fn scout(rows: &[GridRow], options: &ImportOptions) -> (crate::OwnerNames, Vec<Placed>) {
    let Some((header, rows)) = rows.split_first() else {
        return (crate::OwnerNames::default(), Vec::new());
    };
    let mut scout = Builder::new(options);
    scout.set_header(header);
    let mut owner_cells: Vec<Cow<'_, str>> = Vec::new();
    let mut placed = Vec::with_capacity(rows.len());
    for row in rows {
        let place = scout.place(row);
        match &place {
            Placed::AsWritten => {
                owner_cells.extend(scout.owner_cells(&row.cells).map(|c| Cow::Borrowed(c.trim())));
            }
            Placed::Changed(changed) => {
                if let Some(cells) = &changed.cells {
                    owner_cells
                        .extend(scout.owner_cells(cells.iter()).map(|c| Cow::Owned(c.to_string())));
                }
            }
            Placed::Itself => {}
        }
        placed.push(place);
    }
    let parts = owner_parts(owner_cells.iter().map(|c| c.as_ref()), &scout.owners.vocabulary);
    let known = known_from_parts(&parts);
    (crate::OwnerNames { parts, known }, placed)
}

/// How a row after the header was placed when the rows were scouted
/// ([`Builder::place`]). It holds nothing of the row, which is let go once read.
enum Placed {
    /// Laid out by the builder itself: a header or text row.
    Itself,
    /// Its cells as the source wrote them, trimmed, with nothing to say.
    AsWritten,
    /// Its cells as placed (`None` for a row that is not data: a repeated header, a
    /// rule), what placing it said, and whether it ended the run of rows before.
    Changed(Box<Changed>),
}

/// A row that placing changed or spoke of ([`Placed::Changed`]).
struct Changed {
    cells: Option<Vec<String>>,
    diagnostics: Vec<Diagnostic>,
    page_break: bool,
}

impl<'o> Builder<'o> {
    fn new(options: &'o ImportOptions) -> Builder<'o> {
        Builder {
            options,
            plan: plan_shell(options),
            objectives_before: 0,
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
            cache: CellCache::default(),
            group_by: None,
            source_keys: Vec::new(),
            keys_from_source: false,
            implicit_objective: None,
            preamble: Vec::new(),
            notes: NoteIndex::default(),
            notes_of: None,
            node_notes: (None, NoteIndex::default()),
            measure_keys: Vec::new(),
            undated: Vec::new(),
            touched: Vec::new(),
            tracks_rows: true,
        }
    }
}

impl Builder<'_> {
    fn column_name(&self, index: usize) -> String {
        match self.columns.get(index) {
            Some(c) => c.names.name.clone(),
            None => format!("column {}", index + 1),
        }
    }

    /// The names of the column at `index` (see [`ColumnNames`]).
    fn column_names(&self, index: usize) -> Rc<ColumnNames> {
        match self.columns.get(index) {
            Some(c) => Rc::clone(&c.names),
            None => Rc::new(ColumnNames::new(index, "")),
        }
    }

    /// The first column of field `f`.
    fn column_of(&self, f: Field) -> Option<usize> {
        self.first_column[f as usize]
    }

    fn field_at(&self, index: usize) -> Option<Field> {
        self.columns.get(index).and_then(|c| c.field)
    }

    fn action_mut(&mut self, (o, s, a): ActionPlace) -> Option<&mut Action> {
        let objective = self.plan.objectives.get_mut(o)?;
        let list = match s {
            Some(s) => &mut objective.sub_objectives.get_mut(s)?.actions,
            None => &mut objective.actions,
        };
        list.get_mut(a)
    }

    /// Records that source row `line` gave words to the node at `place`.
    fn touch(&mut self, line: usize, place: NodePlace) {
        if self.tracks_rows && self.touched.last() != Some(&(line, place)) {
            self.touched.push((line, place));
        }
    }

    /// Records that source row `line` gave words to the sub-objective rows are read
    /// under, or to objective `o` when none: where measures and notes of a row with
    /// no action go.
    fn touch_parent(&mut self, line: usize, o: usize) {
        let place = match self.sub_objective {
            Some(s) => NodePlace::SubObjective(o, s),
            None => NodePlace::Objective(o),
        };
        self.touch(line, place);
    }

    /// The key of the node at `place` (`None` for the plan).
    fn key_at(&self, place: NodePlace) -> Option<Key> {
        let objective = |o: usize| self.plan.objectives.get(o);
        match place {
            NodePlace::Plan => None,
            NodePlace::Objective(o) => objective(o).map(|o| o.key.clone()),
            NodePlace::SubObjective(o, s) => {
                objective(o)?.sub_objectives.get(s).map(|s| s.key.clone())
            }
            NodePlace::Action((o, s, a)) => {
                let objective = objective(o)?;
                let list = match s {
                    Some(s) => &objective.sub_objectives.get(s)?.actions,
                    None => &objective.actions,
                };
                list.get(a).map(|a| a.key.clone())
            }
        }
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

    fn finish(mut self) -> Imported {
        if let Some(last) = self.plan.objectives.last_mut() {
            rows::fit_objective(last);
        }
        ragplan_core::fit_list(&mut self.plan.objectives);
        self.assign_source_keys();
        self.resolve_dependencies();
        self.key_measures();
        if !self.preamble.is_empty() {
            let text: Vec<&str> = self.preamble.iter().map(|(_, t)| t.as_str()).collect();
            self.plan.metadata.insert("preamble".to_owned(), text.join("\n").into());
        }
        crate::reported::set_reported_on(
            &mut self.plan,
            self.options,
            &self.preamble,
            &mut self.diagnostics,
        );
        let named = crate::people::named_above(&self.preamble);
        crate::people::give_owners(&mut self.plan, &named, &mut self.diagnostics);
        // A value with no as-at date is dated by the report date, known only now.
        self.date_readings();
        self.order_notes();
        self.plan.metadata.insert(
            crate::KEYS_KEY.to_owned(),
            if self.keys_from_source { "source" } else { "positional" }.into(),
        );
        let rows = std::mem::take(&mut self.touched)
            .into_iter()
            .filter_map(|(row, place)| match (place, self.key_at(place)) {
                (NodePlace::Plan, _) => Some(crate::RowNode { row, key: None }),
                (_, Some(key)) => Some(crate::RowNode { row, key: Some(key) }),
                (_, None) => None,
            })
            .collect();
        Imported { plan: self.plan, diagnostics: self.diagnostics, rows }
    }
}
