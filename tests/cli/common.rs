//! Shared helpers for the end-to-end tests.

use std::path::PathBuf;

/// The repository root (where `Cargo.toml` of the `ragplan` package is).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The `ragplan` binary under test.
pub fn ragplan() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new(env!("CARGO_BIN_EXE_ragplan"));
    cmd.env("NO_COLOR", "1").current_dir(repo_root());
    cmd
}

#[test]
fn binary_answers_version() {
    ragplan().arg("--version").assert().success().stdout(predicates::str::contains("ragplan"));
}
