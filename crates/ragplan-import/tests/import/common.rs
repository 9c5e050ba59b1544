//! Helpers shared by the tests: fixture files and the lossless check.

use std::collections::HashMap;
use std::path::PathBuf;

use ragplan_import::Imported;

/// The repository root.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A fixture of `tests/fixtures/import/`, or the bundled example plan.
pub fn fixture(name: &str) -> Vec<u8> {
    let path = if name == "coventry-cse-delivery-plan.tsv" {
        repo_root().join("examples/plans").join(name)
    } else {
        repo_root().join("tests/fixtures/import").join(name)
    };
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn count(words: impl Iterator<Item = String>) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for w in words {
        *counts.entry(w).or_insert(0) += 1;
    }
    counts
}

/// The JSON's strings, and its numbers as JSON writes them (a target of `85%` is the
/// number `85.0`).
fn json_strings(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Number(n) => out.push(n.to_string()),
        serde_json::Value::Array(items) => items.iter().for_each(|v| json_strings(v, out)),
        serde_json::Value::Object(map) => map.values().for_each(|v| json_strings(v, out)),
        _ => {}
    }
}

/// The words of the source `cells` (by [`own_words`]) that the plan does not hold as
/// often as the cells do: in its JSON strings and numbers, or as the end of a node's
/// key (a list label). Diagnostics do not count. What may go is what
/// [`words_not_in_their_nodes`] allows, which also checks each word's node. Empty when
/// nothing was lost.
pub fn lost_words<'a>(cells: impl Iterator<Item = &'a str>, imported: &Imported) -> Vec<String> {
    let rows: Vec<(usize, Vec<&str>)> = cells.map(|c| (0, vec![c])).collect();
    let mut lost = words_lost(&rows, imported, false);
    lost.retain(|l| !l.starts_with("row "));
    lost
}
/// The diagnostics as the binary prints them, each followed by its quoted text.
pub fn diagnostics_report(imported: &Imported) -> String {
    imported
        .diagnostics
        .iter()
        .map(|d| match &d.text {
            Some(t) => format!("{d}\n    {t:?}"),
            None => d.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The words of `text` by this check's own rule, not the importer's: markup tags
/// (`<b>`, `</td>`) and entities (`&amp;`) taken out, then each run of letters and
/// digits, lower-cased.
pub fn own_words(text: &str) -> Vec<String> {
    let mut plain = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let tag = (c == '<')
            .then(|| rest.find('>'))
            .flatten()
            .filter(|&end| {
                let inner = rest[1..end].trim_start_matches('/');
                inner.starts_with(|c: char| c.is_ascii_alphabetic()) && !inner.contains('<')
            })
            .or_else(|| {
                (c == '&').then(|| rest.find(';')).flatten().filter(|&end| {
                    end > 1
                        && end <= 8
                        && rest[1..end].chars().all(|c| c.is_ascii_alphanumeric() || c == '#')
                })
            });
        match tag {
            Some(end) => {
                plain.push(' ');
                rest = &rest[end + 1..];
            }
            None => {
                plain.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    plain
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The rows of a tab-separated source (a table, or a paper's lines, one cell each),
/// numbered from 1, from line `first` to line `last`.
pub fn tsv_rows(text: &str, first: usize, last: usize) -> Vec<(usize, Vec<&str>)> {
    text.lines()
        .enumerate()
        .map(|(i, line)| (i + 1, line.split('\t').collect()))
        .filter(|(n, _)| (first..=last).contains(n))
        .collect()
}

/// A node of the plan's JSON as this check sees it: its key (`None` for the plan),
/// its own words (children left out), and how many names its largest field of owners
/// or partners holds.
struct NodeWords {
    key: Option<String>,
    words: HashMap<String, usize>,
    owners: usize,
}

fn node_words(node: &serde_json::Value, key: Option<String>, out: &mut Vec<NodeWords>) {
    let Some(map) = node.as_object() else { return };
    let mut strings = Vec::new();
    for (field, value) in map {
        if !["objectives", "sub_objectives", "actions"].contains(&field.as_str()) {
            json_strings(value, &mut strings);
        }
    }
    let owners = ["accountable", "responsible", "partners"]
        .iter()
        .filter_map(|f| map.get(*f).and_then(|v| v.as_array()).map(Vec::len))
        .max()
        .unwrap_or(0);
    out.push(NodeWords { key, words: count(strings.iter().flat_map(|s| own_words(s))), owners });
    for children in ["objectives", "sub_objectives", "actions"] {
        for child in map.get(children).and_then(|v| v.as_array()).into_iter().flatten() {
            let key = child.get("key").and_then(|k| k.as_str()).map(str::to_owned);
            node_words(child, key, out);
        }
    }
}

/// Whether `cell` is a page marker by this check's rule: `Page 15`, `15`.
fn is_page_marker(cell: &str) -> bool {
    let t = cell.trim().to_lowercase();
    let digits = t.strip_prefix("page").unwrap_or(&t).trim();
    (1..=4).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit())
}

/// The words of the source `rows` that are not where the importer says their row
/// went ([`Imported::rows`]): each word of a row must be in the nodes its row gave
/// words to (a field, a note, a measure, the node's key), as often as the row has
/// it, and every word of the rows must be in the plan as often as the rows have it.
/// Diagnostics do not count. Only these may go: a row's words of the table's
/// header (a repeated header row, a header word inside a cell, a Markdown table's
/// header), a page marker's cell, and "and" between two owners or partners of an
/// action. Empty when nothing was lost.
pub fn words_not_in_their_nodes(rows: &[(usize, Vec<&str>)], imported: &Imported) -> Vec<String> {
    words_lost(rows, imported, true)
}

/// The check of [`words_not_in_their_nodes`], each row's words in their nodes only
/// when `by_row`; otherwise the whole plan is every row's node.
fn words_lost(rows: &[(usize, Vec<&str>)], imported: &Imported, by_row: bool) -> Vec<String> {
    let json: serde_json::Value =
        serde_json::from_str(&imported.plan.to_json()).unwrap_or(serde_json::Value::Null);
    let mut nodes = Vec::new();
    node_words(&json, None, &mut nodes);
    let by_key: HashMap<Option<&str>, &NodeWords> =
        nodes.iter().map(|n| (n.key.as_deref(), n)).collect();
    let mut header = Vec::new();
    if let Some(layout) = json.pointer("/metadata/import.layout") {
        json_strings(layout, &mut header);
    }
    // A Markdown table's header: the line above its rule (`|---|:-:|`).
    for (_, cells) in rows {
        let lines: Vec<&str> = cells.iter().flat_map(|c| c.lines()).collect();
        for pair in lines.windows(2) {
            let rule = pair[1].trim();
            if rule.contains("--") && rule.chars().all(|c| "-|: ".contains(c)) {
                header.push(pair[0].to_owned());
            }
        }
    }
    let header: Vec<String> = header.iter().flat_map(|h| own_words(h)).collect();
    let mut plan_words: HashMap<String, usize> = HashMap::new();
    for node in &nodes {
        for (w, n) in &node.words {
            *plan_words.entry(w.clone()).or_insert(0) += n;
        }
    }

    let mut lost = Vec::new();
    let mut all_rows: HashMap<String, usize> = HashMap::new();
    // The cells each node was given, by row: the same text given to the same node
    // again (a sub-objective written on each of its rows) is kept once, so the
    // plan-wide count takes it once.
    let mut given: HashMap<Option<&str>, Vec<&str>> = HashMap::new();
    for (line, cells) in rows {
        let targets: Vec<&NodeWords> = if by_row {
            imported
                .rows
                .iter()
                .filter(|r| r.row == *line)
                .filter_map(|r| by_key.get(&r.key.as_ref().map(|k| k.as_str())).copied())
                .collect()
        } else {
            nodes.iter().collect()
        };
        let mut repeats: HashMap<String, usize> = HashMap::new();
        for cell in cells.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
            let again = by_row
                && targets.iter().any(|t| {
                    given.get(&t.key.as_deref()).is_some_and(|cells| cells.contains(&cell))
                });
            if again {
                for w in own_words(cell) {
                    *repeats.entry(w).or_insert(0) += 1;
                }
            }
        }
        if by_row {
            for t in &targets {
                given.entry(t.key.as_deref()).or_default().extend(cells.iter().map(|c| c.trim()));
            }
        }
        let owners = targets.iter().map(|t| t.owners).max().unwrap_or(0);
        let words = count(
            cells
                .iter()
                .filter(|c| !is_page_marker(c))
                .flat_map(|c| own_words(c))
                .filter(|w| !(header.contains(w) || (w == "and" && owners >= 2))),
        );
        for (w, n) in &words {
            // A list label (`6a.`, `3.`) is kept as the end of its node's key, which
            // accounts for one of the row's copies of the word.
            let keyed = targets
                .iter()
                .any(|t| t.key.as_ref().is_some_and(|k| k.to_lowercase().ends_with(w.as_str())));
            let n = n - usize::from(keyed);
            *all_rows.entry(w.clone()).or_insert(0) +=
                n.saturating_sub(repeats.get(w).copied().unwrap_or(0));
            let kept: usize = targets.iter().map(|t| t.words.get(w).copied().unwrap_or(0)).sum();
            if kept < n {
                let keys: Vec<&str> =
                    targets.iter().map(|t| t.key.as_deref().unwrap_or("the plan")).collect();
                lost.push(format!("row {line}: {w} ×{n}, kept {kept} in {keys:?}"));
            }
        }
    }
    for (w, n) in all_rows {
        let kept = plan_words.get(&w).copied().unwrap_or(0);
        if kept < n {
            lost.push(format!("{w} ×{n} in the rows, kept {kept} in the plan"));
        }
    }
    lost.sort();
    lost
}
