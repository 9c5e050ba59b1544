//! `ragplan status`: the tree, the assessment document, the CSV, filters and colour.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::common::{COVENTRY_JSON, Q1_END, SMALL_PLAN, ragplan, stdout_of, temp_file};

/// The rating word of each chip, as `ragplan_core::Rating::as_str` spells it.
const CHIP_WORDS: [(&str, &str); 7] = [
    ("AMBER/GREEN", "amber_green"),
    ("AMBER/RED", "amber_red"),
    ("NOT RATED", "not_rated"),
    ("COMPLETE", "complete"),
    ("AMBER", "amber"),
    ("GREEN", "green"),
    ("RED", "red"),
];

/// The line of the tree for the node `key`.
pub fn node_line<'a>(tree: &'a str, key: &str) -> &'a str {
    tree.lines()
        .find(|line| {
            let rest = line.trim_start().chars().skip(1).collect::<String>();
            CHIP_WORDS.iter().any(|(w, _)| {
                rest.trim_start()
                    .strip_prefix(w)
                    .is_some_and(|r| r.split_whitespace().next() == Some(key))
            })
        })
        .unwrap_or_else(|| panic!("no line for {key} in\n{tree}"))
}

/// The node lines of a tree (those that open with a chip's shape), each with what
/// follows the shape.
fn node_lines(tree: &str) -> impl Iterator<Item = (&str, &str)> {
    tree.lines().filter_map(|line| {
        let mut chars = line.trim_start().chars();
        matches!(chars.next(), Some('■' | '◆' | '▲' | '◐' | '●' | '✓' | '○'))
            .then(|| (line, chars.as_str().trim_start()))
    })
}

/// Every node line of a tree as `key → rating`, read from the chip word.
pub fn tree_ratings(tree: &str) -> BTreeMap<String, String> {
    let mut ratings = BTreeMap::new();
    for (line, rest) in node_lines(tree) {
        let Some((word, json)) = CHIP_WORDS.iter().find(|(w, _)| rest.starts_with(w)) else {
            panic!("a chip with no known word: {line}");
        };
        let key = rest[word.len()..].split_whitespace().next().unwrap_or_default();
        ratings.insert(key.to_owned(), (*json).to_owned());
    }
    ratings
}

/// Every node of the assessment document as `key → delivery rating`, the plan as
/// `plan`.
fn json_ratings(doc: &Value) -> BTreeMap<String, String> {
    fn walk(nodes: &Value, out: &mut BTreeMap<String, String>) {
        for node in nodes.as_array().into_iter().flatten() {
            let key = node["key"].as_str().unwrap_or_default().to_owned();
            out.insert(key, node["delivery"]["rating"].as_str().unwrap_or_default().to_owned());
            walk(&node["children"], out);
        }
    }
    let mut out = BTreeMap::new();
    out.insert(
        "plan".to_owned(),
        doc["delivery"]["rating"].as_str().unwrap_or_default().to_owned(),
    );
    walk(&doc["nodes"], &mut out);
    out
}

/// The counts of actions by delivery rating stated in the tree's last line, such as
/// `4 actions rated for delivery as of 30 June 2015: 1 red, 1 amber, 1 complete`.
fn tree_counts(tree: &str) -> (u64, BTreeMap<String, u64>) {
    let line = tree.lines().rev().find(|l| l.contains("actions rated for delivery")).unwrap_or("");
    let total = line.split_whitespace().next().and_then(|n| n.parse().ok()).unwrap_or(u64::MAX);
    let mut counts = BTreeMap::new();
    if let Some((_, list)) = line.split_once(": ") {
        for part in list.split(", ").filter(|p| *p != "none") {
            let (n, word) = part.split_once(' ').unwrap_or(("", ""));
            let word = word.replace(['/', ' '], "_");
            counts.insert(word, n.parse().unwrap_or(u64::MAX));
        }
    }
    (total, counts)
}

/// The JSON document's plan-level delivery counts, zeros left out.
fn json_counts(doc: &Value) -> BTreeMap<String, u64> {
    doc["delivery"]["counts"]
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(k, _)| k.as_str() != "unreported")
        .filter_map(|(k, v)| v.as_u64().filter(|n| *n > 0).map(|n| (k.clone(), n)))
        .collect()
}

/// Each CSV row as `key → delivery rating` (the rating word in snake_case).
fn csv_ratings(csv_text: &str) -> BTreeMap<String, String> {
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let headers = reader.headers().expect("a CSV header").clone();
    let col = |name: &str| headers.iter().position(|h| h == name).expect("a CSV column");
    let (key, delivery) = (col("key"), col("delivery"));
    reader
        .records()
        .map(|r| {
            let r = r.expect("a CSV row");
            let word = r[delivery].parse::<ragplan_core::Rating>().expect("a rating word");
            (r[key].to_owned(), word.as_str().to_owned())
        })
        .collect()
}

fn status(plan: &std::path::Path, format: &str) -> String {
    stdout_of(ragplan().args(["status", "--as-of", Q1_END, "--format", format]).arg(plan))
}

/// The tree, the JSON and the CSV of one plan agree: every node's rating, and the
/// counts of actions by rating.
fn assert_formats_agree(plan: &std::path::Path) {
    let tree = status(plan, "tree");
    let doc: Value = serde_json::from_str(&status(plan, "json")).expect("JSON output");
    let csv_run = ragplan()
        .args(["status", "--as-of", Q1_END, "--format", "csv"])
        .arg(plan)
        .assert()
        .success();
    let csv_text = String::from_utf8(csv_run.get_output().stdout.clone()).expect("UTF-8");
    // Every row says which plan and which date, for a BI tool appending quarters.
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let header = reader.headers().expect("a CSV header").clone();
    assert_eq!(&header[0], "plan_id");
    assert_eq!(&header[1], "as_of");
    for row in reader.records().map(|r| r.expect("a CSV row")) {
        assert_eq!(&row[0], doc["plan"]["id"].as_str().unwrap_or_default());
        assert_eq!(&row[1], Q1_END);
    }

    let from_json = json_ratings(&doc);
    assert_eq!(tree_ratings(&tree), from_json, "tree and JSON ratings differ");

    let actions_json: BTreeMap<_, _> = {
        let mut out = BTreeMap::new();
        fn actions(nodes: &Value, out: &mut BTreeMap<String, String>) {
            for n in nodes.as_array().into_iter().flatten() {
                if n["kind"] == "action" {
                    let key = n["key"].as_str().unwrap_or_default().to_owned();
                    out.insert(
                        key,
                        n["delivery"]["rating"].as_str().unwrap_or_default().to_owned(),
                    );
                }
                actions(&n["children"], out);
            }
        }
        actions(&doc["nodes"], &mut out);
        out
    };
    assert_eq!(csv_ratings(&csv_text), actions_json, "CSV and JSON action ratings differ");

    let (total, counts) = tree_counts(&tree);
    assert_eq!(counts, json_counts(&doc), "tree and JSON counts differ");
    let unreported = doc["delivery"]["counts"]["unreported"].as_u64().unwrap_or(0);
    if unreported > 0 {
        let line = format!("{unreported} of {total} actions have no reported rating.");
        assert!(tree.contains(&line), "{line} not in the tree");
    }
    let json_total: u64 = json_counts(&doc).values().sum();
    assert_eq!(total, json_total);
    // The CSV has one row per action; cancelled actions are not counted.
    let mut csv_counts = BTreeMap::new();
    for (rating, status) in csv_ratings_and_status(&csv_text) {
        if status != "cancelled" {
            *csv_counts.entry(rating).or_insert(0_u64) += 1;
        }
    }
    assert_eq!(csv_counts, counts, "CSV and tree counts differ");
}

/// Each CSV row's delivery rating (snake_case) and status.
fn csv_ratings_and_status(csv_text: &str) -> Vec<(String, String)> {
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let headers = reader.headers().expect("a CSV header").clone();
    let col = |name: &str| headers.iter().position(|h| h == name).expect("a CSV column");
    let (delivery, status) = (col("delivery"), col("status"));
    reader
        .records()
        .map(|r| {
            let r = r.expect("a CSV row");
            let word = r[delivery].parse::<ragplan_core::Rating>().expect("a rating word");
            (word.as_str().to_owned(), r[status].to_owned())
        })
        .collect()
}

#[test]
fn small_plan_is_rated_as_worked_out_by_hand() {
    let (_dir, plan) = temp_file("small.json", SMALL_PLAN);
    let doc: Value = serde_json::from_str(&status(&plan, "json")).expect("JSON output");
    let want: BTreeMap<String, String> = [
        ("plan", "red"),
        ("1", "red"),
        ("1.1", "red"),
        ("1.1.1", "red"),
        ("1.1.2", "complete"),
        ("1.2", "amber"),
        ("1.2.1", "amber"),
        ("2", "green"),
        ("2.1", "green"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    assert_eq!(json_ratings(&doc), want);
    let counts: BTreeMap<String, u64> = [("red", 1), ("amber", 1), ("green", 1), ("complete", 1)]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
    assert_eq!(json_counts(&doc), counts);
    assert_eq!(doc["format"], "ragplan-assessment/2");
    assert_eq!(doc["as_of"], Q1_END);
}

#[test]
fn tree_json_and_csv_agree_on_the_small_plan() {
    let (_dir, plan) = temp_file("small.json", SMALL_PLAN);
    assert_formats_agree(&plan);
}

#[test]
fn tree_json_and_csv_agree_on_the_bundled_plan() {
    assert_formats_agree(&crate::common::repo_root().join(COVENTRY_JSON));
}

#[test]
fn json_is_exactly_the_engines_assessment_document() {
    let (_dir, plan) = temp_file("small.json", SMALL_PLAN);
    let printed = status(&plan, "json");
    let plan_doc = ragplan_core::Plan::from_json(SMALL_PLAN).expect("the small plan");
    let as_of = chrono::NaiveDate::from_ymd_opt(2015, 6, 30).expect("a date");
    let policy = ragplan_core::Policy::default();
    let ratings = ragplan_core::rate(&plan_doc, &policy, as_of);
    let document = ragplan_core::document::AssessmentDocument::from(&ratings);
    // Piped, it is compact; --pretty gives the canonical indented form.
    let compact = format!("{}\n", serde_json::to_string(&document).expect("JSON"));
    assert_eq!(printed, compact);
    let pretty = stdout_of(
        ragplan().args(["status", "--as-of", Q1_END, "--format", "json", "--pretty"]).arg(&plan),
    );
    assert_eq!(pretty, document.to_json());
    let asked = stdout_of(
        ragplan().args(["status", "--as-of", Q1_END, "--format", "json", "--compact"]).arg(&plan),
    );
    assert_eq!(asked, compact);
    // And each reads back as an assessment.
    for text in [&printed, &pretty] {
        assert!(ragplan_core::document::AssessmentDocument::from_json(text).is_ok());
    }
}

#[test]
fn summary_of_the_bundled_plan() {
    let tree = stdout_of(ragplan().args(["status", COVENTRY_JSON, "--as-of", Q1_END, "--summary"]));
    insta::assert_snapshot!("coventry_summary_2015_06_30", tree);
}

#[test]
fn summary_counts_every_exception_the_report_lists_and_names_the_first_ten() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let plan = dir.path().join("big.json");
    ragplan()
        .args(["generate", "--actions", "600", "--objectives", "4", "-o"])
        .arg(&plan)
        .assert()
        .success();
    // After the last update, so that the report, which rates the plan as it stood on
    // its date, and status, which rates the plan as it is, rate the same plan.
    let after = "2017-03-31";
    let summary: Value = serde_json::from_str(&stdout_of(
        ragplan().args(["status", "--as-of", after, "--summary", "--format", "json"]).arg(&plan),
    ))
    .expect("the summary is JSON");
    let report: Value = serde_json::from_str(&stdout_of(
        ragplan().args(["report", "--as-of", after, "--format", "json"]).arg(&plan),
    ))
    .expect("the report is JSON");
    assert_eq!(summary["format"], "ragplan-summary/1");
    assert_eq!(summary["headline"], report["headline"]);
    assert_eq!(summary["objectives"].as_array().map(Vec::len), Some(4));
    for (objective, section) in summary["objectives"]
        .as_array()
        .into_iter()
        .flatten()
        .zip(report["objectives"].as_array().into_iter().flatten())
    {
        assert_eq!(objective["delivery"], section["delivery"]);
        assert_eq!(objective["outcome"], section["outcome"]);
    }
    let groups = |doc: &Value| doc["exceptions"].as_array().cloned().unwrap_or_default();
    let mut more_than_ten = 0;
    for (brief, full) in groups(&summary).iter().zip(groups(&report)) {
        let listed = full["items"].as_array().cloned().unwrap_or_default();
        assert_eq!(brief["kind"], full["kind"]);
        assert_eq!(brief["count"].as_u64(), Some(listed.len() as u64), "{}", brief["kind"]);
        let named = brief["items"].as_array().cloned().unwrap_or_default();
        assert_eq!(named[..], listed[..listed.len().min(10)], "{}", brief["kind"]);
        more_than_ten += usize::from(listed.len() > 10);
    }
    assert!(more_than_ten > 0, "the generated plan has a kind with more than ten exceptions");
}

#[test]
fn summary_compact_and_pretty_are_refused_where_they_do_not_apply() {
    let (_dir, plan) = temp_file("small.json", SMALL_PLAN);
    let refused = |args: &[&str], says: &str| {
        let out = ragplan().arg("status").args(args).arg(&plan).assert().code(2);
        let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    };
    refused(&["--summary", "--format", "csv"], "--summary is the plan and its objectives");
    refused(&["--summary", "--owner", "Alice"], "--summary is the plan and its objectives");
    refused(&["--compact"], "--compact and --pretty lay out --format json");
    refused(&["--pretty", "--format", "csv"], "--compact and --pretty lay out --format json");
    refused(&["--pretty", "--compact", "--format", "json"], "cannot be used with");
}

#[test]
fn tree_of_the_bundled_plan() {
    let tree = stdout_of(ragplan().args(["status", COVENTRY_JSON, "--as-of", Q1_END]));
    insta::assert_snapshot!("coventry_tree_2015_06_30", tree);
}

#[test]
fn tree_names_reasons_owner_due_date_and_as_of() {
    let (_dir, plan) = temp_file("small.json", SMALL_PLAN);
    let tree = status(&plan, "tree");
    assert!(tree.starts_with("Small test plan — as of 30 June 2015\n"), "{tree}");
    let action = node_line(&tree, "1.1.1");
    assert!(action.trim_start().starts_with("■ RED"), "{action}");
    assert!(action.contains("Jayne Hutchings") && action.contains("due 31 May 2015"), "{action}");
    assert!(action.contains("overdue"), "{action}");
    // The reason sentence sits under the Red action.
    assert!(tree.contains("30 days overdue"), "{tree}");
    // Green and Complete nodes carry no reasons.
    let green = node_line(&tree, "2.1");
    let next = tree.lines().skip_while(|l| *l != green).nth(1);
    assert!(next.is_none_or(|l| !l.contains("because")), "{tree}");
}

#[test]
fn only_keeps_matching_nodes_and_their_parents() {
    let (_dir, plan) = temp_file("small.json", SMALL_PLAN);
    let tree = stdout_of(ragplan().args(["status", "--as-of", Q1_END, "--only", "red"]).arg(&plan));
    let keys: Vec<String> = tree_ratings(&tree).into_keys().collect();
    assert_eq!(keys, ["1", "1.1", "1.1.1", "plan"]);

    let tree = stdout_of(
        ragplan().args(["status", "--as-of", Q1_END, "--only", "amber,green"]).arg(&plan),
    );
    let keys: Vec<String> = tree_ratings(&tree).into_keys().collect();
    // 1 and 1.1 are Red but hold Amber or Green children… 1.1 holds none (Red and
    // Complete), so only 1 → 1.2 → 1.2.1 and 2 → 2.1 are shown.
    assert_eq!(keys, ["1", "1.2", "1.2.1", "2", "2.1", "plan"]);
}

#[test]
fn owner_partner_and_depth_filters() {
    let (_dir, plan) = temp_file("small.json", SMALL_PLAN);
    let run = |args: &[&str]| {
        let tree = stdout_of(ragplan().args(["status", "--as-of", Q1_END]).args(args).arg(&plan));
        tree_ratings(&tree).into_keys().collect::<Vec<String>>()
    };
    assert_eq!(run(&["--owner", "mandie"]), ["2", "2.1", "plan"]);
    assert_eq!(run(&["--owner", "Workforce"]), ["1", "1.2", "1.2.1", "plan"]);
    assert_eq!(run(&["--partner", "police"]), ["1", "1.1", "1.1.1", "plan"]);
    assert_eq!(run(&["--depth", "1"]), ["1", "2", "plan"]);
    assert_eq!(run(&["--depth", "2"]), ["1", "1.1", "1.2", "2", "2.1", "plan"]);
    assert_eq!(run(&["--owner", "nobody at all"]), ["plan"]);
}

#[test]
fn filters_are_refused_with_json_and_csv() {
    let (_dir, plan) = temp_file("small.json", SMALL_PLAN);
    for format in ["json", "csv"] {
        ragplan()
            .args(["status", "--format", format, "--only", "red"])
            .arg(&plan)
            .assert()
            .code(2)
            .stderr(predicates::str::contains("shape the tree"));
    }
}

#[test]
fn colour_only_when_asked_and_never_with_no_color() {
    let (_dir, plan) = temp_file("small.json", SMALL_PLAN);
    // Not a terminal and NO_COLOR: plain.
    let plain = status(&plan, "tree");
    assert!(!plain.contains('\u{1b}'), "{plain}");
    // CLICOLOR_FORCE asks for colour even into a pipe.
    let mut cmd = ragplan();
    cmd.env_remove("NO_COLOR").env("CLICOLOR_FORCE", "1");
    let coloured = stdout_of(cmd.args(["status", "--as-of", Q1_END]).arg(&plan));
    assert!(coloured.contains("\u{1b}["), "{coloured}");
    // NO_COLOR wins over CLICOLOR_FORCE.
    let mut cmd = ragplan();
    cmd.env("NO_COLOR", "1").env("CLICOLOR_FORCE", "1");
    let plain_again = stdout_of(cmd.args(["status", "--as-of", Q1_END]).arg(&plan));
    assert_eq!(plain_again, plain);
    // The words and shapes are there without colour.
    assert!(plain.contains("■ RED") && plain.contains("▲ AMBER") && plain.contains("● GREEN"));
    assert!(plain.contains("✓ COMPLETE"));
}

#[test]
fn as_of_defaults_to_today_and_is_stated() {
    let (_dir, plan) = temp_file("small.json", SMALL_PLAN);
    let doc: Value =
        serde_json::from_str(&stdout_of(ragplan().args(["status", "--format", "json"]).arg(&plan)))
            .expect("JSON output");
    let as_of = doc["as_of"].as_str().unwrap_or_default();
    let date = chrono::NaiveDate::parse_from_str(as_of, "%Y-%m-%d").expect("an as-of date");
    // Today is after the plan's dates; the date is the machine's, not a fixed one.
    assert!(date > chrono::NaiveDate::from_ymd_opt(2020, 1, 1).expect("a date"), "{as_of}");
}

#[test]
fn a_policy_file_changes_the_roll_up() {
    let (dir, plan) = temp_file("small.json", SMALL_PLAN);
    // Taking ratings as reported, 1.1.1 is Green: objective 1 becomes Amber (1.2.1).
    let policy = dir.path().join("policy.json");
    std::fs::write(&policy, r#"{"source": "reported"}"#).expect("policy");
    let out = stdout_of(
        ragplan()
            .args(["status", "--as-of", Q1_END, "--format", "json"])
            .arg(&plan)
            .arg("--policy")
            .arg(&policy),
    );
    let doc: Value = serde_json::from_str(&out).expect("JSON output");
    let ratings = json_ratings(&doc);
    assert_eq!(ratings["1.1.1"], "green");
    assert_eq!(ratings["1"], "amber");
    assert_eq!(doc["policy"]["source"], "reported");

    std::fs::write(&policy, r#"{"source": "best"}"#).expect("policy");
    ragplan()
        .args(["status"])
        .arg(&plan)
        .arg("--policy")
        .arg(&policy)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("policy.json: at source"));
}

#[test]
fn a_table_is_imported_on_the_fly_with_diagnostics_on_stderr() {
    let tsv = "examples/plans/coventry-cse-delivery-plan.tsv";
    let out = ragplan().args(["status", tsv, "--as-of", Q1_END]).assert().success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).expect("UTF-8");
    let stderr = String::from_utf8(out.get_output().stderr.clone()).expect("UTF-8");
    // The diagnostics name the file, row and column; the tree is on stdout alone.
    assert!(stderr.contains(&format!("{tsv}: warning[")), "{stderr}");
    assert!(stderr.contains("row "), "{stderr}");
    assert!(!stdout.contains("warning["), "{stdout}");
    // 1.1.2 "Information sharing agreement…" is reported Red and due May 2015.
    assert!(node_line(&stdout, "1.1.2").trim_start().starts_with("■ RED"), "{stdout}");
    assert!(stdout.contains("as of 30 June 2015"));
    // --strict counts import warnings: validate exits 1.
    ragplan().args(["validate", tsv, "--as-of", Q1_END, "--strict"]).assert().code(1);
}

/// Checks one `delivery` or `outcome` object of the assessment contract: a rating
/// word, the seven counts, and at least one reason, each with its code and sentence.
fn check_dimension(dim: &Value, at: &str) {
    let fields: Vec<&str> =
        dim.as_object().map(|o| o.keys().map(String::as_str).collect()).unwrap_or_default();
    for required in ["rating", "counts", "reasons"] {
        assert!(fields.contains(&required), "{at}: no {required} in {dim}");
    }
    assert!(
        fields.iter().all(|f| ["rating", "reported", "counts", "reasons"].contains(f)),
        "{at}: {fields:?}"
    );
    let rating = dim["rating"].as_str().unwrap_or_default();
    assert!(
        rating.parse::<ragplan_core::Rating>().is_ok_and(|r| r.as_str() == rating),
        "{at}: {rating}"
    );
    let counts = dim["counts"]
        .as_object()
        .map(|o| o.keys().cloned().collect::<Vec<_>>())
        .unwrap_or_default();
    let mut want = [
        "red",
        "amber_red",
        "amber",
        "amber_green",
        "green",
        "complete",
        "not_rated",
        "unreported",
    ]
    .map(String::from);
    want.sort();
    let mut counts = counts;
    counts.sort();
    assert_eq!(counts, want, "{at}");
    let reasons = dim["reasons"].as_array().cloned().unwrap_or_default();
    assert!(!reasons.is_empty(), "{at}: a rating without a reason");
    assert!(
        reasons.iter().all(|r| {
            r["code"].as_str().is_some_and(|c| !c.is_empty())
                && r["sentence"].as_str().is_some_and(|s| s.ends_with('.'))
                && r["keys"].is_array()
        }),
        "{at}: {reasons:?}"
    );
}

/// The document has the shape of the `ragplan-assessment/2` contract, at every node.
#[test]
fn json_follows_the_assessment_contract() {
    let doc: Value =
        serde_json::from_str(&status(&crate::common::repo_root().join(COVENTRY_JSON), "json"))
            .expect("JSON output");
    assert_eq!(doc["format"], "ragplan-assessment/2");
    assert_eq!(doc["plan"]["id"], "coventry-cse-2015");
    assert!(doc["plan"]["title"].is_string());
    assert_eq!(doc["as_of"], Q1_END);
    assert!(doc["policy"].is_object());
    assert!(doc["lints"].is_array());
    check_dimension(&doc["delivery"], "plan delivery");
    check_dimension(&doc["outcome"], "plan outcome");
    fn walk(nodes: &Value, n_nodes: &mut usize) {
        for node in nodes.as_array().into_iter().flatten() {
            *n_nodes += 1;
            let key = node["key"].as_str().unwrap_or_default();
            assert!(
                ["objective", "sub_objective", "action"]
                    .contains(&node["kind"].as_str().unwrap_or("")),
                "{key}"
            );
            assert!(node["title"].is_string(), "{key}");
            assert!(node["flags"].is_array(), "{key}");
            // Notes, when there are any, are reasons too: a code and a sentence.
            for note in node["notes"].as_array().into_iter().flatten() {
                assert!(note["code"].is_string() && note["sentence"].is_string(), "{key}: {note}");
            }
            check_dimension(&node["delivery"], key);
            check_dimension(&node["outcome"], key);
            walk(&node["children"], n_nodes);
        }
    }
    let mut n_nodes = 0;
    walk(&doc["nodes"], &mut n_nodes);
    // 1 objective, 17 sub-objectives and 34 actions (see the tree snapshot).
    assert_eq!(n_nodes, 1 + 17 + 34);
    // The flags the bundled plan is made to show at the end of Q1 2015/16.
    let text = doc.to_string();
    for flag in ["\"overdue\"", "\"stale\"", "\"divergent\"", "\"overridden\""] {
        assert!(text.contains(flag), "no {flag} flag");
    }
}

#[test]
fn a_plan_on_standard_input() {
    let generated = stdout_of(ragplan().args(["generate", "--actions", "12", "--objectives", "2"]));
    let doc: Value = serde_json::from_str(&stdout_of(
        ragplan()
            .args(["status", "-", "--as-of", Q1_END, "--format", "json"])
            .write_stdin(generated),
    ))
    .expect("JSON output");
    assert_eq!(doc["plan"]["id"], "synthetic-12-2-1");
    fn count_actions(nodes: &Value) -> usize {
        let nodes = nodes.as_array().into_iter().flatten();
        nodes.map(|n| usize::from(n["kind"] == "action") + count_actions(&n["children"])).sum()
    }
    let n_actions = count_actions(&doc["nodes"]);
    assert_eq!(n_actions, 12);
    ragplan()
        .args(["status", "-"])
        .write_stdin("")
        .assert()
        .code(2)
        .stderr(predicates::str::contains("standard input: nothing was given"));
}

#[test]
fn bom_begins_the_csv_for_excel_and_is_refused_elsewhere() {
    let (_dir, plan) = temp_file("small.json", SMALL_PLAN);
    let run = |extra: &[&str]| {
        ragplan()
            .args(["status", "--as-of", Q1_END, "--format", "csv"])
            .args(extra)
            .arg(&plan)
            .assert()
    };
    let with = run(&["--bom"]).success().get_output().stdout.clone();
    let without = run(&[]).success().get_output().stdout.clone();
    assert_eq!(with, [b"\xef\xbb\xbf".as_slice(), &without].concat());
    let refused =
        ragplan().args(["status", "--bom", "--format", "json"]).arg(&plan).assert().code(2);
    let stderr = String::from_utf8_lossy(&refused.get_output().stderr).into_owned();
    assert!(stderr.contains("--bom is for --format csv"), "{stderr}");
}

/// Several plans rated together: the bundled Coventry plan and the small plan (the
/// latter tagged), from a folder and from files alike; `--tag` keeps the tagged one;
/// several plans without `--portfolio`, and a folder with no plan, are refused.
#[test]
fn a_portfolio_of_plans_from_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let mut small: Value = serde_json::from_str(SMALL_PLAN).unwrap();
    small["tags"] = serde_json::json!(["Warwickshire", "cse"]);
    std::fs::write(dir.path().join("b-small.json"), small.to_string()).unwrap();
    let coventry = std::fs::read(crate::common::repo_root().join(COVENTRY_JSON)).unwrap();
    std::fs::write(dir.path().join("a-coventry.json"), coventry).unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not a plan").unwrap();
    let tree =
        stdout_of(ragplan().args(["status", "--portfolio", "--as-of", Q1_END]).arg(dir.path()));
    insta::assert_snapshot!("portfolio_2015_06_30", tree);
    let files = stdout_of(
        ragplan()
            .args(["status", "--portfolio", "--as-of", Q1_END])
            .arg(dir.path().join("a-coventry.json"))
            .arg(dir.path().join("b-small.json")),
    );
    assert_eq!(files, tree);

    let json = stdout_of(
        ragplan()
            .args([
                "status",
                "--portfolio",
                "--format",
                "json",
                "--tag",
                "WARWICKSHIRE",
                "--as-of",
                Q1_END,
            ])
            .arg(dir.path()),
    );
    let value: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["format"], "ragplan-portfolio/1");
    assert_eq!(value["plans"].as_array().unwrap().len(), 1);
    assert_eq!(value["plans"][0]["id"], "small");

    let two = ragplan()
        .args(["status", "--as-of", Q1_END])
        .arg(dir.path().join("a-coventry.json"))
        .arg(dir.path().join("b-small.json"))
        .output()
        .unwrap();
    assert_eq!(two.status.code(), Some(2));
    let err = String::from_utf8(two.stderr).unwrap();
    assert!(
        err.contains("2 plans given: rate one at a time, or several together with --portfolio"),
        "{err}"
    );
    let empty = tempfile::tempdir().unwrap();
    let out = ragplan().args(["status", "--portfolio"]).arg(empty.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr).unwrap().contains("the folder holds no .json plan"));
}

/// `ragplan status --format csv | head -1` reported "cannot write to standard output"
/// once the CSV passed the writer's buffer: the CSV writer's error lost the closed
/// pipe's kind. A reader that stops early is no error, for the CSV as for the JSON.
#[test]
fn status_csv_into_a_closed_pipe_was_an_error() {
    use std::io::Read as _;
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.json");
    let made = ragplan().args(["generate", "--actions", "3000", "-o"]).arg(&plan).output().unwrap();
    assert!(made.status.success());
    // The tree too, now printed a piece at a time as it is written.
    for format in ["csv", "json", "tree"] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_ragplan"))
            .args(["status", "--as-of", Q1_END, "--format", format])
            .arg(&plan)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = [0u8; 64];
        child.stdout.take().unwrap().read_exact(&mut first).unwrap();
        // The pipe's reading end is closed here, with most of the output unread.
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{format}: {:?} {err}", out.status);
        assert!(err.is_empty(), "{format}: {err}");
    }
}

/// A tree of many pieces of output (it is printed 64 KB of whole lines at a time, as
/// it is written) is the whole tree: each node once, in agreement with the JSON and
/// the CSV, and the counts at its end.
#[test]
fn a_tree_printed_in_pieces_is_the_whole_tree() {
    let dir = tempfile::tempdir().expect("a scratch directory");
    let plan = dir.path().join("generated.json");
    ragplan()
        .args(["generate", "--actions", "3000", "--seed", "4", "-o"])
        .arg(&plan)
        .assert()
        .success();
    let tree = status(&plan, "tree");
    assert!(tree.len() > 4 * 65_536, "{} bytes", tree.len());
    let doc: Value = serde_json::from_str(&status(&plan, "json")).expect("JSON output");
    assert_eq!(node_lines(&tree).count(), json_ratings(&doc).len(), "one line for each node");
    assert!(tree.ends_with('\n') && tree.lines().last().is_some_and(|l| l.contains("actions")));
    assert_formats_agree(&plan);
}

/// A table of `n` actions in the shape `../shared/perf/gen_plan.py` writes (ten a
/// sub-objective, a hundred an objective), with every rating, missing owners and
/// cancelled actions among them.
fn generated_table(n: usize) -> String {
    use std::fmt::Write as _;
    const PEOPLE: [&str; 5] = ["Mandie Watson", "Debbie Carter", "TBC", "", "Sue Whitmore"];
    const RATINGS: [&str; 6] = ["Red", "Amber", "Green", "", "Green", "Not rated"];
    const MONTHS: [&str; 4] = ["March", "June", "September", "December"];
    let mut text = String::from(
        "Objective\tSub Objectives\tActions\tAction RAG\tStatus\tAccountable\tTimescale\tEvidence\n",
    );
    for i in 0..n {
        let (o, s) = (i / 100, (i / 10) % 10);
        let objective = if i % 100 == 0 {
            format!("Objective {}: protect children", o + 1)
        } else {
            String::new()
        };
        let sub =
            if i % 10 == 0 { format!("Sub-objective {}.{}", o + 1, s + 1) } else { String::new() };
        let status = if i % 37 == 0 { "Cancelled" } else { "" };
        let timescale = if i % 2 == 0 {
            format!("{:02}/{:02}/{}", 1 + i % 28, 1 + i % 12, 2014 + i % 3)
        } else {
            format!("{} {}", MONTHS[i % 4], 2014 + i % 3)
        };
        let _ = writeln!(
            text,
            "{objective}\t{sub}\tAction {}: review the screening tool\t{}\t{status}\t{}\t{timescale}\tMinutes {}",
            i + 1,
            RATINGS[(i * 7) % 6],
            PEOPLE[(i * 3) % 5],
            i % 3
        );
    }
    text
}

/// `status --summary` of a table big enough to be read in parts prints what it
/// prints of the same plan imported into a document first, tree and JSON.
#[test]
fn a_big_table_summarised_as_it_is_read_is_summarised_as_its_document() {
    let table = generated_table(30_000);
    assert!(table.len() > 2 << 20, "{} bytes: more than two parts", table.len());
    let (dir, tsv) = temp_file("big.tsv", &table);
    let json = dir.path().join("big.json");
    ragplan().arg("import").arg(&tsv).arg("-o").arg(&json).assert().success();
    for format in ["tree", "json"] {
        let summary = |plan: &std::path::Path| {
            stdout_of(
                ragplan()
                    .args(["status", "--summary", "--as-of", Q1_END, "--format", format])
                    .arg(plan),
            )
        };
        let (read, imported) = (summary(&tsv), summary(&json));
        assert!(read.contains("Objective 240"), "{read}");
        assert_eq!(read, imported, "{format}");
    }
}
