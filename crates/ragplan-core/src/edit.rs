//! Editing a node's own fields — its title, owners, partners, timescale, start,
//! dependencies, criticality, weight, review date, evidence, outcomes, and an
//! action's status before any update reports one — as a recorded change:
//! [`Plan::edit`] checks every field given, changes the node, and adds an [`Edit`]
//! to the plan's change log with each field's value before and after, so that
//! [`Plan::as_at`] can put back what a later edit changed and `ragplan log` can
//! tell it.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::apply::{ApplyError, ChangeKind, Field, Problem, find_node, no_such_key};
use crate::key::Key;
use crate::plan::{Action, Measure, NodeRatings, Owner, Plan, Reading};
use crate::rating::Status;
use crate::timescale::{Timescale, TimescaleKind};
use crate::vocab::NodeKind;
use crate::walk::{Node, Place};

/// Whether an objective or sub-objective has `field` (an action has every field an
/// edit changes).
fn on_parents(field: Field) -> bool {
    matches!(field, Field::Title | Field::Critical | Field::Weight | Field::Measures)
}

/// Why a change of `kind` cannot be made to `node`: it was removed from the plan.
pub(crate) fn removed_problem(node: Node<'_>, kind: ChangeKind) -> Option<Problem> {
    node.is_removed().then(|| {
        Problem::new(
            Field::Key,
            format!(
                "{} {} was removed from the plan; it takes no {}",
                node.kind().label(),
                node.key(),
                match kind {
                    ChangeKind::Update => "updates",
                    ChangeKind::Override | ChangeKind::Withdrawal => "judgements",
                    ChangeKind::Addition => "new nodes",
                    _ => "changes",
                }
            ),
        )
    })
}

/// One field an edit changed: its value before and after, as the plan's JSON writes
/// them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FieldChange {
    /// The field.
    pub field: Field,
    /// Its value before the edit.
    pub before: Value,
    /// Its value after.
    pub after: Value,
}

/// A recorded edit of one node's fields: who, when, and what changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Edit {
    /// The node edited.
    pub key: Key,
    /// When.
    pub on: NaiveDate,
    /// Who made the edit.
    pub by: String,
    /// The fields that changed ([`Field::Status`], and from [`Field::Title`] on),
    /// in [`Field`] order; never empty.
    pub changes: Vec<FieldChange>,
}

/// What an edit sets: each field given replaces the node's value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Changes {
    /// Where an action stands, as the plan says before any update reports it (an
    /// update then reports it: `ragplan update`, [`Plan::apply`]).
    pub status: Option<Status>,
    /// A new title.
    pub title: Option<String>,
    /// Who is answerable.
    pub accountable: Option<Vec<Owner>>,
    /// Who does the work.
    pub responsible: Option<Vec<Owner>>,
    /// The agencies involved.
    pub partners: Option<Vec<String>>,
    /// When the action is due, as a user writes it (`31 March 2016`, `Q3 2015/16`).
    pub timescale: Option<String>,
    /// When the work starts.
    pub start: Option<NaiveDate>,
    /// The actions that must finish first (an empty list clears them).
    pub depends_on: Option<Vec<Key>>,
    /// Whether the node is critical.
    pub critical: Option<bool>,
    /// The node's weight (1 or more).
    pub weight: Option<u32>,
    /// When ongoing work is next reviewed.
    pub review_date: Option<NaiveDate>,
    /// What shows the action is done, the whole list (an empty list clears it).
    pub evidence: Option<Vec<String>>,
    /// The action's intended effects, the whole list.
    pub outcomes: Option<Vec<String>>,
    /// An objective's or sub-objective's measures, the whole list (see
    /// [`Plan::add_measure`] and [`Plan::add_reading`]).
    pub measures: Option<Vec<Measure>>,
}

impl Changes {
    /// The fields given, in [`Field`] order.
    pub fn fields(&self) -> Vec<Field> {
        let given = [
            (Field::Status, self.status.is_some()),
            (Field::Title, self.title.is_some()),
            (Field::Accountable, self.accountable.is_some()),
            (Field::Responsible, self.responsible.is_some()),
            (Field::Partners, self.partners.is_some()),
            (Field::Timescale, self.timescale.is_some()),
            (Field::Start, self.start.is_some()),
            (Field::DependsOn, self.depends_on.is_some()),
            (Field::Critical, self.critical.is_some()),
            (Field::Weight, self.weight.is_some()),
            (Field::ReviewDate, self.review_date.is_some()),
            (Field::Evidence, self.evidence.is_some()),
            (Field::Outcomes, self.outcomes.is_some()),
            (Field::Measures, self.measures.is_some()),
        ];
        given.into_iter().filter(|(_, g)| *g).map(|(f, _)| f).collect()
    }
}

/// A node's editable fields, borrowed mutably: an action's, or a parent's title and
/// roll-up settings.
enum Target<'p> {
    Action(&'p mut Action),
    Parent { title: &'p mut String, node: &'p mut NodeRatings, measures: &'p mut Vec<Measure> },
}

/// An action's field as the plan's JSON writes it, as an edit records it.
fn action_value(a: &Action, field: Field) -> Value {
    let json = |v: Result<Value, serde_json::Error>| v.unwrap_or(Value::Null);
    match field {
        Field::Title => Value::String(a.title.clone()),
        Field::Accountable => json(serde_json::to_value(&a.accountable)),
        Field::Responsible => json(serde_json::to_value(&a.responsible)),
        Field::Partners => json(serde_json::to_value(&a.partners)),
        Field::Timescale => json(serde_json::to_value(&a.timescale)),
        Field::Start => json(serde_json::to_value(a.start)),
        Field::DependsOn => json(serde_json::to_value(&a.depends_on)),
        Field::Critical => Value::Bool(a.critical),
        Field::Weight => json(serde_json::to_value(a.weight)),
        Field::ReviewDate => json(serde_json::to_value(a.review_date)),
        Field::Status => json(serde_json::to_value(a.status)),
        Field::Evidence => json(serde_json::to_value(&a.evidence)),
        Field::Outcomes => json(serde_json::to_value(&a.outcomes)),
        Field::Removed => Value::Bool(a.removed),
        _ => Value::Null,
    }
}

impl Edit {
    /// The edit that takes `before` to `after` in those of `fields` whose values
    /// differ, as [`Plan::edit`] records one: keyed by `after`'s key, dated `on`,
    /// by `by`, its changes in [`Field`] order. None when no field differs. For a
    /// caller that changed an action itself, as a re-import logs what a dated table
    /// changed.
    pub fn between(
        before: &Action,
        after: &Action,
        fields: &[Field],
        on: NaiveDate,
        by: &str,
    ) -> Option<Edit> {
        let mut fields = fields.to_vec();
        fields.sort();
        fields.dedup();
        let changes: Vec<FieldChange> = fields
            .into_iter()
            .map(|field| FieldChange {
                field,
                before: action_value(before, field),
                after: action_value(after, field),
            })
            .filter(|c| c.before != c.after)
            .collect();
        (!changes.is_empty()).then(|| Edit {
            key: after.key.clone(),
            on,
            by: by.trim().to_owned(),
            changes,
        })
    }

    /// The record of a node of `kind` added under the node `under` (none for an
    /// objective), as [`Plan::add`] logs it.
    pub fn added(key: Key, kind: NodeKind, under: Option<&Key>, on: NaiveDate, by: &str) -> Edit {
        let under = under.map_or(Value::Null, |u| Value::String(u.to_string()));
        Edit {
            key,
            on,
            by: by.trim().to_owned(),
            changes: vec![FieldChange {
                field: Field::Added,
                before: Value::Null,
                after: serde_json::json!({ "kind": kind, "under": under }),
            }],
        }
    }

    /// The record of a node removed with `justification`, as [`Plan::remove_node`]
    /// logs it; `with` names the node whose removal took this one with it.
    pub fn removed(
        key: Key,
        justification: &str,
        with: Option<&Key>,
        on: NaiveDate,
        by: &str,
    ) -> Edit {
        let after = match with {
            Some(w) => serde_json::json!({ "justification": justification, "with": w.as_str() }),
            None => serde_json::json!({ "justification": justification }),
        };
        Edit {
            key,
            on,
            by: by.trim().to_owned(),
            changes: vec![FieldChange { field: Field::Removed, before: Value::Bool(false), after }],
        }
    }
}

impl Target<'_> {
    /// The field's value as the plan's JSON writes it.
    fn get(&self, field: Field) -> Value {
        let json = |v: Result<Value, serde_json::Error>| v.unwrap_or(Value::Null);
        match self {
            Target::Parent { title, node, measures } => match field {
                Field::Title => Value::String((*title).clone()),
                Field::Critical => Value::Bool(node.critical),
                Field::Weight => json(serde_json::to_value(node.weight)),
                Field::Measures => json(serde_json::to_value(&**measures)),
                Field::Removed => Value::Bool(node.removed),
                _ => Value::Null,
            },
            Target::Action(a) => action_value(a, field),
        }
    }

    /// Sets the field from a value [`Target::get`] wrote; a value that does not read
    /// as the field leaves it as it is.
    fn set(&mut self, field: Field, value: &Value) {
        fn read<T: serde::de::DeserializeOwned>(slot: &mut T, value: &Value) {
            if let Ok(v) = T::deserialize(value) {
                *slot = v;
            }
        }
        match self {
            Target::Parent { title, node, measures } => match field {
                Field::Title => read(*title, value),
                Field::Critical => read(&mut node.critical, value),
                Field::Weight => read(&mut node.weight, value),
                Field::Measures => read(*measures, value),
                Field::Removed => read(&mut node.removed, value),
                _ => {}
            },
            Target::Action(a) => match field {
                Field::Title => read(&mut a.title, value),
                Field::Accountable => read(&mut a.accountable, value),
                Field::Responsible => read(&mut a.responsible, value),
                Field::Partners => read(&mut a.partners, value),
                Field::Timescale => read(&mut a.timescale, value),
                Field::Start => read(&mut a.start, value),
                Field::DependsOn => read(&mut a.depends_on, value),
                Field::Critical => read(&mut a.critical, value),
                Field::Weight => read(&mut a.weight, value),
                Field::ReviewDate => read(&mut a.review_date, value),
                Field::Status => read(&mut a.status, value),
                Field::Evidence => read(&mut a.evidence, value),
                Field::Outcomes => read(&mut a.outcomes, value),
                Field::Removed => read(&mut a.removed, value),
                _ => {}
            },
        }
    }
}

impl Plan {
    fn target_mut(&mut self, place: Place) -> Option<Target<'_>> {
        match place {
            Place::Plan => None,
            Place::Objective(o) => self.objectives.get_mut(o).map(|o| Target::Parent {
                title: &mut o.title,
                node: &mut o.node,
                measures: &mut o.measures,
            }),
            Place::SubObjective(s) => {
                self.objectives.iter_mut().flat_map(|o| &mut o.sub_objectives).nth(s).map(|s| {
                    Target::Parent {
                        title: &mut s.title,
                        node: &mut s.node,
                        measures: &mut s.measures,
                    }
                })
            }
            Place::Action(a) => self.actions_mut().nth(a).map(Target::Action),
        }
    }

    /// Changes the fields `changes` gives on the node with `key` (an objective,
    /// sub-objective or action) and records the change in the plan's change log
    /// ([`Plan::edits`]), with each field's value before and after. A field set to
    /// the value it has is not a change; an edit that changes nothing is not
    /// recorded. Returns the fields that changed.
    ///
    /// # Errors
    /// [`ApplyError`] listing every problem, each with its field: no node or more
    /// than one with the key (with the nearest keys), no field given, a field the
    /// node does not have (an objective has no timescale), an empty title, a
    /// timescale ragplan cannot read or that ends before the start, a weight of 0, a
    /// dependency on a key no action has or on the action itself, or no `by`.
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// use ragplan_core::{Action, Changes, Field, Key, Objective, Owner, Plan, PlanId};
    /// let mut plan = Plan::new(PlanId::new("p")?, "Plan");
    /// let mut objective = Objective::new(Key::new("R3")?, "Recommendation 3");
    /// objective.actions.push(Action::new(Key::new("R3.1")?, "Review the protocol"));
    /// plan.objectives.push(objective);
    /// let key = Key::new("R3.1")?;
    /// let changes = Changes {
    ///     accountable: Some(vec![Owner::person("Mandie Watson")]),
    ///     timescale: Some("31 March 2016".to_owned()),
    ///     ..Changes::default()
    /// };
    /// let on = NaiveDate::from_ymd_opt(2015, 7, 1).unwrap();
    /// let changed = plan.edit(&key, changes, "Scrutiny officer", on)?;
    /// assert_eq!(changed, [Field::Accountable, Field::Timescale]);
    /// assert_eq!(plan.action(&key).unwrap().timescale.due, NaiveDate::from_ymd_opt(2016, 3, 31));
    /// assert_eq!(plan.edits[0].changes.len(), 2);
    /// // As it stood in June, before the edit, the action had no lead.
    /// let june = plan.as_at(NaiveDate::from_ymd_opt(2015, 6, 30).unwrap());
    /// assert!(june.action(&key).unwrap().accountable.is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn edit(
        &mut self,
        key: &Key,
        changes: Changes,
        by: &str,
        on: NaiveDate,
    ) -> Result<Vec<Field>, ApplyError> {
        let found = find_node(self, key, "node", |_| true);
        let (place, node) = match &found {
            Ok(n) => (Some(n.place), Some(n.node)),
            Err(_) => (None, None),
        };
        let mut problems: Vec<Problem> = found.err().into_iter().collect();
        problems.extend(self.edit_problems(key, node, &changes, by));
        ApplyError::check(ChangeKind::Edit, Some(key), place, problems)?;
        let Some(mut target) = place.and_then(|p| self.target_mut(p)) else {
            return Ok(Vec::new());
        };
        let mut record = Vec::new();
        for field in changes.fields() {
            let after = new_value(field, &changes);
            let before = target.get(field);
            if before == after {
                continue;
            }
            target.set(field, &after);
            record.push(FieldChange { field, before, after });
        }
        let changed: Vec<Field> = record.iter().map(|c| c.field).collect();
        if !record.is_empty() {
            self.edits.push(Edit {
                key: key.clone(),
                on,
                by: by.trim().to_owned(),
                changes: record,
            });
        }
        Ok(changed)
    }

    /// Every problem of an edit of `node` (none when no node has the key).
    pub(crate) fn edit_problems(
        &self,
        key: &Key,
        node: Option<Node<'_>>,
        changes: &Changes,
        by: &str,
    ) -> Vec<Problem> {
        let mut problems = Vec::new();
        let fields = changes.fields();
        if fields.is_empty() {
            problems.push(Problem::new(Field::Key, "give at least one field to change"));
        }
        if by.trim().is_empty() {
            problems.push(Problem::new(Field::By, "say who made the edit"));
        }
        let Some(node) = node else { return problems };
        problems.extend(removed_problem(node, ChangeKind::Edit));
        if let Node::Objective(_) | Node::SubObjective(_) = node {
            let noun =
                if matches!(node, Node::Objective(_)) { "an objective" } else { "a sub-objective" };
            for field in fields.iter().filter(|f| !on_parents(**f)) {
                problems.push(Problem::new(
                    *field,
                    format!(
                        "{noun} has no {}; only an action has",
                        field.as_str().replace('_', " ")
                    ),
                ));
            }
        }
        if let (Node::Action(_), Some(_)) = (node, &changes.measures) {
            problems.push(Problem::new(
                Field::Measures,
                "an action has no measures; only an objective or sub-objective has",
            ));
        }
        if changes.title.as_ref().is_some_and(|t| t.trim().is_empty()) {
            problems.push(Problem::new(Field::Title, "a title cannot be empty"));
        }
        if changes.weight == Some(0) {
            problems.push(Problem::new(Field::Weight, "a weight is a whole number from 1"));
        }
        let action = match node {
            Node::Action(a) => a,
            _ => return problems,
        };
        if changes.status.is_some()
            && let Some(last) = action.last_update_on()
        {
            problems.push(Problem::new(
                Field::Status,
                format!(
                    "the action's status is reported by its updates (the latest of {}); log \
                     it with `ragplan update {key} --status …`",
                    crate::text::uk_date(last)
                ),
            ));
        }
        let blank_entry =
            |list: &Option<Vec<String>>| list.iter().flatten().any(|entry| entry.trim().is_empty());
        if blank_entry(&changes.evidence) {
            problems.push(Problem::new(Field::Evidence, "an entry of evidence cannot be empty"));
        }
        if blank_entry(&changes.outcomes) {
            problems.push(Problem::new(Field::Outcomes, "an outcome cannot be empty"));
        }
        if let Some(text) = &changes.timescale {
            let timescale = Timescale::parse(text);
            if timescale.kind == TimescaleKind::Unresolved || text.trim().is_empty() {
                problems.push(Problem::new(
                    Field::Timescale,
                    format!(
                        "{text:?} is not a date or period ragplan reads (such as `31 March \
                         2016`, `Q3 2015/16` or `ongoing`)"
                    ),
                ));
            }
            let start = changes.start.or(action.start);
            if let (Some(start), Some(due)) = (start, timescale.due)
                && due < start
            {
                problems.push(Problem::new(
                    Field::Timescale,
                    format!("it is due {due}, before it starts on {start}"),
                ));
            }
        } else if let (Some(start), Some(due)) = (changes.start, action.timescale.due)
            && due < start
        {
            problems.push(Problem::new(
                Field::Start,
                format!("{start} is after the action is due, {due}"),
            ));
        }
        for dep in changes.depends_on.iter().flatten() {
            if dep == key {
                problems.push(Problem::new(Field::DependsOn, "an action cannot depend on itself"));
            } else if self.action(dep).is_none() {
                problems
                    .push(Problem::new(Field::DependsOn, format!("no action has the key {dep}")));
            }
        }
        problems
    }

    /// Adds `measure` to the objective or sub-objective with key `under`, as an edit
    /// of its measures ([`Field::Measures`]) in the change log, so that the plan as it
    /// stood before `on` does not have it (unless it has a reading by then). Its
    /// readings, if any, are kept, oldest first.
    ///
    /// # Errors
    /// [`ApplyError`] listing every problem: `under` names no node, more than one, or
    /// an action; the measure's key is a node's or another measure's; an empty
    /// title; a target or tolerance that is not a finite number, or a negative
    /// tolerance; no `by`.
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// use ragplan_core::{Direction, Key, Measure, Objective, Plan, PlanId, Reading};
    /// let mut plan = Plan::new(PlanId::new("p")?, "Plan");
    /// plan.objectives.push(Objective::new(Key::new("1")?, "Prevent"));
    /// let day = |m, d| NaiveDate::from_ymd_opt(2015, m, d).unwrap();
    /// let measure = Measure {
    ///     key: Key::new("M1")?,
    ///     title: "Children screened".to_owned(),
    ///     unit: Some("%".to_owned()),
    ///     target: 95.0,
    ///     direction: Direction::HigherIsBetter,
    ///     tolerance: 2.5,
    ///     readings: Vec::new(),
    /// };
    /// plan.add_measure(&Key::new("1")?, measure, "Analyst", day(4, 1))?;
    /// let reading = Reading { on: day(6, 30), value: 91.0, note: None };
    /// plan.add_reading(&Key::new("M1")?, reading, "Analyst")?;
    /// assert_eq!(plan.objectives[0].measures[0].readings.len(), 1);
    /// assert!(plan.as_at(day(3, 31)).objectives[0].measures.is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add_measure(
        &mut self,
        under: &Key,
        mut measure: Measure,
        by: &str,
        on: NaiveDate,
    ) -> Result<(), ApplyError> {
        let mut problems = Vec::new();
        if by.trim().is_empty() {
            problems.push(Problem::new(Field::By, "say who made the edit"));
        }
        measure.title = measure.title.trim().to_owned();
        if measure.title.is_empty() {
            problems.push(Problem::new(Field::Title, "a measure needs a title"));
        }
        if !measure.target.is_finite() {
            problems.push(Problem::new(Field::Measures, "the target is not a number"));
        }
        if !measure.tolerance.is_finite() || measure.tolerance < 0.0 {
            problems.push(Problem::new(
                Field::Measures,
                "the tolerance is a number from 0, in the measure's unit",
            ));
        }
        if self.key_taken(&measure.key) {
            problems.push(Problem::new(
                Field::Key,
                format!("the key {} is taken; give the measure another", measure.key),
            ));
        }
        let current = self.parent_measures(under);
        if !problems.is_empty() {
            if current.is_none() {
                problems.extend(self.edit_target_problem(under));
            }
            return ApplyError::check(ChangeKind::Edit, Some(under), None, problems);
        }
        measure.readings.sort_by_key(|r| r.on);
        let mut measures = current.unwrap_or_default();
        measures.push(measure);
        let changes = Changes { measures: Some(measures), ..Changes::default() };
        self.edit(under, changes, by, on).map(|_| ())
    }

    /// Logs `reading` on the measure with key `measure`, as an edit of its parent's
    /// measures on the reading's date ([`Field::Measures`]); readings stay in date
    /// order.
    ///
    /// # Errors
    /// [`ApplyError`]: no measure has the key (with the nearest measure keys), the
    /// value is not a finite number, or no `by`.
    pub fn add_reading(
        &mut self,
        measure: &Key,
        reading: Reading,
        by: &str,
    ) -> Result<(), ApplyError> {
        let mut problems = Vec::new();
        if !reading.value.is_finite() {
            problems.push(Problem::new(Field::Measures, "the reading is not a number"));
        }
        if by.trim().is_empty() {
            problems.push(Problem::new(Field::By, "say who took the reading"));
        }
        let place = self.measure_place(measure);
        if place.is_none() {
            let keys = self.measure_keys();
            problems.push(no_such_key("measure", measure, keys.iter()));
        }
        ApplyError::check(ChangeKind::Edit, Some(measure), None, problems)?;
        let Some((parent, index)) = place else { return Ok(()) };
        let mut measures = self.parent_measures(&parent).unwrap_or_default();
        let on = reading.on;
        if let Some(m) = measures.get_mut(index) {
            let at = m.readings.partition_point(|r| r.on <= reading.on);
            m.readings.insert(at, reading);
        }
        let changes = Changes { measures: Some(measures), ..Changes::default() };
        self.edit(&parent, changes, by, on).map(|_| ())
    }

    /// The measure with key `key`, with the key of the objective or sub-objective
    /// that holds it.
    pub fn measure(&self, key: &Key) -> Option<(&Key, &Measure)> {
        self.objectives.iter().find_map(|o| {
            let own = o.measures.iter().find(|m| &m.key == key).map(|m| (&o.key, m));
            own.or_else(|| {
                o.sub_objectives
                    .iter()
                    .find_map(|s| s.measures.iter().find(|m| &m.key == key).map(|m| (&s.key, m)))
            })
        })
    }

    /// The key a new measure takes when none is given: the first of `M1`, `M2`, …
    /// that no node or measure of the plan has.
    pub fn next_measure_key(&self) -> Key {
        let taken = self.taken_keys();
        free_measure_key(&taken, &mut 1)
    }

    /// The keys `n` new measures take, in order, when none is given: the first `n` of
    /// `M1`, `M2`, … that no node or measure of the plan has, as [`Plan::next_measure_key`]
    /// would give them one after another. The plan's keys are read once, so keying
    /// many measures costs what the plan and the measures do.
    ///
    /// # Example
    /// ```
    /// use ragplan_core::{Key, Objective, Plan, PlanId};
    /// let mut plan = Plan::new(PlanId::new("p")?, "Plan");
    /// plan.objectives.push(Objective::new(Key::new("M2")?, "Prevent"));
    /// let keys: Vec<String> = plan.next_measure_keys(3).iter().map(Key::to_string).collect();
    /// assert_eq!(keys, ["M1", "M3", "M4"]);
    /// assert_eq!(plan.next_measure_key().as_str(), "M1");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn next_measure_keys(&self, n: usize) -> Vec<Key> {
        let taken = self.taken_keys();
        let mut from = 1;
        (0..n).map(|_| free_measure_key(&taken, &mut from)).collect()
    }

    /// The key of every node and measure of the plan.
    fn taken_keys(&self) -> HashSet<&str> {
        let measures = self.objectives.iter().flat_map(|o| {
            o.measures.iter().chain(o.sub_objectives.iter().flat_map(|s| &s.measures))
        });
        self.nodes().map(|n| n.key().as_str()).chain(measures.map(|m| m.key.as_str())).collect()
    }

    /// The measures of the one objective or sub-objective with key `key`.
    fn parent_measures(&self, key: &Key) -> Option<Vec<Measure>> {
        let node = find_node(self, key, "node", |_| true).ok()?;
        match node.node {
            Node::Objective(o) => Some(o.measures.clone()),
            Node::SubObjective(s) => Some(s.measures.clone()),
            Node::Action(_) => None,
        }
    }

    /// Why `key` cannot take a measure: no node or several have it, or it is an action.
    fn edit_target_problem(&self, key: &Key) -> Option<Problem> {
        match find_node(self, key, "node", |_| true) {
            Err(problem) => Some(problem),
            Ok(_) => Some(Problem::new(
                Field::Measures,
                "an action has no measures; only an objective or sub-objective has",
            )),
        }
    }

    /// The key of the parent holding the measure with key `key`, and its index there.
    fn measure_place(&self, key: &Key) -> Option<(Key, usize)> {
        let (parent, measure) = self.measure(key)?;
        let measures = self.parent_measures(parent)?;
        let index = measures.iter().position(|m| m.key == measure.key)?;
        Some((parent.clone(), index))
    }

    /// Every measure's key, in plan order.
    fn measure_keys(&self) -> Vec<Key> {
        self.objectives
            .iter()
            .flat_map(|o| {
                o.measures
                    .iter()
                    .chain(o.sub_objectives.iter().flat_map(|s| &s.measures))
                    .map(|m| m.key.clone())
            })
            .collect()
    }

    /// Puts back, newest first, what the edits made after `date` changed. A field an
    /// edit dated after `date` changed stands as the last edit dated by `date` that
    /// changed it left it, even one recorded later (back-dated), else as it was before
    /// the edits after `date`. A parent's measures are rewound by date rather than to
    /// the list an edit found, since readings may be logged out of date order: a
    /// reading dated after `date` goes, and a measure added after `date` goes unless
    /// it has a reading by then.
    pub(crate) fn undo_edits_after(&mut self, date: NaiveDate) {
        let later: Vec<Edit> = self.edits.iter().filter(|e| e.on > date).cloned().collect();
        if later.is_empty() {
            return;
        }
        self.edits.retain(|e| e.on <= date);
        // What the last edit dated by `date` left a node's field as.
        let kept: HashMap<(&Key, Field), &Value> = self
            .edits
            .iter()
            .flat_map(|e| e.changes.iter().map(move |c| ((&e.key, c.field), &c.after)))
            .collect();
        let later: Vec<Edit> = later
            .into_iter()
            .map(|mut edit| {
                for change in &mut edit.changes {
                    if let Some(&stood) = kept.get(&(&edit.key, change.field)) {
                        change.before = stood.clone();
                    }
                }
                edit
            })
            .collect();
        drop(kept);
        for edit in later.iter().rev() {
            if edit.changes.iter().any(|c| c.field == Field::Added) {
                self.undo_addition(&edit.key, date);
                continue;
            }
            let Some(place) = find_node(self, &edit.key, "node", |_| true).ok().map(|n| n.place)
            else {
                continue;
            };
            let Some(mut target) = self.target_mut(place) else { continue };
            for change in edit.changes.iter().rev() {
                match (&mut target, change.field) {
                    (Target::Parent { measures, .. }, Field::Measures) => {
                        rewind_measures(measures, &change.before, date);
                    }
                    _ => target.set(change.field, &change.before),
                }
            }
        }
    }
}

/// `measures` as they stood on `date`, `before` being the list an edit after `date`
/// found: readings dated after `date` are dropped, and a measure `before` lacks is
/// dropped unless it has a reading by `date`.
fn rewind_measures(measures: &mut Vec<Measure>, before: &Value, date: NaiveDate) {
    let had: Vec<Measure> = Vec::<Measure>::deserialize(before).unwrap_or_default();
    for measure in measures.iter_mut() {
        measure.readings.retain(|r| r.on <= date);
    }
    measures.retain(|m| had.iter().any(|h| h.key == m.key) || !m.readings.is_empty());
}

/// The value `changes` gives `field`, as the plan's JSON writes it.
fn new_value(field: Field, changes: &Changes) -> Value {
    let json = |v: Result<Value, serde_json::Error>| v.unwrap_or(Value::Null);
    match field {
        Field::Title => json(serde_json::to_value(changes.title.as_ref().map(|t| t.trim()))),
        Field::Accountable => json(serde_json::to_value(&changes.accountable)),
        Field::Responsible => json(serde_json::to_value(&changes.responsible)),
        Field::Partners => json(serde_json::to_value(&changes.partners)),
        Field::Timescale => {
            json(serde_json::to_value(changes.timescale.as_deref().map(Timescale::parse)))
        }
        Field::Start => json(serde_json::to_value(changes.start)),
        Field::DependsOn => json(serde_json::to_value(&changes.depends_on)),
        Field::Critical => json(serde_json::to_value(changes.critical)),
        Field::Weight => json(serde_json::to_value(changes.weight)),
        Field::ReviewDate => json(serde_json::to_value(changes.review_date)),
        Field::Status => json(serde_json::to_value(changes.status)),
        Field::Evidence => json(serde_json::to_value(&changes.evidence)),
        Field::Outcomes => json(serde_json::to_value(&changes.outcomes)),
        Field::Measures => json(serde_json::to_value(&changes.measures)),
        _ => Value::Null,
    }
}

/// The first of `M{from}`, `M{from + 1}`, … that is not in `taken`; `from` moves past
/// it. `taken` is finite, so one is found.
fn free_measure_key(taken: &HashSet<&str>, from: &mut u64) -> Key {
    loop {
        let n = *from;
        *from += 1;
        if let Ok(key) = Key::new(&format!("M{n}"))
            && !taken.contains(key.as_str())
        {
            return key;
        }
    }
}
