//! `ragplan update`: the log grows, the plan is written back atomically, and bad
//! updates are refused without touching the file.

use crate::common::{Q1_END, SMALL_PLAN, file_names, ragplan, stdout_of, temp_file};

fn read_plan(path: &std::path::Path) -> ragplan_core::Plan {
    ragplan_core::Plan::from_json(&std::fs::read_to_string(path).expect("the plan"))
        .expect("a plan")
}

fn key(k: &str) -> ragplan_core::Key {
    ragplan_core::Key::new(k).expect("a key")
}

#[test]
fn an_update_is_logged_and_changes_the_rating() {
    let (dir, plan) = temp_file("plan.json", SMALL_PLAN);
    ragplan()
        .args(["update"])
        .arg(&plan)
        .args([
            "1.2.1",
            "--rating",
            "red",
            "--progress",
            "20",
            "--note",
            "Trainer left",
            "--by",
            "R Eaves",
        ])
        .args(["--on", "2015-06-20"])
        .assert()
        .success()
        .stderr(predicates::str::contains("recorded an update to 1.2.1 on 20 June 2015"));
    let after = read_plan(&plan);
    let action = after.action(&key("1.2.1")).expect("1.2.1");
    assert_eq!(action.action_rag, Some(ragplan_core::Rating::Red));
    assert_eq!(action.progress, Some(20));
    assert_eq!(action.updates.len(), 2);
    let last = action.updates.last().expect("the new update");
    assert_eq!(last.by, "R Eaves");
    assert_eq!(last.note.as_deref(), Some("Trainer left"));
    // The file is the canonical document, and no temporary file is left.
    assert_eq!(std::fs::read_to_string(&plan).expect("the plan"), after.to_json());
    assert_eq!(file_names(dir.path()), ["plan.json"]);
    // status sees it: 1.2 is now Red.
    let tree = stdout_of(ragplan().args(["status", "--as-of", Q1_END]).arg(&plan));
    let line = crate::status::node_line(&tree, "1.2");
    assert!(line.trim_start().starts_with("■ RED"), "{line}");
}

#[test]
fn an_unknown_key_is_refused_and_the_plan_untouched() {
    let (_dir, plan) = temp_file("plan.json", SMALL_PLAN);
    ragplan()
        .args(["update"])
        .arg(&plan)
        .args(["9.9.9", "--rating", "red", "--by", "R Eaves", "--on", Q1_END])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no action has the key 9.9.9"));
    assert_eq!(std::fs::read_to_string(&plan).expect("the plan"), SMALL_PLAN);
}

#[test]
fn refusals_exit_2_and_leave_the_plan_alone() {
    let (_dir, plan) = temp_file("plan.json", SMALL_PLAN);
    let cases: &[(&[&str], &str)] = &[
        // Amber/Green is not on the BRAG scale.
        (
            &["1.2.1", "--rating", "amber/green", "--by", "X", "--on", Q1_END],
            "not on the plan's brag scale",
        ),
        // Dated before the last update (1 June 2015).
        (
            &["1.2.1", "--note", "late", "--by", "X", "--on", "2015-05-01"],
            "before the previous update",
        ),
        (&["1.2.1", "--progress", "101", "--by", "X"], "101"),
        // Every problem is listed, each with its field.
        (
            &["1.2.1", "--rating", "amber/green", "--by", " ", "--on", "2015-05-01"],
            "delivery: Amber/Green is not on the plan's brag scale; by: say who made the update; \
             on: the update is dated 1 May 2015",
        ),
        (&["1.2.1", "--rating", "purple", "--by", "X"], "\"purple\" is not a rating"),
        (&["1.2.1", "--status", "maybe", "--by", "X"], "\"maybe\" is not a status"),
        (&["1.2.1", "--by", "X"], "required"),
        (&["1.2.1", "--note", "no author"], "--by"),
        (&["1.2.1", "--note", "blank author", "--by", " "], "by: say who made the update"),
        (&["bad key!", "--note", "x", "--by", "X"], "contains ' '"),
        // Month first is never read (30/06/2015, day first, is).
        (&["1.2.1", "--note", "x", "--by", "X", "--on", "06/30/2015"], "is not a date"),
    ];
    for (args, message) in cases {
        ragplan()
            .arg("update")
            .arg(&plan)
            .args(*args)
            .assert()
            .code(2)
            .stderr(predicates::str::contains(*message));
        assert_eq!(std::fs::read_to_string(&plan).expect("the plan"), SMALL_PLAN, "{args:?}");
    }
}

#[test]
fn a_table_source_is_not_written_over() {
    let (_dir, plan) = temp_file("plan.tsv", "Actions\tAction RAG\nDo it\tGreen\n");
    ragplan()
        .arg("update")
        .arg(&plan)
        .args(["1.1", "--rating", "red", "--by", "X"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("cannot be written back"));
    assert_eq!(
        std::fs::read_to_string(&plan).expect("the plan"),
        "Actions\tAction RAG\nDo it\tGreen\n"
    );
}
