//! How ragplan words things for a reader: UK dates, day counts, numbers, and a node
//! named by its key and quoted title.

use std::fmt;

use chrono::{Datelike, NaiveDate};

use crate::key::Key;

/// A date as UK readers write it: `31 May 2015`.
///
/// # Example
/// ```
/// use chrono::NaiveDate;
/// let d = NaiveDate::from_ymd_opt(2015, 5, 1).unwrap();
/// assert_eq!(ragplan_core::uk_date(d).to_string(), "1 May 2015");
/// ```
pub fn uk_date(date: NaiveDate) -> impl fmt::Display {
    UkDate(date)
}

/// [`uk_date`]'s `Display`: written directly, a few times faster than chrono's
/// `format("%-d %B %Y")`, whose output it is, which reads its pattern on every call;
/// nearly every reason's sentence holds a date.
struct UkDate(NaiveDate);

impl fmt::Display for UkDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let date = self.0;
        match date.year() {
            year @ 0..=9999 => {
                let month = chrono::Month::try_from(date.month() as u8).map_or("", |m| m.name());
                write!(f, "{} {month} {year:04}", date.day())
            }
            // chrono's signed form of the year beyond four digits.
            _ => write!(f, "{}", date.format("%-d %B %Y")),
        }
    }
}

/// `1.2.3 "Title"`.
pub(crate) struct Named<'a>(pub &'a Key, pub &'a str);

impl fmt::Display for Named<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} \"{}\"", self.0, self.1)
    }
}

pub(crate) fn days(n: i64) -> String {
    if n == 1 { "1 day".to_owned() } else { format!("{n} days") }
}

/// A number as a reader wants it: no `.0` on whole numbers.
pub(crate) fn number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 { format!("{x:.0}") } else { format!("{x}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The direct writer says what chrono's pattern says, for every date chrono
        /// holds.
        #[test]
        fn uk_date_is_chronos_pattern(days in -100_000_000i32..100_000_000) {
            let date = NaiveDate::from_num_days_from_ce_opt(days).unwrap_or_default();
            proptest::prop_assert_eq!(
                uk_date(date).to_string(),
                date.format("%-d %B %Y").to_string()
            );
        }
    }
}
