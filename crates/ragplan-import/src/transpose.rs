//! Tables laid out sideways: one action per column, the header down the first
//! column. `--transpose` turns them; without it, a first column that names more
//! fields than the first row is taken for the header, with a warning.

use std::collections::BTreeSet;

use crate::field::{HeaderMatch, match_header};
use crate::grid::Cells;
use crate::table::{GridRow, RowKind};
use crate::{Diagnostic, DiagnosticCode, Field, ImportError, ImportOptions, Limits};

/// How many rows are looked at for a header column.
const SEARCH_ROWS: usize = 200;

/// The fields that cells name exactly, and whether one of them places a row (an
/// action, key, objective, sub-objective or indicator), as a header must.
fn named_fields<'c>(
    cells: impl Iterator<Item = &'c str>,
    map: &[(String, Field)],
) -> (usize, bool) {
    let fields: BTreeSet<Field> = cells
        .filter_map(|c| match match_header(c, map) {
            Some(HeaderMatch::Exact(f)) if f != Field::Unmapped => Some(f),
            _ => None,
        })
        .collect();
    let places = fields.iter().any(|f| f.places_row());
    (fields.len(), places)
}

/// Whether the rows read as a table on its side: its first filled column names at
/// least two fields, one of them placing an action, and more fields than its first
/// filled row does. Only plain grids are looked at (no Markdown header, no text).
pub(crate) fn looks_transposed(rows: &[GridRow], map: &[(String, Field)]) -> bool {
    if rows.iter().any(|r| r.kind != RowKind::Data) {
        return false;
    }
    let filled = |c: &str| !c.trim().is_empty();
    let Some(first_row) = rows.iter().find(|r| r.cells.iter().any(filled)) else {
        return false;
    };
    let Some(first_col) =
        rows.iter().take(SEARCH_ROWS).filter_map(|r| r.cells.iter().position(filled)).min()
    else {
        return false;
    };
    let (in_row, _) = named_fields(first_row.cells.iter(), map);
    let column = rows.iter().take(SEARCH_ROWS).filter_map(|r| r.cells.get(first_col));
    let (in_column, places) = named_fields(column, map);
    in_column >= 2 && places && in_column > in_row
}

/// The rows turned on their side: column `j` of the source becomes row `j + 1`
/// (so a diagnostic's row is the source's column number), blank rows dropped.
///
/// # Errors
/// [`ImportError::Limit`] when the turned table, every row as long as the longest,
/// would cover more cells than `limits` allow.
pub(crate) fn transpose(rows: &[GridRow], limits: &Limits) -> Result<Vec<GridRow>, ImportError> {
    let source: Vec<&GridRow> = rows.iter().filter(|r| !r.cells.is_empty()).collect();
    let width = source.iter().map(|r| r.cells.len()).max().unwrap_or(0);
    limits.check_table(width, source.len(), "the table turned on its side")?;
    Ok((0..width)
        .map(|j| {
            let cells: Cells = source.iter().map(|r| r.cells.get(j).unwrap_or_default()).collect();
            GridRow::data(j + 1, cells)
        })
        .collect())
}

/// The rows as the table builder should read them: turned when `--transpose` asks or
/// the table looks sideways (with a `transposed` warning).
pub(crate) fn oriented(
    rows: Vec<GridRow>,
    options: &ImportOptions,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Vec<GridRow>, ImportError> {
    if options.transpose {
        return transpose(&rows, &options.limits);
    }
    if !looks_transposed(&rows, &options.map) {
        return Ok(rows);
    }
    diagnostics.push(Diagnostic::warning(
        DiagnosticCode::Transposed,
        "the header runs down the first column: the table was read one action per column, \
         its rows numbered by source column (give --transpose to say so)",
    ));
    transpose(&rows, &options.limits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(rows: &[&[&str]]) -> Vec<GridRow> {
        rows.iter()
            .enumerate()
            .map(|(i, r)| GridRow::data(i + 1, r.iter().collect::<Cells>()))
            .collect()
    }

    #[test]
    fn a_header_column_is_told_from_a_header_row() {
        let sideways = grid(&[
            &["Project", "Leaflets", "Website"],
            &["RAG", "Green", "Amber"],
            &["Lead", "WMP", "Sue Whitmore"],
        ]);
        assert!(looks_transposed(&sideways, &[]));
        let upright = transpose(&sideways, &Limits::default()).unwrap_or_default();
        assert!(!looks_transposed(&upright, &[]));
        assert_eq!(upright[1].cells, ["Leaflets", "Green", "WMP"]);
        assert_eq!(upright[1].line, 2);
        // Repeated headers down the first column of an upright table do not count.
        let repeated = grid(&[
            &["Actions", "RAG", "Lead"],
            &["Leaflets", "Green", "WMP"],
            &["Actions", "RAG", "Lead"],
        ]);
        assert!(!looks_transposed(&repeated, &[]));
    }
}
