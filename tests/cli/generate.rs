//! `ragplan generate`: reproducible synthetic plans.

use crate::common::{Q1_END, ragplan, stdout_of};

#[test]
fn the_same_seed_gives_the_same_plan() {
    let dir = tempfile::tempdir().expect("a directory");
    let (a, b) = (dir.path().join("a.json"), dir.path().join("b.json"));
    for path in [&a, &b] {
        ragplan()
            .args(["generate", "--actions", "120", "--objectives", "4", "--seed", "9", "-o"])
            .arg(path)
            .assert()
            .success();
    }
    let text = std::fs::read_to_string(&a).expect("a.json");
    assert_eq!(text, std::fs::read_to_string(&b).expect("b.json"));
    let plan = ragplan_core::Plan::from_json(&text).expect("a ragplan/1 document");
    assert_eq!(plan.n_actions(), 120);
    assert_eq!(plan.objectives.len(), 4);
    // It is what the library generates.
    assert_eq!(plan, ragplan_core::generate::synthetic_plan(120, 4, 9));

    let other = stdout_of(ragplan().args([
        "generate",
        "--actions",
        "120",
        "--objectives",
        "4",
        "--seed",
        "10",
    ]));
    assert_ne!(other, text);
}

#[test]
fn a_generated_plan_can_be_rated() {
    let dir = tempfile::tempdir().expect("a directory");
    let path = dir.path().join("g.json");
    ragplan().args(["generate", "--actions", "50", "-o"]).arg(&path).assert().success();
    let tree = stdout_of(ragplan().args(["status", "--as-of", Q1_END]).arg(&path));
    // 5 objectives (the default) of 10 actions, each in one sub-objective: every
    // action has a line keyed objective.sub-objective.action.
    let action_lines = crate::status::tree_ratings(&tree)
        .into_keys()
        .filter(|k| k.matches('.').count() == 2)
        .count();
    assert_eq!(action_lines, 50, "{tree}");
    assert!(tree.contains("actions rated for delivery as of 30 June 2015"), "{tree}");
}

#[test]
fn bad_sizes_are_usage_errors() {
    for args in [
        &["generate"][..],
        &["generate", "--actions", "-3"],
        &["generate", "--actions", "lots"],
        &["generate", "--actions", "99999999999"],
        &["generate", "--actions", "10", "--objectives", "0"],
    ] {
        ragplan().args(args).assert().code(2);
    }
}
