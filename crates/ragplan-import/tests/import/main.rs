//! Tests of ragplan-import: the seed fixtures, every source format (Word documents
//! written by `docx_writer`), re-import, export and the lossless property.

#[path = "../support/bombs.rs"]
mod bombs;
mod columns;
mod common;
mod docx;
mod docx_writer;
mod fixtures;
mod formats;
mod hostile;
mod limits;
mod linear;
mod measures;
mod owner_names;
mod papers;
mod people;
mod properties;
mod reimport;
mod rules;
mod wide;
mod word_check;
