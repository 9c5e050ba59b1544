//! `ragplan validate`: lints as text and JSON, and its exit codes.

use serde_json::Value;

use crate::common::{CYCLE_PLAN, Q1_END, SMALL_PLAN, ragplan, stdout_of, temp_file};

#[test]
fn a_clean_plan_exits_0_even_under_strict() {
    // Every action of the small plan has an owner and a timescale, and every Green
    // carries evidence: no lint at all.
    let (_dir, plan) = temp_file("small.json", SMALL_PLAN);
    let out =
        stdout_of(ragplan().args(["validate", "--as-of", Q1_END, "--format", "json"]).arg(&plan));
    let doc: Value = serde_json::from_str(&out).expect("JSON output");
    assert_eq!((doc["errors"].as_u64(), doc["warnings"].as_u64()), (Some(0), Some(0)), "{out}");
    assert_eq!(doc["as_of"], Q1_END);
    assert_eq!(doc["lints"], serde_json::json!([]));
    ragplan().args(["validate", "--as-of", Q1_END, "--strict"]).arg(&plan).assert().code(0);
}

#[test]
fn a_dependency_cycle_is_an_error_and_exits_1() {
    let (_dir, plan) = temp_file("cycle.json", CYCLE_PLAN);
    let out = ragplan().args(["validate", "--as-of", Q1_END]).arg(&plan).assert().code(1);
    let text = String::from_utf8(out.get_output().stdout.clone()).expect("UTF-8");
    let line = text.lines().find(|l| l.contains("dependency-cycle")).expect("a cycle lint");
    assert!(line.starts_with("error[dependency-cycle]"), "{line}");
    assert!(line.contains("1.1") && line.contains("1.2"), "{line}");
    // The summary names the file, the counts and the as-of date.
    let last = text.lines().last().unwrap_or_default();
    assert!(
        last.contains("cycle.json") && last.contains("1 error") && last.contains("30 June 2015"),
        "{last}"
    );

    let out = ragplan()
        .args(["validate", "--as-of", Q1_END, "--format", "json"])
        .arg(&plan)
        .assert()
        .code(1);
    let doc: Value = serde_json::from_slice(&out.get_output().stdout).expect("JSON output");
    let codes: Vec<&str> =
        doc["lints"].as_array().into_iter().flatten().filter_map(|l| l["code"].as_str()).collect();
    assert!(codes.contains(&"dependency-cycle"), "{codes:?}");
    assert_eq!(doc["errors"], 1);
}

#[test]
fn lints_of_a_plan_missing_owner_and_timescale() {
    let plan_text = r#"{"format": "ragplan/1", "id": "p", "title": "P", "objectives": [
        {"key": "1", "title": "O", "actions": [
          {"key": "1.1", "title": "No owner, no timescale", "action_rag": "green"}]}]}"#;
    let (_dir, plan) = temp_file("p.json", plan_text);
    // Warnings only: exit 0, and 1 under --strict.
    let out = ragplan().args(["validate", "--as-of", Q1_END]).arg(&plan).assert().code(0);
    let text = String::from_utf8(out.get_output().stdout.clone()).expect("UTF-8");
    for code in ["no-accountable-owner", "no-timescale", "green-without-evidence"] {
        assert!(text.contains(&format!("warning[{code}] 1.1: ")), "{code} missing from\n{text}");
    }
    assert!(text.contains("0 errors, 3 warnings"), "{text}");
    ragplan().args(["validate", "--as-of", Q1_END, "--strict"]).arg(&plan).assert().code(1);
}
