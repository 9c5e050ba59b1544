//! A plan as it stood on a date, rated then: what a report of that date shows, and
//! what the report before it showed. The one home of that rule, and of the rule that
//! a previous report comes before the current one.

use chrono::NaiveDate;

use crate::engine::{Ratings, rate};
use crate::plan::Plan;
use crate::policy::Policy;

/// A plan as it stood on a date: its updates logged after that date left out
/// ([`Plan::as_at`]), to be rated as of that date.
///
/// # Example
/// ```
/// use chrono::NaiveDate;
/// use ragplan_core::{Policy, generate::synthetic_plan};
/// let plan = synthetic_plan(20, 2, 3);
/// let june = NaiveDate::from_ymd_opt(2015, 6, 30).unwrap();
/// let then = plan.as_it_stood(june);
/// assert!(then.plan().actions().all(|a| a.updates.iter().all(|u| u.on <= june)));
/// let policy = Policy::default();
/// assert_eq!(then.rate(&policy).as_of(), june);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct AsItStood {
    plan: Plan,
    date: NaiveDate,
}

impl AsItStood {
    /// The plan as it stood.
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// The date it stood on.
    pub fn date(&self) -> NaiveDate {
        self.date
    }

    /// The plan as it stood, rated as of its date.
    pub fn rate<'a>(&'a self, policy: &'a Policy) -> Ratings<'a> {
        rate(&self.plan, policy, self.date)
    }
}

impl Plan {
    /// The plan as it stood on `date`, to be rated then.
    pub fn as_it_stood(&self, date: NaiveDate) -> AsItStood {
        AsItStood { plan: self.as_at(date), date }
    }

    /// The plan as it stood on `date`, made from this plan in place rather than from a
    /// copy: for a caller that needs only the plan as it stood.
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// use ragplan_core::generate::synthetic_plan;
    /// let plan = synthetic_plan(20, 2, 3);
    /// let june = NaiveDate::from_ymd_opt(2015, 6, 30).unwrap();
    /// assert_eq!(plan.clone().into_as_it_stood(june), plan.as_it_stood(june));
    /// ```
    pub fn into_as_it_stood(mut self, date: NaiveDate) -> AsItStood {
        self.rewind_to(date);
        AsItStood { plan: self, date }
    }

    /// The plan as it stood on each of `dates` in turn, handed to `each`: what
    /// [`Plan::as_it_stood`] gives for each date, made with one copy of the plan
    /// rewound further for each earlier date where that gives the same plan (no edit
    /// is dated after the date, so only updates are left out), and with a fresh copy
    /// otherwise. Give the dates latest first for the fewest copies.
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// use ragplan_core::{Dimension, Policy, generate::synthetic_plan};
    /// let plan = synthetic_plan(40, 3, 7);
    /// let policy = Policy::default();
    /// let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// let dates = [day(2015, 3, 31), day(2014, 12, 31), day(2014, 9, 30)];
    /// let mut counts = Vec::new();
    /// plan.each_as_it_stood(dates, |then| {
    ///     counts.push(then.rate(&policy).whole().counts(Dimension::Delivery));
    /// });
    /// let one_by_one: Vec<_> = dates
    ///     .iter()
    ///     .map(|&d| plan.as_it_stood(d).rate(&policy).whole().counts(Dimension::Delivery))
    ///     .collect();
    /// assert_eq!(counts, one_by_one);
    /// ```
    pub fn each_as_it_stood(
        &self,
        dates: impl IntoIterator<Item = NaiveDate>,
        mut each: impl FnMut(&AsItStood),
    ) {
        let mut working: Option<AsItStood> = None;
        for date in dates {
            // Updates left out for a later date and then for an earlier one are the
            // ones left out for the earlier date; edits are undone in log order,
            // which need not be date order, so a plan with a later edit is copied anew.
            let further = self.edits.iter().all(|e| e.on <= date);
            let stood = match working.take() {
                Some(mut then) if further && date <= then.date => {
                    then.plan.rewind_to(date);
                    then.date = date;
                    then
                }
                _ => self.as_it_stood(date),
            };
            each(&stood);
            working = Some(stood);
        }
    }
}

/// A previous report dated after the report it is compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the previous report date {previous} is after as_of {as_of}")]
pub struct PreviousAfterAsOf {
    /// The previous report's date.
    pub previous: NaiveDate,
    /// The current report's date.
    pub as_of: NaiveDate,
}

/// Checks that a previous report's date does not come after the current one's.
///
/// # Errors
/// [`PreviousAfterAsOf`] when `previous` is after `as_of`.
///
/// # Example
/// ```
/// use chrono::NaiveDate;
/// let day = |m, d| NaiveDate::from_ymd_opt(2015, m, d).unwrap();
/// assert!(ragplan_core::check_previous(day(3, 31), day(6, 30)).is_ok());
/// let err = ragplan_core::check_previous(day(9, 30), day(6, 30)).unwrap_err();
/// assert_eq!(err.to_string(), "the previous report date 2015-09-30 is after as_of 2015-06-30");
/// ```
pub fn check_previous(previous: NaiveDate, as_of: NaiveDate) -> Result<(), PreviousAfterAsOf> {
    if previous > as_of { Err(PreviousAfterAsOf { previous, as_of }) } else { Ok(()) }
}
