//! Owners in a cell: people or roles, several to a cell with or without separators.
//!
//! A cell such as `Mandie Watson Debbie Carter` is split using the names that stand
//! alone elsewhere in the same plan; `WMP Legal Services` is split at the acronym.

use std::collections::BTreeSet;

use ragplan_core::Owner;

/// Words that make an owner a role, team, service or agency rather than a person.
const ROLE_WORDS: &[&str] = &[
    "team",
    "teams",
    "development",
    "governance",
    "service",
    "services",
    "board",
    "police",
    "health",
    "director",
    "head",
    "manager",
    "officer",
    "chair",
    "lead",
    "council",
    "education",
    "social",
    "care",
    "safety",
    "partnership",
    "group",
    "unit",
    "panel",
    "committee",
    "cabinet",
    "member",
    "members",
    "agency",
    "agencies",
    "department",
    "directorate",
    "commissioning",
    "workforce",
    "coordinator",
    "co-ordinator",
    "authority",
    "school",
    "schools",
    "sector",
    "all",
    "partners",
    "support",
    "democratic",
    "scrutiny",
    "legal",
    "trust",
    "nhs",
    "ccg",
    "acting",
    "chief",
    "executive",
    "practitioners",
    "staff",
];

/// Words that open a job title ("Head of IYSS", "Acting Director of Education").
const TITLE_WORDS: &[&str] = &["Head", "Director", "Chief", "Acting", "Assistant", "Deputy"];

/// Small words that join the parts of one name or title ("Head of IYSS").
const CONNECTORS: &[&str] = &["of", "and", "for", "the", "&", "to", "in", "at", "on"];

/// Whether `word` is an acronym such as `WMP`, `CPS`, `LSCB`.
pub(crate) fn is_acronym(word: &str) -> bool {
    let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 2
        && letters.iter().all(|c| c.is_uppercase())
        && word.chars().all(|c| c.is_alphanumeric() || matches!(c, '&' | '.'))
}

/// Whether `name` names a role, team or agency rather than a person.
pub(crate) fn is_role(name: &str) -> bool {
    name.split_whitespace().any(|w| {
        let bare = w.trim_matches(|c: char| !c.is_alphanumeric());
        is_acronym(w) || ROLE_WORDS.iter().any(|r| r.eq_ignore_ascii_case(bare))
    })
}

/// An owner of the right kind for `name`.
pub(crate) fn classify(name: &str) -> Owner {
    if is_role(name) { Owner::role(name) } else { Owner::person(name) }
}

fn is_capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// Whether `text` looks like one person's name standing alone: two or three
/// capitalised words, no role word, no acronym.
fn is_lone_name(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    (2..=3).contains(&words.len())
        && words.iter().all(|w| is_capitalised(w) && !is_acronym(w))
        && !is_role(text)
}

/// The parts of an owners cell split at explicit separators (`;`, `,`, line breaks).
pub(crate) fn explicit_parts(cell: &str) -> Vec<String> {
    cell.split([';', ',', '\n'])
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect()
}

/// The names of people that stand alone in some owners cell of the plan, or that a
/// split leaves standing alone (`Debbie Carter` from `Mandie Watson Debbie Carter`
/// when `Mandie Watson` stands alone): the plan lists them as owners of their own,
/// and an export writes them alone in a cell.
pub(crate) fn known_names<'a>(cells: impl Iterator<Item = &'a str>) -> BTreeSet<String> {
    let parts: Vec<String> = cells.flat_map(explicit_parts).collect();
    let mut known: BTreeSet<String> = parts.iter().filter(|p| is_lone_name(p)).cloned().collect();
    loop {
        let found: Vec<String> = parts
            .iter()
            .flat_map(|p| split_unseparated(p, &known))
            .filter(|s| is_lone_name(s) && !known.contains(s))
            .collect();
        if found.is_empty() {
            return known;
        }
        known.extend(found);
    }
}

/// How an owners cell was read.
#[derive(Debug, Default)]
pub(crate) struct OwnerSplit {
    /// The owners, in cell order.
    pub owners: Vec<Owner>,
    /// Whether a part with no separator was split (a guess).
    pub guessed: bool,
}

/// Reads an owners cell.
pub(crate) fn split_owners(cell: &str, known: &BTreeSet<String>) -> OwnerSplit {
    let mut split = OwnerSplit::default();
    for part in explicit_parts(cell) {
        let segments = split_unseparated(&part, known);
        if segments.len() > 1 {
            split.guessed = true;
        }
        split.owners.extend(segments.iter().map(|s| classify(s)));
    }
    split
}

/// Splits one part with no separators into names, using the known names and
/// acronyms as anchors.
fn split_unseparated(part: &str, known: &BTreeSet<String>) -> Vec<String> {
    let words: Vec<&str> = part.split_whitespace().collect();
    let mut segments: Vec<String> = Vec::new();
    let mut pending: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let name_len = (2..=3)
            .rev()
            .find(|&len| i + len <= words.len() && known.contains(&words[i..i + len].join(" ")));
        if let Some(len) = name_len {
            flush(&mut pending, &mut segments);
            segments.push(words[i..i + len].join(" "));
            i += len;
            continue;
        }
        let word = words[i];
        let joined_before = i > 0 && CONNECTORS.contains(&words[i - 1].to_lowercase().as_str());
        let joined_after =
            words.get(i + 1).is_some_and(|w| CONNECTORS.contains(&w.to_lowercase().as_str()));
        let starts_title = TITLE_WORDS.contains(&word)
            && i > 0
            && !joined_before
            && !TITLE_WORDS.contains(&words[i - 1])
            && (word == "Acting" || joined_after);
        if starts_title && !pending.is_empty() {
            flush(&mut pending, &mut segments);
            pending.push(word);
        } else if is_acronym(word) && !joined_before && !joined_after && words.len() > 1 {
            flush(&mut pending, &mut segments);
            segments.push(word.to_owned());
        } else {
            pending.push(word);
        }
        i += 1;
    }
    flush(&mut pending, &mut segments);
    segments
}

fn flush(pending: &mut Vec<&str>, segments: &mut Vec<String>) {
    if !pending.is_empty() {
        segments.push(pending.join(" "));
        pending.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ragplan_core::OwnerKind;

    fn known() -> BTreeSet<String> {
        known_names(["Debbie Carter", "Mandie Watson", "Sue Whitmore; Rebekah Eaves"].into_iter())
    }

    #[test]
    fn cells_are_split_using_names_that_stand_alone() {
        let cases: &[(&str, &[&str], bool)] = &[
            ("Mandie Watson Debbie Carter", &["Mandie Watson", "Debbie Carter"], true),
            ("Rebekah Eaves Sue Whitmore", &["Rebekah Eaves", "Sue Whitmore"], true),
            ("Mandie Watson Darren O'Shaunassey", &["Mandie Watson", "Darren O'Shaunassey"], true),
            ("WMP Legal Services", &["WMP", "Legal Services"], true),
            ("Head of IYSS", &["Head of IYSS"], false),
            (
                "Acting Director of Education Head of IYSS",
                &["Acting Director of Education", "Head of IYSS"],
                true,
            ),
            ("Jayne Hutchings", &["Jayne Hutchings"], false),
            ("Chair; Lead Officer", &["Chair", "Lead Officer"], false),
        ];
        for (cell, want, guessed) in cases {
            let split = split_owners(cell, &known());
            let names: Vec<&str> = split.owners.iter().map(|o| o.name.as_str()).collect();
            assert_eq!(&names, want, "{cell}");
            assert_eq!(split.guessed, *guessed, "{cell}");
        }
    }

    #[test]
    fn roles_are_told_from_people() {
        let cases = [
            ("WMP", OwnerKind::Role),
            ("Information governance", OwnerKind::Role),
            ("Workforce development", OwnerKind::Role),
            ("Legal Services", OwnerKind::Role),
            ("Jayne Hutchings", OwnerKind::Person),
            ("Darren O'Shaunassey", OwnerKind::Person),
        ];
        for (name, kind) in cases {
            assert_eq!(classify(name).kind, kind, "{name}");
        }
    }
}
