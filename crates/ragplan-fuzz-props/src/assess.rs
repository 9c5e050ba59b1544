//! The engine and the report, given any policy, any plan and any date.
//!
//! An input is an optional first line `YYYY-MM-DD` (the date rated as of; else
//! 30 September 2015), then a policy's JSON (empty for the default), then
//! optionally a NUL byte and a plan's JSON (else the bundled Coventry plan). An
//! input whose policy or plan does not read is not an assessment and checks nothing
//! (the `policy_json` and `plan_json` targets read those).

use std::borrow::Cow;
use std::sync::OnceLock;

use chrono::{Days, NaiveDate};
use ragplan_core::document::{AssessmentDocument, JsonStyle, write_assessment};
use ragplan_core::{Dimension, Plan, Policy, Snapshot, rate};
use ragplan_report::{Format, Report, ReportOptions, render};

use crate::{Violation, ensure};

/// The bundled example plan.
const COVENTRY_JSON: &str = include_str!("../../../examples/plans/coventry-cse-delivery-plan.json");

/// The date rated as of when the input names none.
const DEFAULT_AS_OF: NaiveDate = NaiveDate::from_ymd_opt(2015, 9, 30).expect("a valid date");

/// The bundled plan, read once.
fn bundled() -> Option<&'static Plan> {
    static PLAN: OnceLock<Option<Plan>> = OnceLock::new();
    PLAN.get_or_init(|| Plan::from_json(COVENTRY_JSON).ok()).as_ref()
}

/// The date, policy and plan an input names, when they read.
fn read_input(data: &[u8]) -> Option<(NaiveDate, Policy, Cow<'static, Plan>)> {
    let (as_of, rest) = match data.get(..11) {
        Some(head) if head[10] == b'\n' => match std::str::from_utf8(&head[..10])
            .ok()
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        {
            Some(date) => (date, &data[11..]),
            None => (DEFAULT_AS_OF, data),
        },
        _ => (DEFAULT_AS_OF, data),
    };
    let (policy, plan) = match rest.iter().position(|&b| b == 0) {
        Some(nul) => (&rest[..nul], Some(&rest[nul + 1..])),
        None => (rest, None),
    };
    let policy = std::str::from_utf8(policy).ok()?;
    let policy = if policy.trim().is_empty() {
        Policy::default()
    } else {
        Policy::from_json(policy).ok()?
    };
    let plan = match plan {
        Some(json) => Cow::Owned(Plan::from_json(std::str::from_utf8(json).ok()?).ok()?),
        None => Cow::Borrowed(bundled()?),
    };
    Some((as_of, policy, plan))
}

/// Every node (and the plan) has at least one reason for each rating, each one
/// sentence; the assessment document reads back and writes the same JSON again.
pub(crate) fn assess(data: &[u8]) -> Result<(), Violation> {
    let Some((as_of, policy, plan)) = read_input(data) else { return Ok(()) };
    let ratings = rate(&plan, &policy, as_of);
    for node in std::iter::once(ratings.whole()).chain(ratings.nodes()) {
        for dimension in [Dimension::Delivery, Dimension::Outcome] {
            let reasons = node.reasons(dimension);
            let key = node.key().map_or_else(|| "the plan".to_owned(), ToString::to_string);
            ensure(!reasons.is_empty(), || format!("{key} has no {dimension:?} reason"))?;
            for reason in reasons {
                let sentence = reason.to_string();
                ensure(sentence.ends_with('.') && !sentence.contains('\n'), || {
                    format!("{key}'s reason is not one sentence: {sentence:?}")
                })?;
            }
        }
    }
    let _ = ratings.lints().count();
    let json = AssessmentDocument::from(&ratings).to_json();
    let back = AssessmentDocument::from_json(&json)
        .map_err(|e| Violation(format!("an assessment's own JSON does not read: {e}\n{json}")))?;
    let again = back.to_json();
    ensure(again == json, || {
        format!("an assessment's JSON reads back different:\n{json}\nthen\n{again}")
    })?;
    let mut streamed = Vec::new();
    write_assessment(&ratings, &mut streamed, JsonStyle::Pretty)
        .map_err(|e| Violation(format!("the streamed assessment does not write: {e}")))?;
    let streamed = String::from_utf8_lossy(&streamed);
    ensure(streamed == json, || {
        format!("the streamed assessment differs from the built one:\n{json}\nthen\n{streamed}")
    })
}

/// The report of the plan rated as of the date, against the plan as it stood a
/// quarter earlier, renders in every format: the text formats as UTF-8, HTML a
/// whole page, the CSV one row of as many cells as its header per action, the JSON
/// the report itself, the workbook and the Word document zips.
pub(crate) fn report(data: &[u8]) -> Result<(), Violation> {
    let Some((as_of, policy, plan)) = read_input(data) else { return Ok(()) };
    let ratings = rate(&plan, &policy, as_of);
    let before = as_of.checked_sub_days(Days::new(91)).unwrap_or(as_of);
    let previous = Snapshot::from(&plan.as_it_stood(before).rate(&policy));
    let report = Report::build(&ratings, Some(&previous), &ReportOptions::default());
    for format in Format::ALL {
        let bytes = render(&report, format)
            .map_err(|e| Violation(format!("{format} does not render: {e}")))?;
        if !format.is_text() {
            ensure(bytes.starts_with(b"PK\x03\x04"), || {
                format!("the {format} report is not a zip")
            })?;
            continue;
        }
        let text = String::from_utf8(bytes)
            .map_err(|e| Violation(format!("the {format} report is not UTF-8: {e}")))?;
        match format {
            Format::Html => ensure(
                text.starts_with("<!DOCTYPE html>") && text.trim_end().ends_with("</html>"),
                || "the HTML report is not a whole page".to_owned(),
            )?,
            Format::Csv => csv_is_one_row_per_action(&text, report.actions.len())?,
            Format::Json => {
                let read: serde_json::Value = serde_json::from_str(&text)
                    .map_err(|e| Violation(format!("the JSON report does not parse: {e}")))?;
                let built = serde_json::to_value(&report)
                    .map_err(|e| Violation(format!("the report does not serialise: {e}")))?;
                ensure(read == built, || "the JSON report is not the report".to_owned())?;
            }
            // Markdown, and any format added later: not empty.
            _ => ensure(!text.is_empty(), || format!("the {format} report is empty"))?,
        }
    }
    Ok(())
}

/// The CSV parses, every row as wide as the header, one row per action.
fn csv_is_one_row_per_action(text: &str, n_actions: usize) -> Result<(), Violation> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let mut rows = 0;
    for record in reader.records() {
        record.map_err(|e| Violation(format!("the CSV report does not parse: {e}")))?;
        rows += 1;
    }
    ensure(rows == n_actions, || format!("the CSV report has {rows} rows for {n_actions} actions"))
}
