//! Owners in a cell: people, roles and teams, one or several to a cell, with or
//! without separators. The one reader of Accountable and Responsibility cells.
//!
//! # What stays one owner
//!
//! - **A role or team is not split.** A part that ends in a job-title or team word
//!   ([`TITLE_WORDS`], [`TEAM_WORDS`]: Manager, Officer, Co-ordinator, Chair, Lead,
//!   Director, Team, Board, Service, Unit, …) or opens with a title (`Head of IYSS`,
//!   `Acting Director of Education`) is one role.
//! - **An acronym before a role word stays with it**: `LSCB Business Manager`,
//!   `CSE Co-ordinator`, `MASH Team Manager`, `WMP Legal Services` are one role each.
//!   An acronym with no role word after it stands alone (`WMP CPS` is two owners).
//! - **A rank or title before a name is one person** ([`RANKS`]: DCI, DI, DS, Sgt,
//!   Supt, Cllr, Dr, …): `DCI Handson`, `Cllr Ruane`.
//! - **A person and their role** written `Tony Staunton, Child Protection Manager`
//!   are one owner. [`ragplan_core::Owner`] holds a name and a kind and no role, so
//!   the whole text is kept as one owner of kind Person, with an `owner-role-kept`
//!   note.
//!
//! # Where a cell is split
//!
//! 1. At `;` and line breaks, quietly: that is how an export writes a list.
//! 2. At `,` and `/` (an `owner-split` info note), then `and` and `&` where both sides
//!    are owners of their own (`Mandie Watson and Debbie Carter`) — never inside a
//!    name such as `Children and Families First` or `Police and Crime Commissioner`:
//!    an agency of the partner vocabulary ([`crate::partner::AGENCIES`]) is never
//!    split. `and` is never an owner: an `and` opening or closing a piece joins
//!    nothing, and the cell is then kept as written beside its owners
//!    ([`OwnerSplit::dropped`]).
//! 3. With no separator (an `owner-split` warning: a guess), at a name that stands
//!    alone elsewhere in the plan ([`known_from_parts`]), at a rank, at a title that starts
//!    a second role (`Acting Director of Education Head of IYSS`), at an acronym that
//!    stands alone, and at a repeated first-name/surname pattern: four or six
//!    capitalised name words are two or three people (`Mandie Watson Debbie Carter`).
//!
//! Every split and every join is a [`CellNote`], which the table reader makes a
//! diagnostic with the row and column. Each piece read alone reads as itself, so an
//! export (owners joined with `; `) imports to the same owners.
//!
//! # Example
//! ```text
//! "LSCB Business Manager"            → LSCB Business Manager (role)
//! "Mandie Watson and Debbie Carter"  → Mandie Watson; Debbie Carter (people)
//! "DCI Handson"                      → DCI Handson (person)
//! ```

use std::collections::BTreeSet;

use ragplan_core::{Owner, OwnerKind};

use crate::diagnostic::Severity;
use crate::partner::{Vocabulary, is_and, separated};

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
    "managers",
    "officer",
    "officers",
    "chair",
    "lead",
    "leads",
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
    "hub",
    "worker",
    "workers",
    "commissioner",
    "adviser",
    "advisor",
    "analyst",
    "nurse",
];

/// Words that end a job title held by one person: a part ending in one is a role,
/// and a name before it with a comma is that person's role (`owner-role-kept`).
pub(crate) const TITLE_WORDS: &[&str] = &[
    "manager",
    "managers",
    "officer",
    "officers",
    "co-ordinator",
    "coordinator",
    "co-ordinators",
    "coordinators",
    "chair",
    "director",
    "lead",
    "head",
    "worker",
    "adviser",
    "advisor",
    "analyst",
    "nurse",
    "commissioner",
    "executive",
    "administrator",
    "consultant",
    "supervisor",
    "specialist",
    "inspector",
    "champion",
    "solicitor",
];

/// Words that end the name of a team or body: a part ending in one is a role.
pub(crate) const TEAM_WORDS: &[&str] = &[
    "team",
    "teams",
    "board",
    "service",
    "services",
    "unit",
    "group",
    "panel",
    "committee",
    "partnership",
    "hub",
    "department",
    "directorate",
    "forum",
    "subgroup",
    "sub-group",
    "workers",
    "practitioners",
    "staff",
];

/// Police ranks and titles written before a name: with the name they are one person.
pub(crate) const RANKS: &[&str] = &[
    "DCI",
    "DI",
    "DS",
    "DC",
    "PC",
    "PS",
    "DCS",
    "DSupt",
    "Supt",
    "Ch",
    "Det",
    "Sgt",
    "Insp",
    "ACC",
    "DCC",
    "Cllr",
    "Councillor",
    "Dr",
    "Mr",
    "Mrs",
    "Ms",
    "Miss",
    "Prof",
];

/// Words that open a job title ("Head of IYSS", "Acting Director of Education").
const OPENING_WORDS: &[&str] = &["Head", "Director", "Chief", "Acting", "Assistant", "Deputy"];

/// Small words that join the parts of one name or title ("Head of IYSS").
const CONNECTORS: &[&str] = &["of", "and", "for", "the", "&", "to", "in", "at", "on"];

/// What a [`CellNote`] says; each has one stable diagnostic code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NoteCode {
    /// Owners split with no separator between them (a guess).
    OwnerSplit,
    /// Owners split at `,`, `/`, `and` or `&`.
    OwnerSplitAtSeparator,
    /// A person and their role kept as one owner.
    OwnerRoleKept,
    /// Partners split by the vocabulary with no separator between them (a guess).
    PartnerSplit,
    /// Partners split at `,`, `/`, `and` or `&`.
    PartnerSplitAtSeparator,
    /// A partner not in the vocabulary, kept as written.
    PartnerUnknown,
    /// A placeholder (`TBC`, `N/A`) read as no owner, kept as written.
    OwnerPlaceholder,
    /// A placeholder (`TBC`, `N/A`, `None`) read as no partner, kept as written.
    PartnerPlaceholder,
}

impl NoteCode {
    /// The diagnostic code.
    pub(crate) fn code(self) -> crate::DiagnosticCode {
        use crate::DiagnosticCode;
        match self {
            NoteCode::OwnerSplit | NoteCode::OwnerSplitAtSeparator => DiagnosticCode::OwnerSplit,
            NoteCode::OwnerRoleKept => DiagnosticCode::OwnerRoleKept,
            NoteCode::PartnerSplit | NoteCode::PartnerSplitAtSeparator => {
                DiagnosticCode::PartnerSplit
            }
            NoteCode::PartnerUnknown => DiagnosticCode::PartnerUnknown,
            NoteCode::OwnerPlaceholder => DiagnosticCode::OwnerPlaceholder,
            NoteCode::PartnerPlaceholder => DiagnosticCode::PartnerPlaceholder,
        }
    }

    /// A split with no separator is a guess (a warning); the rest are info.
    pub(crate) fn severity(self) -> Severity {
        match self {
            NoteCode::OwnerSplit | NoteCode::PartnerSplit => Severity::Warning,
            _ => Severity::Info,
        }
    }
}

/// A split or join made reading one cell; the caller adds the row and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CellNote {
    /// What happened.
    pub code: NoteCode,
    /// In one sentence.
    pub message: String,
}

impl CellNote {
    pub(crate) fn new(code: NoteCode, message: String) -> CellNote {
        CellNote { code, message }
    }
}

/// Whether `word`, without punctuation at either end, is in `list` (lower case),
/// ignoring case.
fn in_list(word: &str, list: &[&str]) -> bool {
    let bare = word.trim_matches(|c: char| !c.is_alphanumeric());
    list.iter().any(|w| w.eq_ignore_ascii_case(bare))
}

/// Whether `word` is an acronym such as `WMP`, `CPS`, `LSCB`.
pub(crate) fn is_acronym(word: &str) -> bool {
    let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 2
        && letters.iter().all(|c| c.is_uppercase())
        && word.chars().all(|c| c.is_alphanumeric() || matches!(c, '&' | '.' | '\''))
}

fn is_rank(word: &str) -> bool {
    RANKS.contains(&word.trim_end_matches('.'))
}

fn is_connector(word: &str) -> bool {
    CONNECTORS.iter().any(|c| c.eq_ignore_ascii_case(word))
}

/// A word that ends a role: a job title or a team.
fn is_role_end(word: &str) -> bool {
    in_list(word, TITLE_WORDS) || in_list(word, TEAM_WORDS)
}

fn is_capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// A word of a person's name: capitalised, and not an acronym, rank, connector or
/// role word.
fn is_name_word(word: &str) -> bool {
    is_capitalised(word)
        && !is_acronym(word)
        && !is_rank(word)
        && !is_connector(word)
        && !in_list(word, ROLE_WORDS)
}

/// Whether `name` names a role, team or agency rather than a person.
pub(crate) fn is_role(name: &str) -> bool {
    name.split_whitespace().any(|w| is_acronym(w) || in_list(w, ROLE_WORDS))
}

/// Whether `words` are a rank and a name (`DCI Handson`, `Det Supt Jo Bloggs`).
fn is_ranked_name(words: &[&str]) -> bool {
    let ranks = words.iter().take_while(|w| is_rank(w)).count();
    ranks > 0 && words.len() > ranks && words[ranks..].iter().all(|w| is_name_word(w))
}

/// An owner of the right kind for `name`.
pub(crate) fn classify(name: &str) -> Owner {
    let words: Vec<&str> = name.split_whitespace().collect();
    if is_ranked_name(&words) {
        Owner::person(name)
    } else if is_role(name) {
        Owner::role(name)
    } else {
        Owner::person(name)
    }
}

/// Whether `text` looks like one person's name standing alone: two or three
/// capitalised words, no role word, no acronym.
fn is_lone_name(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    (2..=3).contains(&words.len()) && words.iter().all(|w| is_name_word(w))
}

/// Whether `words` are one person: a lone name or a rank and a name.
fn is_person(words: &[&str]) -> bool {
    ((2..=3).contains(&words.len()) && words.iter().all(|w| is_name_word(w)))
        || is_ranked_name(words)
}

/// Whether `words` are a job title one person holds (`Child Protection Manager`,
/// `Head of IYSS`).
fn is_job_title(words: &[&str]) -> bool {
    words.last().is_some_and(|w| in_list(w, TITLE_WORDS))
        || (words.len() > 2 && OPENING_WORDS.contains(&words[0]) && is_connector(words[1]))
}

/// Whether `words`, left of an `and`, end an owner of their own.
fn ends_an_owner(words: &[&str]) -> bool {
    let Some(last) = words.last() else { return false };
    let names = words.iter().rev().take_while(|w| is_name_word(w)).count();
    is_role_end(last)
        || (is_acronym(last) && !is_rank(last))
        || names >= 2
        || (names >= 1 && names < words.len() && is_rank(words[words.len() - names - 1]))
}

/// Whether `words`, right of an `and`, start an owner of their own.
fn starts_an_owner(words: &[&str]) -> bool {
    let Some(first) = words.first() else { return false };
    let names = words.iter().take_while(|w| is_name_word(w)).count();
    names >= 2
        || (is_rank(first) && words.get(1).is_some_and(|w| is_name_word(w)))
        || is_acronym(first)
        || OPENING_WORDS.contains(first)
        || (is_capitalised(first) && words.iter().take(3).any(|w| is_role_end(w)))
}

/// One piece of a cell after its separators, and how it came to be.
struct Piece {
    text: String,
    /// Kept as one person with their role (`Name, Role`).
    joined: bool,
}

/// The pieces of an owners cell at its separators, joins made, with a note for
/// each split and join. Depends on the cell and the vocabulary only.
///
/// `dropped` is set when a word of the cell is in no piece: an `and` opening or
/// closing a piece.
fn pieces(
    cell: &str,
    vocabulary: &Vocabulary,
    notes: &mut Vec<CellNote>,
    dropped: &mut bool,
) -> Vec<Piece> {
    let mut out = Vec::new();
    for listed in cell.split([';', '\n']) {
        let separated = separated(listed);
        let mut joined: Vec<Piece> = Vec::new();
        let mut k = 0;
        while k < separated.len() {
            let (text, sep) = &separated[k];
            let words: Vec<&str> = text.split_whitespace().collect();
            let next = separated.get(k + 1).filter(|_| *sep == Some(','));
            let role: Option<Vec<&str>> = next.map(|(t, _)| t.split_whitespace().collect());
            if let (Some((role_text, _)), Some(role)) = (next, role)
                && is_person(&words)
                && is_job_title(&role)
                && !is_person(&role)
            {
                let whole = format!("{text}, {role_text}");
                notes.push(CellNote::new(
                    NoteCode::OwnerRoleKept,
                    format!(
                        "`{whole}` kept as one owner, a person with their role (an owner \
                         holds a name, not a role)"
                    ),
                ));
                joined.push(Piece { text: whole, joined: true });
                k += 2;
                continue;
            }
            joined.push(Piece { text: text.clone(), joined: false });
            k += 1;
        }
        if separated.len() > 1 && joined.len() > 1 {
            let names: Vec<&str> = joined.iter().map(|p| p.text.as_str()).collect();
            notes.push(CellNote::new(
                NoteCode::OwnerSplitAtSeparator,
                format!("read as {} owners at `,` or `/`: {}", names.len(), names.join("; ")),
            ));
        }
        for piece in joined {
            if piece.joined {
                out.push(piece);
            } else {
                *dropped |= split_at_and(&piece.text, vocabulary, notes, &mut out);
            }
        }
    }
    out
}

/// Splits `text` at each `and` or `&` with an owner on either side and outside an
/// agency's name. An `and` at either end is dropped (`and` is never an owner), and
/// then the answer is `true`.
fn split_at_and(
    text: &str,
    vocabulary: &Vocabulary,
    notes: &mut Vec<CellNote>,
    out: &mut Vec<Piece>,
) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    if !words.iter().any(|w| is_and(w)) {
        out.push(Piece { text: text.to_owned(), joined: false });
        return false;
    }
    let covered = vocabulary.covered(&words);
    let mut parts: Vec<String> = Vec::new();
    let mut start = 0;
    let mut dropped = false;
    for k in 0..words.len() {
        if !is_and(words[k]) || covered[k] || k < start {
            continue;
        }
        let left = &words[start..k];
        let right_end = (k + 1..words.len()).find(|&j| is_and(words[j])).unwrap_or(words.len());
        let right = &words[k + 1..right_end];
        if left.is_empty() || right.is_empty() {
            // An `and` opening or closing the piece joins nothing.
            if !left.is_empty() {
                parts.push(left.join(" "));
            }
            dropped = true;
            start = k + 1;
        } else if ends_an_owner(left) && starts_an_owner(right) {
            parts.push(left.join(" "));
            start = k + 1;
        }
    }
    if start < words.len() {
        parts.push(words[start..].join(" "));
    }
    if parts.len() > 1 || dropped {
        notes.push(CellNote::new(
            NoteCode::OwnerSplitAtSeparator,
            format!("read as {} owner(s) at `and` or `&`: {}", parts.len(), parts.join("; ")),
        ));
    }
    if parts.is_empty() {
        // Only `and`s: kept as written, so no word is lost.
        parts.push(words.join(" "));
        dropped = false;
    }
    out.extend(parts.into_iter().map(|text| Piece { text, joined: false }));
    dropped
}

/// What the owner reader knows of the plan: the names that stand alone in it and the
/// agencies of the partner vocabulary.
#[derive(Debug, Clone)]
pub(crate) struct OwnerContext {
    /// See [`known_from_parts`].
    pub known: BTreeSet<String>,
    /// Agencies whose names are never split.
    pub vocabulary: Vocabulary,
}

/// The names of people that stand alone in some owners cell of the plan, or that a
/// split leaves standing alone (`Debbie Carter` from `Mandie Watson Debbie Carter`
/// when `Mandie Watson` stands alone): the plan lists them as owners of their own,
/// and an export writes them alone in a cell.
#[cfg(test)]
pub(crate) fn known_names<'a>(
    cells: impl Iterator<Item = &'a str>,
    vocabulary: &Vocabulary,
) -> BTreeSet<String> {
    known_from_parts(&owner_parts(cells, vocabulary))
}

/// The distinct parts of the owner `cells` ([`known_from_parts`] reads the names from
/// them): each distinct cell read once.
pub(crate) fn owner_parts<'a>(
    cells: impl Iterator<Item = &'a str>,
    vocabulary: &Vocabulary,
) -> BTreeSet<String> {
    let mut notes = Vec::new();
    // Each distinct cell once, and each distinct part: a plan repeats its owners.
    // One look per owner cell of the table: foldhash, not SipHash.
    let mut seen: std::collections::HashSet<&str, foldhash::fast::RandomState> =
        std::collections::HashSet::default();
    let distinct: Vec<&str> = cells.filter(|c| seen.insert(c)).collect();
    distinct
        .into_iter()
        .flat_map(|c| pieces(c, vocabulary, &mut notes, &mut false))
        .filter(|p| !p.joined)
        .map(|p| p.text)
        .collect()
}

/// The names standing alone among the owner cells' `parts` ([`owner_parts`]).
pub(crate) fn known_from_parts(parts: &BTreeSet<String>) -> BTreeSet<String> {
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
#[derive(Debug, Clone, Default)]
pub(crate) struct OwnerSplit {
    /// The owners, in cell order.
    pub owners: Vec<Owner>,
    /// Every split and join made.
    pub notes: Vec<CellNote>,
    /// Whether a word of the cell is in no owner (an `and` opening or closing it),
    /// so that the cell is kept as written beside the owners.
    pub dropped: bool,
    /// The placeholders read as no owner (`TBC`), each as written: kept as notes
    /// under the column's header, which an export writes after the owners.
    pub placeholders: Vec<String>,
}

/// What stands in an owners cell for an owner not yet known.
const PLACEHOLDERS: &[&str] = &[
    "tbc",
    "tba",
    "tbd",
    "tbcd",
    "to be confirmed",
    "to be agreed",
    "to be advised",
    "to be announced",
    "to be appointed",
    "to be allocated",
    "to be decided",
    "to be determined",
    "to be identified",
    "n/a",
    "na",
    "n a",
    "none",
    "nil",
    "nobody",
    "no one",
    "not applicable",
    "not known",
    "not yet known",
    "unknown",
    "unassigned",
    "not assigned",
    "vacant",
];

/// Whether `text` stands for an owner or partner not yet known: `TBC`, `TBA`, `TBD`, `T.B.C.`,
/// `To be confirmed`, `N/A`, `None`, `Unknown`, a dash or a question mark, in any
/// case and brackets, with letters OCR mistakes for Latin ones read as those (the
/// `ТВС` of a scanned page is `TBC`).
pub(crate) fn is_placeholder(text: &str) -> bool {
    let folded = ragplan_core::fold_lookalikes(text).to_lowercase();
    let bare = folded.trim().trim_matches(|c: char| matches!(c, '(' | ')' | '[' | ']')).trim();
    if !bare.is_empty() && bare.chars().all(|c| matches!(c, '-' | '?' | '.' | ' ')) {
        return true;
    }
    let words: String = bare.replace('.', "").split_whitespace().collect::<Vec<_>>().join(" ");
    PLACEHOLDERS.contains(&words.as_str())
}

/// The note for a placeholder read as no owner (or, `partner`, no partner).
pub(crate) fn placeholder_note(text: &str, partner: bool) -> CellNote {
    let (code, noun) = if partner {
        (NoteCode::PartnerPlaceholder, "partner")
    } else {
        (NoteCode::OwnerPlaceholder, "owner")
    };
    CellNote::new(code, format!("`{}` is no {noun} yet: read as none, the text kept", text.trim()))
}

/// Reads an owners cell. A placeholder (`TBC`, `N/A`: [`is_placeholder`]), the
/// whole cell or one owner of it, is no owner: it is left out of the owners, with an
/// `owner-placeholder` note, and kept in [`OwnerSplit::placeholders`].
pub(crate) fn split_owners(cell: &str, context: &OwnerContext) -> OwnerSplit {
    let mut split = OwnerSplit::default();
    // Whole, before `N/A` is split at its `/`.
    if is_placeholder(cell) {
        split.notes.push(placeholder_note(cell, false));
        split.placeholders.push(cell.trim().to_owned());
        return split;
    }
    for piece in pieces(cell, &context.vocabulary, &mut split.notes, &mut split.dropped) {
        if is_placeholder(&piece.text) {
            split.notes.push(placeholder_note(&piece.text, false));
            split.placeholders.push(piece.text);
            continue;
        }
        if piece.joined {
            split.owners.push(Owner { name: piece.text, kind: OwnerKind::Person });
            continue;
        }
        let segments = split_unseparated(&piece.text, &context.known);
        if segments.len() > 1 {
            split.notes.push(CellNote::new(
                NoteCode::OwnerSplit,
                format!(
                    "`{}` read as {} owners with no separator between them: {}",
                    piece.text,
                    segments.len(),
                    segments.join("; ")
                ),
            ));
        }
        split.owners.extend(
            segments.iter().map(|s| {
                if context.vocabulary.is_agency(s) { Owner::role(s) } else { classify(s) }
            }),
        );
    }
    split
}

/// Whether the words gathered so far are an owner of their own, so that an acronym
/// opening a role after them starts a new one.
fn is_complete(words: &[&str]) -> bool {
    words.last().is_some_and(|w| is_role_end(w))
        || is_person(words)
        || (words.len() == 1 && is_acronym(words[0]))
}

/// Whether a word ending a role follows `words[i]` within three words, with no
/// connector, rank or second acronym in between: the acronym at `i` opens that role.
fn opens_a_role(words: &[&str], i: usize) -> bool {
    for w in words.iter().skip(i + 1).take(3) {
        if is_role_end(w) {
            return true;
        }
        if is_connector(w) || is_rank(w) || is_acronym(w) {
            return false;
        }
    }
    false
}

/// Splits one piece with no separators into owners, using the known names, ranks,
/// titles, acronyms and the first-name/surname pattern.
fn split_unseparated(part: &str, known: &BTreeSet<String>) -> Vec<String> {
    let words: Vec<&str> = part.split_whitespace().collect();
    let mut segments: Vec<String> = Vec::new();
    let mut pending: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let joined_before = i > 0 && is_connector(words[i - 1]);
        let name_len = (2..=3).rev().find(|&len| {
            i + len <= words.len()
                && !joined_before
                && !words.get(i + len).is_some_and(|w| is_role_end(w))
                && known.contains(&words[i..i + len].join(" "))
        });
        if let Some(len) = name_len {
            flush(&mut pending, &mut segments);
            segments.push(words[i..i + len].join(" "));
            i += len;
            continue;
        }
        let word = words[i];
        let joined_after = words.get(i + 1).is_some_and(|w| is_connector(w));
        if is_rank(word) && !joined_before && !pending.iter().any(|w| is_rank(w)) {
            let ranks = words[i..].iter().take_while(|w| is_rank(w)).count();
            let names = words[i + ranks..].iter().take_while(|w| is_name_word(w)).count();
            if names > 0 {
                // A rank and a surname, or a first name and surname when the names
                // after it pair up.
                let take = if names.is_multiple_of(2) { 2 } else { 1 };
                flush(&mut pending, &mut segments);
                segments.push(words[i..i + ranks + take].join(" "));
                i += ranks + take;
                continue;
            }
        }
        let starts_title = OPENING_WORDS.contains(&word)
            && i > 0
            && !joined_before
            && !OPENING_WORDS.contains(&words[i - 1])
            && (word == "Acting" || joined_after);
        if starts_title && !pending.is_empty() {
            flush(&mut pending, &mut segments);
            pending.push(word);
        } else if is_acronym(word) && !joined_before && !joined_after && words.len() > 1 {
            if opens_a_role(&words, i) {
                if is_complete(&pending) {
                    flush(&mut pending, &mut segments);
                }
                pending.push(word);
            } else {
                flush(&mut pending, &mut segments);
                segments.push(word.to_owned());
            }
        } else {
            pending.push(word);
        }
        i += 1;
    }
    flush(&mut pending, &mut segments);
    segments.into_iter().flat_map(pair_names).collect()
}

/// A segment of four or six name words and nothing else is two or three people.
fn pair_names(segment: String) -> Vec<String> {
    let words: Vec<&str> = segment.split_whitespace().collect();
    if words.len() >= 4 && words.len().is_multiple_of(2) && words.iter().all(|w| is_name_word(w)) {
        words.chunks(2).map(|c| c.join(" ")).collect()
    } else {
        vec![segment]
    }
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

    fn context() -> OwnerContext {
        let vocabulary = Vocabulary::new(&[]);
        let known = known_names(
            ["Debbie Carter", "Mandie Watson", "Sue Whitmore; Rebekah Eaves"].into_iter(),
            &vocabulary,
        );
        OwnerContext { known, vocabulary }
    }

    #[test]
    fn roles_are_told_from_people() {
        let cases = [
            ("WMP", OwnerKind::Role),
            ("Information governance", OwnerKind::Role),
            ("Workforce development", OwnerKind::Role),
            ("Legal Services", OwnerKind::Role),
            ("LSCB Business Manager", OwnerKind::Role),
            ("Jayne Hutchings", OwnerKind::Person),
            ("Darren O'Shaunassey", OwnerKind::Person),
            ("DCI Handson", OwnerKind::Person),
        ];
        for (name, kind) in cases {
            assert_eq!(classify(name).kind, kind, "{name}");
        }
    }

    #[test]
    fn a_piece_read_alone_reads_as_itself() {
        let context = context();
        for cell in [
            "Mandie Watson Debbie Carter",
            "LSCB Business Manager DCI Handson",
            "Acting Director of Education Head of IYSS",
            "Tony Staunton, Child Protection Manager and Jo Bloggs",
        ] {
            for owner in split_owners(cell, &context).owners {
                let again = split_owners(&owner.name, &context).owners;
                assert_eq!(again, std::slice::from_ref(&owner), "{cell}");
            }
        }
    }
}
