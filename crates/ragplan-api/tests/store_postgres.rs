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

/// `url` with `params` added to its query.
fn with_params(url: &str, params: &str) -> String {
    let join = if url.contains('?') { '&' } else { '?' };
    format!("{url}{join}{params}")
}

/// The folder of the test server's certificates, which `.ci/postgres.sh` makes: the
/// root that signed the server's certificate (`ca.pem`, for `localhost` only) and
/// one that did not (`other-ca.pem`).
fn certificates() -> std::path::PathBuf {
    let dir = std::env::var_os("RAGPLAN_TEST_PG_CERTS").unwrap_or_else(|| {
        panic!(
            "RAGPLAN_TEST_PG_CERTS must name a folder holding ca.pem, the root that signed \
             the test server's certificate for localhost, and other-ca.pem, one that did \
             not; .ci/postgres.sh makes both"
        )
    });
    std::path::PathBuf::from(dir)
}

/// The store opened at `pg`'s database by host name `localhost` (on the address the
/// tests are given), with `params`.
fn open_by_name(pg: &Pg, params: &str) -> Result<PgStore, StoreError> {
    let url = pg.url.replacen("@127.0.0.1:", "@localhost:", 1);
    assert_ne!(url, pg.url, "RAGPLAN_TEST_POSTGRES must name the server by 127.0.0.1");
    PgStore::open(&with_params(&url, &format!("hostaddr=127.0.0.1&{params}")))
}

/// Each `sslmode` connects as libpq's does, and the server's certificate is checked
/// as far as it asks; the way in is named.
#[test]
fn each_sslmode_connects_as_it_says_and_names_how() {
    let pg = Pg::new();
    let certs = certificates();
    let ca = certs.join("ca.pem");
    let ca = ca.to_str().unwrap();
    let plain = PgStore::open(&with_params(&pg.url, "sslmode=disable")).unwrap();
    assert_eq!(plain.transport(), "without TLS");
    // The server offers TLS, so the default (prefer) takes it, unchecked.
    let default = PgStore::open(&pg.url).unwrap();
    assert!(
        default.transport().ends_with(", server certificate not checked (sslmode=prefer)"),
        "{}",
        default.transport()
    );
    assert!(default.transport().starts_with("over TLSv1."), "{}", default.transport());
    let required = PgStore::open(&with_params(&pg.url, "sslmode=require")).unwrap();
    assert!(required.transport().ends_with("not checked (sslmode=require)"));
    let full = open_by_name(&pg, &format!("sslmode=verify-full&sslrootcert={ca}")).unwrap();
    assert!(
        full.transport().ends_with(&format!(", server certificate verified by {ca}")),
        "{}",
        full.transport()
    );
    // The certificate is for localhost: by address, only the chain can be checked.
    let by_address =
        PgStore::open(&with_params(&pg.url, &format!("sslmode=verify-ca&sslrootcert={ca}")))
            .unwrap();
    assert!(by_address.transport().ends_with("host name not checked"));
    let shown = format!("{by_address:?}");
    assert!(shown.contains("127.0.0.1"), "{shown}");
}

/// A certificate the roots did not sign, or one for another host, is refused, in
/// one line that names the database and the check that failed.
#[test]
fn a_server_certificate_that_does_not_check_is_refused_and_named() {
    let pg = Pg::new();
    let certs = certificates();
    let ca = certs.join("ca.pem");
    let other = certs.join("other-ca.pem");
    let err =
        open_by_name(&pg, &format!("sslmode=verify-full&sslrootcert={}", other.to_str().unwrap()))
            .err()
            .unwrap()
            .to_string();
    assert!(err.starts_with("cannot connect to PostgreSQL at postgres@localhost:"), "{err}");
    assert!(err.contains("UnknownIssuer"), "{err}");
    assert!(!err.contains('\n'), "{err}");
    // By address, the certificate for localhost does not name the host.
    let wrong_name = PgStore::open(&with_params(
        &pg.url,
        &format!("sslmode=verify-full&sslrootcert={}", ca.to_str().unwrap()),
    ))
    .err()
    .unwrap()
    .to_string();
    assert!(wrong_name.contains("certificate not valid for name \"127.0.0.1\""), "{wrong_name}");
    // `require` with roots checks the chain, as libpq's does.
    let err = PgStore::open(&with_params(
        &pg.url,
        &format!("sslmode=require&sslrootcert={}", other.to_str().unwrap()),
    ))
    .err()
    .unwrap()
    .to_string();
    assert!(err.contains("UnknownIssuer"), "{err}");
}

/// Root certificates that cannot be read are an error at start naming the file.
#[test]
fn unreadable_root_certificates_are_named_at_start() {
    let pg = Pg::new();
    let err = PgStore::open(&with_params(&pg.url, "sslmode=verify-ca&sslrootcert=/no/such/ca.pem"))
        .err()
        .unwrap()
        .to_string();
    assert!(err.contains("cannot read sslrootcert /no/such/ca.pem"), "{err}");
    assert!(err.starts_with("cannot connect to PostgreSQL at postgres@127.0.0.1:"), "{err}");
    let err = PgStore::open(&with_params(&pg.url, "sslmode=verify-everything")).err().unwrap();
    assert!(err.to_string().contains("sslmode \"verify-everything\" is none of"), "{err}");
}

/// Bug: an option tokio-postgres does not know (a client certificate's `sslcert`)
/// was refused as "invalid connection string", not naming it.
#[test]
fn an_unknown_url_option_was_refused_without_its_name() {
    let pg = Pg::new();
    let err = PgStore::open(&with_params(&pg.url, "sslcert=/etc/client.pem")).err().unwrap();
    assert!(
        err.to_string()
            .ends_with("does not read: invalid connection string: unknown option `sslcert`"),
        "{err}"
    );
}
