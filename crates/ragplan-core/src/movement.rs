//! Movement between two assessments of a plan: per node, improved, worsened,
//! unchanged, new, removed or completed. The base of the quarter-on-quarter report.

use std::collections::HashMap;
use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::assessment::{Assessment, DimensionAssessment, NodeAssessment, NodeKind};
use crate::key::Key;
use crate::rating::Rating;

/// How a rating moved between two assessments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// Better than before.
    Improved,
    /// Worse than before.
    Worsened,
    /// The same rating.
    Unchanged,
    /// Moved to or from Not rated, which has no place in the order of colours.
    Rerated,
    /// Complete now, and not before.
    Completed,
    /// Not in the previous assessment.
    New,
    /// Not in the current assessment.
    Removed,
}

impl Change {
    /// The snake_case word used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Improved => "improved",
            Change::Worsened => "worsened",
            Change::Unchanged => "unchanged",
            Change::Rerated => "rerated",
            Change::Completed => "completed",
            Change::New => "new",
            Change::Removed => "removed",
        }
    }

    /// How `previous` moved to `current`: Red is worst, then Amber/Red, Amber,
    /// Amber/Green, Green and Complete; Not rated stands apart.
    ///
    /// # Example
    /// ```
    /// use ragplan_core::{Change, Rating};
    /// assert_eq!(Change::between(Rating::Red, Rating::Amber), Change::Improved);
    /// assert_eq!(Change::between(Rating::Green, Rating::Complete), Change::Completed);
    /// assert_eq!(Change::between(Rating::Green, Rating::Red), Change::Worsened);
    /// assert_eq!(Change::between(Rating::NotRated, Rating::Red), Change::Rerated);
    /// ```
    pub fn between(previous: Rating, current: Rating) -> Change {
        if previous == current {
            return Change::Unchanged;
        }
        if current == Rating::Complete {
            return Change::Completed;
        }
        if previous == Rating::NotRated || current == Rating::NotRated {
            return Change::Rerated;
        }
        // Severity orders red … green, complete: lower is worse.
        if current.severity() > previous.severity() { Change::Improved } else { Change::Worsened }
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One dimension's move: the change and the ratings either side of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RatingMove {
    /// How it moved.
    pub change: Change,
    /// The rating before (none for a new node).
    pub previous: Option<Rating>,
    /// The rating now (none for a removed node).
    pub current: Option<Rating>,
}

impl RatingMove {
    fn of(previous: Option<&DimensionAssessment>, current: Option<&DimensionAssessment>) -> Self {
        let (previous, current) = (previous.map(|d| d.rating), current.map(|d| d.rating));
        let change = match (previous, current) {
            (Some(p), Some(c)) => Change::between(p, c),
            (None, _) => Change::New,
            (Some(_), None) => Change::Removed,
        };
        RatingMove { change, previous, current }
    }
}

/// How one node moved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeMovement {
    /// The node's key.
    pub key: Key,
    /// What the node is.
    pub kind: NodeKind,
    /// The node's title (as it is now, or as it was for a removed node).
    pub title: String,
    /// Delivery.
    pub delivery: RatingMove,
    /// Outcome.
    pub outcome: RatingMove,
}

/// The movement of a plan between two assessments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Movement {
    /// The as-of date of the previous assessment.
    pub from: NaiveDate,
    /// The as-of date of the current assessment.
    pub to: NaiveDate,
    /// The plan's delivery rating.
    pub delivery: RatingMove,
    /// The plan's outcome rating.
    pub outcome: RatingMove,
    /// Every node of the current assessment in plan order, then the removed nodes in
    /// their previous plan order.
    pub nodes: Vec<NodeMovement>,
}

impl Movement {
    /// The nodes whose delivery rating moved by `change`.
    pub fn with_change(&self, change: Change) -> impl Iterator<Item = &NodeMovement> {
        self.nodes.iter().filter(move |n| n.delivery.change == change)
    }

    /// How many nodes' delivery rating moved by `change`.
    pub fn count(&self, change: Change) -> usize {
        self.with_change(change).count()
    }

    /// The movement of the node with `key`.
    pub fn node(&self, key: &Key) -> Option<&NodeMovement> {
        self.nodes.iter().find(|n| &n.key == key)
    }
}

/// Compares two assessments of a plan, node by node, matched by key.
///
/// # Example
/// ```
/// use chrono::NaiveDate;
/// use ragplan_core::{Change, Key, Policy, assess, compare, generate::synthetic_plan};
/// let plan = synthetic_plan(20, 2, 7);
/// let june = assess(&plan, &Policy::default(), NaiveDate::from_ymd_opt(2015, 6, 30).unwrap());
/// let march = assess(&plan, &Policy::default(), NaiveDate::from_ymd_opt(2016, 3, 31).unwrap());
/// let movement = compare(&june, &march);
/// assert_eq!(movement.nodes.len(), june.walk().count());
/// assert_eq!(movement.count(Change::New), 0);
/// ```
pub fn compare(previous: &Assessment, current: &Assessment) -> Movement {
    let before: HashMap<&Key, &NodeAssessment> = previous.walk().map(|n| (&n.key, n)).collect();
    let mut nodes = Vec::new();
    let mut matched: HashMap<&Key, ()> = HashMap::new();
    for node in current.walk() {
        let old = before.get(&node.key).copied();
        if old.is_some() {
            matched.insert(&node.key, ());
        }
        nodes.push(NodeMovement {
            key: node.key.clone(),
            kind: node.kind,
            title: node.title.clone(),
            delivery: RatingMove::of(old.map(|o| &o.delivery), Some(&node.delivery)),
            outcome: RatingMove::of(old.map(|o| &o.outcome), Some(&node.outcome)),
        });
    }
    for old in previous.walk() {
        if !matched.contains_key(&old.key) {
            nodes.push(NodeMovement {
                key: old.key.clone(),
                kind: old.kind,
                title: old.title.clone(),
                delivery: RatingMove::of(Some(&old.delivery), None),
                outcome: RatingMove::of(Some(&old.outcome), None),
            });
        }
    }
    Movement {
        from: previous.as_of,
        to: current.as_of,
        delivery: RatingMove::of(Some(&previous.delivery), Some(&current.delivery)),
        outcome: RatingMove::of(Some(&previous.outcome), Some(&current.outcome)),
        nodes,
    }
}
