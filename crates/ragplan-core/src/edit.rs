//! Editing a node's own fields — its title, owners, partners, timescale, start,
//! dependencies, criticality, weight and review date — as a recorded change:
//! [`Plan::edit`] checks every field given, changes the node, and adds an [`Edit`]
//! to the plan's change log with each field's value before and after, so that
//! [`Plan::as_at`] can put back what a later edit changed and `ragplan log` can
//! tell it.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::apply::{ApplyError, ChangeKind, Field, Problem, find_node};
use crate::key::Key;
use crate::plan::{Action, NodeRatings, Owner, Plan};
use crate::timescale::{Timescale, TimescaleKind};
use crate::walk::{Node, Place};

/// Whether an objective or sub-objective has `field` (an action has every field an
/// edit changes).
fn on_parents(field: Field) -> bool {
    matches!(field, Field::Title | Field::Critical | Field::Weight)
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
    /// The fields that changed (from [`Field::Title`] on), in [`Field`] order;
    /// never empty.
    pub changes: Vec<FieldChange>,
}

/// What an edit sets: each field given replaces the node's value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Changes {
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
}

impl Changes {
    /// The fields given, in [`Field`] order.
    pub fn fields(&self) -> Vec<Field> {
        let given = [
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
        ];
        given.into_iter().filter(|(_, g)| *g).map(|(f, _)| f).collect()
    }
}

/// A node's editable fields, borrowed mutably: an action's, or a parent's title and
/// roll-up settings.
enum Target<'p> {
    Action(&'p mut Action),
    Parent { title: &'p mut String, node: &'p mut NodeRatings },
}

impl Target<'_> {
    /// The field's value as the plan's JSON writes it.
    fn get(&self, field: Field) -> Value {
        let json = |v: Result<Value, serde_json::Error>| v.unwrap_or(Value::Null);
        match self {
            Target::Parent { title, node } => match field {
                Field::Title => Value::String((*title).clone()),
                Field::Critical => Value::Bool(node.critical),
                Field::Weight => json(serde_json::to_value(node.weight)),
                _ => Value::Null,
            },
            Target::Action(a) => match field {
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
                _ => Value::Null,
            },
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
            Target::Parent { title, node } => match field {
                Field::Title => read(*title, value),
                Field::Critical => read(&mut node.critical, value),
                Field::Weight => read(&mut node.weight, value),
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
                _ => {}
            },
        }
    }
}

impl Plan {
    fn target_mut(&mut self, place: Place) -> Option<Target<'_>> {
        match place {
            Place::Plan => None,
            Place::Objective(o) => self
                .objectives
                .get_mut(o)
                .map(|o| Target::Parent { title: &mut o.title, node: &mut o.node }),
            Place::SubObjective(s) => self
                .objectives
                .iter_mut()
                .flat_map(|o| &mut o.sub_objectives)
                .nth(s)
                .map(|s| Target::Parent { title: &mut s.title, node: &mut s.node }),
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
    fn edit_problems(
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

    /// Puts back, newest first, what the edits made after `date` changed.
    pub(crate) fn undo_edits_after(&mut self, date: NaiveDate) {
        let later: Vec<Edit> = self.edits.iter().filter(|e| e.on > date).cloned().collect();
        if later.is_empty() {
            return;
        }
        self.edits.retain(|e| e.on <= date);
        for edit in later.iter().rev() {
            let Some(place) = find_node(self, &edit.key, "node", |_| true).ok().map(|n| n.place)
            else {
                continue;
            };
            let Some(mut target) = self.target_mut(place) else { continue };
            for change in edit.changes.iter().rev() {
                target.set(change.field, &change.before);
            }
        }
    }
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
        _ => Value::Null,
    }
}
