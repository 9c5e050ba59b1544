//! Whole committee papers: the plan found inside a cabinet report, an agenda pack or
//! minutes, and the rest of the paper skipped.
//!
//! A paper's plans are tab-separated tables under a header the importer recognises,
//! and lists of recommendations or resolutions (numbered items introduced by a
//! heading or line naming them, `Recommendation N:` paragraphs, or items opening
//! with `That …`). A list that repeats an earlier one (a paper that prints its
//! recommendations in the summary and again in the report) is one plan, taken once.
//! One pass over the lines finds them all: each line is classified once, and a
//! table runs from its header to its last tabbed line before the next list.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use crate::field::strip_html;
use crate::table::{FUZZY_HEADER_ROWS, GridRow, opens_table};
use crate::text::{Line, classify, is_heading_like, unmark};
use crate::{Diagnostic, DiagnosticCode, ImportError, ImportOptions};

/// How many non-blank lines outside a single plan a source may have and still be
/// read whole, as a plan with a title line or two.
const PREAMBLE_LINES: usize = 5;

/// Text lines in a row, not items of a list, that end it.
const LIST_GAP: usize = 2;

/// What a plan of a paper is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PlanKind {
    /// A tab-separated table.
    Table,
    /// A list of recommendations or resolutions.
    List,
}

/// A plan found in a paper.
#[derive(Debug, Clone)]
struct Found {
    /// The first and last line (1-based, inclusive).
    first: usize,
    last: usize,
    kind: PlanKind,
    /// The table's header, or how many items the list has.
    what: String,
    /// The headings in and just above it, for `--section`.
    headings: Vec<String>,
    /// The lines of later lists that repeat this one.
    copies: Vec<(usize, usize)>,
}

/// The plan taken from a paper.
#[derive(Debug)]
pub(crate) struct Taken {
    /// The source with every line outside the plan blanked, so that the readers
    /// count rows as the source does.
    pub text: String,
    pub kind: PlanKind,
    /// The paper's title above the plan.
    pub title: Option<String>,
    /// The paper's date line above the plan ([`crate::reported::paper_date`]):
    /// the plan's report date when the plan itself gives none.
    pub date: Option<crate::reported::Found>,
    /// The people named between the plan's title and a table
    /// ([`crate::people::named_above`]).
    pub people: Vec<crate::people::Named>,
}

/// A list being read.
struct Run {
    first: usize,
    last: usize,
    number: Option<u64>,
    gap: usize,
    texts: Vec<String>,
    labelled: bool,
    that: usize,
}

fn normalised(text: &str) -> String {
    crate::words(text).collect::<Vec<_>>().join(" ")
}

/// The plans of `lines`, in order: tables and the lists that read as plans.
fn find(lines: &[&str], options: &ImportOptions) -> Vec<Found> {
    // Tabbed lines are table rows, not list items: a large table costs a tab search a
    // line.
    let classified: Vec<Option<Line>> =
        lines.iter().map(|l| if l.contains('\t') { None } else { classify(l) }).collect();
    let next_is_rec = |i: usize| {
        classified[i + 1..]
            .iter()
            .find_map(|c| c.as_ref())
            .is_some_and(|c| matches!(c, Line::Recommendation { .. }))
    };
    let first_filled = lines.iter().position(|l| !l.trim().is_empty());
    let mut found: Vec<Found> = Vec::new();
    // An open table: its header line and last tabbed line.
    let mut table: Option<(usize, usize, String)> = None;
    let mut run: Option<Run> = None;
    let mut lists: Vec<Run> = Vec::new();
    // Whether the open table's last line left a quoted cell open: the lines until it
    // closes are that cell's, tabbed or not.
    let mut in_quote = false;
    let odd_quotes = |text: &str| text.bytes().filter(|&b| b == b'"').count() % 2 == 1;
    // As the delimited reader has it, a quote opens a cell only at the cell's start
    // (`12" display` is text): a tabbed line leaves a cell open when its last cell
    // starts with a quote that it does not close.
    let leaves_open = |line: &str| {
        let last = line.rsplit('\t').next().unwrap_or_default().trim_start();
        last.starts_with('"') && odd_quotes(last)
    };
    for (i, raw) in lines.iter().enumerate() {
        if in_quote && let Some((_, last, _)) = &mut table {
            *last = i;
            in_quote ^= odd_quotes(raw);
            continue;
        }
        if raw.contains('\t') {
            if let Some((_, last, _)) = &mut table {
                *last = i;
                in_quote = leaves_open(raw);
                continue;
            }
            let cells: Vec<String> = raw.split('\t').map(str::to_owned).collect();
            let fuzzy = i < FUZZY_HEADER_ROWS;
            match &mut table {
                Some(_) => {}
                None if opens_table(
                    &GridRow::data(i + 1, cells.clone()),
                    &options.map,
                    fuzzy,
                    Some(i) == first_filled,
                ) =>
                {
                    let header: Vec<String> = cells
                        .iter()
                        .map(|c| strip_html(c).into_owned())
                        .filter(|c| !c.is_empty())
                        .collect();
                    table = Some((i, i, header.join(" | ")));
                    in_quote = leaves_open(raw);
                }
                None => {}
            }
            continue;
        }
        let Some(line) = &classified[i] else { continue };
        match line {
            Line::Recommendation { number, label, text } => {
                let number = number.as_deref().and_then(|n| n.parse::<u64>().ok());
                let continues = run.as_ref().is_some_and(|r| match (r.number, number) {
                    (Some(before), Some(now)) => before.checked_add(1) == Some(now),
                    _ => true,
                });
                if !continues && let Some(done) = run.take() {
                    lists.push(done);
                }
                let r = run.get_or_insert_with(|| Run {
                    first: i,
                    last: i,
                    number: None,
                    gap: 0,
                    texts: Vec::new(),
                    labelled: false,
                    that: 0,
                });
                r.last = i;
                r.gap = 0;
                r.number = number.or(r.number.and_then(|n| n.checked_add(1)));
                r.labelled |= label.is_some();
                r.that += usize::from(text.starts_with("That ") || text.starts_with("that "));
                r.texts.push(normalised(text));
            }
            Line::SubItem { .. } => {
                if let Some(r) = &mut run {
                    r.last = i;
                    r.gap = 0;
                }
            }
            Line::Heading(t) | Line::Text(t) => {
                let Some(r) = &mut run else { continue };
                let bulleted = ["- ", "* ", "• "].iter().any(|b| raw.trim_start().starts_with(b));
                let wrapped = t.starts_with(|c: char| c.is_lowercase());
                if wrapped || bulleted {
                    r.last = i;
                } else if (matches!(line, Line::Heading(_)) || is_heading_like(t)) && next_is_rec(i)
                {
                    // A heading grouping the items below it.
                } else {
                    r.gap += 1;
                    if r.gap > LIST_GAP
                        && let Some(done) = run.take()
                    {
                        lists.push(done);
                    }
                }
            }
        }
    }
    lists.extend(run);
    let mut tables: Vec<(usize, usize, String)> = table.into_iter().collect();

    // The lists that read as plans, each with its introducing line.
    let mut plan_lists: Vec<(usize, Run)> = Vec::new();
    for list in lists {
        let intro = (0..list.first).rev().find(|&j| classified[j].is_some());
        let intro_text = intro.map(|j| unmark(lines[j]).0.to_lowercase()).unwrap_or_default();
        let introduced = ["recommend", "resolved", "resolution", "agreed"]
            .iter()
            .any(|w| intro_text.contains(w));
        let is_plan = list.texts.len() >= 2
            && (list.labelled || list.that * 2 >= list.texts.len() || introduced);
        if !is_plan {
            continue;
        }
        let intro_is_part = intro.filter(|&j| {
            let (t, heading) = unmark(lines[j]);
            !lines[j].contains('\t')
                && (heading
                    || introduced
                    || is_heading_like(&t)
                    || t.ends_with(':')
                    || t.ends_with(":-"))
        });
        plan_lists.push((intro_is_part.unwrap_or(list.first), list));
    }

    // A table ends at its last tabbed line before the next list.
    if let Some((start, last, header)) = tables.pop() {
        let next_list = plan_lists.iter().map(|(s, _)| *s).find(|&s| s > start);
        let last = match next_list {
            Some(s) if s <= last => {
                (start..s).rev().find(|&j| lines[j].contains('\t')).unwrap_or(start)
            }
            _ => last,
        };
        tables.push((start, last, header));
    }

    for (start, last, header) in tables {
        found.push(Found {
            first: start + 1,
            last: last + 1,
            kind: PlanKind::Table,
            what: format!("a table: {header}"),
            headings: Vec::new(),
            copies: Vec::new(),
        });
    }
    // The item texts of each list taken, looked up once per item of a later list;
    // and which lists taken hold each text. A later list can only be a copy of a
    // list holding its rarest item, so only those are compared: comparing every
    // list taken cost the square of the number of lists when they share an item.
    let mut taken_lists: Vec<(usize, HashSet<String>)> = Vec::new();
    let mut holding: HashMap<String, Vec<usize>> = HashMap::new();
    for (start, list) in plan_lists {
        let rarest = list
            .texts
            .iter()
            .map(|t| holding.get(t).map_or(&[][..], Vec::as_slice))
            .min_by_key(|held| held.len());
        let holds_all =
            |(_, texts): &&(usize, HashSet<String>)| list.texts.iter().all(|t| texts.contains(t));
        let copy_of = match rarest {
            Some(held) => held.iter().filter_map(|&i| taken_lists.get(i)).find(holds_all),
            None => taken_lists.first(),
        };
        if let Some((at, _)) = copy_of {
            if let Some(original) = found.get_mut(*at) {
                original.copies.push((start + 1, list.last + 1));
            }
            continue;
        }
        let texts: HashSet<String> = list.texts.iter().cloned().collect();
        for text in &texts {
            holding.entry(text.clone()).or_default().push(taken_lists.len());
        }
        taken_lists.push((found.len(), texts));
        found.push(Found {
            first: start + 1,
            last: list.last + 1,
            kind: PlanKind::List,
            what: format!("a list of {} items", list.texts.len()),
            headings: Vec::new(),
            copies: Vec::new(),
        });
    }
    found.sort_by_key(|f| f.first);
    // Headings for `--section`: those between the previous plan and the end of this.
    // Plans may overlap (a table's tabbed lines inside a list), so the range never
    // runs backwards.
    let mut from = 0;
    for plan in &mut found {
        plan.headings = lines[from.min(plan.last)..plan.last]
            .iter()
            .filter(|l| !l.contains('\t'))
            .map(|l| unmark(l))
            .filter(|(t, heading)| *heading || is_heading_like(t))
            .map(|(t, _)| t)
            .collect();
        from = from.max(plan.last);
    }
    found
}

/// Whether `raw` reads as a paper's title: a heading or a line in capitals, of two
/// words or more, with no digit (not a date or a numbered section); with `plain`, any
/// line of three words or more that is not a sentence.
pub(crate) fn is_title(raw: &str, plain: bool) -> Option<String> {
    if raw.contains('\t') {
        return None;
    }
    let (t, heading) = unmark(raw);
    let n_words = t.split_whitespace().count();
    let letters = t.chars().any(char::is_alphabetic);
    let ok = letters
        && !t.chars().any(|c| c.is_ascii_digit())
        && !t.ends_with(['.', ':', ',', ';', '-', '?'])
        && !t.starts_with(['(', '['])
        && t.starts_with(char::is_uppercase)
        && if plain {
            (3..=25).contains(&n_words)
        } else {
            (2..=15).contains(&n_words)
                && (heading || t.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase))
        };
    ok.then_some(t)
}

/// The index of the nearest line above line `first` that is a heading-like title
/// ([`is_title`]), where the plan's own part of the paper starts.
fn title_line_above(lines: &[&str], first: usize) -> Option<usize> {
    let above = &lines[..first.saturating_sub(1).min(lines.len())];
    above.iter().rposition(|l| is_title(l, false).is_some())
}

/// The title of the plan starting at `first` (1-based): the nearest heading above
/// it, else the first title-like line of the paper.
fn title_above(lines: &[&str], first: usize) -> Option<String> {
    let above = &lines[..first.saturating_sub(1).min(lines.len())];
    above
        .iter()
        .rev()
        .find_map(|l| is_title(l, false))
        .or_else(|| above.iter().find_map(|l| is_title(l, true)))
}

fn range(first: usize, last: usize) -> String {
    if first == last { format!("{first}") } else { format!("{first}–{last}") }
}

fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn describe(plans: &[Found]) -> String {
    let mut out = String::new();
    for (n, plan) in plans.iter().enumerate() {
        let sep = if n == 0 { "" } else { "; " };
        let _ =
            write!(out, "{sep}{}. lines {}, {}", n + 1, range(plan.first, plan.last), plan.what);
    }
    out
}

/// The plan of a paper to read, when the source is a paper; `None` when it is a
/// plan alone (at most a few lines of title around one plan) and is read whole.
///
/// # Errors
/// [`ImportError::NoSuchPlan`] when [`ImportOptions::plan`] or
/// [`ImportOptions::section`] names no plan of the source.
pub(crate) fn take(
    text: &str,
    kinds: &[PlanKind],
    options: &ImportOptions,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Option<Taken>, ImportError> {
    let lines: Vec<&str> = text.lines().collect();
    let plans: Vec<Found> =
        find(&lines, options).into_iter().filter(|p| kinds.contains(&p.kind)).collect();
    let asked = options.plan.is_some() || options.section.is_some();
    let chosen = if let Some(n) = options.plan {
        plans.get(n.get() - 1).map(|p| (n.get() - 1, p))
    } else if let Some(section) = &options.section {
        let wanted = section.to_lowercase();
        plans
            .iter()
            .enumerate()
            .find(|(_, p)| p.headings.iter().any(|h| h.to_lowercase().contains(&wanted)))
    } else {
        // A table before a list: a report's own recommendations (to approve the plan)
        // come before the plan they recommend.
        let first_table = plans.iter().position(|p| p.kind == PlanKind::Table);
        let index = first_table.unwrap_or(0);
        plans.get(index).map(|p| (index, p))
    };
    let Some((index, plan)) = chosen else {
        if asked {
            let asked = match (&options.plan, &options.section) {
                (Some(n), _) => format!("number {n}"),
                (None, Some(s)) => format!("under a heading {s:?}"),
                (None, None) => String::new(),
            };
            let found = if plans.is_empty() { "none".to_owned() } else { describe(&plans) };
            return Err(ImportError::NoSuchPlan { asked, found });
        }
        return Ok(None);
    };
    let nonblank = |range: &[&str]| range.iter().filter(|l| !l.trim().is_empty()).count();
    let outside = nonblank(&lines[..plan.first - 1]) + nonblank(&lines[plan.last..]);
    if plans.len() == 1 && plan.copies.is_empty() && outside <= PREAMBLE_LINES && !asked {
        return Ok(None);
    }

    let mut skipped = Vec::new();
    if plan.first > 1 {
        skipped.push(range(1, plan.first - 1));
    }
    let end = lines.iter().rposition(|l| !l.trim().is_empty()).map_or(0, |i| i + 1);
    if end > plan.last {
        skipped.push(range(plan.last + 1, end));
    }
    let mut message = format!("took lines {} ({})", range(plan.first, plan.last), plan.what);
    if skipped.is_empty() {
        message.push_str("; skipped nothing");
    } else {
        let _ = write!(message, "; skipped lines {}", and_list(&skipped));
    }
    if !plan.copies.is_empty() {
        let copies: Vec<String> = plan.copies.iter().map(|&(a, b)| range(a, b)).collect();
        let _ = write!(message, " (lines {} repeat the list)", and_list(&copies));
    }
    diagnostics.push(Diagnostic::info(DiagnosticCode::PaperExtract, message).at_row(plan.first));
    if plans.len() > 1 {
        diagnostics.push(Diagnostic::info(
            DiagnosticCode::PaperPlans,
            format!(
                "the source holds {} plans: {}; this is plan {}: choose another with --plan N \
                 or --section HEADING",
                plans.len(),
                describe(&plans),
                index + 1
            ),
        ));
    }

    let mut out = String::with_capacity(text.len());
    for (i, line) in lines.iter().enumerate() {
        if i + 1 >= plan.first && i < plan.last {
            out.push_str(line);
        }
        out.push('\n');
    }
    let above: Vec<(usize, String)> =
        lines[..plan.first - 1].iter().enumerate().map(|(i, l)| (i + 1, (*l).to_owned())).collect();
    let date = crate::reported::paper_date(&above);
    let people = match plan.kind {
        PlanKind::Table => {
            let from = title_line_above(&lines, plan.first).unwrap_or(0);
            crate::people::named_above(&above[from.min(above.len())..])
        }
        PlanKind::List => Vec::new(),
    };
    let title = title_above(&lines, plan.first);
    Ok(Some(Taken { text: out, kind: plan.kind, title, date, people }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_headings_without_dates() {
        assert_eq!(
            is_title("# **Child Sexual Exploitation Multi Agency Strategy**", false).as_deref(),
            Some("Child Sexual Exploitation Multi Agency Strategy")
        );
        assert_eq!(is_title("## **March 2015 – March 2017**", false), None);
        assert_eq!(is_title("### **(Draft)**", false), None);
        assert_eq!(is_title("## **Timetable**", false), None);
        assert_eq!(
            is_title("BE-WISE TO CHILD SEXUAL EXPLOITATION", false).as_deref(),
            Some("BE-WISE TO CHILD SEXUAL EXPLOITATION")
        );
        assert_eq!(is_title("Report of the Executive Director, People", false), None);
        assert_eq!(is_title("Minutes:", true), None);
    }

    #[test]
    fn a_list_repeated_later_is_one_plan() {
        let text = "## Recommendations\n1. That a\n2. That b\n\nText.\nMore.\nYet more.\n\
                    RECOMMENDATIONS\n1. That a\n2. That b\n";
        let lines: Vec<&str> = text.lines().collect();
        let plans = find(&lines, &ImportOptions::default());
        assert_eq!(plans.len(), 1);
        assert_eq!((plans[0].first, plans[0].last), (1, 3));
        assert_eq!(plans[0].copies, [(8, 10)]);
    }
}
