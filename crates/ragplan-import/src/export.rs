//! A plan written back to a delimited table in the column layout it was imported
//! from, so that import → export → import gives the same plan.
//!
//! Each measure of an objective or sub-objective is a row of its own, after the
//! parent's first row and before its actions, where the importer reads it back onto
//! the same parent: its key, indicator, unit, target, direction, tolerance and latest
//! reading. Earlier readings and a reading's note have no column and are not written.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::str::FromStr;

use ragplan_core::{
    Action, Key, Measure, Node, Objective, Plan, Status, SubObjective, Timescale, UnmappedNote,
};

use crate::field::{Field, HeaderMatch, one_line};
use crate::table::measures::{latest_reading, read_number, spell_direction, spell_number};
use crate::table::{Percent, read_percent};

/// The suffix of a note's source that keeps a cell's text as written when the field
/// holds it in another form ("Action RAG (as written)" for `R`, `Blue`, exemptions).
pub(crate) const AS_WRITTEN: &str = " (as written)";

/// The delimited formats a plan can be exported to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExportFormat {
    /// Comma-separated, quoted where needed.
    Csv,
    /// Tab-separated, quoted where needed.
    Tsv,
}

/// An export format name that is not one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown export format {0:?} (expected csv or tsv)")]
pub struct ParseExportFormatError(pub String);

impl FromStr for ExportFormat {
    type Err = ParseExportFormatError;
    fn from_str(text: &str) -> Result<ExportFormat, ParseExportFormatError> {
        match text.trim().to_ascii_lowercase().as_str() {
            "csv" => Ok(ExportFormat::Csv),
            "tsv" | "tab" => Ok(ExportFormat::Tsv),
            _ => Err(ParseExportFormatError(text.to_owned())),
        }
    }
}

impl fmt::Display for ExportFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Tsv => "tsv",
        })
    }
}

/// The column layout as kept in the plan's metadata ([`crate::LAYOUT_KEY`]): one
/// object a source column, in order, with its header as written and the field it
/// filled (none for a column kept as notes):
/// `[{"header": "Sub Objectives", "field": "sub_objective"}, {"header": "Notes"}]`.
pub(crate) fn layout_to_value(layout: &[(String, Option<Field>)]) -> serde_json::Value {
    layout
        .iter()
        .map(|(header, field)| {
            let mut column = serde_json::Map::new();
            column.insert("header".to_owned(), header.clone().into());
            if let Some(field) = field {
                column.insert("field".to_owned(), field.as_str().into());
            }
            serde_json::Value::Object(column)
        })
        .collect()
}

/// The column layout a plan keeps, if any: from [`layout_to_value`]'s objects, or
/// from the text an earlier version kept (one `header<TAB>field` a line).
pub(crate) fn layout_of(plan: &Plan) -> Vec<(String, Option<Field>)> {
    match plan.metadata.get(crate::LAYOUT_KEY) {
        Some(serde_json::Value::Array(columns)) => columns
            .iter()
            .map(|c| {
                let header = c["header"].as_str().unwrap_or_default().to_owned();
                (header, c["field"].as_str().and_then(|f| f.parse::<Field>().ok()))
            })
            .collect(),
        Some(serde_json::Value::String(text)) => text
            .split('\n')
            .map(|line| {
                let (h, f) = line.split_once('\t').unwrap_or((line, ""));
                (h.to_owned(), f.parse::<Field>().ok())
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Whether the plan's action keys came from the source ([`crate::KEYS_KEY`]).
pub(crate) fn keys_from_source(plan: &Plan) -> bool {
    plan.metadata.get(crate::KEYS_KEY).and_then(serde_json::Value::as_str) == Some("source")
}

struct Col {
    header: String,
    name: String,
    field: Option<Field>,
    /// The source of a value this column kept as written: `name (as written)`.
    written: String,
}

impl Col {
    fn new(header: String, name: String, field: Option<Field>) -> Col {
        let written = format!("{name}{AS_WRITTEN}");
        Col { header, name, field, written }
    }
}

/// A node's notes by their source, in the order the node has them: each cell is
/// looked up once, so a row of many columns over a node of many notes is written in
/// time linear in both.
struct Notes<'n>(HashMap<&'n str, Vec<&'n str>>);

impl<'n> Notes<'n> {
    fn of(notes: &'n [UnmappedNote]) -> Notes<'n> {
        let mut by_source: HashMap<&str, Vec<&str>> = HashMap::new();
        for note in notes {
            if let Some(source) = &note.source {
                by_source.entry(source.as_str()).or_default().push(note.text.as_str());
            }
        }
        Notes(by_source)
    }

    /// The notes under `source`, one per line.
    fn under(&self, source: &str) -> String {
        self.0.get(source).map(|texts| texts.join("\n")).unwrap_or_default()
    }

    /// The first note under `source`.
    fn first(&self, source: &str) -> Option<&'n str> {
        self.0.get(source).and_then(|texts| texts.first().copied())
    }
}

fn columns(plan: &Plan) -> Vec<Col> {
    let mut layout = layout_of(plan);
    let has = |layout: &Vec<(String, Option<Field>)>, f: Field| {
        layout.iter().any(|(_, lf)| *lf == Some(f))
    };
    let actions: Vec<&Action> = plan.actions().collect();
    let measures: Vec<&Measure> = plan
        .objectives
        .iter()
        .flat_map(|o| o.measures.iter().chain(o.sub_objectives.iter().flat_map(|s| &s.measures)))
        .collect();
    let keys_from_source = keys_from_source(plan);
    let progress_col = has(&layout, Field::Progress);
    let wanted: Vec<(Field, bool)> = vec![
        (Field::Key, keys_from_source || !measures_keyed_by_number(plan, &measures)),
        (
            Field::Objective,
            plan.objectives.len() > 1 || plan.objectives.iter().any(|o| o.title != plan.title),
        ),
        (Field::SubObjective, plan.objectives.iter().any(|o| !o.sub_objectives.is_empty())),
        (Field::Action, true),
        (Field::Description, actions.iter().any(|a| a.description.is_some())),
        (Field::ActionRag, actions.iter().any(|a| a.action_rag.is_some())),
        (Field::Status, actions.iter().any(|a| a.status.is_some())),
        (Field::Evidence, actions.iter().any(|a| !a.evidence.is_empty())),
        (Field::Outcomes, actions.iter().any(|a| !a.outcomes.is_empty())),
        (Field::Accountable, actions.iter().any(|a| !a.accountable.is_empty())),
        (Field::Responsible, actions.iter().any(|a| !a.responsible.is_empty())),
        (Field::Timescale, actions.iter().any(|a| !a.timescale.is_missing())),
        (Field::Partners, actions.iter().any(|a| !a.partners.is_empty())),
        (Field::Start, actions.iter().any(|a| a.start.is_some())),
        (Field::DependsOn, actions.iter().any(|a| !a.depends_on.is_empty())),
        (Field::Critical, actions.iter().any(|a| a.critical)),
        (Field::Weight, actions.iter().any(|a| a.weight.is_some())),
        (Field::ReviewDate, actions.iter().any(|a| a.review_date.is_some())),
        (Field::OutcomeRag, actions.iter().any(|a| a.outcome_rag.is_some())),
        (Field::Indicator, !measures.is_empty()),
        // A `%` unit is written beside each number when there is no unit column.
        (Field::Unit, measures.iter().any(|m| m.unit.as_ref().is_some_and(|u| u != "%"))),
        (Field::Target, !measures.is_empty()),
        (Field::Direction, !measures.is_empty()),
        (Field::Tolerance, measures.iter().any(|m| m.tolerance != 0.0)),
        (Field::Actual, measures.iter().any(|m| !m.readings.is_empty())),
        (Field::AsAt, measures.iter().any(|m| !m.readings.is_empty())),
        (Field::Progress, actions.iter().any(|a| a.progress.is_some())),
        // A note goes in the progress column when that has no percentage to hold.
        (
            Field::ProgressNote,
            actions.iter().any(|a| {
                a.note.as_deref().is_some_and(|n| {
                    a.progress.is_some() || !progress_col || read_percent(n) != Percent::Text
                })
            }),
        ),
    ];
    let mut insert_at = 0;
    for (field, needed) in wanted {
        if let Some(i) = layout.iter().position(|(_, f)| *f == Some(field)) {
            insert_at = i + 1;
        } else if needed && !has(&layout, field) {
            layout.insert(insert_at, (field.export_header().to_owned(), Some(field)));
            insert_at += 1;
        }
    }
    // The importer finds a header by two columns it knows: a plan whose actions have
    // nothing but titles (or no actions at all) still gets its Action RAG column, so
    // that its export imports again.
    if layout.iter().filter(|(_, f)| f.is_some()).count() < 2 {
        let after_action =
            layout.iter().position(|(_, f)| *f == Some(Field::Action)).map_or(0, |i| i + 1);
        layout.insert(
            after_action,
            (Field::ActionRag.export_header().to_owned(), Some(Field::ActionRag)),
        );
    }
    let mut cols: Vec<Col> = layout
        .into_iter()
        .enumerate()
        .map(|(i, (header, field))| {
            let name = if header.is_empty() { format!("column {}", i + 1) } else { header.clone() };
            Col::new(header, name, field)
        })
        .collect();
    // Notes with a source that no column has get a column of their own.
    let mut extra: Vec<String> = Vec::new();
    let mut named: HashSet<String> = cols.iter().map(|c| c.name.clone()).collect();
    let notes = plan
        .objectives
        .iter()
        .flat_map(|o| {
            o.unmapped.iter().chain(o.sub_objectives.iter().flat_map(|s| s.unmapped.iter()))
        })
        .chain(actions.iter().flat_map(|a| a.unmapped.iter()));
    // A value kept as written (a rating the importer could not read) goes back into
    // its column; with none of that name, into one of its own.
    for note in notes {
        let Some(source) = &note.source else { continue };
        if source == "label" {
            continue;
        }
        let column = source.strip_suffix(AS_WRITTEN).unwrap_or(source);
        if !named.contains(column) {
            named.insert(column.to_owned());
            extra.push(column.to_owned());
        }
    }
    for header in extra {
        cols.push(Col::new(header.clone(), header, Some(Field::Unmapped)));
    }
    cols
}

/// Whether the measures have the keys an import of a table with no key column gives
/// them: `M1`, `M2`, … in plan order, as [`Plan::next_measure_keys`] numbers them
/// for a plan whose nodes are keyed as these are. Otherwise the export needs a key
/// column to keep them.
fn measures_keyed_by_number(plan: &Plan, measures: &[&Measure]) -> bool {
    if measures.is_empty() {
        return true;
    }
    let mut bare = plan.clone();
    for objective in &mut bare.objectives {
        objective.measures.clear();
        for sub in &mut objective.sub_objectives {
            sub.measures.clear();
        }
    }
    let numbered = bare.next_measure_keys(measures.len());
    measures.iter().map(|m| &m.key).eq(numbered.iter())
}

fn is_note_column(col: &Col) -> bool {
    matches!(col.field, None | Some(Field::Unmapped | Field::Progress | Field::ProgressNote))
}

/// A value as the source wrote it, when that could not be read or still reads as the
/// value the action has (not changed since by an edit); else the value as the export
/// spells it.
fn or_written<T: PartialEq>(
    written: Option<&str>,
    value: Option<T>,
    read: impl Fn(&str) -> Option<T>,
    spell: impl Fn(&T) -> String,
) -> String {
    match (written, value) {
        (Some(text), value) if value.is_none() || read(text).is_none_or(|r| Some(r) == value) => {
            text.to_owned()
        }
        (_, Some(v)) => spell(&v),
        (_, None) => String::new(),
    }
}

/// The plan's field an edit changes for a column whose text the export may keep as
/// written.
fn edited_field(field: Field) -> Option<ragplan_core::Field> {
    match field {
        Field::Start => Some(ragplan_core::Field::Start),
        Field::ReviewDate => Some(ragplan_core::Field::ReviewDate),
        Field::Weight => Some(ragplan_core::Field::Weight),
        Field::Critical => Some(ragplan_core::Field::Critical),
        Field::DependsOn => Some(ragplan_core::Field::DependsOn),
        Field::Accountable => Some(ragplan_core::Field::Accountable),
        Field::Responsible => Some(ragplan_core::Field::Responsible),
        Field::Partners => Some(ragplan_core::Field::Partners),
        _ => None,
    }
}

/// The fields each action's edits changed, by key: the text a source wrote for such
/// a field is out of date, and the value is written instead.
fn edited_fields(plan: &Plan) -> HashMap<&Key, Vec<ragplan_core::Field>> {
    let mut edited: HashMap<&Key, Vec<ragplan_core::Field>> = HashMap::new();
    for edit in &plan.edits {
        edited.entry(&edit.key).or_default().extend(edit.changes.iter().map(|c| c.field));
    }
    edited
}

fn action_cell(
    col: &Col,
    action: &Action,
    notes: &Notes<'_>,
    (has_status_col, has_note_col): (bool, bool),
    edited: &[ragplan_core::Field],
) -> String {
    let stale = col.field.and_then(edited_field).is_some_and(|f| edited.contains(&f));
    let written = notes.first(&col.written).filter(|_| !stale);
    match col.field {
        // An action's cell of a measure column is a note: a measure has a row of its own.
        None
        | Some(
            Field::Unmapped
            | Field::Indicator
            | Field::Unit
            | Field::Target
            | Field::Direction
            | Field::Tolerance
            | Field::Actual
            | Field::AsAt,
        ) => {
            let notes = notes.under(&col.name);
            match written {
                Some(text) if notes.is_empty() => text.to_owned(),
                Some(text) => format!("{text}\n{notes}"),
                None => notes,
            }
        }
        // The percentage (as written, where the source spelled it otherwise), or with
        // no note column the progress note, which a progress cell that is not a number
        // gives; then the column's notes.
        Some(Field::Progress) => {
            let value = or_written(
                written,
                action.progress,
                |t| read_percent(t).value(),
                |p| format!("{p}%"),
            );
            let note = if has_note_col { None } else { action.note.as_deref() };
            let value = if value.is_empty() { note.unwrap_or_default().to_owned() } else { value };
            with_notes(value, notes.under(&col.name))
        }
        Some(Field::ProgressNote) => {
            with_notes(action.note.clone().unwrap_or_default(), notes.under(&col.name))
        }
        Some(Field::Objective | Field::SubObjective) => String::new(),
        Some(Field::Key) => written.map_or_else(|| action.key.to_string(), str::to_owned),
        Some(Field::Action) => action.title.clone(),
        Some(Field::Description) => action.description.clone().unwrap_or_default(),
        Some(Field::ActionRag) => match (written, action.action_rag) {
            (Some(text), _) => text.to_owned(),
            (None, Some(r)) => r.label().to_owned(),
            (None, None) if !has_status_col && action.status.is_some() => {
                action.status.map_or("", Status::label).to_owned()
            }
            (None, None) => String::new(),
        },
        Some(Field::OutcomeRag) => match (written, action.outcome_rag) {
            (Some(text), _) => text.to_owned(),
            (None, Some(r)) => r.label().to_owned(),
            (None, None) => String::new(),
        },
        Some(Field::Status) => written
            .map_or_else(|| action.status.map_or("", Status::label).to_owned(), str::to_owned),
        Some(Field::Evidence) => action.evidence.join("\n"),
        Some(Field::Outcomes) => action.outcomes.join("\n"),
        // The owners, then the placeholders (`TBC`) the cell held, read as no owner.
        Some(field @ (Field::Accountable | Field::Responsible)) => {
            let list =
                if field == Field::Accountable { &action.accountable } else { &action.responsible };
            // A cell kept as written holds its placeholders already.
            written.map_or_else(
                || {
                    let owners = list.iter().map(|o| o.name.as_str()).collect::<Vec<_>>();
                    with_notes(owners.join("; "), notes.under(&col.name))
                },
                str::to_owned,
            )
        }
        Some(Field::Timescale) => action.timescale.text.clone(),
        // The partners, then the placeholders (`TBC`) the cell held, read as none.
        Some(Field::Partners) => {
            let partners = || with_notes(action.partners.join("; "), notes.under(&col.name));
            written.map_or_else(partners, str::to_owned)
        }
        Some(Field::Start) => or_written(written, action.start, Timescale::day, |d| d.to_string()),
        Some(Field::ReviewDate) => {
            or_written(written, action.review_date, Timescale::day, |d| d.to_string())
        }
        Some(Field::Weight) => {
            or_written(written, action.weight, |t| t.trim().parse().ok(), |w| w.to_string())
        }
        Some(Field::Critical) => {
            or_written(written, Some(action.critical), crate::table::yes_or_no, |c| {
                if *c { "true".to_owned() } else { String::new() }
            })
        }
        // A cell kept as written holds the keys and titles read from it too.
        Some(Field::DependsOn) => {
            let keys = || action.depends_on.iter().map(Key::as_str).collect::<Vec<_>>().join("; ");
            written.map_or_else(keys, str::to_owned)
        }
    }
}

/// A cell's value, then the notes kept under its column, a line each.
fn with_notes(value: String, notes: String) -> String {
    match (value.is_empty(), notes.is_empty()) {
        (_, true) => value,
        (true, false) => notes,
        (false, false) => format!("{value}\n{notes}"),
    }
}

/// A measure's cell in column `col`: its key, indicator, unit, target, direction,
/// tolerance (blank when 0) and latest reading (its value and date); `percent` writes
/// a `%` beside each number, for a table with no unit column.
fn measure_cell(col: &Col, measure: &Measure, percent: bool) -> String {
    let latest = latest_reading(measure);
    match col.field {
        Some(Field::Key) => measure.key.to_string(),
        Some(Field::Indicator) => measure.title.clone(),
        Some(Field::Unit) => measure.unit.clone().unwrap_or_default(),
        Some(Field::Target) => spell_number(measure.target, percent),
        Some(Field::Direction) => spell_direction(measure.direction).to_owned(),
        Some(Field::Tolerance) if measure.tolerance != 0.0 => {
            spell_number(measure.tolerance, percent)
        }
        Some(Field::Actual) => latest.map(|r| spell_number(r.value, percent)).unwrap_or_default(),
        Some(Field::AsAt) => latest.map(|r| r.on.to_string()).unwrap_or_default(),
        _ => String::new(),
    }
}

/// The rows of an exported table, written node by node as the plan walk meets them.
struct Table<'c, 'p> {
    cols: &'c [Col],
    obj_col: Option<usize>,
    sub_col: Option<usize>,
    has_status_col: bool,
    /// Whether the table has a progress note column: else the note goes in the
    /// progress column.
    has_note_col: bool,
    rows: Vec<Vec<String>>,
    /// The objective being written, whether its title is on a row yet, and whether
    /// any row of it is.
    objective: Option<&'p Objective>,
    objective_named: bool,
    wrote_first: bool,
    /// The sub-objective being written, and whether its title is on a row yet.
    sub: Option<&'p SubObjective>,
    sub_named: bool,
    /// The fields each action's edits changed ([`edited_fields`]).
    edited: HashMap<&'p Key, Vec<ragplan_core::Field>>,
    /// Whether the table has a unit column.
    has_unit_col: bool,
}

impl<'p> Table<'_, 'p> {
    /// Whether the table has a status column and a progress note column.
    fn has_cols(&self) -> (bool, bool) {
        (self.has_status_col, self.has_note_col)
    }

    fn empty(&self) -> Vec<String> {
        vec![String::new(); self.cols.len()]
    }

    /// Names the objective on `row` if no row has named it yet.
    fn name_objective(&mut self, row: &mut [String]) {
        if let (Some(c), Some(objective), false) =
            (self.obj_col, self.objective, self.objective_named)
        {
            row[c] = objective.title.clone();
            self.objective_named = true;
        }
    }

    /// Starts an objective: its own notes (text rows, and cells of rows with no
    /// action) come first.
    fn objective(&mut self, objective: &'p Objective) {
        self.end_objective();
        self.objective = Some(objective);
        self.objective_named = false;
        self.wrote_first = false;
        self.sub = None;
        let notes = Notes::of(&objective.unmapped);
        let mut first = self.empty();
        self.name_objective(&mut first);
        for (i, col) in self.cols.iter().enumerate() {
            if is_note_column(col) || col.field.is_some_and(|f| f != Field::Action) {
                let text = notes.under(&col.name);
                if !text.is_empty() && col.field != Some(Field::Objective) {
                    first[i] = text;
                }
            }
        }
        let targets = self.split_targets(&mut first);
        if first.iter().any(|c| !c.is_empty())
            && (self.obj_col.is_some()
                || first.iter().enumerate().any(|(i, c)| !c.is_empty() && Some(i) != self.obj_col))
        {
            self.rows.push(first);
            self.wrote_first = true;
        }
        self.rows.extend(targets);
        for note in objective.unmapped.iter().filter(|n| n.source.is_none()) {
            self.rows.push(vec![note.text.clone()]);
        }
        // Before any sub-objective, where a row is read onto the objective itself.
        for measure in &objective.measures {
            self.measure(measure, false);
        }
    }

    /// A row naming only the objective when none of its rows did.
    fn end_objective(&mut self) {
        if self.objective.is_some() && !self.wrote_first && self.obj_col.is_some() {
            let mut row = self.empty();
            self.name_objective(&mut row);
            self.rows.push(row);
        }
        self.objective = None;
    }

    /// Starts a sub-objective: a row of its own when it has notes, no actions, or a
    /// first action that would read as a shifted row beside its title.
    fn sub_objective(&mut self, sub: &'p SubObjective) {
        self.sub = Some(sub);
        self.sub_named = false;
        let mut head = self.empty();
        self.name_objective(&mut head);
        if let Some(c) = self.sub_col {
            head[c] = sub.title.clone();
        }
        let mut head_has_notes = false;
        let notes = Notes::of(&sub.unmapped);
        for (i, col) in self.cols.iter().enumerate() {
            if col.field == Some(Field::SubObjective) || col.field == Some(Field::Objective) {
                continue;
            }
            let text = notes.under(&col.name);
            if !text.is_empty() {
                head[i] = text;
                head_has_notes = true;
            }
        }
        // An action titled with a rating word ("Green") beside no rating would read
        // as a shifted row if the sub-objective were named on its row.
        let first_reads_shifted = sub.actions.first().is_some_and(|a| {
            let rag = self.cols.iter().find(|c| c.field == Some(Field::ActionRag));
            let rag_text = rag
                .map(|c| {
                    let edited = self.edited.get(&a.key).map_or(&[][..], Vec::as_slice);
                    action_cell(c, a, &Notes::of(&a.unmapped), self.has_cols(), edited)
                })
                .unwrap_or_default();
            crate::table::looks_shifted_left(&sub.title, &a.title, &rag_text)
        });
        let bare = sub.actions.is_empty() && sub.measures.is_empty();
        if head_has_notes || bare || first_reads_shifted {
            let targets = self.split_targets(&mut head);
            self.rows.push(head);
            self.rows.extend(targets);
            self.sub_named = true;
            self.wrote_first = true;
        }
        for measure in &sub.measures {
            self.measure(measure, true);
        }
    }

    /// Takes the target cells out of a parent's row of notes that holds an
    /// indicator's text (of a measure that was not made) and a target that reads as a
    /// number (from a row with no indicator): together they would be read back as a
    /// measure. They go on a row of their own, read back as the parent's notes.
    fn split_targets(&self, row: &mut [String]) -> Option<Vec<String>> {
        let reads_as = |col: &Col| match col.field {
            Some(Field::Unmapped) => match crate::field::match_header(&col.header, &[]) {
                Some(HeaderMatch::Exact(f) | HeaderMatch::Fuzzy(f)) => Some(f),
                None => None,
            },
            field => field,
        };
        let filled = |f: Field, number: bool| {
            self.cols.iter().zip(row.iter()).any(|(col, cell)| {
                reads_as(col) == Some(f)
                    && !cell.is_empty()
                    && (!number || read_number(&one_line(cell)).is_some())
            })
        };
        if !filled(Field::Indicator, false) || !filled(Field::Target, true) {
            return None;
        }
        let mut targets = self.empty();
        for (i, col) in self.cols.iter().enumerate() {
            if reads_as(col) == Some(Field::Target) {
                targets[i] = std::mem::take(&mut row[i]);
            }
        }
        Some(targets)
    }

    /// A measure's row, naming its objective and sub-objective if no row has yet.
    /// Only its latest reading is written: a table holds one value of a measure.
    fn measure(&mut self, measure: &Measure, in_sub: bool) {
        let percent = !self.has_unit_col && measure.unit.as_deref() == Some("%");
        let mut row: Vec<String> =
            self.cols.iter().map(|c| measure_cell(c, measure, percent)).collect();
        self.name_objective(&mut row);
        if let (true, Some(c), Some(sub), false) = (in_sub, self.sub_col, self.sub, self.sub_named)
        {
            row[c] = sub.title.clone();
            self.sub_named = true;
        }
        self.rows.push(row);
        self.wrote_first = true;
    }

    /// An action's row; the first action of a sub-objective not yet named names it.
    fn action(&mut self, action: &Action, in_sub: bool) {
        let notes = Notes::of(&action.unmapped);
        let edited = self.edited.get(&action.key).map_or(&[][..], Vec::as_slice);
        let mut row: Vec<String> = self
            .cols
            .iter()
            .map(|c| action_cell(c, action, &notes, self.has_cols(), edited))
            .collect();
        self.name_objective(&mut row);
        if let (true, Some(c), Some(sub), false) = (in_sub, self.sub_col, self.sub, self.sub_named)
        {
            row[c] = sub.title.clone();
            self.sub_named = true;
        }
        // A row of dashes and blanks reads as a table rule: naming the sub-objective
        // (or the objective) again keeps it an action, read as continuing it.
        let is_rule = |row: &[String]| row.iter().all(|c| crate::table::is_rule(c));
        if is_rule(&row)
            && let (true, Some(c), Some(sub)) = (in_sub, self.sub_col, self.sub)
        {
            row[c] = sub.title.clone();
        }
        if is_rule(&row)
            && let (Some(c), Some(objective)) = (self.obj_col, self.objective)
        {
            row[c] = objective.title.clone();
        }
        self.rows.push(row);
        self.wrote_first = true;
    }
}

/// Writes `plan` as a delimited table: one row per action, the objective and
/// sub-objective named on their first row, notes in the columns they came from.
/// A text a spreadsheet would run as a formula (`=…`, `+…`, `-…`, `@…`) is written
/// with a `'` before it ([`ragplan_core::text_cell`]), which [`crate::import`] drops
/// again; a number such as `-3` is written as it is.
///
/// # Example
/// ```
/// use ragplan_import::{ExportFormat, ImportOptions, SourceFormat, export, import};
/// let source = "Sub Objectives\tActions\tAction RAG\nPrevent\tPublish leaflets\tGreen\n";
/// let options = ImportOptions::for_format(SourceFormat::Tsv);
/// let plan = import(source.as_bytes(), &options)?.plan;
/// let csv = export(&plan, ExportFormat::Csv);
/// assert_eq!(csv, "Sub Objectives,Actions,Action RAG\nPrevent,Publish leaflets,Green\n");
/// # Ok::<(), ragplan_import::ImportError>(())
/// ```
pub fn export(plan: &Plan, format: ExportFormat) -> String {
    let cols = columns(plan);
    let delimiter = match format {
        ExportFormat::Csv => b',',
        ExportFormat::Tsv => b'\t',
    };
    let position = |f: Field| cols.iter().position(|c| c.field == Some(f));
    let mut table = Table {
        obj_col: position(Field::Objective),
        sub_col: position(Field::SubObjective),
        has_status_col: cols.iter().any(|c| c.field == Some(Field::Status)),
        has_note_col: cols.iter().any(|c| c.field == Some(Field::ProgressNote)),
        rows: vec![cols.iter().map(|c| c.header.clone()).collect()],
        cols: &cols,
        objective: None,
        objective_named: false,
        wrote_first: false,
        sub: None,
        sub_named: false,
        edited: edited_fields(plan),
        has_unit_col: cols.iter().any(|c| c.field == Some(Field::Unit)),
    };
    // A node taken out of the plan is not a row of the table: the plan keeps it,
    // and re-importing the table into the plan keeps it removed.
    for node in plan.nodes().filter(|n| !n.is_removed()) {
        match node.node {
            Node::Objective(objective) => table.objective(objective),
            Node::SubObjective(sub) => table.sub_objective(sub),
            Node::Action(action) => table.action(action, node.depth > 1),
        }
    }
    table.end_objective();
    let rows = table.rows;
    let mut writer = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    for row in rows {
        // A text a spreadsheet would run as a formula is written with a `'`, which
        // the importer drops; a number (`-3`) is a value and is written as it is.
        let row = row.iter().map(|cell| {
            if cell.parse::<f64>().is_ok_and(f64::is_finite) {
                std::borrow::Cow::Borrowed(cell.as_str())
            } else {
                ragplan_core::text_cell(cell.as_str())
            }
        });
        // Writing to memory cannot fail; a failed row is left out rather than panic.
        let _ = writer.write_record(row.map(|c| c.into_owned()));
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The layout was TSV text inside a string; it is now one object a column, and
    /// the text an earlier version wrote still reads.
    #[test]
    fn the_layout_is_kept_as_structured_json_and_the_old_text_still_reads() {
        let layout = vec![
            ("Sub Objectives".to_owned(), Some(Field::SubObjective)),
            ("Notes".to_owned(), None),
        ];
        let value = layout_to_value(&layout);
        assert_eq!(
            value,
            serde_json::json!([{"header": "Sub Objectives", "field": "sub_objective"}, {"header": "Notes"}])
        );
        let mut plan = Plan::new(ragplan_core::PlanId::slug("p"), "P");
        plan.metadata.insert(crate::LAYOUT_KEY.to_owned(), value);
        assert_eq!(layout_of(&plan), layout);
        let old = "Sub Objectives\tsub_objective\nNotes\t".to_owned();
        plan.metadata.insert(crate::LAYOUT_KEY.to_owned(), old.into());
        assert_eq!(layout_of(&plan), layout);
    }
}
