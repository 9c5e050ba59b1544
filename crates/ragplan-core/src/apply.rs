//! Changing a plan: [`Plan::apply`] records an [`Update`], [`Plan::set_override`]
//! records an [`Override`], and [`Plan::as_at`] reconstructs the plan as it stood on
//! an earlier date from its update logs.
//!
//! An update or override is checked here, once, and every problem is named with its
//! [`Field`] in one [`ApplyError`]: the CLI prints it, the API answers it as a 422.

use std::fmt;

use chrono::NaiveDate;

use crate::key::Key;
use crate::plan::{Action, Override, Plan, Update};
use crate::rating::{Rating, Scale, Status};
use crate::text::uk_date;

/// Which part of an update or override a [`Problem`] is about, in the order problems
/// are listed. The names are those of the `ragplan/1` document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    /// The action's key.
    Key,
    /// The update's delivery rating.
    Delivery,
    /// The update's outcome rating.
    Outcome,
    /// The override's rating.
    Rating,
    /// The update's status.
    Status,
    /// The update's progress.
    Progress,
    /// Who made the update or the judgement.
    By,
    /// The date of the update or override.
    On,
    /// Why the override's rating differs.
    Justification,
}

impl Field {
    /// Every field, in the order problems are listed.
    pub const ALL: [Field; 9] = [
        Field::Key,
        Field::Delivery,
        Field::Outcome,
        Field::Rating,
        Field::Status,
        Field::Progress,
        Field::By,
        Field::On,
        Field::Justification,
    ];

    /// The field's name in the `ragplan/1` document: `delivery`, `on`, …
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Key => "key",
            Field::Delivery => "delivery",
            Field::Outcome => "outcome",
            Field::Rating => "rating",
            Field::Status => "status",
            Field::Progress => "progress",
            Field::By => "by",
            Field::On => "on",
            Field::Justification => "justification",
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem of an update or override, with the field it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The field.
    pub field: Field,
    /// What is wrong with it: lowercase, no trailing period.
    pub message: String,
}

impl Problem {
    fn new(field: Field, message: impl Into<String>) -> Problem {
        Problem { field, message: message.into() }
    }
}

/// What was refused: an update or an override.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// A progress update ([`Plan::apply`]).
    Update,
    /// An override ([`Plan::set_override`], [`Override::new`]).
    Override,
}

impl ChangeKind {
    /// `update` or `override`.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Update => "update",
            ChangeKind::Override => "override",
        }
    }
}

/// An update or override refused, with every problem found, in [`Field`] order.
///
/// Displayed as one line that lists them all:
/// `action 1.1.1: the update was refused: progress: 140 is not a percentage from 0 to
/// 100; by: say who made the update`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ApplyError {
    /// What was refused.
    pub change: ChangeKind,
    /// The action it was for; none when no plan was involved ([`Override::new`]).
    pub key: Option<Key>,
    /// Every problem, never empty.
    pub problems: Vec<Problem>,
}

impl fmt::Display for ApplyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(key) = &self.key {
            write!(f, "action {key}: ")?;
        }
        write!(f, "the {} was refused: ", self.change.as_str())?;
        for (i, problem) in self.problems.iter().enumerate() {
            let sep = if i == 0 { "" } else { "; " };
            write!(f, "{sep}{}: {}", problem.field, problem.message)?;
        }
        Ok(())
    }
}

impl ApplyError {
    /// Whether no action has the key (the other problems are then about the change
    /// itself).
    pub fn is_unknown_key(&self) -> bool {
        self.problems.iter().any(|p| p.field == Field::Key)
    }

    /// `Ok` when there is no problem; the problems sorted by field otherwise.
    fn check(
        change: ChangeKind,
        key: Option<&Key>,
        mut problems: Vec<Problem>,
    ) -> Result<(), Self> {
        if problems.is_empty() {
            return Ok(());
        }
        problems.sort_by_key(|p| p.field);
        Err(ApplyError { change, key: key.cloned(), problems })
    }
}

fn blank(text: &str) -> bool {
    text.trim().is_empty()
}

fn off_scale(field: Field, scale: Scale, rating: Option<Rating>) -> Option<Problem> {
    let rating = rating.filter(|r| !scale.allows(*r))?;
    Some(Problem::new(field, format!("{rating} is not on the plan's {scale} scale")))
}

fn unknown_key(key: &Key) -> Problem {
    Problem::new(Field::Key, format!("no action has the key {key}"))
}

/// What is wrong with an update on `action` (none when no action has the key) in a
/// plan on `scale`.
fn update_problems(update: &Update, action: Option<&Action>, scale: Scale) -> Vec<Problem> {
    let mut problems = Vec::new();
    problems.extend(off_scale(Field::Delivery, scale, update.delivery));
    problems.extend(off_scale(Field::Outcome, scale, update.outcome));
    if let Some(p) = update.progress.filter(|p| *p > 100) {
        problems
            .push(Problem::new(Field::Progress, format!("{p} is not a percentage from 0 to 100")));
    }
    if blank(&update.by) {
        problems.push(Problem::new(Field::By, "say who made the update"));
    }
    if let Some(previous) = action.and_then(Action::last_update_on).filter(|p| *p > update.on) {
        let message = format!(
            "the update is dated {}, before the previous update of {}",
            uk_date(update.on),
            uk_date(previous)
        );
        problems.push(Problem::new(Field::On, message));
    }
    problems
}

/// What is wrong with an override on its own: who and why.
pub(crate) fn override_problems(ov: &Override) -> Vec<Problem> {
    let mut problems = Vec::new();
    if blank(&ov.by) {
        problems.push(Problem::new(Field::By, "say who made the judgement"));
    }
    if blank(&ov.justification) {
        problems.push(Problem::new(Field::Justification, "record why the rating differs"));
    }
    problems
}

/// `Ok` when an override is complete on its own ([`Override::new`]).
pub(crate) fn check_override(ov: &Override) -> Result<(), ApplyError> {
    ApplyError::check(ChangeKind::Override, None, override_problems(ov))
}

impl Plan {
    /// Records a progress update on the action with `key`: appends it to the action's
    /// log and sets the action's current rating, status, progress and evidence from
    /// the fields it carries.
    ///
    /// # Errors
    /// [`ApplyError`] listing every problem with its [`Field`]: no action has the
    /// key, the update names nobody as its author, a rating is not on the plan's
    /// scale, progress is above 100, the update is dated before the latest one
    /// logged. The plan is unchanged on error.
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// use ragplan_core::{Action, Key, Objective, Plan, PlanId, Rating, Update};
    /// let mut plan = Plan::new(PlanId::new("p")?, "Plan");
    /// let mut objective = Objective::new(Key::new("1")?, "Objective");
    /// objective.actions.push(Action::new(Key::new("1.1")?, "Agree the protocol"));
    /// plan.objectives.push(objective);
    ///
    /// let key = Key::new("1.1")?;
    /// let mut update = Update::new(NaiveDate::from_ymd_opt(2015, 6, 1).unwrap(), "CSE coordinator");
    /// update.delivery = Some(Rating::Amber);
    /// plan.apply(&key, update.clone())?;
    /// assert_eq!(plan.action(&key).unwrap().action_rag, Some(Rating::Amber));
    ///
    /// // An earlier update is refused, naming the action.
    /// update.on = NaiveDate::from_ymd_opt(2015, 5, 1).unwrap();
    /// let err = plan.apply(&key, update).unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "action 1.1: the update was refused: on: the update is dated 1 May 2015, before the previous update of 1 June 2015"
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn apply(&mut self, key: &Key, update: Update) -> Result<(), ApplyError> {
        let action = self.action(key);
        let mut problems = update_problems(&update, action, self.scale);
        if action.is_none() {
            problems.push(unknown_key(key));
        }
        ApplyError::check(ChangeKind::Update, Some(key), problems)?;
        let Some(action) = self.action_mut(key) else { return Ok(()) };
        if let Some(r) = update.delivery {
            action.action_rag = Some(r);
        }
        if let Some(r) = update.outcome {
            action.outcome_rag = Some(r);
        }
        if let Some(s) = update.status {
            action.status = s;
        }
        if let Some(p) = update.progress {
            action.progress = Some(p);
        }
        if let Some(e) = update.evidence.as_ref().filter(|e| !e.trim().is_empty()) {
            action.evidence.push(e.clone());
        }
        action.updates.push(update);
        Ok(())
    }

    /// Records a professional judgement on the action with `key`, replacing any
    /// earlier override.
    ///
    /// # Errors
    /// [`ApplyError`] listing every problem with its [`Field`]: no action has the
    /// key, the rating is not on the plan's scale, the justification or author is
    /// blank, the override is dated before the one it replaces. The plan is unchanged
    /// on error.
    pub fn set_override(&mut self, key: &Key, ov: Override) -> Result<(), ApplyError> {
        let action = self.action(key);
        let mut problems = override_problems(&ov);
        problems.extend(off_scale(Field::Rating, self.scale, Some(ov.rating)));
        match action.and_then(|a| a.override_rating.as_ref()).map(|o| o.on) {
            Some(previous) if previous > ov.on => {
                let message = format!(
                    "the override is dated {}, before the current override of {}",
                    uk_date(ov.on),
                    uk_date(previous)
                );
                problems.push(Problem::new(Field::On, message));
            }
            _ => {}
        }
        if action.is_none() {
            problems.push(unknown_key(key));
        }
        ApplyError::check(ChangeKind::Override, Some(key), problems)?;
        if let Some(action) = self.action_mut(key) {
            action.override_rating = Some(ov);
        }
        Ok(())
    }

    /// The plan as it stood at the end of `date`, reconstructed from the update logs:
    /// updates after `date` are dropped and what they set is put back to what the
    /// latest earlier update set, or to unknown (no rating, not started, no progress)
    /// when no earlier update set it; evidence they added is taken out, and an
    /// override made after `date` is dropped. Fields no later update touched stay as
    /// they are.
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// use ragplan_core::{Action, Key, Objective, Plan, PlanId, Rating, Update};
    /// let mut plan = Plan::new(PlanId::new("p")?, "Plan");
    /// let mut objective = Objective::new(Key::new("1")?, "Objective");
    /// objective.actions.push(Action::new(Key::new("1.1")?, "Agree the protocol"));
    /// plan.objectives.push(objective);
    /// let key = Key::new("1.1")?;
    /// let day = |m, d| NaiveDate::from_ymd_opt(2015, m, d).unwrap();
    /// for (on, rating) in [(day(4, 1), Rating::Red), (day(7, 1), Rating::Green)] {
    ///     let mut u = Update::new(on, "Lead");
    ///     u.delivery = Some(rating);
    ///     plan.apply(&key, u)?;
    /// }
    /// let june = plan.as_at(day(6, 30));
    /// assert_eq!(june.action(&key).unwrap().action_rag, Some(Rating::Red));
    /// assert_eq!(june.action(&key).unwrap().updates.len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn as_at(&self, date: NaiveDate) -> Plan {
        let mut plan = self.clone();
        for action in plan.actions_mut() {
            rewind(action, date);
        }
        plan
    }
}

fn rewind(action: &mut Action, date: NaiveDate) {
    if action.override_rating.as_ref().is_some_and(|o| o.on > date) {
        action.override_rating = None;
    }
    if !action.updates.iter().any(|u| u.on > date) {
        return;
    }
    let (kept, later): (Vec<Update>, Vec<Update>) =
        std::mem::take(&mut action.updates).into_iter().partition(|u| u.on <= date);
    let last_kept = |f: &dyn Fn(&Update) -> bool| kept.iter().rev().find(|u| f(u));
    if later.iter().any(|u| u.delivery.is_some()) {
        action.action_rag = last_kept(&|u| u.delivery.is_some()).and_then(|u| u.delivery);
    }
    if later.iter().any(|u| u.outcome.is_some()) {
        action.outcome_rag = last_kept(&|u| u.outcome.is_some()).and_then(|u| u.outcome);
    }
    if later.iter().any(|u| u.status.is_some()) {
        action.status =
            last_kept(&|u| u.status.is_some()).and_then(|u| u.status).unwrap_or(Status::NotStarted);
    }
    if later.iter().any(|u| u.progress.is_some()) {
        action.progress = last_kept(&|u| u.progress.is_some()).and_then(|u| u.progress);
    }
    for evidence in later.iter().filter_map(|u| u.evidence.as_ref()) {
        if let Some(i) = action.evidence.iter().rposition(|e| e == evidence) {
            action.evidence.remove(i);
        }
    }
    action.updates = kept;
}
