//! Filling an action's fields from its row's cells: owners, partners, timescale,
//! ratings, the columns a field falls back to, dependencies resolved once every row
//! is read, and the keys the source gave.

use super::*;

/// Marks the source of a dependency cell until every key is known: the row and the
/// header follow it, each after the mark. No header holds the character.
pub(super) const PENDING_DEPENDENCY: &str = "\u{1}";

pub(super) fn is_pending_dependency(note: &UnmappedNote) -> bool {
    note.source.as_deref().is_some_and(|s| s.starts_with(PENDING_DEPENDENCY))
}

impl Builder<'_> {
    /// How an owners cell reads ([`split_owners`]), each distinct cell read once.
    pub(super) fn owners_of(&mut self, cell: &str) -> crate::owner::OwnerSplit {
        let owners = &self.owners;
        CellCache::get_or_read(&mut self.cache.owners, cell, || split_owners(cell, owners))
    }

    /// How a partners cell reads ([`read_partners`]), each distinct cell read once.
    pub(super) fn partners_of(&mut self, cell: &str) -> crate::partner::PartnerRead {
        let vocabulary = &self.owners.vocabulary;
        CellCache::get_or_read(&mut self.cache.partners, cell, || read_partners(cell, vocabulary))
    }

    /// A timescale's text resolved ([`Timescale::parse`]), each distinct text once.
    pub(super) fn timescale_of(&mut self, text: &str) -> Timescale {
        CellCache::get_or_read(&mut self.cache.timescales, text, || Timescale::parse(text))
    }

    /// A rating cell read ([`RatingRead`]), each distinct cell read once.
    pub(super) fn ratings_of(&mut self, cell: &str) -> Rc<RatingRead> {
        let coded = &self.options.rating_map;
        CellCache::get_or_read(&mut self.cache.ratings, cell, || {
            Rc::new(RatingRead::new(cell, coded))
        })
    }

    /// The cells of a placed row (see [`Builder::placed_cells`]) that sit in an
    /// Accountable or Responsibility column of the current header.
    pub(super) fn owner_cells<C>(
        &self,
        cells: impl IntoIterator<Item = C>,
    ) -> impl Iterator<Item = C> {
        cells.into_iter().enumerate().filter_map(|(i, c)| {
            matches!(self.field_at(i), Some(Field::Accountable | Field::Responsible)).then_some(c)
        })
    }

    /// The key by position of the next action of objective `o` (under the current
    /// sub-objective, if any). Every action is keyed by position first; the source's
    /// own key replaces it in `finish`, where it is unique in the whole plan.
    pub(super) fn next_action_key(&self, o: usize) -> Key {
        let objective = &self.plan.objectives[o];
        match self.sub_objective.and_then(|s| objective.sub_objectives.get(s)) {
            Some(sub) => Key::positional(Some(&sub.key), sub.actions.len()),
            None => Key::positional(
                Some(&objective.key),
                objective.sub_objectives.len() + objective.actions.len(),
            ),
        }
    }

    /// Puts `action`, keyed by [`Builder::next_action_key`], in the plan.
    pub(super) fn push_action(
        &mut self,
        line: usize,
        o: usize,
        mut action: Action,
        cells: &[Cow<'_, str>],
    ) {
        let key_col = self.column_of(Field::Key);
        let key_text = key_col.and_then(|i| cells.get(i)).map(|c| one_line(c)).unwrap_or_default();
        let mut source_key = None;
        if !key_text.is_empty() {
            let column = self.column_name(key_col.unwrap_or(0));
            let key_text = key_text.into_owned();
            match Key::new(&key_text) {
                Ok(key) => source_key = Some((key, column, key_text)),
                Err(e) => {
                    self.diagnostics.push(
                        Diagnostic::warning(
                            DiagnosticCode::BadKey,
                            format!("{e}; the action is keyed {} by position", action.key),
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

    /// Keeps `cell` of column `col` as written, beside the value read from it: an
    /// `and` that joins no owners or partners is in no name, and an export writes the
    /// cell back as written.
    fn keep_as_written(&mut self, col: usize, cell: &str, action: &mut Action) {
        let source = Some(self.column_names(col).as_written.clone());
        self.notes.add(&mut action.unmapped, UnmappedNote { source, text: cell.to_owned() });
    }

    /// Keeps the placeholders (`TBC`) an owners or partners cell of column `col`
    /// held, read as no one, as notes under the column's header.
    fn keep_placeholders(&mut self, col: usize, placeholders: Vec<String>, action: &mut Action) {
        if placeholders.is_empty() {
            return;
        }
        let source = Some(self.column_name(col));
        for text in placeholders {
            let note = UnmappedNote { source: source.clone(), text };
            self.notes.add(&mut action.unmapped, note);
        }
    }

    /// Puts one cell into its field of `action`. `part` is (this action, of how many)
    /// when a cell holding several actions was split.
    pub(super) fn fill(
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
            Field::Evidence => return extend_fitted(&mut action.evidence, lines_of(cell)),
            Field::Outcomes => return extend_fitted(&mut action.outcomes, lines_of(cell)),
            Field::Partners => {
                let read = self.partners_of(cell);
                if part.0 == 0 {
                    if read.dropped {
                        self.keep_as_written(col, cell, action);
                    }
                    self.cell_notes(line, col, cell, read.notes);
                    self.keep_placeholders(col, read.placeholders, action);
                }
                return extend_fitted(&mut action.partners, read.partners);
            }
            Field::Accountable | Field::Responsible => {
                let split = self.owners_of(cell);
                if part.0 == 0 {
                    if split.dropped {
                        self.keep_as_written(col, cell, action);
                    }
                    self.cell_notes(line, col, cell, split.notes);
                    self.keep_placeholders(col, split.placeholders, action);
                }
                let list = if field == Field::Accountable {
                    &mut action.accountable
                } else {
                    &mut action.responsible
                };
                return extend_fitted(list, split.owners);
            }
            _ => {}
        }
        let names = self.column_names(col);
        let header = &names.name;
        let note =
            |text: &str| UnmappedNote { source: Some(header.clone()), text: text.to_owned() };
        let written = |text: &str| UnmappedNote {
            source: Some(names.as_written.clone()),
            text: text.to_owned(),
        };
        let more =
            |text: &str| UnmappedNote { source: Some(names.more.clone()), text: text.to_owned() };
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
                    None => text.into_owned(),
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
                let timescale = self.timescale_of(&text);
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
            | Field::DependsOn => self.fill_detail(line, &names, field, cell, action),
            // A measure's cell on a row with no indicator has no measure to go to.
            Field::Indicator
            | Field::Unit
            | Field::Target
            | Field::Direction
            | Field::Tolerance
            | Field::Actual
            | Field::AsAt
            | Field::Unmapped => self.notes.add(&mut action.unmapped, note(cell)),
            // A progress cell that is not a number is the progress note.
            Field::Progress => match read_percent(cell) {
                Percent::Text => fill_note(cell, action),
                read => self.fill_progress(line, &names, read, cell, action),
            },
            Field::ProgressNote => fill_note(cell, action),
        }
    }

    /// A progress cell that is a number: a percentage from 0 to 100 fills the action's
    /// progress, kept as written too where it is not spelled `50%`; a second one for
    /// the action is kept as a note, and a number past 100 is kept as written with a
    /// `not-a-percentage` warning.
    fn fill_progress(
        &mut self,
        line: usize,
        names: &ColumnNames,
        read: Percent,
        cell: &str,
        action: &mut Action,
    ) {
        let text = one_line(cell).into_owned();
        let written = UnmappedNote { source: Some(names.as_written.clone()), text: text.clone() };
        let first =
            action.progress.is_none() && !self.notes.contains(&action.unmapped, &names.as_written);
        match read {
            Percent::Read(p) if first => {
                action.progress = Some(p);
                if text != format!("{p}%") {
                    action.unmapped.push(written);
                }
            }
            Percent::Read(_) => {
                let more = UnmappedNote { source: Some(names.more.clone()), text };
                self.notes.add(&mut action.unmapped, more);
            }
            Percent::OutOfRange | Percent::Text if first => {
                self.diagnostics.push(
                    Diagnostic::warning(
                        DiagnosticCode::NotAPercentage,
                        "not a percentage from 0 to 100; kept as a note",
                    )
                    .at_row(line)
                    .at_column(names.name.clone())
                    .with_text(text),
                );
                action.unmapped.push(written);
            }
            Percent::OutOfRange | Percent::Text => {
                let more = UnmappedNote { source: Some(names.more.clone()), text };
                self.notes.add(&mut action.unmapped, more);
            }
        }
    }

    /// A start or review date, a weight, a yes or no for critical, or dependencies
    /// (resolved to keys when the whole plan is read). What cannot be read is kept as
    /// written, with a warning; a second value for the action is kept as a note.
    pub(super) fn fill_detail(
        &mut self,
        line: usize,
        names: &ColumnNames,
        field: Field,
        cell: &str,
        action: &mut Action,
    ) {
        let header = names.name.as_str();
        let text = one_line(cell).into_owned();
        let written = names.as_written.clone();
        if self.notes.contains(&action.unmapped, &written) {
            let more = UnmappedNote { source: Some(names.more.clone()), text };
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
                        let more = UnmappedNote { source: Some(names.more.clone()), text };
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
    pub(super) fn resolve_dependencies(&mut self) {
        // Most plans name no dependency: then there is nothing to look up.
        if !self.plan.actions().any(|a| a.unmapped.iter().any(is_pending_dependency)) {
            return;
        }
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
    pub(super) fn falls_back(
        &mut self,
        f: Field,
        first: usize,
        cell: &str,
        action: &Action,
    ) -> bool {
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
            | Field::ProgressNote
            | Field::Unmapped => false,
        }
    }

    pub(super) fn fill_rating(
        &mut self,
        line: usize,
        col: usize,
        field: Field,
        cell: &str,
        action: &mut Action,
        (i, n): (usize, usize),
    ) {
        let names = self.column_names(col);
        let header = &names.name;
        let has_written = self.notes.contains(&action.unmapped, &names.as_written);
        let read = self.ratings_of(cell);
        let rating = &read.cell;
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
            let more = UnmappedNote { source: Some(names.more.clone()), text: cell.to_owned() };
            self.notes.add(&mut action.unmapped, more);
            return;
        }
        let slot = if field == Field::ActionRag {
            &mut action.action_rag
        } else {
            &mut action.outcome_rag
        };
        let note = |text: &str| UnmappedNote {
            source: Some(names.as_written.clone()),
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
            if given_before || !read.status_keeps_words {
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
            if !read.keeps_words {
                action.unmapped.push(note(cell));
            }
            return;
        }
        *slot = rating.ratings.first().copied();
        let exact = rating.ratings.len() == 1 && read.keeps_words;
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

    /// Re-keys the objective made for a table that names none when an action's
    /// source key is the objective's own (a table numbering its actions 1, 2, 3):
    /// the objective's key is seen nowhere in the table, the action's is.
    fn implicit_objective_gives_way(&mut self) {
        let Some(o) = self.implicit_objective else { return };
        let Some(objective) = self.plan.objectives.get(o) else { return };
        if !self.source_keys.iter().any(|k| k.key == objective.key) {
            return;
        }
        let taken: HashSet<&str> = self.source_keys.iter().map(|k| k.key.as_str()).collect();
        let Some(key) = free_objective_key(&taken) else { return };
        if let Some(objective) = self.plan.objectives.get_mut(o) {
            objective.key = key;
        }
    }

    /// Gives each action the key its source gave it where that key is unique in the
    /// whole plan: not the key of an objective, a sub-objective or an action keyed by
    /// position, nor of an action above with the same key. An action whose key is not
    /// unique keeps its key by position (with a number added in the rare case that a
    /// source key took it), its key as written is kept, and a
    /// `duplicate-key-renumbered` warning names the row, the old key and the new.
    /// The objective made for a table that names none gives way instead: an action
    /// keyed `1` keeps its key, and the objective is keyed `O1`.
    pub(super) fn assign_source_keys(&mut self) {
        // Most sources give no keys: then every action keeps its key by position.
        if self.source_keys.is_empty() {
            return;
        }
        self.implicit_objective_gives_way();
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
}

/// The key the objective made for a table that names none takes when an action's
/// source key is its own: `O1`, or `O1-2`, … when the source uses that too.
fn free_objective_key(taken: &HashSet<&str>) -> Option<Key> {
    let base = "O1";
    std::iter::once(base.to_owned())
        .chain((2..).map(|n| format!("{base}-{n}")))
        .take(taken.len() + 1)
        .find(|k| !taken.contains(k.as_str()))
        .and_then(|k| Key::new(&k).ok())
}

/// Adds a cell to the action's progress note, a line of its own after what an
/// earlier cell (a second note column, a row continuing the action) gave.
fn fill_note(cell: &str, action: &mut Action) {
    let text = lines_of(cell).join("\n");
    if text.trim().is_empty() {
        return;
    }
    match &mut action.note {
        Some(note) => {
            note.push('\n');
            note.push_str(&text);
        }
        None => action.note = Some(text),
    }
}

/// A cell's lines, each on one line of its own.
fn lines_of(cell: &str) -> Vec<String> {
    cell.lines().map(|l| one_line(l).into_owned()).collect()
}

/// Adds `items` to `list`, holding no more room than they take when the list was
/// empty (most cells give one item, and a list grown from empty holds room for
/// four): a million actions' owners and evidence otherwise hold 200 MB unused.
fn extend_fitted<T>(list: &mut Vec<T>, items: Vec<T>) {
    if list.is_empty() {
        *list = items;
        ragplan_core::fit_list(list);
    } else {
        list.extend(items);
    }
}
