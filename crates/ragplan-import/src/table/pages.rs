//! A table broken across pages: a row that continues the action above, and the last
//! words of an action's cell carried to the next page.

use super::*;

impl Builder<'_> {
    /// A row with no action: its cells continue the last action above (a Word table
    /// cell split across a page), or, with none, become notes of the sub-objective.
    pub(super) fn continuation(
        &mut self,
        line: usize,
        o: usize,
        cells: &[Cow<'_, str>],
        notes: Vec<UnmappedNote>,
    ) {
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
                            .with_text(cells[c].as_ref()),
                        );
                        self.fill(line, c, field, &cells[c], &mut action, (0, 1));
                    }
                }
                for note in notes {
                    self.notes.add(&mut action.unmapped, note);
                }
                self.put_action(place, action);
                self.touch(line, NodePlace::Action(place));
            }
            None => self.node_notes_of_row(line, o, &filled, cells, notes),
        }
    }

    /// The cells of a row that may continue an action: filled, in a column with a
    /// field, and not placing the row in an objective or sub-objective.
    pub(super) fn filled_cells(&self, cells: &[Cow<'_, str>]) -> Vec<usize> {
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
    pub(super) fn carried_words<'t>(
        &mut self,
        line: usize,
        o: usize,
        text: &'t str,
        cells: &[Cow<'_, str>],
    ) -> &'t str {
        let column = self.action_column();
        let Some((place, n_lower)) = self.carried_from(o, text, cells) else { return text };
        let Some(above) = self.action_mut(place) else { return text };
        if ends_sentence(&above.title) {
            return text;
        }
        let (carried, rest) = split_words(text, n_lower);
        above.title = format!("{} {carried}", above.title.trim_end());
        self.carried_note(line, column, place, &carried, text);
        rest
    }

    /// The outcomes and evidence cells of a row, without leading words that finish
    /// the last outcome or evidence of the action above, by the rule of
    /// [`Builder::carried_words`]: "… Coordinated", a page break, then
    /// "communications CSE remains a strategic priority" is the outcome "Coordinated
    /// communications" above and "CSE remains a strategic priority" here.
    pub(super) fn carried_list_words(&mut self, line: usize, o: usize, cells: &mut [Cow<'_, str>]) {
        if !self.page_break {
            return;
        }
        for field in [Field::Outcomes, Field::Evidence] {
            let Some(c) = self.column_of(field) else { continue };
            let Some(text) = cells.get(c).map(|t| t.to_string()) else { continue };
            let Some((place, n_lower)) = self.carried_from(o, &text, cells) else { continue };
            let Some(above) = self.action_mut(place) else { continue };
            let list =
                if field == Field::Outcomes { &mut above.outcomes } else { &mut above.evidence };
            let Some(last) = list.last_mut().filter(|l| !ends_sentence(l)) else { continue };
            let (carried, rest) = split_words(&text, n_lower);
            *last = format!("{} {carried}", last.trim_end());
            let rest = rest.to_owned();
            self.carried_note(line, c, place, &carried, &text);
            cells[c] = Cow::Owned(rest);
        }
    }

    /// The action above that a cell's leading words may finish, and how many words:
    /// after a page break, in the same objective and sub-objective (the row names no
    /// other), one to three lower-case words followed by a capitalised one.
    fn carried_from(
        &self,
        o: usize,
        text: &str,
        cells: &[Cow<'_, str>],
    ) -> Option<(ActionPlace, usize)> {
        if !self.page_break {
            return None;
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
        match (place, sub_cell_empty, n_lower, capital_follows) {
            (Some(place), true, 1..=3, true) => Some((place, n_lower)),
            _ => None,
        }
    }

    /// The `carried-words` warning for words of row `line`, column `column`, added
    /// to the action at `place`.
    fn carried_note(
        &mut self,
        line: usize,
        column: usize,
        place: ActionPlace,
        carried: &str,
        text: &str,
    ) {
        let Some(key) = self.action_mut(place).map(|a| a.key.clone()) else { return };
        let column = self.column_name(column);
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
        self.touch(line, NodePlace::Action(place));
    }
}

/// Whether `text` ends a sentence or a clause.
fn ends_sentence(text: &str) -> bool {
    text.trim_end().ends_with(['.', '!', '?', ':', ';', ')'])
}

/// The first `n` words of `text`, joined, and the rest of it as written, line breaks
/// and all.
fn split_words(text: &str, n: usize) -> (String, &str) {
    let carried = text.split_whitespace().take(n).collect::<Vec<_>>().join(" ");
    let mut rest = text;
    for _ in 0..n {
        rest = rest.trim_start();
        rest = &rest[rest.find(char::is_whitespace).unwrap_or(rest.len())..];
    }
    (carried, rest.trim_start())
}
