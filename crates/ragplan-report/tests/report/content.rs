//! What the report says: exceptions, movement, owners and partners, trend — on small
//! plans built by hand so every expected value is worked out from the plan.

use ragplan_core::{
    Action, Key, Objective, Override, Owner, Plan, PlanId, Rating, Snapshot, Status, SubObjective,
    Timescale, Update,
};
use ragplan_report::content::ExceptionKind;
use ragplan_report::{Report, ReportOptions};

use crate::common::{day, rated, report_of};

fn key(text: &str) -> Key {
    Key::new(text).unwrap()
}

/// An in-progress action, accountable "Lead officer", with evidence.
fn action(k: &str, title: &str, timescale: &str, rating: Rating) -> Action {
    let mut a = Action::new(key(k), title);
    a.timescale = Timescale::parse(timescale);
    a.action_rag = Some(rating);
    a.status = Some(Status::InProgress);
    a.accountable.push(Owner::person("Lead officer"));
    a.evidence.push("Minutes of the board".to_owned());
    a
}

fn update(
    on: chrono::NaiveDate,
    rating: Option<Rating>,
    status: Option<Status>,
    note: &str,
) -> Update {
    let mut u = Update::new(on, "Analyst");
    u.delivery = rating;
    u.status = status;
    u.note = Some(note.to_owned());
    u
}

/// One action for each kind of exception, as of 30 June 2015.
fn exceptions_plan() -> Plan {
    let mut plan = Plan::new(PlanId::new("exceptions").unwrap(), "Exceptions plan");
    let mut prevent = Objective::new(key("1"), "Prevent");
    let mut sub = SubObjective::new(key("1.1"), "Share information");
    sub.node.reported_delivery = Some(Rating::Green);

    let mut overdue =
        action("1.1.1", "Agree the information sharing protocol", "May 2015", Rating::Green);
    overdue.partners = vec!["Police".into(), "Health".into()];
    let mut next_quarter =
        action("1.1.2", "Publish the screening tool", "August 2015", Rating::Green);
    next_quarter.partners = vec!["Police".into()];
    next_quarter.updates.push(update(day(2015, 6, 1), None, None, "Draft ready"));
    let mut stale = action("1.1.3", "Train taxi drivers", "March 2016", Rating::Amber);
    stale.updates.push(update(day(2015, 1, 5), None, None, "Course booked"));
    sub.actions = vec![overdue, next_quarter, stale];
    prevent.sub_objectives.push(sub);

    let mut protect = Objective::new(key("2"), "Protect");
    let mut no_owner = action("2.1", "Commission return interviews", "March 2016", Rating::Amber);
    no_owner.accountable.clear();
    let mut no_evidence =
        action("2.2", "Publish the annual report", "December 2015", Rating::Green);
    no_evidence.evidence.clear();
    no_evidence.partners = vec!["Education".into()];
    no_evidence.accountable = vec![Owner::person("Board manager")];
    let mut overridden =
        action("2.3", "Review the MACE terms of reference", "March 2016", Rating::Red);
    overridden.overrides = vec![
        Override::new(
            Rating::Amber,
            "LSCB Chair",
            day(2015, 6, 15),
            "Police data shows the risk is managed",
        )
        .unwrap(),
    ];
    protect.actions = vec![no_owner, no_evidence, overridden];
    plan.objectives = vec![prevent, protect];
    // Reported as a whole on 1 June 2015: only 1.1.3, updated last in January, has
    // no recent report. The never-updated case has its own test.
    plan.reported_on = Some(day(2015, 6, 1));
    plan
}

#[test]
fn an_action_never_updated_in_a_plan_with_no_report_date_is_listed_with_no_recent_update() {
    let mut plan = exceptions_plan();
    plan.reported_on = None;
    let (now, _) = rated(&plan, day(2015, 6, 30), None);
    let report = Report::build(&now, None, &ReportOptions::default());
    let group = report.exceptions.iter().find(|g| g.kind == ExceptionKind::Stale).unwrap();
    let keys: Vec<&str> = group.items.iter().map(|i| i.key.as_str()).collect();
    // 1.1.2 was updated on 1 June: it is neither stale nor never updated.
    assert_eq!(keys, ["1.1.1", "1.1.3", "2.1", "2.2", "2.3"]);
    assert_eq!(
        group.items[0].reason,
        "Never updated: no update is logged and the plan has no date it was reported on."
    );
    assert!(group.items[1].reason.starts_with("No update since 5 January 2015"));
}

fn exceptions_report() -> Report<'static> {
    report_of(exceptions_plan(), day(2015, 6, 30))
}

#[test]
fn each_exception_lists_the_actions_it_names() {
    let report = exceptions_report();
    let want: &[(ExceptionKind, &[&str])] = &[
        (ExceptionKind::Red, &["1.1.1"]),
        (ExceptionKind::Overdue, &["1.1.1"]),
        (ExceptionKind::DueNextQuarter, &["1.1.2"]),
        (ExceptionKind::Stale, &["1.1.3"]),
        (ExceptionKind::NoAccountableOwner, &["2.1"]),
        (ExceptionKind::GreenWithoutEvidence, &["2.2"]),
        (ExceptionKind::Divergent, &["1.1"]),
        (ExceptionKind::Override, &["2.3"]),
    ];
    let kinds: Vec<ExceptionKind> = report.exceptions.iter().map(|g| g.kind).collect();
    assert_eq!(kinds, ExceptionKind::ALL);
    for (kind, keys) in want {
        let group = report.exceptions.iter().find(|g| g.kind == *kind).unwrap();
        let got: Vec<&str> = group.items.iter().map(|i| i.key.as_str()).collect();
        assert_eq!(got, *keys, "{kind:?}");
        for item in group.items.iter() {
            assert!(!item.reason.trim().is_empty(), "{kind:?} {item:?}");
        }
    }
}

#[test]
fn each_exception_says_why() {
    let report = exceptions_report();
    let reason = |kind: ExceptionKind| {
        report.exceptions.iter().find(|g| g.kind == kind).unwrap().items[0].reason.clone()
    };
    let table: &[(ExceptionKind, &str)] = &[
        (ExceptionKind::Overdue, "was due 31 May 2015 and is not complete (30 days overdue)"),
        (
            ExceptionKind::DueNextQuarter,
            "Due 31 August 2015 (Q2 2015/16, timescale \"August 2015\"); in progress.",
        ),
        (ExceptionKind::Stale, "No update since 5 January 2015 (176 days before 30 June 2015)."),
        (ExceptionKind::NoAccountableOwner, "names nobody accountable"),
        (ExceptionKind::GreenWithoutEvidence, "Green with no evidence"),
        (
            ExceptionKind::Divergent,
            "Delivery: The plan reports Green here but its parts roll up to Red",
        ),
        (
            ExceptionKind::Override,
            "overridden by LSCB Chair on 15 June 2015: \"Police data shows the risk is managed\"",
        ),
    ];
    for (kind, part) in table {
        let got = reason(*kind);
        assert!(got.contains(part), "{kind:?}: {got:?} lacks {part:?}");
    }
}

#[test]
fn owners_and_partners_hold_their_actions() {
    let report = exceptions_report();
    let owners: Vec<(&str, u32, Rating)> =
        report.owners.iter().map(|h| (h.name.as_str(), h.counts.total, h.worst.rating)).collect();
    // 2.1 has nobody accountable; 2.2 is held by the board manager; the rest by the
    // lead officer: 1.1.1 Red, 1.1.2 Green, 1.1.3 Amber, 2.3 Amber (overridden).
    assert_eq!(owners, [("Board manager", 1, Rating::Green), ("Lead officer", 4, Rating::Red)]);
    let lead = &report.owners[1];
    assert_eq!(lead.keys, ["1.1.1", "1.1.2", "1.1.3", "2.3"]);
    assert_eq!(lead.red_keys, ["1.1.1"]);
    assert_eq!(
        (lead.counts.by_rating.red, lead.counts.by_rating.amber, lead.counts.by_rating.green),
        (1, 2, 1)
    );

    let partners: Vec<(&str, Vec<&str>, Rating)> = report
        .partners
        .iter()
        .map(|h| (h.name.as_str(), h.keys.iter().map(String::as_str).collect(), h.worst.rating))
        .collect();
    assert_eq!(
        partners,
        [
            ("Education", vec!["2.2"], Rating::Green),
            ("Health", vec!["1.1.1"], Rating::Red),
            ("Police", vec!["1.1.1", "1.1.2"], Rating::Red),
        ]
    );
}

#[test]
fn objective_tables_hold_sub_objectives_and_actions_in_plan_order() {
    let report = exceptions_report();
    let rows: Vec<(&str, &str)> =
        report.objectives[0].rows.iter().map(|r| (r.kind, r.key.as_str())).collect();
    assert_eq!(
        rows,
        [("sub_objective", "1.1"), ("action", "1.1.1"), ("action", "1.1.2"), ("action", "1.1.3")]
    );
    let tool = &report.objectives[0].rows[2];
    assert_eq!(tool.latest_note, "Draft ready");
    assert_eq!(tool.partners, "Police");
    assert_eq!(tool.timescale, "August 2015");
    assert_eq!(report.objectives[1].rows.len(), 3);
    assert_eq!(report.objectives[1].rows[0].accountable, "");
}

/// Four actions with a log: A Red → Green, B Green → Red, C Amber → complete, D Green
/// throughout (no updates).
fn history_plan() -> Plan {
    let mut plan = Plan::new(PlanId::new("history").unwrap(), "History plan");
    let mut objective = Objective::new(key("1"), "Pursue");
    let logged =
        |k: &str, title: &str, log: [(chrono::NaiveDate, Option<Rating>, Option<Status>); 2]| {
            let mut a = action(k, title, "March 2016", Rating::NotRated);
            a.action_rag = None;
            a.status = Some(Status::NotStarted);
            for (on, rating, status) in log {
                a.updates.push(update(on, rating, status, "Quarterly update"));
                if let Some(r) = rating {
                    a.action_rag = Some(r);
                }
                if let Some(s) = status {
                    a.status = Some(s);
                }
            }
            a
        };
    let (feb, may) = (day(2015, 2, 10), day(2015, 5, 10));
    objective.actions = vec![
        logged(
            "1.1",
            "A",
            [(feb, Some(Rating::Red), Some(Status::InProgress)), (may, Some(Rating::Green), None)],
        ),
        logged(
            "1.2",
            "B",
            [(feb, Some(Rating::Green), Some(Status::InProgress)), (may, Some(Rating::Red), None)],
        ),
        logged(
            "1.3",
            "C",
            [
                (feb, Some(Rating::Amber), Some(Status::InProgress)),
                (may, None, Some(Status::Complete)),
            ],
        ),
        action("1.4", "D", "March 2016", Rating::Green),
    ];
    plan.objectives.push(objective);
    plan
}

#[test]
fn movement_since_the_previous_quarter_from_the_update_log() {
    let plan = history_plan();
    let (now, before) = rated(&plan, day(2015, 6, 30), Some(day(2015, 3, 31)));
    let report = Report::build(&now, before.as_ref(), &ReportOptions::default());
    let movement = report.movement.unwrap();
    let keys = |nodes: &[ragplan_report::content::MovedNode]| {
        nodes.iter().map(|n| n.key.clone()).collect::<Vec<_>>()
    };
    assert_eq!(movement.previous_as_of, day(2015, 3, 31));
    assert_eq!(keys(&movement.improved), ["1.1"]);
    assert_eq!(keys(&movement.worsened), ["1.2"]);
    assert_eq!(keys(&movement.completed), ["1.3"]);
    assert!(movement.new.is_empty() && movement.removed.is_empty());
    // The objective stays Red (B now, A before) and D stays Green.
    assert_eq!(movement.n_unchanged, 2);
    assert_eq!(movement.unchanged_text, "1 action and 1 objective kept their rating.");
    assert_eq!(movement.improved[0].from.map(|c| c.rating), Some(Rating::Red));
    assert_eq!(movement.improved[0].to.map(|c| c.rating), Some(Rating::Green));
    assert_eq!(report.previous_as_of_text.as_deref(), Some("31 March 2015"));
}

#[test]
fn movement_against_an_earlier_version_lists_new_and_removed_actions() {
    let plan = history_plan();
    let mut earlier = plan.as_at(day(2015, 3, 31));
    earlier.objectives[0].actions.retain(|a| a.key.as_str() != "1.4");
    earlier.objectives[0].actions.push(action("1.5", "E", "March 2016", Rating::Green));
    let (now, _) = rated(&plan, day(2015, 6, 30), None);
    let (before, _) = rated(&earlier, day(2015, 3, 31), None);
    let report = Report::build(&now, Some(&Snapshot::from(&before)), &ReportOptions::default());
    let movement = report.movement.unwrap();
    assert_eq!(movement.new.iter().map(|n| n.key.as_str()).collect::<Vec<_>>(), ["1.4"]);
    assert_eq!(movement.removed.iter().map(|n| n.key.as_str()).collect::<Vec<_>>(), ["1.5"]);
    assert_eq!(movement.removed[0].to, None);
    assert_eq!(movement.new[0].from, None);
}

#[test]
fn trend_by_quarter_from_the_update_log() {
    let plan = history_plan();
    let (now, _) = rated(&plan, day(2015, 6, 30), None);
    let report = Report::build(&now, None, &ReportOptions::default());
    let points: Vec<(&str, chrono::NaiveDate, u32, u32, u32, u32)> = report
        .trend
        .iter()
        .map(|t| {
            (
                t.quarter.as_str(),
                t.as_of,
                t.counts.by_rating.red,
                t.counts.by_rating.amber,
                t.counts.by_rating.green,
                t.counts.by_rating.complete,
            )
        })
        .collect();
    // End of March: A Red, C Amber, B and D Green. End of June: B Red, A and D Green,
    // C complete.
    assert_eq!(
        points,
        [
            ("Q4 2014/15", day(2015, 3, 31), 1, 1, 2, 0),
            ("Q1 2015/16", day(2015, 6, 30), 1, 0, 2, 1)
        ]
    );
    let without = Report::build(&now, None, &{
        let mut options = ReportOptions::default();
        options.trend = false;
        options
    });
    assert!(without.trend.is_empty());
}

#[test]
fn a_plan_with_no_history_has_no_trend_and_the_title_can_be_set() {
    let plan = exceptions_plan();
    let (now, _) = rated(&plan, day(2015, 6, 30), None);
    let options = {
        let mut options = ReportOptions::default();
        options.title = Some("Q1 update to Cabinet".into());
        options
    };
    let report = Report::build(&now, None, &options);
    // Updates in January and June 2015 span Q4 2014/15 and Q1 2015/16.
    assert_eq!(report.trend.len(), 2);
    assert_eq!(report.title, "Q1 update to Cabinet");
    assert_eq!(report.plan.title, "Exceptions plan");
    let mut plain = plan.clone();
    for a in plain.actions_mut() {
        a.updates.clear();
    }
    let (now, _) = rated(&plain, day(2015, 6, 30), None);
    let report = Report::build(&now, None, &ReportOptions::default());
    assert!(report.trend.is_empty());
    assert_eq!(report.title, "Exceptions plan");
    assert_eq!(report.quarter, "Q1 2015/16");
    assert_eq!(report.as_of_text, "30 June 2015");
}

#[test]
fn actions_sharing_a_key_keep_their_own_details() {
    let mut plan = Plan::new(PlanId::new("dup").unwrap(), "Plan");
    let mut objective = Objective::new(key("1"), "Objective");
    let mut first = action("1.1", "First", "June 2015", Rating::Green);
    first.accountable = vec![Owner::person("Alice")];
    let mut second = action("1.1", "Second", "May 2015", Rating::Green);
    second.accountable = vec![Owner::person("Bob")];
    second.status = Some(Status::NotStarted);
    objective.actions.extend([first, second]);
    plan.objectives.push(objective);

    let (now, _) = rated(&plan, day(2015, 6, 30), None);
    let report = Report::build(&now, None, &ReportOptions::default());
    let rows: Vec<(String, Vec<String>, String)> =
        report.actions.iter().map(|r| (r.title, r.accountable, r.status)).collect();
    assert_eq!(
        rows,
        [
            ("First".to_owned(), vec!["Alice".to_owned()], "in progress".to_owned()),
            ("Second".to_owned(), vec!["Bob".to_owned()], "not started".to_owned()),
        ]
    );
    let owners: Vec<(&str, Vec<String>)> =
        report.owners.iter().map(|o| (o.name.as_str(), o.keys.clone())).collect();
    assert_eq!(owners, [("Alice", vec!["1.1".to_owned()]), ("Bob", vec!["1.1".to_owned()])]);
}

#[test]
fn holders_written_differently_are_one_holder_shown_as_first_written() {
    let mut plan = Plan::new(PlanId::new("holders").unwrap(), "Plan");
    let mut objective = Objective::new(key("1"), "Objective");
    let mut first = action("1.1", "First", "March 2016", Rating::Amber);
    first.partners = vec!["Third Sector".into()];
    first.accountable = vec![Owner::person("Mandie Watson")];
    let mut second = action("1.2", "Second", "March 2016", Rating::Red);
    second.partners = vec!["third  sector ".into(), "Third sector".into()];
    second.accountable = vec![Owner::person(" mandie WATSON")];
    objective.actions.extend([first, second]);
    plan.objectives.push(objective);

    let (now, _) = rated(&plan, day(2015, 6, 30), None);
    let report = Report::build(&now, None, &ReportOptions::default());
    let holders = |list: &[ragplan_report::content::HolderSummary]| {
        list.iter().map(|h| (h.name.clone(), h.counts.total, h.keys.clone())).collect::<Vec<_>>()
    };
    let both = vec!["1.1".to_owned(), "1.2".to_owned()];
    assert_eq!(holders(&report.owners), [("Mandie Watson".to_owned(), 2, both.clone())]);
    assert_eq!(holders(&report.partners), [("Third Sector".to_owned(), 2, both)]);
}

/// The bundled Coventry report's movement and trend, as of 30 June 2015 against
/// 31 March 2015, against a count by hand of the source table
/// (`examples/plans/coventry-cse-delivery-plan.tsv`, 34 actions) and the six
/// updates and one override the plan logs:
///
/// - 31 March: the table's Action RAG column reads 1 Red (1.1.2), 7 Amber (1.1.1,
///   1.2.1, 1.2.2, 1.3.2, 1.5.1, 1.6.1, 1.16.5), 6 Green (1.12.6, 1.15.1, 1.16.2,
///   1.16.3, 1.16.4, and 1.17.1's "Green  RAG", whose "RAG" is the rest of the
///   header above it) and 20 blank; nothing is past its due date yet.
/// - 30 June: 1.2.1 (due April) is overdue, Red; 1.1.1 (due May) is overridden
///   Amber; 1.2.2 and 1.6.1 were updated Green; 1.16.2 complete: 2 Red, 4 Amber,
///   7 Green, 1 Complete, 20 blank.
#[test]
fn the_coventry_movement_and_trend_match_a_hand_count_of_the_source() {
    let report = crate::common::coventry_report().report;
    let counts: Vec<(String, String)> =
        report.trend.iter().map(|t| (t.quarter.clone(), t.counts.text())).collect();
    assert_eq!(
        counts,
        [
            (
                "Q4 2014/15".to_owned(),
                "1 Red, 7 Amber, 6 Green, 20 Not rated; 20 of 34 have no reported rating"
                    .to_owned()
            ),
            (
                "Q1 2015/16".to_owned(),
                "2 Red, 4 Amber, 7 Green, 1 Complete, 20 Not rated; 20 of 34 have no reported \
                 rating"
                    .to_owned()
            ),
        ]
    );
    let movement = report.movement.expect("compared with 31 March");
    let keys = |nodes: &[ragplan_report::content::MovedNode], kind: &str| -> Vec<String> {
        nodes.iter().filter(|n| n.kind == kind).map(|n| n.key.clone()).collect()
    };
    assert_eq!(keys(&movement.worsened, "action"), ["1.2.1"]);
    assert_eq!(keys(&movement.improved, "action"), ["1.2.2", "1.6.1"]);
    assert_eq!(keys(&movement.completed, "action"), ["1.16.2"]);
    assert!(movement.rerated.is_empty(), "{:?}", movement.rerated);
    assert!(movement.new.is_empty() && movement.removed.is_empty());
}

/// The report's actions are made from its ratings as they are read, not held: they
/// are the rows `action_rows` makes, in every reading, and none without them.
#[test]
fn the_reports_actions_are_the_rows_of_its_ratings_each_time_they_are_read() {
    let plan = exceptions_plan();
    let (now, _) = rated(&plan, day(2015, 6, 30), None);
    let report = Report::build(&now, None, &ReportOptions::default());
    let rows = ragplan_report::action_rows(&now);
    assert_eq!(report.actions.len(), rows.len());
    assert_eq!(report.actions.iter().collect::<Vec<_>>(), rows);
    assert_eq!(report.actions.iter().collect::<Vec<_>>(), rows);
    assert_eq!(serde_json::to_value(report.actions).unwrap(), serde_json::to_value(&rows).unwrap());
    assert_eq!(report.actions, report.clone().actions);

    let mut options = ReportOptions::default();
    options.action_rows = false;
    let without = Report::build(&now, None, &options);
    assert!(without.actions.is_empty());
    assert_eq!(serde_json::to_value(without.actions).unwrap(), serde_json::json!([]));
    assert_ne!(without.actions, report.actions);
}
