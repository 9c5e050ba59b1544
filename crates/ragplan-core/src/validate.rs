//! Validation of a plan: [`validate`] returns [`Lint`]s, each with a stable
//! [`LintCode`], a [`Severity`], the key of the node and a message.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::graph::{DependencyGraph, KeyIndex, key_hash};
use crate::key::Key;
use crate::plan::{Action, NodeRatings, Override, Plan};
use crate::rating::{Rating, Scale, Status};
use crate::text::uk_date;
use crate::timescale::TimescaleKind;
use crate::vocab::Dimension;
use crate::walk::Place;

/// `action 1.2 "Title"`, written only when a lint needs it.
struct Named<'a>(&'a Key, &'a str);

impl Named<'_> {
    /// The name of `action`.
    fn of(action: &Action) -> Named<'_> {
        Named(&action.key, &action.title)
    }
}

impl fmt::Display for Named<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "action {} \"{}\"", self.0, self.1)
    }
}

/// How serious a lint is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
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
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
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
    /// An action is reported Complete (Blue) but its status says otherwise.
    RatingStatusConflict,
}

impl LintCode {
    /// Every code.
    pub const ALL: [LintCode; 12] = [
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
        LintCode::RatingStatusConflict,
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
            LintCode::RatingStatusConflict => "rating-status-conflict",
        }
    }

    /// How serious a lint with this code is.
    pub fn severity(self) -> Severity {
        match self {
            LintCode::NoAccountableOwner
            | LintCode::NoTimescale
            | LintCode::UnresolvedTimescale
            | LintCode::OngoingWithoutReviewDate
            | LintCode::GreenWithoutEvidence
            | LintCode::RatingStatusConflict => Severity::Warning,
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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
    /// Where in the plan the node the problem is on is, when it is on one node: the
    /// key alone may name two. Not written to JSON.
    #[serde(skip)]
    #[schemars(skip)]
    pub place: Option<Place>,
}

impl Lint {
    fn new(code: LintCode, key: Option<&Key>, message: String) -> Lint {
        Lint { code, severity: code.severity(), key: key.cloned(), message, place: None }
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
/// problems (duplicate keys, missing dependencies, dependency cycles).
///
/// # Example
/// ```
/// use ragplan_core::{Action, Key, LintCode, Objective, Plan, PlanId, validate};
/// let mut plan = Plan::new(PlanId::new("p")?, "Plan");
/// let mut objective = Objective::new(Key::new("1")?, "Objective");
/// objective.actions.push(Action::new(Key::new("1.1")?, "Agree the protocol"));
/// plan.objectives.push(objective);
///
/// let lints = validate(&plan);
/// let codes: Vec<_> = lints.iter().map(|l| l.code).collect();
/// assert_eq!(codes, [LintCode::NoAccountableOwner, LintCode::NoTimescale]);
/// assert_eq!(lints[0].message, "action 1.1 \"Agree the protocol\" names nobody accountable");
/// assert_eq!(
///     lints[0].to_string(),
///     "warning[no-accountable-owner] 1.1: action 1.1 \"Agree the protocol\" names nobody accountable"
/// );
/// # Ok::<(), ragplan_core::IdError>(())
/// ```
pub fn validate(plan: &Plan) -> Vec<Lint> {
    let actions: Vec<&Action> = plan.actions().collect();
    let (graph, action_index) = DependencyGraph::hashing(&actions);
    let findings = find(plan, &actions, &graph, &action_index);
    findings.render(plan, &actions, &graph).collect()
}

/// `index` as a `u32`, the width findings keep their indices in (a plan of 2³² nodes
/// would not fit in memory).
fn small(index: usize) -> u32 {
    u32::try_from(index).unwrap_or(u32::MAX)
}

/// `index` back as a `usize`.
fn wide(index: u32) -> usize {
    index as usize
}

/// A rating that is not on the plan's scale, for a [`Finding::RatingOutsideScale`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OffScale {
    /// A rating objective `objective` reports, or its sub-objective `sub`.
    Reported { objective: u32, sub: Option<u32>, dimension: Dimension },
    /// A rating the action at `action` reports: the Action RAG or the Outcome RAG.
    Action { action: u32, dimension: Dimension },
    /// A rating of update `update` of the action at `action`.
    Update { action: u32, update: u32, dimension: Dimension },
    /// The rating of override `entry` of the record of the action at `action`.
    Override { action: u32, entry: u32 },
    /// The rating of override `entry` of the record of a parent ([`ParentAt`]).
    ParentOverride { parent: ParentAt, entry: u32 },
}

/// A parent node in 4 bytes: the plan itself, an objective by its index, or a
/// sub-objective by its index among all the plan's sub-objectives (the high bit set).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ParentAt(u32);

impl ParentAt {
    const PLAN: ParentAt = ParentAt(u32::MAX);
    const SUB: u32 = 1 << 31;

    fn objective(o: u32) -> ParentAt {
        ParentAt(o)
    }

    fn sub_objective(s: u32) -> ParentAt {
        ParentAt(s | ParentAt::SUB)
    }

    fn place(self) -> Place {
        match self.0 {
            u32::MAX => Place::Plan,
            i if i & ParentAt::SUB != 0 => Place::SubObjective(wide(i & !ParentAt::SUB)),
            o => Place::Objective(wide(o)),
        }
    }

    /// The parent's key (none for the plan), how a message names it, and its record
    /// of overrides.
    fn read(self, plan: &Plan) -> Option<(Option<&Key>, String, &[Override])> {
        let place = self.place();
        let record = plan.overrides_at(place)?;
        match plan.node_at(place) {
            None => Some((None, "the plan".to_owned(), record)),
            Some(node) => {
                let name = format!("{} {} \"{}\"", node.kind().label(), node.key(), node.title());
                Some((Some(node.key()), name, record))
            }
        }
    }
}

/// What an override lacks, for a [`Finding::OverrideWithoutJustification`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lacking {
    /// Its justification is blank.
    Justification,
    /// Its author is blank.
    Author,
}

/// One problem validation found, before its message is written: one variant per
/// [`LintCode`], holding where to read the message from in the plan it was found in.
/// Actions are named by their position in [`Plan::actions`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Finding {
    /// [`LintCode::NoAccountableOwner`].
    NoAccountableOwner { action: u32 },
    /// [`LintCode::NoTimescale`].
    NoTimescale { action: u32 },
    /// [`LintCode::UnresolvedTimescale`].
    UnresolvedTimescale { action: u32 },
    /// [`LintCode::OngoingWithoutReviewDate`].
    OngoingWithoutReviewDate { action: u32 },
    /// [`LintCode::GreenWithoutEvidence`].
    GreenWithoutEvidence { action: u32 },
    /// [`LintCode::RatingOutsideScale`].
    RatingOutsideScale(OffScale),
    /// [`LintCode::DuplicateKey`]: the `duplicate`th of [`Findings::duplicates`].
    DuplicateKey { duplicate: u32 },
    /// [`LintCode::DependencyCycle`]: the `cycle`th of the graph's cycles.
    DependencyCycle { cycle: u32 },
    /// [`LintCode::MissingDependency`]: the `missing`th of
    /// [`DependencyGraph::missing`].
    MissingDependency { missing: u32 },
    /// [`LintCode::OverrideWithoutJustification`].
    OverrideWithoutJustification { action: u32, entry: u32, lacking: Lacking },
    /// [`LintCode::OverrideWithoutJustification`], on a parent or the plan.
    ParentOverrideWithoutJustification { parent: ParentAt, entry: u32, lacking: Lacking },
    /// [`LintCode::RatingStatusConflict`].
    RatingStatusConflict { action: u32 },
    /// [`LintCode::UpdateBeforePrevious`]: `update` is the later of the two.
    UpdateBeforePrevious { action: u32, update: u32 },
}

/// A finding takes no more than 16 bytes, however large the plan.
const _: () = assert!(std::mem::size_of::<Finding>() <= 16);

impl Finding {
    /// The place of the one node the finding is on, if it is on one.
    fn place(&self, plan: &Plan) -> Option<Place> {
        let action = |at: u32| Some(Place::Action(wide(at)));
        match *self {
            Finding::NoAccountableOwner { action: at }
            | Finding::NoTimescale { action: at }
            | Finding::UnresolvedTimescale { action: at }
            | Finding::OngoingWithoutReviewDate { action: at }
            | Finding::GreenWithoutEvidence { action: at }
            | Finding::RatingStatusConflict { action: at }
            | Finding::OverrideWithoutJustification { action: at, .. }
            | Finding::UpdateBeforePrevious { action: at, .. }
            | Finding::RatingOutsideScale(
                OffScale::Action { action: at, .. }
                | OffScale::Update { action: at, .. }
                | OffScale::Override { action: at, .. },
            ) => action(at),
            Finding::RatingOutsideScale(OffScale::Reported { objective, sub: None, .. }) => {
                Some(Place::Objective(wide(objective)))
            }
            Finding::RatingOutsideScale(OffScale::Reported { objective, sub: Some(s), .. }) => {
                let before: usize = plan
                    .objectives
                    .iter()
                    .take(wide(objective))
                    .map(|o| o.sub_objectives.len())
                    .sum();
                Some(Place::SubObjective(before + wide(s)))
            }
            Finding::ParentOverrideWithoutJustification { parent, .. }
            | Finding::RatingOutsideScale(OffScale::ParentOverride { parent, .. }) => {
                Some(parent.place())
            }
            Finding::DuplicateKey { .. }
            | Finding::MissingDependency { .. }
            | Finding::DependencyCycle { .. } => None,
        }
    }

    /// The code of the lint of this finding.
    fn code(self) -> LintCode {
        match self {
            Finding::NoAccountableOwner { .. } => LintCode::NoAccountableOwner,
            Finding::NoTimescale { .. } => LintCode::NoTimescale,
            Finding::UnresolvedTimescale { .. } => LintCode::UnresolvedTimescale,
            Finding::OngoingWithoutReviewDate { .. } => LintCode::OngoingWithoutReviewDate,
            Finding::GreenWithoutEvidence { .. } => LintCode::GreenWithoutEvidence,
            Finding::RatingOutsideScale(_) => LintCode::RatingOutsideScale,
            Finding::DuplicateKey { .. } => LintCode::DuplicateKey,
            Finding::DependencyCycle { .. } => LintCode::DependencyCycle,
            Finding::MissingDependency { .. } => LintCode::MissingDependency,
            Finding::OverrideWithoutJustification { .. }
            | Finding::ParentOverrideWithoutJustification { .. } => {
                LintCode::OverrideWithoutJustification
            }
            Finding::UpdateBeforePrevious { .. } => LintCode::UpdateBeforePrevious,
            Finding::RatingStatusConflict { .. } => LintCode::RatingStatusConflict,
        }
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
    /// when `.1` is `None`.
    Measure(u32, Option<u32>, u32),
}

impl KeyAt {
    /// The key at this place of `plan`, whose actions are `actions`.
    fn key<'p>(self, plan: &'p Plan, actions: &[&'p Action]) -> Option<&'p Key> {
        let objective = |o: u32| plan.objectives.get(wide(o));
        match self {
            KeyAt::Action(i) => actions.get(wide(i)).map(|a| &a.key),
            KeyAt::Objective(o) => objective(o).map(|o| &o.key),
            KeyAt::SubObjective(o, s) => objective(o)?.sub_objectives.get(wide(s)).map(|s| &s.key),
            KeyAt::Measure(o, None, m) => objective(o)?.measures.get(wide(m)).map(|m| &m.key),
            KeyAt::Measure(o, Some(s), m) => {
                objective(o)?.sub_objectives.get(wide(s))?.measures.get(wide(m)).map(|m| &m.key)
            }
        }
    }
}

/// A key used by more than one node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Duplicate {
    /// The first node in plan order that uses it.
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
/// actions are `actions` (in [`Plan::actions`] order), and `graph` and
/// `action_index` are what [`DependencyGraph::hashing`] gave for them (when it gave
/// no index, one is made here).
pub(crate) fn find(
    plan: &Plan,
    actions: &[&Action],
    graph: &DependencyGraph<'_>,
    action_index: &Option<KeyIndex>,
) -> Findings {
    match action_index {
        Some(index) => find_hashed(plan, actions, graph, &key_hash, index),
        None => {
            let index = KeyIndex::new(actions.iter().map(|a| a.key.as_str()), &key_hash);
            find_hashed(plan, actions, graph, &key_hash, &index)
        }
    }
}

/// [`find`], with `hash` as the hash of key texts (any function will do: equal hashes
/// only lead to the keys being compared) and `action_index` the index of the actions'
/// keys under it.
fn find_hashed(
    plan: &Plan,
    actions: &[&Action],
    graph: &DependencyGraph<'_>,
    hash: &impl Fn(&str) -> u64,
    action_index: &KeyIndex,
) -> Findings {
    let scale = plan.scale;
    let mut items = Vec::new();
    check_parent_overrides(&mut items, scale, ParentAt::PLAN, &plan.overrides);
    let mut n_subs = 0u32;
    for (o, objective) in plan.objectives.iter().enumerate() {
        let o = small(o);
        check_node(&mut items, scale, o, None, &objective.node);
        let at = ParentAt::objective(o);
        check_parent_overrides(&mut items, scale, at, &objective.node.overrides);
        for (s, sub) in objective.sub_objectives.iter().enumerate() {
            check_node(&mut items, scale, o, Some(small(s)), &sub.node);
            let at = ParentAt::sub_objective(n_subs);
            check_parent_overrides(&mut items, scale, at, &sub.node.overrides);
            n_subs += 1;
        }
    }

    // One walk over the plan, in the order of its keys: each action checked, and
    // every key that is not an action's listed.
    let mut keys = Keys { actions, others: Vec::new(), other_texts: Vec::new() };
    let mut position = 0u32;
    for (o, objective) in plan.objectives.iter().enumerate() {
        let o = small(o);
        keys.other(position, KeyAt::Objective(o), &objective.key);
        for (m, measure) in objective.measures.iter().enumerate() {
            keys.other(position, KeyAt::Measure(o, None, small(m)), &measure.key);
        }
        for a in &objective.actions {
            check_action(&mut items, scale, position, a);
            position = position.saturating_add(1);
        }
        for (s, sub) in objective.sub_objectives.iter().enumerate() {
            let s = small(s);
            keys.other(position, KeyAt::SubObjective(o, s), &sub.key);
            for (m, measure) in sub.measures.iter().enumerate() {
                keys.other(position, KeyAt::Measure(o, Some(s), small(m)), &measure.key);
            }
            for a in &sub.actions {
                check_action(&mut items, scale, position, a);
                position = position.saturating_add(1);
            }
        }
    }

    let duplicates = keys.duplicates(action_index, hash);
    items.extend((0..duplicates.len()).map(|d| Finding::DuplicateKey { duplicate: small(d) }));
    items.extend(
        (0..graph.missing().len()).map(|m| Finding::MissingDependency { missing: small(m) }),
    );
    items.extend((0..graph.n_cycles()).map(|c| Finding::DependencyCycle { cycle: small(c) }));
    Findings { items, duplicates }
}

/// Checks the ratings an objective (`sub` is `None`) or a sub-objective reports.
fn check_node(
    items: &mut Vec<Finding>,
    scale: Scale,
    objective: u32,
    sub: Option<u32>,
    node: &NodeRatings,
) {
    for (dimension, rating) in
        [(Dimension::Delivery, node.reported_delivery), (Dimension::Outcome, node.reported_outcome)]
    {
        if rating.is_some_and(|r| !scale.allows(r)) {
            items.push(Finding::RatingOutsideScale(OffScale::Reported {
                objective,
                sub,
                dimension,
            }));
        }
    }
}

/// What an override lacks, if anything: its justification, or its author.
fn lacking(ov: &Override) -> Option<Lacking> {
    if blank(&ov.justification) {
        Some(Lacking::Justification)
    } else if blank(&ov.by) {
        Some(Lacking::Author)
    } else {
        None
    }
}

/// Checks the overrides recorded on a parent or the plan, as an action's are.
fn check_parent_overrides(
    items: &mut Vec<Finding>,
    scale: Scale,
    parent: ParentAt,
    record: &[Override],
) {
    for (entry, ov) in record.iter().enumerate() {
        let entry = small(entry);
        if !scale.allows(ov.rating) {
            items.push(Finding::RatingOutsideScale(OffScale::ParentOverride { parent, entry }));
        }
        if let Some(lacking) = lacking(ov) {
            items.push(Finding::ParentOverrideWithoutJustification { parent, entry, lacking });
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
    let outside = |rating: Option<Rating>| rating.is_some_and(|r| !scale.allows(r));
    let off_scale = |off: OffScale| Finding::RatingOutsideScale(off);
    let at = position;
    if action.accountable.iter().all(|o| blank(&o.name)) {
        items.push(Finding::NoAccountableOwner { action: at });
    }
    let t = &action.timescale;
    if t.is_missing() {
        items.push(Finding::NoTimescale { action: at });
    } else if t.kind == TimescaleKind::Unresolved {
        items.push(Finding::UnresolvedTimescale { action: at });
    } else if t.is_open_ended() && action.review_date.is_none() && !action.is_complete() {
        items.push(Finding::OngoingWithoutReviewDate { action: at });
    }
    if action.action_rag == Some(Rating::Green) && action.evidence.iter().all(|e| blank(e)) {
        items.push(Finding::GreenWithoutEvidence { action: at });
    }
    if action.action_rag == Some(Rating::Complete)
        && action.status.is_some_and(|s| s != Status::Complete)
    {
        items.push(Finding::RatingStatusConflict { action: at });
    }
    for (dimension, rating) in
        [(Dimension::Delivery, action.action_rag), (Dimension::Outcome, action.outcome_rag)]
    {
        if outside(rating) {
            items.push(off_scale(OffScale::Action { action: at, dimension }));
        }
    }
    for (u, update) in action.updates.iter().enumerate() {
        for (dimension, rating) in
            [(Dimension::Delivery, update.delivery), (Dimension::Outcome, update.outcome)]
        {
            if outside(rating) {
                items.push(off_scale(OffScale::Update { action: at, update: small(u), dimension }));
            }
        }
    }
    for (entry, ov) in action.overrides.iter().enumerate() {
        let entry = small(entry);
        if outside(Some(ov.rating)) {
            items.push(off_scale(OffScale::Override { action: at, entry }));
        }
        if let Some(lacking) = lacking(ov) {
            items.push(Finding::OverrideWithoutJustification { action: at, entry, lacking });
        }
    }
    let later = action.updates.iter().skip(1);
    for (u, (before, after)) in action.updates.iter().zip(later).enumerate() {
        if after.on < before.on {
            items.push(Finding::UpdateBeforePrevious { action: at, update: small(u + 1) });
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
        self.items.iter().filter(|f| f.code() == code).count()
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
        self.items.iter().filter_map(move |&f| self.lint(f, plan, actions, graph))
    }

    /// The lint of `f`.
    fn lint(
        &self,
        f: Finding,
        plan: &Plan,
        actions: &[&Action],
        graph: &DependencyGraph<'_>,
    ) -> Option<Lint> {
        let action = |position: u32| actions.get(wide(position)).copied();
        let (key, message) = match f {
            Finding::NoAccountableOwner { action: at } => {
                let a = action(at)?;
                (Some(&a.key), format!("{} names nobody accountable", Named::of(a)))
            }
            Finding::NoTimescale { action: at } => {
                let a = action(at)?;
                (Some(&a.key), format!("{} has no timescale", Named::of(a)))
            }
            Finding::UnresolvedTimescale { action: at } => {
                let a = action(at)?;
                let message = format!(
                    "{} has the timescale \"{}\", which names no date ragplan can work out",
                    Named::of(a),
                    a.timescale.text
                );
                (Some(&a.key), message)
            }
            Finding::OngoingWithoutReviewDate { action: at } => {
                let a = action(at)?;
                let message =
                    format!("{} is \"{}\" with no review date", Named::of(a), a.timescale.text);
                (Some(&a.key), message)
            }
            Finding::GreenWithoutEvidence { action: at } => {
                let a = action(at)?;
                (Some(&a.key), format!("{} is reported Green with no evidence", Named::of(a)))
            }
            Finding::RatingOutsideScale(OffScale::ParentOverride { parent, entry }) => {
                let (key, name, record) = parent.read(plan)?;
                let rating = record.get(wide(entry))?.rating;
                let scale = plan.scale;
                let message = format!(
                    "the override of {name} is {rating}, which is not on the plan's {scale} scale"
                );
                (key, message)
            }
            Finding::RatingOutsideScale(off) => {
                let (what, key, rating) = off.rating(plan, actions)?;
                let scale = plan.scale;
                let message = format!(
                    "{what} of {key} is {rating}, which is not on the plan's {scale} scale"
                );
                (Some(key), message)
            }
            Finding::DuplicateKey { duplicate } => {
                let duplicate = self.duplicates.get(wide(duplicate))?;
                let key = duplicate.at.key(plan, actions)?;
                let n = duplicate.count;
                (Some(key), format!("the key {key} is used by {n} nodes; keys must be unique"))
            }
            Finding::MissingDependency { missing } => {
                let m = graph.missing().get(wide(missing))?;
                let message = format!(
                    "action {} depends on {}, which no action of the plan has",
                    m.action, m.missing
                );
                (Some(&m.action), message)
            }
            Finding::DependencyCycle { cycle } => {
                let keys: Vec<&Key> = graph.cycle_keys(wide(cycle)).collect();
                let message = if let [one] = keys.as_slice() {
                    format!("action {one} depends on itself")
                } else {
                    let list: Vec<&str> = keys.iter().map(|k| k.as_str()).collect();
                    format!("actions {} depend on each other in a cycle", list.join(", "))
                };
                (keys.first().copied(), message)
            }
            Finding::RatingStatusConflict { action: at } => {
                let a = action(at)?;
                let status = a.status?;
                let message = format!(
                    "{} is reported Complete but its status is {}; the status stands until \
                     one of them is corrected",
                    Named::of(a),
                    status.label()
                );
                (Some(&a.key), message)
            }
            Finding::OverrideWithoutJustification { action: at, entry, lacking } => {
                let a = action(at)?;
                let ov = a.overrides.get(wide(entry))?;
                let missing = match lacking {
                    Lacking::Justification => "justification",
                    Lacking::Author => "author",
                };
                let message =
                    format!("the override of {} to {} has no {missing}", Named::of(a), ov.rating);
                (Some(&a.key), message)
            }
            Finding::ParentOverrideWithoutJustification { parent, entry, lacking } => {
                let (key, name, record) = parent.read(plan)?;
                let ov = record.get(wide(entry))?;
                let missing = match lacking {
                    Lacking::Justification => "justification",
                    Lacking::Author => "author",
                };
                (key, format!("the override of {name} to {} has no {missing}", ov.rating))
            }
            Finding::UpdateBeforePrevious { action: at, update } => {
                let a = action(at)?;
                let later = wide(update);
                let before = a.updates.get(later.checked_sub(1)?)?;
                let after = a.updates.get(later)?;
                let message = format!(
                    "{} has an update dated {} logged after one dated {}",
                    Named::of(a),
                    uk_date(after.on),
                    uk_date(before.on)
                );
                (Some(&a.key), message)
            }
        };
        Some(Lint { place: f.place(plan), ..Lint::new(f.code(), key, message) })
    }
}

impl OffScale {
    /// What the rating is (`"the Action RAG"`), the key of its node and the rating,
    /// read from `plan`, whose actions are `actions`.
    fn rating<'p>(
        self,
        plan: &'p Plan,
        actions: &[&'p Action],
    ) -> Option<(String, &'p Key, Rating)> {
        let pick = |dimension: Dimension, delivery: Option<Rating>, outcome: Option<Rating>| {
            match dimension {
                Dimension::Delivery => delivery,
                Dimension::Outcome => outcome,
            }
        };
        match self {
            // Written where it is found: a parent's override may be the plan's.
            OffScale::ParentOverride { .. } => None,
            OffScale::Reported { objective, sub, dimension } => {
                let objective = plan.objectives.get(wide(objective))?;
                let (key, node) = match sub {
                    None => (&objective.key, &objective.node),
                    Some(s) => {
                        let sub = objective.sub_objectives.get(wide(s))?;
                        (&sub.key, &sub.node)
                    }
                };
                let rating = pick(dimension, node.reported_delivery, node.reported_outcome)?;
                Some((format!("reported {}", dimension.label()), key, rating))
            }
            OffScale::Action { action, dimension } => {
                let a = actions.get(wide(action))?;
                let rating = pick(dimension, a.action_rag, a.outcome_rag)?;
                let what = match dimension {
                    Dimension::Delivery => "the Action RAG",
                    Dimension::Outcome => "the Outcome RAG",
                };
                Some((what.to_owned(), &a.key, rating))
            }
            OffScale::Update { action, update, dimension } => {
                let a = actions.get(wide(action))?;
                let update = a.updates.get(wide(update))?;
                let rating = pick(dimension, update.delivery, update.outcome)?;
                let what = format!(
                    "the {} rating of the update of {}",
                    dimension.label(),
                    uk_date(update.on)
                );
                Some((what, &a.key, rating))
            }
            OffScale::Override { action, entry } => {
                let a = actions.get(wide(action))?;
                let ov = a.overrides.get(wide(entry))?;
                Some(("the override".to_owned(), &a.key, ov.rating))
            }
        }
    }
}

/// Every key of a plan, to find those used more than once: the actions' in the
/// [`KeyIndex`] of their graph, the others listed as [`find`] walks the plan.
struct Keys<'p, 'a> {
    /// The plan's actions, in [`Plan::actions`] order.
    actions: &'a [&'p Action],
    /// Each key that is not an action's, in plan order, with how many actions come
    /// before it in plan order.
    others: Vec<(u32, KeyAt)>,
    /// The text of each of `others`.
    other_texts: Vec<&'p str>,
}

impl<'p> Keys<'p, '_> {
    /// Lists the key `key` at `at`, which comes after `actions_before` actions.
    fn other(&mut self, actions_before: u32, at: KeyAt, key: &'p Key) {
        self.others.push((actions_before, at));
        self.other_texts.push(key.as_str());
    }

    /// The keys are numbered as in [`KeyIndex::join`]: the actions' by position, then
    /// the others in plan order. The text of the key of number `number`.
    fn text(&self, number: usize) -> &'p str {
        match number.checked_sub(self.actions.len()) {
            None => self.actions[number].key.as_str(),
            Some(other) => self.other_texts[other],
        }
    }

    /// Where the key of number `number` is.
    fn at(&self, number: usize) -> KeyAt {
        match number.checked_sub(self.actions.len()) {
            None => KeyAt::Action(small(number)),
            Some(other) => self.others[other].1,
        }
    }

    /// The place among all the plan's keys, in plan order, of the key of number
    /// `number`.
    fn ordinal(&self, number: usize) -> usize {
        match number.checked_sub(self.actions.len()) {
            // The action at `number` comes after the others with no more than
            // `number` actions before them.
            None => number + self.others.partition_point(|&(before, _)| wide(before) <= number),
            Some(other) => other + wide(self.others[other].0),
        }
    }

    /// The keys used more than once, in plan order of their second use; each with
    /// its first use. `action_index` is the index of the actions' keys under `hash`.
    fn duplicates(&self, action_index: &KeyIndex, hash: &impl Fn(&str) -> u64) -> Vec<Duplicate> {
        let all = action_index.join(&KeyIndex::new(self.other_texts.iter().copied(), hash));
        // (ordinal of the second use, count, number of the first use).
        let mut found: Vec<(usize, u32, usize)> = Vec::new();
        let mut run: Vec<(&str, usize, usize)> = Vec::new();
        for numbers in all.runs() {
            // Keys of one hash, by text and then in plan order.
            run.clear();
            run.extend(numbers.map(|n| (self.text(n), self.ordinal(n), n)));
            run.sort_unstable();
            for same in run.chunk_by(|a, b| a.0 == b.0).filter(|same| same.len() > 1) {
                found.push((same[1].1, small(same.len()), same[0].2));
            }
        }
        found.sort_unstable();
        found.into_iter().map(|(_, count, first)| Duplicate { at: self.at(first), count }).collect()
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

    /// What [`find`] finds, with `hash` as the hash of key texts.
    fn find_with(
        plan: &Plan,
        actions: &[&Action],
        graph: &DependencyGraph<'_>,
        hash: fn(&str) -> u64,
    ) -> Findings {
        let index = KeyIndex::new(actions.iter().map(|a| a.key.as_str()), &hash);
        find_hashed(plan, actions, graph, &hash, &index)
    }

    #[test]
    fn duplicate_keys_are_exact_whatever_the_hash() {
        let plan = plan_with_duplicates();
        let actions: Vec<&Action> = plan.actions().collect();
        let (graph, index) = DependencyGraph::hashing(&actions);
        let found = find(&plan, &actions, &graph, &index);
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
            assert_eq!(find_with(&plan, &actions, &graph, hash), found);
        }
    }

    #[test]
    fn keys_whose_hashes_collide_are_not_duplicates() {
        let plan = synthetic_plan(500, 4, 3);
        let actions: Vec<&Action> = plan.actions().collect();
        let (graph, index) = DependencyGraph::hashing(&actions);
        for hash in COLLIDING {
            let found = find_with(&plan, &actions, &graph, hash);
            assert_eq!(found.count(LintCode::DuplicateKey), 0);
            assert_eq!(found, find(&plan, &actions, &graph, &index));
        }
    }

    #[test]
    fn findings_render_as_the_lints_of_validate() {
        let plan = plan_with_duplicates();
        let actions: Vec<&Action> = plan.actions().collect();
        let (graph, index) = DependencyGraph::hashing(&actions);
        let found = find(&plan, &actions, &graph, &index);
        let lints: Vec<Lint> = found.render(&plan, &actions, &graph).collect();
        assert_eq!(lints.len(), found.len());
        assert!(!found.is_empty());
        assert_eq!(LintCode::ALL.iter().map(|&c| found.count(c)).sum::<usize>(), found.len());
        for code in LintCode::ALL {
            assert_eq!(found.count(code), lints.iter().filter(|l| l.code == code).count());
        }
        assert_eq!(lints, validate(&plan));
    }
}
