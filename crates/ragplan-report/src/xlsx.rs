//! The spreadsheet: sheets Summary, Actions, Exceptions, Movement, By owner, By
//! partner and Trend, written with rust_xlsxwriter, but for the lists' rows, which
//! the report writes into the sheets it lays out (`xlsx/list.rs`).
//!
//! Rating cells hold the rating's word (`Amber/Red`) and are filled with its colour
//! ([`crate::chip::palette`]), so the word carries the rating and the colour only adds
//! to it. Every list is an Excel Table named after its sheet (`Actions`, `ByOwner`,
//! …), so that Power Query and pivot tables find it by name, with its own filter
//! buttons and a frozen header row; counts are numbers and due dates dates. Columns
//! are fitted to their content (up to a width, past which text wraps), and every
//! sheet prints landscape on A4, one page wide, its header row repeated on each
//! page, the plan and the as-of date at the top and the page number at the foot.

mod list;

use std::borrow::Cow;

use chrono::Datelike;
use ragplan_core::Rating;
use rust_xlsxwriter::{
    Color, ExcelDateTime, Format, FormatBorder, Table, TableColumn, TableStyle, Workbook,
    Worksheet, XlsxError,
};

use self::list::{Cell, List, MAX_LIST_ROWS, Measured, Pending, Style};
use crate::chip::{Chip, palette, rgb};
use crate::content::{Counts, HolderSummary, Report};
use crate::csv::ACTION_COLUMNS;
use crate::error::{ReportError, Result};

/// The sheet names, in order.
pub const SHEETS: [&str; 7] =
    ["Summary", "Actions", "Exceptions", "Movement", "By owner", "By partner", "Trend"];

/// The widest a column is fitted to its content, in pixels (about 30 characters);
/// longer text wraps, so that the Actions sheet prints one page wide at a scale
/// that can still be read.
const MAX_FITTED_WIDTH: u32 = 210;

/// The most characters a spreadsheet cell holds, counted as Excel counts them: in
/// UTF-16 code units, two for a character outside the Basic Multilingual Plane (an
/// emoji, say).
pub const MAX_CELL_CHARS: usize = 32_767;

/// Text as a cell holds it: text longer than [`MAX_CELL_CHARS`] is cut, and the cell
/// says so at its end with how many characters were left out; the whole text stays
/// in the plan and in the report's other formats.
fn cell_text(text: Cow<'_, str>) -> Cow<'_, str> {
    // No more UTF-16 units than UTF-8 bytes.
    if text.len() <= MAX_CELL_CHARS || text.encode_utf16().count() <= MAX_CELL_CHARS {
        return text;
    }
    let marker = |left_out: usize| {
        format!(" … [cut: {left_out} more characters do not fit in a cell; see the plan]")
    };
    // The marker's own length depends on the count it gives; one with the largest
    // count is at least as long as the one written.
    let n_chars = text.chars().count();
    let room = MAX_CELL_CHARS - marker(n_chars).encode_utf16().count();
    let (mut kept, mut units) = (String::new(), 0);
    for c in text.chars() {
        if units + c.len_utf16() > room {
            break;
        }
        units += c.len_utf16();
        kept.push(c);
    }
    let left_out = n_chars - kept.chars().count();
    Cow::Owned(format!("{kept}{}", marker(left_out)))
}

/// Writes text into a cell, cut to what a cell holds ([`cell_text`]).
fn write_text(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    text: impl AsRef<str>,
    format: &Format,
) -> std::result::Result<(), XlsxError> {
    let text = cell_text(Cow::Borrowed(text.as_ref()));
    sheet.write_string_with_format(row, col, text, format).map(|_| ())
}

/// The cell formats of one workbook.
struct Formats {
    title: Format,
    header: Format,
    text: Format,
    date: Format,
    count: Format,
    ratings: Vec<(Rating, Format)>,
}

impl Formats {
    fn new() -> Formats {
        let text = Format::new().set_text_wrap().set_align(rust_xlsxwriter::FormatAlign::Top);
        let ratings = Rating::ALL
            .into_iter()
            .map(|r| {
                let c = palette(r);
                let format = text
                    .clone()
                    .set_background_color(Color::RGB(rgb(c.fill).unwrap_or(0xffffff)))
                    .set_font_color(Color::RGB(rgb(c.text).unwrap_or(0)))
                    .set_border(FormatBorder::Thin)
                    .set_border_color(Color::RGB(rgb(c.border).unwrap_or(0)));
                (r, format)
            })
            .collect();
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_background_color(Color::RGB(0xf2f2f2))
                .set_border(FormatBorder::Thin),
            date: text.clone().set_num_format("dd/mm/yyyy"),
            count: Format::new().set_align(rust_xlsxwriter::FormatAlign::Top),
            text,
            ratings,
        }
    }

    fn rating(&self, rating: Rating) -> &Format {
        self.ratings.iter().find(|(r, _)| *r == rating).map_or(&self.text, |(_, f)| f)
    }

    fn style(&self, style: Style) -> &Format {
        match style {
            Style::Text => &self.text,
            Style::Date => &self.date,
            Style::Count => &self.count,
            Style::Rating(r) => self.rating(r),
        }
    }
}

/// Writes the report as an XLSX workbook. A list longer than a sheet holds (Excel's
/// 1,048,576 rows, the header one of them: the exceptions of a plan of a million
/// actions) is cut there, the sheet's last row, below the list's table, saying how
/// many rows more the report's JSON format lists.
///
/// # Errors
/// [`ReportError::Xlsx`] naming the sheet, if the writer refuses.
pub fn write_xlsx(report: &Report<'_>) -> Result<Vec<u8>> {
    Ok(write_xlsx_to(report, std::io::Cursor::new(Vec::new()))?.into_inner())
}

/// [`write_xlsx`] into `out`, which the workbook's list sheets are written to as
/// they are made, rather than into memory first: a plan of a million actions makes a
/// workbook of 200 MB. `out` is given back, written.
///
/// # Errors
/// As [`write_xlsx`]; when `out` cannot be written, [`ReportError::Xlsx`] says so.
pub fn write_xlsx_to<W: std::io::Write + std::io::Seek>(report: &Report<'_>, out: W) -> Result<W> {
    let formats = Formats::new();
    let mut workbook = Workbook::new();
    // Fast compression: a 10,000-action workbook is written in well under a second,
    // for a file a little larger than at the default level.
    workbook.set_zip_compression_level(1);
    let err = |sheet: Option<&'static str>| {
        move |e: XlsxError| ReportError::Xlsx { sheet, message: e.to_string() }
    };

    summary(workbook.add_worksheet(), report, &formats).map_err(err(Some(SHEETS[0])))?;
    let lists = lists(report);
    let mut pending = Vec::new();
    for (i, list) in lists.iter().enumerate() {
        let sheet = workbook.add_worksheet();
        if let Some(measured) = list_sheet(sheet, list, &formats).map_err(err(Some(list.sheet)))? {
            // rust_xlsxwriter names the sheets' parts by their place, from 1; the
            // summary is the first.
            let part = format!("xl/worksheets/sheet{}.xml", i + 2);
            pending.push(Pending::new(part, list, &measured));
        }
    }
    for sheet in workbook.worksheets_mut() {
        print_setup(sheet, report).map_err(err(None))?;
    }
    let book = workbook.save_to_buffer().map_err(err(None))?;
    list::pack(&book, &pending, out).map_err(|message| ReportError::Xlsx { sheet: None, message })
}

/// Lays out a list's sheet: its header row, frozen, and below it either what the
/// sheet says when the list is empty, or (the rows to come, written when the
/// workbook is packed) the table over them, the columns fitted to them, and a
/// probe row for each style. The rows measured, when there are some.
fn list_sheet(
    sheet: &mut Worksheet,
    list: &List<'_>,
    f: &Formats,
) -> Result<Option<Measured>, XlsxError> {
    sheet.set_name(list.sheet)?;
    let headers: Vec<&str> = list.headers.iter().map(String::as_str).collect();
    header_row(sheet, &headers, f)?;
    let measured = list.measure(MAX_FITTED_WIDTH, MAX_LIST_ROWS);
    if measured.rows == 0 {
        if let Some(empty) = list.empty {
            write_text(sheet, 1, 0, empty, &f.text)?;
        }
        fit_columns(sheet);
        return Ok(None);
    }
    for (i, style) in Style::all().enumerate() {
        sheet.write_blank(1 + i as u32, 0, f.style(style))?;
    }
    let columns: Vec<TableColumn> = headers
        .iter()
        .map(|h| TableColumn::new().set_header(*h).set_header_format(&f.header))
        .collect();
    let table =
        Table::new().set_name(list.table).set_columns(&columns).set_style(TableStyle::Light1);
    // Over the header and one row: rust_xlsxwriter records each cell a table covers
    // (to refuse overlapping tables), a hash-table entry each; the table's range is
    // set to the list's rows when the workbook is packed.
    sheet.add_table(0, 0, 1, (headers.len() - 1) as u16, &table)?;
    for (col, width) in measured.widths.iter().enumerate() {
        if *width > 0 {
            sheet.set_column_autofit_width(col as u16, *width)?;
        }
    }
    Ok(Some(measured))
}

/// The lists of `report` longer than a sheet holds, each sheet's name with how many
/// of its rows [`write_xlsx`] leaves out (the sheet's last row says so), for a
/// caller to tell the user.
pub fn cut_lists(report: &Report<'_>) -> Vec<(&'static str, u64)> {
    cut_lists_at(report, MAX_LIST_ROWS)
}

fn cut_lists_at(report: &Report<'_>, max_rows: u32) -> Vec<(&'static str, u64)> {
    lists(report)
        .iter()
        .map(|list| (list.sheet, list.left_out(max_rows)))
        .filter(|(_, left_out)| *left_out > 0)
        .collect()
}

/// The list sheets of `report`, in their order after the summary.
fn lists<'a>(report: &'a Report<'_>) -> [List<'a>; 6] {
    [
        actions(report),
        exceptions(report),
        movement(report),
        holders(
            SHEETS[4],
            "ByOwner",
            "Accountable owner",
            &report.owners,
            "No action has an accountable owner.",
        ),
        holders(SHEETS[5], "ByPartner", "Partner", &report.partners, "No action names a partner."),
        trend(report),
    ]
}

fn rating_cell(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    chip: Chip,
    formats: &Formats,
) -> Result<(), XlsxError> {
    write_text(sheet, row, col, chip.label(), formats.rating(chip.rating))?;
    Ok(())
}

fn summary(sheet: &mut Worksheet, report: &Report<'_>, f: &Formats) -> Result<(), XlsxError> {
    sheet.set_name(SHEETS[0])?;
    let mut row = 2;
    let mut pair = |sheet: &mut Worksheet, label: &str, value: &str| -> Result<(), XlsxError> {
        write_text(sheet, row, 0, label, &f.header)?;
        write_text(sheet, row, 1, value, &f.text)?;
        row += 1;
        Ok(())
    };
    pair(sheet, "Plan", &report.plan.title)?;
    if let Some(body) = &report.plan.owner_body {
        pair(sheet, "Owned by", body)?;
    }
    pair(sheet, "As of", &format!("{} ({})", report.as_of_text, report.quarter))?;
    if let Some(previous) = &report.previous_as_of_text {
        pair(sheet, "Compared with", previous)?;
    }
    pair(sheet, "Rating policy", &report.policy)?;
    write_text(sheet, row, 0, "Actions", &f.header)?;
    sheet.write_number_with_format(row, 1, report.plan.n_actions as f64, &f.count)?;
    row += 1;

    row += 1;
    for (label, dim) in
        [("Delivery", &report.headline.delivery), ("Outcome", &report.headline.outcome)]
    {
        write_text(sheet, row, 0, label, &f.header)?;
        rating_cell(sheet, row, 2, dim.rating, f)?;
        let why = dim.reasons.first().map_or_else(|| dim.counts.text(), |r| r.clone());
        write_text(sheet, row, 1, &why, &f.text)?;
        row += 1;
    }
    // The data gaps, each a count of actions and what they lack (listed on the
    // Exceptions sheet).
    if !report.headline.gaps.is_empty() {
        row += 1;
        let of = format!("Of the {} actions", report.headline.actions);
        write_text(sheet, row, 0, "Data gaps", &f.header)?;
        write_text(sheet, row, 1, of, &f.header)?;
        for gap in &report.headline.gaps {
            row += 1;
            sheet.write_number_with_format(row, 0, gap.count, &f.count)?;
            write_text(sheet, row, 1, gap.text, &f.text)?;
        }
        row += 1;
    }

    row += 1;
    write_text(sheet, row, 0, "Rating", &f.header)?;
    write_text(sheet, row, 1, "Actions by delivery rating", &f.header)?;
    row += 1;
    for rating in Rating::ALL {
        rating_cell(sheet, row, 0, rating.into(), f)?;
        sheet.write_number_with_format(
            row,
            1,
            report.headline.delivery.counts.get(rating),
            &f.count,
        )?;
        row += 1;
    }

    row += 1;
    for (col, head) in ["Key", "Objective", "Delivery", "Outcome"].into_iter().enumerate() {
        write_text(sheet, row, col as u16, head, &f.header)?;
    }
    row += 1;
    for objective in &report.objectives {
        write_text(sheet, row, 0, &objective.key, &f.text)?;
        write_text(sheet, row, 1, &objective.title, &f.text)?;
        rating_cell(sheet, row, 2, objective.delivery.rating, f)?;
        rating_cell(sheet, row, 3, objective.outcome.rating, f)?;
        row += 1;
    }
    // Fitted before the title goes in, which would widen its column to its length.
    fit_columns(sheet);
    write_text(sheet, 0, 0, &report.title, &f.title)?;
    Ok(())
}

fn header_row(sheet: &mut Worksheet, headers: &[&str], f: &Formats) -> Result<(), XlsxError> {
    for (col, head) in headers.iter().enumerate() {
        write_text(sheet, 0, col as u16, *head, &f.header)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// Fits the sheet's columns to what they hold, up to [`MAX_FITTED_WIDTH`].
fn fit_columns(sheet: &mut Worksheet) {
    sheet.set_autofit_max_width(MAX_FITTED_WIDTH);
    sheet.autofit();
}

/// Landscape A4, one page wide, the header row repeated (every sheet but the
/// summary), the plan and as-of date at the top of each page and its number at the
/// foot.
fn print_setup(sheet: &mut Worksheet, report: &Report<'_>) -> Result<(), XlsxError> {
    sheet.set_landscape().set_paper_size(9).set_print_fit_to_pages(1, 0);
    if sheet.name() != SHEETS[0] {
        sheet.set_repeat_rows(0, 0)?;
    }
    // `&` starts a code in a header; a header holds at most 255 characters.
    let escape = |text: &str| text.chars().take(100).collect::<String>().replace('&', "&&");
    sheet.set_header(format!(
        "&L{}&R{}",
        escape(&report.plan.title),
        escape(&format!("As of {}", report.as_of_text))
    ));
    sheet.set_footer("&CPage &P of &N");
    Ok(())
}

/// A rating's word in its colours.
fn rating(chip: Chip) -> Cell<'static> {
    Cell::styled(chip.label(), Style::Rating(chip.rating))
}

fn actions<'a>(report: &'a Report<'_>) -> List<'a> {
    List {
        sheet: SHEETS[1],
        table: "Actions",
        headers: ACTION_COLUMNS.iter().map(|h| heading_of(h)).collect(),
        empty: None,
        len: report.actions.len(),
        rows: Box::new(|out| {
            for action in report.actions.iter() {
                out(&[
                    Cell::text(&*action.key),
                    Cell::text(&*action.objective),
                    Cell::text(action.sub_objective.as_deref().unwrap_or("")),
                    Cell::text(&*action.title),
                    rating(action.delivery),
                    rating(action.outcome),
                    Cell::text(&*action.status),
                    Cell::text(action.accountable.join("; ")),
                    Cell::text(action.responsible.join("; ")),
                    Cell::text(action.partners.join("; ")),
                    Cell::text(&*action.timescale),
                    match action.due.and_then(excel_date) {
                        Some(date) => Cell::Date(date.to_excel()),
                        None => Cell::text(""),
                    },
                    Cell::text(action.flags.join("; ")),
                    Cell::text(&*action.reason),
                    Cell::text(action.latest_note.as_deref().unwrap_or("")),
                ]);
            }
        }),
    }
}

fn exceptions<'a>(report: &'a Report<'_>) -> List<'a> {
    List {
        sheet: SHEETS[2],
        table: "Exceptions",
        headers: ["Exception", "Key", "Title", "Delivery", "Why"].map(String::from).to_vec(),
        empty: None,
        len: report.exceptions.iter().map(|g| g.items.len()).sum(),
        rows: Box::new(|out| {
            for group in &report.exceptions {
                for item in group.items.iter() {
                    out(&[
                        Cell::text(group.heading),
                        Cell::text(&*item.key),
                        Cell::text(&*item.title),
                        rating(item.rating),
                        Cell::text(&*item.reason),
                    ]);
                }
            }
        }),
    }
}

fn movement<'a>(report: &'a Report<'_>) -> List<'a> {
    List {
        sheet: SHEETS[3],
        table: "Movement",
        headers: ["Change", "Key", "Level", "Title", "Was", "Now"].map(String::from).to_vec(),
        empty: Some(match report.movement {
            None => "No previous report to compare with.",
            Some(_) => "No change since the previous report.",
        }),
        len: report.movement.as_ref().map_or(0, |m| m.groups().iter().map(|g| g.1.len()).sum()),
        rows: Box::new(|out| {
            let Some(movement) = &report.movement else { return };
            for (change, nodes) in movement.groups() {
                for node in nodes {
                    let chip = |chip: Option<Chip>| chip.map_or_else(|| Cell::text(""), rating);
                    out(&[
                        Cell::text(change),
                        Cell::text(&*node.key),
                        Cell::text(node.kind.replace('_', "-")),
                        Cell::text(&*node.title),
                        chip(node.from),
                        chip(node.to),
                    ]);
                }
            }
        }),
    }
}

/// The header of a sheet of counts: `first` columns, then one a rating.
fn count_headers(first: &[&str], last: &[&str]) -> Vec<String> {
    let ratings = Rating::ALL.map(|r| r.label());
    first.iter().copied().chain(ratings).chain(last.iter().copied()).map(String::from).collect()
}

/// `counts`, one rating a column, as numbers.
fn count_cells<'c>(counts: &Counts) -> [Cell<'c>; Rating::ALL.len()] {
    Rating::ALL.map(|rating| Cell::Number(counts.get(rating).into()))
}

/// By owner or By partner: one row for each holder, with the actions they hold, the
/// worst rating among them, the count of each rating and the keys of those rated
/// Red. `who` heads the first column; `none` is what the sheet says when there is
/// no one to list.
fn holders<'r>(
    sheet: &'static str,
    table: &'static str,
    who: &'static str,
    holders: &'r [HolderSummary],
    none: &'static str,
) -> List<'r> {
    List {
        sheet,
        table,
        headers: count_headers(&[who, "Actions", "Worst"], &["Red actions"]),
        empty: Some(none),
        len: holders.len(),
        rows: Box::new(move |out| {
            for holder in holders {
                let mut cells = vec![
                    Cell::text(&*holder.name),
                    Cell::Number(holder.counts.total.into()),
                    rating(holder.worst),
                ];
                cells.extend(count_cells(&holder.counts));
                cells.push(Cell::text(holder.red_keys.join("; ")));
                out(&cells);
            }
        }),
    }
}

/// Trend: the delivery counts at the end of each quarter the plan's history covers.
fn trend<'a>(report: &'a Report<'_>) -> List<'a> {
    List {
        sheet: SHEETS[6],
        table: "Trend",
        headers: count_headers(&["Quarter", "As of"], &["Actions"]),
        empty: Some("No history before this quarter."),
        len: report.trend.len(),
        rows: Box::new(|out| {
            for point in &report.trend {
                let mut cells = vec![
                    Cell::text(&*point.quarter),
                    match excel_date(point.as_of) {
                        Some(date) => Cell::Date(date.to_excel()),
                        None => Cell::text(point.as_of.to_string()),
                    },
                ];
                cells.extend(count_cells(&point.counts));
                cells.push(Cell::Number(point.counts.total.into()));
                out(&cells);
            }
        }),
    }
}

/// `"sub_objective"` → `"Sub-objective"`.
fn heading_of(column: &str) -> String {
    crate::build::capitalised(
        &column.replace('_', if column == "sub_objective" { "-" } else { " " }),
    )
}

fn excel_date(date: chrono::NaiveDate) -> Option<ExcelDateTime> {
    let year = u16::try_from(date.year()).ok()?;
    ExcelDateTime::from_ymd(year, date.month() as u8, date.day() as u8).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each list says how many rows it gives (what the sheet's range, its table and a
    /// cut are worked out from), and gives that many; a cut is told of by sheet.
    #[test]
    fn each_list_gives_the_rows_it_counts() {
        let plan = ragplan_core::generate::synthetic_plan(300, 5, 3);
        let policy = ragplan_core::Policy::default();
        let as_of = chrono::NaiveDate::from_ymd_opt(2016, 3, 31).unwrap_or_default();
        let previous = as_of - chrono::Duration::days(182);
        let before = ragplan_core::Snapshot::from(&plan.as_it_stood(previous).rate(&policy));
        let ratings = ragplan_core::rate(&plan, &policy, as_of);
        let report = Report::build(&ratings, Some(&before), &crate::ReportOptions::default());
        let lists = lists(&report);
        for list in &lists {
            let mut n = 0;
            (list.rows)(&mut |_| n += 1);
            assert_eq!(n, list.len, "{}", list.sheet);
        }
        assert!(lists.iter().filter(|l| l.len > 0).count() >= 5, "too few lists have rows");
        // 300 actions, at three rows a sheet: two of them and the row saying so.
        let measured = lists[0].measure(MAX_FITTED_WIDTH, 3);
        assert_eq!((measured.rows, measured.left_out), (3, 298));
        assert_eq!(cut_lists_at(&report, 3).first(), Some(&("Actions", 298)));
        assert!(cut_lists(&report).is_empty());
    }

    #[test]
    fn headings() {
        assert_eq!(heading_of("sub_objective"), "Sub-objective");
        assert_eq!(heading_of("latest_note"), "Latest note");
        assert_eq!(heading_of("key"), "Key");
    }
}
