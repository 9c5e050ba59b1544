//! `ragplan import` reading columns and values: `--map` by header, letter or number,
//! `--delimiter`, `--rating-map`, `--transpose`, encodings, indicators and their
//! targets, and how many diagnostics reach the terminal.

use predicates::prelude::*;
use ragplan_core::Plan;

use crate::common::{ragplan, stderr_of, stdout_of};

/// Writes `bytes` to `name` in a new scratch directory.
fn source(name: &str, bytes: &[u8]) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("{e}"));
    (dir, path)
}

fn plan_of(stdout: &[u8]) -> Plan {
    Plan::from_json(&String::from_utf8_lossy(stdout)).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn a_map_matching_no_header_was_ignored() {
    let (_dir, path) = source("plan.tsv", b"Scheme name\tRAG\tLead\nLeaflets\tGreen\tWMP\n");
    ragplan()
        .arg("import")
        .arg(&path)
        .args(["--map", "Scheme=action"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            r#"--map "Scheme" matches no column; the headers are "Scheme name", "RAG", "Lead"; did you mean "Scheme name"?"#,
        ));
}

#[test]
fn import_map_takes_a_column_letter_or_number() {
    let (_dir, path) =
        source("plan.tsv", b"Scheme\tRAG\tBudget holder\nLeaflets\tGreen\tSue Whitmore\n");
    for map in [["A=action", "C=owner"], ["1=action", "3=accountable"]] {
        let out = ragplan()
            .arg("import")
            .arg(&path)
            .args(["--map", map[0], "--map", map[1]])
            .assert()
            .success();
        let plan = plan_of(&out.get_output().stdout);
        let action = plan.actions().next().cloned();
        let action = action.unwrap_or_else(|| panic!("no action"));
        assert_eq!(
            (action.title.as_str(), action.accountable[0].name.as_str()),
            ("Leaflets", "Sue Whitmore")
        );
    }
}

#[test]
fn import_delimiter_reads_a_colon_table() {
    let (_dir, path) = source("plan.txt", b"Actions:Action RAG\nLeaflets:Green\n");
    let out = ragplan().arg("import").arg(&path).args(["--delimiter", ":"]).assert().success();
    assert_eq!(plan_of(&out.get_output().stdout).n_actions(), 1);
    ragplan()
        .arg("import")
        .arg(&path)
        .args(["--delimiter", "ab"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("\"ab\" is not a delimiter"));
}

#[test]
fn import_rating_map_reads_coded_ratings() {
    let (_dir, path) = source("plan.tsv", b"Actions\tAction RAG\nLeaflets\tlg\nWebsite\tlar\n");
    let out = ragplan()
        .arg("import")
        .arg(&path)
        .args(["--rating-map", "lg=green,lar=amber/red"])
        .assert()
        .success()
        .stderr(predicate::str::contains("info[scale-dca5]"));
    let plan = plan_of(&out.get_output().stdout);
    let ratings: Vec<_> = plan.actions().map(|a| a.action_rag).collect();
    assert_eq!(ratings, [Some(ragplan_core::Rating::Green), Some(ragplan_core::Rating::AmberRed)]);
    ragplan()
        .arg("import")
        .arg(&path)
        .args(["--rating-map", "lg"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not CODE=RATING"));
}

#[test]
fn import_transpose_reads_one_action_per_column() {
    let (_dir, path) =
        source("plan.tsv", b"Project\tLeaflets\tWebsite\nRAG\tGreen\tAmber\nNotes\tx\ty\n");
    let out = ragplan().arg("import").arg(&path).arg("--transpose").assert().success();
    let plan = plan_of(&out.get_output().stdout);
    let titles: Vec<&str> = plan.actions().map(|a| a.title.as_str()).collect();
    assert_eq!(titles, ["Leaflets", "Website"]);
    // Detected without the flag, with a warning: --strict refuses it.
    ragplan()
        .arg("import")
        .arg(&path)
        .arg("--strict")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("warning[transposed]"));
}

/// The Coventry plan printed 63 diagnostics to the terminal, burying the few that
/// matter; the file gets them all.
#[test]
fn import_prints_the_first_20_diagnostics_then_counts_by_code() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let file = dir.path().join("diagnostics.json");
    let out = ragplan()
        .args(["import", "examples/plans/coventry-cse-delivery-plan.tsv", "-o"])
        .arg(dir.path().join("plan.json"))
        .arg("--diagnostics")
        .arg(&file)
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 21, "{stderr}");
    let all: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap_or_default())
            .unwrap_or_default();
    assert!(all.len() > 21, "{}", all.len());
    let last = lines[20];
    assert!(
        last.contains(&format!("… and {} more diagnostics: ", all.len() - 20))
            && last.ends_with("; --diagnostics FILE writes them all"),
        "{last}"
    );
    // The counts add up to what was left out.
    let counted: usize = last
        .split(": ")
        .nth(2)
        .unwrap_or_default()
        .split(';')
        .next()
        .unwrap_or_default()
        .split(", ")
        .filter_map(|c| c.split(' ').next().and_then(|n| n.parse::<usize>().ok()))
        .sum();
    assert_eq!(counted, all.len() - 20, "{last}");
}

/// A tracker holding its indicators, targets and latest values had to have each
/// typed in again with `ragplan measure add` and `ragplan reading` before `ragplan
/// status` rated an outcome from them.
#[test]
fn an_indicator_column_rates_the_outcome_with_no_editing() {
    let (dir, path) = source(
        "tracker.csv",
        "Sub Objectives,Actions,Action RAG,Indicator,Target,Direction,Value,As at\n\
         Prevent,Train staff,Green,Children screened with the CSE tool,85%,higher,62%,30/06/2015\n\
         Protect,Publish the guide,Green,Repeat missing episodes,10,lower,8,30/06/2015\n"
            .as_bytes(),
    );
    let plan = dir.path().join("plan.json");
    let out = ragplan().arg("import").arg(&path).arg("-o").arg(&plan).assert().success();
    assert_eq!(String::from_utf8_lossy(&out.get_output().stderr), "");
    let imported = Plan::from_json(&std::fs::read_to_string(&plan).unwrap_or_default())
        .unwrap_or_else(|e| panic!("{e}"));
    let measures: Vec<String> = imported
        .objectives
        .iter()
        .flat_map(|o| &o.sub_objectives)
        .flat_map(|s| s.measures.iter().map(move |m| format!("{} {} {}", s.key, m.key, m.title)))
        .collect();
    assert_eq!(
        measures,
        ["1.1 M1 Children screened with the CSE tool", "1.2 M2 Repeat missing episodes"]
    );
    assert_eq!(imported.n_actions(), 2);
    let status = stdout_of(ragplan().arg("status").arg(&plan).args([
        "--as-of",
        "2015-06-30",
        "--format",
        "json",
    ]));
    let json: serde_json::Value = serde_json::from_str(&status).unwrap_or_default();
    // 62% against 85% is off target; 8 missing episodes against at most 10 is on it.
    assert_eq!(crate::measure::outcome_of(&json, "1.1"), "red");
    assert_eq!(crate::measure::outcome_of(&json, "1.2"), "green");
    insta::assert_snapshot!("outcomes_rated_from_imported_measures", outcome_sentences(&json));
    // Rated from the spreadsheet itself, imported on the fly, alike.
    let on_the_fly = stdout_of(ragplan().arg("status").arg(&path).args([
        "--as-of",
        "2015-06-30",
        "--format",
        "json",
    ]));
    let json: serde_json::Value = serde_json::from_str(&on_the_fly).unwrap_or_default();
    assert_eq!(crate::measure::outcome_of(&json, "1.1"), "red");
}

/// Every outcome reason of the assessment document, as `key: sentence`, in plan order.
fn outcome_sentences(doc: &serde_json::Value) -> String {
    fn walk(node: &serde_json::Value, out: &mut Vec<String>) {
        match node {
            serde_json::Value::Object(map) => {
                let key = map.get("key").and_then(|k| k.as_str()).unwrap_or("plan");
                let reasons = map.get("outcome").and_then(|o| o.get("reasons"));
                for reason in reasons.and_then(|r| r.as_array()).into_iter().flatten() {
                    let sentence = reason["sentence"].as_str().unwrap_or_default();
                    out.push(format!("{key}: {sentence}"));
                }
                map.iter().filter(|(k, _)| *k != "outcome").for_each(|(_, v)| walk(v, out));
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(doc, &mut out);
    out.join("\n")
}

/// Re-importing next quarter's tracker into the plan lost every measure's logged
/// readings, and the measures added with `ragplan measure add`: the stored plan's
/// measures were replaced by the table's.
#[test]
fn reimporting_the_tracker_lost_the_logged_readings_and_added_measures() {
    let q1 = "Sub Objectives,Actions,Action RAG,Indicator,Target,Direction,Value,As at\n\
              Prevent,Train staff,Green,Children screened with the CSE tool,85%,higher,62%,30/06/2015\n\
              Protect,Publish the guide,Green,Repeat missing episodes,10,lower,8,30/06/2015\n";
    let (dir, path) = source("tracker.csv", q1.as_bytes());
    let plan = dir.path().join("plan.json");
    ragplan().arg("import").arg(&path).arg("-o").arg(&plan).assert().success();
    ragplan()
        .arg("reading")
        .arg(&plan)
        .args(["M1", "--value", "70", "--on", "31/07/2015", "--by", "Analyst"])
        .assert()
        .success();
    ragplan()
        .arg("measure")
        .arg("add")
        .arg(&plan)
        .args(["--under", "1.2", "--title", "Return interviews held", "--target", "90"])
        .args(["--direction", "higher", "--by", "Analyst", "--on", "2015-07-01"])
        .assert()
        .success();
    // Next quarter's table: a new reading of each indicator, dated September; the
    // June readings are the plan's alone now.
    let q2 = "Sub Objectives,Actions,Action RAG,Indicator,Target,Direction,Value,As at\n\
              Prevent,Train staff,Green,Children screened with the CSE tool,85%,higher,80%,30/09/2015\n\
              Protect,Publish the guide,Green,Repeat missing episodes,10,lower,12,30/09/2015\n";
    let newer = dir.path().join("q2.csv");
    std::fs::write(&newer, q2).unwrap_or_default();
    let told = stderr_of(
        ragplan().arg("import").arg(&newer).arg("--into").arg(&plan).arg("-o").arg(&plan),
        0,
    );
    assert!(!told.contains("error"), "{told}");
    let merged = Plan::from_json(&std::fs::read_to_string(&plan).unwrap_or_default())
        .unwrap_or_else(|e| panic!("{e}"));
    let measures: Vec<String> = merged
        .objectives
        .iter()
        .flat_map(|o| &o.sub_objectives)
        .flat_map(|s| {
            s.measures.iter().map(move |m| {
                let readings: Vec<String> =
                    m.readings.iter().map(|r| format!("{} {}", r.on, r.value)).collect();
                format!("{} {} {} [{}]", s.key, m.key, m.title, readings.join(", "))
            })
        })
        .collect();
    assert_eq!(
        measures,
        [
            "1.1 M1 Children screened with the CSE tool [2015-06-30 62, 2015-07-31 70, 2015-09-30 80]",
            "1.2 M2 Repeat missing episodes [2015-06-30 8, 2015-09-30 12]",
            "1.2 M3 Return interviews held []",
        ]
    );
    // The same table again, with September's screening figure written otherwise: the
    // reading the plan holds for that date stands, said.
    std::fs::write(&newer, q2.replace("80%", "81%")).unwrap_or_default();
    let told = stderr_of(
        ragplan().arg("import").arg(&newer).arg("--into").arg(&plan).arg("-o").arg(&plan),
        0,
    );
    assert!(
        told.contains(
            "measure M1: the table's reading of 81 on 30 September 2015 is not the 80 logged \
             for that date; the logged reading stands"
        ),
        "{told}"
    );
}
