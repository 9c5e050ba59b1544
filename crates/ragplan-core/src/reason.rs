//! Why a node has its rating: the structured [`Reason`], which renders as one English
//! sentence naming keys, quoted titles, UK dates and numbers.
//!
//! On the wire (the `ragplan-assessment/2` document) a reason is an object: its
//! `code` (the variant, in snake_case), its fields, and, added by the document, its
//! `sentence` and the `keys` it names.

use std::borrow::Cow;
use std::fmt;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::key::Key;
use crate::rating::{Rating, Status};
use crate::text::{Named, days, number, uk_date};
use crate::vocab::{Dimension, NodeKind};

/// What kind of children a roll-up counted, for the words of a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChildNoun {
    /// Actions.
    Actions,
    /// Sub-objectives.
    SubObjectives,
    /// Objectives.
    Objectives,
    /// Measures (performance indicators).
    Measures,
    /// A mix of sub-objectives and actions.
    Parts,
}

impl ChildNoun {
    /// The noun in the singular or plural.
    pub fn word(self, n: u32) -> &'static str {
        let one = n == 1;
        match self {
            ChildNoun::Actions if one => "action",
            ChildNoun::Actions => "actions",
            ChildNoun::SubObjectives if one => "sub-objective",
            ChildNoun::SubObjectives => "sub-objectives",
            ChildNoun::Objectives if one => "objective",
            ChildNoun::Objectives => "objectives",
            ChildNoun::Measures if one => "measure",
            ChildNoun::Measures => "measures",
            ChildNoun::Parts if one => "part",
            ChildNoun::Parts => "parts",
        }
    }
}

/// A child named in a reason: its key, and its title when there is one to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChildRef<'a> {
    /// The child's key.
    pub key: Cow<'a, Key>,
    /// The child's title.
    pub title: Cow<'a, str>,
}

/// The children a roll-up reason names: at most [`Driving::MAX`] of them, and how
/// many more there were.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Driving<'a> {
    /// The first children named, in plan order.
    pub named: Vec<ChildRef<'a>>,
    /// How many more there were.
    pub more: u32,
}

impl<'a> Driving<'a> {
    /// The most children a reason names.
    pub const MAX: usize = 5;

    /// Adds a child, naming it if fewer than [`Driving::MAX`] are named.
    pub fn push(&mut self, key: &'a Key, title: &'a str) {
        if self.named.len() < Driving::MAX {
            self.named.push(ChildRef { key: Cow::Borrowed(key), title: Cow::Borrowed(title) });
        } else {
            self.more += 1;
        }
    }

    /// How many children there were in all.
    pub fn len(&self) -> u32 {
        self.named.len() as u32 + self.more
    }

    /// Whether no child was added.
    pub fn is_empty(&self) -> bool {
        self.named.is_empty()
    }
}

impl fmt::Display for Driving<'_> {
    /// `1.1.2 "Title"` for one child; `1.1, 1.2 and 1.3` for several; `1.1, …, 1.5 and
    /// 3 more` past five.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let ([only], 0) = (self.named.as_slice(), self.more) {
            return write!(f, "{} \"{}\"", only.key, only.title);
        }
        let n = self.named.len();
        for (i, child) in self.named.iter().enumerate() {
            if i > 0 {
                let last = i + 1 == n && self.more == 0;
                f.write_str(if last { " and " } else { ", " })?;
            }
            f.write_str(child.key.as_str())?;
        }
        if self.more > 0 {
            write!(f, " and {} more", self.more)?;
        }
        Ok(())
    }
}

/// What makes an action (or a part) count with the rating it has, in one word: how
/// a headline groups the causes it names.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Cause {
    /// Overridden by a professional judgement.
    Overridden,
    /// Past its due date.
    Overdue,
    /// Behind its expected progress.
    BehindProgress,
    /// Waiting on a Red or overdue action.
    Blocked,
    /// Due soon and not started.
    DueSoon,
    /// Not updated within the stale window.
    Stale,
    /// Reported with that rating.
    Reported,
    /// Complete.
    Complete,
    /// On track by its dates.
    OnTrack,
    /// Not rated, and counted by the policy (as Amber).
    NotRated,
    /// A part rated by its own roll-up.
    RolledUp,
}

impl Cause {
    /// The words after "are" in a headline: `overdue`, `reported Red`.
    fn phrase(self, rating: Rating, one: bool) -> String {
        match self {
            Cause::Overridden => format!("overridden to {rating}"),
            Cause::Overdue => "overdue".into(),
            Cause::BehindProgress if one => "behind its expected progress".into(),
            Cause::BehindProgress => "behind their expected progress".into(),
            Cause::Blocked if one => "waiting on a Red or overdue action".into(),
            Cause::Blocked => "waiting on Red or overdue actions".into(),
            Cause::DueSoon => "due soon and not started".into(),
            Cause::Stale => "without a recent update".into(),
            Cause::Reported => format!("reported {rating}"),
            Cause::Complete => "complete".into(),
            Cause::OnTrack => "on track".into(),
            Cause::NotRated => format!("not rated, which counts as {rating}"),
            Cause::RolledUp => format!("{rating}"),
        }
    }

    /// The cause a reason gives, with what is shown in brackets after its key.
    pub fn of(reason: &Reason<'_>) -> (Cause, Option<String>) {
        match reason {
            Reason::Overridden(r) => (Cause::Overridden, Some(format!("by {}", r.by))),
            Reason::ParentOverridden(r) => (Cause::Overridden, Some(format!("by {}", r.by))),
            Reason::Overdue { days_overdue, .. } => (Cause::Overdue, Some(days(*days_overdue))),
            Reason::BehindProgress { progress, expected, .. } => {
                (Cause::BehindProgress, Some(format!("{progress}% of {expected}% expected")))
            }
            Reason::BlockedBy(r) => (Cause::Blocked, Some(format!("on {}", r.blocker))),
            Reason::DueSoon { days_left, .. } => {
                (Cause::DueSoon, Some(format!("due in {}", days(*days_left))))
            }
            Reason::Stale { last_update, .. } => {
                (Cause::Stale, Some(format!("since {}", uk_date(*last_update))))
            }
            Reason::Reported { .. } | Reason::WorseThanReported { .. } => (Cause::Reported, None),
            Reason::Complete { .. } | Reason::AllComplete { .. } => (Cause::Complete, None),
            Reason::OnTrack { .. } => (Cause::OnTrack, None),
            Reason::NotReported { .. }
            | Reason::Unreported { .. }
            | Reason::NothingToJudge { .. } => (Cause::NotRated, None),
            Reason::MostCommon { noun, counted, .. } => (
                Cause::RolledUp,
                Some(format!("the most common rating of its {counted} {}", noun.word(*counted))),
            ),
            Reason::MeanScore { noun, counted, mean, .. } => (
                Cause::RolledUp,
                Some(format!("mean score {mean:.2} of its {counted} {}", noun.word(*counted))),
            ),
            Reason::Share { noun, counted, .. } => (
                Cause::RolledUp,
                Some(format!("by the share of its {counted} {}", noun.word(*counted))),
            ),
            _ => (Cause::RolledUp, None),
        }
    }
}

/// A node named as a cause in a [`Reason::Causes`]: what it is, its key and title,
/// and its own first reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CauseRef<'a> {
    /// What the node is.
    pub kind: NodeKind,
    /// Its key.
    pub key: Cow<'a, Key>,
    /// Its title.
    pub title: Cow<'a, str>,
    /// Its own first reason on the same dimension.
    pub reason: Reason<'a>,
}

/// Why a node has its rating. Every rating the engine gives carries at least one.
///
/// `Display` renders one sentence. Serde writes the variant as `"code"` (snake_case)
/// beside its fields, and reads it back the same way.
///
/// # Example
/// ```
/// use chrono::NaiveDate;
/// use ragplan_core::{Key, Reason};
/// let reason = Reason::Overdue {
///     key: Key::new("1.1.2")?.into(),
///     title: "Information sharing agreement to be in place".into(),
///     due: NaiveDate::from_ymd_opt(2015, 5, 31).unwrap(),
///     days_overdue: 30,
/// };
/// assert_eq!(
///     reason.to_string(),
///     "Red because action 1.1.2 \"Information sharing agreement to be in place\" was due \
///      31 May 2015 and is not complete (30 days overdue)."
/// );
/// # Ok::<(), ragplan_core::IdError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "code", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Reason<'a> {
    /// The action's rating is the one reported in the plan.
    Reported {
        /// Delivery (the Action RAG) or outcome (the Outcome RAG).
        dimension: Dimension,
        /// The reported rating.
        rating: Rating,
        /// The action.
        key: Cow<'a, Key>,
        /// Its title.
        title: Cow<'a, str>,
    },
    /// The action carries an override, which stands.
    Overridden(Box<OverriddenReason<'a>>),
    /// The action is marked complete.
    Complete {
        /// The action.
        key: Cow<'a, Key>,
        /// Its title.
        title: Cow<'a, str>,
    },
    /// The action is cancelled and left out of roll-up.
    Cancelled {
        /// The action.
        key: Cow<'a, Key>,
        /// Its title.
        title: Cow<'a, str>,
    },
    /// The node was taken out of the plan and is left out of roll-up.
    Removed {
        /// What the node is: an action, or a sub-objective or objective taken out
        /// with its actions.
        kind: NodeKind,
        /// The node.
        key: Cow<'a, Key>,
        /// Its title.
        title: Cow<'a, str>,
    },
    /// The action is past its due date and not complete: Red.
    Overdue {
        /// The action.
        key: Cow<'a, Key>,
        /// Its title.
        title: Cow<'a, str>,
        /// When it was due.
        due: NaiveDate,
        /// Days between the due date and the as-of date.
        days_overdue: i64,
    },
    /// The action has not started and is due within the due-soon window: Amber.
    DueSoon {
        /// The action.
        key: Cow<'a, Key>,
        /// Its title.
        title: Cow<'a, str>,
        /// When it is due.
        due: NaiveDate,
        /// Days left until it is due.
        days_left: i64,
    },
    /// The action's progress is behind a straight line from its start to its due date.
    BehindProgress {
        /// Amber or Red.
        rating: Rating,
        /// The action.
        key: Cow<'a, Key>,
        /// Its title.
        title: Cow<'a, str>,
        /// Progress reported, in percent.
        progress: u8,
        /// Progress expected by the as-of date, in percent.
        expected: u8,
        /// The threshold crossed: the share of the expected progress below which the
        /// rating applies, in percent.
        below_percent: u8,
        /// The as-of date.
        as_of: NaiveDate,
    },
    /// The action depends, directly or through other actions, on an action that is Red
    /// or overdue: at least Amber.
    BlockedBy(Box<BlockedByReason<'a>>),
    /// The action has had no update within the stale window, and the policy lowers
    /// stale actions to Amber.
    Stale {
        /// The action.
        key: Cow<'a, Key>,
        /// Its title.
        title: Cow<'a, str>,
        /// Date of the last update.
        last_update: NaiveDate,
        /// Days since then.
        days: i64,
    },
    /// A note, not a cause: the action has had no update within the stale window,
    /// and the policy does not lower stale actions.
    NotUpdated {
        /// The action.
        key: Cow<'a, Key>,
        /// Its title.
        title: Cow<'a, str>,
        /// Date of the last update.
        last_update: NaiveDate,
        /// Days since then.
        days: i64,
        /// The as-of date.
        as_of: NaiveDate,
    },
    /// A note, not a cause: the action is due in the financial quarter after the one
    /// holding the as-of date, and is not complete.
    DueNextQuarter(Box<DueNextQuarterReason<'a>>),
    /// A note, not a cause: the action has no update logged and the plan has no
    /// date it was reported on, so nothing says when it was last reported.
    NeverUpdated {
        /// The action.
        key: Cow<'a, Key>,
    },
    /// A note, not a cause: the action is due within the due-soon window and its
    /// status is not known, so whether it has started cannot be told; its rating
    /// stays as reported.
    DueSoonStatusUnknown {
        /// The action.
        key: Cow<'a, Key>,
        /// Its title.
        title: Cow<'a, str>,
        /// When it is due.
        due: NaiveDate,
        /// Days left until it is due.
        days_left: i64,
    },
    /// No rating is reported for the action and its dates show nothing late: Not
    /// rated (the default `unreported` policy). Unknown is not Green.
    Unreported {
        /// The action.
        key: Cow<'a, Key>,
        /// Its title.
        title: Cow<'a, str>,
        /// When it is due, if it has a due date.
        due: Option<NaiveDate>,
    },
    /// A sub-objective, objective or the plan carries an override, which stands.
    ParentOverridden(Box<ParentOverriddenReason<'a>>),
    /// The actions (or, where a part below was rated by another rule or overridden,
    /// the parts) that give a `worst_of` parent its rating, through every level
    /// below it: the worst named first, at most three, with their own reasons.
    Causes {
        /// The rating.
        rating: Rating,
        /// What the causes are: actions, or parts when any is not an action.
        noun: ChildNoun,
        /// How many there are in all.
        total: u32,
        /// What they share, when every one has the same cause.
        cause: Option<Cause>,
        /// The first named, worst first, each with its own first reason.
        named: Vec<CauseRef<'a>>,
        /// How many more there are.
        more: u32,
    },
    /// The action's dates, progress and dependencies show nothing late: Green.
    OnTrack {
        /// The action.
        key: Cow<'a, Key>,
        /// Its title.
        title: Cow<'a, str>,
        /// When it is due.
        due: NaiveDate,
    },
    /// The rating worked out for the action is worse than the reported one and stands.
    WorseThanReported {
        /// The rating that stands.
        rating: Rating,
        /// The reported rating.
        reported: Rating,
        /// The action.
        key: Cow<'a, Key>,
        /// Its title.
        title: Cow<'a, str>,
    },
    /// Nothing to rate the action's delivery by: no reported rating and no due date.
    NothingToJudge {
        /// The action.
        key: Cow<'a, Key>,
        /// Its title.
        title: Cow<'a, str>,
    },
    /// No rating was reported for the action on this dimension.
    NotReported {
        /// Delivery (the Action RAG) or outcome (the Outcome RAG).
        dimension: Dimension,
        /// The action.
        key: Cow<'a, Key>,
        /// Its title.
        title: Cow<'a, str>,
    },
    /// The worst counted child gives the rating (`worst_of`).
    WorstChild {
        /// The rating.
        rating: Rating,
        /// What the children are.
        noun: ChildNoun,
        /// How many children were counted.
        counted: u32,
        /// The children with that rating.
        driving: Driving<'a>,
    },
    /// The most common rating among the counted children (`majority`).
    MostCommon {
        /// The rating.
        rating: Rating,
        /// What the children are.
        noun: ChildNoun,
        /// How many children were counted.
        counted: u32,
        /// Better ratings that were as common, lost on the tie to the worse.
        tied_with: Vec<Rating>,
        /// The children with that rating.
        driving: Driving<'a>,
    },
    /// The weighted mean score of the counted children (`mean_score`).
    MeanScore {
        /// The rating.
        rating: Rating,
        /// What the children are.
        noun: ChildNoun,
        /// How many children were counted.
        counted: u32,
        /// The weighted mean score (Red 0 … Green 4).
        mean: f64,
        /// The lowest mean that is Green.
        green_from: f64,
        /// The lowest mean that is Amber.
        amber_from: f64,
        /// The lowest-scoring children.
        lowest: Driving<'a>,
    },
    /// The share of Red, or Green, counted children (`share`).
    Share {
        /// The rating.
        rating: Rating,
        /// What the children are.
        noun: ChildNoun,
        /// How many children were counted.
        counted: u32,
        /// How many were Red.
        red: u32,
        /// How many were Green.
        green: u32,
        /// Share of Red that makes the parent Red, in percent.
        red_from_percent: u8,
        /// Share of Green that makes the parent Green, in percent.
        green_from_percent: u8,
        /// The Red children.
        driving: Driving<'a>,
    },
    /// A critical child is Red, which makes its parent Red under every rule.
    CriticalChild {
        /// What the child is.
        noun: ChildNoun,
        /// The child.
        key: Cow<'a, Key>,
        /// Its title.
        title: Cow<'a, str>,
    },
    /// Every counted child is complete.
    AllComplete {
        /// What the children are.
        noun: ChildNoun,
        /// How many.
        counted: u32,
    },
    /// Nothing below the node could be counted.
    NothingToCount {
        /// What the children are.
        noun: ChildNoun,
        /// How many children were left out (cancelled, removed, not rated, or
        /// complete when complete is left out).
        left_out: u32,
        /// How many of the actions below the node, at any depth, are counted and Not
        /// rated on the dimension: what leaves its parts with nothing to count. 0
        /// when none is (every action below is cancelled or removed, or there is
        /// none).
        #[serde(default)]
        not_rated_actions: u32,
        /// How many of the actions below the node, at any depth, are left out of
        /// every count (cancelled or removed).
        #[serde(default)]
        left_out_actions: u32,
    },
    /// What a parent's parts roll up to when an override of it stands with another
    /// rating: the roll-up's own reason, said as what the rating would be without
    /// the override, so that a Red override is not followed by "Green because…".
    WithoutOverride(Box<WithoutOverrideReason<'a>>),
    /// Some actions below a rated node are Not rated and were left out of its
    /// roll-up: the rating stands on the others, and what the left-out ones hold is
    /// not known. Follows the node's first reason; not given for Red under
    /// `worst_of` or by a critical child, which no action left out could make
    /// worse, for an override, nor when Not rated counts as Amber.
    NotRatedLeftOut {
        /// How many actions below the node, at any depth, are Not rated.
        not_rated: u32,
        /// How many actions below it are counted in all, the Not rated among them.
        actions: u32,
    },
    /// The plan reports a rating for the node that differs from the rolled-up one,
    /// which is shown.
    Divergent {
        /// The rolled-up rating.
        rating: Rating,
        /// The reported rating.
        reported: Rating,
    },
    /// A measure's latest reading is within tolerance of its target: Green.
    MeasureOnTarget(Box<MeasureOnTargetReason<'a>>),
    /// A measure's latest reading is beyond tolerance of its target: Amber if it
    /// improved on the previous reading, Red if not.
    MeasureOffTarget(Box<MeasureOffTargetReason<'a>>),
    /// A measure has no reading on or before the as-of date.
    MeasureNoReading {
        /// The measure.
        key: Cow<'a, Key>,
        /// Its title.
        title: Cow<'a, str>,
        /// The as-of date.
        as_of: NaiveDate,
    },
}

/// The fields of [`Reason::Overridden`], held apart so that a [`Reason`] stays small: a
/// rated plan holds one or two reasons for each of its nodes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct OverriddenReason<'a> {
    /// The overriding rating.
    pub rating: Rating,
    /// The action.
    pub key: Cow<'a, Key>,
    /// Its title.
    pub title: Cow<'a, str>,
    /// Who made the judgement.
    pub by: Cow<'a, str>,
    /// When.
    pub on: NaiveDate,
    /// Why.
    pub justification: Cow<'a, str>,
}

/// The fields of [`Reason::BlockedBy`], held apart so that a [`Reason`] stays small: a
/// rated plan holds one or two reasons for each of its nodes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct BlockedByReason<'a> {
    /// The action.
    pub key: Cow<'a, Key>,
    /// Its title.
    pub title: Cow<'a, str>,
    /// The Red or overdue prerequisite.
    pub blocker: Cow<'a, Key>,
    /// Its title.
    pub blocker_title: Cow<'a, str>,
    /// Whether the prerequisite is overdue (else it is Red).
    pub blocker_overdue: bool,
    /// The prerequisite of this action through which it depends on the blocker;
    /// none when it depends on the blocker directly.
    pub through: Option<Cow<'a, Key>>,
}

/// The fields of [`Reason::DueNextQuarter`], held apart so that a [`Reason`] stays small: a
/// rated plan holds one or two reasons for each of its nodes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DueNextQuarterReason<'a> {
    /// The action.
    pub key: Cow<'a, Key>,
    /// Its title.
    pub title: Cow<'a, str>,
    /// When it is due.
    pub due: NaiveDate,
    /// The quarter, as `Q2 2015/16`.
    pub quarter: String,
    /// The timescale as the plan words it.
    pub timescale: Cow<'a, str>,
    /// Its status, when known.
    pub status: Option<Status>,
}

/// The fields of [`Reason::WithoutOverride`]: a type of its own, so that the schema
/// names the reason inside a reason as it does a cause's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct WithoutOverrideReason<'a> {
    /// The roll-up's reason.
    pub reason: Reason<'a>,
}

/// The fields of [`Reason::ParentOverridden`], held apart so that a [`Reason`] stays small: a
/// rated plan holds one or two reasons for each of its nodes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ParentOverriddenReason<'a> {
    /// The overriding rating.
    pub rating: Rating,
    /// What the node is; none for the plan itself.
    pub kind: Option<NodeKind>,
    /// The node; none for the plan itself.
    pub key: Option<Cow<'a, Key>>,
    /// Its title.
    pub title: Cow<'a, str>,
    /// Who made the judgement.
    pub by: Cow<'a, str>,
    /// When.
    pub on: NaiveDate,
    /// Why.
    pub justification: Cow<'a, str>,
}

/// The fields of [`Reason::MeasureOnTarget`], held apart so that a [`Reason`] stays small: a
/// rated plan holds one or two reasons for each of its nodes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MeasureOnTargetReason<'a> {
    /// The measure.
    pub key: Cow<'a, Key>,
    /// Its title.
    pub title: Cow<'a, str>,
    /// The latest reading on or before the as-of date.
    pub value: f64,
    /// When it was read.
    pub on: NaiveDate,
    /// The target.
    pub target: f64,
    /// The tolerance.
    pub tolerance: f64,
}

/// The fields of [`Reason::MeasureOffTarget`], held apart so that a [`Reason`] stays small: a
/// rated plan holds one or two reasons for each of its nodes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MeasureOffTargetReason<'a> {
    /// Amber or Red.
    pub rating: Rating,
    /// The measure.
    pub key: Cow<'a, Key>,
    /// Its title.
    pub title: Cow<'a, str>,
    /// The latest reading on or before the as-of date.
    pub value: f64,
    /// When it was read.
    pub on: NaiveDate,
    /// The target.
    pub target: f64,
    /// The reading before, if any.
    pub previous: Option<f64>,
}

impl Reason<'_> {
    /// Every key the reason names, in the order its sentence names them: the node
    /// it is about, then any other node (a blocker, the children that drive a
    /// roll-up).
    pub fn keys(&self) -> Vec<&Key> {
        match self {
            Reason::Reported { key, .. }
            | Reason::Complete { key, .. }
            | Reason::Cancelled { key, .. }
            | Reason::Removed { key, .. }
            | Reason::Overdue { key, .. }
            | Reason::DueSoon { key, .. }
            | Reason::BehindProgress { key, .. }
            | Reason::Stale { key, .. }
            | Reason::NotUpdated { key, .. }
            | Reason::NeverUpdated { key, .. }
            | Reason::DueSoonStatusUnknown { key, .. }
            | Reason::Unreported { key, .. }
            | Reason::OnTrack { key, .. }
            | Reason::WorseThanReported { key, .. }
            | Reason::NothingToJudge { key, .. }
            | Reason::NotReported { key, .. }
            | Reason::CriticalChild { key, .. }
            | Reason::MeasureNoReading { key, .. } => vec![&**key],
            Reason::Overridden(r) => vec![&*r.key],
            Reason::DueNextQuarter(r) => vec![&*r.key],
            Reason::MeasureOnTarget(r) => vec![&*r.key],
            Reason::MeasureOffTarget(r) => vec![&*r.key],
            Reason::BlockedBy(r) => {
                let mut keys = vec![&*r.key];
                keys.extend(r.through.as_deref());
                keys.push(&*r.blocker);
                keys
            }
            Reason::WorstChild { driving, .. }
            | Reason::MostCommon { driving, .. }
            | Reason::Share { driving, .. }
            | Reason::MeanScore { lowest: driving, .. } => {
                driving.named.iter().map(|c| &*c.key).collect()
            }
            Reason::ParentOverridden(r) => r.key.as_deref().into_iter().collect(),
            Reason::Causes { named, .. } => named.iter().map(|c| &*c.key).collect(),
            Reason::WithoutOverride(r) => r.reason.keys(),
            Reason::AllComplete { .. }
            | Reason::NothingToCount { .. }
            | Reason::NotRatedLeftOut { .. }
            | Reason::Divergent { .. } => Vec::new(),
        }
    }
}

/// `Red because 3 actions are overdue: 1.1.2 "…" (30 days), 1.2.1 "…" (61 days) and
/// 1 more.`; `Red because action 1.1.2 "…" is overdue (30 days).`
fn write_causes(
    f: &mut fmt::Formatter<'_>,
    rating: Rating,
    noun: ChildNoun,
    total: u32,
    cause: Option<Cause>,
    named: &[CauseRef<'_>],
    more: u32,
) -> fmt::Result {
    if let ([only], 0) = (named, more) {
        let (c, detail) = Cause::of(&only.reason);
        let detail = detail.map(|d| format!(" ({d})")).unwrap_or_default();
        return write!(
            f,
            "{rating} because {} {} is {}{detail}.",
            only.kind.label(),
            Named(&only.key, &only.title),
            c.phrase(rating, true)
        );
    }
    let verb = if total == 1 { "is" } else { "are" };
    let shared = match cause {
        Some(c) => c.phrase(rating, total == 1),
        None => rating.to_string(),
    };
    write!(f, "{rating} because {total} {} {verb} {shared}: ", noun.word(total))?;
    let n = named.len();
    for (i, c) in named.iter().enumerate() {
        if i > 0 {
            f.write_str(if i + 1 == n && more == 0 { " and " } else { ", " })?;
        }
        let (own, detail) = Cause::of(&c.reason);
        let mut brackets = Vec::new();
        if cause.is_none() {
            brackets.push(own.phrase(rating, true));
        }
        brackets.extend(detail);
        write!(f, "{}", Named(&c.key, &c.title))?;
        if !brackets.is_empty() {
            write!(f, " ({})", brackets.join(", "))?;
        }
    }
    if more > 0 {
        write!(f, " and {more} more")?;
    }
    f.write_str(".")
}

impl fmt::Display for Reason<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::Reported { dimension: Dimension::Delivery, rating, key, title } => {
                write!(f, "{rating} because action {} is reported {rating}.", Named(key, title))
            }
            Reason::Reported { dimension: Dimension::Outcome, rating, key, title } => write!(
                f,
                "{rating} because the outcome of action {} is reported {rating}.",
                Named(key, title)
            ),
            Reason::Overridden(r) => {
                let OverriddenReason { rating, key, title, by, on, justification } = &**r;
                write!(
                    f,
                    "{rating} because the rating of action {} was overridden by {by} on {}: \"{}\".",
                    Named(key, title),
                    uk_date(*on),
                    justification.trim()
                )
            }
            Reason::Complete { key, title } => {
                write!(f, "Complete because action {} is marked complete.", Named(key, title))
            }
            Reason::Cancelled { key, title } => write!(
                f,
                "Not rated because action {} is cancelled and left out of roll-up.",
                Named(key, title)
            ),
            Reason::Removed { kind, key, title } => write!(
                f,
                "Not rated because {} {} is no longer in the plan and is left out of roll-up.",
                kind.label(),
                Named(key, title)
            ),
            Reason::Overdue { key, title, due, days_overdue } => write!(
                f,
                "Red because action {} was due {} and is not complete ({} overdue).",
                Named(key, title),
                uk_date(*due),
                days(*days_overdue)
            ),
            Reason::DueSoon { key, title, due, days_left } => {
                let when = if *days_left == 0 {
                    "today".to_owned()
                } else {
                    format!("in {}", days(*days_left))
                };
                write!(
                    f,
                    "Amber because action {} is due {} ({when}) and has not started.",
                    Named(key, title),
                    uk_date(*due)
                )
            }
            Reason::BehindProgress {
                rating,
                key,
                title,
                progress,
                expected,
                below_percent,
                as_of,
            } => write!(
                f,
                "{rating} because action {} is {progress}% done against {expected}% expected by \
                 {}, below {below_percent}% of the expected progress.",
                Named(key, title),
                uk_date(*as_of)
            ),
            Reason::BlockedBy(r) => {
                let BlockedByReason {
                    key,
                    title,
                    blocker,
                    blocker_title,
                    blocker_overdue,
                    through,
                } = &**r;
                let state = if *blocker_overdue { "overdue" } else { "Red" };
                let through = match through {
                    Some(p) => format!(", through action {p},"),
                    None => String::new(),
                };
                write!(
                    f,
                    "Amber because action {} depends{through} on action {}, which is {state}.",
                    Named(key, title),
                    Named(blocker, blocker_title)
                )
            }
            Reason::Stale { key, title, last_update, days: n } => write!(
                f,
                "Amber because action {} has had no update since {} ({}).",
                Named(key, title),
                uk_date(*last_update),
                days(*n)
            ),
            Reason::NotUpdated { last_update, days: n, as_of, .. } => write!(
                f,
                "No update since {} ({n} days before {}).",
                uk_date(*last_update),
                uk_date(*as_of)
            ),
            Reason::DueNextQuarter(r) => {
                let DueNextQuarterReason { due, quarter, timescale, status, .. } = &**r;
                write!(
                    f,
                    "Due {} ({quarter}, timescale \"{timescale}\"); {}.",
                    uk_date(*due),
                    status.map_or("status not known", Status::label)
                )
            }
            Reason::NeverUpdated { .. } => f.write_str(
                "Never updated: no update is logged and the plan has no date it was reported on.",
            ),
            Reason::DueSoonStatusUnknown { due, days_left, .. } => {
                let when = if *days_left == 0 {
                    "today".to_owned()
                } else {
                    format!("in {}", days(*days_left))
                };
                write!(
                    f,
                    "Due {} ({when}); its status is not known, so being due soon does not lower \
                     its rating.",
                    uk_date(*due)
                )
            }
            Reason::Unreported { key, title, due } => match due {
                Some(due) => write!(
                    f,
                    "Not rated because no rating is reported for action {} and it is not late by \
                     its dates (due {}).",
                    Named(key, title),
                    uk_date(*due)
                ),
                None => write!(
                    f,
                    "Not rated because no rating is reported for action {} and it has no due date \
                     to judge it by.",
                    Named(key, title)
                ),
            },
            Reason::ParentOverridden(r) => {
                let ParentOverriddenReason { rating, kind, key, title, by, on, justification } =
                    &**r;
                let whose = match (kind, key) {
                    (Some(kind), Some(key)) => format!("{kind} {}", Named(key, title)),
                    _ => "the plan".to_owned(),
                };
                write!(
                    f,
                    "{rating} because the rating of {whose} was overridden by {by} on {}: \"{}\".",
                    uk_date(*on),
                    justification.trim()
                )
            }
            Reason::Causes { rating, noun, total, cause, named, more } => {
                write_causes(f, *rating, *noun, *total, *cause, named, *more)
            }
            Reason::OnTrack { key, title, due } => write!(
                f,
                "Green because action {} is due {} and nothing about it is late.",
                Named(key, title),
                uk_date(*due)
            ),
            Reason::WorseThanReported { rating, reported, key, title } => write!(
                f,
                "{rating} rather than the reported {reported} because the rating worked out for \
                 action {} is worse.",
                Named(key, title)
            ),
            Reason::NothingToJudge { key, title } => write!(
                f,
                "Not rated because action {} has no reported rating and no due date to judge it by.",
                Named(key, title)
            ),
            Reason::NotReported { dimension, key, title } => write!(
                f,
                "Not rated because no {} rating is reported for action {}.",
                dimension.label(),
                Named(key, title)
            ),
            Reason::WorstChild { rating, noun, counted: 1, driving } => write!(
                f,
                "{rating} because its one counted {} is {rating}: {driving}.",
                noun.word(1)
            ),
            Reason::WorstChild { rating, noun, counted, driving } => write!(
                f,
                "{rating} because the worst of its {counted} counted {} is {rating}: {driving}.",
                noun.word(*counted)
            ),
            Reason::MostCommon { rating, noun, counted, tied_with, driving } => {
                let tie = if tied_with.is_empty() {
                    String::new()
                } else {
                    let names: Vec<&str> = tied_with.iter().map(|r| r.label()).collect();
                    format!(", tied with {} and taking the worse", names.join(" and "))
                };
                write!(
                    f,
                    "{rating} because it is the most common rating among its {counted} counted {} \
                     ({} of {counted}{tie}): {driving}.",
                    noun.word(*counted),
                    driving.len()
                )
            }
            Reason::MeanScore { rating, noun, counted, mean, green_from, amber_from, lowest } => {
                write!(
                    f,
                    "{rating} because the mean score of its {counted} counted {} is {mean:.2} \
                     (Red 0 to Green 4; Green from {}, Amber from {})",
                    noun.word(*counted),
                    number(*green_from),
                    number(*amber_from)
                )?;
                if lowest.is_empty() { f.write_str(".") } else { write!(f, "; lowest: {lowest}.") }
            }
            Reason::Share {
                rating,
                noun,
                counted,
                red,
                green,
                red_from_percent,
                green_from_percent,
                driving,
            } => {
                let verb = |n: u32| if n == 1 { "is" } else { "are" };
                let pct = |n: u32| {
                    if *counted == 0 { 0 } else { u64::from(n) * 100 / u64::from(*counted) }
                };
                let word = noun.word(*counted);
                match rating {
                    Rating::Red => write!(
                        f,
                        "Red because {red} of its {counted} counted {word} ({}%) {} Red, at or \
                         above the {red_from_percent}% that makes it Red: {driving}.",
                        pct(*red),
                        verb(*red)
                    ),
                    Rating::Green => write!(
                        f,
                        "Green because {green} of its {counted} counted {word} ({}%) {} Green, at \
                         or above the {green_from_percent}% that makes it Green, and none is Red.",
                        pct(*green),
                        verb(*green)
                    ),
                    _ => write!(
                        f,
                        "{rating} because {red} of its {counted} counted {word} ({}%) {} Red, \
                         below the {red_from_percent}% that makes it Red, and {green} ({}%) {} \
                         Green, short of the {green_from_percent}% with none Red that makes it \
                         Green.",
                        pct(*red),
                        verb(*red),
                        pct(*green),
                        verb(*green)
                    ),
                }
            }
            Reason::CriticalChild { noun, key, title } => {
                write!(f, "Red because critical {} {} is Red.", noun.word(1), Named(key, title))
            }
            Reason::AllComplete { noun, counted } => {
                if *counted == 1 {
                    write!(f, "Complete because its one counted {} is complete.", noun.word(1))
                } else {
                    write!(
                        f,
                        "Complete because all {counted} of its counted {} are complete.",
                        noun.word(*counted)
                    )
                }
            }
            Reason::NothingToCount { noun, left_out, not_rated_actions, left_out_actions } => {
                let actions = *not_rated_actions;
                let cancelled = *left_out_actions;
                let children = if *left_out == 1 {
                    format!("its one {}", noun.word(1))
                } else {
                    format!("none of its {left_out} {}", noun.word(*left_out))
                };
                if *left_out == 0 {
                    write!(f, "Not rated because it has no {} to rate.", noun.word(2))
                } else if actions == 0 && cancelled > 0 && *noun != ChildNoun::Measures {
                    // Everything below is left out: say so, of the actions.
                    let all = match cancelled {
                        1 => "the one action below it is cancelled or removed".to_owned(),
                        2 => "both actions below it are cancelled or removed".to_owned(),
                        n => format!("all {n} actions below it are cancelled or removed"),
                    };
                    if *noun == ChildNoun::Actions {
                        write!(f, "Not rated because {all}.")
                    } else {
                        let verb = if *left_out == 1 { "cannot" } else { "can" };
                        write!(f, "Not rated because {all}, so {children} {verb} be counted.")
                    }
                } else if actions > 0 && *noun == ChildNoun::Actions && actions == *left_out {
                    // Its own actions, every one of them Not rated.
                    if actions == 1 {
                        write!(f, "Not rated because its one action is not rated.")
                    } else {
                        write!(f, "Not rated because none of its {actions} actions is rated.")
                    }
                } else if actions > 0 && *noun == ChildNoun::Actions && actions < *left_out {
                    let rest = left_out - actions;
                    let (are, is) = (
                        if actions == 1 { "is" } else { "are" },
                        if rest == 1 { "is" } else { "are" },
                    );
                    write!(
                        f,
                        "Not rated because {children} can be counted: {actions} {are} not rated \
                         and {rest} {is} cancelled, removed or complete where complete is left \
                         out."
                    )
                } else if actions > 0 && *noun != ChildNoun::Actions {
                    // Parts with nothing to count: say what lies beneath them.
                    let verb = if *left_out == 1 { "cannot" } else { "can" };
                    let below = if actions == 1 {
                        "the one action below it is not rated".to_owned()
                    } else {
                        format!("none of the {actions} actions below it is rated")
                    };
                    write!(f, "Not rated because {below}, so {children} {verb} be counted.")
                } else {
                    let verb = if *left_out == 1 { "cannot" } else { "can" };
                    write!(
                        f,
                        "Not rated because {children} {verb} be counted (cancelled, removed or \
                         not rated)."
                    )
                }
            }
            Reason::WithoutOverride(r) => write!(f, "Without the override: {}", r.reason),
            Reason::NotRatedLeftOut { not_rated, actions } => {
                let rest = actions.saturating_sub(*not_rated);
                let (some, verb) = match (*not_rated, *actions) {
                    (1, 1) => ("The one action below it".to_owned(), "is"),
                    (1, n) => (format!("1 of the {n} actions below it"), "is"),
                    (n, m) if n == m => (format!("All {n} actions below it"), "are"),
                    (n, m) => (format!("{n} of the {m} actions below it"), "are"),
                };
                let stands = match rest {
                    0 => "nothing else below it is counted".to_owned(),
                    1 => "the rating stands on the other one".to_owned(),
                    n => format!("the rating stands on the other {n}"),
                };
                write!(f, "{some} {verb} not rated and left out: {stands}.")
            }
            Reason::Divergent { rating, reported } => write!(
                f,
                "The plan reports {reported} here but its parts roll up to {rating}; the \
                 rolled-up {rating} is shown."
            ),
            Reason::MeasureOnTarget(r) => {
                let MeasureOnTargetReason { key, title, value, on, target, tolerance } = &**r;
                // On target, within tolerance of it, or else on its better side.
                let off = (value - target).abs();
                let how = if off == 0.0 {
                    "on".to_owned()
                } else if off <= *tolerance {
                    format!("within {} of", number(*tolerance))
                } else {
                    "better than".to_owned()
                };
                write!(
                    f,
                    "Green because measure {} read {} on {}, {how} its target of {}.",
                    Named(key, title),
                    number(*value),
                    uk_date(*on),
                    number(*target)
                )
            }
            Reason::MeasureOffTarget(r) => {
                let MeasureOffTargetReason { rating, key, title, value, on, target, previous } =
                    &**r;
                let trend = match (previous, rating) {
                    (Some(p), Rating::Amber) => {
                        format!("but improved on the previous reading of {}", number(*p))
                    }
                    (Some(p), _) => {
                        format!("and did not improve on the previous reading of {}", number(*p))
                    }
                    (None, _) => "with no earlier reading to show a trend".to_owned(),
                };
                write!(
                    f,
                    "{rating} because measure {} read {} on {}, off its target of {}, {trend}.",
                    Named(key, title),
                    number(*value),
                    uk_date(*on),
                    number(*target)
                )
            }
            Reason::MeasureNoReading { key, title, as_of } => write!(
                f,
                "Not rated because measure {} has no reading on or before {}.",
                Named(key, title),
                uk_date(*as_of)
            ),
        }
    }
}

/// A node's reasons (or notes) as the engine writes them: most nodes have one, which
/// is held inline rather than in an allocation of its own.
pub(crate) type ReasonVec<'a> = smallvec::SmallVec<[Reason<'a>; 1]>;
