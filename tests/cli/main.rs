//! End-to-end tests of the `ragplan` binary: one test binary, one module per subcommand.

mod common;
