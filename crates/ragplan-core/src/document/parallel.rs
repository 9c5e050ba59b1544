//! A large plan document read and written on two threads.
//!
//! Read: its top level is read once, keeping each objective's text as it stands in
//! the document, then the objectives are read from their texts, half on each thread.
//! The plan is the one a single reading gives; a document this way cannot read is
//! left to that reading, which names the first problem's JSON path.
//!
//! Written: the objectives are laid out by two threads, a block at a time, each
//! block written in its turn inside the rest of the document, laid out as usual. The
//! bytes are those of one thread's writing.

use std::io;

use serde::Deserialize;
use serde::de::{MapAccess, Visitor};
use serde_json::value::RawValue;

use crate::plan::{Objective, Plan};

/// Below this many bytes a document is read by one thread: starting a second costs
/// more than it saves.
const PARALLEL_BYTES: usize = 8 << 20;

/// The plan in `text`, read on two threads; `None` when the document is small, the
/// machine has one core, or anything in the document fails to read (the caller then
/// reads it whole, for the error).
pub(super) fn plan(text: &str) -> Option<Plan> {
    if text.len() < PARALLEL_BYTES || !crate::blocks::two_cores() {
        return None;
    }
    let top: TopLevel<'_> = serde_json::from_str(text).ok()?;
    let objectives = top.objectives?;
    // The rest of the top level, in its order, as a document of its own: the plan
    // without its objectives, every field checked as the whole reading checks it.
    let mut rest = String::from("{");
    for (i, (key, value)) in top.rest.iter().enumerate() {
        if i > 0 {
            rest.push(',');
        }
        rest.push_str(&serde_json::to_string(key).ok()?);
        rest.push(':');
        rest.push_str(value.get());
    }
    rest.push('}');
    let mut plan: Plan = serde_json::from_str(&rest).ok()?;
    // Split where half the objectives' text has gone by.
    let total: usize = objectives.iter().map(|o| o.get().len()).sum();
    let mut seen = 0;
    let split = objectives
        .iter()
        .position(|o| {
            seen += o.get().len();
            seen * 2 >= total
        })
        .map_or(objectives.len(), |i| i + 1);
    let (first, second) = objectives.split_at(split);
    let read = |texts: &[&RawValue]| -> Option<Vec<Objective>> {
        texts.iter().map(|o| serde_json::from_str(o.get()).ok()).collect()
    };
    let (first, second) = std::thread::scope(|scope| {
        let second = scope.spawn(|| read(second));
        (read(first), second.join().ok().flatten())
    });
    let (mut first, mut second) = (first?, second?);
    let mut all = Vec::with_capacity(first.len() + second.len());
    all.append(&mut first);
    all.append(&mut second);
    plan.objectives = all;
    Some(plan)
}

/// At least this many actions for a plan to be written on two threads.
const PARALLEL_ACTIONS: usize = 20_000;

/// About this many actions' objectives are laid out at a time.
const BLOCK_ACTIONS: usize = 2_048;

/// Whether a document of `plan` (the plan's or its assessment's) is written by two
/// threads: a plan of at least [`PARALLEL_ACTIONS`] actions in four objectives or
/// more, on a machine of two cores or more.
pub(super) fn worth_two_threads(plan: &Plan) -> bool {
    plan.n_actions() >= PARALLEL_ACTIONS && plan.objectives.len() >= 4 && crate::blocks::two_cores()
}

/// Writes the canonical document of `plan` to `out`, with its final newline.
pub(super) fn write_plan<W: io::Write>(plan: &Plan, out: &mut W) -> io::Result<()> {
    if !worth_two_threads(plan) {
        super::pretty::to_writer(&mut *out, plan)?;
        return out.write_all(b"\n");
    }
    // The document with one objective standing for them all, whose place the laid
    // out objectives take: in the canonical layout the plan's `objectives` opens on
    // a line of its own at depth 1, and its list ends at the first line below that
    // is two spaces and `]` (every line inside is indented further).
    let frame = super::to_canonical_json(&frame_of(plan));
    let opening = "\n  \"objectives\": [";
    let start = frame.find(opening).map(|i| i + opening.len());
    let end = start.and_then(|start| frame[start..].find("\n  ]").map(|i| start + i));
    let (Some(start), Some(end)) = (start, end) else {
        // Not the layout above: written on one thread.
        super::pretty::to_writer(&mut *out, plan)?;
        return out.write_all(b"\n");
    };
    let blocks = blocks_of(&plan.objectives);
    out.write_all(&frame.as_bytes()[..start])?;
    crate::blocks::make_in_order(
        blocks.len(),
        |b, text: &mut Vec<u8>| lay_out(&plan.objectives, blocks[b].clone(), text),
        |text| out.write_all(text),
    )?;
    // The rest of the frame, its final newline included.
    out.write_all(&frame.as_bytes()[end..])
}

/// The plan without its objectives but one, empty, to mark their place.
fn frame_of(plan: &Plan) -> Plan {
    let Plan {
        format,
        id,
        title,
        owner_body,
        period,
        scale,
        reported_on,
        overrides,
        strands,
        tags,
        objectives,
        metadata,
        edits,
    } = plan;
    let key = objectives
        .first()
        .map(|o| o.key.clone())
        .unwrap_or_else(|| crate::Key::positional(None, 0));
    Plan {
        format: *format,
        id: id.clone(),
        title: title.clone(),
        owner_body: owner_body.clone(),
        period: period.clone(),
        scale: *scale,
        reported_on: *reported_on,
        overrides: overrides.clone(),
        strands: strands.clone(),
        tags: tags.clone(),
        objectives: vec![Objective::new(key, "")],
        metadata: metadata.clone(),
        edits: edits.clone(),
    }
}

/// The objectives in runs of about [`BLOCK_ACTIONS`] actions, in order.
pub(super) fn blocks_of(objectives: &[Objective]) -> Vec<std::ops::Range<usize>> {
    let mut blocks = Vec::new();
    let (mut start, mut actions) = (0, 0);
    for (i, objective) in objectives.iter().enumerate() {
        actions += objective.actions.len()
            + objective.sub_objectives.iter().map(|s| s.actions.len() + 1).sum::<usize>()
            + 1;
        if actions >= BLOCK_ACTIONS {
            blocks.push(start..i + 1);
            (start, actions) = (i + 1, 0);
        }
    }
    if start < objectives.len() {
        blocks.push(start..objectives.len());
    }
    blocks
}

/// The objectives in `range` as they stand in the document's list, each after its
/// line break and indent (and the comma before every one but the first).
fn lay_out(
    objectives: &[Objective],
    range: std::ops::Range<usize>,
    text: &mut Vec<u8>,
) -> io::Result<()> {
    for i in range {
        text.extend_from_slice(if i == 0 { b"\n    " } else { b",\n    " });
        super::pretty::to_writer_at(&mut *text, &objectives[i], 2)?;
    }
    Ok(())
}

/// A plan document's top level: each objective's text, and every other field's.
struct TopLevel<'a> {
    /// The objectives' texts; `None` when there is no `objectives` field.
    objectives: Option<Vec<&'a RawValue>>,
    /// Every other field, in order.
    rest: Vec<(String, &'a RawValue)>,
}

impl<'de> Deserialize<'de> for TopLevel<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Fields;
        impl<'de> Visitor<'de> for Fields {
            type Value = TopLevel<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a plan document")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<TopLevel<'de>, A::Error> {
                let mut top = TopLevel { objectives: None, rest: Vec::new() };
                while let Some(key) = map.next_key::<String>()? {
                    if key != "objectives" {
                        top.rest.push((key, map.next_value()?));
                    } else if top.objectives.is_some() {
                        return Err(serde::de::Error::duplicate_field("objectives"));
                    } else {
                        top.objectives = Some(map.next_value()?);
                    }
                }
                Ok(top)
            }
        }
        d.deserialize_map(Fields)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The document of a plan of `n` actions in 40 objectives.
    fn big_plan(n: usize) -> String {
        crate::generate::synthetic_plan(n, 40, 7).to_json()
    }

    #[test]
    fn two_threads_read_the_plan_one_reads() {
        let text = big_plan(20_000);
        assert!(text.len() >= PARALLEL_BYTES, "{} bytes", text.len());
        let both = plan(&text).expect("read on two threads");
        let one: Plan = serde_json::from_str(&text).unwrap();
        assert_eq!(both, one);
        assert_eq!(both.to_json(), text);
    }

    #[test]
    fn two_threads_write_the_document_one_writes() {
        let mut plan = crate::generate::synthetic_plan(30_000, 40, 11);
        plan.metadata.insert("import.source".into(), "plan.tsv".into());
        plan.tags = vec!["west-midlands".into()];
        let one = super::super::to_canonical_json(&plan);
        let mut two = Vec::new();
        write_plan(&plan, &mut two).unwrap();
        assert!(blocks_of(&plan.objectives).len() > 4);
        // Compared without printing a 30,000-action document on failure.
        let two = String::from_utf8(two).unwrap();
        let at = two.bytes().zip(one.bytes()).position(|(a, b)| a != b);
        assert_eq!((at, two.len()), (None, one.len()), "first difference, length");
        // A plan whose one objective holds every action is written by one thread.
        let mut single = Plan::new(plan.id.clone(), "one objective");
        let mut objective = plan.objectives[0].clone();
        for o in &plan.objectives[1..] {
            objective.sub_objectives.extend(o.sub_objectives.iter().cloned());
            objective.actions.extend(o.actions.iter().cloned());
        }
        single.objectives.push(objective);
        let mut written = Vec::new();
        write_plan(&single, &mut written).unwrap();
        assert!(String::from_utf8(written).unwrap() == super::super::to_canonical_json(&single));
    }

    #[test]
    fn a_document_that_does_not_read_is_left_to_the_whole_reading() {
        let text = big_plan(20_000);
        // An unknown field inside the last objective, one at the top, a repeated
        // `objectives`, objectives that are not a list.
        let at = text.rfind("\"title\"").unwrap();
        let inner = format!("{}\"colour\": \"red\", {}", &text[..at], &text[at..]);
        let top = text.replacen('{', "{\"colour\": \"red\", ", 1);
        let twice = text.replacen('{', "{\"objectives\": [], ", 1);
        let null = text.replacen("\"objectives\": [", "\"objectives\": null, \"x\": [", 1);
        for bad in [inner, top, twice, null] {
            assert!(plan(&bad).is_none());
            assert!(Plan::from_json(&bad).is_err());
        }
    }
}
