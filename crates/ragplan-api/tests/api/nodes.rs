//! Nodes: a JSON Merge Patch of a node's own fields, logged in the plan's change log
//! and the audit log, and a node's story.

use axum::http::{Method, StatusCode};

use crate::common::{TestApp, TestResponse};

const MERGE_PATCH: &str = "application/merge-patch+json";

async fn patch(
    app: &TestApp,
    key: &str,
    token: &str,
    if_match: Option<&str>,
    body: &str,
) -> TestResponse {
    let path = format!("/v1/plans/small/nodes/{key}");
    app.request(Method::PATCH, &path, Some(token), Some(MERGE_PATCH), if_match, body.to_owned())
        .await
}

/// A JSON request to the small plan's `path` with `token` and `If-Match: "version"`.
async fn send_json(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    version: u64,
    body: &str,
) -> TestResponse {
    let if_match = format!("\"{version}\"");
    app.request(
        method,
        path,
        Some(token),
        Some("application/json"),
        Some(&if_match),
        body.to_owned(),
    )
    .await
}

/// Giving an action a new lead, target date and dependency was possible only by
/// replacing the whole plan; the patch changes the action, logs each field before and
/// after, and the per-owner route sees the new lead at once.
#[tokio::test]
async fn a_patch_changes_the_node_logs_it_and_the_owner_route_sees_it() {
    let app = TestApp::with_small_plan().await;
    let body = r#"{"accountable": ["Pat Example"], "timescale": "31 March 2016",
        "depends_on": ["2.1"], "by": "LSCB Business Manager", "on": "2015-06-29"}"#;
    let response = patch(&app, "1.1.1", &app.tokens.editor, Some("\"1\""), body).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert_eq!(response.header("etag"), "\"2\"");
    let json = response.json();
    assert_eq!(json["changed"], serde_json::json!(["accountable", "timescale", "depends_on"]));
    assert_eq!(json["node"]["accountable"][0]["name"], "Pat Example");
    assert_eq!(json["node"]["timescale"]["due"], "2016-03-31");
    assert_eq!(json["node"]["depends_on"], serde_json::json!(["2.1"]));
    // No longer due 31 May 2015: reported Green stands.
    assert_eq!(json["assessment"]["delivery"]["rating"], "green");

    let history = app.get("/v1/plans/small/history?offset=1", Some(&app.tokens.reader)).await;
    let entry = &history.json()["items"][0];
    assert_eq!(entry["route"], "PATCH /v1/plans/{id}/nodes/{key}");
    assert_eq!(entry["summary"], "edit of 1.1.1 by LSCB Business Manager dated 2015-06-29");
    assert_eq!(entry["before"]["accountable"][0]["name"], "Jayne Hutchings");
    assert_eq!(entry["after"]["accountable"][0]["name"], "Pat Example");

    let owned = app.get("/v1/owners/Pat%20Example/actions", Some(&app.tokens.reader)).await;
    assert_eq!(owned.status, StatusCode::OK, "{}", owned.text());
    let keys: Vec<String> = owned.json()["actions"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|a| a["key"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(keys, ["1.1.1"]);

    let log = app.get("/v1/plans/small/nodes/1.1.1/log", Some(&app.tokens.reader)).await;
    assert_eq!(log.status, StatusCode::OK, "{}", log.text());
    insta::assert_json_snapshot!("node_log_after_a_patch", log.json());
}

/// A patch that cannot be made names every problem at once and changes nothing.
#[tokio::test]
async fn a_refused_patch_lists_every_problem_and_changes_nothing() {
    let app = TestApp::with_small_plan().await;
    // A sub-objective has no accountable; 0 is no weight; the date is not ISO; a
    // title cannot be removed.
    let body = r#"{"accountable": ["Pat Example"], "weight": 0, "start": "30/06/2015",
        "title": null, "by": "LSCB Business Manager"}"#;
    let response = patch(&app, "1.1", &app.tokens.editor, Some("\"1\""), body).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", response.text());
    insta::assert_json_snapshot!("refused_patch", response.problem());
    let stored = app.get("/v1/plans/small", Some(&app.tokens.reader)).await;
    assert_eq!(stored.header("etag"), "\"1\"");
}

/// Bad requests: an unknown field is 400, an unknown key 404 with the nearest keys,
/// a stale `If-Match` 412, none 428, a reader 403.
#[tokio::test]
async fn a_patch_is_refused_for_a_bad_field_key_version_or_role() {
    let app = TestApp::with_small_plan().await;
    let editor = app.tokens.editor.clone();
    let unknown_field =
        patch(&app, "1.1.1", &editor, Some("\"1\""), r#"{"by": "A", "owner": "B"}"#).await;
    assert_eq!(unknown_field.status, StatusCode::BAD_REQUEST, "{}", unknown_field.text());
    let detail = unknown_field.problem()["detail"].as_str().unwrap_or_default().to_owned();
    assert!(detail.starts_with("at owner: unknown field `owner`"), "{detail}");

    let unknown_key =
        patch(&app, "1.1.9", &editor, Some("\"1\""), r#"{"by": "A", "weight": 2}"#).await;
    assert_eq!(unknown_key.status, StatusCode::NOT_FOUND, "{}", unknown_key.text());
    insta::assert_json_snapshot!("patch_of_an_unknown_key", unknown_key.problem());

    let stale = patch(&app, "1.1.1", &editor, Some("\"7\""), r#"{"by": "A", "weight": 2}"#).await;
    assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED, "{}", stale.text());
    let none = patch(&app, "1.1.1", &editor, None, r#"{"by": "A", "weight": 2}"#).await;
    assert_eq!(none.status, StatusCode::PRECONDITION_REQUIRED, "{}", none.text());
    let reader =
        patch(&app, "1.1.1", &app.tokens.reader, Some("\"1\""), r#"{"by": "A", "weight": 2}"#)
            .await;
    assert_eq!(reader.status, StatusCode::FORBIDDEN, "{}", reader.text());
    insta::assert_json_snapshot!("patch_by_a_reader", reader.problem());

    // A patch of no field, or of none that read, is refused as a body, not as an
    // unknown key (it was answered 404).
    let nothing = patch(&app, "1.1.1", &editor, Some("\"1\""), r#"{"by": "A"}"#).await;
    assert_eq!(nothing.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", nothing.text());
    let bad_date =
        patch(&app, "1.1.1", &editor, Some("\"1\""), r#"{"by": "A", "start": "30/06/2015"}"#).await;
    assert_eq!(bad_date.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad_date.text());
    insta::assert_json_snapshot!("patch_of_no_field_that_reads", bad_date.problem());

    let stored = app.get("/v1/plans/small", Some(&app.tokens.reader)).await;
    assert_eq!(stored.header("etag"), "\"1\"");
    let log = app.get("/v1/plans/small/nodes/9/log", Some(&app.tokens.reader)).await;
    assert_eq!(log.status, StatusCode::NOT_FOUND, "{}", log.text());
}

/// `null` empties a list (RFC 7396 removes the member); a value the node has already
/// changes nothing and logs nothing.
#[tokio::test]
async fn null_empties_a_list_and_an_unchanged_value_logs_nothing() {
    let app = TestApp::with_small_plan().await;
    let editor = app.tokens.editor.clone();
    let cleared =
        patch(&app, "1.1.1", &editor, Some("\"1\""), r#"{"partners": null, "by": "A"}"#).await;
    assert_eq!(cleared.status, StatusCode::OK, "{}", cleared.text());
    let json = cleared.json();
    assert_eq!(json["changed"], serde_json::json!(["partners"]));
    assert!(json["node"].get("partners").is_none_or(|p| p == &serde_json::json!([])), "{json}");

    let same = patch(&app, "1.1.1", &editor, Some("\"2\""), r#"{"partners": [], "by": "A"}"#).await;
    assert_eq!(same.status, StatusCode::OK, "{}", same.text());
    assert_eq!(same.json()["changed"], serde_json::json!([]));
    let log = app.get("/v1/plans/small/nodes/1.1.1/log", Some(&app.tokens.reader)).await.json();
    let edits =
        log["log"]["events"].as_array().into_iter().flatten().filter(|e| e["event"] == "edit");
    assert_eq!(edits.count(), 1);
}

/// The plan with every field, which has measures M1 (on sub-objective 1.1) and M2.
const EVERY_FIELD: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/fixtures/plan-every-field.json"
));

/// A reading of a measure could be logged only by replacing the whole plan; it is
/// added in date order, logged on the parent, and rates the parent's outcome.
#[tokio::test]
async fn a_reading_is_logged_on_its_measure_and_rates_the_parent() {
    let app = TestApp::new();
    let editor = app.tokens.editor.clone();
    let created = app.post_json("/v1/plans", Some(&editor), EVERY_FIELD, None).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    let path = "/v1/plans/coventry-cse-2015/measures/M1/readings";
    let body =
        r#"{"value": 96, "on": "2015-06-30", "note": "Q1 audit", "by": "Performance analyst"}"#;
    let response = app.post_json(path, Some(&editor), body, Some("\"1\"")).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    assert_eq!(response.header("etag"), "\"2\"");
    let json = response.json();
    assert_eq!(json["parent"], "1.1");
    let values: Vec<f64> = json["measure"]["readings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["value"].as_f64())
        .collect();
    assert_eq!(values, [80.5, 96.0]);
    // 96% against a target of 95%, higher is better: the outcome is on target.
    assert_eq!(json["assessment"]["outcome"]["rating"], "green", "{json}");

    let log = app.get("/v1/plans/coventry-cse-2015/nodes/1.1/log", Some(&editor)).await.json();
    let last = &log["log"]["events"].as_array().and_then(|e| e.last()).cloned().unwrap_or_default();
    assert_eq!((last["event"].as_str(), last["on"].as_str()), (Some("edit"), Some("2015-06-30")));
    assert_eq!(last["changes"][0]["field"], "measures");

    let unknown = app.post_json(
        "/v1/plans/coventry-cse-2015/measures/M3/readings",
        Some(&editor),
        r#"{"value": 1, "by": "A"}"#,
        Some("\"2\""),
    );
    let unknown = unknown.await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND, "{}", unknown.text());
    assert_eq!(unknown.problem()["detail"], "no measure has the key M3; did you mean M1 or M2?");
    let no_by = app.post_json(path, Some(&editor), r#"{"value": 1}"#, Some("\"2\"")).await;
    assert_eq!(no_by.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", no_by.text());
    assert_eq!(no_by.problem()["errors"][0]["at"], "by");
    let no_value = app.post_json(path, Some(&editor), r#"{"by": "A"}"#, Some("\"2\"")).await;
    assert_eq!(no_value.status, StatusCode::BAD_REQUEST, "{}", no_value.text());
}

/// A new action could be added only by replacing the whole plan; it is numbered
/// after its siblings, given its fields, logged, and audited.
#[tokio::test]
async fn a_node_is_added_numbered_with_its_fields_and_logged() {
    let app = TestApp::with_small_plan().await;
    let body = r#"{"under": "1.1", "title": "Train school staff", "accountable": ["Pat Example"],
        "timescale": "31 March 2016", "by": "Analyst", "on": "2015-07-01"}"#;
    let path = "/v1/plans/small/nodes";
    let editor = app.tokens.editor.clone();
    let response = send_json(&app, Method::POST, path, &editor, 1, body).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    assert_eq!(response.header("etag"), "\"2\"");
    let json = response.json();
    assert_eq!(json["key"], "1.1.3");
    assert_eq!(json["changed"], serde_json::json!(["accountable", "timescale"]));
    assert_eq!(json["node"]["title"], "Train school staff");
    assert_eq!(json["node"]["timescale"]["due"], "2016-03-31");
    let history = app.get("/v1/plans/small/history?offset=1", Some(&app.tokens.reader)).await;
    let entry = &history.json()["items"][0];
    assert_eq!(entry["route"], "POST /v1/plans/{id}/nodes");
    assert_eq!(
        entry["summary"],
        "addition of action \"Train school staff\" by Analyst dated 2015-07-01"
    );
    let log = app.get("/v1/plans/small/nodes/1.1.3/log", Some(&app.tokens.reader)).await;
    insta::assert_json_snapshot!("node_log_after_an_addition", log.json());

    // An objective, with no parent named.
    let objective = r#"{"title": "Pursue perpetrators", "by": "Analyst", "on": "2015-07-01"}"#;
    let response = send_json(&app, Method::POST, path, &editor, 2, objective).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    assert_eq!(response.json()["key"], "3");
}

/// An addition that cannot be made names every problem at once, each at its field
/// of the body, and changes nothing: a parent no node has is a field of the body,
/// not an unknown resource.
#[tokio::test]
async fn a_refused_addition_lists_every_problem_at_its_field() {
    let app = TestApp::with_small_plan().await;
    let editor = app.tokens.editor.clone();
    let post = |body: &'static str| {
        send_json(&app, Method::POST, "/v1/plans/small/nodes", &editor, 1, body)
    };
    let response =
        post(r#"{"under": "1.9", "key": "1.1.1", "title": " ", "timescale": "soonish", "by": ""}"#)
            .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", response.text());
    insta::assert_json_snapshot!("refused_addition", response.problem());
    let response = post(r#"{"under": "1.1.1", "title": "T", "by": "A"}"#).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", response.text());
    let errors = &response.problem()["errors"];
    assert_eq!(errors[0]["at"], "under", "{errors}");
    assert_eq!(errors[0]["message"], "an action holds no other node");
    let response = post(r#"{"under": "1.1", "title": "T", "by": "A", "owner": "B"}"#).await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST, "{}", response.text());
    let stored = app.get("/v1/plans/small", Some(&app.tokens.reader)).await;
    assert_eq!(stored.header("etag"), "\"1\"");
}

/// Taking a recommendation out of a plan was possible only by replacing the plan,
/// which lost its history; the node is kept, marked removed with its actions, logged
/// with the justification, and takes no more updates.
#[tokio::test]
async fn a_node_is_removed_kept_marked_and_takes_no_more_updates() {
    let app = TestApp::with_small_plan().await;
    let editor = app.tokens.editor.clone();
    let body = r#"{"by": "Analyst", "justification": "Merged into 2", "on": "2015-07-01"}"#;
    let response =
        send_json(&app, Method::DELETE, "/v1/plans/small/nodes/1.1", &editor, 1, body).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    let json = response.json();
    assert_eq!(json["removed"], serde_json::json!(["1.1", "1.1.1", "1.1.2"]));
    assert_eq!(json["node"]["removed"], true);
    assert_eq!(json["assessment"]["flags"], serde_json::json!(["removed"]));
    let history = app.get("/v1/plans/small/history?offset=1", Some(&app.tokens.reader)).await;
    let entry = &history.json()["items"][0];
    assert_eq!(entry["route"], "DELETE /v1/plans/{id}/nodes/{key}");
    assert_eq!(entry["summary"], "removal of 1.1 by Analyst dated 2015-07-01");
    assert_eq!(entry["after"]["removed"], true);

    let update = r#"{"by": "A", "delivery_rating": "green"}"#;
    let refused =
        send_json(&app, Method::POST, "/v1/plans/small/actions/1.1.1/updates", &editor, 2, update)
            .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.text());
    insta::assert_json_snapshot!("update_of_a_removed_action", refused.problem());
    let again =
        send_json(&app, Method::DELETE, "/v1/plans/small/nodes/1.1", &editor, 2, body).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", again.text());
    let unknown =
        send_json(&app, Method::DELETE, "/v1/plans/small/nodes/1.9", &editor, 2, body).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND, "{}", unknown.text());
    let stale = send_json(&app, Method::DELETE, "/v1/plans/small/nodes/2", &editor, 1, body).await;
    assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED, "{}", stale.text());
    let reader =
        send_json(&app, Method::DELETE, "/v1/plans/small/nodes/2", &app.tokens.reader, 2, body)
            .await;
    assert_eq!(reader.status, StatusCode::FORBIDDEN, "{}", reader.text());
}
