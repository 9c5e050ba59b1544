//! The workbook read back with calamine: sheets, one row per action, ratings and fills.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use ragplan_core::Dimension;
use ragplan_report::chip::{palette, rgb};
use ragplan_report::xlsx::SHEETS;
use ragplan_report::{Format, render};

use crate::common::coventry_report;

fn open(bytes: Vec<u8>) -> Xlsx<Cursor<Vec<u8>>> {
    Xlsx::new(Cursor::new(bytes)).unwrap()
}

fn cell_text(data: Option<&Data>) -> String {
    data.map(ToString::to_string).unwrap_or_default()
}

#[test]
fn sheets_rows_ratings_and_fills() {
    let coventry = coventry_report();
    let (ratings, report) = (coventry.ratings(), &coventry.report);
    let mut book = open(render(report, Format::Xlsx).unwrap());
    assert_eq!(book.sheet_names(), SHEETS.map(String::from).to_vec());

    let actions = book.worksheet_range("Actions").unwrap();
    let styles = book.worksheet_style("Actions").unwrap();
    let header: Vec<String> = (0..15).map(|c| cell_text(actions.get_value((0, c)))).collect();
    assert_eq!(
        &header[..6],
        ["Key", "Objective", "Sub-objective", "Action", "Delivery", "Outcome"]
    );

    let nodes: Vec<_> = ratings.actions().collect();
    assert!(nodes.len() > 10);
    assert_eq!(actions.height(), nodes.len() + 1, "one row per action below the header");
    for (i, node) in nodes.iter().enumerate() {
        let row = i as u32 + 1;
        assert_eq!(cell_text(actions.get_value((row, 0))), node.key().unwrap().as_str());
        assert_eq!(cell_text(actions.get_value((row, 3))), node.title());
        let delivery = node.rating(Dimension::Delivery);
        for (col, rating) in [(4, delivery), (5, node.rating(Dimension::Outcome))] {
            assert_eq!(
                cell_text(actions.get_value((row, col))),
                rating.label(),
                "row {row} col {col}"
            );
            let fill = styles
                .get((row, col))
                .and_then(|s| s.fill.clone())
                .unwrap_or_else(|| panic!("no fill at {row},{col}"));
            assert!(fill.is_visible());
            let colour = fill.get_color().unwrap();
            let got = (u32::from(colour.red) << 16)
                | (u32::from(colour.green) << 8)
                | u32::from(colour.blue);
            assert_eq!(
                Some(got),
                rgb(palette(rating).fill),
                "fill of {} at row {row}",
                rating.label()
            );
        }
        // A text cell has no fill.
        assert!(styles.get((row, 0)).and_then(|s| s.fill.as_ref()).is_none_or(|f| !f.is_visible()));
    }

    let summary = book.worksheet_range("Summary").unwrap();
    assert_eq!(cell_text(summary.get_value((0, 0))), report.title);
    let delivery_row = (0..summary.height() as u32)
        .find(|r| cell_text(summary.get_value((*r, 0))) == "Delivery")
        .unwrap();
    assert_eq!(
        cell_text(summary.get_value((delivery_row, 2))),
        ratings.whole().rating(Dimension::Delivery).label()
    );
}

#[test]
fn exceptions_and_movement_sheets_list_what_the_report_lists() {
    let report = coventry_report().report;
    let mut book = open(render(&report, Format::Xlsx).unwrap());
    let exceptions = book.worksheet_range("Exceptions").unwrap();
    let n_items: usize = report.exceptions.iter().map(|g| g.items.len()).sum();
    assert_eq!(exceptions.height(), n_items + 1);
    let red_rows = (1..exceptions.height() as u32)
        .filter(|r| cell_text(exceptions.get_value((*r, 0))) == "Red")
        .count();
    assert_eq!(red_rows, report.exceptions[0].items.len());

    let movement = book.worksheet_range("Movement").unwrap();
    let moved = report.movement.as_ref().unwrap();
    let n_moved = moved.worsened.len()
        + moved.improved.len()
        + moved.completed.len()
        + moved.new.len()
        + moved.removed.len()
        + moved.rerated.len();
    assert!(n_moved > 0);
    assert_eq!(movement.height(), n_moved + 1);
    let worsened = &moved.worsened[0];
    assert_eq!(cell_text(movement.get_value((1, 0))), "Worsened");
    assert_eq!(cell_text(movement.get_value((1, 1))), worsened.key);
    assert_eq!(
        cell_text(movement.get_value((1, 4))),
        worsened.from.map(|c| c.label).unwrap_or_default()
    );
}

#[test]
fn without_a_previous_report_the_movement_sheet_says_so() {
    let plan = crate::common::coventry_plan();
    let (now, _) = crate::common::rated(&plan, crate::common::day(2015, 6, 30), None);
    let report = ragplan_report::Report::build(&now, None, &Default::default());
    let mut book = open(render(&report, Format::Xlsx).unwrap());
    let movement = book.worksheet_range("Movement").unwrap();
    assert_eq!(cell_text(movement.get_value((1, 0))), "No previous report to compare with.");
}

/// The XML of a part of the workbook.
fn part(bytes: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut file = archive.by_name(name).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut file, &mut xml).unwrap();
    xml
}

#[test]
fn the_actions_sheet_has_an_autofilter_a_frozen_header_and_set_widths() {
    let coventry = coventry_report();
    let bytes = render(&coventry.report, Format::Xlsx).unwrap();
    let workbook = part(&bytes, "xl/workbook.xml");
    assert!(workbook.contains(r#"<sheet name="Actions" sheetId="2""#), "{workbook}");
    let sheet = part(&bytes, "xl/worksheets/sheet2.xml");
    let last_row = coventry.ratings().actions().count() + 1;
    assert!(sheet.contains(&format!(r#"<autoFilter ref="A1:O{last_row}"/>"#)), "{sheet}");
    assert!(sheet.contains(r#"ySplit="1""#) && sheet.contains(r#"state="frozen""#));
    // Every column from A to O has a set width (neighbours of equal width share a
    // <col> element).
    let cols = &sheet[sheet.find("<cols>").unwrap()..sheet.find("</cols>").unwrap()];
    assert_eq!(cols.matches("<col ").count(), cols.matches(r#"customWidth="1""#).count());
    assert!(cols.starts_with(r#"<cols><col min="1""#) && cols.contains(r#"max="15""#), "{cols}");
}
