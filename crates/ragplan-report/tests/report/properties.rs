//! Invariants over generated plans: every format renders, the counts add up, the
//! HTML parses, the Word document's XML reads back whatever its text holds.

use chrono::NaiveDate;
use proptest::prelude::*;
use ragplan_core::{Policy, Snapshot, generate::synthetic_plan, rate};
use ragplan_report::{Format, Report, ReportOptions, render};

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn every_format_renders_and_the_counts_add_up(
        n_actions in 0usize..60,
        n_objectives in 1usize..6,
        seed in any::<u64>(),
        days in 0i64..500,
        title in proptest::collection::vec(any::<char>(), 0..24),
    ) {
        let plan = synthetic_plan(n_actions, n_objectives, seed);
        let as_of = NaiveDate::from_ymd_opt(2015, 1, 1).unwrap() + chrono::Duration::days(days);
        let previous = as_of - chrono::Duration::days(91);
        let policy = Policy::default();
        let now = rate(&plan, &policy, as_of);
        let before = Snapshot::from(&plan.as_it_stood(previous).rate(&policy));
        let report = Report::build(&now, Some(&before), &ReportOptions::default());

        prop_assert_eq!(report.actions.len(), now.actions().count());
        let counted: u32 = report.objectives.iter().map(|o| o.delivery.counts.total).sum();
        prop_assert_eq!(counted, report.headline.delivery.counts.total);
        for holder in report.owners.iter().chain(&report.partners) {
            prop_assert_eq!(holder.counts.total as usize, holder.keys.len());
            prop_assert!(holder.counts.non_zero().all(|(r, _)| !r.is_worse_than(holder.worst.rating)));
        }
        for format in Format::ALL {
            let bytes = render(&report, format).unwrap();
            prop_assert!(!bytes.is_empty());
        }
        let html = String::from_utf8(render(&report, Format::Html).unwrap()).unwrap();
        let document = scraper::Html::parse_document(&html);
        prop_assert!(document.errors.is_empty(), "{:?}", document.errors);

        // Any text at all, control characters included, leaves the Word document's
        // parts well-formed XML.
        let title: String = title.into_iter().collect();
        let mut options = ReportOptions::default();
        options.title = Some(title);
        let report = Report::build(&now, Some(&before), &options);
        let docx = render(&report, Format::Docx).unwrap();
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
        for name in ["word/document.xml", "word/header1.xml", "word/header2.xml", "word/footer1.xml"] {
            let mut xml = String::new();
            std::io::Read::read_to_string(&mut archive.by_name(name).unwrap(), &mut xml).unwrap();
            let mut reader = quick_xml::Reader::from_str(&xml);
            loop {
                match reader.read_event() {
                    Ok(quick_xml::events::Event::Eof) => break,
                    Ok(quick_xml::events::Event::Text(t)) => {
                        prop_assert!(!t.xml10_content().chars().any(|c| c < ' ' && !"\t\n\r".contains(c)));
                    }
                    Ok(_) => {}
                    Err(e) => prop_assert!(false, "{name}: {e}"),
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// Whatever an objective's title holds — control characters, `_xHHHH_`, wide
    /// characters, spaces at its ends — the Actions sheet, whose rows the report
    /// writes, holds it as the Summary, whose strings rust_xlsxwriter writes, does.
    #[test]
    fn list_rows_hold_any_text_as_the_summary_does(
        title in proptest::collection::vec(
            prop_oneof![
                any::<char>(),
                Just('\u{1}'),
                Just('\r'),
                Just('\t'),
                Just(' '),
                Just('_'),
                Just('&'),
                Just('<'),
                Just('\u{fffe}'),
                Just('🙂'),
            ],
            1..40,
        ),
        escape_like in any::<bool>(),
    ) {
        use calamine::Reader as _;
        let mut title: String = title.into_iter().collect();
        if escape_like {
            title.push_str("_x0041_");
        }
        let mut plan = synthetic_plan(12, 2, 7);
        plan.objectives[0].title = title;
        let as_of = NaiveDate::from_ymd_opt(2015, 6, 30).unwrap();
        let policy = Policy::default();
        let now = rate(&plan, &policy, as_of);
        let report = Report::build(&now, None, &ReportOptions::default());
        let bytes = render(&report, Format::Xlsx).unwrap();
        let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let summary = book.worksheet_range("Summary").unwrap();
        let key = &report.objectives[0].key;
        let row = (0..summary.height() as u32)
            .find(|r| summary.get_value((*r, 0)).map(ToString::to_string).as_ref() == Some(key))
            .unwrap();
        let in_summary = summary.get_value((row, 1)).map(ToString::to_string);
        let actions = book.worksheet_range("Actions").unwrap();
        prop_assert_eq!(actions.get_value((1, 1)).map(ToString::to_string), in_summary);
    }
}
