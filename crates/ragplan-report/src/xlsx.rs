//! The spreadsheet: sheets Summary, Actions, Exceptions and Movement, written with
//! rust_xlsxwriter.
//!
//! Rating cells hold the rating's word (`Amber/Red`) and are filled with its colour
//! ([`crate::chip::palette`]), so the word carries the rating and the colour only adds
//! to it. The Actions sheet has one row per action, an autofilter, a frozen header row
//! and column widths that fit the content.

use chrono::Datelike;
use ragplan_core::Rating;
use rust_xlsxwriter::{Color, ExcelDateTime, Format, FormatBorder, Workbook, Worksheet, XlsxError};

use crate::chip::{Chip, palette, rgb};
use crate::content::{MovedNode, Report};
use crate::csv::ACTION_COLUMNS;
use crate::error::{ReportError, Result};

/// The sheet names, in order.
pub const SHEETS: [&str; 4] = ["Summary", "Actions", "Exceptions", "Movement"];

/// Widths (in characters) of the Actions sheet's columns, in [`ACTION_COLUMNS`]
/// order.
const ACTION_WIDTHS: [f64; 15] =
    [8.0, 30.0, 30.0, 50.0, 13.0, 13.0, 13.0, 24.0, 24.0, 24.0, 16.0, 11.0, 18.0, 60.0, 40.0];

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

    summary(workbook.add_worksheet(), report, &formats).map_err(err("Summary"))?;
    actions(workbook.add_worksheet(), report, &formats).map_err(err("Actions"))?;
    exceptions(workbook.add_worksheet(), report, &formats).map_err(err("Exceptions"))?;
    movement(workbook.add_worksheet(), report, &formats).map_err(err("Movement"))?;
    workbook.save_to_buffer().map_err(err("Summary"))
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
    sheet.set_column_width(0, 22)?;
    sheet.set_column_width(1, 60)?;
    sheet.set_column_width(2, 14)?;
    sheet.set_column_width(3, 14)?;
    write_text(sheet, 0, 0, &report.title, &f.title)?;
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
    pair(sheet, "Actions", &report.plan.n_actions.to_string())?;

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
            &f.text,
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
    Ok(())
}

fn header_row(
    sheet: &mut Worksheet,
    headers: &[&str],
    widths: &[f64],
    f: &Formats,
) -> Result<(), XlsxError> {
    for (col, (head, width)) in headers.iter().zip(widths).enumerate() {
        let col = col as u16;
        write_text(sheet, 0, col, *head, &f.header)?;
        sheet.set_column_width(col, *width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

fn actions(sheet: &mut Worksheet, report: &Report, f: &Formats) -> Result<(), XlsxError> {
    sheet.set_name(SHEETS[1])?;
    let headers: Vec<String> = ACTION_COLUMNS.iter().map(|h| heading_of(h)).collect();
    let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
    header_row(sheet, &headers, &ACTION_WIDTHS, f)?;
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
    sheet.autofilter(0, 0, row, (ACTION_COLUMNS.len() - 1) as u16)?;
    Ok(())
}

fn exceptions(sheet: &mut Worksheet, report: &Report, f: &Formats) -> Result<(), XlsxError> {
    sheet.set_name(SHEETS[2])?;
    header_row(
        sheet,
        &["Exception", "Key", "Title", "Delivery", "Why"],
        &[26.0, 8.0, 50.0, 13.0, 80.0],
        f,
    )?;
    let mut row = 0;
    for group in &report.exceptions {
        for item in &group.items {
            row += 1;
            write_text(sheet, row, 0, group.heading, &f.text)?;
            write_text(sheet, row, 1, &item.key, &f.text)?;
            write_text(sheet, row, 2, &item.title, &f.text)?;
            rating_cell(sheet, row, 3, item.rating, f)?;
            write_text(sheet, row, 4, &item.reason, &f.text)?;
        }
    }
    sheet.autofilter(0, 0, row, 4)?;
    Ok(())
}

fn movement(sheet: &mut Worksheet, report: &Report, f: &Formats) -> Result<(), XlsxError> {
    sheet.set_name(SHEETS[3])?;
    header_row(
        sheet,
        &["Change", "Key", "Level", "Title", "Was", "Now"],
        &[12.0, 8.0, 14.0, 50.0, 13.0, 13.0],
        f,
    )?;
    let Some(movement) = &report.movement else {
        write_text(sheet, 1, 0, "No previous report to compare with.", &f.text)?;
        return Ok(());
    };
    let groups: [(&str, &Vec<MovedNode>); 6] = [
        ("Worsened", &movement.worsened),
        ("Improved", &movement.improved),
        ("Completed", &movement.completed),
        ("New", &movement.new),
        ("Removed", &movement.removed),
        ("Rerated", &movement.rerated),
    ];
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
    } else {
        sheet.autofilter(0, 0, row, 5)?;
    }
    Ok(())
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
        assert_eq!(ACTION_WIDTHS.len(), ACTION_COLUMNS.len());
    }
}
