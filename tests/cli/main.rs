//! End-to-end tests of the `ragplan` binary: one test binary, one module per subcommand,
//! and `regression` for the bugs fixed, each test named after its problem.

mod add;
#[path = "../../crates/ragplan-import/tests/support/bombs.rs"]
mod bombs;
mod calendar;
mod common;
mod diff;
mod edit;
mod errors;
mod files;
mod generate;
mod guide;
mod import;
mod import_columns;
#[cfg(feature = "postgres-tests")]
mod instances;
mod log;
mod measure;
mod override_;
mod regression;
mod remove;
mod report;
mod server;
mod shell;
mod status;
mod store;
mod update;
mod validate;
