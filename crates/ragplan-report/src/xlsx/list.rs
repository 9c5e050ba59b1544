//! The rows of the list sheets (Actions, Exceptions, Movement, By owner, By partner,
//! Trend), written as SpreadsheetML by the report itself rather than held cell by
//! cell in rust_xlsxwriter's worksheet, which keeps every cell of a sheet in memory
//! with its format looked up by hash before it writes any: a workbook of 100,000
//! actions has two million cells.
//!
//! rust_xlsxwriter still lays out each such sheet — its name, header row, frozen
//! pane, table, fitted column widths and print setup — with one probe row for each
//! cell [`Style`] below the header: a blank cell in column A, from which the number
//! the workbook gave the style's format is read back. When the workbook is packed
//! ([`pack`]), the sheet's XML keeps everything but the probe rows, in whose place
//! the list's rows are written, each string inline (`t="inlineStr"`, as
//! rust_xlsxwriter's own constant-memory mode writes them), deflated as they are
//! written. Every other part is copied as rust_xlsxwriter packed it.

use std::borrow::Cow;
use std::io::{Cursor, Read as _, Seek, Write};

use ragplan_core::Rating;
use rust_xlsxwriter::utility::{cell_range, column_number_to_name};
use zip::write::SimpleFileOptions;
use zip::{ZipArchive, ZipWriter};

use crate::stopping::Stopping;

/// How a cell of a list looks: one of the workbook's cell formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Style {
    /// Text, wrapped, at the top of its cell.
    Text,
    /// A due date or quarter end.
    Date,
    /// A count.
    Count,
    /// A rating's word, filled with its colour.
    Rating(Rating),
}

impl Style {
    /// Every style, in the order of the probe rows.
    pub(super) fn all() -> impl Iterator<Item = Style> {
        [Style::Text, Style::Date, Style::Count].into_iter().chain(Rating::ALL.map(Style::Rating))
    }

    fn index(self) -> usize {
        match self {
            Style::Text => 0,
            Style::Date => 1,
            Style::Count => 2,
            Style::Rating(r) => 3 + Rating::ALL.iter().position(|x| *x == r).unwrap_or(0),
        }
    }
}

/// The number of styles (the probe rows).
const N_STYLES: usize = 3 + Rating::ALL.len();

/// One cell of a list's row.
pub(super) enum Cell<'a> {
    /// Text in a style (a blank cell of that style when empty).
    Text(Cow<'a, str>, Style),
    /// A count.
    Number(f64),
    /// A date, as Excel's serial day number.
    Date(f64),
}

impl<'a> Cell<'a> {
    /// Text, cut to what a cell holds ([`super::cell_text`]).
    pub(super) fn text(text: impl Into<Cow<'a, str>>) -> Cell<'a> {
        Cell::styled(text, Style::Text)
    }

    /// Text in `style`, cut to what a cell holds.
    pub(super) fn styled(text: impl Into<Cow<'a, str>>, style: Style) -> Cell<'a> {
        Cell::Text(super::cell_text(text.into()), style)
    }

    /// The width rust_xlsxwriter's `autofit` gives the cell, in pixels.
    fn fitted_width(&self) -> u32 {
        let pixels = match self {
            Cell::Text(text, _) => text_pixels(text),
            Cell::Number(n) => 7 * n.to_string().len() as u32,
            Cell::Date(_) => 68,
        };
        if pixels > 0 { pixels + 7 } else { 0 }
    }
}

/// The widest line of `text` in pixels, by Excel's character widths.
fn text_pixels(text: &str) -> u32 {
    // `cell_autofit_width` is the text's pixel width and a 7-pixel padding.
    text.lines()
        .map(|line| rust_xlsxwriter::utility::cell_autofit_width(line) - 7)
        .max()
        .unwrap_or(0)
}

/// Calls its argument once for each row of a list, in order.
pub(super) type Rows<'r> = Box<dyn Fn(&mut dyn FnMut(&[Cell<'_>])) + 'r>;

/// A list sheet: an Excel Table below a header row.
pub(super) struct List<'r> {
    /// The sheet's name.
    pub sheet: &'static str,
    /// Its table's name.
    pub table: &'static str,
    /// The column headers.
    pub headers: Vec<String>,
    /// What the sheet says below its header when the list has no row.
    pub empty: Option<&'static str>,
    /// How many rows [`List::rows`] gives.
    pub len: usize,
    /// The rows.
    pub rows: Rows<'r>,
}

/// The most rows a sheet holds below its header (Excel's 1,048,576 rows, the header
/// one of them).
pub(super) const MAX_LIST_ROWS: u32 = 1_048_575;

/// A list's rows counted and its columns fitted, before its sheet is laid out.
pub(super) struct Measured {
    /// How many rows the sheet has below its header: the list's rows, or, for a list
    /// longer than a sheet holds ([`MAX_LIST_ROWS`]), as many as fit with a last row,
    /// below the list's table, saying how many more there are.
    pub rows: u32,
    /// How many of the list's rows that last row stands for (0: none left out).
    pub left_out: u64,
    /// Each column's fitted width in pixels (0: nothing to fit).
    pub widths: Vec<u32>,
    /// At least as many bytes as the rows' XML takes.
    pub xml_bytes: u64,
}

/// At least as many bytes as `cells`' XML takes as [`LaidOut::write_row`] writes it:
/// an escaped character takes at most seven bytes for one (`_x001F_`), a cell's
/// markup and a row's under a hundred.
fn xml_bound(cells: &[Cell<'_>]) -> u64 {
    let text = |c: &Cell<'_>| match c {
        Cell::Text(text, _) => text.len() as u64 * 7,
        Cell::Number(_) | Cell::Date(_) => 32,
    };
    100 + cells.iter().map(|c| 100 + text(c)).sum::<u64>()
}

/// The row after a list cut at [`MAX_LIST_ROWS`], below its table.
fn left_out_row(left_out: u64) -> Cell<'static> {
    Cell::text(format!(
        "… and {left_out} more rows, which do not fit in a sheet (Excel holds 1,048,576 \
         rows); the report's JSON format lists them all"
    ))
}

impl List<'_> {
    /// The index of the last column.
    fn last_column(&self) -> u16 {
        u16::try_from(self.headers.len().saturating_sub(1)).unwrap_or(u16::MAX)
    }

    /// How many of the list's rows a sheet of at most `max_rows` rows below its header
    /// leaves out: none, or all but the first `max_rows - 1`, after which the sheet's
    /// last row says how many.
    pub(super) fn left_out(&self, max_rows: u32) -> u64 {
        let (len, max) = (self.len as u64, u64::from(max_rows));
        if len <= max { 0 } else { len - (max - 1) }
    }

    /// Fits the columns to the rows a sheet holds as rust_xlsxwriter's `autofit` would: the
    /// widest cell of each column, a header with 16 pixels more for its filter
    /// button, none past `max_width`. A sheet is to hold at most `max_rows` rows
    /// below its header ([`MAX_LIST_ROWS`]).
    pub(super) fn measure(&self, max_width: u32, max_rows: u32) -> Measured {
        let mut widths: Vec<u32> = self
            .headers
            .iter()
            .map(|h| match text_pixels(h) {
                0 => 0,
                pixels => (pixels + 16 + 7).min(max_width),
            })
            .collect();
        let mut fit = |cells: &[Cell<'_>]| {
            for (width, cell) in widths.iter_mut().zip(cells) {
                *width = (*width).max(cell.fitted_width().min(max_width));
            }
        };
        let left_out = self.left_out(max_rows);
        let kept = self.len as u64 - left_out;
        let (mut n, mut xml_bytes) = (0u64, 0u64);
        (self.rows)(&mut |cells| {
            n += 1;
            if n <= kept {
                fit(cells);
                xml_bytes += xml_bound(cells);
            }
        });
        debug_assert_eq!(n, self.len as u64, "the rows of {}", self.sheet);
        let mut rows = kept as u32;
        if left_out > 0 {
            let last = [left_out_row(left_out)];
            fit(&last);
            xml_bytes += xml_bound(&last);
            rows += 1;
        }
        Measured { rows, left_out, widths, xml_bytes }
    }
}

/// A list sheet to be written when the workbook is packed: its part's name and its
/// list.
pub(super) struct Pending<'l, 'r> {
    /// `xl/worksheets/sheetN.xml`.
    pub part: String,
    /// The list.
    pub list: &'l List<'r>,
    /// How many rows its sheet has, and how many the last stands for
    /// ([`Measured`]).
    pub rows: u32,
    pub left_out: u64,
    /// Whether its XML may pass 4 GiB, when the zip needs its large-file records.
    pub large: bool,
}

impl Pending<'_, '_> {
    /// Made from what [`List::measure`] measured.
    pub(super) fn new<'l, 'r>(part: String, list: &'l List<'r>, m: &Measured) -> Pending<'l, 'r> {
        let large = m.xml_bytes >= u64::from(u32::MAX) - (1 << 20);
        Pending { part, list, rows: m.rows, left_out: m.left_out, large }
    }

    /// How many rows its table covers below the header: all the sheet's rows but the
    /// one saying how many were left out, which is below the table.
    fn table_rows(&self) -> u32 {
        self.rows - u32::from(self.left_out > 0)
    }
}

/// Repacks `book` (rust_xlsxwriter's workbook), writing each pending list's rows
/// in place of its sheet's probe rows, and setting its table's range (laid out over
/// the header and one row) to the rows.
///
/// # Errors
/// A message naming the part, when the workbook cannot be read or written, or a
/// list's sheet or table is not laid out as [`LaidOut`] and [`table_of`] read it.
pub(super) fn pack<W: Write + Seek>(
    book: &[u8],
    pending: &[Pending<'_, '_>],
    out: W,
) -> Result<W, String> {
    let err = |e: zip::result::ZipError| e.to_string();
    let mut archive = ZipArchive::new(Cursor::new(book)).map_err(err)?;
    let mut zip = ZipWriter::new(Stopping::new(out).map_err(|e| e.to_string())?);
    let deflated = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1));
    let mut tables_set = 0;
    for i in 0..archive.len() {
        let name = archive.by_index_raw(i).map_err(err)?.name().map_err(err)?.into_owned();
        let is_table = name.starts_with("xl/tables/");
        let list = pending.iter().find(|p| p.part == name);
        if list.is_none() && !is_table {
            zip.raw_copy_file(archive.by_index_raw(i).map_err(err)?).map_err(err)?;
            continue;
        }
        let mut xml = String::new();
        archive
            .by_index(i)
            .map_err(err)?
            .read_to_string(&mut xml)
            .map_err(|e| format!("{name}: {e}"))?;
        let Some(list) = list else {
            // A table laid out over its header and one row covers its list's rows.
            if let Some(p) = pending.iter().find(|p| table_of(&xml) == Some(p.list.table)) {
                let last = p.list.last_column();
                let laid_out = format!("ref=\"{}\"", cell_range(0, 0, 1, last));
                if !xml.contains(&laid_out) {
                    return Err(format!("{name}: the table {} is not {laid_out}", p.list.table));
                }
                let rows = format!("ref=\"{}\"", cell_range(0, 0, p.table_rows(), last));
                xml = xml.replace(&laid_out, &rows);
                tables_set += 1;
            }
            zip.start_file(name.as_str(), deflated).map_err(err)?;
            zip.write_all(xml.as_bytes()).map_err(|e| format!("{name}: {e}"))?;
            continue;
        };
        let laid_out = LaidOut::parse(&xml).ok_or_else(|| format!("{name}: no probe rows"))?;
        zip.start_file(name.as_str(), deflated.large_file(list.large)).map_err(err)?;
        laid_out.write(list, &mut zip).map_err(|e| format!("{name}: {e}"))?;
    }
    if tables_set != pending.len() {
        return Err(format!("{} of {} list tables found", tables_set, pending.len()));
    }
    zip.finish().map_err(err)?.into_inner().map_err(|e| e.to_string())
}

/// The name of the table a table part defines: its root's `name`.
fn table_of(xml: &str) -> Option<&str> {
    let root = &xml[xml.find("<table ")?..];
    let root = &root[..root.find('>')?];
    let name = &root[root.find(" name=\"")? + 7..];
    name.get(..name.find('"')?)
}

/// A list sheet's XML as rust_xlsxwriter laid it out, around its probe rows.
struct LaidOut<'x> {
    /// Up to the dimension's range.
    before_range: &'x str,
    /// From the end of the range through the header row.
    to_header: &'x str,
    /// From `</sheetData>` on.
    after_rows: &'x str,
    /// The style number of each [`Style`], in [`Style::all`]'s order, as its probe
    /// cell writes it.
    styles: [&'x str; N_STYLES],
}

impl<'x> LaidOut<'x> {
    fn parse(xml: &'x str) -> Option<LaidOut<'x>> {
        const RANGE: &str = "<dimension ref=\"";
        let range_at = xml.find(RANGE)? + RANGE.len();
        let range_end = range_at + xml[range_at..].find('"')?;
        let data_at = xml.find("<sheetData>")?;
        let header_end = data_at + xml[data_at..].find("</row>")? + "</row>".len();
        let data_end = header_end + xml[header_end..].find("</sheetData>")?;
        let mut styles = [""; N_STYLES];
        let mut probes = xml[header_end..data_end].split("<c ").skip(1);
        for style in &mut styles {
            let cell = probes.next()?;
            // Every style's format is one of its own: rust_xlsxwriter writes no
            // blank cell of the default format, which would leave the probes short.
            let digits = &cell[cell.find(" s=\"")? + 4..];
            let digits = &digits[..digits.find('"')?];
            digits.parse::<u32>().ok()?;
            *style = digits;
        }
        (probes.next().is_none() && range_end < data_at).then_some(LaidOut {
            before_range: &xml[..range_at],
            to_header: &xml[range_end..header_end],
            after_rows: &xml[data_end..],
            styles,
        })
    }

    /// Writes the sheet with `pending`'s rows below its header.
    fn write(&self, pending: &Pending<'_, '_>, out: &mut impl Write) -> std::io::Result<()> {
        let (list, rows) = (pending.list, pending.rows);
        let n_cols = list.headers.len();
        out.write_all(self.before_range.as_bytes())?;
        out.write_all(cell_range(0, 0, rows, list.last_column()).as_bytes())?;
        out.write_all(self.to_header.as_bytes())?;
        let names: Vec<String> = (0..n_cols as u16).map(column_number_to_name).collect();
        // The list's own rows in the sheet: all of them, or all but the last row.
        let kept = u64::from(rows) - u64::from(pending.left_out > 0);
        let mut buf = Vec::with_capacity(1 << 17);
        let mut failed = None;
        let mut row = 1u64;
        (list.rows)(&mut |cells| {
            if failed.is_some() || row > kept {
                return;
            }
            row += 1;
            self.write_row(&mut buf, row, &names, cells);
            if buf.len() >= 1 << 16 {
                if let Err(e) = out.write_all(&buf) {
                    failed = Some(e);
                }
                buf.clear();
            }
        });
        if let Some(e) = failed {
            return Err(e);
        }
        if pending.left_out > 0 {
            let mut cells = vec![left_out_row(pending.left_out)];
            cells.resize_with(n_cols, || Cell::text(""));
            self.write_row(&mut buf, row + 1, &names, &cells);
        }
        out.write_all(&buf)?;
        out.write_all(self.after_rows.as_bytes())
    }

    fn write_row(&self, buf: &mut Vec<u8>, row: u64, names: &[String], cells: &[Cell<'_>]) {
        // The row's number written once, and each style's number as the probe row
        // holds it, rather than each by `write!` at every cell: a list sheet of a
        // million rows has fifteen million cells.
        let mut digits = [0; 20];
        let row_digits = decimal(row, &mut digits);
        let style = |s: Style| self.styles[s.index()].as_bytes();
        let _ = write!(buf, "<row r=\"{row}\" spans=\"1:{}\">", names.len());
        for (name, cell) in names.iter().zip(cells) {
            buf.extend_from_slice(b"<c r=\"");
            buf.extend_from_slice(name.as_bytes());
            buf.extend_from_slice(row_digits);
            buf.extend_from_slice(b"\" s=\"");
            match cell {
                Cell::Text(text, s) if text.is_empty() => {
                    buf.extend_from_slice(style(*s));
                    buf.extend_from_slice(b"\"/>");
                }
                Cell::Text(text, s) => {
                    buf.extend_from_slice(style(*s));
                    buf.extend_from_slice(b"\" t=\"inlineStr\"><is><t");
                    let space = [' ', '\t', '\n'];
                    if text.starts_with(space) || text.ends_with(space) {
                        buf.extend_from_slice(b" xml:space=\"preserve\"");
                    }
                    buf.push(b'>');
                    escape(text, buf);
                    buf.extend_from_slice(b"</t></is></c>");
                }
                Cell::Number(n) => {
                    buf.extend_from_slice(style(Style::Count));
                    // Writing into a vector cannot fail.
                    let _ = write!(buf, "\"><v>{n}</v></c>");
                }
                Cell::Date(d) => {
                    buf.extend_from_slice(style(Style::Date));
                    let _ = write!(buf, "\"><v>{d}</v></c>");
                }
            }
        }
        buf.extend_from_slice(b"</row>");
    }
}

/// `n` in decimal digits, written at the end of `digits`.
fn decimal(mut n: u64, digits: &mut [u8; 20]) -> &[u8] {
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return &digits[at..];
        }
    }
}

/// Appends `text` as the content of a `<t>` element, escaped as rust_xlsxwriter
/// escapes a shared string: `&`, `<` and `>` as entities; control characters but tab
/// and line feed, and the non-characters U+FFFE and U+FFFF, as Excel's `_xHHHH_`;
/// and so a literal `_xHHHH_` in the text as `_x005F_xHHHH_`.
fn escape(text: &str, out: &mut Vec<u8>) {
    let bytes = text.as_bytes();
    // Most text has nothing to escape: no markup, control or underscore byte, and
    // no 0xEF, the first byte of U+FFFE and U+FFFF.
    let plain = |b: &u8| {
        !matches!(b, b'&' | b'<' | b'>' | b'_' | 0xEF) && (*b >= 0x20 || matches!(b, b'\t' | b'\n'))
    };
    if bytes.iter().all(plain) {
        out.extend_from_slice(bytes);
        return;
    }
    let mut start = 0;
    for (i, c) in text.char_indices() {
        let escaped: Option<Cow<'static, str>> = match c {
            '&' => Some("&amp;".into()),
            '<' => Some("&lt;".into()),
            '>' => Some("&gt;".into()),
            '\t' | '\n' => None,
            '\0'..='\x1f' | '\u{fffe}' | '\u{ffff}' => Some(format!("_x{:04X}_", c as u32).into()),
            '_' if is_escape_like(&text[i..]) => Some("_x005F_".into()),
            _ => None,
        };
        if let Some(escaped) = escaped {
            out.extend_from_slice(&bytes[start..i]);
            out.extend_from_slice(escaped.as_bytes());
            start = i + c.len_utf8();
        }
    }
    out.extend_from_slice(&bytes[start..]);
}

/// Whether `text` starts with `_xHHHH_`, four hex digits.
fn is_escape_like(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() >= 7 && b[1] == b'x' && b[6] == b'_' && b[2..6].iter().all(u8::is_ascii_hexdigit)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A list longer than a sheet holds (the exceptions of a plan of a million
    /// actions) failed the whole workbook: the writer refused the row past Excel's
    /// last. The sheet now holds as many rows as fit, the last of them saying how many
    /// more there are.
    #[test]
    fn a_list_longer_than_a_sheet_failed_the_whole_workbook() {
        let list = List {
            sheet: "Exceptions",
            table: "Exceptions",
            headers: vec!["Key".to_owned(), "Why".to_owned()],
            empty: None,
            len: 10,
            rows: Box::new(|out| {
                for i in 0..10 {
                    out(&[Cell::text(format!("k{i}")), Cell::Number(f64::from(i))]);
                }
            }),
        };
        let measured = list.measure(210, 4);
        assert_eq!((measured.rows, measured.left_out), (4, 7));
        let xml = concat!(
            r#"<worksheet><dimension ref="A1:B11"/><sheetData><row r="1"><c r="A1"/></row>"#,
            r#"<row r="2"><c r="A2" s="2"/></row><row r="3"><c r="A3" s="12"/></row>"#,
            r#"<row r="4"><c r="A4" s="13"/></row><row r="5"><c r="A5" s="4"/></row>"#,
            r#"<row r="6"><c r="A6" s="5"/></row><row r="7"><c r="A7" s="6"/></row>"#,
            r#"<row r="8"><c r="A8" s="7"/></row><row r="9"><c r="A9" s="8"/></row>"#,
            r#"<row r="10"><c r="A10" s="9"/></row><row r="11"><c r="A11" s="10"/></row>"#,
            r#"</sheetData></worksheet>"#
        );
        let laid_out = LaidOut::parse(xml).unwrap();
        assert_eq!(laid_out.styles, ["2", "12", "13", "4", "5", "6", "7", "8", "9", "10"]);
        let pending = Pending::new(String::new(), &list, &measured);
        assert_eq!(pending.table_rows(), 3);
        assert!(!pending.large);
        let mut out = Vec::new();
        laid_out.write(&pending, &mut out).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(out.starts_with(r#"<worksheet><dimension ref="A1:B5"/>"#), "{out}");
        assert_eq!(
            table_of(
                r#"<table xmlns="x" id="2" name="Exceptions" displayName="Exceptions" ref="A1:B2"><tableColumns count="1"><tableColumn id="1" name="Actions"/>"#
            ),
            Some("Exceptions")
        );
        assert!(out.contains(r#"<c r="A4" s="2" t="inlineStr"><is><t>k2</t></is></c><c r="B4" s="13"><v>2</v></c></row>"#), "{out}");
        assert!(
            out.contains(
                r#"<row r="5" spans="1:2"><c r="A5" s="2" t="inlineStr"><is><t>… and 7 more rows"#
            ),
            "{out}"
        );
        assert!(out.ends_with(r#"<c r="B5" s="2"/></row></sheetData></worksheet>"#), "{out}");
        assert!(!out.contains("k3"), "{out}");
    }

    #[test]
    fn text_is_escaped_as_a_shared_string_is() {
        let mut out = Vec::new();
        escape("a & b <c> \u{1} _x0041_ _x12_ \t\n\r \u{fffe}", &mut out);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "a &amp; b &lt;c&gt; _x0001_ _x005F_x0041_ _x12_ \t\n_x000D_ _xFFFE_"
        );
        // Each byte that may need escaping, alone in plain text, is escaped as above.
        for (one, want) in [
            ("&", "&amp;"),
            ("_x0041_", "_x005F_x0041_"),
            ("\r", "_x000D_"),
            ("\u{ffff}", "_xFFFF_"),
            ("\u{feff}", "\u{feff}"),
            ("plain text, \t\n and all", "plain text, \t\n and all"),
        ] {
            let mut out = b"x".to_vec();
            escape(&format!("Lead {one} officer"), &mut out);
            assert_eq!(String::from_utf8(out).unwrap(), format!("xLead {want} officer"));
        }
    }

    #[test]
    fn numbers_are_written_in_decimal() {
        let mut digits = [0; 20];
        for n in [0, 7, 10, 1_048_576, u64::MAX] {
            assert_eq!(decimal(n, &mut digits), n.to_string().as_bytes());
        }
    }
}
