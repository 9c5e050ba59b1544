//! Helpers shared by the tests: fixture files and the lossless check.

use std::collections::HashMap;
use std::path::PathBuf;

use ragplan_import::{Imported, words};

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

/// The words of the source cells that the plan's JSON strings and numbers and the
/// diagnostics' quoted text do not account for (empty when nothing was lost).
pub fn lost_words<'a>(cells: impl Iterator<Item = &'a str>, imported: &Imported) -> Vec<String> {
    let source = count(cells.flat_map(|c| words(c).collect::<Vec<_>>()));
    let json: serde_json::Value =
        serde_json::from_str(&imported.plan.to_json()).unwrap_or(serde_json::Value::Null);
    let mut strings = Vec::new();
    json_strings(&json, &mut strings);
    strings.extend(imported.diagnostics.iter().filter_map(|d| d.text.clone()));
    let kept = count(strings.iter().flat_map(|s| words(s).collect::<Vec<_>>()));
    let mut lost: Vec<String> = source
        .into_iter()
        .filter(|(w, n)| kept.get(w).copied().unwrap_or(0) < *n)
        .map(|(w, n)| format!("{w} ×{n} (kept {})", kept.get(&w).copied().unwrap_or(0)))
        .collect();
    lost.sort();
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
