//! What a row is and where it goes: the preamble, a header, text, a rule, a page
//! marker, a shifted row moved back, a fallback column; then a data row placed under
//! its objective and sub-objective, with its actions.

use super::*;

/// Whether `text` is a page marker of a Word table pasted as text: `Page 15`, `15`.
pub(super) fn is_page_marker(text: &str) -> bool {
    let t = text.trim();
    let digits = t.strip_prefix("Page").or_else(|| t.strip_prefix("page")).unwrap_or(t).trim();
    !digits.is_empty() && digits.len() <= 4 && digits.chars().all(|c| c.is_ascii_digit())
}

/// Whether the text is only table rule characters and spaces of any kind: `--`,
/// `|---|:--:|`, `- - -` with no-break spaces.
pub(crate) fn is_rule(text: &str) -> bool {
    text.chars().all(|c| matches!(c, '-' | ':' | '|' | '=' | '+' | '_') || c.is_whitespace())
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

impl Builder<'_> {
    pub(super) fn preamble_row(&mut self, row: &GridRow) {
        let text: Vec<Cow<'_, str>> =
            row.cells.iter().map(|c| strip_html(c)).filter(|c| !c.is_empty()).collect();
        if !text.is_empty() {
            self.preamble.push((row.line, text.join(" | ")));
            self.touch(row.line, NodePlace::Plan);
        }
    }

    /// Reads a row, placed as `placed` says (what [`Builder::place`] found when the
    /// rows were scouted).
    pub(super) fn row(&mut self, row: &GridRow, placed: Placed) {
        let cells = match placed {
            Placed::Itself => {
                self.lay_out(row);
                None
            }
            Placed::AsWritten => Some(row.cells.iter().map(|c| Cow::Borrowed(c.trim())).collect()),
            Placed::Changed(changed) => {
                let Changed { cells, diagnostics, page_break } = *changed;
                self.diagnostics.extend(diagnostics);
                self.page_break |= page_break;
                cells.map(|cells| cells.into_iter().map(Cow::Owned).collect())
            }
        };
        if let Some(cells) = cells {
            self.data_row(row, cells);
        }
    }

    /// Places a row (lays it out, or places its cells), and says how, so that the
    /// builder that reads the rows next places each row as it was placed here
    /// without placing it again. The placing of data cells depends only on the
    /// columns and on the rows before, never on the plan being built; a header or
    /// text row is laid out by each builder itself, as it changes the columns or the
    /// plan.
    pub(super) fn place(&mut self, row: &GridRow) -> Placed {
        if self.lay_out(row) {
            return Placed::Itself;
        }
        let said = self.diagnostics.len();
        self.page_break = false;
        let cells = self.placed_cells(row);
        let diagnostics = self.diagnostics.split_off(said);
        let broke = self.page_break;
        // Each cell the trimmed source cell itself (the same bytes, not a copy).
        let as_written = cells.as_ref().is_some_and(|cells| {
            cells.len() == row.cells.len()
                && cells.iter().zip(&row.cells).all(|(c, raw)| {
                    let raw = raw.trim();
                    c.as_ptr() == raw.as_ptr() && c.len() == raw.len()
                })
        });
        if as_written && diagnostics.is_empty() && !broke {
            Placed::AsWritten
        } else {
            let cells = cells.map(|cells| cells.into_iter().map(Cow::into_owned).collect());
            Placed::Changed(Box::new(Changed { cells, diagnostics, page_break: broke }))
        }
    }

    /// Lays out a header row (the columns of the next table) or a text row (a note
    /// of the objective); `false` for a row of data cells, which this leaves alone.
    fn lay_out(&mut self, row: &GridRow) -> bool {
        match row.kind {
            RowKind::Header => {
                let text: Vec<Cow<'_, str>> =
                    row.cells.iter().map(|c| strip_html(c)).filter(|c| !c.is_empty()).collect();
                self.diagnostics.push(
                    Diagnostic::info(DiagnosticCode::TableHeader, "the columns of the next table")
                        .at_row(row.line)
                        .with_text(text.join(" | ")),
                );
                self.set_header(row);
                true
            }
            RowKind::Text => {
                self.text_row(row.line, &row.cells.join(" "), row.group.as_deref());
                true
            }
            RowKind::Data if row.cells.len() == 1 && self.columns.len() > 1 => {
                self.text_row(row.line, &row.cells[0], row.group.as_deref());
                true
            }
            RowKind::Data => false,
        }
    }

    /// The cells of a data row (one [`Builder::lay_out`] left alone) as they go into
    /// the plan: HTML and bold header words removed, a row shifted one column left
    /// moved back. `None` for a row that is not table data (a repeated header, a
    /// blank row, a rule). A cell left as the source wrote it (trimmed) is borrowed
    /// from `row`.
    fn placed_cells<'r>(&mut self, row: &'r GridRow) -> Option<Vec<Cow<'r, str>>> {
        let mut cells: Vec<Cow<'r, str>> = row.cells.iter().map(|c| strip_html(c)).collect();
        if self.is_repeated_header(&cells) {
            let text: Vec<&str> =
                cells.iter().map(|c| c.as_ref()).filter(|c| !c.is_empty()).collect();
            self.diagnostics.push(
                Diagnostic::warning(DiagnosticCode::RepeatedHeader, "repeated header row skipped")
                    .at_row(row.line)
                    .with_text(text.join(" | ")),
            );
            self.page_break = true;
            self.header_tails = self.cut_headers(&cells);
            return None;
        }
        let tails = std::mem::take(&mut self.header_tails);
        for (i, raw) in row.cells.iter().enumerate() {
            if !raw.contains('<') {
                continue;
            }
            let (rest, removed) = remove_bold_headers(raw, |w| self.names_a_column(w));
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
            cells[i] = Cow::Owned(strip_html(&rest).into_owned());
        }
        self.remove_header_tails(row.line, &tails, &mut cells);
        if cells.iter().all(|c| c.is_empty()) {
            self.page_break = true;
            return None;
        }
        if cells.iter().all(|c| is_rule(c)) {
            let text: Vec<&str> =
                cells.iter().map(|c| c.as_ref()).filter(|c| !c.is_empty()).collect();
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

    /// Whether `text` is a header of one of the table's columns: its header as
    /// written, or a synonym of a column's field. A bold header word inside a cell
    /// is removed only then: `<b>Actions</b>` in a table with no Actions column is
    /// the cell's own text.
    pub(super) fn names_a_column(&self, text: &str) -> bool {
        if !is_header_word(text) && !self.options.map.iter().any(|(h, _)| h == text) {
            return false;
        }
        let norm = normalise_header(text);
        self.columns.iter().any(|c| normalise_header(&c.header) == norm)
            || match match_header_as(text, &self.options.map, false) {
                Some(HeaderMatch::Exact(f) | HeaderMatch::Fuzzy(f)) => self.column_of(f).is_some(),
                None => false,
            }
    }

    /// Moves the cell of a fallback column of a field that places the row (the
    /// action, its key, objective or sub-objective) into the first column of its
    /// field where that one is empty: of several columns of one field, the first
    /// non-empty wins. The fields of an action fall back in [`Builder::fill`].
    pub(super) fn fall_back(&mut self, line: usize, cells: &mut [Cow<'_, str>]) {
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
                .with_text(text.as_ref()),
            );
            cells[first] = text;
        }
    }

    /// Moves a row shifted one column left back into place: a whole rating word in
    /// the Actions cell, the rating cell holding no rating, and the action's text in
    /// the sub-objective cell (Sub Objectives, Actions and the rating must be
    /// neighbours, as in the delivery-plan layout).
    pub(super) fn shift_if_stranded(&mut self, line: usize, cells: &mut Vec<Cow<'_, str>>) {
        let Some(rag) = self.column_of(Field::ActionRag) else {
            return;
        };
        if rag < 2
            || self.field_at(rag - 1) != Some(Field::Action)
            || self.field_at(rag - 2) != Some(Field::SubObjective)
        {
            return;
        }
        let at = |i: usize| cells.get(i).map_or("", |c| c.as_ref());
        if !looks_shifted_left(at(rag - 2), at(rag - 1), at(rag)) {
            return;
        }
        let text = at(rag - 1).to_owned();
        let col = self.column_name(rag - 1);
        cells.insert(rag - 2, Cow::Borrowed(""));
        // A last cell pushed past the header is kept as a note, like any other.
        if cells.last().is_some_and(|c| c.is_empty()) {
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

    pub(super) fn text_row(&mut self, line: usize, text: &str, group: Option<&str>) {
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
        self.touch(line, NodePlace::Objective(o));
        let text = text.into_owned();
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
    pub(super) fn objective_for(&mut self, title: Option<String>) -> usize {
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
                    self.implicit_objective = Some(o);
                    o
                }
            },
        }
    }

    pub(super) fn new_objective(&mut self, title: &str) -> usize {
        if let Some(last) = self.plan.objectives.last_mut() {
            fit_objective(last);
        }
        let key = Key::positional(None, self.objectives_before + self.plan.objectives.len());
        self.plan.objectives.push(Objective::new(key, title));
        self.sub_objective = None;
        self.plan.objectives.len() - 1
    }

    pub(super) fn data_row(&mut self, row: &GridRow, mut cells: Vec<Cow<'_, str>>) {
        let line = row.line;
        // Which objective.
        let objective_cell = self
            .columns
            .iter()
            .position(|c| c.field == Some(Field::Objective))
            .and_then(|i| cells.get(i))
            .filter(|c| !c.is_empty())
            .map(|c| one_line(c).into_owned());
        let group_cell = self
            .group_by
            .and_then(|i| cells.get(i))
            .filter(|c| !c.is_empty())
            .map(|c| one_line(c).into_owned());
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
        let names_objective = group_cell.is_some() || objective_cell.is_some();
        let o = self.objective_for(group_cell.or(objective_cell).or_else(|| row.group.clone()));
        if names_objective {
            self.touch(line, NodePlace::Objective(o));
        }

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
                    .with_text(cell.as_ref()),
                );
                extra_notes.push(UnmappedNote {
                    source: Some(self.column_name(i)),
                    text: cell.to_string(),
                });
            } else if self.columns[i].field.is_none() {
                if is_page_marker(cell) {
                    self.page_break = true;
                    self.diagnostics.push(
                        Diagnostic::warning(DiagnosticCode::PageMarker, "page marker skipped")
                            .at_row(line)
                            .at_column(self.column_name(i))
                            .with_text(cell.as_ref()),
                    );
                } else {
                    row_notes.push(UnmappedNote {
                        source: Some(self.column_name(i)),
                        text: cell.to_string(),
                    });
                }
            }
        }
        row_notes.append(&mut extra_notes);

        // Which sub-objective.
        if let Some(sub_idx) = self.column_of(Field::SubObjective)
            && let Some(title) =
                cells.get(sub_idx).filter(|c| !c.is_empty()).map(|c| one_line(c).into_owned())
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
                if let Some(last) = objective.sub_objectives.last_mut() {
                    ragplan_core::fit_list(&mut last.actions);
                }
                objective.sub_objectives.push(SubObjective::new(key, title));
                self.sub_objective = Some(objective.sub_objectives.len() - 1);
                self.last_action = None;
            }
            self.touch_parent(line, o);
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
        if has_indicator {
            self.touch_parent(line, o);
        }
        match action_text {
            Some(text) => {
                self.carried_list_words(line, o, &mut cells);
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

    pub(super) fn action_column(&self) -> usize {
        self.column_of(Field::Action).unwrap_or(0)
    }

    pub(super) fn new_actions(
        &mut self,
        line: usize,
        o: usize,
        text: &str,
        cells: &[Cow<'_, str>],
        row_notes: Vec<UnmappedNote>,
    ) {
        let rag_col = self.column_of(Field::ActionRag);
        let rag_text = rag_col.and_then(|i| cells.get(i)).map_or("", |c| c.as_ref());
        let n_ratings = self.ratings_of(rag_text).cell.ratings.len();
        // A cell of one action (nearly all) needs no list of titles.
        let parts = if n_ratings > 1 {
            match split_actions(text, n_ratings) {
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
                None => Vec::new(),
            }
        } else {
            Vec::new()
        };
        let n = parts.len().max(1);
        let mut parts = parts.into_iter();
        let first = parts.next().unwrap_or_else(|| one_line(text).into_owned());
        for (i, title) in std::iter::once(first).chain(parts).enumerate() {
            let mut action = Action::new(self.next_action_key(o), title);
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
            if let Some(place) = self.last_action {
                self.touch(line, NodePlace::Action(place));
            }
        }
    }
}

/// Gives back what an objective's lists hold beyond their length, once its rows are
/// read: a list grown by doubling holds up to twice what it needs, and an action is
/// 360 bytes (a ten-action sub-objective would hold room for sixteen).
pub(super) fn fit_objective(objective: &mut Objective) {
    ragplan_core::fit_list(&mut objective.actions);
    ragplan_core::fit_list(&mut objective.sub_objectives);
    for sub in &mut objective.sub_objectives {
        ragplan_core::fit_list(&mut sub.actions);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_markers_are_told_from_text() {
        assert!(is_page_marker("Page 15"));
        assert!(is_page_marker("1"));
        assert!(!is_page_marker("Page"));
        assert!(!is_page_marker("Prevent"));
    }
}
