//! End-to-end tests of the `ragplan` binary: one test binary, one module per subcommand.

mod common;
mod diff;
mod errors;
mod generate;
mod import;
mod override_;
mod report;
mod server;
mod status;
mod update;
mod validate;
