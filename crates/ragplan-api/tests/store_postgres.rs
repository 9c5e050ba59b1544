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
            let done = client.batch_execute(sql).await.map_err(|e| e.to_string());
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

#[test]
fn a_database_url_is_given_a_database_name() {
    assert_eq!(with_database("postgres://u@h:5/postgres", "t"), "postgres://u@h:5/t");
    assert_eq!(with_database("postgres://u@h:5", "t"), "postgres://u@h:5/t");
    assert_eq!(
        with_database("postgresql://h/db?sslmode=disable", "t"),
        "postgresql://h/t?sslmode=disable"
    );
}
