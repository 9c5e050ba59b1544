//! The SQLite store: one file, WAL journal, numbered migrations applied at open,
//! every write one `IMMEDIATE` transaction, and an audit table that triggers keep
//! append-only.
//!
//! A plan is kept as its document at some version (`plan_documents`) and the
//! [`PlanChange`]s made since (`plan_changes`), one small row each; `plans` holds
//! its current version. An update appends a row and bumps the version, writing
//! neither the document nor anything as long as the action's log; every
//! [`WHOLE_EVERY`](super::WHOLE_EVERY) changes, and at every other kind of write, the document is
//! written whole again and the changes it holds are dropped.
//!
//! Writes go through one connection behind a mutex; reads use a small pool of their
//! own connections, which WAL lets run beside the writer. Parsed plans are kept in
//! memory by id and version: a read checks the stored version first, so a cached
//! plan is only used while it is still the current one.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, Utc};
use ragplan_core::{Plan, PlanId};
use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior, params};

use super::copy::{Cell, Kind, Rows, Table, held};
use super::kept::{
    PlanCache, PlanRow as Row, change_json, parse_json, rebuild, role_from_db, writes_whole,
};
use super::{
    AuditEntry, AuditRecord, Page, PlanChange, Store, StoreError, StoredPlan, TokenInfo, timestamp,
};
use crate::auth::Role;

/// The schema, one migration per entry; migration `n` (1-based) brings the
/// database's `user_version` to `n`. Entries are never edited once released, only
/// added.
const MIGRATIONS: &[&str] = &[
    // 1: plans, the audit log and tokens.
    "CREATE TABLE plans (
        id TEXT PRIMARY KEY NOT NULL,
        title TEXT NOT NULL,
        version INTEGER NOT NULL CHECK (version >= 1),
        document TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    ) STRICT;
    CREATE TABLE audit (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        plan_id TEXT NOT NULL,
        version INTEGER,
        at TEXT NOT NULL,
        who TEXT NOT NULL,
        route TEXT NOT NULL,
        summary TEXT NOT NULL,
        before TEXT,
        after TEXT
    ) STRICT;
    CREATE INDEX audit_by_plan ON audit (plan_id, seq);
    CREATE TRIGGER audit_is_append_only_update BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TRIGGER audit_is_append_only_delete BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TABLE tokens (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('reader', 'editor', 'admin')),
        hash TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        revoked_at TEXT
    ) STRICT;",
    // 2: a plan's document apart from its version, and the changes made since it
    // was written, so that a small change writes a small row.
    "CREATE TABLE plan_documents (
        plan_id TEXT PRIMARY KEY NOT NULL,
        version INTEGER NOT NULL CHECK (version >= 1),
        document TEXT NOT NULL
    ) STRICT;
    CREATE TABLE plan_changes (
        plan_id TEXT NOT NULL,
        version INTEGER NOT NULL CHECK (version >= 2),
        change TEXT NOT NULL,
        PRIMARY KEY (plan_id, version)
    ) STRICT, WITHOUT ROWID;
    INSERT INTO plan_documents (plan_id, version, document)
        SELECT id, version, document FROM plans;
    ALTER TABLE plans DROP COLUMN document;",
];

/// How many read connections are opened beside the writer.
const N_READERS: usize = 4;

/// The embedded SQLite store.
#[derive(Debug)]
pub struct SqliteStore {
    writer: Mutex<Connection>,
    readers: Vec<Mutex<Connection>>,
    next_reader: AtomicUsize,
    cache: PlanCache,
}

fn lock(m: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
    // A panic while holding the lock leaves the connection usable: SQLite rolls an
    // unfinished transaction back when the next one begins.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    Ok(())
}

fn migrate(conn: &mut Connection, path: &str) -> Result<(), StoreError> {
    let known = MIGRATIONS.len() as i64;
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found > known {
        return Err(StoreError::SchemaTooNew { path: path.to_owned(), found, known });
    }
    for (n, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (n + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}

fn token_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<TokenInfo> {
    let role: String = row.get(2)?;
    Ok(TokenInfo {
        id: row.get(0)?,
        name: row.get(1)?,
        role: role_from_db(&role),
        created_at: row.get(3)?,
        revoked_at: row.get(4)?,
    })
}

fn insert_audit(
    tx: &rusqlite::Transaction<'_>,
    plan_id: &str,
    version: Option<u64>,
    audit: &AuditRecord,
) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO audit (plan_id, version, at, who, route, summary, before, after)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        plan_id,
        version.map(|v| v as i64),
        timestamp(audit.at),
        audit.who,
        audit.route,
        audit.summary,
        audit.before,
        audit.after
    ])?;
    Ok(())
}

impl SqliteStore {
    /// Opens (and creates, if missing) the database at `path`, and brings its schema
    /// up to date.
    ///
    /// # Errors
    /// [`StoreError`] when the file cannot be opened or was written by a newer
    /// ragplan.
    pub fn open(path: impl AsRef<Path>) -> Result<SqliteStore, StoreError> {
        let path = path.as_ref();
        let shown = path.display().to_string();
        let damaged = |err: rusqlite::Error| match err.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase) => {
                StoreError::Damaged { path: shown.clone(), detail: err.to_string() }
            }
            _ => StoreError::Database(err),
        };
        let mut writer = Connection::open(path)?;
        configure(&writer).map_err(damaged)?;
        // A quick check of every page before serving: a damaged file is refused, not
        // served until a read meets the damage.
        let check: String =
            writer.pragma_query_value(None, "quick_check", |r| r.get(0)).map_err(damaged)?;
        if check != "ok" {
            return Err(StoreError::Damaged { path: shown, detail: check });
        }
        migrate(&mut writer, &shown)?;
        let mut readers = Vec::with_capacity(N_READERS);
        for _ in 0..N_READERS {
            let reader = Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            reader.busy_timeout(std::time::Duration::from_secs(5))?;
            readers.push(Mutex::new(reader));
        }
        Ok(SqliteStore {
            writer: Mutex::new(writer),
            readers,
            next_reader: AtomicUsize::new(0),
            cache: PlanCache::default(),
        })
    }

    /// Copies the whole write-ahead log into the database file and empties it, so
    /// that the database file alone holds every write: what a clean shutdown does.
    ///
    /// # Errors
    /// [`StoreError::Database`] when SQLite cannot checkpoint (a reader holding an
    /// old snapshot, say).
    pub fn checkpoint(&self) -> Result<(), StoreError> {
        let writer = lock(&self.writer);
        let (busy, _, _): (i64, i64, i64) =
            writer.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?;
        if busy != 0 {
            return Err(StoreError::Database(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
                Some("the write-ahead log could not be checkpointed: a reader is busy".into()),
            )));
        }
        Ok(())
    }

    /// Copies the database at `from` into a new file `to` with SQLite's online
    /// backup, while a server may be writing to it: `to` is a consistent database
    /// as of one moment. The copy is written beside `to` and renamed into place.
    ///
    /// # Errors
    /// [`StoreError::Damaged`] when `from` fails its integrity check;
    /// [`StoreError::Database`] when either file cannot be opened or written.
    pub fn backup(from: impl AsRef<Path>, to: impl AsRef<Path>) -> Result<(), StoreError> {
        let (from, to) = (from.as_ref(), to.as_ref());
        let source = Connection::open_with_flags(from, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        source.busy_timeout(std::time::Duration::from_secs(5))?;
        let check: String = source.pragma_query_value(None, "quick_check", |r| r.get(0))?;
        if check != "ok" {
            return Err(StoreError::Damaged { path: from.display().to_string(), detail: check });
        }
        let mut staging = to.as_os_str().to_owned();
        staging.push(".partial");
        let staging = std::path::PathBuf::from(staging);
        let _ = std::fs::remove_file(&staging);
        let copied = (|| -> Result<(), StoreError> {
            // All pages in one step: copied in small steps, the copy would start over
            // at every write the server makes in between, and might never finish.
            let mut copy = Connection::open(&staging)?;
            let backup = rusqlite::backup::Backup::new(&source, &mut copy)?;
            let mut tries = 0;
            loop {
                match backup.step(-1)? {
                    rusqlite::backup::StepResult::Done => break,
                    rusqlite::backup::StepResult::More => {}
                    // A write in progress holds the database for a moment.
                    _ if tries < 200 => {
                        tries += 1;
                        std::thread::sleep(std::time::Duration::from_millis(25));
                    }
                    _ => {
                        return Err(StoreError::Database(rusqlite::Error::SqliteFailure(
                            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
                            Some("the database stayed busy for 5 seconds; try again".into()),
                        )));
                    }
                }
            }
            Ok(())
        })();
        if let Err(err) = copied {
            let _ = std::fs::remove_file(&staging);
            return Err(err);
        }
        std::fs::rename(&staging, to).map_err(|e| {
            let _ = std::fs::remove_file(&staging);
            StoreError::Database(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CANTOPEN),
                Some(format!("{}: cannot write the backup: {e}", to.display())),
            ))
        })
    }

    fn reader(&self) -> MutexGuard<'_, Connection> {
        for m in &self.readers {
            if let Ok(guard) = m.try_lock() {
                return guard;
            }
        }
        let i = self.next_reader.fetch_add(1, Ordering::Relaxed) % self.readers.len();
        lock(&self.readers[i])
    }

    /// The plan for a row: from the cache when it holds this version, else read from
    /// the database: its document, with the changes made since made again. None
    /// when the plan was deleted since the row was read.
    fn load(&self, conn: &Connection, row: Row) -> Result<Option<StoredPlan>, StoreError> {
        if let Some(hit) = self.cache.get(&row.id, row.version) {
            return Ok(Some(StoredPlan {
                created_at: row.created_at,
                updated_at: row.updated_at,
                ..hit
            }));
        }
        // One read transaction: the version, the document and the changes as of one
        // moment, even while a write lands between the statements.
        let tx = conn.unchecked_transaction()?;
        let Some(row) = Self::rows(
            &tx,
            "SELECT id, version, created_at, updated_at FROM plans WHERE id = ?1",
            [&row.id],
        )?
        .into_iter()
        .next() else {
            return Ok(None);
        };
        let (base, document): (i64, String) = tx.query_row(
            "SELECT version, document FROM plan_documents WHERE plan_id = ?1",
            [&row.id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let mut stmt = tx.prepare_cached(
            "SELECT version, change FROM plan_changes WHERE plan_id = ?1 AND version > ?2
             ORDER BY version",
        )?;
        let changes = stmt
            .query_map(params![row.id, base], |r| {
                Ok((r.get::<_, i64>(0)? as u64, r.get::<_, String>(1)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let stored = rebuild(row, u64::try_from(base).unwrap_or(0), document, changes)?;
        self.cache.remember(&stored);
        Ok(Some(stored))
    }

    /// Writes `document` as the plan's whole document at `version`, in place of the
    /// one before and the changes since it.
    fn write_whole(
        tx: &rusqlite::Transaction<'_>,
        id: &str,
        version: u64,
        document: &str,
    ) -> rusqlite::Result<()> {
        tx.execute(
            "INSERT INTO plan_documents (plan_id, version, document) VALUES (?1, ?2, ?3)
             ON CONFLICT (plan_id) DO UPDATE SET version = excluded.version,
                 document = excluded.document",
            params![id, version as i64, document],
        )?;
        tx.execute("DELETE FROM plan_changes WHERE plan_id = ?1", [id])?;
        Ok(())
    }

    /// The version the plan's document was written at.
    fn whole_version(tx: &rusqlite::Transaction<'_>, id: &str) -> rusqlite::Result<u64> {
        tx.query_row("SELECT version FROM plan_documents WHERE plan_id = ?1", [id], |r| {
            r.get::<_, i64>(0)
        })
        .map(|v| v as u64)
    }

    /// Bumps the plan's row to `version` at `at` and returns when it was created;
    /// `title` too when given.
    fn bump(
        tx: &rusqlite::Transaction<'_>,
        id: &str,
        version: u64,
        at: &str,
        title: Option<&str>,
    ) -> rusqlite::Result<String> {
        tx.query_row(
            "UPDATE plans SET version = ?2, updated_at = ?3, title = COALESCE(?4, title)
             WHERE id = ?1 RETURNING created_at",
            params![id, version as i64, at, title],
            |r| r.get(0),
        )
    }

    /// The plan's current version, refused unless it is `expected`.
    fn check_version(
        tx: &rusqlite::Transaction<'_>,
        id: &PlanId,
        expected: u64,
    ) -> Result<u64, StoreError> {
        let current =
            Self::current_version(tx, id)?.ok_or_else(|| StoreError::NotFound(id.clone()))?;
        if current != expected {
            return Err(StoreError::Stale { expected, current });
        }
        Ok(current)
    }

    fn rows(
        conn: &Connection,
        sql: &str,
        params: impl rusqlite::Params,
    ) -> rusqlite::Result<Vec<Row>> {
        let mut stmt = conn.prepare_cached(sql)?;
        let rows = stmt.query_map(params, |r| {
            Ok(Row {
                id: r.get(0)?,
                version: r.get::<_, i64>(1)? as u64,
                created_at: r.get(2)?,
                updated_at: r.get(3)?,
            })
        })?;
        rows.collect()
    }

    fn current_version(
        tx: &rusqlite::Transaction<'_>,
        id: &PlanId,
    ) -> Result<Option<u64>, StoreError> {
        let version: Option<i64> = tx
            .query_row("SELECT version FROM plans WHERE id = ?1", [id.as_str()], |r| r.get(0))
            .optional()?;
        Ok(version.map(|v| v as u64))
    }
}

impl SqliteStore {
    /// Every row of `table` (for [`super::copy`]).
    pub(crate) fn read_table(&self, table: &Table) -> Result<Rows, StoreError> {
        let conn = self.reader();
        let mut stmt = conn.prepare(&table.select())?;
        let rows = stmt.query_map([], |r| {
            (0..table.columns.len())
                .map(|i| match table.columns[i].1 {
                    Kind::Int => r.get::<_, Option<i64>>(i).map(Cell::Int),
                    Kind::Text => r.get::<_, Option<String>>(i).map(Cell::Text),
                })
                .collect::<rusqlite::Result<Vec<Cell>>>()
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Writes `tables` into this store, which must hold nothing yet, in one
    /// transaction (for [`super::copy`]).
    pub(crate) fn write_tables(&self, tables: &[(&Table, Rows)]) -> Result<(), StoreError> {
        let mut conn = lock(&self.writer);
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut counts = Vec::new();
        for (table, _) in tables {
            let n: i64 =
                tx.query_row(&format!("SELECT count(*) FROM {}", table.name), [], |r| r.get(0))?;
            counts.push((table.name, n as u64));
        }
        if let Some(held) = held(&counts) {
            return Err(StoreError::NotEmpty(held));
        }
        for (table, rows) in tables {
            let marks: Vec<String> = (1..=table.columns.len()).map(|i| format!("?{i}")).collect();
            let sql = format!(
                "INSERT INTO {} ({}) VALUES ({})",
                table.name,
                table.column_list(),
                marks.join(", ")
            );
            let mut stmt = tx.prepare(&sql)?;
            for row in rows {
                let values = row.iter().map(|cell| match cell {
                    Cell::Int(v) => rusqlite::types::Value::from(*v),
                    Cell::Text(v) => rusqlite::types::Value::from(v.clone()),
                });
                stmt.execute(rusqlite::params_from_iter(values))?;
            }
        }
        tx.commit()?;
        Ok(())
    }
}

/// Stores a token by its hash in `tx`.
fn insert_token(
    tx: &rusqlite::Transaction<'_>,
    name: &str,
    role: Role,
    hash: &str,
    at: DateTime<Utc>,
) -> Result<TokenInfo, StoreError> {
    let at = timestamp(at);
    tx.execute(
        "INSERT INTO tokens (name, role, hash, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![name, role.as_str(), hash, at],
    )?;
    let id = tx.last_insert_rowid();
    Ok(TokenInfo { id, name: name.to_owned(), role, created_at: at, revoked_at: None })
}

impl Store for SqliteStore {
    fn plans(&self, limit: u32, offset: u64) -> Result<Page<StoredPlan>, StoreError> {
        let conn = self.reader();
        let total: i64 = conn.query_row("SELECT count(*) FROM plans", [], |r| r.get(0))?;
        let rows = Self::rows(
            &conn,
            "SELECT id, version, created_at, updated_at FROM plans ORDER BY id LIMIT ?1 OFFSET ?2",
            params![i64::from(limit), offset.min(i64::MAX as u64) as i64],
        )?;
        let items = rows
            .into_iter()
            .filter_map(|r| self.load(&conn, r).transpose())
            .collect::<Result<_, _>>()?;
        Ok(Page { items, total: total as u64 })
    }

    fn all_plans(&self) -> Result<Vec<StoredPlan>, StoreError> {
        let conn = self.reader();
        let rows = Self::rows(
            &conn,
            "SELECT id, version, created_at, updated_at FROM plans ORDER BY id",
            [],
        )?;
        rows.into_iter().filter_map(|r| self.load(&conn, r).transpose()).collect()
    }

    fn plan(&self, id: &PlanId) -> Result<Option<StoredPlan>, StoreError> {
        let conn = self.reader();
        let row = Self::rows(
            &conn,
            "SELECT id, version, created_at, updated_at FROM plans WHERE id = ?1",
            [id.as_str()],
        )?
        .into_iter()
        .next();
        row.map_or(Ok(None), |r| self.load(&conn, r))
    }

    fn create_plan(&self, plan: Plan, audit: AuditRecord) -> Result<StoredPlan, StoreError> {
        let document = plan.to_json();
        let at = timestamp(audit.at);
        let mut conn = lock(&self.writer);
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        if Self::current_version(&tx, &plan.id)?.is_some() {
            return Err(StoreError::Exists(plan.id));
        }
        // A plan deleted and created again goes on from its last version, so that an
        // id and a version never name two documents (ETags and cached assessments
        // rely on it).
        let last: i64 = tx.query_row(
            "SELECT COALESCE(MAX(version), 0) FROM audit WHERE plan_id = ?1",
            [plan.id.as_str()],
            |r| r.get(0),
        )?;
        let version = u64::try_from(last).unwrap_or(0) + 1;
        tx.execute(
            "INSERT INTO plans (id, title, version, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?4)",
            params![plan.id.as_str(), plan.title, version as i64, at],
        )?;
        Self::write_whole(&tx, plan.id.as_str(), version, &document)?;
        insert_audit(&tx, plan.id.as_str(), Some(version), &audit)?;
        tx.commit()?;
        let stored =
            StoredPlan::new(Arc::new(plan), Some(document.into()), version, at.clone(), at);
        self.cache.remember(&stored);
        Ok(stored)
    }

    fn replace_plan(
        &self,
        plan: Plan,
        expected_version: u64,
        audit: AuditRecord,
    ) -> Result<StoredPlan, StoreError> {
        let document = plan.to_json();
        let at = timestamp(audit.at);
        let mut conn = lock(&self.writer);
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let version = Self::check_version(&tx, &plan.id, expected_version)? + 1;
        let id = plan.id.as_str();
        let created_at = Self::bump(&tx, id, version, &at, Some(&plan.title))?;
        Self::write_whole(&tx, id, version, &document)?;
        insert_audit(&tx, id, Some(version), &audit)?;
        tx.commit()?;
        let stored =
            StoredPlan::new(Arc::new(plan), Some(document.into()), version, created_at, at);
        self.cache.remember(&stored);
        Ok(stored)
    }

    fn record_change(
        &self,
        plan: Plan,
        change: &PlanChange,
        expected_version: u64,
        audit: AuditRecord,
    ) -> Result<StoredPlan, StoreError> {
        let at = timestamp(audit.at);
        let mut conn = lock(&self.writer);
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let version = Self::check_version(&tx, &plan.id, expected_version)? + 1;
        let id = plan.id.as_str();
        let created_at = Self::bump(&tx, id, version, &at, None)?;
        let mut document = None;
        if writes_whole(version, Self::whole_version(&tx, id)?) {
            let whole = plan.to_json();
            Self::write_whole(&tx, id, version, &whole)?;
            document = Some(whole.into());
        } else {
            let text = change_json(id, change)?;
            tx.prepare_cached(
                "INSERT INTO plan_changes (plan_id, version, change) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![id, version as i64, text])?;
        }
        insert_audit(&tx, id, Some(version), &audit)?;
        tx.commit()?;
        let stored = StoredPlan::new(Arc::new(plan), document, version, created_at, at);
        self.cache.remember(&stored);
        Ok(stored)
    }

    fn delete_plan(
        &self,
        id: &PlanId,
        expected_version: u64,
        audit: AuditRecord,
    ) -> Result<(), StoreError> {
        let mut conn = lock(&self.writer);
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        Self::check_version(&tx, id, expected_version)?;
        tx.execute("DELETE FROM plans WHERE id = ?1", [id.as_str()])?;
        tx.execute("DELETE FROM plan_documents WHERE plan_id = ?1", [id.as_str()])?;
        tx.execute("DELETE FROM plan_changes WHERE plan_id = ?1", [id.as_str()])?;
        insert_audit(&tx, id.as_str(), None, &audit)?;
        tx.commit()?;
        self.cache.forget(id.as_str());
        Ok(())
    }

    fn history(
        &self,
        id: &PlanId,
        limit: u32,
        offset: u64,
    ) -> Result<Page<AuditEntry>, StoreError> {
        let conn = self.reader();
        let total: i64 =
            conn.query_row("SELECT count(*) FROM audit WHERE plan_id = ?1", [id.as_str()], |r| {
                r.get(0)
            })?;
        let mut stmt = conn.prepare_cached(
            "SELECT seq, plan_id, version, at, who, route, summary, before, after FROM audit
             WHERE plan_id = ?1 ORDER BY seq LIMIT ?2 OFFSET ?3",
        )?;
        let items = stmt
            .query_map(
                params![id.as_str(), i64::from(limit), offset.min(i64::MAX as u64) as i64],
                |r| {
                    Ok(AuditEntry {
                        seq: r.get(0)?,
                        plan_id: r.get(1)?,
                        version: r.get::<_, Option<i64>>(2)?.map(|v| v as u64),
                        at: r.get(3)?,
                        who: r.get(4)?,
                        route: r.get(5)?,
                        summary: r.get(6)?,
                        before: parse_json(r.get(7)?),
                        after: parse_json(r.get(8)?),
                    })
                },
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Page { items, total: total as u64 })
    }

    fn create_token(
        &self,
        name: &str,
        role: Role,
        hash: &str,
        at: DateTime<Utc>,
    ) -> Result<TokenInfo, StoreError> {
        let mut conn = lock(&self.writer);
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let info = insert_token(&tx, name, role, hash, at)?;
        tx.commit()?;
        Ok(info)
    }

    fn create_first_token(
        &self,
        name: &str,
        role: Role,
        hash: &str,
        at: DateTime<Utc>,
    ) -> Result<Option<TokenInfo>, StoreError> {
        let mut conn = lock(&self.writer);
        // Immediate: the database's write lock is taken before the check, so another
        // process on the same file waits for this one's token and then sees it.
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let held: bool = tx.query_row("SELECT EXISTS (SELECT 1 FROM tokens)", [], |r| r.get(0))?;
        let info = if held { None } else { Some(insert_token(&tx, name, role, hash, at)?) };
        tx.commit()?;
        Ok(info)
    }

    fn tokens(&self) -> Result<Vec<TokenInfo>, StoreError> {
        let conn = self.reader();
        let mut stmt = conn.prepare_cached(
            "SELECT id, name, role, created_at, revoked_at FROM tokens ORDER BY id",
        )?;
        let tokens = stmt.query_map([], token_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(tokens)
    }

    fn token_by_hash(&self, hash: &str) -> Result<Option<TokenInfo>, StoreError> {
        let conn = self.reader();
        let mut stmt = conn.prepare_cached(
            "SELECT id, name, role, created_at, revoked_at FROM tokens WHERE hash = ?1",
        )?;
        Ok(stmt.query_row([hash], token_row).optional()?)
    }

    fn revoke_token(&self, id: i64, at: DateTime<Utc>) -> Result<bool, StoreError> {
        let mut conn = lock(&self.writer);
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let n = tx.execute(
            "UPDATE tokens SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
            params![id, timestamp(at)],
        )?;
        tx.commit()?;
        Ok(n == 1)
    }

    fn check(&self) -> Result<(), StoreError> {
        let conn = self.reader();
        conn.query_row("SELECT 1", [], |r| r.get::<_, i64>(0))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::WHOLE_EVERY;
    use chrono::TimeZone;

    fn audit(summary: &str) -> AuditRecord {
        AuditRecord {
            at: Utc.with_ymd_and_hms(2015, 6, 1, 9, 0, 0).unwrap(),
            who: "test".into(),
            route: "TEST".into(),
            summary: summary.into(),
            before: None,
            after: Some("{\"a\":1}".into()),
        }
    }

    fn plan(title: &str) -> Plan {
        Plan::new(PlanId::new("p").unwrap(), title)
    }

    /// A plan with its own id.
    fn plan_with_id(id: &str) -> Plan {
        Plan::new(PlanId::new(id).unwrap(), format!("Plan {id}"))
    }

    /// A plan with one action, 1.1, for changes to be recorded on.
    fn plan_with_action() -> Plan {
        let mut plan = plan("A");
        let key = ragplan_core::Key::new("1").unwrap();
        let mut objective = ragplan_core::Objective::new(key, "Objective");
        let action = ragplan_core::Action::new(ragplan_core::Key::new("1.1").unwrap(), "Act");
        objective.actions.push(action);
        plan.objectives.push(objective);
        plan
    }

    fn update_change(n: u32) -> PlanChange {
        let on = chrono::NaiveDate::from_ymd_opt(2015, 1, 1).unwrap() + chrono::Days::new(n.into());
        let mut update = ragplan_core::Update::new(on, format!("Officer {n}"));
        update.note = Some(format!("note {n}"));
        update.progress = Some((n % 101) as u8);
        let key = ragplan_core::Key::new("1.1").unwrap();
        PlanChange::Update { key, update, today: on }
    }

    fn override_change(n: u32) -> PlanChange {
        let on = chrono::NaiveDate::from_ymd_opt(2015, 1, 1).unwrap() + chrono::Days::new(n.into());
        let rating = ragplan_core::Rating::Amber;
        let ov =
            ragplan_core::Override::new(rating, "Chair", on, format!("judgement {n}")).unwrap();
        PlanChange::ActionOverride { key: ragplan_core::Key::new("1.1").unwrap(), ov }
    }

    fn count(store: &SqliteStore, sql: &str) -> i64 {
        lock(&store.writer).query_row(sql, [], |r| r.get(0)).unwrap()
    }

    /// Every update rewrote the plan's whole document, so its cost grew with the
    /// plan and with the action's log. A change is now one small row; the plan reads
    /// back, from a fresh open, the same as the plan it was recorded on, across the
    /// points where the document is written whole again.
    #[test]
    fn an_update_rewrote_the_whole_plan() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let store = SqliteStore::open(&path).unwrap();
        let mut plan = plan_with_action();
        store.create_plan(plan.clone(), audit("create")).unwrap();
        let n = 2 * WHOLE_EVERY as u32 + 5;
        for i in 1..=n {
            let change = if i % 10 == 0 { override_change(i) } else { update_change(i) };
            change.apply_to(&mut plan).unwrap();
            let stored =
                store.record_change(plan.clone(), &change, u64::from(i), audit("u")).unwrap();
            assert_eq!(stored.version, u64::from(i) + 1);
            if i == 1 {
                let whole = "SELECT version FROM plan_documents";
                assert_eq!(count(&store, whole), 1, "the document was not written again");
                assert_eq!(count(&store, "SELECT count(*) FROM plan_changes"), 1);
            }
        }
        // Written whole at versions 65 and 129 (64 changes after 1, then after 65):
        // the changes to versions 130 to 134 are kept beside it.
        assert_eq!(count(&store, "SELECT version FROM plan_documents"), 129);
        assert_eq!(count(&store, "SELECT count(*) FROM plan_changes"), 5);
        assert_eq!(count(&store, "SELECT min(version) FROM plan_changes"), 130);
        drop(store);
        let reopened = SqliteStore::open(&path).unwrap();
        let read = reopened.plan(&plan.id).unwrap().unwrap();
        assert_eq!(read.version, u64::from(n) + 1);
        assert_eq!(*read.plan, plan);
        assert_eq!(&*read.document(), plan.to_json().as_str());
        assert_eq!(read.plan.actions().next().map(|a| a.overrides.len()), Some(13));
        // A stale change is refused like a stale replacement.
        let err = reopened.record_change(plan.clone(), &update_change(n + 1), 1, audit("late"));
        assert!(matches!(err, Err(StoreError::Stale { expected: 1, .. })), "{err:?}");
        // A whole write after changes drops them; the plan reads back as written.
        plan.title = "Renamed".into();
        reopened.replace_plan(plan.clone(), u64::from(n) + 1, audit("rename")).unwrap();
        assert_eq!(count(&reopened, "SELECT count(*) FROM plan_changes"), 0);
        drop(reopened);
        let again = SqliteStore::open(&path).unwrap();
        assert_eq!(*again.plan(&plan.id).unwrap().unwrap().plan, plan);
    }

    /// A change that no longer applies is a damaged plan, named with its version,
    /// not a plan served without it.
    #[test]
    fn a_change_that_does_not_apply_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let store = SqliteStore::open(&path).unwrap();
        let mut plan = plan_with_action();
        store.create_plan(plan.clone(), audit("create")).unwrap();
        let change = update_change(3);
        change.apply_to(&mut plan).unwrap();
        store.record_change(plan.clone(), &change, 1, audit("u")).unwrap();
        lock(&store.writer)
            .execute("UPDATE plan_changes SET change = replace(change, '1.1', '9.9')", [])
            .unwrap();
        drop(store);
        let err = SqliteStore::open(&path).unwrap().plan(&plan.id).unwrap_err();
        assert!(err.to_string().contains("the change to version 2 is refused"), "{err}");
    }

    /// A stored change was made again with every check it passed when it was
    /// accepted, so a rule added since could refuse it and leave the plan unreadable.
    /// It is made again as it was made: here an update dated after the day it was
    /// reported on, which `Plan::record` refuses, reads back.
    #[test]
    fn a_rule_added_since_would_refuse_a_stored_change() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let store = SqliteStore::open(&path).unwrap();
        let plan = plan_with_action();
        store.create_plan(plan.clone(), audit("create")).unwrap();
        let PlanChange::Update { key, update, .. } = update_change(40) else { unreachable!() };
        let early = chrono::NaiveDate::from_ymd_opt(2015, 1, 2).unwrap();
        let change = PlanChange::Update { key, update, today: early };
        assert!(change.apply_to(&mut plan.clone()).is_err(), "record refuses it today");
        let mut changed = plan.clone();
        change.clone().redo(&mut changed).unwrap();
        store.record_change(changed.clone(), &change, 1, audit("u")).unwrap();
        drop(store);
        let read = SqliteStore::open(&path).unwrap().plan(&plan.id).unwrap().unwrap();
        assert_eq!((read.version, &*read.plan), (2, &changed));
    }

    /// A database written before plans were kept as a document and changes opens,
    /// its plans read back as they were, and changes can be recorded on them.
    #[test]
    fn a_database_of_schema_one_is_brought_up_to_date() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let mut plan = plan_with_action();
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch(MIGRATIONS[0]).unwrap();
            conn.pragma_update(None, "user_version", 1).unwrap();
            conn.execute(
                "INSERT INTO plans (id, title, version, document, created_at, updated_at)
                 VALUES ('p', 'A', 7, ?1, '2015-06-01T09:00:00Z', '2015-06-02T09:00:00Z')",
                [plan.to_json()],
            )
            .unwrap();
        }
        let store = SqliteStore::open(&path).unwrap();
        let read = store.plan(&plan.id).unwrap().unwrap();
        assert_eq!((read.version, read.updated_at.as_str()), (7, "2015-06-02T09:00:00Z"));
        assert_eq!(*read.plan, plan);
        let change = update_change(1);
        change.apply_to(&mut plan).unwrap();
        assert_eq!(store.record_change(plan.clone(), &change, 7, audit("u")).unwrap().version, 8);
        drop(store);
        assert_eq!(*SqliteStore::open(&path).unwrap().plan(&plan.id).unwrap().unwrap().plan, plan);
    }

    /// A damaged database file was served until a read met the damage. It is now
    /// refused at open, naming the file and how to restore it; a file that is not
    /// a database at all likewise.
    #[test]
    fn a_damaged_database_was_served() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        {
            let store = SqliteStore::open(&path).unwrap();
            for n in 0..40 {
                store.create_plan(plan_with_id(&format!("p{n}")), audit("create")).unwrap();
            }
            store.checkpoint().unwrap();
        }
        let mut bytes = std::fs::read(&path).unwrap();
        assert!(bytes.len() > 3 * 4096, "{} bytes", bytes.len());
        for b in &mut bytes[2 * 4096 + 100..3 * 4096] {
            *b = 0x5a;
        }
        std::fs::write(&path, &bytes).unwrap();
        let err = SqliteStore::open(&path).unwrap_err();
        assert!(matches!(err, StoreError::Damaged { .. }), "{err}");
        assert!(err.to_string().contains("restore it from a backup"), "{err}");
        let junk = dir.path().join("junk.db");
        std::fs::write(
            &junk,
            b"this is not a database, but it is long enough to look like one.".repeat(200),
        )
        .unwrap();
        assert!(matches!(SqliteStore::open(&junk), Err(StoreError::Damaged { .. })));
    }

    /// After a clean stop a copy of the database file alone missed the writes still
    /// in its write-ahead log. A checkpoint moves them into the file.
    #[test]
    fn a_checkpoint_leaves_every_write_in_the_database_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let store = SqliteStore::open(&path).unwrap();
        store.create_plan(plan("A"), audit("create")).unwrap();
        store.checkpoint().unwrap();
        let copy = dir.path().join("copy.db");
        std::fs::copy(&path, &copy).unwrap();
        assert_eq!(SqliteStore::open(&copy).unwrap().plans(10, 0).unwrap().total, 1);
        // The online backup, while the store is open, holds the same.
        store.create_plan(plan_with_id("b"), audit("create")).unwrap();
        let backup = dir.path().join("backup.db");
        SqliteStore::backup(&path, &backup).unwrap();
        assert_eq!(SqliteStore::open(&backup).unwrap().plans(10, 0).unwrap().total, 2);
    }

    #[test]
    fn reopening_keeps_data_and_a_newer_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        {
            let store = SqliteStore::open(&path).unwrap();
            store.create_plan(plan("A"), audit("create")).unwrap();
        }
        let store = SqliteStore::open(&path).unwrap();
        assert_eq!(store.plans(10, 0).unwrap().total, 1);
        drop(store);
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
        drop(conn);
        let err = SqliteStore::open(&path).unwrap_err();
        assert!(err.to_string().contains("schema is version 99"), "{err}");
    }
}
