//! The pieces of the Word document: text that Word can read, paragraphs, tables
//! with fixed column widths, rating cells and the charts drawn as shaded tables.

use docx_rs::{
    AlignmentType, BorderType, HeightRule, LineSpacing, Paragraph, Run, Shading, ShdType, Table,
    TableBorder, TableBorderPosition, TableBorders, TableCell, TableCellBorder,
    TableCellBorderPosition, TableCellBorders, TableCellMargins, TableLayoutType, TableRow,
    VAlignType, WidthType,
};
use ragplan_core::Rating;

use crate::chip::{Chip, palette};
use crate::content::Counts;

/// Text size in tables, in half-points (9 pt).
pub(super) const TABLE_SIZE: usize = 18;

/// The paragraph style of text in a table: [`TABLE_SIZE`], no space before or after.
/// A style rather than each run's own properties, which would more than double the
/// size of a large plan's tables.
pub(super) const TABLE_STYLE: &str = "TableText";

/// The grey behind a header row.
const HEADER_FILL: &str = "F2F2F2";

/// The colour of table rules.
const RULE: &str = "A6A6A6";

/// The height a header row is given, in twips. Word's row heights are never this
/// small in practice; the writer turns the rows that carry it into header rows that
/// repeat on every page (`<w:tblHeader/>`, which docx-rs does not write itself).
pub(super) const HEADER_ROW_MARK: f32 = 1.0;

/// `text` without the characters XML 1.0 cannot hold (control characters other than
/// tab, line feed and carriage return, and U+FFFE/U+FFFF), which would make the
/// document unreadable to Word.
pub(super) fn xml_text(text: &str) -> String {
    text.chars()
        .filter(|&c| {
            matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{fffe}' && c != '\u{ffff}')
        })
        .collect()
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

/// A cell's paragraph: text in the table style.
fn cell_para(text: &str, bold: bool) -> Paragraph {
    let paragraph = Paragraph::new().style(TABLE_STYLE);
    if bold { text_runs(paragraph, text, Run::bold) } else { text_runs(paragraph, text, |r| r) }
}

/// A cell of text.
pub(super) fn text_cell(text: &str) -> TableCell {
    TableCell::new().add_paragraph(cell_para(text, false))
}

/// A cell of bold text (a sub-objective's row).
pub(super) fn bold_cell(text: &str) -> TableCell {
    TableCell::new().add_paragraph(cell_para(text, true))
}

/// A cell of a number, right-aligned.
pub(super) fn number_cell(n: u32) -> TableCell {
    TableCell::new().add_paragraph(cell_para(&n.to_string(), false).align(AlignmentType::Right))
}

/// The shading of a rating: its light fill ([`palette`]), as a Word colour.
pub(super) fn fill_of(rating: Rating) -> String {
    palette(rating).fill.trim_start_matches('#').to_ascii_uppercase()
}

/// A rating cell: the shape and word of the chip, on the rating's fill. The word
/// carries the rating; the fill only adds to it.
pub(super) fn chip_cell(chip: Chip) -> TableCell {
    let colours = palette(chip.rating);
    let text = format!("{} {}", chip.shape, chip.word);
    let colour = colours.text.trim_start_matches('#').to_owned();
    let paragraph = Paragraph::new().line_spacing(LineSpacing::new().before(0).after(0));
    let paragraph =
        text_runs(paragraph, &text, |r| r.size(TABLE_SIZE).bold().color(colour.clone()));
    TableCell::new().add_paragraph(paragraph).shading(shading(&fill_of(chip.rating)))
}

/// A cell for a rating that may be absent (a new or removed node): the chip, or a
/// dash.
pub(super) fn maybe_chip_cell(chip: Option<Chip>) -> TableCell {
    chip.map_or_else(|| text_cell("—"), chip_cell)
}

fn shading(fill: &str) -> Shading {
    Shading::new().shd_type(ShdType::Clear).color("auto").fill(fill)
}

/// A header cell: bold on grey.
fn header_cell(text: &str) -> TableCell {
    TableCell::new().add_paragraph(cell_para(text, true)).shading(shading(HEADER_FILL))
}

/// Borders of thin grey rules.
fn rules() -> TableBorders {
    let rule =
        |position| TableBorder::new(position).size(4).color(RULE).border_type(BorderType::Single);
    TableBorders::new()
        .set(rule(TableBorderPosition::Top))
        .set(rule(TableBorderPosition::Bottom))
        .set(rule(TableBorderPosition::Left))
        .set(rule(TableBorderPosition::Right))
        .set(rule(TableBorderPosition::InsideH))
        .set(rule(TableBorderPosition::InsideV))
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

/// A table of fixed column widths (twips, as [`scaled`] gives them) under a header
/// row that repeats on every page; each row's cells in column order.
pub(super) fn table(widths: &[usize], headers: &[&str], rows: Vec<Vec<TableCell>>) -> Table {
    let sized = |cells: Vec<TableCell>| -> Vec<TableCell> {
        cells.into_iter().zip(widths).map(|(cell, w)| cell.width(*w, WidthType::Dxa)).collect()
    };
    let header = TableRow::new(sized(headers.iter().map(|h| header_cell(h)).collect()))
        .row_height(HEADER_ROW_MARK)
        .height_rule(HeightRule::AtLeast)
        .cant_split();
    let mut all = Vec::with_capacity(rows.len() + 1);
    all.push(header);
    all.extend(rows.into_iter().map(|cells| TableRow::new(sized(cells)).cant_split()));
    Table::new(all)
        .set_grid(widths.to_vec())
        .layout(TableLayoutType::Fixed)
        .width(widths.iter().sum(), WidthType::Dxa)
        .set_borders(rules())
}

/// A table of label and value pairs, the labels bold (the title block).
pub(super) fn pairs(widths: [usize; 2], rows: &[(&str, String)]) -> Table {
    let rows: Vec<TableRow> = rows
        .iter()
        .map(|(label, value)| {
            TableRow::new(vec![
                header_cell(label).width(widths[0], WidthType::Dxa),
                text_cell(value).width(widths[1], WidthType::Dxa),
            ])
            .cant_split()
        })
        .collect();
    Table::new(rows)
        .set_grid(widths.to_vec())
        .layout(TableLayoutType::Fixed)
        .width(widths.iter().sum(), WidthType::Dxa)
        .set_borders(rules())
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

fn no_borders() -> TableCellBorders {
    let none = |p| TableCellBorder::new(p).border_type(BorderType::Nil);
    TableCellBorders::with_empty()
        .set(none(TableCellBorderPosition::Top))
        .set(none(TableCellBorderPosition::Bottom))
        .set(none(TableCellBorderPosition::Left))
        .set(none(TableCellBorderPosition::Right))
}

fn segment_borders(rating: Rating) -> TableCellBorders {
    let colour = palette(rating).border.trim_start_matches('#').to_owned();
    let line =
        |p| TableCellBorder::new(p).border_type(BorderType::Single).size(4).color(colour.clone());
    TableCellBorders::with_empty()
        .set(line(TableCellBorderPosition::Top))
        .set(line(TableCellBorderPosition::Bottom))
        .set(line(TableCellBorderPosition::Left))
        .set(line(TableCellBorderPosition::Right))
}

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
/// legend of every rating drawn, with shape and word.
pub(super) fn bar_chart(width: usize, bars: &[Bar<'_>]) -> (Table, Table) {
    let label_w = width * 27 / 100;
    let words_w = width * 30 / 100;
    let col_w = (width - label_w - words_w) / BAR_COLUMNS;
    let bar_w = col_w * BAR_COLUMNS;
    let words_w = width - label_w - bar_w;
    let mut grid = vec![label_w];
    grid.extend(std::iter::repeat_n(col_w, BAR_COLUMNS));
    grid.push(words_w);

    let max = bars.iter().map(|b| b.counts.total).max().unwrap_or(0).max(1);
    let plain = |cell: TableCell| cell.set_borders(no_borders());
    let mut rows = Vec::with_capacity(bars.len());
    for bar in bars {
        let mut cells = vec![plain(text_cell(&bar.label)).width(label_w, WidthType::Dxa)];
        let length = (bar.counts.total as usize * BAR_COLUMNS).div_ceil(max as usize);
        let segments = segment_columns(bar.counts, length);
        let mut used = 0;
        for (rating, span) in &segments {
            let n = bar.counts.get(*rating);
            let chip = Chip::from(*rating);
            // About 75 twips a character of 8 pt text, the margins either side.
            let label = format!("{} {n}", chip.shape);
            let fits = span * col_w >= 90 * label.chars().count() + 2 * CHART_MARGIN;
            let paragraph = Paragraph::new().style(TABLE_STYLE).align(AlignmentType::Center);
            let paragraph = if fits {
                text_runs(paragraph, &label, |r| {
                    r.size(16).color(palette(*rating).text.trim_start_matches('#'))
                })
            } else {
                paragraph
            };
            cells.push(
                TableCell::new()
                    .add_paragraph(paragraph)
                    .grid_span(*span)
                    .width(span * col_w, WidthType::Dxa)
                    .shading(shading(&fill_of(*rating)))
                    .set_borders(segment_borders(*rating))
                    .vertical_align(VAlignType::Center),
            );
            used += span;
        }
        if used < BAR_COLUMNS {
            let rest = BAR_COLUMNS - used;
            cells.push(plain(TableCell::new()).grid_span(rest).width(rest * col_w, WidthType::Dxa));
        }
        let words = format!("{}: {}", bar.counts.total, bar.counts.text());
        cells.push(plain(text_cell(&words)).width(words_w, WidthType::Dxa));
        rows.push(
            TableRow::new(cells).row_height(340.0).height_rule(HeightRule::AtLeast).cant_split(),
        );
    }
    let chart = Table::new(rows)
        .set_grid(grid)
        .layout(TableLayoutType::Fixed)
        .width(width, WidthType::Dxa)
        .margins(TableCellMargins::new().margin(20, CHART_MARGIN, 20, CHART_MARGIN))
        .set_borders(TableBorders::with_empty());

    let present: Vec<Rating> =
        Rating::ALL.into_iter().filter(|r| bars.iter().any(|b| b.counts.get(*r) > 0)).collect();
    (chart, legend(width, &present))
}

/// A legend: one shaded cell for each rating in `ratings`, with its shape and word,
/// each as wide as its word needs (narrower, in proportion, if they would not fit in
/// `width`).
fn legend(width: usize, ratings: &[Rating]) -> Table {
    let wanted: Vec<usize> =
        ratings.iter().map(|r| 400 + 120 * (Chip::from(*r).word.chars().count() + 2)).collect();
    let sum: usize = wanted.iter().sum();
    let grid = if sum > width { scaled(&wanted, width) } else { wanted };
    let (cells, grid): (Vec<TableCell>, Vec<usize>) = if ratings.is_empty() {
        (vec![text_cell("No actions to chart.").width(width, WidthType::Dxa)], vec![width])
    } else {
        let cells = ratings
            .iter()
            .zip(&grid)
            .map(|(r, w)| chip_cell(Chip::from(*r)).width(*w, WidthType::Dxa))
            .collect();
        (cells, grid)
    };
    let total = grid.iter().sum();
    Table::new(vec![TableRow::new(cells).cant_split()])
        .set_grid(grid)
        .layout(TableLayoutType::Fixed)
        .width(total, WidthType::Dxa)
        .set_borders(rules())
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }
}
