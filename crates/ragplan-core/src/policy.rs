//! The roll-up [`Policy`]: where an action's rating comes from, how children roll up
//! to their parent at each level, and which windows and exclusions apply.
//!
//! A policy is data: it loads from JSON ([`Policy::from_json`]) and every field has a
//! documented default, so `{}` is the default policy.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::document::{DocumentError, from_json_with_path};

/// Where an action's delivery rating comes from (an override always wins).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RatingSource {
    /// The Action RAG as reported in the plan.
    Reported,
    /// The rating worked out from dates, progress, dependencies and updates.
    Derived,
    /// The worse of the reported and the derived rating (the default): a Green typed
    /// next to an overdue action does not survive.
    #[default]
    WorseOf,
}

impl RatingSource {
    /// The snake_case word used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            RatingSource::Reported => "reported",
            RatingSource::Derived => "derived",
            RatingSource::WorseOf => "worse_of",
        }
    }
}

/// What an action with no rating reported and nothing late by its dates is rated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Unreported {
    /// Not rated, flagged `unreported` (the default): unknown is not Green.
    #[default]
    NotRated,
    /// The rating worked out from its dates: Green when nothing is late.
    Derived,
}

impl Unreported {
    /// The snake_case word used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Unreported::NotRated => "not_rated",
            Unreported::Derived => "derived",
        }
    }
}

/// How the counted children of a node roll up to the node's rating.
///
/// In JSON: `"worst_of"`, `"majority"`,
/// `{"mean_score": {"green_from": 3.5, "amber_from": 1.5}}`,
/// `{"share": {"red_from_percent": 25, "green_from_percent": 75}}`.
///
/// Whatever the rule, a counted child marked critical that is Red makes the parent
/// Red, and a parent whose counted children are all complete is complete.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RollupRule {
    /// The worst counted child (the default).
    #[default]
    WorstOf,
    /// The most common rating among the counted children; ties go to the worse.
    Majority,
    /// The weighted mean of the children's scores (Red 0, Amber/Red 1, Amber 2,
    /// Amber/Green 3, Green 4), mapped back: Green from `green_from`, Amber from
    /// `amber_from`, Red below.
    MeanScore {
        /// The lowest mean that is Green (default 3.5).
        #[serde(default = "default_green_from")]
        green_from: f64,
        /// The lowest mean that is Amber (default 1.5).
        #[serde(default = "default_amber_from")]
        amber_from: f64,
    },
    /// Red if at least `red_from_percent` of the counted children are Red; Green if at
    /// least `green_from_percent` are Green and none is Red; Amber otherwise.
    Share {
        /// Share of Red children that makes the parent Red (default 25).
        #[serde(default = "default_red_from_percent")]
        red_from_percent: u8,
        /// Share of Green children that makes the parent Green (default 75).
        #[serde(default = "default_green_from_percent")]
        green_from_percent: u8,
    },
}

fn default_green_from() -> f64 {
    3.5
}
fn default_amber_from() -> f64 {
    1.5
}
fn default_red_from_percent() -> u8 {
    25
}
fn default_green_from_percent() -> u8 {
    75
}

impl RollupRule {
    /// The default `mean_score` rule: Green from 3.5, Amber from 1.5.
    pub const MEAN_SCORE: RollupRule = RollupRule::MeanScore { green_from: 3.5, amber_from: 1.5 };
    /// The default `share` rule: Red from 25 %, Green from 75 %.
    pub const SHARE: RollupRule =
        RollupRule::Share { red_from_percent: 25, green_from_percent: 75 };

    /// The rule's name in JSON: `"worst_of"`, `"majority"`, `"mean_score"`, `"share"`.
    pub fn as_str(&self) -> &'static str {
        match self {
            RollupRule::WorstOf => "worst_of",
            RollupRule::Majority => "majority",
            RollupRule::MeanScore { .. } => "mean_score",
            RollupRule::Share { .. } => "share",
        }
    }
}

impl fmt::Display for RollupRule {
    /// The rule in words: `worst of`, `majority (ties go to the worse)`,
    /// `mean score (Green from 3.5, Amber from 1.5)`,
    /// `share (Red from 25% Red, Green from 75% Green)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RollupRule::WorstOf => f.write_str("worst of"),
            RollupRule::Majority => f.write_str("majority (ties go to the worse)"),
            RollupRule::MeanScore { green_from, amber_from } => {
                write!(f, "mean score (Green from {green_from}, Amber from {amber_from})")
            }
            RollupRule::Share { red_from_percent, green_from_percent } => write!(
                f,
                "share (Red from {red_from_percent}% Red, Green from {green_from_percent}% Green)"
            ),
        }
    }
}

/// When an action counts as behind a straight-line expectation of progress.
///
/// The expected progress on `as_of` is the share of the time between the action's
/// start and due dates that has passed. Progress below `amber_below_percent` of the
/// expected is Amber, below `red_below_percent` Red.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ProgressThresholds {
    /// Below this share of the expected progress an action is Amber (default 90).
    pub amber_below_percent: u8,
    /// Below this share of the expected progress an action is Red (default 70).
    pub red_below_percent: u8,
}

impl Default for ProgressThresholds {
    fn default() -> ProgressThresholds {
        ProgressThresholds { amber_below_percent: 90, red_below_percent: 70 }
    }
}

/// How a plan is rated: the action rating source, one roll-up rule per level, the
/// due-soon and stale windows, and how complete and not-rated ratings count.
///
/// `Policy::default()` is the documented default; JSON fields left out take their
/// default, unknown fields are refused.
///
/// # Example
/// ```
/// use ragplan_core::{Policy, RatingSource, RollupRule};
/// let policy = Policy::from_json(r#"{"source": "reported", "objective": "majority"}"#)?;
/// assert_eq!(policy.source, RatingSource::Reported);
/// assert_eq!(policy.objective, RollupRule::Majority);
/// assert_eq!(policy.due_soon_days, 28);
///
/// let err = Policy::from_json(r#"{"objective": "best_of"}"#).unwrap_err();
/// assert_eq!(err.path, "objective");
/// # Ok::<(), ragplan_core::DocumentError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct Policy {
    /// Where an action's delivery rating comes from (default `worse_of`).
    pub source: RatingSource,
    /// What an action with no reported rating and nothing late by its dates is
    /// (default `not_rated`).
    pub unreported: Unreported,
    /// How actions roll up to their sub-objective (default `worst_of`).
    pub sub_objective: RollupRule,
    /// How sub-objectives and an objective's own actions roll up to it (default
    /// `worst_of`).
    pub objective: RollupRule,
    /// How objectives roll up to the plan (default `worst_of`).
    pub plan: RollupRule,
    /// An action not started and due within this many days is Amber (default 28).
    pub due_soon_days: u32,
    /// An action whose last update is older than this many days is stale (default 92,
    /// one quarter).
    pub stale_days: u32,
    /// Whether a stale action is lowered to Amber (default false: only flagged).
    pub stale_lowers_to_amber: bool,
    /// When progress counts as behind the straight-line expectation.
    pub progress: ProgressThresholds,
    /// Whether a complete child counts as Green in roll-up (default true); when false
    /// it is left out.
    pub complete_counts_as_green: bool,
    /// Whether a not-rated child counts as Amber in roll-up (default false: left out).
    pub not_rated_counts_as_amber: bool,
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            source: RatingSource::WorseOf,
            unreported: Unreported::NotRated,
            sub_objective: RollupRule::WorstOf,
            objective: RollupRule::WorstOf,
            plan: RollupRule::WorstOf,
            due_soon_days: 28,
            stale_days: 92,
            stale_lowers_to_amber: false,
            progress: ProgressThresholds::default(),
            complete_counts_as_green: true,
            not_rated_counts_as_amber: false,
        }
    }
}

impl Policy {
    /// Reads a policy from JSON; fields left out take their default.
    ///
    /// # Errors
    /// [`DocumentError`] naming the JSON path of the first problem (an unknown field,
    /// a rule or source that is not one).
    pub fn from_json(text: &str) -> Result<Policy, DocumentError> {
        from_json_with_path(text)
    }

    /// The policy as pretty JSON with a final newline.
    pub fn to_json(&self) -> String {
        crate::document::to_canonical_json(self)
    }

    /// The policy in words, for the front page of a report.
    ///
    /// # Example
    /// ```
    /// use ragplan_core::Policy;
    /// let words = Policy::default().describe();
    /// assert!(words.starts_with("Action ratings are the worse of the reported and the derived rating."));
    /// ```
    pub fn describe(&self) -> String {
        let source = match self.source {
            RatingSource::Reported => "Action ratings are as reported in the plan.",
            RatingSource::Derived => {
                "Action ratings are worked out from dates, progress, dependencies and updates."
            }
            RatingSource::WorseOf => {
                "Action ratings are the worse of the reported and the derived rating."
            }
        };
        let complete = if self.complete_counts_as_green {
            "complete counts as Green"
        } else {
            "complete is left out"
        };
        let not_rated = if self.not_rated_counts_as_amber {
            "not rated counts as Amber"
        } else {
            "not rated is left out"
        };
        let stale = if self.stale_lowers_to_amber { " and lowered to Amber" } else { "" };
        let unreported = match self.unreported {
            Unreported::NotRated => {
                " An action with no rating reported and nothing late by its dates is Not rated."
            }
            Unreported::Derived => {
                " An action with no rating reported is rated by its dates: Green when nothing is late."
            }
        };
        format!(
            "{source}{unreported} Overridden ratings stand. Sub-objectives roll up by {}, objectives by {}, \
             the plan by {}; a Red critical child makes its parent Red. In roll-up {complete}, \
             {not_rated}, and cancelled actions are left out. An action past its due date is \
             Red; one not started and due within {} days is Amber; progress below {}% of the \
             expected is Amber and below {}% Red; an action depending on a Red or overdue \
             action is at least Amber; an action with no update for {} days is stale{stale}; \
             due soon with its status unknown is flagged, not lowered.",
            self.sub_objective,
            self.objective,
            self.plan,
            self.due_soon_days,
            self.progress.amber_below_percent,
            self.progress.red_below_percent,
            self.stale_days,
        )
    }
}
