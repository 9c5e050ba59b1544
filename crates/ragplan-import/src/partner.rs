//! Partners in a cell: the agencies an action relies on, read with a vocabulary.
//!
//! A partners cell is a list of agencies, often with nothing between them
//! (`Education Health Police Third Sector`). It is read in three steps:
//!
//! 1. **Listed parts.** `;` and line breaks divide the cell into parts, quietly: they
//!    are how an export writes a list.
//! 2. **Separators.** `,` and `/` divide a part too, and so do `and` and `&` outside an
//!    agency's name; each such split is an info-level `partner-split` note.
//! 3. **The vocabulary.** Within a part, [`AGENCIES`] (and the entries of
//!    [`ImportOptions::partners`](crate::ImportOptions::partners)) are matched
//!    case-insensitively, longest first, so `Children and Families First` is one
//!    agency and `Third sector` matches `Third Sector`. Lower-case words right after
//!    an agency stay with it (`Children and Families First workers`). A part read as
//!    several agencies with no separator between them is a `partner-split` warning:
//!    the importer guessed where one ends.
//!
//! Text that is not in the vocabulary is never lost: a run of it becomes a partner of
//! its own, as written, with a `partner-unknown` note. Every partner keeps its text as
//! the cell wrote it (`Third sector` stays `Third sector`), so an export, which joins
//! partners with `; `, reads back to the same partners.

use std::collections::HashMap;

use crate::owner::{CellNote, NoteCode, is_placeholder, placeholder_note};

/// The agencies a partners cell is read with, as the LSCB plans write them. Matched
/// ignoring case and apostrophes, longest first.
pub const AGENCIES: &[&str] = &[
    "Education",
    "Schools",
    "Health",
    "Public Health",
    "Sexual Health",
    "NHS",
    "CCG",
    "Clinical Commissioning Group",
    "GPs",
    "CAMHS",
    "Police",
    "WMP",
    "West Midlands Police",
    "Police and Crime Commissioner",
    "Office of the Police and Crime Commissioner",
    "PCC",
    "CPS",
    "Crown Prosecution Service",
    "Third Sector",
    "Voluntary Sector",
    "Voluntary and Community Sector",
    "Social Care",
    "Children's Social Care",
    "Adult Social Care",
    "Children's Services",
    "Adult Services",
    "Community Safety",
    "Community Safety Partnership",
    "Children and Families First",
    "Early Help",
    "Probation",
    "National Probation Service",
    "Community Rehabilitation Company",
    "Housing",
    "Youth Offending",
    "Youth Offending Service",
    "Youth Offending Team",
    "YOS",
    "YOT",
    "Youth Service",
    "IYSS",
    "Licensing",
    "Trading Standards",
    "Fire Service",
    "Fire and Rescue",
    "Substance Misuse",
    "Local Authority",
    "Council",
    "LSCB",
    "MASH",
    "CMOG",
    "VEMT",
    "MACE",
];

/// The agencies known to an import: [`AGENCIES`] and the caller's own entries.
#[derive(Debug, Clone)]
pub(crate) struct Vocabulary {
    /// Each entry's words, normalised (see [`fold`]), indexed by their first word;
    /// each list is longest first.
    by_first: HashMap<String, Vec<Vec<String>>>,
}

/// A word as the vocabulary compares it: lower case, apostrophes removed, and
/// punctuation at either end dropped (`Children’s` and `childrens` are the same).
pub(crate) fn fold(word: &str) -> String {
    word.trim_matches(|c: char| !c.is_alphanumeric())
        .chars()
        .filter(|c| !matches!(c, '\'' | '’' | '‘'))
        .flat_map(char::to_lowercase)
        .collect()
}

impl Vocabulary {
    /// The built-in agencies and `extra` (one agency each; blank entries ignored).
    pub(crate) fn new(extra: &[String]) -> Vocabulary {
        let mut by_first: HashMap<String, Vec<Vec<String>>> = HashMap::new();
        let entries = AGENCIES.iter().copied().chain(extra.iter().map(String::as_str));
        for entry in entries {
            let words: Vec<String> =
                entry.split_whitespace().map(fold).filter(|w| !w.is_empty()).collect();
            let Some(first) = words.first() else { continue };
            let list = by_first.entry(first.clone()).or_default();
            if !list.contains(&words) {
                list.push(words);
            }
        }
        for list in by_first.values_mut() {
            list.sort_by_key(|w| std::cmp::Reverse(w.len()));
        }
        Vocabulary { by_first }
    }

    /// The number of words of the longest agency that starts at `folded[i]` (words
    /// folded by [`fold`]).
    pub(crate) fn longest_at(&self, folded: &[String], i: usize) -> Option<usize> {
        let list = self.by_first.get(folded.get(i)?)?;
        list.iter()
            .find(|entry| {
                i + entry.len() <= folded.len() && entry[..] == folded[i..i + entry.len()]
            })
            .map(Vec::len)
    }

    /// Whether `text` is one agency's name and nothing else.
    pub(crate) fn is_agency(&self, text: &str) -> bool {
        let folded: Vec<String> = text.split_whitespace().map(fold).collect();
        !folded.is_empty() && self.longest_at(&folded, 0) == Some(folded.len())
    }

    /// Which of `words` fall inside an agency's name, matching longest first from
    /// the left.
    pub(crate) fn covered(&self, words: &[&str]) -> Vec<bool> {
        let folded: Vec<String> = words.iter().map(|w| fold(w)).collect();
        let mut covered = vec![false; words.len()];
        let mut i = 0;
        while i < words.len() {
            match self.longest_at(&folded, i) {
                Some(len) => {
                    covered[i..i + len].iter_mut().for_each(|c| *c = true);
                    i += len;
                }
                None => i += 1,
            }
        }
        covered
    }
}

/// Whether `word` joins two items of a list: `and`, `&`.
pub(crate) fn is_and(word: &str) -> bool {
    word == "&" || word.eq_ignore_ascii_case("and")
}

/// Splits `text` at `,` and at `/` between words of two letters or more (`N/A` and
/// `1/4/15` stay whole, as does a slash with no word on one side): the
/// separator-divided pieces, trimmed, and the separator that ended each piece (`None`
/// for the last).
pub(crate) fn separated(text: &str) -> Vec<(String, Option<char>)> {
    if !text.contains([',', '/']) {
        let one = text.split_whitespace().collect::<Vec<_>>().join(" ");
        return if one.is_empty() { Vec::new() } else { vec![(one, None)] };
    }
    let chars: Vec<char> = text.chars().collect();
    let mut pieces = Vec::new();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let cut = match c {
            ',' => true,
            '/' => {
                let run = |it: &mut dyn Iterator<Item = &char>| {
                    it.take_while(|c| c.is_alphanumeric()).count()
                };
                // A slash with no word on one side (`/-----`, `Police /`) divides
                // nothing: it stays in the text, which is kept as written.
                let word_after =
                    chars[i + 1..].iter().take_while(|&&c| c != ',').any(|c| c.is_alphanumeric());
                run(&mut chars[..i].iter().rev()) != 1
                    && run(&mut chars[i + 1..].iter()) != 1
                    && current.chars().any(char::is_alphanumeric)
                    && word_after
            }
            _ => false,
        };
        if cut {
            pieces.push((std::mem::take(&mut current), Some(c)));
        } else {
            current.push(c);
        }
    }
    pieces.push((current, None));
    pieces
        .into_iter()
        .map(|(p, sep)| (p.split_whitespace().collect::<Vec<_>>().join(" "), sep))
        .filter(|(p, _)| !p.is_empty())
        .collect()
}

/// How a partners cell was read.
#[derive(Debug, Clone, Default)]
pub(crate) struct PartnerRead {
    /// The partners, in cell order, as written.
    pub partners: Vec<String>,
    /// Every split and every partner not in the vocabulary.
    pub notes: Vec<CellNote>,
    /// Whether a word of the cell is in no partner (an `and` joining none), so that
    /// the cell is kept as written beside the partners.
    pub dropped: bool,
    /// The placeholders read as no partner (`TBC`, `N/A`), each as written: kept as
    /// notes under the column's header, which an export writes after the partners.
    pub placeholders: Vec<String>,
}

/// Reads a partners cell with `vocabulary`. A placeholder (`TBC`, `N/A`, `None`:
/// [`is_placeholder`]), the whole cell or one part of it, is no partner: it is left
/// out of the partners, with a `partner-placeholder` note, and kept in
/// [`PartnerRead::placeholders`].
pub(crate) fn read_partners(cell: &str, vocabulary: &Vocabulary) -> PartnerRead {
    let mut read = PartnerRead::default();
    let placeholder = |text: &str, read: &mut PartnerRead| {
        read.notes.push(placeholder_note(text, true));
        read.placeholders.push(text.trim().to_owned());
    };
    // Whole, before `N/A` is split at its `/`.
    if is_placeholder(cell) {
        placeholder(cell, &mut read);
        return read;
    }
    for listed in cell.split([';', '\n']) {
        if is_placeholder(listed) {
            placeholder(listed, &mut read);
            continue;
        }
        let pieces = separated(listed);
        if pieces.len() > 1 {
            let names: Vec<&str> = pieces.iter().map(|(p, _)| p.as_str()).collect();
            read.notes.push(CellNote::new(
                NoteCode::PartnerSplitAtSeparator,
                format!("read as {} parts at `,` or `/`: {}", names.len(), names.join("; ")),
            ));
        }
        for (piece, _) in &pieces {
            if is_placeholder(piece) {
                placeholder(piece, &mut read);
                continue;
            }
            read_piece(piece, vocabulary, &mut read);
        }
    }
    read
}

/// One partner being read: its words and whether it is an agency of the vocabulary.
struct Found<'w> {
    words: Vec<&'w str>,
    known: bool,
}

/// Reads one piece with no `,`, `/`, `;` or line break in it.
fn read_piece(piece: &str, vocabulary: &Vocabulary, read: &mut PartnerRead) {
    let words: Vec<&str> = piece.split_whitespace().collect();
    let folded: Vec<String> = words.iter().map(|w| fold(w)).collect();
    let mut found: Vec<Found<'_>> = Vec::new();
    // Whether two partners met with no `and` between them: the split is a guess.
    let mut guessed = false;
    let mut at_and = false;
    let mut n_ands = 0;
    // The `and`s between two partners; any other (opening or closing the piece, or
    // doubled) joins nothing.
    let mut n_joining = 0;
    let mut i = 0;
    while i < words.len() {
        if let Some(len) = vocabulary.longest_at(&folded, i) {
            guessed |= !found.is_empty() && !at_and;
            n_joining += usize::from(at_and && !found.is_empty());
            found.push(Found { words: words[i..i + len].to_vec(), known: true });
            i += len;
            at_and = false;
            continue;
        }
        let word = words[i];
        if is_and(word) {
            at_and = true;
            n_ands += 1;
            i += 1;
            continue;
        }
        let lower = word.chars().next().is_some_and(char::is_lowercase);
        match found.last_mut() {
            // Lower-case words after an agency qualify it; unknown words run together.
            Some(last) if !at_and && (!last.known || lower) => last.words.push(word),
            _ => {
                guessed |= !found.is_empty() && !at_and;
                n_joining += usize::from(at_and && !found.is_empty());
                found.push(Found { words: vec![word], known: false });
            }
        }
        at_and = false;
        i += 1;
    }
    let names: Vec<String> = found.iter().map(|f| f.words.join(" ")).collect();
    read.dropped |= n_ands > n_joining;
    if guessed {
        read.notes.push(CellNote::new(
            NoteCode::PartnerSplit,
            format!(
                "read as {} partners by the partner vocabulary: {}",
                names.len(),
                names.join("; ")
            ),
        ));
    } else if n_ands > 0 && !names.is_empty() {
        read.notes.push(CellNote::new(
            NoteCode::PartnerSplitAtSeparator,
            format!(
                "read as {} at `and` or `&`: {}",
                ragplan_core::count(names.len(), "partner"),
                names.join("; ")
            ),
        ));
    }
    // A placeholder joined by `and` (`Police and TBC`) is no partner either.
    let (names, found): (Vec<String>, Vec<Found<'_>>) = names
        .into_iter()
        .zip(found)
        .filter(|(name, f)| {
            let placeholder = !f.known && is_placeholder(name);
            if placeholder {
                read.notes.push(placeholder_note(name, true));
                read.placeholders.push(name.clone());
            }
            !placeholder
        })
        .unzip();
    for (name, f) in names.iter().zip(&found) {
        if !f.known {
            read.notes.push(CellNote::new(
                NoteCode::PartnerUnknown,
                format!(
                    "`{name}` is not in the partner vocabulary; kept as a partner of its own \
                     (add it with --partners)"
                ),
            ));
        }
    }
    if names.is_empty() && !words.is_empty() && read.placeholders.is_empty() {
        // A piece of only `and`s: kept, so no word of the cell is lost.
        read.partners.push(words.join(" "));
        return;
    }
    read.partners.extend(names);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agencies_are_found_longest_first() {
        let vocabulary = Vocabulary::new(&[]);
        let folded: Vec<String> =
            "Children and Families First Health".split_whitespace().map(fold).collect();
        assert_eq!(vocabulary.longest_at(&folded, 0), Some(4));
        assert_eq!(vocabulary.longest_at(&folded, 4), Some(1));
        assert_eq!(vocabulary.longest_at(&folded, 1), None);
        assert!(vocabulary.is_agency("childrens services"));
        assert!(vocabulary.is_agency("Children’s Services"));
        assert!(!vocabulary.is_agency("Children’s Services Education"));
    }

    #[test]
    fn slashes_split_only_between_words() {
        let pieces: Vec<String> = ["Police/CPS", "N/A", "1/4/15", "Health, Police"]
            .iter()
            .flat_map(|t| separated(t).into_iter().map(|(p, _)| p))
            .collect();
        assert_eq!(pieces, ["Police", "CPS", "N/A", "1/4/15", "Health", "Police"]);
    }

    /// A partners cell `/-----` was read as the partner `-----`; its export was a
    /// row of dashes, which a re-import skips as a table rule, losing the action.
    #[test]
    fn a_partner_slash_dropped_left_a_row_of_dashes() {
        for cell in ["/-----", "-----/", "Police /", "/ Health"] {
            let pieces: Vec<String> = separated(cell).into_iter().map(|(p, _)| p).collect();
            assert_eq!(pieces, [cell], "{cell}");
        }
        let pieces: Vec<String> =
            separated("Police / Health").into_iter().map(|(p, _)| p).collect();
        assert_eq!(pieces, ["Police", "Health"]);
    }
}
