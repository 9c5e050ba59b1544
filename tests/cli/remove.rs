//! `ragplan remove`: a node taken out of the plan, kept and marked removed with
//! everything under it, recorded in the change log, reported as Removed, and kept
//! removed through an export and re-import.

use crate::common::{ragplan, stderr_of, stdout_of, stockton};

/// Taking recommendation 6 out of the tracker was possible only by hand-editing the
/// JSON, which lost its history; now it is kept, marked, told by `ragplan log`, left
/// out of the counts, and listed as Removed in the next quarter's report.
#[test]
fn removing_recommendation_6_needed_hand_edited_json() {
    let (_dir, plan) = stockton();
    let remove = |key: &str, why: &str, on: &str| {
        let mut cmd = ragplan();
        cmd.arg("remove").arg(&plan).args([key, "--justification", why]);
        cmd.args(["--by", "Scrutiny officer", "--on", on]);
        cmd
    };
    let told = stderr_of(&mut remove("R6c", "Merged into R6b", "01/07/2015"), 0);
    assert_eq!(told, format!("removed R6c on 1 July 2015 in {}\n", plan.display()));
    let told = stderr_of(&mut remove("r6", "Training strategy agreed", "2015-08-01"), 0);
    assert_eq!(
        told,
        format!(
            "r6 is taken as R6, the one key that differs from it only in case\nremoved R6 with \
             R6a, R6b and R6d on 1 August 2015 in {}\n",
            plan.display()
        )
    );
    let log = stdout_of(ragplan().arg("log").arg(&plan).arg("R6a"));
    assert_eq!(
        log,
        "action R6a  Map out current provision\n  1 August 2015      edit by Scrutiny officer: \
         removed with R6 — \"Training strategy agreed\"\n"
    );
    let status = stdout_of(ragplan().arg("status").arg(&plan).args(["--as-of", "2015-09-30"]));
    assert!(status.contains("R6  That the LSCB ensure"), "{status}");
    assert!(
        status.contains("10 actions rated for delivery as of 30 September 2015 (4 cancelled or removed, not counted)"),
        "{status}"
    );
    let q2 = stdout_of(ragplan().arg("report").arg(&plan).args([
        "--as-of",
        "2015-09-30",
        "--previous",
        "2015-06-30",
    ]));
    assert!(q2.contains("### Removed (5)"), "{q2}");
    assert!(q2.contains("| R6c | Identify who should receive training"), "{q2}");
    // As it stood at the end of June, the plan had all 14 actions.
    let june = stdout_of(ragplan().arg("report").arg(&plan).args(["--as-of", "2015-06-30"]));
    assert!(june.contains("| R6c | Identify who should receive training"), "{june}");
    assert!(!june.contains("Removed"), "{june}");
}

/// A removal that cannot be made is refused with every problem, and a removed node
/// takes no more updates, edits or overrides; the plan file is not changed.
#[test]
fn a_refused_removal_and_changes_to_a_removed_node_name_the_problem() {
    let (_dir, plan) = stockton();
    ragplan()
        .arg("remove")
        .arg(&plan)
        .args(["R6c", "--justification", "Merged", "--by", "A", "--on", "2015-07-01"])
        .assert()
        .success();
    let before = std::fs::read(&plan).unwrap_or_default();
    let cases: [(&[&str], &str); 6] = [
        (
            &["remove", "R66", "--justification", " ", "--by", ""],
            "node R66: the removal was refused: key: no node has the key R66; did you mean R6, \
             R6a, R6b, R6c or R6d?; by: say who removed the node; justification: record why the node is removed",
        ),
        (
            &["remove", "R6c", "--justification", "Again", "--by", "A"],
            "action R6c: the removal was refused: key: action R6c is removed already",
        ),
        (
            &["update", "R6c", "--status", "complete", "--by", "A"],
            "action R6c: the update was refused: key: action R6c was removed from the plan; it \
             takes no updates",
        ),
        (
            &["edit", "R6c", "--title", "T", "--by", "A"],
            "action R6c: the edit was refused: key: action R6c was removed from the plan; it \
             takes no changes",
        ),
        (
            &["override", "R6c", "--rating", "green", "--justification", "J", "--by", "A"],
            "action R6c: the override was refused: key: action R6c was removed from the plan; it \
             takes no judgements",
        ),
        (
            &["add", "--under", "R6", "--key", "R6c", "--title", "T", "--by", "A"],
            "node R6: the addition was refused: key: the key R6c is taken; give another",
        ),
    ];
    for (args, expected) in cases {
        let (command, rest) = args.split_first().unwrap_or((&"", &[]));
        let err = stderr_of(ragplan().arg(command).arg(&plan).args(rest), 2);
        assert_eq!(err, format!("error: {}: {expected}\n", plan.display()), "{args:?}");
    }
    assert_eq!(std::fs::read(&plan).unwrap_or_default(), before);
}

/// Exported to a table and re-imported into the plan, a removed recommendation was
/// scattered: its sub-objective went, its actions moved under the last objective, and
/// each was reported removed again.
#[test]
fn a_removed_recommendation_stays_removed_in_place_through_export_and_reimport() {
    let (dir, plan) = stockton();
    ragplan()
        .arg("remove")
        .arg(&plan)
        .args(["R6", "--justification", "Agreed", "--by", "A", "--on", "2015-08-01"])
        .assert()
        .success();
    let table = dir.path().join("stockton.csv");
    ragplan().arg("export").arg(&plan).arg("-o").arg(&table).assert().success();
    let csv = std::fs::read_to_string(&table).unwrap_or_default();
    assert!(!csv.contains("Map out current provision"), "{csv}");
    let merged = dir.path().join("merged.json");
    let told = stderr_of(
        ragplan().arg("import").arg(&table).arg("--into").arg(&plan).arg("-o").arg(&merged),
        0,
    );
    assert!(told.ends_with("no changes\n"), "{told}");
    assert!(!told.contains("removed"), "{told}");
    let before = stdout_of(ragplan().arg("status").arg(&plan).args(["--as-of", "2015-09-30"]));
    let after = stdout_of(ragplan().arg("status").arg(&merged).args(["--as-of", "2015-09-30"]));
    assert_eq!(after, before);
}
