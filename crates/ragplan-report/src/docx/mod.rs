//! The committee paper: the report as a Word document, written with docx-rs (its
//! tables written directly, see `cells`).
//!
//! In the order of the Markdown report: a title block, the summary (the headline
//! ratings with their reasons, the plan's data gaps, the actions counted by rating
//! and a chart of each objective's actions), the movement since the previous
//! report and the exceptions, on A4 portrait pages; then, on landscape pages for
//! their wide tables, each objective's table, the per-owner and per-partner views
//! and the trend by quarter with its chart. Every page is headed with the plan and
//! the as-of date and numbered at its foot ("Page 2 of 9").
//!
//! Every rating cell holds the chip's shape and word (`▲ AMBER`) on the rating's
//! fill ([`crate::chip::palette`]): the word carries the rating, the colour only
//! adds to it. The charts are drawn as tables of shaded segments, each segment wide
//! enough carrying its shape and count and each bar followed by its counts in
//! words, so that they need no image and no font of their own. Tables have fixed
//! column widths and a header row that repeats on every page; headings are Word's
//! own heading styles, so the navigation pane lists the sections. The document is
//! a pure function of the report: the same report gives the same bytes.

mod cells;

use std::io::Cursor;

use docx_rs::{
    AlignmentType, BreakType, Docx, Footer, Header, LineSpacing, NumPages, PageMargin, PageNum,
    PageOrientationType, Paragraph, Run, RunFonts, Section, Style, StyleType, Tab, TabValueType,
};
use ragplan_core::Rating;

use crate::chip::Chip;
use crate::content::{HolderSummary, Report};
use crate::error::{ReportError, Result};
use crate::stopping::Stopping;
use cells::{Bar, Cell, Table, bar_chart, pairs, para, scaled, styled, table, text_runs};

/// A4, in twips (twentieths of a point): 210 × 297 mm.
const A4_SHORT: u32 = 11_906;
const A4_LONG: u32 = 16_838;
/// The margins, 2 cm, and the distance of the header and footer from the edge.
const MARGIN: u32 = 1_134;
const HEADER_DISTANCE: u32 = 567;

/// The width text takes on a portrait page, in twips.
pub const PORTRAIT_TEXT_WIDTH: usize = (A4_SHORT - 2 * MARGIN) as usize;
/// The width text takes on a landscape page, in twips.
pub const LANDSCAPE_TEXT_WIDTH: usize = (A4_LONG - 2 * MARGIN) as usize;

/// The body font and its size in half-points (10 pt).
const FONT: &str = "Arial";
const BODY_SIZE: usize = 20;

/// Writes the report as a Word document (`.docx`).
///
/// # Errors
/// [`ReportError::Docx`] if the document cannot be packed (it can on no report that
/// fits in memory; a body that may pass 4 GiB, reckoned from its tables' text, is
/// written with a large-file record).
pub fn write_docx(report: &Report<'_>) -> Result<Vec<u8>> {
    Ok(write_docx_to(report, Cursor::new(Vec::new()))?.into_inner())
}

/// [`write_docx`] into `out`, the document's tables written into it as they are
/// made, never held: a plan of a million actions has gigabytes of them. `out` is
/// given back, written.
///
/// # Errors
/// As [`write_docx`], and when `out` cannot be written.
pub fn write_docx_to<W: std::io::Write + std::io::Seek>(report: &Report<'_>, out: W) -> Result<W> {
    let mut tables = Vec::new();
    let portrait = front_pages(report, &mut tables);
    let landscape = wide_pages(report, &mut tables);
    let mut docx = with_styles(Docx::new())
        .add_section(
            portrait
                .page_size(docx_rs::PageSize::new().size(A4_SHORT, A4_LONG))
                .page_orient(PageOrientationType::Portrait)
                .page_margin(margins())
                .header(page_header(report, PORTRAIT_TEXT_WIDTH))
                .footer(page_footer()),
        )
        .page_size(A4_LONG, A4_SHORT)
        .page_orient(PageOrientationType::Landscape)
        .page_margin(margins())
        .header(page_header(report, LANDSCAPE_TEXT_WIDTH))
        .footer(page_footer());
    for paragraph in landscape {
        docx = docx.add_paragraph(paragraph);
    }
    let mut parts = docx.build();
    let mut body = Body::new(std::mem::take(&mut parts.document), tables)?;
    // Paragraph ids numbered in order through the body, headers and footers: docx-rs
    // numbers them from a counter that outlives a document, so that the same report
    // would not give the same bytes twice.
    let mut next_id = 1;
    body.renumber(&mut next_id);
    for part in parts.headers.iter_mut().chain(&mut parts.footers) {
        renumber_paragraphs(part, &mut next_id);
    }
    package(&parts, body, out).map_err(package_error)
}

fn package_error(e: impl std::fmt::Display) -> ReportError {
    ReportError::Docx { part: "the package", message: e.to_string() }
}

/// The package of `parts`: every part under the name, and in the order, docx-rs's
/// own packer gives it (`XMLDocx::pack`), each deflated at the fast level as it is
/// written (docx-rs stores its parts uncompressed: tens of megabytes for a plan of
/// 10,000 actions, whose tables' XML shrinks about thirtyfold), rather than packed
/// stored and then read back to be deflated.
fn package<W: std::io::Write + std::io::Seek>(
    parts: &docx_rs::XMLDocx,
    body: Body<'_>,
    out: W,
) -> zip::result::ZipResult<W> {
    use std::io::Write as _;
    use zip::write::SimpleFileOptions;
    // The report has no pictures, task panes, web extensions or custom XML, the parts
    // docx-rs's packer writes only when there are some.
    if !parts.media.is_empty()
        || parts.taskpanes.is_some()
        || !parts.web_extensions.is_empty()
        || !parts.custom_items.is_empty()
    {
        return Err(zip::result::ZipError::UnsupportedArchive(
            "a part the report does not make (a picture, a task pane or custom XML)",
        ));
    }
    let mut zip = zip::ZipWriter::new(Stopping::new(out)?);
    let directory = SimpleFileOptions::default();
    let deflated = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1));
    for name in ["word/", "word/_rels", "_rels/", "docProps/"] {
        zip.add_directory(name, directory)?;
    }
    let props = &parts.doc_props;
    // Each part's name and bytes in docx-rs's order; `None` is the body.
    let mut entries: Vec<(String, Option<&[u8]>)> = [
        ("[Content_Types].xml", Some(&parts.content_type)),
        ("_rels/.rels", Some(&parts.rels)),
        ("docProps/app.xml", Some(&props.app)),
        ("docProps/core.xml", Some(&props.core)),
        ("docProps/custom.xml", Some(&props.custom)),
        ("word/_rels/document.xml.rels", Some(&parts.document_rels)),
        ("word/document.xml", None),
        ("word/styles.xml", Some(&parts.styles)),
        ("word/settings.xml", Some(&parts.settings)),
        ("word/fontTable.xml", Some(&parts.font_table)),
        ("word/comments.xml", Some(&parts.comments)),
        ("word/numbering.xml", Some(&parts.numberings)),
        ("word/commentsExtended.xml", Some(&parts.comments_extended)),
        ("word/footnotes.xml", Some(&parts.footnotes)),
    ]
    .into_iter()
    .map(|(name, bytes)| (name.to_owned(), bytes.map(Vec::as_slice)))
    .collect();
    for (kind, part, rels) in [
        ("header", &parts.headers, &parts.header_rels),
        ("footer", &parts.footers, &parts.footer_rels),
    ] {
        for (i, xml) in part.iter().enumerate() {
            entries.push((format!("word/{kind}{}.xml", i + 1), Some(xml)));
            if let Some(rels) = rels.get(i) {
                entries.push((format!("word/_rels/{kind}{}.xml.rels", i + 1), Some(rels)));
            }
        }
    }
    let mut body = Some(body);
    for (name, bytes) in entries {
        match bytes {
            Some(bytes) => {
                zip.start_file(name, deflated)?;
                zip.write_all(bytes)?;
            }
            None => {
                zip.start_file(name, deflated.large_file(body.as_ref().is_some_and(Body::large)))?;
                if let Some(body) = body.take() {
                    body.write_to(&mut zip)?;
                }
            }
        }
    }
    Ok(zip.finish()?.into_inner()?)
}

/// `document.xml` as docx-rs leaves it for the writer to finish: each run's marker
/// paragraph ([`cells::table_marker`]) becomes the run's tables and paragraphs made
/// as XML, and the first (portrait)
/// section gets the footer of the last, since docx-rs keeps only one of a section's
/// header and footer. Held as the pieces it is written from — docx-rs's text between
/// the markers, and the runs' pieces — not copied into one buffer; the long tables are
/// made as they are written ([`Table::Rows`]): a report of a million actions has
/// 4 GB of them.
struct Body<'a> {
    text: Vec<u8>,
    pieces: Vec<Piece<'a>>,
}

/// A piece of a [`Body`]: a span of docx-rs's text, or a piece of a run (a table, or
/// paragraphs made as XML).
enum Piece<'a> {
    Text(std::ops::Range<usize>),
    Table(Table<'a>),
}

impl<'a> Body<'a> {
    fn new(document: Vec<u8>, tables: Vec<Vec<Table<'a>>>) -> Result<Body<'a>> {
        let mut text = String::from_utf8(document)
            .map_err(|e| ReportError::Docx { part: "the body", message: e.to_string() })?;
        first_section_footer(&mut text);
        let marker = format!(r#"<w:pStyle w:val="{}"#, cells::TABLE_MARKER);
        let finder = memchr::memmem::Finder::new(marker.as_bytes());
        let mut tables: Vec<Option<Vec<Table<'a>>>> = tables.into_iter().map(Some).collect();
        let mut pieces = Vec::with_capacity(2 * tables.len() + 1);
        let mut rest = 0;
        while let Some(found) = finder.find(&text.as_bytes()[rest..]) {
            let at = rest + found;
            let p_start =
                text[rest..at].rfind("<w:p ").ok_or_else(|| misplaced("no paragraph opens"))?;
            let after = &text[at..];
            let digits: String =
                after[marker.len()..].chars().take_while(char::is_ascii_digit).collect();
            let run = digits
                .parse::<usize>()
                .ok()
                .and_then(|n| tables.get_mut(n)?.take())
                .ok_or_else(|| misplaced("no such table, or one placed twice"))?;
            let p_len = after.find("</w:p>").ok_or_else(|| misplaced("no paragraph closes"))?;
            pieces.push(Piece::Text(rest..rest + p_start));
            pieces.extend(run.into_iter().map(Piece::Table));
            rest = at + p_len + "</w:p>".len();
        }
        pieces.push(Piece::Text(rest..text.len()));
        Ok(Body { text: text.into_bytes(), pieces })
    }

    /// Whether the body may pass 4 GiB, which takes a large-file (Zip64) record.
    fn large(&self) -> bool {
        let tables: u64 = self
            .pieces
            .iter()
            .map(|p| if let Piece::Table(t) = p { t.most_bytes() } else { 0 })
            .sum();
        self.text.len() as u64 + tables >= u64::from(u32::MAX)
    }

    /// [`renumber_paragraphs`] through docx-rs's text and the pieces made, in order;
    /// the tables made as they are written have no paragraph ids.
    fn renumber(&mut self, next_id: &mut u32) {
        for piece in &mut self.pieces {
            match piece {
                Piece::Text(span) => renumber_paragraphs(&mut self.text[span.clone()], next_id),
                Piece::Table(Table::Made(xml)) => renumber_paragraphs(xml, next_id),
                Piece::Table(Table::Rows(..)) => {}
            }
        }
    }

    fn write_to(self, out: &mut impl std::io::Write) -> std::io::Result<()> {
        for piece in self.pieces {
            match piece {
                Piece::Text(span) => out.write_all(&self.text[span])?,
                Piece::Table(table) => table.write_to(out)?,
            }
        }
        Ok(())
    }
}

/// Gives the first section of `text` the footer reference of the last, when it has
/// none (tables hold no section properties, so this is the same before or after they
/// are placed).
fn first_section_footer(text: &mut String) {
    let footer = text.rfind("<w:footerReference ").and_then(|start| {
        let len = text[start..].find("/>")? + 2;
        Some(text[start..start + len].to_owned())
    });
    if let (Some(footer), Some(first_end)) = (footer, text.find("</w:sectPr>")) {
        let first_start = text[..first_end].rfind("<w:sectPr>").unwrap_or(first_end);
        if !text[first_start..first_end].contains("<w:footerReference ") {
            text.insert_str(first_end, &footer);
        }
    }
}

fn misplaced(what: &str) -> ReportError {
    ReportError::Docx { part: "the tables", message: format!("a table's marker: {what}") }
}

/// Rewrites each `w14:paraId` of `xml` with the next number from `next_id`, eight
/// hexadecimal digits as Word writes them.
fn renumber_paragraphs(xml: &mut [u8], next_id: &mut u32) {
    const ATTRIBUTE: &[u8] = b"w14:paraId=\"";
    let mut at = 0;
    while let Some(found) = memchr::memmem::find(&xml[at..], ATTRIBUTE) {
        let start = at + found + ATTRIBUTE.len();
        let Some(digits) = xml.get_mut(start..start + 8) else { break };
        digits.copy_from_slice(format!("{:08X}", *next_id).as_bytes());
        *next_id += 1;
        at = start + 8;
    }
}

fn margins() -> PageMargin {
    let m = MARGIN as i32;
    let edge = HEADER_DISTANCE as i32;
    PageMargin { top: m, left: m, bottom: m, right: m, header: edge, footer: edge, gutter: 0 }
}

/// The paragraph styles: body text, the title and two levels of heading.
fn with_styles(docx: Docx) -> Docx {
    let heading = |id: &str, name: &str, size: usize, level: usize| {
        Style::new(id, StyleType::Paragraph)
            .name(name)
            .based_on("Normal")
            .next("Normal")
            .bold()
            .size(size)
            .outline_lvl(level)
            .line_spacing(LineSpacing::new().before(240).after(80))
    };
    docx.default_fonts(RunFonts::new().ascii(FONT).hi_ansi(FONT).cs(FONT).east_asia(FONT))
        .default_size(BODY_SIZE)
        .default_line_spacing(LineSpacing::new().after(100).line(259))
        .add_style(
            heading("Title", "Title", 36, 0).line_spacing(LineSpacing::new().before(0).after(120)),
        )
        .add_style(heading("Heading1", "heading 1", 28, 0))
        .add_style(heading("Heading2", "heading 2", 23, 1))
        .add_style(
            Style::new(cells::TABLE_STYLE, StyleType::Paragraph)
                .name("Table text")
                .based_on("Normal")
                .size(cells::TABLE_SIZE)
                .line_spacing(LineSpacing::new().before(0).after(0)),
        )
        .add_style(
            Style::new(PAGE_EDGE_STYLE, StyleType::Paragraph)
                .name("footer")
                .based_on("Normal")
                .size(16)
                .color("3D3D3D")
                .line_spacing(LineSpacing::new().before(0).after(0)),
        )
}

/// The style of the header and footer paragraphs (8 pt, grey), which the page
/// number fields take too.
const PAGE_EDGE_STYLE: &str = "Footer";

/// The header of every page: the plan at the left, the as-of date at the right.
fn page_header(report: &Report<'_>, width: usize) -> Header {
    let paragraph = Paragraph::new()
        .style(PAGE_EDGE_STYLE)
        .add_tab(Tab::new().val(TabValueType::Right).pos(width));
    let paragraph = text_runs(paragraph, &report.plan.title, |r| r)
        .add_run(Run::new().add_tab())
        .add_run(Run::new().add_text(format!("As of {}", report.as_of_text)));
    Header::new().add_paragraph(paragraph)
}

/// The footer of every page: "Page n of m", centred.
fn page_footer() -> Footer {
    Footer::new().add_paragraph(
        Paragraph::new()
            .style(PAGE_EDGE_STYLE)
            .align(AlignmentType::Center)
            .add_run(Run::new().add_text("Page "))
            .add_page_num(PageNum::new())
            .add_run(Run::new().add_text(" of "))
            .add_num_pages(NumPages::new()),
    )
}

/// What a part of the document holds, in order: docx-rs's paragraphs, and each run
/// of tables and paragraphs made as XML as the marker paragraph that stands for it
/// in `tables` (all the document's runs, numbered from 0).
struct Blocks<'t, 'a> {
    paragraphs: Vec<Paragraph>,
    tables: &'t mut Vec<Vec<Table<'a>>>,
    /// Whether the last block is a run's marker, whose run takes the next piece.
    in_run: bool,
}

impl<'t, 'a> Blocks<'t, 'a> {
    fn new(tables: &'t mut Vec<Vec<Table<'a>>>) -> Blocks<'t, 'a> {
        Blocks { paragraphs: Vec::new(), tables, in_run: false }
    }

    fn p(&mut self, paragraph: Paragraph) {
        self.paragraphs.push(paragraph);
        self.in_run = false;
    }

    /// `piece` placed next: in the run the last block opened, or in a new one.
    fn piece(&mut self, piece: Table<'a>) {
        if !self.in_run {
            self.paragraphs.push(cells::table_marker(self.tables.len()));
            self.tables.push(Vec::new());
            self.in_run = true;
        }
        if let Some(run) = self.tables.last_mut() {
            run.push(piece);
        }
    }

    fn table(&mut self, table: Table<'a>) {
        self.piece(table);
        // Word runs two tables that touch into one; a short gap keeps them apart.
        let gap = Paragraph::new().line_spacing(LineSpacing::new().before(0).after(0).line(120));
        self.paragraphs_now([gap]);
    }

    /// `paragraphs` placed as their XML, made now, rather than held as docx-rs's
    /// paragraphs (a couple of kilobytes each) until the whole document is built: a
    /// plan of a million actions has ten thousand objectives, each with a heading, a
    /// line and reasons. docx-rs writes a paragraph on its own as it writes it in
    /// the document.
    fn paragraphs_now(&mut self, paragraphs: impl IntoIterator<Item = Paragraph>) {
        let mut xml = Vec::new();
        for paragraph in paragraphs {
            xml.extend_from_slice(&docx_rs::BuildXML::build(&paragraph));
        }
        self.piece(Table::Made(xml));
    }

    fn heading(&mut self, level: u8, text: &str) {
        let style = if level == 1 { "Heading1" } else { "Heading2" };
        self.p(styled(style, text).keep_next(true));
    }

    /// A heading with a bookmark, the target of a link in the summary.
    fn heading_at(&mut self, level: u8, text: &str, bookmark: &str, id: usize) {
        let style = if level == 1 { "Heading1" } else { "Heading2" };
        let paragraph =
            Paragraph::new().style(style).keep_next(true).add_bookmark_start(id, bookmark);
        self.p(text_runs(paragraph, text, |r| r).add_bookmark_end(id));
    }
}

/// The name of a bookmark for an exception list's anchor: Word's bookmark names are
/// letters, digits and underscores.
pub fn bookmark_of(anchor: &str) -> String {
    anchor.replace('-', "_")
}

/// The portrait pages: title block, summary, movement and exceptions.
fn front_pages<'a>(report: &'a Report<'_>, tables: &mut Vec<Vec<Table<'a>>>) -> Section {
    let mut out = Blocks::new(tables);
    title_block(&mut out, report);
    summary(&mut out, report);
    movement(&mut out, report);
    exceptions(&mut out, report);
    out.paragraphs.into_iter().fold(Section::new(), Section::add_paragraph)
}

/// The landscape pages: the objectives' tables, owners, partners and the trend.
fn wide_pages<'a>(report: &'a Report<'_>, tables: &mut Vec<Vec<Table<'a>>>) -> Vec<Paragraph> {
    let mut out = Blocks::new(tables);
    objectives(&mut out, report);
    holders(
        &mut out,
        "By accountable owner",
        "Accountable owner",
        &report.owners,
        "No action names an accountable owner.",
    );
    holders(&mut out, "By partner", "Partner", &report.partners, "No action names a partner.");
    trend(&mut out, report);
    out.paragraphs
}

fn title_block<'a>(out: &mut Blocks<'_, 'a>, report: &'a Report<'_>) {
    out.p(styled("Title", &report.title));
    let mut intro = format!("Progress as of {} ({})", report.as_of_text, report.quarter);
    if let Some(previous) = &report.previous_as_of_text {
        intro.push_str(&format!(", compared with the report of {previous}"));
    }
    intro.push('.');
    out.p(para(&intro));
    let mut rows: Vec<(&str, String)> = vec![("Plan", report.plan.title.clone())];
    if let Some(body) = &report.plan.owner_body {
        rows.push(("Owned by", body.clone()));
    }
    if let Some(period) = &report.plan.period {
        rows.push(("Period", period.clone()));
    }
    rows.push(("As of", format!("{} ({})", report.as_of_text, report.quarter)));
    if let Some(previous) = &report.previous_as_of_text {
        rows.push(("Compared with", previous.clone()));
    }
    rows.push(("Actions", report.plan.n_actions.to_string()));
    rows.push(("Rating policy", report.policy.clone()));
    let widths = scaled(&[1, 3], PORTRAIT_TEXT_WIDTH);
    out.table(Table::Made(pairs([widths[0], widths[1]], &rows).into_bytes()));
}

fn summary<'a>(out: &mut Blocks<'_, 'a>, report: &'a Report<'_>) {
    let headline = &report.headline;
    out.heading(1, "Summary");
    let rows = [("Delivery", &headline.delivery), ("Outcome", &headline.outcome)].into_iter().map(
        |(name, dim)| {
            vec![
                Cell::Text(name),
                Cell::Chip(dim.rating),
                Cell::Owned(format!("{}: {}", dim.counts.total, dim.counts.text())),
            ]
        },
    );
    out.table(table(
        &scaled(&[2, 2, 6], PORTRAIT_TEXT_WIDTH),
        &["Dimension", "Rating", "Actions"],
        rows,
    ));
    for (name, dim) in [("Delivery", &headline.delivery), ("Outcome", &headline.outcome)] {
        for reason in &dim.reasons {
            out.p(para(&format!("{name}: {reason}")).indent(Some(284), None, None, None));
        }
    }
    if !headline.gaps.is_empty() {
        let mut paragraph =
            text_runs(Paragraph::new(), &format!("Of the {} actions: ", headline.actions), |r| r);
        for (i, gap) in headline.gaps.iter().enumerate() {
            if i > 0 {
                paragraph = paragraph.add_run(Run::new().add_text("; "));
            }
            let link =
                docx_rs::Hyperlink::new(bookmark_of(&gap.anchor), docx_rs::HyperlinkType::Anchor)
                    .add_run(
                        Run::new()
                            .color("0B4F9C")
                            .underline("single")
                            .add_text(format!("{} {}", gap.count, gap.text)),
                    );
            paragraph = paragraph.add_hyperlink(link);
        }
        out.p(paragraph.add_run(Run::new().add_text(".")));
    }

    out.heading(2, "Actions by delivery rating");
    let counts = &headline.delivery.counts;
    let rows = Rating::ALL
        .into_iter()
        .map(|r| vec![Cell::Chip(Chip::from(r)), Cell::Number(counts.get(r))]);
    out.table(table(&scaled(&[3, 2], PORTRAIT_TEXT_WIDTH / 2), &["Rating", "Actions"], rows));

    if !report.objectives.is_empty() {
        out.heading(2, "Actions by delivery rating, per objective");
        let bars: Vec<Bar<'_>> = report
            .objectives
            .iter()
            .map(|o| Bar { label: format!("{} {}", o.key, o.title), counts: &o.delivery.counts })
            .collect();
        let (legend, chart) = bar_chart(PORTRAIT_TEXT_WIDTH, &bars);
        out.table(Table::Made(legend.into_bytes()));
        out.table(Table::Made(chart.into_bytes()));
    }
}

fn movement<'a>(out: &mut Blocks<'_, 'a>, report: &'a Report<'_>) {
    let Some(movement) = &report.movement else {
        out.heading(1, "Movement");
        out.p(para("No previous report to compare with."));
        return;
    };
    let since =
        report.previous_as_of_text.clone().unwrap_or_else(|| movement.previous_as_of.to_string());
    out.heading(1, &format!("Movement since {since}"));
    let groups = movement.groups();
    let widths = scaled(&[8, 13, 43, 16, 16], PORTRAIT_TEXT_WIDTH);
    for (name, nodes) in groups {
        out.heading(2, &format!("{name} ({})", nodes.len()));
        if nodes.is_empty() {
            out.p(para("None."));
            continue;
        }
        let rows = nodes.iter().map(|node| {
            vec![
                Cell::Text(&node.key),
                Cell::Owned(crate::build::capitalised(&node.kind.replace('_', "-"))),
                Cell::Text(&node.title),
                Cell::MaybeChip(node.from),
                Cell::MaybeChip(node.to),
            ]
        });
        out.table(table(&widths, &["Key", "Level", "Title", "Was", "Now"], rows));
    }
    out.p(para(&movement.unchanged_text));
}

fn exceptions<'a>(out: &mut Blocks<'_, 'a>, report: &'a Report<'_>) {
    out.p(Paragraph::new().add_run(Run::new().add_break(BreakType::Page)));
    out.heading(1, "Exceptions");
    let widths = scaled(&[8, 30, 16, 46], PORTRAIT_TEXT_WIDTH);
    for (i, group) in report.exceptions.iter().enumerate() {
        let heading = format!("{} ({})", group.heading, group.items.len());
        out.heading_at(2, &heading, &bookmark_of(&group.anchor), i + 1);
        if group.items.is_empty() {
            out.p(para("None."));
            continue;
        }
        let rows = group.items.iter().map(|item| {
            vec![
                Cell::Text(&item.key),
                Cell::Text(&item.title),
                Cell::Chip(item.rating),
                Cell::Text(&item.reason),
            ]
        });
        out.table(table(&widths, &["Key", "Title", "Delivery", "Why"], rows));
    }
}

/// The columns of an objective's table, and their relative widths.
pub const OBJECTIVE_COLUMNS: [&str; 10] = [
    "Key",
    "Sub-objective or action",
    "Delivery",
    "Outcome",
    "Status",
    "Accountable",
    "Responsible",
    "Partners",
    "Timescale",
    "Latest update",
];
const OBJECTIVE_WIDTHS: [usize; 10] = [6, 18, 10, 10, 9, 9, 9, 9, 8, 12];

fn objectives<'a>(out: &mut Blocks<'_, 'a>, report: &'a Report<'_>) {
    out.heading(1, "Objectives");
    if report.objectives.is_empty() {
        out.p(para("The plan has no objectives."));
    }
    let widths = scaled(&OBJECTIVE_WIDTHS, LANDSCAPE_TEXT_WIDTH);
    for objective in &report.objectives {
        let mut own = vec![
            styled("Heading2", &format!("{} {}", objective.key, objective.title)).keep_next(true),
        ];
        let mut line = format!(
            "Delivery {} {}, outcome {} {}. Actions: {}",
            objective.delivery.rating.shape(),
            objective.delivery.rating.word(),
            objective.outcome.rating.shape(),
            objective.outcome.rating.word(),
            objective.delivery.counts.total
        );
        if let Some(strand) = &objective.strand {
            line.push_str(&format!(". Strand: {strand}"));
        }
        line.push('.');
        own.push(para(&line).keep_next(true));
        for reason in &objective.delivery.reasons {
            own.push(para(reason).indent(Some(284), None, None, None).keep_next(true));
        }
        out.paragraphs_now(own);
        let rows = objective.rows.iter().map(|row| {
            if row.kind == "sub_objective" {
                let mut cells = vec![Cell::Bold(&row.key), Cell::Bold(&row.title)];
                cells.push(Cell::Chip(row.delivery));
                cells.push(Cell::Chip(row.outcome));
                cells.extend((0..6).map(|_| Cell::Text("")));
                cells
            } else {
                vec![
                    Cell::Text(&row.key),
                    Cell::Text(&row.title),
                    Cell::Chip(row.delivery),
                    Cell::Chip(row.outcome),
                    Cell::Text(&row.status),
                    Cell::Text(&row.accountable),
                    Cell::Text(&row.responsible),
                    Cell::Text(&row.partners),
                    Cell::Text(&row.timescale),
                    Cell::Text(&row.latest_note),
                ]
            }
        });
        out.table(table(&widths, &OBJECTIVE_COLUMNS, rows));
    }
}

/// The header of a table of counts: `first` columns, then one a rating, then `last`.
fn count_headers<'h>(first: &[&'h str], last: &[&'h str]) -> Vec<&'h str> {
    first
        .iter()
        .copied()
        .chain(Rating::ALL.map(|r| r.label()))
        .chain(last.iter().copied())
        .collect()
}

/// One cell a rating, its count in `counts`.
fn count_cells<'c>(counts: &crate::content::Counts) -> Vec<Cell<'c>> {
    Rating::ALL.into_iter().map(|r| Cell::Number(counts.get(r))).collect()
}

fn holders<'a>(
    out: &mut Blocks<'_, 'a>,
    heading: &str,
    who: &str,
    holders: &'a [HolderSummary],
    none: &str,
) {
    out.heading(1, heading);
    if holders.is_empty() {
        out.p(para(none));
        return;
    }
    let headers = count_headers(&[who, "Actions", "Worst"], &["Red actions"]);
    let mut relative = vec![35, 15, 20];
    relative.extend([17; 7]);
    relative.push(20);
    let widths = scaled(&relative, LANDSCAPE_TEXT_WIDTH);
    let rows = holders.iter().map(|h| {
        let mut cells =
            vec![Cell::Text(&h.name), Cell::Number(h.counts.total), Cell::Chip(h.worst)];
        cells.extend(count_cells(&h.counts));
        cells.push(Cell::Owned(h.red_keys.join(", ")));
        cells
    });
    out.table(table(&widths, &headers, rows));
}

fn trend<'a>(out: &mut Blocks<'_, 'a>, report: &'a Report<'_>) {
    out.heading(1, "Trend by quarter");
    if report.trend.is_empty() {
        out.p(para("No history before this quarter."));
        return;
    }
    if report.trend.len() > 1 {
        out.heading(2, "Actions by delivery rating at the end of each quarter");
        let bars: Vec<Bar<'_>> = report
            .trend
            .iter()
            .map(|t| Bar { label: t.quarter.clone(), counts: &t.counts })
            .collect();
        let (legend, chart) = bar_chart(LANDSCAPE_TEXT_WIDTH, &bars);
        out.table(Table::Made(legend.into_bytes()));
        out.table(Table::Made(chart.into_bytes()));
    }
    let headers = count_headers(&["Quarter", "As of"], &["Actions"]);
    let widths = scaled(&[12, 12, 8, 8, 8, 8, 8, 8, 8, 8], LANDSCAPE_TEXT_WIDTH);
    let rows = report.trend.iter().map(|t| {
        let mut cells =
            vec![Cell::Text(&t.quarter), Cell::Owned(ragplan_core::uk_date(t.as_of).to_string())];
        cells.extend(count_cells(&t.counts));
        cells.push(Cell::Number(t.counts.total));
        cells
    });
    out.table(table(&widths, &headers, rows));
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read as _;

    /// Each part's name and bytes, in the archive's order.
    fn entries(zip: Vec<u8>) -> Vec<(String, Vec<u8>)> {
        let mut archive = zip::ZipArchive::new(Cursor::new(zip)).unwrap();
        (0..archive.len())
            .map(|i| {
                let mut file = archive.by_index(i).unwrap();
                let mut bytes = Vec::new();
                file.read_to_end(&mut bytes).unwrap();
                (file.name().unwrap().into_owned(), bytes)
            })
            .collect()
    }

    /// A body whose tables may pass 4 GiB is written with a large-file (Zip64)
    /// record, which the zip writer needs past 4 GiB; a body that cannot, without.
    #[test]
    fn a_body_that_may_pass_4_gib_is_written_as_a_large_file() {
        let rows = |most: u64| {
            Table::Rows(most, Box::new(|out: &mut dyn std::io::Write| out.write_all(b"<w:tbl/>")))
        };
        let four_gib = u64::from(u32::MAX);
        // The extra field of `word/document.xml`'s local header, in the package of
        // a body of `tables`.
        let extra_of = |tables: Vec<Piece<'static>>| {
            let parts = Docx::new().build();
            let body = Body { text: parts.document.clone(), pieces: tables };
            let zip = package(&parts, body, Cursor::new(Vec::new())).unwrap().into_inner();
            let name = b"word/document.xml";
            let at = zip.windows(name.len()).position(|w| w == name).unwrap();
            let n_extra = u16::from_le_bytes([zip[at - 2], zip[at - 1]]) as usize;
            zip[at + name.len()..at + name.len() + n_extra].to_vec()
        };
        assert_eq!(extra_of(vec![Piece::Table(rows(1 << 20))]), b"");
        let zip64 = extra_of(vec![Piece::Table(rows(four_gib / 2)), Piece::Table(rows(four_gib))]);
        assert_eq!(zip64.get(..2), Some(&[1, 0][..]), "{zip64:?}");

        // Each cell of a table counts its text at its most escaped.
        let long = "&".repeat(64 << 10);
        let table = table(&[100], &["Title"], (0..100).map(|_| vec![Cell::Text(&long)]));
        assert!(table.most_bytes() >= 5 * 100 * (64 << 10), "{}", table.most_bytes());
    }

    /// The writer's package holds what docx-rs's own packer would, part for part and
    /// in its order, every part deflated: so that a docx-rs that writes one more part
    /// is noticed here rather than in Word.
    #[test]
    fn the_package_holds_what_docx_rs_would_pack() {
        let docx = with_styles(Docx::new())
            .add_paragraph(Paragraph::new().add_run(docx_rs::Run::new().add_text("Plan")))
            .header(docx_rs::Header::new())
            .footer(page_footer());
        let parts = docx.build();
        let body = Body::new(parts.document.clone(), Vec::new()).unwrap();
        let ours = package(&parts, body, Cursor::new(Vec::new())).unwrap().into_inner();
        let mut theirs = Cursor::new(Vec::new());
        parts.pack(&mut theirs).unwrap();
        assert_eq!(entries(ours.clone()), entries(theirs.into_inner()));
        let mut archive = zip::ZipArchive::new(Cursor::new(ours)).unwrap();
        for i in 0..archive.len() {
            let file = archive.by_index(i).unwrap();
            if !file.is_dir() {
                assert_eq!(
                    file.compression(),
                    zip::CompressionMethod::Deflated,
                    "{}",
                    file.name().unwrap()
                );
            }
        }
    }
}
