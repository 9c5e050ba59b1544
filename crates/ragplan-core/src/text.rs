//! How ragplan words things for a reader: UK dates, day counts, numbers, and a node
//! named by its key and quoted title.

use std::fmt;

use chrono::NaiveDate;

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
    date.format("%-d %B %Y")
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
