//! How ragplan words things for a reader: UK dates, day counts, numbers, a node
//! named by its key and quoted title, and text in a CSV cell a spreadsheet opens.

use std::borrow::Cow;
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
    count(n, "day")
}

/// `n` things in words, the noun taking an `s` but for one: `1 rating`, `2 ratings`,
/// `0 problems`.
///
/// # Example
/// ```
/// assert_eq!(ragplan_core::count(1, "problem"), "1 problem");
/// assert_eq!(ragplan_core::count(5, "problem"), "5 problems");
/// ```
pub fn count(n: impl fmt::Display, noun: &str) -> String {
    let n = n.to_string();
    if n == "1" { format!("1 {noun}") } else { format!("{n} {noun}s") }
}

/// A number as a reader wants it: no `.0` on whole numbers.
pub(crate) fn number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 { format!("{x:.0}") } else { format!("{x}") }
}

/// The first characters on which a spreadsheet may read a cell as a formula (OWASP's
/// list for CSV injection): `=`, `+`, `-`, `@`, a tab and a carriage return.
pub const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `text` as a text cell of a CSV ragplan writes: with a `'` before it when it begins
/// with one of [`FORMULA_STARTS`], so that a spreadsheet shows it as text rather than
/// run it as a formula; otherwise as it is (a borrowed text is not copied).
///
/// Text that begins with apostrophes and then one of those characters (`'=A1`) gets
/// one more `'` too, so that the text reads back exactly: a system reading the CSV
/// gets it back by dropping the first character of each text cell that begins with
/// `'` and, after its leading apostrophes, with one of [`FORMULA_STARTS`]. Nothing
/// after the `'` is changed.
///
/// Only text goes through it: a number or a date ragplan writes (`-3`, `2015-06-30`)
/// is a value and is written as it is.
///
/// # Example
/// ```
/// use ragplan_core::text_cell;
/// assert_eq!(text_cell("=1+1"), "'=1+1");
/// assert_eq!(text_cell("@SUM(A1:A9)"), "'@SUM(A1:A9)");
/// assert_eq!(text_cell("-3"), "'-3"); // an owner named -3 is text
/// assert_eq!(text_cell("'=A1"), "''=A1");
/// assert_eq!(text_cell("Publish the leaflet"), "Publish the leaflet");
/// assert_eq!(text_cell("'Twas agreed"), "'Twas agreed");
/// assert_eq!(text_cell("1.2"), "1.2");
/// ```
pub fn text_cell<'a>(text: impl Into<Cow<'a, str>>) -> Cow<'a, str> {
    let text = text.into();
    if text.trim_start_matches('\'').starts_with(FORMULA_STARTS) {
        let mut guarded = text.into_owned();
        guarded.insert(0, '\'');
        Cow::Owned(guarded)
    } else {
        text
    }
}

/// The text a CSV cell written by [`text_cell`] holds: the cell with its first `'`
/// dropped when it begins with one and, after its apostrophes, with one of
/// [`FORMULA_STARTS`]; any other cell as it is. How ragplan reads back a table it
/// exported.
///
/// # Example
/// ```
/// use ragplan_core::{cell_text, text_cell};
/// assert_eq!(cell_text("'=1+1"), "=1+1");
/// assert_eq!(cell_text(&text_cell("''-3")), "''-3");
/// assert_eq!(cell_text("'Twas agreed"), "'Twas agreed");
/// ```
pub fn cell_text(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.trim_start_matches('\'').starts_with(FORMULA_STARTS) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each text as a text cell: what a spreadsheet would run begins with a `'`.
    #[test]
    fn text_cells_a_spreadsheet_would_run_begin_with_an_apostrophe() {
        let check = |text: &str, expect: &str| assert_eq!(text_cell(text), expect, "{text:?}");
        check("=1+1", "'=1+1");
        check("+44 24 7683 3333", "'+44 24 7683 3333");
        check("-3", "'-3");
        check("- see the minutes", "'- see the minutes");
        check("@SUM(A1:A9)", "'@SUM(A1:A9)");
        check("\t=1+1", "'\t=1+1");
        check("\r=1+1", "'\r=1+1");
        // Apostrophes before one: one more, so that dropping one reads back.
        check("'=1+1", "''=1+1");
        check("''-3", "'''-3");
        // Nothing to run: as it is.
        check("", "");
        check("'", "'");
        check("'Twas agreed", "'Twas agreed");
        check("Publish the leaflet", "Publish the leaflet");
        check("1.2", "1.2");
        check(" =1+1", " =1+1");
        check("Agreed = done", "Agreed = done");
        check("\n=1+1", "\n=1+1");
    }

    /// Text that needs no `'` is not copied, borrowed or owned.
    #[test]
    fn an_ordinary_text_cell_is_the_text_itself() {
        assert!(matches!(text_cell("Publish the leaflet"), Cow::Borrowed(_)));
        let owned = String::from("Ann Lee; Bob Jones");
        let at = owned.as_ptr();
        assert!(matches!(text_cell(owned), Cow::Owned(s) if s.as_ptr() == at));
    }

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
