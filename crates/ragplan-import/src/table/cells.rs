//! Reading one cell: ratings (and exemptions), yes or no, the items of a dependency
//! cell, and a cell that holds several actions.

use super::*;

/// The items of a dependency cell: keys or titles separated by semicolons or line
/// breaks, and within a part that `known` does not take whole (a title such as
/// "Review and update the protocol"), by commas or `and`.
pub(super) fn dependency_items(text: &str, known: impl Fn(&str) -> bool) -> Vec<&str> {
    let mut items = Vec::new();
    for part in text.split([';', '\n']).map(str::trim).filter(|p| !p.is_empty()) {
        if known(part) {
            items.push(part);
            continue;
        }
        let pieces = part.split(',').flat_map(|p| p.split(" and ")).map(str::trim);
        items.extend(pieces.filter(|item| !item.is_empty()));
    }
    items
}

/// `yes`, `y`, `true`, `x`, `✓`, `critical` → true; `no`, `n`, `false`, `-` → false.
pub(crate) fn yes_or_no(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "yes" | "y" | "true" | "x" | "✓" | "✔" | "critical" | "1" => Some(true),
        "no" | "n" | "false" | "-" | "0" | "not critical" => Some(false),
        _ => None,
    }
}

/// How a progress cell reads ([`read_percent`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Percent {
    /// A percentage from 0 to 100.
    Read(u8),
    /// A number, but not one from 0 to 100 (`150%`).
    OutOfRange,
    /// Not a number: text.
    Text,
}

impl Percent {
    /// The percentage, if the cell is one.
    pub(crate) fn value(self) -> Option<u8> {
        match self {
            Percent::Read(p) => Some(p),
            Percent::OutOfRange | Percent::Text => None,
        }
    }
}

/// A progress cell read as a percentage from 0 to 100: `50`, `50%`, `10 %` and
/// `42.5` (rounded to a whole percent) are percentages, and so is a fraction from 0
/// to 1 written with a decimal point (`0.5`, `.25`, `1.0`), as a workbook holds a
/// cell formatted as a percentage. A whole number is always a percentage: `1` is 1%.
/// A number past 100 is [`Percent::OutOfRange`]; anything else is [`Percent::Text`].
pub(crate) fn read_percent(text: &str) -> Percent {
    let text = text.trim();
    let (number, sign) = match text.strip_suffix('%') {
        Some(rest) => (rest.trim_end(), true),
        None => (text, false),
    };
    let digits = number.chars().filter(char::is_ascii_digit).count();
    let points = number.chars().filter(|c| *c == '.').count();
    if digits == 0 || points > 1 || digits + points != number.chars().count() {
        return Percent::Text;
    }
    let Ok(mut value) = number.parse::<f64>() else { return Percent::Text };
    if !sign && points == 1 && value <= 1.0 {
        value *= 100.0;
    }
    if value > 100.0 {
        return Percent::OutOfRange;
    }
    // From 0 to 100: the cast cannot wrap.
    Percent::Read(value.round() as u8)
}

/// What a rating cell held.
#[derive(Debug, Default)]
pub(super) struct RatingCell {
    pub(super) ratings: Vec<Rating>,
    pub(super) status: Option<Status>,
    pub(super) exempt: bool,
    pub(super) unknown: bool,
}

pub(super) fn is_exemption(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower.contains("exempt")
        || lower.contains("no dca")
        || lower.trim() == "reset"
        || lower.starts_with("reset ")
}

pub(super) fn read_ratings(text: &str, coded: &[(String, Rating)]) -> RatingCell {
    let mut cell = RatingCell::default();
    let line = one_line(text);
    if line.is_empty() {
        return cell;
    }
    if let Some((_, rating)) = coded.iter().find(|(code, _)| code.eq_ignore_ascii_case(&line)) {
        cell.ratings.push(*rating);
        return cell;
    }
    if is_exemption(&line) {
        cell.ratings.push(Rating::NotRated);
        cell.exempt = true;
        return cell;
    }
    if let Ok(r) = line.parse::<Rating>() {
        cell.ratings.push(r);
        return cell;
    }
    let wide: Vec<&str> = text
        .split('\n')
        .flat_map(|l| l.split("  "))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    for parts in [wide, line.split(' ').collect()] {
        if parts.len() > 1 {
            let parsed: Result<Vec<Rating>, _> =
                parts.iter().map(|p| p.parse::<Rating>()).collect();
            if let Ok(ratings) = parsed {
                cell.ratings = ratings;
                return cell;
            }
        }
    }
    match line.parse::<Status>() {
        Ok(status) => cell.status = Some(status),
        Err(_) => cell.unknown = true,
    }
    cell
}

/// Whether every word of the cell is a word of the ratings' JSON names, so that the
/// JSON keeps the cell's text.
pub(super) fn ratings_keep_words(text: &str, ratings: &[Rating]) -> bool {
    // The common cell: one rating, written as its name (`Green`).
    if let [one] = ratings
        && text.trim().eq_ignore_ascii_case(one.as_str())
    {
        return true;
    }
    let kept: Vec<String> = ratings.iter().flat_map(|r| words(r.as_str())).collect();
    words(text).all(|w| kept.contains(&w))
}

/// Words that start a new clause when an action cell is split: "Police to ensure …".
pub(super) const CLAUSE_JOINERS: &[&str] =
    &["of", "and", "for", "the", "to", "in", "at", "on", "with", "by", "a", "an", "or", "re"];

/// Splits a cell holding `n` actions, or `None` when no split is convincing.
pub(super) fn split_actions(text: &str, n: usize) -> Option<Vec<String>> {
    let wide: Vec<String> = text
        .split('\n')
        .flat_map(|l| l.split("  "))
        .map(|p| one_line(p).into_owned())
        .filter(|p| !p.is_empty())
        .collect();
    if wide.len() == n {
        return Some(wide);
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let candidates: Vec<usize> = (1..words.len())
        .filter(|&i| {
            let prev = words[i - 1];
            words[i].chars().next().is_some_and(char::is_uppercase)
                && prev.chars().last().is_some_and(|c| c.is_lowercase() || c == '.')
                && !CLAUSE_JOINERS.contains(&prev.to_lowercase().as_str())
        })
        .collect();
    let opening = words.get(1).copied();
    let echo: Vec<usize> =
        candidates.iter().copied().filter(|&i| words.get(i + 1).copied() == opening).collect();
    // Only a repeated opening ("Police to …  Police to …  CPS to …") is convincing:
    // a capital letter alone also starts names and acronyms inside one action.
    if echo.len() + 1 != n {
        return None;
    }
    let cuts = echo;
    let mut parts = Vec::with_capacity(n);
    let mut start = 0;
    for cut in cuts.into_iter().chain([words.len()]) {
        parts.push(words[start..cut].join(" "));
        start = cut;
    }
    Some(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_of_several_actions_split_where_the_opening_repeats() {
        let text = "Police to ensure bail restrictions Police to ensure evidence in CSE cases \
                    CPS to ensure Crown Prosecutors are aware";
        let parts = split_actions(text, 3).unwrap_or_default();
        assert_eq!(
            parts,
            [
                "Police to ensure bail restrictions",
                "Police to ensure evidence in CSE cases",
                "CPS to ensure Crown Prosecutors are aware"
            ]
        );
        assert_eq!(split_actions("a  b", 2), Some(vec!["a".to_owned(), "b".to_owned()]));
    }

    /// A capital letter inside one action ("Review CSE Team plan") is no cut: splitting
    /// on it broke import → export → import when a continued row's "Green  Green" met
    /// a one-action cell.
    #[test]
    fn capitals_alone_do_not_split_an_action() {
        assert_eq!(split_actions("aqofew Qt 2fywv4", 2), None);
        assert_eq!(split_actions("Review the plan with MASH partners", 2), None);
        assert_eq!(split_actions("one action only", 2), None);
    }

    #[test]
    fn rating_cells_are_read() {
        let cases: &[(&str, &[Rating], bool, bool)] = &[
            ("Green", &[Rating::Green], false, false),
            ("Green  Green  Green", &[Rating::Green; 3], false, false),
            ("Amber/ Red", &[Rating::AmberRed], false, false),
            ("Data exempt under section 27", &[Rating::NotRated], true, false),
            ("No DCA", &[Rating::NotRated], true, false),
            ("Reset", &[Rating::NotRated], true, false),
            ("Leaflets Website", &[], false, true),
        ];
        for (text, ratings, exempt, unknown) in cases {
            let cell = read_ratings(text, &[]);
            assert_eq!(cell.ratings, *ratings, "{text}");
            assert_eq!((cell.exempt, cell.unknown), (*exempt, *unknown), "{text}");
        }
    }

    #[test]
    fn progress_cells_are_read_as_percentages() {
        let cases = [
            ("50", Percent::Read(50)),
            ("50%", Percent::Read(50)),
            ("10 %", Percent::Read(10)),
            (" 42.5 ", Percent::Read(43)),
            ("0.5", Percent::Read(50)),
            (".25", Percent::Read(25)),
            ("1.0", Percent::Read(100)),
            ("1", Percent::Read(1)),
            ("0", Percent::Read(0)),
            ("100%", Percent::Read(100)),
            ("150%", Percent::OutOfRange),
            ("101", Percent::OutOfRange),
            ("Funding not agreed", Percent::Text),
            ("50% done", Percent::Text),
            ("-5%", Percent::Text),
            ("1.2.3", Percent::Text),
            ("%", Percent::Text),
            ("", Percent::Text),
        ];
        for (text, read) in cases {
            assert_eq!(read_percent(text), read, "{text:?}");
        }
    }
}
