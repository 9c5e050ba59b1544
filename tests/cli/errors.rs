//! What a new user might try: wrong flags, wrong files, empty files, directories,
//! malformed plans. Every one exits 2 with a one-line message naming the file and
//! where in it, and nothing panics.

use crate::common::{CYCLE_PLAN, Q1_END, SMALL_PLAN, ragplan, stderr_of, temp_file};

/// Asserts a run exits 2 with one `error:` line on standard error holding every
/// part of `wants`, and no panic.
fn assert_usage_error(cmd: &mut assert_cmd::Command, wants: &[&str]) {
    let stderr = stderr_of(cmd, 2);
    assert!(!stderr.contains("panicked"), "{stderr}");
    for want in wants {
        assert!(stderr.contains(want), "{want:?} missing from:\n{stderr}");
    }
}

/// Like [`assert_usage_error`], and the message is one line starting `error: `.
fn assert_one_line_error(cmd: &mut assert_cmd::Command, wants: &[&str]) {
    let stderr = stderr_of(cmd, 2);
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    for want in wants {
        assert!(stderr.contains(want), "{want:?} missing from:\n{stderr}");
    }
}

#[test]
fn a_missing_file_is_named() {
    for sub in ["status", "validate"] {
        assert_one_line_error(
            ragplan().args([sub, "no/such/plan.json"]),
            &["no/such/plan.json", "cannot read"],
        );
    }
    assert_one_line_error(
        ragplan().args(["update", "nope.json", "1.1", "--note", "x", "--by", "X"]),
        &["nope.json"],
    );
    assert_one_line_error(ragplan().args(["diff", "a.json", "b.json"]), &["a.json"]);
}

#[test]
fn a_directory_is_not_a_plan() {
    let dir = tempfile::tempdir().expect("a directory");
    assert_one_line_error(ragplan().arg("status").arg(dir.path()), &["is a directory"]);
    assert_one_line_error(ragplan().arg("validate").arg(dir.path()), &["is a directory"]);
}

#[test]
fn empty_files_are_refused() {
    for name in ["empty.json", "empty.tsv", "blank.csv"] {
        let (_dir, path) = temp_file(name, if name == "blank.csv" { "  \n\n" } else { "" });
        assert_one_line_error(ragplan().arg("status").arg(&path), &[name, "empty"]);
    }
}

#[test]
fn a_malformed_plan_names_the_json_path() {
    let text = SMALL_PLAN.replacen(r#""action_rag": "amber""#, r#""action_rag": "purple""#, 1);
    let (_dir, path) = temp_file("bad.json", &text);
    assert_one_line_error(
        ragplan().arg("status").arg(&path),
        &["bad.json", "objectives[0].sub_objectives[1].actions[0].action_rag", "line"],
    );
    let text = SMALL_PLAN.replacen(
        r#""title": "Training","#,
        r#""title": "Training", "colour": "red","#,
        1,
    );
    let (_dir, path) = temp_file("unknown-field.json", &text);
    assert_one_line_error(
        ragplan().arg("validate").arg(&path),
        &["objectives[0].sub_objectives[1]", "colour"],
    );
    let (_dir, path) = temp_file("truncated.json", &SMALL_PLAN[..SMALL_PLAN.len() / 2]);
    assert_one_line_error(ragplan().arg("status").arg(&path), &["truncated.json", "line"]);
    let (_dir, path) =
        temp_file("other.json", r#"{"format": "ragplan/3", "id": "p", "title": "P"}"#);
    assert_one_line_error(ragplan().arg("status").arg(&path), &["other.json", "ragplan/3"]);
    let (_dir, path) = temp_file("array.json", "[1, 2, 3]");
    assert_one_line_error(ragplan().arg("status").arg(&path), &["array.json"]);
}

#[test]
fn wrong_kinds_of_file_do_not_panic() {
    let dir = tempfile::tempdir().expect("a directory");
    let files: &[(&str, &[u8])] = &[
        ("picture.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01"),
        ("binary.json", b"{\xff\xfe\0\x01"),
        ("notes.txt", b"Just some notes about the meeting.\n"),
        ("book.xlsx", b"PK\x03\x04 not really a workbook"),
        ("weird.csv", b"\"unterminated,quote\n1,2\n"),
    ];
    for (name, bytes) in files {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("a test file");
        for sub in ["status", "validate"] {
            let out = ragplan()
                .arg(sub)
                .arg(&path)
                .args(["--as-of", Q1_END])
                .output()
                .expect("the binary runs");
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(!stderr.contains("panicked"), "{name}: {stderr}");
            let code = out.status.code();
            assert!(matches!(code, Some(0..=2)), "{name}: exit {code:?}: {stderr}");
            if code == Some(2) {
                assert!(stderr.contains(name), "{name}: {stderr}");
            }
        }
    }
}

#[test]
fn wrong_flags_are_usage_errors() {
    let (_dir, plan) = temp_file("small.json", SMALL_PLAN);
    assert_usage_error(ragplan().args(["status", "--colour", "red"]).arg(&plan), &["--colour"]);
    assert_usage_error(ragplan().args(["status", "--format", "pdf"]).arg(&plan), &["pdf"]);
    assert_usage_error(
        ragplan().args(["status", "--as-of", "yesterday"]).arg(&plan),
        &["is not a date"],
    );
    assert_usage_error(
        ragplan().args(["status", "--only", "mauve"]).arg(&plan),
        &["\"mauve\" is not a rating"],
    );
    assert_usage_error(ragplan().args(["status", "--depth", "0"]).arg(&plan), &["--depth"]);
    assert_usage_error(ragplan().arg("status"), &["PLAN"]);
    assert_usage_error(ragplan().args(["frobnicate"]), &["frobnicate"]);
    assert_usage_error(&mut ragplan(), &["Usage"]);
}

#[test]
fn a_plan_with_a_dependency_cycle_is_rated_not_hung() {
    let (_dir, plan) = temp_file("cycle.json", CYCLE_PLAN);
    ragplan().args(["status", "--as-of", Q1_END]).arg(&plan).assert().success();
    ragplan().args(["status", "--as-of", Q1_END, "--format", "csv"]).arg(&plan).assert().success();
    ragplan().args(["diff", "--as-of", Q1_END]).arg(&plan).arg(&plan).assert().success();
}

#[test]
fn every_subcommand_has_help_with_examples() {
    for sub in ["status", "validate", "update", "override", "diff", "generate", "calendar"] {
        let out = ragplan().args([sub, "--help"]).assert().success().get_output().stdout.clone();
        let text = String::from_utf8(out).expect("UTF-8 help");
        assert!(text.contains("Examples:"), "{sub}: {text}");
        assert!(text.contains(&format!("ragplan {sub} ")), "{sub}: {text}");
        assert!(text.contains("Exit codes:"), "{sub}: {text}");
    }
    let top = ragplan().arg("--help").assert().success().get_output().stdout.clone();
    let top = String::from_utf8(top).expect("UTF-8 help");
    assert!(top.contains("Exit codes (every subcommand):") && top.contains("NO_COLOR"), "{top}");
}

/// A write whose last step fails (here `-o` names a directory, so the rename over it
/// fails) leaves the target as it was and no temporary file beside it.
#[test]
fn a_failed_write_leaves_the_target_and_no_temporary_file() {
    let (dir, plan) = temp_file("plan.json", SMALL_PLAN);
    let target = dir.path().join("q1.html");
    std::fs::create_dir(&target).expect("a directory in the way");
    assert_one_line_error(
        ragplan().args(["report"]).arg(&plan).args(["--as-of", Q1_END, "-o"]).arg(&target),
        &["q1.html: cannot write"],
    );
    assert!(target.is_dir());
    assert_eq!(crate::common::file_names(dir.path()), ["plan.json", "q1.html"]);
}
