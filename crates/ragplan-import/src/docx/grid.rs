//! The blocks of a Word document as the rows `table::build` reads: merged cells
//! filled as the reader sees them, a table continued over pages joined into one,
//! and the paragraphs between tables kept as lines of text.
//!
//! - A vertical merge (`w:vMerge`) copies its first cell's text into every cell it
//!   covers, and a horizontal one (`w:gridSpan`) into every column it spans, each
//!   with an info `merged-cells`; a cell spanning a whole row of two or more columns
//!   is a line of text (a section title), not a row of copies.
//! - A table that follows another with nothing but empty paragraphs between is its
//!   continuation when its first row repeats the header (by the fields its cells
//!   name, or marked `w:tblHeader`), or when it has no header and as many columns.
//!   The repeated header rows are skipped with an info `table-continued`, and the
//!   join is a page break, as a blank row is in a delimited table.
//! - A table whose header names other fields than the one before starts a new
//!   header (`RowKind::Header`).

use std::collections::BTreeMap;

use crate::field::{Field, one_line};
use crate::grid::Cells;
use crate::limits::{as_usize, refused};
use crate::table::{GridRow, RowKind};
use crate::{Diagnostic, DiagnosticCode, ImportError, Limits};

use super::xml::{Block, Row, Table, VMerge};

/// The fields a row's cells name, in order, when it reads as a header, as
/// `table::build` finds the first header.
pub(super) fn header_fields(cells: &Cells, map: &[(String, Field)]) -> Option<Vec<Field>> {
    crate::table::header_fields(cells, map, true)
}

/// A table's rows with their merges filled.
struct FilledRow {
    line: usize,
    header: bool,
    cells: Cells,
    /// A row that is one cell across the whole table.
    whole_row: bool,
}

/// The first cell of a vertical merge, while it lasts.
struct MergeOrigin {
    line: usize,
    last_line: usize,
    span: usize,
    text: String,
}

/// The document's rows for `table::build`.
///
/// # Errors
/// [`ImportError::Limit`] when its tables hold more than [`Limits::docx_grid_cells`]
/// cells, or a row more than [`Limits::columns`] cells or a cell more than
/// [`Limits::cell_bytes`].
pub(super) fn rows(
    blocks: &[Block],
    map: &[(String, Field)],
    limits: &Limits,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Vec<GridRow>, ImportError> {
    let mut out = Vec::new();
    let mut filler = Filler { limits, cells: 0, filled: 0, over_budget: false, diagnostics };
    // The header of the last table, its column names, and its width.
    let mut header: Option<Vec<Field>> = None;
    let mut names: Vec<String> = Vec::new();
    let mut last_width: Option<usize> = None;
    for block in blocks {
        let table = match block {
            Block::Paragraph(p) => {
                last_width = None;
                out.push(GridRow {
                    line: p.line,
                    cells: [p.shown(false)].into_iter().collect(),
                    group: None,
                    kind: RowKind::Text,
                });
                continue;
            }
            Block::Table(table) => table,
        };
        let Some(first) = table.rows.first() else { continue };
        let first_texts: Cells = first.cells.iter().map(|c| c.text.as_str()).collect();
        let own_header = header_fields(&first_texts, map);
        if own_header.is_some() {
            names = first_texts.iter().map(|t| one_line(t).into_owned()).collect();
        }
        let rows = filler.fill(table, &names)?;
        let width = rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
        let repeats = |row: &FilledRow| {
            row.header || (header.is_some() && header_fields(&row.cells, map) == header)
        };
        let continued = last_width.is_some()
            && rows
                .first()
                .is_some_and(|r| repeats(r) || (own_header.is_none() && last_width == Some(width)));
        let mut rows = rows.into_iter().peekable();
        if continued {
            out.push(GridRow::data(first.line, Cells::new()));
            let mut skipped = 0;
            while let Some(row) = rows.next_if(|r| repeats(r)) {
                skipped += 1;
                let text: Vec<&str> = row.cells.iter().filter(|c| !c.is_empty()).collect();
                filler.diagnostics.push(
                    Diagnostic::info(
                        DiagnosticCode::TableContinued,
                        "the table goes on from the one above (a page break); its repeated \
                         header row is skipped",
                    )
                    .at_row(row.line)
                    .with_text(text.join(" | ")),
                );
            }
            if skipped == 0 {
                filler.diagnostics.push(
                    Diagnostic::info(
                        DiagnosticCode::TableContinued,
                        "the table goes on from the one above (a page break): no header, as \
                         many columns",
                    )
                    .at_row(first.line),
                );
            }
        }
        let mut first_row = !continued;
        for row in rows {
            let kind =
                if first_row && own_header.is_some() && header.is_some() && own_header != header {
                    RowKind::Header
                } else {
                    RowKind::Data
                };
            first_row = false;
            let mut cells = row.cells;
            if row.whole_row {
                cells.truncate(1);
            }
            out.push(GridRow { line: row.line, cells, group: None, kind });
        }
        if own_header.is_some() && !continued {
            header = own_header;
        }
        last_width = Some(width);
    }
    Ok(out)
}

struct Filler<'d> {
    limits: &'d Limits,
    /// Grid cells made so far, against [`Limits::docx_grid_cells`].
    cells: usize,
    /// Bytes copied into merged cells so far, against [`Limits::filled_bytes`].
    filled: usize,
    over_budget: bool,
    diagnostics: &'d mut Vec<Diagnostic>,
}

fn column_name(names: &[String], col: usize) -> String {
    match names.get(col) {
        Some(name) if !name.is_empty() => name.clone(),
        _ => format!("column {}", col + 1),
    }
}

impl Filler<'_> {
    /// `text` for a covered cell, unless the copies have grown past the budget.
    fn copy(&mut self, text: &str) -> String {
        let max = self.limits.filled_bytes;
        if self.filled.saturating_add(text.len()) > as_usize(max) {
            if !self.over_budget {
                self.over_budget = true;
                self.diagnostics.push(Diagnostic::warning(
                    DiagnosticCode::MergeNotFilled,
                    format!(
                        "merged cells hold more than {max} bytes of copies (the filled_bytes \
                         limit); the rest are left empty"
                    ),
                ));
            }
            return String::new();
        }
        self.filled += text.len();
        text.to_owned()
    }

    fn close_merge(&mut self, col: usize, origin: MergeOrigin, names: &[String]) {
        if origin.last_line == origin.line {
            return;
        }
        let columns = match origin.span {
            1 => String::new(),
            n => format!(" and {} columns", n),
        };
        self.diagnostics.push(
            Diagnostic::info(
                DiagnosticCode::MergedCells,
                format!(
                    "cell merged down over rows {}–{}{columns}: its text is read in each",
                    origin.line, origin.last_line
                ),
            )
            .at_row(origin.line)
            .at_column(column_name(names, col))
            .with_text(origin.text),
        );
    }

    /// The rows of one table, every merged cell holding the merge's text.
    fn fill(&mut self, table: &Table, names: &[String]) -> Result<Vec<FilledRow>, ImportError> {
        let width = table.rows.iter().map(row_width).max().unwrap_or(0);
        let mut open: BTreeMap<usize, MergeOrigin> = BTreeMap::new();
        let mut out = Vec::with_capacity(table.rows.len());
        for row in &table.rows {
            let row_cells = row_width(row);
            self.cells = self.cells.saturating_add(row_cells);
            let max = self.limits.docx_grid_cells;
            if self.cells as u64 > max {
                let place = format!("word/document.xml, row {}", row.line);
                return Err(refused("docx_grid_cells", self.cells as u64, max, place));
            }
            if row_cells as u64 > self.limits.columns {
                let place = format!("row {}", row.line);
                return Err(refused("columns", row_cells as u64, self.limits.columns, place));
            }
            let mut cells = vec![String::new(); row.grid_before];
            let mut continued = Vec::new();
            for cell in &row.cells {
                let col = cells.len();
                let text = match cell.vmerge {
                    Some(VMerge::Continue) => match open.remove(&col) {
                        Some(mut origin) => {
                            origin.last_line = row.line;
                            let text = self.copy(&origin.text);
                            open.insert(col, origin);
                            continued.push(col);
                            text
                        }
                        None => cell.text.clone(),
                    },
                    Some(VMerge::Restart) => {
                        if let Some(origin) = open.remove(&col) {
                            self.close_merge(col, origin, names);
                        }
                        if !cell.text.is_empty() {
                            let origin = MergeOrigin {
                                line: row.line,
                                last_line: row.line,
                                span: cell.span,
                                text: cell.text.clone(),
                            };
                            open.insert(col, origin);
                            continued.push(col);
                        }
                        cell.text.clone()
                    }
                    None => cell.text.clone(),
                };
                let whole_row = row.cells.len() == 1 && cell.span == width && width > 1;
                if cell.span > 1 && !text.is_empty() && !whole_row && cell.vmerge.is_none() {
                    self.diagnostics.push(
                        Diagnostic::info(
                            DiagnosticCode::MergedCells,
                            format!(
                                "cell spans columns {}–{}: its text is read in each",
                                col + 1,
                                col + cell.span
                            ),
                        )
                        .at_row(row.line)
                        .at_column(column_name(names, col))
                        .with_text(text.clone()),
                    );
                }
                let copies: Vec<String> = (1..cell.span)
                    .map(|_| {
                        if whole_row || text.is_empty() { String::new() } else { self.copy(&text) }
                    })
                    .collect();
                cells.push(text);
                cells.extend(copies);
            }
            // A merge the row did not continue has ended. `continued` is in column
            // order, so each merge is looked up in it without reading it through.
            let ended: Vec<usize> =
                open.keys().copied().filter(|c| continued.binary_search(c).is_err()).collect();
            for col in ended {
                if let Some(origin) = open.remove(&col) {
                    self.close_merge(col, origin, names);
                }
            }
            let whole_row = row.cells.len() == 1
                && row.grid_before == 0
                && row.cells[0].span == width
                && width > 1
                && !row.cells[0].text.is_empty();
            if whole_row {
                self.diagnostics.push(
                    Diagnostic::info(
                        DiagnosticCode::MergedCells,
                        "a cell across the whole table is read as a line of text",
                    )
                    .at_row(row.line)
                    .with_text(row.cells[0].text.clone()),
                );
            }
            for (i, cell) in cells.iter().enumerate() {
                self.limits.check_cell_bytes(cell.len(), row.line, i + 1)?;
            }
            let cells = Cells::from(cells);
            out.push(FilledRow { line: row.line, header: row.header, cells, whole_row });
        }
        for (col, origin) in std::mem::take(&mut open) {
            self.close_merge(col, origin, names);
        }
        Ok(out)
    }
}

fn row_width(row: &Row) -> usize {
    row.grid_before + row.cells.iter().map(|c| c.span).sum::<usize>()
}
