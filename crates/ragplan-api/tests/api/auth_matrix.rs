//! The auth matrix: every route × {no token, bad token, revoked, reader, editor,
//! admin}, with the expected status of each cell written out. Each cell runs on a
//! fresh app holding the small plan at version 1, with a body the route accepts, so
//! that a caller allowed in gets the route's success status.

use axum::http::Method;

use crate::common::{SMALL_PLAN, TestApp};

struct Case {
    method: Method,
    path: &'static str,
    content_type: Option<&'static str>,
    body: &'static str,
    /// Expected status for: no token, bad token, revoked, reader, editor, admin.
    expected: [u16; 6],
}

const NEW_PLAN: &str = r#"{"format": "ragplan/1", "id": "new-plan", "title": "New plan"}"#;
const TSV: &str = "Actions\tAction RAG\tAccountable\tTimescale\nAgree the protocol\tGreen\tJayne Hutchings\tMay 2015\n";
const UPDATE: &str = r#"{"by": "Jayne Hutchings", "delivery_rating": "amber"}"#;
const NEW_TOKEN: &str = r#"{"name": "performance-dashboard", "role": "reader"}"#;
const OVERRIDE: &str = r#"{"rating": "amber", "by": "Chair", "justification": "Police data"}"#;
const WITHDRAWAL: &str = r#"{"by": "Chair", "justification": "Police data corrected"}"#;
const READING: &str = r#"{"by": "Analyst", "value": 62}"#;
const PATCH: &str = r#"{"by": "LSCB Business Manager", "accountable": ["Pat Example"]}"#;
const NEW_NODE: &str = r#"{"under": "1.1", "title": "Train school staff", "by": "Analyst"}"#;
const REMOVAL: &str = r#"{"by": "Analyst", "justification": "Merged into 1.1.2"}"#;

#[rustfmt::skip]
fn cases() -> Vec<Case> {
    let json = Some("application/json");
    let tsv = Some("text/tab-separated-values");
    let patch = Some("application/merge-patch+json");
    let case = |method, path, content_type, body, expected| Case { method, path, content_type, body, expected };
    vec![
        //                                                                                                   none bad  rev  read edit admin
        case(Method::GET,    "/healthz",                               None, "",         [200, 200, 200, 200, 200, 200]),
        case(Method::GET,    "/v1/openapi.json",                       None, "",         [200, 200, 200, 200, 200, 200]),
        case(Method::GET,    "/v1/plans",                              None, "",         [401, 401, 401, 200, 200, 200]),
        case(Method::POST,   "/v1/plans",                              json, NEW_PLAN,   [401, 401, 401, 403, 201, 201]),
        case(Method::POST,   "/v1/plans/import?format=tsv&id=imported", tsv, TSV,        [401, 401, 401, 403, 201, 201]),
        case(Method::GET,    "/v1/plans/small",                        None, "",         [401, 401, 401, 200, 200, 200]),
        case(Method::DELETE, "/v1/plans/small",                        None, "",         [401, 401, 401, 403, 403, 204]),
        case(Method::POST,   "/v1/plans/small/reimport?format=json",   json, SMALL_PLAN, [401, 401, 401, 403, 200, 200]),
        case(Method::GET,    "/v1/plans/small/assessment",             None, "",         [401, 401, 401, 200, 200, 200]),
        case(Method::GET,    "/v1/plans/small/lints",                  None, "",         [401, 401, 401, 200, 200, 200]),
        case(Method::GET,    "/v1/plans/small/report?format=md",       None, "",         [401, 401, 401, 200, 200, 200]),
        case(Method::GET,    "/v1/plans/small/history",                None, "",         [401, 401, 401, 200, 200, 200]),
        case(Method::GET,    "/v1/plans/small/actions/1.1.1",          None, "",         [401, 401, 401, 200, 200, 200]),
        case(Method::POST,   "/v1/plans/small/actions/1.1.1/updates",  json, UPDATE,     [401, 401, 401, 403, 201, 201]),
        case(Method::PUT,    "/v1/plans/small/actions/1.1.1/override", json, OVERRIDE,   [401, 401, 401, 403, 200, 200]),
        case(Method::POST,   "/v1/plans/small/nodes",                  json, NEW_NODE,   [401, 401, 401, 403, 201, 201]),
        case(Method::PATCH,  "/v1/plans/small/nodes/1.1.1",            patch, PATCH,     [401, 401, 401, 403, 200, 200]),
        case(Method::DELETE, "/v1/plans/small/nodes/1.1.1",            json, REMOVAL,    [401, 401, 401, 403, 200, 200]),
        case(Method::GET,    "/v1/plans/small/nodes/1.1.1/log",        None, "",         [401, 401, 401, 200, 200, 200]),
        // The small plan has no measure: a writer is answered 404.
        case(Method::POST,   "/v1/plans/small/measures/M1/readings",   json, READING,    [401, 401, 401, 403, 404, 404]),
        case(Method::PUT,    "/v1/plans/small/nodes/1.1/override",     json, OVERRIDE,   [401, 401, 401, 403, 200, 200]),
        // Nothing stands on the small plan to withdraw: a writer is answered 422.
        case(Method::DELETE, "/v1/plans/small/nodes/1.1/override",     json, WITHDRAWAL, [401, 401, 401, 403, 422, 422]),
        case(Method::PUT,    "/v1/plans/small/override",               json, OVERRIDE,   [401, 401, 401, 403, 200, 200]),
        case(Method::DELETE, "/v1/plans/small/override",               json, WITHDRAWAL, [401, 401, 401, 403, 422, 422]),
        case(Method::GET,    "/v1/owners/Jayne%20Hutchings/actions",   None, "",         [401, 401, 401, 200, 200, 200]),
        case(Method::GET,    "/v1/portfolio?as_of=2015-06-30",        None, "",         [401, 401, 401, 200, 200, 200]),
        case(Method::GET,    "/v1/tokens",                             None, "",         [401, 401, 401, 403, 403, 200]),
        case(Method::POST,   "/v1/tokens",                             json, NEW_TOKEN,  [401, 401, 401, 403, 403, 201]),
        case(Method::DELETE, "/v1/tokens/1",                           None, "",         [401, 401, 401, 403, 403, 204]),
    ]
}

#[tokio::test]
async fn every_route_for_every_caller() {
    let cases = cases();
    assert_eq!(cases.len(), ragplan_api::ROUTES.len(), "one case per route");
    let mut failures = Vec::new();
    for case in &cases {
        for (column, expected) in case.expected.iter().enumerate() {
            let app = TestApp::with_small_plan().await;
            let bad =
                "rp_0000000000000000000000000000000000000000000000000000000000000000".to_owned();
            let token = match column {
                0 => None,
                1 => Some(bad),
                2 => Some(app.tokens.revoked.clone()),
                3 => Some(app.tokens.reader.clone()),
                4 => Some(app.tokens.editor.clone()),
                _ => Some(app.tokens.admin.clone()),
            };
            let if_match = (case.method != Method::GET).then_some("\"1\"");
            let response = app
                .request(
                    case.method.clone(),
                    case.path,
                    token.as_deref(),
                    case.content_type,
                    if_match,
                    case.body,
                )
                .await;
            if response.status.as_u16() != *expected {
                failures.push(format!(
                    "{} {} as {}: expected {expected}, got {} {}",
                    case.method,
                    case.path,
                    ["no token", "bad token", "revoked", "reader", "editor", "admin"][column],
                    response.status,
                    response.text()
                ));
            }
            if response.status.as_u16() == 401 {
                assert_eq!(response.header("www-authenticate"), "Bearer");
                response.problem();
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn a_header_that_is_not_a_bearer_token_is_401() {
    let app = TestApp::new();
    for value in ["Basic dXNlcjpwYXNz", "Bearer ", "Token abc"] {
        let request = axum::http::Request::get("/v1/plans")
            .header("authorization", value)
            .body(axum::body::Body::empty())
            .unwrap();
        let response = app.send(request).await;
        assert_eq!(response.status.as_u16(), 401, "{value}");
    }
}
