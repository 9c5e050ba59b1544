//! Timescales: the free text of a plan's "Timescale" cell, and the period it resolves to.
//!
//! [`Timescale::parse`] never fails: it keeps the text and resolves what it can. Dates
//! are read day-first (UK), and years written `2015/16` are UK financial years
//! (1 April – 31 March). The due date of a period is its last day.
//!
//! A sentence that ends with its one period ("To be included in the work programme
//! for 2015-2016") resolves to that period, and only then: see [`period_in_prose`]'s
//! rules. A month name with two digits and no dash (`June 15`) is left unresolved:
//! `June 15 2015` is the 15th, so it may be a day with no year as well as June 2015,
//! and a wrong due date is worse than none. Excel's `Jun-15` is June 2015.

use std::fmt;

use chrono::{Datelike, Months, NaiveDate};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What a timescale's text resolved to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum TimescaleKind {
    /// One day: `13 March 2015`, `13/03/2015`, `Thursday 8 January 2015, 1 pm`.
    Date,
    /// A calendar month: `May 2015`, `by September, 2015`, `end of June 2015`, and
    /// Excel's month-year `Jun-15`, `Sep-2015`.
    Month,
    /// A span of months or days: `March/April 2015`, `Jan-Mar 2016`,
    /// `March 2015 - March 2017`, `01/04/2015 - 30/09/2015`,
    /// `1 April 2015 to 30 September 2015`.
    Range,
    /// A quarter of a UK financial year: `Q1 2015/16` is April–June 2015.
    Quarter,
    /// A UK financial year: `2015/16` is 1 April 2015 – 31 March 2016.
    FinancialYear,
    /// A calendar year: `2015`.
    Year,
    /// A season: spring (March–May), summer (June–August), autumn (September–November),
    /// winter (December–February).
    Season,
    /// `Ongoing`: continuing work with no end date.
    Ongoing,
    /// `Monthly`, `Quarterly`, `Annually`: recurring work with no end date.
    Recurring,
    /// `TBC`, `ASAP`, `At earliest opportunity`, or empty: not yet scheduled.
    Unscheduled,
    /// Text that names no period ragplan can work out, such as an event
    /// ("first Cabinet Member meeting in the new Municipal Year"). The text is kept.
    Unresolved,
}

impl TimescaleKind {
    /// The snake_case word used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            TimescaleKind::Date => "date",
            TimescaleKind::Month => "month",
            TimescaleKind::Range => "range",
            TimescaleKind::Quarter => "quarter",
            TimescaleKind::FinancialYear => "financial_year",
            TimescaleKind::Year => "year",
            TimescaleKind::Season => "season",
            TimescaleKind::Ongoing => "ongoing",
            TimescaleKind::Recurring => "recurring",
            TimescaleKind::Unscheduled => "unscheduled",
            TimescaleKind::Unresolved => "unresolved",
        }
    }
}

/// A timescale as written in a plan, with the period it resolves to.
///
/// `start` and `due` are set for the kinds that name a period (date, month, range,
/// quarter, financial year, year, season) and absent for the others.
///
/// # Example
/// ```
/// use chrono::NaiveDate;
/// use ragplan_core::{Timescale, TimescaleKind};
///
/// let t = Timescale::parse("Q1 2015/16");
/// assert_eq!(t.kind, TimescaleKind::Quarter);
/// assert_eq!(t.start, NaiveDate::from_ymd_opt(2015, 4, 1));
/// assert_eq!(t.due, NaiveDate::from_ymd_opt(2015, 6, 30));
///
/// // Day-first dates.
/// assert_eq!(Timescale::parse("05/06/2015").due, NaiveDate::from_ymd_opt(2015, 6, 5));
///
/// // Text that names an event is kept, unresolved.
/// let t = Timescale::parse("first Cabinet Member meeting in the new Municipal Year");
/// assert_eq!(t.kind, TimescaleKind::Unresolved);
/// assert_eq!(t.due, None);
/// assert_eq!(t.text, "first Cabinet Member meeting in the new Municipal Year");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Timescale {
    /// The text exactly as the source had it.
    pub text: String,
    /// What the text resolved to.
    pub kind: TimescaleKind,
    /// First day of the resolved period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<NaiveDate>,
    /// Last day of the resolved period: when the work is due.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<NaiveDate>,
}

/// A timescale as a document writes it, before [`Timescale`]'s invariant is
/// checked: a resolved period has both its first and last day, the first not after
/// the last; an unresolved one has neither.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TimescaleFields {
    text: String,
    kind: TimescaleKind,
    #[serde(default)]
    start: Option<NaiveDate>,
    #[serde(default)]
    due: Option<NaiveDate>,
}

impl TryFrom<TimescaleFields> for Timescale {
    type Error = String;

    fn try_from(t: TimescaleFields) -> Result<Timescale, String> {
        match (t.start, t.due) {
            (Some(start), Some(due)) if start > due => {
                return Err(format!(
                    "timescale {:?} starts on {start}, after it is due on {due}",
                    t.text
                ));
            }
            (Some(_), None) | (None, Some(_)) => {
                return Err(format!(
                    "timescale {:?} has a start or a due date but not both; give both, or neither",
                    t.text
                ));
            }
            _ => {}
        }
        Ok(Timescale { text: t.text, kind: t.kind, start: t.start, due: t.due })
    }
}

impl<'de> Deserialize<'de> for Timescale {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Timescale, D::Error> {
        Timescale::try_from(TimescaleFields::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

impl Default for Timescale {
    fn default() -> Self {
        Timescale::parse("")
    }
}

impl fmt::Display for Timescale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Timescale {
    /// The years a four-digit year is read in: a timescale or date outside them
    /// (`1899`, `2250`) names no date, as a plan's years are this century's.
    pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2199;

    /// Reads a timescale. Never fails and never panics; see [`TimescaleKind`] for
    /// what is understood.
    pub fn parse(text: &str) -> Timescale {
        let (kind, period) = resolve(text);
        Timescale {
            text: text.to_owned(),
            kind,
            start: period.map(|(s, _)| s),
            due: period.map(|(_, d)| d),
        }
    }

    /// A timescale of one day.
    pub fn on(date: NaiveDate) -> Timescale {
        Timescale {
            text: crate::text::uk_date(date).to_string(),
            kind: TimescaleKind::Date,
            start: Some(date),
            due: Some(date),
        }
    }

    /// The one day `text` names, read as a timescale is: ISO (`2015-06-30`) or UK
    /// day-first (`30/06/2015`, `30 June 2015`, `30th Jun 2015`), never month-first
    /// (`06/30/2015` is no date). None for anything but a single day: a month, a
    /// quarter, a range or text that names no date.
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// use ragplan_core::Timescale;
    ///
    /// let day = NaiveDate::from_ymd_opt(2015, 6, 30);
    /// assert_eq!(Timescale::day("30/06/2015"), day);
    /// assert_eq!(Timescale::day("30 June 2015"), day);
    /// assert_eq!(Timescale::day("2015-06-30"), day);
    /// assert_eq!(Timescale::day("06/30/2015"), None);
    /// assert_eq!(Timescale::day("June 2015"), None);
    /// ```
    pub fn day(text: &str) -> Option<NaiveDate> {
        let (kind, period) = resolve(text);
        period.filter(|(start, due)| kind == TimescaleKind::Date && start == due).map(|(d, _)| d)
    }

    /// Whether the text resolved to something ragplan understands (anything but
    /// [`TimescaleKind::Unresolved`]).
    pub fn is_resolved(&self) -> bool {
        self.kind != TimescaleKind::Unresolved
    }

    /// Whether the source gave no timescale at all (empty text).
    pub fn is_missing(&self) -> bool {
        self.text.trim().is_empty()
    }

    /// Whether the work goes on with no end (ongoing or recurring).
    pub fn is_open_ended(&self) -> bool {
        matches!(self.kind, TimescaleKind::Ongoing | TimescaleKind::Recurring)
    }
}

// ---------------------------------------------------------------------------------
// The resolver.

type Period = (NaiveDate, NaiveDate);

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num { value: u32, digits: usize },
    Word(String),
    Slash,
    Dash,
    Dot,
    Colon,
}

/// `text` with the letters OCR mistakes for Latin ones (Cyrillic, Greek) read as
/// those, and every dash as `-`: how a timescale is read, and how an importer tells
/// the `ТВС` of a scanned page from `TBC`.
///
/// # Example
/// ```
/// // Cyrillic Т, В and С.
/// assert_eq!(ragplan_core::fold_lookalikes("\u{422}\u{412}\u{421} – Q2"), "tbc - Q2");
/// ```
pub fn fold_lookalikes(text: &str) -> String {
    text.chars().map(unconfuse).collect()
}

/// Maps letters that OCR mistakes for Latin ones (Cyrillic, Greek) to Latin.
fn unconfuse(c: char) -> char {
    match c {
        'А' | 'а' | 'Α' | 'α' => 'a',
        'В' | 'в' | 'Β' | 'β' => 'b',
        'С' | 'с' | 'Ϲ' | 'ϲ' => 'c',
        'Е' | 'е' | 'Ε' | 'ε' => 'e',
        'Н' | 'н' | 'Η' => 'h',
        'І' | 'і' | 'Ι' | 'ι' => 'i',
        'К' | 'к' | 'Κ' | 'κ' => 'k',
        'М' | 'м' | 'Μ' => 'm',
        'О' | 'о' | 'Ο' | 'ο' => 'o',
        'Р' | 'р' | 'Ρ' | 'ρ' => 'p',
        'Т' | 'т' | 'Τ' | 'τ' => 't',
        'Х' | 'х' | 'Χ' | 'χ' => 'x',
        'У' | 'у' | 'Υ' => 'y',
        '–' | '—' | '‐' | '‑' | '−' => '-',
        _ => c,
    }
}

fn tokenize(text: &str) -> Vec<Tok> {
    let mut toks = Vec::new();
    let mut chars = text.chars().map(unconfuse).peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            let mut value: u32 = c.to_digit(10).unwrap_or(0);
            let mut digits = 1;
            while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
                value = value.saturating_mul(10).saturating_add(d);
                digits += 1;
                chars.next();
            }
            toks.push(Tok::Num { value, digits });
        } else if c.is_alphabetic() {
            let mut word: String = c.to_lowercase().collect();
            while let Some(&n) = chars.peek() {
                if n.is_alphabetic() {
                    word.extend(n.to_lowercase());
                    chars.next();
                } else {
                    break;
                }
            }
            toks.push(Tok::Word(word));
        } else {
            match c {
                '/' => toks.push(Tok::Slash),
                '-' => toks.push(Tok::Dash),
                '.' => toks.push(Tok::Dot),
                ':' => toks.push(Tok::Colon),
                _ => {}
            }
        }
    }
    toks
}

fn month_number(word: &str) -> Option<u32> {
    let m = match word {
        "jan" | "january" => 1,
        "feb" | "febr" | "february" => 2,
        "mar" | "march" => 3,
        "apr" | "april" => 4,
        "may" => 5,
        "jun" | "june" => 6,
        "jul" | "july" => 7,
        "aug" | "august" => 8,
        "sep" | "sept" | "september" => 9,
        "oct" | "october" => 10,
        "nov" | "november" => 11,
        "dec" | "december" => 12,
        _ => return None,
    };
    Some(m)
}

const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tue",
    "tues",
    "wed",
    "thu",
    "thur",
    "thurs",
    "fri",
    "sat",
    "sun",
];

/// Words that say nothing about the period ("by September", "end of June").
const FILLER: &[&str] = &[
    "by",
    "end",
    "of",
    "the",
    "before",
    "no",
    "later",
    "than",
    "until",
    "in",
    "during",
    "due",
    "deadline",
    "target",
    "date",
    "fy",
    "financial",
    "year",
    "to",
    "and",
    "from",
    "on",
    "at",
    "around",
    "approx",
    "approximately",
    "c",
    "circa",
    "st",
    "nd",
    "rd",
    "th",
];

fn compact(text: &str) -> String {
    text.chars()
        .map(unconfuse)
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn resolve(text: &str) -> (TimescaleKind, Option<Period>) {
    let key = compact(text);
    match key.as_str() {
        ""
        | "tbc"
        | "tba"
        | "tbd"
        | "tobeconfirmed"
        | "tobeagreed"
        | "tobedecided"
        | "tobearranged"
        | "asap"
        | "assoonaspossible"
        | "immediate"
        | "immediately"
        | "atearliestopportunity"
        | "attheearliestopportunity"
        | "earliestopportunity" => {
            return (TimescaleKind::Unscheduled, None);
        }
        "ongoing" | "continuous" | "continuing" | "inplace" | "ongoingcontinuous" => {
            return (TimescaleKind::Ongoing, None);
        }
        "monthly" | "quarterly" | "annually" | "annual" | "yearly" | "weekly" | "fortnightly"
        | "biannually" | "biannual" | "daily" | "termly" | "sixmonthly" => {
            return (TimescaleKind::Recurring, None);
        }
        _ => {}
    }
    let toks = tokenize(text);
    period_of(&toks)
        .or_else(|| period_in_prose(&toks))
        .map_or((TimescaleKind::Unresolved, None), |(k, p)| (k, Some(p)))
}

/// The period that tokens name as a whole: one of [`match_period`]'s forms, or else
/// a span of two days or Excel's month-year. The forms added after `match_period`
/// are tried only where it resolves nothing, so none of them changes what it reads.
fn period_of(raw: &[Tok]) -> Option<(TimescaleKind, Period)> {
    let toks = clean(raw.to_vec());
    match_period(&toks).or_else(|| day_range(&toks)).or_else(|| excel_month(raw, &toks))
}

/// `Jun-15`, `Sep-2015`: Excel's month-year (`mmm-yy`), its day without a year being
/// `15-Jun`, so the number after the dash is a year. Not when the number has an
/// ordinal suffix (`June-13th` is a day), and not without the dash: `June 15` is
/// left unresolved, since `June 15 2015` is the 15th and a UK plan that means June
/// 2015 writes `June 2015` or `Jun-15`.
fn excel_month(raw: &[Tok], toks: &[Tok]) -> Option<(TimescaleKind, Period)> {
    let ordinal = raw.windows(2).any(|pair| {
        matches!(pair, [Tok::Num { .. }, Tok::Word(w)] if matches!(w.as_str(), "st" | "nd" | "rd" | "th"))
    });
    match toks {
        [m, Tok::Dash, Tok::Num { value, digits }] if !ordinal => {
            let period = months(full_year(*value, *digits)?, word_month(m)?, 1)?;
            Some((TimescaleKind::Month, period))
        }
        _ => None,
    }
}

/// Drops weekdays, times of day, ordinal suffixes, filler words and trailing dots.
fn clean(toks: Vec<Tok>) -> Vec<Tok> {
    let mut out: Vec<Tok> = Vec::with_capacity(toks.len());
    let mut i = 0;
    while i < toks.len() {
        // A time of day: 1 pm, 10.30am, 13:00.
        if let Tok::Num { .. } = toks[i] {
            let mut j = i + 1;
            let mut is_clock = false;
            if matches!(toks.get(j), Some(Tok::Colon | Tok::Dot))
                && matches!(toks.get(j + 1), Some(Tok::Num { digits: 2, .. }))
            {
                is_clock = matches!(toks.get(j), Some(Tok::Colon));
                j += 2;
            }
            if let Some(Tok::Word(w)) = toks.get(j)
                && matches!(w.as_str(), "am" | "pm" | "noon" | "hrs" | "hours")
            {
                i = j + 1;
                continue;
            }
            if is_clock {
                i = j;
                continue;
            }
        }
        // OCR writes the hour "1" as "I" or "l": "Friday 13 March 2015, I pm".
        if let (Tok::Word(w), Some(Tok::Word(next))) = (&toks[i], toks.get(i + 1))
            && matches!(w.as_str(), "i" | "l")
            && matches!(next.as_str(), "am" | "pm")
        {
            i += 2;
            continue;
        }
        match &toks[i] {
            Tok::Word(w) if WEEKDAYS.contains(&w.as_str()) || FILLER.contains(&w.as_str()) => {}
            t => out.push(t.clone()),
        }
        i += 1;
    }
    while matches!(out.last(), Some(Tok::Dot | Tok::Dash | Tok::Slash)) {
        out.pop();
    }
    while matches!(out.first(), Some(Tok::Dot | Tok::Dash | Tok::Slash)) {
        out.remove(0);
    }
    out
}

fn full_year(value: u32, digits: usize) -> Option<i32> {
    match digits {
        4 => i32::try_from(value).ok().filter(|y| Timescale::YEARS.contains(y)),
        2 => i32::try_from(2000 + value).ok(),
        _ => None,
    }
}

fn last_day_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, 1)?.checked_add_months(Months::new(1))?.pred_opt()
}

fn months(year: i32, first: u32, n_months: u32) -> Option<Period> {
    let start = NaiveDate::from_ymd_opt(year, first, 1)?;
    let end = start.checked_add_months(Months::new(n_months))?.pred_opt()?;
    Some((start, end))
}

fn is_sep(t: &Tok) -> bool {
    matches!(t, Tok::Slash | Tok::Dash)
}

/// `2015/16`, `2015-16`, `2015-2016`, `15/16`: the first year of a financial year.
fn financial_year(toks: &[Tok]) -> Option<i32> {
    match toks {
        [Tok::Num { value: a, digits: da }, sep, Tok::Num { value: b, digits: db }]
            if is_sep(sep) =>
        {
            let first = full_year(*a, *da)?;
            let second = match (*da, *db) {
                (4, 2) => first - first % 100 + i32::try_from(*b).ok()?,
                (4, 4) | (2, 2) => full_year(*b, *db)?,
                _ => return None,
            };
            // 1999/00 wraps the century.
            let second = if second < first && *db == 2 { second + 100 } else { second };
            (second == first + 1).then_some(first)
        }
        _ => None,
    }
}

fn fy_quarter(fy_start: i32, quarter: u32) -> Option<Period> {
    if !(1..=4).contains(&quarter) {
        return None;
    }
    let (year, month) = if quarter == 4 { (fy_start + 1, 1) } else { (fy_start, 1 + 3 * quarter) };
    months(year, month, 3)
}

fn word_month(t: &Tok) -> Option<u32> {
    match t {
        Tok::Word(w) => month_number(w),
        _ => None,
    }
}

fn year4(t: &Tok) -> Option<i32> {
    match t {
        Tok::Num { value, digits: 4 } => full_year(*value, 4),
        _ => None,
    }
}

fn num(t: &Tok) -> Option<u32> {
    match t {
        Tok::Num { value, .. } => Some(*value),
        _ => None,
    }
}

fn day(year: i32, month: u32, day: u32) -> Option<Period> {
    let d = NaiveDate::from_ymd_opt(year, month, day)?;
    Some((d, d))
}

fn month_range(y1: i32, m1: u32, y2: i32, m2: u32) -> Option<Period> {
    let start = NaiveDate::from_ymd_opt(y1, m1, 1)?;
    let end = last_day_of_month(y2, m2)?;
    (start <= end).then_some((start, end))
}

fn match_period(toks: &[Tok]) -> Option<(TimescaleKind, Period)> {
    use TimescaleKind as K;
    let kind_of = |k: TimescaleKind, p: Option<Period>| p.map(|p| (k, p));
    match toks {
        // 2015-03-13
        [a @ Tok::Num { digits: 4, .. }, s1, m, s2, d] if is_sep(s1) && s1 == s2 => {
            kind_of(K::Date, day(year4(a)?, num(m)?, num(d)?))
        }
        // 13/03/2015, 13.03.2015, 13-03-15
        [d, s1, m, s2, Tok::Num { value, digits }]
            if matches!(s1, Tok::Slash | Tok::Dot | Tok::Dash) && s1 == s2 =>
        {
            kind_of(K::Date, day(full_year(*value, *digits)?, num(m)?, num(d)?))
        }
        // 13 March 2015
        [d @ Tok::Num { .. }, m @ Tok::Word(_), y] => {
            kind_of(K::Date, day(year4(y)?, word_month(m)?, num(d)?))
        }
        // March 13 2015
        [m @ Tok::Word(_), d @ Tok::Num { digits: 1 | 2, .. }, y] => {
            kind_of(K::Date, day(year4(y)?, word_month(m)?, num(d)?))
        }
        // May 2015
        [m @ Tok::Word(w), y] => {
            if let Some(m) = word_month(m) {
                kind_of(K::Month, months(year4(y)?, m, 1))
            } else {
                let y = year4(y)?;
                let p = match w.as_str() {
                    "spring" => months(y, 3, 3),
                    "summer" => months(y, 6, 3),
                    "autumn" | "fall" => months(y, 9, 3),
                    "winter" => months(y, 12, 3),
                    _ => None,
                };
                kind_of(K::Season, p)
            }
        }
        // March/April 2015, March - April 2015, Jan-Mar 2016, March April 2015
        [m1, sep, m2, y] if is_sep(sep) => month_pair(m1, m2, y),
        [m1 @ Tok::Word(_), m2 @ Tok::Word(_), y] => month_pair(m1, m2, y),
        // March 2015 - March 2017
        [m1, y1, sep, m2, y2] if is_sep(sep) => {
            kind_of(K::Range, month_range(year4(y1)?, word_month(m1)?, year4(y2)?, word_month(m2)?))
        }
        [m1, y1, m2, y2] => {
            kind_of(K::Range, month_range(year4(y1)?, word_month(m1)?, year4(y2)?, word_month(m2)?))
        }
        // Q1 2015/16, Quarter 3 2015-16
        [Tok::Word(q), n, rest @ ..] if matches!(q.as_str(), "q" | "quarter" | "qtr") => {
            kind_of(K::Quarter, fy_quarter(financial_year(rest)?, num(n)?))
        }
        // 2015/16 Q1
        [a, s, b, Tok::Word(q), n] if matches!(q.as_str(), "q" | "quarter" | "qtr") => {
            let fy = financial_year(&[a.clone(), s.clone(), b.clone()])?;
            kind_of(K::Quarter, fy_quarter(fy, num(n)?))
        }
        // 2015
        [y] => kind_of(K::Year, months(year4(y)?, 1, 12)),
        // 2015/16
        _ => {
            let fy = financial_year(toks)?;
            kind_of(K::FinancialYear, months(fy, 4, 12))
        }
    }
}

/// `01/04/2015 - 30/09/2015`, `1 April 2015 to 30 September 2015`: two days, each
/// one of [`match_period`]'s dates, apart by a dash or side by side (`to` and `from`
/// are filler, gone already), the first not after the second. Only one way of cutting
/// the tokens in two may give two days, so `13-03-2015 - 14-03-2015` is read at its
/// middle dash and nothing is read where the cut is in doubt.
fn day_range(toks: &[Tok]) -> Option<(TimescaleKind, Period)> {
    let date = |side: &[Tok]| match match_period(side) {
        Some((TimescaleKind::Date, (d, _))) => Some(d),
        _ => None,
    };
    let mut found = None;
    for cut in 1..toks.len() {
        let (first, rest) = toks.split_at(cut);
        let second = if rest.first() == Some(&Tok::Dash) { &rest[1..] } else { rest };
        let (Some(start), Some(due)) = (date(first), date(second)) else { continue };
        if found.is_some() {
            return None;
        }
        found = Some((start, due));
    }
    found.filter(|(start, due)| start <= due).map(|p| (TimescaleKind::Range, p))
}

/// Words that make a period written in prose something other than when the work is
/// due: a start ("from", "after", "will commence in"), a repetition ("every"), another kind of year
/// ("municipal", "academic"), a doubt or an alternative ("TBC", "or"), an old date
/// ("was").
const NOT_A_DEADLINE: &[&str] = &[
    "after",
    "following",
    "from",
    "since",
    "onwards",
    "onward",
    "beyond",
    "post",
    "start",
    "starts",
    "started",
    "starting",
    "commence",
    "commences",
    "commenced",
    "commencing",
    "begin",
    "begins",
    "began",
    "beginning",
    "every",
    "each",
    "per",
    "ongoing",
    "continuous",
    "monthly",
    "quarterly",
    "annually",
    "annual",
    "yearly",
    "weekly",
    "fortnightly",
    "termly",
    "municipal",
    "academic",
    "school",
    "or",
    "not",
    "was",
    "previously",
    "originally",
    "formerly",
    "tbc",
    "tba",
    "tbd",
    "provisional",
    "provisionally",
    "tentatively",
];

/// Words that introduce a deadline: "… work programme for 2015-2016", "… by the end
/// of March 2016", "Deadline: 31/03/2016".
const DEADLINE_WORDS: &[&str] = &[
    "by", "in", "for", "during", "within", "before", "until", "till", "due", "deadline", "target",
    "date", "on", "at", "end", "than",
];

/// The one period a sentence ends with: "To be included in Ambitious Plymouth work
/// programme for 2015-2016" is the financial year 2015/16. Read only when the text
/// holds no other number or month name before it, the period is the whole of the
/// rest of the text, a deadline word introduces it ([`DEADLINE_WORDS`], past "the",
/// "of", weekdays and punctuation), no word says it is something else
/// ([`NOT_A_DEADLINE`]), and it is more than a bare year ("Children Act 2004" names
/// no deadline). Anything less clear stays unresolved: a wrong date is worse than none.
fn period_in_prose(toks: &[Tok]) -> Option<(TimescaleKind, Period)> {
    let words = || {
        toks.iter().filter_map(|t| match t {
            Tok::Word(w) => Some(w.as_str()),
            _ => None,
        })
    };
    if words().any(|w| NOT_A_DEADLINE.contains(&w)) {
        return None;
    }
    let names_a_period = |t: &Tok| match t {
        Tok::Num { .. } => true,
        Tok::Word(w) => {
            month_number(w).is_some()
                || matches!(
                    w.as_str(),
                    "q" | "quarter" | "qtr" | "spring" | "summer" | "autumn" | "fall" | "winter"
                )
        }
        _ => false,
    };
    let at = toks.iter().position(names_a_period)?;
    let (prose, span) = toks.split_at(at);
    let introducer = prose.iter().rev().find_map(|t| match t {
        Tok::Word(w) if w == "the" || w == "of" || WEEKDAYS.contains(&w.as_str()) => None,
        Tok::Word(w) => Some(w.as_str()),
        _ => None,
    })?;
    if !DEADLINE_WORDS.contains(&introducer) {
        return None;
    }
    period_of(span).filter(|(kind, _)| *kind != TimescaleKind::Year)
}

fn month_pair(m1: &Tok, m2: &Tok, y: &Tok) -> Option<(TimescaleKind, Period)> {
    let (m1, m2, y) = (word_month(m1)?, word_month(m2)?, year4(y)?);
    // "Dec-Jan 2016": the first month is in the year before.
    let y1 = if m1 > m2 { y - 1 } else { y };
    month_range(y1, m1, y, m2).map(|p| (TimescaleKind::Range, p))
}

/// The UK financial year (1 April – 31 March) holding `date`, as its first calendar year.
///
/// # Example
/// ```
/// use chrono::NaiveDate;
/// use ragplan_core::financial_year_of;
/// assert_eq!(financial_year_of(NaiveDate::from_ymd_opt(2016, 3, 31).unwrap()), 2015);
/// assert_eq!(financial_year_of(NaiveDate::from_ymd_opt(2016, 4, 1).unwrap()), 2016);
/// ```
pub fn financial_year_of(date: NaiveDate) -> i32 {
    if date.month() >= 4 { date.year() } else { date.year() - 1 }
}

/// A quarter of a UK financial year: Q1 is April–June, Q4 January–March.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FinancialQuarter {
    /// The first calendar year of the financial year (2015 for 2015/16).
    pub year: i32,
    /// 1 to 4.
    pub quarter: u32,
}

impl FinancialQuarter {
    /// The quarter holding `date`.
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// use ragplan_core::FinancialQuarter;
    /// let q = FinancialQuarter::of(NaiveDate::from_ymd_opt(2015, 6, 30).unwrap());
    /// assert_eq!(q.to_string(), "Q1 2015/16");
    /// assert_eq!(q.next().to_string(), "Q2 2015/16");
    /// assert_eq!(q.next().end(), NaiveDate::from_ymd_opt(2015, 9, 30).unwrap());
    /// ```
    pub fn of(date: NaiveDate) -> FinancialQuarter {
        let year = financial_year_of(date);
        let quarter = match date.month() {
            4..=6 => 1,
            7..=9 => 2,
            10..=12 => 3,
            _ => 4,
        };
        FinancialQuarter { year, quarter }
    }

    /// The quarter after this one.
    pub fn next(self) -> FinancialQuarter {
        if self.quarter >= 4 {
            FinancialQuarter { year: self.year + 1, quarter: 1 }
        } else {
            FinancialQuarter { year: self.year, quarter: self.quarter + 1 }
        }
    }

    /// The quarter before this one.
    pub fn previous(self) -> FinancialQuarter {
        if self.quarter <= 1 {
            FinancialQuarter { year: self.year - 1, quarter: 4 }
        } else {
            FinancialQuarter { year: self.year, quarter: self.quarter - 1 }
        }
    }

    /// First day of the quarter.
    pub fn start(self) -> NaiveDate {
        fy_quarter(self.year, self.quarter.clamp(1, 4)).map_or(NaiveDate::MIN, |p| p.0)
    }

    /// Last day of the quarter.
    pub fn end(self) -> NaiveDate {
        fy_quarter(self.year, self.quarter.clamp(1, 4)).map_or(NaiveDate::MAX, |p| p.1)
    }

    /// Whether `date` falls in the quarter.
    pub fn contains(self, date: NaiveDate) -> bool {
        self == FinancialQuarter::of(date)
    }
}

impl fmt::Display for FinancialQuarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Q{} {}/{:02}", self.quarter, self.year, (self.year + 1).rem_euclid(100))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// `(text, kind, start, due)` — every string the plans are known to use.
    #[test]
    fn resolves_the_plans_timescales() {
        use TimescaleKind as K;
        let table: &[(&str, TimescaleKind, Option<Period>)] = &[
            ("13 March 2015", K::Date, Some((d(2015, 3, 13), d(2015, 3, 13)))),
            ("13/03/2015", K::Date, Some((d(2015, 3, 13), d(2015, 3, 13)))),
            ("13.03.2015", K::Date, Some((d(2015, 3, 13), d(2015, 3, 13)))),
            ("2015-03-13", K::Date, Some((d(2015, 3, 13), d(2015, 3, 13)))),
            ("Friday 13 March 2015, 1 pm", K::Date, Some((d(2015, 3, 13), d(2015, 3, 13)))),
            ("Thursday 8 January 2015, 1 pm", K::Date, Some((d(2015, 1, 8), d(2015, 1, 8)))),
            (
                "Thursday 26 February 2015, 09.30 am",
                K::Date,
                Some((d(2015, 2, 26), d(2015, 2, 26))),
            ),
            ("Friday 13 March 2015, I pm", K::Date, Some((d(2015, 3, 13), d(2015, 3, 13)))),
            ("Friday 6 March 2015, 13:00", K::Date, Some((d(2015, 3, 6), d(2015, 3, 6)))),
            ("22 October 2014", K::Date, Some((d(2014, 10, 22), d(2014, 10, 22)))),
            ("05/06/2015", K::Date, Some((d(2015, 6, 5), d(2015, 6, 5)))),
            ("1/4/15", K::Date, Some((d(2015, 4, 1), d(2015, 4, 1)))),
            ("13th March 2015", K::Date, Some((d(2015, 3, 13), d(2015, 3, 13)))),
            ("May 2015", K::Month, Some((d(2015, 5, 1), d(2015, 5, 31)))),
            ("April 2015", K::Month, Some((d(2015, 4, 1), d(2015, 4, 30)))),
            ("Sept 2015", K::Month, Some((d(2015, 9, 1), d(2015, 9, 30)))),
            ("by September, 2015", K::Month, Some((d(2015, 9, 1), d(2015, 9, 30)))),
            ("end of June 2015", K::Month, Some((d(2015, 6, 1), d(2015, 6, 30)))),
            ("February 2016", K::Month, Some((d(2016, 2, 1), d(2016, 2, 29)))),
            ("March/April 2015", K::Range, Some((d(2015, 3, 1), d(2015, 4, 30)))),
            ("March - April 2015", K::Range, Some((d(2015, 3, 1), d(2015, 4, 30)))),
            ("Jan-Mar 2016", K::Range, Some((d(2016, 1, 1), d(2016, 3, 31)))),
            ("March 2015 – March 2017", K::Range, Some((d(2015, 3, 1), d(2017, 3, 31)))),
            ("Q1 2015/16", K::Quarter, Some((d(2015, 4, 1), d(2015, 6, 30)))),
            ("Quarter 3 2015-16", K::Quarter, Some((d(2015, 10, 1), d(2015, 12, 31)))),
            ("Q4 15/16", K::Quarter, Some((d(2016, 1, 1), d(2016, 3, 31)))),
            ("2015/16", K::FinancialYear, Some((d(2015, 4, 1), d(2016, 3, 31)))),
            ("2015-16", K::FinancialYear, Some((d(2015, 4, 1), d(2016, 3, 31)))),
            ("2015-2016", K::FinancialYear, Some((d(2015, 4, 1), d(2016, 3, 31)))),
            ("2015", K::Year, Some((d(2015, 1, 1), d(2015, 12, 31)))),
            ("Spring 2015", K::Season, Some((d(2015, 3, 1), d(2015, 5, 31)))),
            ("Summer 2015", K::Season, Some((d(2015, 6, 1), d(2015, 8, 31)))),
            ("Autumn 2015", K::Season, Some((d(2015, 9, 1), d(2015, 11, 30)))),
            ("Ongoing", K::Ongoing, None),
            ("On-going", K::Ongoing, None),
            ("Monthly", K::Recurring, None),
            ("Quarterly", K::Recurring, None),
            ("Annually", K::Recurring, None),
            ("TBC", K::Unscheduled, None),
            ("TBA", K::Unscheduled, None),
            ("TBD", K::Unscheduled, None),
            ("ТВС", K::Unscheduled, None),
            ("At earliest opportunity", K::Unscheduled, None),
            ("ASAP", K::Unscheduled, None),
            ("Immediate", K::Unscheduled, None),
            ("", K::Unscheduled, None),
            ("   ", K::Unscheduled, None),
            ("first Cabinet Member meeting in the new Municipal Year", K::Unresolved, None),
            ("01/04/2015 - 30/09/2015", K::Range, Some((d(2015, 4, 1), d(2015, 9, 30)))),
            ("01/04/2015-30/09/2015", K::Range, Some((d(2015, 4, 1), d(2015, 9, 30)))),
            ("1 April 2015 to 30 September 2015", K::Range, Some((d(2015, 4, 1), d(2015, 9, 30)))),
            ("13-03-2015 - 14-03-2015", K::Range, Some((d(2015, 3, 13), d(2015, 3, 14)))),
            ("01/04/2015 – April 13th 2016", K::Range, Some((d(2015, 4, 1), d(2016, 4, 13)))),
            ("April 2015 - March 2016", K::Range, Some((d(2015, 4, 1), d(2016, 3, 31)))),
            ("Jun-15", K::Month, Some((d(2015, 6, 1), d(2015, 6, 30)))),
            ("Sep-2015", K::Month, Some((d(2015, 9, 1), d(2015, 9, 30)))),
            ("Sept-15", K::Month, Some((d(2015, 9, 1), d(2015, 9, 30)))),
            ("by Feb-16", K::Month, Some((d(2016, 2, 1), d(2016, 2, 29)))),
            ("June 15 2015", K::Date, Some((d(2015, 6, 15), d(2015, 6, 15)))),
            (
                "To be included in the work programme for 2015-2016",
                K::FinancialYear,
                Some((d(2015, 4, 1), d(2016, 3, 31))),
            ),
            (
                "Report to Cabinet by the end of March 2016",
                K::Month,
                Some((d(2016, 3, 1), d(2016, 3, 31))),
            ),
            ("Deadline: 31/03/2016", K::Date, Some((d(2016, 3, 31), d(2016, 3, 31)))),
            ("Complete by Jun-15", K::Month, Some((d(2015, 6, 1), d(2015, 6, 30)))),
            ("Audit returned in Q1 2015/16.", K::Quarter, Some((d(2015, 4, 1), d(2015, 6, 30)))),
            ("30/09/2015 - 01/04/2015", K::Unresolved, None),
            ("June 15", K::Unresolved, None),
            ("Sept 15", K::Unresolved, None),
            ("Jun-15th", K::Unresolved, None),
            ("Dec – 13th", K::Unresolved, None),
            ("Municipal Year 2015/16", K::Unresolved, None),
            ("Academic year 2015/16", K::Unresolved, None),
            ("The review will commence in December 2014", K::Unresolved, None),
            ("Monthly from April 2015", K::Unresolved, None),
            ("Following the 2015/16 audit", K::Unresolved, None),
            ("2015/16 data to be reported to the Board", K::Unresolved, None),
            ("Plan for 2016/17 agreed in March 2016", K::Unresolved, None),
            ("Revised to March 2016 (was Dec 2015)", K::Unresolved, None),
            ("March or April 2016", K::Unresolved, None),
            ("In line with the Children Act 2004", K::Unresolved, None),
            ("Complete in 2016", K::Unresolved, None),
            ("Early 2016/17", K::Unresolved, None),
            ("TBC, possibly in Q2 2015/16", K::Unresolved, None),
            ("31/02/2015", K::Unresolved, None),
            ("TBA once plans finalised.", K::Unresolved, None),
            ("I pm", K::Unresolved, None),
            ("Q5 2015/16", K::Unresolved, None),
            ("2015/17", K::Unresolved, None),
        ];
        for (text, kind, period) in table {
            let t = Timescale::parse(text);
            assert_eq!(t.text, *text);
            assert_eq!((t.kind, t.start.zip(t.due)), (*kind, *period), "parsing {text:?}");
        }
    }

    #[test]
    fn a_day_range_of_two_dd_mm_yyyy_dates_was_unresolved() {
        let t = Timescale::parse("01/04/2015 - 30/09/2015");
        // The same kind as "April 2015 - March 2016": a range, due on its last day.
        assert_eq!(t.kind, Timescale::parse("April 2015 - March 2016").kind);
        assert_eq!(
            (t.kind, t.start, t.due),
            (TimescaleKind::Range, Some(d(2015, 4, 1)), Some(d(2015, 9, 30)))
        );
        // A range is not one day.
        assert_eq!(Timescale::day("01/04/2015 - 30/09/2015"), None);
    }

    #[test]
    fn excel_month_year_cells_jun_15_and_sep_2015_were_unresolved() {
        for (text, month) in [("Jun-15", 6), ("Sep-2015", 9)] {
            let t = Timescale::parse(text);
            assert_eq!(t.kind, TimescaleKind::Month, "{text}");
            assert_eq!(t.start, Some(d(2015, month, 1)), "{text}");
            assert_eq!(t.due, last_day_of_month(2015, month), "{text}");
        }
    }

    /// "June 15" is June 2015 to one reader and 15 June (of no year) to another, and
    /// the parser itself reads "June 15 2015" as the 15th: it is left unresolved, so
    /// the import warns and the analyst writes `June 2015`, `Jun-15` or `15 June 2015`.
    #[test]
    fn a_month_name_and_two_digits_is_left_unresolved() {
        for text in ["June 15", "Sept 15", "March 13", "by June 15"] {
            assert_eq!(Timescale::parse(text).kind, TimescaleKind::Unresolved, "{text}");
        }
    }

    #[test]
    fn a_financial_year_ending_a_sentence_was_unresolved() {
        let t =
            Timescale::parse("To be included in Ambitious Plymouth work programme for 2015-2016");
        assert_eq!(t, Timescale { text: t.text.clone(), ..Timescale::parse("2015-2016") });
        assert_eq!((t.kind, t.due), (TimescaleKind::FinancialYear, Some(d(2016, 3, 31))));
    }

    /// The municipal year starts at the annual council meeting in May, on a day the
    /// text does not give: an event in it names no date, and a municipal year is not
    /// read as the financial year its numbers look like.
    #[test]
    fn the_new_municipal_year_names_no_date() {
        for text in [
            "at the first Cabinet Member meeting in the new Municipal Year",
            "first Cabinet Member meeting in the new Municipal Year",
            "by the first meeting of the Municipal Year 2015/16",
        ] {
            let t = Timescale::parse(text);
            assert_eq!((t.kind, t.due), (TimescaleKind::Unresolved, None), "{text}");
        }
    }

    fn day_in_2000_to_2040() -> impl proptest::strategy::Strategy<Value = NaiveDate> {
        use proptest::strategy::Strategy;
        (0_u64..14_600).prop_map(|n| d(2000, 1, 1) + chrono::Days::new(n))
    }

    proptest::proptest! {
        /// Two days apart by a dash or "to", in any of the day forms, are the range
        /// from the first to the second; written the wrong way round, nothing.
        #[test]
        fn two_days_are_the_range_between_them(
            a in day_in_2000_to_2040(),
            b in day_in_2000_to_2040(),
            form in proptest::sample::select(&["%d/%m/%Y", "%-d %B %Y", "%Y-%m-%d", "%d.%m.%Y"][..]),
            sep in proptest::sample::select(&[" - ", "-", " – ", " to "][..]),
        ) {
            let text = format!("{}{sep}{}", a.format(form), b.format(form));
            let t = Timescale::parse(&text);
            if a <= b {
                proptest::prop_assert_eq!((t.kind, t.start, t.due), (TimescaleKind::Range, Some(a), Some(b)), "{}", text);
            } else {
                proptest::prop_assert_eq!(t.kind, TimescaleKind::Unresolved, "{}", text);
            }
        }

        /// A period that ends a sentence after a deadline word reads as it does alone.
        #[test]
        fn a_period_ending_a_sentence_reads_as_itself(
            day in day_in_2000_to_2040(),
            form in proptest::sample::select(&["%d/%m/%Y", "%-d %B %Y", "%B %Y", "%b-%y"][..]),
            lead in proptest::sample::select(&["Report to the Board by", "Included in the plan for", "Deadline:", "Cabinet on Friday"][..]),
        ) {
            let period = day.format(form).to_string();
            let alone = Timescale::parse(&period);
            proptest::prop_assert!(alone.is_resolved(), "{}", period);
            let t = Timescale::parse(&format!("{lead} {period}"));
            proptest::prop_assert_eq!((t.kind, t.start, t.due), (alone.kind, alone.start, alone.due), "{} {}", lead, period);
        }
    }

    #[test]
    fn cyrillic_tbc_is_not_latin() {
        // The OCR text really is Cyrillic: Т (U+0422), В (U+0412), С (U+0421).
        assert_eq!("ТВС".chars().map(|c| c as u32).collect::<Vec<_>>(), [0x422, 0x412, 0x421]);
        assert_eq!(Timescale::parse("ТВС").kind, TimescaleKind::Unscheduled);
    }

    #[test]
    fn quarters() {
        let q = FinancialQuarter::of(d(2016, 2, 1));
        assert_eq!((q.year, q.quarter), (2015, 4));
        assert_eq!(q.to_string(), "Q4 2015/16");
        assert_eq!(q.next().to_string(), "Q1 2016/17");
        assert_eq!(q.next().previous(), q);
        assert_eq!((q.start(), q.end()), (d(2016, 1, 1), d(2016, 3, 31)));
        assert_eq!(FinancialQuarter { year: 1999, quarter: 3 }.to_string(), "Q3 1999/00");
    }

    #[test]
    fn serialises_as_text_kind_start_due() {
        let t = Timescale::parse("May 2015");
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            r#"{"text":"May 2015","kind":"month","start":"2015-05-01","due":"2015-05-31"}"#
        );
        assert_eq!(
            serde_json::to_string(&Timescale::parse("TBC")).unwrap(),
            r#"{"text":"TBC","kind":"unscheduled"}"#
        );
    }
}
