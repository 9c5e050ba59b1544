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

/// Text that may open with what a spreadsheet runs as a formula, after any number of
/// apostrophes, or with nothing of the kind.
fn cell_text() -> impl Strategy<Value = String> {
    let starts = ["", "'", "''", "=", "+", "-", "@", "\t", "\r", "'=", "''-", "'\t", "\n"];
    (proptest::sample::select(starts.to_vec()), any::<String>())
        .prop_map(|(start, rest)| format!("{start}{rest}"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Whatever a text holds, its CSV cell opens with no formula's first character,
    /// and dropping the `'` the CSV docs describe gives the text back; a text that
    /// needs none is written as it is; a date, even of a year before 1 AD (which
    /// begins with `-`), is written as ragplan spells it.
    #[test]
    fn any_text_reads_back_from_its_csv_cell_and_no_cell_is_a_formula(
        plan_id in cell_text(),
        title in cell_text(),
        owners in proptest::collection::vec(cell_text(), 0..3),
        timescale in cell_text(),
        note in proptest::option::of(cell_text()),
        due in proptest::option::of((-9999i32..=9999, 1u32..=12, 1u32..=28)),
    ) {
        use ragplan_report::csv::{ACTIONS_CSV_HEADER, FORMULA_STARTS, text_cell, write_actions_csv};
        let due = due.map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap());
        let row = ragplan_report::content::ActionRow {
            key: "1.2".to_owned(),
            objective: "Protect".to_owned(),
            sub_objective: None,
            title: title.clone(),
            delivery: ragplan_core::Rating::Amber.into(),
            outcome: ragplan_core::Rating::NotRated.into(),
            status: String::new(),
            accountable: owners.clone(),
            responsible: Vec::new(),
            partners: Vec::new(),
            timescale: timescale.clone(),
            due,
            flags: Vec::new(),
            reason: String::new(),
            latest_note: note.clone(),
        };
        let as_of = NaiveDate::from_ymd_opt(2015, 6, 30).unwrap();
        let text = write_actions_csv(&plan_id, as_of, &[row]).unwrap();
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        prop_assert_eq!(records.len(), 1);
        let record = &records[0];
        let col = |name: &str| ACTIONS_CSV_HEADER.iter().position(|h| *h == name).unwrap();
        let written = [
            ("plan_id", plan_id),
            ("action", title),
            ("accountable", owners.join("; ")),
            ("timescale", timescale),
            ("latest_note", note.unwrap_or_default()),
        ];
        for (name, original) in written {
            let cell = &record[col(name)];
            prop_assert!(!cell.starts_with(FORMULA_STARTS), "{}: {:?}", name, cell);
            prop_assert_eq!(crate::common::read_back(cell), original.as_str(), "{}", name);
            let guarded = text_cell(original.as_str());
            prop_assert_eq!(cell, guarded.as_ref());
            if !original.trim_start_matches('\'').starts_with(FORMULA_STARTS) {
                prop_assert_eq!(cell, original.as_str(), "{}", name);
            }
        }
        prop_assert_eq!(&record[col("as_of")], "2015-06-30");
        prop_assert_eq!(&record[col("due")], due.map(|d| d.to_string()).unwrap_or_default());
    }
}
