//! The one walk over a plan: every objective, sub-objective and action with its
//! [`Place`], in plan order. Rating, reasons, the document, the CLI and the reports
//! all find a node by its place, never by looking its key up: two nodes may share a
//! key, and each keeps its own ratings.

use std::ops::Range;

use crate::key::Key;
use crate::plan::{Action, NodeRatings, Objective, Plan, SubObjective};
use crate::vocab::NodeKind;

/// Where a node is in its plan.
///
/// Places are numbered by kind, in plan order: an objective by its index in
/// [`Plan::objectives`], a sub-objective by its index among all the plan's
/// sub-objectives, an action by its position in [`Plan::actions`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Place {
    /// The plan itself.
    Plan,
    /// An objective.
    Objective(usize),
    /// A sub-objective.
    SubObjective(usize),
    /// An action.
    Action(usize),
}

/// A node of a plan: an objective, a sub-objective or an action.
#[derive(Debug, Clone, Copy)]
pub enum Node<'a> {
    /// A strategy objective.
    Objective(&'a Objective),
    /// A sub-objective.
    SubObjective(&'a SubObjective),
    /// An action.
    Action(&'a Action),
}

impl<'a> Node<'a> {
    /// The node's key.
    pub fn key(&self) -> &'a Key {
        match self {
            Node::Objective(o) => &o.key,
            Node::SubObjective(s) => &s.key,
            Node::Action(a) => &a.key,
        }
    }

    /// The node's title.
    pub fn title(&self) -> &'a str {
        match self {
            Node::Objective(o) => &o.title,
            Node::SubObjective(s) => &s.title,
            Node::Action(a) => &a.title,
        }
    }

    /// What the node is.
    pub fn kind(&self) -> NodeKind {
        match self {
            Node::Objective(_) => NodeKind::Objective,
            Node::SubObjective(_) => NodeKind::SubObjective,
            Node::Action(_) => NodeKind::Action,
        }
    }

    /// The action, when the node is one.
    pub fn action(&self) -> Option<&'a Action> {
        match self {
            Node::Action(a) => Some(a),
            _ => None,
        }
    }

    /// Whether the node was taken out of the plan and is kept, marked removed.
    pub fn is_removed(&self) -> bool {
        match self {
            Node::Objective(o) => o.node.removed,
            Node::SubObjective(s) => s.node.removed,
            Node::Action(a) => a.removed,
        }
    }

    /// What the plan says of a parent node itself (nothing for an action).
    pub(crate) fn parent_ratings(&self) -> Option<&'a NodeRatings> {
        match self {
            Node::Objective(o) => Some(&o.node),
            Node::SubObjective(s) => Some(&s.node),
            Node::Action(_) => None,
        }
    }
}

/// A node met on the walk: where it is, how deep, and the node.
#[derive(Debug, Clone, Copy)]
pub struct PlanNode<'a> {
    /// Where it is.
    pub place: Place,
    /// Its parent's place ([`Place::Plan`] for an objective).
    pub parent: Place,
    /// 0 for an objective, 1 for a sub-objective or an objective's own action, 2
    /// for a sub-objective's action.
    pub depth: usize,
    /// The node.
    pub node: Node<'a>,
}

impl<'a> PlanNode<'a> {
    /// The node's key.
    pub fn key(&self) -> &'a Key {
        self.node.key()
    }

    /// The node's title.
    pub fn title(&self) -> &'a str {
        self.node.title()
    }

    /// What the node is.
    pub fn kind(&self) -> NodeKind {
        self.node.kind()
    }

    /// The action, when the node is one.
    pub fn action(&self) -> Option<&'a Action> {
        self.node.action()
    }

    /// Whether the node was taken out of the plan ([`Node::is_removed`]).
    pub fn is_removed(&self) -> bool {
        self.node.is_removed()
    }
}

impl Plan {
    /// Every node of the plan, depth-first in plan order: an objective, its own
    /// actions, then each of its sub-objectives followed by its actions.
    ///
    /// # Example
    /// ```
    /// use ragplan_core::{NodeKind, Place, generate::synthetic_plan};
    /// let plan = synthetic_plan(6, 2, 1);
    /// let first = plan.nodes().next().unwrap();
    /// assert_eq!((first.place, first.kind()), (Place::Objective(0), NodeKind::Objective));
    /// assert_eq!(plan.nodes().filter(|n| n.action().is_some()).count(), 6);
    /// ```
    pub fn nodes(&self) -> impl Iterator<Item = PlanNode<'_>> {
        Walk {
            plan: self,
            objective: 0,
            end: self.objectives.len(),
            own: 0,
            sub: None,
            sub_action: 0,
            position: 0,
            next_sub: 0,
        }
    }

    /// The nodes of the objectives in `objectives`, as [`Plan::nodes`] gives them
    /// (their places those of the whole plan), found from the plan's `spans`.
    pub(crate) fn nodes_of(
        &self,
        objectives: Range<usize>,
        spans: &Spans,
    ) -> impl Iterator<Item = PlanNode<'_>> {
        let span = spans.objectives.get(objectives.start);
        Walk {
            plan: self,
            objective: objectives.start,
            end: objectives.end.min(self.objectives.len()),
            own: 0,
            sub: None,
            sub_action: 0,
            position: span.map_or(0, |s| s.all.start),
            next_sub: span.map_or(0, |s| s.subs.start),
        }
    }

    /// The node at `place`, if the plan has one there ([`Place::Plan`] has none).
    pub fn node_at(&self, place: Place) -> Option<Node<'_>> {
        match place {
            Place::Plan => None,
            Place::Objective(o) => self.objectives.get(o).map(Node::Objective),
            Place::SubObjective(s) => self
                .objectives
                .iter()
                .flat_map(|o| &o.sub_objectives)
                .nth(s)
                .map(Node::SubObjective),
            Place::Action(a) => self.actions().nth(a).map(Node::Action),
        }
    }
}

/// Where each parent's children are, by place: computed once per plan.
#[derive(Debug, Clone, Default)]
pub(crate) struct Spans {
    /// Per sub-objective, the positions of its actions.
    pub subs: Vec<Range<usize>>,
    /// Per objective, its own actions and its sub-objectives.
    pub objectives: Vec<ObjectiveSpan>,
}

/// An objective's children by place.
#[derive(Debug, Clone, Default)]
pub(crate) struct ObjectiveSpan {
    /// The positions of its own actions.
    pub own: Range<usize>,
    /// The indices of its sub-objectives.
    pub subs: Range<usize>,
    /// The positions of every action below it (its own, then its sub-objectives').
    pub all: Range<usize>,
}

impl Spans {
    pub(crate) fn of(plan: &Plan) -> Spans {
        let n_subs = plan.objectives.iter().map(|o| o.sub_objectives.len()).sum();
        let mut spans = Spans {
            subs: Vec::with_capacity(n_subs),
            objectives: Vec::with_capacity(plan.objectives.len()),
        };
        let mut position = 0;
        for objective in &plan.objectives {
            let start = position;
            position += objective.actions.len();
            let first_sub = spans.subs.len();
            for sub in &objective.sub_objectives {
                spans.subs.push(position..position + sub.actions.len());
                position += sub.actions.len();
            }
            spans.objectives.push(ObjectiveSpan {
                own: start..start + objective.actions.len(),
                subs: first_sub..spans.subs.len(),
                all: start..position,
            });
        }
        spans
    }

    /// How many actions the plan holds.
    pub(crate) fn n_actions(&self) -> usize {
        self.objectives.last().map_or(0, |o| o.all.end)
    }
}

/// The walk of [`Plan::nodes`]: where it is, by index.
struct Walk<'a> {
    plan: &'a Plan,
    /// The objective being walked.
    objective: usize,
    /// The objective the walk stops at.
    end: usize,
    /// 0 before the objective itself is given; then one more than the number of its
    /// own actions given.
    own: usize,
    /// The sub-objective being walked, by its index in the objective.
    sub: Option<usize>,
    /// How many of that sub-objective's actions were given; `usize::MAX` before the
    /// sub-objective itself is given.
    sub_action: usize,
    /// The position of the next action.
    position: usize,
    /// The plan-wide index of the next sub-objective.
    next_sub: usize,
}

impl<'a> Iterator for Walk<'a> {
    type Item = PlanNode<'a>;

    fn next(&mut self) -> Option<PlanNode<'a>> {
        loop {
            if self.objective >= self.end {
                return None;
            }
            let objective = self.plan.objectives.get(self.objective)?;
            let parent = Place::Objective(self.objective);
            if self.own == 0 {
                self.own = 1;
                return Some(PlanNode {
                    place: parent,
                    parent: Place::Plan,
                    depth: 0,
                    node: Node::Objective(objective),
                });
            }
            if self.sub.is_none() {
                if let Some(action) = objective.actions.get(self.own - 1) {
                    self.own += 1;
                    self.position += 1;
                    let place = Place::Action(self.position - 1);
                    return Some(PlanNode { place, parent, depth: 1, node: Node::Action(action) });
                }
                self.sub = Some(0);
                self.sub_action = usize::MAX;
            }
            let s = self.sub.unwrap_or(0);
            let Some(sub) = objective.sub_objectives.get(s) else {
                self.objective += 1;
                self.own = 0;
                self.sub = None;
                continue;
            };
            if self.sub_action == usize::MAX {
                self.sub_action = 0;
                self.next_sub += 1;
                let place = Place::SubObjective(self.next_sub - 1);
                return Some(PlanNode { place, parent, depth: 1, node: Node::SubObjective(sub) });
            }
            if let Some(action) = sub.actions.get(self.sub_action) {
                self.sub_action += 1;
                self.position += 1;
                return Some(PlanNode {
                    place: Place::Action(self.position - 1),
                    parent: Place::SubObjective(self.next_sub - 1),
                    depth: 2,
                    node: Node::Action(action),
                });
            }
            self.sub = Some(s + 1);
            self.sub_action = usize::MAX;
        }
    }
}
