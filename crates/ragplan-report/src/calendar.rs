//! The plan's due dates as an iCalendar document (RFC 5545), for owners' calendars
//! (`ragplan calendar`): one all-day event per open action with a due date, which
//! Outlook, Google Calendar and Apple Calendar import or subscribe to.
//!
//! Each event's `UID` is made from the plan's id and the action's key, so that the
//! calendar written next quarter updates the events already imported instead of
//! adding a second copy; its `DTSTART` is the due date and its `DTEND` the day after
//! (an all-day event's end is the first day it does not cover). Events are
//! transparent (`TRANSP:TRANSPARENT`): a deadline does not make its owner busy.

use std::collections::HashMap;

use chrono::{DateTime, Days, Utc};
use icalendar::{Calendar, Component, Event, EventLike};
use ragplan_core::{Action, Node, Objective, Plan, SubObjective};

/// Which actions a calendar holds.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct CalendarOptions {
    /// Only the actions this name finds among the accountable and responsible owners
    /// ([`Action::is_held_by`]: whole words, any case).
    pub owner: Option<String>,
}

/// A calendar of due dates ([`due_calendar`]) and the actions left out of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueCalendar {
    /// The iCalendar text, its lines ending CRLF as RFC 5545 asks.
    pub ics: String,
    /// The events it holds: one per action.
    pub events: usize,
    /// The actions the owner named holds (every action, with no owner named).
    pub held: usize,
    /// Held actions left out as complete, as their latest report says.
    pub complete: usize,
    /// Held actions left out as cancelled or no longer in the plan.
    pub left_out: usize,
    /// Held open actions with no due date (ongoing, to be confirmed, unread).
    pub undated: usize,
}

/// The due dates of `plan` as an iCalendar document: one all-day event on each open
/// action's due date (not complete, not cancelled, still in the plan), titled with
/// its key and title and describing its objective, sub-objective, owners, partners,
/// timescale as written and status. `stamp` is when the calendar is made (every
/// event's `DTSTAMP`).
///
/// # Example
/// ```
/// use chrono::{TimeZone, Utc};
/// use ragplan_core::generate::synthetic_plan;
/// use ragplan_report::calendar::{CalendarOptions, due_calendar};
/// let plan = synthetic_plan(4, 1, 1);
/// let stamp = Utc.with_ymd_and_hms(2015, 6, 30, 9, 0, 0).unwrap();
/// let calendar = due_calendar(&plan, &CalendarOptions::default(), stamp);
/// assert!(calendar.ics.starts_with("BEGIN:VCALENDAR\r\n"));
/// assert_eq!(calendar.events + calendar.complete + calendar.left_out + calendar.undated, 4);
/// ```
pub fn due_calendar(plan: &Plan, options: &CalendarOptions, stamp: DateTime<Utc>) -> DueCalendar {
    let mut calendar = Calendar::empty();
    calendar
        .append_property(("VERSION", "2.0"))
        .append_property(("PRODID", "-//ragplan//Due dates//EN"))
        .append_property(("CALSCALE", "GREGORIAN"))
        .append_property(("METHOD", "PUBLISH"))
        .name(&format!("{}: due dates", plan.title));
    let mut counts = DueCalendar {
        ics: String::new(),
        events: 0,
        held: 0,
        complete: 0,
        left_out: 0,
        undated: 0,
    };
    // How often each key has been met: a key two actions share gets a second UID.
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let (mut objective, mut sub_objective): (Option<&Objective>, Option<&SubObjective>) =
        (None, None);
    for at in plan.nodes() {
        let action = match at.node {
            Node::Objective(o) => {
                (objective, sub_objective) = (Some(o), None);
                continue;
            }
            Node::SubObjective(s) => {
                sub_objective = Some(s);
                continue;
            }
            Node::Action(action) => action,
        };
        // An objective's own actions come before its sub-objectives.
        let sub = if at.depth == 2 { sub_objective } else { None };
        if options.owner.as_deref().is_some_and(|name| !action.is_held_by(name)) {
            continue;
        }
        counts.held += 1;
        let nth = seen.entry(action.key.as_str()).or_insert(0);
        *nth += 1;
        if action.is_left_out() {
            counts.left_out += 1;
        } else if action.is_complete() {
            counts.complete += 1;
        } else if let Some(due) = action.timescale.due {
            let uid = match *nth {
                1 => format!("{}-{}@ragplan", plan.id, action.key),
                n => format!("{}-{}-{n}@ragplan", plan.id, action.key),
            };
            let mut event = Event::new();
            event
                .uid(&uid)
                .timestamp(stamp)
                .summary(&format!("Due: {} {}", action.key, action.title))
                .description(&description(plan, objective, sub, action))
                .starts(due)
                .ends(due.checked_add_days(Days::new(1)).unwrap_or(due))
                .append_property(("TRANSP", "TRANSPARENT"));
            calendar.push(event.done());
            counts.events += 1;
        } else {
            counts.undated += 1;
        }
    }
    counts.ics = calendar.done().to_string();
    counts
}

/// An event's description: where the action sits, who holds it, and what the
/// source said of it, a line each.
fn description(
    plan: &Plan,
    objective: Option<&Objective>,
    sub_objective: Option<&SubObjective>,
    action: &Action,
) -> String {
    let names = |owners: &[ragplan_core::Owner]| {
        owners.iter().map(|o| o.name.as_str()).collect::<Vec<_>>().join("; ")
    };
    let mut lines = vec![plan.title.clone()];
    if let Some(o) = objective {
        lines.push(format!("Objective: {} {}", o.key, o.title));
    }
    if let Some(s) = sub_objective {
        lines.push(format!("Sub-objective: {} {}", s.key, s.title));
    }
    let fields = [
        ("Accountable", names(&action.accountable)),
        ("Responsible", names(&action.responsible)),
        ("Partners", action.partners.join("; ")),
        ("Timescale", action.timescale.text.clone()),
        ("Status", action.status.map(|s| s.label().to_owned()).unwrap_or_default()),
    ];
    for (name, value) in fields {
        if !value.is_empty() {
            lines.push(format!("{name}: {value}"));
        }
    }
    lines.join("\n")
}
