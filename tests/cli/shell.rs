//! `ragplan completions` and `ragplan man`: what a shell and `man` are given.

use crate::common::{file_names, ragplan, stderr_of, stdout_of};

/// The subcommands `ragplan --help` lists.
const SUBCOMMANDS: [&str; 6] = ["status", "import", "report", "update", "serve", "completions"];

#[test]
fn completions_name_every_subcommand_and_their_flags() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = stdout_of(ragplan().args(["completions", shell]));
        for sub in SUBCOMMANDS {
            assert!(script.contains(sub), "{shell}: no {sub}");
        }
        assert!(script.contains("as-of"), "{shell}: no --as-of");
    }
    let bash = stdout_of(ragplan().args(["completions", "bash"]));
    assert!(bash.contains("complete -F _ragplan"), "{bash}");
}

#[test]
fn completions_for_an_unknown_shell_are_refused_with_the_shells_known() {
    let err = stderr_of(ragplan().args(["completions", "tcsh"]), 2);
    assert!(err.contains("tcsh") && err.contains("bash"), "{err}");
}

#[test]
fn the_manual_page_is_roff_with_the_commands_and_exit_codes() {
    let page = stdout_of(ragplan().arg("man"));
    assert!(page.contains(".TH ragplan 1"), "{page}");
    assert!(page.contains("Exit codes"), "{page}");
    for sub in SUBCOMMANDS {
        assert!(page.contains(sub), "no {sub}");
    }
}

#[test]
fn man_out_dir_writes_a_page_for_each_subcommand() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    ragplan().args(["man", "--out-dir"]).arg(dir.path()).assert().success();
    let names = file_names(dir.path());
    for page in ["ragplan.1", "ragplan-status.1", "ragplan-import.1", "ragplan-token-create.1"] {
        assert!(names.iter().any(|n| n == page), "no {page} in {names:?}");
    }
    let status =
        std::fs::read_to_string(dir.path().join("ragplan-status.1")).expect("the status page");
    assert!(status.contains("as\\-of"), "{status}");
}

#[test]
fn man_out_dir_that_does_not_exist_is_an_error_naming_it() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let missing = dir.path().join("no-such-folder");
    let err = stderr_of(ragplan().args(["man", "--out-dir"]).arg(&missing), 2);
    assert!(err.contains("no-such-folder") && err.contains("no such folder"), "{err}");
}
