//! The date a plan's ratings were reported on: given by the caller, or read from a
//! full date standing plainly in the source's title or preamble ("Delivery plan
//! update, 30 June 2015").

use chrono::NaiveDate;
use ragplan_core::{Plan, Timescale, TimescaleKind};

use crate::{Diagnostic, DiagnosticCode, ImportOptions};

/// The one full date written in `text`, with the words that gave it: `None` when
/// there is none, or when there are two different ones (a period such as "1 April
/// 2015 – 31 March 2016" is no report date). A month alone ("March 2015") or a span
/// of months is not a full date.
pub(crate) fn date_in(text: &str) -> Option<(NaiveDate, String)> {
    let words: Vec<&str> = text
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| matches!(c, ',' | ';' | ':' | '(' | ')' | '[' | ']')))
        .collect();
    let mut found: Option<(NaiveDate, String)> = None;
    let mut i = 0;
    while i < words.len() {
        // One word ("30/06/2015", "2015-06-30"), or three ("30 June 2015",
        // "June 30 2015").
        let hit = [1, 3].into_iter().find_map(|n| {
            let phrase = words.get(i..i + n)?;
            if n == 3 && !(starts_date(phrase[0]) && starts_with_digit(phrase[2])) {
                return None;
            }
            let phrase = phrase.join(" ");
            let timescale = Timescale::parse(&phrase);
            let date = timescale.due.filter(|_| timescale.kind == TimescaleKind::Date)?;
            Some((n, date, phrase))
        });
        match hit {
            Some((n, date, phrase)) => {
                match &found {
                    Some((earlier, _)) if *earlier != date => return None,
                    Some(_) => {}
                    None => found = Some((date, phrase)),
                }
                i += n;
            }
            None => i += 1,
        }
    }
    found
}

fn starts_with_digit(word: &str) -> bool {
    word.starts_with(|c: char| c.is_ascii_digit())
}

/// Whether a word can open a date of three words: a day ("30", "30th") or a month
/// ("June").
fn starts_date(word: &str) -> bool {
    starts_with_digit(word)
        || Timescale::parse(&format!("{word} 2000")).kind == TimescaleKind::Month
}

/// Sets the plan's `reported_on`: the date of the options when given; otherwise the
/// one full date of the title and preamble `lines` (source row, text), with a
/// `reported-on-from-source` note quoting the text it came from. Lines that give two
/// different dates give none.
pub(crate) fn set_reported_on(
    plan: &mut Plan,
    options: &ImportOptions,
    lines: &[(usize, String)],
    diagnostics: &mut Vec<Diagnostic>,
) {
    if let Some(date) = options.reported_on {
        plan.reported_on = Some(date);
        return;
    }
    let Some(found) = date_of(lines) else { return };
    plan.reported_on = Some(found.date);
    diagnostics.push(found.diagnostic());
}

/// A report date found in a source's title or preamble: the date, the line, the
/// words that gave it and the line's text.
#[derive(Debug)]
pub(crate) struct Found {
    pub date: NaiveDate,
    line: usize,
    phrase: String,
    text: String,
}

impl Found {
    /// The note that says the plan is taken as reported on the date, and where.
    pub(crate) fn diagnostic(self) -> Diagnostic {
        Diagnostic::info(
            DiagnosticCode::ReportedOnFromSource,
            format!(
                "the plan is taken as reported on {} from {:?} in its title or \
                 preamble; --reported-on sets another date",
                ragplan_core::uk_date(self.date),
                self.phrase
            ),
        )
        .at_row(self.line)
        .with_text(self.text)
    }
}

/// The report date `lines` (each with its line number) give. A line that is a date
/// and nothing else is the paper's own date ("REPORT TO CABINET / 12 MARCH 2015"):
/// it decides, whatever dates the paper's text gives its history ("On 9 October
/// 2014, Cabinet considered…"). Else the one date the lines give decides. None when
/// those disagree.
pub(crate) fn date_of(lines: &[(usize, String)]) -> Option<Found> {
    date_among(lines, false)
}

/// The date line of a paper above the plan taken from it: a line that is a date and
/// nothing else, as [`date_of`] reads one; a date in running text (the day a review
/// was approved) is no report date of the plan below.
pub(crate) fn paper_date(lines: &[(usize, String)]) -> Option<Found> {
    date_among(lines, true)
}

fn date_among(lines: &[(usize, String)], alone_only: bool) -> Option<Found> {
    let dated = lines.iter().filter_map(|(line, text)| {
        let (date, phrase) = date_in(text)?;
        let alone = text.trim().trim_end_matches(['.', ',']).eq_ignore_ascii_case(&phrase);
        Some((date, *line, phrase, text, alone))
    });
    let any_alone = alone_only || dated.clone().any(|d| d.4);
    let mut found: Option<Found> = None;
    for (date, line, phrase, text, alone) in dated {
        if any_alone && !alone {
            continue;
        }
        match &found {
            Some(earlier) if earlier.date != date => return None,
            Some(_) => {}
            None => found = Some(Found { date, line, phrase, text: text.clone() }),
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn full_dates_are_found_and_months_and_periods_are_not() {
        let cases = [
            ("CSE delivery plan – update 30 June 2015", date(2015, 6, 30)),
            ("Reported to the LSCB, 30/06/2015.", date(2015, 6, 30)),
            ("Tracker (2015-06-30)", date(2015, 6, 30)),
            ("Progress at 30th June 2015", date(2015, 6, 30)),
            ("Delivery plan March 2015 – March 2017", None),
            ("Delivery plan March 2015", None),
            ("1 April 2015 – 31 March 2016", None),
            ("30 June 2015, as at 30 June 2015", date(2015, 6, 30)),
            ("Coventry LSCB CSE delivery plan", None),
        ];
        for (text, want) in cases {
            assert_eq!(date_in(text).map(|(d, _)| d), want, "{text}");
        }
    }
}
