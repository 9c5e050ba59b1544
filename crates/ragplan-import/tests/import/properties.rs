//! Properties: no source panics the importer; generated tables lose no word;
//! import → export → import is a fixed point; re-importing a plan's own export
//! changes nothing; and a generated plan's owners and partners survive export →
//! import exactly.

use proptest::prelude::*;
use ragplan_core::{Owner, PlanId, generate::synthetic_plan};
use ragplan_import::{
    ExportFormat, ImportOptions, ReimportOptions, SourceFormat, export, import, reimport,
};

use crate::common::words_not_in_their_nodes;

const HEADERS: &[&str] = &[
    "Sub Objectives",
    "Actions",
    "Action RAG",
    "Evidence",
    "Outcomes",
    "Accountable",
    "Responsibility",
    "Timescale",
    "Partners Involved",
    "Outcome RAG",
    "Comments",
    "Budget",
    "colour_rating",
];

/// A cell as real plans write them: words, names, ratings, dates, HTML, quotes,
/// separators and line breaks.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => Just(String::new()),
        2 => prop::sample::select(vec![
            "Green", "Amber", "Red", "Amber/Red", "Green  Green", "Blue", "R", "No DCA",
            "Data exempt under section 27", "In progress", "May 2015", "Q1 2015/16", "TBC",
            "Ongoing", "Mandie Watson", "Mandie Watson Debbie Carter", "WMP", "WMP Legal Services",
            "Information governance", "Page 15", "1", "<b>Actions</b>", "<p>Review</p> <hr/> <p>plan</p>",
            "Education Health Police", "a; b, c", "\"quoted\" text", "line one\nline two",
        ]).prop_map(str::to_owned),
        4 => "[A-Za-z][a-z]{0,8}( [A-Za-z0-9][a-z0-9]{0,6}){0,5}",
    ]
}

fn table() -> impl Strategy<Value = (Vec<String>, Vec<Vec<String>>)> {
    (prop::sample::subsequence(HEADERS.to_vec(), 2..=HEADERS.len()), 1usize..25)
        .prop_filter("a table needs an Actions column", |(h, _)| h.contains(&"Actions"))
        .prop_flat_map(|(headers, n_rows)| {
            let width = headers.len();
            let headers: Vec<String> = headers.into_iter().map(str::to_owned).collect();
            (Just(headers), prop::collection::vec(prop::collection::vec(cell(), width), n_rows))
        })
}

/// The headers of a tracker with indicators: measure columns beside the action's.
const MEASURE_HEADERS: &[&str] = &[
    "Ref",
    "Sub Objectives",
    "Actions",
    "Action RAG",
    "KPI",
    "Unit",
    "Target",
    "Direction",
    "Tolerance",
    "Actual",
    "As at",
    "Comments",
];

/// A cell of a tracker with indicators: any cell, or one a measure column holds.
fn measure_cell() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => cell(),
        2 => prop::sample::select(vec![
            "85", "85%", "1,200", "2.5", "-1", "0", "up", "Lower is better", "↓", "sideways",
            "30/06/2015", "2015-06-30", "soon", "M1", "M2", "1.1", "K 9", "%", "referrals",
        ]).prop_map(str::to_owned),
    ]
}

fn measure_table() -> impl Strategy<Value = (Vec<String>, Vec<Vec<String>>)> {
    (prop::sample::subsequence(MEASURE_HEADERS.to_vec(), 2..=MEASURE_HEADERS.len()), 1usize..16)
        .prop_filter("a tracker needs an indicator column", |(h, _)| h.contains(&"KPI"))
        .prop_flat_map(|(headers, n_rows)| {
            let width = headers.len();
            let headers: Vec<String> = headers.into_iter().map(str::to_owned).collect();
            (
                Just(headers),
                prop::collection::vec(prop::collection::vec(measure_cell(), width), n_rows),
            )
        })
}

fn write(headers: &[String], rows: &[Vec<String>], delimiter: u8) -> String {
    let mut writer = csv::WriterBuilder::new().delimiter(delimiter).from_writer(Vec::new());
    let _ = writer.write_record(headers);
    for row in rows {
        let _ = writer.write_record(row);
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

fn options(format: SourceFormat) -> ImportOptions {
    ImportOptions::for_format(format)
        .with_id(PlanId::new("generated").ok())
        .with_title(Some("Generated plan".into()))
}

/// Owners as the plans write them, each with the kind the importer must read.
const OWNERS: &[(&str, bool)] = &[
    ("LSCB Business Manager", false),
    ("CSE Co-ordinator", false),
    ("CSE coordinator", false),
    ("MASH Team Manager", false),
    ("CMOG Chair", false),
    ("DCI Handson", true),
    ("Cllr Ruane", true),
    ("Mandie Watson", true),
    ("Debbie Carter", true),
    ("Darren O'Shaunassey", true),
    ("Tony Staunton, Child Protection Manager", true),
    ("WMP", false),
    ("WMP Legal Services", false),
    ("Children and Families First", false),
    ("Acting Director of Education", false),
    ("Head of IYSS", false),
    ("Information governance", false),
    ("Officer", false),
];

/// Partners as the plans write them: agencies of the vocabulary, and others.
const PARTNERS: &[&str] = &[
    "Education",
    "Health",
    "Police",
    "Third Sector",
    "Third sector",
    "Social Care",
    "Children's Services",
    "Community Safety",
    "Children and Families First",
    "Children and Families First workers",
    "Probation",
    "Housing",
    "Youth Offending",
    "WMP",
    "CPS",
    "Social Workers",
    "Barnardo's",
];

fn owners() -> impl Strategy<Value = Vec<Owner>> {
    prop::collection::vec(prop::sample::select(OWNERS.to_vec()), 0..4).prop_map(|picked| {
        picked
            .into_iter()
            .map(|(name, person)| if person { Owner::person(name) } else { Owner::role(name) })
            .collect()
    })
}

/// An action's accountable and responsible owners and its partners.
type People = (Vec<Owner>, Vec<Owner>, Vec<String>);

/// The owners and partners of some actions: `None` keeps the generated ones.
fn people() -> impl Strategy<Value = Vec<Option<People>>> {
    let partners = prop::collection::vec(prop::sample::select(PARTNERS.to_vec()), 0..5)
        .prop_map(|p| p.into_iter().map(str::to_owned).collect::<Vec<_>>());
    prop::collection::vec(prop::option::of((owners(), owners(), partners)), 1..40)
}

/// The rows of a table [`write`] wrote, each with the source line it starts on: a
/// cell's line breaks move the rows below it down.
fn numbered<'t>(headers: &'t [String], rows: &'t [Vec<String>]) -> Vec<(usize, Vec<&'t str>)> {
    let mut line = 1;
    let mut numbered = Vec::new();
    for row in std::iter::once(headers).chain(rows.iter().map(Vec::as_slice)) {
        numbered.push((line, row.iter().map(String::as_str).collect()));
        line += 1 + row.iter().map(|c| c.matches('\n').count()).sum::<usize>();
    }
    numbered
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn generated_owners_and_partners_survive_export_and_import(
        people in people(),
        seed in any::<u64>(),
        format in prop::sample::select(vec![ExportFormat::Csv, ExportFormat::Tsv]),
    ) {
        let mut plan = synthetic_plan(people.len(), 2, seed);
        let actions = plan.objectives.iter_mut().flat_map(|o| &mut o.sub_objectives).flat_map(|s| &mut s.actions);
        for (action, given) in actions.zip(&people) {
            if let Some((accountable, responsible, partners)) = given {
                action.accountable.clone_from(accountable);
                action.responsible.clone_from(responsible);
                action.partners.clone_from(partners);
            }
        }
        let table = export(&plan, format);
        let again = match format {
            ExportFormat::Csv => SourceFormat::Csv,
            ExportFormat::Tsv => SourceFormat::Tsv,
        };
        let imported = import(table.as_bytes(), &options(again));
        prop_assert!(imported.is_ok(), "{imported:?}");
        let Ok(imported) = imported else { return Ok(()) };
        prop_assert_eq!(plan.n_actions(), imported.plan.n_actions());
        for (a, b) in plan.actions().zip(imported.plan.actions()) {
            prop_assert_eq!(&a.accountable, &b.accountable, "{}", table);
            prop_assert_eq!(&a.responsible, &b.responsible, "{}", table);
            prop_assert_eq!(&a.partners, &b.partners, "{}", table);
        }
    }

    #[test]
    fn generated_tables_lose_no_word(
        (headers, rows) in table(),
        delimiter in prop::sample::select(vec![b'\t', b',', b';']),
    ) {
        let source = write(&headers, &rows, delimiter);
        let format = if delimiter == b'\t' { SourceFormat::Tsv } else { SourceFormat::Csv };
        let imported = import(source.as_bytes(), &options(format));
        prop_assert!(imported.is_ok(), "{imported:?}");
        if let Ok(imported) = imported {
            prop_assert_eq!(
                words_not_in_their_nodes(&numbered(&headers, &rows), &imported),
                Vec::<String>::new(),
                "{}",
                source
            );
        }
    }

    #[test]
    fn reimporting_a_plans_own_export_changes_nothing(
        (headers, rows) in table(),
        format in prop::sample::select(vec![ExportFormat::Csv, ExportFormat::Tsv]),
    ) {
        let source = write(&headers, &rows, b'\t');
        let Ok(stored) = import(source.as_bytes(), &options(SourceFormat::Tsv)) else {
            return Err(TestCaseError::fail("the generated table did not import"));
        };
        let table = export(&stored.plan, format);
        let again = match format {
            ExportFormat::Csv => SourceFormat::Csv,
            ExportFormat::Tsv => SourceFormat::Tsv,
        };
        let Ok(newer) = import(table.as_bytes(), &options(again)) else {
            return Err(TestCaseError::fail(format!("the export did not import:\n{table}")));
        };
        let merged = reimport(&stored.plan, &newer.plan, &ReimportOptions::default());
        prop_assert_eq!(&merged.changes, &[], "{}", table);
        prop_assert_eq!(&merged.diagnostics, &[], "{}", table);
        prop_assert!(merged.plan.objectives == stored.plan.objectives, "changed:\n{}", table);
    }

    #[test]
    fn import_export_import_is_a_fixed_point(
        (headers, rows) in table(),
        format in prop::sample::select(vec![ExportFormat::Csv, ExportFormat::Tsv]),
    ) {
        let source = write(&headers, &rows, b'\t');
        let first = import(source.as_bytes(), &options(SourceFormat::Tsv));
        prop_assert!(first.is_ok(), "{first:?}");
        let Ok(first) = first else { return Ok(()) };
        let table = export(&first.plan, format);
        let again = match format {
            ExportFormat::Csv => SourceFormat::Csv,
            ExportFormat::Tsv => SourceFormat::Tsv,
        };
        let second = import(table.as_bytes(), &options(again));
        prop_assert!(second.is_ok(), "{second:?}\n{table}");
        if let Ok(second) = second {
            prop_assert!(first.plan.objectives == second.plan.objectives, "not a fixed point:\n{}\nSOURCE\n{}", table, source);
            prop_assert_eq!(export(&second.plan, format), table);
        }
    }

    #[test]
    fn a_tracker_with_indicators_loses_no_word(
        (headers, rows) in measure_table(),
    ) {
        let source = write(&headers, &rows, b'\t');
        let imported = import(source.as_bytes(), &options(SourceFormat::Tsv));
        prop_assert!(imported.is_ok(), "{imported:?}");
        if let Ok(imported) = imported {
            // A number and a direction are kept as what they read as: `1,200` is 1200,
            // `up` is higher is better.
            let read = |w: &String| {
                ["1 ", "200 ", "up "].iter().any(|r| w.starts_with(r) || w.contains(&format!(": {r}")))
            };
            let lost: Vec<String> = words_not_in_their_nodes(&numbered(&headers, &rows), &imported)
                .into_iter()
                .filter(|w| !read(w))
                .collect();
            prop_assert_eq!(lost, Vec::<String>::new(), "{}", source);
        }
    }

    #[test]
    fn a_tracker_with_indicators_is_a_fixed_point_of_import_export_import(
        (headers, rows) in measure_table(),
        format in prop::sample::select(vec![ExportFormat::Csv, ExportFormat::Tsv]),
    ) {
        let source = write(&headers, &rows, b'\t');
        let first = import(source.as_bytes(), &options(SourceFormat::Tsv));
        prop_assert!(first.is_ok(), "{first:?}");
        let Ok(first) = first else { return Ok(()) };
        let table = export(&first.plan, format);
        let again = match format {
            ExportFormat::Csv => SourceFormat::Csv,
            ExportFormat::Tsv => SourceFormat::Tsv,
        };
        let second = import(table.as_bytes(), &options(again));
        prop_assert!(second.is_ok(), "{second:?}\n{table}");
        if let Ok(second) = second {
            prop_assert!(first.plan.objectives == second.plan.objectives, "not a fixed point:\n{}\nSOURCE\n{}", table, source);
            prop_assert_eq!(export(&second.plan, format), table);
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(
        bytes in prop::collection::vec(any::<u8>(), 0..400),
        format in prop::sample::select(vec![
            SourceFormat::Auto, SourceFormat::Tsv, SourceFormat::Csv, SourceFormat::Xlsx,
            SourceFormat::Docx, SourceFormat::Markdown, SourceFormat::Text, SourceFormat::Json,
        ]),
    ) {
        let _ = import(&bytes, &ImportOptions::for_format(format));
    }

    #[test]
    fn damaged_word_documents_never_panic(cut in 0usize..4096, flip in any::<u8>()) {
        use crate::docx_writer::{tbl, tc_with, tr, tr_of};
        let body = tbl(&[
            tr(&["Sub Objectives", "Actions", "Action RAG"]),
            tr_of(&[tc_with(r#"<w:vMerge w:val="restart"/>"#, "Prevent"),
                tc_with(r#"<w:gridSpan w:val="2"/>"#, "Review training")]),
            tr_of(&[tc_with("<w:vMerge/>", ""), tc_with("", "Publish"), tc_with("", "Red")]),
        ]);
        let document = crate::docx_writer::document_xml(&body);
        // Stored, not deflated, so that the damage falls on the XML as often as not.
        let bytes = crate::docx_writer::zip_of(
            &[("word/document.xml", &document)],
            zip::CompressionMethod::Stored,
        );
        let options = ImportOptions::for_format(SourceFormat::Docx);
        let cut = cut.min(bytes.len());
        let _ = import(&bytes[..cut], &options);
        let mut damaged = bytes.clone();
        if let Some(b) = damaged.get_mut(cut) {
            *b ^= flip;
        }
        let _ = import(&damaged, &options);
    }

    #[test]
    fn arbitrary_word_markup_never_panics(
        parts in prop::collection::vec(prop::sample::select(vec![
            "<w:tbl>", "</w:tbl>", "<w:tr>", "</w:tr>", "<w:tc>", "</w:tc>", "<w:p>", "</w:p>",
            "<w:r>", "</w:r>", "<w:t>", "</w:t>", "Actions", "Action RAG", "Red", "&amp;", "&#9;",
            r#"<w:gridSpan w:val="9999999999"/>"#, r#"<w:vMerge w:val="restart"/>"#,
            "<w:vMerge/>", "<w:tblHeader/>", r#"<w:gridBefore w:val="3"/>"#, "<w:br/>",
            "<w:tab/>", r#"<w:numPr><w:ilvl w:val="99"/><w:numId w:val="1"/></w:numPr>"#,
            "<w:pPr>", "</w:pPr>", "<w:tcPr>", "</w:tcPr>", "<mc:Fallback>", "</mc:Fallback>",
        ]), 0..80),
    ) {
        let body = parts.concat();
        let bytes = crate::docx_writer::docx(&body);
        let _ = import(&bytes, &ImportOptions::for_format(SourceFormat::Docx));
    }

    #[test]
    fn arbitrary_text_never_panics(
        text in "[A-Za-z0-9 \t\n\r|,;:\"<>/#*.()-]{0,300}",
        format in prop::sample::select(vec![
            SourceFormat::Auto, SourceFormat::Tsv, SourceFormat::Csv,
            SourceFormat::Markdown, SourceFormat::Text,
        ]),
    ) {
        let head = "Actions\tAction RAG\tAccountable\tTimescale\n";
        for source in [text.clone(), format!("{head}{text}")] {
            let _ = import(source.as_bytes(), &ImportOptions::for_format(format));
        }
    }

    #[test]
    fn truncated_workbooks_never_panic(cut in 0usize..4096, flip in any::<u8>()) {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        let _ = sheet.write_string(0, 0, "Actions");
        let _ = sheet.write_string(0, 1, "RAG");
        let _ = sheet.write_string(1, 0, "Review training");
        let _ = sheet.write_string(1, 1, "Green");
        let bytes = book.save_to_buffer().unwrap_or_default();
        let cut = cut.min(bytes.len());
        let _ = import(&bytes[..cut], &ImportOptions::default());
        let mut damaged = bytes.clone();
        if let Some(b) = damaged.get_mut(cut) {
            *b ^= flip;
        }
        let _ = import(&damaged, &ImportOptions::default());
    }
}
