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
    let ov = &doc["objectives"][0]["sub_objectives"][0]["actions"][0]["overrides"][0];
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
        .stderr(predicates::str::contains("no node has the key 7"));
    assert_eq!(std::fs::read_to_string(&plan).expect("the plan"), SMALL_PLAN);
}

/// Two overrides and a withdrawal on one action, in the file workflow: the report at
/// each quarter-end shows the judgement in force then, and the record keeps all three.
#[test]
fn overrides_are_a_dated_record_and_each_quarter_shows_the_judgement_then() {
    let (_dir, plan) = temp_file("plan.json", SMALL_PLAN);
    let run = |args: &[&str]| {
        ragplan().arg("override").arg(&plan).args(args).assert().success();
    };
    run(&["1.1.1", "--rating", "amber", "--by", "Chair", "--on", "2015-03-01"]
        .into_iter()
        .chain(["--justification", "Interim protocol in place"])
        .collect::<Vec<_>>());
    run(&["1.1.1", "--rating", "green", "--by", "Chair", "--on", "2015-06-01"]
        .into_iter()
        .chain(["--justification", "Agreement signed"])
        .collect::<Vec<_>>());
    run(&["1.1.1", "--withdraw", "--by", "Chair", "--on", "2015-08-01"]
        .into_iter()
        .chain(["--justification", "Signature withdrawn by one partner"])
        .collect::<Vec<_>>());
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(&plan).expect("the plan")).expect("JSON");
    let record = doc["objectives"][0]["sub_objectives"][0]["actions"][0]["overrides"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(record.len(), 2, "{record:?}");
    assert_eq!(record[1]["withdrawn"]["on"], "2015-08-01");
    for (as_of, want) in
        [("2015-03-31", "▲ AMBER"), ("2015-06-30", "● GREEN"), ("2015-09-30", "■ RED")]
    {
        let tree = stdout_of(ragplan().args(["status", "--as-of", as_of]).arg(&plan));
        let line = crate::status::node_line(&tree, "1.1.1");
        assert!(line.trim_start().starts_with(want), "{as_of}: {line}");
        assert_eq!(line.contains("overridden"), want != "■ RED", "{as_of}: {line}");
        // The quarter's report shows the same judgement in its objective table.
        let md =
            stdout_of(ragplan().args(["report", "--format", "md", "--as-of", as_of]).arg(&plan));
        let row = md
            .lines()
            .find(|l| l.starts_with("| 1.1.1 |"))
            .unwrap_or_else(|| panic!("{as_of}: no row for 1.1.1 in\n{md}"));
        assert!(row.contains(want), "{as_of}: {row}");
    }
    // Nothing to withdraw once it is withdrawn.
    ragplan()
        .arg("override")
        .arg(&plan)
        .args(["1.1.1", "--withdraw", "--by", "Chair", "--on", "2015-09-01"])
        .args(["--justification", "again"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no override stands on 1 September 2015 to withdraw"));
}

/// `ragplan migrate` writes a `ragplan/1` document as `ragplan/2`, and the result
/// reads back to the same plan (migrating again changes nothing).
#[test]
fn migrate_rewrites_a_ragplan_1_document_as_ragplan_2() {
    let one = std::fs::read_to_string("tests/fixtures/plan-every-field-1.json").expect("fixture");
    let (_dir, plan) = temp_file("plan.json", &one);
    ragplan().arg("migrate").arg(&plan).assert().success();
    let two = std::fs::read_to_string(&plan).expect("the plan");
    assert!(two.contains(r#""format": "ragplan/2""#) && two.contains(r#""overrides": ["#));
    ragplan().arg("migrate").arg(&plan).assert().success();
    assert_eq!(std::fs::read_to_string(&plan).expect("the plan"), two);
}
