//! Moving a deployment between stores: every table copied row for row (plans, their
//! documents and recorded changes, the audit log, tokens), ids and sequence numbers
//! kept, into an empty store, and each table's count and digest compared on both
//! sides afterwards.

use sha2::{Digest, Sha256};

use super::{OpenedStore, StoreError};

/// The type of a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A whole number (`INTEGER`, `BIGINT`).
    Int,
    /// Text.
    Text,
}

/// A value of a column; `None` is SQL's NULL.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Cell {
    /// A whole number, or NULL.
    Int(Option<i64>),
    /// Text, or NULL.
    Text(Option<String>),
}

/// A table every store has: its name, columns, and how many leading columns are its
/// key (rows are compared and digested in key order).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Table {
    pub(crate) name: &'static str,
    pub(crate) columns: &'static [(&'static str, Kind)],
    pub(crate) key: usize,
    /// Whether its first column is numbered by the database (audit `seq`, token
    /// `id`), which a copy keeps.
    pub(crate) numbered: bool,
}

/// The tables, in the order a copy writes them.
pub(crate) const TABLES: [Table; 5] = [
    Table {
        name: "plans",
        columns: &[
            ("id", Kind::Text),
            ("title", Kind::Text),
            ("version", Kind::Int),
            ("created_at", Kind::Text),
            ("updated_at", Kind::Text),
        ],
        key: 1,
        numbered: false,
    },
    Table {
        name: "plan_documents",
        columns: &[("plan_id", Kind::Text), ("version", Kind::Int), ("document", Kind::Text)],
        key: 1,
        numbered: false,
    },
    Table {
        name: "plan_changes",
        columns: &[("plan_id", Kind::Text), ("version", Kind::Int), ("change", Kind::Text)],
        key: 2,
        numbered: false,
    },
    Table {
        name: "audit",
        columns: &[
            ("seq", Kind::Int),
            ("plan_id", Kind::Text),
            ("version", Kind::Int),
            ("at", Kind::Text),
            ("who", Kind::Text),
            ("route", Kind::Text),
            ("summary", Kind::Text),
            ("before", Kind::Text),
            ("after", Kind::Text),
        ],
        key: 1,
        numbered: true,
    },
    Table {
        name: "tokens",
        columns: &[
            ("id", Kind::Int),
            ("name", Kind::Text),
            ("role", Kind::Text),
            ("hash", Kind::Text),
            ("created_at", Kind::Text),
            ("revoked_at", Kind::Text),
        ],
        key: 1,
        numbered: true,
    },
];

impl Table {
    /// `SELECT` of every column.
    pub(crate) fn select(&self) -> String {
        let columns: Vec<&str> = self.columns.iter().map(|(c, _)| *c).collect();
        format!("SELECT {} FROM {}", columns.join(", "), self.name)
    }

    /// The column names, comma-separated.
    pub(crate) fn column_list(&self) -> String {
        self.columns.iter().map(|(c, _)| *c).collect::<Vec<_>>().join(", ")
    }
}

/// A table's rows, in key order.
pub(crate) type Rows = Vec<Vec<Cell>>;

/// What one table holds, counted and digested.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableDigest {
    /// The table.
    pub table: &'static str,
    /// Its rows.
    pub rows: u64,
    /// SHA-256 of its rows in key order, every value with its type and length, in
    /// hex: equal for two stores holding the same rows, whichever the stores are.
    pub sha256: String,
}

/// Sorts `rows` by `table`'s key and digests them.
pub(crate) fn digest(table: &Table, rows: &mut Rows) -> TableDigest {
    rows.sort_by(|a, b| a[..table.key].cmp(&b[..table.key]));
    let mut hash = Sha256::new();
    for row in rows.iter() {
        for cell in row {
            match cell {
                Cell::Int(None) | Cell::Text(None) => hash.update([0u8]),
                Cell::Int(Some(n)) => {
                    hash.update([1u8]);
                    hash.update(n.to_be_bytes());
                }
                Cell::Text(Some(t)) => {
                    hash.update([2u8]);
                    hash.update((t.len() as u64).to_be_bytes());
                    hash.update(t.as_bytes());
                }
            }
        }
    }
    TableDigest { table: table.name, rows: rows.len() as u64, sha256: hex::encode(hash.finalize()) }
}

/// Every table of `store`, counted and digested: plans, plan_documents, plan_changes,
/// audit and tokens, in that order.
///
/// # Errors
/// [`StoreError`] when a table cannot be read.
pub fn digests(store: &OpenedStore) -> Result<Vec<TableDigest>, StoreError> {
    TABLES
        .iter()
        .map(|table| {
            let mut rows = read(store, table)?;
            Ok(digest(table, &mut rows))
        })
        .collect()
}

fn read(store: &OpenedStore, table: &Table) -> Result<Rows, StoreError> {
    match store {
        OpenedStore::Sqlite(s) => s.read_table(table),
        OpenedStore::Postgres(s) => s.read_table(table),
    }
}

/// Copies every table of `from` into `to`, which must hold nothing yet (no plan,
/// audit entry or token), in one transaction of `to`; then reads `to` back and
/// compares each table's count and digest with `from`'s.
///
/// # Errors
/// [`StoreError::NotEmpty`] when `to` holds something; [`StoreError::CopyDiffers`]
/// naming the table when what `to` holds afterwards is not what `from` holds;
/// [`StoreError`] when either cannot be read or written, naming the table when a
/// row is refused (PostgreSQL refuses text holding a NUL character, which SQLite
/// keeps), and then nothing is copied.
pub fn copy(from: &OpenedStore, to: &OpenedStore) -> Result<Vec<TableDigest>, StoreError> {
    let mut tables = Vec::with_capacity(TABLES.len());
    let mut want = Vec::with_capacity(TABLES.len());
    for table in &TABLES {
        let mut rows = read(from, table)?;
        want.push(digest(table, &mut rows));
        tables.push((table, rows));
    }
    match to {
        OpenedStore::Sqlite(s) => s.write_tables(&tables)?,
        OpenedStore::Postgres(s) => s.write_tables(&tables)?,
    }
    let got = digests(to)?;
    for (want, got) in want.iter().zip(&got) {
        if want != got {
            return Err(StoreError::CopyDiffers {
                table: want.table,
                detail: format!(
                    "{} rows (sha256 {}) copied, {} rows (sha256 {}) read back",
                    want.rows, want.sha256, got.rows, got.sha256
                ),
            });
        }
    }
    Ok(got)
}

/// The tables of `tables` that hold rows, with their counts: what makes a store not
/// empty.
pub(crate) fn held(counts: &[(&'static str, u64)]) -> Option<String> {
    let held: Vec<String> =
        counts.iter().filter(|(_, n)| *n > 0).map(|(t, n)| format!("{n} rows in {t}")).collect();
    (!held.is_empty()).then(|| held.join(", "))
}
