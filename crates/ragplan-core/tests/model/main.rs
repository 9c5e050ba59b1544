//! Tests of the plan model and the `ragplan/1` document.

mod document;
mod properties;
mod strategies;
