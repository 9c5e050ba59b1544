//! `ragplan import` and `ragplan export`: exit codes, diagnostics on standard error,
//! atomic output, re-import with `--into`, and import → export → import.

use predicates::prelude::*;
use ragplan_core::Plan;

use crate::common::ragplan;

#[path = "../../crates/ragplan-import/tests/import/docx_writer.rs"]
mod docx_writer;

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
        .args(["import", COVENTRY_TSV, "--max-diagnostics", "0", "-o"])
        .arg(&out)
        .assert()
        .success()
        .stdout("")
        .stderr(predicate::str::contains(
            "coventry-cse-delivery-plan.tsv: warning[page-marker] row 48, column \"column 1\": page marker skipped",
        ))
        .stderr(predicate::str::contains("warning[split-actions] row 94, column \"Actions\""));
    // 34 actions: see the hand count in crates/ragplan-import/tests/import/fixtures.rs.
    assert_eq!(read_plan(&out).n_actions(), 34);
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

/// A tracker whose third action's target date names an event, not a date: the one
/// warning of its import.
fn tracker_with_an_event_for_a_date(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("tracker.csv");
    let text = "Action,Lead officer,Target date,RAG status\n\
                Map out current provision,LSCB Training Officer,01/04/2015 - 30/09/2015,Amber\n\
                Identify any gaps,LSCB Training Officer,Jun-15,Red\n\
                Agree the protocol,LSCB Business Manager,first Cabinet Member meeting in the new Municipal Year,Amber\n";
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
    path
}

#[test]
fn strict_exits_1_on_warnings_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = dir.path().join("plan.json");
    ragplan()
        .arg("import")
        .arg(tracker_with_an_event_for_a_date(dir.path()))
        .args(["--strict", "-o"])
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("warning[unresolved-timescale] row 4"));
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
        .arg("import")
        .arg(tracker_with_an_event_for_a_date(dir.path()))
        .arg("--diagnostics")
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
            "row": 4,
            "column": "Target date",
            "message": "timescale not understood; the text is kept",
            "text": "first Cabinet Member meeting in the new Municipal Year"
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

/// A CSV round trip renamed the plan: `--into` took the newer file's name as the
/// plan's id and title.
#[test]
fn reimport_kept_the_new_file_name_as_the_plan_title() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let stored = dir.path().join("plan.json");
    let table = dir.path().join("export-q2.csv");
    let title = ["--title", "Coventry CSE delivery plan", "--id", "coventry"];
    ragplan().args(["import", COVENTRY_TSV]).args(title).arg("-o").arg(&stored).assert().success();
    ragplan()
        .arg("export")
        .arg(&stored)
        .args(["--format", "csv", "-o"])
        .arg(&table)
        .assert()
        .success();
    ragplan()
        .arg("import")
        .arg(&table)
        .arg("--into")
        .arg(&stored)
        .arg("-o")
        .arg(&stored)
        .assert()
        .success()
        .stderr(predicate::str::contains("no changes"));
    let plan = read_plan(&stored);
    assert_eq!((plan.id.as_str(), plan.title.as_str()), ("coventry", "Coventry CSE delivery plan"));
    // --title names it anew.
    ragplan()
        .arg("import")
        .arg(&table)
        .arg("--into")
        .arg(&stored)
        .args(["--title", "Coventry CSE plan, Q2", "-o"])
        .arg(&stored)
        .assert()
        .success();
    let plan = read_plan(&stored);
    assert_eq!((plan.id.as_str(), plan.title.as_str()), ("coventry", "Coventry CSE plan, Q2"));
}

/// A table reported before the analyst's update overwrote the update's rating on
/// `import --into`.
#[test]
fn an_older_table_overwrote_a_later_update() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let stored = dir.path().join("plan.json");
    let v1 = dir.path().join("march.tsv");
    let v2 = dir.path().join("june.tsv");
    std::fs::write(&v1, "Actions\tAction RAG\nPublish leaflets\tAmber\n")
        .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(&v2, "Actions\tAction RAG\nPublish leaflets\tRed\n")
        .unwrap_or_else(|e| panic!("{e}"));
    ragplan()
        .arg("import")
        .arg(&v1)
        .args(["--reported-on", "2015-03-31", "-o"])
        .arg(&stored)
        .assert()
        .success();
    ragplan()
        .arg("update")
        .arg(&stored)
        .args(["1.1", "--rating", "green", "--by", "Mandie Watson", "--on", "2015-07-15"])
        .assert()
        .success();
    let merge = |extra: &[&str]| {
        let mut cmd = ragplan();
        cmd.arg("import").arg(&v2).arg("--into").arg(&stored).args(extra).arg("-o").arg(&stored);
        cmd.assert()
    };
    merge(&["--reported-on", "2015-06-30", "--strict"]).code(1);
    merge(&["--reported-on", "2015-06-30"]).success().stderr(predicate::str::contains(
        "june.tsv: warning[update-kept] column \"Action RAG\": action 1.1: the table's rating Red \
         was reported on 30 June 2015, not after the update of 15 July 2015; the update's Green \
         stands",
    ));
    let rating = |plan: &ragplan_core::Plan| plan.actions().next().and_then(|a| a.action_rag);
    assert_eq!(rating(&read_plan(&stored)), Some(ragplan_core::Rating::Green));
    merge(&["--reported-on", "2015-09-30"])
        .success()
        .stderr(predicate::str::contains("changed 1.1 \"Publish leaflets\": action_rag"));
    assert_eq!(rating(&read_plan(&stored)), Some(ragplan_core::Rating::Red));
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

/// A plan with no date of its own in its title or preamble.
const UNDATED_TSV: &str = "\
Actions\tAction RAG\tAccountable\tTimescale
Sign the agreement\t\tJayne Hutchings\tMarch 2016
Publish the tool\tGreen\tSue Whitmore\t15/07/2015
";

#[test]
fn import_reported_on_sets_the_date_the_plan_was_reported() {
    let (dir, source) = crate::common::temp_file("plan.tsv", UNDATED_TSV);
    for (flag, want) in [("30/06/2015", (2015, 6, 30)), ("2015-07-31", (2015, 7, 31))] {
        let out = dir.path().join("plan.json");
        ragplan()
            .arg("import")
            .arg(&source)
            .args(["--reported-on", flag, "-o"])
            .arg(&out)
            .assert()
            .success();
        let (y, m, d) = want;
        assert_eq!(read_plan(&out).reported_on, chrono::NaiveDate::from_ymd_opt(y, m, d), "{flag}");
    }
    // Without the flag, and with no date in the source, the plan has none.
    let out = dir.path().join("plan.json");
    ragplan().arg("import").arg(&source).arg("-o").arg(&out).assert().success();
    assert_eq!(read_plan(&out).reported_on, None);
    // A date that is not one is refused, naming the forms taken.
    ragplan()
        .arg("import")
        .arg(&source)
        .args(["--reported-on", "June 2015"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "expected a day such as 2015-06-30, 30/06/2015 or 30 June 2015",
        ));
}

#[test]
fn import_reads_the_report_date_from_the_title_line() {
    let text = format!("CSE delivery plan – update 30 June 2015\n{UNDATED_TSV}");
    let (dir, source) = crate::common::temp_file("plan.tsv", &text);
    let out = dir.path().join("plan.json");
    ragplan()
        .arg("import")
        .arg(&source)
        .arg("-o")
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains("info[reported-on-from-source] row 1"));
    assert_eq!(read_plan(&out).reported_on, chrono::NaiveDate::from_ymd_opt(2015, 6, 30));
}

/// The node of the assessment document's tree with `key`.
fn node<'a>(nodes: &'a serde_json::Value, key: &str) -> &'a serde_json::Value {
    fn find<'a>(nodes: &'a serde_json::Value, key: &str) -> Option<&'a serde_json::Value> {
        nodes
            .as_array()?
            .iter()
            .find_map(|n| if n["key"] == key { Some(n) } else { find(&n["children"], key) })
    }
    find(nodes, key).unwrap_or_else(|| panic!("no node {key}"))
}

fn flags(node: &serde_json::Value) -> Vec<&str> {
    node["flags"]
        .as_array()
        .map(|f| f.iter().filter_map(|f| f.as_str()).collect())
        .unwrap_or_default()
}

fn sentences(node: &serde_json::Value) -> Vec<&str> {
    node["delivery"]["reasons"]
        .as_array()
        .map(|r| r.iter().filter_map(|r| r["sentence"].as_str()).collect())
        .unwrap_or_default()
}

/// The acceptance test of "ratings you can trust": a blank rating is not rated (not
/// "not started"), a Blue one is complete, and the plan's headline counts what was
/// reported.
#[test]
fn imported_plan_rates_only_what_the_source_reported() {
    let source = "\
Actions\tAction RAG\tAccountable\tTimescale\tEvidence
Sign the agreement\t\tJayne Hutchings\tMarch 2016\t
Publish the tool\tGreen\tSue Whitmore\t15/07/2015\tSite in beta since May
Train taxi drivers\tBlue\tMandie Watson\tMay 2015\tDone
Audit case files\tNot rated\tLSCB Business Manager\tMarch 2016\t
";
    let (dir, path) = crate::common::temp_file("plan.tsv", source);
    let plan = dir.path().join("plan.json");
    ragplan().arg("import").arg(&path).arg("-o").arg(&plan).assert().success();
    let imported = read_plan(&plan);
    assert!(imported.actions().all(|a| a.status.is_none()), "no status is made up");

    let out = crate::common::stdout_of(ragplan().arg("status").arg(&plan).args([
        "--as-of",
        "2015-06-30",
        "--format",
        "json",
    ]));
    let document: serde_json::Value =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}\n{out}"));
    let nodes = &document["nodes"];
    let rating = |key: &str| node(nodes, key)["delivery"]["rating"].as_str().unwrap_or_default();

    assert_eq!(rating("1.1"), "not_rated");
    assert!(flags(node(nodes, "1.1")).contains(&"unreported"));

    assert_eq!(rating("1.2"), "green");
    assert!(flags(node(nodes, "1.2")).contains(&"due_soon"));
    let publish = sentences(node(nodes, "1.2"));
    assert!(publish.iter().all(|s| !s.contains("has not started")), "{publish:?}");

    assert_eq!(rating("1.3"), "complete");

    assert_eq!(rating("1.4"), "not_rated");
    assert!(flags(node(nodes, "1.4")).contains(&"unreported"));

    let plan_node = node(nodes, "1");
    let headline = sentences(plan_node).first().copied().unwrap_or_default().to_owned();
    assert!(!headline.is_empty());
    assert!(!headline.contains("its one counted"), "{headline}");
    let document_headline = document["delivery"]["reasons"][0]["sentence"].as_str();
    assert!(!document_headline.unwrap_or_default().contains("its one counted"));
}

#[test]
fn import_partners_adds_agencies_to_the_vocabulary() {
    let source = "Actions\tAccountable\tPartners Involved\n\
                  Train taxi drivers\tLSCB Business Manager\tHealth Barnardo's Police\n";
    let (dir, path) = crate::common::temp_file("plan.tsv", source);
    let agencies = dir.path().join("agencies.txt");
    std::fs::write(&agencies, "# local agencies\nBarnardo's\n\n").unwrap_or_else(|e| panic!("{e}"));
    let out = dir.path().join("plan.json");
    // Without the file, `Barnardo's` is kept as a partner of its own, with a note.
    ragplan()
        .args(["import"])
        .arg(&path)
        .arg("-o")
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains("info[partner-unknown] row 2"));
    ragplan()
        .args(["import"])
        .arg(&path)
        .arg("--partners")
        .arg(&agencies)
        .arg("-o")
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains("partner-unknown").not())
        .stderr(predicate::str::contains(
            "warning[partner-split] row 2, column \"Partners Involved\"",
        ));
    let plan = read_plan(&out);
    let action = plan.actions().next().cloned().unwrap_or_else(|| panic!("no action"));
    assert_eq!(action.partners, ["Health", "Barnardo's", "Police"]);
    let owners: Vec<&str> = action.accountable.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(owners, ["LSCB Business Manager"]);
    // A partners file that is not there is an error that names it.
    ragplan()
        .args(["import"])
        .arg(&path)
        .args(["--partners", "no-such-agencies.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no-such-agencies.txt: cannot read the partners file"));
}

#[test]
fn import_reads_a_word_document() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let tsv = std::fs::read_to_string(COVENTRY_TSV).unwrap_or_else(|e| panic!("{e}"));
    let source = dir.path().join("delivery-plan.docx");
    std::fs::write(&source, docx_writer::docx(&docx_writer::body_from_tsv(&tsv)))
        .unwrap_or_else(|e| panic!("{e}"));
    let out = dir.path().join("plan.json");
    ragplan()
        .arg("import")
        .arg(&source)
        .args(["--max-diagnostics", "0", "-o"])
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "delivery-plan.docx: warning[page-marker] row 48, column \"column 1\": page marker skipped",
        ));
    let plan = read_plan(&out);
    assert_eq!(plan.n_actions(), 34);
    assert_eq!(plan.id.as_str(), "delivery-plan");
    // Damaged, it is an error naming the file, exit 2.
    std::fs::write(&source, b"PK\x03\x04 not a zip").unwrap_or_else(|e| panic!("{e}"));
    ragplan()
        .arg("import")
        .arg(&source)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("the Word document cannot be read"));
}

#[test]
fn import_help_lists_docx() {
    ragplan()
        .args(["import", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("xlsx, docx, md, text or json"));
}

/// A whole agenda pack holds two plans: `--plan 2` picks the second, and without it
/// the first is read and the diagnostics say how to pick the other.
#[test]
fn import_plan_picks_a_plan_of_a_whole_paper() {
    const PACK: &str = "tests/fixtures/import/seeds/001_8a2f30d9651ff971.txt";
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = dir.path().join("plan.json");
    ragplan()
        .args(["import", PACK, "-o"])
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "info[paper-extract] row 158: took lines 158–168 (a table: Activity",
        ))
        .stderr(predicate::str::contains("info[paper-plans]"))
        .stderr(predicate::str::contains("--plan N"));
    // The review's timetable: ten rows.
    assert_eq!(read_plan(&out).n_actions(), 10);
    ragplan()
        .args(["import", PACK, "--plan", "2", "-o"])
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains("took lines 178–228 (a list of 15 items)"));
    // The 15 Jay recommendations under their 11 headings.
    let plan = read_plan(&out);
    assert_eq!((plan.objectives.len(), plan.n_actions()), (11, 15));
    ragplan()
        .args(["import", PACK, "--section", "Serious Case Reviews", "-o"])
        .arg(&out)
        .assert()
        .success();
    assert_eq!(read_plan(&out).n_actions(), 15);
    ragplan()
        .args(["import", PACK, "--plan", "3"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("holds no plan number 3"));
}

#[test]
fn a_limit_set_low_refuses_the_source_naming_the_limit_in_import_and_on_the_fly() {
    let expected = "coventry-cse-delivery-plan.tsv: row 3: 98 rows, over the limit rows=2 (";
    ragplan()
        .args(["import", COVENTRY_TSV, "--limit", "rows=2"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(expected));
    for command in ["status", "validate", "export", "report"] {
        ragplan()
            .args([command, COVENTRY_TSV, "--limit", "rows=2"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(expected));
    }
    ragplan()
        .args(["import", COVENTRY_TSV, "--limit", "rows=100000", "--limit", "cell_bytes=8"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bytes, over the limit cell_bytes=8"));
}

#[test]
fn an_unknown_limit_is_a_usage_error_listing_the_limits() {
    let names: Vec<&str> = ragplan_import::Limits::ALL.iter().map(|l| l.name).collect();
    ragplan().args(["import", COVENTRY_TSV, "--limit", "lines=2"]).assert().code(2).stderr(
        predicate::str::contains(format!(
            "unknown limit \"lines\"; the limits are {}",
            names.join(", ")
        )),
    );
}

#[test]
fn help_and_robustness_md_list_every_limit_with_its_default() {
    let robustness = std::fs::read_to_string(crate::common::repo_root().join("ROBUSTNESS.md"))
        .unwrap_or_default();
    for command in ["import", "status", "serve"] {
        let out = ragplan().args([command, "--help"]).output().unwrap();
        let help = String::from_utf8_lossy(&out.stdout);
        for info in ragplan_import::Limits::ALL {
            let entry = format!("{}={}", info.name, info.default);
            assert!(help.contains(&entry), "`{command} --help` lacks {entry}");
        }
    }
    for info in ragplan_import::Limits::ALL {
        let entry = format!("| `{}` | {} |", info.name, info.default);
        assert!(robustness.contains(&entry), "ROBUSTNESS.md lacks {entry}");
    }
}

#[test]
fn a_file_past_input_bytes_is_refused_from_its_size_before_it_is_read() {
    // A sparse file of 64 GiB: reading it whole would ask for 64 GiB of memory.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.tsv");
    std::fs::File::create(&path).unwrap().set_len(64 << 30).unwrap();
    ragplan().args(["import"]).arg(&path).assert().code(2).stderr(format!(
        "error: {}: the source: 68719476736 bytes, over the limit input_bytes=268435456 \
             (bytes of the source as given)\n",
        path.display()
    ));
    ragplan()
        .args(["status"])
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("over the limit input_bytes=268435456"));
}
