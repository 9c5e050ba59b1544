//! The one-row-per-action CSV.

use ragplan_core::Dimension;
use ragplan_report::csv::ACTIONS_CSV_HEADER;
use ragplan_report::{Format, actions_csv, render};

use crate::common::{coventry_report, text};

#[test]
fn one_row_per_action_with_the_assessed_ratings() {
    let coventry = coventry_report();
    let (ratings, report) = (coventry.ratings(), &coventry.report);
    let csv_text = actions_csv(&ratings).unwrap();
    assert_eq!(
        csv_text,
        text(render(report, Format::Csv).unwrap()),
        "the report's CSV is actions_csv"
    );
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    assert_eq!(reader.headers().unwrap().iter().collect::<Vec<_>>(), ACTIONS_CSV_HEADER);
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let nodes: Vec<_> = ratings.actions().collect();
    assert_eq!(records.len(), nodes.len());
    let col = |name: &str| ACTIONS_CSV_HEADER.iter().position(|h| *h == name).unwrap();
    for (record, node) in records.iter().zip(nodes) {
        assert_eq!(&record[col("plan_id")], ratings.plan().id.as_str());
        assert_eq!(&record[col("as_of")], "2015-06-30");
        assert_eq!(&record[col("key")], node.key().unwrap().as_str());
        assert_eq!(&record[col("action")], node.title());
        assert_eq!(&record[col("delivery")], node.rating(Dimension::Delivery).label());
        assert_eq!(&record[col("outcome")], node.rating(Dimension::Outcome).label());
        assert_eq!(
            &record[col("flags")],
            node.flags().iter().map(|f| f.label()).collect::<Vec<_>>().join("; ")
        );
        assert_eq!(record[col("reason")], node.reasons(Dimension::Delivery)[0].to_string());
        let action = node.action().unwrap();
        let due = action.timescale.due.map(|d| d.to_string()).unwrap_or_default();
        assert_eq!(&record[col("due")], due);
        assert_eq!(
            &record[col("accountable")],
            action.accountable.iter().map(|o| o.name.as_str()).collect::<Vec<_>>().join("; ")
        );
    }
}

#[test]
fn awkward_text_round_trips() {
    let mut plan = coventry_report().plan().clone();
    let awkward = "Agree, \"sign\" and\npublish the protocol";
    plan.actions_mut().next().unwrap().title = awkward.to_owned();
    let (now, _) = crate::common::rated(&plan, crate::common::day(2015, 6, 30), None);
    let csv_text = actions_csv(&now).unwrap();
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let first = reader.records().next().unwrap().unwrap();
    let action = ACTIONS_CSV_HEADER.iter().position(|h| *h == "action").unwrap();
    assert_eq!(&first[action], awkward);
}

/// `ragplan report --format csv` writes `actions_csv` of the ratings without building
/// the whole report: the two are the same bytes.
#[test]
fn the_report_csv_is_the_actions_csv_of_its_ratings() {
    let coventry = coventry_report();
    let from_report = text(render(&coventry.report, Format::Csv).unwrap());
    assert_eq!(from_report, actions_csv(&coventry.ratings()).unwrap());
    assert!(from_report.lines().count() > 30, "{from_report}");
}
