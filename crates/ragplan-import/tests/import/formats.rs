//! Each source format: XLSX with merged cells, CSV with quoted multi-line cells and a
//! semicolon delimiter, Markdown tables under headings, ragplan JSON; and the errors
//! of sources that cannot be read.

use ragplan_core::{OwnerKind, Rating, Status};
use ragplan_import::{Field, ImportError, ImportOptions, SourceFormat, import};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::common::lost_words;

/// A workbook with a notes sheet first, then the plan sheet, whose objective cells
/// are merged down over their actions.
fn workbook(rows: &[&[&str]]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let notes = book.add_worksheet();
    notes.set_name("Notes")?;
    notes.write_string(0, 0, "Read me first")?;
    let sheet = book.add_worksheet();
    sheet.set_name("Delivery plan")?;
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if !cell.is_empty() {
                sheet.write_string(r as u32, c as u16, *cell)?;
            }
        }
    }
    // "Prevent" covers rows 2–3 of column A, "Protect" row 4 alone.
    sheet.merge_range(1, 0, 2, 0, "Prevent", &Format::new())?;
    book.save_to_buffer()
}

const SHEET: &[&[&str]] = &[
    &["Objective", "Task", "RAG status", "Lead", "Due"],
    &["", "Information sharing agreement", "Red", "Jayne Hutchings", "May 2015"],
    &["", "Screening tool used by all", "Amber/Green", "WMP", "Q1 2015/16"],
    &["Protect", "Ancillary orders", "Data exempt under section 27", "WMP Legal Services", "TBC"],
];

#[test]
fn xlsx_sheet_with_merged_cells() -> Result<(), Box<dyn std::error::Error>> {
    let bytes = workbook(SHEET)?;
    let options = ImportOptions::default().with_file_name(Some("plan.xlsx".into()));
    let imported = import(&bytes, &options)?;
    let plan = &imported.plan;
    // The merged "Prevent" fills both rows it covers: two objectives, not three.
    let shape: Vec<(&str, usize)> =
        plan.objectives.iter().map(|o| (o.title.as_str(), o.actions.len())).collect();
    assert_eq!(shape, [("Prevent", 2), ("Protect", 1)]);
    let ratings: Vec<Option<Rating>> = plan.actions().map(|a| a.action_rag).collect();
    assert_eq!(ratings, [Some(Rating::Red), Some(Rating::AmberGreen), Some(Rating::NotRated)]);
    // The exemption text is kept as written, with a diagnostic.
    let exempt = plan.actions().nth(2).map(|a| a.unmapped.clone()).unwrap_or_default();
    assert_eq!(exempt[0].text, "Data exempt under section 27");
    let codes: Vec<&str> = imported.diagnostics.iter().map(|d| d.code.as_str()).collect();
    // The merged cell repeats "Prevent" on row 3: an info, not a warning.
    // `WMP Legal Services` is one role: the acronym stays with the service after it.
    // Amber/Green is a DCA5 rating: the plan takes that scale, with a note.
    assert_eq!(codes, ["sheet", "same-objective", "exempt-rating", "scale-dca5"]);
    assert_eq!(plan.scale, ragplan_core::Scale::Dca5);
    let lead: Vec<&str> = plan
        .actions()
        .nth(2)
        .map(|a| a.accountable.iter().map(|o| o.name.as_str()).collect())
        .unwrap_or_default();
    assert_eq!(lead, ["WMP Legal Services"]);
    assert_eq!(
        imported.diagnostics[2].to_string(),
        r#"warning[exempt-rating] row 4, column "RAG status": exemption read as not rated; text kept"#
    );
    let cells = SHEET.iter().flat_map(|r| r.iter().copied()).chain(["Prevent"]);
    assert_eq!(lost_words(cells, &imported), Vec::<String>::new());
    Ok(())
}

#[test]
fn xlsx_sheet_chosen_by_name() -> Result<(), Box<dyn std::error::Error>> {
    let bytes = workbook(SHEET)?;
    let options = ImportOptions::default().with_sheet(Some("delivery plan".into()));
    assert_eq!(import(&bytes, &options)?.plan.n_actions(), 3);
    let options = ImportOptions::default().with_sheet(Some("Budget".into()));
    let err = import(&bytes, &options).err().map(|e| e.to_string());
    assert_eq!(
        err.as_deref(),
        Some(r#"sheet "Budget" not found; the workbook has: Notes, Delivery plan"#)
    );
    Ok(())
}

#[test]
fn truncated_xlsx_is_an_error() -> Result<(), Box<dyn std::error::Error>> {
    let bytes = workbook(SHEET)?;
    for len in [4, 30, bytes.len() / 2, bytes.len() - 1] {
        let result = import(&bytes[..len], &ImportOptions::default());
        assert!(matches!(result, Err(ImportError::Xlsx(_))), "{len}: {result:?}");
    }
    Ok(())
}

#[test]
fn csv_with_semicolons_quoted_lines_bom_and_windows_line_ends() -> Result<(), ImportError> {
    // Duplicate colour_rating headers: the second is a fallback, here kept as notes
    // since the first is never empty where it is filled.
    let source = "\u{feff}Ref;Action;colour_rating;colour_rating;Owner;Comments\r\n\
                  A1;\"Review training;\r\nadd CSE signs\";Green;Amber;Sue Whitmore;\"Done in May\r\nsee minutes\"\r\n\
                  A2;Audit files;R;;Head of IYSS;\r\n";
    let options = ImportOptions::for_format(SourceFormat::Csv);
    let imported = import(source.as_bytes(), &options)?;
    let actions: Vec<_> = imported.plan.actions().collect();
    assert_eq!(actions.len(), 2);
    assert_eq!(actions[0].key.as_str(), "A1");
    assert_eq!(actions[0].title, "Review training; add CSE signs");
    assert_eq!(actions[0].action_rag, Some(Rating::Green));
    let notes: Vec<(Option<&str>, &str)> =
        actions[0].unmapped.iter().map(|n| (n.source.as_deref(), n.text.as_str())).collect();
    assert_eq!(notes, [(Some("colour_rating"), "Amber")]);
    assert_eq!(actions[0].note.as_deref(), Some("Done in May\nsee minutes"));
    // "R" is Red; the letter is kept as written so the JSON still holds it.
    assert_eq!(actions[1].action_rag, Some(Rating::Red));
    assert_eq!(actions[1].accountable[0].kind, OwnerKind::Role);
    // The second row starts on line 2 and spans lines 2–3; the third is on line 4.
    let diagnostics: Vec<String> = imported.diagnostics.iter().map(|d| d.to_string()).collect();
    assert_eq!(
        diagnostics,
        [
            r#"info[fallback-column] row 1, column "colour_rating": a second `action_rag` column: read where "colour_rating" is empty, otherwise kept as a note under its header"#
        ]
    );
    assert_eq!(lost_words(std::iter::once(source), &imported), Vec::<String>::new());
    Ok(())
}

#[test]
fn markdown_tables_under_headings_become_objectives() -> Result<(), ImportError> {
    let source = "# Prevent\n\n| Actions | RAG | Lead |\n|---|:-:|---|\n| Leaflets  |Green| Mandie Watson |\n\
                  | Website | Amber |   |\n\nSome words between tables.\n\n## Pursue\n\
                  Actions | Status\n--- | ---\nDisruption plans | In progress\n";
    let imported = import(source.as_bytes(), &ImportOptions::default())?;
    let plan = &imported.plan;
    let shape: Vec<(&str, usize)> =
        plan.objectives.iter().map(|o| (o.title.as_str(), o.actions.len())).collect();
    assert_eq!(shape, [("Prevent", 2), ("Pursue", 1)]);
    // "Status" names the rating column, and "In progress" is a status, not a rating.
    let pursue = &plan.objectives[1].actions[0];
    assert_eq!((pursue.action_rag, pursue.status), (None, Some(Status::InProgress)));
    assert_eq!(plan.objectives[0].unmapped[0].text, "Some words between tables.");
    assert_eq!(lost_words(std::iter::once(source), &imported), Vec::<String>::new());
    Ok(())
}

#[test]
fn ragplan_json_is_read_as_is() -> Result<(), ImportError> {
    let source = r#"{"format": "ragplan/1", "id": "p", "title": "Plan",
        "objectives": [{"key": "1", "title": "Prevent", "actions": [{"key": "1.1", "title": "Leaflets"}]}]}"#;
    let imported = import(source.as_bytes(), &ImportOptions::default())?;
    assert_eq!(imported.plan.n_actions(), 1);
    let err =
        import(br#"{"format": "ragplan/1", "id": "p", "title": 3}"#, &ImportOptions::default())
            .err()
            .map(|e| e.to_string());
    assert_eq!(
        err.as_deref(),
        Some("at title: invalid type: integer `3`, expected a string (line 1, column 45)")
    );
    Ok(())
}

#[test]
fn map_overrides_the_synonyms() -> Result<(), ImportError> {
    let source = "Task\tBudget holder\tLead\nLeaflets\tSue Whitmore\tWMP\n";
    let options = ImportOptions::default().with_map(vec![
        ("Budget holder".into(), Field::Accountable),
        ("Lead".into(), Field::Partners),
    ]);
    let plan = import(source.as_bytes(), &options)?.plan;
    let action = plan.actions().next().cloned();
    let action = action.ok_or(ImportError::Empty)?;
    assert_eq!(action.accountable[0].name, "Sue Whitmore");
    assert_eq!(action.partners, ["WMP"]);
    Ok(())
}

#[test]
fn sources_that_cannot_be_read_are_errors_that_say_where() {
    let cases: &[(&[u8], SourceFormat, &str)] = &[
        (b"", SourceFormat::Auto, "the source is empty"),
        (b"  \n ", SourceFormat::Tsv, "the source is empty"),
        (b"1,2\n3,4\n", SourceFormat::Csv, "row 1, column 1: no header row found in 2 rows"),
        (b"Just a paragraph.\n", SourceFormat::Text, "row 1, column 1: no recommendation found"),
        (b"PK\x03\x04garbage", SourceFormat::Auto, "the workbook cannot be read"),
    ];
    for (bytes, format, want) in cases {
        let options = ImportOptions::for_format(*format);
        let err = import(bytes, &options).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.starts_with(want), "{format}: {err}");
    }
}

/// Bug: the Coventry delivery plan's outcome "Coordinated communications" is split
/// across a page, and the importer gave the action above "… Coordinated" and the
/// next action the outcome "communications CSE remains a strategic priority". The
/// leading lower-case words of an outcomes or evidence cell after a page break now
/// finish the last outcome (evidence) of the action above, by the rule that finishes
/// an action's title, with a `carried-words` warning naming the column.
#[test]
fn an_outcome_split_across_a_page_was_given_to_the_next_action() {
    let header = "Sub Objectives\tActions\tOutcomes\tEvidence\n";
    let above =
        "Share information\tAgree protocols\tSkilled workforce Coordinated\tMinutes of the\n";
    let below = "\tAgree strategies\tcommunications CSE remains a priority\tboard Audit report\n";
    let options = ImportOptions::for_format(SourceFormat::Tsv);
    let read = |source: &str| import(source.as_bytes(), &options).unwrap_or_else(|e| panic!("{e}"));
    let imported = read(&format!("{header}{above}\n{below}"));
    let lists: Vec<(Vec<String>, Vec<String>)> =
        imported.plan.actions().map(|a| (a.outcomes.clone(), a.evidence.clone())).collect();
    let owned = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    assert_eq!(
        lists,
        [
            (
                owned(&["Skilled workforce Coordinated communications"]),
                owned(&["Minutes of the board"])
            ),
            (owned(&["CSE remains a priority"]), owned(&["Audit report"])),
        ]
    );
    let carried: Vec<Option<&str>> = imported
        .diagnostics
        .iter()
        .filter(|d| d.code == "carried-words")
        .map(|d| d.column.as_deref())
        .collect();
    assert_eq!(carried, [Some("Outcomes"), Some("Evidence")]);
    // With no page break the cells are read as written.
    let unbroken = read(&format!("{header}{above}{below}"));
    let outcomes: Vec<Vec<String>> = unbroken.plan.actions().map(|a| a.outcomes.clone()).collect();
    assert_eq!(outcomes[1], ["communications CSE remains a priority"]);
}

/// Titles of the actions imported from a TSV source.
fn tsv_titles(source: &str) -> (Vec<String>, Vec<String>) {
    let options = ImportOptions::for_format(SourceFormat::Tsv);
    let imported = import(source.as_bytes(), &options).unwrap_or_else(|e| panic!("{e}"));
    let titles = imported.plan.actions().map(|a| a.title.clone()).collect();
    let codes = imported.diagnostics.iter().map(|d| d.code.to_string()).collect();
    (titles, codes)
}

#[test]
fn words_carried_over_a_page_break_go_back_to_their_action() {
    let header = "Sub Objectives\tActions\tAction RAG\n";
    let above = "Share information\tCPS to ensure evidence in CSE\tGreen\n";
    let below = "\tcases Access to specialist advocacy ( ISVA )\tAmber\n";
    let (titles, codes) = tsv_titles(&format!("{header}{above}\n{below}"));
    assert_eq!(
        titles,
        ["CPS to ensure evidence in CSE cases", "Access to specialist advocacy ( ISVA )"]
    );
    assert!(codes.contains(&"carried-words".to_owned()), "{codes:?}");
    // A page marker in a column of its own marks the break as well as a blank row.
    let marked = format!(
        "{}\t\n{}\t\n\t\t\tPage 15\n{}\t\n",
        header.trim_end(),
        above.trim_end(),
        below.trim_end()
    );
    let (titles, _) = tsv_titles(&marked);
    assert_eq!(titles[1], "Access to specialist advocacy ( ISVA )", "{marked}");

    // With no blank row (no page break), after a finished sentence, or on a new
    // sub-objective, the cell is read as written.
    let finished = above.replace("in CSE", "in CSE.");
    let new_sub = below.replacen('\t', "Support victims\t", 1);
    for source in [
        format!("{header}{above}{below}"),
        format!("{header}{finished}\n{below}"),
        format!("{header}{above}\n{new_sub}"),
    ] {
        let (titles, codes) = tsv_titles(&source);
        assert_eq!(titles[1], "cases Access to specialist advocacy ( ISVA )", "{source}");
        assert!(!codes.contains(&"carried-words".to_owned()), "{source}");
    }
}

#[test]
fn xlsx_date_cells_are_read_as_their_dates() -> Result<(), Box<dyn std::error::Error>> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (c, header) in ["Actions", "RAG status", "Due"].iter().enumerate() {
        sheet.write_string(0, c as u16, *header)?;
    }
    let dated = Format::new().set_num_format("dd/mm/yyyy");
    for (r, (title, day)) in
        [("Agree the protocol", (2015, 6, 5)), ("Early", (1900, 2, 27))].iter().enumerate()
    {
        let row = r as u32 + 1;
        sheet.write_string(row, 0, *title)?;
        sheet.write_string(row, 1, "Green")?;
        let date = rust_xlsxwriter::ExcelDateTime::from_ymd(day.0, day.1, day.2)?;
        sheet.write_datetime_with_format(row, 2, &date, &dated)?;
    }
    let bytes = book.save_to_buffer()?;
    let options = ImportOptions::default().with_file_name(Some("plan.xlsx".into()));
    let imported = import(&bytes, &options)?;
    let texts: Vec<&str> = imported.plan.actions().map(|a| a.timescale.text.as_str()).collect();
    // Before March 1900 Excel counts a 29 February 1900 that never was.
    assert_eq!(texts, ["5 June 2015", "27 February 1900"]);
    Ok(())
}

/// A workbook damaged one byte in (the case the truncated-workbook property found)
/// made the workbook reader panic with an arithmetic overflow; it is now an import
/// error that says the workbook is damaged.
#[test]
fn a_damaged_workbook_panicked_the_reader() {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let _ = sheet.write_string(0, 0, "Actions");
    let _ = sheet.write_string(0, 1, "RAG");
    let _ = sheet.write_string(1, 0, "Review training");
    let _ = sheet.write_string(1, 1, "Green");
    let mut bytes = book.save_to_buffer().unwrap_or_default();
    let at = 3599.min(bytes.len().saturating_sub(1));
    bytes[at] ^= 12;
    let result = ragplan_import::import(&bytes, &ragplan_import::ImportOptions::default());
    if let Err(err) = result {
        assert!(!err.to_string().is_empty());
    }
}

/// A recommendations list naming "İlknur" once panicked the text reader: an offset
/// found in the lower-cased text ("İ" lower-cases longer) sliced the original.
#[test]
fn a_recommendation_naming_ilknur_panicked_the_text_reader() {
    let source = "Recommendation 1: İİİİ İlknur Sağlam to lead the review of CSE training by \
                  March 2016\nRecommendation 2: İlknur to report back by June 2016\n";
    let options = ragplan_import::ImportOptions::for_format(SourceFormat::Text);
    let imported =
        ragplan_import::import(source.as_bytes(), &options).unwrap_or_else(|e| panic!("{e}"));
    let due: Vec<String> = imported.plan.actions().map(|a| a.timescale.text.clone()).collect();
    assert_eq!(due, ["March 2016", "June 2016"]);
}

/// A lettered line before any recommendation of a list went into the preamble
/// without its label, so `(ii)` was lost (found by fuzzing,
/// `fuzz/regressions/import_text/`).
#[test]
fn a_lettered_line_before_any_recommendation_lost_its_label() -> Result<(), ImportError> {
    let source = "RESOLVED that the plan is approved\n\n(ii) That the Cabinet Member be given \
                  the data\n\n(2) Refers the plan to Scrutiny\n\n(3) Receives an update in June.\n";
    let options = ImportOptions::for_format(SourceFormat::Text);
    let imported = import(source.as_bytes(), &options)?;
    assert_eq!(
        imported.plan.metadata.get("preamble").and_then(serde_json::Value::as_str),
        Some("RESOLVED that the plan is approved\n(ii) That the Cabinet Member be given the data")
    );
    assert_eq!(lost_words(std::iter::once(source), &imported), Vec::<String>::new());
    Ok(())
}

/// Bold marks inside a word (`info**Tirmation`) were removed, joining the two halves
/// into one word, so neither word of the source was in the plan (found by fuzzing,
/// `fuzz/regressions/import_text/`).
#[test]
fn bold_marks_inside_a_word_joined_it() -> Result<(), ImportError> {
    let source = "1. That the Cabinet be given the data, with info**Tirmation on checks\n\n\
                  2. That the **delivery plan** be updated\n";
    let options = ImportOptions::for_format(SourceFormat::Text);
    let imported = import(source.as_bytes(), &options)?;
    let titles: Vec<&str> = imported.plan.actions().map(|a| a.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "That the Cabinet be given the data, with info**Tirmation on checks",
            "That the delivery plan be updated"
        ]
    );
    assert_eq!(lost_words(std::iter::once(source), &imported), Vec::<String>::new());
    Ok(())
}

/// A row of dashes spaced with no-break spaces (`- - -` pasted from Word) imported as
/// one action whose cells were dashes; its export, spaced with ordinary spaces, was
/// then passed over as a table rule, so the round trip lost the action (found by
/// fuzzing, `fuzz/regressions/import_tsv/`). Both are now a rule.
#[test]
fn a_dash_row_with_no_break_spaces_imported_as_an_action() -> Result<(), ImportError> {
    let source = "Actions\tAction RAG\tAccountable\n\
                  --\t-\u{a0}-\u{a0}-\u{a0}-\t----\n\
                  Run the leaflet campaign\tGreen\tAlice\n";
    let imported = import(source.as_bytes(), &ImportOptions::default())?;
    let titles: Vec<&str> = imported.plan.actions().map(|a| a.title.as_str()).collect();
    assert_eq!(titles, ["Run the leaflet campaign"]);
    assert!(imported.diagnostics.iter().any(|d| d.code == "rule-row" && d.row == Some(2)));
    let table = ragplan_import::export(&imported.plan, ragplan_import::ExportFormat::Tsv);
    let again = import(table.as_bytes(), &ImportOptions::default())?;
    assert_eq!(again.plan.actions().count(), 1);
    Ok(())
}

/// A plan whose actions had only titles, or that had no actions, was exported as a
/// lone `Actions` column, which the importer refused as having no header row (found
/// by fuzzing, `fuzz/regressions/import_markdown/`).
#[test]
fn the_export_of_a_plan_of_titles_only_did_not_import() -> Result<(), ImportError> {
    let source = "Actions\tAccountable\nPublish leaflets\t\nReview the website\t\n";
    // A plan made by hand or through the API has no source layout to follow.
    let mut titles_only = import(source.as_bytes(), &ImportOptions::default())?.plan;
    titles_only.metadata.remove(ragplan_import::LAYOUT_KEY);
    let mut empty = titles_only.clone();
    empty.objectives.clear();
    for (plan, actions) in [(&titles_only, 2), (&empty, 0)] {
        let table = ragplan_import::export(plan, ragplan_import::ExportFormat::Tsv);
        assert!(table.starts_with("Actions\tAction RAG\n"), "{table}");
        let again = import(table.as_bytes(), &ImportOptions::default())?;
        assert_eq!(again.plan.actions().count(), actions, "{table}");
    }
    Ok(())
}

/// A rating the importer could not read is kept as written; the export left it out
/// when the plan's layout had no Actions column (the first of two Markdown tables
/// lacked one) or no column of its name, so the text was lost and the round trip
/// dropped the action (found by fuzzing, `fuzz/regressions/import_markdown/`).
#[test]
fn a_rating_kept_as_written_was_left_out_of_the_export() -> Result<(), ImportError> {
    let source = "Actions\tRAG\tAccountable\nPublish leaflets\tsoon-ish\tAlice\n";
    let mut plan = import(source.as_bytes(), &ImportOptions::default())?.plan;
    plan.metadata.remove(ragplan_import::LAYOUT_KEY);
    let table = ragplan_import::export(&plan, ragplan_import::ExportFormat::Tsv);
    assert_eq!(table, "Actions\tAccountable\tRAG\nPublish leaflets\tAlice\tsoon-ish\n");
    let again = import(table.as_bytes(), &ImportOptions::default())?;
    let kept: Vec<(Option<&str>, &str)> = again
        .plan
        .actions()
        .flat_map(|a| a.unmapped.iter().map(|n| (n.source.as_deref(), n.text.as_str())))
        .collect();
    assert_eq!(kept, [(Some("RAG (as written)"), "soon-ish")]);
    Ok(())
}

/// An action whose cells are all dashes, on a row that names its sub-objective again,
/// was exported with the sub-objective left blank (it is the one above); the row then
/// read as a table rule and the round trip lost the action (found by fuzzing,
/// `fuzz/regressions/import_csv/`).
#[test]
fn a_row_of_dashes_under_its_sub_objective_was_exported_as_a_table_rule() -> Result<(), ImportError>
{
    let source = "Sub Objectives\tActions\tAccountable\nPrevent\tPublish leaflets\tAlice\n\
                  Prevent\t---\t---\n";
    let plan = import(source.as_bytes(), &ImportOptions::default())?.plan;
    let titles: Vec<&str> = plan.actions().map(|a| a.title.as_str()).collect();
    assert_eq!(titles, ["Publish leaflets", "---"]);
    let table = ragplan_import::export(&plan, ragplan_import::ExportFormat::Tsv);
    // A spreadsheet would read `---` as a formula: it is written with a `'`.
    assert_eq!(
        table,
        "Sub Objectives\tActions\tAccountable\nPrevent\tPublish leaflets\tAlice\nPrevent\t'---\t'---\n"
    );
    let again = import(table.as_bytes(), &ImportOptions::default())?;
    assert_eq!(again.plan.actions().count(), 2, "{table}");
    Ok(())
}

/// A start date, weight, criticality or dependency edited after import was exported
/// as the source had written it, so a re-import undid the edit.
#[test]
fn an_edit_after_import_was_exported_as_the_old_text() -> Result<(), Box<dyn std::error::Error>> {
    let source = "Actions\tAccountable\tStart date\tCritical\tWeight\tDepends on\n\
                  Publish leaflets\tAlice\tTBC\tmaybe\tlots\t\n\
                  Review the site\tBob\t1st May 2015\tY\t2\tPublish leaflets\n";
    let mut plan = import(source.as_bytes(), &ImportOptions::default())?.plan;
    let on = chrono::NaiveDate::from_ymd_opt(2015, 6, 1).ok_or("a date")?;
    let first = ragplan_core::Key::new("1.1")?;
    let second = ragplan_core::Key::new("1.2")?;
    let changes = ragplan_core::Changes {
        start: Some(on),
        critical: Some(true),
        weight: Some(3),
        ..ragplan_core::Changes::default()
    };
    plan.edit(&first, changes, "Analyst", on)?;
    let changes = ragplan_core::Changes {
        critical: Some(false),
        depends_on: Some(Vec::new()),
        ..ragplan_core::Changes::default()
    };
    plan.edit(&second, changes, "Analyst", on)?;
    let table = ragplan_import::export(&plan, ragplan_import::ExportFormat::Tsv);
    assert_eq!(
        table,
        "Actions\tAccountable\tStart date\tCritical\tWeight\tDepends on\n\
         Publish leaflets\tAlice\t2015-06-01\ttrue\t3\t\n\
         Review the site\tBob\t1st May 2015\t\t2\t\n"
    );
    let again = import(table.as_bytes(), &ImportOptions::default())?.plan;
    let read: Vec<_> =
        again.actions().map(|a| (a.start, a.critical, a.weight, a.depends_on.len())).collect();
    assert_eq!(
        read,
        [
            (Some(on), true, Some(3), 0),
            (chrono::NaiveDate::from_ymd_opt(2015, 5, 1), false, Some(2), 0)
        ]
    );
    Ok(())
}

/// A million-action table once held room for sixteen actions in each ten-action
/// sub-objective, and for four owners and four evidence lines in each action: 600 MB
/// unused. Every list of an imported plan holds no more than it needs.
#[test]
fn imported_lists_hold_no_room_they_do_not_use() -> Result<(), ImportError> {
    let mut table = String::from(
        "Objective\tSub Objectives\tActions\tAccountable\tEvidence\tPartners Involved\n",
    );
    for i in 0..250 {
        let objective = if i % 100 == 0 { format!("Objective {i}") } else { String::new() };
        let sub = if i % 10 == 0 { format!("Sub-objective {i}") } else { String::new() };
        table.push_str(&format!(
            "{objective}\t{sub}\tAction {i}\tMandie Watson\tMinutes {i}\tPolice; Health\n"
        ));
    }
    let plan = import(table.as_bytes(), &ImportOptions::for_format(SourceFormat::Tsv))?.plan;
    assert_eq!(plan.n_actions(), 250);
    assert_eq!(plan.objectives.capacity(), plan.objectives.len());
    for objective in &plan.objectives {
        assert_eq!(objective.actions.capacity(), objective.actions.len());
        assert_eq!(objective.sub_objectives.capacity(), objective.sub_objectives.len());
        for sub in &objective.sub_objectives {
            assert_eq!(sub.actions.capacity(), sub.actions.len(), "{}", sub.key);
        }
    }
    for action in plan.actions() {
        assert_eq!(action.accountable.capacity(), action.accountable.len(), "{}", action.key);
        assert_eq!(action.evidence.capacity(), action.evidence.len(), "{}", action.key);
        assert_eq!(action.partners.capacity(), action.partners.len(), "{}", action.key);
    }
    Ok(())
}

/// `ragplan export --format csv` wrote a title `=HYPERLINK(…)` or an owner `@SUM(A1)`
/// as it was, so that the tracker an analyst opened in Excel ran it. Such a text is
/// now written with a `'` before it, a number such as `-3` as it is, and importing
/// the table drops the `'` again: the round trip gives the same plan.
#[test]
fn an_exported_tracker_cell_could_run_as_a_formula() -> Result<(), ImportError> {
    let source = "Actions\tAccountable\tProgress\tEvidence\n\
                  =HYPERLINK(\"http://x\",\"Report\")\t@SUM(A1)\t-3\t'=kept as typed\n\
                  +44 24 7683 3333\tAnn Lee\t40\t- see the minutes\n";
    let plan = import(source.as_bytes(), &ImportOptions::default())?.plan;
    for format in [ragplan_import::ExportFormat::Csv, ragplan_import::ExportFormat::Tsv] {
        let table = ragplan_import::export(&plan, format);
        let delimiter = if format == ragplan_import::ExportFormat::Csv { b',' } else { b'\t' };
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .from_reader(table.as_bytes());
        for record in reader.records() {
            let record = record.expect("a row");
            for cell in &record {
                let formula =
                    cell.starts_with(ragplan_core::FORMULA_STARTS) && cell.parse::<f64>().is_err();
                assert!(!formula, "{cell:?} in\n{table}");
            }
        }
        assert!(table.contains("'=HYPERLINK") && table.contains("'@SUM(A1)"), "{table}");
        // The source's `'=kept as typed` was a guarded cell too: read as `=kept…`.
        assert!(table.contains("'=kept as typed") && !table.contains("''="), "{table}");
        assert!(table.contains("'- see the minutes") && table.contains("'+44"), "{table}");
        let again = import(table.as_bytes(), &ImportOptions::default())?.plan;
        let titles = |p: &ragplan_core::Plan| -> Vec<String> {
            p.actions().map(|a| a.title.clone()).collect()
        };
        assert_eq!(titles(&again), titles(&plan), "{table}");
        assert_eq!(again.to_json(), plan.to_json(), "{table}");
    }
    Ok(())
}

/// A CSV's Windows-1252 byte and its text after a closing quote were placed at
/// `column "column 1"`, though the column's header is "Action": the reader found
/// them before the header was known. They now name the column by its header, as
/// every other diagnostic does; a row above the header keeps its number.
#[test]
fn a_reader_diagnostic_named_a_headed_column_by_its_number() -> Result<(), ImportError> {
    let source = b"Plan \xa3 2015\nAction,Lead,RAG\nPublish \xa3 leaflets,Ann Lee,Green\n\"Train\" staff,Bob,Amber\n";
    let imported = import(source, &ImportOptions::for_format(SourceFormat::Csv))?;
    let placed: Vec<(&str, Option<usize>, Option<&str>)> = imported
        .diagnostics
        .iter()
        .filter(|d| d.code == "not-utf8" || d.code == "text-after-quote")
        .map(|d| (d.code.as_str(), d.row, d.column.as_deref()))
        .collect();
    assert_eq!(
        placed,
        [("not-utf8", Some(1), Some("column 1")), ("text-after-quote", Some(4), Some("Action"))]
    );
    Ok(())
}

/// An Excel 97-2003 `.xls` (or a Word `.doc`, or a password-protected workbook,
/// all Office compound files) was read as text and refused as having no header row,
/// which sent the analyst looking for a header. It is now named for what it is, with
/// how to save a file ragplan reads.
#[test]
fn an_xls_workbook_was_refused_as_a_table_with_no_header() {
    let bytes = [&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1][..], &[0; 504]].concat();
    for (name, says) in [
        (
            "plan.xls",
            "an Excel 97-2003 workbook (.xls), which ragplan cannot read: open it in Excel and save it as an Excel Workbook (.xlsx)",
        ),
        ("plan.doc", "a Word 97-2003 document (.doc), which ragplan cannot read"),
        ("plan.xlsx", "a password-protected workbook, which ragplan cannot read"),
        ("plan", "an Office 97-2003 file (.xls or .doc) or a password-protected one"),
    ] {
        let options = ImportOptions::default().with_file_name(Some(name.to_owned()));
        let err = import(&bytes, &options).map(|_| ()).unwrap_err();
        assert!(matches!(err, ImportError::CompoundFile { .. }), "{name}: {err:?}");
        assert!(err.to_string().starts_with(says), "{name}: {err}");
    }
}

/// The scale diagnostics said "1 rating(s) Amber/Red or Amber/Green" and "1
/// action(s) reported Complete": they now count in words that agree.
#[test]
fn diagnostics_counted_one_as_rating_s() -> Result<(), ImportError> {
    let said = |source: &str| -> Result<Vec<String>, ImportError> {
        let imported = import(source.as_bytes(), &ImportOptions::for_format(SourceFormat::Tsv))?;
        Ok(imported.diagnostics.iter().map(|d| d.message.clone()).collect())
    };
    let one = said("Actions\tAction RAG\nPublish leaflets\tAmber/Red\nTrain staff\tGreen\n")?;
    assert!(one.iter().any(|m| m.starts_with("1 rating Amber/Red or Amber/Green:")), "{one:?}");
    let two = said("Actions\tAction RAG\nPublish leaflets\tBlue\nTrain staff\tComplete\n")?;
    assert!(two.iter().any(|m| m.starts_with("2 actions reported Complete (Blue):")), "{two:?}");
    assert!(one.iter().chain(&two).all(|m| !m.contains("(s)")), "{one:?} {two:?}");
    Ok(())
}

/// A Progress cell Excel shows as 100% holds the number 1, and was read as progress
/// 1%; a cell shown as 50% holds 0.5. A cell in a percentage format is now read as
/// the sheet shows it.
#[test]
fn an_excel_100_percent_cell_was_read_as_progress_1() -> Result<(), Box<dyn std::error::Error>> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (c, header) in ["Actions", "RAG status", "Progress", "Comments"].iter().enumerate() {
        sheet.write_string(0, c as u16, *header)?;
    }
    let percent = Format::new().set_num_format("0%");
    let tenths = Format::new().set_num_format("0.0%");
    let quoted = Format::new().set_num_format("0 \"%\"");
    let rows: [(&str, f64, &Format); 4] = [
        ("Done", 1.0, &percent),
        ("Half", 0.5, &percent),
        ("An eighth", 0.125, &tenths),
        ("Written with a quoted sign", 1.0, &quoted),
    ];
    for (r, (title, value, format)) in rows.iter().enumerate() {
        let row = r as u32 + 1;
        sheet.write_string(row, 0, *title)?;
        sheet.write_string(row, 1, "Green")?;
        sheet.write_number_with_format(row, 2, *value, format)?;
        sheet.write_number_with_format(row, 3, *value, format)?;
    }
    let bytes = book.save_to_buffer()?;
    let options = ImportOptions::default().with_file_name(Some("plan.xlsx".into()));
    let imported = import(&bytes, &options)?;
    let progress: Vec<Option<u8>> = imported.plan.actions().map(|a| a.progress).collect();
    // The quoted sign is text in the format, not a percentage: the cell shows 1.
    assert_eq!(progress, [Some(100), Some(50), Some(13), Some(1)]);
    let notes: Vec<Option<&str>> = imported.plan.actions().map(|a| a.note.as_deref()).collect();
    assert_eq!(notes, [Some("100%"), Some("50%"), Some("12.5%"), Some("1")]);
    Ok(())
}
