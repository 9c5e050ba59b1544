//! XLSX workbooks through calamine: the sheet chosen by name or as the first with a
//! recognisable header; merged cells fill every cell they cover.

use std::io::Cursor;

mod guard;

use calamine::{Data, Reader, Xlsx};
use ragplan_core::uk_date;

use crate::field::{HeaderMatch, match_header};
use crate::limits::{as_usize, refused};
use crate::table::GridRow;
use crate::{Diagnostic, DiagnosticCode, ImportError, ImportOptions};

/// Whether the bytes are a ZIP archive (an XLSX workbook is one) that is not a Word
/// document: a zip too damaged to tell is taken for a workbook.
pub(crate) fn looks_like_xlsx(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") && !crate::docx::looks_like_docx(bytes)
}

/// Whether `bytes` are a zip listing a workbook part (`xl/workbook.xml`): a
/// workbook, though perhaps a damaged one, and not a damaged Word document.
pub(crate) fn holds_workbook(bytes: &[u8]) -> bool {
    const WORKBOOK_PART: &str = "xl/workbook.xml";
    bytes.starts_with(b"PK\x03\x04")
        && std::panic::catch_unwind(|| {
            zip::ZipArchive::new(std::io::Cursor::new(bytes))
                .is_ok_and(|zip| zip.index_for_name(WORKBOOK_PART).is_some())
        })
        .unwrap_or(false)
}

/// A cell's text as the sheet shows it. `percent` says the cell's number format is a
/// percentage: Excel holds 100% as 1 and 50% as 0.5, and shows them as `100%` and `50%`.
fn cell_text(data: &Data, percent: bool) -> String {
    match data {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if percent && f.is_finite() => {
            // Rounded to a millionth of a percent: 0.07 × 100 is 7.000000000000001.
            let percentage = (f * 100.0 * 1e6).round() / 1e6;
            format!("{}%", f64_text(percentage))
        }
        Data::Float(f) => f64_text(*f),
        // calamine knows the workbook's date system (1900 or 1904) and Excel's 1900
        // leap-year quirk.
        Data::DateTime(dt) if dt.is_datetime() => match dt.as_datetime() {
            Some(at) => uk_date(at.date()).to_string(),
            None => dt.as_f64().to_string(),
        },
        other => other.to_string(),
    }
}

/// A number as the sheet shows it in the General format: whole numbers without a
/// point.
fn f64_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 { format!("{}", f as i64) } else { f.to_string() }
}

/// Whether an Excel number format shows its number as a percentage: a `%` outside
/// quoted text and not escaped (`0%`, `0.00%`, but not `0 "%"` or `0\%`).
fn is_percent_format(code: &str) -> bool {
    let mut quoted = false;
    let mut escaped = false;
    for c in code.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => quoted = !quoted,
            '%' if !quoted => return true,
            _ => {}
        }
    }
    false
}

/// Reads the rows of the chosen sheet.
///
/// # Errors
/// [`ImportError::Xlsx`] when the workbook cannot be opened; [`ImportError::NoSheet`]
/// when the named sheet is not there.
pub(crate) fn read(
    bytes: &[u8],
    options: &ImportOptions,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Vec<GridRow>, ImportError> {
    // The workbook reader can panic on a damaged file (an arithmetic overflow on a
    // truncated sheet): a damaged workbook is an error to report, not a crash.
    let read = std::panic::AssertUnwindSafe(|| read_workbook(bytes, options, diagnostics));
    std::panic::catch_unwind(read).unwrap_or_else(|_| {
        Err(ImportError::Xlsx("the workbook is damaged and cannot be read".to_owned()))
    })
}

fn read_workbook(
    bytes: &[u8],
    options: &ImportOptions,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Vec<GridRow>, ImportError> {
    let limits = &options.limits;
    guard::check(bytes, limits)?;
    let mut workbook =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| ImportError::Xlsx(e.to_string()))?;
    let names = workbook.sheet_names();
    let mut sheets: Vec<(String, Vec<GridRow>)> = Vec::new();
    let wanted: Vec<String> = match &options.sheet {
        Some(name) => {
            let found = names.iter().find(|n| n.eq_ignore_ascii_case(name)).cloned();
            match found {
                Some(n) => vec![n],
                None => {
                    return Err(ImportError::NoSheet {
                        name: name.clone(),
                        available: names.join(", "),
                    });
                }
            }
        }
        None => names.clone(),
    };
    // Sheets may share one part, which the guard checked once: the cells read are
    // counted across sheets too.
    let mut cells_read = 0u64;
    for name in wanted {
        if cells_read > limits.workbook_cells {
            let place = format!("sheet {name:?} and the sheets before it");
            return Err(refused("workbook_cells", cells_read, limits.workbook_cells, place));
        }
        let range =
            workbook.worksheet_range(&name).map_err(|e| ImportError::Xlsx(e.to_string()))?;
        let (height, width) = range.get_size();
        cells_read = cells_read.saturating_add((height as u64).saturating_mul(width as u64));
        let mut merged = workbook.merge_cells_by_sheet_name(&name).unwrap_or_default();
        // A region listed twice is filled once.
        merged.sort_by_key(|m| (m.start, m.end));
        merged.dedup_by_key(|m| (m.start, m.end));
        let Some((row0, col0)) = range.start() else {
            sheets.push((name, Vec::new()));
            continue;
        };
        // A number's format is read only where the sheet holds numbers: it is a
        // second pass over the sheet's cells.
        let styles = range
            .used_cells()
            .any(|(_, _, d)| matches!(d, Data::Float(_)))
            .then(|| workbook.worksheet_style(&name).ok())
            .flatten();
        let percent = |at: (u32, u32)| {
            styles
                .as_ref()
                .and_then(|s| s.get(at))
                .and_then(|s| s.number_format.as_ref())
                .is_some_and(|f| is_percent_format(&f.format_code))
        };
        let mut grid: Vec<Vec<String>> = Vec::with_capacity(range.height());
        for (i, cells) in range.rows().enumerate() {
            let r = row0 + i as u32;
            let row: Vec<String> = cells
                .iter()
                .enumerate()
                .map(|(j, d)| {
                    let at = (r, col0 + j as u32);
                    cell_text(d, matches!(d, Data::Float(_)) && percent(at))
                })
                .collect();
            limits.check_cells(row0 as usize + i + 1, row.iter().map(String::as_str))?;
            grid.push(row);
        }
        // Each region is clipped to the sheet's cells before it is filled, so a
        // region declared far larger than the sheet costs only the cells there are.
        let (height, width) =
            (grid.len() as u32, grid.iter().map(Vec::len).max().unwrap_or(0) as u32);
        let mut filled = 0usize;
        for region in &merged {
            let value = range
                .get_value(region.start)
                .map(|d| cell_text(d, matches!(d, Data::Float(_)) && percent(region.start)))
                .unwrap_or_default();
            if value.is_empty() || height == 0 || width == 0 {
                continue;
            }
            let rows = region.start.0.max(row0)..=region.end.0.min(row0 + height - 1);
            let cols = region.start.1.max(col0)..=region.end.1.min(col0 + width - 1);
            for r in rows {
                for c in cols.clone() {
                    let (ri, ci) = ((r - row0) as usize, (c - col0) as usize);
                    if let Some(cell) = grid.get_mut(ri).and_then(|row| row.get_mut(ci))
                        && cell.is_empty()
                    {
                        filled = filled.saturating_add(value.len().max(1));
                        if filled > as_usize(limits.filled_bytes) {
                            let place = format!("sheet {name:?}, merged cells");
                            return Err(refused(
                                "filled_bytes",
                                filled as u64,
                                limits.filled_bytes,
                                place,
                            ));
                        }
                        *cell = value.clone();
                    }
                }
            }
        }
        let rows = grid
            .into_iter()
            .enumerate()
            .map(|(i, cells)| GridRow::data(row0 as usize + i + 1, cells))
            .collect();
        sheets.push((name, rows));
    }
    let has_header = |rows: &Vec<GridRow>| {
        rows.iter().take(50).any(|r| {
            r.cells
                .iter()
                .filter(|c| {
                    match_header(c, &options.map)
                        .is_some_and(|m| matches!(m, HeaderMatch::Exact(_)))
                })
                .count()
                >= 2
        })
    };
    let with_header: Vec<bool> = sheets.iter().map(|(_, rows)| has_header(rows)).collect();
    let chosen = with_header.iter().position(|&h| h).unwrap_or(0);
    if sheets.len() > 1 {
        diagnostics.push(Diagnostic::info(
            DiagnosticCode::Sheet,
            format!("read sheet {:?} of {}", sheets[chosen].0, sheets.len()),
        ));
    }
    // Another sheet with a table of its own is worth knowing about: a workbook may
    // hold a plan per year or per board.
    for (i, ((name, _), _)) in sheets.iter().zip(&with_header).enumerate().filter(|(_, (_, h))| **h)
    {
        if i != chosen {
            diagnostics.push(
                Diagnostic::info(
                    DiagnosticCode::OtherSheetTable,
                    format!("sheet {name:?} also holds a table; read it with --sheet"),
                )
                .with_text(name.clone()),
            );
        }
    }
    Ok(sheets.into_iter().nth(chosen).map(|(_, rows)| rows).unwrap_or_default())
}
