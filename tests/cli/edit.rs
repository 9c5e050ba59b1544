//! `ragplan edit`: a node's own fields changed from the command line, recorded in the
//! plan's change log and told by `ragplan log`.

use std::path::Path;

use crate::common::{SMALL_PLAN, ragplan, stderr_of, stdout_of, stockton, temp_file};

/// The action with `key` in a plan's JSON.
fn action_of<'j>(plan: &'j serde_json::Value, key: &str) -> &'j serde_json::Value {
    let objectives = plan["objectives"].as_array().map(Vec::as_slice).unwrap_or_default();
    objectives
        .iter()
        .flat_map(|o| {
            let own = o["actions"].as_array().into_iter().flatten();
            let subs = o["sub_objectives"].as_array().into_iter().flatten();
            own.chain(subs.flat_map(|s| s["actions"].as_array().into_iter().flatten()))
        })
        .find(|a| a["key"] == key)
        .unwrap_or(&serde_json::Value::Null)
}

fn plan_json(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    serde_json::from_str(&text).unwrap_or(serde_json::Value::Null)
}

/// Giving recommendation 3 a lead and a target date was impossible from the CLI:
/// only hand-editing the JSON or a CSV round trip that renumbered the plan could.
#[test]
fn giving_r3_a_lead_and_a_target_date_needed_hand_edited_json() {
    let (_dir, plan) = stockton();
    let told = stderr_of(
        ragplan().arg("edit").arg(&plan).args([
            "R3",
            "--accountable",
            "Mandie Watson",
            "--timescale",
            "31 March 2016",
            "--by",
            "Scrutiny officer",
            "--on",
            "01/07/2015",
        ]),
        0,
    );
    assert_eq!(
        told,
        format!(
            "R3 is taken as R3.1, the one action under it\nrecorded an edit of R3.1 \
             (accountable, timescale) on 1 July 2015 in {}\n",
            plan.display()
        )
    );
    let json = plan_json(&plan);
    let action = action_of(&json, "R3.1");
    assert_eq!(
        action["accountable"],
        serde_json::json!([{"name": "Mandie Watson", "kind": "person"}])
    );
    assert_eq!(action["timescale"]["due"], "2016-03-31");
    assert_eq!(json["edits"][0]["key"], "R3.1");
    assert_eq!(json["edits"][0]["by"], "Scrutiny officer");
    assert_eq!(json["edits"][0]["changes"][0]["before"], serde_json::json!([]));
    // The owner views see the lead at once.
    let owned = stdout_of(ragplan().arg("status").arg(&plan).args([
        "--as-of",
        "2015-09-30",
        "--owner",
        "Mandie Watson",
    ]));
    assert!(owned.contains("R3.1"), "{owned}");
    let report = stdout_of(ragplan().arg("report").arg(&plan).args(["--as-of", "2015-09-30"]));
    let by_owner = report.split("## By accountable owner").nth(1).unwrap_or_default();
    assert!(by_owner.contains("| Mandie Watson | 1 |"), "{report}");
    // The same values again change nothing and record nothing.
    let again = stderr_of(
        ragplan().arg("edit").arg(&plan).args([
            "R3.1",
            "--accountable",
            "Mandie Watson",
            "--by",
            "S",
        ]),
        0,
    );
    let expected =
        format!("nothing changed: R3.1 already has those values in {}\n", plan.display());
    assert!(again.ends_with(&expected), "{again}");
    assert_eq!(plan_json(&plan)["edits"].as_array().map(Vec::len), Some(1));
}

/// The log tells an edit among the updates, by date, with each field before and
/// after.
#[test]
fn log_shows_an_edit_between_updates_by_date() {
    let (_dir, plan) = stockton();
    let run = |args: &[&str]| {
        ragplan().arg(args[0]).arg(&plan).args(&args[1..]).assert().success();
    };
    run(&["update", "R3.1", "--status", "not_started", "--by", "Officer", "--on", "2015-06-30"]);
    run(&[
        "edit",
        "R3.1",
        "--accountable",
        "LSCB Business Manager",
        "--partner",
        "Police",
        "--partner",
        "Health",
        "--critical",
        "--by",
        "Scrutiny officer",
        "--on",
        "2015-07-01",
    ]);
    run(&["update", "R3.1", "--status", "in_progress", "--by", "Officer", "--on", "2015-09-30"]);
    let text = stdout_of(ragplan().arg("log").arg(&plan).arg("R3.1"));
    insta::assert_snapshot!("log_edit_r3_1", text);
    let json = stdout_of(ragplan().arg("log").arg(&plan).args(["R3.1", "--format", "json"]));
    insta::assert_snapshot!("log_edit_r3_1_json", json);
}

/// Every problem of a refused edit is listed with its field, and nothing is written.
#[test]
fn a_refused_edit_lists_every_problem_and_writes_nothing() {
    let (_dir, plan) = temp_file("plan.json", SMALL_PLAN);
    let err = stderr_of(
        ragplan().arg("edit").arg(&plan).args([
            "1.1.1",
            "--timescale",
            "soonish",
            "--weight",
            "0",
            "--depends-on",
            "1.1.1",
            "--depends-on",
            "9.9",
            "--by",
            " ",
        ]),
        2,
    );
    assert_eq!(
        err,
        format!(
            "error: {}: action 1.1.1: the edit was refused: by: say who made the edit; \
             timescale: \"soonish\" is not a date or period ragplan reads (such as `31 March \
             2016`, `Q3 2015/16` or `ongoing`); depends_on: an action cannot depend on \
             itself; depends_on: no action has the key 9.9; weight: a weight is a whole \
             number from 1\n",
            plan.display()
        )
    );
    assert_eq!(std::fs::read_to_string(&plan).unwrap_or_default(), SMALL_PLAN);
}

/// A field only an action has, given for an objective, is refused by name; an
/// unknown key names the nearest.
#[test]
fn a_field_an_objective_lacks_and_an_unknown_key_are_refused() {
    let (_dir, plan) = temp_file("plan.json", SMALL_PLAN);
    let err = stderr_of(
        ragplan().arg("edit").arg(&plan).args(["1", "--timescale", "May 2015", "--by", "A"]),
        2,
    );
    assert_eq!(
        err,
        format!(
            "error: {}: objective 1: the edit was refused: timescale: an objective has no \
             timescale; only an action has\n",
            plan.display()
        )
    );
    let err =
        stderr_of(ragplan().arg("edit").arg(&plan).args(["1.1.9", "--title", "T", "--by", "A"]), 2);
    assert_eq!(
        err,
        format!(
            "error: {}: node 1.1.9: the edit was refused: key: no node has the key 1.1.9; did \
             you mean 1.1.1 or 1.1.2?\n",
            plan.display()
        )
    );
    let err = stderr_of(
        ragplan().arg("edit").arg(&plan).args(["1.1.1", "--start", "06/31/2015", "--by", "A"]),
        2,
    );
    assert!(err.contains("06/31/2015"), "{err}");
    // A title and a weight are any node's.
    ragplan()
        .arg("edit")
        .arg(&plan)
        .args(["1", "--title", "Prevent harm", "--weight", "2", "--by", "A", "--on", "2015-07-01"])
        .assert()
        .success();
    let json = plan_json(&plan);
    assert_eq!(json["objectives"][0]["title"], "Prevent harm");
    assert_eq!(json["objectives"][0]["weight"], 2);
}

/// A recommendation's status, evidence and outcomes could be set only through an
/// update or by hand-editing the JSON; `edit` now sets them, and a status an update
/// reports is left to `ragplan update`, said.
#[test]
fn status_evidence_and_outcomes_are_edited_until_an_update_reports_the_status() {
    let (_dir, plan) = stockton();
    let told = stderr_of(
        ragplan().arg("edit").arg(&plan).args([
            "R5",
            "--status",
            "in progress",
            "--evidence",
            "Schools toolkit, May 2015",
            "--evidence",
            "Parents' evenings",
            "--outcome",
            "Young people know where to turn",
            "--by",
            "Scrutiny officer",
            "--on",
            "01/07/2015",
        ]),
        0,
    );
    assert_eq!(
        told,
        format!(
            "R5 is taken as R5.1, the one action under it\nrecorded an edit of R5.1 (status, \
             evidence, outcomes) on 1 July 2015 in {}\n",
            plan.display()
        )
    );
    let json = plan_json(&plan);
    let action = action_of(&json, "R5.1");
    assert_eq!(action["status"], "in_progress");
    assert_eq!(
        action["evidence"],
        serde_json::json!(["Schools toolkit, May 2015", "Parents' evenings"])
    );
    assert_eq!(action["outcomes"], serde_json::json!(["Young people know where to turn"]));
    let log = stdout_of(ragplan().arg("log").arg(&plan).arg("R5.1"));
    assert!(
        log.ends_with(
            "  1 July 2015        edit by Scrutiny officer: status none → \"in_progress\"; \
             evidence none → \"Schools toolkit, May 2015\", \"Parents' evenings\"; outcomes \
             none → \"Young people know where to turn\"\n"
        ),
        "{log}"
    );

    ragplan()
        .arg("edit")
        .arg(&plan)
        .args(["R5.1", "--no-evidence", "--by", "A", "--on", "2015-07-02"])
        .assert()
        .success();
    assert!(action_of(&plan_json(&plan), "R5.1").get("evidence").is_none());

    ragplan()
        .arg("update")
        .arg(&plan)
        .args(["R5.1", "--status", "complete", "--by", "A", "--on", "2015-08-01"])
        .assert()
        .success();
    let before = std::fs::read(&plan).unwrap_or_default();
    let err = stderr_of(
        ragplan().arg("edit").arg(&plan).args([
            "R5.1",
            "--status",
            "on_hold",
            "--outcome",
            " ",
            "--by",
            "A",
        ]),
        2,
    );
    assert_eq!(
        err,
        format!(
            "error: {}: action R5.1: the edit was refused: status: the action's status is \
             reported by its updates (the latest of 1 August 2015); log it with `ragplan update \
             R5.1 --status …`; outcomes: an outcome cannot be empty\n",
            plan.display()
        )
    );
    assert_eq!(std::fs::read(&plan).unwrap_or_default(), before);
}
