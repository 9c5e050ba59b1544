//! The spreadsheet: sheets Summary, Actions, Exceptions, Movement, By owner, By
//! partner and Trend, written with rust_xlsxwriter.
//!
//! Rating cells hold the rating's word (`Amber/Red`) and are filled with its colour
//! ([`crate::chip::palette`]), so the word carries the rating and the colour only adds
//! to it. Every list is an Excel Table named after its sheet (`Actions`, `ByOwner`,
//! …), so that Power Query and pivot tables find it by name, with its own filter
//! buttons and a frozen header row; counts are numbers and due dates dates. Columns
//! are fitted to their content (up to a width, past which text wraps), and every
//! sheet prints landscape on A4, one page wide, its header row repeated on each
//! page, the plan and the as-of date at the top and the page number at the foot.

use chrono::Datelike;
use ragplan_core::Rating;
use rust_xlsxwriter::{
    Color, ExcelDateTime, Format, FormatBorder, Table, TableColumn, TableStyle, Workbook,
    Worksheet, XlsxError,
};

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

/// The most characters a spreadsheet cell holds.
pub const MAX_CELL_CHARS: usize = 32_767;

/// Writes text into a cell. Text longer than a cell holds ([`MAX_CELL_CHARS`]) is
/// cut, and the cell says so at its end with how much was left out; the whole text
/// stays in the plan and in the report's other formats.
fn write_text(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    text: impl AsRef<str>,
    format: &Format,
) -> std::result::Result<(), XlsxError> {
    let text = text.as_ref();
    let n_chars = text.chars().count();
    if n_chars <= MAX_CELL_CHARS {
        return sheet.write_string_with_format(row, col, text, format).map(|_| ());
    }
    let marker = |left_out: usize| {
        format!(" … [cut: {left_out} more characters do not fit in a cell; see the plan]")
    };
    // The marker's own length depends on the count it gives; one with the largest
    // count is at least as long as the one written.
    let room = MAX_CELL_CHARS - marker(n_chars).chars().count();
    let kept: String = text.chars().take(room).collect();
    let cell = format!("{kept}{}", marker(n_chars - room));
    sheet.write_string_with_format(row, col, cell, format).map(|_| ())
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
}

/// Writes the report as an XLSX workbook.
///
/// # Errors
/// [`ReportError::Xlsx`] naming the sheet, if the writer refuses (for example a sheet
/// over Excel's row limit).
pub fn write_xlsx(report: &Report) -> Result<Vec<u8>> {
    let formats = Formats::new();
    let mut workbook = Workbook::new();
    // Fast compression: a 10,000-action workbook is written in well under a second,
    // for a file a little larger than at the default level.
    workbook.set_zip_compression_level(1);
    let err = |sheet: &'static str| {
        move |e: XlsxError| ReportError::Xlsx { sheet, message: e.to_string() }
    };

    summary(workbook.add_worksheet(), report, &formats).map_err(err(SHEETS[0]))?;
    actions(workbook.add_worksheet(), report, &formats).map_err(err(SHEETS[1]))?;
    exceptions(workbook.add_worksheet(), report, &formats).map_err(err(SHEETS[2]))?;
    movement(workbook.add_worksheet(), report, &formats).map_err(err(SHEETS[3]))?;
    let owners = Holders {
        sheet: SHEETS[4],
        table: "ByOwner",
        who: "Accountable owner",
        none: "No action has an accountable owner.",
        holders: &report.owners,
    };
    holders(workbook.add_worksheet(), &owners, &formats).map_err(err(SHEETS[4]))?;
    let partners = Holders {
        sheet: SHEETS[5],
        table: "ByPartner",
        who: "Partner",
        none: "No action names a partner.",
        holders: &report.partners,
    };
    holders(workbook.add_worksheet(), &partners, &formats).map_err(err(SHEETS[5]))?;
    trend(workbook.add_worksheet(), report, &formats).map_err(err(SHEETS[6]))?;
    for sheet in workbook.worksheets_mut() {
        print_setup(sheet, report).map_err(err("page setup"))?;
    }
    workbook.save_to_buffer().map_err(err("the workbook"))
}

fn rating_cell(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    chip: Chip,
    formats: &Formats,
) -> Result<(), XlsxError> {
    write_text(sheet, row, col, chip.label, formats.rating(chip.rating))?;
    Ok(())
}

fn summary(sheet: &mut Worksheet, report: &Report, f: &Formats) -> Result<(), XlsxError> {
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

/// Makes the sheet's list — `headers` on row 0, rows 1 to `last_row` below — an
/// Excel Table named `name`, and fits its columns. A list with no rows stays a
/// header alone (a table needs a row).
fn as_table(
    sheet: &mut Worksheet,
    name: &str,
    headers: &[&str],
    last_row: u32,
    f: &Formats,
) -> Result<(), XlsxError> {
    if last_row > 0 {
        let columns: Vec<TableColumn> = headers
            .iter()
            .map(|h| TableColumn::new().set_header(*h).set_header_format(&f.header))
            .collect();
        let table = Table::new().set_name(name).set_columns(&columns).set_style(TableStyle::Light1);
        sheet.add_table(0, 0, last_row, (headers.len() - 1) as u16, &table)?;
    }
    fit_columns(sheet);
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
fn print_setup(sheet: &mut Worksheet, report: &Report) -> Result<(), XlsxError> {
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

fn actions(sheet: &mut Worksheet, report: &Report, f: &Formats) -> Result<(), XlsxError> {
    sheet.set_name(SHEETS[1])?;
    let headers: Vec<String> = ACTION_COLUMNS.iter().map(|h| heading_of(h)).collect();
    let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
    header_row(sheet, &headers, f)?;
    let mut row = 0;
    for action in &report.actions {
        row += 1;
        let text_cells: [(u16, &str); 4] = [
            (0, &action.key),
            (1, &action.objective),
            (2, action.sub_objective.as_deref().unwrap_or("")),
            (3, &action.title),
        ];
        for (col, text) in text_cells {
            write_text(sheet, row, col, text, &f.text)?;
        }
        rating_cell(sheet, row, 4, action.delivery, f)?;
        rating_cell(sheet, row, 5, action.outcome, f)?;
        write_text(sheet, row, 6, &action.status, &f.text)?;
        write_text(sheet, row, 7, action.accountable.join("; "), &f.text)?;
        write_text(sheet, row, 8, action.responsible.join("; "), &f.text)?;
        write_text(sheet, row, 9, action.partners.join("; "), &f.text)?;
        write_text(sheet, row, 10, &action.timescale, &f.text)?;
        match action.due.and_then(excel_date) {
            Some(date) => sheet.write_datetime_with_format(row, 11, date, &f.date).map(|_| ())?,
            None => write_text(sheet, row, 11, "", &f.text)?,
        };
        write_text(sheet, row, 12, action.flags.join("; "), &f.text)?;
        write_text(sheet, row, 13, &action.reason, &f.text)?;
        write_text(sheet, row, 14, action.latest_note.as_deref().unwrap_or(""), &f.text)?;
    }
    as_table(sheet, "Actions", &headers, row, f)
}

fn exceptions(sheet: &mut Worksheet, report: &Report, f: &Formats) -> Result<(), XlsxError> {
    sheet.set_name(SHEETS[2])?;
    let headers = ["Exception", "Key", "Title", "Delivery", "Why"];
    header_row(sheet, &headers, f)?;
    let mut row = 0;
    for group in &report.exceptions {
        for item in group.items.iter() {
            row += 1;
            write_text(sheet, row, 0, group.heading, &f.text)?;
            write_text(sheet, row, 1, &item.key, &f.text)?;
            write_text(sheet, row, 2, &item.title, &f.text)?;
            rating_cell(sheet, row, 3, item.rating, f)?;
            write_text(sheet, row, 4, &item.reason, &f.text)?;
        }
    }
    as_table(sheet, "Exceptions", &headers, row, f)
}

fn movement(sheet: &mut Worksheet, report: &Report, f: &Formats) -> Result<(), XlsxError> {
    sheet.set_name(SHEETS[3])?;
    let headers = ["Change", "Key", "Level", "Title", "Was", "Now"];
    header_row(sheet, &headers, f)?;
    let Some(movement) = &report.movement else {
        write_text(sheet, 1, 0, "No previous report to compare with.", &f.text)?;
        fit_columns(sheet);
        return Ok(());
    };
    let groups = movement.groups();
    let mut row = 0;
    for (change, nodes) in groups {
        for node in nodes {
            row += 1;
            write_text(sheet, row, 0, change, &f.text)?;
            write_text(sheet, row, 1, &node.key, &f.text)?;
            write_text(sheet, row, 2, node.kind.replace('_', "-"), &f.text)?;
            write_text(sheet, row, 3, &node.title, &f.text)?;
            for (col, chip) in [(4, node.from), (5, node.to)] {
                match chip {
                    Some(chip) => rating_cell(sheet, row, col, chip, f)?,
                    None => {
                        write_text(sheet, row, col, "", &f.text)?;
                    }
                }
            }
        }
    }
    if row == 0 {
        write_text(sheet, 1, 0, "No change since the previous report.", &f.text)?;
    }
    as_table(sheet, "Movement", &headers, row, f)
}

/// The header of a sheet of counts: `first` columns, then one a rating.
fn count_headers<'h>(first: &[&'h str], last: &[&'h str]) -> Vec<&'h str> {
    let ratings = Rating::ALL.map(|r| r.label());
    first.iter().copied().chain(ratings).chain(last.iter().copied()).collect()
}

/// Writes `counts`, one rating a column from `col`, as numbers.
fn count_cells(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    counts: &Counts,
    f: &Formats,
) -> Result<(), XlsxError> {
    for (i, rating) in Rating::ALL.into_iter().enumerate() {
        sheet.write_number_with_format(row, col + i as u16, counts.get(rating), &f.count)?;
    }
    Ok(())
}

/// What a By owner or By partner sheet lists.
struct Holders<'r> {
    /// The sheet's name.
    sheet: &'static str,
    /// Its table's name (a name with no spaces).
    table: &'static str,
    /// What a row is: the first column's header.
    who: &'static str,
    /// What the sheet says when there is no one to list.
    none: &'static str,
    holders: &'r [HolderSummary],
}

/// By owner or By partner: one row for each holder, with the actions they hold, the
/// worst rating among them, the count of each rating and the keys of those rated
/// Red.
fn holders(sheet: &mut Worksheet, list: &Holders<'_>, f: &Formats) -> Result<(), XlsxError> {
    sheet.set_name(list.sheet)?;
    let headers = count_headers(&[list.who, "Actions", "Worst"], &["Red actions"]);
    header_row(sheet, &headers, f)?;
    let mut row = 0;
    for holder in list.holders {
        row += 1;
        write_text(sheet, row, 0, &holder.name, &f.text)?;
        sheet.write_number_with_format(row, 1, holder.counts.total, &f.count)?;
        rating_cell(sheet, row, 2, holder.worst, f)?;
        count_cells(sheet, row, 3, &holder.counts, f)?;
        write_text(sheet, row, 3 + Rating::ALL.len() as u16, holder.red_keys.join("; "), &f.text)?;
    }
    if row == 0 {
        write_text(sheet, 1, 0, list.none, &f.text)?;
    }
    as_table(sheet, list.table, &headers, row, f)
}

/// Trend: the delivery counts at the end of each quarter the plan's history covers.
fn trend(sheet: &mut Worksheet, report: &Report, f: &Formats) -> Result<(), XlsxError> {
    sheet.set_name(SHEETS[6])?;
    let headers = count_headers(&["Quarter", "As of"], &["Actions"]);
    header_row(sheet, &headers, f)?;
    let mut row = 0;
    for point in &report.trend {
        row += 1;
        write_text(sheet, row, 0, &point.quarter, &f.text)?;
        match excel_date(point.as_of) {
            Some(date) => sheet.write_datetime_with_format(row, 1, date, &f.date).map(|_| ())?,
            None => write_text(sheet, row, 1, point.as_of.to_string(), &f.text)?,
        }
        count_cells(sheet, row, 2, &point.counts, f)?;
        let total_col = 2 + Rating::ALL.len() as u16;
        sheet.write_number_with_format(row, total_col, point.counts.total, &f.count)?;
    }
    if row == 0 {
        write_text(sheet, 1, 0, "No history before this quarter.", &f.text)?;
    }
    as_table(sheet, "Trend", &headers, row, f)
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

    #[test]
    fn headings() {
        assert_eq!(heading_of("sub_objective"), "Sub-objective");
        assert_eq!(heading_of("latest_note"), "Latest note");
        assert_eq!(heading_of("key"), "Key");
    }
}
