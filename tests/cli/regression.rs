//! Regression tests, each named after the problem it pins.

use serde_json::Value;

use crate::common::{Q1_END, SMALL_PLAN, ragplan, stderr_of, stdout_of, temp_file};

/// Two actions that share the key 1.1 (a duplicate-key lint, but a plan analysts
/// do send): "First action", due 31 May 2015, held by Alice, and "Second action",
/// due 31 March 2016, held by Bob Jones.
const ACTIONS_SHARING_A_KEY: &str = "tests/fixtures/actions-sharing-a-key.json";

/// The tree line of the action titled `title`, and the lines under it up to the
/// next node line.
fn tree_entry<'a>(tree: &'a str, title: &str) -> (&'a str, Vec<&'a str>) {
    let mut lines = tree.lines().skip_while(|l| !l.contains(&format!("1.1  {title} — ")));
    let line = lines.next().unwrap_or_else(|| panic!("no line for {title:?} in\n{tree}"));
    let depth = line.len() - line.trim_start().len();
    let under = lines
        .take_while(|l| !l.trim().is_empty() && l.len() - l.trim_start().len() > depth)
        .collect();
    (line, under)
}

/// `ragplan status` once printed `1.1 First action — Bob Jones · due 31 March 2016
/// [overdue]` under "was due 31 May 2015": it found each action's owner and due date
/// by its key, and the second action with the key won. Each action now shows its own
/// owner, due date, rating, flags and reasons in the tree, the JSON and the CSV.
#[test]
fn actions_sharing_a_key_each_show_their_own_owner_due_date_and_reasons() {
    let run = |format: &str| {
        stdout_of(ragplan().args([
            "status",
            ACTIONS_SHARING_A_KEY,
            "--as-of",
            Q1_END,
            "--format",
            format,
        ]))
    };

    let tree = run("tree");
    let (first, under_first) = tree_entry(&tree, "First action");
    assert!(first.trim_start().starts_with("■ RED"), "{first}");
    assert!(first.contains("— Alice · due 31 May 2015 [overdue"), "{first}");
    assert!(!first.contains("Bob Jones") && !first.contains("2016"), "{first}");
    assert!(
        under_first.iter().any(|l| l.contains("\"First action\" was due 31 May 2015")),
        "{under_first:?}"
    );
    let (second, under_second) = tree_entry(&tree, "Second action");
    assert!(second.trim_start().starts_with("▲ AMBER"), "{second}");
    assert!(second.contains("— Bob Jones · due 31 March 2016"), "{second}");
    assert!(!second.contains("overdue") && !second.contains("Alice"), "{second}");
    assert!(!under_second.is_empty(), "an Amber action shows its reasons");
    assert!(under_second.iter().all(|l| !l.contains("First action")), "{under_second:?}");

    let doc: Value = serde_json::from_str(&run("json")).expect("JSON output");
    let actions = doc["nodes"][0]["children"].as_array().cloned().unwrap_or_default();
    let summary: Vec<(&str, &str, &str)> = actions
        .iter()
        .map(|a| {
            let rating = a["delivery"]["rating"].as_str().unwrap_or_default();
            (a["key"].as_str().unwrap_or_default(), a["title"].as_str().unwrap_or_default(), rating)
        })
        .collect();
    assert_eq!(summary, [("1.1", "First action", "red"), ("1.1", "Second action", "amber")]);
    let flags = |a: &Value| a["flags"].as_array().cloned().unwrap_or_default();
    assert!(flags(&actions[0]).contains(&Value::from("overdue")), "{}", actions[0]);
    assert!(!flags(&actions[1]).contains(&Value::from("overdue")), "{}", actions[1]);
    let sentences = |a: &Value| -> Vec<String> {
        let reasons = a["delivery"]["reasons"].as_array().cloned().unwrap_or_default();
        reasons.iter().map(|r| r["sentence"].as_str().unwrap_or_default().to_owned()).collect()
    };
    let first_reasons = sentences(&actions[0]);
    assert!(
        first_reasons.iter().any(|s| s.contains("\"First action\" was due 31 May 2015")),
        "{first_reasons:?}"
    );
    let second_reasons = sentences(&actions[1]);
    assert!(!second_reasons.is_empty(), "{}", actions[1]);
    assert!(
        second_reasons.iter().all(|s| !s.contains("First action") && !s.contains("overdue")),
        "{second_reasons:?}"
    );

    let csv_text = run("csv");
    let rows = csv_rows(&csv_text, &["key", "action", "delivery", "accountable", "due", "flags"]);
    assert_eq!(rows.len(), 2, "{csv_text}");
    assert_eq!(rows[0][..5], ["1.1", "First action", "Red", "Alice", "2015-05-31"], "{csv_text}");
    assert!(rows[0][5].contains("overdue"), "{csv_text}");
    assert_eq!(
        rows[1][..5],
        ["1.1", "Second action", "Amber", "Bob Jones", "2016-03-31"],
        "{csv_text}"
    );
    assert!(!rows[1][5].contains("overdue"), "{csv_text}");
    let reasons = csv_rows(&csv_text, &["reason"]);
    assert!(reasons[0][0].contains("\"First action\" was due 31 May 2015"), "{reasons:?}");
    assert!(!reasons[1][0].contains("First action"), "{reasons:?}");
}

/// The report of the same plan: each action's row in the Markdown and the CSV has
/// its own owner and due date.
#[test]
fn actions_sharing_a_key_each_have_their_own_row_in_the_report() {
    let run = |format: &str| {
        stdout_of(ragplan().args([
            "report",
            ACTIONS_SHARING_A_KEY,
            "--as-of",
            Q1_END,
            "--format",
            format,
        ]))
    };

    let md = run("md");
    let row = |title: &str| -> Vec<String> {
        // The row of the objective's table, with its ten columns (the exceptions
        // tables have four).
        let line = md
            .lines()
            .filter(|l| l.starts_with(&format!("| 1.1 | {title} | ")))
            .find(|l| l.matches(" | ").count() == 9)
            .unwrap_or_else(|| panic!("no row for {title:?} in\n{md}"));
        line.split(" | ").map(|c| c.trim_matches(['|', ' ']).to_owned()).collect()
    };
    // | Key | Sub-objective or action | Delivery | Outcome | Status | Accountable |
    // Responsible | Partners | Timescale | Latest update |
    let first = row("First action");
    assert_eq!((first[2].as_str(), first[5].as_str()), ("■ RED", "Alice"), "{first:?}");
    assert_eq!(first[8], "May 2015", "{first:?}");
    let second = row("Second action");
    assert_eq!((second[2].as_str(), second[5].as_str()), ("▲ AMBER", "Bob Jones"), "{second:?}");
    assert_eq!(second[8], "March 2016", "{second:?}");

    let csv_text = run("csv");
    let rows = csv_rows(&csv_text, &["key", "action", "delivery", "accountable", "due"]);
    assert_eq!(
        rows,
        [
            ["1.1", "First action", "Red", "Alice", "2015-05-31"],
            ["1.1", "Second action", "Amber", "Bob Jones", "2016-03-31"],
        ],
        "{csv_text}"
    );
}

/// The cells of `columns` in each row of `csv_text`.
fn csv_rows(csv_text: &str, columns: &[&str]) -> Vec<Vec<String>> {
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let headers = reader.headers().expect("a CSV header").clone();
    let at: Vec<usize> = columns
        .iter()
        .map(|c| headers.iter().position(|h| h == *c).unwrap_or_else(|| panic!("no {c} column")))
        .collect();
    reader
        .records()
        .map(|r| {
            let r = r.expect("a CSV row");
            at.iter().map(|i| r[*i].to_owned()).collect()
        })
        .collect()
}

/// A change to a key two actions share once went to whichever the lookup met first.
/// `ragplan update` and `ragplan override` now refuse it, naming both actions and
/// leaving the plan as it was; `ragplan status` still rates both and says why the key
/// cannot take a change.
#[test]
fn a_change_to_a_key_two_actions_share_went_to_one_of_them() {
    let text = std::fs::read_to_string(ACTIONS_SHARING_A_KEY).expect("fixture");
    let (_dir, plan) = crate::common::temp_file("two.json", &text);
    for args in [
        &["update", "1.1", "--rating", "amber", "--by", "Lead"][..],
        &["override", "1.1", "--rating", "green", "--by", "Chair", "--justification", "Signed"],
    ] {
        ragplan()
            .arg(args[0])
            .arg(&plan)
            .args(&args[1..])
            .assert()
            .code(2)
            .stderr(predicates::str::contains("the key 1.1 is held by 2 nodes"))
            .stderr(predicates::str::contains("\"First action\""))
            .stderr(predicates::str::contains("\"Second action\""));
    }
    assert_eq!(std::fs::read_to_string(&plan).expect("the plan"), text);
    ragplan()
        .args(["status", "--as-of", Q1_END])
        .arg(&plan)
        .assert()
        .success()
        .stderr(predicates::str::contains("error[duplicate-key] 1.1"))
        .stderr(predicates::str::contains("refuse the key until each node has its own"));
}

/// `ragplan status e.json --as-of 30/06/2015` was refused, although ragplan reads
/// day-first dates everywhere else. A date flag now takes ISO and UK day-first forms
/// and gives the same answer for each; a month-first date is still refused.
#[test]
fn as_of_30_06_2015_was_refused_though_ragplan_reads_day_first_dates() {
    let status = |as_of: &str| {
        stdout_of(ragplan().args(["status", ACTIONS_SHARING_A_KEY, "--as-of", as_of]))
    };
    let iso = status(Q1_END);
    for uk in ["30/06/2015", "30 June 2015", "30th Jun 2015"] {
        assert_eq!(status(uk), iso, "--as-of {uk}");
    }
    ragplan()
        .args(["status", ACTIONS_SHARING_A_KEY, "--as-of", "06/30/2015"])
        .assert()
        .failure()
        .stderr(predicates::str::contains(
            "\"06/30/2015\" is not a date (expected a day such as 2015-06-30, 30/06/2015 or \
             30 June 2015; day first, never month first)",
        ));
}

/// `ragplan update e.json R7 …` answered "no action has the key R7" when the
/// recommendation's one action is R7.1, with no suggestion. R7 is now taken as R7.1
/// (and said so), and a key that names no action lists the nearest keys.
#[test]
fn update_r7_said_no_action_has_the_key_when_the_action_is_r7_1() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let plan = dir.path().join("stockton.json");
    ragplan()
        .arg("import")
        .arg("tests/fixtures/import/stockton-recommendations.txt")
        .arg("-o")
        .arg(&plan)
        .assert()
        .success();
    let said = crate::common::stderr_of(
        ragplan().arg("update").arg(&plan).args(["R7", "--note", "Q1", "--by", "Officer"]),
        0,
    );
    assert!(said.contains("R7 is taken as R7.1, the one action under it"), "{said}");
    assert!(said.contains("recorded an update to R7.1"), "{said}");
    let stored: Value = serde_json::from_slice(&std::fs::read(&plan).expect("the plan")).unwrap();
    let r7 = &stored["objectives"][0]["sub_objectives"][6];
    assert_eq!((&r7["key"], &r7["actions"][0]["updates"][0]["note"]), (&"R7".into(), &"Q1".into()));
    let refused = crate::common::stderr_of(
        ragplan().arg("update").arg(&plan).args(["R6", "--note", "x", "--by", "Officer"]),
        2,
    );
    assert!(
        refused.contains("no action has the key R6: it is the key of sub-objective")
            && refused.contains("whose actions are R6a, R6b, R6c and R6d"),
        "{refused}"
    );
}

/// `ragplan update --on` a date after today (a year mistyped) was recorded, and then
/// refused every real update dated before it.
#[test]
fn an_update_dated_after_today_was_recorded_and_blocked_every_later_one() {
    let (_dir, plan) = crate::common::temp_file("plan.json", crate::common::SMALL_PLAN);
    let before = std::fs::read_to_string(&plan).unwrap();
    let next_year = chrono::Local::now().date_naive() + chrono::Days::new(366);
    let refused = crate::common::ragplan()
        .arg("update")
        .arg(&plan)
        .args(["1.1.1", "--status", "complete", "--by", "Analyst", "--on"])
        .arg(next_year.to_string())
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&refused.get_output().stderr).into_owned();
    let dated = format!("the update is dated {}, after today", ragplan_core::uk_date(next_year));
    assert!(stderr.contains(&dated), "{stderr}");
    assert_eq!(std::fs::read_to_string(&plan).unwrap(), before, "the plan is unchanged");
}

/// A plan titled with escape sequences retitled the terminal and cleared its screen
/// when `ragplan status` printed it.
#[test]
fn a_title_with_escape_sequences_drove_the_terminal() {
    let hostile = SMALL_PLAN
        .replace("Small test plan", r"Plan \u001b]0;pwned\u0007 \u001b[2J")
        .replace("Set up the MASH", "MASH\u{9b}31m");
    assert_ne!(hostile, SMALL_PLAN);
    let (_dir, plan) = temp_file("hostile.json", &hostile);
    for extra in [&[][..], &["--summary"][..]] {
        let tree = stdout_of(
            ragplan()
                .args(["status", "--as-of", Q1_END])
                .args(extra)
                .arg(&plan)
                .env("CLICOLOR_FORCE", "1"),
        );
        assert!(!tree.contains("]0;pwned\u{7}"), "{extra:?}: {tree}");
        assert!(!tree.contains("\u{1b}[2J") && !tree.contains('\u{9b}'), "{extra:?}: {tree}");
        assert!(tree.contains("Plan \u{fffd}]0;pwned\u{fffd} \u{fffd}[2J"), "{extra:?}: {tree}");
    }
}

/// `-o /dev/stdout` into a pipe followed the link to `pipe:[…]`, which is no path,
/// took it for a file to replace, and failed to make a temporary file beside it in
/// `/proc/self/fd`. It now writes into the pipe, as `-o -` does, for a report, a
/// workbook and an imported plan.
#[cfg(target_os = "linux")]
#[test]
fn writing_to_dev_stdout_into_a_pipe_failed_to_make_a_temporary_file() {
    let (_dir, plan) = temp_file("plan.json", SMALL_PLAN);
    for format in ["md", "xlsx"] {
        let args = ["--as-of", Q1_END, "--format", format, "-o"];
        // assert_cmd reads standard output through a pipe.
        let piped = ragplan().arg("report").arg(&plan).args(args).arg("/dev/stdout").output();
        let piped = piped.unwrap();
        assert!(piped.status.success(), "{}", String::from_utf8_lossy(&piped.stderr));
        let dashed = ragplan().arg("report").arg(&plan).args(args).arg("-").output().unwrap();
        if format == "md" {
            assert_eq!(piped.stdout, dashed.stdout);
        } else {
            assert!(piped.stdout.starts_with(b"PK\x03\x04") && dashed.stdout.starts_with(b"PK"));
        }
    }
    let imported = ragplan()
        .args(["import", "tests/fixtures/import/plymouth-timetable.tsv", "-o", "/dev/stdout"])
        .output()
        .unwrap();
    assert!(imported.status.success(), "{}", String::from_utf8_lossy(&imported.stderr));
    let plan: Value = serde_json::from_slice(&imported.stdout).unwrap();
    assert_eq!(plan["format"], "ragplan/2");
}

/// `ragplan status rec.json` on a JSON array of records, which `ragplan import`
/// reads as a table, failed with `at [0]: invalid type: map, expected a string`:
/// any `.json` was taken for a plan document. Records are now imported on the fly,
/// as a table is, by `status` and `report`; `update` refuses them as a table it
/// cannot write back; and a damaged plan document keeps its precise error.
#[test]
fn a_json_array_of_records_was_read_as_a_plan_document() {
    let records = r#"[{"Action": "Do it", "Lead": "Head of Service", "RAG": "Green"},
                      {"Action": "Do more", "Lead": "Police", "RAG": "Red"}]"#;
    let (_dir, path) = temp_file("rec.json", records);
    let status = stdout_of(ragplan().arg("status").arg(&path).args(["--as-of", Q1_END]));
    assert!(status.contains("Do it") && status.contains("Do more"), "{status}");
    let doc: Value = serde_json::from_str(&stdout_of(
        ragplan().arg("status").arg(&path).args(["--as-of", Q1_END, "--format", "json"]),
    ))
    .expect("JSON output");
    assert_eq!(doc["delivery"]["counts"]["red"], 1, "{doc}");
    assert_eq!(doc["delivery"]["counts"]["green"], 1, "{doc}");
    let imported = stdout_of(ragplan().arg("import").arg(&path).args(["-o", "-"]));
    let exported = stdout_of(ragplan().arg("status").arg(&path).args(["--as-of", Q1_END]));
    let (_d2, saved) = temp_file("saved.json", &imported);
    assert_eq!(exported, stdout_of(ragplan().arg("status").arg(&saved).args(["--as-of", Q1_END])));

    let update = stderr_of(
        ragplan().arg("update").arg(&path).args(["1.1", "--status", "complete", "--by", "Analyst"]),
        2,
    );
    assert!(update.contains("cannot be written back") && update.contains("rec.json"), "{update}");

    let (_d3, damaged) = temp_file("plan.json", r#"{"format": "ragplan/2", "id": 3}"#);
    let err = stderr_of(ragplan().arg("status").arg(&damaged), 2);
    assert!(err.contains("plan.json") && err.contains("id"), "{err}");
}

/// An objective of three actions, one reported Green and two with nothing reported,
/// was shown Green "because action 1.1 is reported Green", with no word that two
/// thirds of it were not known. Its reasons now say how many were left out as not
/// rated, in the JSON and, under the Green line, in the tree.
#[test]
fn a_green_parent_did_not_say_its_not_rated_actions_were_left_out() {
    let records = r#"[{"Action": "Do it", "Lead": "Police", "RAG": "Green", "Due": "31/12/2015"},
                      {"Action": "Do more", "Lead": "Police", "RAG": "", "Due": "31/12/2015"},
                      {"Action": "Do most", "Lead": "Police", "RAG": "", "Due": "31/12/2015"}]"#;
    let (_dir, path) = temp_file("rec.json", records);
    let note = "2 of the 3 actions below it are not rated and left out: the rating stands on \
                the other one.";
    let tree = stdout_of(ragplan().arg("status").arg(&path).args(["--as-of", Q1_END]));
    let objective = tree.lines().position(|l| l.contains("GREEN") && l.contains(" 1  ")).unwrap();
    assert_eq!(tree.lines().nth(objective + 1).map(str::trim), Some(note), "{tree}");
    let doc: Value = serde_json::from_str(&stdout_of(
        ragplan().arg("status").arg(&path).args(["--as-of", Q1_END, "--format", "json"]),
    ))
    .expect("JSON output");
    let reasons = &doc["nodes"][0]["delivery"]["reasons"];
    assert_eq!(reasons[1]["code"], "not_rated_left_out", "{reasons}");
    assert_eq!(
        (reasons[1]["not_rated"].as_u64(), reasons[1]["actions"].as_u64()),
        (Some(2), Some(3))
    );
}

/// `ragplan status plans/` on a folder said only that it was a directory, not a
/// plan file, though `--portfolio` rates a folder of plans; it now says how.
#[test]
fn status_of_a_folder_did_not_point_to_portfolio() {
    let (dir, _plan) = temp_file("plan.json", SMALL_PLAN);
    let err = stderr_of(ragplan().arg("status").arg(dir.path()), 2);
    assert!(err.contains("is a directory") && err.contains("--portfolio"), "{err}");
    let portfolio =
        stdout_of(ragplan().arg("status").arg(dir.path()).args(["--portfolio", "--as-of", Q1_END]));
    assert!(portfolio.contains("Small test plan"), "{portfolio}");
}

/// `ragplan status --as-of 2015-06-10` showed an action Complete from an update
/// dated 12 June, where `report --as-of 2015-06-10` rightly showed it Red: status
/// rated the plan with every update, however late. It now rates the plan as it
/// stood on the date, as the report, `diff` and the API do.
#[test]
fn status_as_of_a_date_counted_updates_made_after_it() {
    let (_dir, plan) = temp_file("plan.json", SMALL_PLAN);
    let before: Vec<String> = ["json", "csv", "tree"]
        .iter()
        .map(|f| {
            stdout_of(ragplan().arg("status").arg(&plan).args(["--as-of", Q1_END, "--format", f]))
        })
        .collect();
    let doc: Value = serde_json::from_str(&before[0]).unwrap();
    let key = doc["nodes"][0]["children"][0]["children"][0]["key"].as_str().unwrap().to_owned();
    let updated = ragplan()
        .args(["update"])
        .arg(&plan)
        .args([&key, "--status", "complete", "--by", "Ann Lee", "--on", "2015-07-12"])
        .output()
        .unwrap();
    assert!(updated.status.success(), "{}", String::from_utf8_lossy(&updated.stderr));
    for (format, was) in ["json", "csv", "tree"].iter().zip(&before) {
        let now = stdout_of(
            ragplan().arg("status").arg(&plan).args(["--as-of", Q1_END, "--format", format]),
        );
        assert_eq!(&now, was, "{format}");
    }
    let later = stdout_of(ragplan().arg("status").arg(&plan).args([
        "--as-of",
        "2015-07-31",
        "--format",
        "json",
    ]));
    assert!(later.contains("\"complete\""), "{later}");
    let (_d2, other) = temp_file("other.json", SMALL_PLAN);
    let diff = stdout_of(ragplan().arg("diff").arg(&other).arg(&plan).args(["--as-of", Q1_END]));
    assert!(!diff.contains(&key), "{diff}");
}

/// Next quarter's table merged with `import --into … --reported-on 2015-09-30`
/// changed ratings in place: the report of 30 September against 30 June showed no
/// movement, a report of June re-run afterwards showed September's ratings, and an
/// action the table had just rated was flagged as having no recent update. What a
/// dated table changes is now logged as an update of its date by the table.
#[test]
fn a_dated_merge_showed_no_movement_and_rewrote_the_earlier_quarter() {
    let q1 = "Actions\tAccountable\tAction RAG\tTimescale\n\
              Publish leaflets\tAnn Lee\tAmber\t31/03/2016\n\
              Train staff\tBob Jones\tGreen\t31/03/2016\n";
    let q2 = q1.replace("Publish leaflets\tAnn Lee\tAmber", "Publish leaflets\tAnn Lee\tRed");
    let (dir, q1_table) = temp_file("q1.tsv", q1);
    let plan = dir.path().join("plan.json");
    let q2_table = dir.path().join("q2.tsv");
    std::fs::write(&q2_table, q2).unwrap();
    let import = |args: &[&str]| {
        let out = ragplan().arg("import").args(args).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    };
    let q1_path = q1_table.to_str().unwrap();
    let plan_path = plan.to_str().unwrap();
    import(&[q1_path, "-o", plan_path, "--reported-on", "2015-06-30"]);
    // The June assessment, the objective's title aside (it is named from the file).
    let june = |p: &std::path::Path| {
        let json =
            stdout_of(ragplan().arg("status").arg(p).args(["--as-of", Q1_END, "--format", "json"]));
        let mut doc: Value = serde_json::from_str(&json).unwrap();
        doc["nodes"][0]["title"] = Value::Null;
        doc
    };
    let june_before = june(&plan);
    import(&[
        q2_table.to_str().unwrap(),
        "--into",
        plan_path,
        "-o",
        plan_path,
        "--reported-on",
        "2015-09-30",
    ]);
    assert_eq!(june(&plan), june_before, "the June quarter was rewritten");
    let report = stdout_of(ragplan().arg("report").arg(&plan).args([
        "--as-of",
        "2015-09-30",
        "--previous",
        Q1_END,
        "--format",
        "md",
    ]));
    assert!(report.contains("### Worsened (2)"), "{report}");
    assert!(report.contains("| 1.1 | Publish leaflets | ▲ AMBER | ■ RED |"), "{report}");
    let log = stdout_of(ragplan().arg("log").arg(&plan).arg("1.1"));
    assert!(log.contains("30 September 2015") && log.contains("q2.tsv"), "{log}");
    let september = stdout_of(ragplan().arg("status").arg(&plan).args(["--as-of", "2015-09-30"]));
    let line = september.lines().find(|l| l.contains("1.1  Publish leaflets")).unwrap();
    assert!(line.contains("RED") && !line.contains("stale"), "{line}");
}

/// `ragplan update plan.json 1.1 …`, where 1.1 is a sub-objective, answered "did you
/// mean 1.1.1, 1.1.2, 1.10.1, 1.10.2 or 1.11.1?", as if 1.1 were a mistyped key. It
/// now says whose key 1.1 is and which actions are under it.
#[test]
fn updating_a_sub_objective_suggested_other_actions_keys() {
    let (_dir, plan) =
        temp_file("plan.json", &std::fs::read_to_string(crate::common::COVENTRY_JSON).unwrap());
    let err = stderr_of(
        ragplan().arg("update").arg(&plan).args(["1.1", "--rating", "red", "--by", "X"]),
        2,
    );
    assert!(
        err.contains(
            "no action has the key 1.1: it is the key of sub-objective \"Collect, analysis"
        ),
        "{err}"
    );
    assert!(err.contains("whose actions are 1.1.1 and 1.1.2") && !err.contains("1.10.1"), "{err}");
}

/// The tree showed Coventry's 1.1.2 as "— Jayne Hutchings", who is only its
/// Responsibility, while `validate` said it names nobody accountable. A name shown
/// for want of an accountable owner now says it is the responsible one.
#[test]
fn the_tree_showed_a_responsible_person_as_the_owner() {
    let tree =
        stdout_of(ragplan().args(["status", crate::common::COVENTRY_JSON, "--as-of", Q1_END]));
    let line = tree.lines().find(|l| l.contains("1.1.2  Information sharing")).unwrap();
    assert!(line.contains("— Jayne Hutchings (responsible) ·"), "{line}");
    let accountable = tree.lines().find(|l| l.contains("1.1.1  maintain")).unwrap();
    assert!(accountable.contains("— Mandie Watson, Debbie Carter ·"), "{accountable}");
}

/// `ragplan import pack.txt --plan 3` on a paper holding two plans said "row 1,
/// column 1: the source holds no plan number 3": a place that means nothing there.
/// The message names the plans the paper holds, and no row or column.
#[test]
fn a_plan_number_the_paper_lacks_was_placed_at_row_1_column_1() {
    let pack = "tests/fixtures/import/seeds/001_8a2f30d9651ff971.txt";
    let err = stderr_of(ragplan().args(["import", pack, "--plan", "3"]), 2);
    assert!(err.contains(": the source holds no plan number 3; it holds: 1. lines"), "{err}");
    assert!(!err.contains("row 1, column 1"), "{err}");
}

/// A tracker's `Comments` ("Funding not agreed") went only to the plan's unmapped
/// notes: `status --format csv` had an empty `latest_note` column and the report
/// never showed it, though the README lists `Comments` as a header ragplan reads. A
/// Comments, Commentary or Progress update column is now the action's progress note,
/// which the reports show as its latest note until an update gives one; export and
/// re-import give the same plan.
#[test]
fn comments_text_disappeared_from_every_output() {
    let source = "Action,Lead officer,Target date,RAG status,Comments\n\
                  Publish leaflet,Chair,31/03/2016,Amber,Funding not agreed\n\
                  Train taxi drivers,Licensing manager,31/03/2016,Green,\u{201c}Draft\u{201d} agreed\n\
                  Audit cases,Chair,31/03/2016,Green,Done in May\n";
    let (dir, csv) = temp_file("tracker.csv", source);
    let plan = dir.path().join("plan.json");
    ragplan().arg("import").arg(&csv).arg("-o").arg(&plan).assert().success();
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(&plan).expect("plan")).expect("JSON");
    let actions = doc["objectives"][0]["actions"].as_array().cloned().unwrap_or_default();
    let notes: Vec<&str> = actions.iter().filter_map(|a| a["note"].as_str()).collect();
    assert_eq!(notes, ["Funding not agreed", "\u{201c}Draft\u{201d} agreed", "Done in May"]);
    assert!(actions.iter().all(|a| a.get("unmapped").is_none()), "{actions:?}");

    let run = |command: &str, format: &str| {
        stdout_of(ragplan().arg(command).arg(&plan).args(["--as-of", Q1_END, "--format", format]))
    };
    let status = run("status", "csv");
    let header: Vec<&str> = status.lines().next().unwrap_or_default().split(',').collect();
    let at = header.iter().position(|h| *h == "latest_note").expect("a latest_note column");
    let mut reader = csv::Reader::from_reader(status.as_bytes());
    let latest: Vec<String> = reader
        .records()
        .filter_map(Result::ok)
        .map(|r| r.get(at).unwrap_or_default().to_owned())
        .collect();
    assert_eq!(latest, ["Funding not agreed", "\u{201c}Draft\u{201d} agreed", "Done in May"]);
    let md = run("report", "md");
    for note in ["Funding not agreed", "\u{201c}Draft\u{201d} agreed", "Done in May"] {
        assert!(md.contains(note), "{note} not in\n{md}");
    }

    // Export and re-import give the same plan.
    let exported = dir.path().join("export.csv");
    ragplan()
        .args(["export"])
        .arg(&plan)
        .args(["--format", "csv", "-o"])
        .arg(&exported)
        .assert()
        .success();
    let again = dir.path().join("again.json");
    ragplan()
        .arg("import")
        .arg(&exported)
        .arg("--into")
        .arg(&plan)
        .arg("-o")
        .arg(&again)
        .assert()
        .success();
    let merged: Value =
        serde_json::from_str(&std::fs::read_to_string(&again).expect("plan")).expect("JSON");
    assert_eq!(merged["objectives"], doc["objectives"]);
}
