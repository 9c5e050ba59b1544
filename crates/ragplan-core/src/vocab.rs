//! The words every part of ragplan shares: the two [`Dimension`]s a node is rated on,
//! the [`Flag`]s it may carry, what a node is ([`NodeKind`]) and [`RatingCounts`].

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::rating::Rating;

/// The two things every node is rated on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// Is the work being delivered? (the Action RAG)
    Delivery,
    /// Is the intended effect being achieved? (the Outcome RAG)
    Outcome,
}

impl Dimension {
    /// The word a reader sees: `"delivery"`, `"outcome"`.
    pub fn label(self) -> &'static str {
        match self {
            Dimension::Delivery => "delivery",
            Dimension::Outcome => "outcome",
        }
    }
}

/// What a node of a plan is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    /// A strategy objective.
    Objective,
    /// A sub-objective.
    SubObjective,
    /// An action.
    Action,
}

impl NodeKind {
    /// The snake_case word used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Objective => "objective",
            NodeKind::SubObjective => "sub_objective",
            NodeKind::Action => "action",
        }
    }

    /// The word a reader sees: `"sub-objective"`.
    pub fn label(self) -> &'static str {
        match self {
            NodeKind::Objective => "objective",
            NodeKind::SubObjective => "sub-objective",
            NodeKind::Action => "action",
        }
    }
}

impl fmt::Display for NodeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Something worth a reader's attention about a node, beside its rating.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Flag {
    /// Past its due date and not complete.
    Overdue,
    /// Not complete, its status not started or unknown, and due within the due-soon
    /// window.
    DueSoon,
    /// Due in the financial quarter after the one holding the as-of date, and not
    /// complete.
    DueNextQuarter,
    /// Progress behind the straight-line expectation.
    BehindSchedule,
    /// Depends on an action that is Red or overdue.
    Blocked,
    /// No update within the stale window.
    Stale,
    /// No update logged, and no date the plan was reported on.
    NeverUpdated,
    /// No delivery rating reported (blank, or Not rated).
    Unreported,
    /// The plan reports a rating for the node that differs from the rolled-up one.
    Divergent,
    /// The delivery rating is an override.
    Overridden,
    /// A critical node: Red makes its parent Red.
    Critical,
    /// Cancelled: left out of roll-up.
    Cancelled,
    /// No longer in the plan: left out of roll-up.
    Removed,
}

impl Flag {
    /// Every flag, in the order they are listed on a node.
    pub const ALL: [Flag; 13] = [
        Flag::Overdue,
        Flag::DueSoon,
        Flag::DueNextQuarter,
        Flag::BehindSchedule,
        Flag::Blocked,
        Flag::Stale,
        Flag::NeverUpdated,
        Flag::Unreported,
        Flag::Divergent,
        Flag::Overridden,
        Flag::Critical,
        Flag::Cancelled,
        Flag::Removed,
    ];

    /// The snake_case word used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Flag::Overdue => "overdue",
            Flag::DueSoon => "due_soon",
            Flag::DueNextQuarter => "due_next_quarter",
            Flag::BehindSchedule => "behind_schedule",
            Flag::Blocked => "blocked",
            Flag::Stale => "stale",
            Flag::NeverUpdated => "never_updated",
            Flag::Unreported => "unreported",
            Flag::Divergent => "divergent",
            Flag::Overridden => "overridden",
            Flag::Critical => "critical",
            Flag::Cancelled => "cancelled",
            Flag::Removed => "removed",
        }
    }

    /// The words a reader sees: `"due soon"`.
    pub fn label(self) -> &'static str {
        match self {
            Flag::Overdue => "overdue",
            Flag::DueSoon => "due soon",
            Flag::DueNextQuarter => "due next quarter",
            Flag::BehindSchedule => "behind schedule",
            Flag::Blocked => "blocked",
            Flag::Stale => "stale",
            Flag::NeverUpdated => "never updated",
            Flag::Unreported => "unreported",
            Flag::Divergent => "divergent",
            Flag::Overridden => "overridden",
            Flag::Critical => "critical",
            Flag::Cancelled => "cancelled",
            Flag::Removed => "removed",
        }
    }
}

impl fmt::Display for Flag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// How many actions have each effective rating.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RatingCounts {
    /// Red.
    pub red: u32,
    /// Amber/Red.
    pub amber_red: u32,
    /// Amber.
    pub amber: u32,
    /// Amber/Green.
    pub amber_green: u32,
    /// Green.
    pub green: u32,
    /// Complete (Blue).
    pub complete: u32,
    /// Not rated (Grey).
    pub not_rated: u32,
    /// Of all of them, how many have no reported delivery rating (whatever rating
    /// their dates gave them); counted on the delivery dimension only, and not part
    /// of [`RatingCounts::total`].
    pub unreported: u32,
}

impl RatingCounts {
    /// Counts one more `rating`.
    pub fn add(&mut self, rating: Rating) {
        *self.slot(rating) += 1;
    }

    /// Adds every count of `other`.
    pub fn merge(&mut self, other: &RatingCounts) {
        for r in Rating::ALL {
            *self.slot(r) += other.get(r);
        }
        self.unreported += other.unreported;
    }

    /// How many have `rating`.
    pub fn get(&self, rating: Rating) -> u32 {
        match rating {
            Rating::Red => self.red,
            Rating::AmberRed => self.amber_red,
            Rating::Amber => self.amber,
            Rating::AmberGreen => self.amber_green,
            Rating::Green => self.green,
            Rating::Complete => self.complete,
            Rating::NotRated => self.not_rated,
        }
    }

    /// How many in all.
    pub fn total(&self) -> u32 {
        Rating::ALL.iter().map(|r| self.get(*r)).sum()
    }

    fn slot(&mut self, rating: Rating) -> &mut u32 {
        match rating {
            Rating::Red => &mut self.red,
            Rating::AmberRed => &mut self.amber_red,
            Rating::Amber => &mut self.amber,
            Rating::AmberGreen => &mut self.amber_green,
            Rating::Green => &mut self.green,
            Rating::Complete => &mut self.complete,
            Rating::NotRated => &mut self.not_rated,
        }
    }
}

/// Flags as bits, in [`Flag::ALL`] order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct FlagSet(u16);

impl FlagSet {
    pub(crate) const EMPTY: FlagSet = FlagSet(0);

    pub(crate) fn set(&mut self, flag: Flag) {
        self.0 |= 1 << flag as u16;
    }
    pub(crate) fn has(self, flag: Flag) -> bool {
        self.0 & (1 << flag as u16) != 0
    }
    pub(crate) fn to_vec(self) -> Vec<Flag> {
        if self.0 == 0 {
            return Vec::new();
        }
        self.iter().collect()
    }
    /// The flags set, in [`Flag::ALL`] order.
    pub(crate) fn iter(self) -> impl Iterator<Item = Flag> {
        Flag::ALL.into_iter().filter(move |f| self.has(*f))
    }
}
