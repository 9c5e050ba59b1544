//! The body of `word/document.xml` read into blocks, in document order: paragraphs
//! (their text, list label and whether they are headings) and tables (rows of
//! cells, each with its text, `w:gridSpan` and `w:vMerge`, and whether the row is
//! a repeated header row, `w:tblHeader`). Formatting is not read: a bold header
//! reads as its words.
//!
//! Every paragraph and every table row takes the next row number, from 1, so a
//! diagnostic's row counts the document's paragraphs and table rows as they stand.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::docx_error;
use super::numbering::{Counters, Label, Numbering};
use crate::limits::{as_usize, refused};
use crate::{Diagnostic, DiagnosticCode, ImportError, Limits};

/// A paragraph with text in it, or a table (empty paragraphs are counted, not kept).
#[derive(Debug)]
pub(super) enum Block {
    Paragraph(Paragraph),
    Table(Table),
}

#[derive(Debug)]
pub(super) struct Paragraph {
    pub line: usize,
    pub text: String,
    pub label: Option<Label>,
    pub heading: bool,
}

impl Paragraph {
    /// The paragraph as the reader sees it: its number before its text.
    pub(super) fn shown(&self, bullets: bool) -> String {
        match &self.label {
            Some(Label::Number(n)) => format!("{n} {}", self.text),
            Some(Label::Bullet) if bullets => format!("- {}", self.text),
            _ => self.text.clone(),
        }
    }
}

#[derive(Debug, Default)]
pub(super) struct Table {
    pub rows: Vec<Row>,
}

#[derive(Debug, Default)]
pub(super) struct Row {
    pub line: usize,
    /// Marked as a header row repeated on every page (`w:tblHeader`).
    pub header: bool,
    /// Grid columns left empty before the first cell (`w:gridBefore`).
    pub grid_before: usize,
    pub cells: Vec<Cell>,
}

#[derive(Debug)]
pub(super) struct Cell {
    /// Its paragraphs, one a line.
    pub text: String,
    /// How many grid columns it covers (at least 1, at most [`Limits::grid_span`]).
    pub span: usize,
    pub vmerge: Option<VMerge>,
}

/// A cell's part in a vertical merge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum VMerge {
    /// The first cell of the merge, holding its text.
    Restart,
    /// A cell covered by the merge above.
    Continue,
}

/// The value of attribute `name` (any prefix), unescaped.
pub(super) fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes().flatten().find(|a| a.key.local_name().as_ref() == name).map(|a| {
        a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_or_else(|_| a.value.clone().into_owned(), |v| v.into_owned())
    })
}

/// The element's name without its prefix.
pub(super) fn local(e: &BytesStart<'_>) -> String {
    e.local_name().as_ref().to_owned()
}

/// Whether an on/off property is on: absent `w:val`, `true`, `1` or `on`.
fn is_on(e: &BytesStart<'_>) -> bool {
    attr(e, "val").is_none_or(|v| matches!(v.as_str(), "true" | "1" | "on"))
}

/// A paragraph being read.
#[derive(Debug, Default)]
struct ParagraphState {
    text: String,
    num_id: Option<String>,
    ilvl: usize,
    heading: bool,
}

struct Parser<'n> {
    numbering: &'n Numbering,
    limits: &'n Limits,
    counters: Counters,
    blocks: Vec<Block>,
    /// Paragraphs and rows counted so far.
    line: usize,
    /// Rows, cells and paragraphs kept, against [`Limits::docx_parts`].
    parts: usize,
    table: Option<Table>,
    row: Option<Row>,
    cell: Option<Cell>,
    /// Depth of tables inside a cell or a paragraph: their text joins the cell's.
    nested: usize,
    paragraph: Option<ParagraphState>,
    /// Depth of paragraphs (a text box's paragraphs sit inside a paragraph).
    paragraph_depth: usize,
    in_properties: bool,
    in_run: usize,
    in_text: bool,
    /// Depth inside `mc:Fallback`, the copy of content shown by old readers.
    skipped: usize,
}

/// Reads the blocks of `word/document.xml`.
///
/// # Errors
/// [`ImportError::Docx`] when the XML is not well formed; [`ImportError::Limit`]
/// when it holds more than [`Limits::docx_parts`] rows, cells and paragraphs.
pub(super) fn parse(
    xml: &str,
    numbering: &Numbering,
    limits: &Limits,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Vec<Block>, ImportError> {
    let mut parser = Parser {
        numbering,
        limits,
        counters: Counters::default(),
        blocks: Vec::new(),
        line: 0,
        parts: 0,
        table: None,
        row: None,
        cell: None,
        nested: 0,
        paragraph: None,
        paragraph_depth: 0,
        in_properties: false,
        in_run: 0,
        in_text: false,
        skipped: 0,
    };
    let mut reader = Reader::from_str(xml);
    loop {
        let event = reader.read_event().map_err(|e| {
            docx_error(format!(
                "word/document.xml is not well-formed XML (at byte {}): {e}",
                reader.error_position()
            ))
        })?;
        match event {
            Event::Start(e) => parser.open(&e, diagnostics)?,
            Event::Empty(e) => {
                parser.open(&e, diagnostics)?;
                parser.close(&local(&e))?;
            }
            Event::End(e) => parser.close(e.local_name().as_ref())?,
            Event::Text(t) => parser.text(&t.xml10_content()),
            Event::CData(t) => parser.text(&t.xml10_content()),
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c.to_string()),
                    _ => quick_xml::escape::resolve_predefined_entity(&r).map(str::to_owned),
                };
                if let Some(text) = resolved {
                    parser.text(&text);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    // A document cut short keeps what it had.
    parser.close_all()?;
    Ok(parser.blocks)
}

impl Parser<'_> {
    fn count_part(&mut self) -> Result<(), ImportError> {
        self.parts += 1;
        if self.parts as u64 > self.limits.docx_parts {
            let place = format!("word/document.xml, row {}", self.line);
            return Err(refused("docx_parts", self.parts as u64, self.limits.docx_parts, place));
        }
        Ok(())
    }

    fn in_table_structure(&self) -> bool {
        self.nested == 0 && self.table.is_some()
    }

    fn open(
        &mut self,
        e: &BytesStart<'_>,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Result<(), ImportError> {
        let name = local(e);
        if self.skipped > 0 {
            if name == "Fallback" {
                self.skipped += 1;
            }
            return Ok(());
        }
        match name.as_str() {
            "Fallback" => self.skipped = 1,
            "tbl" => {
                if self.cell.is_some() || self.paragraph.is_some() || self.nested > 0 {
                    self.nested += 1;
                } else if self.table.is_none() {
                    self.table = Some(Table::default());
                }
            }
            "tr" if self.in_table_structure() && self.row.is_none() => {
                self.count_part()?;
                self.line += 1;
                self.row = Some(Row { line: self.line, ..Row::default() });
            }
            "tc" if self.in_table_structure() && self.row.is_some() && self.cell.is_none() => {
                self.count_part()?;
                self.cell = Some(Cell { text: String::new(), span: 1, vmerge: None });
            }
            "tblHeader" if self.in_table_structure() && self.cell.is_none() => {
                if let Some(row) = &mut self.row {
                    row.header = is_on(e);
                }
            }
            "gridBefore" if self.in_table_structure() && self.cell.is_none() => {
                let line = self.line;
                if let Some(row) = &mut self.row {
                    row.grid_before = grid_count(e, line, None, self.limits, diagnostics);
                }
            }
            "gridSpan" if self.in_table_structure() && self.paragraph.is_none() => {
                let column = self
                    .row
                    .as_ref()
                    .map(|r| r.grid_before + r.cells.iter().map(|c| c.span).sum::<usize>() + 1);
                let line = self.line;
                if let Some(cell) = &mut self.cell {
                    cell.span = grid_count(e, line, column, self.limits, diagnostics).max(1);
                }
            }
            "vMerge" if self.in_table_structure() && self.paragraph.is_none() => {
                if let Some(cell) = &mut self.cell {
                    let restart = attr(e, "val").is_some_and(|v| v == "restart");
                    cell.vmerge = Some(if restart { VMerge::Restart } else { VMerge::Continue });
                }
            }
            "p" => {
                self.paragraph_depth += 1;
                if self.paragraph_depth == 1 {
                    self.paragraph = Some(ParagraphState::default());
                }
            }
            "pPr" if self.paragraph_depth == 1 => self.in_properties = true,
            "r" => self.in_run += 1,
            "t" if self.in_run > 0 => self.in_text = true,
            _ if self.paragraph_depth == 1 && self.in_properties => {
                if let Some(p) = &mut self.paragraph {
                    match name.as_str() {
                        "numId" => p.num_id = attr(e, "val"),
                        "ilvl" => {
                            p.ilvl = attr(e, "val").and_then(|v| v.parse().ok()).unwrap_or(0);
                        }
                        "pStyle" => {
                            let style = attr(e, "val").unwrap_or_default().to_ascii_lowercase();
                            p.heading |= style.starts_with("heading") || style == "title";
                        }
                        "outlineLvl" => p.heading = true,
                        _ => {}
                    }
                }
            }
            "tab" if self.in_run > 0 => self.push(" "),
            // A page or column break is where the page ends, not a line of text.
            "br" if self.in_run > 0 && attr(e, "type").is_none_or(|t| t == "textWrapping") => {
                self.push("\n");
            }
            "cr" if self.in_run > 0 => self.push("\n"),
            "noBreakHyphen" if self.in_run > 0 => self.push("-"),
            _ => {}
        }
        Ok(())
    }

    fn close(&mut self, name: &str) -> Result<(), ImportError> {
        if self.skipped > 0 {
            if name == "Fallback" {
                self.skipped -= 1;
            }
            return Ok(());
        }
        match name {
            "t" => self.in_text = false,
            "r" => self.in_run = self.in_run.saturating_sub(1),
            "pPr" if self.paragraph_depth == 1 => self.in_properties = false,
            "p" => self.end_paragraph()?,
            "tc" if self.in_table_structure() => {
                if let (Some(mut cell), Some(row)) = (self.cell.take(), &mut self.row) {
                    let trimmed = cell.text.trim();
                    if trimmed.len() != cell.text.len() {
                        cell.text = trimmed.to_owned();
                    }
                    row.cells.push(cell);
                }
            }
            "tr" if self.in_table_structure() => {
                self.cell = None;
                if let (Some(row), Some(table)) = (self.row.take(), &mut self.table) {
                    table.rows.push(row);
                }
            }
            "tbl" => {
                if self.nested > 0 {
                    self.nested -= 1;
                } else if let Some(table) = self.table.take() {
                    self.row = None;
                    self.cell = None;
                    self.blocks.push(Block::Table(table));
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn close_all(&mut self) -> Result<(), ImportError> {
        while self.paragraph_depth > 0 {
            self.end_paragraph()?;
        }
        self.skipped = 0;
        self.nested = 0;
        for name in ["tc", "tr", "tbl"] {
            self.close(name)?;
        }
        Ok(())
    }

    /// Character data: text only inside `w:t` (not field codes, not deleted text).
    fn text(&mut self, text: &str) {
        if self.in_text {
            self.push(text);
        }
    }

    fn push(&mut self, text: &str) {
        if let (0, Some(p)) = (self.skipped, &mut self.paragraph) {
            p.text.push_str(text);
        }
    }

    fn end_paragraph(&mut self) -> Result<(), ImportError> {
        self.paragraph_depth = self.paragraph_depth.saturating_sub(1);
        if self.paragraph_depth > 0 {
            // A text box's paragraph ends a line of the paragraph holding it.
            if let Some(p) = &mut self.paragraph {
                p.text.push('\n');
            }
            return Ok(());
        }
        self.in_properties = false;
        let Some(p) = self.paragraph.take() else { return Ok(()) };
        let label =
            p.num_id.as_deref().and_then(|id| self.counters.next(self.numbering, id, p.ilvl));
        let text = p.text.trim();
        if let Some(cell) = &mut self.cell {
            if text.is_empty() {
                return Ok(());
            }
            if !cell.text.is_empty() {
                cell.text.push('\n');
            }
            match &label {
                Some(Label::Number(n)) => {
                    cell.text.push_str(n);
                    cell.text.push(' ');
                }
                Some(Label::Bullet) | None => {}
            }
            cell.text.push_str(text);
            return Ok(());
        }
        if self.table.is_some() {
            // Text of a table outside its cells: none in a well-formed document.
            return Ok(());
        }
        self.line += 1;
        if text.is_empty() {
            return Ok(());
        }
        self.count_part()?;
        let text = text.to_owned();
        self.blocks.push(Block::Paragraph(Paragraph {
            line: self.line,
            text,
            label,
            heading: p.heading,
        }));
        Ok(())
    }
}

/// A count of grid columns (`w:gridSpan`, `w:gridBefore`), at most
/// [`Limits::grid_span`]: a larger one is capped with a warning.
fn grid_count(
    e: &BytesStart<'_>,
    line: usize,
    column: Option<usize>,
    limits: &Limits,
    diagnostics: &mut Vec<Diagnostic>,
) -> usize {
    let val = attr(e, "val").unwrap_or_default();
    let n = val.trim().parse::<u64>().unwrap_or(1);
    let max = limits.grid_span;
    if n <= max {
        return as_usize(n);
    }
    let mut d = Diagnostic::warning(
        DiagnosticCode::GridSpanCapped,
        format!("a cell said it covers {val} columns; read as {max}, the grid_span limit"),
    )
    .at_row(line)
    .with_text(val);
    if let Some(column) = column {
        d = d.at_column(format!("column {column}"));
    }
    diagnostics.push(d);
    as_usize(max)
}
