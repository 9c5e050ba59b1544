//! The store contract (`store/suite.rs`) on the PostgreSQL store: each test in a
//! database of its own, made on the server `RAGPLAN_TEST_POSTGRES` names (a user
//! that may create databases) and dropped after. Built only with the
//! `postgres-tests` feature; with it, a missing or unreachable server fails every
//! test, never skips one. `.ci/postgres.sh` starts a throwaway server and runs this.

#[path = "store/suite.rs"]
mod suite;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use ragplan_api::{OpenedStore, PgStore, StoreError};

struct Pg {
    admin: String,
    url: String,
    name: String,
    runtime: tokio::runtime::Runtime,
}

/// `url` with its database name replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let authority = base.find("://").map_or(0, |i| i + 3);
    let root = match base[authority..].find('/') {
        Some(slash) => &base[..authority + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{root}/{name}?{q}"),
        None => format!("{root}/{name}"),
    }
}

impl Pg {
    fn new() -> Pg {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let admin = std::env::var("RAGPLAN_TEST_POSTGRES").unwrap_or_else(|_| {
            panic!(
                "RAGPLAN_TEST_POSTGRES must name a PostgreSQL server to test against \
                 (postgres://user@127.0.0.1:5432/postgres); .ci/postgres.sh starts one"
            )
        });
        let name =
            format!("ragplan_test_{}_{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let pg = Pg { url: with_database(&admin, &name), admin, name, runtime };
        pg.run(&pg.admin.clone(), &format!("CREATE DATABASE {}", pg.name)).unwrap_or_else(|e| {
            panic!("cannot make a test database on RAGPLAN_TEST_POSTGRES: {e}")
        });
        pg
    }

    fn run(&self, url: &str, sql: &str) -> Result<(), String> {
        self.runtime.block_on(async {
            let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
                .await
                .map_err(|e| e.to_string())?;
            let driver = tokio::spawn(connection);
            let done = client.batch_execute(sql).await.map_err(|e| match e.as_db_error() {
                Some(db) => db.message().to_owned(),
                None => e.to_string(),
            });
            drop(client);
            let _ = driver.await;
            done
        })
    }
}

impl Drop for Pg {
    fn drop(&mut self) {
        let _ = self.run(
            &self.admin.clone(),
            &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
        );
    }
}

impl suite::Fixture for Pg {
    fn try_open(&self) -> Result<OpenedStore, StoreError> {
        Ok(OpenedStore::Postgres(Arc::new(PgStore::open(&self.url)?)))
    }

    fn execute(&self, sql: &str) -> Result<(), String> {
        self.run(&self.url, sql)
    }

    fn make_schema_newer(&self) {
        self.run(
            &self.url,
            "INSERT INTO ragplan_migrations (version, applied_at) VALUES (99, 'later')",
        )
        .unwrap();
    }
}

store_suite!(Pg::new);

/// TRUNCATE, which no row trigger sees, is refused as well.
#[test]
fn the_audit_log_cannot_be_truncated() {
    use suite::Fixture as _;
    let pg = Pg::new();
    let store = pg.open();
    store
        .create_plan(
            ragplan_core::Plan::new(ragplan_core::PlanId::new("p").unwrap(), "A"),
            suite::audit("c"),
        )
        .unwrap();
    let err = pg.execute("TRUNCATE audit").unwrap_err();
    assert!(err.contains("the audit log is append-only"), "{err}");
    assert_eq!(store.history(&ragplan_core::PlanId::new("p").unwrap(), 1, 0).unwrap().total, 1);
}

/// A URL's scheme in capitals is read, and a wrong password is named by what failed
/// and where, never the password.
#[test]
fn a_url_is_read_whatever_the_case_of_its_scheme_and_its_password_never_shown() {
    let pg = Pg::new();
    let upper = pg.url.replacen("postgres://", "POSTGRES://", 1);
    assert!(PgStore::open(&upper).is_ok());
    let (scheme, rest) = pg.url.split_once("://").unwrap();
    let user_host = rest.split_once('@').map_or(rest.to_owned(), |(u, h)| {
        format!("{}:{}@{h}", u.split(':').next().unwrap(), "s3cret-pw")
    });
    let wrong =
        format!("{scheme}://{user_host}").replace("/ragplan_test", "/no_such_db_ragplan_test");
    let err = PgStore::open(&wrong).unwrap_err().to_string();
    assert!(err.starts_with("cannot connect to PostgreSQL at "), "{err}");
    assert!(!err.contains("s3cret-pw"), "{err}");
    assert!(ragplan_api::redacted(&wrong).contains(":***@"));
}

#[test]
fn a_database_url_is_given_a_database_name() {
    assert_eq!(with_database("postgres://u@h:5/postgres", "t"), "postgres://u@h:5/t");
    assert_eq!(with_database("postgres://u@h:5", "t"), "postgres://u@h:5/t");
    assert_eq!(
        with_database("postgresql://h/db?sslmode=disable", "t"),
        "postgresql://h/t?sslmode=disable"
    );
}
