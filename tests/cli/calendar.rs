//! `ragplan calendar`: the due dates of open actions as an iCalendar file.

use icalendar::{Calendar, Component};

use crate::common::{SMALL_PLAN, ragplan, temp_file};

/// The UIDs and summaries of a calendar's events, read back with a calendar library.
fn events(ics: &str) -> Vec<(String, String)> {
    let calendar: Calendar = ics.parse().expect("an iCalendar document");
    calendar
        .events()
        .map(|e| {
            let uid = e.get_uid().unwrap_or_default().to_owned();
            (uid, e.get_summary().unwrap_or_default().to_owned())
        })
        .collect()
}

#[test]
fn due_dates_of_open_actions_are_written_to_the_file() {
    let (dir, plan) = temp_file("small.json", SMALL_PLAN);
    let out = dir.path().join("due.ics");
    let run = ragplan().arg("calendar").arg(&plan).arg("-o").arg(&out).assert().success();
    let stderr = String::from_utf8_lossy(&run.get_output().stderr).into_owned();
    assert_eq!(stderr, "3 due dates; left out: 1 complete\n");
    let ics = std::fs::read_to_string(&out).unwrap();
    assert_eq!(
        events(&ics),
        [
            ("small-1.1.1@ragplan", "Due: 1.1.1 Information sharing agreement to be in place"),
            ("small-1.2.1@ragplan", "Due: 1.2.1 Train front-line staff"),
            ("small-2.1@ragplan", "Due: 2.1 Set up the MASH"),
        ]
        .map(|(u, s)| (u.to_owned(), s.to_owned()))
    );
}

#[test]
fn an_owner_gets_their_own_calendar_and_an_unknown_owner_an_error() {
    let (_dir, plan) = temp_file("small.json", SMALL_PLAN);
    let run = ragplan().arg("calendar").arg(&plan).args(["--owner", "jayne"]).assert().success();
    let ics = String::from_utf8(run.get_output().stdout.clone()).unwrap();
    let uids: Vec<String> = events(&ics).into_iter().map(|(u, _)| u).collect();
    assert_eq!(uids, ["small-1.1.1@ragplan"]);
    let refused =
        ragplan().arg("calendar").arg(&plan).args(["--owner", "Nobody Here"]).assert().code(2);
    let stderr = String::from_utf8_lossy(&refused.get_output().stderr).into_owned();
    assert!(stderr.contains("--owner \"Nobody Here\" finds no accountable"), "{stderr}");
    assert!(refused.get_output().stdout.is_empty());
}
