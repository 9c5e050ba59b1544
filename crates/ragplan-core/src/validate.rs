//! Validation of a plan: [`validate`] returns [`Lint`]s, each with a stable
//! [`LintCode`], a [`Severity`], the key of the node and a message.

use std::collections::HashMap;
use std::fmt;
use std::hash::BuildHasher;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::graph::DependencyGraph;
use crate::key::Key;
use crate::plan::{Action, Plan};
use crate::rating::{Rating, Status};
use crate::reason::uk_date;
use crate::timescale::TimescaleKind;

/// `action 1.2 "Title"`, written only when a lint needs it.
struct Named<'a>(&'a Key, &'a str);

impl fmt::Display for Named<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "action {} \"{}\"", self.0, self.1)
    }
}

/// How serious a lint is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
}

impl Lint {
    fn new(code: LintCode, key: Option<&Key>, message: String) -> Lint {
        Lint { code, severity: code.severity(), key: key.cloned(), message }
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
    let graph = DependencyGraph::from_actions(&actions);
    lints_with(plan, &actions, &graph)
}

/// [`validate`] with the plan's actions (in [`Plan::actions`] order) and their graph
/// already at hand.
pub(crate) fn lints_with(
    plan: &Plan,
    actions: &[&Action],
    graph: &DependencyGraph<'_>,
) -> Vec<Lint> {
    let mut lints = Vec::new();
    let scale = plan.scale;

    let check_rating = |lints: &mut Vec<Lint>, key: &Key, what: &str, rating: Option<Rating>| {
        if let Some(r) = rating.filter(|r| !scale.allows(*r)) {
            lints.push(Lint::new(
                LintCode::RatingOutsideScale,
                Some(key),
                format!("{what} of {key} is {r}, which is not on the plan's {scale} scale"),
            ));
        }
    };

    for objective in &plan.objectives {
        let node = &objective.node;
        check_rating(&mut lints, &objective.key, "reported delivery", node.reported_delivery);
        check_rating(&mut lints, &objective.key, "reported outcome", node.reported_outcome);
        for sub in &objective.sub_objectives {
            check_rating(&mut lints, &sub.key, "reported delivery", sub.node.reported_delivery);
            check_rating(&mut lints, &sub.key, "reported outcome", sub.node.reported_outcome);
        }
    }

    for action in actions {
        let key = &action.key;
        let named = Named(key, &action.title);
        if action.removed || action.status == Status::Cancelled {
            continue;
        }
        if action.accountable.iter().all(|o| o.name.trim().is_empty()) {
            lints.push(Lint::new(
                LintCode::NoAccountableOwner,
                Some(key),
                format!("{named} names nobody accountable"),
            ));
        }
        let t = &action.timescale;
        if t.is_missing() {
            lints.push(Lint::new(
                LintCode::NoTimescale,
                Some(key),
                format!("{named} has no timescale"),
            ));
        } else if t.kind == TimescaleKind::Unresolved {
            lints.push(Lint::new(
                LintCode::UnresolvedTimescale,
                Some(key),
                format!(
                    "{named} has the timescale \"{}\", which names no date ragplan can work out",
                    t.text
                ),
            ));
        } else if t.is_open_ended()
            && action.review_date.is_none()
            && action.status != Status::Complete
        {
            lints.push(Lint::new(
                LintCode::OngoingWithoutReviewDate,
                Some(key),
                format!("{named} is \"{}\" with no review date", t.text),
            ));
        }
        if action.action_rag == Some(Rating::Green)
            && action.evidence.iter().all(|e| e.trim().is_empty())
        {
            lints.push(Lint::new(
                LintCode::GreenWithoutEvidence,
                Some(key),
                format!("{named} is reported Green with no evidence"),
            ));
        }
        check_rating(&mut lints, key, "the Action RAG", action.action_rag);
        check_rating(&mut lints, key, "the Outcome RAG", action.outcome_rag);
        for update in &action.updates {
            for (what, rating) in [("delivery", update.delivery), ("outcome", update.outcome)] {
                if rating.is_some_and(|r| !scale.allows(r)) {
                    let what = format!("the {what} rating of the update of {}", uk_date(update.on));
                    check_rating(&mut lints, key, &what, rating);
                }
            }
        }
        if let Some(ov) = &action.override_rating {
            check_rating(&mut lints, key, "the override", Some(ov.rating));
            if ov.justification.trim().is_empty() || ov.by.trim().is_empty() {
                let missing =
                    if ov.justification.trim().is_empty() { "justification" } else { "author" };
                lints.push(Lint::new(
                    LintCode::OverrideWithoutJustification,
                    Some(key),
                    format!("the override of {named} to {} has no {missing}", ov.rating),
                ));
            }
        }
        for pair in action.updates.windows(2) {
            if pair[1].on < pair[0].on {
                lints.push(Lint::new(
                    LintCode::UpdateBeforePrevious,
                    Some(key),
                    format!(
                        "{named} has an update dated {} logged after one dated {}",
                        uk_date(pair[1].on),
                        uk_date(pair[0].on)
                    ),
                ));
            }
        }
    }

    // Duplicate keys among every node of the plan: sort the keys' hashes, then
    // compare the keys only where two hashes meet. Far cheaper than a map of every
    // key for a plan of a million actions.
    let mut all_keys: Vec<&Key> = Vec::with_capacity(actions.len() + plan.objectives.len());
    for objective in &plan.objectives {
        all_keys.push(&objective.key);
        all_keys.extend(objective.measures.iter().map(|m| &m.key));
        all_keys.extend(objective.actions.iter().map(|a| &a.key));
        for s in &objective.sub_objectives {
            all_keys.push(&s.key);
            all_keys.extend(s.measures.iter().map(|m| &m.key));
            all_keys.extend(s.actions.iter().map(|a| &a.key));
        }
    }
    let hasher = crate::graph::FxBuild::default();
    let mut hashed: Vec<(u64, usize)> =
        all_keys.iter().enumerate().map(|(i, k)| (hasher.hash_one(k), i)).collect();
    hashed.sort_unstable();
    let mut suspects: Vec<usize> = Vec::new();
    for run in hashed.chunk_by(|a, b| a.0 == b.0).filter(|run| run.len() > 1) {
        suspects.extend(run.iter().map(|(_, i)| *i));
    }
    suspects.sort_unstable();
    let mut seen: HashMap<&Key, u32> = HashMap::with_capacity(suspects.len());
    let mut duplicates: Vec<&Key> = Vec::new();
    for &i in &suspects {
        let n = seen.entry(all_keys[i]).or_insert(0);
        *n += 1;
        if *n == 2 {
            duplicates.push(all_keys[i]);
        }
    }
    for key in duplicates {
        let n = seen.get(key).copied().unwrap_or(2);
        lints.push(Lint::new(
            LintCode::DuplicateKey,
            Some(key),
            format!("the key {key} is used by {n} nodes; keys must be unique"),
        ));
    }

    for m in graph.missing() {
        lints.push(Lint::new(
            LintCode::MissingDependency,
            Some(&m.action),
            format!(
                "action {} depends on {}, which no action of the plan has",
                m.action, m.missing
            ),
        ));
    }
    for cycle in graph.cycles() {
        let keys: Vec<&str> = cycle.iter().map(Key::as_str).collect();
        let message = if let [one] = keys.as_slice() {
            format!("action {one} depends on itself")
        } else {
            format!("actions {} depend on each other in a cycle", keys.join(", "))
        };
        lints.push(Lint::new(LintCode::DependencyCycle, cycle.first(), message));
    }
    lints
}
