//! Integration tests of the RAG engine: rules, roll-up, reasons, validation, updates,
//! movement, invariants and the Coventry delivery plan.

mod apply;
mod common;
mod coventry;
mod document;
mod duplicates;
mod movement;
mod policy;
mod props;
mod regression;
mod rollup;
mod rules;
mod truthful;
mod validate;
