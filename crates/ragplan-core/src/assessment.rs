//! The result of rating a plan: the [`Assessment`], written as the
//! `ragplan-assessment/1` JSON document, and [`assess`], which makes it.

use std::borrow::Cow;
use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::key::{Key, PlanId};
use crate::plan::Plan;
use crate::policy::Policy;
use crate::rating::Rating;
use crate::ratings::Ratings;
use crate::reason::Reason;

/// The format name of the assessment document.
pub const ASSESSMENT_FORMAT: &str = "ragplan-assessment/1";

/// The `"format": "ragplan-assessment/1"` field. Deserialising any other value is an
/// error.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct AssessmentFormat;

impl Serialize for AssessmentFormat {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(ASSESSMENT_FORMAT)
    }
}

impl<'de> Deserialize<'de> for AssessmentFormat {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<AssessmentFormat, D::Error> {
        let text = Cow::<'de, str>::deserialize(d)?;
        if text == ASSESSMENT_FORMAT {
            Ok(AssessmentFormat)
        } else {
            Err(serde::de::Error::custom(format_args!(
                "format {text:?} is not supported (expected {ASSESSMENT_FORMAT:?})"
            )))
        }
    }
}

impl fmt::Display for AssessmentFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(ASSESSMENT_FORMAT)
    }
}

/// Which plan an assessment is of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanRef {
    /// The plan's id.
    pub id: PlanId,
    /// The plan's title.
    pub title: String,
}

/// What a node in the assessment is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Flag {
    /// Past its due date and not complete.
    Overdue,
    /// Not started and due within the due-soon window.
    DueSoon,
    /// Progress behind the straight-line expectation.
    BehindSchedule,
    /// Depends on an action that is Red or overdue.
    Blocked,
    /// No update within the stale window.
    Stale,
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
    pub const ALL: [Flag; 10] = [
        Flag::Overdue,
        Flag::DueSoon,
        Flag::BehindSchedule,
        Flag::Blocked,
        Flag::Stale,
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
            Flag::BehindSchedule => "behind_schedule",
            Flag::Blocked => "blocked",
            Flag::Stale => "stale",
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
            Flag::BehindSchedule => "behind schedule",
            Flag::Blocked => "blocked",
            Flag::Stale => "stale",
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
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
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

/// A node's rating on one dimension (delivery or outcome), with the counts of the
/// actions below it and the reasons for the rating.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DimensionAssessment {
    /// The effective rating.
    pub rating: Rating,
    /// The rating the plan reports for the node, when it reports one. For a parent
    /// that differs from `rating`, the node is flagged divergent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported: Option<Rating>,
    /// The actions below the node (an action counts itself) by their effective
    /// rating on this dimension; cancelled and removed actions are not counted.
    pub counts: RatingCounts,
    /// Why the node has this rating: never empty.
    pub reasons: Vec<Reason>,
}

/// One node of the plan as assessed: its ratings, flags and children.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeAssessment {
    /// The node's key.
    pub key: Key,
    /// What the node is.
    pub kind: NodeKind,
    /// The node's title.
    pub title: String,
    /// Delivery: the Action RAG and its roll-up.
    pub delivery: DimensionAssessment,
    /// Outcome: the Outcome RAG (or the node's measures) and its roll-up.
    pub outcome: DimensionAssessment,
    /// Flags, in [`Flag::ALL`] order.
    #[serde(default)]
    pub flags: Vec<Flag>,
    /// The node's children in plan order: an objective's own actions first, then its
    /// sub-objectives.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<NodeAssessment>,
}

impl NodeAssessment {
    /// Whether the node carries `flag`.
    pub fn has(&self, flag: Flag) -> bool {
        self.flags.contains(&flag)
    }
}

/// A plan rated as of a date under a policy: the `ragplan-assessment/1` document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assessment {
    /// Always `"ragplan-assessment/1"`.
    pub format: AssessmentFormat,
    /// The plan assessed.
    pub plan: PlanRef,
    /// The date the plan was rated as of.
    pub as_of: NaiveDate,
    /// The policy it was rated under.
    pub policy: Policy,
    /// The plan's delivery rating.
    pub delivery: DimensionAssessment,
    /// The plan's outcome rating.
    pub outcome: DimensionAssessment,
    /// The objectives, in plan order, each with its children.
    pub nodes: Vec<NodeAssessment>,
    /// What validation found in the plan.
    pub lints: Vec<crate::validate::Lint>,
}

impl Assessment {
    /// The node with `key`, if any (the first in plan order).
    pub fn node(&self, key: &Key) -> Option<&NodeAssessment> {
        self.walk().find(|n| &n.key == key)
    }

    /// Every node, depth-first in plan order: an objective, then its children.
    pub fn walk(&self) -> impl Iterator<Item = &NodeAssessment> {
        Walk { stack: vec![self.nodes.iter()] }
    }

    /// Every action node, in plan order.
    pub fn actions(&self) -> impl Iterator<Item = &NodeAssessment> {
        self.walk().filter(|n| n.kind == NodeKind::Action)
    }

    /// Reads an assessment document. Reasons read back are [`Reason::Stated`].
    ///
    /// # Errors
    /// [`crate::DocumentError`] naming the JSON path of the first problem.
    pub fn from_json(text: &str) -> Result<Assessment, crate::DocumentError> {
        crate::document::from_json_with_path(text)
    }

    /// The document as pretty JSON with a final newline.
    pub fn to_json(&self) -> String {
        crate::document::to_canonical_json(self)
    }
}

struct Walk<'a> {
    stack: Vec<std::slice::Iter<'a, NodeAssessment>>,
}

impl<'a> Iterator for Walk<'a> {
    type Item = &'a NodeAssessment;

    fn next(&mut self) -> Option<&'a NodeAssessment> {
        loop {
            let top = self.stack.last_mut()?;
            match top.next() {
                Some(node) => {
                    if !node.children.is_empty() {
                        self.stack.push(node.children.iter());
                    }
                    return Some(node);
                }
                None => {
                    self.stack.pop();
                }
            }
        }
    }
}

/// The RAG engine, for callers who prefer a type to a free function.
#[derive(Debug, Clone, Copy, Default)]
pub struct Engine;

impl Engine {
    /// Same as [`assess`].
    pub fn assess(plan: &Plan, policy: &Policy, as_of: NaiveDate) -> Assessment {
        assess(plan, policy, as_of)
    }

    /// Same as [`rate`].
    pub fn rate<'a>(plan: &'a Plan, policy: &'a Policy, as_of: NaiveDate) -> Ratings<'a> {
        rate(plan, policy, as_of)
    }
}

/// Rates every action, sub-objective, objective and the plan on delivery and outcome
/// as of `as_of`, under `policy`, into compact [`Ratings`] whose reasons are written,
/// and whose plan is validated, on request.
///
/// Pure and deterministic, like [`assess`], which is this followed by
/// [`Ratings::to_assessment`].
pub fn rate<'a>(plan: &'a Plan, policy: &'a Policy, as_of: NaiveDate) -> Ratings<'a> {
    Ratings::new(plan, policy, as_of)
}

/// Rates every action, sub-objective, objective and the plan on delivery and outcome
/// as of `as_of`, under `policy`, with reasons, and validates the plan.
///
/// Pure and deterministic: nothing reads the clock; the same inputs give the same
/// output.
pub fn assess(plan: &Plan, policy: &Policy, as_of: NaiveDate) -> Assessment {
    Ratings::new(plan, policy, as_of).to_assessment()
}
