//! The `ragplan` command: rate multi-agency action plans Red / Amber / Green, import
//! the plans analysts already have, and write the quarterly progress report.
//!
//! A thin layer: parse the flags, call the library, render. Exit codes are the same
//! for every subcommand: 0 success; 1 the plan has error-level lints (or `--strict`
//! warnings); 2 bad usage or unreadable input.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod cmd;

/// Rate multi-agency action plans Red / Amber / Green, with reasons.
#[derive(Debug, Parser)]
#[command(name = "ragplan", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Import a delivery plan (TSV, CSV, XLSX, Markdown, text, ragplan JSON).
    Import(cmd::import::Args),
    /// Export a plan back to a delimited table.
    Export(cmd::export::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Import(args) => cmd::import::run(args),
        Command::Export(args) => cmd::export::run(args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}
