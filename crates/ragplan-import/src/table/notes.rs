//! Notes: text with no field of its own, kept under its column's name on the node
//! its row made, each once, in column order.

use super::*;

/// Where each source first gives a note in one node's list of notes, so that adding
/// a note finds the earlier note of its column without reading the list: a row of
/// many columns would otherwise read the notes of every column before it.
///
/// An index serves one list, which only grows while it is in use (notes are ordered
/// in [`Builder::finish`], after the last is added); notes pushed onto the list
/// directly are indexed when the index is next used.
#[derive(Debug, Default)]
pub(super) struct NoteIndex {
    /// The position of the first note with each source.
    pub(super) first: HashMap<String, usize>,
    /// How many notes of the list are indexed.
    pub(super) seen: usize,
}

impl NoteIndex {
    /// Indexes the notes pushed since the index was last used.
    pub(super) fn catch_up(&mut self, notes: &[UnmappedNote]) {
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
    pub(super) fn contains(&mut self, notes: &[UnmappedNote], source: &str) -> bool {
        self.catch_up(notes);
        self.first.contains_key(source)
    }

    /// Adds a note, joining it to an earlier note from the same column (a cell
    /// continued on the next row), so that each column gives a node at most one note.
    pub(super) fn add(&mut self, notes: &mut Vec<UnmappedNote>, note: UnmappedNote) {
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

impl Builder<'_> {
    /// The splits and joins made reading an owners or partners cell, as diagnostics
    /// quoting the cell.
    pub(super) fn cell_notes(&mut self, line: usize, col: usize, cell: &str, notes: Vec<CellNote>) {
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

    /// The `filled` cells of a row with no action, and its `notes`, kept as notes of
    /// the sub-objective the row sits under (or of objective `o` when none), each
    /// cell with a `row-without-action` warning.
    pub(super) fn node_notes_of_row(
        &mut self,
        line: usize,
        o: usize,
        filled: &[usize],
        cells: &[Cow<'_, str>],
        notes: Vec<UnmappedNote>,
    ) {
        if !filled.is_empty() || !notes.is_empty() {
            self.touch_parent(line, o);
        }
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
                .with_text(cells[c].as_ref()),
            );
            node_notes.push(UnmappedNote { source: Some(name), text: cells[c].to_string() });
        }
        self.add_node_notes(o, node_notes);
    }

    /// Adds notes to the sub-objective rows are read under (or to objective `o` when
    /// none), each joining an earlier note of its column there.
    pub(super) fn add_node_notes(&mut self, o: usize, notes: Vec<UnmappedNote>) {
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

    /// Orders notes by the column they came from, and within a column the cell's own
    /// text, then its text as written, then what later rows added to it: where an
    /// export puts them, so that a re-import gives the same order.
    pub(super) fn order_notes(&mut self) {
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
}
