//! Adding a node — an objective, a sub-objective or an action — as a recorded
//! change: [`Plan::add_node`] checks where it goes and its key, adds it, and logs an
//! [`Edit`] of [`Field::Added`], so that the plan as it stood before the date does
//! not have it and `ragplan log` tells when it came.

use chrono::NaiveDate;

use crate::apply::{ApplyError, ChangeKind, Field, Problem, find_node};
use crate::edit::{Changes, Edit, removed_problem};
use crate::key::Key;
use crate::plan::{Action, Objective, Plan, SubObjective};
use crate::vocab::NodeKind;
use crate::walk::{Node, Place};

/// A node to add with [`Plan::add`]: what it is, where it goes, its key (none to
/// number it), its title, and its other fields as an edit sets them.
#[derive(Debug, Clone, PartialEq)]
pub struct NewNode {
    /// An objective, a sub-objective or an action; none for the usual one
    /// ([`NewNode::kind`]).
    pub kind: Option<NodeKind>,
    /// The objective or sub-objective it goes under; none for an objective.
    pub under: Option<Key>,
    /// Its key; none for the parent's key and the next number.
    pub key: Option<Key>,
    /// Its title.
    pub title: String,
    /// Its other fields (a title here is ignored).
    pub fields: Changes,
}

impl NewNode {
    /// What the node is: the kind given, or else an action under a parent and an
    /// objective at the top of the plan.
    pub fn kind(&self) -> NodeKind {
        match (self.kind, &self.under) {
            (Some(kind), _) => kind,
            (None, Some(_)) => NodeKind::Action,
            (None, None) => NodeKind::Objective,
        }
    }
}

impl Plan {
    /// Adds a node of `kind` titled `title` under the node with key `under` (none
    /// for an objective), with `key` or, when none is given, the parent's key and the
    /// next number (`R3.2` after `R3.1`; `4` after three objectives, skipping a key
    /// already taken). The addition is logged in the plan's change log on `on`.
    /// Returns the new node's key.
    ///
    /// # Errors
    /// [`ApplyError`] listing every problem: `under` names no node or several, or a
    /// node that cannot hold `kind` (an action holds nothing; a sub-objective holds
    /// actions; the plan itself holds objectives); the key is taken by a node or a
    /// measure; an empty title; no `by`.
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// use ragplan_core::{Key, NodeKind, Objective, Plan, PlanId};
    /// let mut plan = Plan::new(PlanId::new("p")?, "Plan");
    /// plan.objectives.push(Objective::new(Key::new("1")?, "Prevent"));
    /// let on = NaiveDate::from_ymd_opt(2015, 7, 1).unwrap();
    /// let one = Key::new("1")?;
    /// let key = plan.add_node(Some(&one), NodeKind::Action, None, "Train staff", "Analyst", on)?;
    /// assert_eq!(key.as_str(), "1.1");
    /// assert_eq!(plan.action(&key).unwrap().title, "Train staff");
    /// // As it stood in June, before it was added, the plan had no such action.
    /// assert!(plan.as_at(NaiveDate::from_ymd_opt(2015, 6, 30).unwrap()).action(&key).is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add_node(
        &mut self,
        under: Option<&Key>,
        kind: NodeKind,
        key: Option<Key>,
        title: &str,
        by: &str,
        on: NaiveDate,
    ) -> Result<Key, ApplyError> {
        let node = NewNode {
            kind: Some(kind),
            under: under.cloned(),
            key,
            title: title.to_owned(),
            fields: Changes::default(),
        };
        self.add(node, by, on).map(|(key, _)| key)
    }

    /// Adds `node` as [`Plan::add_node`] does, then sets its other fields as
    /// [`Plan::edit`] would, both logged on `on`. Returns the new node's key and the
    /// fields set.
    ///
    /// # Errors
    /// [`ApplyError`] listing every problem of the addition and of the fields
    /// together (a field the node's kind lacks, a timescale that cannot be read, a
    /// weight of 0, …). The plan is unchanged on error.
    pub fn add(
        &mut self,
        node: NewNode,
        by: &str,
        on: NaiveDate,
    ) -> Result<(Key, Vec<Field>), ApplyError> {
        let kind = node.kind();
        let NewNode { under, key, title, mut fields, .. } = node;
        fields.title = None;
        let under = under.as_ref();
        let mut problems = Vec::new();
        let title = title.trim();
        if title.is_empty() {
            problems.push(Problem::new(Field::Title, "a node needs a title"));
        }
        if by.trim().is_empty() {
            problems.push(Problem::new(Field::By, "say who added the node"));
        }
        let parent = match under {
            None => Some(Place::Plan),
            Some(under) => match find_node(self, under, "node", |_| true) {
                Ok(found) => {
                    let removed = removed_problem(found.node, ChangeKind::Addition);
                    problems.extend(removed.map(Problem::of_parent));
                    Some(found.place)
                }
                Err(problem) => {
                    problems.push(problem.of_parent());
                    None
                }
            },
        };
        if let Some(place) = parent
            && let Some(problem) = cannot_hold(place, kind)
        {
            problems.push(problem);
        }
        if let Some(key) = &key
            && self.key_taken(key)
        {
            problems
                .push(Problem::new(Field::Key, format!("the key {key} is taken; give another")));
        }
        let new_key = key.clone().or_else(|| parent.and_then(|p| self.next_key(under, p)));
        if !fields.fields().is_empty() {
            // The fields' problems as an edit of the new node would find them (who
            // made it is the addition's problem).
            let fallback = Key::positional(None, 0);
            let at = new_key.as_ref().unwrap_or(&fallback);
            let found = self.field_problems(kind, at, title, &fields, by);
            problems.extend(found.into_iter().filter(|p| p.field != Field::By));
        }
        let check_key = under.or(key.as_ref());
        ApplyError::check(ChangeKind::Addition, check_key, None, problems)?;
        let Some(place) = parent else { return Err(refused(check_key)) };
        let Some(key) = new_key else { return Err(refused(check_key)) };
        self.insert_node(place, kind, Key::clone(&key), title);
        self.edits.push(Edit::added(key.clone(), kind, under, on, by));
        let changed =
            if fields.fields().is_empty() { Vec::new() } else { self.edit(&key, fields, by, on)? };
        Ok((key, changed))
    }

    /// The problems an edit setting `fields` would find on a new node of `kind`
    /// with `key` and `title`.
    fn field_problems(
        &self,
        kind: NodeKind,
        key: &Key,
        title: &str,
        fields: &Changes,
        by: &str,
    ) -> Vec<Problem> {
        match kind {
            NodeKind::Action => {
                let action = Action::new(key.clone(), title);
                self.edit_problems(key, Some(Node::Action(&action)), fields, by)
            }
            NodeKind::SubObjective => {
                let sub = SubObjective::new(key.clone(), title);
                self.edit_problems(key, Some(Node::SubObjective(&sub)), fields, by)
            }
            NodeKind::Objective => {
                let objective = Objective::new(key.clone(), title);
                self.edit_problems(key, Some(Node::Objective(&objective)), fields, by)
            }
        }
    }

    /// Whether a node or a measure has `key`.
    pub(crate) fn key_taken(&self, key: &Key) -> bool {
        self.nodes().any(|n| n.key() == key) || self.measure(key).is_some()
    }

    /// The parent's key and the next free number: `R3.2` after `R3.1`.
    fn next_key(&self, under: Option<&Key>, place: Place) -> Option<Key> {
        let children = match (place, self.node_at(place)) {
            (Place::Plan, _) => self.objectives.len(),
            (_, Some(Node::Objective(o))) => o.sub_objectives.len() + o.actions.len(),
            (_, Some(Node::SubObjective(s))) => s.actions.len(),
            _ => 0,
        };
        (children + 1..children + 10_000).find_map(|n| {
            let text = match under {
                Some(parent) => format!("{parent}.{n}"),
                None => n.to_string(),
            };
            Key::new(&text).ok().filter(|k| !self.key_taken(k))
        })
    }

    fn insert_node(&mut self, place: Place, kind: NodeKind, key: Key, title: &str) {
        match (place, kind) {
            (Place::Plan, _) => self.objectives.push(Objective::new(key, title)),
            (Place::Objective(o), NodeKind::SubObjective) => {
                if let Some(o) = self.objectives.get_mut(o) {
                    o.sub_objectives.push(SubObjective::new(key, title));
                }
            }
            (Place::Objective(o), _) => {
                if let Some(o) = self.objectives.get_mut(o) {
                    o.actions.push(Action::new(key, title));
                }
            }
            (Place::SubObjective(s), _) => {
                if let Some(s) =
                    self.objectives.iter_mut().flat_map(|o| &mut o.sub_objectives).nth(s)
                {
                    s.actions.push(Action::new(key, title));
                }
            }
            (Place::Action(_), _) => {}
        }
    }

    /// Takes out the node with `key` that an addition after `date` made, unless it is
    /// an action with an update logged by `date` (it stood then, whatever the log
    /// says of its adding).
    pub(crate) fn undo_addition(&mut self, key: &Key, date: NaiveDate) {
        let Ok(found) = find_node(self, key, "node", |_| true) else { return };
        if let Node::Action(a) = found.node
            && a.updates.iter().any(|u| u.on <= date)
        {
            return;
        }
        let place = found.place;
        match place {
            Place::Objective(o) if o < self.objectives.len() => {
                self.objectives.remove(o);
            }
            Place::SubObjective(_) => {
                for o in &mut self.objectives {
                    o.sub_objectives.retain(|s| &s.key != key);
                }
            }
            Place::Action(_) => {
                for o in &mut self.objectives {
                    o.actions.retain(|a| &a.key != key);
                    for s in &mut o.sub_objectives {
                        s.actions.retain(|a| &a.key != key);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Why the node at `place` cannot hold a node of `kind`, if it cannot.
fn cannot_hold(place: Place, kind: NodeKind) -> Option<Problem> {
    let message = match (place, kind) {
        (Place::Plan, NodeKind::Objective)
        | (Place::Objective(_), NodeKind::SubObjective | NodeKind::Action)
        | (Place::SubObjective(_), NodeKind::Action) => return None,
        (Place::Plan, _) => {
            "name the parent it goes under: only an objective stands at the top of a plan"
        }
        (Place::Objective(_), NodeKind::Objective) => {
            "an objective holds sub-objectives and actions, not objectives"
        }
        (Place::SubObjective(_), _) => "a sub-objective holds actions only",
        (Place::Action(_), _) => "an action holds no other node",
    };
    Some(Problem::new(Field::Under, message))
}

/// A refusal when no free key is found for the new node.
fn refused(key: Option<&Key>) -> ApplyError {
    ApplyError {
        change: ChangeKind::Addition,
        key: key.cloned(),
        kind: None,
        problems: vec![Problem::new(Field::Key, "no free key was found; give one with --key")],
    }
}
