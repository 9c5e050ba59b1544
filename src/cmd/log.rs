//! `ragplan log`: a node's story — its edits, updates, overrides and withdrawals — in
//! date order.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use ragplan_core::{Direction, Event, Field, Key, Measure, Story, uk_date};
use serde::Deserialize as _;

use crate::{load, output};

/// Flags of `ragplan log`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  ragplan log plan.json R7.1
  ragplan log plan.json 1.2 --format json

Every edit, update, override and withdrawal logged on the node, oldest first; on one
day edits come first, then updates (each in the order logged), then overrides, then
withdrawals. KEY is
read as `ragplan update` reads it (R7 is the one action under recommendation R7, and
said, after what is logged on R7 itself, such as its measures and their readings);
a key that names no action may name an objective or sub-objective, whose edits,
measures and overrides are shown. `--format json` is the one story of the node KEY
is taken as.

Exit codes: 0 shown; 2 bad usage, a plan that cannot be read or a key no node has.")]
pub struct Args {
    /// The plan (a ragplan JSON document).
    pub plan: PathBuf,
    /// The node's key, such as R7.1 or 1.2.
    pub key: Key,
    /// text (default) or json.
    #[arg(long, value_name = "FORMAT", default_value = "text", value_parser = ["text", "json"])]
    pub format: String,
}

/// Runs `ragplan log`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let plan = load::load_plan_document(&args.plan)?;
    // An action's story first, as `update` finds it; else any node's.
    let action = plan.resolve_key(&args.key, true).is_some();
    let key = load::resolve_key(&plan, &args.key, action);
    let story = plan.story(&key).map_err(|e| anyhow::anyhow!("{}: {e}", args.plan.display()))?;
    // R5 taken as R5.1: what is logged on R5 itself (its measures) is told first.
    let parent = (key != args.key)
        .then(|| plan.story(&args.key).ok())
        .flatten()
        .filter(|s| !s.events.is_empty());
    let text = match &parent {
        _ if args.format == "json" => ragplan_core::document::to_canonical_json(&story),
        None => story_text(&story),
        Some(parent) => format!("{}\n{}", story_text(parent), story_text(&story)),
    };
    output::print_stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}

/// The story as lines a person reads: the node, then one line an event.
fn story_text(story: &Story<'_>) -> String {
    let mut out = format!("{} {}  {}\n", story.kind, story.key, story.title);
    if story.events.is_empty() {
        out.push_str("  nothing logged\n");
    }
    for event in &story.events {
        let _ = writeln!(out, "  {:<18} {}", uk_date(event.on()).to_string(), event_text(event));
    }
    out
}

fn event_text(event: &Event<'_>) -> String {
    match event {
        Event::Edit { by, changes, .. } => {
            let parts: Vec<String> = changes
                .iter()
                .map(|c| match c.field {
                    Field::Measures => measures_text(&c.before, &c.after),
                    Field::Added => match c.after["under"].as_str() {
                        Some(under) => format!("added under {under}"),
                        None => "added".to_owned(),
                    },
                    Field::Removed => {
                        let why = c.after["justification"].as_str().unwrap_or_default();
                        match c.after["with"].as_str() {
                            Some(with) => format!("removed with {with} — {why:?}"),
                            None => format!("removed — {why:?}"),
                        }
                    }
                    _ => format!("{} {} → {}", c.field, shown(&c.before), shown(&c.after)),
                })
                .collect();
            format!("edit by {by}: {}", parts.join("; "))
        }
        Event::Update(u) => {
            let mut parts: Vec<String> = Vec::new();
            parts.extend(u.delivery.map(|r| format!("delivery {}", r.label())));
            parts.extend(u.outcome.map(|r| format!("outcome {}", r.label())));
            parts.extend(u.status.map(|s| s.label().to_owned()));
            parts.extend(u.progress.map(|p| format!("{p}%")));
            parts.extend(u.note.as_ref().map(|n| format!("{n:?}")));
            parts.extend(u.evidence.as_ref().map(|e| format!("evidence {e:?}")));
            format!("update by {}: {}", u.by, parts.join("; "))
        }
        Event::Override { by, rating, justification, .. } => {
            format!("override by {by}: {} — {justification:?}", rating.label())
        }
        Event::Withdrawal { by, justification, rating, overridden_on, .. } => format!(
            "withdrawal by {by} of the override of {} as {} — {justification:?}",
            uk_date(*overridden_on),
            rating.label()
        ),
        _ => String::new(),
    }
}

/// What an edit of a parent's measures did: each measure added, with its target, and
/// each reading logged, with its value.
fn measures_text(before: &serde_json::Value, after: &serde_json::Value) -> String {
    let read = |v: &serde_json::Value| match v {
        serde_json::Value::Null => Ok(Vec::new()),
        v => Vec::<Measure>::deserialize(v),
    };
    let (Ok(before), Ok(after)) = (read(before), read(after)) else {
        return "measures changed".to_owned();
    };
    let unit = |m: &Measure| match m.unit.as_deref() {
        Some("%") => "%".to_owned(),
        Some(u) => format!(" {u}"),
        None => String::new(),
    };
    let mut parts = Vec::new();
    for m in &after {
        let Some(old) = before.iter().find(|b| b.key == m.key) else {
            let better = match m.direction {
                Direction::HigherIsBetter => "higher",
                Direction::LowerIsBetter => "lower",
            };
            parts.push(format!(
                "measure {} {:?} added: target {}{}, {better} is better, tolerance {}",
                m.key,
                m.title,
                m.target,
                unit(m),
                m.tolerance
            ));
            continue;
        };
        for r in m.readings.iter().filter(|r| !old.readings.contains(r)) {
            let note = r.note.as_ref().map(|n| format!(" ({n:?})")).unwrap_or_default();
            parts.push(format!(
                "reading of {} on {}: {}{}{note}",
                m.key,
                uk_date(r.on),
                r.value,
                unit(m)
            ));
        }
    }
    if parts.is_empty() { "measures changed".to_owned() } else { parts.join("; ") }
}

/// A field's value in a log line: text as it reads, a list of owners by name, a
/// timescale by its text, nothing as `none`.
fn shown(value: &serde_json::Value) -> String {
    use serde_json::Value;
    match value {
        Value::Null => "none".to_owned(),
        Value::String(s) if s.is_empty() => "none".to_owned(),
        Value::String(s) => format!("{s:?}"),
        Value::Array(items) if items.is_empty() => "none".to_owned(),
        Value::Array(items) => items.iter().map(shown).collect::<Vec<_>>().join(", "),
        Value::Object(map) => match map.get("name").or_else(|| map.get("text")) {
            Some(v) => shown(v),
            None => value.to_string(),
        },
        other => other.to_string(),
    }
}
