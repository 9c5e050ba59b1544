//! What a workbook is allowed to ask of the machine, checked before the workbook
//! reader sees it: the workbook reader allocates what a sheet declares (a range from
//! its first to its last cell, a table as long as the shared-string count), so a
//! 2 KB file can ask for terabytes.
//!
//! Every XML part is decompressed as a stream, no further than
//! [`Limits::xlsx_part_bytes`], and read as a stream of events; nothing it declares
//! is allocated here. Refused: a part larger than that; a shared-string table that
//! declares or holds more than [`Limits::shared_strings`] strings; a sheet whose
//! cells span more than [`Limits::table_cells`] (rows × columns from its first cell
//! to its last, as the reader would allocate them), more than [`Limits::rows`] rows
//! or [`Limits::columns`] columns; sheets spanning more than
//! [`Limits::workbook_cells`] together.

use std::io::{BufReader, Read};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use zip::ZipArchive;

use crate::limits::refused;
use crate::{ImportError, Limits};

/// The bounding box of a sheet's cells, as the reader would allocate it.
#[derive(Debug, Default, Clone, Copy)]
struct Extent {
    rows: Option<(u64, u64)>,
    cols: Option<(u64, u64)>,
}

impl Extent {
    fn add(&mut self, row: u64, col: u64) {
        let widen = |range: Option<(u64, u64)>, v: u64| {
            Some(range.map_or((v, v), |(lo, hi)| (lo.min(v), hi.max(v))))
        };
        self.rows = widen(self.rows, row);
        self.cols = widen(self.cols, col);
    }

    fn height(&self) -> u64 {
        self.rows.map_or(0, |(a, b)| b - a + 1)
    }

    fn width(&self) -> u64 {
        self.cols.map_or(0, |(a, b)| b - a + 1)
    }

    fn cells(&self) -> u64 {
        self.height().saturating_mul(self.width())
    }

    /// The first of `limits` the extent passes, with `total` cells before it, as a
    /// refusal naming the part.
    fn check(&self, total: u64, limits: &Limits, name: &str) -> Result<(), ImportError> {
        let place = || format!("{name}, {} rows by {} columns", self.height(), self.width());
        let checks = [
            ("rows", self.height(), limits.rows),
            ("columns", self.width(), limits.columns),
            ("table_cells", self.cells(), limits.table_cells),
            ("workbook_cells", total.saturating_add(self.cells()), limits.workbook_cells),
        ];
        match checks.into_iter().find(|&(_, value, max)| value > max) {
            Some((limit, value, max)) => Err(refused(limit, value, max, place())),
            None => Ok(()),
        }
    }
}

/// A1-style reference → (row, column), both 0-based.
fn cell_ref(text: &str) -> Option<(u64, u64)> {
    let letters = text.bytes().take_while(u8::is_ascii_alphabetic).count();
    let (col, row) = text.split_at(letters);
    let col = col.bytes().try_fold(0u64, |n, b| {
        n.checked_mul(26)?.checked_add(u64::from(b.to_ascii_uppercase() - b'A' + 1))
    })?;
    let row: u64 = row.parse().ok()?;
    Some((row.checked_sub(1)?, col.checked_sub(1)?))
}

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .map(|a| a.value.clone().into_owned())
}

/// Checks every XML part of the workbook against `limits`.
///
/// # Errors
/// [`ImportError::Limit`] naming the part and the limit it passes. A zip that cannot
/// be opened is left to the workbook reader, which says why.
pub(crate) fn check(bytes: &[u8], limits: &Limits) -> Result<(), ImportError> {
    let max_part = limits.xlsx_part_bytes;
    let Ok(mut zip) = ZipArchive::new(std::io::Cursor::new(bytes)) else { return Ok(()) };
    // Every part is read, whatever its name: the workbook reader finds its parts
    // through the relationships, ignoring case, so a name says nothing.
    let mut total_cells = 0u64;
    for i in 0..zip.len() {
        let Ok(file) = zip.by_index(i) else { continue };
        let Ok(name) = file.name().map(|n| n.into_owned()) else { continue };
        if file.size() > max_part {
            return Err(too_large(&name, file.size(), max_part));
        }
        // Read no further than the limit, whatever size the zip declares.
        let mut limited = file.take(max_part.saturating_add(1));
        // Configured as the workbook reader configures its own, so that the guard
        // reads on wherever the reader would.
        let mut reader = Reader::from_reader(BufReader::new(&mut limited));
        let config = reader.config_mut();
        config.check_end_names = false;
        config.trim_text(false);
        config.check_comments = false;
        config.expand_empty_elements = true;
        // Shared strings past the limit, declared or held.
        let strings_past = |n: u64, how: &str| {
            let place = || format!("{name}, {how}");
            (n > limits.shared_strings)
                .then(|| refused("shared_strings", n, limits.shared_strings, place()))
        };
        let mut buf = Vec::new();
        let (mut extent, mut strings, mut row, mut col) = (Extent::default(), 0u64, 0u64, 0u64);
        // XML the reader too would stop at ends the check of the part (a picture,
        // say, is not XML at all).
        while let Ok(event) = reader.read_event_into(&mut buf) {
            match event {
                Event::Eof => break,
                Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                    "sst" => {
                        let declared = ["uniqueCount", "count"]
                            .iter()
                            .filter_map(|n| attr(&e, n)?.trim().parse::<u64>().ok())
                            .max()
                            .unwrap_or(0);
                        if let Some(err) = strings_past(declared, "declared") {
                            return Err(err);
                        }
                    }
                    "si" => {
                        strings += 1;
                        if let Some(err) = strings_past(strings, "held") {
                            return Err(err);
                        }
                    }
                    "row" => {
                        row = attr(&e, "r")
                            .and_then(|r| r.trim().parse::<u64>().ok())
                            .and_then(|r| r.checked_sub(1))
                            .unwrap_or(row + 1);
                        col = 0;
                    }
                    "c" => {
                        let (r, c) =
                            attr(&e, "r").and_then(|r| cell_ref(r.trim())).unwrap_or((row, col));
                        extent.add(r, c);
                        (row, col) = (r, c + 1);
                        extent.check(total_cells, limits, &name)?;
                    }
                    _ => {}
                },
                _ => {}
            }
            buf.clear();
        }
        drop(reader);
        total_cells = total_cells.saturating_add(extent.cells());
        // Whatever the parser left unread still counts towards the limit.
        let rest = std::io::copy(&mut limited, &mut std::io::sink()).unwrap_or(0);
        if limited.limit() == 0 || rest > max_part {
            return Err(too_large(&name, max_part.saturating_add(1), max_part));
        }
    }
    Ok(())
}

/// A part of at least `size` decompressed bytes, past `max`.
fn too_large(name: &str, size: u64, max: u64) -> ImportError {
    refused("xlsx_part_bytes", size, max, format!("{name}, decompressed"))
}

#[cfg(test)]
mod tests {
    use super::cell_ref;

    #[test]
    fn cell_references_read_as_row_and_column() {
        assert_eq!(cell_ref("A1"), Some((0, 0)));
        assert_eq!(cell_ref("XFD1048576"), Some((1_048_575, 16_383)));
        assert_eq!(cell_ref("AA10"), Some((9, 26)));
        assert_eq!(cell_ref("1A"), None);
        assert_eq!(cell_ref(&format!("{}1", "Z".repeat(30))), None);
    }
}
