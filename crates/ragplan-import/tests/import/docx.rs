//! Word documents: the Coventry delivery plan as a Word table imports as its TSV
//! twin; a table continued over two tables, merged cells, a recommendation list
//! written as paragraphs; and damaged or hostile documents.

use ragplan_core::Plan;
use ragplan_import::{ImportError, ImportOptions, Imported, SourceFormat, detect_format, import};
use zip::CompressionMethod;

use crate::common::{diagnostics_report, fixture, lost_words};
use crate::docx_writer::{
    body_from_tsv, docx, docx_with, header_tr, heading, numbered, p, page_break, run, tbl, tc,
    tc_with, tr, tr_of, zip_of,
};

fn docx_options() -> ImportOptions {
    ImportOptions::for_format(SourceFormat::Docx)
}

fn import_docx(bytes: &[u8]) -> Imported {
    import(bytes, &docx_options()).unwrap_or_else(|e| panic!("{e}"))
}

/// The plan's document as JSON, its metadata (where it came from) left out.
fn plan_json(plan: &Plan) -> serde_json::Value {
    let mut json: serde_json::Value =
        serde_json::from_str(&plan.to_json()).unwrap_or(serde_json::Value::Null);
    if let Some(map) = json.as_object_mut() {
        map.remove("metadata");
    }
    json
}

fn codes(imported: &Imported) -> Vec<&str> {
    imported.diagnostics.iter().map(|d| d.code.as_str()).collect()
}

#[test]
fn coventry_delivery_plan_as_a_word_table_imports_as_its_tsv_twin() {
    let tsv = String::from_utf8_lossy(&fixture("coventry-cse-delivery-plan.tsv")).into_owned();
    let from_tsv = import(tsv.as_bytes(), &ImportOptions::for_format(SourceFormat::Tsv))
        .unwrap_or_else(|e| panic!("{e}"));
    let bytes = docx(&body_from_tsv(&tsv));
    let from_docx = import_docx(&bytes);
    // 34 actions: see the hand count in fixtures.rs.
    assert_eq!(from_docx.plan.n_actions(), 34);
    assert_eq!(plan_json(&from_docx.plan), plan_json(&from_tsv.plan));
    // The layout the plan exports in is the same too.
    assert_eq!(
        from_docx.plan.metadata.get(ragplan_import::LAYOUT_KEY),
        from_tsv.plan.metadata.get(ragplan_import::LAYOUT_KEY)
    );
    // The tables broken where the TSV has blank lines are joined, each once.
    let continued = codes(&from_docx).iter().filter(|c| **c == "table-continued").count();
    assert_eq!(continued, 7, "{}", diagnostics_report(&from_docx));
    let cells = crate::docx_writer::tsv_records(&tsv).into_iter().flat_map(|(_, cells)| cells);
    let cells: Vec<String> = cells.collect();
    assert_eq!(lost_words(cells.iter().map(String::as_str), &from_docx), Vec::<String>::new());
}

const HEADER: &[&str] = &["Sub Objectives", "Actions", "Action RAG", "Accountable", "Timescale"];
const ROWS: &[&[&str]] = &[
    &["Prevent", "Information sharing agreement in place", "Red", "Jayne Hutchings", "May 2015"],
    &["", "All staff in social care receive updates", "Amber", "Mandie Watson", "Ongoing"],
    &["Protect", "Review placements and contracts", "Green", "WMP", "Q1 2015/16"],
    &["", "Review missing / return home interviews", "Amber", "Debbie Carter", "TBC"],
];

#[test]
fn a_table_continued_over_two_tables_imports_as_one() {
    let rows: Vec<String> = ROWS.iter().map(|r| tr(r)).collect();
    let one = docx(&tbl(&[vec![header_tr(HEADER)], rows.clone()].concat()));
    let split = docx(&format!(
        "{}{}{}",
        tbl(&[vec![header_tr(HEADER)], rows[..2].to_vec()].concat()),
        page_break(),
        tbl(&[vec![header_tr(HEADER)], rows[2..].to_vec()].concat()),
    ));
    // The header repeated as a plain row (no w:tblHeader), or not at all.
    let plain_header = docx(&format!(
        "{}{}{}",
        tbl(&[vec![tr(HEADER)], rows[..2].to_vec()].concat()),
        p(""),
        tbl(&[vec![tr(HEADER)], rows[2..].to_vec()].concat()),
    ));
    let no_header = docx(&format!(
        "{}{}{}",
        tbl(&[vec![header_tr(HEADER)], rows[..2].to_vec()].concat()),
        page_break(),
        tbl(&rows[2..]),
    ));
    let expected = import_docx(&one);
    assert_eq!(expected.plan.n_actions(), 4);
    assert!(!codes(&expected).contains(&"table-continued"), "{:?}", codes(&expected));
    for (name, bytes) in
        [("split", split), ("plain header", plain_header), ("no header", no_header)]
    {
        let imported = import_docx(&bytes);
        assert_eq!(plan_json(&imported.plan), plan_json(&expected.plan), "{name}");
        let report = diagnostics_report(&imported);
        assert!(report.contains("info[table-continued] row"), "{name}: {report}");
        assert!(!report.contains("repeated-header"), "{name}: {report}");
    }
}

#[test]
fn a_table_after_text_with_other_columns_starts_a_new_header() {
    let body = format!(
        "{}{}{}",
        tbl(&[tr(HEADER), tr(ROWS[0])]),
        p("Section 2"),
        tbl(&[tr(&["Actions", "Lead", "Due"]), tr(&["Commission a reviewer", "WMP", "May 2015"])]),
    );
    let imported = import_docx(&docx(&body));
    let owners: Vec<String> = imported
        .plan
        .actions()
        .map(|a| a.accountable.iter().map(|o| o.name.clone()).collect::<Vec<_>>().join(", "))
        .collect();
    assert_eq!(owners, ["Jayne Hutchings", "WMP"]);
    assert!(codes(&imported).contains(&"table-header"), "{:?}", codes(&imported));
}

#[test]
fn merged_cells_are_filled_and_diagnosed() {
    let restart = r#"<w:vMerge w:val="restart"/>"#;
    let body = tbl(&[
        header_tr(&["Sub Objectives", "Actions", "Action RAG", "Accountable", "Responsibility"]),
        tr_of(&[tc_with(r#"<w:gridSpan w:val="5"/>"#, "Objective 1: Prevent")]),
        tr_of(&[
            tc_with(restart, "Raise awareness"),
            tc("Work in schools"),
            tc("Green"),
            tc_with(r#"<w:gridSpan w:val="2"/>"#, "Mandie Watson"),
        ]),
        tr_of(&[
            tc_with("<w:vMerge/>", ""),
            tc("Deliver training to taxi drivers"),
            tc("Amber"),
            tc("WMP"),
            tc("Licensing"),
        ]),
        tr_of(&[
            tc_with("<w:vMerge/>", ""),
            tc("Publish a leaflet"),
            tc("Red"),
            tc("Debbie Carter"),
            tc(""),
        ]),
        tr(&["Protect", "Review placements", "Green", "WMP", ""]),
    ]);
    let imported = import_docx(&docx(&body));
    let plan = &imported.plan;
    let subs: Vec<(&str, usize)> = plan
        .objectives
        .iter()
        .flat_map(|o| o.sub_objectives.iter().map(|s| (s.title.as_str(), s.actions.len())))
        .collect();
    assert_eq!(subs, [("Raise awareness", 3), ("Protect", 1)]);
    // The span fills Responsibility as well as Accountable.
    let first = plan.actions().next().map(|a| a.responsible.clone()).unwrap_or_default();
    assert_eq!(first.iter().map(|o| o.name.as_str()).collect::<Vec<_>>(), ["Mandie Watson"]);
    // The row across the whole table is text, kept as a note of its objective.
    let notes: Vec<&str> = plan.objectives[0].unmapped.iter().map(|n| n.text.as_str()).collect();
    assert_eq!(notes, ["Objective 1: Prevent"]);
    insta::assert_snapshot!("docx-merged-cells-diagnostics", diagnostics_report(&imported));
}

#[test]
fn cell_paragraphs_breaks_and_tabs_are_read_as_the_reader_sees_them() {
    let cell = r#"<w:tc><w:p><w:r><w:t>Review training</w:t><w:br/><w:t>for staff</w:t></w:r></w:p><w:p><w:r><w:t>Develop</w:t><w:tab/><w:t>a pathway</w:t></w:r></w:p></w:tc>"#;
    let evidence = r#"<w:tc><w:p><w:r><w:t>Minutes</w:t></w:r></w:p><w:p/><w:p><w:r><w:t>Website &amp; newsletters</w:t></w:r></w:p></w:tc>"#;
    let body = tbl(&[
        header_tr(&["Actions", "Evidence", "Action RAG"]),
        format!("<w:tr>{cell}{evidence}{}</w:tr>", tc("Green")),
    ]);
    let imported = import_docx(&docx(&body));
    let action = imported.plan.actions().next().cloned();
    let action = action.unwrap_or_else(|| panic!("no action: {}", diagnostics_report(&imported)));
    assert_eq!(action.evidence, ["Minutes", "Website & newsletters"]);
    assert_eq!(action.title, "Review training for staff Develop a pathway");
}

#[test]
fn a_recommendation_list_as_paragraphs_imports_as_the_text() {
    let text = String::from_utf8_lossy(&fixture("stockton-recommendations.txt")).into_owned();
    let from_text = import(text.as_bytes(), &ImportOptions::for_format(SourceFormat::Text))
        .unwrap_or_else(|e| panic!("{e}"));
    let body: String = text.lines().map(p).collect();
    let from_docx = import_docx(&docx(&body));
    assert_eq!(from_docx.plan.n_actions(), from_text.plan.n_actions());
    assert_eq!(plan_json(&from_docx.plan), plan_json(&from_text.plan));
}

const NUMBERING: &str = r#"<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:abstractNum w:abstractNumId="0">
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2."/></w:lvl>
</w:abstractNum>
<w:num w:numId="4"><w:abstractNumId w:val="0"/></w:num>
</w:numbering>"#;

#[test]
fn a_word_numbered_list_imports_as_the_numbered_text() {
    let body = [
        p("Report of the task and finish group"),
        heading("Recommendations"),
        numbered(4, 0, "That the LSCB consider formal mechanisms for sharing information."),
        numbered(4, 0, "That the LSCB ensure a multi-agency training strategy be developed to:"),
        numbered(4, 1, "Map out current provision"),
        numbered(4, 1, "Identify any gaps"),
        numbered(4, 0, "That this report is submitted to the LSCB."),
    ]
    .concat();
    let text = "Report of the task and finish group\n\
                # Recommendations\n\
                1. That the LSCB consider formal mechanisms for sharing information.\n\
                2. That the LSCB ensure a multi-agency training strategy be developed to:\n\
                a. Map out current provision\n\
                b. Identify any gaps\n\
                3. That this report is submitted to the LSCB.\n";
    let options = ImportOptions::for_format(SourceFormat::Text);
    let from_text = import(text.as_bytes(), &options).unwrap_or_else(|e| panic!("{e}"));
    let bytes = docx_with(&body, &[("word/numbering.xml", NUMBERING)]);
    let from_docx = import_docx(&bytes);
    // Three recommendations; the second's lettered items are its two actions.
    let subs = from_docx.plan.objectives.iter().map(|o| o.sub_objectives.len()).sum::<usize>();
    assert_eq!((subs, from_docx.plan.n_actions()), (3, 4), "{}", diagnostics_report(&from_docx));
    assert_eq!(plan_json(&from_docx.plan), plan_json(&from_text.plan));
    // With no numbering part, a list is numbered 1., a., as Word numbers it.
    assert_eq!(plan_json(&import_docx(&docx(&body)).plan), plan_json(&from_text.plan));
}

#[test]
fn word_and_excel_zips_tell_each_other_apart() {
    let bytes = docx(&tbl(&[tr(HEADER), tr(ROWS[0])]));
    assert_eq!(detect_format(&bytes, &ImportOptions::default()), SourceFormat::Docx);
    let named = ImportOptions::default().with_file_name(Some("Plan.DOCX".into()));
    // A damaged zip named as a Word document is one; bytes that are no zip are not.
    assert_eq!(detect_format(b"PK\x03\x04anything", &named), SourceFormat::Docx);
    assert_ne!(detect_format(b"anything", &named), SourceFormat::Docx);
    let mut book = rust_xlsxwriter::Workbook::new();
    let _ = book.add_worksheet().write_string(0, 0, "Actions");
    let workbook = book.save_to_buffer().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(detect_format(&workbook, &ImportOptions::default()), SourceFormat::Xlsx);
    // Detected from the bytes alone, it imports.
    let imported = import(&bytes, &ImportOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(imported.plan.n_actions(), 1);
    assert_eq!("word".parse::<SourceFormat>(), Ok(SourceFormat::Docx));
}

/// Bug: a Word document saved with a workbook's extension was read as a workbook,
/// and refused with "the workbook cannot be read: Unexpected end of xml"; a CSV
/// saved as `.xlsx` was refused as "invalid Zip archive". Each is read as what it
/// is, with a warning naming the extension and what it was read as.
#[test]
fn a_word_document_named_xlsx_was_refused_as_a_broken_workbook() {
    let not_as_named = |imported: &ragplan_import::Imported| -> Vec<String> {
        imported
            .diagnostics
            .iter()
            .filter(|d| d.code == "not-as-named")
            .map(|d| d.message.clone())
            .collect()
    };
    let named = |name: &str| ImportOptions::default().with_file_name(Some(name.into()));
    let word = docx(&tbl(&[tr(HEADER), tr(ROWS[0])]));
    let imported = import(&word, &named("plan.xlsx")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(imported.plan.n_actions(), 1);
    assert_eq!(
        not_as_named(&imported),
        ["named .xlsx, but it is not an Excel workbook: read as a Word document; `--format` \
          says which it is"]
    );
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (col, header) in ["Action", "RAG"].into_iter().enumerate() {
        let _ = sheet.write_string(0, col as u16, header);
    }
    let _ = sheet.write_string(1, 0, "Publish the leaflet");
    let _ = sheet.write_string(1, 1, "Green");
    let workbook = book.save_to_buffer().unwrap_or_else(|e| panic!("{e}"));
    let imported = import(&workbook, &named("plan.docx")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(imported.plan.n_actions(), 1);
    assert_eq!(not_as_named(&imported).len(), 1);
    let csv = b"Action,RAG\nPublish the leaflet,Green\n";
    let imported = import(csv, &named("plan.xlsx")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(imported.plan.n_actions(), 1);
    assert_eq!(
        not_as_named(&imported),
        ["named .xlsx, but it is not an Excel workbook (it is not a zip file, as one is): \
          read as a comma-separated table; `--format` says which it is"]
    );
    // Named as what it is, nothing is said; a damaged Word document named as one is
    // still a Word document's error.
    let imported = import(&word, &named("plan.docx")).unwrap_or_else(|e| panic!("{e}"));
    assert!(not_as_named(&imported).is_empty());
    assert!(docx_error(&word[..40], &named("plan.docx")).starts_with("it is not a readable zip"));
}

fn docx_error(bytes: &[u8], options: &ImportOptions) -> String {
    match import(bytes, options) {
        Err(ImportError::Docx(message)) => message,
        other => panic!("not a Word document error: {other:?}"),
    }
}

#[test]
fn a_damaged_docx_zip_is_a_word_document_error() {
    let bytes = docx(&tbl(&[tr(HEADER), tr(ROWS[0])]));
    let named = ImportOptions::default().with_file_name(Some("plan.docx".into()));
    for len in [4, 30, bytes.len() / 2, bytes.len() - 1] {
        let message = docx_error(&bytes[..len], &named);
        assert!(message.starts_with("it is not a readable zip"), "{len}: {message}");
    }
    let err = import(&bytes[..30], &named).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(err.starts_with("the Word document cannot be read: "), "{err}");
}

#[test]
fn a_zip_with_no_word_document_xml_is_a_word_document_error() {
    let bytes = zip_of(&[("[Content_Types].xml", "<Types/>")], CompressionMethod::Deflated);
    let message = docx_error(&bytes, &docx_options());
    assert_eq!(message, "it holds no word/document.xml; is it a Word document?");
}

#[test]
fn a_document_xml_that_is_not_well_formed_is_a_word_document_error() {
    let parts = [("word/document.xml", "<w:document><w:body><w:p></w:tbl></w:body>")];
    let message = docx_error(&zip_of(&parts, CompressionMethod::Stored), &docx_options());
    assert!(message.starts_with("word/document.xml is not well-formed XML"), "{message}");
}

#[test]
fn an_absurd_grid_span_is_capped_not_allocated() {
    for span in ["4294967296000", "99999", "-3", "x"] {
        let body = tbl(&[
            tr(&["Actions", "Action RAG"]),
            tr_of(&[tc_with(&format!(r#"<w:gridSpan w:val="{span}"/>"#), "Review"), tc("Red")]),
        ]);
        let imported = import_docx(&docx(&body));
        assert_eq!(imported.plan.n_actions(), 1, "{span}");
        let capped = codes(&imported).contains(&"grid-span-capped");
        assert_eq!(capped, span.len() > 2, "{span}: {}", diagnostics_report(&imported));
    }
}

#[test]
fn a_continued_merge_with_nothing_above_is_an_empty_cell() {
    let body = tbl(&[
        tr(&["Actions", "Action RAG"]),
        tr_of(&[tc_with("<w:vMerge/>", ""), tc("Red")]),
        tr_of(&[tc("Review"), tc_with("<w:vMerge/>", "")]),
    ]);
    let imported = import_docx(&docx(&body));
    assert_eq!(imported.plan.n_actions(), 1, "{}", diagnostics_report(&imported));
    assert!(!codes(&imported).contains(&"merged-cells"));
}

#[test]
fn text_boxes_deleted_text_and_fallbacks_are_not_read_twice() {
    let body = format!(
        "{}{}",
        tbl(&[tr(&["Actions", "Action RAG"])]),
        tbl(&[tr_of(&[
            format!(
                r#"<w:tc><w:p>{}<w:del><w:r><w:delText>old words</w:delText></w:r></w:del><mc:AlternateContent xmlns:mc="mc"><mc:Choice><w:r><w:t> kept</w:t></w:r></mc:Choice><mc:Fallback><w:r><w:t> twice</w:t></w:r></mc:Fallback></mc:AlternateContent></w:p></w:tc>"#,
                run("Review")
            ),
            tc("Green"),
        ])]),
    );
    let imported = import_docx(&docx(&body));
    let titles: Vec<String> = imported.plan.actions().map(|a| a.title.clone()).collect();
    assert_eq!(titles, ["Review kept"]);
}

/// Bug: a workbook or Word document with the strategy's name above its table was
/// titled after its file (`cov`), the name kept only as the preamble; a TSV too. The
/// line above the table that reads as a title is the plan's title now, unless
/// `--title` gives one; a line with a date or of several cells is not a title.
#[test]
fn the_title_above_a_table_was_lost_to_the_file_name() {
    const NAME: &str = "Child Sexual Exploitation Multi Agency Strategy";
    let named = |name: &str| ImportOptions::default().with_file_name(Some(name.into()));
    let title_of = |bytes: &[u8], options: &ImportOptions| {
        let imported = import(bytes, options).unwrap_or_else(|e| panic!("{e}"));
        let objective = imported.plan.objectives.first().map(|o| o.title.clone());
        (imported.plan.title, objective.unwrap_or_default())
    };
    let word = docx(&format!("{}{}", p(NAME), tbl(&[tr(HEADER), tr(ROWS[0])])));
    assert_eq!(title_of(&word, &named("cov.docx")), (NAME.to_owned(), NAME.to_owned()));
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let _ = sheet.write_string(0, 0, NAME);
    for (col, header) in HEADER.iter().enumerate() {
        let _ = sheet.write_string(2, col as u16, *header);
        let _ = sheet.write_string(3, col as u16, ROWS[0][col]);
    }
    let workbook = book.save_to_buffer().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(title_of(&workbook, &named("cov.xlsx")).0, NAME);
    let tsv = format!("{NAME}\n\n{}\n{}\n", HEADER.join("\t"), ROWS[0].join("\t"));
    assert_eq!(title_of(tsv.as_bytes(), &named("cov.tsv")).0, NAME);
    let mut given = named("cov.tsv");
    given.title = Some("Given".into());
    assert_eq!(title_of(tsv.as_bytes(), &given).0, "Given");
    for above in ["Delivery plan update, June 2015", "Strategy\tDraft\tv2"] {
        let tsv = format!("{above}\n{}\n{}\n", HEADER.join("\t"), ROWS[0].join("\t"));
        assert_eq!(title_of(tsv.as_bytes(), &named("cov.tsv")).0, "cov", "{above}");
    }
}
