//! Validation of a plan: [`validate`] returns [`Lint`]s, each with a stable
//! [`LintCode`], a [`Severity`], the key of the node and a message.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::graph::{DependencyGraph, key_hash};
use crate::key::Key;
use crate::plan::{Action, NodeRatings, Plan};
use crate::rating::{Rating, Scale, Status};
use crate::text::uk_date;
use crate::timescale::TimescaleKind;
use crate::walk::Place;

/// `action 1.2 "Title"`, written only when a lint needs it.
struct Named<'a>(&'a Key, &'a str);

impl fmt::Display for Named<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "action {} \"{}\"", self.0, self.1)
    }
}

/// How serious a lint is.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The plan is wrong: the engine cannot rate it as written.
    Error,
    /// The plan is weak: it can be rated, but a reader should look.
    Warning,
}

impl Severity {
    /// The snake_case word used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The stable code of a lint; serialises as `"no-accountable-owner"` and so on.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum LintCode {
    /// An action names nobody accountable.
    NoAccountableOwner,
    /// An action has no timescale.
    NoTimescale,
    /// An action's timescale names no period ragplan can work out.
    UnresolvedTimescale,
    /// An ongoing or recurring action has no review date.
    OngoingWithoutReviewDate,
    /// An action reported Green has no evidence.
    GreenWithoutEvidence,
    /// A rating is not on the plan's scale.
    RatingOutsideScale,
    /// Two nodes share a key.
    DuplicateKey,
    /// Actions depend on each other in a cycle.
    DependencyCycle,
    /// An action depends on a key no action has.
    MissingDependency,
    /// An override has no justification or no author.
    OverrideWithoutJustification,
    /// An update in an action's log is dated before the one logged before it.
    UpdateBeforePrevious,
}

impl LintCode {
    /// Every code.
    pub const ALL: [LintCode; 11] = [
        LintCode::NoAccountableOwner,
        LintCode::NoTimescale,
        LintCode::UnresolvedTimescale,
        LintCode::OngoingWithoutReviewDate,
        LintCode::GreenWithoutEvidence,
        LintCode::RatingOutsideScale,
        LintCode::DuplicateKey,
        LintCode::DependencyCycle,
        LintCode::MissingDependency,
        LintCode::OverrideWithoutJustification,
        LintCode::UpdateBeforePrevious,
    ];

    /// The stable code: `"no-accountable-owner"`.
    pub fn as_str(self) -> &'static str {
        match self {
            LintCode::NoAccountableOwner => "no-accountable-owner",
            LintCode::NoTimescale => "no-timescale",
            LintCode::UnresolvedTimescale => "unresolved-timescale",
            LintCode::OngoingWithoutReviewDate => "ongoing-without-review-date",
            LintCode::GreenWithoutEvidence => "green-without-evidence",
            LintCode::RatingOutsideScale => "rating-outside-scale",
            LintCode::DuplicateKey => "duplicate-key",
            LintCode::DependencyCycle => "dependency-cycle",
            LintCode::MissingDependency => "missing-dependency",
            LintCode::OverrideWithoutJustification => "override-without-justification",
            LintCode::UpdateBeforePrevious => "update-before-previous",
        }
    }

    /// How serious a lint with this code is.
    pub fn severity(self) -> Severity {
        match self {
            LintCode::NoAccountableOwner
            | LintCode::NoTimescale
            | LintCode::UnresolvedTimescale
            | LintCode::OngoingWithoutReviewDate
            | LintCode::GreenWithoutEvidence => Severity::Warning,
            LintCode::RatingOutsideScale
            | LintCode::DuplicateKey
            | LintCode::DependencyCycle
            | LintCode::MissingDependency
            | LintCode::OverrideWithoutJustification
            | LintCode::UpdateBeforePrevious => Severity::Error,
        }
    }
}

impl fmt::Display for LintCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem validation found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Lint {
    /// The stable code.
    pub code: LintCode,
    /// Error or warning.
    pub severity: Severity,
    /// The node the problem is on, when it is on one.
    pub key: Option<Key>,
    /// What is wrong, in a sentence.
    pub message: String,
    /// Where the node the problem is on is in the plan, when it is an action: the
    /// key alone may name two nodes. Not written to JSON.
    #[serde(skip)]
    #[schemars(skip)]
    pub place: Option<Place>,
}

impl Lint {
    fn new(code: LintCode, key: Option<&Key>, message: String) -> Lint {
        Lint { code, severity: code.severity(), key: key.cloned(), message, place: None }
    }

    fn at(mut self, place: Place) -> Lint {
        self.place = Some(place);
        self
    }

    /// A [`LintCode::RatingOutsideScale`] lint: `what` of `key` is `rating`.
    fn outside_scale(what: impl fmt::Display, key: &Key, rating: Rating, scale: Scale) -> Lint {
        Lint::new(
            LintCode::RatingOutsideScale,
            Some(key),
            format!("{what} of {key} is {rating}, which is not on the plan's {scale} scale"),
        )
    }
}

impl fmt::Display for Lint {
    /// `warning[no-accountable-owner] 1.2.3: …`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}[{}]", self.severity, self.code)?;
        if let Some(key) = &self.key {
            write!(f, " {key}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Checks a plan and lists what is wrong with it, in plan order, then the plan-wide
/// problems (duplicate keys, dependency cycles).
///
/// `as_of` is the date of the check; no lint depends on it today, but it is part of
/// the contract so that date-relative checks can be added without breaking callers.
///
/// # Example
/// ```
/// use chrono::NaiveDate;
/// use ragplan_core::{Action, Key, LintCode, Objective, Plan, PlanId, validate};
/// let mut plan = Plan::new(PlanId::new("p")?, "Plan");
/// let mut objective = Objective::new(Key::new("1")?, "Objective");
/// objective.actions.push(Action::new(Key::new("1.1")?, "Agree the protocol"));
/// plan.objectives.push(objective);
///
/// let lints = validate(&plan, NaiveDate::from_ymd_opt(2015, 6, 30).unwrap());
/// let codes: Vec<_> = lints.iter().map(|l| l.code).collect();
/// assert_eq!(codes, [LintCode::NoAccountableOwner, LintCode::NoTimescale]);
/// assert_eq!(lints[0].message, "action 1.1 \"Agree the protocol\" names nobody accountable");
/// # Ok::<(), ragplan_core::IdError>(())
/// ```
pub fn validate(plan: &Plan, as_of: NaiveDate) -> Vec<Lint> {
    let _ = as_of;
    let actions: Vec<&Action> = plan.actions().collect();
    let (graph, hashes) = DependencyGraph::hashing(&actions);
    let findings = find(plan, &actions, &graph, &hashes);
    findings.render(plan, &actions, &graph).collect()
}

/// No index: the marker for "the objective itself, not one of its sub-objectives" and
/// for a position too large to hold.
const NONE: u32 = u32::MAX;

/// `index` as a `u32`, or [`NONE`] for a plan of more than four thousand million nodes
/// (whose lint would then not be written).
fn small(index: usize) -> u32 {
    u32::try_from(index).unwrap_or(NONE)
}

/// `index` back as a `usize`.
fn wide(index: u32) -> usize {
    index as usize
}

/// Which rating, or which part of an override, a [`Finding`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    /// The whole node.
    Node,
    /// The delivery rating an objective or sub-objective reports.
    ReportedDelivery,
    /// The outcome rating an objective or sub-objective reports.
    ReportedOutcome,
    /// An action's reported delivery rating (the Action RAG).
    ActionRag,
    /// An action's reported outcome rating (the Outcome RAG).
    OutcomeRag,
    /// The delivery rating of one of an action's updates.
    UpdateDelivery,
    /// The outcome rating of one of an action's updates.
    UpdateOutcome,
    /// The rating of an action's override.
    Override,
    /// An override's justification is blank.
    Justification,
    /// An override's author is blank.
    Author,
}

/// One problem validation found, before its message is written.
///
/// Read with the plan it was found in:
///
/// | code | `node` | `detail` |
/// |---|---|---|
/// | rating outside scale, `ReportedDelivery` / `ReportedOutcome` | objective index | sub-objective index, or [`NONE`] for the objective itself |
/// | rating outside scale, `UpdateDelivery` / `UpdateOutcome` | action position | update index |
/// | update before previous | action position | index of the later update |
/// | any other check of an action | action position | unused |
/// | duplicate key | unused | index in [`Findings::duplicates`] |
/// | missing dependency | unused | index in [`DependencyGraph::missing`] |
/// | dependency cycle | unused | index of the cycle in [`DependencyGraph::cycles`] |
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Finding {
    /// What is wrong.
    code: LintCode,
    /// Which rating, or which part of an override.
    part: Part,
    /// The node: see the table above.
    node: u32,
    /// The detail: see the table above.
    detail: u32,
}

/// A finding takes no more than 16 bytes, however large the plan.
const _: () = assert!(std::mem::size_of::<Finding>() <= 16);

impl Finding {
    /// A finding on the action at `position`.
    fn on_action(code: LintCode, part: Part, position: u32, detail: u32) -> Finding {
        Finding { code, part, node: position, detail }
    }

    /// A plan-wide finding: the `detail`th of its kind.
    fn plan_wide(code: LintCode, detail: usize) -> Finding {
        Finding { code, part: Part::Node, node: NONE, detail: small(detail) }
    }
}

/// Where a node's key is in the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyAt {
    /// The action at this position of [`Plan::actions`].
    Action(u32),
    /// The objective at this index.
    Objective(u32),
    /// Sub-objective `.1` of objective `.0`.
    SubObjective(u32, u32),
    /// Measure `.2` of sub-objective `.1` of objective `.0`, or of the objective itself
    /// when `.1` is [`NONE`].
    Measure(u32, u32, u32),
}

impl KeyAt {
    /// The key at this place of `plan`, whose actions are `actions`.
    fn key<'p>(self, plan: &'p Plan, actions: &[&'p Action]) -> Option<&'p Key> {
        let objective = |o: u32| plan.objectives.get(wide(o));
        match self {
            KeyAt::Action(i) => actions.get(wide(i)).map(|a| &a.key),
            KeyAt::Objective(o) => objective(o).map(|o| &o.key),
            KeyAt::SubObjective(o, s) => objective(o)?.sub_objectives.get(wide(s)).map(|s| &s.key),
            KeyAt::Measure(o, NONE, m) => objective(o)?.measures.get(wide(m)).map(|m| &m.key),
            KeyAt::Measure(o, s, m) => {
                objective(o)?.sub_objectives.get(wide(s))?.measures.get(wide(m)).map(|m| &m.key)
            }
        }
    }
}

/// A key used by more than one node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Duplicate {
    /// One of the nodes that use it.
    at: KeyAt,
    /// How many nodes use it.
    count: u32,
}

/// What validation found in a plan, in the order of [`validate`]'s lints, with no
/// message written yet: [`Findings::render`] writes them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Findings {
    /// Each problem, in lint order.
    items: Vec<Finding>,
    /// The keys used more than once, in plan order of their second use.
    duplicates: Vec<Duplicate>,
}

/// Checks a plan, as [`validate`] does, without writing any message: the plan's
/// actions are `actions` (in [`Plan::actions`] order), `graph` is their graph and
/// `action_hashes` the low 32 bits of the [`key_hash`] of each action's key (as
/// `DependencyGraph::hashing` gives them; when empty, they are worked out here).
pub(crate) fn find(
    plan: &Plan,
    actions: &[&Action],
    graph: &DependencyGraph<'_>,
    action_hashes: &[u32],
) -> Findings {
    find_hashed(plan, actions, graph, key_hash, action_hashes)
}

/// [`find`], with `hash` as the hash of key texts (any function will do: equal hashes
/// only lead to the keys being compared).
fn find_hashed(
    plan: &Plan,
    actions: &[&Action],
    graph: &DependencyGraph<'_>,
    hash: impl Fn(&str) -> u64,
    action_hashes: &[u32],
) -> Findings {
    let scale = plan.scale;
    let mut items = Vec::new();
    let mut n_keys = 0;
    for (o, objective) in plan.objectives.iter().enumerate() {
        let o = small(o);
        check_node(&mut items, scale, o, NONE, &objective.node);
        n_keys += 1 + objective.measures.len() + objective.actions.len();
        for (s, sub) in objective.sub_objectives.iter().enumerate() {
            check_node(&mut items, scale, o, small(s), &sub.node);
            n_keys += 1 + sub.measures.len() + sub.actions.len();
        }
    }

    // One walk over the plan, in the order of its keys: each action checked, and every
    // key counted.
    let mut census = KeyCensus::with_capacity(n_keys);
    let mut position = 0u32;
    let mut action = |census: &mut KeyCensus, items: &mut Vec<Finding>, action: &Action| {
        let known = action_hashes.get(position as usize).copied().map(u64::from);
        census.add(known.unwrap_or_else(|| hash(action.key.as_str())), None);
        check_action(items, scale, position, action);
        position = position.saturating_add(1);
    };
    for (o, objective) in plan.objectives.iter().enumerate() {
        let o = small(o);
        census.add(hash(objective.key.as_str()), Some(KeyAt::Objective(o)));
        for (m, measure) in objective.measures.iter().enumerate() {
            census.add(hash(measure.key.as_str()), Some(KeyAt::Measure(o, NONE, small(m))));
        }
        for a in &objective.actions {
            action(&mut census, &mut items, a);
        }
        for (s, sub) in objective.sub_objectives.iter().enumerate() {
            let s = small(s);
            census.add(hash(sub.key.as_str()), Some(KeyAt::SubObjective(o, s)));
            for (m, measure) in sub.measures.iter().enumerate() {
                census.add(hash(measure.key.as_str()), Some(KeyAt::Measure(o, s, small(m))));
            }
            for a in &sub.actions {
                action(&mut census, &mut items, a);
            }
        }
    }

    let duplicates = census.duplicates(plan, actions);
    items.extend((0..duplicates.len()).map(|d| Finding::plan_wide(LintCode::DuplicateKey, d)));
    items.extend(
        (0..graph.missing().len()).map(|m| Finding::plan_wide(LintCode::MissingDependency, m)),
    );
    items.extend((0..graph.n_cycles()).map(|c| Finding::plan_wide(LintCode::DependencyCycle, c)));
    Findings { items, duplicates }
}

/// Checks the ratings an objective (`sub` is [`NONE`]) or a sub-objective reports.
fn check_node(
    items: &mut Vec<Finding>,
    scale: Scale,
    objective: u32,
    sub: u32,
    node: &NodeRatings,
) {
    for (part, rating) in [
        (Part::ReportedDelivery, node.reported_delivery),
        (Part::ReportedOutcome, node.reported_outcome),
    ] {
        if rating.is_some_and(|r| !scale.allows(r)) {
            items.push(Finding {
                code: LintCode::RatingOutsideScale,
                part,
                node: objective,
                detail: sub,
            });
        }
    }
}

/// Whether a text is empty or only spaces.
fn blank(text: &str) -> bool {
    text.trim().is_empty()
}

/// Checks the action at `position`.
fn check_action(items: &mut Vec<Finding>, scale: Scale, position: u32, action: &Action) {
    if action.is_left_out() {
        return;
    }
    let mut push = |code: LintCode, part: Part, detail: u32| {
        items.push(Finding::on_action(code, part, position, detail));
    };
    let outside = |rating: Option<Rating>| rating.is_some_and(|r| !scale.allows(r));
    if action.accountable.iter().all(|o| blank(&o.name)) {
        push(LintCode::NoAccountableOwner, Part::Node, 0);
    }
    let t = &action.timescale;
    if t.is_missing() {
        push(LintCode::NoTimescale, Part::Node, 0);
    } else if t.kind == TimescaleKind::Unresolved {
        push(LintCode::UnresolvedTimescale, Part::Node, 0);
    } else if t.is_open_ended() && action.review_date.is_none() && action.status != Status::Complete
    {
        push(LintCode::OngoingWithoutReviewDate, Part::Node, 0);
    }
    if action.action_rag == Some(Rating::Green) && action.evidence.iter().all(|e| blank(e)) {
        push(LintCode::GreenWithoutEvidence, Part::Node, 0);
    }
    if outside(action.action_rag) {
        push(LintCode::RatingOutsideScale, Part::ActionRag, 0);
    }
    if outside(action.outcome_rag) {
        push(LintCode::RatingOutsideScale, Part::OutcomeRag, 0);
    }
    for (u, update) in action.updates.iter().enumerate() {
        if outside(update.delivery) {
            push(LintCode::RatingOutsideScale, Part::UpdateDelivery, small(u));
        }
        if outside(update.outcome) {
            push(LintCode::RatingOutsideScale, Part::UpdateOutcome, small(u));
        }
    }
    if let Some(ov) = &action.override_rating {
        if outside(Some(ov.rating)) {
            push(LintCode::RatingOutsideScale, Part::Override, 0);
        }
        if blank(&ov.justification) {
            push(LintCode::OverrideWithoutJustification, Part::Justification, 0);
        } else if blank(&ov.by) {
            push(LintCode::OverrideWithoutJustification, Part::Author, 0);
        }
    }
    for (u, pair) in action.updates.windows(2).enumerate() {
        if pair[1].on < pair[0].on {
            push(LintCode::UpdateBeforePrevious, Part::Node, small(u + 1));
        }
    }
}

impl Findings {
    /// How many problems were found.
    pub(crate) fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether nothing was found.
    #[cfg(test)]
    pub(crate) fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// How many problems with `code` were found.
    #[cfg(test)]
    pub(crate) fn count(&self, code: LintCode) -> usize {
        self.items.iter().filter(|f| f.code == code).count()
    }

    /// The lint of each finding, in order, with its message written now: exactly the
    /// lints of [`validate`]. `plan`, `actions` and `graph` must be those the findings
    /// were found in; a finding that does not fit them is left out.
    pub(crate) fn render<'s>(
        &'s self,
        plan: &'s Plan,
        actions: &'s [&'s Action],
        graph: &'s DependencyGraph<'_>,
    ) -> impl Iterator<Item = Lint> + 's {
        self.items.iter().filter_map(move |f| self.lint(*f, plan, actions, graph))
    }

    /// The lint of `f`.
    fn lint(
        &self,
        f: Finding,
        plan: &Plan,
        actions: &[&Action],
        graph: &DependencyGraph<'_>,
    ) -> Option<Lint> {
        let scale = plan.scale;
        match f.code {
            LintCode::DuplicateKey => {
                let duplicate = self.duplicates.get(wide(f.detail))?;
                let key = duplicate.at.key(plan, actions)?;
                let n = duplicate.count;
                return Some(Lint::new(
                    f.code,
                    Some(key),
                    format!("the key {key} is used by {n} nodes; keys must be unique"),
                ));
            }
            LintCode::MissingDependency => {
                let m = graph.missing().get(wide(f.detail))?;
                return Some(Lint::new(
                    f.code,
                    Some(&m.action),
                    format!(
                        "action {} depends on {}, which no action of the plan has",
                        m.action, m.missing
                    ),
                ));
            }
            LintCode::DependencyCycle => {
                let keys: Vec<&Key> = graph.cycle_keys(wide(f.detail)).collect();
                let message = if let [one] = keys.as_slice() {
                    format!("action {one} depends on itself")
                } else {
                    let list: Vec<&str> = keys.iter().map(|k| k.as_str()).collect();
                    format!("actions {} depend on each other in a cycle", list.join(", "))
                };
                return Some(Lint::new(f.code, keys.first().copied(), message));
            }
            _ => {}
        }
        if let Part::ReportedDelivery | Part::ReportedOutcome = f.part {
            let objective = plan.objectives.get(wide(f.node))?;
            let (key, node) = match f.detail {
                NONE => (&objective.key, &objective.node),
                s => {
                    let sub = objective.sub_objectives.get(wide(s))?;
                    (&sub.key, &sub.node)
                }
            };
            return Some(if f.part == Part::ReportedDelivery {
                Lint::outside_scale("reported delivery", key, node.reported_delivery?, scale)
            } else {
                Lint::outside_scale("reported outcome", key, node.reported_outcome?, scale)
            });
        }

        let action = actions.get(wide(f.node))?;
        let place = Place::Action(wide(f.node));
        let key = &action.key;
        let named = Named(key, &action.title);
        let message = match (f.code, f.part) {
            (LintCode::RatingOutsideScale, Part::ActionRag) => {
                return Some(
                    Lint::outside_scale("the Action RAG", key, action.action_rag?, scale).at(place),
                );
            }
            (LintCode::RatingOutsideScale, Part::OutcomeRag) => {
                return Some(
                    Lint::outside_scale("the Outcome RAG", key, action.outcome_rag?, scale)
                        .at(place),
                );
            }
            (LintCode::RatingOutsideScale, Part::UpdateDelivery | Part::UpdateOutcome) => {
                let update = action.updates.get(wide(f.detail))?;
                let (what, rating) = if f.part == Part::UpdateDelivery {
                    ("delivery", update.delivery?)
                } else {
                    ("outcome", update.outcome?)
                };
                let what = format!("the {what} rating of the update of {}", uk_date(update.on));
                return Some(Lint::outside_scale(what, key, rating, scale).at(place));
            }
            (LintCode::RatingOutsideScale, _) => {
                let ov = action.override_rating.as_ref()?;
                return Some(Lint::outside_scale("the override", key, ov.rating, scale).at(place));
            }
            (LintCode::NoAccountableOwner, _) => format!("{named} names nobody accountable"),
            (LintCode::NoTimescale, _) => format!("{named} has no timescale"),
            (LintCode::UnresolvedTimescale, _) => format!(
                "{named} has the timescale \"{}\", which names no date ragplan can work out",
                action.timescale.text
            ),
            (LintCode::OngoingWithoutReviewDate, _) => {
                format!("{named} is \"{}\" with no review date", action.timescale.text)
            }
            (LintCode::GreenWithoutEvidence, _) => {
                format!("{named} is reported Green with no evidence")
            }
            (LintCode::OverrideWithoutJustification, part) => {
                let ov = action.override_rating.as_ref()?;
                let missing = if part == Part::Justification { "justification" } else { "author" };
                format!("the override of {named} to {} has no {missing}", ov.rating)
            }
            (LintCode::UpdateBeforePrevious, _) => {
                let later = wide(f.detail);
                let before = action.updates.get(later.checked_sub(1)?)?;
                let after = action.updates.get(later)?;
                format!(
                    "{named} has an update dated {} logged after one dated {}",
                    uk_date(after.on),
                    uk_date(before.on)
                )
            }
            (
                LintCode::DuplicateKey | LintCode::MissingDependency | LintCode::DependencyCycle,
                _,
            ) => return None,
        };
        Some(Lint::new(f.code, Some(key), message).at(place))
    }
}

/// The keys of every node of a plan, counted to find those used more than once.
///
/// Each key is taken as its hash and its ordinal (its place among all the plan's keys,
/// in plan order). The entries are spread over partitions by their hash, each small
/// enough for a hash table that stays in cache; keys are compared only where two
/// hashes are equal, so the count is exact whatever the hashes.
struct KeyCensus {
    /// Per key in plan order: the low 32 bits of its hash, then its ordinal.
    entries: Vec<u64>,
    /// Where each key that is not an action's is, by ordinal, in ordinal order. The
    /// keys in between are the actions', in [`Plan::actions`] order.
    others: Vec<(u32, KeyAt)>,
    /// How many entries each partition holds.
    sizes: Vec<u32>,
    /// How many bits of the hash pick the partition.
    bits: u32,
}

impl KeyCensus {
    /// About this many keys make a partition.
    const PARTITION: usize = 512;

    /// An empty census with room for `n` keys.
    fn with_capacity(n: usize) -> KeyCensus {
        let bits = (n / Self::PARTITION).max(1).ilog2().min(16);
        KeyCensus {
            entries: Vec::with_capacity(n),
            others: Vec::new(),
            sizes: vec![0; 1 << bits],
            bits,
        }
    }

    /// The partition of a hash.
    fn partition(&self, hash: u32) -> usize {
        hash.checked_shr(32 - self.bits).unwrap_or(0) as usize
    }

    /// Counts the next key in plan order, of hash `hash`; `at` is where it is unless
    /// it is the next action's.
    fn add(&mut self, hash: u64, at: Option<KeyAt>) {
        let ordinal = small(self.entries.len());
        if let Some(at) = at {
            self.others.push((ordinal, at));
        }
        let hash = hash as u32;
        let p = self.partition(hash);
        self.sizes[p] += 1;
        self.entries.push(u64::from(hash) << 32 | u64::from(ordinal));
    }

    /// Where the key of ordinal `ordinal` is.
    fn at(&self, ordinal: u32) -> KeyAt {
        match self.others.binary_search_by_key(&ordinal, |(o, _)| *o) {
            Ok(i) => self.others[i].1,
            Err(i) => KeyAt::Action(ordinal - small(i)),
        }
    }

    /// The keys used more than once, in plan order of their second use.
    fn duplicates(self, plan: &Plan, actions: &[&Action]) -> Vec<Duplicate> {
        // Entries grouped by partition, each group in plan order.
        let mut starts = Vec::with_capacity(self.sizes.len() + 1);
        let mut total = 0;
        for &size in &self.sizes {
            starts.push(total);
            total += wide(size);
        }
        starts.push(total);
        let mut next = starts.clone();
        let mut grouped = vec![0u64; self.entries.len()];
        for &e in &self.entries {
            let p = self.partition((e >> 32) as u32);
            grouped[next[p]] = e;
            next[p] += 1;
        }

        let same =
            |a: u32, b: u32| match (self.at(a).key(plan, actions), self.at(b).key(plan, actions)) {
                (Some(x), Some(y)) => x == y,
                _ => false,
            };
        // (ordinal of the second use, ordinal of the first, count), in partition order.
        let mut found: Vec<(u32, u32, u32)> = Vec::new();
        let mut slots: Vec<u32> = Vec::new();
        let mut record: Vec<u32> = Vec::new();
        for range in starts.windows(2) {
            let group = &grouped[range[0]..range[1]];
            let mask = (2 * group.len()).next_power_of_two().max(8) - 1;
            slots.clear();
            slots.resize(mask + 1, 0);
            record.clear();
            record.resize(group.len(), 0);
            for (k, &e) in group.iter().enumerate() {
                let (hash, ordinal) = ((e >> 32) as u32, e as u32);
                let mut slot = hash as usize & mask;
                loop {
                    let Some(first) = slots[slot].checked_sub(1).map(wide) else {
                        slots[slot] = small(k + 1);
                        break;
                    };
                    let other = group[first];
                    if (other >> 32) as u32 == hash && same(other as u32, ordinal) {
                        match record[first] {
                            0 => {
                                found.push((ordinal, other as u32, 2));
                                record[first] = small(found.len());
                            }
                            r => found[wide(r) - 1].2 += 1,
                        }
                        break;
                    }
                    slot = (slot + 1) & mask;
                }
            }
        }
        found.sort_unstable_by_key(|&(second, _, _)| second);
        found.into_iter().map(|(_, first, count)| Duplicate { at: self.at(first), count }).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::synthetic_plan;

    /// A generated plan whose keys are made to repeat: an action takes the key of an
    /// objective, two actions of another sub-objective share one, and a sub-objective
    /// takes the key of an action in another objective.
    fn plan_with_duplicates() -> Plan {
        let mut plan = synthetic_plan(300, 3, 7);
        let key = |text: &str| Key::new(text).expect("a valid key");
        plan.objectives[0].sub_objectives[2].actions[4].key = key("2");
        plan.objectives[1].sub_objectives[0].actions[1].key = key("2.1.1");
        plan.objectives[2].sub_objectives[3].key = key("2.1.1");
        plan.objectives[2].sub_objectives[5].actions[0].key = key("3.6.2");
        plan
    }

    /// Hashes that make keys collide, some of them all the time.
    const COLLIDING: [fn(&str) -> u64; 3] =
        [|_| 0, |text| text.len() as u64, |text| u64::from(text.as_bytes()[0]) << 32];

    #[test]
    fn duplicate_keys_are_exact_whatever_the_hash() {
        let plan = plan_with_duplicates();
        let actions: Vec<&Action> = plan.actions().collect();
        let (graph, hashes) = DependencyGraph::hashing(&actions);
        let found = find(&plan, &actions, &graph, &hashes);
        let duplicates: Vec<String> = found
            .render(&plan, &actions, &graph)
            .filter(|l| l.code == LintCode::DuplicateKey)
            .map(|l| l.message)
            .collect();
        assert_eq!(
            duplicates,
            [
                "the key 2 is used by 2 nodes; keys must be unique",
                "the key 2.1.1 is used by 3 nodes; keys must be unique",
                "the key 3.6.2 is used by 2 nodes; keys must be unique",
            ]
        );
        for hash in COLLIDING {
            assert_eq!(find_hashed(&plan, &actions, &graph, hash, &[]), found);
        }
    }

    #[test]
    fn keys_whose_hashes_collide_are_not_duplicates() {
        let plan = synthetic_plan(500, 4, 3);
        let actions: Vec<&Action> = plan.actions().collect();
        let (graph, hashes) = DependencyGraph::hashing(&actions);
        for hash in COLLIDING {
            let found = find_hashed(&plan, &actions, &graph, hash, &[]);
            assert_eq!(found.count(LintCode::DuplicateKey), 0);
            assert_eq!(found, find(&plan, &actions, &graph, &hashes));
        }
    }

    #[test]
    fn findings_render_as_the_lints_of_validate() {
        let plan = plan_with_duplicates();
        let actions: Vec<&Action> = plan.actions().collect();
        let (graph, hashes) = DependencyGraph::hashing(&actions);
        let found = find(&plan, &actions, &graph, &hashes);
        let lints: Vec<Lint> = found.render(&plan, &actions, &graph).collect();
        assert_eq!(lints.len(), found.len());
        assert!(!found.is_empty());
        assert_eq!(LintCode::ALL.iter().map(|&c| found.count(c)).sum::<usize>(), found.len());
        for code in LintCode::ALL {
            assert_eq!(found.count(code), lints.iter().filter(|l| l.code == code).count());
        }
        let date = NaiveDate::from_ymd_opt(2015, 6, 30).expect("a date");
        assert_eq!(lints, validate(&plan, date));
    }
}
