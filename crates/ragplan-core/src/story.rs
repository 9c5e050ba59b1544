//! A node's story: everything logged on it — edits of its fields, updates,
//! overrides and their withdrawals — in date order, for `ragplan log` and the API's
//! node log.

use chrono::NaiveDate;
use serde::Serialize;

use crate::apply::{Problem, find_node};
use crate::edit::FieldChange;
use crate::key::Key;
use crate::plan::{Plan, Update};
use crate::rating::Rating;
use crate::vocab::NodeKind;

/// One node's story ([`Plan::story`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Story<'a> {
    /// The node's key.
    pub key: &'a Key,
    /// What the node is.
    pub kind: NodeKind,
    /// The node's title.
    pub title: &'a str,
    /// What was logged on it, oldest first. Entries carry a day, not a time: on one
    /// day its edits come first, then its updates, each in the order logged, then
    /// overrides, then withdrawals.
    pub events: Vec<Event<'a>>,
}

/// One thing logged on a node.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Event<'a> {
    /// An edit of the node's fields ([`Plan::edit`]).
    Edit {
        /// When.
        on: NaiveDate,
        /// Who made it.
        by: &'a str,
        /// Each field changed, before and after.
        changes: &'a [FieldChange],
    },
    /// A progress update on an action.
    Update(&'a Update),
    /// A professional judgement that set the node's rating.
    Override {
        /// When.
        on: NaiveDate,
        /// Who made it.
        by: &'a str,
        /// The rating that stood.
        rating: Rating,
        /// Why.
        justification: &'a str,
    },
    /// The withdrawal of an override.
    Withdrawal {
        /// When.
        on: NaiveDate,
        /// Who withdrew it.
        by: &'a str,
        /// Why.
        justification: &'a str,
        /// The rating the withdrawn override had set.
        rating: Rating,
        /// The date of the override withdrawn.
        overridden_on: NaiveDate,
    },
}

impl Event<'_> {
    /// The date it was logged for.
    pub fn on(&self) -> NaiveDate {
        match self {
            Event::Update(u) => u.on,
            Event::Edit { on, .. } | Event::Override { on, .. } | Event::Withdrawal { on, .. } => {
                *on
            }
        }
    }
}

impl Plan {
    /// The story of the node with `key`: its edits, updates, overrides and
    /// withdrawals in date order.
    ///
    /// # Errors
    /// [`Problem`] when no node has the key (naming the nearest) or several do.
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// use ragplan_core::{Action, Event, Key, Objective, Override, Plan, PlanId, Rating, Update};
    /// let mut plan = Plan::new(PlanId::new("p")?, "Plan");
    /// let mut objective = Objective::new(Key::new("R7")?, "Recommendation 7");
    /// objective.actions.push(Action::new(Key::new("R7.1")?, "Report to Cabinet"));
    /// plan.objectives.push(objective);
    /// let key = Key::new("R7.1")?;
    /// let day = |d| NaiveDate::from_ymd_opt(2015, 7, d).unwrap();
    /// plan.set_override(&key, Override::new(Rating::Green, "Chair", day(3), "Agreed at board")?)?;
    /// plan.apply(&key, Update::new(day(1), "Officer"))?;
    ///
    /// let story = plan.story(&key)?;
    /// let dates: Vec<_> = story.events.iter().map(Event::on).collect();
    /// assert_eq!(dates, [day(1), day(3)]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn story(&self, key: &Key) -> Result<Story<'_>, Problem> {
        let node = find_node(self, key, "node", |_| true)?;
        let mut events: Vec<Event<'_>> = self
            .edits
            .iter()
            .filter(|e| &e.key == node.key())
            .map(|e| Event::Edit { on: e.on, by: &e.by, changes: &e.changes })
            .collect();
        if let Some(action) = node.action() {
            events.extend(action.updates.iter().map(Event::Update));
        }
        let overrides = self.overrides_at(node.place).unwrap_or(&[]);
        events.extend(overrides.iter().map(|o| Event::Override {
            on: o.on,
            by: &o.by,
            rating: o.rating,
            justification: &o.justification,
        }));
        events.extend(overrides.iter().filter_map(|o| {
            let w = o.withdrawn.as_ref()?;
            Some(Event::Withdrawal {
                on: w.on,
                by: &w.by,
                justification: &w.justification,
                rating: o.rating,
                overridden_on: o.on,
            })
        }));
        events.sort_by_key(Event::on);
        Ok(Story { key: node.key(), kind: node.kind(), title: node.title(), events })
    }
}
