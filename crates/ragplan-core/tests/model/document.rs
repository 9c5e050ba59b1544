//! The `ragplan/2` document: golden file, schema, errors that name the JSON path, and
//! the `ragplan/1` documents before it, still read.

use std::path::PathBuf;

use ragplan_core::document::{assessment_json_schema, plan_json_schema};
use ragplan_core::{Plan, Rating};
use serde_json::Value;

fn repo_file(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..").join(path)
}

fn read(path: &str) -> String {
    std::fs::read_to_string(repo_file(path)).unwrap_or_else(|e| panic!("reading {path}: {e}"))
}

const GOLDEN: &str = "tests/fixtures/plan-every-field.json";
const GOLDEN_1: &str = "tests/fixtures/plan-every-field-1.json";
const SCHEMA: &str = "schemas/ragplan-2.schema.json";

#[test]
fn golden_plan_round_trips_byte_for_byte() {
    let text = read(GOLDEN);
    let plan = Plan::from_json(&text).unwrap_or_else(|e| panic!("{GOLDEN}: {e}"));
    assert_eq!(plan.to_json(), text);
    assert_eq!(plan.n_actions(), 3);
    let record = plan.actions().find(|a| !a.overrides.is_empty()).map(|a| a.overrides.clone());
    let ratings: Vec<Rating> = record.unwrap_or_default().iter().map(|o| o.rating).collect();
    assert_eq!(ratings, [Rating::Amber, Rating::Green]);
}

/// A `ragplan/1` document (the golden file of that format) is read: its one override
/// becomes a one-entry record, every status it holds is kept, and it is written back
/// as `ragplan/2` that reads to the same plan.
#[test]
fn a_ragplan_1_document_loads_and_migrates() {
    let text = read(GOLDEN_1);
    assert!(text.contains(r#""format": "ragplan/1""#));
    let plan = Plan::from_json(&text).unwrap_or_else(|e| panic!("{GOLDEN_1}: {e}"));
    let overridden: Vec<usize> = plan.actions().map(|a| a.overrides.len()).collect();
    assert_eq!(overridden, [0, 1, 0]);
    assert!(plan.actions().all(|a| a.status.is_some()), "every /1 action had a status");
    let migrated = plan.to_json();
    assert!(migrated.contains(r#""format": "ragplan/2""#));
    assert!(migrated.contains(r#""overrides": ["#) && !migrated.contains(r#""override": {"#));
    assert_eq!(Plan::from_json(&migrated).unwrap(), plan);
}

/// Every property the schema names for any type appears in the golden file, so the
/// golden file really has every field set.
#[test]
fn golden_plan_sets_every_field() {
    let schema: Value = serde_json::from_str(&plan_json_schema()).unwrap_or_default();
    let golden: Value = serde_json::from_str(&read(GOLDEN)).unwrap_or_default();
    let mut fields = Vec::new();
    collect_property_names(&schema, &mut fields);
    let mut present = Vec::new();
    collect_object_keys(&golden, &mut present);
    let missing: Vec<_> = fields.iter().filter(|f| !present.contains(f)).collect();
    assert!(fields.len() > 40, "schema lists only {} fields", fields.len());
    assert!(missing.is_empty(), "fields missing from {GOLDEN}: {missing:?}");
}

fn collect_property_names(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            if let Some(Value::Object(props)) = map.get("properties") {
                out.extend(props.keys().cloned());
            }
            map.values().for_each(|v| collect_property_names(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_property_names(v, out)),
        _ => {}
    }
}

fn collect_object_keys(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            out.extend(map.keys().cloned());
            map.values().for_each(|v| collect_object_keys(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_object_keys(v, out)),
        _ => {}
    }
}

/// The committed schema is what the types generate. To refresh it after changing the
/// model: `cargo run -p ragplan-core --example write_schema`.
#[test]
fn committed_schema_matches_the_types() {
    assert_eq!(
        read(SCHEMA),
        plan_json_schema(),
        "{SCHEMA} is out of date: run `cargo run -p ragplan-core --example write_schema`"
    );
}

/// The committed schema of the assessment document is what its types generate.
#[test]
fn committed_assessment_schema_matches_the_types() {
    const ASSESSMENT_SCHEMA: &str = "schemas/ragplan-assessment-2.schema.json";
    assert_eq!(
        read(ASSESSMENT_SCHEMA),
        assessment_json_schema(),
        "{ASSESSMENT_SCHEMA} is out of date: run `cargo run -p ragplan-core --example write_schema`"
    );
}

#[test]
fn errors_name_the_json_path() {
    let cases: &[(&str, &str)] = &[
        (
            r#"{"format":"ragplan/1","id":"p","title":"t","objectives":[{"key":"1","title":"o","actions":[{"key":"1.1","title":"a","colour":"red"}]}]}"#,
            "at objectives[0].actions[0].colour: unknown field `colour`",
        ),
        (
            r#"{"format":"ragplan/1","id":"p","title":"t","objectives":[{"key":"1","title":"o","actions":[{"key":"1.1","title":"a","action_rag":"purple"}]}]}"#,
            "at objectives[0].actions[0].action_rag: unknown variant `purple`",
        ),
        (
            r#"{"format":"ragplan/1","id":"p","title":"t","objectives":[{"key":"1 2","title":"o"}]}"#,
            "at objectives[0].key: key \"1 2\" contains ' '",
        ),
        (
            r#"{"format":"ragplan/3","id":"p","title":"t"}"#,
            "at format: format \"ragplan/3\" is not supported",
        ),
        (r#"{"format":"ragplan/1","title":"t"}"#, "missing field `id`"),
        (r#"{"format":"ragplan/1","id":"p","title":"t"} trailing"#, "trailing characters"),
        ("", "EOF while parsing"),
        (
            r#"{"format":"ragplan/1","id":"p","title":"t","objectives":[{"key":"1","title":"o","actions":[{"key":"1.1","title":"a","timescale":{"text":"May","kind":"month","due":"2015-02-30"}}]}]}"#,
            "at objectives[0].actions[0].timescale.due: input is out of range",
        ),
    ];
    for (text, want) in cases {
        let err = Plan::from_json(text).expect_err(want).to_string();
        assert!(err.starts_with(want), "got {err:?}, want it to start with {want:?}");
        assert!(err.contains("(line 1, column"), "{err}");
    }
}

#[test]
fn an_override_must_carry_every_part() {
    let text = r#"{"format":"ragplan/1","id":"p","title":"t","objectives":[{"key":"1","title":"o","actions":[{"key":"1.1","title":"a","override":{"rating":"green","by":"Chair","on":"2015-06-01"}}]}]}"#;
    let err = Plan::from_json(text).unwrap_err();
    assert_eq!(err.path, "objectives[0].actions[0].override");
    assert!(err.message.contains("missing field `justification`"), "{err}");
}

/// Plan JSON with a timescale whose start is after its due date, or with only one
/// of the two, was accepted, and rated from dates that contradict each other. Each
/// is refused, with the JSON path of the timescale.
#[test]
fn a_timescale_starting_after_it_is_due_or_with_one_date_was_accepted() {
    let plan = |timescale: &str| {
        format!(
            r#"{{"format": "ragplan/2", "id": "p", "title": "Plan", "objectives": [{{"key": "1",
            "title": "O", "actions": [{{"key": "1.1", "title": "A", "timescale": {timescale}}}]}}]}}"#
        )
    };
    let cases = [
        (
            r#"{"text": "2015", "kind": "date", "start": "2015-06-30", "due": "2015-05-31"}"#,
            "after it is due",
        ),
        (r#"{"text": "2015", "kind": "date", "start": "2015-06-30"}"#, "not both"),
        (r#"{"text": "2015", "kind": "date", "due": "2015-06-30"}"#, "not both"),
    ];
    for (timescale, says) in cases {
        let err = Plan::from_json(&plan(timescale)).unwrap_err();
        assert_eq!(err.path, "objectives[0].actions[0].timescale", "{err}");
        assert!(err.message.contains(says), "{err}");
    }
    let fine =
        r#"{"text": "May 2015", "kind": "month", "start": "2015-05-01", "due": "2015-05-31"}"#;
    assert!(Plan::from_json(&plan(fine)).is_ok());
    let unresolved = r#"{"text": "TBC", "kind": "unresolved"}"#;
    assert!(Plan::from_json(&plan(unresolved)).is_ok());
}
