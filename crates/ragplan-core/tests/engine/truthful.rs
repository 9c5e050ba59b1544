//! Invariants of truthful ratings over generated plans and override records: no
//! action is better than Not rated without a basis, and overrides are a dated record
//! whose judgement in force on a date is what the plan as it stood then shows.

use chrono::{Days, NaiveDate};
use proptest::prelude::*;
use ragplan_core::{
    Dimension, Flag, Key, Override, Place, Policy, Rating, Status, Withdrawal, rate,
};

use crate::common::{action, as_of, plan_of};

const TIMESCALES: [&str; 7] =
    ["", "May 2015", "June 2015", "15/07/2015", "Q2 2015/16", "2015/16", "Ongoing"];
const REPORTED: [Option<Rating>; 6] = [
    None,
    Some(Rating::NotRated),
    Some(Rating::Red),
    Some(Rating::Amber),
    Some(Rating::Green),
    Some(Rating::Complete),
];
const STATUSES: [Option<Status>; 4] =
    [None, Some(Status::NotStarted), Some(Status::InProgress), Some(Status::Complete)];

fn day(offset: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2015, 1, 1).unwrap() + Days::new(u64::from(offset))
}

proptest! {
    /// Whatever an action's dates, status and reported rating, it is rated better
    /// than Not rated only with a basis: a reported rating, completion, an override,
    /// or a date rule that found something late (overdue, behind, blocked, due soon
    /// and known not started).
    #[test]
    fn no_action_is_better_than_not_rated_without_a_basis(
        specs in prop::collection::vec(
            (0..TIMESCALES.len(), 0..REPORTED.len(), 0..STATUSES.len(),
             prop::option::of(0u8..=100), prop::option::weighted(0.3, 0u32..200)),
            1..8,
        ),
    ) {
        let actions = specs.iter().enumerate().map(|(i, (t, r, s, progress, updated))| {
            let mut a = action(&format!("1.1.{}", i + 1), "Action", TIMESCALES[*t]);
            a.action_rag = REPORTED[*r];
            a.status = STATUSES[*s];
            if let Some(p) = progress {
                a.start = NaiveDate::from_ymd_opt(2015, 4, 1);
                a.progress = Some(*p);
            }
            if let Some(days) = updated {
                a.updates.push(ragplan_core::Update::new(day(*days), "Lead"));
            }
            if i > 0 && i % 3 == 0 {
                a.depends_on.push(Key::new(&format!("1.1.{i}")).unwrap());
            }
            a
        }).collect();
        let plan = plan_of(actions);
        let policy = Policy::default();
        let ratings = rate(&plan, &policy, as_of());
        for rated in ratings.actions() {
            let a = rated.action().unwrap();
            if rated.rating(Dimension::Delivery) == Rating::NotRated {
                continue;
            }
            let late = [Flag::Overdue, Flag::BehindSchedule, Flag::Blocked]
                .iter()
                .any(|f| rated.has(*f))
                || (rated.has(Flag::DueSoon) && a.status == Some(Status::NotStarted));
            let basis = a.is_reported() || a.is_complete() || a.override_on(as_of()).is_some() || late;
            prop_assert!(basis, "{:?} is {} with no basis", a, rated.rating(Dimension::Delivery));
            prop_assert_eq!(rated.has(Flag::Unreported), !a.is_reported() && !a.is_complete());
        }
    }

    /// Overrides made and withdrawn in any order of dates (those the plan refuses are
    /// left out): a withdrawn override never stands again on a later date, and the
    /// plan as it stood on any date, rated then, shows the judgement in force then.
    #[test]
    fn an_override_record_gives_the_judgement_in_force_on_each_date(
        steps in prop::collection::vec((any::<bool>(), 0u32..365, 0..3usize), 1..8),
        probe in prop::collection::vec(0u32..400, 1..6),
    ) {
        let mut plan = plan_of(vec![action("1.1.1", "Agree the protocol", "May 2015")]);
        let k = Key::new("1.1.1").unwrap();
        let ratings = [Rating::Red, Rating::Amber, Rating::Green];
        for (make, offset, r) in &steps {
            if *make {
                let ov = Override::new(ratings[*r], "Chair", day(*offset), "Judgement").unwrap();
                let _ = plan.set_override(&k, ov);
            } else {
                let w = Withdrawal { by: "Chair".into(), on: day(*offset), justification: "Lapsed".into() };
                let _ = plan.withdraw_override(&k, w);
            }
        }
        let record = plan.action(&k).unwrap().overrides.clone();
        let policy = Policy::default();
        for offset in &probe {
            let date = day(*offset);
            let in_force = Override::in_force(&record, date);
            // A withdrawn override does not stand on or after its withdrawal.
            for ov in &record {
                if let Some(w) = &ov.withdrawn
                    && date >= w.on
                {
                    prop_assert!(in_force.is_none_or(|f| !std::ptr::eq(f, ov)));
                }
            }
            let then = plan.as_at(date);
            let rated = rate(&then, &policy, date);
            let node = rated.node(Place::Action(0)).unwrap();
            prop_assert_eq!(node.has(Flag::Overridden), in_force.is_some());
            if let Some(ov) = in_force {
                prop_assert_eq!(node.rating(Dimension::Delivery), ov.rating);
            }
        }
    }
}
