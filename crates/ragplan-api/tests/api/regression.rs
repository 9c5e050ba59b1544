//! Regression tests named after the problems they pin.

use axum::http::StatusCode;
use serde_json::Value;

use crate::common::TestApp;

const TWO: &str = include_str!("../../../../tests/fixtures/actions-sharing-a-key.json");

/// Two actions that share a key each keep their own ratings, flags and reasons in
/// the assessment, and their own owner and due date in the report.
#[tokio::test]
async fn actions_sharing_a_key_each_keep_their_own_ratings_and_reasons() {
    let app = TestApp::new();
    let created = app.post_json("/v1/plans", Some(&app.tokens.editor), TWO, None).await;
    assert_eq!(created.status, StatusCode::CREATED);

    let response =
        app.get("/v1/plans/two/assessment?as_of=2015-06-30", Some(&app.tokens.reader)).await;
    assert_eq!(response.status, StatusCode::OK);
    let body = response.json();
    let actions = body["nodes"][0]["children"].as_array().expect("the objective's actions");
    let summary = |node: &Value| {
        let reasons: Vec<String> = node["delivery"]["reasons"]
            .as_array()
            .map(|r| r.iter().map(|r| r["sentence"].as_str().unwrap_or("").to_owned()).collect())
            .unwrap_or_default();
        (
            node["title"].as_str().unwrap_or("").to_owned(),
            node["delivery"]["rating"].as_str().unwrap_or("").to_owned(),
            node["flags"].as_array().is_some_and(|f| f.iter().any(|f| f == "overdue")),
            reasons,
        )
    };
    let (first, second) = (summary(&actions[0]), summary(&actions[1]));
    assert_eq!((first.0.as_str(), first.1.as_str(), first.2), ("First action", "red", true));
    assert!(first.3[0].contains("\"First action\" was due 31 May 2015"), "{:?}", first.3);
    assert_eq!((second.0.as_str(), second.1.as_str(), second.2), ("Second action", "amber", false));
    assert!(second.3.iter().all(|r| !r.contains("First action")), "{:?}", second.3);

    let report =
        app.get("/v1/plans/two/report?format=csv&as_of=2015-06-30", Some(&app.tokens.reader)).await;
    assert_eq!(report.status, StatusCode::OK);
    let csv = report.text();
    let line_of = |title: &str| csv.lines().find(|l| l.contains(title)).unwrap_or("").to_owned();
    let (first, second) = (line_of("First action"), line_of("Second action"));
    assert!(first.contains("Alice") && first.contains("2015-05-31"), "{first}");
    assert!(!first.contains("Bob Jones"), "{first}");
    assert!(second.contains("Bob Jones") && second.contains("2016-03-31"), "{second}");
}

/// An update dated after today (a year mistyped as 2105) was recorded, and then
/// every real update dated before it was refused as earlier than the action's last.
#[tokio::test]
async fn an_update_dated_after_today_was_recorded_and_blocked_every_later_one() {
    let app = TestApp::with_small_plan().await;
    let editor = Some(app.tokens.editor.as_str());
    let updates = "/v1/plans/small/actions/1.1.1/updates";
    let future = r#"{"status": "complete", "by": "Jayne Hutchings", "on": "2105-06-29"}"#;
    let refused = app.post_json(updates, editor, future, Some("\"1\"")).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.text());
    let problem = refused.problem();
    assert_eq!(problem["errors"][0]["at"], "on");
    assert_eq!(
        problem["errors"][0]["message"],
        "the update is dated 29 June 2105, after today (30 June 2015): an update records what \
         has happened"
    );
    // The plan is unchanged, and a real update goes in.
    let real = r#"{"status": "complete", "by": "Jayne Hutchings", "on": "2015-06-29"}"#;
    let recorded = app.post_json(updates, editor, real, Some("\"1\"")).await;
    assert_eq!(recorded.status, StatusCode::CREATED, "{}", recorded.text());
    // Today itself is not after today.
    let today = r#"{"note": "Signed", "by": "Jayne Hutchings", "on": "2015-06-30"}"#;
    let same_day = app.post_json(updates, editor, today, Some("\"2\"")).await;
    assert_eq!(same_day.status, StatusCode::CREATED, "{}", same_day.text());
}
