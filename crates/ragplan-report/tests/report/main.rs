//! Integration tests of `ragplan-report`: one test binary, one module per concern.

mod calendar;
mod common;
mod content;
mod csv;
mod docx;
mod html;
mod properties;
mod regression;
mod snapshots;
mod templates;
mod xlsx;
