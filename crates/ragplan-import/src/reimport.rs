//! Re-import: a newer version of the same table merged into the stored plan, keeping
//! every update, override and the history of the actions it matches, and marking —
//! not deleting — the ones it no longer has.

use std::collections::{HashMap, HashSet};
use std::fmt;

use chrono::NaiveDate;
use ragplan_core::{Action, Key, Plan, PlanId, Update, uk_date};
use serde::Serialize;

use crate::field::Field;

mod matching;
use crate::{Diagnostic, DiagnosticCode};

/// How actions of the newer plan are matched to the stored ones.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum MatchBy {
    /// By key where the newer plan's keys came from the source, by normalised title
    /// where they were given by position.
    #[default]
    Auto,
    /// By key only.
    Key,
    /// By normalised title, then by key among the rest.
    Title,
}

/// Options of [`reimport`].
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct ReimportOptions {
    /// Delete the actions the newer plan no longer has, instead of marking them
    /// `removed`.
    pub prune: bool,
    /// How actions are matched.
    pub match_by: MatchBy,
    /// The merged plan's id; by default the stored plan's (the newer plan's own is
    /// usually made from its file name, which changes every quarter).
    pub id: Option<PlanId>,
    /// The merged plan's title; by default the stored plan's.
    pub title: Option<String>,
}

/// What happened to one action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// New in the newer plan.
    Added,
    /// Gone from the newer plan: marked removed (or deleted with prune).
    Removed,
    /// In both, with some fields changed.
    Changed,
}

/// One change found by [`reimport`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// Added, removed or changed.
    pub kind: ChangeKind,
    /// The action's key in the merged plan.
    pub key: Key,
    /// Its key in the stored plan, when that differs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_key: Option<Key>,
    /// Its title in the merged plan.
    pub title: String,
    /// Its title in the stored plan, when retitled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_title: Option<String>,
    /// The names of the fields that changed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            ChangeKind::Added => write!(f, "added {} {:?}", self.key, self.title),
            ChangeKind::Removed => write!(f, "removed {} {:?}", self.key, self.title),
            ChangeKind::Changed => {
                write!(f, "changed {} {:?}", self.key, self.title)?;
                if let Some(old) = &self.old_key {
                    write!(f, " (was {old})")?;
                }
                if let Some(old) = &self.old_title {
                    write!(f, " (was titled {old:?})")?;
                }
                if !self.fields.is_empty() {
                    write!(f, ": {}", self.fields.join(", "))?;
                }
                Ok(())
            }
        }
    }
}

/// The merged plan and what changed.
#[derive(Debug, Clone)]
pub struct Reimported {
    /// The newer plan's structure, with the stored history carried over.
    pub plan: Plan,
    /// Added, removed and changed actions, in plan order.
    pub changes: Vec<Change>,
    /// What the merge decided for the user: a logged update (`update-kept`) or an
    /// edit (`edit-kept`) that stood against the newer table, in plan order.
    pub diagnostics: Vec<Diagnostic>,
}

/// A title folded for matching: lowercase words, punctuation and spacing ignored.
fn normalise_title(title: &str) -> String {
    crate::field::normalise_header(title)
}

fn changed_fields(old: &Action, new: &Action) -> Vec<String> {
    let mut fields = Vec::new();
    let mut check = |name: &str, same: bool| {
        if !same {
            fields.push(name.to_owned());
        }
    };
    check("title", old.title == new.title);
    check("description", old.description == new.description);
    check("action_rag", old.action_rag == new.action_rag);
    check("outcome_rag", old.outcome_rag == new.outcome_rag);
    check("status", old.status == new.status);
    check("progress", old.progress == new.progress);
    check("note", old.note == new.note);
    check("timescale", old.timescale.text == new.timescale.text);
    check("accountable", old.accountable == new.accountable);
    check("responsible", old.responsible == new.responsible);
    check("partners", old.partners == new.partners);
    check("evidence", old.evidence == new.evidence);
    check("outcomes", old.outcomes == new.outcomes);
    check("unmapped", old.unmapped == new.unmapped);
    fields
}

/// Merges `newer` (a fresh import of the same plan) into `stored`.
///
/// Actions are matched by key, or by normalised title where keys were positional,
/// then among the rest by key (a retitled action) and by a close title. A matched
/// action takes the newer text and keeps the stored updates, override, dependencies,
/// review date, weight and criticality. A rating, status or progress the stored
/// action has from a logged update stands against the newer table's unless the
/// table was reported (`Plan::reported_on`) after that update: the analyst's later
/// update is not overwritten by an older paper, nor by one with no date, and each
/// such field is an `update-kept` diagnostic naming the action's key. A rating,
/// status or progress no update set is the stored plan's table's, reported on its
/// `reported_on`: it stands in the same way against a newer table reported before
/// that day or with no report date (`report-kept`), and the merged plan is reported
/// on the later of the two dates. A stored action with no match is kept with
/// `removed: true` under the parent it had (unless `prune`). The merged plan keeps
/// the stored plan's id and title unless [`ReimportOptions::id`] or
/// [`ReimportOptions::title`] give others (a newer file's name is not a new plan),
/// the title and key of its one objective where the newer table has no objective
/// column, the stored report date when the newer table has none, and the stored
/// metadata where the newer plan has none of its own.
///
/// # Example
/// ```
/// use ragplan_import::{ImportOptions, ReimportOptions, SourceFormat, import, reimport};
/// let options = ImportOptions::for_format(SourceFormat::Tsv);
/// let old = import(b"Actions\tRAG\nPublish leaflets\tAmber\nTrain staff\tRed\n", &options)?.plan;
/// let new = import(b"Actions\tRAG\nPublish leaflets\tGreen\nAudit files\tRed\n", &options)?.plan;
/// let merged = reimport(&old, &new, &ReimportOptions::default());
/// let lines: Vec<String> = merged.changes.iter().map(|c| c.to_string()).collect();
/// assert_eq!(lines, [
///     r#"changed 1.1 "Publish leaflets": action_rag"#,
///     r#"added 1.2 "Audit files""#,
///     r#"removed 1.2-removed "Train staff""#,
/// ]);
/// assert_eq!(merged.plan.n_actions(), 3);
/// # Ok::<(), ragplan_import::ImportError>(())
/// ```
pub fn reimport(stored: &Plan, newer: &Plan, options: &ReimportOptions) -> Reimported {
    let by_title = match options.match_by {
        MatchBy::Key => false,
        MatchBy::Title => true,
        MatchBy::Auto => !crate::export::keys_from_source(newer),
    };
    let old: Vec<&Action> = stored.actions().collect();
    let new: Vec<&Action> = newer.actions().collect();
    let matched = matching::match_actions(&old, &new, by_title);
    let taken: HashSet<usize> = matched.iter().flatten().copied().collect();

    let mut plan = newer.clone();
    plan.id = options.id.clone().unwrap_or_else(|| stored.id.clone());
    plan.title = options.title.clone().unwrap_or_else(|| stored.title.clone());
    keep_implicit_objective(&mut plan, stored, newer);
    // The later report date: the stored table's values that stand (`report-kept`)
    // are as of its report, and a table with no date says nothing of when it was
    // reported, so that no update since the stored date is still told.
    plan.reported_on = newer.reported_on.max(stored.reported_on);
    for (k, v) in &stored.metadata {
        plan.metadata.entry(k.clone()).or_insert_with(|| v.clone());
    }
    // The change log is the stored plan's history, as its updates are.
    plan.edits = stored.edits.clone();
    let parents = keep_parent_keys(&mut plan, stored, &matched);
    keep_parent_overrides(&mut plan, stored, &parents);
    let mut changes = Vec::new();
    let mut diagnostics = keep_parent_measures(&mut plan, stored, &parents);
    let headers = source_headers(newer);
    let source = newer
        .metadata
        .get(crate::SOURCE_KEY)
        .and_then(|v| v.as_str())
        .map_or_else(|| "the imported table".to_owned(), |name| format!("the table {name}"));
    // Each stored action's key in the merged plan, for the change log's edits.
    let mut moved: HashMap<Key, Key> = HashMap::new();
    let mut table_edits = Vec::new();
    let mut index = 0;
    for action in plan.actions_mut() {
        let Some(o) = matched.get(index).copied().flatten() else {
            changes.push(Change {
                kind: ChangeKind::Added,
                key: action.key.clone(),
                old_key: None,
                title: action.title.clone(),
                old_title: None,
                fields: Vec::new(),
            });
            index += 1;
            continue;
        };
        index += 1;
        let before = old[o];
        moved.entry(before.key.clone()).or_insert_with(|| action.key.clone());
        action.updates = before.updates.clone();
        action.overrides = before.overrides.clone();
        action.imported = action.imported.or(before.imported);
        if action.depends_on.is_empty() {
            action.depends_on = before.depends_on.clone();
        }
        action.review_date = action.review_date.or(before.review_date);
        action.weight = action.weight.or(before.weight);
        action.critical = action.critical || before.critical;
        action.start = action.start.or(before.start);
        if action.progress.is_none() {
            action.progress = before.progress;
        }
        // A blank note cell keeps the stored note, which is no change of the table's.
        let noted = action.note.is_some();
        if !noted {
            action.note.clone_from(&before.note);
        }
        let dates = (newer.reported_on, stored.reported_on);
        diagnostics.extend(keep_later_updates(before, action, dates, &headers));
        diagnostics.extend(keep_later_edits(
            before,
            action,
            &stored.edits,
            newer.reported_on,
            &headers,
        ));
        if let Some(on) = newer.reported_on {
            log_table_changes(before, action, (on, noted), &source);
            // What it changed of the action's text, as `ragplan edit` logs its own.
            table_edits.extend(ragplan_core::Edit::between(
                before,
                action,
                TABLE_EDITS,
                on,
                &source,
            ));
        }
        let fields = changed_fields(before, action);
        let rekeyed = before.key != action.key;
        if !fields.is_empty() || rekeyed {
            changes.push(Change {
                kind: ChangeKind::Changed,
                key: action.key.clone(),
                old_key: rekeyed.then(|| before.key.clone()),
                title: action.title.clone(),
                old_title: (before.title != action.title).then(|| before.title.clone()),
                fields,
            });
        }
    }

    if !options.prune {
        // Every key of the merged plan, not only its actions': no two nodes share one.
        let mut used: HashSet<String> = plan.actions().map(|a| a.key.to_string()).collect();
        for objective in &plan.objectives {
            used.insert(objective.key.to_string());
            used.extend(objective.sub_objectives.iter().map(|s| s.key.to_string()));
        }
        for (o, action) in old.iter().enumerate() {
            if taken.contains(&o) {
                continue;
            }
            let mut kept = (*action).clone();
            kept.removed = true;
            if used.contains(kept.key.as_str()) {
                let base = format!("{}-removed", kept.key);
                let mut candidate = base.clone();
                let mut n = 2;
                while used.contains(&candidate) {
                    candidate = format!("{base}-{n}");
                    n += 1;
                }
                if let Ok(k) = Key::new(&candidate) {
                    kept.key = k;
                }
            }
            used.insert(kept.key.to_string());
            moved.entry(action.key.clone()).or_insert_with(|| kept.key.clone());
            // An action the stored plan had removed already is no change.
            if !action.removed {
                changes.push(Change {
                    kind: ChangeKind::Removed,
                    key: kept.key.clone(),
                    old_key: None,
                    title: kept.title.clone(),
                    old_title: None,
                    fields: Vec::new(),
                });
            }
            place_removed(stored, &mut plan, &action.key, kept);
        }
    } else {
        for (o, action) in old.iter().enumerate() {
            if !taken.contains(&o) {
                changes.push(Change {
                    kind: ChangeKind::Removed,
                    key: action.key.clone(),
                    old_key: None,
                    title: action.title.clone(),
                    old_title: None,
                    fields: Vec::new(),
                });
            }
        }
    }
    rekey_edits(&mut plan, &old, &moved, &parents);
    plan.edits.extend(table_edits);
    // With --prune a removed action is gone, and only the additions are logged.
    if let Some(on) = newer.reported_on {
        log_added_and_removed(&mut plan, stored, &changes, on, &source);
    }
    Reimported { plan, changes, diagnostics }
}

/// The fields of a matched action whose change by a dated table is logged as an edit
/// of its date by the table ([`ragplan_core::Edit::between`]): so that the plan as
/// it stood before the date (an earlier quarter's report) has the stored values, and
/// the values the table replaced stay in the change log. The rating, status,
/// progress and note are logged as an update instead ([`log_table_changes`]).
const TABLE_EDITS: &[ragplan_core::Field] = &[
    ragplan_core::Field::Title,
    ragplan_core::Field::Accountable,
    ragplan_core::Field::Responsible,
    ragplan_core::Field::Partners,
    ragplan_core::Field::Timescale,
    ragplan_core::Field::Evidence,
    ragplan_core::Field::Outcomes,
];

/// The stored change log's edits keyed as the merged plan keys their nodes: a
/// table's keys by position shift when a row above goes, and an edit left on its old
/// key would name, and on rewinding undo, another node. An edit of a node the merged
/// plan no longer has (deleted with --prune, a parent gone) is kept under its key
/// with `-removed`, naming no node.
fn rekey_edits(plan: &mut Plan, old: &[&Action], moved: &HashMap<Key, Key>, parents: &Parents) {
    if plan.edits.is_empty() {
        return;
    }
    let keys: HashSet<Key> = plan.nodes().map(|n| n.key().clone()).collect();
    let actions: HashSet<&Key> = old.iter().map(|a| &a.key).collect();
    for edit in &mut plan.edits {
        let merged = if actions.contains(&edit.key) {
            moved.get(&edit.key).cloned()
        } else {
            parents.merged(&edit.key)
        };
        match merged {
            Some(key) if keys.contains(&key) => edit.key = key,
            _ => {
                if let Ok(gone) = Key::new(&format!("{}-removed", edit.key)) {
                    edit.key = gone;
                }
            }
        }
    }
}

/// A dated table adds and removes actions on its report date, as `ragplan add` and
/// `ragplan remove` do: each is an edit in the plan's change log, so that the plan as
/// it stood before that date (an earlier quarter's report) holds the actions it held
/// then. A parent new with the table, every action under it new too, is added with
/// them.
fn log_added_and_removed(
    plan: &mut Plan,
    stored: &Plan,
    changes: &[Change],
    on: NaiveDate,
    source: &str,
) {
    use ragplan_core::{Edit, NodeKind};
    let of_kind = |kind: ChangeKind| -> HashSet<&Key> {
        changes.iter().filter(|c| c.kind == kind).map(|c| &c.key).collect()
    };
    let (added, removed) = (of_kind(ChangeKind::Added), of_kind(ChangeKind::Removed));
    if added.is_empty() && removed.is_empty() {
        return;
    }
    let addition = |key: &Key, kind: NodeKind, under: Option<&Key>| {
        Edit::added(key.clone(), kind, under, on, source)
    };
    let stored_parents: HashSet<&Key> = stored
        .objectives
        .iter()
        .flat_map(|o| std::iter::once(&o.key).chain(o.sub_objectives.iter().map(|s| &s.key)))
        .collect();
    // A parent is new with the table when its key is and it holds only new actions.
    let new_parent = |key: &Key, actions: &[&Action]| {
        !actions.is_empty()
            && !stored_parents.contains(key)
            && actions.iter().all(|a| added.contains(&a.key))
    };
    let mut edits = Vec::new();
    for objective in &plan.objectives {
        let all: Vec<&Action> = objective
            .actions
            .iter()
            .chain(objective.sub_objectives.iter().flat_map(|s| &s.actions))
            .collect();
        if new_parent(&objective.key, &all) {
            edits.push(addition(&objective.key, NodeKind::Objective, None));
            continue;
        }
        for action in objective.actions.iter().filter(|a| added.contains(&a.key)) {
            edits.push(addition(&action.key, NodeKind::Action, Some(&objective.key)));
        }
        for sub in &objective.sub_objectives {
            if new_parent(&sub.key, &sub.actions.iter().collect::<Vec<_>>()) {
                edits.push(addition(&sub.key, NodeKind::SubObjective, Some(&objective.key)));
                continue;
            }
            for action in sub.actions.iter().filter(|a| added.contains(&a.key)) {
                edits.push(addition(&action.key, NodeKind::Action, Some(&sub.key)));
            }
        }
    }
    let why = format!("not in {source}");
    for action in plan.actions().filter(|a| removed.contains(&a.key)) {
        edits.push(Edit::removed(action.key.clone(), &why, None, on, source));
    }
    plan.edits.extend(edits);
}

/// The newer table's header for each field, from its column layout.
fn source_headers(newer: &Plan) -> Vec<(String, Option<Field>)> {
    crate::export::layout_of(newer)
}

/// One field an update sets, read from an update and from an action.
struct Logged<T> {
    field: Field,
    name: &'static str,
    of_update: fn(&Update) -> Option<T>,
    of_action: fn(&Action) -> Option<T>,
    slot: fn(&mut Action) -> &mut Option<T>,
    shown: fn(T) -> String,
}

/// Keeps in `action` (the newer table's) each field that a logged update of
/// `before` (the stored action) set, unless the table was reported after that
/// update; and each field no update set, which the stored plan's own table reported
/// on `stored_on`, unless the newer table was reported on or after that day. One
/// diagnostic for each field kept that the table gave otherwise.
fn keep_later_updates(
    before: &Action,
    action: &mut Action,
    (reported_on, stored_on): (Option<NaiveDate>, Option<NaiveDate>),
    headers: &[(String, Option<Field>)],
) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let context = Kept { before, reported_on, stored_on, headers };
    context.keep(
        action,
        &mut diagnostics,
        &Logged {
            field: Field::ActionRag,
            name: "rating",
            of_update: |u| u.delivery,
            of_action: |a| a.action_rag,
            slot: |a| &mut a.action_rag,
            shown: |r| r.label().to_owned(),
        },
    );
    context.keep(
        action,
        &mut diagnostics,
        &Logged {
            field: Field::OutcomeRag,
            name: "outcome rating",
            of_update: |u| u.outcome,
            of_action: |a| a.outcome_rag,
            slot: |a| &mut a.outcome_rag,
            shown: |r| r.label().to_owned(),
        },
    );
    context.keep(
        action,
        &mut diagnostics,
        &Logged {
            field: Field::Status,
            name: "status",
            of_update: |u| u.status,
            of_action: |a| a.status,
            slot: |a| &mut a.status,
            shown: |s| s.label().to_owned(),
        },
    );
    context.keep(
        action,
        &mut diagnostics,
        &Logged {
            field: Field::Progress,
            name: "progress",
            of_update: |u| u.progress,
            of_action: |a| a.progress,
            slot: |a| &mut a.progress,
            shown: |p| format!("{p}%"),
        },
    );
    context.keep_evidence(action, &mut diagnostics);
    diagnostics
}

/// Logs the rating, outcome rating, status, progress and progress note a table
/// reported on `on` changed on a stored action as an update of that date by the
/// table, so that the plan as it stood before `on` (an earlier quarter's report, its
/// movement) is the stored one, the action counts as updated on `on`, and its latest
/// note is the table's rather than an earlier update's. Only when no stored update
/// is dated after `on`: an update logs in date order, and the fields a later update
/// set have stood against the table already. A field the table left blank is not a
/// change an update can say.
fn log_table_changes(
    before: &Action,
    action: &mut Action,
    (on, noted): (NaiveDate, bool),
    source: &str,
) {
    if before.updates.iter().any(|u| u.on > on) {
        return;
    }
    fn changed<T: Copy + PartialEq>(now: Option<T>, was: Option<T>) -> Option<T> {
        now.filter(|n| Some(*n) != was)
    }
    let mut update = Update::new(on, source);
    update.delivery = changed(action.action_rag, before.action_rag);
    update.outcome = changed(action.outcome_rag, before.outcome_rag);
    update.status = changed(action.status, before.status);
    update.progress = changed(action.progress, before.progress);
    // The note as the action's log says it: the source's, or an update's since.
    let latest = before.latest_note().map(str::to_owned);
    update.note =
        action.note.clone().filter(|n| noted && !n.trim().is_empty() && latest.as_ref() != Some(n));
    let fields = [
        update.delivery.is_some(),
        update.outcome.is_some(),
        update.status.is_some(),
        update.progress.is_some(),
        update.note.is_some(),
    ];
    if !fields.contains(&true) {
        return;
    }
    // The stored values, as they stood before the table, then the table's change.
    if update.delivery.is_some() {
        action.action_rag = before.action_rag;
    }
    if update.outcome.is_some() {
        action.outcome_rag = before.outcome_rag;
    }
    if update.status.is_some() {
        action.status = before.status;
    }
    if update.progress.is_some() {
        action.progress = before.progress;
    }
    action.log_update(update);
}

/// The fields of a stored action set by `ragplan edit` that stand against the newer
/// table: each edited after the table was reported, or edited when the table has no
/// report date, keeps the edited value where the table's differs, with an
/// `edit-kept` warning. The table's title, rating and progress are its own: an edit
/// sets none of them but the title, by which actions are matched.
fn keep_later_edits(
    before: &Action,
    action: &mut Action,
    edits: &[ragplan_core::Edit],
    reported_on: Option<NaiveDate>,
    headers: &[(String, Option<Field>)],
) -> Vec<Diagnostic> {
    use ragplan_core::Field as Edited;
    let owners = |o: &[ragplan_core::Owner]| {
        o.iter().map(|o| o.name.as_str()).collect::<Vec<_>>().join("; ")
    };
    let mut diagnostics = Vec::new();
    for (edited, field) in [
        (Edited::Status, Field::Status),
        (Edited::Accountable, Field::Accountable),
        (Edited::Responsible, Field::Responsible),
        (Edited::Partners, Field::Partners),
        (Edited::Timescale, Field::Timescale),
        (Edited::Evidence, Field::Evidence),
        (Edited::Outcomes, Field::Outcomes),
    ] {
        let Some(edit) = edits
            .iter()
            .filter(|e| e.key == before.key && e.changes.iter().any(|c| c.field == edited))
            .max_by_key(|e| e.on)
        else {
            continue;
        };
        if reported_on.is_some_and(|r| r > edit.on) {
            continue;
        }
        // The table's value and the edited one, shown, when they differ; the edited
        // one put back.
        let (new, old) = match edited {
            Edited::Status if action.status != before.status => {
                let shown = |s: Option<ragplan_core::Status>| {
                    s.map_or_else(|| "none".to_owned(), |s| s.label().to_owned())
                };
                let shown = (shown(action.status), shown(before.status));
                action.status = before.status;
                shown
            }
            Edited::Accountable if action.accountable != before.accountable => {
                let shown = (owners(&action.accountable), owners(&before.accountable));
                action.accountable.clone_from(&before.accountable);
                shown
            }
            Edited::Responsible if action.responsible != before.responsible => {
                let shown = (owners(&action.responsible), owners(&before.responsible));
                action.responsible.clone_from(&before.responsible);
                shown
            }
            Edited::Partners if action.partners != before.partners => {
                let shown = (action.partners.join("; "), before.partners.join("; "));
                action.partners.clone_from(&before.partners);
                shown
            }
            Edited::Timescale if action.timescale.text != before.timescale.text => {
                let shown = (action.timescale.text.clone(), before.timescale.text.clone());
                action.timescale = before.timescale.clone();
                shown
            }
            Edited::Evidence if action.evidence != before.evidence => {
                let shown = (action.evidence.join("; "), before.evidence.join("; "));
                action.evidence.clone_from(&before.evidence);
                shown
            }
            Edited::Outcomes if action.outcomes != before.outcomes => {
                let shown = (action.outcomes.join("; "), before.outcomes.join("; "));
                action.outcomes.clone_from(&before.outcomes);
                shown
            }
            _ => continue,
        };
        let key = &before.key;
        let name = field.as_str();
        let quoted = |v: &str| if v.is_empty() { "blank".to_owned() } else { format!("{v:?}") };
        let (new, old) = (quoted(&new), quoted(&old));
        let edit_of = format!("the edit of {} by {}", uk_date(edit.on), edit.by);
        let kept = format!("the edited {old} stands");
        let message =
            gave_way(key, reported_on, &format!("{name} {new}"), "not after", &edit_of, &kept);
        let column = column_of(headers, field);
        diagnostics.push(
            Diagnostic::warning(DiagnosticCode::EditKept, message).at_column(column).with_text(new),
        );
    }
    diagnostics
}

/// Why a table's value gave way, in the words every `…-kept` warning shares: "action
/// K: the table's WHAT was reported on R, RELATION EARLIER; KEPT", or, with no report
/// date, "… the table has no report date, so its WHAT is not known to be newer than
/// EARLIER; KEPT (give --reported-on)".
fn gave_way(
    key: &Key,
    reported_on: Option<NaiveDate>,
    what: &str,
    relation: &str,
    earlier: &str,
    kept: &str,
) -> String {
    match reported_on {
        Some(r) => format!(
            "action {key}: the table's {what} was reported on {}, {relation} {earlier}; {kept}",
            uk_date(r)
        ),
        None => format!(
            "action {key}: the table has no report date, so its {what} is not known to be \
             newer than {earlier}; {kept} (give --reported-on)"
        ),
    }
}

/// The newer table's header of `field`, or the header an export gives it: where a
/// kept field's warning points.
fn column_of(headers: &[(String, Option<Field>)], field: Field) -> String {
    headers
        .iter()
        .find(|(_, f)| *f == Some(field))
        .map_or_else(|| field.export_header().to_owned(), |(h, _)| h.clone())
}

/// What deciding between a stored action's updates and the newer table needs.
struct Kept<'a> {
    before: &'a Action,
    /// When the newer table was reported.
    reported_on: Option<NaiveDate>,
    /// When the stored plan's table values were reported (its `reported_on`).
    stored_on: Option<NaiveDate>,
    headers: &'a [(String, Option<Field>)],
}

impl Kept<'_> {
    fn keep<T: Copy + PartialEq>(
        &self,
        action: &mut Action,
        diagnostics: &mut Vec<Diagnostic>,
        logged: &Logged<T>,
    ) {
        let Some(update_on) = self
            .before
            .updates
            .iter()
            .filter(|u| (logged.of_update)(u).is_some())
            .map(|u| u.on)
            .max()
        else {
            return self.keep_reported(action, diagnostics, logged);
        };
        let kept = (logged.of_action)(self.before);
        let table = (logged.slot)(action);
        // A table that says nothing here (a blank cell, no such column) keeps what
        // the update recorded, whatever its date, and is not worth a warning.
        if table.is_none() {
            *table = kept;
            return;
        }
        if *table == kept || self.reported_on.is_some_and(|r| r > update_on) {
            return;
        }
        let shown = |v: Option<T>| v.map_or_else(|| "none".to_owned(), logged.shown);
        let (new, old) = (shown(*table), shown(kept));
        *table = kept;
        let key = &self.before.key;
        let name = logged.name;
        let (what, update) =
            (format!("{name} {new}"), format!("the update of {}", uk_date(update_on)));
        let kept = format!("the update's {old} stands");
        let message = gave_way(key, self.reported_on, &what, "not after", &update, &kept);
        let column = column_of(self.headers, logged.field);
        diagnostics.push(
            Diagnostic::warning(DiagnosticCode::UpdateKept, message)
                .at_column(column)
                .with_text(new),
        );
    }

    /// A field no update set: the stored plan's value came from a table reported on
    /// its `reported_on`, and stands against a newer table reported before that day
    /// or with no report date (`report-kept`, asking for `--reported-on`). A blank
    /// cell there says nothing and keeps the stored value; a stored value of none
    /// takes the table's.
    fn keep_reported<T: Copy + PartialEq>(
        &self,
        action: &mut Action,
        diagnostics: &mut Vec<Diagnostic>,
        logged: &Logged<T>,
    ) {
        let Some(stored_on) = self.stored_on else { return };
        if self.reported_on.is_some_and(|r| r >= stored_on) {
            return;
        }
        let kept = (logged.of_action)(self.before);
        let table = (logged.slot)(action);
        if table.is_none() {
            *table = kept;
            return;
        }
        if kept.is_none() || *table == kept {
            return;
        }
        let shown = |v: Option<T>| v.map_or_else(|| "none".to_owned(), logged.shown);
        let (new, old) = (shown(*table), shown(kept));
        *table = kept;
        let key = &self.before.key;
        let name = logged.name;
        let stored = uk_date(stored_on);
        let (what, report) =
            (format!("{name} {new}"), format!("the stored plan's report of {stored}"));
        let kept = format!("the stored {old} stands");
        let message = gave_way(key, self.reported_on, &what, "before", &report, &kept);
        let column = column_of(self.headers, logged.field);
        diagnostics.push(
            Diagnostic::warning(DiagnosticCode::ReportKept, message)
                .at_column(column)
                .with_text(new),
        );
    }

    /// The evidence updates added to the stored action, kept in `action`'s list: a
    /// table whose Evidence cell is blank (or that has no such column) keeps the
    /// stored list, whatever the updates' dates, with no warning; a table that lists
    /// other evidence gains each item an update added that it lacks, unless the
    /// table was reported after that update, with one warning naming them.
    fn keep_evidence(&self, action: &mut Action, diagnostics: &mut Vec<Diagnostic>) {
        let added: Vec<(&str, NaiveDate)> = self
            .before
            .updates
            .iter()
            .filter_map(|u| u.evidence.as_deref().map(|e| (e, u.on)))
            .filter(|(e, _)| !e.trim().is_empty())
            .collect();
        if added.is_empty() {
            return;
        }
        if action.evidence.is_empty() {
            action.evidence.clone_from(&self.before.evidence);
            return;
        }
        let mut kept = Vec::new();
        let mut latest = None;
        for (evidence, on) in added {
            let newer_table = self.reported_on.is_some_and(|r| r > on);
            if newer_table || action.evidence.iter().any(|e| e == evidence) {
                continue;
            }
            action.evidence.push(evidence.to_owned());
            kept.push(format!("{evidence:?}"));
            latest = latest.max(Some(on));
        }
        let Some(update_on) = latest else { return };
        let key = &self.before.key;
        let what = kept.join(", ");
        let update = format!("the update of {}", uk_date(update_on));
        let kept = format!("the evidence the updates added, {what}, is kept");
        let message = gave_way(key, self.reported_on, "evidence", "not after", &update, &kept);
        diagnostics.push(
            Diagnostic::warning(DiagnosticCode::UpdateKept, message)
                .at_column(column_of(self.headers, Field::Evidence)),
        );
    }
}

/// The objective a table with no objective column gives its actions is titled as
/// the plan was, from its title or its file's name: a newer file's name is not a new
/// objective, so when the newer table's only objective is that one and the stored
/// plan has one objective, the merged objective keeps the stored title and key (the
/// key where no other node of the merged plan has it), as the plan keeps its title.
fn keep_implicit_objective(plan: &mut Plan, stored: &Plan, newer: &Plan) {
    let layout = crate::export::layout_of(newer);
    let objective_column = layout.iter().any(|(_, f)| *f == Some(Field::Objective));
    let [objective] = newer.objectives.as_slice() else { return };
    let implicit = !objective_column && (objective.title == newer.title || !layout.is_empty());
    let live: Vec<&ragplan_core::Objective> =
        stored.objectives.iter().filter(|o| !o.node.removed).collect();
    let ([old], true) = (live.as_slice(), implicit) else { return };
    let key_taken = old.key != objective.key && plan.nodes().any(|n| n.key() == &old.key);
    let Some(merged) = plan.objectives.first_mut() else { return };
    merged.title.clone_from(&old.title);
    if !key_taken {
        merged.key = old.key.clone();
    }
}

/// Puts a removed action back under the parent of the same title (or key) it had,
/// or under the last objective when that parent is gone too. A parent the stored
/// plan had marked removed (`ragplan remove`) and the newer table lacks is kept, still
/// marked, to hold its actions, unless its key is taken by then.
fn place_removed(stored: &Plan, plan: &mut Plan, key: &Key, action: Action) {
    for objective in &stored.objectives {
        let in_objective = objective.actions.iter().any(|a| &a.key == key);
        let in_sub =
            objective.sub_objectives.iter().find(|s| s.actions.iter().any(|a| &a.key == key));
        if !in_objective && in_sub.is_none() {
            continue;
        }
        let same_objective = |o: &ragplan_core::Objective| {
            normalise_title(&o.title) == normalise_title(&objective.title) || o.key == objective.key
        };
        if !plan.objectives.iter().any(same_objective)
            && objective.node.removed
            && !plan.nodes().any(|n| n.key() == &objective.key)
        {
            let at =
                after_kept_sibling(&stored.objectives, &plan.objectives, &objective.key, |o| {
                    (&o.key, &o.title)
                });
            plan.objectives.insert(at, removed_shell_objective(objective));
        }
        if let Some(sub) = in_sub
            && sub.node.removed
            && !plan.nodes().any(|n| n.key() == &sub.key)
            && let Some(t) = plan.objectives.iter_mut().find(|o| same_objective(o))
            && !t
                .sub_objectives
                .iter()
                .any(|s| normalise_title(&s.title) == normalise_title(&sub.title))
        {
            let at =
                after_kept_sibling(&objective.sub_objectives, &t.sub_objectives, &sub.key, |s| {
                    (&s.key, &s.title)
                });
            t.sub_objectives.insert(at, removed_shell_sub(sub));
        }
        let target = plan.objectives.iter_mut().find(|o| same_objective(o));
        if in_objective {
            if let Some(t) = target {
                t.actions.push(action);
                return;
            }
        } else if let Some(sub) = in_sub {
            if let Some(t) = target
                && let Some(ts) = t.sub_objectives.iter_mut().find(|s| {
                    normalise_title(&s.title) == normalise_title(&sub.title) || s.key == sub.key
                })
            {
                ts.actions.push(action);
                return;
            }
            break;
        }
    }
    if let Some(last) = plan.objectives.last_mut() {
        last.actions.push(action);
    } else {
        let mut objective = ragplan_core::Objective::new(Key::positional(None, 0), "Removed");
        objective.actions.push(action);
        plan.objectives.push(objective);
    }
}

/// Where a node the stored plan had at `key` among `stored` goes among `merged`:
/// after the nearest sibling before it that the merged plan still has (same key or
/// title), else first.
fn after_kept_sibling<T>(
    stored: &[T],
    merged: &[T],
    key: &Key,
    named: impl Fn(&T) -> (&Key, &String),
) -> usize {
    let Some(at) = stored.iter().position(|n| named(n).0 == key) else { return merged.len() };
    stored[..at]
        .iter()
        .rev()
        .find_map(|before| {
            let (k, title) = named(before);
            merged.iter().position(|m| {
                let (mk, mt) = named(m);
                mk == k || normalise_title(mt) == normalise_title(title)
            })
        })
        .map_or(0, |i| i + 1)
}

/// A removed objective without its children, to hold them again.
fn removed_shell_objective(objective: &ragplan_core::Objective) -> ragplan_core::Objective {
    ragplan_core::Objective { sub_objectives: Vec::new(), actions: Vec::new(), ..objective.clone() }
}

/// A removed sub-objective without its actions, to hold them again.
fn removed_shell_sub(sub: &ragplan_core::SubObjective) -> ragplan_core::SubObjective {
    ragplan_core::SubObjective { actions: Vec::new(), ..sub.clone() }
}

/// Whether a key is one given by position (`1`, `1.2`): digits and dots only.
fn is_positional(key: &Key) -> bool {
    key.as_str().chars().all(|c| c.is_ascii_digit() || c == '.')
}

/// The objective and sub-objective of each action, in the order of [`Plan::actions`].
fn parents_of_actions(plan: &Plan) -> Vec<(usize, Option<usize>)> {
    let mut at = Vec::new();
    for (o, objective) in plan.objectives.iter().enumerate() {
        at.extend(objective.actions.iter().map(|_| (o, None)));
        for (s, sub) in objective.sub_objectives.iter().enumerate() {
            at.extend(sub.actions.iter().map(|_| (o, Some(s))));
        }
    }
    at
}

/// A parent the newer table keys by position (a table gives keys to actions only)
/// takes the stored parent's own key, such as a recommendation's `R7`, when that
/// names no other node: so export → import → re-import keeps every key. The stored
/// parent is the one holding the first of its actions that matched, or else the one
/// of the same title. Returns which merged parent each stored parent is.
fn keep_parent_keys(plan: &mut Plan, stored: &Plan, matched: &[Option<usize>]) -> Parents {
    let new_at = parents_of_actions(plan);
    let old_at = parents_of_actions(stored);
    let mut objective_of: HashMap<usize, usize> = HashMap::new();
    let mut sub_of: HashMap<(usize, usize), (usize, usize)> = HashMap::new();
    for (n, o) in matched.iter().enumerate() {
        let (Some(o), Some(&(new_o, new_s))) = (o, new_at.get(n)) else { continue };
        let Some(&(old_o, old_s)) = old_at.get(*o) else { continue };
        objective_of.entry(new_o).or_insert(old_o);
        if let (Some(new_s), Some(old_s)) = (new_s, old_s) {
            sub_of.entry((new_o, new_s)).or_insert((old_o, old_s));
        }
    }
    let mut used: HashSet<String> = plan.nodes().map(|n| n.key().to_string()).collect();
    let mut parents = Parents::default();
    let mut adopt = |key: &mut Key, old: &Key| {
        if is_positional(key) && !is_positional(old) && used.insert(old.to_string()) {
            *key = old.clone();
        }
        parents.of.entry(old.clone()).or_insert_with(|| key.clone());
        parents.matched.insert(key.clone());
    };
    for (o, objective) in plan.objectives.iter_mut().enumerate() {
        let title = normalise_title(&objective.title);
        let old = objective_of
            .get(&o)
            .and_then(|&i| stored.objectives.get(i))
            .or_else(|| stored.objectives.iter().find(|s| normalise_title(&s.title) == title));
        if let Some(old) = old {
            adopt(&mut objective.key, &old.key);
        }
        for (s, sub) in objective.sub_objectives.iter_mut().enumerate() {
            let title = normalise_title(&sub.title);
            let old = sub_of
                .get(&(o, s))
                .and_then(|&(i, j)| stored.objectives.get(i)?.sub_objectives.get(j))
                .or_else(|| {
                    stored
                        .objectives
                        .iter()
                        .flat_map(|p| &p.sub_objectives)
                        .find(|p| normalise_title(&p.title) == title)
                });
            if let Some(old) = old {
                adopt(&mut sub.key, &old.key);
            }
        }
    }
    parents
}

/// Which parent of the merged plan each stored parent is ([`keep_parent_keys`]).
#[derive(Debug, Default)]
struct Parents {
    /// A stored parent's key, and its merged parent's.
    of: HashMap<Key, Key>,
    /// The merged parents found for some stored parent.
    matched: HashSet<Key>,
}

impl Parents {
    /// The key of the merged parent that the stored parent with `key` is: the one
    /// found for it, else the one with its key that no other stored parent is (a
    /// table's parents keyed by position shift when a row above goes).
    fn merged(&self, key: &Key) -> Option<Key> {
        match self.of.get(key) {
            Some(merged) => Some(merged.clone()),
            None => (!self.matched.contains(key)).then(|| key.clone()),
        }
    }
}

/// The judgements recorded on the plan itself, its objectives and sub-objectives are
/// the plan's own, not its source's: kept on the newer version, on the objective or
/// sub-objective with the same key (the first such, when keys repeat). A judgement
/// whose node the newer source no longer has is kept on the plan's metadata, so
/// nothing recorded is lost.
/// Keeps the stored plan's measures and their readings (logged with `ragplan
/// reading` or imported before): on each parent of the merged plan with the key of a
/// stored one, a stored measure the newer table also has (by key, else by title)
/// takes the newer definition and keeps every stored reading, the newer table's
/// readings added on dates the stored one has none (on a date it has, the stored
/// reading stands, diagnosed when the values differ); a stored measure the table
/// lacks is kept as it was. The measures of a parent the merged plan no longer has
/// are kept on the plan's metadata.
fn keep_parent_measures(plan: &mut Plan, stored: &Plan, parents: &Parents) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let stored_parents = stored.objectives.iter().flat_map(|o| {
        std::iter::once((&o.key, &o.measures))
            .chain(o.sub_objectives.iter().map(|s| (&s.key, &s.measures)))
    });
    let mut orphaned = Vec::new();
    let stored_keys: HashSet<Key> = stored
        .objectives
        .iter()
        .flat_map(|o| o.measures.iter().chain(o.sub_objectives.iter().flat_map(|s| &s.measures)))
        .map(|m| m.key.clone())
        .collect();
    // The newer table's measures matched to no stored one whose key a stored measure
    // has: parent key and index.
    let mut unmatched: Vec<(Key, usize)> = Vec::new();
    for (key, old) in stored_parents.filter(|(_, m)| !m.is_empty()) {
        let merged_key = parents.merged(key);
        let Some(merged) = merged_key.as_ref().and_then(|k| measures_of(plan, k)) else {
            orphaned.push((key, old));
            continue;
        };
        let mut matched = vec![false; merged.len()];
        for measure in old {
            // By title first: a table without keys numbers its measures afresh.
            let title = normalise_title(&measure.title);
            let same = merged
                .iter()
                .position(|m| normalise_title(&m.title) == title)
                .or_else(|| merged.iter().position(|m| m.key == measure.key));
            let Some(at) = same else {
                merged.push(measure.clone());
                continue;
            };
            if let Some(m) = matched.get_mut(at) {
                *m = true;
            }
            let newer = &mut merged[at];
            newer.key = measure.key.clone();
            let mut readings = measure.readings.clone();
            for reading in &newer.readings {
                match readings.iter().find(|r| r.on == reading.on) {
                    None => readings.push(reading.clone()),
                    Some(kept) if kept.value != reading.value => diagnostics.push(
                        Diagnostic::warning(
                            DiagnosticCode::UpdateKept,
                            format!(
                                "measure {}: the table's reading of {} on {} is not the {} \
                                 logged for that date; the logged reading stands",
                                measure.key,
                                reading.value,
                                uk_date(reading.on),
                                kept.value
                            ),
                        )
                        .with_text(reading.value.to_string()),
                    ),
                    Some(_) => {}
                }
            }
            readings.sort_by_key(|r| r.on);
            newer.readings = readings;
        }
        let clashes = merged
            .iter()
            .enumerate()
            .zip(&matched)
            .filter(|((_, measure), m)| !**m && stored_keys.contains(&measure.key));
        unmatched.extend(clashes.map(|((i, _), _)| (key.clone(), i)).collect::<Vec<_>>());
    }
    for (key, measures) in orphaned {
        let value = serde_json::to_value(measures).unwrap_or_default();
        plan.metadata.insert(format!("measures of removed {key}"), value);
    }
    // Each takes a key of its own.
    let fresh = plan.next_measure_keys(unmatched.len());
    for ((parent, at), new) in unmatched.into_iter().zip(fresh) {
        if let Some(m) = measures_of(plan, &parent).and_then(|ms| ms.get_mut(at)) {
            m.key = new;
        }
    }
    diagnostics
}

/// The measures of the objective or sub-objective of `plan` with key `key`.
fn measures_of<'p>(plan: &'p mut Plan, key: &Key) -> Option<&'p mut Vec<ragplan_core::Measure>> {
    plan.objectives.iter_mut().find_map(|o| {
        if &o.key == key {
            return Some(&mut o.measures);
        }
        o.sub_objectives.iter_mut().find(|s| &s.key == key).map(|s| &mut s.measures)
    })
}

fn keep_parent_overrides(plan: &mut Plan, stored: &Plan, parents: &Parents) {
    if plan.overrides.is_empty() {
        plan.overrides = stored.overrides.clone();
    }
    let mut orphaned = Vec::new();
    let olds = stored.objectives.iter().flat_map(|o| {
        std::iter::once((&o.key, &o.node.overrides))
            .chain(o.sub_objectives.iter().map(|s| (&s.key, &s.node.overrides)))
    });
    for (key, overrides) in olds.filter(|(_, o)| !o.is_empty()) {
        let merged = parents.merged(key);
        let node = merged.as_ref().and_then(|k| {
            plan.objectives.iter_mut().find_map(|o| {
                if &o.key == k {
                    return Some(&mut o.node);
                }
                o.sub_objectives.iter_mut().find(|s| &s.key == k).map(|s| &mut s.node)
            })
        });
        match node {
            Some(n) if n.overrides.is_empty() => n.overrides = overrides.clone(),
            Some(_) => {}
            None => orphaned.push((key, overrides)),
        }
    }
    for (key, overrides) in orphaned {
        let value = serde_json::to_value(overrides).unwrap_or_default();
        plan.metadata.insert(format!("overrides of removed {key}"), value);
    }
}
