//! `docs/tracking-recommendations.md` run as written: every command in its `sh` blocks,
//! in order, on the whole Stockton paper, with the final report kept as a snapshot.

use crate::common::repo_root;

/// The guide, read from the repository so that an edit to it is what is tested.
const GUIDE: &str = "docs/tracking-recommendations.md";

/// The whole Stockton scrutiny paper, copied under the name the guide gives it.
const STOCKTON: &str = "tests/fixtures/import/seeds/002_83c5d27b8b45861a.txt";

/// The command lines of the guide's ```` ```sh ```` blocks, in order, each split into
/// words as a POSIX shell would (a line ending in `\` continues on the next).
fn commands(markdown: &str) -> Vec<Vec<String>> {
    let mut commands = Vec::new();
    let mut in_block = false;
    let mut pending = String::new();
    for line in markdown.lines() {
        let trimmed = line.trim();
        if !in_block {
            in_block = trimmed == "```sh";
            continue;
        }
        if trimmed == "```" {
            in_block = false;
            continue;
        }
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        match trimmed.strip_suffix('\\') {
            Some(head) => {
                pending.push_str(head);
                pending.push(' ');
            }
            None => {
                pending.push_str(trimmed);
                let words = shlex::split(&pending)
                    .unwrap_or_else(|| panic!("{GUIDE}: cannot split `{pending}` into words"));
                commands.push(words);
                pending.clear();
            }
        }
    }
    assert!(!in_block, "{GUIDE}: a ```sh block is not closed");
    commands
}

/// The guide's commands all succeed on the real paper, its `ragplan log` tells R3's
/// edits, updates and override interleaved by date, and its Q2 report is kept.
#[test]
fn the_tracking_recommendations_guide_runs_end_to_end() {
    let root = repo_root();
    let guide = std::fs::read_to_string(root.join(GUIDE)).expect("the guide");
    let commands = commands(&guide);
    assert!(commands.len() >= 20, "{GUIDE}: only {} commands found", commands.len());

    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::copy(root.join(STOCKTON), dir.path().join("stockton-review.txt"))
        .expect("copying the Stockton paper");

    let mut log = None;
    for words in &commands {
        let (program, args) = words.split_first().expect("a command has a word");
        assert_eq!(program, "ragplan", "{GUIDE}: `{}` is not a ragplan command", words.join(" "));
        let out = assert_cmd::Command::new(env!("CARGO_BIN_EXE_ragplan"))
            .args(args)
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .env_remove("CLICOLOR_FORCE")
            .output()
            .expect("running ragplan");
        assert!(
            out.status.success(),
            "{GUIDE}: `{}` failed ({}):\n{}",
            words.join(" "),
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        if args.first().map(String::as_str) == Some("log") {
            log = Some(String::from_utf8(out.stdout).expect("UTF-8 output"));
        }
    }

    let log = log.expect("the guide runs `ragplan log`");
    insta::assert_snapshot!("guide_log_r3", log);
    let report =
        std::fs::read_to_string(dir.path().join("q2-2015-16.md")).expect("the guide's Q2 report");
    insta::assert_snapshot!("guide_q2_report", report);
}
