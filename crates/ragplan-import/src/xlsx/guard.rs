//! What a workbook is allowed to ask of the machine, checked before the workbook
//! reader sees it: the workbook reader allocates what a sheet declares (a range from
//! its first to its last cell, a table as long as the shared-string count), so a
//! 2 KB file can ask for terabytes.
//!
//! Every XML part is decompressed as a stream, no further than
//! [`MAX_PART_BYTES`], and read as a stream of events; nothing it declares is
//! allocated here. Refused: a part larger than that; a shared-string table that
//! declares or holds more than [`MAX_SHARED_STRINGS`] strings; a sheet whose cells
//! span more than [`MAX_SHEET_CELLS`] (rows × columns from its first cell to its
//! last, as the reader would allocate them).

use std::io::{BufReader, Read};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use zip::ZipArchive;

use crate::ImportError;

/// The most an XML part of a workbook may decompress to: 128 MiB.
pub(crate) const MAX_PART_BYTES: u64 = 128 << 20;

/// The most shared strings a workbook may declare or hold: 2,000,000.
pub(crate) const MAX_SHARED_STRINGS: u64 = 2_000_000;

/// The most cells a sheet's range may cover, from its first cell to its last:
/// 10,000,000 (a plan of 100,000 rows and 100 columns).
pub(crate) const MAX_SHEET_CELLS: u64 = 10_000_000;

/// The most cells all of a workbook's sheets may cover together: 20,000,000.
pub(crate) const MAX_WORKBOOK_CELLS: u64 = 2 * MAX_SHEET_CELLS;

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

    fn cells(&self) -> u64 {
        match (self.rows, self.cols) {
            (Some((r0, r1)), Some((c0, c1))) => (r1 - r0 + 1).saturating_mul(c1 - c0 + 1),
            _ => 0,
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

fn refused(message: String) -> ImportError {
    ImportError::Xlsx(message)
}

/// Checks every XML part of the workbook against the limits above.
///
/// # Errors
/// [`ImportError::Xlsx`] naming the part and the limit it passes. A zip that cannot
/// be opened is left to the workbook reader, which says why.
pub(crate) fn check(bytes: &[u8]) -> Result<(), ImportError> {
    let Ok(mut zip) = ZipArchive::new(std::io::Cursor::new(bytes)) else { return Ok(()) };
    // Every part is read, whatever its name: the workbook reader finds its parts
    // through the relationships, ignoring case, so a name says nothing.
    let mut total_cells = 0u64;
    for i in 0..zip.len() {
        let Ok(file) = zip.by_index(i) else { continue };
        let Ok(name) = file.name().map(|n| n.into_owned()) else { continue };
        if file.size() > MAX_PART_BYTES {
            return Err(too_large(&name));
        }
        // Read no further than the limit, whatever size the zip declares.
        let mut limited = file.take(MAX_PART_BYTES + 1);
        // Configured as the workbook reader configures its own, so that the guard
        // reads on wherever the reader would.
        let mut reader = Reader::from_reader(BufReader::new(&mut limited));
        let config = reader.config_mut();
        config.check_end_names = false;
        config.trim_text(false);
        config.check_comments = false;
        config.expand_empty_elements = true;
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
                        if declared > MAX_SHARED_STRINGS {
                            return Err(refused(format!(
                                "{name} declares {declared} shared strings, more than the \
                                 {MAX_SHARED_STRINGS} a workbook may hold"
                            )));
                        }
                    }
                    "si" => {
                        strings += 1;
                        if strings > MAX_SHARED_STRINGS {
                            return Err(refused(format!(
                                "{name} holds more than the {MAX_SHARED_STRINGS} shared \
                                 strings a workbook may hold"
                            )));
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
                        if extent.cells() > MAX_SHEET_CELLS
                            || total_cells.saturating_add(extent.cells()) > MAX_WORKBOOK_CELLS
                        {
                            return Err(refused(format!(
                                "{name}: its cells span {} rows by {} columns, more than the \
                                 {MAX_SHEET_CELLS} cells a sheet may cover (or, with the \
                                 other sheets, the {MAX_WORKBOOK_CELLS} of a workbook)",
                                extent.rows.map_or(0, |(a, b)| b - a + 1),
                                extent.cols.map_or(0, |(a, b)| b - a + 1),
                            )));
                        }
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
        if limited.limit() == 0 || rest > MAX_PART_BYTES {
            return Err(too_large(&name));
        }
    }
    Ok(())
}

fn too_large(name: &str) -> ImportError {
    refused(format!("{name} decompresses to more than the {MAX_PART_BYTES} bytes a part may hold"))
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
