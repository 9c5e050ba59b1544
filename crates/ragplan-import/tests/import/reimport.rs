//! Re-import of a newer version of the Coventry plan: history kept, changes reported;
//! and export back to a table.

use chrono::NaiveDate;
use ragplan_core::{Key, Override, Plan, Rating, Update};
use ragplan_import::{
    ChangeKind, ExportFormat, ImportOptions, MatchBy, ReimportOptions, export, import, reimport,
};

use crate::common::fixture;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn key(text: &str) -> Key {
    Key::new(text).unwrap_or_else(|e| panic!("{e}"))
}

fn options() -> ImportOptions {
    ImportOptions::default().with_file_name(Some("coventry-cse-delivery-plan.tsv".into()))
}

fn import_text(text: &str) -> Plan {
    import(text.as_bytes(), &options()).map(|i| i.plan).unwrap_or_else(|e| panic!("{e}"))
}

const REMOVED: &str =
    "Information sharing agreement to be in place to allow sharing of information";
const OLD_TITLE: &str =
    "Clear policies and procedures are in place and communicated to the children's work force.";
const NEW_TITLE: &str = "Clear policies and procedures are in place and communicated to the whole children's work force.";
const ADDED: &str =
    "\t\tQuarterly review of CSE cases with the CPS\tAmber\t\t\t\tWMP\t\tQ2 2015/16\t\t\n";

#[test]
fn reimport_keeps_history_and_reports_changes() -> Result<(), Box<dyn std::error::Error>> {
    let text = String::from_utf8(fixture("coventry-cse-delivery-plan.tsv"))?;
    let mut stored = import_text(&text);

    // Progress recorded against two actions since the first import, and an override.
    let first = stored.action_mut(&key("1.1.1")).ok_or("no 1.1.1")?;
    let mut update = Update::new(date(2015, 6, 1), "Mandie Watson");
    update.delivery = Some(Rating::Green);
    update.note = Some("Problem profile refreshed".into());
    first.updates.push(update);
    let retitled = stored.action_mut(&key("1.2.1")).ok_or("no 1.2.1")?;
    assert!(retitled.title.starts_with(OLD_TITLE));
    retitled.updates.push(Update::new(date(2015, 6, 15), "Sue Whitmore"));
    retitled.overrides = vec![Override::new(
        Rating::Amber,
        "LSCB chair",
        date(2015, 6, 30),
        "Roll-out to schools not yet evidenced",
    )?];

    // The newer table: row 49 deleted, row 50 retitled, one action added at the end.
    let lines: Vec<&str> = text.lines().filter(|l| !l.contains(REMOVED)).collect();
    assert_eq!(lines.len(), text.lines().count() - 1);
    let newer_text = format!("{}\n{ADDED}", lines.join("\n")).replace(OLD_TITLE, NEW_TITLE);
    let newer = import_text(&newer_text);

    let merged = reimport(&stored, &newer, &ReimportOptions::default());
    let changes: Vec<String> = merged.changes.iter().map(|c| c.to_string()).collect();
    assert_eq!(
        changes,
        [
            format!(
                r#"changed 1.2.1 "{NEW_TITLE} Professional understand information guidance and responsibilities" (was titled "{OLD_TITLE} Professional understand information guidance and responsibilities"): title"#
            ),
            r#"added 1.17.2 "Quarterly review of CSE cases with the CPS""#.to_owned(),
            format!(r#"removed 1.1.2 "{REMOVED}""#),
        ]
    );
    let plan = &merged.plan;
    // 34 actions before; one removed (kept, marked) and one added: 35 in the plan.
    assert_eq!(plan.n_actions(), 35);
    assert_eq!(plan.actions().filter(|a| a.removed).count(), 1);
    let kept = plan.action(&key("1.1.1")).ok_or("no 1.1.1")?;
    assert_eq!(kept.updates.len(), 1);
    assert_eq!(kept.updates[0].note.as_deref(), Some("Problem profile refreshed"));
    let retitled = plan.action(&key("1.2.1")).ok_or("no 1.2.1")?;
    assert!(retitled.title.starts_with(NEW_TITLE));
    assert_eq!(retitled.updates.len(), 1);
    assert_eq!(retitled.overrides.last().map(|o| o.by.as_str()), Some("LSCB chair"));
    // The removed action sits under its old sub-objective, its text intact.
    let removed = plan.action(&key("1.1.2")).ok_or("no 1.1.2")?;
    assert!(removed.removed);
    assert_eq!(removed.title, REMOVED);
    assert_eq!(plan.objectives[0].sub_objectives[0].actions.len(), 2);

    // With prune, the removed action goes, and is still reported.
    let mut prune = ReimportOptions::default();
    prune.prune = true;
    let pruned = reimport(&stored, &newer, &prune);
    assert_eq!(pruned.plan.n_actions(), 34);
    assert_eq!(pruned.changes.iter().filter(|c| c.kind == ChangeKind::Removed).count(), 1);

    // Re-importing the same table changes nothing: the action removed before is not
    // reported removed again (it was, each time).
    let same = reimport(&merged.plan, &newer, &ReimportOptions::default());
    let kinds: Vec<ChangeKind> = same.changes.iter().map(|c| c.kind).collect();
    assert_eq!(kinds, []);
    assert!(same.plan.action(&key("1.1.2")).is_some_and(|a| a.removed));
    Ok(())
}

#[test]
fn keys_from_the_source_match_by_key() -> Result<(), Box<dyn std::error::Error>> {
    let old = import(
        b"Ref\tActions\tRAG\nA1\tTrain staff\tRed\nA2\tAudit files\tAmber\n",
        &ImportOptions::default(),
    )?;
    let new = import(
        b"Ref\tActions\tRAG\nA2\tAudit all case files\tGreen\nA1\tTrain staff\tRed\n",
        &ImportOptions::default(),
    )?;
    let merged = reimport(&old.plan, &new.plan, &ReimportOptions::default());
    let changes: Vec<String> = merged.changes.iter().map(|c| c.to_string()).collect();
    assert_eq!(
        changes,
        [r#"changed A2 "Audit all case files" (was titled "Audit files"): title, action_rag"#]
    );
    // Matching by title instead sees one action gone and one new.
    let mut by_title = ReimportOptions::default();
    by_title.match_by = MatchBy::Title;
    by_title.prune = true;
    let merged = reimport(&old.plan, &new.plan, &by_title);
    let kinds: Vec<ChangeKind> = merged.changes.iter().map(|c| c.kind).collect();
    assert_eq!(kinds, [ChangeKind::Changed]);
    Ok(())
}

#[test]
fn fixtures_round_trip_through_export() -> Result<(), Box<dyn std::error::Error>> {
    for name in ["coventry-cse-delivery-plan.tsv", "plymouth-timetable.tsv"] {
        let opts = ImportOptions::default()
            .with_title(Some("Plan".into()))
            .with_id(ragplan_core::PlanId::new("plan").ok());
        let first = import(&fixture(name), &opts)?.plan;
        for format in [ExportFormat::Csv, ExportFormat::Tsv] {
            let table = export(&first, format);
            let second = import(table.as_bytes(), &opts)?.plan;
            assert_eq!(first.objectives, second.objectives, "{name} {format}");
            assert_eq!(export(&second, format), table, "{name} {format}");
        }
    }
    Ok(())
}

/// Re-import once kept the overrides of actions only: judgements on the plan itself,
/// an objective or a sub-objective were lost with the older version.
#[test]
fn reimport_lost_the_overrides_of_parents_and_the_plan() -> Result<(), Box<dyn std::error::Error>> {
    let text = String::from_utf8(fixture("coventry-cse-delivery-plan.tsv"))?;
    let mut stored = import_text(&text);
    let judged = |rating| Override::new(rating, "LSCB chair", date(2015, 6, 30), "Board's view");
    stored.set_plan_override(judged(Rating::Amber)?)?;
    stored.set_override(&key("1"), judged(Rating::Red)?)?;
    stored.set_override(&key("1.2"), judged(Rating::Green)?)?;
    let newer = import_text(&text);
    let merged = reimport(&stored, &newer, &ReimportOptions::default()).plan;
    assert_eq!(merged.overrides, stored.overrides);
    assert_eq!(merged.objectives[0].node.overrides, stored.objectives[0].node.overrides);
    let sub = |p: &Plan| {
        p.objectives[0]
            .sub_objectives
            .iter()
            .find(|s| s.key == key("1.2"))
            .map(|s| s.node.overrides.clone())
    };
    assert_eq!(sub(&merged), sub(&stored));
    assert_eq!(sub(&merged).map(|r| r.len()), Some(1));
    Ok(())
}

/// A CSV round trip renamed the plan: the newer file's name became its id and title.
#[test]
fn reimport_kept_the_new_file_name_as_the_plan_title() -> Result<(), Box<dyn std::error::Error>> {
    let named = |file: &str| ImportOptions::default().with_file_name(Some(file.into()));
    let table = b"Actions\tRAG\nPublish leaflets\tAmber\n";
    let mut stored = import(table, &named("coventry-cse-delivery-plan.tsv"))?.plan;
    stored.title = "Coventry CSE delivery plan".into();
    let newer = import(table, &named("plan-export-q2.tsv"))?.plan;
    assert_eq!(newer.title, "plan-export-q2");

    let merged = reimport(&stored, &newer, &ReimportOptions::default()).plan;
    assert_eq!(
        (merged.id.as_str(), merged.title.as_str()),
        (stored.id.as_str(), stored.title.as_str())
    );

    // Given ones win.
    let mut given = ReimportOptions::default();
    given.id = ragplan_core::PlanId::new("coventry").ok();
    given.title = Some("Coventry CSE plan 2015/16".into());
    let merged = reimport(&stored, &newer, &given).plan;
    assert_eq!(
        (merged.id.as_str(), merged.title.as_str()),
        ("coventry", "Coventry CSE plan 2015/16")
    );
    Ok(())
}

/// A recommendations plan exported to a table and imported again into the stored plan
/// came back with its recommendations numbered by position (1.1 … 1.11) instead of
/// R1 … R11 (a table keys only its actions).
#[test]
fn export_then_import_renumbered_r1_to_r11() -> Result<(), Box<dyn std::error::Error>> {
    let stored = import(&fixture("stockton-recommendations.txt"), &ImportOptions::default())?.plan;
    let keys = |plan: &Plan| -> Vec<String> { plan.nodes().map(|n| n.key().to_string()).collect() };
    assert_eq!(keys(&stored)[..4], ["1", "R1", "R1.1", "R2"]);
    for format in [ExportFormat::Tsv, ExportFormat::Csv] {
        let table = export(&stored, format);
        let newer = import(table.as_bytes(), &ImportOptions::default())?.plan;
        let merged = reimport(&stored, &newer, &ReimportOptions::default());
        assert_eq!(keys(&merged.plan), keys(&stored), "{format}\n{table}");
        assert_eq!(merged.plan.objectives, stored.objectives, "{format}");
        assert_eq!(merged.changes, [], "{format}");
    }
    Ok(())
}

/// Bug: a timescale set with `ragplan edit` after the table was reported was undone
/// by importing that table again, its blank cell taken for the newer value, with no
/// warning. An edit stands against a table reported before it (or with no report
/// date), as an update does; a table reported after it wins.
#[test]
fn an_older_table_undid_a_later_edit() -> Result<(), Box<dyn std::error::Error>> {
    let table = |due: &str, lead: &str| {
        format!(
            "Actions\tLead\tTarget date\nPublish leaflets\t{lead}\t{due}\nTrain staff\tChair\t\n"
        )
    };
    let reported = |on: Option<NaiveDate>| ImportOptions::default().with_reported_on(on);
    let read = |text: String, on| import(text.as_bytes(), &reported(on)).map(|i| i.plan);
    let mut stored = read(table("31/12/2015", "Chair"), Some(date(2015, 3, 31)))?;
    let changes = ragplan_core::Changes {
        timescale: Some("31 March 2016".to_owned()),
        ..ragplan_core::Changes::default()
    };
    stored.edit(&key("1.1"), changes, "Sam Analyst", date(2015, 7, 1))?;
    let older = read(table("", "Chair"), Some(date(2015, 6, 15)))?;
    let merged = reimport(&stored, &older, &ReimportOptions::default());
    let action = merged.plan.action(&key("1.1")).ok_or("no 1.1")?;
    assert_eq!(action.timescale.text, "31 March 2016");
    assert_eq!(action.timescale.due, Some(date(2016, 3, 31)));
    let shown: Vec<String> = merged.diagnostics.iter().map(|d| d.to_string()).collect();
    assert_eq!(
        shown,
        [
            r#"warning[edit-kept] column "Target date": action 1.1: the table's timescale blank was reported on 15 June 2015, not after the edit of 1 July 2015 by Sam Analyst; the edited "31 March 2016" stands"#
        ]
    );
    assert!(merged.changes.is_empty(), "{:?}", merged.changes);
    // The fields the edit did not set are the table's: a new lead is taken.
    let newer_lead = read(table("", "Debbie Carter"), Some(date(2015, 6, 15)))?;
    let merged = reimport(&stored, &newer_lead, &ReimportOptions::default());
    let action = merged.plan.action(&key("1.1")).ok_or("no 1.1")?;
    assert_eq!(action.accountable[0].name, "Debbie Carter");
    assert_eq!(action.timescale.text, "31 March 2016");
    // With no report date the edit stands, and the warning says why.
    let merged = reimport(&stored, &read(table("", "Chair"), None)?, &ReimportOptions::default());
    assert!(merged.diagnostics[0].message.contains("the table has no report date"));
    // A table reported after the edit is newer: its date replaces the edited one.
    let newer = read(table("30/09/2016", "Chair"), Some(date(2015, 9, 30)))?;
    let merged = reimport(&stored, &newer, &ReimportOptions::default());
    let action = merged.plan.action(&key("1.1")).ok_or("no 1.1")?;
    assert_eq!(action.timescale.text, "30/09/2016");
    assert!(merged.diagnostics.is_empty());
    Ok(())
}

/// A table reported before the analyst's latest update overwrote the update's
/// rating: the older paper's Red replaced the Green logged after it.
#[test]
fn an_older_table_overwrote_a_later_update() -> Result<(), Box<dyn std::error::Error>> {
    let table = |rating: &str| {
        format!("Actions\tAction RAG\nPublish leaflets\t{rating}\nTrain staff\tAmber\n")
    };
    let reported = |on: Option<NaiveDate>| ImportOptions::default().with_reported_on(on);
    let read = |text: String, on| import(text.as_bytes(), &reported(on)).map(|i| i.plan);
    let mut stored = read(table("Amber"), Some(date(2015, 3, 31)))?;
    let mut update = Update::new(date(2015, 7, 15), "Mandie Watson");
    update.delivery = Some(Rating::Green);
    stored.apply(&key("1.1"), update)?;

    let cases = [
        // A paper of 30 June, before the update of 15 July: the update stands.
        (
            Some(date(2015, 6, 30)),
            Rating::Green,
            vec![
                r#"warning[update-kept] column "Action RAG": action 1.1: the table's rating Red was reported on 30 June 2015, not after the update of 15 July 2015; the update's Green stands"#,
            ],
        ),
        // The same day: not newer either.
        (
            Some(date(2015, 7, 15)),
            Rating::Green,
            vec![
                r#"warning[update-kept] column "Action RAG": action 1.1: the table's rating Red was reported on 15 July 2015, not after the update of 15 July 2015; the update's Green stands"#,
            ],
        ),
        // No date: the update stands, and the diagnostic says why.
        (
            None,
            Rating::Green,
            vec![
                r#"warning[update-kept] column "Action RAG": action 1.1: the table has no report date, so its rating Red is not known to be newer than the update of 15 July 2015; the update's Green stands (give --reported-on)"#,
            ],
        ),
        // A paper of 30 September: the table's rating replaces it.
        (Some(date(2015, 9, 30)), Rating::Red, vec![]),
    ];
    for (on, want, diagnostics) in cases {
        let merged = reimport(&stored, &read(table("Red"), on)?, &ReimportOptions::default());
        let action = merged.plan.action(&key("1.1")).ok_or("no 1.1")?;
        assert_eq!(action.action_rag, Some(want), "{on:?}");
        // The stored updates, then, for a table reported after them that changed
        // the rating, that change as an update of the table's date.
        let logged: Vec<&Update> = action.updates.iter().collect();
        let kept: Vec<&Update> =
            stored.action(&key("1.1")).ok_or("no 1.1")?.updates.iter().collect();
        assert_eq!(logged[..kept.len()], kept[..], "{on:?}");
        let by_table: Vec<(NaiveDate, Option<Rating>)> =
            logged[kept.len()..].iter().map(|u| (u.on, u.delivery)).collect();
        let expect = if diagnostics.is_empty() {
            vec![(date(2015, 9, 30), Some(Rating::Red))]
        } else {
            vec![]
        };
        assert_eq!(by_table, expect, "{on:?}");
        let shown: Vec<String> = merged.diagnostics.iter().map(|d| d.to_string()).collect();
        assert_eq!(shown, diagnostics, "{on:?}");
        // The action with no update takes the table's rating whatever its date.
        assert_eq!(
            merged.plan.action(&key("1.2")).map(|a| a.action_rag),
            Some(Some(Rating::Amber))
        );
    }
    Ok(())
}

/// A newer table with a blank rating cell, reported after the analyst's update,
/// wiped the update's rating; reported before it, it warned that the table's
/// rating "none" was kept out. A blank cell says nothing: the update's rating stands,
/// with no warning.
#[test]
fn a_blank_cell_in_a_newer_table_wiped_a_logged_rating() -> Result<(), Box<dyn std::error::Error>> {
    use ragplan_core::{Key, Rating, Update};
    let table = "Actions\tAction RAG\tTimescale\nTrain taxi drivers\tRed\tMarch 2016\n";
    let mut stored =
        ragplan_import::import(table.as_bytes(), &ragplan_import::ImportOptions::default())?.plan;
    let key: Key = stored.actions().next().map(|a| a.key.clone()).ok_or("no action")?;
    let mut update =
        Update::new(chrono::NaiveDate::from_ymd_opt(2015, 7, 15).ok_or("date")?, "R Eaves");
    update.delivery = Some(Rating::Green);
    stored.apply(&key, update)?;
    let blank = "Actions\tAction RAG\tTimescale\nTrain taxi drivers\t\tMarch 2016\n";
    for reported in [(2015, 6, 30), (2015, 9, 30)] {
        let options = ragplan_import::ImportOptions::default()
            .with_reported_on(chrono::NaiveDate::from_ymd_opt(reported.0, reported.1, reported.2));
        let newer = ragplan_import::import(blank.as_bytes(), &options)?.plan;
        let merged =
            ragplan_import::reimport(&stored, &newer, &ragplan_import::ReimportOptions::default());
        let action = merged.plan.actions().next().ok_or("no action")?;
        assert_eq!(action.action_rag, Some(Rating::Green), "reported {reported:?}");
        assert!(
            merged.diagnostics.iter().all(|d| d.code != "update-kept"),
            "{:?}",
            merged.diagnostics
        );
    }
    Ok(())
}

/// Evidence added with `ragplan update --evidence` was wiped from the action by a
/// re-import whose Evidence cell was blank (the update's log kept it, the action
/// no longer showed it). A blank cell now keeps the stored evidence; a table listing
/// other evidence gains what the updates added unless it was reported after them.
#[test]
fn a_blank_evidence_cell_wiped_the_evidence_an_update_added()
-> Result<(), Box<dyn std::error::Error>> {
    let table = |evidence: &str| {
        format!("Actions\tEvidence\nPublish leaflets\t{evidence}\nTrain staff\tTraining log\n")
    };
    let reported = |on: Option<NaiveDate>| ImportOptions::default().with_reported_on(on);
    let read = |text: String, on| import(text.as_bytes(), &reported(on)).map(|i| i.plan);
    let mut stored = read(table(""), Some(date(2015, 3, 31)))?;
    let mut update = Update::new(date(2015, 7, 15), "Mandie Watson");
    update.evidence = Some("Print order of 4 June".to_owned());
    stored.apply(&key("1.1"), update)?;
    let evidence = |plan: &Plan| plan.action(&key("1.1")).map(|a| a.evidence.clone());
    assert_eq!(evidence(&stored), Some(vec!["Print order of 4 June".to_owned()]));

    let cases = [
        // A blank cell says nothing, whatever the table's date.
        ("", Some(date(2015, 9, 30)), vec!["Print order of 4 June"], 0),
        ("", None, vec!["Print order of 4 June"], 0),
        // Other evidence, reported before the update: the update's is added.
        (
            "Draft leaflet",
            Some(date(2015, 6, 30)),
            vec!["Draft leaflet", "Print order of 4 June"],
            1,
        ),
        ("Draft leaflet", None, vec!["Draft leaflet", "Print order of 4 June"], 1),
        // Reported after the update: the table's list stands.
        ("Draft leaflet", Some(date(2015, 9, 30)), vec!["Draft leaflet"], 0),
    ];
    for (cell, on, want, warnings) in cases {
        let merged = reimport(&stored, &read(table(cell), on)?, &ReimportOptions::default());
        let want: Vec<String> = want.into_iter().map(str::to_owned).collect();
        assert_eq!(evidence(&merged.plan), Some(want), "{cell:?} {on:?}");
        let kept: Vec<String> = merged
            .diagnostics
            .iter()
            .filter(|d| d.code == "update-kept")
            .map(|d| d.to_string())
            .collect();
        assert_eq!(kept.len(), warnings, "{cell:?} {on:?}: {kept:?}");
        assert!(kept.iter().all(|k| k.contains("\"Print order of 4 June\", is kept")), "{kept:?}");
        assert_eq!(merged.plan.action(&key("1.2")).map(|a| a.evidence.len()), Some(1));
    }
    Ok(())
}

/// Bug: a table with no objective column gives its actions one objective titled from
/// the file's name, and `import cov-q2.tsv --into coventry.json` renamed the stored
/// objective "cov-q2" though it kept the plan's title. The merged objective now keeps
/// the stored one's title and key.
#[test]
fn import_into_renamed_the_objective_to_the_new_file_name() -> Result<(), Box<dyn std::error::Error>>
{
    let named = |file: &str| ImportOptions::default().with_file_name(Some(file.into()));
    let stored = import(b"Actions\tRAG\nPublish leaflets\tAmber\n", &named("coventry.tsv"))?.plan;
    let newer = import(b"Actions\tRAG\nPublish leaflets\tGreen\n", &named("cov-q2.tsv"))?.plan;
    assert_eq!(newer.objectives[0].title, "cov-q2");

    let merged = reimport(&stored, &newer, &ReimportOptions::default()).plan;
    let titles: Vec<(&str, &str)> =
        merged.objectives.iter().map(|o| (o.key.as_str(), o.title.as_str())).collect();
    assert_eq!(titles, [("1", "coventry")]);
    // So an export writes no objective column the stored plan's did not have.
    assert!(!export(&merged, ExportFormat::Tsv).starts_with("Objective"));

    // A table that names its objectives keeps its own.
    let with_objectives = |objective: &str| {
        format!("Objective\tActions\tRAG\n{objective}\tPublish leaflets\tGreen\n")
    };
    let stored = import(with_objectives("Prevent").as_bytes(), &named("coventry.tsv"))?.plan;
    let newer = import(with_objectives("Protect").as_bytes(), &named("cov-q2.tsv"))?.plan;
    let merged = reimport(&stored, &newer, &ReimportOptions::default()).plan;
    assert_eq!(merged.objectives[0].title, "Protect");
    Ok(())
}

/// Bug: `import OLD.txt --into plan.json` into a plan reported on 30 September 2015
/// put back the older source's ratings with no warning: ratings a table merged
/// earlier are the stored plan's, not logged updates, so nothing guarded them. The
/// stored plan's `reported_on` is now the date of its table's values: they stand
/// against a table reported before it, and against one with no report date with a
/// warning asking for `--reported-on`; a table reported on or after it replaces them.
#[test]
fn an_undated_older_source_overwrote_the_ratings_of_a_dated_plan()
-> Result<(), Box<dyn std::error::Error>> {
    let table = |rating: &str, status: &str| {
        format!(
            "Actions\tAction RAG\tProgress status\tProgress\n\
             Publish leaflets\t{rating}\t{status}\t80%\nTrain staff\tAmber\t\t\n"
        )
    };
    let reported = |on: Option<NaiveDate>| ImportOptions::default().with_reported_on(on);
    let read = |text: String, on| import(text.as_bytes(), &reported(on)).map(|i| i.plan);
    let stored = read(table("Green", "Complete"), Some(date(2015, 9, 30)))?;
    let older = table("Red", "In progress").replace("80%", "20%");

    let undated = reimport(&stored, &read(older.clone(), None)?, &ReimportOptions::default());
    let action = undated.plan.action(&key("1.1")).ok_or("no 1.1")?;
    assert_eq!(
        (action.action_rag, action.status, action.progress),
        (Some(Rating::Green), Some(ragplan_core::Status::Complete), Some(80))
    );
    let shown: Vec<String> = undated.diagnostics.iter().map(|d| d.to_string()).collect();
    assert_eq!(
        shown,
        [
            r#"warning[report-kept] column "Action RAG": action 1.1: the table has no report date, so its rating Red is not known to be newer than the stored plan's report of 30 September 2015; the stored Green stands (give --reported-on)"#,
            r#"warning[report-kept] column "Progress status": action 1.1: the table has no report date, so its status in progress is not known to be newer than the stored plan's report of 30 September 2015; the stored complete stands (give --reported-on)"#,
            r#"warning[report-kept] column "Progress": action 1.1: the table has no report date, so its progress 20% is not known to be newer than the stored plan's report of 30 September 2015; the stored 80% stands (give --reported-on)"#,
        ]
    );
    assert_eq!(undated.plan.reported_on, Some(date(2015, 9, 30)));

    // Reported before: the stored values stand too.
    let earlier = reimport(
        &stored,
        &read(older.clone(), Some(date(2015, 6, 30)))?,
        &ReimportOptions::default(),
    );
    let action = earlier.plan.action(&key("1.1")).ok_or("no 1.1")?;
    assert_eq!(action.action_rag, Some(Rating::Green));
    assert!(earlier.diagnostics[0].to_string().contains(
        "the table's rating Red was reported on 30 June 2015, before the stored plan's report \
         of 30 September 2015; the stored Green stands"
    ));

    // Reported on the same day or later: the table's values replace them.
    for on in [date(2015, 9, 30), date(2015, 12, 31)] {
        let later = reimport(&stored, &read(older.clone(), Some(on))?, &ReimportOptions::default());
        let action = later.plan.action(&key("1.1")).ok_or("no 1.1")?;
        assert_eq!((action.action_rag, action.progress), (Some(Rating::Red), Some(20)));
        assert_eq!(later.diagnostics, []);
        assert_eq!(later.plan.reported_on, Some(on));
    }
    Ok(())
}

/// Bug: `import q2.tsv --into plan.json` with the table dated 30 September 2015 added
/// its new action to every earlier quarter too (the Q1 report listed an action that
/// did not exist then), and an action the table dropped stayed removed when the plan
/// was rewound to Q1. A dated merge now logs each addition and removal as an edit on
/// the table's date, as `ragplan add` and `ragplan remove` do, so the plan as it stood
/// before that date is the plan it was; a new objective goes with its actions.
#[test]
fn an_action_added_by_a_dated_merge_appeared_in_earlier_quarters()
-> Result<(), Box<dyn std::error::Error>> {
    let reported = |on: Option<NaiveDate>| ImportOptions::default().with_reported_on(on);
    let read = |text: &str, on| import(text.as_bytes(), &reported(on)).map(|i| i.plan);
    let stored = read(
        "Objective\tActions\tRAG\nPrevent\tPublish leaflets\tGreen\nPrevent\tTrain staff\tAmber\n",
        Some(date(2015, 6, 30)),
    )?;
    let newer_text = "Objective\tActions\tRAG\n\
                      Prevent\tPublish leaflets\tGreen\n\
                      Prevent\tAudit cases\tAmber\n\
                      Protect\tMap hotspots\tRed\n\
                      Protect\tRun disruption panels\tRed\n";
    let sep = date(2015, 9, 30);
    let merged = reimport(&stored, &read(newer_text, Some(sep))?, &ReimportOptions::default());
    let live = |plan: &Plan| -> Vec<String> {
        plan.actions().filter(|a| !a.removed).map(|a| a.title.clone()).collect()
    };
    let objectives =
        |plan: &Plan| -> Vec<String> { plan.objectives.iter().map(|o| o.title.clone()).collect() };
    assert_eq!(
        live(&merged.plan),
        ["Publish leaflets", "Audit cases", "Map hotspots", "Run disruption panels"]
    );
    // As it stood at the end of June: the stored plan's actions, none removed.
    let june = merged.plan.as_it_stood(date(2015, 6, 30));
    assert_eq!(live(june.plan()), ["Publish leaflets", "Train staff"]);
    assert_eq!(objectives(june.plan()), ["Prevent"]);
    // On the table's date and after, the merged plan.
    let then = merged.plan.as_it_stood(sep);
    assert_eq!(live(then.plan()), live(&merged.plan));
    // Each addition and removal is in the change log, by the table.
    let logged: Vec<(String, String)> = merged
        .plan
        .edits
        .iter()
        .filter(|e| e.on == sep)
        .map(|e| (e.key.to_string(), format!("{:?}", e.changes[0].field)))
        .collect();
    let want = [("1.2", "Added"), ("2", "Added"), ("1.2-removed", "Removed")];
    let want: Vec<(String, String)> =
        want.iter().map(|(k, f)| ((*k).to_owned(), (*f).to_owned())).collect();
    assert_eq!(logged, want);
    assert!(merged.plan.edits.iter().filter(|e| e.on == sep).all(|e| e.by == "the imported table"));

    // A merge with no date says nothing of when: no edit is logged.
    let undated = reimport(&stored, &read(newer_text, None)?, &ReimportOptions::default());
    assert!(undated.plan.edits.is_empty());
    Ok(())
}

/// Bug: an update of 15 July noted "Funding not agreed"; the table merged for 30
/// September said "Funding agreed" in its Comments column, but the report went on
/// showing the July note as the action's latest (an update's note always came before
/// the table's). A dated table's changed note is now logged as an update of its date
/// by the table, as its changed ratings are, so the later word is the latest; a
/// blank cell, or a table older than the update, leaves the update's note latest.
#[test]
fn a_later_tables_note_lost_to_an_earlier_updates_note() -> Result<(), Box<dyn std::error::Error>> {
    let table = |note: &str| format!("Actions\tComments\nPublish leaflets\t{note}\n");
    let reported = |on: Option<NaiveDate>| ImportOptions::default().with_reported_on(on);
    let read = |text: String, on| import(text.as_bytes(), &reported(on)).map(|i| i.plan);
    let mut stored = read(table("Draft agreed"), Some(date(2015, 6, 30)))?;
    let mut update = Update::new(date(2015, 7, 15), "Mandie Watson");
    update.note = Some("Funding not agreed".to_owned());
    stored.apply(&key("1.1"), update)?;
    let latest =
        |plan: &Plan| plan.action(&key("1.1")).and_then(|a| a.latest_note().map(str::to_owned));
    assert_eq!(latest(&stored).as_deref(), Some("Funding not agreed"));

    let cases = [
        ("Funding agreed", Some(date(2015, 9, 30)), "Funding agreed"),
        // Blank: the stored note stands, and the update's is still the latest.
        ("", Some(date(2015, 9, 30)), "Funding not agreed"),
        // Reported before the update, or undated: the update's note is later.
        ("Funding agreed", Some(date(2015, 7, 1)), "Funding not agreed"),
        ("Funding agreed", None, "Funding not agreed"),
    ];
    for (cell, on, want) in cases {
        let merged = reimport(&stored, &read(table(cell), on)?, &ReimportOptions::default());
        assert_eq!(latest(&merged.plan).as_deref(), Some(want), "{cell:?} {on:?}");
    }
    // Rewound to before the table, the update's note is the latest again.
    let newer = read(table("Funding agreed"), Some(date(2015, 9, 30)))?;
    let merged = reimport(&stored, &newer, &ReimportOptions::default()).plan;
    let august = merged.as_it_stood(date(2015, 8, 31));
    assert_eq!(latest(august.plan()).as_deref(), Some("Funding not agreed"));
    Ok(())
}

/// Bug: the Chair overrode sub-objective 1.3 ("Audit cases"); the next quarter's
/// table dropped the one row of sub-objective 1.2, so every sub-objective below it
/// moved up a place and took the key of the one above, and the merge put the
/// Chair's judgement on 1.3 — now "Review the plan", which the Chair never judged.
/// A parent's overrides (and measures) now follow the parent its actions and title
/// match, whatever key its place gives it; one the table no longer has is kept on
/// the plan's metadata, as before.
#[test]
fn an_override_moved_to_another_sub_objective_when_a_row_above_went()
-> Result<(), Box<dyn std::error::Error>> {
    let stored_text = "Sub Objectives\tActions\tRAG\n\
                       Share information\tAgree protocols\tGreen\n\
                       Map hotspots\tRun panels\tAmber\n\
                       Audit cases\tAudit files\tGreen\n\
                       \tReport findings\tGreen\n\
                       Review the plan\tRefresh the plan\tGreen\n";
    let mut stored = import_text(stored_text);
    let judged = Override::new(Rating::Red, "LSCB chair", date(2015, 6, 25), "Files not seen")?;
    stored.set_override(&key("1.3"), judged)?;
    let newer = import_text(&stored_text.replace("Map hotspots\tRun panels\tAmber\n", ""));
    let merged = reimport(&stored, &newer, &ReimportOptions::default()).plan;
    let judged: Vec<(String, String, usize)> = merged.objectives[0]
        .sub_objectives
        .iter()
        .map(|s| (s.key.to_string(), s.title.clone(), s.node.overrides.len()))
        .collect();
    let want =
        [("1.1", "Share information", 0), ("1.2", "Audit cases", 1), ("1.3", "Review the plan", 0)];
    let want: Vec<(String, String, usize)> =
        want.iter().map(|(k, t, n)| ((*k).to_owned(), (*t).to_owned(), *n)).collect();
    assert_eq!(judged, want);
    Ok(())
}

/// Bug: `ragplan edit plan.json 1.3 --timescale "December 2015"` on "Audit files",
/// then a merged table without the first action: every action below moved up and
/// took the key above, the change log kept the edit on key 1.3 — now another
/// action — and the plan as it stood before the edit put the old timescale back on
/// that other action. The stored log's edits now follow their nodes to the keys the
/// merged plan gives them; an edit of an action the merge deleted names no node.
#[test]
fn an_edit_stayed_on_its_old_key_when_a_merge_renumbered_the_actions()
-> Result<(), Box<dyn std::error::Error>> {
    let stored_text = "Actions\tTimescale\n\
                       Agree protocols\tApril 2015\n\
                       Run panels\tMay 2015\n\
                       Audit files\tJune 2015\n\
                       Refresh the plan\tJuly 2015\n";
    let mut stored = import_text(stored_text);
    let changes =
        ragplan_core::Changes { timescale: Some("December 2015".into()), ..Default::default() };
    stored.edit(&key("1.3"), changes, "Business Manager", date(2015, 7, 1))?;
    let newer = import_text(
        &stored_text
            .replace("Agree protocols\tApril 2015\n", "")
            .replace("Audit files\tJune 2015", "Audit files\tDecember 2015"),
    );
    let merged = reimport(&stored, &newer, &ReimportOptions::default()).plan;
    let keyed = |plan: &Plan, title: &str| {
        plan.actions()
            .find(|a| a.title == title)
            .map(|a| (a.key.to_string(), a.timescale.text.clone()))
    };
    assert_eq!(keyed(&merged, "Audit files"), Some(("1.2".to_owned(), "December 2015".to_owned())));
    assert_eq!(merged.edits.iter().map(|e| e.key.to_string()).collect::<Vec<_>>(), ["1.2"]);
    // As it stood in June, before the edit: Audit files was due in June, and the
    // action now keyed 1.3 kept its own timescale.
    let june = merged.as_it_stood(date(2015, 6, 30));
    assert_eq!(keyed(june.plan(), "Audit files").map(|k| k.1), Some("June 2015".to_owned()));
    assert_eq!(keyed(june.plan(), "Refresh the plan").map(|k| k.1), Some("July 2015".to_owned()));
    Ok(())
}

/// Bug: the table merged for 30 September moved "Audit files" from April 2015 to
/// December 2015 and gave "Train staff" a new owner and new evidence, and the Q1
/// report made after the merge showed the action Amber and due in December (it
/// was Red, overdue, at 30 June), the new owner in Q1's owner table, and the Q1
/// evidence was gone from the plan with nothing logged. A dated table's changes of
/// title, timescale, owners, partners, evidence and outcomes are now one edit of
/// its date by the table, as `ragplan edit` logs its own: the plan as it stood
/// before the date is the stored one, and what the table replaced is in the log.
#[test]
fn a_merged_timescale_rewrote_the_quarter_before() -> Result<(), Box<dyn std::error::Error>> {
    let table = |due: &str, owner: &str, evidence: &str| {
        format!(
            "Actions\tAccountable\tTimescale\tEvidence\n\
             Audit files\tAnn Lee\t{due}\tAudit plan\n\
             Train staff\t{owner}\tMarch 2016\t{evidence}\n"
        )
    };
    let reported = |on: Option<NaiveDate>| ImportOptions::default().with_reported_on(on);
    let read = |text: String, on| import(text.as_bytes(), &reported(on)).map(|i| i.plan);
    let june = date(2015, 6, 30);
    let stored = read(table("April 2015", "Ann Lee", "Training log"), Some(date(2015, 3, 31)))?;
    let sep = date(2015, 9, 30);
    let newer = read(table("December 2015", "Bob Hart", "Attendance list"), Some(sep))?;
    let merged = reimport(&stored, &newer, &ReimportOptions::default()).plan;
    let policy = ragplan_core::Policy::default();

    let q1 = merged.as_it_stood(june);
    let audit = q1.plan().action(&key("1.1")).map(|a| a.timescale.text.clone());
    assert_eq!(audit.as_deref(), Some("April 2015"));
    let ratings = q1.rate(&policy);
    let rated = ratings.actions().next().map(|n| n.rating(ragplan_core::Dimension::Delivery));
    assert_eq!(rated, Some(Rating::Red));
    let staff = q1.plan().action(&key("1.2"));
    let owner = staff.map(|a| a.accountable.iter().map(|o| o.name.clone()).collect::<Vec<_>>());
    assert_eq!(owner, Some(vec!["Ann Lee".to_owned()]));
    assert_eq!(staff.map(|a| a.evidence.clone()), Some(vec!["Training log".to_owned()]));

    // The merged plan is the table's, and the log holds what it replaced.
    let now = merged.action(&key("1.1")).map(|a| a.timescale.text.clone());
    assert_eq!(now.as_deref(), Some("December 2015"));
    let logged: Vec<(String, Vec<String>)> = merged
        .edits
        .iter()
        .map(|e| (e.key.to_string(), e.changes.iter().map(|c| format!("{:?}", c.field)).collect()))
        .collect();
    let want = [("1.1", vec!["Timescale"]), ("1.2", vec!["Accountable", "Evidence"])];
    let want: Vec<(String, Vec<String>)> = want
        .iter()
        .map(|(k, f)| ((*k).to_owned(), f.iter().map(|s| (*s).to_owned()).collect()))
        .collect();
    assert_eq!(logged, want);
    let replaced = merged.edits[1].changes[1].before.to_string();
    assert!(replaced.contains("Training log"), "{replaced}");
    assert!(merged.edits.iter().all(|e| e.on == sep && e.by == "the imported table"));
    Ok(())
}
