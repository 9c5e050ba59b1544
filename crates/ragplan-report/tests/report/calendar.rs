//! The due-dates calendar: read back with a calendar library, event by event.

use chrono::{TimeZone, Utc};
use icalendar::{Calendar, CalendarComponent, Component, DatePerhapsTime};
use ragplan_core::{Action, Key, Objective, Owner, Plan, PlanId, Status, SubObjective, Timescale};
use ragplan_report::calendar::{CalendarOptions, DueCalendar, due_calendar};

use crate::common::{coventry_plan, day};

fn key(text: &str) -> Key {
    Key::new(text).unwrap()
}

fn action(k: &str, title: &str, timescale: &str, owner: &str) -> Action {
    let mut action = Action::new(key(k), title);
    action.timescale = Timescale::parse(timescale);
    action.accountable.push(Owner::person(owner));
    action
}

/// Objective 1 "Protect" with one action of its own (due March 2016, Alice) and
/// sub-objective 1.1 "Share information" holding: a due action with partners
/// (Bob Jones); a complete one; a cancelled one; an ongoing one with no due date; and
/// a second action keyed 1.1.1, as an import can leave two.
fn mixed_plan() -> Plan {
    let mut plan = Plan::new(PlanId::new("mixed").unwrap(), "Mixed plan");
    let mut objective = Objective::new(key("1"), "Protect");
    objective.actions.push(action("1.2", "Publish the strategy", "March 2016", "Alice"));
    let mut sub = SubObjective::new(key("1.1"), "Share information");
    let mut due = action("1.1.1", "Agree the protocol, then sign it", "Q1 2015/16", "Bob Jones");
    due.partners = vec!["Police".to_owned(), "Health".to_owned()];
    due.status = Some(Status::InProgress);
    let mut complete = action("1.1.2", "Train staff", "May 2015", "Alice");
    complete.status = Some(Status::Complete);
    let mut cancelled = action("1.1.3", "Buy a van", "May 2015", "Alice");
    cancelled.status = Some(Status::Cancelled);
    let ongoing = action("1.1.4", "Review the register", "Ongoing", "Bob Jones");
    let twin = action("1.1.1", "Audit case files", "31/07/2015", "Carol");
    sub.actions = vec![due, complete, cancelled, ongoing, twin];
    objective.sub_objectives.push(sub);
    plan.objectives.push(objective);
    plan
}

fn stamp() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2015, 6, 30, 9, 0, 0).unwrap()
}

/// The calendar's events as (UID, summary, start, end, description), read back
/// with the calendar library's own parser.
fn events(calendar: &DueCalendar) -> Vec<(String, String, String, String, String)> {
    let parsed: Calendar = calendar.ics.parse().unwrap();
    parsed
        .components
        .iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(e) => Some(e),
            _ => None,
        })
        .map(|e| {
            let date = |d: Option<DatePerhapsTime>| match d {
                Some(DatePerhapsTime::Date(d)) => d.to_string(),
                other => format!("{other:?}"),
            };
            (
                e.get_uid().unwrap_or_default().to_owned(),
                e.get_summary().unwrap_or_default().to_owned(),
                date(e.get_start()),
                date(e.get_end()),
                e.get_description().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[test]
fn one_all_day_event_for_each_open_action_with_a_due_date() {
    let calendar = due_calendar(&mixed_plan(), &CalendarOptions::default(), stamp());
    assert!(calendar.ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"), "{}", calendar.ics);
    assert!(calendar.ics.lines().all(|l| l.len() <= 76), "lines folded at 75 octets");
    assert_eq!(
        (calendar.events, calendar.held, calendar.complete, calendar.left_out, calendar.undated),
        (3, 6, 1, 1, 1)
    );
    let got = events(&calendar);
    let rows: Vec<(&str, &str, &str, &str)> = got
        .iter()
        .map(|(u, s, a, b, _)| (u.as_str(), s.as_str(), a.as_str(), b.as_str()))
        .collect();
    assert_eq!(
        rows,
        [
            ("mixed-1.2@ragplan", "Due: 1.2 Publish the strategy", "2016-03-31", "2016-04-01"),
            (
                "mixed-1.1.1@ragplan",
                "Due: 1.1.1 Agree the protocol, then sign it",
                "2015-06-30",
                "2015-07-01"
            ),
            ("mixed-1.1.1-2@ragplan", "Due: 1.1.1 Audit case files", "2015-07-31", "2015-08-01"),
        ]
    );
    assert_eq!(
        got[0].4,
        "Mixed plan\nObjective: 1 Protect\nAccountable: Alice\nTimescale: March 2016"
    );
    assert_eq!(
        got[1].4,
        "Mixed plan\nObjective: 1 Protect\nSub-objective: 1.1 Share information\nAccountable: \
         Bob Jones\nPartners: Police; Health\nTimescale: Q1 2015/16\nStatus: in progress"
    );
    assert!(calendar.ics.contains("TRANSP:TRANSPARENT\r\n"));
    assert!(calendar.ics.contains("DTSTAMP:20150630T090000Z\r\n"));
}

#[test]
fn an_owner_sees_only_the_actions_they_hold() {
    let mut options = CalendarOptions::default();
    options.owner = Some("bob".to_owned());
    let calendar = due_calendar(&mixed_plan(), &options, stamp());
    assert_eq!((calendar.events, calendar.held, calendar.undated), (1, 2, 1));
    assert_eq!(events(&calendar)[0].0, "mixed-1.1.1@ragplan");
    let mut nobody = CalendarOptions::default();
    nobody.owner = Some("Dave".to_owned());
    assert_eq!(due_calendar(&mixed_plan(), &nobody, stamp()).held, 0);
}

#[test]
fn the_coventry_plan_has_its_three_dated_actions() {
    let plan = coventry_plan();
    let calendar = due_calendar(&plan, &CalendarOptions::default(), stamp());
    let dated: Vec<&Action> = plan
        .actions()
        .filter(|a| !a.is_left_out() && !a.is_complete() && a.timescale.due.is_some())
        .collect();
    assert_eq!(calendar.events, dated.len());
    let got = events(&calendar);
    for ((uid, summary, start, _, _), action) in got.iter().zip(&dated) {
        assert_eq!(uid, &format!("{}-{}@ragplan", plan.id, action.key));
        assert_eq!(summary, &format!("Due: {} {}", action.key, action.title));
        assert_eq!(Some(start.as_str()), action.timescale.due.map(|d| d.to_string()).as_deref());
    }
    assert_eq!(got[0].2, day(2015, 5, 31).to_string());
}
