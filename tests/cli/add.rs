//! `ragplan add`: a new objective, sub-objective or action, recorded in the plan's
//! change log, absent from the plan as it stood before, and told by `ragplan log`.

use crate::common::{ragplan, stderr_of, stdout_of, stockton};

/// A new action under a recommendation could be added only by hand-editing the
/// plan's JSON; now it is numbered after its siblings, given its fields, logged, and
/// new in the next quarter's report.
#[test]
fn adding_an_action_under_r3_needed_hand_edited_json() {
    let (_dir, plan) = stockton();
    let told = stderr_of(
        ragplan().arg("add").arg(&plan).args([
            "--under",
            "R3",
            "--title",
            "Commission early support",
            "--accountable",
            "Head of Early Help",
            "--timescale",
            "31 March 2016",
            "--by",
            "Scrutiny officer",
            "--on",
            "01/07/2015",
        ]),
        0,
    );
    assert_eq!(told, format!("added action R3.2 on 1 July 2015 in {}\n", plan.display()));
    let objective = stderr_of(
        ragplan().arg("add").arg(&plan).args([
            "--title",
            "Pursue",
            "--by",
            "A",
            "--on",
            "2015-07-01",
        ]),
        0,
    );
    assert_eq!(objective, format!("added objective 2 on 1 July 2015 in {}\n", plan.display()));
    let log = stdout_of(ragplan().arg("log").arg(&plan).arg("R3.2"));
    insta::assert_snapshot!("log_of_an_added_action", log);
    // Not in the plan as it stood at the end of June; new by the end of September.
    let june = stdout_of(ragplan().arg("report").arg(&plan).args(["--as-of", "2015-06-30"]));
    assert!(!june.contains("Commission early support"), "{june}");
    let q2 = stdout_of(ragplan().arg("report").arg(&plan).args([
        "--as-of",
        "2015-09-30",
        "--previous",
        "2015-06-30",
    ]));
    assert!(q2.contains("### New (2)"), "{q2}");
    assert!(q2.contains("| R3.2 | Commission early support | — |"), "{q2}");
}

/// A node that cannot go where it is asked is refused with every problem, and the
/// plan is not changed.
#[test]
fn a_refused_addition_names_every_problem() {
    let (_dir, plan) = stockton();
    let before = std::fs::read(&plan).unwrap_or_default();
    let add = |args: &[&str]| {
        let mut cmd = ragplan();
        cmd.arg("add").arg(&plan).args(args);
        cmd
    };
    let cases: [(&[&str], &str); 4] = [
        (
            &["--under", "R3.1", "--title", "T", "--by", "A"],
            "node R3.1: the addition was refused: under: an action holds no other node",
        ),
        (
            &["--under", "R3", "--key", "R3.1", "--title", "T", "--by", "A"],
            "node R3: the addition was refused: key: the key R3.1 is taken; give another",
        ),
        (
            &["--under", "R33", "--title", " ", "--by", ""],
            "node R33: the addition was refused: under: no node has the key R33; did you mean R3?; by: say who added the node; title: a node needs a title",
        ),
        (
            &["--kind", "action", "--title", "T", "--by", "A"],
            "the addition was refused: under: name the parent it goes under: only an objective stands at the top of a plan",
        ),
    ];
    for (args, want) in cases {
        let err = stderr_of(&mut add(args), 2);
        assert_eq!(err, format!("error: {}: {want}\n", plan.display()), "{args:?}");
    }
    assert_eq!(std::fs::read(&plan).unwrap_or_default(), before);
}
