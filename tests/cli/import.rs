//! `ragplan import` and `ragplan export`: exit codes, diagnostics on standard error,
//! atomic output, re-import with `--into`, and import → export → import.

use predicates::prelude::*;
use ragplan_core::Plan;

use crate::common::ragplan;

const COVENTRY_TSV: &str = "examples/plans/coventry-cse-delivery-plan.tsv";

fn read_plan(path: &std::path::Path) -> Plan {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    Plan::from_json(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn import_writes_the_plan_and_prints_diagnostics_on_stderr() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = dir.path().join("plan.json");
    ragplan()
        .args(["import", COVENTRY_TSV, "-o"])
        .arg(&out)
        .assert()
        .success()
        .stdout("")
        .stderr(predicate::str::contains(
            "coventry-cse-delivery-plan.tsv: warning[page-marker] row 48, column \"column 1\": page marker skipped",
        ))
        .stderr(predicate::str::contains("warning[split-actions] row 94, column \"Actions\""));
    // 33 actions: see the hand count in crates/ragplan-import/tests/import/fixtures.rs.
    assert_eq!(read_plan(&out).n_actions(), 33);
    // Nothing but the plan is left in the directory (the temporary file was renamed).
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .map(|d| {
            d.filter_map(Result::ok).map(|e| e.file_name().to_string_lossy().into_owned()).collect()
        })
        .unwrap_or_default();
    assert_eq!(names, ["plan.json"]);
}

#[test]
fn import_writes_to_stdout_without_output_flag() {
    ragplan()
        .args(["import", "tests/fixtures/import/plymouth-timetable.tsv", "--id", "plymouth"])
        .args(["--title", "Be-wise to CSE timetable", "--scale", "brag"])
        .assert()
        .success()
        .stdout(predicate::str::contains(r#""id": "plymouth""#))
        .stdout(predicate::str::contains(r#""scale": "brag""#))
        .stdout(predicate::str::contains(r#""title": "Be-wise to CSE timetable""#));
}

#[test]
fn strict_exits_1_on_warnings_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = dir.path().join("plan.json");
    ragplan()
        .args(["import", "tests/fixtures/import/plymouth-timetable.tsv", "--strict", "-o"])
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("warning[unresolved-timescale] row 11"));
    assert!(!out.exists());
    // Without warnings --strict is no obstacle.
    ragplan()
        .args(["import", "tests/fixtures/import/jay-recommendations.txt", "--strict"])
        .assert()
        .success();
}

#[test]
fn unreadable_sources_exit_2_naming_file_row_and_column() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let no_header = dir.path().join("numbers.csv");
    std::fs::write(&no_header, "1,2\n3,4\n").unwrap_or_else(|e| panic!("{e}"));
    ragplan()
        .arg("import")
        .arg(&no_header)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("numbers.csv: row 1, column 1: no header row found"));
    ragplan()
        .args(["import", "tests/fixtures/import/missing.tsv"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("missing.tsv: cannot read"));
    let bad_json = dir.path().join("plan.json");
    std::fs::write(&bad_json, "{\"format\": \"ragplan/1\", \"id\": \"p\"}")
        .unwrap_or_else(|e| panic!("{e}"));
    ragplan()
        .arg("import")
        .arg(&bad_json)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("plan.json: missing field `title` (line 1, column"));
    ragplan().args(["import", COVENTRY_TSV, "--map", "Lead"]).assert().code(2);
}

#[test]
fn diagnostics_file_holds_every_diagnostic_as_json() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let diagnostics = dir.path().join("diagnostics.json");
    ragplan()
        .args(["import", "tests/fixtures/import/plymouth-timetable.tsv", "--diagnostics"])
        .arg(&diagnostics)
        .assert()
        .success();
    let text = std::fs::read_to_string(&diagnostics).unwrap_or_default();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    assert_eq!(
        value,
        serde_json::json!([{
            "severity": "warning",
            "code": "unresolved-timescale",
            "row": 11,
            "column": "Timescale / Date(s)",
            "message": "timescale not understood; the text is kept",
            "text": "To be included in Ambitious Plymouth work programme for 2015-2016"
        }])
    );
}

#[test]
fn map_and_group_by_shape_the_plan() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let source = dir.path().join("plan.csv");
    std::fs::write(&source, "Department,Task,Lead officer,Budget\nPolice,Bail checks,WMP,10\nHealth,Screening,Jo Bloggs,\nPolice,Disruption plans,WMP,\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let out = dir.path().join("plan.json");
    ragplan()
        .arg("import")
        .arg(&source)
        .args(["--group-by", "department", "--map", "Budget=progress", "-o"])
        .arg(&out)
        .assert()
        .success();
    let plan = read_plan(&out);
    let objectives: Vec<(&str, usize)> =
        plan.objectives.iter().map(|o| (o.title.as_str(), o.actions.len())).collect();
    // Two departments, in order of first appearance: Police (2 tasks), Health (1).
    assert_eq!(objectives, [("Police", 2), ("Health", 1)]);
}

#[test]
fn reimport_into_a_stored_plan_reports_changes_and_keeps_history() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let stored = dir.path().join("plan.json");
    let v1 = dir.path().join("v1.tsv");
    let v2 = dir.path().join("v2.tsv");
    std::fs::write(&v1, "Actions\tAction RAG\tAccountable\nPublish leaflets\tAmber\tMandie Watson\nTrain taxi drivers\tRed\tWMP\n")
        .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(&v2, "Actions\tAction RAG\tAccountable\nPublish leaflets\tGreen\tMandie Watson\nAudit case files\tAmber\tSue Whitmore\n")
        .unwrap_or_else(|e| panic!("{e}"));
    ragplan().arg("import").arg(&v1).arg("-o").arg(&stored).assert().success();
    ragplan()
        .arg("import")
        .arg(&v2)
        .arg("--into")
        .arg(&stored)
        .arg("-o")
        .arg(&stored)
        .assert()
        .success()
        .stderr(predicate::str::contains("changed 1.1 \"Publish leaflets\": action_rag"))
        .stderr(predicate::str::contains("added 1.2 \"Audit case files\""))
        .stderr(predicate::str::contains("removed 1.2-removed \"Train taxi drivers\""));
    let plan = read_plan(&stored);
    let removed: Vec<(&str, bool)> =
        plan.actions().map(|a| (a.title.as_str(), a.removed)).collect();
    assert_eq!(
        removed,
        [("Publish leaflets", false), ("Audit case files", false), ("Train taxi drivers", true)]
    );
}

#[test]
fn export_then_import_gives_the_same_plan() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let first = dir.path().join("first.json");
    let table = dir.path().join("table.csv");
    let second = dir.path().join("second.json");
    let title = ["--title", "Coventry CSE delivery plan", "--id", "coventry"];
    ragplan().args(["import", COVENTRY_TSV]).args(title).arg("-o").arg(&first).assert().success();
    ragplan()
        .arg("export")
        .arg(&first)
        .args(["--format", "csv", "-o"])
        .arg(&table)
        .assert()
        .success();
    ragplan().arg("import").arg(&table).args(title).arg("-o").arg(&second).assert().success();
    assert_eq!(read_plan(&first).objectives, read_plan(&second).objectives);
    ragplan()
        .arg("export")
        .arg(&first)
        .args(["--format", "tsv"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "\tSub Objectives\tActions\tAction RAG\tEvidence\tOutcomes\tAccountable\tResponsibility\tTimescale\tPartners Involved\tOutcome RAG\n",
        ));
    ragplan().arg("export").arg(&first).args(["--format", "xml"]).assert().code(2);
}
