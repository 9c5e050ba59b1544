//! One module per subcommand: each has `Args` (clap) and `run(args) -> Result<ExitCode>`.

pub mod add;
mod as_read;
#[cfg(test)]
mod as_read_tests;
pub mod backup;
pub mod calendar;
pub mod completions;
pub mod diff;
pub mod edit;
pub mod export;
pub mod generate;
pub mod import;
pub mod log;
pub mod man;
pub mod measure;
pub mod migrate;
pub mod override_;
pub mod remove;
pub mod report;
pub mod serve;
pub mod status;
pub mod store;
pub mod token;
pub mod update;
pub mod validate;
