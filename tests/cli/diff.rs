//! `ragplan diff`: movement between two versions of a plan.

use serde_json::Value;

use crate::common::{Q1_END, SMALL_PLAN, ragplan, stdout_of, temp_file};

/// The small plan a quarter on: 1.1.1 complete, 1.2.1 Red, 2.1 removed, 2.2 new.
fn newer_plan() -> String {
    let mut plan = ragplan_core::Plan::from_json(SMALL_PLAN).expect("the small plan");
    let day = |m, d| chrono::NaiveDate::from_ymd_opt(2015, m, d).expect("a date");
    let key = |k: &str| ragplan_core::Key::new(k).expect("a key");
    let mut done = ragplan_core::Update::new(day(6, 20), "Jayne Hutchings");
    done.status = Some(ragplan_core::Status::Complete);
    done.delivery = Some(ragplan_core::Rating::Complete);
    plan.apply(&key("1.1.1"), done).expect("1.1.1 completes");
    let mut worse = ragplan_core::Update::new(day(6, 20), "Workforce development");
    worse.delivery = Some(ragplan_core::Rating::Red);
    plan.apply(&key("1.2.1"), worse).expect("1.2.1 worsens");
    let protect = &mut plan.objectives[1];
    let mut replaced = protect.actions.remove(0);
    replaced.key = key("2.2");
    replaced.title = "Run the MASH".to_owned();
    protect.actions.push(replaced);
    plan.to_json()
}

#[test]
fn movement_as_text_groups_nodes_by_how_they_moved() {
    let (dir, old) = temp_file("old.json", SMALL_PLAN);
    let new = dir.path().join("new.json");
    std::fs::write(&new, newer_plan()).expect("the newer plan");
    let text = stdout_of(ragplan().args(["diff", "--as-of", Q1_END]).arg(&old).arg(&new));
    assert!(
        text.starts_with("Small test plan — movement from 30 June 2015 to 30 June 2015\n"),
        "{text}"
    );
    // The plan stays Red: 1.2.1 is Red now.
    assert!(text.contains("Plan delivery: ■ RED → ■ RED (unchanged)"), "{text}");
    let section = |heading: &str| -> Vec<String> {
        let start = text.find(&format!("\n{heading} (")).map(|i| i + 1);
        start
            .map(|s| {
                text[s..]
                    .lines()
                    .skip(1)
                    .take_while(|l| l.starts_with("  "))
                    .map(|l| l.trim().to_owned())
                    .collect()
            })
            .unwrap_or_default()
    };
    // 1.1.1 is complete now, and so both actions of 1.1 are: 1.1 is Complete.
    assert_eq!(
        section("Completed"),
        [
            "sub-objective 1.1  Data: ■ RED → ✓ COMPLETE",
            "action 1.1.1  Information sharing agreement to be in place: ■ RED → ✓ COMPLETE"
        ]
    );
    // 1.2.1 was reported Red, so it and 1.2 went from Amber to Red.
    let worsened = section("Worsened");
    assert!(
        worsened.contains(&"action 1.2.1  Train front-line staff: ▲ AMBER → ■ RED".to_owned()),
        "{worsened:?}"
    );
    assert!(
        worsened.contains(&"sub-objective 1.2  Training: ▲ AMBER → ■ RED".to_owned()),
        "{worsened:?}"
    );
    assert_eq!(section("New"), ["action 2.2  Run the MASH: – → ● GREEN"]);
    assert_eq!(section("Removed"), ["action 2.1  Set up the MASH: ● GREEN → –"]);
}

#[test]
fn movement_as_json() {
    let (dir, old) = temp_file("old.json", SMALL_PLAN);
    let new = dir.path().join("new.json");
    std::fs::write(&new, newer_plan()).expect("the newer plan");
    let out = stdout_of(
        ragplan().args(["diff", "--as-of", Q1_END, "--format", "json"]).arg(&old).arg(&new),
    );
    let doc: Value = serde_json::from_str(&out).expect("JSON output");
    assert_eq!(doc["from"], Q1_END);
    assert_eq!(doc["to"], Q1_END);
    let change_of = |key: &str| {
        doc["nodes"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|n| n["key"] == key)
            .map(|n| n["delivery"]["change"].as_str().unwrap_or_default().to_owned())
    };
    assert_eq!(change_of("1.1.1").as_deref(), Some("completed"));
    assert_eq!(change_of("1.2.1").as_deref(), Some("worsened"));
    assert_eq!(change_of("2.1").as_deref(), Some("removed"));
    assert_eq!(change_of("2.2").as_deref(), Some("new"));
}

#[test]
fn the_same_plan_a_quarter_later_shows_dates_move() {
    // Rated at 31 March 2015 the small plan's 1.1.1 (due 31 May 2015) is not yet
    // overdue, and its Green came in an update of 1 June, not known then: Not rated.
    // At 30 June 2015 it is overdue: Red.
    let (_dir, plan) = temp_file("plan.json", SMALL_PLAN);
    let out = stdout_of(
        ragplan()
            .args(["diff", "--old-as-of", "2015-03-31", "--as-of", Q1_END, "--format", "json"])
            .arg(&plan)
            .arg(&plan),
    );
    let doc: Value = serde_json::from_str(&out).expect("JSON output");
    assert_eq!(doc["from"], "2015-03-31");
    let node = doc["nodes"].as_array().into_iter().flatten().find(|n| n["key"] == "1.1.1").cloned();
    let delivery = node.map(|n| n["delivery"].clone()).unwrap_or_default();
    assert_eq!(delivery["change"], "rerated", "{delivery}");
    assert_eq!(delivery["previous"], "not_rated", "{delivery}");
    assert_eq!(delivery["current"], "red");
}

/// The small plan's assessment as of 31 March 2015, saved by an earlier ragplan in
/// the first format (`ragplan-assessment/1`: reasons as sentences), written by hand.
const SAVED_MARCH_1: &str = "tests/fixtures/small-plan-assessment-1.json";

/// The small plan as a file.
const SMALL_PLAN_FILE: &str = "tests/fixtures/small-plan.json";

#[test]
fn a_saved_ragplan_assessment_1_document_still_reads() {
    let out = stdout_of(ragplan().args([
        "diff",
        SAVED_MARCH_1,
        SMALL_PLAN_FILE,
        "--as-of",
        Q1_END,
        "--format",
        "json",
    ]));
    let doc: Value = serde_json::from_str(&out).expect("JSON output");
    // The saved document keeps its own date.
    assert_eq!(doc["from"], "2015-03-31");
    assert_eq!(doc["to"], Q1_END);
    assert_eq!(doc["delivery"]["change"], "worsened", "{}", doc["delivery"]);
    let moved = |key: &str| {
        let node = doc["nodes"].as_array().into_iter().flatten().find(|n| n["key"] == key);
        let delivery = node.map(|n| n["delivery"].clone()).unwrap_or_default();
        (
            delivery["change"].as_str().unwrap_or_default().to_owned(),
            delivery["previous"].as_str().unwrap_or_default().to_owned(),
        )
    };
    // 1.1.1 was Green in March and is 30 days overdue in June.
    assert_eq!(moved("1.1.1"), ("worsened".to_owned(), "green".to_owned()));
    assert_eq!(moved("1.1.2"), ("unchanged".to_owned(), "complete".to_owned()));
    assert_eq!(moved("1.2.1"), ("unchanged".to_owned(), "amber".to_owned()));
    assert_eq!(moved("2.1"), ("unchanged".to_owned(), "green".to_owned()));

    let text =
        stdout_of(ragplan().args(["diff", SAVED_MARCH_1, SMALL_PLAN_FILE, "--as-of", Q1_END]));
    assert!(
        text.starts_with("Small test plan — movement from 31 March 2015 to 30 June 2015\n"),
        "{text}"
    );
    assert!(text.contains("Plan delivery: ▲ AMBER → ■ RED (worsened)"), "{text}");
}

#[test]
fn an_assessment_saved_by_status_compares_with_its_plan() {
    let (dir, plan) = temp_file("plan.json", SMALL_PLAN);
    let saved = dir.path().join("assessment.json");
    let json =
        stdout_of(ragplan().args(["status", "--as-of", Q1_END, "--format", "json"]).arg(&plan));
    std::fs::write(&saved, json).expect("the saved assessment");
    // NEW is the saved one: OLD, a plan, is rated as of its date.
    let out = stdout_of(ragplan().args(["diff", "--format", "json"]).arg(&plan).arg(&saved));
    let doc: Value = serde_json::from_str(&out).expect("JSON output");
    assert_eq!((doc["from"].as_str(), doc["to"].as_str()), (Some(Q1_END), Some(Q1_END)));
    let changes: Vec<&str> = doc["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|n| n["delivery"]["change"].as_str().unwrap_or_default())
        .collect();
    // 2 objectives, 2 sub-objectives, 4 actions.
    assert_eq!(changes.len(), 8);
    assert!(changes.iter().all(|c| *c == "unchanged"), "{changes:?}");
}

#[test]
fn a_saved_assessment_keeps_its_date() {
    let err = crate::common::stderr_of(
        ragplan().args(["diff", SAVED_MARCH_1, SMALL_PLAN_FILE, "--old-as-of", "2015-03-31"]),
        2,
    );
    assert!(
        err.contains(&format!(
            "--old-as-of 2015-03-31 rates a plan, but {SAVED_MARCH_1} is an assessment saved as of 2015-03-31"
        )),
        "{err}"
    );
    let (_dir, bad) = temp_file(
        "bad.json",
        r#"{"format": "ragplan-assessment/9", "as_of": "2015-03-31",
        "delivery": {"rating": "red"}, "outcome": {"rating": "red"}}"#,
    );
    let err = crate::common::stderr_of(ragplan().args(["diff"]).arg(&bad).arg(SMALL_PLAN_FILE), 2);
    assert!(err.contains("bad.json") && err.contains("ragplan-assessment/9"), "{err}");
}

/// An action the newer table no longer had stayed in the re-imported plan, marked
/// removed, and `diff` and the report's movement counted it unchanged instead of
/// removed.
#[test]
fn a_dropped_action_was_not_reported_removed() {
    let (dir, v1) = temp_file(
        "march.tsv",
        "Ref\tActions\tAction RAG\nA1\tPublish leaflets\tAmber\nA2\tTrain taxi drivers\tRed\n",
    );
    let v2 = dir.path().join("june.tsv");
    std::fs::write(&v2, "Ref\tActions\tAction RAG\nA1\tPublish leaflets\tGreen\n").expect("v2");
    let (march, june) = (dir.path().join("march.json"), dir.path().join("june.json"));
    ragplan().arg("import").arg(&v1).arg("-o").arg(&march).assert().success();
    ragplan()
        .arg("import")
        .arg(&v2)
        .arg("--into")
        .arg(&march)
        .arg("-o")
        .arg(&june)
        .assert()
        .success();
    let kept = ragplan_core::Plan::from_json(&std::fs::read_to_string(&june).expect("june"))
        .expect("the merged plan");
    assert_eq!(
        kept.actions().map(|a| (a.key.as_str(), a.removed)).collect::<Vec<_>>(),
        [("A1", false), ("A2", true)]
    );

    let text = stdout_of(ragplan().args(["diff", "--as-of", Q1_END]).arg(&march).arg(&june));
    assert!(text.contains("\nRemoved (1)\n  action A2  Train taxi drivers: ■ RED → –\n"), "{text}");
    assert!(text.contains("\nImproved (2)\n"), "{text}");
    // The same from an assessment saved by `status`.
    let saved = dir.path().join("june-assessment.json");
    let json =
        stdout_of(ragplan().args(["status", "--format", "json", "--as-of", Q1_END]).arg(&june));
    std::fs::write(&saved, json).expect("the saved assessment");
    let text = stdout_of(ragplan().args(["diff", "--old-as-of", Q1_END]).arg(&march).arg(&saved));
    assert!(text.contains("\nRemoved (1)\n  action A2  Train taxi drivers: ■ RED → –\n"), "{text}");
    // Marked removed on both sides: not removed again.
    let text = stdout_of(ragplan().args(["diff", "--as-of", Q1_END]).arg(&june).arg(&june));
    assert!(!text.contains("Removed"), "{text}");

    let report = stdout_of(
        ragplan()
            .args(["report", "--format", "md", "--as-of", Q1_END, "--previous"])
            .arg(&march)
            .arg(&june),
    );
    assert!(report.contains("### Removed (1)\n\n| Key | Title | Was | Now |\n|---|---|---|---|\n| A2 | Train taxi drivers |"), "{report}");
}
