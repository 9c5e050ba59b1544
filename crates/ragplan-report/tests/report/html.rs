//! The HTML report: self-contained, accessible, valid HTML5.

use ragplan_core::{Dimension, NodeKind, Rating};
use ragplan_report::chip::{contrast_ratio, palette};
use ragplan_report::{Format, chip, render};
use scraper::{Html, Selector};

use crate::common::{Coventry, coventry_report, text};

fn coventry_html() -> (Coventry, String) {
    let coventry = coventry_report();
    let html = text(render(&coventry.report, Format::Html).unwrap());
    (coventry, html)
}

fn select<'a>(html: &'a Html, selector: &str) -> Vec<scraper::ElementRef<'a>> {
    html.select(&Selector::parse(selector).unwrap()).collect()
}

#[test]
fn parses_as_html5_without_errors() {
    let (_, html) = coventry_html();
    let document = Html::parse_document(&html);
    assert_eq!(document.errors, Vec::<std::borrow::Cow<'_, str>>::new());
    assert_eq!(format!("{:?}", document.quirks_mode), "NoQuirks");
    assert_eq!(select(&document, "html")[0].value().attr("lang"), Some("en-GB"));
}

#[test]
fn has_no_external_reference() {
    let (_, html) = coventry_html();
    let document = Html::parse_document(&html);
    for element in select(&document, "*") {
        for (name, value) in element.value().attrs() {
            let name = name.to_ascii_lowercase();
            if matches!(name.as_str(), "src" | "href" | "xlink:href" | "action" | "srcset" | "data")
            {
                assert!(
                    value.starts_with('#'),
                    "<{}> {name}={value:?} points outside the file",
                    element.value().name()
                );
            }
        }
    }
    assert!(select(&document, "script, link, img, iframe, object, embed").is_empty());
    let lower = html.to_ascii_lowercase();
    for needle in ["@import", "src=", "//fonts", "http://", "https://"] {
        assert!(!lower.contains(needle), "the HTML contains {needle:?}");
    }
    // The charts' patterns are referenced as `url(#id)`, inside the file.
    for (at, _) in lower.match_indices("url(") {
        assert!(lower[at..].starts_with("url(#"), "{}", &html[at..(at + 40).min(html.len())]);
    }
}

#[test]
fn every_red_action_title_and_the_word_red_appear() {
    let (coventry, html) = coventry_html();
    let document = Html::parse_document(&html);
    let body_text: String = document.root_element().text().collect();
    let ratings = coventry.ratings();
    let red: Vec<_> = ratings
        .actions()
        .filter(|n| {
            n.kind() == Some(NodeKind::Action) && n.rating(Dimension::Delivery) == Rating::Red
        })
        .collect();
    assert!(!red.is_empty(), "the Coventry plan has Red actions as of 30 June 2015");
    for node in red {
        assert!(
            body_text.contains(node.title()),
            "red action {} {:?} is missing",
            node.key().unwrap(),
            node.title()
        );
    }
    assert!(body_text.split(|c: char| !c.is_alphanumeric()).any(|w| w == "Red"));
}

#[test]
fn every_chip_carries_a_shape_and_a_word() {
    let (_, html) = coventry_html();
    let document = Html::parse_document(&html);
    let chips = select(&document, ".chip");
    assert!(chips.len() > 50, "{} chips", chips.len());
    for element in chips {
        let text: String = element.text().collect();
        let class = element.value().attr("class").unwrap_or_default();
        let rating = Rating::ALL
            .into_iter()
            .find(|r| class.split_whitespace().any(|c| c == format!("chip-{}", r.as_str())))
            .unwrap_or_else(|| panic!("chip without a rating class: {class:?}"));
        let (shape, word) = chip(rating);
        assert_eq!(text.trim(), format!("{shape} {word}"), "chip {class:?}");
    }
}

#[test]
fn chip_colours_meet_wcag_aa() {
    let (_, html) = coventry_html();
    for rating in Rating::ALL {
        let c = palette(rating);
        let rule = format!(
            ".chip-{} {{ background: {}; border-color: {}; color: {}; }}",
            rating.as_str(),
            c.fill,
            c.border,
            c.text
        );
        assert!(html.contains(&rule), "missing CSS rule {rule}");
        assert!(contrast_ratio(c.text, c.fill).unwrap() >= 4.5);
    }
}

#[test]
fn tables_have_captions_and_scoped_headers() {
    let (_, html) = coventry_html();
    let document = Html::parse_document(&html);
    let tables = select(&document, "table");
    assert!(tables.len() >= 5);
    for table in tables {
        let caption = table.select(&Selector::parse("caption").unwrap()).next();
        assert!(
            caption.is_some_and(|c| !c.text().collect::<String>().trim().is_empty()),
            "{}",
            table.html()
        );
    }
    for th in select(&document, "th") {
        assert!(matches!(th.value().attr("scope"), Some("col" | "row")), "{}", th.html());
    }
}

#[test]
fn charts_are_inline_svg_with_text_alternatives() {
    let (_, html) = coventry_html();
    let document = Html::parse_document(&html);
    let charts = select(&document, "svg");
    assert!(charts.len() >= 2);
    for svg in charts {
        assert_eq!(svg.value().attr("role"), Some("img"));
        let labelled = svg.value().attr("aria-labelledby").unwrap_or_default();
        for id in labelled.split_whitespace() {
            let target = select(&document, &format!("#{id}"));
            assert_eq!(target.len(), 1, "aria-labelledby {id}");
            assert!(!target[0].text().collect::<String>().trim().is_empty());
        }
    }
}

#[test]
fn prints_on_a4_with_page_numbers_and_repeated_table_headers() {
    let (coventry, html) = coventry_html();
    assert!(html.contains("@media print"));
    let page = html.split("@page {").nth(1).and_then(|p| p.split("\n}\n").next()).unwrap();
    assert!(page.contains("size: A4;"), "{page}");
    assert!(
        page.contains(r#"@bottom-right { content: "Page " counter(page) " of " counter(pages);"#),
        "{page}"
    );
    let footer = format!(r#"@bottom-left {{ content: "{} — 30 June 2015";"#, coventry.report.title);
    assert!(page.contains(&footer), "{page}");
    let print = html.split("@media print {").nth(1).unwrap_or_default();
    assert!(print.contains("thead { display: table-header-group; }"), "{print}");
    assert!(print.contains("tr, figure, .headline section { break-inside: avoid; }"));
}

#[test]
fn a_title_cannot_break_out_of_the_printed_footer() {
    let mut plan = crate::common::coventry_plan();
    plan.title = r#"Plan "A" \ </style><script>x</script>"#.to_owned();
    let (now, _) = crate::common::rated(&plan, crate::common::day(2015, 6, 30), None);
    let report = ragplan_report::Report::build(&now, None, &Default::default());
    let html = text(render(&report, Format::Html).unwrap());
    assert!(
        html.contains(r#"content: "Plan \"A\" \\ \3c /style\3e \3c script\3e x\3c /script\3e  — "#)
    );
    assert_eq!(html.matches("</style>").count(), 1);
    assert!(!html.contains("<script>"));
    assert!(Html::parse_document(&html).errors.is_empty());
}

#[test]
fn on_a_narrow_screen_every_table_row_is_a_card_whose_cells_name_their_column() {
    let (_, html) = coventry_html();
    let narrow = html.split("@media screen and (max-width: 60rem) {").nth(1).unwrap_or_default();
    let narrow = narrow.split("\n}\n").next().unwrap_or_default();
    for rule in [
        "table, caption, tbody, tr, th, td { display: block; width: auto; }",
        "td[data-label]::before { content: attr(data-label) \": \";",
        "td:empty { display: none; }",
    ] {
        assert!(narrow.contains(rule), "missing {rule:?} in {narrow}");
    }
    // The header row is hidden from sight only, so screen readers still have it.
    assert!(
        narrow.contains("thead { position: absolute; width: 1px; height: 1px; overflow: hidden;")
    );
    assert!(html.contains("@media screen and (max-width: 40rem) {"));
    assert!(
        html.contains(r#"<meta name="viewport" content="width=device-width, initial-scale=1">"#)
    );
    // Every cell with content names its column, but the title, which reads as the
    // card's heading after the key.
    let document = Html::parse_document(&html);
    let mut labelled = 0;
    for table in select(&document, "table") {
        let headers: Vec<String> = table
            .select(&Selector::parse("thead th").unwrap())
            .map(|th| th.text().collect::<String>())
            .collect();
        for row in table.select(&Selector::parse("tbody tr").unwrap()) {
            let cells = Selector::parse("th, td").unwrap();
            for (i, cell) in row.select(&cells).enumerate() {
                let el = cell.value();
                if el.name() == "th" || el.attr("colspan").is_some() {
                    continue;
                }
                if el.attr("class") == Some("title") {
                    assert_eq!(el.attr("data-label"), None);
                    continue;
                }
                assert_eq!(el.attr("data-label"), Some(headers[i].as_str()), "{}", cell.html());
                labelled += 1;
            }
        }
    }
    assert!(labelled > 300, "{labelled}");
}

#[test]
fn charts_fit_a_phone_and_narrow_segments_carry_a_defined_pattern() {
    let (_, html) = coventry_html();
    let document = Html::parse_document(&html);
    let charts = select(&document, "svg.chart");
    assert_eq!(charts.len(), 3);
    let mut patterned = 0;
    for svg in charts {
        let width: f64 = svg.value().attr("width").and_then(|w| w.parse().ok()).unwrap();
        assert!(width <= ragplan_report::svg::MAX_WIDTH, "{width}");
        let defined: Vec<&str> = svg
            .select(&Selector::parse("pattern").unwrap())
            .filter_map(|p| p.value().attr("id"))
            .collect();
        for rect in svg.select(&Selector::parse("rect[fill^=url]").unwrap()) {
            let fill = rect.value().attr("fill").unwrap_or_default();
            let id = fill.trim_start_matches("url(#").trim_end_matches(')');
            assert!(defined.contains(&id), "{fill} is not defined in its chart");
            patterned += 1;
        }
    }
    // Coventry's 2 Red and 1 Complete of 34 actions are too narrow to label.
    assert!(patterned >= 3, "{patterned}");
}

#[test]
fn text_from_the_plan_is_escaped() {
    let mut plan = crate::common::coventry_plan();
    plan.objectives[0].title = r#"<script>alert("x")</script> & <b>bold</b>"#.to_owned();
    let (now, _) = crate::common::rated(&plan, crate::common::day(2015, 6, 30), None);
    let report = ragplan_report::Report::build(&now, None, &Default::default());
    let html = text(render(&report, Format::Html).unwrap());
    assert!(!html.contains("<script>"));
    assert!(!html.contains("<b>bold"));
    assert!(html.contains("&lt;script&gt;"));
    assert!(Html::parse_document(&html).errors.is_empty());
}

/// Counts the bytes of each write: how much of the page was held before it went out.
#[derive(Default)]
struct Writes {
    total: usize,
    largest: usize,
}

impl std::io::Write for Writes {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.total += bytes.len();
        self.largest = self.largest.max(bytes.len());
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The exceptions' tables were written by a template macro, whose output is held
/// whole before it is placed: a plan of a million actions held hundreds of megabytes
/// of them. The page now goes out as it is made, no write near the size of a table.
#[test]
fn the_exception_tables_were_held_whole_before_they_were_written() {
    use ragplan_core::{Policy, generate::synthetic_plan, rate};
    let plan = synthetic_plan(2_000, 4, 7);
    let policy = Policy::default();
    let ratings = rate(&plan, &policy, crate::common::day(2015, 6, 30));
    let report = ragplan_report::Report::build(&ratings, None, &Default::default());
    let n_exceptions: usize = report.exceptions.iter().map(|g| g.items.len()).sum();
    assert!(n_exceptions > 1_000, "{n_exceptions}");
    let mut writes = Writes::default();
    ragplan_report::render_to(&report, Format::Html, &mut writes).unwrap();
    assert!(writes.total > 1_000_000, "{}", writes.total);
    assert!(writes.largest < 64 * 1024, "a write of {} bytes", writes.largest);
}
