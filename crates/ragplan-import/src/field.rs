//! Plan fields a source column can map to, the header words that name them, and the
//! cleaning of cell text (HTML tags, entities, spacing).

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use serde::Serialize;

/// A field of the plan that a source column can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// The node's own key ("1.2", "R7").
    Key,
    /// The strategy objective (rows with the same value share one objective).
    Objective,
    /// The sub-objective (a blank cell continues the one above).
    SubObjective,
    /// The action's title.
    Action,
    /// Longer text about the action.
    Description,
    /// The delivery rating as reported.
    ActionRag,
    /// The outcome rating as reported.
    OutcomeRag,
    /// Not started, in progress, complete, …
    Status,
    /// What shows the action is done.
    Evidence,
    /// The intended effects.
    Outcomes,
    /// Who is answerable.
    Accountable,
    /// Who does the work.
    Responsible,
    /// When it is due.
    Timescale,
    /// The agencies involved.
    Partners,
    /// When the work starts: a date.
    Start,
    /// The actions that must finish first: keys or titles.
    DependsOn,
    /// Whether the action is critical to its parent: yes or no.
    Critical,
    /// The action's weight in its parent's roll-up: a whole number from 1.
    Weight,
    /// When ongoing work is next reviewed: a date.
    ReviewDate,
    /// A performance indicator of the row's objective or sub-objective: its title.
    /// A row with one makes a measure, which the other measure fields describe.
    Indicator,
    /// The unit of the indicator's readings (`%`, `referrals`).
    Unit,
    /// The indicator's target: a number (`85%`, `1,200`).
    Target,
    /// Whether higher or lower readings are better.
    Direction,
    /// How far from the target a reading may be and still be on target: a number
    /// from 0.
    Tolerance,
    /// The indicator's latest value: a number, read as one dated reading.
    Actual,
    /// The date of the indicator's latest value.
    AsAt,
    /// Progress in percent: a number from 0 to 100 (`50`, `50%`, `0.5`); a cell that
    /// is not a number is the action's progress note, as a `ProgressNote` cell is.
    Progress,
    /// The action's progress note (`Comments`, `Commentary`, `Progress update`): what
    /// a report shows as its latest note until an update gives one.
    ProgressNote,
    /// Kept as a note under its header, never interpreted.
    Unmapped,
}

impl Field {
    /// Every field, in the order columns are exported.
    pub const ALL: [Field; 29] = [
        Field::Key,
        Field::Objective,
        Field::SubObjective,
        Field::Action,
        Field::Description,
        Field::ActionRag,
        Field::Status,
        Field::Evidence,
        Field::Outcomes,
        Field::Accountable,
        Field::Responsible,
        Field::Timescale,
        Field::Partners,
        Field::Start,
        Field::DependsOn,
        Field::Critical,
        Field::Weight,
        Field::ReviewDate,
        Field::OutcomeRag,
        Field::Indicator,
        Field::Unit,
        Field::Target,
        Field::Direction,
        Field::Tolerance,
        Field::Actual,
        Field::AsAt,
        Field::Progress,
        Field::ProgressNote,
        Field::Unmapped,
    ];

    /// The field's name as written in `--map` and JSON: `action_rag`, `sub_objective`.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Key => "key",
            Field::Objective => "objective",
            Field::SubObjective => "sub_objective",
            Field::Action => "action",
            Field::Description => "description",
            Field::ActionRag => "action_rag",
            Field::OutcomeRag => "outcome_rag",
            Field::Status => "status",
            Field::Evidence => "evidence",
            Field::Outcomes => "outcomes",
            Field::Accountable => "accountable",
            Field::Responsible => "responsible",
            Field::Timescale => "timescale",
            Field::Partners => "partners",
            Field::Start => "start",
            Field::DependsOn => "depends_on",
            Field::Critical => "critical",
            Field::Weight => "weight",
            Field::ReviewDate => "review_date",
            Field::Indicator => "indicator",
            Field::Unit => "unit",
            Field::Target => "target",
            Field::Direction => "direction",
            Field::Tolerance => "tolerance",
            Field::Actual => "actual",
            Field::AsAt => "as_at",
            Field::Progress => "progress",
            Field::ProgressNote => "progress_note",
            Field::Unmapped => "unmapped",
        }
    }

    /// The header ragplan writes for the field on export.
    pub fn export_header(self) -> &'static str {
        match self {
            Field::Key => "Key",
            Field::Objective => "Objective",
            Field::SubObjective => "Sub Objectives",
            Field::Action => "Actions",
            Field::Description => "Description",
            Field::ActionRag => "Action RAG",
            Field::OutcomeRag => "Outcome RAG",
            Field::Status => "Progress status",
            Field::Evidence => "Evidence",
            Field::Outcomes => "Outcomes",
            Field::Accountable => "Accountable",
            Field::Responsible => "Responsibility",
            Field::Timescale => "Timescale",
            Field::Partners => "Partners Involved",
            Field::Start => "Start date",
            Field::DependsOn => "Depends on",
            Field::Critical => "Critical",
            Field::Weight => "Weight",
            Field::ReviewDate => "Review date",
            Field::Indicator => "Indicator",
            Field::Unit => "Unit",
            Field::Target => "Target",
            Field::Direction => "Direction",
            Field::Tolerance => "Tolerance",
            Field::Actual => "Actual",
            Field::AsAt => "As at",
            Field::Progress => "Progress",
            Field::ProgressNote => "Comments",
            Field::Unmapped => "Notes",
        }
    }

    /// The header words that name the field, as users write them.
    pub fn synonyms(self) -> &'static [&'static str] {
        match self {
            Field::Key => &["Key", "Ref", "Reference", "No", "Number", "ID", "Item"],
            Field::Objective => &[
                "Objective",
                "Objectives",
                "Strategic Objective",
                "Strategy Objective",
                "Theme",
                "Strand",
                "Priority",
            ],
            Field::SubObjective => &["Sub Objectives", "Sub Objective", "Sub-objective", "Aim"],
            Field::Action => &[
                "Actions",
                "Action",
                "Task",
                "Tasks",
                "Recommendation",
                "Recommendations",
                "Project",
                "Project name",
                "Project title",
                "Activity",
                "Milestone",
            ],
            Field::Description => &["Description", "Detail", "Details"],
            Field::ActionRag => &[
                "Action RAG",
                "RAG",
                "RAG status",
                "RAG rating",
                "Status RAG",
                "Rating",
                "Status",
                "colour_rating",
                "Colour",
                "Delivery RAG",
                "DCA",
                "BRAG",
            ],
            Field::OutcomeRag => &["Outcome RAG", "Outcome rating", "Impact RAG"],
            Field::Status => &["Progress status", "State", "Stage"],
            Field::Evidence => &["Evidence", "Evidence of progress", "Measure of success"],
            Field::Outcomes => &[
                "Outcomes",
                "Outcome",
                "Intended Outcome",
                "Intended Outcome(s)",
                "Expected outcome",
                "Impact",
            ],
            Field::Accountable => &[
                "Accountable",
                "Lead",
                "Lead Officer",
                "Owner",
                "SRO",
                "Accountable officer",
                "Lead agency",
            ],
            Field::Responsible => &["Responsibility", "Responsible", "Responsible officer"],
            Field::Timescale => &[
                "Timescale",
                "Timescales",
                "Target date",
                "Deadline",
                "When",
                "Due",
                "Due date",
                "End date",
                "Timescale/Target",
                "Timescale / Date(s)",
                "Date",
                "By when",
            ],
            Field::Partners => &["Partners Involved", "Partners", "Partner agencies", "Agencies"],
            Field::Start => &["Start date", "Start", "Starts", "Date started", "Begins"],
            Field::DependsOn => &[
                "Depends on",
                "Dependencies",
                "Dependency",
                "Dependent on",
                "Prerequisite",
                "Prerequisites",
                "Predecessors",
            ],
            Field::Critical => &["Critical", "Critical action", "Critical path"],
            Field::Weight => &["Weight", "Weighting"],
            Field::ReviewDate => &["Review date", "Next review", "Review by", "Date of review"],
            Field::Indicator => &[
                "Indicator",
                "Indicators",
                "Measure",
                "Measures",
                "Performance indicator",
                "Performance indicators",
                "Key performance indicator",
                "KPI",
                "KPIs",
                "Performance measure",
                "Performance measures",
            ],
            Field::Unit => &["Unit", "Units", "Unit of measure"],
            Field::Target => &["Target", "Targets", "Target value"],
            Field::Direction => &["Direction", "Polarity", "Good is", "Better if"],
            Field::Tolerance => &["Tolerance", "Tolerances"],
            Field::Actual => &[
                "Actual",
                "Actuals",
                "Actual value",
                "Value",
                "Latest",
                "Latest value",
                "Current",
                "Current value",
                "Outturn",
            ],
            Field::AsAt => {
                &["As at", "As of", "As at date", "Data as at", "Date of reading", "Reading date"]
            }
            Field::Progress => &["Progress", "Percent complete", "Percentage complete"],
            Field::ProgressNote => &[
                "Comments",
                "Comment",
                "Commentary",
                "Update",
                "Updates",
                "Progress update",
                "Progress updates",
                "Latest update",
                "Progress note",
                "Progress notes",
                "Notes",
            ],
            Field::Unmapped => &[],
        }
    }

    /// Whether the field holds a rating.
    pub fn is_rating(self) -> bool {
        matches!(self, Field::ActionRag | Field::OutcomeRag)
    }

    /// Whether the field describes a row's measure (an indicator and its target,
    /// direction, tolerance, unit and latest reading) rather than its action.
    pub fn is_measure(self) -> bool {
        matches!(
            self,
            Field::Indicator
                | Field::Unit
                | Field::Target
                | Field::Direction
                | Field::Tolerance
                | Field::Actual
                | Field::AsAt
        )
    }

    /// Whether a column of the field says what a row is, as one column of a header
    /// row must: the action, its key, objective or sub-objective, or an indicator.
    pub(crate) fn places_row(self) -> bool {
        matches!(
            self,
            Field::Action | Field::SubObjective | Field::Objective | Field::Key | Field::Indicator
        )
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A field name that is not one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown field {0:?}; expected one of: {list}", list = field_list())]
pub struct ParseFieldError(pub String);

fn field_list() -> String {
    Field::ALL.iter().map(|f| f.as_str()).collect::<Vec<_>>().join(", ")
}

impl FromStr for Field {
    type Err = ParseFieldError;

    fn from_str(text: &str) -> Result<Field, ParseFieldError> {
        let wanted = text.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        let wanted = match wanted.as_str() {
            "responsibility" => "responsible",
            "sub_objectives" => "sub_objective",
            "actions" => "action",
            "note" | "notes" => "unmapped",
            "owner" | "lead" => "accountable",
            "rag" | "rating" => "action_rag",
            "measure" | "kpi" | "performance_indicator" => "indicator",
            "value" | "actual_value" | "latest" => "actual",
            "comment" | "comments" | "commentary" | "progress_update" => "progress_note",
            "as_of" | "reading_date" => "as_at",
            other => other,
        };
        Field::ALL
            .into_iter()
            .find(|f| f.as_str() == wanted)
            .ok_or_else(|| ParseFieldError(text.to_owned()))
    }
}

/// How a header cell was recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HeaderMatch {
    /// One of the field's synonyms, or a `--map` entry.
    Exact(Field),
    /// Close to a synonym (a typo): a guess worth a diagnostic.
    Fuzzy(Field),
}

/// Lowercase letters and digits, with every other run of characters (punctuation,
/// spaces, underscores) folded into one space; HTML tags removed first.
pub(crate) fn normalise_header(text: &str) -> String {
    let text: Cow<'_, str> = if text.contains(['<', '&']) { strip_html(text) } else { text.into() };
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.extend(c.to_lowercase());
        } else {
            space = true;
        }
    }
    out
}

/// Recognises a header cell: `--map` entries first, then synonyms, then a close
/// spelling of a synonym.
pub(crate) fn match_header(text: &str, map: &[(String, Field)]) -> Option<HeaderMatch> {
    match_header_as(text, map, true)
}

/// [`match_header`], with close spellings only when `fuzzy`.
pub(crate) fn match_header_as(
    text: &str,
    map: &[(String, Field)],
    fuzzy: bool,
) -> Option<HeaderMatch> {
    let norm = normalise_header(text);
    if norm.is_empty() {
        return None;
    }
    if let Some((_, field)) = map.iter().find(|(h, _)| normalise_header(h) == norm) {
        return Some(HeaderMatch::Exact(*field));
    }
    let synonyms = normalised_synonyms();
    if let Some((_, field)) = synonyms.iter().find(|(s, _)| *s == norm) {
        return Some(HeaderMatch::Exact(*field));
    }
    if !fuzzy || norm.len() < 5 {
        return None;
    }
    let mut best: Option<(f64, Field)> = None;
    let n_chars = norm.chars().count();
    for (s, field) in synonyms {
        // The distance is at least the difference in length, so a synonym much
        // longer or shorter cannot score 0.85: telling so costs no comparison.
        let s_chars = s.chars().count();
        let longest = n_chars.max(s_chars) as f64;
        if 1.0 - n_chars.abs_diff(s_chars) as f64 / longest < 0.85 {
            continue;
        }
        let score = strsim::normalized_levenshtein(s, &norm);
        if score >= 0.85 && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, *field));
        }
    }
    best.map(|(_, f)| HeaderMatch::Fuzzy(f))
}

/// Every synonym of every field, normalised once, in [`Field::ALL`] order.
fn normalised_synonyms() -> &'static [(String, Field)] {
    static SYNONYMS: std::sync::OnceLock<Vec<(String, Field)>> = std::sync::OnceLock::new();
    SYNONYMS.get_or_init(|| {
        Field::ALL
            .iter()
            .flat_map(|f| f.synonyms().iter().map(|s| (normalise_header(s), *f)))
            .collect()
    })
}

/// Whether `text` is exactly one of the header words of some field.
pub(crate) fn is_header_word(text: &str) -> bool {
    // Header words are short: a long cell is never one, and is not worth folding.
    if text.len() > 48 {
        return false;
    }
    static WORDS: std::sync::OnceLock<std::collections::HashSet<String>> =
        std::sync::OnceLock::new();
    let words =
        WORDS.get_or_init(|| normalised_synonyms().iter().map(|(s, _)| s.clone()).collect());
    let norm = normalise_header(text);
    !norm.is_empty() && words.contains(&norm)
}

/// Removes HTML tags and decodes the common entities. Block tags (`<p>`, `<br>`,
/// `<hr>`, `<li>`, `<tr>`, `<div>`) become line breaks; every line is trimmed, runs of
/// blank lines dropped. Text that is not HTML comes back trimmed, its lines kept.
pub(crate) fn strip_html(text: &str) -> Cow<'_, str> {
    // A byte scan: the four are ASCII, and a char pattern tests every char in turn.
    if !text.bytes().any(|b| matches!(b, b'<' | b'&' | b'\n' | b'\r')) {
        return Cow::Borrowed(text.trim());
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let after = &rest[open..];
        // A tag holds no `<`, so only the next `<` or `>` is looked for: searching
        // for `>` alone read the rest of the cell again from every `<`.
        let close =
            after[1..].find(['<', '>']).map(|i| i + 1).filter(|&i| after.as_bytes()[i] == b'>');
        match close {
            Some(close) if looks_like_tag(&after[1..close]) => {
                let name = tag_name(&after[1..close]);
                if matches!(name.as_str(), "p" | "br" | "hr" | "li" | "tr" | "div" | "ul" | "ol") {
                    out.push('\n');
                }
                rest = &after[close + 1..];
            }
            _ => {
                out.push('<');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    let decoded = decode_entities(&out);
    let lines: Vec<&str> =
        decoded.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>();
    Cow::Owned(lines.join("\n"))
}

fn looks_like_tag(inner: &str) -> bool {
    let inner = inner.trim_start_matches('/');
    let mut chars = inner.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic())
        && inner.len() <= 200
        && !inner.contains('<')
}

fn tag_name(inner: &str) -> String {
    inner
        .trim_start_matches('/')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase()
}

fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    text.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// Removes `<b>…</b>` (and `<strong>`) segments whose text `is_header` (a header of
/// the table), as Word tables pasted with their repeated header do; returns the cell
/// without them and the header words removed.
pub(crate) fn remove_bold_headers(
    text: &str,
    is_header: impl Fn(&str) -> bool,
) -> (String, Vec<String>) {
    if !text.contains('<') {
        return (text.to_owned(), Vec::new());
    }
    // Lower-cased once: ASCII folding keeps every byte where it was, so offsets in
    // `lower` are offsets in `text`.
    let lower = text.to_ascii_lowercase();
    let mut removed = Vec::new();
    let mut out = String::with_capacity(text.len());
    // `text[..copied]` is dealt with; `<` before `from` opens no bold segment.
    let mut copied = 0;
    let mut from = 0;
    while let Some(found) = lower[from..].find('<') {
        let start = from + found;
        let (open, close) = if lower[start..].starts_with("<b>") {
            ("<b>", "</b>")
        } else if lower[start..].starts_with("<strong>") {
            ("<strong>", "</strong>")
        } else {
            from = start + 1;
            continue;
        };
        let inner_start = start + open.len();
        let Some(end_rel) = lower[inner_start..].find(close) else { break };
        let inner = &text[inner_start..inner_start + end_rel];
        let after = inner_start + end_rel + close.len();
        out.push_str(&text[copied..start]);
        if is_header(inner) {
            removed.push(strip_html(inner).into_owned());
        } else {
            out.push_str(&text[start..after]);
        }
        copied = after;
        from = after;
    }
    out.push_str(&text[copied..]);
    (out, removed)
}

/// Folds runs of whitespace (line breaks included) into single spaces; text with
/// none to fold is borrowed.
pub(crate) fn one_line(text: &str) -> Cow<'_, str> {
    let trimmed = text.trim();
    if trimmed.len() == text.len() && !has_whitespace_to_fold(text.as_bytes()) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Whether the text holds a line break, a tab, a no-break space (UTF-8 `C2 A0`)
/// or two spaces together: one pass over the bytes.
fn has_whitespace_to_fold(bytes: &[u8]) -> bool {
    let mut before = 0u8;
    for &b in bytes {
        if matches!(b, b'\n' | b'\r' | b'\t')
            || (b == b' ' && before == b' ')
            || (b == 0xA0 && before == 0xC2)
        {
            return true;
        }
        before = b;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn whitespace_to_fold_is_found_in_one_pass(text in "[a \t\n\r\u{a0}\u{a3}é]{0,12}") {
            let by_chars = text.contains(['\n', '\r', '\t', '\u{a0}']) || text.contains("  ");
            proptest::prop_assert_eq!(has_whitespace_to_fold(text.as_bytes()), by_chars);
        }
    }

    #[test]
    fn one_line_borrows_text_with_nothing_to_fold() {
        assert!(matches!(one_line("Mandie Watson £5"), Cow::Borrowed(_)));
        for (text, folded) in
            [("a  b", "a b"), ("a\nb", "a b"), ("a\u{a0}b", "a b"), (" a\t b ", "a b")]
        {
            assert_eq!(one_line(text), folded);
        }
    }

    #[test]
    fn headers_are_matched_ignoring_case_punctuation_tags_and_spacing() {
        let cases = [
            ("Actions", Some(HeaderMatch::Exact(Field::Action))),
            ("<b>Action RAG</b>", Some(HeaderMatch::Exact(Field::ActionRag))),
            ("  lead   officer ", Some(HeaderMatch::Exact(Field::Accountable))),
            ("colour_rating", Some(HeaderMatch::Exact(Field::ActionRag))),
            ("Timescale/Target", Some(HeaderMatch::Exact(Field::Timescale))),
            ("Responsibilty", Some(HeaderMatch::Fuzzy(Field::Responsible))),
            ("Budget", None),
            ("", None),
        ];
        for (text, want) in cases {
            assert_eq!(match_header(text, &[]), want, "{text}");
        }
        let map = vec![("Budget".to_owned(), Field::Progress)];
        assert_eq!(match_header("budget", &map), Some(HeaderMatch::Exact(Field::Progress)));
    }

    /// The headers councils' delivery plans use most, each read as its field with no
    /// `--map` and no spelling guess.
    #[test]
    fn common_plan_headers_are_synonyms() {
        let cases = [
            ("Project", Field::Action),
            ("Project name", Field::Action),
            ("Recommendation", Field::Action),
            ("Lead", Field::Accountable),
            ("Lead officer", Field::Accountable),
            ("Owner", Field::Accountable),
            ("Target date", Field::Timescale),
            ("Due", Field::Timescale),
            ("Deadline", Field::Timescale),
            ("End date", Field::Timescale),
            ("end_date", Field::Timescale),
            ("RAG status", Field::ActionRag),
            ("DCA", Field::ActionRag),
            ("Progress", Field::Progress),
            ("Progress %", Field::Progress),
            ("Comments", Field::ProgressNote),
            ("Commentary", Field::ProgressNote),
            ("Progress update", Field::ProgressNote),
        ];
        for (text, want) in cases {
            assert_eq!(match_header(text, &[]), Some(HeaderMatch::Exact(want)), "{text}");
        }
    }

    /// The headers of a plan's indicators, each read as its measure field.
    #[test]
    fn measure_headers_are_synonyms() {
        let cases = [
            ("Indicator", Field::Indicator),
            ("Measure", Field::Indicator),
            ("Performance indicator", Field::Indicator),
            ("KPI", Field::Indicator),
            ("Performance measure", Field::Indicator),
            ("Unit", Field::Unit),
            ("Units", Field::Unit),
            ("Target", Field::Target),
            ("Direction", Field::Direction),
            ("Polarity", Field::Direction),
            ("Tolerance", Field::Tolerance),
            ("Actual", Field::Actual),
            ("Value", Field::Actual),
            ("Actual value", Field::Actual),
            ("Latest", Field::Actual),
            ("Current", Field::Actual),
            ("As at", Field::AsAt),
            ("As of", Field::AsAt),
            ("Date of reading", Field::AsAt),
            ("Reading date", Field::AsAt),
        ];
        for (text, want) in cases {
            assert_eq!(match_header(text, &[]), Some(HeaderMatch::Exact(want)), "{text}");
        }
    }

    /// Headers near a measure synonym that name another field, or none, as they did
    /// before the measure columns: a target date is still the timescale.
    #[test]
    fn measure_synonyms_take_no_header_of_another_field() {
        let cases = [
            ("Target date", Some(HeaderMatch::Exact(Field::Timescale))),
            ("Target Date", Some(HeaderMatch::Exact(Field::Timescale))),
            ("Timescale/Target", Some(HeaderMatch::Exact(Field::Timescale))),
            ("Date", Some(HeaderMatch::Exact(Field::Timescale))),
            ("Progress", Some(HeaderMatch::Exact(Field::Progress))),
            ("Update", Some(HeaderMatch::Exact(Field::ProgressNote))),
            ("Status", Some(HeaderMatch::Exact(Field::ActionRag))),
            ("Measure of success", Some(HeaderMatch::Exact(Field::Evidence))),
            ("Measures of success", Some(HeaderMatch::Fuzzy(Field::Evidence))),
            ("Current status", None),
            ("Latest update", Some(HeaderMatch::Exact(Field::ProgressNote))),
            ("Direction of travel", None),
            ("Current position", None),
            ("Reporting date", None),
        ];
        for (text, want) in cases {
            assert_eq!(match_header(text, &[]), want, "{text}");
        }
    }

    #[test]
    fn html_is_stripped_into_lines() {
        assert_eq!(strip_html("<p>One</p> <hr/> <p>Two &amp; three</p>"), "One\nTwo & three");
        assert_eq!(strip_html("a < b and c > d"), "a < b and c > d");
        assert_eq!(strip_html("plain"), "plain");
    }

    #[test]
    fn bold_header_words_are_removed_from_cells() {
        let (rest, removed) =
            remove_bold_headers("Agree strategies <b>Actions</b>", is_header_word);
        assert_eq!((rest.trim(), removed), ("Agree strategies", vec!["Actions".to_owned()]));
        let (rest, removed) = remove_bold_headers("<b>Important</b> work", is_header_word);
        assert_eq!((rest.as_str(), removed.len()), ("<b>Important</b> work", 0));
    }

    #[test]
    fn field_names_parse() {
        assert_eq!("action_rag".parse::<Field>(), Ok(Field::ActionRag));
        assert_eq!("Responsibility".parse::<Field>(), Ok(Field::Responsible));
        assert_eq!("owner".parse::<Field>(), Ok(Field::Accountable));
        assert_eq!("rag".parse::<Field>(), Ok(Field::ActionRag));
        assert_eq!("as at".parse::<Field>(), Ok(Field::AsAt));
        assert_eq!("KPI".parse::<Field>(), Ok(Field::Indicator));
        assert_eq!("value".parse::<Field>(), Ok(Field::Actual));
        assert!("colour".parse::<Field>().unwrap_err().to_string().contains("unknown field"));
    }
}
