//! The PostgreSQL store, for several `ragplan serve` instances on one database: the
//! same tables and guarantees as [`SqliteStore`](super::SqliteStore), kept by
//! PostgreSQL.
//!
//! - Numbered migrations are applied at open in one transaction under an advisory
//!   lock, so two servers starting together do not race; a database migrated by a
//!   newer ragplan is refused.
//! - Every write is one transaction that locks the plan's row (`SELECT … FOR
//!   UPDATE`) and checks its version there, so of two servers writing the same
//!   version of a plan one succeeds and the other is refused as stale.
//! - The audit log is append-only: a trigger refuses every `UPDATE`, `DELETE` and
//!   `TRUNCATE` of it.
//! - Parsed plans are kept in memory by id and version ([`PlanCache`]); every read
//!   asks the database for the plan's version first, so a plan written through
//!   another server is read at its new version at once.
//! - A database that cannot be reached, or a connection lost mid-write (when a
//!   commit's outcome is unknown), is [`StoreError::Unavailable`]: the API answers
//!   503 and the pool connects again by itself when the database is back.
//!
//! The client is tokio-postgres with a deadpool pool, driven by a small runtime of
//! the store's own: the [`Store`] trait blocks (the API calls it off its async
//! runtime), so this store serves the same contract as SQLite's.

use std::time::Duration;

use chrono::{DateTime, Utc};
use deadpool_postgres::{Manager, ManagerConfig, Object, Pool, RecyclingMethod, Transaction};
use ragplan_core::{Plan, PlanId};
use tokio_postgres::error::SqlState;

mod tls;

use self::tls::Tls;
use super::copy::{Cell, Kind, Rows, Table, held};
use super::kept::{
    PlanCache, PlanRow, change_json, parse_json, rebuild, role_from_db, writes_whole,
};
use super::{
    AuditEntry, AuditRecord, Page, PlanChange, Store, StoreError, StoredPlan, TokenInfo, timestamp,
};
use crate::auth::Role;

/// The schema, one migration per entry; migration `n` (1-based) is recorded in
/// `ragplan_migrations` as version `n`. Entries are never edited once released, only
/// added. Version 1 holds what SQLite's first two migrations made.
const MIGRATIONS: &[&str] = &["CREATE TABLE plans (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        version BIGINT NOT NULL CHECK (version >= 1),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE plan_documents (
        plan_id TEXT PRIMARY KEY,
        version BIGINT NOT NULL CHECK (version >= 1),
        document TEXT NOT NULL
    );
    CREATE TABLE plan_changes (
        plan_id TEXT NOT NULL,
        version BIGINT NOT NULL CHECK (version >= 2),
        change TEXT NOT NULL,
        PRIMARY KEY (plan_id, version)
    );
    CREATE TABLE audit (
        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        plan_id TEXT NOT NULL,
        version BIGINT,
        at TEXT NOT NULL,
        who TEXT NOT NULL,
        route TEXT NOT NULL,
        summary TEXT NOT NULL,
        before TEXT,
        after TEXT
    );
    CREATE INDEX audit_by_plan ON audit (plan_id, seq);
    CREATE FUNCTION ragplan_audit_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$;
    CREATE TRIGGER audit_is_append_only BEFORE UPDATE OR DELETE ON audit
        FOR EACH ROW EXECUTE FUNCTION ragplan_audit_is_append_only();
    CREATE TRIGGER audit_is_append_only_truncate BEFORE TRUNCATE ON audit
        FOR EACH STATEMENT EXECUTE FUNCTION ragplan_audit_is_append_only();
    CREATE TABLE tokens (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('reader', 'editor', 'admin')),
        hash TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        revoked_at TEXT
    );"];

/// The advisory lock migrations are applied under (`ragplan` in ASCII).
const MIGRATION_LOCK: i64 = 0x0072_6167_706c_616e;

/// How long a request waits for a connection, or for one to be made, before the
/// database counts as unavailable.
const CONNECT_WAIT: Duration = Duration::from_secs(5);

/// How long one store call (a read, or a write's whole transaction) may take
/// before the database counts as unavailable.
const ANSWER_WAIT: Duration = Duration::from_secs(15);

/// How long reading or writing every table for `ragplan store copy` may take.
const COPY_WAIT: Duration = Duration::from_secs(3600);

/// How many connections one server keeps open at most.
const POOL_SIZE: usize = 16;

/// The PostgreSQL store.
pub struct PgStore {
    pool: Pool,
    runtime: Option<tokio::runtime::Runtime>,
    cache: PlanCache,
    shown: String,
    /// [`PgStore::transport`].
    transport: String,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore").field("database", &self.shown).finish_non_exhaustive()
    }
}

impl Drop for PgStore {
    fn drop(&mut self) {
        // Dropped on an async runtime's thread, a runtime that waited for its
        // threads would panic; its connections need no goodbye.
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// `db` as messages may show it: a URL's password replaced by `***`
/// (`postgres://ragplan:***@db.internal/ragplan`); anything else as it is.
pub fn redacted(db: &str) -> String {
    let Some((scheme, rest)) = db.split_once("://") else { return db.to_owned() };
    let (authority, path) = rest.find('/').map_or((rest, ""), |i| rest.split_at(i));
    match authority.rsplit_once('@') {
        Some((user, host)) if user.contains(':') => {
            let name = user.split(':').next().unwrap_or_default();
            format!("{scheme}://{name}:***@{host}{path}")
        }
        _ => db.to_owned(),
    }
}

/// Whether `url` names a PostgreSQL database (`postgres://` or `postgresql://`).
pub fn is_postgres_url(url: &str) -> bool {
    let lower = url.get(..13).unwrap_or(url).to_ascii_lowercase();
    lower.starts_with("postgres://") || lower.starts_with("postgresql://")
}

/// Where `config` points, for messages: `user@host:port/database`, never the
/// password.
fn describe(config: &tokio_postgres::Config) -> String {
    let host = config
        .get_hosts()
        .first()
        .map(|h| match h {
            tokio_postgres::config::Host::Tcp(name) => name.clone(),
            tokio_postgres::config::Host::Unix(path) => path.display().to_string(),
        })
        .unwrap_or_else(|| "localhost".to_owned());
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let user = config.get_user().map(|u| format!("{u}@")).unwrap_or_default();
    let db = config.get_dbname().unwrap_or("");
    format!("{user}{host}:{port}/{db}")
}

/// Whether a database error says the database cannot serve now (it is shutting
/// down, starting, out of connections, or the transaction lost a race that a retry
/// would win), rather than that the statement is wrong.
fn is_unavailable(state: &SqlState) -> bool {
    let code = state.code();
    code.starts_with("08")
        || code.starts_with("57P")
        || code == SqlState::TOO_MANY_CONNECTIONS.code()
        || code == SqlState::T_R_SERIALIZATION_FAILURE.code()
        || code == SqlState::T_R_DEADLOCK_DETECTED.code()
        // A standby after a failover, until the servers are pointed at the new
        // primary.
        || code == SqlState::READ_ONLY_SQL_TRANSACTION.code()
}

/// An error with the errors that caused it: `error connecting to server: Connection
/// refused (os error 111)`.
fn with_causes(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut cause = err.source();
    while let Some(c) = cause {
        let more = c.to_string();
        if !text.ends_with(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        cause = c.source();
    }
    text
}

/// Whether an error with no answer from the server says the connection failed or
/// was lost (closed, an I/O error, a timeout), rather than that ragplan asked
/// something wrong of the client (a bad parameter, a row of the wrong type).
fn is_lost(err: &tokio_postgres::Error) -> bool {
    if err.is_closed() {
        return true;
    }
    let mut cause = std::error::Error::source(err);
    while let Some(c) = cause {
        if c.is::<std::io::Error>() {
            return true;
        }
        cause = c.source();
    }
    let text = err.to_string();
    ["error connecting to server", "error communicating with the server", "timeout"]
        .iter()
        .any(|t| text.starts_with(t))
}

impl From<tokio_postgres::Error> for StoreError {
    fn from(err: tokio_postgres::Error) -> StoreError {
        match err.as_db_error() {
            Some(db) if !is_unavailable(db.code()) => StoreError::Postgres(db.message().to_owned()),
            Some(db) => StoreError::Unavailable(db.message().to_owned()),
            // No answer from the server: the connection failed or was lost, so a
            // write's outcome may be unknown.
            None if is_lost(&err) => StoreError::Unavailable(with_causes(&err)),
            None => StoreError::Postgres(with_causes(&err)),
        }
    }
}

impl From<deadpool_postgres::PoolError> for StoreError {
    fn from(err: deadpool_postgres::PoolError) -> StoreError {
        match err {
            deadpool_postgres::PoolError::Backend(e) => e.into(),
            other => StoreError::Unavailable(format!(
                "no connection to the database: {}",
                with_causes(&other)
            )),
        }
    }
}

/// Text as PostgreSQL keeps it: it holds no NUL character, which is written as
/// U+FFFD.
fn text(value: &str) -> std::borrow::Cow<'_, str> {
    if value.contains('\0') { value.replace('\0', "\u{fffd}").into() } else { value.into() }
}

fn version_of(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

fn db_version(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

fn token_row(row: &tokio_postgres::Row) -> TokenInfo {
    let role: String = row.get(2);
    TokenInfo {
        id: row.get(0),
        name: row.get(1),
        role: role_from_db(&role),
        created_at: row.get(3),
        revoked_at: row.get(4),
    }
}

fn plan_row(row: &tokio_postgres::Row) -> PlanRow {
    PlanRow {
        id: row.get(0),
        version: version_of(row.get(1)),
        created_at: row.get(2),
        updated_at: row.get(3),
    }
}

async fn insert_audit(
    tx: &Transaction<'_>,
    plan_id: &str,
    version: Option<u64>,
    audit: &AuditRecord,
) -> Result<(), StoreError> {
    let stmt = tx
        .prepare_cached(
            "INSERT INTO audit (plan_id, version, at, who, route, summary, before, after)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .await?;
    let before = audit.before.as_deref().map(text);
    let after = audit.after.as_deref().map(text);
    tx.execute(
        &stmt,
        &[
            &plan_id,
            &version.map(db_version),
            &timestamp(audit.at),
            &text(&audit.who),
            &text(&audit.route),
            &text(&audit.summary),
            &before.as_deref(),
            &after.as_deref(),
        ],
    )
    .await?;
    Ok(())
}

/// The plan's current version, refused unless it is `expected`; the plan's row is
/// locked until the transaction ends.
async fn check_version(
    tx: &Transaction<'_>,
    id: &PlanId,
    expected: u64,
) -> Result<u64, StoreError> {
    let row =
        tx.query_opt("SELECT version FROM plans WHERE id = $1 FOR UPDATE", &[&id.as_str()]).await?;
    let current =
        row.map(|r| version_of(r.get(0))).ok_or_else(|| StoreError::NotFound(id.clone()))?;
    if current != expected {
        return Err(StoreError::Stale { expected, current });
    }
    Ok(current)
}

/// Bumps the plan's row to `version` at `at`, and its title when given; returns when
/// it was created.
async fn bump(
    tx: &Transaction<'_>,
    id: &str,
    version: u64,
    at: &str,
    title: Option<&str>,
) -> Result<String, StoreError> {
    let title = title.map(text);
    let row = tx
        .query_one(
            "UPDATE plans SET version = $2, updated_at = $3, title = COALESCE($4, title)
             WHERE id = $1 RETURNING created_at",
            &[&id, &db_version(version), &at, &title.as_deref()],
        )
        .await?;
    Ok(row.get(0))
}

/// Writes `document` as the plan's whole document at `version`, in place of the one
/// before and the changes since it.
async fn write_whole(
    tx: &Transaction<'_>,
    id: &str,
    version: u64,
    document: &str,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO plan_documents (plan_id, version, document) VALUES ($1, $2, $3)
         ON CONFLICT (plan_id) DO UPDATE SET version = excluded.version,
             document = excluded.document",
        &[&id, &db_version(version), &document],
    )
    .await?;
    tx.execute("DELETE FROM plan_changes WHERE plan_id = $1", &[&id]).await?;
    Ok(())
}

async fn migrate(client: &mut Object, shown: &str) -> Result<(), StoreError> {
    let known = MIGRATIONS.len() as i32;
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK]).await?;
    // Not the notice that the table is there already, at every start.
    tx.batch_execute("SET LOCAL client_min_messages TO warning").await?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS ragplan_migrations (
            version INTEGER PRIMARY KEY,
            applied_at TEXT NOT NULL
        )",
    )
    .await?;
    let found: i32 =
        tx.query_one("SELECT COALESCE(MAX(version), 0) FROM ragplan_migrations", &[]).await?.get(0);
    if found > known {
        return Err(StoreError::SchemaTooNew {
            path: shown.to_owned(),
            found: i64::from(found),
            known: i64::from(known),
        });
    }
    let now = timestamp(Utc::now());
    for (n, sql) in (1..).zip(MIGRATIONS).skip(found as usize) {
        tx.batch_execute(sql).await?;
        tx.execute(
            "INSERT INTO ragplan_migrations (version, applied_at) VALUES ($1, $2)",
            &[&n, &now],
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

impl PgStore {
    /// Connects to the database `url` names (`postgres://user:password@host:port/db`)
    /// and brings its schema up to date.
    ///
    /// # Errors
    /// [`StoreError::Unavailable`] naming `user@host:port/db` (never the password)
    /// and what failed when the URL does not read or the database cannot be reached;
    /// [`StoreError::SchemaTooNew`] when a newer ragplan migrated it.
    pub fn open(url: &str) -> Result<PgStore, StoreError> {
        // tokio-postgres reads the scheme in lower case only.
        let url = match url.split_once("://") {
            Some((scheme, rest)) => format!("{}://{rest}", scheme.to_ascii_lowercase()),
            None => url.to_owned(),
        };
        let unreadable = |why: &dyn std::fmt::Display| {
            StoreError::Unavailable(format!(
                "the PostgreSQL URL {} does not read: {why}",
                redacted(&url)
            ))
        };
        let (rest, tls) = Tls::split(&url).map_err(|why| unreadable(&why))?;
        let mut config: tokio_postgres::Config =
            rest.parse().map_err(|e: tokio_postgres::Error| unreadable(&with_causes(&e)))?;
        config.ssl_mode(tls.ssl_mode());
        // A host that goes without closing the connection is noticed.
        config.keepalives(true).keepalives_idle(Duration::from_secs(10));
        let shown = describe(&config);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("ragplan-postgres")
            .enable_all()
            .build()
            .map_err(|e| {
                StoreError::Unavailable(format!("cannot start the database client: {e}"))
            })?;
        let connector = tls.connector().map_err(|why| {
            StoreError::Unavailable(format!("cannot connect to PostgreSQL at {shown}: {why}"))
        })?;
        let manager = Manager::from_config(
            config,
            connector,
            ManagerConfig { recycling_method: RecyclingMethod::Fast },
        );
        let pool = runtime
            .block_on(async {
                Pool::builder(manager)
                    .max_size(POOL_SIZE)
                    .runtime(deadpool_postgres::Runtime::Tokio1)
                    .wait_timeout(Some(CONNECT_WAIT))
                    .create_timeout(Some(CONNECT_WAIT))
                    .recycle_timeout(Some(CONNECT_WAIT))
                    .build()
            })
            .map_err(|e| StoreError::Unavailable(format!("{shown}: {e}")))?;
        let mut store = PgStore {
            pool,
            runtime: Some(runtime),
            cache: PlanCache::default(),
            shown,
            transport: String::new(),
        };
        let version = store.block_on(async {
            let mut client = store.pool.get().await.map_err(|e| store.unreachable(e.into()))?;
            migrate(&mut client, &store.shown).await?;
            // A server with no `pg_stat_ssl` (a look-alike) still serves: only the
            // description is not known.
            let row = client
                .query_opt("SELECT version FROM pg_stat_ssl WHERE pid = pg_backend_pid()", &[])
                .await;
            Ok(row.map(|row| row.map(|row| row.get::<_, Option<String>>(0))))
        })?;
        store.transport = match version {
            Ok(Some(version)) => tls.describe(version.as_deref()),
            Ok(None) | Err(_) => "(whether over TLS is not known: no pg_stat_ssl)".to_owned(),
        };
        Ok(store)
    }

    /// `user@host:port/database`, as messages name the database.
    pub fn database(&self) -> &str {
        &self.shown
    }

    /// How the first connection reached the database: `without TLS`, or `over
    /// TLSv1.3, server certificate verified by /etc/ssl/ca.pem` and the like
    /// (see the URL's `sslmode` and `sslrootcert` in `docs/deploy.md`).
    pub fn transport(&self) -> &str {
        &self.transport
    }

    /// The error of a failed first connection, naming the database.
    fn unreachable(&self, err: StoreError) -> StoreError {
        match err {
            StoreError::Unavailable(why) | StoreError::Postgres(why) => StoreError::Unavailable(
                format!("cannot connect to PostgreSQL at {}: {why}", self.shown),
            ),
            other => other,
        }
    }

    /// Runs `work` on the store's runtime, for at most [`ANSWER_WAIT`]: a database
    /// whose host has gone (no answer, no closed connection) is unavailable then,
    /// not a request that waits for the system's TCP timeout. Called from a thread
    /// that is not driving async tasks (the API calls the store off its runtime).
    fn block_on<T>(
        &self,
        work: impl Future<Output = Result<T, StoreError>>,
    ) -> Result<T, StoreError> {
        self.block_on_for(ANSWER_WAIT, work)
    }

    /// [`PgStore::block_on`] for at most `wait`.
    fn block_on_for<T>(
        &self,
        wait: Duration,
        work: impl Future<Output = Result<T, StoreError>>,
    ) -> Result<T, StoreError> {
        let Some(runtime) = &self.runtime else {
            // Only while being dropped.
            return Err(StoreError::Unavailable("the store is closing".to_owned()));
        };
        runtime.block_on(async {
            tokio::time::timeout(wait, work).await.unwrap_or_else(|_| {
                Err(StoreError::Unavailable(format!(
                    "the database did not answer within {} seconds",
                    wait.as_secs()
                )))
            })
        })
    }

    async fn client(&self) -> Result<Object, StoreError> {
        Ok(self.pool.get().await?)
    }

    /// The plan for a row: from the cache when it holds this version, else read from
    /// the database in one transaction (its document with the changes since made
    /// again). None when the plan was deleted since the row was read.
    async fn load(
        &self,
        client: &mut Object,
        row: PlanRow,
    ) -> Result<Option<StoredPlan>, StoreError> {
        if let Some(hit) = self.cache.get(&row.id, row.version) {
            return Ok(Some(StoredPlan {
                created_at: row.created_at,
                updated_at: row.updated_at,
                ..hit
            }));
        }
        let tx = client
            .build_transaction()
            .read_only(true)
            .isolation_level(tokio_postgres::IsolationLevel::RepeatableRead)
            .start()
            .await?;
        let Some(row) = tx
            .query_opt(
                "SELECT id, version, created_at, updated_at FROM plans WHERE id = $1",
                &[&row.id],
            )
            .await?
            .map(|r| plan_row(&r))
        else {
            return Ok(None);
        };
        let whole = tx
            .query_one(
                "SELECT version, document FROM plan_documents WHERE plan_id = $1",
                &[&row.id],
            )
            .await?;
        let (base, document): (i64, String) = (whole.get(0), whole.get(1));
        let changes = tx
            .query(
                "SELECT version, change FROM plan_changes WHERE plan_id = $1 AND version > $2
                 ORDER BY version",
                &[&row.id, &base],
            )
            .await?
            .iter()
            .map(|r| (version_of(r.get(0)), r.get::<_, String>(1)))
            .collect::<Vec<_>>();
        tx.commit().await?;
        let stored = rebuild(row, version_of(base), document, changes)?;
        self.cache.remember(&stored);
        Ok(Some(stored))
    }

    async fn load_all(
        &self,
        client: &mut Object,
        rows: Vec<tokio_postgres::Row>,
    ) -> Result<Vec<StoredPlan>, StoreError> {
        let mut plans = Vec::with_capacity(rows.len());
        for row in rows {
            if let Some(plan) = self.load(client, plan_row(&row)).await? {
                plans.push(plan);
            }
        }
        Ok(plans)
    }
}

impl PgStore {
    /// Every row of `table` (for [`super::copy`]).
    pub(crate) fn read_table(&self, table: &Table) -> Result<Rows, StoreError> {
        self.block_on_for(COPY_WAIT, async {
            let client = self.client().await?;
            let rows = client.query(&table.select(), &[]).await?;
            Ok(rows
                .iter()
                .map(|r| {
                    (0..table.columns.len())
                        .map(|i| match table.columns[i].1 {
                            Kind::Int => Cell::Int(r.get(i)),
                            Kind::Text => Cell::Text(r.get(i)),
                        })
                        .collect()
                })
                .collect())
        })
    }

    /// Writes `tables` into this store, which must hold nothing yet, in one
    /// transaction, keeping the numbers of numbered rows and moving each numbering
    /// past them (for [`super::copy`]).
    pub(crate) fn write_tables(&self, tables: &[(&Table, Rows)]) -> Result<(), StoreError> {
        self.block_on_for(COPY_WAIT, async {
            let mut client = self.client().await?;
            let tx = client.transaction().await?;
            let mut counts = Vec::new();
            for (table, _) in tables {
                let sql = format!("SELECT count(*) FROM {}", table.name);
                let n: i64 = tx.query_one(&sql, &[]).await?.get(0);
                counts.push((table.name, version_of(n)));
            }
            if let Some(held) = held(&counts) {
                return Err(StoreError::NotEmpty(held));
            }
            for (table, rows) in tables {
                let marks: Vec<String> =
                    (1..=table.columns.len()).map(|i| format!("${i}")).collect();
                let overriding = if table.numbered { " OVERRIDING SYSTEM VALUE" } else { "" };
                let sql = format!(
                    "INSERT INTO {} ({}){overriding} VALUES ({})",
                    table.name,
                    table.column_list(),
                    marks.join(", ")
                );
                let stmt = tx.prepare(&sql).await?;
                for row in rows {
                    let values: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> = row
                        .iter()
                        .map(|cell| match cell {
                            Cell::Int(v) => v as &(dyn tokio_postgres::types::ToSql + Sync),
                            Cell::Text(v) => v,
                        })
                        .collect();
                    tx.execute(&stmt, &values).await.map_err(|e| match StoreError::from(e) {
                        StoreError::Postgres(why) => {
                            StoreError::Postgres(format!("table {}: {why}", table.name))
                        }
                        other => other,
                    })?;
                }
                if table.numbered {
                    let (name, column) = (table.name, table.columns[0].0);
                    tx.execute(
                        &format!(
                            "SELECT setval(pg_get_serial_sequence('{name}', '{column}'),
                                 COALESCE(MAX({column}), 1), MAX({column}) IS NOT NULL) FROM {name}"
                        ),
                        &[],
                    )
                    .await?;
                }
            }
            tx.commit().await?;
            Ok(())
        })
    }
}

/// Stores a token by its hash through `client` (a connection or a transaction).
async fn insert_token(
    client: &impl tokio_postgres::GenericClient,
    name: &str,
    role: Role,
    hash: &str,
    at: DateTime<Utc>,
) -> Result<TokenInfo, StoreError> {
    let at = timestamp(at);
    let name = text(name).into_owned();
    let row = client
        .query_one(
            "INSERT INTO tokens (name, role, hash, created_at) VALUES ($1, $2, $3, $4)
             RETURNING id",
            &[&name, &role.as_str(), &hash, &at],
        )
        .await?;
    Ok(TokenInfo { id: row.get(0), name, role, created_at: at, revoked_at: None })
}

impl Store for PgStore {
    fn plans(&self, limit: u32, offset: u64) -> Result<Page<StoredPlan>, StoreError> {
        self.block_on(async {
            let mut client = self.client().await?;
            let total: i64 = client.query_one("SELECT count(*) FROM plans", &[]).await?.get(0);
            let rows = client
                .query(
                    "SELECT id, version, created_at, updated_at FROM plans
                     ORDER BY id COLLATE \"C\" LIMIT $1 OFFSET $2",
                    &[&i64::from(limit), &db_version(offset)],
                )
                .await?;
            let items = self.load_all(&mut client, rows).await?;
            Ok(Page { items, total: version_of(total) })
        })
    }

    fn all_plans(&self) -> Result<Vec<StoredPlan>, StoreError> {
        self.block_on(async {
            let mut client = self.client().await?;
            let rows = client
                .query(
                    "SELECT id, version, created_at, updated_at FROM plans
                     ORDER BY id COLLATE \"C\"",
                    &[],
                )
                .await?;
            self.load_all(&mut client, rows).await
        })
    }

    fn plan(&self, id: &PlanId) -> Result<Option<StoredPlan>, StoreError> {
        self.block_on(async {
            let mut client = self.client().await?;
            let stmt = client
                .prepare_cached(
                    "SELECT id, version, created_at, updated_at FROM plans WHERE id = $1",
                )
                .await?;
            match client.query_opt(&stmt, &[&id.as_str()]).await? {
                Some(row) => self.load(&mut client, plan_row(&row)).await,
                None => Ok(None),
            }
        })
    }

    fn create_plan(&self, plan: Plan, audit: AuditRecord) -> Result<StoredPlan, StoreError> {
        let document = plan.to_json();
        let at = timestamp(audit.at);
        let version = self.block_on(async {
            let mut client = self.client().await?;
            let tx = client.transaction().await?;
            let id = plan.id.as_str();
            // A plan deleted and created again goes on from its last version, so that
            // an id and a version never name two documents. The id's row is taken
            // first, so two servers creating one id cannot both succeed.
            let inserted = tx
                .execute(
                    "INSERT INTO plans (id, title, version, created_at, updated_at)
                     VALUES ($1, $2, 1, $3, $3) ON CONFLICT (id) DO NOTHING",
                    &[&id, &text(&plan.title), &at],
                )
                .await?;
            if inserted == 0 {
                return Err(StoreError::Exists(plan.id.clone()));
            }
            let last: i64 = tx
                .query_one("SELECT COALESCE(MAX(version), 0) FROM audit WHERE plan_id = $1", &[&id])
                .await?
                .get(0);
            let version = version_of(last) + 1;
            tx.execute("UPDATE plans SET version = $2 WHERE id = $1", &[&id, &db_version(version)])
                .await?;
            write_whole(&tx, id, version, &document).await?;
            insert_audit(&tx, id, Some(version), &audit).await?;
            tx.commit().await?;
            Ok(version)
        })?;
        let stored = StoredPlan::new(plan.into(), Some(document.into()), version, at.clone(), at);
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
        let (version, created_at) = self.block_on(async {
            let mut client = self.client().await?;
            let tx = client.transaction().await?;
            let version = check_version(&tx, &plan.id, expected_version).await? + 1;
            let id = plan.id.as_str();
            let created_at = bump(&tx, id, version, &at, Some(&plan.title)).await?;
            write_whole(&tx, id, version, &document).await?;
            insert_audit(&tx, id, Some(version), &audit).await?;
            tx.commit().await?;
            Ok::<_, StoreError>((version, created_at))
        })?;
        let stored = StoredPlan::new(plan.into(), Some(document.into()), version, created_at, at);
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
        let (version, created_at, document) = self.block_on(async {
            let mut client = self.client().await?;
            let tx = client.transaction().await?;
            let version = check_version(&tx, &plan.id, expected_version).await? + 1;
            let id = plan.id.as_str();
            let created_at = bump(&tx, id, version, &at, None).await?;
            let whole: i64 = tx
                .query_one("SELECT version FROM plan_documents WHERE plan_id = $1", &[&id])
                .await?
                .get(0);
            let mut document = None;
            if writes_whole(version, version_of(whole)) {
                let text = plan.to_json();
                write_whole(&tx, id, version, &text).await?;
                document = Some(text.into());
            } else {
                let text = change_json(id, change)?;
                let stmt = tx
                    .prepare_cached(
                        "INSERT INTO plan_changes (plan_id, version, change) VALUES ($1, $2, $3)",
                    )
                    .await?;
                tx.execute(&stmt, &[&id, &db_version(version), &text]).await?;
            }
            insert_audit(&tx, id, Some(version), &audit).await?;
            tx.commit().await?;
            Ok::<_, StoreError>((version, created_at, document))
        })?;
        let stored = StoredPlan::new(plan.into(), document, version, created_at, at);
        self.cache.remember(&stored);
        Ok(stored)
    }

    fn delete_plan(
        &self,
        id: &PlanId,
        expected_version: u64,
        audit: AuditRecord,
    ) -> Result<(), StoreError> {
        self.block_on(async {
            let mut client = self.client().await?;
            let tx = client.transaction().await?;
            check_version(&tx, id, expected_version).await?;
            let id = id.as_str();
            tx.execute("DELETE FROM plans WHERE id = $1", &[&id]).await?;
            tx.execute("DELETE FROM plan_documents WHERE plan_id = $1", &[&id]).await?;
            tx.execute("DELETE FROM plan_changes WHERE plan_id = $1", &[&id]).await?;
            insert_audit(&tx, id, None, &audit).await?;
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        self.cache.forget(id.as_str());
        Ok(())
    }

    fn history(
        &self,
        id: &PlanId,
        limit: u32,
        offset: u64,
    ) -> Result<Page<AuditEntry>, StoreError> {
        self.block_on(async {
            let client = self.client().await?;
            let total: i64 = client
                .query_one("SELECT count(*) FROM audit WHERE plan_id = $1", &[&id.as_str()])
                .await?
                .get(0);
            let rows = client
                .query(
                    "SELECT seq, plan_id, version, at, who, route, summary, before, after
                     FROM audit WHERE plan_id = $1 ORDER BY seq LIMIT $2 OFFSET $3",
                    &[&id.as_str(), &i64::from(limit), &db_version(offset)],
                )
                .await?;
            let items = rows
                .iter()
                .map(|r| AuditEntry {
                    seq: r.get(0),
                    plan_id: r.get(1),
                    version: r.get::<_, Option<i64>>(2).map(version_of),
                    at: r.get(3),
                    who: r.get(4),
                    route: r.get(5),
                    summary: r.get(6),
                    before: parse_json(r.get(7)),
                    after: parse_json(r.get(8)),
                })
                .collect();
            Ok(Page { items, total: version_of(total) })
        })
    }

    fn create_token(
        &self,
        name: &str,
        role: Role,
        hash: &str,
        at: DateTime<Utc>,
    ) -> Result<TokenInfo, StoreError> {
        self.block_on(async {
            let client = self.client().await?;
            insert_token(&**client, name, role, hash, at).await
        })
    }

    fn create_first_token(
        &self,
        name: &str,
        role: Role,
        hash: &str,
        at: DateTime<Utc>,
    ) -> Result<Option<TokenInfo>, StoreError> {
        self.block_on(async {
            let mut client = self.client().await?;
            let tx = client.transaction().await?;
            // A lock that conflicts with itself and with every insert: a second server
            // checking at the same moment waits, then sees this one's token.
            tx.batch_execute("LOCK TABLE tokens IN SHARE ROW EXCLUSIVE MODE").await?;
            let held: bool =
                tx.query_one("SELECT EXISTS (SELECT 1 FROM tokens)", &[]).await?.get(0);
            let info =
                if held { None } else { Some(insert_token(&*tx, name, role, hash, at).await?) };
            tx.commit().await?;
            Ok(info)
        })
    }

    fn tokens(&self) -> Result<Vec<TokenInfo>, StoreError> {
        self.block_on(async {
            let client = self.client().await?;
            let rows = client
                .query("SELECT id, name, role, created_at, revoked_at FROM tokens ORDER BY id", &[])
                .await?;
            Ok(rows.iter().map(token_row).collect())
        })
    }

    fn token_by_hash(&self, hash: &str) -> Result<Option<TokenInfo>, StoreError> {
        self.block_on(async {
            let client = self.client().await?;
            let stmt = client
                .prepare_cached(
                    "SELECT id, name, role, created_at, revoked_at FROM tokens WHERE hash = $1",
                )
                .await?;
            Ok(client.query_opt(&stmt, &[&hash]).await?.as_ref().map(token_row))
        })
    }

    fn revoke_token(&self, id: i64, at: DateTime<Utc>) -> Result<bool, StoreError> {
        self.block_on(async {
            let client = self.client().await?;
            let n = client
                .execute(
                    "UPDATE tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
                    &[&id, &timestamp(at)],
                )
                .await?;
            Ok(n == 1)
        })
    }

    fn check(&self) -> Result<(), StoreError> {
        self.block_on(async {
            let client = self.client().await?;
            client.query_one("SELECT 1", &[]).await?;
            Ok(())
        })
    }
}
