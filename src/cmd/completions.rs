//! `ragplan completions`: the shell completion script, written to standard output.

use std::process::ExitCode;

/// Flags of `ragplan completions`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  ragplan completions bash > ~/.local/share/bash-completion/completions/ragplan
  ragplan completions zsh > \"${fpath[1]}/_ragplan\"
  ragplan completions fish > ~/.config/fish/completions/ragplan.fish

Exit codes: 0 written; 2 the script cannot be written.")]
pub struct Args {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Runs `ragplan completions` for the command `cli`.
pub fn run(args: Args, mut cli: clap::Command) -> anyhow::Result<ExitCode> {
    let mut script = Vec::new();
    let name = cli.get_name().to_owned();
    clap_complete::generate(args.shell, &mut cli, name, &mut script);
    crate::output::print_data(&String::from_utf8(script)?)?;
    Ok(ExitCode::SUCCESS)
}
