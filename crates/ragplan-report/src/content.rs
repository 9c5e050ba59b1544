//! The report's content: one [`Report`] value that every format renders, and that is
//! itself the `json` format (`"format": "ragplan-report/1"`).
//!
//! Templates (the shipped ones and a council's own, see [`crate::template`]) see exactly
//! these fields, so the field names are a promise: add, never rename.

use std::sync::Arc;

use chrono::NaiveDate;
use ragplan_core::{Rating, RatingCounts, Ratings, Scale};
use serde::Serialize;
use serde::ser::{SerializeSeq as _, Serializer};

use crate::chip::Chip;

/// The `format` tag of the report's JSON.
pub const REPORT_FORMAT: &str = "ragplan-report/1";

/// Everything a progress report says, ready to render.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report<'r> {
    /// Always [`REPORT_FORMAT`].
    pub format: &'static str,
    /// The report's title (the plan's title unless one was given).
    pub title: String,
    /// The plan reported on.
    pub plan: PlanInfo,
    /// The date the report is made as of.
    pub as_of: NaiveDate,
    /// `as_of` as a reader writes it: `"30 June 2015"`.
    pub as_of_text: String,
    /// The UK financial quarter holding `as_of`: `"Q1 2015/16"`.
    pub quarter: String,
    /// The date of the previous report compared with, if any.
    pub previous_as_of: Option<NaiveDate>,
    /// `previous_as_of` as a reader writes it.
    pub previous_as_of_text: Option<String>,
    /// The rating policy, named in words.
    pub policy: String,
    /// The plan's ratings with their counts.
    pub headline: Headline,
    /// What moved since the previous report (absent when there is none).
    pub movement: Option<MovementSection>,
    /// Exceptions, one group per kind, every kind present (possibly empty), in the
    /// order of [`ExceptionKind::ALL`].
    pub exceptions: Vec<ExceptionGroup>,
    /// One section per objective, in plan order.
    pub objectives: Vec<ObjectiveSection>,
    /// What each accountable owner holds, by name.
    pub owners: Vec<HolderSummary>,
    /// What each partner agency is involved in, by name.
    pub partners: Vec<HolderSummary>,
    /// Delivery counts at the end of each quarter the plan's history covers, oldest
    /// first; empty when the plan has no history before this quarter.
    pub trend: Vec<TrendPoint>,
    /// One row per action, in plan order (the CSV and the spreadsheet's Actions sheet);
    /// empty when built without them ([`crate::ReportOptions::action_rows`]).
    pub actions: ActionRows<'r>,
}

/// A count of actions in words: `"1 action"`, `"2 actions"` (the `actions` filter of
/// the templates, and the tree of `ragplan status`).
pub fn actions_text(n: u64) -> String {
    ragplan_core::count(n, "action")
}

/// The `format` tag of a summary's JSON.
pub const SUMMARY_FORMAT: &str = "ragplan-summary/1";

/// A plan in brief, for plans too big to read whole: the plan's and each objective's
/// ratings with their counts and reasons, the data gaps, and the exceptions of each
/// kind counted, the first [`Summary::ITEMS_PER_KIND`] of each named. Built by
/// [`Summary::build`]; `ragplan status --summary` prints it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// Always [`SUMMARY_FORMAT`].
    pub format: &'static str,
    /// The plan summarised.
    pub plan: PlanInfo,
    /// The date it was rated as of.
    pub as_of: NaiveDate,
    /// `as_of` as a reader writes it: `"30 June 2015"`.
    pub as_of_text: String,
    /// The rating policy, named in words.
    pub policy: String,
    /// The plan's ratings, the actions counted and the data gaps.
    pub headline: Headline,
    /// Each objective's ratings, in plan order.
    pub objectives: Vec<ObjectiveSummary>,
    /// Exceptions, one group per kind, every kind present, in the order of
    /// [`ExceptionKind::ALL`]: each counted in full, with its first items.
    pub exceptions: Vec<ExceptionGroup>,
}

/// An objective in a [`Summary`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ObjectiveSummary {
    /// The objective's key.
    pub key: String,
    /// Its title.
    pub title: String,
    /// Its delivery rating, counts and reasons.
    pub delivery: DimensionView,
    /// Its outcome rating, counts and reasons.
    pub outcome: DimensionView,
}

/// The plan a report is about.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanInfo {
    /// The plan's identifier.
    pub id: String,
    /// The plan's title.
    pub title: String,
    /// The body that owns the plan (an LSCB).
    pub owner_body: Option<String>,
    /// The period the plan covers, as written.
    pub period: Option<String>,
    /// The rating scale.
    pub scale: Scale,
    /// How many actions the plan holds (removed ones not counted).
    pub n_actions: usize,
}

/// The plan's delivery and outcome ratings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Headline {
    /// Is the work being delivered?
    pub delivery: DimensionView,
    /// Is the work having its intended effect?
    pub outcome: DimensionView,
    /// The actions counted (cancelled and removed ones are not).
    pub actions: u32,
    /// What the plan does not say of its actions, each a count of actions with a
    /// link to the list: no reported rating, no accountable owner, never updated,
    /// stale. Only the gaps some action has.
    pub gaps: Vec<Gap>,
}

/// One gap in what the plan says of its actions ([`Headline::gaps`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Gap {
    /// How many actions.
    pub count: u32,
    /// What they lack, after the count: `"have no accountable owner"` (`"has …"` for
    /// one).
    pub text: &'static str,
    /// The list that names them ([`ExceptionKind::anchor`]).
    pub anchor: String,
}

/// One dimension (delivery or outcome) of a node: its rating, counts and reasons.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DimensionView {
    /// The rating.
    pub rating: Chip,
    /// The actions below the node, counted by rating.
    pub counts: Counts,
    /// Why the node has its rating, one sentence each.
    pub reasons: Vec<String>,
}

/// Actions counted by rating.
///
/// Serialises with one more field, `text`: the counts in words ([`Counts::text`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// The count of each rating, as the engine keeps them.
    pub by_rating: RatingCounts,
    /// All of them.
    pub total: u32,
}

impl Counts {
    /// The count of one rating.
    pub fn get(&self, rating: Rating) -> u32 {
        self.by_rating.get(rating)
    }

    /// Counts one more action rated `rating`.
    pub fn add(&mut self, rating: Rating) {
        self.by_rating.add(rating);
        self.total += 1;
    }

    /// The ratings with a non-zero count, worst first.
    pub fn non_zero(&self) -> impl Iterator<Item = (Rating, u32)> + '_ {
        Rating::ALL.into_iter().map(|r| (r, self.get(r))).filter(|(_, n)| *n > 0)
    }

    /// The counts in words: `"2 Red, 5 Amber, 10 Green"`, or `"no actions"`; then,
    /// when some have no reported rating, `"; 20 of 33 have no reported rating"`.
    pub fn text(&self) -> String {
        let parts: Vec<String> =
            self.non_zero().map(|(r, n)| format!("{n} {}", r.label())).collect();
        let mut text = if parts.is_empty() { "no actions".to_owned() } else { parts.join(", ") };
        let unreported = self.by_rating.unreported;
        if unreported > 0 {
            let verb = if unreported == 1 { "has" } else { "have" };
            text.push_str(&format!("; {unreported} of {} {verb} no reported rating", self.total));
        }
        text
    }
}

impl From<&RatingCounts> for Counts {
    fn from(c: &RatingCounts) -> Counts {
        Counts { by_rating: *c, total: c.total() }
    }
}

impl Serialize for Counts {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Counts", 10)?;
        for rating in Rating::ALL {
            s.serialize_field(rating.as_str(), &self.get(rating))?;
        }
        s.serialize_field("unreported", &self.by_rating.unreported)?;
        s.serialize_field("total", &self.total)?;
        s.serialize_field("text", &self.text())?;
        s.end()
    }
}

/// What moved since the previous report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MovementSection {
    /// The date of the previous report.
    pub previous_as_of: NaiveDate,
    /// Rated better than before.
    pub improved: Vec<MovedNode>,
    /// Rated worse than before.
    pub worsened: Vec<MovedNode>,
    /// Not in the previous report.
    pub new: Vec<MovedNode>,
    /// In the previous report, gone now.
    pub removed: Vec<MovedNode>,
    /// Complete now, not complete before.
    pub completed: Vec<MovedNode>,
    /// Moved to or from Not rated, which has no place in the order of colours.
    pub rerated: Vec<MovedNode>,
    /// How many nodes kept their rating.
    pub n_unchanged: usize,
    /// Those nodes counted by kind, in words: `"30 actions, 12 sub-objectives and 4
    /// objectives kept their rating."` — a count of actions never stands beside a
    /// count of sub-objectives as one number.
    pub unchanged_text: String,
}

impl MovementSection {
    /// The lists by their heading, in the order a report shows them: worsened,
    /// improved, completed, new, removed, rerated.
    pub fn groups(&self) -> [(&'static str, &[MovedNode]); 6] {
        [
            ("Worsened", &self.worsened),
            ("Improved", &self.improved),
            ("Completed", &self.completed),
            ("New", &self.new),
            ("Removed", &self.removed),
            ("Rerated", &self.rerated),
        ]
    }

    /// Whether nothing moved.
    pub fn is_empty(&self) -> bool {
        self.improved.is_empty()
            && self.worsened.is_empty()
            && self.new.is_empty()
            && self.removed.is_empty()
            && self.completed.is_empty()
            && self.rerated.is_empty()
    }
}

/// A node whose delivery rating moved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MovedNode {
    /// The node's key.
    pub key: String,
    /// `"objective"`, `"sub_objective"` or `"action"`.
    pub kind: String,
    /// The node's title.
    pub title: String,
    /// The rating in the previous report (absent for a new node).
    pub from: Option<Chip>,
    /// The rating now (absent for a removed node).
    pub to: Option<Chip>,
}

/// The kinds of exception a report lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ExceptionKind {
    /// Rated Red.
    Red,
    /// Past its due date and not complete.
    Overdue,
    /// Due in the next UK financial quarter and not complete.
    DueNextQuarter,
    /// No update within the stale window.
    Stale,
    /// Nothing reported: no rating from the source or any update.
    NoReportedRating,
    /// Nobody accountable.
    NoAccountableOwner,
    /// Rated Green with no evidence.
    GreenWithoutEvidence,
    /// A reported rating that disagrees with the derived one.
    Divergent,
    /// A rating set by professional judgement.
    Override,
}

impl ExceptionKind {
    /// Every kind, in the order a report lists them.
    pub const ALL: [ExceptionKind; 9] = [
        ExceptionKind::Red,
        ExceptionKind::Overdue,
        ExceptionKind::DueNextQuarter,
        ExceptionKind::Stale,
        ExceptionKind::NoReportedRating,
        ExceptionKind::NoAccountableOwner,
        ExceptionKind::GreenWithoutEvidence,
        ExceptionKind::Divergent,
        ExceptionKind::Override,
    ];

    /// The heading a report gives the kind.
    pub fn heading(self) -> &'static str {
        match self {
            ExceptionKind::Red => "Red",
            ExceptionKind::Overdue => "Overdue",
            ExceptionKind::DueNextQuarter => "Due next quarter",
            ExceptionKind::Stale => "No recent update",
            ExceptionKind::NoReportedRating => "No reported rating",
            ExceptionKind::NoAccountableOwner => "No accountable owner",
            ExceptionKind::GreenWithoutEvidence => "Green without evidence",
            ExceptionKind::Divergent => "Reported rating differs from derived",
            ExceptionKind::Override => "Overridden by professional judgement",
        }
    }

    /// The id of the kind's list in the HTML and Markdown reports, for links to it:
    /// `exceptions-no-accountable-owner`.
    pub fn anchor(self) -> String {
        let words = self.heading().to_lowercase().replace(' ', "-");
        format!("exceptions-{words}")
    }
}

/// The exceptions of one kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExceptionGroup {
    /// The kind.
    pub kind: ExceptionKind,
    /// Its heading.
    pub heading: &'static str,
    /// The id of its list, for links ([`ExceptionKind::anchor`]).
    pub anchor: String,
    /// How many there are: `items.len()` in a [`Report`], more in a [`Summary`],
    /// which lists only the first few of each kind.
    pub count: u32,
    /// The items, in plan order (shared, so that a template is given them uncopied).
    pub items: Arc<[Exception]>,
}

/// One exception: a node and the sentence that says why it is listed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Exception {
    /// The node's key.
    pub key: String,
    /// The node's title.
    pub title: String,
    /// The node's delivery rating.
    pub rating: Chip,
    /// Why it is listed, one sentence.
    pub reason: String,
}

/// An objective's part of the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ObjectiveSection {
    /// The objective's key.
    pub key: String,
    /// Its title.
    pub title: String,
    /// Its strand or theme.
    pub strand: Option<String>,
    /// Its delivery rating, counts and reasons.
    pub delivery: DimensionView,
    /// Its outcome rating, counts and reasons.
    pub outcome: DimensionView,
    /// Its sub-objectives and actions, in plan order (the objective's own actions
    /// first; shared, so that a template is given them uncopied).
    pub rows: Arc<[TableRow]>,
}

/// A row of an objective's table: a sub-objective or an action.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TableRow {
    /// `"sub_objective"` or `"action"`.
    pub kind: &'static str,
    /// The node's key.
    pub key: String,
    /// Its title.
    pub title: String,
    /// Delivery rating.
    pub delivery: Chip,
    /// Outcome rating.
    pub outcome: Chip,
    /// The action's status in words (empty for a sub-objective).
    pub status: String,
    /// Accountable owners, joined with `"; "`.
    pub accountable: String,
    /// Responsible officers, joined with `"; "`.
    pub responsible: String,
    /// Partners involved, joined with `"; "`.
    pub partners: String,
    /// The timescale as written.
    pub timescale: String,
    /// The latest update note.
    pub latest_note: String,
    /// Flags in words (`"overdue"`, `"stale"`).
    pub flags: Vec<String>,
}

/// What one accountable owner or partner holds and how it stands.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HolderSummary {
    /// The owner's or partner's name as written.
    pub name: String,
    /// The actions they hold, counted by delivery rating.
    pub counts: Counts,
    /// The worst delivery rating among them.
    pub worst: Chip,
    /// Keys of the actions they hold, in plan order.
    pub keys: Vec<String>,
    /// Keys of those rated Red.
    pub red_keys: Vec<String>,
}

/// The delivery counts at the end of one quarter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendPoint {
    /// The quarter: `"Q4 2014/15"`.
    pub quarter: String,
    /// The date the plan was rated as of (the quarter's end, or the report's date
    /// for the current quarter).
    pub as_of: NaiveDate,
    /// The actions counted by delivery rating.
    pub counts: Counts,
}

/// A report's actions, one [`ActionRow`] each in plan order, made from the ratings
/// the report was built from each time they are read, never held: a plan of a
/// million actions would otherwise hold a million rows, each with its own copy of
/// its objective's title, beside the plan.
///
/// Serialised as a list of the rows; two are equal when their rows are.
#[derive(Clone, Copy, Default)]
pub struct ActionRows<'r> {
    /// The ratings the rows are made from; `None` for no rows.
    ratings: Option<&'r Ratings<'r>>,
}

impl<'r> ActionRows<'r> {
    /// The rows of every action `ratings` rates.
    pub(crate) fn of(ratings: &'r Ratings<'r>) -> ActionRows<'r> {
        ActionRows { ratings: Some(ratings) }
    }

    /// How many rows.
    pub fn len(&self) -> usize {
        self.ratings.map_or(0, |r| r.actions().len())
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The rows in plan order, each made as it is reached.
    pub fn iter(&self) -> impl Iterator<Item = ActionRow> + use<'r> {
        self.ratings.into_iter().flat_map(crate::build::rows_of)
    }
}

impl std::fmt::Debug for ActionRows<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl PartialEq for ActionRows<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Serialize for ActionRows<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut list = serializer.serialize_seq(Some(self.len()))?;
        for row in self.iter() {
            list.serialize_element(&row)?;
        }
        list.end()
    }
}

/// One action: a row of the CSV and of the spreadsheet's Actions sheet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActionRow {
    /// The action's key.
    pub key: String,
    /// The title of its objective.
    pub objective: String,
    /// The title of its sub-objective, if it has one.
    pub sub_objective: Option<String>,
    /// What is to be done.
    pub title: String,
    /// Delivery rating.
    pub delivery: Chip,
    /// Outcome rating.
    pub outcome: Chip,
    /// Status in words.
    pub status: String,
    /// Accountable owners.
    pub accountable: Vec<String>,
    /// Responsible officers.
    pub responsible: Vec<String>,
    /// Partners involved.
    pub partners: Vec<String>,
    /// The timescale as written.
    pub timescale: String,
    /// The due date it resolves to.
    pub due: Option<NaiveDate>,
    /// Flags in words.
    pub flags: Vec<String>,
    /// The first reason for the delivery rating.
    pub reason: String,
    /// The latest update note.
    pub latest_note: Option<String>,
}
