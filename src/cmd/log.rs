//! `ragplan log`: a node's story — its edits, updates, overrides and withdrawals — in
//! date order.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use ragplan_core::{Event, Key, Story, uk_date};

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
said); a key that names no action may name an objective or sub-objective, whose
overrides are shown.

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
    let text = if args.format == "json" {
        ragplan_core::document::to_canonical_json(&story)
    } else {
        story_text(&story)
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
                .map(|c| format!("{} {} → {}", c.field, shown(&c.before), shown(&c.after)))
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
