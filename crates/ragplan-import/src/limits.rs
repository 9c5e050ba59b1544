//! What a source may ask of the machine: one [`Limits`] value, carried in
//! [`ImportOptions::limits`](crate::ImportOptions::limits), read by every reader
//! before it allocates what a source declares or holds.
//!
//! Each limit has a name (`rows`, `cell_bytes`, …), spelled once in the table below,
//! by which `ragplan import --limit NAME=VALUE`, `ragplan serve --limit NAME=VALUE`
//! and [`Limits::set`] name it. A source past a limit is refused with
//! [`ImportError::Limit`], naming the limit, the value found, the limit's value and
//! where (row, column, part).
//!
//! Dependency chains have no limit of their own: the engine orders actions with
//! Kahn's algorithm and finds what is left over (a cycle, or what stands behind one)
//! with petgraph's iterative strongly-connected-components search, so a chain of any
//! length costs time and memory in proportion to its actions and never deepens the
//! stack; a cycle is the `dependency-cycle` lint, an error of the plan, and its actions
//! are rated together. The actions a chain may hold are bounded by `rows`.
//!
//! # Example
//! ```
//! use ragplan_import::{ImportError, ImportOptions, Limits, import};
//!
//! let mut limits = Limits::default();
//! assert_eq!(limits.rows, 1_048_576);
//! limits.set("rows", 2)?;
//! let options = ImportOptions::default().with_limits(limits);
//! let source = "Actions\tAction RAG\nOne\tRed\nTwo\tGreen\n";
//! let err = import(source.as_bytes(), &options).unwrap_err();
//! assert_eq!(
//!     err.to_string(),
//!     "row 3: 3 rows, over the limit rows=2 (rows of a table, lines of a text source)"
//! );
//! assert!(limits.set("row", 1).is_err());
//! # Ok::<(), ragplan_import::UnknownLimit>(())
//! ```

use std::fmt;

use crate::ImportError;

/// Declares the limits once: the struct's fields with their docs, the default, and
/// the table of names, units and descriptions that `--help` and [`Limits::set`] read.
macro_rules! limits {
    ($( $(#[doc = $doc:literal])* $name:ident: $default:expr, $unit:literal, $what:literal; )*) => {
        /// What a source may ask of the machine. `Limits::default()` holds the
        /// documented defaults; each field names its default and unit.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[non_exhaustive]
        pub struct Limits {
            $( $(#[doc = $doc])* pub $name: u64, )*
        }

        impl Default for Limits {
            fn default() -> Limits {
                Limits { $( $name: $default, )* }
            }
        }

        impl Limits {
            /// Every limit: its name, unit, what it bounds and its default, in the
            /// order `--help` lists them.
            pub const ALL: &'static [LimitInfo] = &[
                $( LimitInfo { name: stringify!($name), unit: $unit, what: $what, default: $default }, )*
            ];

            /// The value of the limit called `name`.
            pub fn get(&self, name: &str) -> Option<u64> {
                match name {
                    $( stringify!($name) => Some(self.$name), )*
                    _ => None,
                }
            }

            /// Sets the limit called `name`.
            ///
            /// # Errors
            /// [`UnknownLimit`], listing the names there are, when `name` is none of
            /// them.
            pub fn set(&mut self, name: &str, value: u64) -> Result<(), UnknownLimit> {
                match name {
                    $( stringify!($name) => self.$name = value, )*
                    _ => return Err(UnknownLimit(name.to_owned())),
                }
                Ok(())
            }
        }
    };
}

limits! {
    /// The most bytes a source may have, as given (before a workbook or Word
    /// document is decompressed). Default 268,435,456 (256 MiB).
    input_bytes: 256 << 20, "bytes", "bytes of the source as given";
    /// The most rows a table may have (the lines of a text source, the records of a
    /// JSON array). Default 1,048,576, as many as a worksheet holds.
    rows: 1 << 20, "rows", "rows of a table, lines of a text source";
    /// The most cells a row may have. Default 16,384, as many as a worksheet's row
    /// holds.
    columns: 1 << 14, "cells", "cells in one row";
    /// The most bytes one cell may hold (a line, of a text source). Default
    /// 1,048,576 (1 MiB).
    cell_bytes: 1 << 20, "bytes", "bytes in one cell or line";
    /// The deepest a JSON source may nest arrays and objects. Default 64. (Markdown
    /// headings do not nest deeper than their six levels: each names the objective of
    /// the rows below it.)
    depth: 64, "levels", "nesting of a JSON source's arrays and objects";
    /// The most bytes an XML part of a workbook may decompress to. Default
    /// 134,217,728 (128 MiB).
    xlsx_part_bytes: 128 << 20, "bytes", "decompressed bytes of one workbook part";
    /// The most shared strings a workbook may declare or hold. Default 2,000,000.
    shared_strings: 2_000_000, "strings", "shared strings a workbook declares or holds";
    /// The most cells a table may cover as it is laid out in memory: a sheet's range
    /// from its first cell to its last (as the workbook reader would allocate it), a
    /// JSON array's records times its keys, a table turned on its side. Default
    /// 10,000,000 (100,000 rows of 100 columns).
    table_cells: 10_000_000, "cells", "cells a table covers: a sheet's range, records times keys, a turned table";
    /// The most cells all of a workbook's sheets may cover together. Default
    /// 20,000,000.
    workbook_cells: 20_000_000, "cells", "cells all sheets of a workbook cover";
    /// The most bytes `word/document.xml` may decompress to. Default 268,435,456
    /// (256 MiB).
    docx_document_bytes: 256 << 20, "bytes", "decompressed bytes of word/document.xml";
    /// The most bytes `word/numbering.xml` may decompress to; past it, lists are
    /// numbered by default. Default 16,777,216 (16 MiB).
    docx_numbering_bytes: 16 << 20, "bytes", "decompressed bytes of word/numbering.xml; past it, lists take default numbers";
    /// The most grid columns one cell of a Word table may span; a larger span is
    /// read as this many, with a warning. Default 64 (Word's tables have at most 63).
    grid_span: 64, "columns", "columns one Word table cell spans; past it, capped with a warning";
    /// The most paragraphs, table rows and cells a Word document may hold. Default
    /// 8,000,000.
    docx_parts: 8_000_000, "parts", "paragraphs, table rows and cells of a Word document";
    /// The most cells a Word document's tables may hold, merged cells counted in
    /// full. Default 8,000,000.
    docx_grid_cells: 8_000_000, "cells", "cells of a Word document's tables, merges in full";
    /// The most bytes merged cells may copy into the cells they cover, per sheet or
    /// per Word document. Default 67,108,864 (64 MiB).
    filled_bytes: 64 << 20, "bytes", "bytes merged cells copy; a sheet past it is refused, a Word document left unfilled";
}

/// One limit, as `--help` lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LimitInfo {
    /// Its name, as `--limit NAME=VALUE` takes it.
    pub name: &'static str,
    /// What it counts.
    pub unit: &'static str,
    /// What it bounds.
    pub what: &'static str,
    /// Its default.
    pub default: u64,
}

/// A limit's name that is none of [`Limits::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown limit {0:?}; the limits are {names}", names = limit_names())]
pub struct UnknownLimit(pub String);

fn limit_names() -> String {
    Limits::ALL.iter().map(|l| l.name).collect::<Vec<_>>().join(", ")
}

/// A `--limit` entry that is not `NAME=VALUE`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseLimitError {
    /// No `=`, or a value that is not a whole number.
    #[error("{0:?} is not NAME=VALUE with a whole number (e.g. rows=100000)")]
    Syntax(String),
    /// The name is none of the limits.
    #[error(transparent)]
    Unknown(#[from] UnknownLimit),
}

/// Reads one `NAME=VALUE` entry, as `--limit` takes it: the name one of
/// [`Limits::ALL`], the value a whole number (`_` allowed between digits).
///
/// # Errors
/// [`ParseLimitError`] for an entry that is not `NAME=VALUE`, or names no limit
/// (listing the names there are).
///
/// # Example
/// ```
/// assert_eq!(ragplan_import::parse_limit("rows=100_000"), Ok(("rows", 100_000)));
/// assert!(ragplan_import::parse_limit("rowz=1").unwrap_err().to_string().contains("rows, columns"));
/// ```
pub fn parse_limit(text: &str) -> Result<(&'static str, u64), ParseLimitError> {
    let syntax = || ParseLimitError::Syntax(text.to_owned());
    let (name, value) = text.split_once('=').ok_or_else(syntax)?;
    let name = name.trim();
    let info =
        Limits::ALL.iter().find(|l| l.name == name).ok_or_else(|| UnknownLimit(name.to_owned()))?;
    let digits: String = value.trim().chars().filter(|&c| c != '_').collect();
    let value = digits.parse::<u64>().map_err(|_| syntax())?;
    Ok((info.name, value))
}

impl fmt::Display for LimitInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={} ({}: {})", self.name, self.default, self.unit, self.what)
    }
}

/// The unit and the description of the limit called `name`, for its message.
pub(crate) fn unit_of(name: &str) -> &'static str {
    Limits::ALL.iter().find(|l| l.name == name).map_or("", |l| l.unit)
}

/// What the limit called `name` bounds, for its message.
pub(crate) fn what_of(name: &str) -> &'static str {
    Limits::ALL.iter().find(|l| l.name == name).map_or("", |l| l.what)
}

/// A refusal: `value` found at `place`, over the limit `name`.
pub(crate) fn refused(name: &'static str, value: u64, max: u64, place: String) -> ImportError {
    ImportError::Limit { limit: name, value, max, place }
}

/// How many lines `text` has, as `str::lines` counts them.
fn bytecount_lines(text: &str) -> u64 {
    let breaks = text.bytes().filter(|&b| b == b'\n').count() as u64;
    breaks + u64::from(!text.is_empty() && !text.ends_with('\n'))
}

/// `n` as a `usize`, saturating on a machine whose `usize` is narrower.
pub(crate) fn as_usize(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

impl Limits {
    /// Refuses a table of `rows` rows of `width` cells, laid out in full at `place`,
    /// past [`Limits::table_cells`].
    pub(crate) fn check_table(
        &self,
        rows: usize,
        width: usize,
        place: &str,
    ) -> Result<(), ImportError> {
        let n = (rows as u64).saturating_mul(width as u64);
        if n > self.table_cells {
            return Err(refused(
                "table_cells",
                n,
                self.table_cells,
                format!("{place}, {rows} rows by {width} columns"),
            ));
        }
        Ok(())
    }

    /// Refuses text of more than [`Limits::rows`] lines, counted before they are
    /// listed.
    pub(crate) fn check_lines(&self, text: &str) -> Result<(), ImportError> {
        let n = bytecount_lines(text);
        if n > self.rows {
            let line = as_usize(self.rows.saturating_add(1));
            return Err(refused("rows", n, self.rows, format!("row {line}")));
        }
        Ok(())
    }

    /// Refuses a source longer than [`Limits::input_bytes`].
    pub(crate) fn check_input(&self, bytes: &[u8]) -> Result<(), ImportError> {
        self.check_input_len(bytes.len() as u64)
    }

    /// Refuses a source of `n` bytes, more than [`Limits::input_bytes`]: for a
    /// caller that knows a file's size before it reads it.
    ///
    /// # Errors
    /// [`ImportError::Limit`] naming `input_bytes`.
    pub fn check_input_len(&self, n: u64) -> Result<(), ImportError> {
        if n > self.input_bytes {
            return Err(refused("input_bytes", n, self.input_bytes, "the source".to_owned()));
        }
        Ok(())
    }

    /// Refuses the `n`th row (1-based count of rows read so far, at source row
    /// `line`) when it is past [`Limits::rows`].
    pub(crate) fn check_row_count(&self, n: usize, line: usize) -> Result<(), ImportError> {
        if n as u64 > self.rows {
            return Err(ImportError::Limit {
                limit: "rows",
                value: n as u64,
                max: self.rows,
                place: format!("row {line}"),
            });
        }
        Ok(())
    }

    /// Refuses a row of more than [`Limits::columns`] cells, or a cell of more than
    /// [`Limits::cell_bytes`], at source row `line`.
    pub(crate) fn check_cells<'c>(
        &self,
        line: usize,
        cells: impl IntoIterator<Item = &'c str>,
    ) -> Result<(), ImportError> {
        let mut cells = cells.into_iter().enumerate();
        while let Some((i, cell)) = cells.next() {
            if i as u64 >= self.columns {
                let n = (i + 1 + cells.count()) as u64;
                return Err(refused("columns", n, self.columns, format!("row {line}")));
            }
            self.check_cell_bytes(cell.len(), line, i + 1)?;
        }
        Ok(())
    }

    /// Refuses a cell of `len` bytes, at row `line` and column `column`, past
    /// [`Limits::cell_bytes`].
    pub(crate) fn check_cell_bytes(
        &self,
        len: usize,
        line: usize,
        column: usize,
    ) -> Result<(), ImportError> {
        if len as u64 > self.cell_bytes {
            return Err(refused(
                "cell_bytes",
                len as u64,
                self.cell_bytes,
                format!("row {line}, column {column}"),
            ));
        }
        Ok(())
    }

    /// Refuses JSON that nests arrays and objects deeper than [`Limits::depth`],
    /// before it is parsed: one pass over the bytes, strings skipped.
    pub(crate) fn check_json_depth(&self, text: &str) -> Result<(), ImportError> {
        let (mut depth, mut in_string, mut escaped) = (0u64, false, false);
        let (mut line, mut column) = (1usize, 0usize);
        for b in text.bytes() {
            if b == b'\n' {
                (line, column) = (line + 1, 0);
            } else if b & 0xC0 != 0x80 {
                column += 1;
            }
            if in_string {
                match b {
                    _ if escaped => escaped = false,
                    b'\\' => escaped = true,
                    b'"' => in_string = false,
                    _ => {}
                }
                continue;
            }
            match b {
                b'"' => in_string = true,
                b'[' | b'{' => {
                    depth += 1;
                    if depth > self.depth {
                        return Err(refused(
                            "depth",
                            depth,
                            self.depth,
                            format!("row {line}, column {column}"),
                        ));
                    }
                }
                b']' | b'}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_limit_is_named_once_and_set_by_its_name() {
        let mut limits = Limits::default();
        for (i, info) in Limits::ALL.iter().enumerate() {
            assert_eq!(limits.get(info.name), Some(info.default), "{}", info.name);
            assert_eq!(Limits::ALL.iter().filter(|l| l.name == info.name).count(), 1);
            assert_eq!(limits.set(info.name, i as u64), Ok(()));
            assert_eq!(limits.get(info.name), Some(i as u64));
        }
    }

    #[test]
    fn json_depth_counts_brackets_outside_strings() {
        let limits = Limits { depth: 2, ..Limits::default() };
        assert!(limits.check_json_depth(r#"[{"a": "[[[[\"[[["}]"#).is_ok());
        let err = limits.check_json_depth("[\n {\"a\": [1]}]").err().map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some(
                "row 2, column 8: 3 levels, over the limit depth=2 (nesting of a JSON \
                 source's arrays and objects)"
            )
        );
    }
}
