//! The `ragplan-assessment/2` JSON document: a plan's [`Ratings`] written out for
//! other systems, and read back.
//!
//! This is a wire type and a versioned promise, not a second result: it is built
//! from [`Ratings`] ([`AssessmentDocument::from`]) and nothing in ragplan reads it
//! back except [`Snapshot::from_saved_json`], which reads a saved document of either
//! version to compare it with another.
//!
//! A reason on the wire is an object: its `code`, the `sentence` a councillor reads,
//! the `keys` it names, and the fields of its [`Reason`] variant (`due`,
//! `days_overdue`, `rule`…), enough for another system to act on it without parsing
//! English.
//!
//! # Changes
//! - `ragplan-assessment/2`: each reason is `{code, sentence, keys, …fields}` (it was
//!   its sentence alone); nodes may carry the `due_next_quarter` flag. A
//!   `ragplan-assessment/1` document still reads in [`Snapshot::from_saved_json`].

use std::borrow::Cow;
use std::fmt;

use chrono::NaiveDate;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use smallvec::SmallVec;

use crate::document::{DocumentError, from_json_with_path, to_canonical_json};
use crate::engine::{NodeRating, Ratings};
use crate::key::{Key, PlanId};
use crate::movement::{Snapshot, SnapshotNode};
use crate::policy::Policy;
use crate::rating::Rating;
use crate::reason::{Reason, ReasonVec};
use crate::validate::Lint;
use crate::vocab::{Dimension, Flag, NodeKind, RatingCounts};
use crate::walk::Node;

/// The format name of the assessment document.
pub const ASSESSMENT_FORMAT: &str = "ragplan-assessment/2";

/// The format name of the first assessment document, whose reasons were sentences.
pub const ASSESSMENT_FORMAT_1: &str = "ragplan-assessment/1";

/// The `"format": "ragplan-assessment/2"` field. Deserialising any other value is an
/// error.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct AssessmentFormat;

impl Serialize for AssessmentFormat {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(ASSESSMENT_FORMAT)
    }
}

impl<'de> Deserialize<'de> for AssessmentFormat {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<AssessmentFormat, D::Error> {
        let text = Cow::<'de, str>::deserialize(d)?;
        if text == ASSESSMENT_FORMAT {
            Ok(AssessmentFormat)
        } else {
            Err(serde::de::Error::custom(format_args!(
                "format {text:?} is not supported (expected {ASSESSMENT_FORMAT:?})"
            )))
        }
    }
}

impl JsonSchema for AssessmentFormat {
    fn schema_name() -> Cow<'static, str> {
        "AssessmentFormat".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "const": ASSESSMENT_FORMAT })
    }
}

impl fmt::Display for AssessmentFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(ASSESSMENT_FORMAT)
    }
}

/// Which plan an assessment is of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanRef {
    /// The plan's id.
    pub id: PlanId,
    /// The plan's title.
    pub title: String,
}

/// A reason as the document writes it: `"code"` and the fields of its [`Reason`]
/// variant, then its `sentence` and the `keys` it names. The sentence and keys are
/// written from the reason as it is serialised, and read back only to be checked
/// against it: the structured reason is what the document promises.
#[derive(Debug, Clone, PartialEq)]
pub struct ReasonDocument<'a> {
    /// The reason.
    pub reason: Reason<'a>,
}

impl ReasonDocument<'_> {
    /// The sentence a reader sees.
    pub fn sentence(&self) -> String {
        self.reason.to_string()
    }

    /// Every key the reason names.
    pub fn keys(&self) -> Vec<&Key> {
        self.reason.keys()
    }
}

/// The wire form of a [`ReasonDocument`], as written.
#[derive(Serialize)]
struct ReasonOut<'r, 'a> {
    #[serde(flatten)]
    reason: &'r Reason<'a>,
    sentence: Sentence<'r, 'a>,
    keys: Vec<&'r Key>,
}

/// A reason's sentence, written straight into the output.
struct Sentence<'r, 'a>(&'r Reason<'a>);

impl Serialize for Sentence<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self.0)
    }
}

/// The wire form of a [`ReasonDocument`], as read (and as its schema says).
#[derive(Deserialize, JsonSchema)]
struct ReasonIn<'a> {
    /// The reason: `"code"` and the fields of its variant.
    #[serde(flatten)]
    reason: Reason<'a>,
    /// The sentence a reader sees.
    #[allow(dead_code)]
    sentence: String,
    /// Every key the reason names.
    #[allow(dead_code)]
    keys: Vec<Key>,
}

impl Serialize for ReasonDocument<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let reason = &self.reason;
        ReasonOut { reason, sentence: Sentence(reason), keys: reason.keys() }.serialize(s)
    }
}

impl<'de, 'a> Deserialize<'de> for ReasonDocument<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<ReasonDocument<'a>, D::Error> {
        ReasonIn::deserialize(d).map(|r| ReasonDocument { reason: r.reason })
    }
}

impl JsonSchema for ReasonDocument<'_> {
    fn schema_name() -> Cow<'static, str> {
        "ReasonDocument".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        ReasonIn::json_schema(generator)
    }
}

impl<'a> From<Reason<'a>> for ReasonDocument<'a> {
    fn from(reason: Reason<'a>) -> Self {
        ReasonDocument { reason }
    }
}

impl fmt::Display for ReasonDocument<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.reason.fmt(f)
    }
}

/// A list in the document — a node's reasons, notes or flags — written and read as
/// a JSON array. Up to `N` entries are held inline rather than in an allocation of
/// their own: most nodes have one reason on each dimension and a few flags, and a
/// 1,000,000-action document would otherwise make over three million allocations.
#[derive(Clone, PartialEq, Eq)]
pub struct List<T, const N: usize>(SmallVec<[T; N]>);

/// A node's reasons on one dimension, or its notes.
pub type ReasonList<'a> = List<ReasonDocument<'a>, 1>;

/// A node's flags, in [`Flag::ALL`] order.
pub type FlagList = List<Flag, { Flag::ALL.len() }>;

impl<'a> ReasonList<'a> {
    /// The engine's reasons, moved into the document without copying a spilled list.
    fn of(reasons: ReasonVec<'a>) -> ReasonList<'a> {
        if reasons.spilled() {
            let list: Vec<ReasonDocument<'a>> =
                reasons.into_vec().into_iter().map(ReasonDocument::from).collect();
            List(SmallVec::from_vec(list))
        } else {
            List(reasons.into_iter().map(ReasonDocument::from).collect())
        }
    }
}

impl<T, const N: usize> Default for List<T, N> {
    fn default() -> Self {
        List(SmallVec::new())
    }
}

impl<T, const N: usize> List<T, N> {
    /// The entries as a list of their own.
    pub fn into_vec(self) -> Vec<T> {
        self.0.into_vec()
    }
}

impl<T, const N: usize> std::ops::Deref for List<T, N> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        &self.0
    }
}

impl<T: fmt::Debug, const N: usize> fmt::Debug for List<T, N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.0.iter()).finish()
    }
}

impl<'r, T, const N: usize> IntoIterator for &'r List<T, N> {
    type Item = &'r T;
    type IntoIter = std::slice::Iter<'r, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl<T, const N: usize> FromIterator<T> for List<T, N> {
    fn from_iter<I: IntoIterator<Item = T>>(items: I) -> Self {
        List(items.into_iter().collect())
    }
}

impl<T, const N: usize> From<Vec<T>> for List<T, N> {
    fn from(list: Vec<T>) -> Self {
        List(SmallVec::from_vec(list))
    }
}

impl<T: PartialEq, const N: usize, const M: usize> PartialEq<[T; M]> for List<T, N> {
    fn eq(&self, other: &[T; M]) -> bool {
        self.0.as_slice() == other.as_slice()
    }
}

impl<T: PartialEq, const N: usize> PartialEq<&[T]> for List<T, N> {
    fn eq(&self, other: &&[T]) -> bool {
        self.0.as_slice() == *other
    }
}

impl<T: PartialEq, const N: usize> PartialEq<Vec<T>> for List<T, N> {
    fn eq(&self, other: &Vec<T>) -> bool {
        self.0.as_slice() == other.as_slice()
    }
}

impl<T: Serialize, const N: usize> Serialize for List<T, N> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter())
    }
}

impl<'de, T: Deserialize<'de>, const N: usize> Deserialize<'de> for List<T, N> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<List<T, N>, D::Error> {
        Vec::<T>::deserialize(d).map(List::from)
    }
}

impl<T: JsonSchema, const N: usize> JsonSchema for List<T, N> {
    fn schema_name() -> Cow<'static, str> {
        Vec::<T>::schema_name()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        Vec::<T>::json_schema(generator)
    }

    fn inline_schema() -> bool {
        Vec::<T>::inline_schema()
    }
}

/// A node's rating on one dimension (delivery or outcome), with the counts of the
/// actions below it and the reasons for the rating.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DimensionDocument<'a> {
    /// The effective rating.
    pub rating: Rating,
    /// The rating the plan reports for the node, when it reports one. For a parent
    /// that differs from `rating`, the node is flagged divergent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported: Option<Rating>,
    /// The actions below the node (an action counts itself) by their effective
    /// rating on this dimension; cancelled and removed actions are not counted.
    pub counts: RatingCounts,
    /// Why the node has this rating: never empty.
    pub reasons: ReasonList<'a>,
}

impl<'a> DimensionDocument<'a> {
    /// A node's rating on `d`, with its counts and reasons.
    pub fn of(node: &NodeRating<'_, 'a>, d: Dimension) -> DimensionDocument<'a> {
        DimensionDocument {
            rating: node.rating(d),
            reported: node.reported(d),
            counts: node.counts(d),
            reasons: ReasonList::of(node.reason_list(d)),
        }
    }
}

/// One node of the plan as assessed: its ratings, flags and children.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NodeDocument<'a> {
    /// The node's key.
    pub key: Cow<'a, Key>,
    /// What the node is.
    pub kind: NodeKind,
    /// The node's title.
    pub title: Cow<'a, str>,
    /// Delivery: the Action RAG and its roll-up.
    pub delivery: DimensionDocument<'a>,
    /// Outcome: the Outcome RAG (or the node's measures) and its roll-up.
    pub outcome: DimensionDocument<'a>,
    /// Flags, in [`Flag::ALL`] order.
    #[serde(default)]
    pub flags: FlagList,
    /// What a reader should know beside the reasons (see [`NodeRating::notes`]).
    #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
    pub notes: ReasonList<'a>,
    /// The node's children in plan order: an objective's own actions first, then its
    /// sub-objectives.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<NodeDocument<'a>>,
}

impl<'a> NodeDocument<'a> {
    /// Whether the node carries `flag`.
    pub fn has(&self, flag: Flag) -> bool {
        self.flags.contains(&flag)
    }

    /// One node written alone, without its children; none for the plan itself.
    pub fn of(node: &NodeRating<'_, 'a>) -> Option<NodeDocument<'a>> {
        let at = node.plan_node()?;
        Some(NodeDocument {
            key: Cow::Borrowed(at.key()),
            kind: at.kind(),
            title: Cow::Borrowed(at.title()),
            delivery: DimensionDocument::of(node, Dimension::Delivery),
            outcome: DimensionDocument::of(node, Dimension::Outcome),
            flags: node.flag_set().iter().collect(),
            notes: ReasonList::of(node.note_list()),
            children: Vec::new(),
        })
    }
}

/// A plan rated as of a date under a policy: the `ragplan-assessment/2` document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AssessmentDocument<'a> {
    /// Always `"ragplan-assessment/2"`.
    pub format: AssessmentFormat,
    /// The plan assessed.
    pub plan: PlanRef,
    /// The date the plan was rated as of.
    pub as_of: NaiveDate,
    /// The policy it was rated under.
    pub policy: Policy,
    /// The plan's delivery rating.
    pub delivery: DimensionDocument<'a>,
    /// The plan's outcome rating.
    pub outcome: DimensionDocument<'a>,
    /// The objectives, in plan order, each with its children.
    pub nodes: Vec<NodeDocument<'a>>,
    /// What validation found in the plan.
    pub lints: Vec<Lint>,
}

impl<'a> From<&Ratings<'a>> for AssessmentDocument<'a> {
    /// The whole document, with every node's reasons written.
    fn from(ratings: &Ratings<'a>) -> Self {
        let mut walk = ratings.nodes().peekable();
        let nodes = children(&mut walk, 0, ratings.plan().objectives.len());
        let plan = ratings.plan();
        let whole = ratings.whole();
        AssessmentDocument {
            format: AssessmentFormat,
            plan: PlanRef { id: plan.id.clone(), title: plan.title.clone() },
            as_of: ratings.as_of(),
            policy: ratings.policy().clone(),
            delivery: DimensionDocument::of(&whole, Dimension::Delivery),
            outcome: DimensionDocument::of(&whole, Dimension::Outcome),
            nodes,
            lints: ratings.lints().collect(),
        }
    }
}

/// The nodes at `depth` that come next on the depth-first `walk`, each with the
/// deeper nodes that follow it as its children.
fn children<'r, 'a: 'r>(
    walk: &mut std::iter::Peekable<impl Iterator<Item = NodeRating<'r, 'a>>>,
    depth: usize,
    expected: usize,
) -> Vec<NodeDocument<'a>> {
    let mut out = Vec::with_capacity(expected);
    while let Some(node) = walk.next_if(|n| n.plan_node().is_some_and(|at| at.depth >= depth)) {
        let Some(at) = node.plan_node() else { continue };
        let n_children = match at.node {
            Node::Objective(o) => o.actions.len() + o.sub_objectives.len(),
            Node::SubObjective(s) => s.actions.len(),
            Node::Action(_) => 0,
        };
        let Some(mut doc) = NodeDocument::of(&node) else { continue };
        if n_children > 0 {
            doc.children = children(walk, depth + 1, n_children);
        }
        out.push(doc);
    }
    out
}

impl<'a> AssessmentDocument<'a> {
    /// The first node with `key` in plan order, if any. Keys are how a reader of the
    /// document finds a node; in ragplan itself a node is found by its place.
    pub fn node(&self, key: &Key) -> Option<&NodeDocument<'a>> {
        self.walk().find(|n| *n.key == *key)
    }

    /// Every node, depth-first in plan order: an objective, then its children.
    pub fn walk(&self) -> impl Iterator<Item = &NodeDocument<'a>> {
        Walk { stack: vec![self.nodes.iter()] }
    }

    /// Every action node, in plan order.
    pub fn actions(&self) -> impl Iterator<Item = &NodeDocument<'a>> {
        self.walk().filter(|n| n.kind == NodeKind::Action)
    }

    /// Reads a `ragplan-assessment/2` document.
    ///
    /// # Errors
    /// [`DocumentError`] naming the JSON path of the first problem.
    pub fn from_json(text: &str) -> Result<AssessmentDocument<'static>, DocumentError> {
        from_json_with_path(text)
    }

    /// The document as pretty JSON with a final newline.
    pub fn to_json(&self) -> String {
        to_canonical_json(self)
    }
}

/// The JSON Schema (draft 2020-12) of the `ragplan-assessment/2` document, as
/// canonical JSON.
pub fn assessment_json_schema() -> String {
    to_canonical_json(&schemars::schema_for!(AssessmentDocument<'_>))
}

struct Walk<'d, 'a> {
    stack: Vec<std::slice::Iter<'d, NodeDocument<'a>>>,
}

impl<'d, 'a> Iterator for Walk<'d, 'a> {
    type Item = &'d NodeDocument<'a>;

    fn next(&mut self) -> Option<&'d NodeDocument<'a>> {
        loop {
            let top = self.stack.last_mut()?;
            match top.next() {
                Some(node) => {
                    if !node.children.is_empty() {
                        self.stack.push(node.children.iter());
                    }
                    return Some(node);
                }
                None => {
                    self.stack.pop();
                }
            }
        }
    }
}

/// What a saved document of either version says that a comparison needs: ratings
/// by node, nothing of the reasons.
#[derive(Deserialize)]
struct Saved {
    format: String,
    as_of: NaiveDate,
    delivery: SavedDimension,
    outcome: SavedDimension,
    #[serde(default)]
    nodes: Vec<SavedNode>,
}

#[derive(Deserialize)]
struct SavedDimension {
    rating: Rating,
}

#[derive(Deserialize)]
struct SavedNode {
    key: Key,
    kind: NodeKind,
    title: String,
    delivery: SavedDimension,
    outcome: SavedDimension,
    /// Read as words, not [`Flag`]s: an older document may carry flags this version
    /// does not know.
    #[serde(default)]
    flags: Vec<String>,
    #[serde(default)]
    children: Vec<SavedNode>,
}

impl Snapshot {
    /// Reads the ratings of a saved assessment document, `ragplan-assessment/2` or
    /// `/1`, to compare it with another.
    ///
    /// # Errors
    /// [`DocumentError`] naming the JSON path of the first problem, or the format
    /// when it is neither version.
    pub fn from_saved_json(text: &str) -> Result<Snapshot, DocumentError> {
        let saved: Saved = from_json_with_path(text)?;
        if saved.format != ASSESSMENT_FORMAT && saved.format != ASSESSMENT_FORMAT_1 {
            return Err(DocumentError {
                path: "format".to_owned(),
                message: format!(
                    "format {:?} is not supported (expected {ASSESSMENT_FORMAT:?} or \
                     {ASSESSMENT_FORMAT_1:?})",
                    saved.format
                ),
                line: 1,
                column: 1,
            });
        }
        fn flatten(nodes: Vec<SavedNode>, out: &mut Vec<SnapshotNode>) {
            for n in nodes {
                // An action marked removed is no node of the plan's (see `Snapshot`).
                if n.flags.iter().any(|f| f == Flag::Removed.as_str()) {
                    continue;
                }
                out.push(SnapshotNode {
                    key: n.key,
                    kind: n.kind,
                    title: n.title,
                    ratings: [n.delivery.rating, n.outcome.rating],
                });
                flatten(n.children, out);
            }
        }
        let mut nodes = Vec::new();
        flatten(saved.nodes, &mut nodes);
        Ok(Snapshot {
            as_of: saved.as_of,
            ratings: [saved.delivery.rating, saved.outcome.rating],
            nodes,
        })
    }
}
