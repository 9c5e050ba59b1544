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

/// The subcommands a `--help` page lists under "Commands:", without `help`.
fn commands_in(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|line| *line != "Commands:")
        .skip(1)
        .take_while(|line| !line.is_empty())
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_owned)
        .collect()
}

/// Regression: clap wrapped the help examples at the terminal's width, so an
/// example pasted from a narrow terminal broke mid-quote. Every example line of
/// every help page is a whole command, or continues one that ends in ` \`.
#[test]
fn help_examples_are_not_wrapped_at_the_terminal_width() {
    let mut pending = vec![Vec::<String>::new()];
    let mut checked = 0;
    while let Some(path) = pending.pop() {
        let help = stdout_of(ragplan().args(&path).arg("--help").env("COLUMNS", "60"));
        for sub in commands_in(&help) {
            let mut deeper = path.clone();
            deeper.push(sub);
            pending.push(deeper);
        }
        let mut continues = false;
        let examples = help
            .lines()
            .skip_while(|line| *line != "Examples:")
            .skip(1)
            .take_while(|line| !line.is_empty());
        for line in examples {
            let command = line.strip_prefix("  ").is_some_and(|rest| {
                rest.starts_with("ragplan ")
                    || rest.split_once('=').is_some_and(|(var, _)| {
                        !var.is_empty() && var.chars().all(|c| c.is_ascii_uppercase() || c == '_')
                    })
            });
            assert!(
                command || continues,
                "ragplan {}: a broken example line {line:?}",
                path.join(" ")
            );
            continues = line.ends_with(" \\");
            checked += 1;
        }
    }
    assert!(checked > 40, "only {checked} example lines were found");
}
