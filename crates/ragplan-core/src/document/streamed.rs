//! The `ragplan-assessment/2` document written as the plan is walked, one node at a
//! time, instead of built whole and then serialised: a 1,000,000-action plan's
//! document is written in the memory of one node.

use std::cell::RefCell;
use std::io;
use std::iter::Peekable;

use serde::ser::{SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};

use crate::document::{AssessmentFormat, DimensionDocument, NodeDocument, PlanRef};
use crate::engine::{NodeRating, Ratings};
use crate::vocab::Dimension;
use crate::walk::Node;

/// How a JSON document is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum JsonStyle {
    /// Two-space indents, one value a line: the canonical form ragplan writes plan
    /// documents in.
    #[default]
    Pretty,
    /// No whitespace between tokens: the smallest document, for another program.
    Compact,
}

/// Writes the `ragplan-assessment/2` document of `ratings` to `out`, followed by a
/// newline, node by node as the plan is walked. The bytes are those of
/// [`AssessmentDocument::from`](crate::document::AssessmentDocument) serialised in
/// the same `style` ([`AssessmentDocument::to_json`] for
/// [`JsonStyle::Pretty`]); no more than one node's document is held at a time. A
/// plan of 20,000 actions or more in four objectives or more has its objectives'
/// nodes written by two threads (scoped, joined before this returns), each a run of
/// objectives of about 2,048 actions at a time, on a machine of two cores or more.
///
/// `out` is written in many small pieces: give it a buffered writer.
///
/// # Errors
/// When `out` cannot be written.
///
/// [`AssessmentDocument::to_json`]: crate::document::AssessmentDocument::to_json
pub fn write_assessment<W: io::Write>(
    ratings: &Ratings<'_>,
    mut out: W,
    style: JsonStyle,
) -> io::Result<()> {
    if !super::parallel::worth_two_threads(ratings.plan()) {
        return write_json(&Streamed { ratings, whole: true }, out, style);
    }
    write_in_blocks(ratings, &mut out, style)
}

/// [`write_assessment`] of a large plan: its objectives' nodes written by two
/// threads, a run of objectives at a time ([`super::parallel::blocks_of`]), into the
/// rest of the document at their place; the lints streamed after them.
fn write_in_blocks<W: io::Write>(
    ratings: &Ratings<'_>,
    out: &mut W,
    style: JsonStyle,
) -> io::Result<()> {
    // The document with no nodes and no lints: both lists are written in their place,
    // each found as its key at the top level with an empty list (a key inside a
    // string has its quotes escaped, and no field before them has these keys).
    let mut frame = Vec::new();
    write_json(&Streamed { ratings, whole: false }, &mut frame, style)?;
    let (nodes_key, lints_key, close) = match style {
        JsonStyle::Pretty => ("\n  \"nodes\": []", "\n  \"lints\": []", "\n  ]"),
        JsonStyle::Compact => ("\"nodes\":[]", "\"lints\":[]", "]"),
    };
    let find = |key: &str, from: usize| {
        frame[from..]
            .windows(key.len())
            .position(|w| w == key.as_bytes())
            .map(|i| from + i + key.len() - 2)
    };
    let nodes_at = find(nodes_key, 0);
    let lints_at = nodes_at.and_then(|at| find(lints_key, at));
    let (Some(nodes_at), Some(lints_at)) = (nodes_at, lints_at) else {
        // Not the layout above: written on one thread.
        return write_json(&Streamed { ratings, whole: true }, out, style);
    };
    out.write_all(&frame[..nodes_at])?;
    out.write_all(b"[")?;
    let blocks = super::parallel::blocks_of(&ratings.plan().objectives);
    let mut any = false;
    crate::blocks::make_in_order(
        blocks.len(),
        |b, block: &mut Vec<u8>| {
            // The block's nodes as a list of their own, at the depth of `nodes`; its
            // brackets are left out when it is written.
            let walk = RefCell::new(ratings.nodes_of(blocks[b].clone()).peekable());
            let level = Level { walk: &walk, depth: 0 };
            match style {
                JsonStyle::Pretty => super::pretty::to_writer_at(&mut *block, &level, 1)?,
                JsonStyle::Compact => serde_json::to_writer(&mut *block, &level)?,
            }
            Ok::<(), io::Error>(())
        },
        |block| {
            let inner = block
                .strip_prefix(b"[")
                .and_then(|b| b.strip_suffix(close.as_bytes()))
                .unwrap_or_default();
            if !inner.is_empty() {
                if any {
                    out.write_all(b",")?;
                }
                out.write_all(inner)?;
                any = true;
            }
            Ok(())
        },
    )?;
    out.write_all(if any { close.as_bytes() } else { b"]" })?;
    out.write_all(&frame[nodes_at + 2..lints_at])?;
    match style {
        JsonStyle::Pretty => super::pretty::to_writer_at(&mut *out, &Lints { ratings }, 1)?,
        JsonStyle::Compact => serde_json::to_writer(&mut *out, &Lints { ratings })?,
    }
    out.write_all(&frame[lints_at + 2..])
}

/// Writes `value` as JSON in `style` to `out`, followed by a newline.
///
/// # Errors
/// When `out` cannot be written, or `value` cannot be serialised as JSON (a map
/// with keys that are not strings).
pub fn write_json<T: Serialize + ?Sized, W: io::Write>(
    value: &T,
    mut out: W,
    style: JsonStyle,
) -> io::Result<()> {
    match style {
        JsonStyle::Pretty => crate::document::pretty::to_writer(&mut out, value)?,
        JsonStyle::Compact => serde_json::to_writer(&mut out, value)?,
    }
    out.write_all(b"\n")
}

/// The whole document, its nodes written as they are walked; with `whole` false,
/// its frame: the lists of nodes and lints empty.
struct Streamed<'r, 'a> {
    ratings: &'r Ratings<'a>,
    whole: bool,
}

impl Serialize for Streamed<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let ratings = self.ratings;
        let plan = ratings.plan();
        let whole = ratings.whole();
        let walk = RefCell::new(ratings.nodes().peekable());
        // The fields of `AssessmentDocument`, in its order.
        let mut document = s.serialize_struct("AssessmentDocument", 8)?;
        document.serialize_field("format", &AssessmentFormat)?;
        document
            .serialize_field("plan", &PlanRef { id: plan.id.clone(), title: plan.title.clone() })?;
        document.serialize_field("as_of", &ratings.as_of())?;
        document.serialize_field("policy", ratings.policy())?;
        document
            .serialize_field("delivery", &DimensionDocument::of(&whole, Dimension::Delivery))?;
        document.serialize_field("outcome", &DimensionDocument::of(&whole, Dimension::Outcome))?;
        if self.whole {
            document.serialize_field("nodes", &Level { walk: &walk, depth: 0 })?;
            document.serialize_field("lints", &Lints { ratings })?;
        } else {
            document.serialize_field("nodes", &[(); 0])?;
            document.serialize_field("lints", &[(); 0])?;
        }
        document.end()
    }
}

/// The nodes at `depth` that come next on the depth-first `walk`, each written with
/// the deeper nodes that follow it as its children (as the built document's
/// `children` gathers them).
struct Level<'w, I: Iterator> {
    walk: &'w RefCell<Peekable<I>>,
    depth: usize,
}

impl<'r, 'a: 'r, I: Iterator<Item = NodeRating<'r, 'a>>> Serialize for Level<'_, I> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        loop {
            let next = self
                .walk
                .borrow_mut()
                .next_if(|n| n.plan_node().is_some_and(|at| at.depth >= self.depth));
            let Some(node) = next else { break };
            let (Some(at), Some(doc)) = (node.plan_node(), NodeDocument::of(&node)) else {
                continue;
            };
            let has_children = match at.node {
                Node::Objective(o) => !o.actions.is_empty() || !o.sub_objectives.is_empty(),
                Node::SubObjective(sub) => !sub.actions.is_empty(),
                Node::Action(_) => false,
            };
            let children = has_children.then(|| Level { walk: self.walk, depth: self.depth + 1 });
            seq.serialize_element(&StreamedNode { doc: &doc, children })?;
        }
        seq.end()
    }
}

/// One node: its own document (written without children, which it has none of),
/// then its children as they are walked.
#[derive(Serialize)]
struct StreamedNode<'d, 'a, L> {
    #[serde(flatten)]
    doc: &'d NodeDocument<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    children: Option<L>,
}

/// What validation found, each lint written as it is read.
struct Lints<'r, 'a> {
    ratings: &'r Ratings<'a>,
}

impl Serialize for Lints<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.ratings.lints())
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::document::AssessmentDocument;
    use crate::generate::synthetic_plan;
    use crate::{Policy, rate};

    fn written(ratings: &Ratings<'_>, style: JsonStyle) -> String {
        let mut out = Vec::new();
        write_assessment(ratings, &mut out, style).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn streamed_document_is_the_built_document_byte_for_byte() {
        let plan = synthetic_plan(300, 7, 11);
        let policy = Policy::default();
        let ratings = rate(&plan, &policy, NaiveDate::from_ymd_opt(2015, 9, 30).unwrap());
        let built = AssessmentDocument::from(&ratings);
        assert_eq!(written(&ratings, JsonStyle::Pretty), built.to_json());
        let compact = format!("{}\n", serde_json::to_string(&built).unwrap());
        assert_eq!(written(&ratings, JsonStyle::Compact), compact);
    }

    /// A plan large enough to be written by two threads (20,000 actions in 40
    /// objectives) is written as the built document is, in both styles.
    #[test]
    fn two_threads_write_the_document_the_build_writes() {
        let plan = synthetic_plan(20_000, 50, 5);
        assert!(plan.objectives.len() >= 4);
        let policy = Policy::default();
        let ratings = rate(&plan, &policy, NaiveDate::from_ymd_opt(2015, 9, 30).unwrap());
        let built = AssessmentDocument::from(&ratings);
        let in_blocks = |style| {
            let mut out = Vec::new();
            write_in_blocks(&ratings, &mut out, style).unwrap();
            String::from_utf8(out).unwrap()
        };
        let pretty = in_blocks(JsonStyle::Pretty);
        assert!(pretty == built.to_json(), "the pretty documents differ");
        assert!(written(&ratings, JsonStyle::Pretty) == pretty);
        let compact = format!("{}\n", serde_json::to_string(&built).unwrap());
        assert!(in_blocks(JsonStyle::Compact) == compact, "the compact documents differ");
        // And as one thread writes it.
        let mut one = Vec::new();
        write_json(&Streamed { ratings: &ratings, whole: true }, &mut one, JsonStyle::Pretty)
            .unwrap();
        assert!(one == pretty.as_bytes());
    }

    #[test]
    fn an_empty_plan_streams_as_it_builds() {
        let plan = synthetic_plan(0, 1, 1);
        let policy = Policy::default();
        let ratings = rate(&plan, &policy, NaiveDate::from_ymd_opt(2015, 9, 30).unwrap());
        assert_eq!(
            written(&ratings, JsonStyle::Pretty),
            AssessmentDocument::from(&ratings).to_json()
        );
    }

    #[test]
    fn a_failing_writer_is_an_error() {
        struct Full;
        impl io::Write for Full {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::Error::new(io::ErrorKind::StorageFull, "disk full"))
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let plan = synthetic_plan(5, 1, 1);
        let policy = Policy::default();
        let ratings = rate(&plan, &policy, NaiveDate::from_ymd_opt(2015, 9, 30).unwrap());
        let err = write_assessment(&ratings, Full, JsonStyle::Compact).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::StorageFull);
    }
}
