//! A row's measure: an indicator with its target, direction, tolerance and unit, and
//! its latest value read as one dated reading, made on the sub-objective the row sits
//! under (or its objective when there is none); and numbers and directions read as
//! analysts write them (`85%`, `1,200`, `↓`, `Lower is better`).
//!
//! A row makes a measure when its indicator cell is filled. Its measure cells are
//! then the measure's, whether or not the row also has an action; what cannot be
//! read is kept as a note of the measure's parent under its header, with a
//! diagnostic, so nothing the source gave is lost.

use std::borrow::Cow;
use std::collections::HashSet;

use ragplan_core::{Direction, Key, Measure, Reading, Timescale, UnmappedNote, uk_date};

use super::Builder;
use crate::field::{Field, one_line};
use crate::{Diagnostic, DiagnosticCode};

/// Where a measure is: its objective, its sub-objective (if any) and its index among
/// the parent's measures.
pub(crate) type MeasurePlace = (usize, Option<usize>, usize);

/// A key the source gave a measure, applied once the whole plan is read.
pub(crate) struct MeasureKey {
    place: MeasurePlace,
    /// The source row.
    line: usize,
    /// The key column's name.
    column: String,
    /// The key as written.
    text: String,
    /// The key it reads as.
    key: Key,
}

/// A measure's value read with no as-at date: dated by the plan's report date once
/// that is known, or kept as a note.
pub(crate) struct UndatedValue {
    place: MeasurePlace,
    /// The source row.
    line: usize,
    /// The value column's name.
    column: String,
    /// The value as written.
    text: String,
    /// The value it reads as.
    value: f64,
}

/// A number as analysts write it: `85`, `85%`, `1,200`, `-3.5`, `±2`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Number {
    /// The value.
    pub(crate) value: f64,
    /// Whether it was written with a `%`.
    pub(crate) percent: bool,
}

/// Reads a number: an optional sign (`-`, `+`, `±`, `+/-`), digits with commas
/// between thousands (`1,200`), an optional decimal part, and an optional `%`.
/// Anything else (`85 referrals`, `1,5`, `n/a`) is not a number.
pub(crate) fn read_number(text: &str) -> Option<Number> {
    let mut rest = text.trim();
    let percent = rest.ends_with('%');
    if percent {
        rest = rest[..rest.len() - 1].trim_end();
    }
    let mut negative = false;
    for sign in ["+/-", "+/−", "±", "+"] {
        if let Some(after) = rest.strip_prefix(sign) {
            rest = after.trim_start();
            break;
        }
    }
    if let Some(after) = rest.strip_prefix(['-', '−']) {
        negative = true;
        rest = after.trim_start();
    }
    let (whole, fraction) = match rest.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (rest, None),
    };
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    // Commas only between thousands: `1,200` and `12,345,678`, not `1,5` or `,5`.
    let mut groups = whole.split(',');
    let first = groups.next().unwrap_or_default();
    let grouped = whole.contains(',');
    let whole_ok = if grouped {
        digits(first) && first.len() <= 3 && groups.all(|g| g.len() == 3 && digits(g))
    } else {
        first.is_empty() || digits(first)
    };
    let fraction_ok = fraction.is_none_or(digits);
    if !whole_ok || !fraction_ok || (first.is_empty() && fraction.is_none()) {
        return None;
    }
    let plain = format!("{}.{}", whole.replace(',', ""), fraction.unwrap_or("0"));
    let value: f64 = plain.parse().ok().filter(|v: &f64| v.is_finite())?;
    Some(Number { value: if negative { -value } else { value }, percent })
}

/// A number as the export writes it: as short as reads back the same (`85`, `2.5`),
/// with `%` when `percent`.
pub(crate) fn spell_number(value: f64, percent: bool) -> String {
    if percent { format!("{value}%") } else { value.to_string() }
}

/// Reads a direction: `higher is better`, `higher`, `up`, `increase`, `↑`, `high is
/// good`, … or `lower is better`, `lower`, `down`, `reduce`, `↓`, `low is good`, …
/// (any case).
pub(crate) fn read_direction(text: &str) -> Option<Direction> {
    let text = text.trim();
    match text {
        "↑" | "⬆" | "▲" => return Some(Direction::HigherIsBetter),
        "↓" | "⬇" | "▼" => return Some(Direction::LowerIsBetter),
        _ => {}
    }
    match crate::field::normalise_header(text).as_str() {
        "higher is better" | "higher better" | "higher" | "high" | "high is good"
        | "high is better" | "bigger is better" | "more is better" | "more" | "up" | "increase"
        | "maximise" | "maximize" => Some(Direction::HigherIsBetter),
        "lower is better" | "lower better" | "lower" | "low" | "low is good" | "low is better"
        | "smaller is better" | "less is better" | "fewer is better" | "less" | "fewer"
        | "down" | "decrease" | "reduce" | "minimise" | "minimize" => {
            Some(Direction::LowerIsBetter)
        }
        _ => None,
    }
}

/// A direction as the export writes it: `higher is better`, `lower is better`.
pub(crate) fn spell_direction(direction: Direction) -> &'static str {
    match direction {
        Direction::HigherIsBetter => "higher is better",
        Direction::LowerIsBetter => "lower is better",
    }
}

/// The latest reading of a measure, as the engine rates it: the one with the latest
/// date, the later listed of two on one day.
pub(crate) fn latest_reading(measure: &Measure) -> Option<&Reading> {
    measure.readings.iter().enumerate().max_by_key(|(i, r)| (r.on, *i)).map(|(_, r)| r)
}

/// Joins a note to the list's note from the same source, or adds it.
fn join_note(list: &mut Vec<UnmappedNote>, note: UnmappedNote) {
    match list.iter_mut().find(|n| n.source == note.source) {
        Some(existing) => {
            existing.text.push('\n');
            existing.text.push_str(&note.text);
        }
        None => list.push(note),
    }
}

/// One measure cell of a row: its column and text.
struct Cell {
    column: usize,
    text: String,
}

impl Builder<'_> {
    /// The columns of measure field `f`: its first column, then its fallbacks.
    fn measure_columns(&self, f: Field) -> impl Iterator<Item = usize> + '_ {
        self.columns
            .iter()
            .enumerate()
            .filter(move |(_, c)| c.field == Some(f) || c.fallback == Some(f))
            .map(|(i, _)| i)
    }

    /// Takes the cell of measure field `f` out of the row: the first filled of its
    /// columns, with a `fallback-used` note when that is not the field's first.
    fn take_cell(&mut self, line: usize, f: Field, cells: &mut [Cow<'_, str>]) -> Option<Cell> {
        let column =
            self.measure_columns(f).find(|&c| cells.get(c).is_some_and(|t| !t.is_empty()))?;
        let text = std::mem::take(&mut cells[column]).into_owned();
        if let Some(first) = self.column_of(f).filter(|&first| first != column) {
            self.diagnostics.push(
                Diagnostic::info(
                    DiagnosticCode::FallbackUsed,
                    format!("{:?} is empty: `{f}` read from this column", self.column_name(first)),
                )
                .at_row(line)
                .at_column(self.column_name(column))
                .with_text(text.clone()),
            );
        }
        Some(Cell { column, text })
    }

    /// A note of the measure's parent holding `cell` under its column's header.
    fn cell_note(&self, cell: &Cell) -> UnmappedNote {
        UnmappedNote { source: Some(self.column_name(cell.column)), text: cell.text.clone() }
    }

    /// A warning about a measure cell, quoting it.
    fn measure_warning(&mut self, line: usize, code: DiagnosticCode, message: &str, cell: &Cell) {
        self.diagnostics.push(
            Diagnostic::warning(code, message)
                .at_row(line)
                .at_column(self.column_name(cell.column))
                .with_text(cell.text.clone()),
        );
    }

    /// Reads the measure of a row whose indicator cell is filled onto the row's
    /// parent (the sub-objective it sits under, or objective `o`), taking the
    /// measure's cells out of `cells` — and the key cell too when the row has no
    /// action. Returns whether the row had an indicator.
    ///
    /// With no target, or one that is not a number, no measure is made and its cells
    /// are notes of the parent. A direction, tolerance, value or date that cannot be
    /// read is a note beside the measure, with a warning; a missing direction is
    /// higher is better, with an info. A value with no as-at date is dated in
    /// [`Builder::date_readings`].
    pub(super) fn take_measure(
        &mut self,
        line: usize,
        o: usize,
        cells: &mut [Cow<'_, str>],
        has_action: bool,
    ) -> bool {
        // A table with no indicator column (most) costs one look per row.
        if self.column_of(Field::Indicator).is_none() {
            return false;
        }
        let Some(indicator) = self.take_cell(line, Field::Indicator, cells) else {
            return false;
        };
        let unit = self.take_cell(line, Field::Unit, cells);
        let target = self.take_cell(line, Field::Target, cells);
        let direction = self.take_cell(line, Field::Direction, cells);
        let tolerance = self.take_cell(line, Field::Tolerance, cells);
        let actual = self.take_cell(line, Field::Actual, cells);
        let as_at = self.take_cell(line, Field::AsAt, cells);
        let key = match self.column_of(Field::Key) {
            Some(c) if !has_action && cells.get(c).is_some_and(|t| !t.is_empty()) => {
                Some(Cell { column: c, text: std::mem::take(&mut cells[c]).into_owned() })
            }
            _ => None,
        };
        // The cells of a second column of a measure field that the first filled.
        let mut notes: Vec<UnmappedNote> = Vec::new();
        for (c, cell) in cells.iter_mut().enumerate() {
            let measure_column = self.columns.get(c).is_some_and(|col| {
                col.field.is_some_and(Field::is_measure)
                    || col.fallback.is_some_and(Field::is_measure)
            });
            if measure_column && !cell.is_empty() {
                let text = std::mem::take(cell).into_owned();
                notes.push(UnmappedNote { source: Some(self.column_name(c)), text });
            }
        }
        let all = [&indicator]
            .into_iter()
            .chain(key.iter())
            .chain(unit.iter())
            .chain(target.iter())
            .chain(direction.iter())
            .chain(tolerance.iter())
            .chain(actual.iter())
            .chain(as_at.iter());
        let every_note: Vec<UnmappedNote> = all.map(|c| self.cell_note(c)).collect();

        let target_number = target.as_ref().map(|t| read_number(&t.text));
        let target_value = match (&target, target_number) {
            (Some(_), Some(Some(n))) => n,
            (Some(t), _) => {
                self.measure_warning(
                    line,
                    DiagnosticCode::NotANumber,
                    "the target is not a number (such as 85, 85% or 1,200): no measure is \
                     made; the row's measure cells are kept as notes",
                    t,
                );
                self.add_node_notes(o, every_note.into_iter().chain(notes).collect());
                return true;
            }
            (None, _) => {
                self.measure_warning(
                    line,
                    DiagnosticCode::NoTarget,
                    "an indicator with no target: no measure is made; the row's measure cells \
                     are kept as notes",
                    &indicator,
                );
                self.add_node_notes(o, every_note.into_iter().chain(notes).collect());
                return true;
            }
        };
        let title = one_line(&indicator.text).into_owned();
        let mut percent = target_value.percent;

        let direction = match &direction {
            None => {
                let column = self.column_of(Field::Direction).unwrap_or(indicator.column);
                self.diagnostics.push(
                    Diagnostic::info(
                        DiagnosticCode::DirectionAssumed,
                        "no direction given: higher readings are taken as better (a Direction \
                         column of `lower is better` says otherwise)",
                    )
                    .at_row(line)
                    .at_column(self.column_name(column))
                    .with_text(title.clone()),
                );
                Direction::HigherIsBetter
            }
            Some(cell) => match read_direction(&cell.text) {
                Some(d) => d,
                None => {
                    self.measure_warning(
                        line,
                        DiagnosticCode::NotADirection,
                        "not a direction (higher or lower is better): higher readings are \
                         taken as better; the text is kept as a note",
                        cell,
                    );
                    notes.push(self.cell_note(cell));
                    Direction::HigherIsBetter
                }
            },
        };

        let tolerance = match &tolerance {
            None => 0.0,
            Some(cell) => match read_number(&cell.text).filter(|n| n.value >= 0.0) {
                Some(n) => {
                    percent |= n.percent;
                    n.value
                }
                None => {
                    self.measure_warning(
                        line,
                        DiagnosticCode::NotANumber,
                        "the tolerance is not a number from 0 (such as 2 or 2.5%): the \
                         measure's tolerance is 0; the text is kept as a note",
                        cell,
                    );
                    notes.push(self.cell_note(cell));
                    0.0
                }
            },
        };

        // The latest value: dated by its as-at date, or later by the report date.
        let mut reading = None;
        let mut undated = None;
        match (&actual, &as_at) {
            (None, None) => {}
            (None, Some(date)) => notes.push(self.cell_note(date)),
            (Some(value), date) => match read_number(&value.text) {
                None => {
                    self.measure_warning(
                        line,
                        DiagnosticCode::NotANumber,
                        "the value is not a number (such as 62 or 62%): no reading is made; \
                         the value is kept as a note",
                        value,
                    );
                    notes.push(self.cell_note(value));
                    notes.extend(date.iter().map(|d| self.cell_note(d)));
                }
                Some(n) => match date.as_ref().map(|d| (d, Timescale::day(&one_line(&d.text)))) {
                    Some((_, Some(on))) => {
                        percent |= n.percent;
                        reading = Some(Reading { on, value: n.value, note: None });
                    }
                    Some((date, None)) => {
                        self.measure_warning(
                            line,
                            DiagnosticCode::NotADate,
                            "not a date (such as 30 June 2015 or 2015-06-30): no reading is \
                             made; the value and the date are kept as notes",
                            date,
                        );
                        notes.push(self.cell_note(value));
                        notes.push(self.cell_note(date));
                    }
                    None => {
                        percent |= n.percent;
                        undated = Some((value.column, value.text.clone(), n.value));
                    }
                },
            },
        }

        let unit = unit
            .map(|u| one_line(&u.text).into_owned())
            .filter(|u| !u.is_empty())
            .or_else(|| percent.then(|| "%".to_owned()));
        let source_key = match key {
            None => None,
            Some(cell) => match Key::new(&one_line(&cell.text)) {
                Ok(key) => Some((key, cell)),
                Err(e) => {
                    self.measure_warning(
                        line,
                        DiagnosticCode::BadKey,
                        &format!(
                            "{e}; the measure takes the next free key of M1, M2, …; the key is \
                             kept as a note"
                        ),
                        &cell,
                    );
                    notes.push(self.cell_note(&cell));
                    None
                }
            },
        };
        let measure = Measure {
            // Keyed in `key_measures`, once every node's key is known.
            key: Key::positional(None, 0),
            title,
            unit,
            target: target_value.value,
            direction,
            tolerance,
            readings: reading.into_iter().collect(),
        };
        let place = self.push_measure(o, measure);
        if let Some((key, cell)) = source_key {
            let column = self.column_name(cell.column);
            self.measure_keys.push(MeasureKey { place, line, column, text: cell.text, key });
        }
        if let Some((column, text, value)) = undated {
            let column = self.column_name(column);
            self.undated.push(UndatedValue { place, line, column, text, value });
        }
        self.add_node_notes(o, notes);
        true
    }

    /// Adds a measure to the sub-objective rows are read under, or to objective `o`.
    fn push_measure(&mut self, o: usize, measure: Measure) -> MeasurePlace {
        let objective = &mut self.plan.objectives[o];
        match self.sub_objective.and_then(|s| objective.sub_objectives.get_mut(s).map(|x| (s, x))) {
            Some((s, sub)) => {
                sub.measures.push(measure);
                (o, Some(s), sub.measures.len() - 1)
            }
            None => {
                objective.measures.push(measure);
                (o, None, objective.measures.len() - 1)
            }
        }
    }

    fn measure_mut(&mut self, (o, s, m): MeasurePlace) -> Option<&mut Measure> {
        let objective = self.plan.objectives.get_mut(o)?;
        match s {
            Some(s) => objective.sub_objectives.get_mut(s)?.measures.get_mut(m),
            None => objective.measures.get_mut(m),
        }
    }

    /// The notes of the measure's parent.
    fn parent_notes_mut(&mut self, (o, s, _): MeasurePlace) -> Option<&mut Vec<UnmappedNote>> {
        let objective = self.plan.objectives.get_mut(o)?;
        match s {
            Some(s) => Some(&mut objective.sub_objectives.get_mut(s)?.unmapped),
            None => Some(&mut objective.unmapped),
        }
    }

    /// Gives each measure its key: the one its source gave where no node and no
    /// measure above has it, otherwise the next free of `M1`, `M2`, … in plan order
    /// ([`ragplan_core::Plan::next_measure_keys`]). A source key that is taken is a
    /// `duplicate-key-renumbered` warning naming the key the measure took, and is kept
    /// as a note of the measure's parent.
    pub(super) fn key_measures(&mut self) {
        // A plan with no measure (most) has nothing to key: no need to gather its keys.
        let has_measures = self.plan.objectives.iter().any(|o| {
            !o.measures.is_empty() || o.sub_objectives.iter().any(|s| !s.measures.is_empty())
        });
        if !has_measures {
            return;
        }
        let mut used: HashSet<String> = self.plan.nodes().map(|n| n.key().to_string()).collect();
        let mut keyed: HashSet<MeasurePlace> = HashSet::new();
        let mut renumbered = Vec::new();
        for source in std::mem::take(&mut self.measure_keys) {
            if used.insert(source.key.to_string()) {
                if let Some(measure) = self.measure_mut(source.place) {
                    measure.key = source.key.clone();
                    keyed.insert(source.place);
                }
            } else {
                renumbered.push(source);
            }
        }
        let mut unkeyed: Vec<MeasurePlace> = Vec::new();
        for (o, objective) in self.plan.objectives.iter().enumerate() {
            let own = (0..objective.measures.len()).map(|m| (o, None, m));
            let subs = objective
                .sub_objectives
                .iter()
                .enumerate()
                .flat_map(|(s, sub)| (0..sub.measures.len()).map(move |m| (o, Some(s), m)));
            unkeyed.extend(own.chain(subs).filter(|place| !keyed.contains(place)));
        }
        if unkeyed.is_empty() {
            return;
        }
        let free = self.plan.next_measure_keys(unkeyed.len());
        for (place, key) in unkeyed.iter().zip(free) {
            if let Some(measure) = self.measure_mut(*place) {
                measure.key = key;
            }
        }
        for source in renumbered {
            let Some(key) = self.measure_mut(source.place).map(|m| m.key.clone()) else {
                continue;
            };
            if let Some(notes) = self.parent_notes_mut(source.place) {
                let note =
                    UnmappedNote { source: Some(source.column.clone()), text: source.text.clone() };
                join_note(notes, note);
            }
            self.diagnostics.push(
                Diagnostic::warning(
                    DiagnosticCode::DuplicateKeyRenumbered,
                    format!(
                        "key {:?} is already the key of another part of the plan; the measure \
                         is keyed {key}",
                        source.key.as_str()
                    ),
                )
                .at_row(source.line)
                .at_column(source.column)
                .with_text(source.text),
            );
        }
    }

    /// Dates each value read with no as-at date by the plan's report date, with a
    /// `reading-on-report-date` info; in a plan with no report date the value is an
    /// `undated-reading` warning and a note of the measure's parent, no date being
    /// made up for it.
    pub(super) fn date_readings(&mut self) {
        for value in std::mem::take(&mut self.undated) {
            match self.plan.reported_on {
                Some(on) => {
                    if let Some(measure) = self.measure_mut(value.place) {
                        measure.readings.push(Reading { on, value: value.value, note: None });
                    }
                    self.diagnostics.push(
                        Diagnostic::info(
                            DiagnosticCode::ReadingOnReportDate,
                            format!(
                                "no as-at date: the reading is dated {}, the plan's report date",
                                uk_date(on)
                            ),
                        )
                        .at_row(value.line)
                        .at_column(value.column)
                        .with_text(value.text),
                    );
                }
                None => {
                    if let Some(notes) = self.parent_notes_mut(value.place) {
                        let note = UnmappedNote {
                            source: Some(value.column.clone()),
                            text: value.text.clone(),
                        };
                        join_note(notes, note);
                    }
                    self.diagnostics.push(
                        Diagnostic::warning(
                            DiagnosticCode::UndatedReading,
                            "no as-at date, and the plan has no report date (give an As at \
                             column or --reported-on): no reading is made; the value is kept as \
                             a note",
                        )
                        .at_row(value.line)
                        .at_column(value.column)
                        .with_text(value.text),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_as_analysts_write_them() {
        let n = |value, percent| Some(Number { value, percent });
        let cases = [
            ("85", n(85.0, false)),
            ("85%", n(85.0, true)),
            (" 85 % ", n(85.0, true)),
            ("1,200", n(1200.0, false)),
            ("12,345,678.5", n(12_345_678.5, false)),
            ("2.5", n(2.5, false)),
            (".5", n(0.5, false)),
            ("-3", n(-3.0, false)),
            ("±2", n(2.0, false)),
            ("+/- 2.5%", n(2.5, true)),
            ("1,5", None),
            ("1,2000", None),
            (",5", None),
            ("85 referrals", None),
            ("n/a", None),
            ("inf", None),
            ("NaN", None),
            ("", None),
            ("%", None),
            ("-", None),
            ("1.2.3", None),
        ];
        for (text, want) in cases {
            assert_eq!(read_number(text), want, "{text:?}");
        }
        for (value, percent) in [(85.0, true), (2.5, false), (1200.0, false), (-0.125, true)] {
            assert_eq!(read_number(&spell_number(value, percent)), n(value, percent));
        }
    }

    #[test]
    fn directions_are_read_in_the_words_plans_use() {
        let higher = ["Higher is better", "higher", "UP", "↑", "High is good", "Increase"];
        let lower = ["Lower is better", "lower", "down", "↓", "Reduce", "low is good"];
        for text in higher {
            assert_eq!(read_direction(text), Some(Direction::HigherIsBetter), "{text}");
        }
        for text in lower {
            assert_eq!(read_direction(text), Some(Direction::LowerIsBetter), "{text}");
        }
        for text in ["sideways", "", "better", "higher is worse"] {
            assert_eq!(read_direction(text), None, "{text}");
        }
        for d in [Direction::HigherIsBetter, Direction::LowerIsBetter] {
            assert_eq!(read_direction(spell_direction(d)), Some(d));
        }
    }
}
