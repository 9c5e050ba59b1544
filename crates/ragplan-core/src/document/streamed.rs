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
/// [`JsonStyle::Pretty`]); no more than one node's document is held at a time.
///
/// `out` is written in many small pieces: give it a buffered writer.
///
/// # Errors
/// When `out` cannot be written.
///
/// [`AssessmentDocument::to_json`]: crate::document::AssessmentDocument::to_json
pub fn write_assessment<W: io::Write>(
    ratings: &Ratings<'_>,
    out: W,
    style: JsonStyle,
) -> io::Result<()> {
    write_json(&Streamed { ratings }, out, style)
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

/// The whole document, its nodes written as they are walked.
struct Streamed<'r, 'a> {
    ratings: &'r Ratings<'a>,
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
        document.serialize_field("nodes", &Level { walk: &walk, depth: 0 })?;
        document.serialize_field("lints", &Lints { ratings })?;
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
