//! `ragplan override`: a professional judgement with who, when and why.

use serde_json::Value;

use crate::common::{Q1_END, SMALL_PLAN, ragplan, stdout_of, temp_file};

#[test]
fn an_override_stands_and_is_shown_as_one() {
    let (_dir, plan) = temp_file("plan.json", SMALL_PLAN);
    ragplan()
        .arg("override")
        .arg(&plan)
        .args(["1.1.1", "--rating", "amber", "--by", "LSCB Chair", "--on", Q1_END])
        .args(["--justification", "Agreement signed by all but one partner"])
        .assert()
        .success();
    let text = std::fs::read_to_string(&plan).expect("the plan");
    let doc: Value = serde_json::from_str(&text).expect("JSON");
    let ov = &doc["objectives"][0]["sub_objectives"][0]["actions"][0]["override"];
    assert_eq!(ov["rating"], "amber");
    assert_eq!(ov["by"], "LSCB Chair");
    assert_eq!(ov["on"], Q1_END);
    assert_eq!(ov["justification"], "Agreement signed by all but one partner");

    // 1.1.1 was Red (overdue); the override makes it Amber, flagged overridden.
    let tree = stdout_of(ragplan().args(["status", "--as-of", Q1_END]).arg(&plan));
    let line = crate::status::node_line(&tree, "1.1.1");
    assert!(line.trim_start().starts_with("▲ AMBER"), "{line}");
    assert!(line.contains("overridden"), "{line}");
    assert!(tree.contains("Agreement signed by all but one partner"), "{tree}");
}

#[test]
fn an_override_without_a_justification_is_refused() {
    let (_dir, plan) = temp_file("plan.json", SMALL_PLAN);
    // No --justification at all: a usage error.
    ragplan()
        .arg("override")
        .arg(&plan)
        .args(["1.1.1", "--rating", "green", "--by", "Chair"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--justification"));
    // A blank one.
    ragplan()
        .arg("override")
        .arg(&plan)
        .args(["1.1.1", "--rating", "green", "--by", "Chair", "--justification", "  "])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("justification: record why the rating differs"));
    // An unknown key.
    ragplan()
        .arg("override")
        .arg(&plan)
        .args(["7", "--rating", "green", "--by", "Chair", "--justification", "why"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no action has the key 7"));
    assert_eq!(std::fs::read_to_string(&plan).expect("the plan"), SMALL_PLAN);
}
