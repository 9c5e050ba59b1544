//! Delimited tables: tab, comma, semicolon or pipe, detected or given; quoted multi-line cells, a
//! UTF-8 byte-order mark and Windows line ends are read as spreadsheets write them.

use crate::grid::Cells;
use crate::table::GridRow;
use crate::{Diagnostic, DiagnosticCode, ImportError, Limits};

/// The characters a delimited table may be separated by, in the order that wins a
/// tie.
pub(crate) const DELIMITERS: [u8; 4] = [b'\t', b',', b';', b'|'];

/// A `--delimiter` that cannot separate cells.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a delimiter (expected one character such as `,`, `;` or `|`, or `tab`)")]
pub struct ParseDelimiterError(pub String);

/// Reads a delimiter as `--delimiter` and the API take it: one ASCII character
/// that is not a letter, digit, quote or line break, or a name: `tab` (also `\t`),
/// `comma`, `semicolon`, `pipe`.
///
/// # Errors
/// [`ParseDelimiterError`] for anything else.
///
/// # Example
/// ```
/// assert_eq!(ragplan_import::parse_delimiter(";"), Ok(b';'));
/// assert_eq!(ragplan_import::parse_delimiter("tab"), Ok(b'\t'));
/// assert!(ragplan_import::parse_delimiter("ab").is_err());
/// ```
pub fn parse_delimiter(text: &str) -> Result<u8, ParseDelimiterError> {
    let named = match text.to_ascii_lowercase().as_str() {
        "tab" | "\\t" | "\t" => Some(b'\t'),
        "comma" => Some(b','),
        "semicolon" => Some(b';'),
        "pipe" => Some(b'|'),
        _ => None,
    };
    if let Some(d) = named {
        return Ok(d);
    }
    match text.as_bytes() {
        [b] if b.is_ascii() && !b.is_ascii_alphanumeric() && !matches!(b, b'"' | b'\n' | b'\r') => {
            Ok(*b)
        }
        _ => Err(ParseDelimiterError(text.to_owned())),
    }
}

/// How many records are sniffed for the delimiter.
const SNIFF_RECORDS: usize = 30;

/// Which character separates the cells of `text`: of tab, comma, semicolon and pipe,
/// the one that splits the most of the first records into the same number of cells
/// (two or more), so that a title line holding a comma above a semicolon table does
/// not decide; then the one giving more cells; a tab wins ties, then comma,
/// semicolon and pipe. Quoted text is not counted, and a quoted line break does not
/// end a record.
pub(crate) fn detect_delimiter(text: &str) -> u8 {
    // Per record, the count of each candidate outside quotes.
    let mut records: Vec<[usize; 4]> = Vec::new();
    let mut counts = [0usize; 4];
    let mut in_quotes = false;
    let mut blank = true;
    for b in text.bytes() {
        match b {
            b'"' => {
                in_quotes = !in_quotes;
                blank = false;
            }
            b'\n' if !in_quotes => {
                if !blank {
                    records.push(counts);
                    if records.len() == SNIFF_RECORDS {
                        break;
                    }
                }
                (counts, blank) = ([0; 4], true);
            }
            _ if in_quotes => {}
            _ => {
                if let Some(i) = DELIMITERS.iter().position(|&c| c == b) {
                    counts[i] += 1;
                }
                if !b.is_ascii_whitespace() {
                    blank = false;
                }
            }
        }
    }
    if !blank && records.len() < SNIFF_RECORDS {
        records.push(counts);
    }
    let score = |i: usize| {
        // The most common count of this delimiter, and how many records have it.
        let mut tally: Vec<(usize, usize)> = Vec::new();
        for r in records.iter().filter(|r| r[i] > 0) {
            match tally.iter_mut().find(|(n, _)| *n == r[i]) {
                Some((_, seen)) => *seen += 1,
                None => tally.push((r[i], 1)),
            }
        }
        let (n, seen) = tally.into_iter().max_by_key(|&(n, seen)| (seen, n)).unwrap_or((0, 0));
        (seen, n, DELIMITERS.len() - i)
    };
    let best = (0..DELIMITERS.len()).max_by_key(|&i| score(i)).unwrap_or(0);
    DELIMITERS[best]
}

/// Reads the rows of a delimited table.
///
/// # Errors
/// [`ImportError::Parse`] naming the row and column of a cell that cannot be read;
/// [`ImportError::Limit`] at the first record past the rows, columns or cell bytes
/// of `limits`.
pub(crate) fn read(
    text: &str,
    delimiter: u8,
    limits: &Limits,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Vec<GridRow>, ImportError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let bytes = text.as_bytes();
    // A row a line, mostly: room for them all at once rather than by doubling, which
    // copies the rows read so far each time (a row past the limit is refused).
    let lines = memchr::memchr_iter(b'\n', bytes).count() + 1;
    let mut rows =
        Vec::with_capacity(lines.min(usize::try_from(limits.rows).unwrap_or(usize::MAX)));
    let mut record = csv::StringRecord::new();
    // The line of a record's first byte, counted forward from the previous record.
    let (mut counted_to, mut line_at) = (0usize, 1usize);
    loop {
        let line = reader.position().line() as usize;
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let mut start = record.position().map_or(counted_to, |p| p.byte() as usize);
                while matches!(bytes.get(start), Some(b'\r' | b'\n')) {
                    start += 1;
                }
                let start = start.min(bytes.len()).max(counted_to);
                line_at += memchr::memchr_iter(b'\n', &bytes[counted_to..start]).count();
                // A blank line just before the record (which the reader skips) is
                // kept as an empty row: in a Word table pasted as text it is where a
                // page broke.
                let before = &bytes[counted_to..start];
                if !rows.is_empty() && (before.ends_with(b"\n\n") || before.ends_with(b"\n\r\n")) {
                    rows.push(GridRow::data(line_at - 1, Cells::new()));
                }
                counted_to = start;
                limits.check_row_count(rows.len() + 1, line_at)?;
                limits.check_cells(line_at, record.iter())?;
                let mut cells = Cells::with_capacity(record.len(), record.as_slice().len());
                // A cell ragplan exported with a `'` so that a spreadsheet would not
                // run it reads back as the text it guarded.
                for cell in &record {
                    cells.push(ragplan_core::cell_text(cell));
                }
                rows.push(GridRow::data(line_at, cells));
            }
            Err(err) => {
                let (row, column) = match err.kind() {
                    csv::ErrorKind::UnequalLengths { pos: Some(p), .. } => (p.line() as usize, 1),
                    _ => (err.position().map_or(line, |p| p.line() as usize), record.len() + 1),
                };
                return Err(ImportError::Parse { row, column, message: err.to_string() });
            }
        }
    }
    let quotes = scan_quotes(text, delimiter);
    for (named, tail) in quotes.text_after.into_iter().enumerate() {
        space_after_quote(&mut rows, &tail);
        if named < TEXT_AFTER_QUOTE_NAMED {
            diagnostics.push(
                Diagnostic::warning(
                    DiagnosticCode::TextAfterQuote,
                    "text after a closing quote was joined to the quoted text with a space: \
                     check the quotes of this cell",
                )
                .at_row(tail.line)
                .at_column(format!("column {}", tail.column))
                .with_text(tail.text),
            );
        }
    }
    if let Some((line, column)) = quotes.unclosed {
        diagnostics.push(
            Diagnostic::warning(
                DiagnosticCode::UnclosedQuote,
                "a quote opened here is never closed: the rest of the file was read as one \
                 cell",
            )
            .at_row(line)
            .at_column(format!("column {column}")),
        );
    } else if text.contains('"') && rows.iter().any(|r| r.cells.iter().any(|c| c.len() > 10_000)) {
        diagnostics.push(Diagnostic::warning(
            DiagnosticCode::LongCell,
            "a cell is longer than 10,000 characters: an unclosed quote may have joined rows",
        ));
    }
    Ok(rows)
}

/// What the quotes of a delimited text do wrong.
#[derive(Debug, Default, PartialEq)]
struct Quotes {
    /// Where a quoted cell opens that the text never closes, as (line, column), both
    /// 1-based.
    unclosed: Option<(usize, usize)>,
    /// Quoted cells with text between the closing quote and the end of the cell
    /// (`"9.30 am"TBC`), which a reader joins to the quoted text.
    text_after: Vec<TextAfterQuote>,
}

impl Quotes {
    /// Notes the quoted cell that opened at `opened` (line, column, byte) when the
    /// rest of it after its closing quote, `bytes[after..end]`, holds text.
    fn note_tail(&mut self, bytes: &[u8], opened: (usize, usize, usize), after: usize, end: usize) {
        let (line, column, open_at) = opened;
        if bytes[after..end].iter().any(|c| !c.is_ascii_whitespace()) {
            self.text_after.push(TextAfterQuote {
                line,
                column,
                text: String::from_utf8_lossy(&bytes[open_at..end]).trim().to_owned(),
            });
        }
    }
}

/// A cell with text after its closing quote: where it opens (1-based), and the cell
/// as the file has it, quotes and all.
#[derive(Debug, PartialEq)]
struct TextAfterQuote {
    line: usize,
    column: usize,
    text: String,
}

/// Puts a space between a cell's quoted text and the text after its closing quote,
/// which the reader joins with none: `"9.30 am"TBC` reads `9.30 am TBC`, not
/// `9.30 amTBC`, so that no two words become one.
fn space_after_quote(rows: &mut [GridRow], tail: &TextAfterQuote) {
    let Some((quoted, after)) = split_quoted(&tail.text) else { return };
    if quoted.ends_with(char::is_whitespace) || after.starts_with(char::is_whitespace) {
        return;
    }
    // The record the cell is in: the last that starts on or before the quote's line.
    let at = rows.partition_point(|r| r.line <= tail.line);
    let Some(row) = at.checked_sub(1).and_then(|r| rows.get_mut(r)) else { return };
    let column = tail.column - 1;
    let Some(cell) = row.cells.get(column) else { return };
    if cell.len() == quoted.len() + after.len()
        && cell.starts_with(quoted.as_str())
        && cell.ends_with(after)
    {
        let spaced = format!("{quoted} {after}");
        row.cells.set(column, &spaced);
    }
}

/// A cell as written, `"quoted ""text"""after`, split into its quoted text (escaped
/// quotes read) and what follows the closing quote.
fn split_quoted(raw: &str) -> Option<(String, &str)> {
    let inner = raw.strip_prefix('"')?;
    let mut quoted = String::with_capacity(inner.len());
    let mut chars = inner.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '"' {
            quoted.push(c);
        } else if chars.peek().is_some_and(|&(_, next)| next == '"') {
            quoted.push('"');
            chars.next();
        } else {
            return Some((quoted, &inner[i + 1..]));
        }
    }
    None
}

/// How many cells with text after their closing quote are named one by one.
const TEXT_AFTER_QUOTE_NAMED: usize = 20;

/// Reads the quotes of `text` as RFC 4180 does: a quote opens a cell only at its
/// start, `""` inside is an escaped quote, and the cell ends at the next delimiter
/// or line end after the closing quote. One pass, whatever the size, that jumps from
/// one byte that matters (a quote, a line end, a delimiter) to the next.
fn scan_quotes(text: &str, delimiter: u8) -> Quotes {
    let mut quotes = Quotes::default();
    if !text.contains('"') {
        return quotes;
    }
    let bytes = text.as_bytes();
    let (mut line, mut column) = (1usize, 1usize);
    // Where the open quoted cell starts: line, column and byte.
    let mut opened: Option<(usize, usize, usize)> = None;
    let mut at_cell_start = true;
    let mut i = 0;
    while i < bytes.len() {
        if let Some(open) = opened {
            // Inside a quoted cell only a quote or a line end matters.
            let Some(n) = memchr::memchr2(b'"', b'\n', &bytes[i..]) else { break };
            let at = i + n;
            i = at + 1;
            if bytes[at] == b'\n' {
                line += 1;
                continue;
            }
            if bytes.get(i) == Some(&b'"') {
                i += 1;
                continue;
            }
            opened = None;
            // The rest of the cell, up to the delimiter or the line end.
            let end = memchr::memchr3(delimiter, b'\n', b'\r', &bytes[i..])
                .map_or(bytes.len(), |n| i + n);
            quotes.note_tail(bytes, open, i, end);
            i = end;
            at_cell_start = false;
            continue;
        }
        let Some(n) = memchr::memchr3(b'"', b'\n', delimiter, &bytes[i..]) else { break };
        let at = i + n;
        // Any byte but a carriage return before it means the cell has begun.
        if bytes[i..at].iter().any(|&c| c != b'\r') {
            at_cell_start = false;
        }
        i = at + 1;
        match bytes[at] {
            b'"' => {
                if at_cell_start {
                    opened = Some((line, column, at));
                }
                at_cell_start = false;
            }
            b'\n' => {
                (line, column) = (line + 1, 1);
                at_cell_start = true;
            }
            _ => {
                column += 1;
                at_cell_start = true;
            }
        }
    }
    quotes.unclosed = opened.map(|(line, column, _)| (line, column));
    quotes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiters_are_detected() {
        assert_eq!(detect_delimiter("a\tb\tc\n1\t2\t3"), b'\t');
        assert_eq!(detect_delimiter("a,b,c\n1,2,3"), b',');
        assert_eq!(detect_delimiter("a;b;c\n\"1,5\";2;3"), b';');
        assert_eq!(detect_delimiter("Actions\tNotes\nA, B and C\tx"), b'\t');
        assert_eq!(detect_delimiter("a|b|c\n1|2|3"), b'|');
        // A title line with a comma above a semicolon table.
        assert_eq!(detect_delimiter("Delivery plan, 2015\na;b;c\n1;2;3\n4;5;6\n"), b';');
        // A quoted line break does not end the record.
        assert_eq!(detect_delimiter("a;b\n\"x,\ny,\";z\n1;2\n"), b';');
    }

    #[test]
    fn an_unclosed_quote_is_found_where_it_opens() {
        assert_eq!(scan_quotes("a,b\n1,\"x\ny\n", b',').unclosed, Some((2, 2)));
        assert_eq!(scan_quotes("a,b\n1,\"x\"\"\ny\"\n", b',').unclosed, None);
        assert_eq!(scan_quotes("a,b\n5\" screen,x\n", b',').unclosed, None);
    }

    #[test]
    fn text_after_a_closing_quote_is_found_in_its_cell() {
        let quotes = scan_quotes("a,b\n\"one\ntwo\"TBC x,y\n\"ok\" ,z\n", b',');
        assert_eq!(quotes.unclosed, None);
        assert_eq!(
            quotes.text_after,
            [TextAfterQuote { line: 2, column: 1, text: "\"one\ntwo\"TBC x".to_owned() }]
        );
        // The quote after the tail opens nothing: it is not at a cell's start.
        let quotes = scan_quotes("\"a\"b\"c,d\n", b',');
        assert_eq!(quotes.text_after.len(), 1);
        assert_eq!(quotes.unclosed, None);
    }

    /// The quote rules read one byte at a time: the model the jumping scan must
    /// agree with.
    fn scan_quotes_bytewise(text: &str, delimiter: u8) -> Quotes {
        let mut quotes = Quotes::default();
        let bytes = text.as_bytes();
        let (mut line, mut column) = (1usize, 1usize);
        let mut opened: Option<(usize, usize, usize)> = None;
        let mut at_cell_start = true;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            i += 1;
            if let Some(open) = opened {
                if b == b'"' {
                    if bytes.get(i) == Some(&b'"') {
                        i += 1;
                        continue;
                    }
                    opened = None;
                    let end = bytes[i..]
                        .iter()
                        .position(|&c| c == delimiter || c == b'\n' || c == b'\r')
                        .map_or(bytes.len(), |n| i + n);
                    quotes.note_tail(bytes, open, i, end);
                    i = end;
                    at_cell_start = false;
                } else if b == b'\n' {
                    line += 1;
                }
                continue;
            }
            match b {
                b'"' if at_cell_start => opened = Some((line, column, i - 1)),
                b'\n' => {
                    (line, column) = (line + 1, 1);
                    at_cell_start = true;
                    continue;
                }
                b'\r' => continue,
                d if d == delimiter => {
                    column += 1;
                    at_cell_start = true;
                    continue;
                }
                _ => {}
            }
            at_cell_start = false;
        }
        quotes.unclosed = opened.map(|(line, column, _)| (line, column));
        quotes
    }

    proptest::proptest! {
        #[test]
        fn the_quote_scan_agrees_with_reading_byte_by_byte(
            text in "[a ,;\"\n\r]{0,40}",
            comma in proptest::bool::ANY,
        ) {
            let delimiter = if comma { b',' } else { b';' };
            proptest::prop_assert_eq!(
                scan_quotes(&text, delimiter),
                scan_quotes_bytewise(&text, delimiter)
            );
        }
    }

    #[test]
    fn quoted_multi_line_cells_keep_their_row() {
        let mut d = Vec::new();
        let rows = read("a;b\r\n\"one\r\ntwo\";x\r\ny;z\r\n", b';', &Limits::default(), &mut d)
            .unwrap_or_default();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[1].cells, ["one\r\ntwo", "x"]);
        let lines: Vec<usize> = rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [1, 2, 4]);
        // A blank line is kept as a row with no cells, where a page broke.
        let rows = read("a\tb\n\nc\td\n", b'\t', &Limits::default(), &mut d).unwrap_or_default();
        let lines: Vec<usize> = rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [1, 2, 3]);
        assert!(rows[1].cells.is_empty());
        let rows =
            read("a\tb\r\n\r\nc\td\r\n", b'\t', &Limits::default(), &mut d).unwrap_or_default();
        assert_eq!(rows.iter().map(|r| r.cells.len()).collect::<Vec<_>>(), [2, 0, 2]);
    }
}
