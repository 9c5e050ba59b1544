//! One module per subcommand: each has `Args` (clap) and `run(args) -> Result<ExitCode>`.

pub mod export;
pub mod import;
