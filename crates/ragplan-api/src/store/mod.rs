//! Where plans, their audit log and the API tokens are kept: the [`Store`] trait,
//! [`SqliteStore`], the embedded default, and [`PgStore`], for several servers on
//! one PostgreSQL database; [`OpenedStore`] opens the one `--db` names.
//!
//! Invariants every store keeps:
//! - a plan has a version that starts at 1 and goes up by one with every change; a
//!   plan deleted and created again goes on from its last version, so an id and a
//!   version never name two documents;
//!   [`Store::replace_plan`] and [`Store::delete_plan`] refuse with
//!   [`StoreError::Stale`] unless the caller names the current version, so no change
//!   is ever made to a plan the caller has not seen;
//! - every write is one transaction: the change, the new version and its audit
//!   entry are stored together or not at all;
//! - a plan reads back as it was written: the document last stored whole, with the
//!   changes recorded since ([`PlanChange`]) made again in order;
//! - the audit log is append-only;
//! - tokens are kept only as hashes.

pub mod copy;
mod kept;
mod postgres;
mod sqlite;

use std::sync::{Arc, OnceLock};

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use ragplan_core::{ApplyError, Key, Override, Plan, PlanId, Update};
use serde::{Deserialize, Serialize};

use crate::auth::Role;
use crate::error::ApiError;

pub use kept::WHOLE_EVERY;
pub use postgres::{PgStore, is_postgres_url, redacted};
pub use sqlite::SqliteStore;

/// A plan as stored: the plan, its version and when it was created and changed.
#[derive(Debug, Clone)]
pub struct StoredPlan {
    /// The plan.
    pub plan: Arc<Plan>,
    /// The plan's canonical document, written once when first asked for (a plan
    /// changed by a [`PlanChange`] is not written whole to be stored).
    document: Arc<OnceLock<Arc<str>>>,
    /// The version: 1 when created, one more with each change.
    pub version: u64,
    /// When the plan was first stored (RFC 3339, UTC).
    pub created_at: String,
    /// When it was last changed (RFC 3339, UTC).
    pub updated_at: String,
}

impl StoredPlan {
    /// A stored plan, with its document when it is at hand (else written from the
    /// plan when first asked for).
    pub fn new(
        plan: Arc<Plan>,
        document: Option<Arc<str>>,
        version: u64,
        created_at: String,
        updated_at: String,
    ) -> StoredPlan {
        let cell = OnceLock::new();
        if let Some(document) = document {
            let _ = cell.set(document);
        }
        StoredPlan { plan, document: Arc::new(cell), version, created_at, updated_at }
    }

    /// The plan's canonical `ragplan/2` document ([`Plan::to_json`]), as GET
    /// `/v1/plans/{id}` serves it: written the first time it is asked for at this
    /// version, and shared by every copy of this `StoredPlan` after that.
    pub fn document(&self) -> Arc<str> {
        self.document.get_or_init(|| self.plan.to_json().into()).clone()
    }
}

/// A change to one action that the store keeps as itself rather than by writing the
/// whole plan again, so that its cost does not grow with the plan or the action's
/// log: a progress update or an override. A plan reads back as its last whole
/// document with these changes made again, in order ([`PlanChange::redo`]). Kept as
/// JSON (`{"kind": "update", …}`); a kind is never changed once released, only
/// added.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum PlanChange {
    /// [`Plan::record`]: a progress update on the action with `key`, reported on
    /// `today`.
    Update {
        /// The action's key.
        key: Key,
        /// The update.
        update: Update,
        /// The day it was reported.
        today: NaiveDate,
    },
    /// [`Plan::set_action_override`]: an override of the action with `key`.
    ActionOverride {
        /// The action's key.
        key: Key,
        /// The override.
        #[serde(rename = "override")]
        ov: Override,
    },
}

impl PlanChange {
    /// The action the change is to.
    pub fn key(&self) -> &Key {
        match self {
            PlanChange::Update { key, .. } | PlanChange::ActionOverride { key, .. } => key,
        }
    }

    /// Makes the change to `plan`, with every check: [`Plan::record`] (reported on
    /// `today`), [`Plan::set_action_override`].
    ///
    /// # Errors
    /// [`ApplyError`] when the plan refuses it; the plan is unchanged then.
    pub fn apply_to(&self, plan: &mut Plan) -> Result<(), ApplyError> {
        match self {
            PlanChange::Update { key, update, today } => plan.record(key, update.clone(), *today),
            PlanChange::ActionOverride { key, ov } => plan.set_action_override(key, ov.clone()),
        }
    }

    /// Makes the change again on `plan` read back from a store, as it was made:
    /// [`Plan::redo_update`], [`Plan::redo_action_override`], without the checks it
    /// passed when it was accepted, so that a rule added since cannot refuse it.
    ///
    /// # Errors
    /// [`ApplyError`] when no single action of `plan` has the change's key.
    pub fn redo(self, plan: &mut Plan) -> Result<(), ApplyError> {
        match self {
            PlanChange::Update { key, update, .. } => plan.redo_update(&key, update),
            PlanChange::ActionOverride { key, ov } => plan.redo_action_override(&key, ov),
        }
    }
}

/// One page of a longer list.
#[derive(Debug, Clone)]
pub struct Page<T> {
    /// The items on the page.
    pub items: Vec<T>,
    /// How many there are in all.
    pub total: u64,
}

/// An API token as stored (its hash is never read back out).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenInfo {
    /// The token's id.
    pub id: i64,
    /// Its name: who or what uses it.
    pub name: String,
    /// Its role.
    pub role: Role,
    /// When it was created (RFC 3339, UTC).
    pub created_at: String,
    /// When it was revoked, if it was.
    pub revoked_at: Option<String>,
}

/// What a write records in the audit log.
#[derive(Debug, Clone)]
pub struct AuditRecord {
    /// When (the server's clock).
    pub at: DateTime<Utc>,
    /// Who: the name of the token that made the change.
    pub who: String,
    /// The route that made it, such as `POST /v1/plans/{id}/actions/{key}/updates`.
    pub route: String,
    /// One line saying what changed.
    pub summary: String,
    /// What changed, as it was (JSON), if it existed.
    pub before: Option<String>,
    /// What changed, as it became (JSON), if it still exists.
    pub after: Option<String>,
}

/// One entry of a plan's audit log.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    /// Position in the log (increasing).
    pub seq: i64,
    /// The plan.
    pub plan_id: String,
    /// The plan's version after the change; none for a deletion.
    pub version: Option<u64>,
    /// When (RFC 3339, UTC).
    pub at: String,
    /// Who: the token's name.
    pub who: String,
    /// The route.
    pub route: String,
    /// What changed, in one line.
    pub summary: String,
    /// What changed, as it was.
    pub before: Option<serde_json::Value>,
    /// What changed, as it became.
    pub after: Option<serde_json::Value>,
}

/// A store operation that failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No plan has the id.
    #[error("no plan has the id {0}")]
    NotFound(PlanId),
    /// A plan already has the id.
    #[error("a plan with the id {0} already exists")]
    Exists(PlanId),
    /// The plan is not at the version the caller named.
    #[error("the plan is at version {current}, not {expected}")]
    Stale {
        /// The version the caller named.
        expected: u64,
        /// The plan's current version.
        current: u64,
    },
    /// The database was written by a newer ragplan.
    #[error("{path}: the database schema is version {found}; this ragplan knows up to {known}")]
    SchemaTooNew {
        /// The database file.
        path: String,
        /// Its schema version.
        found: i64,
        /// The newest this build knows.
        known: i64,
    },
    /// A stored document that does not read back.
    #[error("plan {id}: the stored document cannot be read: {message}")]
    Corrupt {
        /// The plan id as stored.
        id: String,
        /// What is wrong.
        message: String,
    },
    /// The database file is damaged: SQLite's integrity check fails, or the file
    /// is not a database.
    #[error(
        "{path}: the database is damaged ({detail}); restore it from a backup made with \
         `ragplan backup`"
    )]
    Damaged {
        /// The database file.
        path: String,
        /// What SQLite found.
        detail: String,
    },
    /// The database failed.
    #[error("database: {0}")]
    Database(#[from] rusqlite::Error),
    /// PostgreSQL refused a statement.
    #[error("database: {0}")]
    Postgres(String),
    /// A `--db` URL of a kind no store reads (shown without its password).
    #[error(
        "{0}: not a database ragplan reads; give a SQLite file (or sqlite://FILE) or \
         postgres://user:password@host:5432/database"
    )]
    BadUrl(String),
    /// A copy's target already holds something (`ragplan store copy` copies into
    /// an empty store only).
    #[error("the target store is not empty: it holds {0}; copy into an empty one")]
    NotEmpty(String),
    /// What a copy's target holds afterwards is not what its source holds.
    #[error("the copy of table {table} differs from its source: {detail}")]
    CopyDiffers {
        /// The table.
        table: &'static str,
        /// The counts and digests of both sides.
        detail: String,
    },
    /// The database cannot be reached, or the connection was lost before it
    /// answered (a write's outcome is then unknown: it was made whole or not at
    /// all).
    #[error("{0}")]
    Unavailable(String),
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> ApiError {
        match err {
            StoreError::NotFound(id) => ApiError::NotFound(format!("no plan has the id {id}")),
            StoreError::Exists(id) => {
                ApiError::Conflict(format!("a plan with the id {id} already exists"))
            }
            StoreError::Stale { expected, current } => {
                ApiError::PreconditionFailed { sent: crate::etag(expected), current }
            }
            StoreError::Unavailable(why) => ApiError::StoreUnavailable(why),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

/// The SQLite file `db` names (a path, or `sqlite://` and a path), or `None` for a
/// URL (`postgres://…`, or one of a kind no store reads).
///
/// # Example
/// ```
/// use std::ffi::OsStr;
/// use std::path::Path;
/// use ragplan_api::store::sqlite_file;
/// assert_eq!(sqlite_file(OsStr::new("lscb.db")).as_deref(), Some(Path::new("lscb.db")));
/// assert_eq!(sqlite_file(OsStr::new("sqlite://lscb.db")).as_deref(), Some(Path::new("lscb.db")));
/// assert_eq!(sqlite_file(OsStr::new("postgres://db.internal/ragplan")), None);
/// ```
pub fn sqlite_file(db: &std::ffi::OsStr) -> Option<std::path::PathBuf> {
    match db.to_str() {
        Some(text) if text.starts_with("sqlite://") => Some(text["sqlite://".len()..].into()),
        Some(text) if text.contains("://") => None,
        _ => Some(db.into()),
    }
}

/// The store `--db` names: a PostgreSQL database for a `postgres://` or
/// `postgresql://` URL, else a SQLite file (a path, or `sqlite://` and a path).
#[derive(Debug, Clone)]
pub enum OpenedStore {
    /// The SQLite file.
    Sqlite(Arc<SqliteStore>),
    /// The PostgreSQL database.
    Postgres(Arc<PgStore>),
}

impl OpenedStore {
    /// Opens the store `db` names, bringing its schema up to date.
    ///
    /// # Errors
    /// [`StoreError`] when it cannot be opened or reached; for PostgreSQL the
    /// message names `user@host:port/database`, never the password.
    pub fn open(db: &std::ffi::OsStr) -> Result<OpenedStore, StoreError> {
        if let Some(file) = sqlite_file(db) {
            return Ok(OpenedStore::Sqlite(Arc::new(SqliteStore::open(file)?)));
        }
        match db.to_str() {
            Some(url) if is_postgres_url(url) => {
                Ok(OpenedStore::Postgres(Arc::new(PgStore::open(url)?)))
            }
            _ => Err(StoreError::BadUrl(redacted(&db.to_string_lossy()))),
        }
    }

    /// The store, for [`crate::AppState::new`].
    pub fn store(&self) -> Arc<dyn Store> {
        match self {
            OpenedStore::Sqlite(s) => s.clone(),
            OpenedStore::Postgres(s) => s.clone(),
        }
    }

    /// What messages call the store: the SQLite file as given, or PostgreSQL's
    /// `user@host:port/database` (never a password).
    pub fn describe(&self, db: &std::ffi::OsStr) -> String {
        match self {
            OpenedStore::Sqlite(_) => self.place(db),
            OpenedStore::Postgres(s) => format!("{} {}", self.place(db), s.transport()),
        }
    }

    /// Which store this is, however it was reached: the SQLite file as given, or
    /// PostgreSQL's `user@host:port/database` without how it was connected to.
    pub fn place(&self, db: &std::ffi::OsStr) -> String {
        match self {
            OpenedStore::Sqlite(_) => std::path::Path::new(db).display().to_string(),
            OpenedStore::Postgres(s) => format!("PostgreSQL {}", s.database()),
        }
    }

    /// What a clean stop does: SQLite's write-ahead log copied into the database
    /// file ([`SqliteStore::checkpoint`]); nothing for PostgreSQL, which keeps its
    /// own log.
    ///
    /// # Errors
    /// As [`SqliteStore::checkpoint`].
    pub fn close(&self) -> Result<(), StoreError> {
        match self {
            OpenedStore::Sqlite(s) => s.checkpoint(),
            OpenedStore::Postgres(_) => Ok(()),
        }
    }
}

/// The timestamp format of the store: RFC 3339, UTC, whole seconds.
pub fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Where plans, the audit log and tokens are kept: [`SqliteStore`] or [`PgStore`].
///
/// Methods block; the API calls them off the async runtime.
pub trait Store: Send + Sync + 'static {
    /// A page of plans, ordered by id.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    fn plans(&self, limit: u32, offset: u64) -> Result<Page<StoredPlan>, StoreError>;

    /// Every plan, ordered by id.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    fn all_plans(&self) -> Result<Vec<StoredPlan>, StoreError>;

    /// The plan with `id`, if there is one.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    fn plan(&self, id: &PlanId) -> Result<Option<StoredPlan>, StoreError>;

    /// Stores a new plan at version 1.
    ///
    /// # Errors
    /// [`StoreError::Exists`] when a plan has its id.
    fn create_plan(&self, plan: Plan, audit: AuditRecord) -> Result<StoredPlan, StoreError>;

    /// Replaces the plan with the same id, which must be at `expected_version`.
    ///
    /// # Errors
    /// [`StoreError::NotFound`], or [`StoreError::Stale`] with the current version.
    fn replace_plan(
        &self,
        plan: Plan,
        expected_version: u64,
        audit: AuditRecord,
    ) -> Result<StoredPlan, StoreError>;

    /// Records `change` on the plan with `plan`'s id, which must be at
    /// `expected_version`. `plan` is the stored plan with the change made
    /// ([`PlanChange::apply_to`]); the store keeps the change, not the whole plan, so
    /// the write costs the same however long the plan or the action's log is. A
    /// store that keeps only whole plans replaces the plan, as this default does.
    ///
    /// # Errors
    /// [`StoreError::NotFound`], or [`StoreError::Stale`] with the current version.
    fn record_change(
        &self,
        plan: Plan,
        change: &PlanChange,
        expected_version: u64,
        audit: AuditRecord,
    ) -> Result<StoredPlan, StoreError> {
        let _ = change;
        self.replace_plan(plan, expected_version, audit)
    }

    /// Deletes the plan, which must be at `expected_version`. Its audit log stays.
    ///
    /// # Errors
    /// [`StoreError::NotFound`], or [`StoreError::Stale`] with the current version.
    fn delete_plan(
        &self,
        id: &PlanId,
        expected_version: u64,
        audit: AuditRecord,
    ) -> Result<(), StoreError>;

    /// A page of a plan's audit log, oldest first. The log outlives the plan.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    fn history(&self, id: &PlanId, limit: u32, offset: u64)
    -> Result<Page<AuditEntry>, StoreError>;

    /// Stores a new token by its hash.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    fn create_token(
        &self,
        name: &str,
        role: Role,
        hash: &str,
        at: DateTime<Utc>,
    ) -> Result<TokenInfo, StoreError>;

    /// Stores a new token by its hash when the store holds no token at all, revoked
    /// ones included; `None` when it holds one. The check and the write are one
    /// transaction that no other writer of tokens runs beside, so of several servers
    /// starting together on one empty database exactly one makes the first token.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    fn create_first_token(
        &self,
        name: &str,
        role: Role,
        hash: &str,
        at: DateTime<Utc>,
    ) -> Result<Option<TokenInfo>, StoreError>;

    /// Every token, revoked ones too, oldest first.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    fn tokens(&self) -> Result<Vec<TokenInfo>, StoreError>;

    /// The token with this hash, if any (revoked ones too).
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    fn token_by_hash(&self, hash: &str) -> Result<Option<TokenInfo>, StoreError>;

    /// Revokes the token with `id`; false when there is no such token or it was
    /// already revoked.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    fn revoke_token(&self, id: i64, at: DateTime<Utc>) -> Result<bool, StoreError>;

    /// Checks the store answers (for `/healthz`).
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    fn check(&self) -> Result<(), StoreError>;
}
