//! The importer's rules for ratings that can be trusted: a status only where the
//! source gave one, keys unique in the whole plan, and the date a plan was reported
//! on only where the source plainly gives one.

use chrono::NaiveDate;
use ragplan_core::{LintCode, Plan, Rating, Status, validate};
use ragplan_import::{
    ExportFormat, ImportError, ImportOptions, Imported, ReimportOptions, SourceFormat, export,
    import, reimport,
};

use crate::common::{diagnostics_report, lost_words};

fn options(format: SourceFormat) -> ImportOptions {
    ImportOptions::for_format(format)
        .with_id(ragplan_core::PlanId::new("plan").ok())
        .with_title(Some("Plan".into()))
}

fn tsv(source: &str) -> Result<Imported, ImportError> {
    import(source.as_bytes(), &options(SourceFormat::Tsv))
}

/// Each action as `key: status / rating`, `-` where the plan has none.
fn statuses(plan: &Plan) -> Vec<String> {
    plan.actions()
        .map(|a| {
            let status = a.status.map_or("-", Status::as_str);
            let rating = a.action_rag.map_or("-", Rating::as_str);
            format!("{}: {status} / {rating}", a.key)
        })
        .collect()
}

/// Every key of the plan, objectives, sub-objectives and actions, in plan order.
fn all_keys(plan: &Plan) -> Vec<String> {
    let mut keys = Vec::new();
    for objective in &plan.objectives {
        keys.push(objective.key.to_string());
        keys.extend(objective.actions.iter().map(|a| a.key.to_string()));
        for sub in &objective.sub_objectives {
            keys.push(sub.key.to_string());
            keys.extend(sub.actions.iter().map(|a| a.key.to_string()));
        }
    }
    keys
}

fn assert_keys_unique(plan: &Plan) {
    let keys = all_keys(plan);
    let mut sorted = keys.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), keys.len(), "keys shared: {keys:?}");
    let duplicates = validate(plan).into_iter().filter(|l| l.code == LintCode::DuplicateKey);
    assert_eq!(duplicates.count(), 0);
}

const NO_STATUS: &str = "\
Actions\tAction RAG\tAccountable\tTimescale
Sign the agreement\t\tJayne Hutchings\tMarch 2016
Publish the tool\tGreen\tSue Whitmore\t15/07/2015
Audit case files\tRed\tBusiness Manager\tMarch 2016
";

#[test]
fn no_status_column_leaves_every_status_unknown() -> Result<(), ImportError> {
    let imported = tsv(NO_STATUS)?;
    assert!(imported.plan.actions().all(|a| a.status.is_none()));
    insta::assert_snapshot!("no-status-column", imported.plan.to_json());
    Ok(())
}

/// The bug "importer invents not started": an action whose source gave no status was
/// imported `not_started`, so the engine read a blank row as work not begun and said
/// it "has not started" when nobody had said so.
#[test]
fn importer_invents_not_started_regression() -> Result<(), ImportError> {
    let source = "Actions\tAccountable\nSign the agreement\tJayne Hutchings\n";
    for format in [SourceFormat::Tsv, SourceFormat::Csv, SourceFormat::Markdown] {
        let text = match format {
            SourceFormat::Csv => source.replace('\t', ","),
            SourceFormat::Markdown => {
                "| Actions | Accountable |\n|---|---|\n| Sign the agreement | Jayne Hutchings |\n"
                    .to_owned()
            }
            _ => source.to_owned(),
        };
        let plan = import(text.as_bytes(), &options(format))?.plan;
        let action = plan.actions().next().ok_or(ImportError::Empty)?;
        assert_eq!(action.status, None, "{format}");
        assert!(!plan.to_json().contains("not_started"), "{format}");
    }
    // A recommendation list gives no status either.
    let list = "1. That the LSCB signs the agreement.\n2. That the tool is published.\n";
    let plan = import(list.as_bytes(), &options(SourceFormat::Text))?.plan;
    assert_eq!(plan.n_actions(), 2);
    assert!(plan.actions().all(|a| a.status.is_none()));
    Ok(())
}

#[test]
fn a_status_column_gives_the_status_and_a_blank_one_none() -> Result<(), ImportError> {
    let source = "\
Actions\tProgress status\tAccountable
Sign the agreement\tIn progress\tJayne Hutchings
Publish the tool\tComplete\tSue Whitmore
Audit case files\t\tLSCB
Train taxi drivers\tNot started\tMandie Watson
";
    let plan = tsv(source)?.plan;
    insta::assert_snapshot!("status-column", statuses(&plan).join("\n"));
    let given: Vec<Option<Status>> = plan.actions().map(|a| a.status).collect();
    assert_eq!(
        given,
        [Some(Status::InProgress), Some(Status::Complete), None, Some(Status::NotStarted)]
    );
    Ok(())
}

#[test]
fn a_blue_or_complete_rating_means_complete() -> Result<(), ImportError> {
    let source = "\
Actions\tAction RAG\tAccountable
Train taxi drivers\tBlue\tMandie Watson
Publish the tool\tComplete\tSue Whitmore
Sign the agreement\tGreen\tJayne Hutchings
Audit case files\tCompleted\tLSCB
";
    let imported = tsv(source)?;
    let plan = &imported.plan;
    insta::assert_snapshot!("blue-rating", statuses(plan).join("\n"));
    let complete: Vec<bool> = plan.actions().map(|a| a.is_complete()).collect();
    assert_eq!(complete, [true, true, false, true]);
    // The rating is what the source said; no status is made up beside it.
    assert!(plan.actions().all(|a| a.status.is_none()));
    assert_eq!(lost_words(std::iter::once(source), &imported), Vec::<String>::new());
    Ok(())
}

#[test]
fn a_blue_rating_and_a_status_that_says_otherwise_are_both_kept() -> Result<(), ImportError> {
    let source = "\
Actions\tAction RAG\tProgress status\tAccountable\tTimescale\tEvidence
Train taxi drivers\tBlue\tIn progress\tMandie Watson\tMay 2015\tRegister
";
    let plan = tsv(source)?.plan;
    let action = plan.actions().next().ok_or(ImportError::Empty)?;
    assert_eq!(
        (action.action_rag, action.status),
        (Some(Rating::Complete), Some(Status::InProgress))
    );
    let codes: Vec<LintCode> = validate(&plan).into_iter().map(|l| l.code).collect();
    assert!(codes.contains(&LintCode::RatingStatusConflict), "{codes:?}");
    Ok(())
}

#[test]
fn an_unknown_status_exports_as_an_empty_cell_and_comes_back_unknown() -> Result<(), ImportError> {
    let source = "\
Actions\tProgress status\tAccountable
Sign the agreement\tIn progress\tJayne Hutchings
Audit case files\t\tLSCB
";
    let first = tsv(source)?.plan;
    let table = export(&first, ExportFormat::Tsv);
    assert_eq!(
        table,
        "Actions\tProgress status\tAccountable\nSign the agreement\tin progress\tJayne \
         Hutchings\nAudit case files\t\tLSCB\n"
    );
    let again = tsv(&table)?.plan;
    assert_eq!(statuses(&again), statuses(&first));
    assert_eq!(again.actions().nth(1).map(|a| a.status), Some(None));
    // With no status at all, the export adds no status column.
    let none = tsv(NO_STATUS)?.plan;
    assert!(!export(&none, ExportFormat::Tsv).contains("status"));
    Ok(())
}

const DUPLICATE_KEYS: &str = "\
Ref\tActions\tAction RAG\tAccountable
1\tSign the agreement\tRed\tJayne Hutchings
2\tPublish the tool\tGreen\tSue Whitmore
2\tTrain taxi drivers\tAmber\tMandie Watson
1.2\tAudit case files\tGreen\tBusiness Manager
2\tReview the plan\tGreen\tBusiness Manager
7\tReport to the board\tGreen\tChair
";

#[test]
fn duplicate_source_keys_are_renumbered_by_position() -> Result<(), ImportError> {
    let imported = tsv(DUPLICATE_KEYS)?;
    let plan = &imported.plan;
    assert_keys_unique(plan);
    let keys: Vec<&str> = plan.actions().map(|a| a.key.as_str()).collect();
    // The second and third "2" are not unique; the third's place, 1.5, is free; the
    // second's, 1.3, is too. "1", "1.2" and "7" are kept: the objective the table
    // does not name gives way to the action keyed "1".
    assert_eq!(keys, ["1", "2", "1.3", "1.2", "1.5", "7"]);
    insta::assert_snapshot!("duplicate-keys-diagnostics", diagnostics_report(&imported));
    let renumbered: Vec<_> =
        imported.diagnostics.iter().filter(|d| d.code == "duplicate-key-renumbered").collect();
    let rows: Vec<Option<usize>> = renumbered.iter().map(|d| d.row).collect();
    assert_eq!(rows, [Some(4), Some(6)]);
    // No word of the source is lost: the key as written is kept.
    assert_eq!(lost_words(std::iter::once(DUPLICATE_KEYS), &imported), Vec::<String>::new());
    Ok(())
}

/// Bug: a table with no objective column numbering its actions 1, 2, 3 lost the
/// first action's number: the objective made for the table was keyed `1`, so the
/// action was renumbered 1.1 with a `duplicate-key-renumbered` warning, and
/// `ragplan update plan.json 1` found the objective. The objective, whose key the
/// table never shows, now gives way: it is keyed `O1` (`O1-2` when the table uses
/// `O1` too), and every action keeps the number the table gave it.
#[test]
fn an_action_keyed_1_clashed_with_the_objective_the_table_does_not_name() -> Result<(), ImportError>
{
    let imported = tsv("Ref\tActions\tRAG\n1\tPublish leaflets\tGreen\n2\tTrain staff\tAmber\n")?;
    assert_keys_unique(&imported.plan);
    let keys = all_keys(&imported.plan);
    assert_eq!(keys, ["O1", "1", "2"]);
    assert!(imported.diagnostics.iter().all(|d| d.code != "duplicate-key-renumbered"));
    let taken = tsv("Ref\tActions\n1\tPublish leaflets\nO1\tTrain staff\n")?;
    assert_eq!(all_keys(&taken.plan), ["O1-2", "1", "O1"]);
    // A table that names its objectives keeps their keys by position.
    let named = tsv("Ref\tObjective\tActions\n1\tPrevent\tPublish leaflets\n")?;
    assert_eq!(all_keys(&named.plan), ["1", "1.1"]);
    // Nor does an export and import of the plan change a key.
    let again = tsv(&export(&imported.plan, ExportFormat::Tsv))?;
    assert_eq!(all_keys(&again.plan), keys);
    Ok(())
}

#[test]
fn a_renumbered_key_whose_place_is_taken_gets_a_number_added() -> Result<(), ImportError> {
    // The second "1.1" would take its place, 1.3, but the first action's own key is
    // 1.3.
    let source = "Ref\tActions\n1.3\tSign the agreement\n1.1\tPublish the tool\n1.1\tAudit\n";
    let imported = tsv(source)?;
    assert_keys_unique(&imported.plan);
    let keys: Vec<&str> = imported.plan.actions().map(|a| a.key.as_str()).collect();
    assert_eq!(keys, ["1.3", "1.1", "1.3-2"]);
    Ok(())
}

#[test]
fn source_keys_that_clash_with_sub_objectives_are_renumbered() -> Result<(), ImportError> {
    let source = "\
Ref\tSub Objectives\tActions
1.1\tPrevent\tSign the agreement
1.2\t\tPublish the tool
2.1\tProtect\tTrain taxi drivers
";
    let imported = tsv(source)?;
    assert_keys_unique(&imported.plan);
    // Sub-objectives are keyed 1.1 and 1.2 by position: the first two actions' keys
    // clash with them.
    insta::assert_snapshot!(
        "sub-objective-clash",
        format!("{:?}\n{}", all_keys(&imported.plan), diagnostics_report(&imported))
    );
    Ok(())
}

#[test]
fn duplicate_recommendation_numbers_are_renumbered() -> Result<(), ImportError> {
    let list = "\
Recommendation 1: That the LSCB signs the agreement.
Recommendation 2: That the tool is published.
Recommendation 2: That taxi drivers are trained.
a. Licensing to lead
b. Police to support
";
    let imported = import(list.as_bytes(), &options(SourceFormat::Text))?;
    assert_keys_unique(&imported.plan);
    insta::assert_snapshot!(
        "duplicate-recommendations",
        format!("{:?}\n{}", all_keys(&imported.plan), diagnostics_report(&imported))
    );
    let rows: Vec<Option<usize>> = imported
        .diagnostics
        .iter()
        .filter(|d| d.code == "duplicate-key-renumbered")
        .map(|d| d.row)
        .collect();
    assert_eq!(rows, [Some(3), Some(4), Some(5)]);
    Ok(())
}

#[test]
fn reimport_matches_renumbered_keys_and_keeps_them_unique() -> Result<(), ImportError> {
    let stored = tsv(DUPLICATE_KEYS)?.plan;
    let newer_text = DUPLICATE_KEYS.replace("Audit case files\tGreen", "Audit case files\tRed");
    let newer = tsv(&newer_text)?.plan;
    let merged = reimport(&stored, &newer, &ReimportOptions::default());
    let lines: Vec<String> = merged.changes.iter().map(ToString::to_string).collect();
    assert_eq!(lines, [r#"changed 1.2 "Audit case files": action_rag"#]);
    assert_keys_unique(&merged.plan);
    // An action dropped from the newer table is kept, marked, under a key of its own.
    let dropped: String = newer_text
        .lines()
        .filter(|l| !l.contains("Publish the tool"))
        .map(|l| format!("{l}\n"))
        .collect();
    let merged = reimport(&stored, &tsv(&dropped)?.plan, &ReimportOptions::default());
    assert_keys_unique(&merged.plan);
    assert!(merged.plan.actions().any(|a| a.removed));
    // And export → import gives the same keys back.
    let again = tsv(&export(&stored, ExportFormat::Tsv))?.plan;
    assert_eq!(all_keys(&again), all_keys(&stored));
    Ok(())
}

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

#[test]
fn a_full_date_in_the_title_line_is_the_date_reported_on() -> Result<(), ImportError> {
    let source = format!("Coventry LSCB CSE delivery plan – update 30 June 2015\n\n{NO_STATUS}");
    let imported = tsv(&source)?;
    assert_eq!(imported.plan.reported_on, date(2015, 6, 30));
    insta::assert_snapshot!("reported-on-diagnostics", diagnostics_report(&imported));
    let notes: Vec<_> =
        imported.diagnostics.iter().filter(|d| d.code == "reported-on-from-source").collect();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].row, Some(1));
    assert_eq!(notes[0].severity, ragplan_import::Severity::Info);
    // Day-first and ISO dates are read too.
    for title in ["Tracker as at 30/06/2015", "Tracker (2015-06-30)"] {
        let imported = tsv(&format!("{title}\n{NO_STATUS}"))?;
        assert_eq!(imported.plan.reported_on, date(2015, 6, 30), "{title}");
    }
    Ok(())
}

#[test]
fn a_month_or_a_period_in_the_title_is_no_report_date() -> Result<(), ImportError> {
    for title in [
        "CSE delivery plan March 2015 – March 2017",
        "CSE delivery plan, March 2015",
        "Delivery plan 1 April 2015 – 31 March 2016",
        "Coventry LSCB CSE delivery plan",
    ] {
        let imported = tsv(&format!("{title}\n{NO_STATUS}"))?;
        assert_eq!(imported.plan.reported_on, None, "{title}");
        assert!(
            imported.diagnostics.iter().all(|d| d.code != "reported-on-from-source"),
            "{title}"
        );
    }
    Ok(())
}

#[test]
fn the_reported_on_option_wins_over_the_source() -> Result<(), ImportError> {
    let source = format!("Update 30 June 2015\n{NO_STATUS}");
    let given = options(SourceFormat::Tsv).with_reported_on(date(2015, 7, 31));
    let imported = import(source.as_bytes(), &given)?;
    assert_eq!(imported.plan.reported_on, date(2015, 7, 31));
    assert!(imported.diagnostics.iter().all(|d| d.code != "reported-on-from-source"));
    // A recommendation list's preamble gives the date too.
    let list = "Report of 30 June 2015\n\n1. That the LSCB signs.\n2. That it publishes.\n";
    let plan = import(list.as_bytes(), &options(SourceFormat::Text))?.plan;
    assert_eq!(plan.reported_on, date(2015, 6, 30));
    Ok(())
}

#[test]
fn a_date_in_an_action_row_is_no_report_date() -> Result<(), ImportError> {
    // Only the title and the lines before the header count.
    let source = "Actions\tTimescale\nSign the agreement\t30 June 2015\n";
    let plan = tsv(source)?.plan;
    assert_eq!(plan.reported_on, None);
    Ok(())
}
