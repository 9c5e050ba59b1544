//! Changing a plan: [`Plan::apply`] records an [`Update`], [`Plan::set_override`]
//! adds an [`Override`] to a node's record and [`Plan::withdraw_override`] records its
//! [`Withdrawal`]; [`Plan::as_at`] reconstructs the plan as it stood on an earlier
//! date from its update logs.
//!
//! A change is checked here, once, and every problem is named with its [`Field`] in
//! one [`ApplyError`]: the CLI prints it, the API answers it as a 422. A change is
//! refused when its key names no node, or more than one: two nodes sharing a key
//! cannot tell which of them a change is for.

use std::fmt;

use chrono::NaiveDate;

use crate::edit::removed_problem;
use crate::key::Key;
use crate::plan::{Action, Override, Plan, Update, Withdrawal};
use crate::rating::{Rating, Scale};
use crate::text::uk_date;
use crate::vocab::NodeKind;
use crate::walk::{Node, Place, PlanNode};

/// Which part of an update, override or edit a [`Problem`] is about, in the order
/// problems are listed; from [`Field::Title`] on, also the fields an edit changes
/// ([`crate::FieldChange`]). The names are those of the `ragplan/2` document.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Field {
    /// The action's key.
    Key,
    /// The parent a node is added under ([`Plan::add_node`]).
    Under,
    /// The update's delivery rating.
    Delivery,
    /// The update's outcome rating.
    Outcome,
    /// The override's rating.
    Rating,
    /// The update's status.
    Status,
    /// The update's progress.
    Progress,
    /// Who made the update or the judgement.
    By,
    /// The date of the update or override.
    On,
    /// Why the override's rating differs.
    Justification,
    /// An edited title.
    Title,
    /// Edited accountable owners.
    Accountable,
    /// Edited responsible owners.
    Responsible,
    /// Edited partners.
    Partners,
    /// An edited timescale.
    Timescale,
    /// An edited start date.
    Start,
    /// Edited dependencies.
    DependsOn,
    /// Edited criticality.
    Critical,
    /// An edited weight.
    Weight,
    /// An edited review date.
    ReviewDate,
    /// Edited evidence: what shows the action is done.
    Evidence,
    /// Edited outcomes: the action's intended effects.
    Outcomes,
    /// An objective's or sub-objective's measures: one added, or a reading logged.
    Measures,
    /// A node added to the plan ([`Plan::add_node`]): its kind and parent.
    Added,
    /// A node marked removed ([`Plan::remove_node`]): why, and by which removal.
    Removed,
}

impl Field {
    /// Every field, in the order problems are listed.
    pub const ALL: [Field; 25] = [
        Field::Key,
        Field::Under,
        Field::Delivery,
        Field::Outcome,
        Field::Rating,
        Field::Status,
        Field::Progress,
        Field::By,
        Field::On,
        Field::Justification,
        Field::Title,
        Field::Accountable,
        Field::Responsible,
        Field::Partners,
        Field::Timescale,
        Field::Start,
        Field::DependsOn,
        Field::Critical,
        Field::Weight,
        Field::ReviewDate,
        Field::Evidence,
        Field::Outcomes,
        Field::Measures,
        Field::Added,
        Field::Removed,
    ];

    /// The field's name in the `ragplan/2` document: `delivery`, `on`, …
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Key => "key",
            Field::Under => "under",
            Field::Delivery => "delivery",
            Field::Outcome => "outcome",
            Field::Rating => "rating",
            Field::Status => "status",
            Field::Progress => "progress",
            Field::By => "by",
            Field::On => "on",
            Field::Justification => "justification",
            Field::Title => "title",
            Field::Accountable => "accountable",
            Field::Responsible => "responsible",
            Field::Partners => "partners",
            Field::Timescale => "timescale",
            Field::Start => "start",
            Field::DependsOn => "depends_on",
            Field::Critical => "critical",
            Field::Weight => "weight",
            Field::ReviewDate => "review_date",
            Field::Evidence => "evidence",
            Field::Outcomes => "outcomes",
            Field::Measures => "measures",
            Field::Added => "added",
            Field::Removed => "removed",
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem of an update or override, with the field it is about. It reads
/// `field: message` (`key: no action has the key R9`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct Problem {
    /// The field.
    pub field: Field,
    /// What is wrong with it: lowercase, no trailing period.
    pub message: String,
    /// Whether the key it names is held by no node, or by more than one.
    missing: bool,
}

impl Problem {
    pub(crate) fn new(field: Field, message: impl Into<String>) -> Problem {
        Problem { field, message: message.into(), missing: false }
    }

    /// A problem with the key itself: no node has it, or several do.
    fn missing_key(message: String) -> Problem {
        Problem { field: Field::Key, message, missing: true }
    }

    /// The problem as one of the parent named by [`Field::Under`]: a value given
    /// with the change, not the node it is made to.
    pub(crate) fn of_parent(self) -> Problem {
        Problem { field: Field::Under, missing: false, ..self }
    }

    /// Whether the key it names is held by no node, or by more than one (a key
    /// taken, or a node that cannot change, is not).
    pub fn is_unknown_key(&self) -> bool {
        self.missing
    }
}

/// What was refused: an update, an override or the withdrawal of one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// A progress update ([`Plan::apply`]).
    Update,
    /// An override ([`Plan::set_override`], [`Override::new`]).
    Override,
    /// The withdrawal of an override ([`Plan::withdraw_override`]).
    Withdrawal,
    /// An edit of a node's fields ([`Plan::edit`]).
    Edit,
    /// A node added to the plan ([`Plan::add_node`]).
    Addition,
    /// A node marked removed ([`Plan::remove_node`]).
    Removal,
}

impl ChangeKind {
    /// `update`, `override`, `withdrawal`, `edit`, `addition` or `removal`.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Update => "update",
            ChangeKind::Override => "override",
            ChangeKind::Withdrawal => "withdrawal",
            ChangeKind::Edit => "edit",
            ChangeKind::Addition => "addition",
            ChangeKind::Removal => "removal",
        }
    }
}

/// An update or override refused, with every problem found, in [`Field`] order.
///
/// Displayed as one line that lists them all:
/// `action 1.1.1: the update was refused: progress: 140 is not a percentage from 0 to
/// 100; by: say who made the update`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ApplyError {
    /// What was refused.
    pub change: ChangeKind,
    /// The node it was for; none when no plan was involved ([`Override::new`]) or
    /// it was for the plan itself.
    pub key: Option<Key>,
    /// What that node is, when one node has the key.
    pub kind: Option<NodeKind>,
    /// Every problem, never empty.
    pub problems: Vec<Problem>,
}

impl fmt::Display for ApplyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(key) = &self.key {
            let noun = match (self.kind, self.change) {
                (Some(kind), _) => kind.label(),
                (None, ChangeKind::Update) => "action",
                (None, _) => "node",
            };
            write!(f, "{noun} {key}: ")?;
        }
        write!(f, "the {} was refused: ", self.change.as_str())?;
        for (i, problem) in self.problems.iter().enumerate() {
            let sep = if i == 0 { "" } else { "; " };
            write!(f, "{sep}{}: {}", problem.field, problem.message)?;
        }
        Ok(())
    }
}

impl ApplyError {
    /// Whether the key names no node, or more than one (the other problems are then
    /// about the change itself).
    pub fn is_unknown_key(&self) -> bool {
        self.problems.iter().any(Problem::is_unknown_key)
    }

    /// `Ok` when there is no problem; the problems sorted by field otherwise.
    pub(crate) fn check(
        change: ChangeKind,
        key: Option<&Key>,
        place: Option<Place>,
        mut problems: Vec<Problem>,
    ) -> Result<(), Self> {
        if problems.is_empty() {
            return Ok(());
        }
        problems.sort_by_key(|p| p.field);
        let kind = match place {
            Some(Place::Objective(_)) => Some(NodeKind::Objective),
            Some(Place::SubObjective(_)) => Some(NodeKind::SubObjective),
            Some(Place::Action(_)) => Some(NodeKind::Action),
            Some(Place::Plan) | None => None,
        };
        Err(ApplyError { change, key: key.cloned(), kind, problems })
    }
}

fn blank(text: &str) -> bool {
    text.trim().is_empty()
}

fn off_scale(field: Field, scale: Scale, rating: Option<Rating>) -> Option<Problem> {
    let rating = rating.filter(|r| !scale.allows(*r))?;
    Some(Problem::new(field, format!("{rating} is not on the plan's {scale} scale")))
}

/// Where a node is, as a reader finds it: `action "Agree the protocol" (the plan's
/// action #3)`.
fn describe(node: &PlanNode<'_>) -> String {
    let n = match node.place {
        Place::Plan => 0,
        Place::Objective(i) | Place::SubObjective(i) | Place::Action(i) => i + 1,
    };
    let kind = node.kind().label();
    format!("{kind} \"{}\" (the plan's {kind} #{n})", node.title())
}

/// The one node of `plan` with `key` that `wanted` accepts, or the problem with the
/// key: none has it ("no `noun` has the key …"), or several do, each named.
pub(crate) fn find_node<'p>(
    plan: &'p Plan,
    key: &Key,
    noun: &str,
    wanted: impl Fn(&PlanNode<'p>) -> bool,
) -> Result<PlanNode<'p>, Problem> {
    let mut found = plan.nodes().filter(|n| n.key() == key && wanted(n));
    let Some(first) = found.next() else {
        // The key of another kind of node: say whose it is, and what is under it.
        let mut nodes = plan.nodes().skip_while(|n| n.key() != key);
        if let Some(other) = nodes.next() {
            let under: Vec<String> = nodes
                .take_while(|n| n.depth > other.depth)
                .filter(|n| wanted(n))
                .map(|n| n.key().to_string())
                .collect();
            let kind = other.kind().label();
            let title = other.title();
            let what = match under.as_slice() {
                [] => String::new(),
                [one] => format!(", whose {noun} is {one}"),
                [rest @ .., last] if rest.len() < 5 => {
                    format!(", whose {noun}s are {} and {last}", rest.join(", "))
                }
                many => format!(
                    ", which holds {} {noun}s, {} to {}",
                    many.len(),
                    many[0],
                    many[many.len() - 1]
                ),
            };
            return Err(Problem::missing_key(format!(
                "no {noun} has the key {key}: it is the key of {kind} \"{title}\"{what}"
            )));
        }
        let keys = plan.nodes().filter(|n| wanted(n)).map(|n| n.key());
        return Err(no_such_key(noun, key, keys));
    };
    let others: Vec<PlanNode<'p>> = found.collect();
    if others.is_empty() {
        return Ok(first);
    }
    let mut places = vec![describe(&first)];
    places.extend(others.iter().map(describe));
    let last = places.pop().unwrap_or_default();
    Err(Problem::missing_key(format!(
        "the key {key} is held by {} nodes, {} and {last}; give each its own key before \
             changing one",
        places.len() + 1,
        places.join(", ")
    )))
}

/// "no `noun` has the key …", with the nearest of `keys`.
pub(crate) fn no_such_key<'p>(
    noun: &str,
    key: &Key,
    keys: impl Iterator<Item = &'p Key>,
) -> Problem {
    let nearest = nearest_keys(keys, key);
    let message = match nearest.split_last() {
        None => format!("no {noun} has the key {key}"),
        Some((last, [])) => format!("no {noun} has the key {key}; did you mean {last}?"),
        Some((last, rest)) => {
            let rest: Vec<String> = rest.iter().map(ToString::to_string).collect();
            format!("no {noun} has the key {key}; did you mean {} or {last}?", rest.join(", "))
        }
    };
    Problem::missing_key(message)
}

/// The keys most like `given`, at most five, closest first, ignoring case: those it
/// begins (`R7.1` for `R7`, `R6a` for `R6`), then those one edit from it (two, for a
/// key of six characters or more).
fn nearest_keys<'p>(keys: impl Iterator<Item = &'p Key>, given: &Key) -> Vec<&'p Key> {
    const MOST: usize = 5;
    let given_lower = given.as_str().to_lowercase();
    let edits = if given_lower.chars().count() >= 6 { 2 } else { 1 };
    let mut scored: Vec<(u8, usize, &Key)> = keys
        .filter_map(|k| {
            let lower = k.as_str().to_lowercase();
            if lower.len() > given_lower.len() && lower.starts_with(&given_lower) {
                return Some((0, lower.len(), k));
            }
            let distance = strsim::damerau_levenshtein(&lower, &given_lower);
            (distance <= edits).then_some((1, distance, k))
        })
        .collect();
    scored.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)).then_with(|| a.2.cmp(b.2)));
    let mut nearest: Vec<&Key> = Vec::with_capacity(MOST);
    for (_, _, k) in scored {
        if !nearest.contains(&k) {
            nearest.push(k);
        }
        if nearest.len() == MOST {
            break;
        }
    }
    nearest
}

/// How [`Plan::resolve_key`] found the node a person's key meant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyMatch {
    /// A node has the key as given.
    Exact,
    /// One node has the key in another case (`r7.1` for `R7.1`).
    IgnoringCase,
    /// The key is a recommendation's (or any parent's) with one action under it
    /// (`R7` for `R7.1`).
    OnlyActionUnder,
}

impl Plan {
    /// The key a person most likely meant by `given`, and how it was found: a node
    /// with the key as given; else the one node whose key differs only in case; else,
    /// when an action is wanted, the one action under the node (or the keys) that
    /// `given` heads. None when no rule finds exactly one; changing the plan by the
    /// given key then fails naming the nearest keys.
    ///
    /// # Example
    /// ```
    /// use ragplan_core::{Action, Key, KeyMatch, Objective, Plan, PlanId};
    /// let mut plan = Plan::new(PlanId::new("p")?, "Plan");
    /// let mut r7 = Objective::new(Key::new("R7")?, "Recommendation 7");
    /// r7.actions.push(Action::new(Key::new("R7.1")?, "Report to Cabinet"));
    /// plan.objectives.push(r7);
    ///
    /// let found = plan.resolve_key(&Key::new("R7")?, true);
    /// assert_eq!(found, Some((Key::new("R7.1")?, KeyMatch::OnlyActionUnder)));
    /// let found = plan.resolve_key(&Key::new("r7.1")?, true);
    /// assert_eq!(found, Some((Key::new("R7.1")?, KeyMatch::IgnoringCase)));
    /// assert_eq!(plan.resolve_key(&Key::new("R7")?, false), Some((Key::new("R7")?, KeyMatch::Exact)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn resolve_key(&self, given: &Key, action: bool) -> Option<(Key, KeyMatch)> {
        let wanted = |n: &PlanNode<'_>| !action || n.action().is_some();
        if self.nodes().any(|n| n.key() == given && wanted(&n)) {
            return Some((given.clone(), KeyMatch::Exact));
        }
        let one = |mut keys: Vec<&Key>| {
            keys.sort();
            keys.dedup();
            (keys.len() == 1).then(|| keys[0].clone())
        };
        let lower = given.as_str().to_lowercase();
        let same_but_case: Vec<&Key> = self
            .nodes()
            .filter(|n| wanted(n) && n.key().as_str().to_lowercase() == lower)
            .map(|n| n.key())
            .collect();
        if !same_but_case.is_empty() {
            return one(same_but_case).map(|k| (k, KeyMatch::IgnoringCase));
        }
        if !action {
            return None;
        }
        // The actions under a node with the key, or whose keys it heads (R7 → R7.1).
        let under = format!("{lower}.");
        // The walk meets a parent before its children: a node is inside what the key
        // heads when it has the key or its parent is inside.
        let mut inside: Vec<Place> = Vec::new();
        let mut keys: Vec<&Key> = Vec::new();
        for n in self.nodes() {
            let key = n.key().as_str().to_lowercase();
            let parent_inside = inside.contains(&n.parent);
            if parent_inside || key == lower {
                inside.push(n.place);
            }
            if n.action().is_some() && (parent_inside || key.starts_with(&under)) {
                keys.push(n.key());
            }
        }
        one(keys).map(|k| (k, KeyMatch::OnlyActionUnder))
    }
}

/// What is wrong with an update on `action` (none when no action has the key) in a
/// plan on `scale`.
fn update_problems(update: &Update, action: Option<&Action>, scale: Scale) -> Vec<Problem> {
    let mut problems = Vec::new();
    problems.extend(off_scale(Field::Delivery, scale, update.delivery));
    problems.extend(off_scale(Field::Outcome, scale, update.outcome));
    if let Some(p) = update.progress.filter(|p| *p > 100) {
        problems
            .push(Problem::new(Field::Progress, format!("{p} is not a percentage from 0 to 100")));
    }
    if blank(&update.by) {
        problems.push(Problem::new(Field::By, "say who made the update"));
    }
    if let Some(previous) = action.and_then(Action::last_update_on).filter(|p| *p > update.on) {
        let message = format!(
            "the update is dated {}, before the previous update of {}",
            uk_date(update.on),
            uk_date(previous)
        );
        problems.push(Problem::new(Field::On, message));
    }
    problems
}

/// What is wrong with an override on its own: who and why.
pub(crate) fn override_problems(ov: &Override) -> Vec<Problem> {
    let mut problems = Vec::new();
    if blank(&ov.by) {
        problems.push(Problem::new(Field::By, "say who made the judgement"));
    }
    if blank(&ov.justification) {
        problems.push(Problem::new(Field::Justification, "record why the rating differs"));
    }
    if ov.withdrawn.is_some() {
        problems.push(Problem::new(
            Field::On,
            "a new override cannot be withdrawn already; record the withdrawal after it",
        ));
    }
    problems
}

/// What is wrong with a withdrawal on its own: who and why.
fn withdrawal_problems(w: &Withdrawal) -> Vec<Problem> {
    let mut problems = Vec::new();
    if blank(&w.by) {
        problems.push(Problem::new(Field::By, "say who withdrew the judgement"));
    }
    if blank(&w.justification) {
        problems.push(Problem::new(Field::Justification, "record why it is withdrawn"));
    }
    problems
}

/// Appends `update` to `action`'s log and sets the action's current rating, status,
/// progress and evidence from it: what [`Plan::record`] does once the update passes
/// its checks, and [`Plan::redo_update`] without them.
fn log_update(action: &mut Action, update: Update) {
    if action.imported.is_none() {
        // What the source said, kept for the plan as it stood before this update: a
        // field no logged update set still holds it. (A plan written without this
        // record has updates already; what they set is not known from before them.)
        let unset = |set: fn(&Update) -> bool| !action.updates.iter().any(set);
        action.imported = Some(crate::plan::Imported {
            action_rag: action.action_rag.filter(|_| unset(|u| u.delivery.is_some())),
            outcome_rag: action.outcome_rag.filter(|_| unset(|u| u.outcome.is_some())),
            status: action.status.filter(|_| unset(|u| u.status.is_some())),
            progress: action.progress.filter(|_| unset(|u| u.progress.is_some())),
        });
    }
    if let Some(r) = update.delivery {
        action.action_rag = Some(r);
    }
    if let Some(r) = update.outcome {
        action.outcome_rag = Some(r);
    }
    if let Some(s) = update.status {
        action.status = Some(s);
    }
    if let Some(p) = update.progress {
        action.progress = Some(p);
    }
    if let Some(e) = update.evidence.as_ref().filter(|e| !e.trim().is_empty()) {
        action.evidence.push(e.clone());
    }
    action.updates.push(update);
}

impl Action {
    /// Logs `update` on the action as [`Plan::apply`] does once its checks pass:
    /// appended to the log, the current rating, status, progress and evidence set
    /// from it, and what the source said kept first ([`Action::imported`]). No check
    /// is made: for a caller that made the update itself, as a re-import makes one
    /// of the changes a dated table brings.
    pub fn log_update(&mut self, update: Update) {
        log_update(self, update);
    }
}

/// `Ok` when an override is complete on its own ([`Override::new`]).
pub(crate) fn check_override(ov: &Override) -> Result<(), ApplyError> {
    ApplyError::check(ChangeKind::Override, None, None, override_problems(ov))
}

impl Plan {
    /// Records a progress update on the action with `key`: appends it to the action's
    /// log and sets the action's current rating, status, progress and evidence from
    /// the fields it carries.
    ///
    /// # Errors
    /// [`ApplyError`] listing every problem with its [`Field`]: no action has the
    /// key, the update names nobody as its author, a rating is not on the plan's
    /// scale, progress is above 100, the update is dated before the latest one
    /// logged. The plan is unchanged on error.
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// use ragplan_core::{Action, Key, Objective, Plan, PlanId, Rating, Update};
    /// let mut plan = Plan::new(PlanId::new("p")?, "Plan");
    /// let mut objective = Objective::new(Key::new("1")?, "Objective");
    /// objective.actions.push(Action::new(Key::new("1.1")?, "Agree the protocol"));
    /// plan.objectives.push(objective);
    ///
    /// let key = Key::new("1.1")?;
    /// let mut update = Update::new(NaiveDate::from_ymd_opt(2015, 6, 1).unwrap(), "CSE coordinator");
    /// update.delivery = Some(Rating::Amber);
    /// plan.apply(&key, update.clone())?;
    /// assert_eq!(plan.action(&key).unwrap().action_rag, Some(Rating::Amber));
    ///
    /// // An earlier update is refused, naming the action.
    /// update.on = NaiveDate::from_ymd_opt(2015, 5, 1).unwrap();
    /// let err = plan.apply(&key, update).unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "action 1.1: the update was refused: on: the update is dated 1 May 2015, before the previous update of 1 June 2015"
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn apply(&mut self, key: &Key, update: Update) -> Result<(), ApplyError> {
        self.apply_checked(key, update, None)
    }

    /// [`Plan::apply`] for an update reported now, on `today`: also refused when it
    /// is dated after `today`, since an update records what has happened (a year
    /// mistyped as 2105 would otherwise stand as the action's latest update and refuse
    /// every real one dated before it). What `ragplan update` and the API call.
    ///
    /// # Errors
    /// As [`Plan::apply`], and the update dated after `today`, every problem listed.
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// use ragplan_core::{Action, Key, Objective, Plan, PlanId, Update};
    /// let mut plan = Plan::new(PlanId::new("p")?, "Plan");
    /// let mut objective = Objective::new(Key::new("1")?, "Objective");
    /// objective.actions.push(Action::new(Key::new("1.1")?, "Agree the protocol"));
    /// plan.objectives.push(objective);
    ///
    /// let today = NaiveDate::from_ymd_opt(2015, 6, 30).unwrap();
    /// let update = Update::new(NaiveDate::from_ymd_opt(2105, 6, 1).unwrap(), "CSE coordinator");
    /// let err = plan.record(&Key::new("1.1")?, update, today).unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "action 1.1: the update was refused: on: the update is dated 1 June 2105, after today \
    ///      (30 June 2015): an update records what has happened"
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn record(
        &mut self,
        key: &Key,
        update: Update,
        today: NaiveDate,
    ) -> Result<(), ApplyError> {
        self.apply_checked(key, update, Some(today))
    }

    /// [`Plan::apply`], and with `today` [`Plan::record`].
    fn apply_checked(
        &mut self,
        key: &Key,
        update: Update,
        today: Option<NaiveDate>,
    ) -> Result<(), ApplyError> {
        let found = find_node(self, key, "action", |n| n.action().is_some());
        let (place, action) = match &found {
            Ok(n) => (Some(n.place), n.action()),
            Err(_) => (None, None),
        };
        let mut problems = update_problems(&update, action, self.scale);
        if let Some(today) = today.filter(|t| update.on > *t) {
            let message = format!(
                "the update is dated {}, after today ({}): an update records what has happened",
                uk_date(update.on),
                uk_date(today)
            );
            problems.push(Problem::new(Field::On, message));
        }
        problems.extend(found.err());
        problems.extend(action.and_then(|a| removed_problem(Node::Action(a), ChangeKind::Update)));
        ApplyError::check(ChangeKind::Update, Some(key), place, problems)?;
        let Some(Place::Action(position)) = place else { return Ok(()) };
        if let Some(action) = self.actions_mut().nth(position) {
            log_update(action, update);
        }
        Ok(())
    }

    /// Makes again an update that [`Plan::record`] or [`Plan::apply`] accepted
    /// before, as a store that keeps changes rather than whole plans reads them back:
    /// the action with `key` changes as it did then, without the checks the update
    /// passed then, so that a rule added since cannot refuse what was accepted.
    ///
    /// # Errors
    /// [`ApplyError`] when no action has the key or several do; the plan is unchanged
    /// then.
    pub fn redo_update(&mut self, key: &Key, update: Update) -> Result<(), ApplyError> {
        let position = self.one_action(key, ChangeKind::Update)?;
        if let Some(action) = self.actions_mut().nth(position) {
            log_update(action, update);
        }
        Ok(())
    }

    /// Makes again an override that [`Plan::set_action_override`] accepted before,
    /// as [`Plan::redo_update`] does an update: added to the action's record without
    /// the checks it passed then.
    ///
    /// # Errors
    /// [`ApplyError`] when no action has the key or several do; the plan is unchanged
    /// then.
    pub fn redo_action_override(&mut self, key: &Key, ov: Override) -> Result<(), ApplyError> {
        let position = self.one_action(key, ChangeKind::Override)?;
        if let Some(action) = self.actions_mut().nth(position) {
            action.overrides.push(ov);
        }
        Ok(())
    }

    /// The position of the one action with `key`.
    fn one_action(&self, key: &Key, change: ChangeKind) -> Result<usize, ApplyError> {
        let problem = match find_node(self, key, "action", |n| n.action().is_some()) {
            Ok(node) => match node.place {
                Place::Action(position) => return Ok(position),
                _ => Problem::missing_key(format!("no action has the key {key}")),
            },
            Err(problem) => problem,
        };
        Err(ApplyError { change, key: Some(key.clone()), kind: None, problems: vec![problem] })
    }

    /// Records a professional judgement on the node with `key` (an objective,
    /// sub-objective or action): it is added to the node's record of overrides, and
    /// stands from its date until a later one or its withdrawal.
    ///
    /// # Errors
    /// [`ApplyError`] listing every problem with its [`Field`]: no node has the key
    /// or several do, the rating is not on the plan's scale, the justification or
    /// author is blank, the override is dated before the latest one recorded. The
    /// plan is unchanged on error.
    pub fn set_override(&mut self, key: &Key, ov: Override) -> Result<(), ApplyError> {
        let place = find_node(self, key, "node", |_| true).map(|n| n.place);
        self.record_override(place, Some(key), ov)
    }

    /// Records a professional judgement on the action with `key`, as
    /// [`Plan::set_override`] does on any node: only an action is looked for, so an
    /// objective or sub-objective with the same key is neither changed nor in the way.
    ///
    /// # Errors
    /// As [`Plan::set_override`], with "no action has the key" when none has it.
    pub fn set_action_override(&mut self, key: &Key, ov: Override) -> Result<(), ApplyError> {
        let place = find_node(self, key, "action", |n| n.action().is_some()).map(|n| n.place);
        self.record_override(place, Some(key), ov)
    }

    /// Records a professional judgement on the plan's own rating, as
    /// [`Plan::set_override`] does on a node.
    ///
    /// # Errors
    /// As [`Plan::set_override`], without the key.
    pub fn set_plan_override(&mut self, ov: Override) -> Result<(), ApplyError> {
        self.record_override(Ok(Place::Plan), None, ov)
    }

    fn record_override(
        &mut self,
        place: Result<Place, Problem>,
        key: Option<&Key>,
        ov: Override,
    ) -> Result<(), ApplyError> {
        let mut problems = override_problems(&ov);
        problems.extend(off_scale(Field::Rating, self.scale, Some(ov.rating)));
        let node = place.as_ref().ok().and_then(|p| self.node_at(*p));
        problems.extend(node.and_then(|n| removed_problem(n, ChangeKind::Override)));
        let record = place.as_ref().ok().and_then(|p| self.overrides_at(*p)).unwrap_or(&[]);
        if let Some(previous) = record.iter().map(|o| o.on).max().filter(|p| *p > ov.on) {
            let message = format!(
                "the override is dated {}, before the current override of {}",
                uk_date(ov.on),
                uk_date(previous)
            );
            problems.push(Problem::new(Field::On, message));
        }
        let place = match place {
            Ok(place) => Some(place),
            Err(problem) => {
                problems.push(problem);
                None
            }
        };
        ApplyError::check(ChangeKind::Override, key, place, problems)?;
        if let Some(record) = place.and_then(|p| self.overrides_at_mut(p)) {
            record.push(ov);
        }
        Ok(())
    }

    /// Withdraws the override in force on the withdrawal's date on the node with
    /// `key`: the withdrawal is recorded on it, and nothing is deleted. From that date
    /// no override stands on the node until a new one is made; a report for an
    /// earlier date still shows the judgement that stood then.
    ///
    /// # Errors
    /// [`ApplyError`] listing every problem with its [`Field`]: no node has the key
    /// or several do, the author or justification is blank, no override stands on
    /// the node on that date. The plan is unchanged on error.
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// use ragplan_core::{Action, Key, Objective, Override, Plan, PlanId, Rating, Withdrawal};
    /// let mut plan = Plan::new(PlanId::new("p")?, "Plan");
    /// let mut objective = Objective::new(Key::new("1")?, "Objective");
    /// objective.actions.push(Action::new(Key::new("1.1")?, "Agree the protocol"));
    /// plan.objectives.push(objective);
    /// let key = Key::new("1.1")?;
    /// let day = |m, d| NaiveDate::from_ymd_opt(2015, m, d).unwrap();
    /// plan.set_override(&key, Override::new(Rating::Amber, "Chair", day(4, 1), "Police data")?)?;
    /// let withdrawal = Withdrawal { by: "Chair".into(), on: day(8, 1), justification: "Data corrected".into() };
    /// plan.withdraw_override(&key, withdrawal)?;
    /// let action = plan.action(&key).unwrap();
    /// assert_eq!(action.overrides.len(), 1, "kept as a record");
    /// assert_eq!(action.override_on(day(6, 30)).map(|o| o.rating), Some(Rating::Amber));
    /// assert_eq!(action.override_on(day(9, 30)), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn withdraw_override(&mut self, key: &Key, w: Withdrawal) -> Result<(), ApplyError> {
        let place = find_node(self, key, "node", |_| true).map(|n| n.place);
        self.record_withdrawal(place, Some(key), w)
    }

    /// Withdraws the override in force on the plan's own rating, as
    /// [`Plan::withdraw_override`] does on a node.
    ///
    /// # Errors
    /// As [`Plan::withdraw_override`], without the key.
    pub fn withdraw_plan_override(&mut self, w: Withdrawal) -> Result<(), ApplyError> {
        self.record_withdrawal(Ok(Place::Plan), None, w)
    }

    fn record_withdrawal(
        &mut self,
        place: Result<Place, Problem>,
        key: Option<&Key>,
        w: Withdrawal,
    ) -> Result<(), ApplyError> {
        let mut problems = withdrawal_problems(&w);
        let standing = match &place {
            Ok(p) => {
                let record = self.overrides_at(*p).unwrap_or(&[]);
                match in_force_index(record, w.on) {
                    None => Err(Problem::new(
                        Field::On,
                        format!("no override stands on {} to withdraw", uk_date(w.on)),
                    )),
                    // Withdrawn already, from a later date: that withdrawal stays.
                    Some(i) => match &record[i].withdrawn {
                        Some(earlier) => Err(Problem::new(
                            Field::On,
                            format!(
                                "the override of {} is already withdrawn from {}",
                                uk_date(record[i].on),
                                uk_date(earlier.on)
                            ),
                        )),
                        None => Ok(i),
                    },
                }
            }
            Err(problem) => Err(problem.clone()),
        };
        let index = match standing {
            Ok(i) => Some(i),
            Err(problem) => {
                problems.push(problem);
                None
            }
        };
        ApplyError::check(ChangeKind::Withdrawal, key, place.as_ref().ok().copied(), problems)?;
        let record = place.ok().and_then(|p| self.overrides_at_mut(p));
        if let (Some(record), Some(i)) = (record, index) {
            record[i].withdrawn = Some(w);
        }
        Ok(())
    }

    /// The place of the one node with `key`; none when no node has it, or several do.
    pub fn place_of(&self, key: &Key) -> Option<Place> {
        find_node(self, key, "node", |_| true).ok().map(|n| n.place)
    }

    /// A node's record of overrides, by place; the plan's own at [`Place::Plan`].
    pub fn overrides_at(&self, place: Place) -> Option<&[Override]> {
        match place {
            Place::Plan => Some(&self.overrides),
            _ => Some(match self.node_at(place)? {
                Node::Objective(o) => &o.node.overrides,
                Node::SubObjective(s) => &s.node.overrides,
                Node::Action(a) => &a.overrides,
            }),
        }
    }

    fn overrides_at_mut(&mut self, place: Place) -> Option<&mut Vec<Override>> {
        match place {
            Place::Plan => Some(&mut self.overrides),
            Place::Objective(o) => self.objectives.get_mut(o).map(|o| &mut o.node.overrides),
            Place::SubObjective(s) => self
                .objectives
                .iter_mut()
                .flat_map(|o| &mut o.sub_objectives)
                .nth(s)
                .map(|s| &mut s.node.overrides),
            Place::Action(a) => self.actions_mut().nth(a).map(|a| &mut a.overrides),
        }
    }

    /// The plan as it stood at the end of `date`, reconstructed from the update logs:
    /// updates after `date` are dropped and what they set is put back to what the
    /// latest earlier update set, or, when no earlier update set it, to what the
    /// source reported before the first update ([`crate::Imported`]; unknown when the
    /// plan does not record it); evidence they added is taken out. Fields no later
    /// update touched stay as they are. Overrides are a dated record and stay whole:
    /// the one in force on `date` is read from it ([`Override::in_force`]).
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// use ragplan_core::{Action, Key, Objective, Plan, PlanId, Rating, Update};
    /// let mut plan = Plan::new(PlanId::new("p")?, "Plan");
    /// let mut objective = Objective::new(Key::new("1")?, "Objective");
    /// objective.actions.push(Action::new(Key::new("1.1")?, "Agree the protocol"));
    /// plan.objectives.push(objective);
    /// let key = Key::new("1.1")?;
    /// let day = |m, d| NaiveDate::from_ymd_opt(2015, m, d).unwrap();
    /// for (on, rating) in [(day(4, 1), Rating::Red), (day(7, 1), Rating::Green)] {
    ///     let mut u = Update::new(on, "Lead");
    ///     u.delivery = Some(rating);
    ///     plan.apply(&key, u)?;
    /// }
    /// let june = plan.as_at(day(6, 30));
    /// assert_eq!(june.action(&key).unwrap().action_rag, Some(Rating::Red));
    /// assert_eq!(june.action(&key).unwrap().updates.len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn as_at(&self, date: NaiveDate) -> Plan {
        let mut plan = self.clone();
        plan.rewind_to(date);
        plan
    }

    /// Leaves out, in place, what [`Plan::as_at`] leaves out of a copy.
    pub(crate) fn rewind_to(&mut self, date: NaiveDate) {
        for action in self.actions_mut() {
            rewind(action, date);
        }
        self.undo_edits_after(date);
    }
}

/// The position in `record` of the override in force on `date`.
fn in_force_index(record: &[Override], date: NaiveDate) -> Option<usize> {
    let found = Override::in_force(record, date)?;
    record.iter().position(|o| std::ptr::eq(o, found))
}

fn rewind(action: &mut Action, date: NaiveDate) {
    if !action.updates.iter().any(|u| u.on > date) {
        return;
    }
    let (kept, later): (Vec<Update>, Vec<Update>) =
        std::mem::take(&mut action.updates).into_iter().partition(|u| u.on <= date);
    let imported = action.imported.unwrap_or_default();
    // The latest kept update that set a field, or what the source reported.
    fn restore<T: Copy>(
        kept: &[Update],
        get: impl Fn(&Update) -> Option<T>,
        source: Option<T>,
    ) -> Option<T> {
        kept.iter().rev().find_map(&get).or(source)
    }
    if later.iter().any(|u| u.delivery.is_some()) {
        action.action_rag = restore(&kept, |u| u.delivery, imported.action_rag);
    }
    if later.iter().any(|u| u.outcome.is_some()) {
        action.outcome_rag = restore(&kept, |u| u.outcome, imported.outcome_rag);
    }
    if later.iter().any(|u| u.status.is_some()) {
        action.status = restore(&kept, |u| u.status, imported.status);
    }
    if later.iter().any(|u| u.progress.is_some()) {
        action.progress = restore(&kept, |u| u.progress, imported.progress);
    }
    for evidence in later.iter().filter_map(|u| u.evidence.as_ref()) {
        if let Some(i) = action.evidence.iter().rposition(|e| e == evidence) {
            action.evidence.remove(i);
        }
    }
    action.updates = kept.into();
}
