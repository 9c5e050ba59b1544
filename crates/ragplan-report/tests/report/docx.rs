//! The Word document read back from its XML: paragraphs and their styles, tables
//! cell by cell with their shading, sections with their page size and orientation,
//! and the header and footer of each, for the Coventry plan.

use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use ragplan_core::{Dimension, Place, Rating};
use ragplan_report::Report;
use ragplan_report::chip::palette;
use ragplan_report::content::ExceptionKind;
use ragplan_report::docx::write_docx;
use ragplan_report::docx::{LANDSCAPE_TEXT_WIDTH, OBJECTIVE_COLUMNS, PORTRAIT_TEXT_WIDTH};

use crate::common::{coventry_plan, coventry_report, day, rated};

/// A part of the package, as text.
pub(crate) fn part(bytes: &[u8], name: &str) -> Option<String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut file = archive.by_name(name).ok()?;
    let mut xml = String::new();
    file.read_to_string(&mut xml).unwrap();
    Some(xml)
}

#[derive(Debug, Default, Clone)]
pub(crate) struct Cell {
    text: String,
    fill: Option<String>,
    span: usize,
}

#[derive(Debug, Default, Clone)]
pub(crate) struct Row {
    cells: Vec<Cell>,
    repeats: bool,
}

#[derive(Debug, Default, Clone)]
pub(crate) struct TableRead {
    pub(crate) rows: Vec<Row>,
    grid: Vec<usize>,
    /// The section it is in, from 0.
    section: usize,
}

impl TableRead {
    pub(crate) fn texts(&self, row: usize) -> Vec<&str> {
        self.rows[row].cells.iter().map(|c| c.text.as_str()).collect()
    }
}

#[derive(Debug, Default, Clone)]
struct Para {
    style: Option<String>,
    text: String,
}

#[derive(Debug, Default, Clone)]
struct SectionRead {
    width: u32,
    height: u32,
    orient: String,
    headers: Vec<String>,
    footers: Vec<String>,
}

#[derive(Debug, Default)]
pub(crate) struct Body {
    paragraphs: Vec<Para>,
    pub(crate) tables: Vec<TableRead>,
    sections: Vec<SectionRead>,
    bookmarks: Vec<String>,
    links: Vec<String>,
}

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes().flatten().find(|a| a.key.as_ref() == name).map(|a| a.value.clone().into_owned())
}

/// Reads `word/document.xml`: top-level paragraphs and tables, in order, and the
/// sections (a paragraph's `w:sectPr` ends a section; the body's last is the last).
pub(crate) fn read_body(xml: &str) -> Body {
    let mut body = Body::default();
    let mut reader = Reader::from_str(xml);
    let (mut table, mut row, mut cell, mut para): (
        Option<TableRead>,
        Option<Row>,
        Option<Cell>,
        Option<Para>,
    ) = (None, None, None, None);
    let mut in_text = false;
    let mut section = SectionRead::default();
    loop {
        let event = reader.read_event().unwrap();
        let (e, empty) = match &event {
            Event::Start(e) => (Some(e.clone()), false),
            Event::Empty(e) => (Some(e.clone()), true),
            _ => (None, false),
        };
        if let Some(e) = e {
            match e.name().as_ref() {
                "w:tbl" => {
                    table = Some(TableRead { section: body.sections.len(), ..Default::default() })
                }
                "w:gridCol" => {
                    if let Some(t) = &mut table {
                        t.grid.push(attr(&e, "w:w").unwrap().parse().unwrap());
                    }
                }
                "w:tr" => row = Some(Row::default()),
                "w:tblHeader" => row.as_mut().unwrap().repeats = true,
                "w:tc" => cell = Some(Cell { span: 1, ..Default::default() }),
                "w:gridSpan" => {
                    cell.as_mut().unwrap().span = attr(&e, "w:val").unwrap().parse().unwrap()
                }
                "w:shd" => {
                    if let Some(c) = &mut cell {
                        c.fill = attr(&e, "w:fill");
                    }
                }
                "w:p" if cell.is_none() && !empty => para = Some(Para::default()),
                "w:p" => {
                    if let Some(c) = &mut cell
                        && !c.text.is_empty()
                    {
                        c.text.push('\n');
                    }
                }
                "w:pStyle" => {
                    if let Some(p) = &mut para {
                        p.style = attr(&e, "w:val");
                    }
                }
                "w:t" if !empty => in_text = true,
                "w:tab" | "w:br" if empty && (para.is_some() || cell.is_some()) => {
                    let c = if e.name().as_ref() == "w:tab" { '\t' } else { '\n' };
                    match (&mut cell, &mut para) {
                        (Some(cell), _) => cell.text.push(c),
                        (None, Some(p)) => p.text.push(c),
                        _ => {}
                    }
                }
                "w:pgSz" => {
                    section.width = attr(&e, "w:w").unwrap().parse().unwrap();
                    section.height = attr(&e, "w:h").unwrap().parse().unwrap();
                    section.orient = attr(&e, "w:orient").unwrap_or_default();
                }
                "w:headerReference" => section.headers.push(attr(&e, "r:id").unwrap()),
                "w:footerReference" => section.footers.push(attr(&e, "r:id").unwrap()),
                "w:bookmarkStart" => body.bookmarks.push(attr(&e, "w:name").unwrap()),
                "w:hyperlink" => body.links.push(attr(&e, "w:anchor").unwrap_or_default()),
                _ => {}
            }
        }
        match event {
            Event::Text(t) if in_text => {
                let text = t.xml10_content().into_owned();
                match (&mut cell, &mut para) {
                    (Some(c), _) => c.text.push_str(&text),
                    (None, Some(p)) => p.text.push_str(&text),
                    _ => {}
                }
            }
            Event::GeneralRef(r) => {
                let text = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => quick_xml::escape::resolve_predefined_entity(&r).unwrap_or("").to_owned(),
                };
                match (&mut cell, &mut para) {
                    (Some(c), _) => c.text.push_str(&text),
                    (None, Some(p)) => p.text.push_str(&text),
                    _ => {}
                }
            }
            Event::End(e) => match e.name().as_ref() {
                "w:t" => in_text = false,
                "w:tc" => row.as_mut().unwrap().cells.push(cell.take().unwrap()),
                "w:tr" => table.as_mut().unwrap().rows.push(row.take().unwrap()),
                "w:tbl" => body.tables.push(table.take().unwrap()),
                "w:p" if cell.is_none() => {
                    if let Some(p) = para.take() {
                        body.paragraphs.push(p);
                    }
                }
                "w:sectPr" => body.sections.push(std::mem::take(&mut section)),
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    body
}

/// The text of a header or footer part.
fn part_text(xml: &str) -> String {
    let mut reader = Reader::from_str(xml);
    let (mut text, mut in_text, mut in_run) = (String::new(), false, false);
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) if e.name().as_ref() == "w:r" => in_run = true,
            Event::End(e) if e.name().as_ref() == "w:r" => in_run = false,
            Event::Start(e) if e.name().as_ref() == "w:t" => in_text = true,
            Event::End(e) if e.name().as_ref() == "w:t" => in_text = false,
            Event::Empty(e) if e.name().as_ref() == "w:tab" && in_run => text.push('\t'),
            Event::Start(e) if e.name().as_ref() == "w:instrText" => text.push('{'),
            Event::End(e) if e.name().as_ref() == "w:instrText" => text.push('}'),
            Event::Text(t) => {
                let t = t.xml10_content().into_owned();
                if in_text || text.ends_with('{') {
                    text.push_str(&t);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    text
}

/// The part a relationship id of `document.xml` names.
fn target(bytes: &[u8], id: &str) -> String {
    let rels = part(bytes, "word/_rels/document.xml.rels").unwrap();
    let at = rels.find(&format!(r#"Id="{id}""#)).unwrap_or_else(|| panic!("no {id} in {rels}"));
    let rest = &rels[at..];
    let start = rest.find(r#"Target=""#).unwrap() + 8;
    format!("word/{}", &rest[start..start + rest[start..].find('"').unwrap()])
}

fn fill_of(rating: Rating) -> String {
    palette(rating).fill.trim_start_matches('#').to_ascii_uppercase()
}

/// A rating cell holds the chip's shape and word and the rating's fill.
fn assert_chip(cell: &Cell, rating: Rating, at: &str) {
    let chip = ragplan_report::chip(rating);
    assert_eq!(cell.text, format!("{} {}", chip.0, chip.1), "{at}");
    assert_eq!(cell.fill.as_deref(), Some(fill_of(rating).as_str()), "fill at {at}");
}

fn coventry_docx() -> (Report<'static>, Vec<u8>, Body) {
    let report = coventry_report().report;
    let bytes = write_docx(&report).unwrap();
    let body = read_body(&part(&bytes, "word/document.xml").unwrap());
    (report, bytes, body)
}

fn heading_index(body: &Body, text: &str) -> usize {
    body.paragraphs.iter().position(|p| p.text == text).unwrap_or_else(|| panic!("no {text:?}"))
}

#[test]
fn the_title_block_and_summary_give_the_headline_and_counts() {
    let coventry = coventry_report();
    let ratings = coventry.ratings();
    let (report, _, body) = coventry_docx();
    let title = &body.paragraphs[0];
    assert_eq!(
        (title.style.as_deref(), title.text.as_str()),
        (Some("Title"), report.title.as_str())
    );
    assert_eq!(
        body.paragraphs[1].text,
        "Progress as of 30 June 2015 (Q1 2015/16), compared with the report of 31 March 2015."
    );
    let block = &body.tables[0];
    assert_eq!(block.texts(0), ["Plan", report.plan.title.as_str()]);
    let as_of = block.rows.iter().find(|r| r.cells[0].text == "As of").unwrap();
    assert_eq!(as_of.cells[1].text, "30 June 2015 (Q1 2015/16)");

    // The headline: each dimension's rating, worded and shaded, and its counts.
    let headline = &body.tables[1];
    assert_eq!(headline.texts(0), ["Dimension", "Rating", "Actions"]);
    let delivery = ratings.whole().rating(Dimension::Delivery);
    assert_eq!(headline.rows[1].cells[0].text, "Delivery");
    assert_chip(&headline.rows[1].cells[1], delivery, "headline delivery");
    let counts = &report.headline.delivery.counts;
    assert_eq!(headline.rows[1].cells[2].text, format!("{}: {}", counts.total, counts.text()));
    assert_chip(&headline.rows[2].cells[1], ratings.whole().rating(Dimension::Outcome), "outcome");
    let reason = &report.headline.delivery.reasons[0];
    assert!(body.paragraphs.iter().any(|p| p.text == format!("Delivery: {reason}")), "{reason}");

    // The data gaps, each linked to the list that names it.
    let gaps = body.paragraphs.iter().find(|p| p.text.starts_with("Of the ")).unwrap();
    for gap in &report.headline.gaps {
        assert!(gaps.text.contains(&format!("{} {}", gap.count, gap.text)), "{}", gaps.text);
        let bookmark = gap.anchor.replace('-', "_");
        assert!(body.links.contains(&bookmark) && body.bookmarks.contains(&bookmark), "{bookmark}");
    }

    // The counts by rating, as numbers beside each rating's chip.
    let by_rating = body.tables.iter().find(|t| t.texts(0) == ["Rating", "Actions"]).unwrap();
    assert_eq!(by_rating.rows.len(), 1 + Rating::ALL.len());
    for (i, rating) in Rating::ALL.into_iter().enumerate() {
        assert_chip(&by_rating.rows[i + 1].cells[0], rating, "counts");
        assert_eq!(by_rating.rows[i + 1].cells[1].text, counts.get(rating).to_string());
    }
}

#[test]
fn the_chart_draws_each_objective_as_shaded_segments_with_its_counts_in_words() {
    let (report, _, body) = coventry_docx();
    let chart = body
        .tables
        .iter()
        .find(|t| {
            t.rows.first().is_some_and(|r| r.cells[0].text.starts_with(&report.objectives[0].key))
        })
        .expect("the objectives chart");
    assert_eq!(chart.rows.len(), report.objectives.len());
    for (row, objective) in chart.rows.iter().zip(&report.objectives) {
        let counts = &objective.delivery.counts;
        let segments: Vec<&Cell> = row.cells.iter().filter(|c| c.fill.is_some()).collect();
        let drawn: Vec<Rating> = counts.non_zero().map(|(r, _)| r).collect();
        assert_eq!(segments.len(), drawn.len());
        for (cell, rating) in segments.iter().zip(&drawn) {
            assert_eq!(cell.fill.as_deref(), Some(fill_of(*rating).as_str()));
            // A segment that carries text carries its rating's shape and count.
            let want = format!("{} {}", ragplan_report::chip(*rating).0, counts.get(*rating));
            assert!(cell.text.is_empty() || cell.text == want, "{:?} {want}", cell.text);
        }
        // Every number is written in words after the bar, and the columns add up.
        assert_eq!(row.cells.last().unwrap().text, format!("{}: {}", counts.total, counts.text()));
        assert_eq!(row.cells.iter().map(|c| c.span).sum::<usize>(), chart.grid.len());
    }
}

#[test]
fn exceptions_list_each_kind_with_its_sentences() {
    let (report, _, body) = coventry_docx();
    let at = heading_index(&body, "Exceptions");
    assert_eq!(body.paragraphs[at].style.as_deref(), Some("Heading1"));
    for group in &report.exceptions {
        let heading = format!("{} ({})", group.heading, group.items.len());
        let i = heading_index(&body, &heading);
        assert!(i > at, "{heading}");
        assert_eq!(body.paragraphs[i].style.as_deref(), Some("Heading2"));
    }
    let red = &report.exceptions[0];
    assert_eq!(red.kind, ExceptionKind::Red);
    assert!(!red.items.is_empty());
    let table = body
        .tables
        .iter()
        .find(|t| {
            t.texts(0) == ["Key", "Title", "Delivery", "Why"]
                && t.rows[1].cells[0].text == red.items[0].key
        })
        .unwrap();
    assert_eq!(table.rows.len(), red.items.len() + 1);
    for (row, item) in table.rows[1..].iter().zip(red.items.iter()) {
        assert_eq!(row.cells[1].text, item.title);
        assert_chip(&row.cells[2], item.rating.rating, &item.key);
        assert_eq!(row.cells[3].text, item.reason);
    }
    assert!(table.rows[0].repeats && !table.rows[1].repeats, "the header row repeats");
}

#[test]
fn each_objective_has_its_table_on_a_landscape_page_with_ratings_shaded_and_worded() {
    let coventry = coventry_report();
    let ratings = coventry.ratings();
    let (report, _, body) = coventry_docx();
    assert_eq!(body.sections.len(), 2, "a portrait section, then a landscape one");
    let (portrait, landscape) = (&body.sections[0], &body.sections[1]);
    assert_eq!(
        (portrait.width, portrait.height, portrait.orient.as_str()),
        (11906, 16838, "portrait")
    );
    assert_eq!(
        (landscape.width, landscape.height, landscape.orient.as_str()),
        (16838, 11906, "landscape")
    );

    let tables: Vec<&TableRead> =
        body.tables.iter().filter(|t| t.texts(0) == OBJECTIVE_COLUMNS).collect();
    assert_eq!(tables.len(), report.objectives.len());
    let mut nodes =
        ratings.nodes().filter(|n| matches!(n.place(), Place::Action(_) | Place::SubObjective(_)));
    for (table, objective) in tables.iter().zip(&report.objectives) {
        assert_eq!(table.section, 1, "{}: on the landscape pages", objective.key);
        assert_eq!(table.grid.iter().sum::<usize>(), LANDSCAPE_TEXT_WIDTH);
        assert!(table.rows[0].repeats);
        assert_eq!(table.rows.len(), objective.rows.len() + 1);
        for (row, want) in table.rows[1..].iter().zip(objective.rows.iter()) {
            let node = nodes.next().unwrap();
            assert_eq!(row.cells[0].text, node.key().unwrap().as_str());
            assert_eq!(row.cells[1].text, node.title());
            assert_chip(&row.cells[2], node.rating(Dimension::Delivery), &want.key);
            assert_chip(&row.cells[3], node.rating(Dimension::Outcome), &want.key);
            assert_eq!(row.cells[4].text, want.status);
            assert_eq!(row.cells[5].text, want.accountable);
            assert_eq!(row.cells[8].text, want.timescale);
            assert_eq!(row.cells[9].text, want.latest_note);
            // A text cell is not shaded.
            assert_eq!(row.cells[0].fill, None);
        }
    }
    // The tables of the portrait pages fit them.
    for table in body.tables.iter().filter(|t| t.section == 0) {
        assert!(table.grid.iter().sum::<usize>() <= PORTRAIT_TEXT_WIDTH, "{:?}", table.texts(0));
    }
}

#[test]
fn movement_owners_partners_and_trend_hold_the_reports_rows() {
    let (report, _, body) = coventry_docx();
    let moved = report.movement.as_ref().unwrap();
    let worsened =
        body.tables.iter().find(|t| t.texts(0) == ["Key", "Level", "Title", "Was", "Now"]).unwrap();
    assert_eq!(worsened.rows.len(), moved.worsened.len() + 1);
    let first = &moved.worsened[0];
    assert_eq!(worsened.rows[1].cells[0].text, first.key);
    assert_chip(&worsened.rows[1].cells[3], first.from.unwrap().rating, "was");
    assert_chip(&worsened.rows[1].cells[4], first.to.unwrap().rating, "now");
    assert!(body.paragraphs.iter().any(|p| p.text == moved.unchanged_text));

    for (who, holders) in [("Accountable owner", &report.owners), ("Partner", &report.partners)] {
        let table = body.tables.iter().find(|t| t.rows[0].cells[0].text == who).unwrap();
        assert_eq!(table.section, 1, "{who}: landscape");
        assert_eq!(table.texts(0)[3..10], Rating::ALL.map(|r| r.label()));
        assert_eq!(table.rows.len(), holders.len() + 1);
        for (row, holder) in table.rows[1..].iter().zip(holders.iter()) {
            assert_eq!(row.cells[0].text, holder.name);
            assert_eq!(row.cells[1].text, holder.counts.total.to_string());
            assert_chip(&row.cells[2], holder.worst.rating, &holder.name);
            for (i, rating) in Rating::ALL.into_iter().enumerate() {
                assert_eq!(row.cells[3 + i].text, holder.counts.get(rating).to_string());
            }
            assert_eq!(row.cells[10].text, holder.red_keys.join(", "));
        }
    }

    assert!(report.trend.len() > 1);
    let trend = body.tables.iter().find(|t| t.rows[0].cells[0].text == "Quarter").unwrap();
    assert_eq!(trend.rows.len(), report.trend.len() + 1);
    for (row, point) in trend.rows[1..].iter().zip(&report.trend) {
        assert_eq!(row.cells[0].text, point.quarter);
        assert_eq!(row.cells[9].text, point.counts.total.to_string());
    }
    let chart =
        body.tables.iter().find(|t| t.rows[0].cells[0].text == report.trend[0].quarter).unwrap();
    assert_eq!(chart.section, 1);
    assert_eq!(chart.rows.len(), report.trend.len());
}

#[test]
fn every_page_is_headed_with_the_plan_and_date_and_numbered_at_its_foot() {
    let (report, bytes, body) = coventry_docx();
    for (i, section) in body.sections.iter().enumerate() {
        assert_eq!(section.headers.len(), 1, "section {i}");
        assert_eq!(section.footers.len(), 1, "section {i}");
        let header = part_text(&part(&bytes, &target(&bytes, &section.headers[0])).unwrap());
        assert_eq!(header, format!("{}\tAs of 30 June 2015", report.plan.title), "section {i}");
        let footer = part_text(&part(&bytes, &target(&bytes, &section.footers[0])).unwrap());
        assert_eq!(footer, "Page {PAGE}1 of {NUMPAGES}1", "section {i}");
    }
}

#[test]
fn without_a_previous_report_the_movement_section_says_so() {
    let plan = coventry_plan();
    let (now, _) = rated(&plan, day(2015, 6, 30), None);
    let report = Report::build(&now, None, &Default::default());
    let bytes = write_docx(&report).unwrap();
    let body = read_body(&part(&bytes, "word/document.xml").unwrap());
    let at = heading_index(&body, "Movement");
    assert_eq!(body.paragraphs[at + 1].text, "No previous report to compare with.");
}

#[test]
fn the_same_report_gives_the_same_bytes() {
    let report = coventry_report().report;
    let first = write_docx(&report).unwrap();
    // Another document in between, on the same thread.
    let _ = write_docx(&coventry_report().report).unwrap();
    let second = write_docx(&report).unwrap();
    for name in ["word/document.xml", "word/header1.xml", "word/footer1.xml"] {
        assert!(part(&first, name) == part(&second, name), "{name} differs");
    }
    assert!(first == second, "the packages differ");
}

#[test]
fn the_document_written_into_a_file_is_the_one_made_in_memory() {
    let coventry = coventry_report();
    let made = write_docx(&coventry.report).unwrap();
    let path = std::env::temp_dir().join(format!("ragplan-docx-test-{}.docx", std::process::id()));
    let mut file = std::fs::File::options()
        .read(true)
        .write(true)
        .create(true)
        .truncate(true)
        .open(&path)
        .unwrap();
    let docx = ragplan_report::Format::Docx;
    ragplan_report::render_to_seekable(&coventry.report, docx, &mut file).unwrap();
    drop(file);
    let written = std::fs::read(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(written, made);
}

/// Every paragraph's id, through the body in order, is the next number from 1 (and
/// the headers' and footers' follow): the objectives' headings, lines and reasons,
/// made as XML as they are reached, are numbered in their place like the rest.
#[test]
fn paragraph_ids_run_in_order_through_the_body() {
    let (report, bytes, _) = coventry_docx();
    let body = part(&bytes, "word/document.xml").unwrap();
    let ids: Vec<u32> = body
        .split("w14:paraId=\"")
        .skip(1)
        .map(|rest| u32::from_str_radix(&rest[..8], 16).unwrap())
        .collect();
    let want: Vec<u32> = (1..=ids.len() as u32).collect();
    assert_eq!(ids, want);
    for objective in &report.objectives {
        let heading = format!("{} {}", objective.key, objective.title);
        assert!(body.contains(&heading), "{heading}");
    }
    let header = part(&bytes, "word/header1.xml").unwrap();
    let first = header.split("w14:paraId=\"").nth(1).map(|r| u32::from_str_radix(&r[..8], 16));
    assert_eq!(first, Some(Ok(ids.len() as u32 + 1)));
}
