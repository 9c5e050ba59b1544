//! A JSON array of records (`[{"project": …, "rag": …}, …]`), as APIs and
//! spreadsheet exports write them, read as a table: the keys are the header (in the
//! order first seen), each record a row.

use std::collections::HashMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{MapAccess, Visitor};

use crate::grid::Cells;
use crate::table::GridRow;
use crate::{ImportError, Limits};

/// One record, its keys in source order (a `serde_json::Map` would sort them).
struct Record(Vec<(String, serde_json::Value)>);

impl<'de> Deserialize<'de> for Record {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Record, D::Error> {
        struct RecordVisitor;
        impl<'de> Visitor<'de> for RecordVisitor {
            type Value = Record;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a record (an object of column names and values)")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Record, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry::<String, serde_json::Value>()? {
                    entries.push(entry);
                }
                Ok(Record(entries))
            }
        }
        de.deserialize_map(RecordVisitor)
    }
}

/// Whether the text is a JSON array (of records, to be read by [`read`]): `[`, then,
/// spaces aside, what a JSON value or the array's end opens with (`{`, `[`, `"`, a
/// number, `]`); a list or table whose first line opens `[DRAFT]` or `[Ref]` is not.
pub(crate) fn looks_like_records(text: &str) -> bool {
    text.trim_start().strip_prefix('[').is_some_and(|rest| {
        rest.trim_start()
            .starts_with(|c: char| matches!(c, '{' | '[' | '"' | ']' | '-') || c.is_ascii_digit())
    })
}

/// A value as a cell: strings as they are, numbers and booleans as JSON writes them,
/// `null` empty, a list of strings one a line, anything else as JSON.
fn cell(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(items) if items.iter().all(|v| v.is_string()) => {
            items.iter().filter_map(|v| v.as_str()).collect::<Vec<_>>().join("\n")
        }
        other => other.to_string(),
    }
}

/// The rows of a JSON array of records: the header on row 1, record `n` (from 1) on
/// row `n + 1`, as though the array were a sheet.
///
/// # Errors
/// [`ImportError::Parse`] naming the line and column of JSON that is not an array
/// of objects; [`ImportError::Limit`] for JSON nested deeper than `limits` allow
/// (before it is parsed), or more records, keys, cells or cell bytes (before the
/// table is laid out).
pub(crate) fn read(text: &str, limits: &Limits) -> Result<Vec<GridRow>, ImportError> {
    limits.check_json_depth(text)?;
    let records: Vec<Record> = serde_json::from_str(text).map_err(|e| ImportError::Parse {
        row: e.line(),
        column: e.column(),
        message: format!("not an array of records: {e}"),
    })?;
    // Each (key, occurrence) is a column: a key a record repeats is a second column
    // of that header, as a table's repeated header is, so that neither value is lost.
    // The map finds a key's column without a search of the header.
    let mut header: Vec<&str> = Vec::new();
    let mut column: HashMap<(&str, usize), usize> = HashMap::new();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for record in &records {
        seen.clear();
        for (key, _) in &record.0 {
            let nth = seen.entry(key.as_str()).or_insert(0);
            column.entry((key.as_str(), *nth)).or_insert_with(|| {
                header.push(key);
                header.len() - 1
            });
            *nth += 1;
        }
    }
    limits.check_row_count(records.len() + 1, records.len() + 1)?;
    limits.check_cells(1, header.iter().copied())?;
    limits.check_table(records.len() + 1, header.len(), "the records")?;
    let mut rows = Vec::with_capacity(records.len() + 1);
    rows.push(GridRow::data(1, header.iter().collect::<Cells>()));
    for (i, record) in records.iter().enumerate() {
        let mut cells: Vec<String> = vec![String::new(); header.len()];
        seen.clear();
        for (key, value) in &record.0 {
            let nth = seen.entry(key.as_str()).or_insert(0);
            if let Some(slot) = column.get(&(key.as_str(), *nth)).and_then(|&c| cells.get_mut(c)) {
                *slot = cell(value);
            }
            *nth += 1;
        }
        limits.check_cells(i + 2, cells.iter().map(String::as_str))?;
        rows.push(GridRow::data(i + 2, cells));
    }
    Ok(rows)
}
