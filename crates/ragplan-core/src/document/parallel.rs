//! A large plan document read on two threads: its top level is read once, keeping
//! each objective's text as it stands in the document, then the objectives are read
//! from their texts, half on each thread. The plan is the one a single reading gives;
//! a document this way cannot read is left to that reading, which names the first
//! problem's JSON path.

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
    if text.len() < PARALLEL_BYTES
        || std::thread::available_parallelism().map_or(1, std::num::NonZero::get) < 2
    {
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
