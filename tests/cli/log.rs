//! `ragplan log`: a node's updates, overrides and withdrawals in date order.

use crate::common::{SMALL_PLAN, ragplan, stderr_of, stdout_of, temp_file};

/// The small plan with action 1.2.1's later story: an update, an override, a second
/// update on the override's day, and the override withdrawn.
fn logged() -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, plan) = temp_file("plan.json", SMALL_PLAN);
    let run = |args: &[&str]| {
        ragplan().args(args.iter().take(1)).arg(&plan).args(&args[1..]).assert().success();
    };
    run(&[
        "update",
        "1.2.1",
        "--rating",
        "amber",
        "--note",
        "Chased Health",
        "--by",
        "R Eaves",
        "--on",
        "2015-06-10",
    ]);
    run(&[
        "override",
        "1.2.1",
        "--rating",
        "red",
        "--by",
        "Chair",
        "--justification",
        "Police data shows risk",
        "--on",
        "2015-06-20",
    ]);
    run(&["update", "1.2.1", "--progress", "40", "--by", "R Eaves", "--on", "20/06/2015"]);
    run(&[
        "override",
        "1.2.1",
        "--withdraw",
        "--by",
        "Chair",
        "--justification",
        "Data corrected",
        "--on",
        "2015-06-25",
    ]);
    (dir, plan)
}

#[test]
fn log_shows_updates_overrides_and_withdrawals_in_date_order() {
    let (_dir, plan) = logged();
    let text = stdout_of(ragplan().arg("log").arg(&plan).arg("1.2.1"));
    insta::assert_snapshot!("log_1_2_1", text);
    let json = stdout_of(ragplan().arg("log").arg(&plan).args(["1.2.1", "--format", "json"]));
    insta::assert_snapshot!("log_1_2_1_json", json);
}

#[test]
fn log_of_an_unknown_key_names_the_nearest() {
    let (_dir, plan) = logged();
    let err = stderr_of(ragplan().arg("log").arg(&plan).arg("1.2.9"), 2);
    assert!(err.contains("key: no node has the key 1.2.9; did you mean 1.2.1?"), "{err}");
}

/// `ragplan log plan.json R7`, where R7 is a recommendation whose one action is R7.1,
/// showed the recommendation with nothing logged; it now tells R7.1's story, as
/// `ragplan update plan.json R7` records on R7.1.
#[test]
fn log_r7_showed_nothing_where_update_r7_had_logged_on_r7_1() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let plan = dir.path().join("stockton.json");
    ragplan()
        .arg("import")
        .arg("tests/fixtures/import/stockton-recommendations.txt")
        .arg("-o")
        .arg(&plan)
        .assert()
        .success();
    ragplan()
        .arg("update")
        .arg(&plan)
        .args(["R7", "--note", "Q1", "--by", "Officer"])
        .assert()
        .success();
    let story = stdout_of(ragplan().arg("log").arg(&plan).arg("R7"));
    assert!(story.starts_with("action R7.1 "), "{story}");
    assert!(story.contains("update by Officer: \"Q1\""), "{story}");
}
