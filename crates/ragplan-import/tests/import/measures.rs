//! Measure columns: an indicator with its target, direction, tolerance, unit and
//! latest value read into a measure of the row's sub-objective or objective, by every
//! header synonym; values that cannot be read, each with its diagnostic and kept as a
//! note; the measures' keys; and export → import keeping them.

use chrono::NaiveDate;
use ragplan_core::{Direction, Measure, Plan, Reading};
use ragplan_import::{
    ExportFormat, Field, ImportError, ImportOptions, SourceFormat, export, import,
};

use crate::common::lost_words;

fn tsv(source: &str) -> Result<ragplan_import::Imported, ImportError> {
    import(source.as_bytes(), &ImportOptions::for_format(SourceFormat::Tsv))
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// Every measure of the plan, with the key of the node that holds it.
fn measures(plan: &Plan) -> Vec<(String, Measure)> {
    let mut out = Vec::new();
    for objective in &plan.objectives {
        out.extend(objective.measures.iter().map(|m| (objective.key.to_string(), m.clone())));
        for sub in &objective.sub_objectives {
            out.extend(sub.measures.iter().map(|m| (sub.key.to_string(), m.clone())));
        }
    }
    out
}

/// A measure as one line: key, parent, title, target, unit, direction, tolerance and
/// readings.
fn describe(parent: &str, m: &Measure) -> String {
    let readings: Vec<String> =
        m.readings.iter().map(|r| format!("{} on {}", r.value, r.on)).collect();
    format!(
        "{} on {parent}: {:?} target {} {:?} {:?} ± {} readings {readings:?}",
        m.key, m.title, m.target, m.unit, m.direction, m.tolerance
    )
}

fn described(plan: &Plan) -> Vec<String> {
    measures(plan).iter().map(|(parent, m)| describe(parent, m)).collect()
}

fn diagnostics(imported: &ragplan_import::Imported) -> Vec<String> {
    imported.diagnostics.iter().map(ToString::to_string).collect()
}

/// The notes of every objective and sub-objective, as `key: source = text`.
fn node_notes(plan: &Plan) -> Vec<String> {
    let mut out = Vec::new();
    let mut add = |key: &str, notes: &[ragplan_core::UnmappedNote]| {
        for note in notes {
            out.push(format!("{key}: {} = {:?}", note.source.as_deref().unwrap_or("-"), note.text));
        }
    };
    for objective in &plan.objectives {
        add(objective.key.as_str(), &objective.unmapped);
        for sub in &objective.sub_objectives {
            add(sub.key.as_str(), &sub.unmapped);
        }
    }
    out
}

/// Exports the plan and imports the table again: the objectives, measures and all,
/// are the same.
fn assert_round_trip(plan: &Plan) -> Result<String, ImportError> {
    for format in [ExportFormat::Tsv, ExportFormat::Csv] {
        let table = export(plan, format);
        let format_in =
            if format == ExportFormat::Tsv { SourceFormat::Tsv } else { SourceFormat::Csv };
        let options = ImportOptions::for_format(format_in);
        let again = import(table.as_bytes(), &options)?;
        assert_eq!(again.plan.objectives, plan.objectives, "{table}");
        assert_eq!(export(&again.plan, format), table);
    }
    Ok(export(plan, ExportFormat::Tsv))
}

/// A tracker that already held its indicators, targets and latest values needed them
/// typed in again with `ragplan measure add` and `ragplan reading`: each was a note.
#[test]
fn indicator_target_and_value_columns_were_only_notes() -> Result<(), ImportError> {
    let source = "Sub Objectives\tActions\tKPI\tTarget\tPolarity\tTolerance\tActual\tAs at\n\
                  Prevent\tTrain staff\tChildren screened with the CSE tool\t85%\thigher is better\t2.5\t80%\t30/06/2015\n\
                  \t\tMissing episodes\t1,200\t↓\t\t1,150\t2015-06-30\n\
                  Protect\t\tReferrals to the MASH\t40\tlower\t\t\t\n";
    let imported = tsv(source)?;
    assert_eq!(
        described(&imported.plan),
        [
            "M1 on 1.1: \"Children screened with the CSE tool\" target 85 Some(\"%\") \
             HigherIsBetter ± 2.5 readings [\"80 on 2015-06-30\"]",
            "M2 on 1.1: \"Missing episodes\" target 1200 None LowerIsBetter ± 0 readings \
             [\"1150 on 2015-06-30\"]",
            "M3 on 1.2: \"Referrals to the MASH\" target 40 None LowerIsBetter ± 0 readings []",
        ]
    );
    // The indicator rows make no action; the row with an action keeps it.
    let titles: Vec<&str> = imported.plan.actions().map(|a| a.title.as_str()).collect();
    assert_eq!(titles, ["Train staff"]);
    assert_eq!(diagnostics(&imported), Vec::<String>::new());
    assert_eq!(node_notes(&imported.plan), Vec::<String>::new());
    // A number is kept as its value: of `1,200` and `1,150` the plan has 1200 and
    // 1150, not the words either side of the comma.
    assert_eq!(
        lost_words(std::iter::once(source), &imported),
        ["150 ×1 in the rows, kept 0 in the plan", "200 ×1 in the rows, kept 0 in the plan"]
    );
    insta::assert_snapshot!("measures-plan", imported.plan.to_json());
    let table = assert_round_trip(&imported.plan)?;
    assert_eq!(
        table,
        "Sub Objectives\tActions\tKPI\tTarget\tPolarity\tTolerance\tActual\tAs at\n\
         Prevent\t\tChildren screened with the CSE tool\t85%\thigher is better\t2.5%\t80%\t2015-06-30\n\
         \t\tMissing episodes\t1200\tlower is better\t\t1150\t2015-06-30\n\
         \tTrain staff\t\t\t\t\t\t\n\
         Protect\t\tReferrals to the MASH\t40\tlower is better\t\t\t\n"
    );
    Ok(())
}

/// A scorecard of indicators alone, with no action column, is a plan of measures:
/// its header is found by the indicator, and it is no `no-actions` warning.
#[test]
fn a_scorecard_with_no_action_column_had_no_header() -> Result<(), ImportError> {
    let source = "Theme\tIndicator\tTarget\tDirection\tValue\tAs at\n\
                  Prevent\tReturn interviews within 72 hours\t90%\tup\t78%\t31 March 2015\n\
                  Protect\tRepeat missing episodes\t10\tdown\t12\t31/03/2015\n";
    let imported = tsv(source)?;
    assert_eq!(
        described(&imported.plan),
        [
            "M1 on 1: \"Return interviews within 72 hours\" target 90 Some(\"%\") HigherIsBetter \
             ± 0 readings [\"78 on 2015-03-31\"]",
            "M2 on 2: \"Repeat missing episodes\" target 10 None LowerIsBetter ± 0 readings \
             [\"12 on 2015-03-31\"]",
        ]
    );
    assert_eq!(imported.plan.n_actions(), 0);
    assert_eq!(diagnostics(&imported), Vec::<String>::new());
    assert_round_trip(&imported.plan)?;
    Ok(())
}

/// Every header synonym of every measure field reads its column.
#[test]
fn every_measure_synonym_reads_its_column() -> Result<(), ImportError> {
    let fields = [
        (Field::Indicator, "Children screened"),
        (Field::Unit, "children"),
        (Field::Target, "85"),
        (Field::Direction, "lower is better"),
        (Field::Tolerance, "5"),
        (Field::Actual, "80"),
        (Field::AsAt, "30/06/2015"),
    ];
    let want = Measure {
        key: ragplan_core::Key::new("M1").map_err(|_| ImportError::Empty)?,
        title: "Children screened".to_owned(),
        unit: Some("children".to_owned()),
        target: 85.0,
        direction: Direction::LowerIsBetter,
        tolerance: 5.0,
        readings: vec![Reading { on: day(2015, 6, 30), value: 80.0, note: None }],
    };
    for (field, _) in fields {
        assert!(!field.synonyms().is_empty(), "{field}");
        for synonym in field.synonyms() {
            let headers: Vec<&str> = std::iter::once("Actions")
                .chain(
                    fields
                        .iter()
                        .map(|(f, _)| if *f == field { *synonym } else { f.export_header() }),
                )
                .collect();
            let cells: Vec<&str> = std::iter::once("Train staff")
                .chain(fields.iter().map(|(_, cell)| *cell))
                .collect();
            let source = format!("{}\n{}\n", headers.join("\t"), cells.join("\t"));
            let imported = tsv(&source)?;
            let found: Vec<Measure> =
                measures(&imported.plan).into_iter().map(|(_, m)| m).collect();
            assert_eq!(found, std::slice::from_ref(&want), "{synonym}: {source}");
            assert_eq!(diagnostics(&imported), Vec::<String>::new(), "{synonym}");
        }
    }
    Ok(())
}

/// A target that is not a number makes no measure, and an indicator with no target
/// none either; a direction, tolerance, value or date that cannot be read is kept
/// beside the measure. Each is a diagnostic naming the row and column, and every text
/// is kept as a note of the measure's parent.
#[test]
fn measure_cells_that_cannot_be_read_are_kept_as_notes() -> Result<(), ImportError> {
    let source = "Actions\tIndicator\tTarget\tDirection\tTolerance\tValue\tAs at\n\
                  Train staff\tStaff trained\tabout 80\t\t\t\t\n\
                  \tAudits done\t\t\t\t\t\n\
                  \tMissing episodes\t10\tsideways\t-1\t12\tsoon\n\
                  \tReferrals\t40\t\t\tlots\t\n\
                  \tVisits\t5\tup\t\t7\t\n";
    let imported = tsv(source)?;
    assert_eq!(
        diagnostics(&imported),
        [
            "warning[not-a-number] row 2, column \"Target\": the target is not a number (such as \
             85, 85% or 1,200): no measure is made; the row's measure cells are kept as notes",
            "warning[no-target] row 3, column \"Indicator\": an indicator with no target: no \
             measure is made; the row's measure cells are kept as notes",
            "warning[not-a-direction] row 4, column \"Direction\": not a direction (higher or \
             lower is better): higher readings are taken as better; the text is kept as a note",
            "warning[not-a-number] row 4, column \"Tolerance\": the tolerance is not a number \
             from 0 (such as 2 or 2.5%): the measure's tolerance is 0; the text is kept as a note",
            "warning[not-a-date] row 4, column \"As at\": not a date (such as 30 June 2015 or \
             2015-06-30): no reading is made; the value and the date are kept as notes",
            "info[direction-assumed] row 5, column \"Direction\": no direction given: higher \
             readings are taken as better (a Direction column of `lower is better` says otherwise)",
            "warning[not-a-number] row 5, column \"Value\": the value is not a number (such as 62 \
             or 62%): no reading is made; the value is kept as a note",
            "warning[undated-reading] row 6, column \"Value\": no as-at date, and the plan has no \
             report date (give an As at column or --reported-on): no reading is made; the value \
             is kept as a note",
        ]
    );
    assert_eq!(
        described(&imported.plan),
        [
            "M1 on 1: \"Missing episodes\" target 10 None HigherIsBetter ± 0 readings []",
            "M2 on 1: \"Referrals\" target 40 None HigherIsBetter ± 0 readings []",
            "M3 on 1: \"Visits\" target 5 None HigherIsBetter ± 0 readings []",
        ]
    );
    assert_eq!(
        node_notes(&imported.plan),
        [
            "1: Indicator = \"Staff trained\\nAudits done\"",
            "1: Target = \"about 80\"",
            "1: Direction = \"sideways\"",
            "1: Tolerance = \"-1\"",
            "1: Value = \"12\\nlots\\n7\"",
            "1: As at = \"soon\"",
        ]
    );
    // The row with an action keeps it; the rows with only an indicator make none.
    assert_eq!(imported.plan.n_actions(), 1);
    // A direction is kept as the one it reads as: `up` is higher is better.
    assert_eq!(
        lost_words(std::iter::once(source), &imported),
        ["up ×1 in the rows, kept 0 in the plan"]
    );
    assert_round_trip(&imported.plan)?;
    Ok(())
}

/// A value with no as-at date is dated the plan's report date when the import knows
/// one: from `--reported-on`, or from a full date in the title line.
#[test]
fn a_value_with_no_as_at_date_takes_the_report_date() -> Result<(), ImportError> {
    let table = "Actions\tIndicator\tTarget\tValue\n\tVisits\t5\t7\n";
    let given =
        ImportOptions::for_format(SourceFormat::Tsv).with_reported_on(Some(day(2015, 6, 30)));
    let from_title = format!("CSE delivery plan – update 30 June 2015\n\n{table}");
    for imported in [import(table.as_bytes(), &given)?, tsv(&from_title)?] {
        let lines = diagnostics(&imported);
        let reading: Vec<&String> =
            lines.iter().filter(|d| d.contains("reading-on-report-date")).collect();
        assert_eq!(
            reading,
            [&format!(
                "info[reading-on-report-date] row {}, column \"Value\": no as-at date: the \
                 reading is dated 30 June 2015, the plan's report date",
                if imported.plan.metadata.contains_key("preamble") { 4 } else { 2 }
            )]
        );
        assert_eq!(
            described(&imported.plan),
            ["M1 on 1: \"Visits\" target 5 None HigherIsBetter ± 0 readings [\"7 on 2015-06-30\"]"]
        );
        assert_round_trip(&imported.plan)?;
    }
    Ok(())
}

/// A key on a row with only an indicator is the measure's; one another part of the
/// plan has is renumbered with a warning, one that is not a key is kept as a note, and
/// the rest take the next free of M1, M2, ….
#[test]
fn measure_keys_come_from_the_key_column_where_unique() -> Result<(), ImportError> {
    let source = "Ref\tSub Objectives\tActions\tIndicator\tTarget\n\
                  A1\tPrevent\tTrain staff\t\t\n\
                  M1\t\t\tScreened\t80\n\
                  1.1\t\t\tAudited\t90\n\
                  K 9\t\t\tVisited\t5\n\
                  \t\tPublish the guide\tReached\t70\n";
    let imported = tsv(source)?;
    let keys: Vec<String> = measures(&imported.plan)
        .iter()
        .map(|(p, m)| format!("{} {} on {p}", m.key, m.title))
        .collect();
    assert_eq!(
        keys,
        ["M1 Screened on 1.1", "M2 Audited on 1.1", "M3 Visited on 1.1", "M4 Reached on 1.1"]
    );
    let actions: Vec<String> =
        imported.plan.actions().map(|a| format!("{} {}", a.key, a.title)).collect();
    assert_eq!(actions, ["A1 Train staff", "1.1.2 Publish the guide"]);
    let warnings: Vec<String> =
        diagnostics(&imported).into_iter().filter(|d| !d.starts_with("info")).collect();
    assert_eq!(
        warnings,
        [
            "warning[bad-key] row 5, column \"Ref\": key \"K 9\" contains ' '; use letters, \
             digits, '.', '-' and '_'; the measure takes the next free key of M1, M2, …; the key \
             is kept as a note",
            "warning[duplicate-key-renumbered] row 4, column \"Ref\": key \"1.1\" is already the \
             key of another part of the plan; the measure is keyed M2",
        ]
    );
    assert_eq!(node_notes(&imported.plan), ["1.1: Ref = \"K 9\\n1.1\""]);
    assert_round_trip(&imported.plan)?;
    Ok(())
}

/// An indicator with no target and, on another row, a target with no indicator are
/// both notes of their objective: the export wrote them on one row, which imported
/// again as a measure (found by the round-trip property test).
#[test]
fn an_indicator_and_a_target_kept_as_notes_came_back_as_a_measure() -> Result<(), ImportError> {
    let source = "Sub Objectives\tKPI\tTarget\n\
                  \tGreen\t\n\
                  \t\t85\n\
                  \tGreen\t85\n\
                  Green\t\t\n";
    let imported = tsv(source)?;
    assert_eq!(node_notes(&imported.plan), ["1: KPI = \"Green\"", "1: Target = \"85\""]);
    assert_eq!(
        described(&imported.plan),
        ["M1 on 1: \"Green\" target 85 None HigherIsBetter ± 0 readings []"]
    );
    let table = assert_round_trip(&imported.plan)?;
    assert_eq!(
        table,
        "Sub Objectives\tActions\tKPI\tTarget\tDirection\n\
         \t\tGreen\t\t\n\
         \t\t\t85\t\n\
         \t\tGreen\t85\thigher is better\n\
         Green\t\t\t\t\n"
    );
    Ok(())
}
