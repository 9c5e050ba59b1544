//! The store contract (`store/suite.rs`) on the SQLite store, a fresh file per test.

#[path = "store/suite.rs"]
mod suite;

use ragplan_api::{OpenedStore, StoreError};

struct Sqlite {
    dir: tempfile::TempDir,
}

impl Sqlite {
    fn new() -> Sqlite {
        Sqlite { dir: tempfile::tempdir().unwrap() }
    }

    fn connection(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.dir.path().join("ragplan.db")).unwrap()
    }
}

impl suite::Fixture for Sqlite {
    fn try_open(&self) -> Result<OpenedStore, StoreError> {
        OpenedStore::open(self.dir.path().join("ragplan.db").as_os_str())
    }

    fn execute(&self, sql: &str) -> Result<(), String> {
        self.connection().execute_batch(sql).map_err(|e| e.to_string())
    }

    fn make_schema_newer(&self) {
        self.connection().pragma_update(None, "user_version", 99).unwrap();
    }
}

store_suite!(Sqlite::new);
