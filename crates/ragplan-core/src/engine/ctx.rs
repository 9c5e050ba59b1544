//! [`Ctx`]: what every rule of the engine reads besides the node itself.

use chrono::NaiveDate;

use crate::policy::Policy;
use crate::timescale::FinancialQuarter;

/// What every rule reads besides the node: the policy, the date and the date the
/// plan was reported on, with what follows from the date once.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ctx<'p> {
    pub policy: &'p Policy,
    pub as_of: NaiveDate,
    /// The date the plan's ratings were reported as a whole, if known.
    pub reported_on: Option<NaiveDate>,
    /// The financial quarter after the one holding `as_of`.
    pub next_quarter: FinancialQuarter,
}

impl<'p> Ctx<'p> {
    pub(crate) fn new(
        policy: &'p Policy,
        as_of: NaiveDate,
        reported_on: Option<NaiveDate>,
    ) -> Ctx<'p> {
        Ctx { policy, as_of, reported_on, next_quarter: FinancialQuarter::of(as_of).next() }
    }
}
