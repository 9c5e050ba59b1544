//! Columns and values: `--map` by header, letter or number and its errors, the
//! synonyms of common headers, fallback columns, delimiters, encodings, coded
//! ratings, JSON records, transposed tables and the sheets of a workbook.

use ragplan_core::{Rating, Status};
use ragplan_import::{Field, ImportError, ImportOptions, import};

use crate::common::lost_words;

fn with_map(map: &[(&str, Field)]) -> ImportOptions {
    ImportOptions::default().with_map(map.iter().map(|(h, f)| ((*h).to_owned(), *f)).collect())
}

fn titles(imported: &ragplan_import::Imported) -> Vec<String> {
    imported.plan.actions().map(|a| a.title.clone()).collect()
}

/// `--map "Scheme=action"` against a header "Scheme name" used to be dropped without
/// a word, and the plan came out with no actions from that column.
#[test]
fn a_map_matching_no_header_was_ignored() {
    let source = "Scheme name\tRAG\tLead\nLeaflets\tGreen\tWMP\n";
    let err = import(source.as_bytes(), &with_map(&[("Scheme", Field::Action)]))
        .err()
        .map(|e| e.to_string());
    assert_eq!(
        err.as_deref(),
        Some(
            r#"row 1, column 1: --map "Scheme" matches no column; the headers are "Scheme name", "RAG", "Lead"; did you mean "Scheme name"?"#
        )
    );
}

#[test]
fn map_names_a_column_by_letter_or_number() -> Result<(), ImportError> {
    let source = "Scheme\tRAG\tBudget holder\nLeaflets\tGreen\tSue Whitmore\n";
    for map in [
        [("A", Field::Action), ("C", Field::Accountable)],
        [("1", Field::Action), ("3", Field::Accountable)],
    ] {
        let imported = import(source.as_bytes(), &with_map(&map))?;
        assert_eq!(titles(&imported), ["Leaflets"]);
        let action = imported.plan.actions().next().cloned().ok_or(ImportError::Empty)?;
        assert_eq!(action.accountable[0].name, "Sue Whitmore");
        assert_eq!(action.action_rag, Some(Rating::Green));
    }
    let err = import(source.as_bytes(), &with_map(&[("A", Field::Action), ("4", Field::Key)]));
    assert!(matches!(err, Err(ImportError::MapUnmatched { .. })), "{err:?}");
    Ok(())
}

#[test]
fn common_headers_need_no_map() -> Result<(), ImportError> {
    let source = "Project name,RAG status,Lead officer,End date,Comments\n\
                  Leaflets,Amber,Sue Whitmore,March 2016,On track\n";
    let imported = import(source.as_bytes(), &ImportOptions::default())?;
    let action = imported.plan.actions().next().cloned().ok_or(ImportError::Empty)?;
    assert_eq!(action.title, "Leaflets");
    assert_eq!(action.action_rag, Some(Rating::Amber));
    assert_eq!(action.accountable[0].name, "Sue Whitmore");
    assert!(!action.timescale.is_missing());
    assert_eq!(action.note.as_deref(), Some("On track"));
    Ok(())
}

/// A header row with nothing under it is a table with no actions: a warning says so
/// rather than an empty plan passing without a word.
#[test]
fn a_header_only_file_is_not_a_silent_success() {
    let source = "Actions\tAction RAG\tAccountable\n";
    let warned = import(source.as_bytes(), &ImportOptions::default())
        .map(|i| i.diagnostics.iter().any(|d| d.code == "no-actions"));
    assert_eq!(warned, Ok(true));
}

/// A file that ends inside a quoted cell is an error naming where, or a warning: never
/// a plan that silently swallowed the rest of the file.
#[test]
fn a_file_cut_inside_a_quote_is_not_a_silent_success() {
    let source = "Actions,Action RAG\nLeaflets,Green\n\"Website, then,Amber\n";
    match import(source.as_bytes(), &ImportOptions::default()) {
        Err(err) => assert!(err.to_string().starts_with("row 3"), "{err}"),
        Ok(imported) => assert!(
            imported.diagnostics.iter().any(|d| d.code == "unclosed-quote"),
            "{:?}",
            imported.diagnostics
        ),
    }
    let imported = import(source.as_bytes(), &ImportOptions::default());
    if let Ok(imported) = imported {
        assert_eq!(lost_words(std::iter::once(source), &imported), Vec::<String>::new());
    }
}

/// Text after a quoted cell's closing quote (`"9.30 am"TBC`) was joined to the quoted
/// text by the CSV reader, so the word `TBC` was in neither the plan nor a diagnostic
/// (found by fuzzing, `fuzz/regressions/import_csv/`).
#[test]
fn a_word_after_a_closing_quote_was_lost() -> Result<(), ImportError> {
    let source = "Actions,Timescale,Action RAG
                  Meeting 2,\"Thursday 26 February 2015, 09.30 am\"TBC,Green
";
    let imported = import(source.as_bytes(), &ImportOptions::default())?;
    let warning = imported.diagnostics.iter().find(|d| d.code == "text-after-quote");
    assert_eq!(
        warning.map(|d| (d.to_string(), d.text.clone())),
        Some((
            "warning[text-after-quote] row 2, column \"Timescale\": text after a closing quote \
             was joined to the quoted text with a space: check the quotes of this cell"
                .to_owned(),
            Some("\"Thursday 26 February 2015, 09.30 am\"TBC".to_owned())
        ))
    );
    assert_eq!(lost_words(std::iter::once(source), &imported), Vec::<String>::new());
    Ok(())
}

/// Regression: the reader joined the text after a closing quote straight onto the
/// quoted text, `"09.30 am"TBC` reading `09.30 amTBC`, so two words became one.
#[test]
fn a_word_after_a_closing_quote_ran_into_the_quoted_text() -> Result<(), ImportError> {
    let source = "Actions,Timescale\nMeeting,\"Thursday 26 February 2015, 09.30 am\"TBC\n\
                  Review,\"June\" 2015\n";
    let imported = import(source.as_bytes(), &ImportOptions::default())?;
    let timescales: Vec<&str> =
        imported.plan.actions().map(|a| a.timescale.text.as_str()).collect();
    // A space already there is not doubled.
    assert_eq!(timescales, ["Thursday 26 February 2015, 09.30 am TBC", "June 2015"]);
    Ok(())
}

/// Regression: a bold word that is a header somewhere (`<b>Actions</b>`) was removed
/// from a cell of a table with no such column, its words kept only in a diagnostic.
#[test]
fn a_bold_word_naming_no_column_of_the_table_was_removed() -> Result<(), ImportError> {
    let source = "Indicator\tTarget\tComments\nStaff trained\t80\tSee <b>Actions</b> below\n\
                  Audits done\t12\t<b>Target</b> agreed\n";
    let imported = import(source.as_bytes(), &ImportOptions::default())?;
    let removed: Vec<Option<&str>> = imported
        .diagnostics
        .iter()
        .filter(|d| d.code == "header-in-cell")
        .map(|d| d.text.as_deref())
        .collect();
    // `Target` names a column of this table; `Actions` does not, and stays.
    assert_eq!(removed, [Some("Target")]);
    assert_eq!(lost_words(std::iter::once(source), &imported), Vec::<String>::new());
    Ok(())
}

/// Of two rating columns (the SRO's and the IPA's colour) only the first was read:
/// an action the SRO left unrated lost the IPA's rating to a note.
#[test]
fn a_second_rating_column_was_only_a_note() -> Result<(), ImportError> {
    let source = "Project\tSRO RAG\tIPA colour\n\
                  Leaflets\tGreen\tAmber\n\
                  Website\t\tRed\n";
    let options = with_map(&[("SRO RAG", Field::ActionRag), ("IPA colour", Field::ActionRag)]);
    let imported = import(source.as_bytes(), &options)?;
    let ratings: Vec<Option<Rating>> = imported.plan.actions().map(|a| a.action_rag).collect();
    assert_eq!(ratings, [Some(Rating::Green), Some(Rating::Red)]);
    // Where the first has a rating, the second is kept under its own header.
    let leaflets = imported.plan.actions().next().cloned().ok_or(ImportError::Empty)?;
    assert_eq!(leaflets.unmapped[0].source.as_deref(), Some("IPA colour"));
    let codes: Vec<(&str, Option<usize>)> =
        imported.diagnostics.iter().map(|d| (d.code.as_str(), d.row)).collect();
    assert_eq!(codes, [("fallback-column", Some(1)), ("fallback-used", Some(3))]);
    assert_eq!(lost_words(std::iter::once(source), &imported), Vec::<String>::new());
    Ok(())
}

/// Bug: a tracker with both a `RAG status` and a `Status` column read `Status` as a
/// second rating column, so `Complete` and `Cancelled` were notes wherever the RAG
/// column held a rating, and a completed action past its date was shown Red.
#[test]
fn a_status_column_beside_a_rag_column_was_a_note_and_complete_showed_red()
-> Result<(), ImportError> {
    let source = "Action,Lead officer,Target date,RAG status,Status\n\
                  Publish leaflet,Chair,31/03/2015,Green,Complete\n\
                  Train taxi drivers,Licensing manager,31/03/2015,Amber,Cancelled\n\
                  Map hotspots,Police lead,31/12/2015,,Not started\n\
                  Review policy,Chair,31/12/2015,Red,\n\
                  Audit cases,Chair,30/09/2015,Green,Green\n";
    let imported = import(source.as_bytes(), &ImportOptions::default())?;
    let read: Vec<(Option<Rating>, Option<Status>)> =
        imported.plan.actions().map(|a| (a.action_rag, a.status)).collect();
    assert_eq!(
        read,
        [
            (Some(Rating::Green), Some(Status::Complete)),
            (Some(Rating::Amber), Some(Status::Cancelled)),
            (None, Some(Status::NotStarted)),
            (Some(Rating::Red), None),
            (Some(Rating::Green), None),
        ]
    );
    let codes: Vec<(&str, Option<usize>)> =
        imported.diagnostics.iter().map(|d| (d.code.as_str(), d.row)).collect();
    // A rating word in the status column is not a status: it is kept, and said.
    assert_eq!(codes, [("status-beside-rating", Some(1)), ("unknown-status", Some(6))]);
    assert_eq!(lost_words(std::iter::once(source), &imported), Vec::<String>::new());
    let as_of = chrono::NaiveDate::from_ymd_opt(2015, 6, 30).unwrap_or_default();
    let policy = ragplan_core::Policy::default();
    let ratings = ragplan_core::rate(&imported.plan, &policy, as_of);
    let shown: Vec<Rating> =
        ratings.actions().map(|a| a.rating(ragplan_core::Dimension::Delivery)).collect();
    assert_eq!(shown[0], Rating::Complete);

    // The status column first, or `Status` named a rating by `--map`, is as before the
    // other way round: read as the status, and as a rating.
    let first = "Action,Status,RAG\nPublish leaflet,Complete,Green\n";
    let imported = import(first.as_bytes(), &ImportOptions::default())?;
    let action = imported.plan.actions().next().cloned().ok_or(ImportError::Empty)?;
    assert_eq!((action.action_rag, action.status), (Some(Rating::Green), Some(Status::Complete)));
    let mapped = import(source.as_bytes(), &with_map(&[("Status", Field::ActionRag)]))?;
    assert_eq!(mapped.plan.actions().next().and_then(|a| a.status), None);
    assert_eq!(mapped.diagnostics[0].code, "fallback-column");
    Ok(())
}

/// A semicolon table under a title line holding a comma was read as a comma table:
/// no header was found and the file was refused.
#[test]
fn a_semicolon_file_with_a_comma_in_its_title_was_refused() -> Result<(), ImportError> {
    let source = "Delivery plan, June 2015\nActions;Action RAG;Accountable\n\
                  Leaflets;Green;WMP\nWebsite;Amber;Sue Whitmore\n";
    let imported = import(source.as_bytes(), &ImportOptions::default())?;
    assert_eq!(titles(&imported), ["Leaflets", "Website"]);
    assert_eq!(
        imported.plan.metadata.get("preamble").and_then(serde_json::Value::as_str),
        Some("Delivery plan, June 2015")
    );
    Ok(())
}

#[test]
fn the_delimiter_can_be_given() -> Result<(), ImportError> {
    // Pipes, and a colon that nothing would detect.
    for (source, delimiter) in [
        ("Actions|Action RAG\nLeaflets|Green\nWebsite, then leaflets|Red\n", b'|'),
        ("Actions:Action RAG\nLeaflets:Green\nWebsite, then leaflets:Red\n", b':'),
    ] {
        let options = ImportOptions::default().with_delimiter(Some(delimiter));
        let imported = import(source.as_bytes(), &options)?;
        assert_eq!(titles(&imported), ["Leaflets", "Website, then leaflets"]);
        let ratings: Vec<_> = imported.plan.actions().map(|a| a.action_rag).collect();
        assert_eq!(ratings, [Some(Rating::Green), Some(Rating::Red)]);
    }
    assert_eq!(ragplan_import::parse_delimiter("tab"), Ok(b'\t'));
    assert!(ragplan_import::parse_delimiter("\"").is_err());
    Ok(())
}

/// A CSV saved by Excel on Windows (Windows-1252) had its £ and curly quotes turned
/// into U+FFFD.
#[test]
fn a_windows_1252_file_lost_its_pound_signs() -> Result<(), ImportError> {
    let mut source =
        b"Actions,Action RAG,Budget\nLeaflets,Green,ok\nPrint \x93leaflets\x94,Amber,\xA3500\n"
            .to_vec();
    source.extend_from_slice(b"Website,Red,\xA3200\n");
    let imported = import(&source, &ImportOptions::default())?;
    assert_eq!(titles(&imported), ["Leaflets", "Print \u{201c}leaflets\u{201d}", "Website"]);
    let json = imported.plan.to_json();
    assert!(json.contains("£500") && json.contains("£200"), "{json}");
    assert!(!json.contains('\u{FFFD}'));
    // One diagnostic for the file, at the first row and column the fallback touched.
    let found: Vec<String> = imported
        .diagnostics
        .iter()
        .filter(|d| d.code == "not-utf8")
        .map(|d| format!("{:?} {:?}", d.row, d.column))
        .collect();
    assert_eq!(found, [r#"Some(3) Some("Actions")"#]);
    Ok(())
}

#[test]
fn utf8_with_or_without_a_bom_and_utf16_with_one_read_alike() -> Result<(), ImportError> {
    let text = "Actions\tAction RAG\tBudget\nPrint \u{201c}leaflets\u{201d}\tGreen\t£500\n";
    let mut with_bom = "\u{feff}".as_bytes().to_vec();
    with_bom.extend_from_slice(text.as_bytes());
    let mut le = vec![0xFF, 0xFE];
    let mut be = vec![0xFE, 0xFF];
    for unit in text.encode_utf16() {
        le.extend_from_slice(&unit.to_le_bytes());
        be.extend_from_slice(&unit.to_be_bytes());
    }
    let want = import(text.as_bytes(), &ImportOptions::default())?.plan.objectives;
    for bytes in [with_bom, le, be] {
        let imported = import(&bytes, &ImportOptions::default())?;
        assert_eq!(imported.plan.objectives, want);
        assert!(imported.diagnostics.iter().all(|d| d.code != "not-utf8"));
    }
    Ok(())
}

#[test]
fn coded_ratings_are_read_through_the_rating_map_and_choose_the_scale() -> Result<(), ImportError> {
    let source = "Actions\tAction RAG\nLeaflets\tLG\nWebsite\tla\nTraining\tlar\nAudit\tLR\n";
    let options = ImportOptions::default().with_rating_map(
        ragplan_import::parse_rating_map("lg=green,la=amber,lar=amber/red,lr=red")
            .map_err(|_| ImportError::Empty)?,
    );
    let imported = import(source.as_bytes(), &options)?;
    let ratings: Vec<_> = imported.plan.actions().map(|a| a.action_rag).collect();
    assert_eq!(
        ratings,
        [Some(Rating::Green), Some(Rating::Amber), Some(Rating::AmberRed), Some(Rating::Red)]
    );
    // Amber/Red makes the plan DCA5, said in a diagnostic; the codes are kept as written.
    assert_eq!(imported.plan.scale, ragplan_core::Scale::Dca5);
    assert!(imported.diagnostics.iter().any(|d| d.code == "scale-dca5"));
    assert_eq!(lost_words(std::iter::once(source), &imported), Vec::<String>::new());
    // Without the map the codes are not ratings.
    let plain = import(source.as_bytes(), &ImportOptions::default())?;
    assert!(plain.plan.actions().all(|a| a.action_rag.is_none()));
    assert_eq!(plain.plan.scale, ragplan_core::Scale::Rag3);
    // Blue makes it BRAG.
    let options =
        ImportOptions::default().with_rating_map(vec![("lb".to_owned(), Rating::Complete)]);
    let blue = import("Actions\tRAG\nLeaflets\tlb\n".as_bytes(), &options)?;
    assert_eq!(blue.plan.scale, ragplan_core::Scale::Brag);
    assert!(ragplan_import::parse_rating_map("lg=greenish").is_err());
    Ok(())
}

/// A JSON array of records was taken for a ragplan document and refused.
#[test]
fn a_json_array_of_records_was_refused() -> Result<(), ImportError> {
    let source = r#"[
        {"project": "Leaflets", "rag": "Green", "lead": "Sue Whitmore", "budget": 500},
        {"project": "Website", "rag": "Amber", "due": "March 2016", "partners": ["Police", "Health"]},
        {"project": "Audit", "rag": null}
    ]"#;
    let imported = import(source.as_bytes(), &ImportOptions::default())?;
    assert_eq!(titles(&imported), ["Leaflets", "Website", "Audit"]);
    let actions: Vec<_> = imported.plan.actions().collect();
    assert_eq!(actions[0].accountable[0].name, "Sue Whitmore");
    assert_eq!(actions[1].action_rag, Some(Rating::Amber));
    assert_eq!(actions[1].partners, ["Police", "Health"]);
    assert_eq!((actions[2].action_rag, actions[0].unmapped[0].text.as_str()), (None, "500"));
    // Keys keep the order they were first seen in.
    let layout = imported.plan.metadata.get(ragplan_import::LAYOUT_KEY).cloned();
    let headers: Vec<&str> = layout
        .as_ref()
        .and_then(serde_json::Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|c| c["header"].as_str())
        .collect();
    let at = |h: &str| headers.iter().position(|x| *x == h);
    assert!(at("project").is_some() && at("project") < at("due"), "{layout:?}");
    // An array of something else is an error naming where.
    let err = import(b"[1, 2]", &ImportOptions::default()).err().map(|e| e.to_string());
    assert!(
        err.as_deref().is_some_and(|e| e.starts_with("row 1, column 2: not an array of records")),
        "{err:?}"
    );
    Ok(())
}

/// A key repeated in one JSON record kept its first value and dropped the second
/// without a word (found by fuzzing, `fuzz/regressions/import_json/`).
#[test]
fn a_key_repeated_in_a_record_lost_its_second_value() -> Result<(), ImportError> {
    let source = r#"[{"project": "Leaflets", "rag": "Green", "rag": "lg", "lead": "WMP"}]"#;
    let imported = import(source.as_bytes(), &ImportOptions::default())?;
    assert_eq!(titles(&imported), ["Leaflets"]);
    assert_eq!(lost_words(std::iter::once(source), &imported), Vec::<String>::new());
    let action = imported.plan.actions().next().map(|a| (a.action_rag, a.unmapped.clone()));
    assert_eq!(
        action.map(|(rag, notes)| (rag, notes.into_iter().map(|n| n.text).collect::<Vec<_>>())),
        Some((Some(Rating::Green), vec!["lg".to_owned()]))
    );
    Ok(())
}

/// A table with one project per column imported as nonsense (its field names as
/// actions) and exited 0.
#[test]
fn a_table_with_one_project_per_column_imported_as_nonsense() -> Result<(), ImportError> {
    let source = "Project\tLeaflets\tWebsite\tAudit\n\
                  RAG\tGreen\tAmber\tRed\n\
                  Lead\tWMP\tSue Whitmore\tHead of IYSS\n\
                  Due\tMay 2015\tMarch 2016\tQ1 2015/16\n";
    let imported = import(source.as_bytes(), &ImportOptions::default())?;
    assert_eq!(titles(&imported), ["Leaflets", "Website", "Audit"]);
    let ratings: Vec<_> = imported.plan.actions().map(|a| a.action_rag).collect();
    assert_eq!(ratings, [Some(Rating::Green), Some(Rating::Amber), Some(Rating::Red)]);
    let codes: Vec<&str> = imported.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["transposed"]);
    // Asked for, the same plan and no warning.
    let options = ImportOptions::default().with_transpose(true);
    let asked = import(source.as_bytes(), &options)?;
    assert_eq!(asked.plan.objectives, imported.plan.objectives);
    assert!(asked.diagnostics.is_empty(), "{:?}", asked.diagnostics);
    assert_eq!(lost_words(std::iter::once(source), &imported), Vec::<String>::new());
    Ok(())
}

/// A workbook holding a second plan on another sheet imported the first without a
/// word of the second.
#[test]
fn a_second_sheet_holding_a_table_was_not_mentioned() -> Result<(), Box<dyn std::error::Error>> {
    let mut book = rust_xlsxwriter::Workbook::new();
    for (name, action) in [("2015-16", "Leaflets"), ("Notes", ""), ("2016-17", "Website")] {
        let sheet = book.add_worksheet();
        sheet.set_name(name)?;
        if action.is_empty() {
            sheet.write_string(0, 0, "Read me first")?;
            continue;
        }
        for (c, cell) in ["Actions", "RAG", "Lead"].iter().enumerate() {
            sheet.write_string(0, c as u16, *cell)?;
        }
        for (c, cell) in [action, "Green", "WMP"].iter().enumerate() {
            sheet.write_string(1, c as u16, *cell)?;
        }
    }
    let bytes = book.save_to_buffer()?;
    let imported = import(&bytes, &ImportOptions::default())?;
    assert_eq!(titles(&imported), ["Leaflets"]);
    let notes: Vec<String> = imported
        .diagnostics
        .iter()
        .filter(|d| d.code == "other-sheet-table")
        .map(|d| d.to_string())
        .collect();
    assert_eq!(
        notes,
        [r#"info[other-sheet-table]: sheet "2016-17" also holds a table; read it with --sheet"#]
    );
    // Asked for by name, only that sheet is read, and nothing is said of the others.
    let options = ImportOptions::default().with_sheet(Some("2016-17".into()));
    let imported = import(&bytes, &options)?;
    assert_eq!(titles(&imported), ["Website"]);
    assert!(imported.diagnostics.iter().all(|d| d.code != "other-sheet-table"));
    Ok(())
}

/// Any source opening with `[` was read as a JSON array: a recommendation list
/// headed `[DRAFT]` failed as bad JSON. It is read as the list it is.
#[test]
fn a_list_headed_draft_in_brackets_was_read_as_json() -> Result<(), ImportError> {
    let source = "[DRAFT] Scrutiny review of CSE\n\n1. That the Board adopts the plan.\n2. That it reports each quarter.\n";
    let imported = import(source.as_bytes(), &ImportOptions::default())?;
    assert_eq!(imported.plan.n_actions(), 2);
    Ok(())
}

/// A spreadsheet that holds start dates, dependencies (keys or titles), critical
/// flags, weights and review dates needed editing by hand before: each was a note.
#[test]
fn start_dependencies_critical_weight_and_review_date_were_only_notes() -> Result<(), ImportError> {
    let source = "Ref\tActions\tTimescale\tStart date\tPrerequisite\tCritical\tWeighting\tNext review\n\
                  1.1\tAgree the protocol\tMay 2015\t01/04/2015\t\tYes\t2\t\n\
                  1.2\tTrain staff\tJune 2015\t2015-05-01\t1.1\tno\t\t30 September 2015\n\
                  1.3\tAudit\tJuly 2015\tsoon\tagree the protocol, Train staff and 9.9\tmaybe\t0\t\n";
    let imported = import(source.as_bytes(), &ImportOptions::default())?;
    let read: Vec<String> = imported
        .plan
        .actions()
        .map(|a| {
            let deps: Vec<&str> = a.depends_on.iter().map(|k| k.as_str()).collect();
            format!(
                "{} start {:?} after {deps:?} critical {} weight {:?} review {:?}",
                a.key, a.start, a.critical, a.weight, a.review_date
            )
        })
        .collect();
    assert_eq!(
        read,
        [
            "1.1 start Some(2015-04-01) after [] critical true weight Some(2) review None",
            "1.2 start Some(2015-05-01) after [\"1.1\"] critical false weight None review Some(2015-09-30)",
            "1.3 start None after [\"1.1\", \"1.2\"] critical false weight None review None",
        ]
    );
    let warnings: Vec<String> = imported.diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [
            "warning[not-a-date] row 4, column \"Start date\": not a date (such as 1 April 2015 \
             or 2015-04-01); kept as a note",
            "warning[not-yes-or-no] row 4, column \"Critical\": neither yes nor no; kept as a note",
            "warning[not-a-weight] row 4, column \"Weighting\": not a weight (a whole number from \
             1); kept as a note",
            "warning[unknown-dependency] row 4, column \"Prerequisite\": 9.9: not the key or \
             the title of one other action of the plan; the cell is kept as a note",
        ]
    );
    assert_eq!(lost_words(std::iter::once(source), &imported), Vec::<String>::new());
    // The export writes each back, and imports to the same actions.
    let table = ragplan_import::export(&imported.plan, ragplan_import::ExportFormat::Tsv);
    let again = import(table.as_bytes(), &ImportOptions::default())?;
    let actions = |p: &ragplan_core::Plan| p.actions().cloned().collect::<Vec<_>>();
    assert_eq!(actions(&again.plan), actions(&imported.plan), "{table}");
    Ok(())
}

/// A dependency named by a title holding `and` or a comma was split into words that
/// named no action; a title several actions share was said to name none.
#[test]
fn a_dependency_titled_with_and_was_split_apart() -> Result<(), ImportError> {
    let source = "Actions\tDepends on\n\
                  Review and update the protocol\t\n\
                  Train staff\tReview and update the protocol\n\
                  Audit\t\n\
                  Audit\t\n\
                  Report\tAudit; Train staff\n";
    let imported = import(source.as_bytes(), &ImportOptions::default())?;
    let deps: Vec<Vec<&str>> = imported
        .plan
        .actions()
        .map(|a| a.depends_on.iter().map(|k| k.as_str()).collect())
        .collect();
    assert_eq!(deps, [vec![], vec!["1.1"], vec![], vec![], vec!["1.2"]]);
    let unknown: Vec<String> = imported
        .diagnostics
        .iter()
        .filter(|d| d.code == ragplan_import::DiagnosticCode::UnknownDependency)
        .map(|d| d.message.clone())
        .collect();
    assert_eq!(
        unknown,
        ["Audit (the title of several actions): not the key or the title of one other action \
          of the plan; the cell is kept as a note"]
    );
    Ok(())
}

/// A key cell that is not a key (`K 9`) was kept as a note the export did not write,
/// so export → import lost it (found by the round-trip property test): it is kept as
/// written and goes back in its column.
#[test]
fn a_key_that_is_not_one_was_left_out_of_the_export() -> Result<(), ImportError> {
    let source = "Ref\tActions\tAction RAG\nK 9\tTrain staff\tGreen\n";
    let imported = import(source.as_bytes(), &ImportOptions::default())?;
    let warnings: Vec<String> = imported.diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        ["warning[bad-key] row 2, column \"Ref\": key \"K 9\" contains ' '; use letters, digits, \
          '.', '-' and '_'; the action is keyed 1.1 by position"]
    );
    let table = ragplan_import::export(&imported.plan, ragplan_import::ExportFormat::Tsv);
    assert_eq!(table, source);
    let again = import(table.as_bytes(), &ImportOptions::default())?;
    assert_eq!(again.plan.objectives, imported.plan.objectives);
    Ok(())
}

/// Regression: a row of words that are headers of other tables (`Actions`,
/// `Evidence`) was skipped as a repeated header in a table with no such columns, its
/// words kept only in a diagnostic (found by the word check's proptest).
#[test]
fn a_row_of_another_tables_header_words_was_skipped_as_a_repeated_header() -> Result<(), ImportError>
{
    let source = "Indicator\tTarget\tComments\nStaff trained\t80\t\nActions\tEvidence\t\n\
                  Indicator\tTarget\t\n";
    let imported = import(source.as_bytes(), &ImportOptions::default())?;
    let skipped: Vec<usize> = imported
        .diagnostics
        .iter()
        .filter(|d| d.code == "repeated-header")
        .filter_map(|d| d.row)
        .collect();
    // Row 4 repeats this table's header; row 3 is text of the table.
    assert_eq!(skipped, [4]);
    assert_eq!(lost_words(std::iter::once(source), &imported), Vec::<String>::new());
    Ok(())
}

/// Bug: a `Progress` column was kept as notes, so `50` and `10%` never reached the
/// actions' progress and the behind-expected-progress rule never fired from an
/// imported tracker. A percentage (`50`, `10 %`, a workbook's fraction `0.5`) now
/// fills the progress, kept as written where it is not spelled `50%`; a number past
/// 100 is kept as written with a `not-a-percentage` warning, and text is the action's
/// progress note.
#[test]
fn a_progress_column_was_never_read_as_progress() -> Result<(), ImportError> {
    let source = "Action,Start date,Target date,Progress\n\
                  Publish leaflet,2015-01-01,31/12/2015,50\n\
                  Train taxi drivers,2015-01-01,31/12/2015,10%\n\
                  Map hotspots,2015-01-01,31/12/2015,0.5\n\
                  Review policy,2015-01-01,31/12/2015,10 %\n\
                  Audit cases,2015-01-01,31/12/2015,150%\n\
                  Brief members,2015-01-01,31/12/2015,Funding not agreed\n";
    let imported = import(source.as_bytes(), &ImportOptions::default())?;
    let progress: Vec<Option<u8>> = imported.plan.actions().map(|a| a.progress).collect();
    assert_eq!(progress, [Some(50), Some(10), Some(50), Some(10), None, None]);
    let codes: Vec<(&str, Option<usize>)> =
        imported.diagnostics.iter().map(|d| (d.code.as_str(), d.row)).collect();
    assert_eq!(codes, [("not-a-percentage", Some(6))]);
    let notes: Vec<Vec<(Option<&str>, &str)>> = imported
        .plan
        .actions()
        .map(|a| a.unmapped.iter().map(|n| (n.source.as_deref(), n.text.as_str())).collect())
        .collect();
    let written = Some("Progress (as written)");
    assert_eq!(notes[0], [(written, "50")]);
    assert!(notes[1].is_empty(), "{:?}", notes[1]);
    assert_eq!(notes[2], [(written, "0.5")]);
    assert_eq!(notes[4], [(written, "150%")]);
    // Text is the action's progress note.
    assert!(notes[5].is_empty(), "{:?}", notes[5]);
    let note = imported.plan.actions().nth(5).and_then(|a| a.note.as_deref());
    assert_eq!(note, Some("Funding not agreed"));
    assert_eq!(lost_words(std::iter::once(source), &imported), Vec::<String>::new());

    // The engine reads it: 10% by the end of September is behind the 74% expected.
    let as_of = chrono::NaiveDate::from_ymd_opt(2015, 9, 30).unwrap_or_default();
    let policy = ragplan_core::Policy::default();
    let ratings = ragplan_core::rate(&imported.plan, &policy, as_of);
    let shown: Vec<Rating> =
        ratings.actions().map(|a| a.rating(ragplan_core::Dimension::Delivery)).collect();
    assert_eq!(shown[1], Rating::Red);

    // Export writes each back as the source wrote it, and imports to the same plan.
    let table = ragplan_import::export(&imported.plan, ragplan_import::ExportFormat::Csv);
    let again =
        import(table.as_bytes(), &ImportOptions::for_format(ragplan_import::SourceFormat::Csv))?;
    assert!(again.plan.objectives == imported.plan.objectives, "not a fixed point:\n{table}");

    // A `Progress %` header, and a `--map` naming it, read alike.
    let source = "Action,Progress %\nPublish leaflet,50\n";
    for options in [ImportOptions::default(), with_map(&[("Progress", Field::Progress)])] {
        let imported = import(source.as_bytes(), &options)?;
        assert_eq!(imported.plan.actions().next().and_then(|a| a.progress), Some(50));
    }
    Ok(())
}
