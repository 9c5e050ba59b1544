//! What both stores share: the plans they keep parsed in memory, and a plan made
//! again from its last whole document and the changes recorded since.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use ragplan_core::Plan;

use super::{PlanChange, StoreError, StoredPlan};

/// A plan's document is written whole again at the change that is this many
/// versions after it, so at most `WHOLE_EVERY - 1` changes are kept beside it: what
/// a plan read from the database has to make again, and what one whole write is
/// shared between.
pub const WHOLE_EVERY: u64 = 64;

/// Whether the change to `version` writes the plan's document whole again rather
/// than a row beside the one written at `whole`: every [`WHOLE_EVERY`]th change.
pub(crate) fn writes_whole(version: u64, whole: u64) -> bool {
    version.saturating_sub(whole) >= WHOLE_EVERY
}

/// A token's role as stored: the tables' CHECK allows only the three names, and
/// reader is the safe reading of anything else.
pub(crate) fn role_from_db(text: &str) -> crate::auth::Role {
    text.parse().unwrap_or(crate::auth::Role::Reader)
}

/// Parsed plans by id, each at the version it was read or written at. A store reads
/// a plan's current version from the database on every read and uses the plan kept
/// here only while it is at that version, so several servers on one database never
/// serve a version older than the stored one.
#[derive(Debug, Default)]
pub(crate) struct PlanCache(RwLock<HashMap<String, StoredPlan>>);

impl PlanCache {
    /// The plan `id` at `version`, if it is kept at that version.
    pub(crate) fn get(&self, id: &str, version: u64) -> Option<StoredPlan> {
        let cache = self.0.read().unwrap_or_else(|e| e.into_inner());
        cache.get(id).filter(|p| p.version == version).cloned()
    }

    /// Keeps `stored`, unless a later version of it is kept already.
    pub(crate) fn remember(&self, stored: &StoredPlan) {
        let mut cache = self.0.write().unwrap_or_else(|e| e.into_inner());
        match cache.get(stored.plan.id.as_str()) {
            Some(old) if old.version >= stored.version => {}
            _ => {
                cache.insert(stored.plan.id.as_str().to_owned(), stored.clone());
            }
        }
    }

    /// Forgets the plan `id` (it was deleted).
    pub(crate) fn forget(&self, id: &str) {
        let mut cache = self.0.write().unwrap_or_else(|e| e.into_inner());
        cache.remove(id);
    }
}

/// A plan's row: its id, current version and when it was created and changed.
#[derive(Debug, Clone)]
pub(crate) struct PlanRow {
    pub(crate) id: String,
    pub(crate) version: u64,
    pub(crate) created_at: String,
    pub(crate) updated_at: String,
}

/// The plan of `row` made from its document, written whole at version `base`, and
/// the changes recorded since (`(version, change JSON)`, in version order), which
/// must reach the row's version one by one. The document is kept with the plan only
/// when no change was made since it was written.
///
/// # Errors
/// [`StoreError::Corrupt`] naming the plan and the version when the document or a
/// change does not read or apply, or a change is missing.
pub(crate) fn rebuild(
    row: PlanRow,
    base: u64,
    document: String,
    changes: impl IntoIterator<Item = (u64, String)>,
) -> Result<StoredPlan, StoreError> {
    let corrupt = |message: String| StoreError::Corrupt { id: row.id.clone(), message };
    let mut plan = Plan::from_json(&document).map_err(|e| corrupt(e.to_string()))?;
    let mut version = base;
    for (at, text) in changes {
        if at != version + 1 {
            return Err(corrupt(format!("the change to version {} is missing", version + 1)));
        }
        let change: PlanChange = serde_json::from_str(&text)
            .map_err(|e| corrupt(format!("the change to version {at} does not read: {e}")))?;
        change
            .redo(&mut plan)
            .map_err(|e| corrupt(format!("the change to version {at} is refused: {e}")))?;
        version = at;
    }
    if version != row.version {
        return Err(corrupt(format!(
            "the plan is at version {} but its changes reach only version {version}",
            row.version
        )));
    }
    let document = (base == version).then(|| Arc::from(document));
    Ok(StoredPlan::new(Arc::new(plan), document, version, row.created_at, row.updated_at))
}

/// The JSON a change is kept as.
///
/// # Errors
/// [`StoreError::Corrupt`] if it cannot be written (it can always be).
pub(crate) fn change_json(id: &str, change: &PlanChange) -> Result<String, StoreError> {
    serde_json::to_string(change).map_err(|e| StoreError::Corrupt {
        id: id.to_owned(),
        message: format!("the change cannot be written: {e}"),
    })
}

/// An audit entry's `before` or `after` as stored: JSON, or the text itself if it is
/// not JSON.
pub(crate) fn parse_json(text: Option<String>) -> Option<serde_json::Value> {
    text.map(|t| serde_json::from_str(&t).unwrap_or(serde_json::Value::String(t)))
}
