//! Tests of ragplan-import: the seed fixtures, every source format, re-import, export
//! and the lossless property.

mod common;
mod fixtures;
mod formats;
mod owner_names;
mod people;
mod properties;
mod reimport;
mod rules;
