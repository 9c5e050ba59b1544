//! Changing a plan: [`Plan::apply`] records an [`Update`], [`Plan::set_override`]
//! records an [`Override`], and [`Plan::as_at`] reconstructs the plan as it stood on
//! an earlier date from its update logs.

use chrono::NaiveDate;

use crate::key::Key;
use crate::plan::{Action, Override, Plan, Update};
use crate::rating::{Rating, Scale, Status};
use crate::text::uk_date;

/// An update or override the plan refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApplyError {
    /// No action has the key.
    #[error("no action has the key {key}")]
    UnknownKey {
        /// The key asked for.
        key: Key,
    },
    /// The rating is not on the plan's scale.
    #[error("action {key}: {what} {rating} is not on the plan's {scale} scale")]
    RatingOutsideScale {
        /// The action.
        key: Key,
        /// Which rating: "delivery rating", "outcome rating" or "override".
        what: &'static str,
        /// The refused rating.
        rating: Rating,
        /// The plan's scale.
        scale: Scale,
    },
    /// The update is dated before the action's latest update.
    #[error("action {key}: the update is dated {}, before the previous update of {}", uk_date(*on), uk_date(*previous))]
    UpdateBeforePrevious {
        /// The action.
        key: Key,
        /// The refused update's date.
        on: NaiveDate,
        /// The date of the latest update already logged.
        previous: NaiveDate,
    },
    /// The override is dated before the override it would replace.
    #[error("action {key}: the override is dated {}, before the current override of {}", uk_date(*on), uk_date(*previous))]
    OverrideBeforePrevious {
        /// The action.
        key: Key,
        /// The refused override's date.
        on: NaiveDate,
        /// The date of the current override.
        previous: NaiveDate,
    },
    /// Progress above 100 %.
    #[error("action {key}: progress {progress}% is above 100%")]
    ProgressOutOfRange {
        /// The action.
        key: Key,
        /// The refused progress.
        progress: u8,
    },
    /// The override has no justification or no author.
    #[error("action {key}: an override needs a justification and the name of who made it")]
    OverrideWithoutJustification {
        /// The action.
        key: Key,
    },
    /// The update does not say who reports it.
    #[error("action {key}: an update needs the name of who reports it")]
    UpdateWithoutAuthor {
        /// The action.
        key: Key,
    },
}

fn check_scale(
    key: &Key,
    scale: Scale,
    what: &'static str,
    r: Option<Rating>,
) -> Result<(), ApplyError> {
    match r {
        Some(rating) if !scale.allows(rating) => {
            Err(ApplyError::RatingOutsideScale { key: key.clone(), what, rating, scale })
        }
        _ => Ok(()),
    }
}

impl Plan {
    /// Records a progress update on the action with `key`: appends it to the action's
    /// log and sets the action's current rating, status, progress and evidence from
    /// the fields it carries.
    ///
    /// # Errors
    /// [`ApplyError`] naming the key when no action has it, the update names nobody
    /// as its author, a rating is not on the plan's scale, progress is above 100, or
    /// the update is dated before the latest one logged. The plan is unchanged on
    /// error.
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
    /// assert_eq!(err.to_string(), "action 1.1: the update is dated 1 May 2015, before the previous update of 1 June 2015");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn apply(&mut self, key: &Key, update: Update) -> Result<(), ApplyError> {
        let scale = self.scale;
        let action =
            self.action_mut(key).ok_or_else(|| ApplyError::UnknownKey { key: key.clone() })?;
        if update.by.trim().is_empty() {
            return Err(ApplyError::UpdateWithoutAuthor { key: key.clone() });
        }
        check_scale(key, scale, "delivery rating", update.delivery)?;
        check_scale(key, scale, "outcome rating", update.outcome)?;
        if let Some(progress) = update.progress.filter(|p| *p > 100) {
            return Err(ApplyError::ProgressOutOfRange { key: key.clone(), progress });
        }
        if let Some(previous) = action.last_update_on().filter(|p| *p > update.on) {
            return Err(ApplyError::UpdateBeforePrevious {
                key: key.clone(),
                on: update.on,
                previous,
            });
        }
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
    /// [`ApplyError`] naming the key when no action has it, the rating is not on the
    /// plan's scale, the justification or author is blank, or the override is dated
    /// before the one it replaces.
    pub fn set_override(&mut self, key: &Key, ov: Override) -> Result<(), ApplyError> {
        let scale = self.scale;
        let action =
            self.action_mut(key).ok_or_else(|| ApplyError::UnknownKey { key: key.clone() })?;
        check_scale(key, scale, "override", Some(ov.rating))?;
        if ov.justification.trim().is_empty() || ov.by.trim().is_empty() {
            return Err(ApplyError::OverrideWithoutJustification { key: key.clone() });
        }
        if let Some(previous) = action.override_rating.as_ref().map(|o| o.on).filter(|p| *p > ov.on)
        {
            return Err(ApplyError::OverrideBeforePrevious {
                key: key.clone(),
                on: ov.on,
                previous,
            });
        }
        action.override_rating = Some(ov);
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
