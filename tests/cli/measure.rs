//! `ragplan measure add` and `ragplan reading`: a recommendation's indicator and its
//! quarterly readings, recorded in the plan's change log and told by `ragplan log`.

use crate::common::{ragplan, stderr_of, stdout_of, stockton};

/// The outcome rating of the node `key` in `ragplan status --format json`.
pub fn outcome_of(status: &serde_json::Value, key: &str) -> String {
    fn find<'v>(v: &'v serde_json::Value, key: &str) -> Option<&'v serde_json::Value> {
        match v {
            serde_json::Value::Object(map) => {
                if map.get("key").and_then(|k| k.as_str()) == Some(key)
                    && map.contains_key("outcome")
                {
                    return Some(v);
                }
                map.values().find_map(|c| find(c, key))
            }
            serde_json::Value::Array(items) => items.iter().find_map(|c| find(c, key)),
            _ => None,
        }
    }
    let node = find(status, key).unwrap_or(&serde_json::Value::Null);
    node["outcome"]["rating"].as_str().unwrap_or_default().to_owned()
}

/// A measure and its readings could be given only by hand-editing the plan's JSON.
#[test]
fn a_measure_and_its_readings_needed_hand_edited_json() {
    let (_dir, plan) = stockton();
    let added = stderr_of(
        ragplan().arg("measure").arg("add").arg(&plan).args([
            "--under",
            "R5",
            "--title",
            "Schools teaching the healthy relationships lessons",
            "--target",
            "80",
            "--unit",
            "%",
            "--direction",
            "higher",
            "--tolerance",
            "5",
            "--by",
            "CSE Co-ordinator",
            "--on",
            "01/04/2015",
        ]),
        0,
    );
    assert_eq!(added, format!("added measure M1 to R5 on 1 April 2015 in {}\n", plan.display()));
    for (value, on) in [("62", "2015-06-30"), ("81", "30/09/2015")] {
        ragplan()
            .arg("reading")
            .arg(&plan)
            .args(["M1", "--value", value, "--on", on, "--by", "CSE Co-ordinator"])
            .assert()
            .success();
    }
    let rated = |as_of: &str| {
        let out = stdout_of(
            ragplan().arg("status").arg(&plan).args(["--as-of", as_of, "--format", "json"]),
        );
        let json: serde_json::Value = serde_json::from_str(&out).unwrap_or_default();
        outcome_of(&json, "R5")
    };
    // 62% against 80% ± 5 is off target in June; 81% is on target in September.
    assert_eq!(rated("2015-06-30"), "red");
    assert_eq!(rated("2015-09-30"), "green");
    let log = stdout_of(ragplan().arg("log").arg(&plan).arg("R5"));
    insta::assert_snapshot!("log_of_a_measure_and_its_readings", log);
}

/// A measure that cannot be added, or a reading of no measure, is refused with every
/// problem and the nearest keys; the plan is not changed.
#[test]
fn a_refused_measure_or_reading_names_every_problem() {
    let (_dir, plan) = stockton();
    let before = std::fs::read(&plan).unwrap_or_default();
    let measure = |args: &[&str]| {
        let mut cmd = ragplan();
        cmd.arg("measure").arg("add").arg(&plan).args(args);
        cmd
    };
    let under_action = stderr_of(
        &mut measure(&[
            "--under",
            "R5.1",
            "--title",
            "T",
            "--target",
            "1",
            "--direction",
            "lower",
            "--by",
            "A",
        ]),
        2,
    );
    assert_eq!(
        under_action,
        format!(
            "error: {}: action R5.1: the edit was refused: measures: an action has no \
             measures; only an objective or sub-objective has\n",
            plan.display()
        )
    );
    let everything_wrong = stderr_of(
        &mut measure(&[
            "--under",
            "R5",
            "--key",
            "R9",
            "--title",
            " ",
            "--target",
            "1",
            "--tolerance",
            "-1",
            "--direction",
            "lower",
            "--by",
            "",
        ]),
        2,
    );
    assert_eq!(
        everything_wrong,
        format!(
            "error: {}: node R5: the edit was refused: key: the key R9 is taken; give the \
             measure another; by: say who made the edit; title: a measure needs a title; \
             measures: the tolerance is a number from 0, in the measure's unit\n",
            plan.display()
        )
    );
    let no_measure =
        stderr_of(ragplan().arg("reading").arg(&plan).args(["M1", "--value", "3", "--by", "A"]), 2);
    assert_eq!(
        no_measure,
        format!(
            "error: {}: node M1: the edit was refused: key: no measure has the key M1\n",
            plan.display()
        )
    );
    assert_eq!(std::fs::read(&plan).unwrap_or_default(), before);
}
