//! Actions: reading one, progress updates and overrides, with If-Match.

use axum::http::{Method, StatusCode};

use crate::common::TestApp;

const UPDATES: &str = "/v1/plans/small/actions/1.1.1/updates";
const OVERRIDE: &str = "/v1/plans/small/actions/1.1.1/override";

#[tokio::test]
async fn an_action_reads_with_its_assessment() {
    let app = TestApp::with_small_plan().await;
    let response = app.get("/v1/plans/small/actions/1.1.1", Some(&app.tokens.reader)).await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.header("etag"), "\"1\"");
    let body = response.json();
    assert_eq!(body["action"]["title"], "Information sharing agreement to be in place");
    // Reported Green but due 31 May 2015 and not complete: Red as of 30 June.
    assert_eq!(body["assessment"]["delivery"]["rating"], "red");
    assert_eq!(body["as_of"], "2015-06-30");
    let reasons = body["assessment"]["delivery"]["reasons"].to_string();
    assert!(reasons.contains("overdue"), "{reasons}");

    let missing = app.get("/v1/plans/small/actions/9.9", Some(&app.tokens.reader)).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.problem()["detail"], "plan small has no action with the key 9.9");
    let bad_key = app.get("/v1/plans/small/actions/a%20b", Some(&app.tokens.reader)).await;
    assert_eq!(bad_key.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_update_is_applied_logged_and_versioned() {
    let app = TestApp::with_small_plan().await;
    let editor = Some(app.tokens.editor.as_str());
    let body = r#"{"delivery_rating": "Amber", "status": "in_progress", "progress": 60,
        "note": "Agreement with Police signed; Health to sign in July",
        "evidence": "Signed agreement (Police)", "by": "Jayne Hutchings", "on": "2015-06-29"}"#;
    let response = app.post_json(UPDATES, editor, body, Some("\"1\"")).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    assert_eq!(response.header("etag"), "\"2\"");
    let action = &response.json()["action"];
    assert_eq!(action["action_rag"], "amber");
    assert_eq!(action["progress"], 60);
    assert_eq!(
        action["evidence"],
        serde_json::json!(["Draft agreement", "Signed agreement (Police)"])
    );
    // The answer carries the entry recorded, not the whole log.
    let last = &action["latest_update"];
    assert_eq!(
        (last["by"].as_str(), last["on"].as_str()),
        (Some("Jayne Hutchings"), Some("2015-06-29"))
    );
    assert_eq!(action.get("updates"), None);
    let whole = app.get("/v1/plans/small/actions/1.1.1", editor).await.json();
    assert_eq!(whole["action"]["updates"][1], *last);

    let stored = app.get("/v1/plans/small", editor).await;
    assert_eq!(stored.header("etag"), "\"2\"");
    assert_eq!(
        stored.json()["objectives"][0]["sub_objectives"][0]["actions"][0]["updates"][1]["note"],
        "Agreement with Police signed; Health to sign in July"
    );

    let history = app.get("/v1/plans/small/history?offset=1", editor).await.json();
    insta::assert_json_snapshot!("history_after_an_update", history);
    let entry = &history["items"][0];
    assert_eq!(entry["route"], "POST /v1/plans/{id}/actions/{key}/updates");
    assert_eq!(entry["who"], "case-system");
    assert_eq!(entry["version"], 2);
    assert_eq!(entry["at"], "2015-06-30T12:00:00Z");
    assert_eq!(entry["summary"], "update on action 1.1.1 by Jayne Hutchings dated 2015-06-29");
    assert_eq!(entry["before"]["action_rag"], "green");
    assert_eq!(entry["after"]["action_rag"], "amber");

    // `on` defaults to today (the fixed clock: 30 June 2015).
    let today = app.post_json(UPDATES, editor, r#"{"by": "Jayne Hutchings"}"#, Some("\"2\"")).await;
    assert_eq!(today.status, StatusCode::CREATED);
    assert_eq!(today.json()["action"]["latest_update"]["on"], "2015-06-30");
}

#[tokio::test]
async fn an_update_lists_every_problem_with_its_field() {
    let app = TestApp::with_small_plan().await;
    let body = r#"{"delivery_rating": "purple", "outcome_rating": "G", "status": "finished",
        "progress": 140, "on": "30/06/2015"}"#;
    let response = app.post_json(UPDATES, Some(&app.tokens.editor), body, Some("\"1\"")).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    let problem = response.problem();
    let fields: Vec<&str> =
        problem["errors"].as_array().unwrap().iter().map(|e| e["at"].as_str().unwrap()).collect();
    assert_eq!(fields, ["delivery_rating", "status", "progress", "by", "on"]);
    assert_eq!(problem["detail"], "the update was refused: 5 problems");
    assert_eq!(problem["errors"][2]["message"], "140 is not a percentage from 0 to 100");
    assert_eq!(problem["errors"][3]["message"], "say who made the update");
    // Nothing was stored.
    assert_eq!(app.get("/v1/plans/small", Some(&app.tokens.editor)).await.header("etag"), "\"1\"");
}

fn fields(problem: &serde_json::Value) -> Vec<&str> {
    problem["errors"].as_array().unwrap().iter().map(|e| e["at"].as_str().unwrap()).collect()
}

#[tokio::test]
async fn update_with_every_field_wrong_lists_every_problem() {
    let app = TestApp::with_small_plan().await;
    // Fields that do not read (outcome, status) and fields the plan refuses (a rating
    // off the BRAG scale, progress over 100, no author, a date before 1 June 2015)
    // come back together, in the body's field order.
    let body = r#"{"on": "2015-05-01", "by": " ", "progress": 140, "status": "finished",
        "outcome_rating": "purple", "delivery_rating": "amber/green"}"#;
    let response = app.post_json(UPDATES, Some(&app.tokens.editor), body, Some("\"1\"")).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    let problem = response.problem();
    assert_eq!(
        fields(&problem),
        ["delivery_rating", "outcome_rating", "status", "progress", "by", "on"]
    );
    assert_eq!(problem["detail"], "the update was refused: 6 problems");
    assert_eq!(problem["errors"][0]["message"], "Amber/Green is not on the plan's brag scale");
    assert!(
        problem["errors"][1]["message"].as_str().unwrap().contains("\"purple\" is not a rating")
    );
    assert_eq!(app.get("/v1/plans/small", Some(&app.tokens.editor)).await.header("etag"), "\"1\"");
}

#[tokio::test]
async fn override_with_every_field_wrong_lists_every_problem() {
    let app = TestApp::with_small_plan().await;
    let body = r#"{"rating": "amber_red", "by": "", "on": "2015-13-01", "justification": " "}"#;
    let response = app.put_json(OVERRIDE, Some(&app.tokens.editor), body, Some("\"1\"")).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    let problem = response.problem();
    assert_eq!(fields(&problem), ["rating", "by", "on", "justification"]);
    assert_eq!(problem["detail"], "the override was refused: 4 problems");
    assert_eq!(problem["errors"][1]["message"], "say who made the judgement");
    assert_eq!(
        problem["errors"][2]["message"],
        "\"2015-13-01\" is not a date; write it as YYYY-MM-DD"
    );
}

#[tokio::test]
async fn an_override_whose_rating_does_not_read_is_422_at_rating() {
    let app = TestApp::with_small_plan().await;
    let body = r#"{"rating": "purple", "by": "Chair", "justification": "Police data"}"#;
    let response = app.put_json(OVERRIDE, Some(&app.tokens.editor), body, Some("\"1\"")).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&response.problem()), ["rating"]);
    // With no rating at all the body is not of the documented shape.
    let none = r#"{"by": "Chair", "justification": "Police data"}"#;
    let response = app.put_json(OVERRIDE, Some(&app.tokens.editor), none, Some("\"1\"")).await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_plan_refuses_what_it_cannot_take() {
    let app = TestApp::with_small_plan().await;
    let editor = Some(app.tokens.editor.as_str());
    // 1.1.1's last update is dated 1 June 2015.
    let early =
        app.post_json(UPDATES, editor, r#"{"by": "X", "on": "2015-05-01"}"#, Some("\"1\"")).await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    insta::assert_json_snapshot!(early.problem(), @r#"
    {
      "detail": "the update was refused: 1 problem",
      "errors": [
        {
          "at": "on",
          "message": "the update is dated 1 May 2015, before the previous update of 1 June 2015"
        }
      ],
      "status": 422,
      "title": "The request was refused",
      "type": "urn:ragplan:problem:validation-failed"
    }
    "#);
    let unknown = app
        .post_json("/v1/plans/small/actions/7.7/updates", editor, r#"{"by": "X"}"#, Some("\"1\""))
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn writes_need_the_current_version() {
    let app = TestApp::with_small_plan().await;
    let editor = Some(app.tokens.editor.as_str());
    let body = r#"{"by": "Jayne Hutchings", "note": "checked"}"#;
    let missing = app.post_json(UPDATES, editor, body, None).await;
    assert_eq!(missing.status, StatusCode::PRECONDITION_REQUIRED);
    insta::assert_json_snapshot!(missing.problem(), @r#"
    {
      "detail": "send If-Match with the plan's ETag; the current version is 1",
      "status": 428,
      "title": "If-Match is required",
      "type": "urn:ragplan:problem:precondition-required"
    }
    "#);
    assert_eq!(
        app.post_json(UPDATES, editor, body, Some("\"1\"")).await.status,
        StatusCode::CREATED
    );
    let stale = app.post_json(UPDATES, editor, body, Some("\"1\"")).await;
    assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED);
    assert_eq!(stale.header("etag"), "\"2\"");
    insta::assert_json_snapshot!(stale.problem(), @r#"
    {
      "current_version": 2,
      "detail": "If-Match is \"1\" but the plan is at version 2; read it again and retry",
      "status": 412,
      "title": "The plan has changed since it was read",
      "type": "urn:ragplan:problem:precondition-failed"
    }
    "#);
}

#[tokio::test]
async fn malformed_bodies_get_a_problem_not_plain_text() {
    let app = TestApp::with_small_plan().await;
    let editor = Some(app.tokens.editor.as_str());
    let broken = app.post_json(UPDATES, editor, r#"{"by": "X""#, Some("\"1\"")).await;
    assert_eq!(broken.status, StatusCode::BAD_REQUEST);
    assert_eq!(broken.problem()["type"], "urn:ragplan:problem:malformed-body");

    let unknown_field =
        app.post_json(UPDATES, editor, r#"{"by": "X", "colour": "red"}"#, Some("\"1\"")).await;
    assert_eq!(unknown_field.status, StatusCode::BAD_REQUEST);
    let problem = unknown_field.problem();
    assert_eq!(problem["errors"][0]["at"], "colour");
    assert!(
        problem["detail"].as_str().unwrap().starts_with("at colour: unknown field `colour`"),
        "{problem}"
    );

    let wrong_type =
        app.post_json(UPDATES, editor, r#"{"by": "X", "progress": "half"}"#, Some("\"1\"")).await;
    assert_eq!(wrong_type.status, StatusCode::BAD_REQUEST);
    assert_eq!(wrong_type.problem()["errors"][0]["at"], "progress");

    let text = app
        .request(Method::POST, UPDATES, editor, Some("text/plain"), Some("\"1\""), r#"{"by": "X"}"#)
        .await;
    assert_eq!(text.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(text.problem()["type"], "urn:ragplan:problem:unsupported-media-type");
}

#[tokio::test]
async fn bodies_over_the_limit_are_413() {
    let app = TestApp::with_max_body(1024);
    let big = format!(r#"{{"format": "ragplan/1", "id": "big", "title": "{}"}}"#, "x".repeat(2000));
    let response = app.post_json("/v1/plans", Some(&app.tokens.editor), &big, None).await;
    assert_eq!(response.status, StatusCode::PAYLOAD_TOO_LARGE);
    insta::assert_json_snapshot!(response.problem(), @r#"
    {
      "detail": "the request body is over the limit of 1024 bytes",
      "status": 413,
      "title": "The request body is too large",
      "type": "urn:ragplan:problem:payload-too-large"
    }
    "#);
    let import = app
        .request(
            Method::POST,
            "/v1/plans/import?format=csv",
            Some(&app.tokens.editor),
            None,
            None,
            "a,b\n".repeat(600),
        )
        .await;
    assert_eq!(import.status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn an_override_needs_a_justification() {
    let app = TestApp::with_small_plan().await;
    let editor = Some(app.tokens.editor.as_str());
    let none = app
        .put_json(OVERRIDE, editor, r#"{"rating": "amber", "by": "Chair"}"#, Some("\"1\""))
        .await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    insta::assert_json_snapshot!(none.problem(), @r#"
    {
      "detail": "the override was refused: 1 problem",
      "errors": [
        {
          "at": "justification",
          "message": "record why the rating differs"
        }
      ],
      "status": 422,
      "title": "The request was refused",
      "type": "urn:ragplan:problem:validation-failed"
    }
    "#);
    // The plan is on the BRAG scale, which has no Amber/Red.
    let off_scale = app
        .put_json(
            OVERRIDE,
            editor,
            r#"{"rating": "amber_red", "by": "Chair", "justification": "Police data"}"#,
            Some("\"1\""),
        )
        .await;
    assert_eq!(off_scale.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(off_scale.problem()["errors"][0]["at"], "rating");

    let body = r#"{"rating": "amber", "by": "LSCB Chair", "on": "2015-06-30",
        "justification": "Agreement signed by Police; Health signing in July"}"#;
    let done = app.put_json(OVERRIDE, editor, body, Some("\"1\"")).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text());
    assert_eq!(done.header("etag"), "\"2\"");
    let json = done.json();
    assert_eq!(json["action"]["overrides"][0]["rating"], "amber");
    // The override wins over the overdue Red and is shown as such.
    assert_eq!(json["assessment"]["delivery"]["rating"], "amber");
    assert!(
        json["assessment"]["flags"].as_array().unwrap().iter().any(|f| f == "overridden"),
        "{json}"
    );
}

/// Two overrides and a withdrawal on one action through the API: each is recorded
/// (the withdrawal with `DELETE …/nodes/{key}/override`, nothing deleted), and the assessment at
/// each quarter-end shows the judgement in force then.
#[tokio::test]
async fn overrides_are_a_dated_record_and_each_quarter_shows_the_judgement_then() {
    let app = TestApp::with_small_plan().await;
    let editor = Some(app.tokens.editor.as_str());
    let amber = r#"{"rating": "amber", "by": "Chair", "on": "2015-03-01", "justification": "Interim protocol"}"#;
    let green = r#"{"rating": "green", "by": "Chair", "on": "2015-06-01", "justification": "Agreement signed"}"#;
    assert_eq!(app.put_json(OVERRIDE, editor, amber, Some("\"1\"")).await.status, StatusCode::OK);
    assert_eq!(app.put_json(OVERRIDE, editor, green, Some("\"2\"")).await.status, StatusCode::OK);
    let withdrawal =
        r#"{"by": "Chair", "on": "2015-08-01", "justification": "One partner withdrew"}"#;
    let withdraw = |if_match: &'static str| {
        app.request(
            Method::DELETE,
            "/v1/plans/small/nodes/1.1.1/override",
            editor,
            Some("application/json"),
            Some(if_match),
            withdrawal.to_owned(),
        )
    };
    let done = withdraw("\"3\"").await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text());
    assert_eq!(done.header("etag"), "\"4\"");
    let record = done.json()["overrides"].as_array().cloned().unwrap_or_default();
    assert_eq!(record.len(), 2);
    assert_eq!(record[1]["withdrawn"]["by"], "Chair");
    // Nothing stands on 1 August any more: a second withdrawal is refused.
    let again = withdraw("\"4\"").await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", again.text());

    for (as_of, want) in [("2015-03-31", "amber"), ("2015-06-30", "green"), ("2015-09-30", "red")] {
        let path = format!("/v1/plans/small/assessment?as_of={as_of}");
        let read = app.get(&path, Some(&app.tokens.reader)).await;
        assert_eq!(read.status, StatusCode::OK, "{}", read.text());
        let doc = read.json();
        let action = &doc["nodes"][0]["children"][0]["children"][0];
        assert_eq!(action["key"], "1.1.1");
        assert_eq!(action["delivery"]["rating"], want, "{as_of}");
        // The quarter's report says the same.
        let path = format!("/v1/plans/small/report?format=md&as_of={as_of}");
        let report = app.get(&path, Some(&app.tokens.reader)).await;
        assert_eq!(report.status, StatusCode::OK, "{}", report.text());
        let md = report.text();
        let row = md.lines().find(|l| l.starts_with("| 1.1.1 |")).unwrap_or_default().to_owned();
        assert!(row.to_lowercase().contains(want), "{as_of}: {row}");
    }
}

/// An override on a sub-objective and on the plan itself through the node and plan
/// routes: each stands over the roll-up, is shown as overridden, and its withdrawal
/// is recorded, not deleted.
#[tokio::test]
async fn a_sub_objective_and_the_plan_take_overrides_and_their_withdrawals() {
    let app = TestApp::with_small_plan().await;
    let editor = Some(app.tokens.editor.as_str());
    let node = "/v1/plans/small/nodes/1.1/override";
    let green = r#"{"rating": "green", "by": "Chair", "on": "2015-06-01", "justification": "Sub-group's judgement"}"#;
    let done = app.put_json(node, editor, green, Some("\"1\"")).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text());
    let json = done.json();
    assert_eq!(json["key"], "1.1");
    assert_eq!(json["assessment"]["delivery"]["rating"], "green");
    assert_eq!(json["assessment"]["delivery"]["reasons"][0]["code"], "parent_overridden");
    assert!(json["assessment"]["flags"].as_array().unwrap().iter().any(|f| f == "overridden"));

    let plan = "/v1/plans/small/override";
    let amber = r#"{"rating": "amber", "by": "Board", "on": "2015-06-02", "justification": "Board's judgement"}"#;
    let done = app.put_json(plan, editor, amber, Some("\"2\"")).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text());
    assert_eq!(done.json()["assessment"]["rating"], "amber");

    let history = app.get("/v1/plans/small/history?offset=1", editor).await.json();
    let entry = &history["items"][0];
    assert_eq!(entry["route"], "PUT /v1/plans/{id}/nodes/{key}/override");
    assert_eq!(entry["after"][0]["rating"], "green");

    let withdrawal = r#"{"by": "Chair", "on": "2015-06-20", "justification": "Data corrected"}"#;
    let done = app
        .request(Method::DELETE, node, editor, Some("application/json"), Some("\"3\""), withdrawal)
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text());
    let json = done.json();
    assert_eq!(json["overrides"][0]["withdrawn"]["on"], "2015-06-20");
    assert_ne!(json["assessment"]["delivery"]["reasons"][0]["code"], "parent_overridden");
    // The history keeps the withdrawal, with the record before and after it.
    let history = app.get("/v1/plans/small/history", editor).await.json();
    let last = history["items"].as_array().and_then(|items| items.last()).cloned();
    let last = last.unwrap_or_default();
    assert_eq!(last["route"], "DELETE /v1/plans/{id}/nodes/{key}/override", "{history}");
    assert_eq!(last["before"][0]["withdrawn"], serde_json::Value::Null);
    assert_eq!(last["after"][0]["withdrawn"]["by"], "Chair");

    // A key no node has is a 422 naming it.
    let missing =
        app.put_json("/v1/plans/small/nodes/9.9/override", editor, green, Some("\"4\"")).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND, "{}", missing.text());
    assert!(missing.text().contains("no node has the key 9.9"), "{}", missing.text());
}

/// The action override route once recorded an override on an objective whose key it
/// was given, then answered 404 for want of an action: the write was committed and
/// the caller told it failed. It now looks for an action only, and writes nothing.
#[tokio::test]
async fn the_action_override_route_wrote_to_an_objective_and_answered_404() {
    let app = TestApp::with_small_plan().await;
    let editor = Some(app.tokens.editor.as_str());
    let body = r#"{"rating": "green", "by": "Chair", "justification": "Judged"}"#;
    let answer =
        app.put_json("/v1/plans/small/actions/1/override", editor, body, Some("\"1\"")).await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND, "{}", answer.text());
    assert!(answer.text().contains("no action has the key 1"), "{}", answer.text());
    let plan = app.get("/v1/plans/small", editor).await;
    assert_eq!(plan.header("etag"), "\"1\"", "nothing was written");
}
