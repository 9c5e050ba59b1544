//! Plain-text recommendation lists, as committee papers print them:
//! `Recommendation 7: …`, `7. That …`, `- 2. That the LSCB …`, lettered sub-items
//! (`a.`, `6a`) that become the actions of their recommendation, and headings
//! (`Risk assessment`) that become objectives grouping the recommendations below.

use std::collections::HashSet;

use ragplan_core::{Action, Key, Objective, Plan, SubObjective, Timescale, UnmappedNote};

use crate::field::one_line;
use crate::{
    Diagnostic, DiagnosticCode, ImportError, ImportOptions, Imported, RowNode, plan_shell,
};

/// One line of the list, as read.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Line {
    Heading(String),
    Recommendation { number: Option<String>, label: Option<String>, text: String },
    SubItem { number: Option<String>, letter: String, text: String },
    Text(String),
}

/// Removes list bullets, heading marks and bold marks.
pub(crate) fn unmark(line: &str) -> (String, bool) {
    let mut t = line.trim();
    let heading = t.starts_with('#');
    t = t.trim_start_matches('#').trim();
    for bullet in ["- ", "* ", "• ", "· "] {
        if let Some(rest) = t.strip_prefix(bullet) {
            t = rest.trim_start();
        }
    }
    (remove_bold_marks(t).trim().to_owned(), heading)
}

/// Removes `**` bold marks, except one inside a word (`info**Tirmation`): there it is
/// not markup, and removing it would join two words into one.
fn remove_bold_marks(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    let mut rest = t;
    while let Some(at) = rest.find("**") {
        let before = rest[..at].chars().next_back().or_else(|| out.chars().next_back());
        let after = rest[at + 2..].chars().next();
        out.push_str(&rest[..at]);
        if before.is_some_and(char::is_alphanumeric) && after.is_some_and(char::is_alphanumeric) {
            out.push_str("**");
        }
        rest = &rest[at + 2..];
    }
    out.push_str(rest);
    out
}

/// `Recommendation 7: text` → ("7", "Recommendation 7", "text").
fn recommendation_word(t: &str) -> Option<(String, String, String)> {
    // Matched on the text itself, ASCII letters in any case: lower-casing first would
    // change the byte length of letters such as "İ", and the offsets with it.
    let rest_at = ["recommendation ", "rec. ", "rec "].iter().find_map(|p| {
        t.get(..p.len()).is_some_and(|head| head.eq_ignore_ascii_case(p)).then_some(p.len())
    })?;
    let rest = &t[rest_at..];
    let number: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
    if number.is_empty() || !number.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let text = rest[number.len()..].trim_start_matches([':', '.', ')', '-', '–']).trim();
    let label = format!("{} {}", t[..rest_at].trim(), number);
    Some((number, label, text.to_owned()))
}

/// `7. text`, `7) text` → ("7", "text"); `6a. text`, `6a text` → sub-item.
fn numbered(t: &str) -> Option<Line> {
    let digits: String = t.chars().take_while(|c| c.is_ascii_digit()).collect();
    if digits.is_empty() || digits.len() > 3 {
        return None;
    }
    let rest = &t[digits.len()..];
    let mut chars = rest.chars();
    match chars.next() {
        Some('.' | ')') => {
            let after = chars.as_str();
            // `14.1 text` is a numbered paragraph, not a recommendation.
            if after.starts_with(|c: char| c.is_ascii_digit())
                || !after.starts_with(char::is_whitespace)
            {
                return None;
            }
            let text = after.trim();
            (!text.is_empty()).then(|| Line::Recommendation {
                number: Some(digits),
                label: None,
                text: text.to_owned(),
            })
        }
        Some(letter) if letter.is_ascii_lowercase() => {
            let after = chars.as_str();
            let after = after.strip_prefix(['.', ')']).unwrap_or(after);
            if !after.starts_with(char::is_whitespace) {
                return None;
            }
            Some(Line::SubItem {
                number: Some(digits),
                letter: letter.to_string(),
                text: after.trim().to_owned(),
            })
        }
        _ => None,
    }
}

/// `a. text`, `a) text`, `(a) text`.
fn lettered(t: &str) -> Option<Line> {
    let t2 = t.strip_prefix('(').unwrap_or(t);
    let label: String = t2.chars().take_while(char::is_ascii_lowercase).collect();
    let roman = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"];
    if label.chars().count() != 1 && !roman.contains(&label.as_str()) {
        return None;
    }
    let after = t2[label.len()..].strip_prefix(['.', ')'])?;
    after.starts_with(char::is_whitespace).then(|| Line::SubItem {
        number: None,
        letter: label,
        text: after.trim().to_owned(),
    })
}

/// `(1) text`: a numbered item of a resolution.
fn bracketed(t: &str) -> Option<Line> {
    let rest = t.strip_prefix('(')?;
    let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    if digits.is_empty() || digits.len() > 3 {
        return None;
    }
    let after = rest[digits.len()..].strip_prefix(')')?;
    let text = after.trim();
    (after.starts_with(char::is_whitespace) && !text.is_empty()).then(|| Line::Recommendation {
        number: Some(digits),
        label: None,
        text: text.to_owned(),
    })
}

pub(crate) fn classify(raw: &str) -> Option<Line> {
    let (t, heading) = unmark(raw);
    if t.is_empty() {
        return None;
    }
    if heading {
        return Some(Line::Heading(t));
    }
    if let Some((number, label, text)) = recommendation_word(&t) {
        return Some(Line::Recommendation { number: Some(number), label: Some(label), text });
    }
    if let Some(line) = numbered(&t).or_else(|| bracketed(&t)).or_else(|| lettered(&t)) {
        return Some(line);
    }
    if raw.trim_start().starts_with(['-', '*', '•']) && t.starts_with("That ") {
        return Some(Line::Recommendation { number: None, label: None, text: t });
    }
    Some(Line::Text(t))
}

pub(crate) fn is_heading_like(t: &str) -> bool {
    let words = t.split_whitespace().count();
    (1..=10).contains(&words)
        && t.len() <= 80
        && !t.ends_with(['.', ',', ';', ':'])
        && t.starts_with(|c: char| c.is_uppercase())
}

/// Whether `text` reads as a recommendation list.
pub(crate) fn looks_like_list(text: &str) -> bool {
    let n = text
        .lines()
        .filter_map(classify)
        .filter(|l| matches!(l, Line::Recommendation { .. }))
        .count();
    n >= 2
}

/// Refuses text of more lines, or a longer line, than `limits` allow, before the
/// lines are classified.
pub(crate) fn check_lines(text: &str, limits: &crate::Limits) -> Result<(), ImportError> {
    limits.check_lines(text)?;
    for (i, line) in text.lines().enumerate() {
        limits.check_cell_bytes(line.len(), i + 1, 1)?;
    }
    Ok(())
}

/// A heading (if any), its recommendations, and the text between them.
type Group = (Option<(usize, String)>, Vec<Rec>, Vec<(usize, String)>);

/// What a line after a recommendation's own gave it.
#[derive(Debug, Clone, Copy)]
enum More {
    /// Words wrapped into its text.
    Text,
    /// Words wrapped into its item of this index.
    Item(usize),
    /// A note.
    Note,
}

struct Rec {
    /// The source line of the recommendation.
    line: usize,
    key: Key,
    label: Option<String>,
    text: String,
    /// Lettered sub-items: source line, letter, text.
    items: Vec<(usize, String, String)>,
    /// The lines after its own: wrapped into its text or an item's, or kept as notes.
    more: Vec<(usize, More)>,
    notes: Vec<String>,
}

/// Reads a recommendation list.
///
/// # Errors
/// [`ImportError::NothingFound`] when no recommendation is found;
/// [`ImportError::Limit`] for more lines, or a longer line, than
/// [`ImportOptions::limits`] allow.
pub(crate) fn read(
    text: &str,
    options: &ImportOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Imported, ImportError> {
    check_lines(text, &options.limits)?;
    let mut diagnostics = Vec::new();
    let source_lines: Vec<&str> = text.lines().collect();
    let raw: Vec<(usize, Line)> =
        text.lines().enumerate().filter_map(|(i, l)| classify(l).map(|c| (i + 1, c))).collect();
    // A short line followed by a recommendation is a heading.
    let mut lines: Vec<(usize, Line)> = Vec::with_capacity(raw.len());
    for (i, (n, line)) in raw.iter().enumerate() {
        let next_is_rec = matches!(raw.get(i + 1), Some((_, Line::Recommendation { .. })));
        match line {
            Line::Text(t) if next_is_rec && is_heading_like(t) => {
                lines.push((*n, Line::Heading(t.clone())));
            }
            other => lines.push((*n, other.clone())),
        }
    }

    let mut groups: Vec<Group> = Vec::new();
    let mut preamble: Vec<(usize, String)> = Vec::new();
    let mut next_number = 1usize;
    let total = lines.len();
    for (done, (n, line)) in lines.into_iter().enumerate() {
        if done % 1024 == 0 {
            progress(done, total);
        }
        match line {
            Line::Heading(title) => groups.push((Some((n, title)), Vec::new(), Vec::new())),
            Line::Recommendation { number, label, text } => {
                let number = match number {
                    Some(num) => num,
                    None => {
                        let num = next_number.to_string();
                        diagnostics.push(
                            Diagnostic::warning(
                                DiagnosticCode::UnnumberedRecommendation,
                                format!("recommendation with no number read as number {num}"),
                            )
                            .at_row(n)
                            .with_text(text.clone()),
                        );
                        num
                    }
                };
                if let Ok(parsed) = number.parse::<usize>() {
                    next_number = parsed.saturating_add(1);
                }
                let key = Key::new(&format!("R{number}"))
                    .unwrap_or_else(|_| Key::positional(None, next_number));
                if groups.is_empty() {
                    groups.push((None, Vec::new(), Vec::new()));
                }
                if let Some(group) = groups.last_mut() {
                    group.1.push(Rec {
                        line: n,
                        key,
                        label,
                        text,
                        items: Vec::new(),
                        notes: Vec::new(),
                        more: Vec::new(),
                    });
                }
            }
            Line::SubItem { number, letter, text } => {
                let current = groups.last_mut().and_then(|g| g.1.last_mut());
                match current {
                    Some(rec) => {
                        if let Some(num) = &number
                            && format!("R{num}") != rec.key.as_str()
                        {
                            diagnostics.push(
                                Diagnostic::warning(
                                    DiagnosticCode::SubItemNumber,
                                    format!("sub-item {num}{letter} placed under {}", rec.key),
                                )
                                .at_row(n)
                                .with_text(text.clone()),
                            );
                        }
                        rec.items.push((n, letter, text));
                    }
                    // Before any recommendation a lettered line is text of the
                    // preamble, kept as written, label and all.
                    None => {
                        let line = source_lines.get(n - 1).map_or(text, |l| l.trim().to_owned());
                        preamble.push((n, line));
                    }
                }
            }
            Line::Text(t) => match groups.last_mut() {
                Some(group) => match group.1.last_mut() {
                    // A line that starts in lowercase is the previous line, wrapped.
                    Some(rec) if t.starts_with(|c: char| c.is_lowercase()) => {
                        let more = rec.items.len().checked_sub(1).map_or(More::Text, More::Item);
                        rec.more.push((n, more));
                        let target = match rec.items.last_mut() {
                            Some(item) => &mut item.2,
                            None => &mut rec.text,
                        };
                        target.push(' ');
                        target.push_str(&t);
                        diagnostics.push(
                            Diagnostic::info(
                                DiagnosticCode::JoinedLine,
                                "wrapped line joined to the one above",
                            )
                            .at_row(n)
                            .with_text(t.clone()),
                        );
                    }
                    Some(rec) => {
                        diagnostics.push(
                            Diagnostic::warning(
                                DiagnosticCode::TextLine,
                                "text kept as a note of the recommendation",
                            )
                            .at_row(n)
                            .with_text(t.clone()),
                        );
                        rec.notes.push(t);
                        rec.more.push((n, More::Note));
                    }
                    None => group.2.push((n, t)),
                },
                None => preamble.push((n, t)),
            },
        }
    }
    progress(total, total);
    if groups.iter().all(|g| g.1.is_empty()) {
        return Err(ImportError::NothingFound);
    }

    let mut plan: Plan = plan_shell(options);
    // The title: the lines before the first recommendation, and the heading above it.
    let mut title_lines = preamble.clone();
    title_lines.extend(groups.first().and_then(|g| g.0.clone()));
    crate::reported::set_reported_on(&mut plan, options, &title_lines, &mut diagnostics);
    let preamble_lines: Vec<usize> = preamble.iter().map(|(n, _)| *n).collect();
    if !preamble.is_empty() {
        let text: Vec<String> = preamble.into_iter().map(|(_, t)| t).collect();
        plan.metadata.insert("preamble".to_owned(), text.join("\n").into());
    }
    let mut rows: Vec<RowNode> =
        preamble_lines.iter().map(|&row| RowNode { row, key: None }).collect();
    let grouped = groups.iter().any(|g| g.0.is_some());
    let mut keys = Keys::default();
    if grouped {
        for i in 0..groups.len() {
            keys.used.insert(Key::positional(None, i).to_string());
        }
    }
    for (heading, recs, notes) in groups {
        if grouped {
            let key = Key::positional(None, plan.objectives.len());
            let title = match heading {
                Some((n, t)) => {
                    rows.push(RowNode { row: n, key: Some(key.clone()) });
                    t
                }
                None => plan.title.clone(),
            };
            let mut objective = Objective::new(key, title);
            for (n, t) in notes {
                rows.push(RowNode { row: n, key: Some(objective.key.clone()) });
                objective.unmapped.push(UnmappedNote { source: None, text: t });
            }
            for rec in recs {
                let by_position =
                    Key::positional(Some(&objective.key), objective.sub_objectives.len());
                let key = keys.claim(&rec.key, by_position, rec.line, &mut diagnostics);
                let mut sub = SubObjective::new(key.clone(), one_line(&rec.text));
                sub.unmapped.extend(rec_notes(&rec));
                sub.actions = rec_actions(&rec, &key, &mut keys, &mut diagnostics);
                rec_rows(&rec, &key, &sub.actions, &mut rows);
                objective.sub_objectives.push(sub);
            }
            plan.objectives.push(objective);
        } else {
            let mut pending_notes = notes;
            for rec in recs {
                let by_position = Key::positional(None, plan.objectives.len());
                let key = keys.claim(&rec.key, by_position, rec.line, &mut diagnostics);
                let mut objective = Objective::new(key.clone(), one_line(&rec.text));
                for (n, t) in pending_notes.drain(..) {
                    rows.push(RowNode { row: n, key: Some(key.clone()) });
                    objective.unmapped.push(UnmappedNote { source: None, text: t });
                }
                objective.unmapped.extend(rec_notes(&rec));
                objective.actions = rec_actions(&rec, &key, &mut keys, &mut diagnostics);
                rec_rows(&rec, &key, &objective.actions, &mut rows);
                plan.objectives.push(objective);
            }
        }
    }
    plan.metadata.insert(crate::KEYS_KEY.to_owned(), "source".into());
    rows.sort_by_key(|r| r.row);
    Ok(Imported { plan, diagnostics, rows })
}

/// The source rows of a recommendation keyed `key`, with the nodes each gave words
/// to: its own line and its wrapped lines to it (and to its one action, when it has
/// no items), each item's line to the item's action, a note's line to it.
fn rec_rows(rec: &Rec, key: &Key, actions: &[Action], rows: &mut Vec<RowNode>) {
    let node = |row: usize, key: &Key| RowNode { row, key: Some(key.clone()) };
    rows.push(node(rec.line, key));
    if rec.items.is_empty()
        && let Some(action) = actions.first()
    {
        rows.push(node(rec.line, &action.key));
    }
    for ((line, _, _), action) in rec.items.iter().zip(actions) {
        rows.push(node(*line, &action.key));
    }
    for &(line, more) in &rec.more {
        match more {
            More::Text => {
                rows.push(node(line, key));
                if rec.items.is_empty()
                    && let Some(action) = actions.first()
                {
                    rows.push(node(line, &action.key));
                }
            }
            More::Item(i) => rows.push(node(line, actions.get(i).map_or(key, |a| &a.key))),
            More::Note => rows.push(node(line, key)),
        }
    }
}

fn rec_notes(rec: &Rec) -> Vec<UnmappedNote> {
    let mut notes = Vec::new();
    if let Some(label) = &rec.label {
        notes.push(UnmappedNote { source: Some("label".to_owned()), text: label.clone() });
    }
    notes.extend(rec.notes.iter().map(|t| UnmappedNote { source: None, text: t.clone() }));
    notes
}

/// The keys given so far, so that no two nodes of the plan share one.
#[derive(Default)]
struct Keys {
    used: HashSet<String>,
}

impl Keys {
    /// `wanted` (the key the source gives a node) when no node has it yet; otherwise
    /// `by_position` (with a number added should that be taken too), with a
    /// `duplicate-key-renumbered` warning naming the row and both keys.
    fn claim(
        &mut self,
        wanted: &Key,
        by_position: Key,
        line: usize,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Key {
        if self.used.insert(wanted.to_string()) {
            return wanted.clone();
        }
        let key = self.free(by_position);
        diagnostics.push(
            Diagnostic::warning(
                DiagnosticCode::DuplicateKeyRenumbered,
                format!(
                    "key {:?} is already the key of another part of the plan; it is keyed \
                     {key} by position",
                    wanted.as_str()
                ),
            )
            .at_row(line)
            .with_text(wanted.to_string()),
        );
        key
    }

    /// `key`, or `key-2`, `key-3`, … when it is taken; marked used.
    fn free(&mut self, key: Key) -> Key {
        let mut free = key.clone();
        let mut n = 2;
        while self.used.contains(free.as_str()) {
            match Key::new(&format!("{key}-{n}")) {
                Ok(k) => free = k,
                Err(_) => break,
            }
            n += 1;
        }
        self.used.insert(free.to_string());
        free
    }
}

/// The actions of a recommendation keyed `key`: its lettered sub-items (`R6a`), or,
/// with none, the recommendation itself as its one action.
fn rec_actions(
    rec: &Rec,
    key: &Key,
    keys: &mut Keys,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Action> {
    if rec.items.is_empty() {
        let key = keys.free(Key::positional(Some(key), 0));
        let mut action = Action::new(key, one_line(&rec.text));
        if let Some(timescale) = timescale_in(&rec.text) {
            action.timescale = timescale;
        }
        return vec![action];
    }
    rec.items
        .iter()
        .enumerate()
        .map(|(i, (line, letter, text))| {
            let by_position = Key::positional(Some(key), i);
            // The key the source gives the item: its recommendation's number and its
            // letter, under the recommendation's key as the source wrote it.
            let written = Key::new(&format!("{}{letter}", rec.key));
            let wanted = Key::new(&format!("{key}{letter}"));
            let item_key = match (written, wanted) {
                (_, Ok(wanted)) if &rec.key == key => {
                    keys.claim(&wanted, by_position, *line, diagnostics)
                }
                // The recommendation was renumbered: the item follows it.
                (Ok(written), Ok(wanted)) => {
                    let new = if keys.used.contains(wanted.as_str()) {
                        keys.free(by_position)
                    } else {
                        keys.free(wanted)
                    };
                    diagnostics.push(
                        Diagnostic::warning(
                            DiagnosticCode::DuplicateKeyRenumbered,
                            format!(
                                "key {:?} is already the key of another part of the plan; it \
                                 is keyed {new} with its recommendation",
                                written.as_str()
                            ),
                        )
                        .at_row(*line)
                        .with_text(written.to_string()),
                    );
                    new
                }
                _ => keys.free(by_position),
            };
            let mut action = Action::new(item_key, one_line(text));
            if let Some(timescale) = timescale_in(text) {
                action.timescale = timescale;
            }
            action
        })
        .collect()
}

/// A deadline written into the text of an action: "… receive an update on this issue
/// by September, 2015".
fn timescale_in(text: &str) -> Option<Timescale> {
    // " by " in any case, found in the text itself so that its offset is one of the
    // text's (lower-casing "İ" would lengthen it and move every offset after it).
    let at = text.as_bytes().windows(4).rposition(|w| w.eq_ignore_ascii_case(b" by "))?;
    let phrase: Vec<&str> = text[at + 4..].split_whitespace().take(6).collect();
    let phrase = phrase.join(" ");
    let phrase = phrase.trim_end_matches(['.', ',', ';', ':']);
    let timescale = Timescale::parse(phrase);
    (timescale.due.is_some() && timescale.is_resolved()).then_some(timescale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlines_in_text_are_read() {
        let found = timescale_in("all Heads receive an update on this issue by September, 2015");
        assert_eq!(found.map(|t| t.text), Some("September, 2015".to_owned()));
        assert_eq!(timescale_in("reviewed by the LSCB"), None);
        assert_eq!(timescale_in("Done BY March 2016").map(|t| t.text), Some("March 2016".into()));
    }

    /// "İ" lower-cases to two characters, three bytes for its two: an offset found
    /// in the lower-cased text cut the original in the wrong place, or inside a
    /// character (a panic).
    #[test]
    fn a_dotted_capital_i_moved_the_offsets_of_the_lower_cased_text() {
        for n in 1..8 {
            let text = format!("{} to review the protocol by March 2016", "İ".repeat(n));
            assert_eq!(timescale_in(&text).map(|t| t.text), Some("March 2016".to_owned()), "{n}");
        }
        let found = recommendation_word("REC 7: İlknur Sağlam to lead the review");
        assert_eq!(
            found.map(|(n, _, t)| (n, t)),
            Some(("7".into(), "İlknur Sağlam to lead the review".into()))
        );
        assert_eq!(recommendation_word("İİİİİİİİİİİİİİİ 7: x"), None);
    }

    #[test]
    fn lines_are_classified() {
        let rec = |n: Option<&str>, label: Option<&str>, t: &str| Line::Recommendation {
            number: n.map(str::to_owned),
            label: label.map(str::to_owned),
            text: t.to_owned(),
        };
        let cases = [
            ("Recommendation 7: Do it.", Some(rec(Some("7"), Some("Recommendation 7"), "Do it."))),
            ("7. That x", Some(rec(Some("7"), None, "That x"))),
            ("- 2. That the LSCB y", Some(rec(Some("2"), None, "That the LSCB y"))),
            ("- That the number z", Some(rec(None, None, "That the number z"))),
            (
                "  - a. Map out",
                Some(Line::SubItem { number: None, letter: "a".into(), text: "Map out".into() }),
            ),
            (
                "6a Train",
                Some(Line::SubItem {
                    number: Some("6".into()),
                    letter: "a".into(),
                    text: "Train".into(),
                }),
            ),
            ("- 14.1 As a consequence", Some(Line::Text("14.1 As a consequence".into()))),
            ("## 2. Recommendations", Some(Line::Heading("2. Recommendations".into()))),
            ("  (1)  Notes the plan", Some(rec(Some("1"), None, "Notes the plan"))),
            (
                "(iii)  That the delivery plan",
                Some(Line::SubItem {
                    number: None,
                    letter: "iii".into(),
                    text: "That the delivery plan".into(),
                }),
            ),
            ("", None),
        ];
        for (text, want) in cases {
            assert_eq!(classify(text), want, "{text}");
        }
    }
}
