//! The model's parsers: timescales, ratings, statuses, scales, the plan document
//! and the policy.

use std::str::FromStr;

use ragplan_core::{Plan, Policy, Rating, Scale, Status, Timescale};

use crate::{Violation, ensure};

/// `Timescale::parse` keeps the text, sets both dates or neither with the start not
/// after the due date, gives the same answer twice, and its JSON reads back equal.
pub(crate) fn timescale(data: &[u8]) -> Result<(), Violation> {
    let text = String::from_utf8_lossy(data);
    let t = Timescale::parse(&text);
    ensure(t.text == text, || format!("the text {text:?} came back as {:?}", t.text))?;
    match (t.start, t.due) {
        (Some(start), Some(due)) => {
            ensure(start <= due, || format!("{text:?} starts on {start}, after {due}"))?;
        }
        (None, None) => {}
        _ => return Err(Violation(format!("{text:?} has one date of two: {t:?}"))),
    }
    ensure(Timescale::parse(&text) == t, || format!("{text:?} parsed twice differs"))?;
    let json = serde_json::to_string(&t).map_err(|e| Violation(format!("{t:?}: {e}")))?;
    let back: Timescale =
        serde_json::from_str(&json).map_err(|e| Violation(format!("{json} does not read: {e}")))?;
    ensure(back == t, || format!("{json} read back as {back:?}"))
}

/// What parses as a rating, status or scale reads back from its own JSON word and
/// label; what does not is refused quoting the input.
pub(crate) fn rating(data: &[u8]) -> Result<(), Violation> {
    let text = String::from_utf8_lossy(data);
    words_read_back::<Rating>(&text, |r| [r.as_str(), r.label()])?;
    words_read_back::<Status>(&text, |s| [s.as_str(), s.label()])?;
    words_read_back::<Scale>(&text, |s| [s.as_str(), s.as_str()])
}

fn words_read_back<T>(text: &str, words: impl Fn(T) -> [&'static str; 2]) -> Result<(), Violation>
where
    T: FromStr + PartialEq + Copy + std::fmt::Debug,
    T::Err: std::fmt::Display,
{
    match text.parse::<T>() {
        Ok(value) => {
            for word in words(value) {
                let back = word.parse::<T>().ok();
                ensure(back == Some(value), || {
                    format!("{text:?} is {value:?}, but its word {word:?} reads as {back:?}")
                })?;
            }
            Ok(())
        }
        Err(e) => {
            let message = e.to_string();
            ensure(message.contains(&format!("{text:?}")), || {
                format!("the refusal of {text:?} does not quote it: {message}")
            })
        }
    }
}

/// A plan read from JSON writes canonical JSON that reads back equal and writes the
/// same bytes again; a refusal says something.
pub(crate) fn plan_json(data: &[u8]) -> Result<(), Violation> {
    let Ok(text) = std::str::from_utf8(data) else { return Ok(()) };
    match Plan::from_json(text) {
        Ok(plan) => plan_round_trips(&plan),
        Err(e) => ensure(!e.to_string().is_empty(), || "an empty refusal".to_owned()),
    }
}

/// `plan`'s JSON reads back equal, and writes the same bytes again.
pub(crate) fn plan_round_trips(plan: &Plan) -> Result<(), Violation> {
    let json = plan.to_json();
    let back = Plan::from_json(&json)
        .map_err(|e| Violation(format!("a plan's own JSON does not read: {e}\n{json}")))?;
    ensure(back == *plan, || format!("a plan's JSON reads back different:\n{json}"))?;
    let again = back.to_json();
    ensure(again == json, || format!("a plan's JSON is not stable:\n{json}\nthen\n{again}"))
}

/// A policy read from JSON writes JSON that reads back equal, and describes itself.
pub(crate) fn policy_json(data: &[u8]) -> Result<(), Violation> {
    let Ok(text) = std::str::from_utf8(data) else { return Ok(()) };
    match Policy::from_json(text) {
        Ok(policy) => {
            let json = policy.to_json();
            let back = Policy::from_json(&json).map_err(|e| {
                Violation(format!("a policy's own JSON does not read: {e}\n{json}"))
            })?;
            ensure(back == policy, || format!("a policy's JSON reads back different:\n{json}"))?;
            ensure(!policy.describe().is_empty(), || format!("{json} describes as nothing"))
        }
        Err(e) => ensure(!e.to_string().is_empty(), || "an empty refusal".to_owned()),
    }
}
