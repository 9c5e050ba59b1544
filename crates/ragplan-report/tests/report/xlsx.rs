//! The workbook read back with calamine: sheets, one row per action, ratings and fills.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use ragplan_core::{Dimension, Rating};
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
        worsened.from.map(|c| c.label()).unwrap_or_default()
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

/// Every part of a zip but its creation time, by name.
fn parts_but_the_time(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let names: Vec<String> = archive.file_names().map(|n| n.unwrap().into_owned()).collect();
    names
        .into_iter()
        .filter(|name| name != "docProps/core.xml")
        .map(|name| {
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut archive.by_name(&name).unwrap(), &mut bytes).unwrap();
            (name, bytes)
        })
        .collect()
}

#[test]
fn the_workbook_written_into_a_file_is_the_one_made_in_memory() {
    let coventry = coventry_report();
    let made = render(&coventry.report, Format::Xlsx).unwrap();
    let mut file = Cursor::new(b"left over from before".to_vec());
    ragplan_report::render_to_seekable(&coventry.report, Format::Xlsx, &mut file).unwrap();
    assert!(file.get_ref().starts_with(b"PK"));
    assert_eq!(parts_but_the_time(file.get_ref()), parts_but_the_time(&made));
}

#[test]
fn each_list_is_an_excel_table_with_a_frozen_header_and_fitted_widths() {
    let coventry = coventry_report();
    let bytes = render(&coventry.report, Format::Xlsx).unwrap();
    let workbook = part(&bytes, "xl/workbook.xml");
    assert!(workbook.contains(r#"<sheet name="Actions" sheetId="2""#), "{workbook}");
    let sheet = part(&bytes, "xl/worksheets/sheet2.xml");
    let last_row = coventry.ratings().actions().count() + 1;
    let table = part(&bytes, "xl/tables/table1.xml");
    assert!(table.contains(r#"name="Actions""#), "{table}");
    assert!(table.contains(&format!(r#"ref="A1:O{last_row}""#)), "{table}");
    assert!(table.contains(&format!(r#"<autoFilter ref="A1:O{last_row}"/>"#)), "{table}");
    assert!(sheet.contains(r#"ySplit="1""#) && sheet.contains(r#"state="frozen""#));
    // Every column from A to O is fitted to its content (neighbours of equal width
    // share a <col> element), none wider than about 30 characters.
    let cols = &sheet[sheet.find("<cols>").unwrap()..sheet.find("</cols>").unwrap()];
    assert_eq!(cols.matches("<col ").count(), cols.matches(r#"customWidth="1""#).count());
    assert!(cols.starts_with(r#"<cols><col min="1""#) && cols.contains(r#"max="15""#), "{cols}");
    for width in cols.split(r#"width=""#).skip(1) {
        let width: f64 = width[..width.find('"').unwrap()].parse().unwrap();
        assert!((4.0..=31.0).contains(&width), "{width} in {cols}");
    }
    // Every list sheet's table, by name.
    let names: Vec<String> = (1..=6)
        .filter_map(|i| {
            let mut archive = zip::ZipArchive::new(Cursor::new(&bytes)).unwrap();
            let mut xml = String::new();
            let mut file = archive.by_name(&format!("xl/tables/table{i}.xml")).ok()?;
            std::io::Read::read_to_string(&mut file, &mut xml).unwrap();
            let name = xml.split(r#" name=""#).nth(1)?;
            Some(name[..name.find('"')?].to_owned())
        })
        .collect();
    // Each table covers its list's rows, whichever sheet it is on.
    let by_owner = (1..=6)
        .map(|i| part(&bytes, &format!("xl/tables/table{i}.xml")))
        .find(|xml| xml.contains(r#"name="ByOwner" displayName="ByOwner""#))
        .unwrap();
    let last = coventry.report.owners.len() + 1;
    assert!(by_owner.contains(&format!(r#" ref="A1:K{last}""#)), "{by_owner}");
    assert!(by_owner.contains(&format!(r#"<autoFilter ref="A1:K{last}"/>"#)), "{by_owner}");
    let mut want = vec!["Actions", "Exceptions", "Movement", "ByOwner", "ByPartner"];
    if !coventry.report.trend.is_empty() {
        want.push("Trend");
    }
    assert_eq!(names, want);
}

#[test]
fn every_sheet_prints_landscape_on_a4_one_page_wide_with_its_header_repeated() {
    let coventry = coventry_report();
    let bytes = render(&coventry.report, Format::Xlsx).unwrap();
    let workbook = part(&bytes, "xl/workbook.xml");
    for (i, name) in SHEETS.iter().enumerate() {
        let sheet = part(&bytes, &format!("xl/worksheets/sheet{}.xml", i + 1));
        assert!(sheet.contains(r#"<pageSetUpPr fitToPage="1"/>"#), "{name}");
        assert!(
            sheet.contains(r#"<pageSetup paperSize="9" fitToHeight="0" orientation="landscape""#),
            "{name}: {sheet}"
        );
        assert!(sheet.contains("<oddFooter>&amp;CPage &amp;P of &amp;N</oddFooter>"), "{name}");
        assert!(sheet.contains("&amp;RAs of 30 June 2015</oddHeader>"), "{name}");
        let quoted = if name.contains(' ') { format!("'{name}'") } else { (*name).to_owned() };
        let titles = format!(r#"localSheetId="{i}">{quoted}!$1:$1</definedName>"#);
        assert_eq!(workbook.contains(&titles), i > 0, "{name}: {workbook}");
    }
}

/// The numbers of a row from `col`, one a rating in [`Rating::ALL`] order: each
/// must be a number, not text.
fn numbers(range: &calamine::Range<Data>, row: u32, col: u32) -> Vec<u32> {
    Rating::ALL
        .iter()
        .enumerate()
        .map(|(i, _)| match range.get_value((row, col + i as u32)) {
            Some(Data::Float(n)) => *n as u32,
            other => panic!("row {row} col {}: {other:?} is not a number", col + i as u32),
        })
        .collect()
}

#[test]
fn by_owner_by_partner_and_trend_sheets_hold_the_reports_counts_as_numbers() {
    let report = coventry_report().report;
    let mut book = open(render(&report, Format::Xlsx).unwrap());
    for (sheet, who, holders) in [
        ("By owner", "Accountable owner", &report.owners),
        ("By partner", "Partner", &report.partners),
    ] {
        let range = book.worksheet_range(sheet).unwrap();
        assert!(!holders.is_empty(), "{sheet}");
        assert_eq!(cell_text(range.get_value((0, 0))), who);
        assert_eq!(cell_text(range.get_value((0, 3))), Rating::ALL[0].label());
        assert_eq!(range.height(), holders.len() + 1, "{sheet}");
        for (i, holder) in holders.iter().enumerate() {
            let row = i as u32 + 1;
            assert_eq!(cell_text(range.get_value((row, 0))), holder.name);
            assert_eq!(range.get_value((row, 1)), Some(&Data::Float(holder.counts.total.into())));
            assert_eq!(cell_text(range.get_value((row, 2))), holder.worst.label());
            let want: Vec<u32> = Rating::ALL.iter().map(|r| holder.counts.get(*r)).collect();
            assert_eq!(numbers(&range, row, 3), want, "{sheet} row {row}");
            assert_eq!(cell_text(range.get_value((row, 10))), holder.red_keys.join("; "));
        }
    }
    let trend = book.worksheet_range("Trend").unwrap();
    if report.trend.is_empty() {
        assert_eq!(cell_text(trend.get_value((1, 0))), "No history before this quarter.");
    }
    for (i, point) in report.trend.iter().enumerate() {
        let row = i as u32 + 1;
        assert_eq!(cell_text(trend.get_value((row, 0))), point.quarter);
        let want: Vec<u32> = Rating::ALL.iter().map(|r| point.counts.get(*r)).collect();
        assert_eq!(numbers(&trend, row, 2), want, "trend row {row}");
        assert_eq!(trend.get_value((row, 9)), Some(&Data::Float(point.counts.total.into())));
    }
    let summary = book.worksheet_range("Summary").unwrap();
    let actions_row = (0..summary.height() as u32)
        .find(|r| cell_text(summary.get_value((*r, 0))) == "Actions")
        .unwrap();
    let n_actions = report.plan.n_actions as f64;
    assert_eq!(summary.get_value((actions_row, 1)), Some(&Data::Float(n_actions)));
}

/// The text of the first `<t>` element after `marker` in `xml`, as written.
fn raw_text_after<'x>(xml: &'x str, marker: &str) -> &'x str {
    let at = xml.find(marker).unwrap_or_else(|| panic!("{marker} not in the part"));
    let start = at + xml[at..].find("<t").unwrap();
    let start = start + xml[start..].find('>').unwrap() + 1;
    &xml[start..start + xml[start..].find("</t>").unwrap()]
}

/// The list sheets' rows are written by the report, each string inline, while the
/// summary's strings are rust_xlsxwriter's shared strings. An objective's title, on
/// both sheets, is escaped the same way in each — entities, Excel's `_xHHHH_` for
/// control characters and for a literal `_xHHHH_`, kept spaces — and reads back the
/// same.
#[test]
fn list_rows_are_escaped_as_the_shared_strings_are() {
    let mut plan = crate::common::coventry_plan();
    let title = " Keep <children> & \"families\" safe\u{1} _x0041_ \u{fffe}\t";
    plan.objectives[0].title = title.to_owned();
    let (now, _) = crate::common::rated(&plan, crate::common::day(2015, 6, 30), None);
    let report = ragplan_report::Report::build(&now, None, &Default::default());
    let bytes = render(&report, Format::Xlsx).unwrap();

    let shared = part(&bytes, "xl/sharedStrings.xml");
    let actions = part(&bytes, "xl/worksheets/sheet2.xml");
    let written = r#" Keep &lt;children&gt; &amp; "families" safe_x0001_ _x005F_x0041_ _xFFFE_	"#;
    assert_eq!(raw_text_after(&shared, "<t xml:space=\"preserve\"> Keep"), written);
    assert_eq!(raw_text_after(&actions, "<c r=\"B2\""), written);
    assert!(actions.contains(r#"<c r="B2" s="2" t="inlineStr"><is><t xml:space="preserve">"#));

    let mut book = open(bytes);
    let summary = book.worksheet_range("Summary").unwrap();
    let row = (0..summary.height() as u32)
        .find(|r| cell_text(summary.get_value((*r, 0))) == report.objectives[0].key)
        .unwrap();
    let in_summary = cell_text(summary.get_value((row, 1)));
    let actions = book.worksheet_range("Actions").unwrap();
    assert_eq!(cell_text(actions.get_value((1, 1))), in_summary);
}

/// Each rating of the Movement sheet is filled with its colour, and an action with
/// no rating on one side has a blank cell there, as on the other list sheets.
#[test]
fn movement_ratings_are_filled_with_their_colours() {
    let report = coventry_report().report;
    let mut book = open(render(&report, Format::Xlsx).unwrap());
    let movement = book.worksheet_range("Movement").unwrap();
    let styles = book.worksheet_style("Movement").unwrap();
    let moved = report.movement.as_ref().unwrap();
    let mut row = 0;
    for (_, nodes) in moved.groups() {
        for node in nodes {
            row += 1;
            for (col, chip) in [(4, node.from), (5, node.to)] {
                let fill = styles.get((row, col)).and_then(|s| s.fill.clone());
                match chip {
                    Some(chip) => {
                        assert_eq!(cell_text(movement.get_value((row, col))), chip.label());
                        let colour = fill.and_then(|f| f.get_color()).unwrap();
                        let got = (u32::from(colour.red) << 16)
                            | (u32::from(colour.green) << 8)
                            | u32::from(colour.blue);
                        assert_eq!(Some(got), rgb(palette(chip.rating).fill), "row {row}");
                    }
                    None => assert_eq!(cell_text(movement.get_value((row, col))), ""),
                }
            }
        }
    }
    assert!(row > 0);
}
