//! Plans: create, list, read, delete, import, re-import, assessment, lints, report,
//! history and owners.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::common::{COVENTRY_TSV, SMALL_PLAN, TestApp};

#[path = "../../../ragplan-import/tests/import/docx_writer.rs"]
mod docx_writer;

#[tokio::test]
async fn healthz_answers_without_a_token() {
    let app = TestApp::new();
    let response = app.get("/healthz", None).await;
    assert_eq!(response.status, StatusCode::OK);
    let mut body = response.json();
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
    body["version"] = "[version]".into();
    insta::assert_json_snapshot!(body, @r#"
    {
      "database": "ok",
      "status": "ok",
      "version": "[version]"
    }
    "#);
}

#[tokio::test]
async fn a_created_plan_reads_back_with_its_etag_and_location() {
    let app = TestApp::new();
    let created = app.post_json("/v1/plans", Some(&app.tokens.editor), SMALL_PLAN, None).await;
    assert_eq!(created.status, StatusCode::CREATED);
    assert_eq!(created.header("etag"), "\"1\"");
    assert_eq!(created.header("location"), "/v1/plans/small");
    let canonical = ragplan_core::Plan::from_json(SMALL_PLAN).unwrap().to_json();
    assert_eq!(created.text(), canonical);

    let read = app.get("/v1/plans/small", Some(&app.tokens.reader)).await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(read.header("etag"), "\"1\"");
    assert_eq!(read.header("content-type"), "application/json");
    assert_eq!(read.text(), canonical);

    let again = app.post_json("/v1/plans", Some(&app.tokens.editor), SMALL_PLAN, None).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    insta::assert_json_snapshot!(again.problem(), @r#"
    {
      "detail": "a plan with the id small already exists",
      "status": 409,
      "title": "Already exists",
      "type": "urn:ragplan:problem:conflict"
    }
    "#);
}

#[tokio::test]
async fn a_document_with_problems_is_refused_naming_the_json_path() {
    let app = TestApp::new();
    let bad = r#"{"format": "ragplan/1", "id": "p", "title": "Plan",
        "objectives": [{"key": "1", "title": "O", "actions": [{"key": "1.1", "title": "A", "action_rag": "purple"}]}]}"#;
    let response = app.post_json("/v1/plans", Some(&app.tokens.editor), bad, None).await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
    let problem = response.problem();
    assert_eq!(problem["type"], "urn:ragplan:problem:malformed-body");
    assert_eq!(problem["errors"][0]["at"], "objectives[0].actions[0].action_rag");
    assert!(problem["errors"][0]["message"].as_str().unwrap().contains("purple"), "{problem}");
}

#[tokio::test]
async fn the_list_shows_headline_ratings_and_pages() {
    let app = TestApp::with_small_plan().await;
    for id in ["b-plan", "c-plan"] {
        let doc =
            json!({"format": "ragplan/1", "id": id, "title": format!("Plan {id}")}).to_string();
        let response = app.post_json("/v1/plans", Some(&app.tokens.editor), &doc, None).await;
        assert_eq!(response.status, StatusCode::CREATED);
    }
    let all = app.get("/v1/plans", Some(&app.tokens.reader)).await;
    assert_eq!(all.status, StatusCode::OK);
    // The small plan is Red on delivery as of 30 June 2015 (1.1.1 is overdue, worked
    // out in common.rs); an empty plan has nothing to rate.
    insta::assert_json_snapshot!(all.json(), @r#"
    {
      "items": [
        {
          "created_at": "2015-06-30T12:00:00Z",
          "delivery_rating": "not_rated",
          "id": "b-plan",
          "n_actions": 0,
          "outcome_rating": "not_rated",
          "title": "Plan b-plan",
          "updated_at": "2015-06-30T12:00:00Z",
          "version": 1
        },
        {
          "created_at": "2015-06-30T12:00:00Z",
          "delivery_rating": "not_rated",
          "id": "c-plan",
          "n_actions": 0,
          "outcome_rating": "not_rated",
          "title": "Plan c-plan",
          "updated_at": "2015-06-30T12:00:00Z",
          "version": 1
        },
        {
          "created_at": "2015-06-30T12:00:00Z",
          "delivery_rating": "red",
          "id": "small",
          "n_actions": 4,
          "outcome_rating": "not_rated",
          "title": "Small test plan",
          "updated_at": "2015-06-30T12:00:00Z",
          "version": 1
        }
      ],
      "limit": 50,
      "offset": 0,
      "total": 3
    }
    "#);
    let page = app.get("/v1/plans?limit=1&offset=1", Some(&app.tokens.reader)).await.json();
    let ids: Vec<&str> =
        page["items"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["c-plan"]);
    assert_eq!(page["total"], 3);

    let bad = app.get("/v1/plans?limit=lots", Some(&app.tokens.reader)).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.problem()["type"], "urn:ragplan:problem:bad-request");
}

#[tokio::test]
async fn the_assessment_is_the_engine_document() {
    let app = TestApp::with_small_plan().await;
    let response =
        app.get("/v1/plans/small/assessment?as_of=2015-06-30", Some(&app.tokens.reader)).await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.header("etag"), "\"1\"");
    let body = response.json();
    assert_eq!(body["format"], "ragplan-assessment/2");
    assert_eq!(body["as_of"], "2015-06-30");
    // Worked out by hand in common.rs: 1 red, 1 amber, 1 green, 1 complete.
    assert_eq!(body["delivery"]["rating"], "red");
    let counts = &body["delivery"]["counts"];
    assert_eq!((counts["red"].as_u64(), counts["amber"].as_u64()), (Some(1), Some(1)));
    assert_eq!((counts["green"].as_u64(), counts["complete"].as_u64()), (Some(1), Some(1)));
    let objectives: Vec<(&str, &str)> = body["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["key"].as_str().unwrap(), n["delivery"]["rating"].as_str().unwrap()))
        .collect();
    assert_eq!(objectives, [("1", "red"), ("2", "green")]);
    // The same as the engine gives for the same inputs.
    let plan = ragplan_core::Plan::from_json(SMALL_PLAN).unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(2015, 6, 30).unwrap();
    let policy = ragplan_core::Policy::default();
    let engine =
        ragplan_core::document::AssessmentDocument::from(&ragplan_core::rate(&plan, &policy, day));
    let engine_json: Value = serde_json::from_str(&engine.to_json()).unwrap();
    assert_eq!(body, engine_json);

    // Today (the fixed clock) is the default; the second read comes from the cache
    // and is the same.
    let default_day = app.get("/v1/plans/small/assessment", Some(&app.tokens.reader)).await;
    assert_eq!(default_day.json(), engine_json);

    // Under the reported source, 1.1.1 is Green as reported, so the plan is Amber.
    let reported = app
        .get(
            "/v1/plans/small/assessment?as_of=2015-06-30&policy=%7B%22source%22%3A%22reported%22%7D",
            Some(&app.tokens.reader),
        )
        .await
        .json();
    assert_eq!(reported["delivery"]["rating"], "amber");
}

#[tokio::test]
async fn assessment_parameters_are_checked() {
    let app = TestApp::with_small_plan().await;
    let bad_date =
        app.get("/v1/plans/small/assessment?as_of=30%2F06%2F2015", Some(&app.tokens.reader)).await;
    assert_eq!(bad_date.status, StatusCode::BAD_REQUEST);
    insta::assert_json_snapshot!(bad_date.problem(), @r#"
    {
      "detail": "\"30/06/2015\" is not a date; write it as YYYY-MM-DD",
      "status": 400,
      "title": "The request cannot be read",
      "type": "urn:ragplan:problem:bad-request"
    }
    "#);
    let bad_policy = app
        .get(
            "/v1/plans/small/assessment?policy=%7B%22objective%22%3A%22best_of%22%7D",
            Some(&app.tokens.reader),
        )
        .await;
    assert_eq!(bad_policy.status, StatusCode::UNPROCESSABLE_ENTITY);
    let problem = bad_policy.problem();
    assert_eq!(problem["errors"][0]["at"], "policy.objective");
    let unknown = app.get("/v1/plans/small/assessment?colour=red", Some(&app.tokens.reader)).await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    let missing = app.get("/v1/plans/nothing/assessment", Some(&app.tokens.reader)).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.problem()["detail"], "no plan has the id nothing");
}

#[tokio::test]
async fn lints_name_their_key() {
    let app = TestApp::with_small_plan().await;
    let response =
        app.get("/v1/plans/small/lints?as_of=2015-06-30", Some(&app.tokens.reader)).await;
    assert_eq!(response.status, StatusCode::OK);
    let body = response.json();
    assert_eq!(body["plan_id"], "small");
    assert_eq!(body["as_of"], "2015-06-30");
    let plan = ragplan_core::Plan::from_json(SMALL_PLAN).unwrap();
    let expected = serde_json::to_value(ragplan_core::validate(&plan)).unwrap();
    assert_eq!(body["lints"], expected);
}

#[tokio::test]
async fn the_report_comes_in_every_format_with_its_content_type() {
    let app = TestApp::with_small_plan().await;
    let cases = [
        ("md", "text/markdown; charset=utf-8"),
        ("html", "text/html; charset=utf-8"),
        ("csv", "text/csv; charset=utf-8"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("json", "application/json"),
    ];
    for (format, content_type) in cases {
        let path =
            format!("/v1/plans/small/report?format={format}&as_of=2015-06-30&previous=2015-03-31");
        let response = app.get(&path, Some(&app.tokens.reader)).await;
        assert_eq!(response.status, StatusCode::OK, "{format}: {}", response.text());
        assert_eq!(response.header("content-type"), content_type, "{format}");
        let body = &response.body;
        match format {
            "md" => assert!(body.starts_with(b"# Small test plan"), "{}", response.text()),
            "html" => assert!(body.starts_with(b"<!DOCTYPE html>")),
            "csv" => assert!(response.text().lines().count() == 5, "header and 4 actions"),
            "xlsx" => assert_eq!(&body[..2], b"PK"),
            "docx" => {
                let mut archive = zip::ZipArchive::new(std::io::Cursor::new(body)).unwrap();
                let mut xml = String::new();
                let mut part = archive.by_name("word/document.xml").unwrap();
                std::io::Read::read_to_string(&mut part, &mut xml).unwrap();
                assert!(xml.contains(">Small test plan</w:t>"), "the title");
                assert!(xml.contains(">■ RED</w:t>"), "a rating worded");
            }
            _ => assert_eq!(response.json()["plan"]["id"], "small"),
        }
        if matches!(format, "md" | "csv" | "xlsx" | "docx") {
            let disposition = format!("attachment; filename=\"small.{format}\"");
            assert_eq!(response.header("content-disposition"), disposition, "{format}");
        }
    }
    let default = app.get("/v1/plans/small/report", Some(&app.tokens.reader)).await;
    assert_eq!(default.header("content-type"), "text/html; charset=utf-8");

    let bad = app.get("/v1/plans/small/report?format=pdf", Some(&app.tokens.reader)).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let backwards = app
        .get(
            "/v1/plans/small/report?as_of=2015-03-31&previous=2015-06-30",
            Some(&app.tokens.reader),
        )
        .await;
    assert_eq!(backwards.status, StatusCode::UNPROCESSABLE_ENTITY);
    insta::assert_json_snapshot!(backwards.problem(), @r#"
    {
      "detail": "the previous report date 2015-06-30 is after as_of 2015-03-31",
      "errors": [
        {
          "at": "previous",
          "message": "the previous report date 2015-06-30 is after as_of 2015-03-31"
        }
      ],
      "status": 422,
      "title": "The request was refused",
      "type": "urn:ragplan:problem:validation-failed"
    }
    "#);
}

#[tokio::test]
async fn deleting_needs_the_current_version_and_keeps_the_history() {
    let app = TestApp::with_small_plan().await;
    let admin = Some(app.tokens.admin.as_str());
    let delete = |if_match: Option<&'static str>| {
        app.request(Method::DELETE, "/v1/plans/small", admin, None, if_match, "")
    };
    let missing = delete(None).await;
    assert_eq!(missing.status, StatusCode::PRECONDITION_REQUIRED);
    let stale = delete(Some("\"7\"")).await;
    assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED);
    assert_eq!(stale.problem()["current_version"], 1);
    assert_eq!(stale.header("etag"), "\"1\"");
    let done = delete(Some("\"1\"")).await;
    assert_eq!(done.status, StatusCode::NO_CONTENT);
    assert!(done.body.is_empty());
    assert_eq!(app.get("/v1/plans/small", admin).await.status, StatusCode::NOT_FOUND);

    let history = app.get("/v1/plans/small/history", admin).await.json();
    let summaries: Vec<&str> = history["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["summary"].as_str().unwrap())
        .collect();
    assert_eq!(summaries, ["created plan small (4 actions)", "deleted plan small"]);
    assert_eq!(history["items"][1]["who"], "board-admin");
    assert_eq!(history["items"][1]["after"], Value::Null);
    assert_eq!(history["items"][1]["before"]["id"], "small");
    assert_eq!(app.get("/v1/plans/never/history", admin).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_coventry_plan_imports_from_its_tsv() {
    let app = TestApp::new();
    let editor = Some(app.tokens.editor.as_str());
    let response = app
        .request(
            Method::POST,
            "/v1/plans/import?format=tsv&id=coventry-cse&title=Coventry%20CSE%20delivery%20plan",
            editor,
            Some("text/tab-separated-values"),
            None,
            COVENTRY_TSV,
        )
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    assert_eq!(response.header("location"), "/v1/plans/coventry-cse");
    let body = response.json();
    assert_eq!((body["id"].as_str(), body["version"].as_u64()), (Some("coventry-cse"), Some(1)));
    assert_eq!(body["plan"]["title"], "Coventry CSE delivery plan");
    // The same as the import crate gives for the same bytes.
    let options = ragplan_import::ImportOptions::for_format(ragplan_import::SourceFormat::Tsv)
        .with_id(Some(ragplan_core::PlanId::new("coventry-cse").unwrap()))
        .with_title(Some("Coventry CSE delivery plan".into()));
    let direct = ragplan_import::import(COVENTRY_TSV.as_bytes(), &options).unwrap();
    assert_eq!(body["plan"], serde_json::to_value(&direct.plan).unwrap());
    assert_eq!(body["diagnostics"], serde_json::to_value(&direct.diagnostics).unwrap());
    assert!(direct.plan.n_actions() > 10);

    let again = app
        .request(
            Method::POST,
            "/v1/plans/import?format=tsv&id=coventry-cse",
            editor,
            None,
            None,
            COVENTRY_TSV,
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);

    let empty =
        app.request(Method::POST, "/v1/plans/import?format=csv", editor, None, None, "").await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(empty.problem()["detail"], "the source cannot be imported: the source is empty");
    let bad_format =
        app.request(Method::POST, "/v1/plans/import?format=pdf", editor, None, None, "x").await;
    assert_eq!(bad_format.status, StatusCode::BAD_REQUEST);
    let not_word =
        app.request(Method::POST, "/v1/plans/import?format=docx", editor, None, None, "x").await;
    assert_eq!(not_word.status, StatusCode::UNPROCESSABLE_ENTITY);
    let detail = not_word.problem()["detail"].as_str().unwrap_or_default().to_owned();
    assert!(detail.starts_with("the source cannot be imported: the Word document cannot be read"));
}

#[tokio::test]
async fn the_coventry_plan_imports_from_a_word_document() {
    let app = TestApp::new();
    let editor = Some(app.tokens.editor.as_str());
    let bytes = docx_writer::docx(&docx_writer::body_from_tsv(COVENTRY_TSV));
    let word = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    let response = app
        .request(
            Method::POST,
            "/v1/plans/import?format=docx&id=coventry-docx",
            editor,
            Some(word),
            None,
            bytes.clone(),
        )
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    let body = response.json();
    let options = ragplan_import::ImportOptions::for_format(ragplan_import::SourceFormat::Docx)
        .with_id(Some(ragplan_core::PlanId::new("coventry-docx").unwrap()));
    let direct = ragplan_import::import(&bytes, &options).unwrap();
    assert_eq!(direct.plan.n_actions(), 34);
    assert_eq!(body["plan"], serde_json::to_value(&direct.plan).unwrap());
    assert_eq!(body["diagnostics"], serde_json::to_value(&direct.diagnostics).unwrap());
}

#[tokio::test]
async fn a_plan_cannot_take_the_id_of_a_route() {
    let app = TestApp::new();
    let editor = Some(app.tokens.editor.as_str());
    let document = SMALL_PLAN.replacen("\"id\": \"small\"", "\"id\": \"import\"", 1);
    assert_ne!(document, SMALL_PLAN);
    let created = app.post_json("/v1/plans", editor, &document, None).await;
    assert_eq!(created.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        created.problem()["detail"],
        "the plan id \"import\" names an API route and cannot be used; give the plan another id"
    );
    let imported = app
        .request(
            Method::POST,
            "/v1/plans/import?format=tsv&id=import",
            editor,
            None,
            None,
            COVENTRY_TSV,
        )
        .await;
    assert_eq!(imported.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(imported.problem()["errors"][0]["at"], "id");
    // Nothing was stored.
    let list = app.get("/v1/plans", editor).await;
    assert_eq!(list.json()["items"], json!([]), "{}", list.text());
}

#[tokio::test]
async fn a_reimport_merges_and_reports_the_changes() {
    let app = TestApp::new();
    let editor = Some(app.tokens.editor.as_str());
    let path = "/v1/plans/import?format=tsv&id=coventry-cse";
    let imported = app.request(Method::POST, path, editor, None, None, COVENTRY_TSV).await;
    assert_eq!(imported.status, StatusCode::CREATED);

    let reimport = "/v1/plans/coventry-cse/reimport?format=tsv";
    let without = app.request(Method::POST, reimport, editor, None, None, COVENTRY_TSV).await;
    assert_eq!(without.status, StatusCode::PRECONDITION_REQUIRED);

    let same = app.request(Method::POST, reimport, editor, None, Some("\"1\""), COVENTRY_TSV).await;
    assert_eq!(same.status, StatusCode::OK, "{}", same.text());
    assert_eq!(same.header("etag"), "\"2\"");
    assert_eq!(same.json()["changes"], json!([]), "the same source changes nothing");

    // A newer version where the plan renames one action.
    let first_action = COVENTRY_TSV
        .lines()
        .skip(2)
        .find_map(|line| line.split('\t').nth(2).filter(|t| t.len() > 20))
        .unwrap()
        .to_owned();
    let newer = COVENTRY_TSV.replacen(&first_action, &format!("{first_action} (revised)"), 1);
    let changed = app.request(Method::POST, reimport, editor, None, Some("\"2\""), newer).await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.text());
    let changes = changed.json()["changes"].clone();
    assert_eq!(changes.as_array().map(Vec::len), Some(1), "{changes}");
    assert!(changes[0]["title"].as_str().unwrap().ends_with("(revised)"), "{changes}");
}

#[tokio::test]
async fn owners_are_found_across_plans() {
    let app = TestApp::with_small_plan().await;
    let response = app.get("/v1/owners/jayne%20hutchings/actions", Some(&app.tokens.reader)).await;
    assert_eq!(response.status, StatusCode::OK);
    // 1.1.1 is overdue (Red) and 1.1.2 complete, as worked out in common.rs.
    insta::assert_json_snapshot!(response.json(), @r#"
    {
      "actions": [
        {
          "delivery_rating": "red",
          "due": "2015-05-31",
          "held_as": "accountable",
          "key": "1.1.1",
          "plan_id": "small",
          "plan_title": "Small test plan",
          "status": "in_progress",
          "timescale": "May 2015",
          "title": "Information sharing agreement to be in place"
        },
        {
          "delivery_rating": "complete",
          "due": "2015-04-30",
          "held_as": "accountable",
          "key": "1.1.2",
          "plan_id": "small",
          "plan_title": "Small test plan",
          "status": "complete",
          "timescale": "April 2015",
          "title": "Problem profile written"
        }
      ],
      "as_of": "2015-06-30",
      "owner": "jayne hutchings"
    }
    "#);
    let nobody = app.get("/v1/owners/Nobody/actions", Some(&app.tokens.reader)).await;
    assert_eq!(nobody.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_report_shows_the_plan_as_it_stood_on_its_date() {
    let app = TestApp::with_small_plan_in(TestApp::in_july()).await;
    let editor = Some(app.tokens.editor.as_str());
    let body = r#"{"delivery_rating": "Red", "by": "Workforce development", "on": "2015-07-15"}"#;
    let path = "/v1/plans/small/actions/1.2.1/updates";
    let update = app.post_json(path, editor, body, Some("\"1\"")).await;
    assert_eq!(update.status, StatusCode::CREATED, "{}", update.text());

    let delivery_on = |date: &'static str| {
        let app = &app;
        async move {
            let path = format!("/v1/plans/small/report?format=json&as_of={date}");
            let report = app.get(&path, Some(&app.tokens.reader)).await.json();
            let actions = report["actions"].as_array().cloned().unwrap_or_default();
            let row = actions.into_iter().find(|a| a["key"] == "1.2.1").unwrap_or_default();
            row["delivery"]["rating"].clone()
        }
    };
    // The update of 15 July is not in the report of 30 June, as `ragplan report` has it.
    assert_eq!(delivery_on("2015-06-30").await, "amber");
    assert_eq!(delivery_on("2015-07-31").await, "red");
}

/// An editor got 403 on `DELETE /v1/plans/{id}` but could empty the plan with
/// `POST …/reimport?prune=true` and a one-row table. Pruning now needs the admin
/// role, as deleting does; an editor's re-import keeps the missing actions, marked
/// removed.
#[tokio::test]
async fn an_editor_could_empty_a_plan_by_a_pruning_reimport() {
    let app = TestApp::new();
    let (editor, admin) = (Some(app.tokens.editor.as_str()), Some(app.tokens.admin.as_str()));
    let path = "/v1/plans/import?format=tsv&id=coventry-cse";
    let imported = app.request(Method::POST, path, editor, None, None, COVENTRY_TSV).await;
    assert_eq!(imported.status, StatusCode::CREATED);
    let one_row = "Actions\tAction RAG\tTimescale\nA new action\tGreen\tMay 2015\n";
    let prune = "/v1/plans/coventry-cse/reimport?format=tsv&prune=true";
    let refused = app.request(Method::POST, prune, editor, None, Some("\"1\""), one_row).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.text());
    assert_eq!(refused.problem()["type"].as_str().map(|t| t.ends_with("forbidden")), Some(true));
    let plan = app.get("/v1/plans/coventry-cse", editor).await;
    assert_eq!(plan.header("etag"), "\"1\"", "the refused re-import changed the plan");
    // Without prune, the editor's re-import keeps the missing actions, marked removed.
    let keep = "/v1/plans/coventry-cse/reimport?format=tsv";
    let kept = app.request(Method::POST, keep, editor, None, Some("\"1\""), one_row).await;
    assert_eq!(kept.status, StatusCode::OK, "{}", kept.text());
    let plan = app.get("/v1/plans/coventry-cse", editor).await.json();
    let removed = plan.to_string().matches("\"removed\":true").count();
    assert!(removed > 10, "{removed} actions marked removed");
    // An admin may prune.
    let pruned = app.request(Method::POST, prune, admin, None, Some("\"2\""), one_row).await;
    assert_eq!(pruned.status, StatusCode::OK, "{}", pruned.text());
}

#[tokio::test]
async fn import_takes_the_delimiter_transpose_and_rating_map_as_query_parameters() {
    let app = TestApp::new();
    let editor = Some(app.tokens.editor.as_str());
    // On its side, colon-separated, with coded ratings.
    let source = "Project:Leaflets:Website\nRAG:lg:lar\n";
    let response = app
        .request(
            Method::POST,
            "/v1/plans/import?id=coded&delimiter=%3A&transpose=true&rating_map=lg%3Dgreen%2Clar%3Damber%2Fred",
            editor,
            Some("text/csv"),
            None,
            source,
        )
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    let body = response.json();
    let actions = &body["plan"]["objectives"][0]["actions"];
    assert_eq!(actions[0]["title"], "Leaflets");
    assert_eq!(actions[1]["action_rag"], "amber_red");
    assert_eq!(body["plan"]["scale"], "dca5");
    let bad = app
        .request(Method::POST, "/v1/plans/import?delimiter=ab", editor, None, None, source)
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.text());
}

/// A re-import through the API kept a logged update against an older table, as
/// `ragplan import --into` does, but its answer left out the `update-kept` warning
/// that says so.
#[tokio::test]
async fn a_reimport_answer_left_out_the_update_that_stood() {
    let app = TestApp::in_july();
    let editor = Some(app.tokens.editor.as_str());
    let table = "Actions\tAction RAG\tTimescale\nTrain taxi drivers\tGreen\tMarch 2016\n";
    let path = "/v1/plans/import?format=tsv&id=taxis&reported_on=2015-06-30";
    let imported = app.request(Method::POST, path, editor, None, None, table).await;
    assert_eq!(imported.status, StatusCode::CREATED, "{}", imported.text());
    let key = imported.json()["plan"]["objectives"][0]["actions"][0]["key"]
        .as_str()
        .map(str::to_owned)
        .or_else(|| {
            let plan = imported.json()["plan"].clone();
            plan["objectives"][0]["sub_objectives"][0]["actions"][0]["key"]
                .as_str()
                .map(str::to_owned)
        })
        .unwrap_or_else(|| panic!("no action key in {}", imported.text()));
    let update = r#"{"by": "R Eaves", "on": "2015-07-15", "delivery_rating": "amber"}"#;
    let updates = format!("/v1/plans/taxis/actions/{key}/updates");
    let updated = app.post_json(&updates, editor, update, Some("\"1\"")).await;
    assert_eq!(updated.status, StatusCode::CREATED, "{}", updated.text());
    // The same table again, still reported on 30 June: older than the update.
    let reimport = "/v1/plans/taxis/reimport?format=tsv";
    let merged = app.request(Method::POST, reimport, editor, None, Some("\"2\""), table).await;
    assert_eq!(merged.status, StatusCode::OK, "{}", merged.text());
    let diagnostics = merged.json()["diagnostics"].to_string();
    assert!(diagnostics.contains("update-kept"), "{diagnostics}");
}

#[tokio::test]
async fn imports_and_reimports_past_the_servers_import_limits_are_refused_naming_the_limit() {
    let mut limits = ragplan_import::Limits::default();
    limits.set("rows", 3).unwrap();
    let app = TestApp::with_state(|state| state.with_import_limits(limits));
    let editor = Some(app.tokens.editor.as_str());
    let path = "/v1/plans/import?format=tsv&id=coventry-cse";
    let refused = app.request(Method::POST, path, editor, None, None, COVENTRY_TSV).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let problem = refused.problem();
    assert_eq!(problem["errors"][0]["at"], "row 4", "{problem}");
    assert!(
        problem["detail"].as_str().unwrap_or_default().contains("over the limit rows=3 ("),
        "{problem}"
    );
    let small = "Actions\tAction RAG\nAudit\tRed\n";
    let created = app.request(Method::POST, path, editor, None, None, small).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    let reimport = "/v1/plans/coventry-cse/reimport?format=tsv";
    let refused =
        app.request(Method::POST, reimport, editor, None, Some("\"1\""), COVENTRY_TSV).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.problem()["detail"].as_str().unwrap_or_default().contains("rows=3"));
}

/// A GET with `If-None-Match` naming the plan's version was answered in full every
/// time; it is now 304 with no body, and a newer version is sent in full.
#[tokio::test]
async fn if_none_match_on_the_current_version_is_304() {
    use axum::body::Body;
    use axum::http::Request;
    let app = TestApp::with_small_plan().await;
    let get = |tag: &'static str| {
        Request::get("/v1/plans/small/assessment")
            .header("authorization", format!("Bearer {}", app.tokens.reader))
            .header("if-none-match", tag)
            .body(Body::empty())
            .unwrap()
    };
    let same = app.send(get("\"1\"")).await;
    assert_eq!(same.status, StatusCode::NOT_MODIFIED, "{}", same.text());
    assert_eq!(same.header("etag"), "\"1\"");
    assert!(same.body.is_empty());
    let weak = app.send(get("W/\"0\", W/\"1\"")).await;
    assert_eq!(weak.status, StatusCode::NOT_MODIFIED);
    let other = app.send(get("\"7\"")).await;
    assert_eq!(other.status, StatusCode::OK);
    assert!(!other.body.is_empty());
}

/// Every response was sent uncompressed; a client that accepts gzip now gets it.
#[tokio::test]
async fn a_client_that_accepts_gzip_gets_the_assessment_compressed() {
    use std::io::Read;

    use axum::body::Body;
    use axum::http::Request;
    let app = TestApp::with_small_plan().await;
    let request = Request::get("/v1/plans/small/assessment")
        .header("authorization", format!("Bearer {}", app.tokens.reader))
        .header("accept-encoding", "gzip")
        .body(Body::empty())
        .unwrap();
    let response = app.send(request).await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.header("content-encoding"), "gzip");
    let mut text = String::new();
    flate2::read::GzDecoder::new(&response.body[..]).read_to_string(&mut text).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["format"], "ragplan-assessment/2");
    let plain = app.get("/v1/plans/small/assessment", Some(&app.tokens.reader)).await;
    assert!(response.body.len() < plain.body.len());
}

/// The assessment was compressed again on every request that asked, at the fastest
/// level: most of the server's time under load. It is compressed once per version,
/// date and policy, and served as it is to every client that accepts gzip; a client
/// that refuses gzip (`q=0`) gets the same JSON uncompressed, and both say they vary
/// by `Accept-Encoding`.
#[tokio::test]
async fn the_assessment_was_compressed_on_every_request() {
    use std::io::Read;

    use axum::body::Body;
    use axum::http::Request;
    let app = TestApp::with_small_plan().await;
    let get = |encoding: &str| {
        Request::get("/v1/plans/small/assessment")
            .header("authorization", format!("Bearer {}", app.tokens.reader))
            .header("accept-encoding", encoding)
            .body(Body::empty())
            .unwrap()
    };
    let first = app.send(get("br;q=0.9, gzip;q=0.5")).await;
    let again = app.send(get("GZIP")).await;
    assert_eq!(first.header("content-encoding"), "gzip");
    let mut text = String::new();
    flate2::read::GzDecoder::new(&first.body[..]).read_to_string(&mut text).unwrap();
    let refused = app.send(get("gzip;q=0, identity")).await;
    assert!(refused.headers.get("content-encoding").is_none());
    assert_eq!(text.as_bytes(), &refused.body[..]);
    // The bytes the cache holds, compressed once at the default level, not the
    // compression layer's fastest level of every other response.
    let mut once = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut once, &refused.body).unwrap();
    let once = once.finish().unwrap();
    assert_eq!((&first.body[..], &again.body[..]), (&once[..], &once[..]));
    for response in [&first, &refused] {
        assert_eq!(response.header("vary"), "accept-encoding");
        assert_eq!(response.header("etag"), "\"1\"");
    }
    // A 304 says what the 200 would have said of the representation.
    let mut conditional = get("gzip");
    conditional.headers_mut().insert("if-none-match", "\"1\"".parse().unwrap());
    let unchanged = app.send(conditional).await;
    assert_eq!(unchanged.status, StatusCode::NOT_MODIFIED);
    assert_eq!(unchanged.header("vary"), "accept-encoding");
}

/// A page on another origin could not call the API: a preflight was 405. With
/// `--cors-origin` it is allowed, with the headers a client needs; other origins,
/// and every origin by default, get no CORS headers.
#[tokio::test]
async fn cors_lets_the_named_origin_call_the_api() {
    use axum::body::Body;
    use axum::http::{Method, Request};
    let origin = "https://intranet.example.gov.uk";
    let app = TestApp::with_state(|s| s.with_cors_origins(vec![origin.to_owned()]));
    let preflight = |from: &str| {
        Request::builder()
            .method(Method::OPTIONS)
            .uri("/v1/plans")
            .header("origin", from)
            .header("access-control-request-method", "PATCH")
            .header("access-control-request-headers", "authorization, if-match")
            .body(Body::empty())
            .unwrap()
    };
    let allowed = app.send(preflight(origin)).await;
    assert_eq!(allowed.status, StatusCode::OK, "{}", allowed.text());
    assert_eq!(allowed.header("access-control-allow-origin"), origin);
    assert!(allowed.header("access-control-allow-methods").contains("PATCH"));
    assert!(allowed.header("access-control-allow-headers").contains("if-match"));
    let other = app.send(preflight("https://elsewhere.example")).await;
    assert!(other.headers.get("access-control-allow-origin").is_none());
    let get = Request::get("/v1/plans")
        .header("origin", origin)
        .header("authorization", format!("Bearer {}", app.tokens.reader))
        .body(Body::empty())
        .unwrap();
    let response = app.send(get).await;
    assert_eq!(response.header("access-control-allow-origin"), origin);
    assert!(response.header("access-control-expose-headers").contains("etag"));

    let closed = TestApp::new();
    let refused = closed.send(preflight(origin)).await;
    assert!(refused.headers.get("access-control-allow-origin").is_none());
}

/// Every plan rated together: two plans (one tagged), each with its ratings, the
/// roll-up over them, the worst actions named by plan; `tag` keeps the tagged one,
/// a tag no plan has gives an empty portfolio, and a bad date is 400.
#[tokio::test]
async fn the_portfolio_rates_every_plan_together_and_filters_by_tag() {
    let app = TestApp::with_small_plan().await;
    let mut other: Value = serde_json::from_str(SMALL_PLAN).unwrap();
    other["id"] = "other".into();
    other["title"] = "Another board's plan".into();
    other["tags"] = json!(["West Midlands", "cse"]);
    let created =
        app.post_json("/v1/plans", Some(&app.tokens.editor), &other.to_string(), None).await;
    assert_eq!(created.status, StatusCode::CREATED);

    let all = app.get("/v1/portfolio?as_of=2015-06-30", Some(&app.tokens.reader)).await;
    assert_eq!(all.status, StatusCode::OK);
    let body = all.json();
    assert_eq!(body["format"], "ragplan-portfolio/1");
    let ids: Vec<&str> =
        body["plans"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["other", "small"]);
    assert_eq!(body["rollup"]["plans"]["total"], 2);
    let one = body["plans"][0]["counts"]["total"].as_u64().unwrap();
    assert_eq!(body["rollup"]["actions"]["total"].as_u64(), Some(2 * one));
    assert_eq!(body["rollup"]["delivery"]["rating"], body["plans"][0]["delivery"]["rating"]);
    let worst = body["worst"].as_array().unwrap();
    assert!(!worst.is_empty());
    assert!(
        worst.iter().any(|a| a["plan_id"] == "small")
            && worst.iter().any(|a| a["plan_id"] == "other")
    );
    assert!(worst.iter().all(|a| a["reason"].as_str().unwrap().ends_with('.')));

    let tagged = app
        .get("/v1/portfolio?as_of=2015-06-30&tag=west%20midlands", Some(&app.tokens.reader))
        .await;
    let tagged = tagged.json();
    assert_eq!(tagged["plans"].as_array().unwrap().len(), 1);
    assert_eq!(tagged["plans"][0]["tags"], json!(["West Midlands", "cse"]));
    let blank = app.get("/v1/portfolio?as_of=2015-06-30&tag=%20", Some(&app.tokens.reader)).await;
    assert_eq!(blank.json()["plans"].as_array().unwrap().len(), 2, "a blank tag filters nothing");
    let none = app.get("/v1/portfolio?as_of=2015-06-30&tag=north", Some(&app.tokens.reader)).await;
    let none = none.json();
    assert_eq!(
        (none["plans"].as_array().unwrap().len(), &none["rollup"]["delivery"]["rating"]),
        (0, &json!("not_rated"))
    );
    assert_eq!(none["rollup"]["reasons"][0], "Not rated: the portfolio holds no plan.");
    let bad = app.get("/v1/portfolio?as_of=30-06-2015", Some(&app.tokens.reader)).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}
