//! The model of a multi-agency action plan: [`Plan`] → [`Objective`] →
//! [`SubObjective`] → [`Action`], with [`Measure`]s, owners, partners, a dated log of
//! [`Update`]s and [`Override`]s.
//!
//! Every field a source had is kept: text with no field of its own goes to the node's
//! `unmapped` notes.

use std::collections::BTreeMap;
use std::fmt;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::apply::ApplyError;
use crate::document::FormatTag;
use crate::key::{Key, PlanId};
use crate::log::UpdateLog;
use crate::rating::{Rating, Scale, Status};
use crate::timescale::Timescale;

fn is_false(b: &bool) -> bool {
    !*b
}

/// A multi-agency action plan: a strategy's objectives, their sub-objectives and
/// actions, rated on one [`Scale`].
///
/// Serialises to the canonical `ragplan/2` JSON document; see
/// [`Plan::from_json`] and [`Plan::to_json`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// `"ragplan/2"` when written; `"ragplan/1"` is read too.
    pub format: FormatTag,
    /// The plan's identifier.
    pub id: PlanId,
    /// The plan's title.
    pub title: String,
    /// The body that owns the plan, such as a Local Safeguarding Children Board.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_body: Option<String>,
    /// The period the plan covers ("March 2015 – March 2017").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<Timescale>,
    /// The rating scale the plan uses.
    #[serde(default)]
    pub scale: Scale,
    /// The date the plan's ratings were reported as a whole (the date of the paper
    /// or tracker they came from): an action's last report when it has no update.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported_on: Option<NaiveDate>,
    /// Professional judgements on the plan's own rating, oldest first: the record of
    /// every one made and withdrawn.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<Override>,
    /// Strands or themes that group the plan's work ("prevent", "pursue", "protect").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub strands: Vec<String>,
    /// Labels that place the plan among others, for a portfolio to be filtered by:
    /// its region, board, theme ("west-midlands", "coventry-lscb", "cse"), as the
    /// user writes them. A portfolio's `tag` matches one of them whole, ignoring case
    /// and surrounding space.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// The strategy objectives, in plan order.
    #[serde(default, skip_serializing_if = "Vec::is_empty", deserialize_with = "exact")]
    pub objectives: Vec<Objective>,
    /// Anything else the source said about the plan, kept as found, and what an
    /// importer keeps for export and re-import (its column layout, where its keys
    /// came from): each a JSON value, a string or a structure. A `ragplan/1` or
    /// earlier `ragplan/2` document's string values read as they are.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[schemars(with = "BTreeMap<String, serde_json::Value>")]
    pub metadata: BTreeMap<String, serde_json::Value>,
    /// The change log: every edit of a node's own fields ([`Plan::edit`]), oldest
    /// first, with each field's value before and after.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub edits: Vec<crate::edit::Edit>,
}

/// A strategy objective (or a recommendation, or a theme grouping recommendations).
///
/// It may hold sub-objectives, actions directly (a recommendation with its actions),
/// or both.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Objective {
    /// Stable key: `"1"`, or the plan's own numbering such as `"R7"`.
    pub key: Key,
    /// The objective's title.
    pub title: String,
    /// Longer text that goes with the title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The strand or theme the objective belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strand: Option<String>,
    /// Rating and weight the plan gives the objective itself.
    #[serde(flatten)]
    pub node: NodeRatings,
    /// Sub-objectives, in plan order.
    #[serde(default, skip_serializing_if = "Vec::is_empty", deserialize_with = "exact")]
    pub sub_objectives: Vec<SubObjective>,
    /// Actions held directly by the objective.
    #[serde(default, skip_serializing_if = "Vec::is_empty", deserialize_with = "exact")]
    pub actions: Vec<Action>,
    /// Indicators that rate the objective's outcome.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub measures: Vec<Measure>,
    /// Source text with no field of its own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unmapped: Vec<UnmappedNote>,
}

/// A sub-objective of an [`Objective`], holding actions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SubObjective {
    /// Stable key: `"1.2"`, or the plan's own numbering.
    pub key: Key,
    /// The sub-objective's title.
    pub title: String,
    /// Longer text that goes with the title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Rating and weight the plan gives the sub-objective itself.
    #[serde(flatten)]
    pub node: NodeRatings,
    /// Actions, in plan order.
    #[serde(default, skip_serializing_if = "Vec::is_empty", deserialize_with = "exact")]
    pub actions: Vec<Action>,
    /// Indicators that rate the sub-objective's outcome.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub measures: Vec<Measure>,
    /// Source text with no field of its own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unmapped: Vec<UnmappedNote>,
}

/// What a plan says of a parent node itself: its reported ratings, and how it counts
/// in its own parent's roll-up.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NodeRatings {
    /// The delivery rating the plan reports for the node (compared with the rolled-up
    /// one; a disagreement is flagged divergent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported_delivery: Option<Rating>,
    /// The outcome rating the plan reports for the node.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported_outcome: Option<Rating>,
    /// Weight in a `mean_score` roll-up (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<u32>,
    /// A critical node that is Red makes its parent Red under every rule.
    #[serde(default, skip_serializing_if = "is_false")]
    pub critical: bool,
    /// Professional judgements on the node's delivery rating, oldest first: the
    /// record of every one made and withdrawn.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<Override>,
    /// Set when the node was taken out of the plan ([`Plan::remove_node`]): it is
    /// kept, marked, with every action under it, and left out of roll-up.
    #[serde(default, skip_serializing_if = "is_false")]
    pub removed: bool,
}

/// One action of a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Action {
    /// Stable key: `"1.2.3"`, or the plan's own numbering such as `"6a"`.
    pub key: Key,
    /// What is to be done, as the source wrote it.
    pub title: String,
    /// Longer text that goes with the title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The delivery rating as reported (the "Action RAG").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action_rag: Option<Rating>,
    /// The outcome rating as reported (the "Outcome RAG").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome_rag: Option<Rating>,
    /// Where the action stands, when the source said; `None` when it did not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// Progress in percent (0–100), as last reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub progress: Option<u8>,
    /// The progress note the source reported with the action (a tracker's
    /// `Comments`, `Commentary` or `Progress update`): what a report shows as the
    /// action's latest note until an update gives one ([`Action::latest_note`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// When work started or is planned to start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<NaiveDate>,
    /// When the action is due, as written and as resolved.
    #[serde(default)]
    pub timescale: Timescale,
    /// When ongoing or recurring work is next reviewed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_date: Option<NaiveDate>,
    /// The senior people or bodies answerable for the action.
    #[serde(default, skip_serializing_if = "Vec::is_empty", deserialize_with = "exact")]
    pub accountable: Vec<Owner>,
    /// The officers or teams who do the work.
    #[serde(default, skip_serializing_if = "Vec::is_empty", deserialize_with = "exact")]
    pub responsible: Vec<Owner>,
    /// The agencies the action relies on ("Education", "Health", "Police").
    #[serde(default, skip_serializing_if = "Vec::is_empty", deserialize_with = "exact")]
    pub partners: Vec<String>,
    /// What shows the action is done: minutes, a register, a published tool.
    #[serde(default, skip_serializing_if = "Vec::is_empty", deserialize_with = "exact")]
    pub evidence: Vec<String>,
    /// The intended effects.
    #[serde(default, skip_serializing_if = "Vec::is_empty", deserialize_with = "exact")]
    pub outcomes: Vec<String>,
    /// Keys of the actions that must be done first.
    #[serde(default, skip_serializing_if = "Vec::is_empty", deserialize_with = "exact")]
    pub depends_on: Vec<Key>,
    /// The dated log of progress updates, oldest first.
    #[serde(default, skip_serializing_if = "UpdateLog::is_empty")]
    pub updates: UpdateLog,
    /// Professional judgements that replace the computed delivery rating, oldest
    /// first: the record of every one made and withdrawn. The one in force on a date
    /// is [`Action::override_on`]. A `ragplan/1` document's single `override` is read
    /// as a one-entry record.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        alias = "override",
        deserialize_with = "one_or_many"
    )]
    pub overrides: Vec<Override>,
    /// Weight in a `mean_score` roll-up (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<u32>,
    /// A critical action that is Red makes its parent Red under every rule.
    #[serde(default, skip_serializing_if = "is_false")]
    pub critical: bool,
    /// Set when the action was taken out of the plan ([`Plan::remove_node`]), or a
    /// newer version of the plan no longer had it: it is kept, marked, and left out
    /// of roll-up.
    #[serde(default, skip_serializing_if = "is_false")]
    pub removed: bool,
    /// What the action said before its first update changed it: the rating, status
    /// and progress the source reported, which [`Plan::as_at`] restores for a date
    /// before any update set them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imported: Option<Imported>,
    /// Source text with no field of its own.
    #[serde(default, skip_serializing_if = "Vec::is_empty", deserialize_with = "exact")]
    pub unmapped: Vec<UnmappedNote>,
}

/// What an action said before its first update: kept so that the plan as it stood
/// before that update shows what the source reported, not nothing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Imported {
    /// The delivery rating the source reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action_rag: Option<Rating>,
    /// The outcome rating the source reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome_rag: Option<Rating>,
    /// The status the source gave.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// The progress the source gave.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub progress: Option<u8>,
}

/// Reads a list into a buffer of its length ([`fit_list`]): a list read from JSON
/// grows by doubling, as its length is not known before its end.
fn exact<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    let mut read = Vec::<T>::deserialize(d)?;
    fit_list(&mut read);
    Ok(read)
}

/// Moves `list` into a buffer of its length when it holds more room than that. A
/// list grown by doubling holds up to twice what it needs, and `shrink_to_fit` may
/// leave a block where it is: an allocator (mimalloc's among them) keeps a block shrunk
/// by less than half, so ten actions would hold the room of sixteen and one owner the
/// room of four, which in a plan of a million actions is hundreds of megabytes. The
/// move costs a copy of each entry's bytes (an action is 360).
pub fn fit_list<T>(list: &mut Vec<T>) {
    if list.capacity() > list.len() {
        let mut fitted = Vec::with_capacity(list.len());
        fitted.append(list);
        *list = fitted;
    }
}

/// Reads a list, or one value as a one-entry list (a `ragplan/1` `override`).
fn one_or_many<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    // Read as a value first, so that an error inside says what is wrong ("missing
    // field `justification`") rather than that no form matched.
    let value = serde_json::Value::deserialize(d)?;
    // `"override": null` was a `ragplan/1` document's way of saying none.
    if value.is_null() {
        return Ok(Vec::new());
    }
    let one_or_many = if value.is_array() {
        Vec::<T>::deserialize(value)
    } else {
        T::deserialize(value).map(|one| vec![one])
    };
    one_or_many.map_err(serde::de::Error::custom)
}

/// Who holds an action: a named person, or a role, team or agency ("WMP",
/// "Workforce development").
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct Owner {
    /// The name as written.
    pub name: String,
    /// A person, or a role or team.
    #[serde(default)]
    pub kind: OwnerKind,
}

/// Whether an [`Owner`] is a person or a role/team.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum OwnerKind {
    /// A named person.
    #[default]
    Person,
    /// A role, team, service or agency.
    Role,
}

impl Owner {
    /// A named person.
    pub fn person(name: impl Into<String>) -> Owner {
        Owner { name: name.into(), kind: OwnerKind::Person }
    }

    /// A role, team or agency.
    pub fn role(name: impl Into<String>) -> Owner {
        Owner { name: name.into(), kind: OwnerKind::Role }
    }
}

impl fmt::Display for Owner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

/// A dated entry in an action's log: who reported what, when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Update {
    /// The date of the update.
    pub on: NaiveDate,
    /// Who made it.
    pub by: String,
    /// The delivery rating reported with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery: Option<Rating>,
    /// The outcome rating reported with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Rating>,
    /// The status reported with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// Progress in percent (0–100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub progress: Option<u8>,
    /// The progress note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Evidence added with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
}

impl Update {
    /// An update with only its date and author set.
    pub fn new(on: NaiveDate, by: impl Into<String>) -> Update {
        Update {
            on,
            by: by.into(),
            delivery: None,
            outcome: None,
            status: None,
            progress: None,
            note: None,
            evidence: None,
        }
    }
}

/// A professional judgement that replaces a computed rating, with who made it, when
/// and why, and its withdrawal if it was withdrawn. It is never deleted: a node keeps
/// every override made, and the one in force on a date is the latest made on or
/// before it and not withdrawn by then ([`Override::in_force`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Override {
    /// The rating that stands.
    pub rating: Rating,
    /// Who made the judgement.
    pub by: String,
    /// When.
    pub on: NaiveDate,
    /// Why: the recorded professional judgement.
    pub justification: String,
    /// Who withdrew the judgement, when and why, if it was withdrawn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn: Option<Withdrawal>,
}

/// The withdrawal of an [`Override`]: from its date on, the override no longer stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Withdrawal {
    /// Who withdrew it.
    pub by: String,
    /// When.
    pub on: NaiveDate,
    /// Why.
    pub justification: String,
}

impl Override {
    /// An override; refused when the justification or author is blank (the same
    /// check as [`Plan::set_override`]'s).
    ///
    /// # Errors
    /// [`ApplyError`] listing each blank part with its field.
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// use ragplan_core::{Override, Rating};
    /// let on = NaiveDate::from_ymd_opt(2015, 6, 1).unwrap();
    /// assert!(Override::new(Rating::Amber, "Chair", on, "Police data shows risk").is_ok());
    /// let err = Override::new(Rating::Amber, " ", on, "  ").unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "the override was refused: by: say who made the judgement; justification: record why the rating differs"
    /// );
    /// ```
    pub fn new(
        rating: Rating,
        by: impl Into<String>,
        on: NaiveDate,
        justification: impl Into<String>,
    ) -> Result<Override, ApplyError> {
        let ov = Override {
            rating,
            by: by.into(),
            on,
            justification: justification.into(),
            withdrawn: None,
        };
        crate::apply::check_override(&ov)?;
        Ok(ov)
    }

    /// Whether the override stands on `date`: made on or before it, and not withdrawn
    /// by then.
    pub fn stands_on(&self, date: NaiveDate) -> bool {
        self.on <= date && self.withdrawn.as_ref().is_none_or(|w| w.on > date)
    }

    /// The override of a record in force on `date`: the latest made on or before it
    /// and not withdrawn by then (of two made on one day, the later recorded).
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// use ragplan_core::{Override, Rating, Withdrawal};
    /// let day = |m, d| NaiveDate::from_ymd_opt(2015, m, d).unwrap();
    /// let amber = Override::new(Rating::Amber, "Chair", day(3, 1), "Police data").unwrap();
    /// let green = Override::new(Rating::Green, "Chair", day(5, 1), "Agreement signed").unwrap();
    /// let mut record = vec![amber, green];
    /// record[1].withdrawn = Some(Withdrawal { by: "Chair".into(), on: day(8, 1), justification: "Lapsed".into() });
    /// assert_eq!(Override::in_force(&record, day(2, 1)), None);
    /// assert_eq!(Override::in_force(&record, day(3, 31)).map(|o| o.rating), Some(Rating::Amber));
    /// assert_eq!(Override::in_force(&record, day(6, 30)).map(|o| o.rating), Some(Rating::Green));
    /// // Withdrawn on 1 August: the Amber made before it does not come back.
    /// assert_eq!(Override::in_force(&record, day(9, 30)), None);
    /// ```
    pub fn in_force(record: &[Override], date: NaiveDate) -> Option<&Override> {
        // The latest made on or before the date decides: an earlier one it replaced
        // does not come back when it is withdrawn.
        let latest = record
            .iter()
            .enumerate()
            .filter(|(_, o)| o.on <= date)
            .max_by_key(|(i, o)| (o.on, *i))
            .map(|(_, o)| o)?;
        latest.stands_on(date).then_some(latest)
    }
}

/// A performance indicator that rates the outcome dimension of its parent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Measure {
    /// Stable key.
    pub key: Key,
    /// What is measured.
    pub title: String,
    /// Unit of the readings ("%", "referrals").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// The target value.
    pub target: f64,
    /// Whether higher or lower readings are better.
    pub direction: Direction,
    /// How far from the target a reading may be and still count as on target, in the
    /// reading's unit.
    #[serde(default)]
    pub tolerance: f64,
    /// Dated readings, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub readings: Vec<Reading>,
}

/// Which way a [`Measure`] should move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Higher readings are better.
    HigherIsBetter,
    /// Lower readings are better.
    LowerIsBetter,
}

/// One dated value of a [`Measure`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Reading {
    /// When the value was taken.
    pub on: NaiveDate,
    /// The value.
    pub value: f64,
    /// A note on the reading.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Source text with no field of its own, kept on the node it came with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UnmappedNote {
    /// Where the text came from, such as the source column's header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The text as found.
    pub text: String,
}

impl Plan {
    /// An empty plan on the RAG scale.
    pub fn new(id: PlanId, title: impl Into<String>) -> Plan {
        Plan {
            format: FormatTag,
            id,
            title: title.into(),
            owner_body: None,
            period: None,
            scale: Scale::default(),
            reported_on: None,
            overrides: Vec::new(),
            strands: Vec::new(),
            tags: Vec::new(),
            objectives: Vec::new(),
            metadata: BTreeMap::new(),
            edits: Vec::new(),
        }
    }

    /// Whether one of the plan's [`Plan::tags`] is `tag`, ignoring case and
    /// surrounding space.
    ///
    /// # Example
    /// ```
    /// use ragplan_core::{Plan, PlanId};
    /// let mut plan = Plan::new(PlanId::new("coventry")?, "Coventry CSE plan");
    /// plan.tags = vec!["West Midlands".into(), "cse".into()];
    /// assert!(plan.has_tag(" west midlands "));
    /// assert!(!plan.has_tag("west"));
    /// # Ok::<(), ragplan_core::IdError>(())
    /// ```
    pub fn has_tag(&self, tag: &str) -> bool {
        let tag = tag.trim().to_lowercase();
        self.tags.iter().any(|t| t.trim().to_lowercase() == tag)
    }

    /// Whether a portfolio filtered by `tag` keeps the plan: every plan when no tag
    /// or a blank one is given, else the plans that [`Plan::has_tag`] it.
    ///
    /// # Example
    /// ```
    /// use ragplan_core::{Plan, PlanId};
    /// let mut plan = Plan::new(PlanId::new("coventry")?, "Coventry CSE plan");
    /// plan.tags = vec!["cse".into()];
    /// assert!(plan.kept_by_tag(None) && plan.kept_by_tag(Some(" ")) && plan.kept_by_tag(Some("CSE")));
    /// assert!(!plan.kept_by_tag(Some("north")));
    /// # Ok::<(), ragplan_core::IdError>(())
    /// ```
    pub fn kept_by_tag(&self, tag: Option<&str>) -> bool {
        tag.map(str::trim).filter(|t| !t.is_empty()).is_none_or(|t| self.has_tag(t))
    }

    /// Every action of the plan, in plan order: an objective's own actions first,
    /// then those of its sub-objectives.
    pub fn actions(&self) -> impl Iterator<Item = &Action> {
        self.objectives.iter().flat_map(|o| {
            o.actions.iter().chain(o.sub_objectives.iter().flat_map(|s| s.actions.iter()))
        })
    }

    /// Every action of the plan, mutably, in the order of [`Plan::actions`].
    pub fn actions_mut(&mut self) -> impl Iterator<Item = &mut Action> {
        self.objectives.iter_mut().flat_map(|o| {
            o.actions
                .iter_mut()
                .chain(o.sub_objectives.iter_mut().flat_map(|s| s.actions.iter_mut()))
        })
    }

    /// The action with `key`, if any.
    pub fn action(&self, key: &Key) -> Option<&Action> {
        self.actions().find(|a| &a.key == key)
    }

    /// The action with `key`, mutably, if any.
    pub fn action_mut(&mut self, key: &Key) -> Option<&mut Action> {
        self.actions_mut().find(|a| &a.key == key)
    }

    /// How many actions the plan holds.
    pub fn n_actions(&self) -> usize {
        self.actions().count()
    }
}

impl Objective {
    /// An objective with only its key and title set.
    pub fn new(key: Key, title: impl Into<String>) -> Objective {
        Objective {
            key,
            title: title.into(),
            description: None,
            strand: None,
            node: NodeRatings::default(),
            sub_objectives: Vec::new(),
            actions: Vec::new(),
            measures: Vec::new(),
            unmapped: Vec::new(),
        }
    }
}

impl SubObjective {
    /// A sub-objective with only its key and title set.
    pub fn new(key: Key, title: impl Into<String>) -> SubObjective {
        SubObjective {
            key,
            title: title.into(),
            description: None,
            node: NodeRatings::default(),
            actions: Vec::new(),
            measures: Vec::new(),
            unmapped: Vec::new(),
        }
    }
}

impl Action {
    /// An action with only its key and title set: no status, no timescale.
    pub fn new(key: Key, title: impl Into<String>) -> Action {
        Action {
            key,
            title: title.into(),
            description: None,
            action_rag: None,
            outcome_rag: None,
            status: None,
            progress: None,
            note: None,
            start: None,
            timescale: Timescale::default(),
            review_date: None,
            accountable: Vec::new(),
            responsible: Vec::new(),
            partners: Vec::new(),
            evidence: Vec::new(),
            outcomes: Vec::new(),
            depends_on: Vec::new(),
            updates: UpdateLog::new(),
            overrides: Vec::new(),
            weight: None,
            critical: false,
            removed: false,
            imported: None,
            unmapped: Vec::new(),
        }
    }

    /// Whether the action is left out of roll-up, counts and the owner and
    /// timescale checks: cancelled, or no longer in the plan.
    pub fn is_left_out(&self) -> bool {
        self.removed || self.status == Some(Status::Cancelled)
    }

    /// Whether the action is complete, as its latest report says: the latest update
    /// that gives a status or a delivery rating decides — its status, or with none
    /// whether its rating is Complete (Blue) — and with no such update, the source's
    /// status, or with none its reported rating. A status on the same row as a
    /// Complete rating wins; the plan's validation names the conflict.
    pub fn is_complete(&self) -> bool {
        let latest = self.updates.iter().rev().find_map(|u| match (u.status, u.delivery) {
            (Some(status), _) => Some(status == Status::Complete),
            (None, Some(rating)) => Some(rating == Rating::Complete),
            (None, None) => None,
        });
        latest.unwrap_or(match self.status {
            Some(status) => status == Status::Complete,
            None => self.action_rag == Some(Rating::Complete),
        })
    }

    /// Whether the source reported a delivery rating: one that is not Not rated.
    pub fn is_reported(&self) -> bool {
        self.action_rag.is_some_and(|r| r != Rating::NotRated)
    }

    /// The override in force on `date` ([`Override::in_force`]).
    pub fn override_on(&self, date: NaiveDate) -> Option<&Override> {
        Override::in_force(&self.overrides, date)
    }

    /// The note of the latest update that has one (the later logged of two on one
    /// day), or with none the progress note the source reported ([`Action::note`]).
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// use ragplan_core::{Action, Key, Update};
    /// let mut action = Action::new(Key::new("1.1")?, "Agree the protocol");
    /// action.note = Some("Funding not agreed".into());
    /// assert_eq!(action.latest_note(), Some("Funding not agreed"));
    /// let mut update = Update::new(NaiveDate::from_ymd_opt(2015, 7, 1).unwrap(), "Lead");
    /// update.note = Some("Funding agreed".into());
    /// action.updates.push(update);
    /// assert_eq!(action.latest_note(), Some("Funding agreed"));
    /// # Ok::<(), ragplan_core::IdError>(())
    /// ```
    pub fn latest_note(&self) -> Option<&str> {
        self.updates
            .iter()
            .enumerate()
            .filter_map(|(i, u)| {
                u.note.as_deref().filter(|n| !n.trim().is_empty()).map(|n| (u.on, i, n))
            })
            .max_by_key(|(on, i, _)| (*on, *i))
            .map(|(_, _, n)| n)
            .or_else(|| self.note.as_deref().filter(|n| !n.trim().is_empty()))
    }

    /// The date of the latest update, if any.
    pub fn last_update_on(&self) -> Option<NaiveDate> {
        self.updates.iter().map(|u| u.on).max()
    }

    /// The date the action was last reported on: its latest update, or failing that
    /// the date the plan as a whole was reported (`reported_on`).
    pub fn last_reported_on(&self, reported_on: Option<NaiveDate>) -> Option<NaiveDate> {
        self.last_update_on().or(reported_on)
    }
}
