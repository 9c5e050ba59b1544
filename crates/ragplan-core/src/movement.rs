//! Movement between two ratings of a plan: per node, improved, worsened, unchanged,
//! new, removed or completed. The base of the quarter-on-quarter report.
//!
//! The two sides are [`Snapshot`]s: a plan's [`Ratings`] now, or a saved assessment
//! document. Nodes are matched by key across the two (the plan may have changed in
//! between); the n-th node with a key is matched with the n-th on the other side. An
//! action marked removed (a newer version of the plan no longer had it) is kept in
//! the plan for its history but is no node of a snapshot, so it moves as removed.

use std::collections::HashMap;
use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::engine::Ratings;
use crate::key::Key;
use crate::rating::Rating;
use crate::vocab::{Flag, NodeKind};

/// The ratings of every node of a plan on a date: one side of a comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// The date the plan was rated as of.
    pub as_of: NaiveDate,
    /// The plan's delivery and outcome ratings.
    pub ratings: [Rating; 2],
    /// Every node in plan order, but actions marked removed.
    pub nodes: Vec<SnapshotNode>,
}

/// One node of a [`Snapshot`].
#[derive(Debug, Clone, PartialEq)]
pub struct SnapshotNode {
    /// The node's key.
    pub key: Key,
    /// What the node is.
    pub kind: NodeKind,
    /// The node's title.
    pub title: String,
    /// Its delivery and outcome ratings.
    pub ratings: [Rating; 2],
}

impl From<&Ratings<'_>> for Snapshot {
    fn from(ratings: &Ratings<'_>) -> Snapshot {
        use crate::vocab::Dimension::{Delivery, Outcome};
        let whole = ratings.whole();
        let nodes = ratings
            .nodes()
            .filter(|n| !n.has(Flag::Removed))
            .filter_map(|n| {
                let at = n.plan_node()?;
                Some(SnapshotNode {
                    key: at.key().clone(),
                    kind: at.kind(),
                    title: at.title().to_owned(),
                    ratings: [n.rating(Delivery), n.rating(Outcome)],
                })
            })
            .collect();
        Snapshot {
            as_of: ratings.as_of(),
            ratings: [whole.rating(Delivery), whole.rating(Outcome)],
            nodes,
        }
    }
}

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
    fn of(previous: Option<Rating>, current: Option<Rating>) -> Self {
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

/// Compares two ratings of a plan, node by node, matched by key (the n-th node with
/// a key before with the n-th after).
///
/// # Example
/// ```
/// use chrono::NaiveDate;
/// use ragplan_core::{Change, Policy, Snapshot, compare, generate::synthetic_plan, rate};
/// let plan = synthetic_plan(20, 2, 7);
/// let policy = Policy::default();
/// let june = Snapshot::from(&rate(&plan, &policy, NaiveDate::from_ymd_opt(2015, 6, 30).unwrap()));
/// let march = Snapshot::from(&rate(&plan, &policy, NaiveDate::from_ymd_opt(2016, 3, 31).unwrap()));
/// let movement = compare(&june, &march);
/// assert_eq!(movement.nodes.len(), june.nodes.len());
/// assert_eq!(movement.count(Change::New), 0);
/// ```
pub fn compare(previous: &Snapshot, current: &Snapshot) -> Movement {
    let mut before: HashMap<&Key, Vec<usize>> = HashMap::new();
    for (i, n) in previous.nodes.iter().enumerate().rev() {
        before.entry(&n.key).or_default().push(i);
    }
    let mut matched = vec![false; previous.nodes.len()];
    let mut nodes = Vec::with_capacity(current.nodes.len());
    for node in &current.nodes {
        let old = before.get_mut(&node.key).and_then(Vec::pop);
        if let Some(i) = old {
            matched[i] = true;
        }
        let old = old.map(|i| &previous.nodes[i]);
        let side = |d: usize| RatingMove::of(old.map(|o| o.ratings[d]), Some(node.ratings[d]));
        nodes.push(NodeMovement {
            key: node.key.clone(),
            kind: node.kind,
            title: node.title.clone(),
            delivery: side(0),
            outcome: side(1),
        });
    }
    for (old, _) in previous.nodes.iter().zip(&matched).filter(|(_, m)| !**m) {
        nodes.push(NodeMovement {
            key: old.key.clone(),
            kind: old.kind,
            title: old.title.clone(),
            delivery: RatingMove::of(Some(old.ratings[0]), None),
            outcome: RatingMove::of(Some(old.ratings[1]), None),
        });
    }
    let plan = |d: usize| RatingMove::of(Some(previous.ratings[d]), Some(current.ratings[d]));
    Movement { from: previous.as_of, to: current.as_of, delivery: plan(0), outcome: plan(1), nodes }
}
