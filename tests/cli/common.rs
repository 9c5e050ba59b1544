//! Shared helpers for the end-to-end tests: the binary, the bundled example plan, and
//! small hand-written plans whose ratings are worked out by hand in the comments.

use std::path::{Path, PathBuf};

/// The repository root (where `Cargo.toml` of the `ragplan` package is).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The `ragplan` binary under test, with colour off.
pub fn ragplan() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new(env!("CARGO_BIN_EXE_ragplan"));
    cmd.env("NO_COLOR", "1").env_remove("CLICOLOR_FORCE").current_dir(repo_root());
    cmd
}

/// The bundled example: the Coventry CSE delivery plan as a `ragplan/1` document.
pub const COVENTRY_JSON: &str = "examples/plans/coventry-cse-delivery-plan.json";

/// The date the bundled example is read at: the end of Q1 2015/16.
pub const Q1_END: &str = "2015-06-30";

/// A small plan on the BRAG scale. As of 30 June 2015, under the default policy
/// (worse of reported and derived, worst-of roll-up):
///
/// - 1.1.1 reported Green, in progress, due 31 May 2015 → Red, 30 days overdue;
/// - 1.1.2 complete with evidence → Complete;
/// - 1.2.1 reported Amber, in progress, due 31 March 2016, updated 1 June 2015 → Amber;
/// - 2.1 reported Green, due 31 March 2016, with evidence, updated 15 June 2015 → Green.
///
/// So the plan's delivery counts are 1 red, 1 amber, 1 green, 1 complete (4 actions),
/// objective 1 is Red (worst of Red, Complete-as-Green, Amber) and objective 2 Green.
pub const SMALL_PLAN: &str =
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/small-plan.json"));

/// A plan whose two actions depend on each other: a dependency cycle.
pub const CYCLE_PLAN: &str = r#"{
  "format": "ragplan/1",
  "id": "cycle",
  "title": "Plan with a cycle",
  "objectives": [
    {
      "key": "1",
      "title": "Prevent",
      "actions": [
        {
          "key": "1.1",
          "title": "First",
          "action_rag": "green",
          "timescale": {"text": "2015/16", "kind": "financial_year", "start": "2015-04-01", "due": "2016-03-31"},
          "accountable": [{"name": "A"}],
          "depends_on": ["1.2"]
        },
        {
          "key": "1.2",
          "title": "Second",
          "action_rag": "green",
          "timescale": {"text": "2015/16", "kind": "financial_year", "start": "2015-04-01", "due": "2016-03-31"},
          "accountable": [{"name": "B"}],
          "depends_on": ["1.1"]
        }
      ]
    }
  ]
}
"#;

/// A temporary directory holding `name` with `content`; returns the directory (kept
/// alive by the caller) and the file's path.
pub fn temp_file(name: &str, content: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join(name);
    std::fs::write(&path, content).expect("writing a test file");
    (dir, path)
}

/// The names of the files in `dir`, sorted.
pub fn file_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("reading a test directory")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
    names.sort();
    names
}

/// Standard output of a successful run, as text.
pub fn stdout_of(cmd: &mut assert_cmd::Command) -> String {
    let out = cmd.assert().success().get_output().stdout.clone();
    String::from_utf8(out).expect("UTF-8 output")
}

/// Standard error of a run that exits with `code`, as text.
pub fn stderr_of(cmd: &mut assert_cmd::Command, code: i32) -> String {
    let out = cmd.assert().code(code).get_output().stderr.clone();
    String::from_utf8(out).expect("UTF-8 output")
}

#[test]
fn binary_answers_version() {
    ragplan().arg("--version").assert().success().stdout(predicates::str::contains("ragplan"));
}

/// The whole Stockton scrutiny paper from `tests/fixtures/import/seeds/`.
pub const STOCKTON: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/import/seeds/002_83c5d27b8b45861a.txt");

/// Stockton's recommendations imported into a plan of their own, in a temporary
/// directory.
pub fn stockton() -> (tempfile::TempDir, PathBuf) {
    let (dir, plan) = temp_file("stockton.json", "");
    ragplan().arg("import").arg(STOCKTON).arg("-o").arg(&plan).assert().success();
    (dir, plan)
}
