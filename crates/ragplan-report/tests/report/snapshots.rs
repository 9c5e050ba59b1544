//! Snapshots of the Coventry report as of 30 June 2015, compared with 31 March 2015.

use ragplan_report::{Format, render};

use crate::common::{coventry_report, text};

#[test]
fn coventry_markdown() {
    let report = coventry_report().report;
    insta::assert_snapshot!(text(render(&report, Format::Markdown).unwrap()));
}

#[test]
fn coventry_html() {
    let report = coventry_report().report;
    insta::assert_snapshot!(text(render(&report, Format::Html).unwrap()));
}

#[test]
fn coventry_json() {
    let report = coventry_report().report;
    insta::assert_snapshot!(text(render(&report, Format::Json).unwrap()));
}
