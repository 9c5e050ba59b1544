//! Measures (performance indicators): a measure's rating from its latest reading
//! against its target, and a parent's outcome from its measures.

use std::borrow::Cow;

use chrono::NaiveDate;

use crate::engine::rollup::{Child, roll_up};
use crate::plan::{Direction, Measure};
use crate::policy::{Policy, RollupRule};
use crate::rating::Rating;
use crate::reason::{ChildNoun, MeasureOffTargetReason, MeasureOnTargetReason, Reason};

/// Rates a measure on `as_of`: its rating and the reason.
pub(crate) fn rate_measure(measure: &Measure, as_of: NaiveDate) -> (Rating, Reason<'_>) {
    let key = Cow::Borrowed(&measure.key);
    let title = Cow::Borrowed(measure.title.as_str());
    // Latest reading on or before `as_of` (the later-listed wins a tie), and the one
    // before it.
    let mut latest: Option<usize> = None;
    for (i, r) in measure.readings.iter().enumerate() {
        if r.on <= as_of && latest.is_none_or(|l| measure.readings[l].on <= r.on) {
            latest = Some(i);
        }
    }
    let Some(latest) = latest else {
        return (Rating::NotRated, Reason::MeasureNoReading { key, title, as_of });
    };
    let reading = &measure.readings[latest];
    let mut previous: Option<usize> = None;
    for (i, r) in measure.readings.iter().enumerate() {
        let before = r.on < reading.on || (r.on == reading.on && i < latest);
        if i != latest && before && previous.is_none_or(|p| measure.readings[p].on <= r.on) {
            previous = Some(i);
        }
    }
    let previous = previous.map(|p| measure.readings[p].value);
    let (value, target, tolerance) = (reading.value, measure.target, measure.tolerance.abs());
    let good_side = match measure.direction {
        Direction::HigherIsBetter => value >= target,
        Direction::LowerIsBetter => value <= target,
    };
    if good_side || (value - target).abs() <= tolerance {
        return (
            Rating::Green,
            Reason::MeasureOnTarget(Box::new(MeasureOnTargetReason {
                key,
                title,
                value,
                on: reading.on,
                target,
                tolerance,
            })),
        );
    }
    let improved = previous.is_some_and(|p| match measure.direction {
        Direction::HigherIsBetter => value > p,
        Direction::LowerIsBetter => value < p,
    });
    let rating = if improved { Rating::Amber } else { Rating::Red };
    (
        rating,
        Reason::MeasureOffTarget(Box::new(MeasureOffTargetReason {
            rating,
            key,
            title,
            value,
            on: reading.on,
            target,
            previous,
        })),
    )
}

/// The outcome of a parent with measures: the measures rolled up, with each
/// measure's reason after the roll-up's.
pub(crate) fn measures_outcome<'a>(
    rule: RollupRule,
    policy: &Policy,
    measures: &'a [Measure],
    as_of: NaiveDate,
) -> (Rating, Vec<Reason<'a>>) {
    let rated: Vec<(Rating, Reason<'a>)> =
        measures.iter().map(|m| rate_measure(m, as_of)).collect();
    let children: Vec<Child<'_>> = measures
        .iter()
        .zip(&rated)
        .map(|(m, (rating, _))| Child {
            key: &m.key,
            title: &m.title,
            rating: *rating,
            critical: false,
            weight: 1,
            excluded: false,
        })
        .collect();
    let (rating, mut reasons) = roll_up(rule, policy, ChildNoun::Measures, &children);
    reasons.extend(rated.into_iter().map(|(_, r)| r));
    (rating, reasons)
}
