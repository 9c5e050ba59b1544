//! In-process tests of the API: the router driven with `oneshot`, over a fresh SQLite
//! store per test, with a fixed clock (noon, 30 June 2015).

mod actions;
mod auth_matrix;
mod common;
mod concurrency;
mod dashboard;
mod errors;
mod inputs;
mod nodes;
mod openapi;
mod plans;
mod regression;
mod tokens;
