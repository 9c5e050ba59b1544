//! The pieces of the Word document: text that Word can read, paragraphs (through
//! docx-rs), and tables, rating cells and the charts drawn as shaded tables, which
//! are written here as WordprocessingML directly.
//!
//! Why tables are not docx-rs's: a plan of 10,000 actions has about 200,000 table
//! cells, and docx-rs took 1.5 s to build and write them (its builder moves each
//! paragraph, 2.4 KB, by value at every step, and its XML writer does the same with
//! itself at every element), against a target of 1 s for the whole report. Written
//! here, in schema order, the same tables take a tenth of that. Each run of tables
//! (and of paragraphs made as XML) stands in the docx-rs document as a marker
//! paragraph ([`table_marker`]) that the writer replaces with the run's XML.

use std::fmt::Write as _;

use docx_rs::{Paragraph, Run};
use ragplan_core::Rating;

use crate::chip::{Chip, palette};
use crate::content::Counts;

/// Text size in tables, in half-points (9 pt).
pub(super) const TABLE_SIZE: usize = 18;

/// The paragraph style of text in a table: [`TABLE_SIZE`], no space before or after.
pub(super) const TABLE_STYLE: &str = "TableText";

/// The grey behind a header row.
const HEADER_FILL: &str = "F2F2F2";

/// The colour of table rules.
const RULE: &str = "A6A6A6";

/// The style id of the marker paragraph that stands for run `n` of tables until the
/// writer puts the run in its place. A style id is written only by the writer, so no
/// text of a plan can make one.
pub(super) const TABLE_MARKER: &str = "RagplanTable";

/// The marker paragraph of run `n`.
pub(super) fn table_marker(n: usize) -> Paragraph {
    Paragraph::new().style(&format!("{TABLE_MARKER}{n}"))
}

/// Whether XML 1.0 can hold `c`: not the control characters other than tab, line
/// feed and carriage return, nor U+FFFE/U+FFFF, which would make the document
/// unreadable to Word.
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{fffe}' && c != '\u{ffff}')
}

/// `text` without the characters XML 1.0 cannot hold ([`xml_char`]).
pub(super) fn xml_text(text: &str) -> String {
    text.chars().filter(|&c| xml_char(c)).collect()
}

/// The runs of `text`, one a line, with a line break between them (docx-rs drops a
/// line feed inside a run).
pub(super) fn text_runs(paragraph: Paragraph, text: &str, style: impl Fn(Run) -> Run) -> Paragraph {
    let text = xml_text(text);
    let mut paragraph = paragraph;
    for (i, line) in text.split('\n').enumerate() {
        let mut run = Run::new();
        if i > 0 {
            run = run.add_break(docx_rs::BreakType::TextWrapping);
        }
        paragraph = paragraph.add_run(style(run.add_text(line.trim_end_matches('\r'))));
    }
    paragraph
}

/// A paragraph of body text.
pub(super) fn para(text: &str) -> Paragraph {
    text_runs(Paragraph::new(), text, |r| r)
}

/// A paragraph in the named style (`Heading1`, `Title` …).
pub(super) fn styled(style: &str, text: &str) -> Paragraph {
    text_runs(Paragraph::new().style(style), text, |r| r)
}

/// The shading of a rating: its light fill ([`palette`]), as a Word colour.
pub(super) fn fill_of(rating: Rating) -> String {
    palette(rating).fill.trim_start_matches('#').to_ascii_uppercase()
}

/// `text` as the text of a `<w:t>`: what XML cannot hold left out, markup escaped.
fn push_escaped(xml: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => xml.push_str("&amp;"),
            '<' => xml.push_str("&lt;"),
            '>' => xml.push_str("&gt;"),
            '\r' => {}
            c if xml_char(c) => xml.push(c),
            _ => {}
        }
    }
}

/// How a cell's text is drawn.
#[derive(Debug, Clone, Copy, Default)]
struct Look<'a> {
    bold: bool,
    right: bool,
    centre: bool,
    colour: Option<&'a str>,
    fill: Option<&'a str>,
    /// The colour of a border all round the cell (a chart segment).
    border: Option<&'a str>,
    span: usize,
}

/// A table being written: fixed column widths (twips) and rows of cells in column
/// order.
pub(super) struct TableXml {
    xml: String,
    widths: Vec<usize>,
    col: usize,
}

impl TableXml {
    /// A table of fixed column `widths` (twips, as [`scaled`] gives them), with thin
    /// grey rules when `ruled`; the space around each cell's text `margin` twips at
    /// the sides (Word's default 108 when `None`).
    fn open(widths: &[usize], ruled: bool, margin: Option<usize>) -> TableXml {
        let mut xml = String::with_capacity(1024);
        let total: usize = widths.iter().sum();
        let _ = write!(xml, r#"<w:tbl><w:tblPr><w:tblW w:w="{total}" w:type="dxa"/>"#);
        if ruled {
            xml.push_str("<w:tblBorders>");
            for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
                let _ = write!(
                    xml,
                    r#"<w:{side} w:val="single" w:sz="4" w:space="0" w:color="{RULE}"/>"#
                );
            }
            xml.push_str("</w:tblBorders>");
        }
        xml.push_str(r#"<w:tblLayout w:type="fixed"/>"#);
        if let Some(m) = margin {
            let _ = write!(
                xml,
                r#"<w:tblCellMar><w:top w:w="20" w:type="dxa"/><w:left w:w="{m}" w:type="dxa"/><w:bottom w:w="20" w:type="dxa"/><w:right w:w="{m}" w:type="dxa"/></w:tblCellMar>"#
            );
        }
        xml.push_str("</w:tblPr><w:tblGrid>");
        for w in widths {
            let _ = write!(xml, r#"<w:gridCol w:w="{w}"/>"#);
        }
        xml.push_str("</w:tblGrid>");
        TableXml { xml, widths: widths.to_vec(), col: 0 }
    }

    /// Opens a row that is never split across pages; a header row repeats at the top
    /// of every page; `min_height` in twips.
    fn row(&mut self, header: bool, min_height: Option<usize>) {
        self.xml.push_str("<w:tr><w:trPr><w:cantSplit/>");
        if let Some(h) = min_height {
            let _ = write!(self.xml, r#"<w:trHeight w:val="{h}" w:hRule="atLeast"/>"#);
        }
        if header {
            self.xml.push_str("<w:tblHeader/>");
        }
        self.xml.push_str("</w:trPr>");
        self.col = 0;
    }

    fn end_row(&mut self) {
        self.xml.push_str("</w:tr>");
    }

    /// A cell holding `text` (lines split at line feeds) drawn as `look`.
    fn cell(&mut self, text: &str, look: Look<'_>) {
        let span = look.span.max(1);
        let end = (self.col + span).min(self.widths.len());
        let width: usize = self.widths[self.col.min(end)..end].iter().sum();
        self.col = end;
        let xml = &mut self.xml;
        let _ = write!(xml, r#"<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>"#);
        if span > 1 {
            let _ = write!(xml, r#"<w:gridSpan w:val="{span}"/>"#);
        }
        if let Some(colour) = look.border {
            xml.push_str("<w:tcBorders>");
            for side in ["top", "left", "bottom", "right"] {
                let _ = write!(
                    xml,
                    r#"<w:{side} w:val="single" w:sz="4" w:space="0" w:color="{colour}"/>"#
                );
            }
            xml.push_str("</w:tcBorders>");
        }
        if let Some(fill) = look.fill {
            let _ = write!(xml, r#"<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>"#);
        }
        if look.centre {
            xml.push_str(r#"<w:vAlign w:val="center"/>"#);
        }
        let _ = write!(xml, r#"</w:tcPr><w:p><w:pPr><w:pStyle w:val="{TABLE_STYLE}"/>"#);
        if look.right {
            xml.push_str(r#"<w:jc w:val="right"/>"#);
        } else if look.centre {
            xml.push_str(r#"<w:jc w:val="center"/>"#);
        }
        xml.push_str("</w:pPr>");
        let mut props = String::new();
        if look.bold {
            props.push_str("<w:b/>");
        }
        if let Some(colour) = look.colour {
            let _ = write!(props, r#"<w:color w:val="{colour}"/>"#);
        }
        if !text.is_empty() {
            for (i, line) in text.split('\n').enumerate() {
                xml.push_str("<w:r>");
                if !props.is_empty() {
                    let _ = write!(xml, "<w:rPr>{props}</w:rPr>");
                }
                if i > 0 {
                    xml.push_str("<w:br/>");
                }
                xml.push_str(r#"<w:t xml:space="preserve">"#);
                push_escaped(xml, line);
                xml.push_str("</w:t></w:r>");
            }
        }
        xml.push_str("</w:p></w:tc>");
    }

    fn finish(mut self) -> String {
        self.xml.push_str("</w:tbl>");
        self.xml
    }
}

/// A cell of a table row: what it holds and how it is drawn.
pub(super) enum Cell<'a> {
    /// Text.
    Text(&'a str),
    /// Text owned by the cell.
    Owned(String),
    /// Bold text (a sub-objective's row).
    Bold(&'a str),
    /// A number, right-aligned.
    Number(u32),
    /// A rating: the chip's shape and word on the rating's fill. The word carries
    /// the rating; the fill only adds to it.
    Chip(Chip),
    /// A rating that may be absent (a new or removed node): the chip, or a dash.
    MaybeChip(Option<Chip>),
}

impl TableXml {
    fn put(&mut self, cell: &Cell<'_>) {
        match cell {
            Cell::Text(text) => self.cell(text, Look::default()),
            Cell::Owned(text) => self.cell(text, Look::default()),
            Cell::Bold(text) => self.cell(text, Look { bold: true, ..Look::default() }),
            Cell::Number(n) => self.cell(&n.to_string(), Look { right: true, ..Look::default() }),
            Cell::Chip(chip) => self.chip(*chip),
            Cell::MaybeChip(Some(chip)) => self.chip(*chip),
            Cell::MaybeChip(None) => self.cell("—", Look::default()),
        }
    }

    fn chip(&mut self, chip: Chip) {
        let colours = palette(chip.rating);
        let fill = fill_of(chip.rating);
        let look = Look {
            bold: true,
            colour: Some(colours.text.trim_start_matches('#')),
            fill: Some(&fill),
            ..Look::default()
        };
        self.cell(&format!("{} {}", chip.shape(), chip.word()), look);
    }
}

/// `widths` (any unit) scaled to `total` twips, the last column taking what rounding
/// leaves.
pub(super) fn scaled(widths: &[usize], total: usize) -> Vec<usize> {
    let sum: usize = widths.iter().sum::<usize>().max(1);
    let mut out: Vec<usize> = widths.iter().map(|w| w * total / sum).collect();
    let used: usize = out.iter().sum();
    if let Some(last) = out.last_mut() {
        *last += total.saturating_sub(used);
    }
    out
}

/// A table of the document: its XML made, or to be made as the document is written.
pub(super) enum Table<'a> {
    /// A short table (or paragraphs, [`super::Blocks::paragraphs_now`]), its XML made.
    Made(Vec<u8>),
    /// A table of the report's rows, written into the document as it is packed, a
    /// block of rows at a time: the tables of a plan of a million actions run to
    /// gigabytes of XML. With the most bytes it can take ([`most_bytes`]).
    Rows(u64, WriteRows<'a>),
}

/// What writes a [`Table::Rows`] into the document.
pub(super) type WriteRows<'a> =
    Box<dyn FnOnce(&mut dyn std::io::Write) -> std::io::Result<()> + 'a>;

impl Table<'_> {
    /// The most bytes the table can take in the document.
    pub(super) fn most_bytes(&self) -> u64 {
        match self {
            Table::Made(xml) => xml.len() as u64,
            Table::Rows(most, _) => *most,
        }
    }

    /// Writes the table's XML into `out`.
    pub(super) fn write_to(self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        match self {
            Table::Made(xml) => out.write_all(&xml),
            Table::Rows(_, write) => write(out),
        }
    }
}

/// How many bytes of a [`Table::Rows`] are made before they are written.
const TABLE_BLOCK: usize = 64 << 10;

/// More bytes than a row's or a table's own markup takes ([`TableXml::row`],
/// [`TableXml::finish`], the grid of a table's columns).
const ROW_BYTES: u64 = 1 << 10;

/// More bytes than a cell's markup takes around its text ([`TableXml::cell`]:
/// width, span, borders, shading, alignment, paragraph and run properties).
const CELL_BYTES: u64 = 1 << 10;

/// More bytes than a line break in a cell's text adds: the run it ends, with its
/// properties, and the break.
const BREAK_BYTES: u64 = 256;

/// The most bytes `cell` can take in a table: its markup, and its text with each
/// character escaped (at most five bytes for one, `&amp;`) and each line break a run.
fn most_bytes(cell: &Cell<'_>) -> u64 {
    let text = |text: &str| {
        let breaks = text.bytes().filter(|&b| b == b'\n').count() as u64;
        5 * text.len() as u64 + BREAK_BYTES * breaks
    };
    CELL_BYTES
        + match cell {
            Cell::Text(t) | Cell::Bold(t) => text(t),
            Cell::Owned(t) => text(t),
            // A number, a chip's shape and word, or a dash.
            Cell::Number(_) | Cell::Chip(_) | Cell::MaybeChip(_) => 64,
        }
}

/// A table of fixed column widths (twips, as [`scaled`] gives them) under a header
/// row, bold on grey, that repeats on every page; each row's cells in column order,
/// made as the table is written.
pub(super) fn table<'a>(
    widths: &[usize],
    headers: &[&str],
    rows: impl IntoIterator<Item = Vec<Cell<'a>>, IntoIter: Clone> + 'a,
) -> Table<'a> {
    let rows = rows.into_iter();
    let header: u64 = headers.iter().map(|h| most_bytes(&Cell::Bold(h))).sum();
    let most = ROW_BYTES
        + header
        + rows
            .clone()
            .map(|cells| ROW_BYTES + cells.iter().map(most_bytes).sum::<u64>())
            .sum::<u64>();
    let widths = widths.to_vec();
    let headers: Vec<String> = headers.iter().map(|h| (*h).to_owned()).collect();
    Table::Rows(
        most,
        Box::new(move |out| {
            let mut t = TableXml::open(&widths, true, None);
            t.row(true, None);
            for head in &headers {
                t.cell(head, Look { bold: true, fill: Some(HEADER_FILL), ..Look::default() });
            }
            t.end_row();
            for cells in rows {
                t.row(false, None);
                for cell in &cells {
                    t.put(cell);
                }
                t.end_row();
                if t.xml.len() >= TABLE_BLOCK {
                    out.write_all(t.xml.as_bytes())?;
                    t.xml.clear();
                }
            }
            out.write_all(t.finish().as_bytes())
        }),
    )
}

/// A table of label and value pairs, the labels bold on grey (the title block).
pub(super) fn pairs(widths: [usize; 2], rows: &[(&str, String)]) -> String {
    let mut t = TableXml::open(&widths, true, None);
    for (label, value) in rows {
        t.row(false, None);
        t.cell(label, Look { bold: true, fill: Some(HEADER_FILL), ..Look::default() });
        t.cell(value, Look::default());
        t.end_row();
    }
    t.finish()
}

/// How many columns the bar of a chart is divided into.
pub(super) const BAR_COLUMNS: usize = 40;

/// The columns each rating of `counts` takes in a bar `n_cols` columns long: in
/// proportion to the count, at least one for each rating with any count, adding up
/// to `n_cols` (largest remainders first, ties to the worse rating).
pub(super) fn segment_columns(counts: &Counts, n_cols: usize) -> Vec<(Rating, usize)> {
    let segments: Vec<(Rating, u32)> = counts.non_zero().collect();
    let total: u64 = segments.iter().map(|(_, n)| u64::from(*n)).sum();
    if segments.is_empty() || total == 0 {
        return Vec::new();
    }
    let n_cols = n_cols.max(segments.len());
    let spare = (n_cols - segments.len()) as u64;
    // One column each, and the rest shared in proportion to the counts.
    let mut cols: Vec<(Rating, usize, u64)> = segments
        .iter()
        .map(|(r, n)| {
            let share = u64::from(*n) * spare;
            (*r, 1 + (share / total) as usize, share % total)
        })
        .collect();
    let used: usize = cols.iter().map(|(_, c, _)| c).sum();
    let mut order: Vec<usize> = (0..cols.len()).collect();
    order.sort_by(|a, b| cols[*b].2.cmp(&cols[*a].2).then(a.cmp(b)));
    for i in order.into_iter().take(n_cols.saturating_sub(used)) {
        cols[i].1 += 1;
    }
    cols.into_iter().map(|(r, c, _)| (r, c)).collect()
}

/// The space around a chart cell's text, in twips: small, so that narrow segments
/// still show their count.
const CHART_MARGIN: usize = 20;

/// One row of a bar chart: what it is, how many of each rating.
pub(super) struct Bar<'a> {
    /// The row's label (an objective, a quarter).
    pub label: String,
    /// The counts drawn.
    pub counts: &'a Counts,
}

/// A horizontal stacked bar chart drawn as a table: for each bar its label, a bar of
/// shaded segments as long as its total (the longest fills the bar's columns), each
/// segment wide enough carrying the rating's shape and count, and the counts in
/// words after it, so that no number is told by colour or length alone. Then a
/// legend of every rating drawn, with shape and word. Gives (legend, chart).
pub(super) fn bar_chart(width: usize, bars: &[Bar<'_>]) -> (String, String) {
    let label_w = width * 27 / 100;
    let col_w = (width - label_w - width * 30 / 100) / BAR_COLUMNS;
    let words_w = width - label_w - col_w * BAR_COLUMNS;
    let mut grid = vec![label_w];
    grid.extend(std::iter::repeat_n(col_w, BAR_COLUMNS));
    grid.push(words_w);

    let max = bars.iter().map(|b| b.counts.total).max().unwrap_or(0).max(1);
    let mut t = TableXml::open(&grid, false, Some(CHART_MARGIN));
    for bar in bars {
        t.row(false, Some(340));
        t.cell(&bar.label, Look::default());
        let length = (bar.counts.total as usize * BAR_COLUMNS).div_ceil(max as usize);
        let mut used = 0;
        for (rating, span) in segment_columns(bar.counts, length) {
            let chip = Chip::from(rating);
            let colours = palette(rating);
            let label = format!("{} {}", chip.shape(), bar.counts.get(rating));
            // About 110 twips a character of 9 pt text (the shapes are wide), and the
            // margins either side.
            let fits = span * col_w >= 110 * label.chars().count() + 2 * CHART_MARGIN;
            let fill = fill_of(rating);
            let look = Look {
                centre: true,
                colour: Some(colours.text.trim_start_matches('#')),
                fill: Some(&fill),
                border: Some(colours.border.trim_start_matches('#')),
                span,
                ..Look::default()
            };
            t.cell(if fits { &label } else { "" }, look);
            used += span;
        }
        if used < BAR_COLUMNS {
            t.cell("", Look { span: BAR_COLUMNS - used, ..Look::default() });
        }
        t.cell(&format!("{}: {}", bar.counts.total, bar.counts.text()), Look::default());
        t.end_row();
    }
    let present: Vec<Rating> =
        Rating::ALL.into_iter().filter(|r| bars.iter().any(|b| b.counts.get(*r) > 0)).collect();
    (legend(width, &present), t.finish())
}

/// A legend: one shaded cell for each rating in `ratings`, with its shape and word,
/// each as wide as its word needs (narrower, in proportion, if they would not fit in
/// `width`).
fn legend(width: usize, ratings: &[Rating]) -> String {
    if ratings.is_empty() {
        let mut t = TableXml::open(&[width], true, None);
        t.row(false, None);
        t.cell("No actions to chart.", Look::default());
        t.end_row();
        return t.finish();
    }
    let wanted: Vec<usize> =
        ratings.iter().map(|r| 400 + 120 * (Chip::from(*r).word().chars().count() + 2)).collect();
    let sum: usize = wanted.iter().sum();
    let grid = if sum > width { scaled(&wanted, width) } else { wanted };
    let mut t = TableXml::open(&grid, true, None);
    t.row(false, None);
    for rating in ratings {
        t.chip(Chip::from(*rating));
    }
    t.end_row();
    t.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records the size of each write.
    #[derive(Default)]
    struct Writes {
        bytes: Vec<u8>,
        largest: usize,
    }

    impl std::io::Write for Writes {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.largest = self.largest.max(bytes.len());
            self.bytes.extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// Each table's XML was made whole and held until the document was packed: the
    /// tables of a plan of a million actions held 4 GB. A long table is now made as
    /// it is written, a block of rows at a time, and is the table made whole.
    #[test]
    fn a_long_table_was_held_whole_until_the_document_was_packed() {
        let titles: Vec<String> = (0..5_000).map(|i| format!("Action {i} & more")).collect();
        let rows = || titles.iter().map(|t| vec![Cell::Text(t), Cell::Number(7)]);
        let table = table(&[1_000, 2_000], &["Title", "Count"], rows());
        assert!(table.most_bytes() > 5_000 * 1_000);
        let mut writes = Writes::default();
        table.write_to(&mut writes).unwrap();
        assert!(writes.bytes.len() > 4 * TABLE_BLOCK, "{}", writes.bytes.len());
        assert!(writes.largest < 2 * TABLE_BLOCK, "a write of {} bytes", writes.largest);

        let mut whole = TableXml::open(&[1_000, 2_000], true, None);
        whole.row(true, None);
        for head in ["Title", "Count"] {
            whole.cell(head, Look { bold: true, fill: Some(HEADER_FILL), ..Look::default() });
        }
        whole.end_row();
        for cells in rows() {
            whole.row(false, None);
            cells.iter().for_each(|c| whole.put(c));
            whole.end_row();
        }
        assert_eq!(String::from_utf8(writes.bytes).unwrap(), whole.finish());
    }

    fn counts(ratings: &[(Rating, u32)]) -> Counts {
        let mut counts = Counts::default();
        for (rating, n) in ratings {
            for _ in 0..*n {
                counts.add(*rating);
            }
        }
        counts
    }

    #[test]
    fn segments_add_up_and_every_rating_gets_a_column() {
        let c = counts(&[(Rating::Red, 1), (Rating::Amber, 1), (Rating::Green, 998)]);
        let cols = segment_columns(&c, 40);
        assert_eq!(cols.iter().map(|(_, n)| n).sum::<usize>(), 40);
        assert_eq!(cols, [(Rating::Red, 1), (Rating::Amber, 1), (Rating::Green, 38)]);
        let even = segment_columns(&counts(&[(Rating::Red, 1), (Rating::Green, 1)]), 5);
        assert_eq!(even, [(Rating::Red, 3), (Rating::Green, 2)]);
        // More ratings than columns: one column each all the same.
        let all = counts(&Rating::ALL.map(|r| (r, 1)));
        assert_eq!(segment_columns(&all, 2).len(), Rating::ALL.len());
        assert!(segment_columns(&Counts::default(), 40).is_empty());
    }

    #[test]
    fn text_loses_what_xml_cannot_hold_and_keeps_the_rest() {
        assert_eq!(xml_text("a\u{1}b\u{b}c\td\u{fffe}é\n"), "abc\tdé\n");
        assert_eq!(scaled(&[1, 1, 1], 10), [3, 3, 4]);
        let mut xml = String::new();
        push_escaped(&mut xml, "<b>&\u{0}\"x\"\r");
        assert_eq!(xml, "&lt;b&gt;&amp;\"x\"");
    }

    #[test]
    fn a_cell_of_two_lines_breaks_between_them_and_spans_its_columns() {
        let mut t = TableXml::open(&[100, 200, 300], true, None);
        t.row(true, None);
        t.cell("one\ntwo", Look { span: 2, bold: true, ..Look::default() });
        t.end_row();
        let xml = t.finish();
        assert!(xml.contains(r#"<w:tcW w:w="300" w:type="dxa"/><w:gridSpan w:val="2"/>"#), "{xml}");
        assert!(xml.contains(r#"<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"#), "{xml}");
        assert!(
            xml.contains(
                r#"<w:r><w:rPr><w:b/></w:rPr><w:br/><w:t xml:space="preserve">two</w:t></w:r>"#
            ),
            "{xml}"
        );
    }
}
