//! Shared helpers: an app over a fresh SQLite store with a fixed clock and one token
//! of each role, requests, and the small plan whose ratings are worked out by hand.

use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Method, Request, StatusCode};
use chrono::{TimeZone, Utc};
use http_body_util::BodyExt;
use ragplan_api::{AppState, Clock, Role, SqliteStore, Store, create_token, router};
use tower::ServiceExt;

/// The server's "now" in these tests: noon on 30 June 2015, the end of Q1 2015/16.
pub fn noon_30_june_2015() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2015, 6, 30, 12, 0, 0).unwrap()
}

/// The bundled Coventry CSE delivery plan as the analysts' TSV.
pub const COVENTRY_TSV: &str =
    include_str!("../../../../examples/plans/coventry-cse-delivery-plan.tsv");

/// One token of each kind, and a revoked one.
pub struct Tokens {
    pub reader: String,
    pub editor: String,
    pub admin: String,
    pub revoked: String,
}

/// An app over a fresh store.
pub struct TestApp {
    pub app: Router,
    pub tokens: Tokens,
    _dir: tempfile::TempDir,
}

/// A response, read whole.
#[derive(Debug)]
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl TestResponse {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn text(&self) -> String {
        String::from_utf8(self.body.to_vec()).unwrap()
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).map(|v| v.to_str().unwrap()).unwrap_or("")
    }

    /// The body of a problem response, checking its media type and status field.
    pub fn problem(&self) -> serde_json::Value {
        assert_eq!(self.header("content-type"), "application/problem+json", "{}", self.text());
        let body = self.json();
        assert_eq!(body["status"], self.status.as_u16());
        body
    }
}

impl TestApp {
    pub fn new() -> TestApp {
        TestApp::with_max_body(ragplan_api::DEFAULT_MAX_BODY)
    }

    pub fn with_max_body(max_body: usize) -> TestApp {
        TestApp::with_state(|state| state.with_max_body(max_body))
    }

    /// An app whose state `configure` sets up (limits, deadline) past the test
    /// clock and tokens.
    pub fn with_state(configure: impl FnOnce(AppState) -> AppState) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(SqliteStore::open(dir.path().join("ragplan.db")).unwrap());
        let at = noon_30_june_2015();
        let token = |name: &str, role| create_token(store.as_ref(), name, role, at).unwrap();
        let (_, reader) = token("dashboard", Role::Reader);
        let (_, editor) = token("case-system", Role::Editor);
        let (_, admin) = token("board-admin", Role::Admin);
        let (revoked_info, revoked) = token("old-intranet", Role::Admin);
        store.revoke_token(revoked_info.id, at).unwrap();
        let state = configure(AppState::new(store.clone()).with_clock(Clock::Fixed(at)));
        TestApp {
            app: router(state),
            tokens: Tokens {
                reader: reader.secret,
                editor: editor.secret,
                admin: admin.secret,
                revoked: revoked.secret,
            },
            _dir: dir,
        }
    }

    /// An app that already holds [`SMALL_PLAN`] at version 1.
    pub async fn with_small_plan() -> TestApp {
        TestApp::with_small_plan_in(TestApp::new()).await
    }

    /// An app whose clock reads noon on 31 July 2015, a month after the tests' usual
    /// day: for updates dated in July, which an update dated after today may not be.
    pub fn in_july() -> TestApp {
        let at = Utc.with_ymd_and_hms(2015, 7, 31, 12, 0, 0).unwrap();
        TestApp::with_state(|state| state.with_clock(Clock::Fixed(at)))
    }

    /// `app` with the small plan stored.
    pub async fn with_small_plan_in(app: TestApp) -> TestApp {
        let response = app.post_json("/v1/plans", Some(&app.tokens.editor), SMALL_PLAN, None).await;
        assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
        app
    }

    pub async fn send(&self, request: Request<Body>) -> TestResponse {
        let response = self.app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        TestResponse { status, headers, body }
    }

    pub async fn request(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        content_type: Option<&str>,
        if_match: Option<&str>,
        body: impl Into<Body>,
    ) -> TestResponse {
        let mut builder = Request::builder().method(method).uri(path);
        if let Some(token) = token {
            builder = builder.header("authorization", format!("Bearer {token}"));
        }
        if let Some(content_type) = content_type {
            builder = builder.header("content-type", content_type);
        }
        if let Some(if_match) = if_match {
            builder = builder.header("if-match", if_match);
        }
        self.send(builder.body(body.into()).unwrap()).await
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> TestResponse {
        self.request(Method::GET, path, token, None, None, Body::empty()).await
    }

    pub async fn post_json(
        &self,
        path: &str,
        token: Option<&str>,
        body: &str,
        if_match: Option<&str>,
    ) -> TestResponse {
        self.request(Method::POST, path, token, Some("application/json"), if_match, body.to_owned())
            .await
    }

    pub async fn put_json(
        &self,
        path: &str,
        token: Option<&str>,
        body: &str,
        if_match: Option<&str>,
    ) -> TestResponse {
        self.request(Method::PUT, path, token, Some("application/json"), if_match, body.to_owned())
            .await
    }
}

/// A small plan on the BRAG scale. As of 30 June 2015, under the default policy
/// (worse of reported and derived, worst-of roll-up):
///
/// - 1.1.1 reported Green, in progress, due 31 May 2015 → Red, 30 days overdue;
/// - 1.1.2 complete with evidence → Complete;
/// - 1.2.1 reported Amber, in progress, due 31 March 2016, updated 1 June 2015 → Amber;
/// - 2.1 reported Green, due 31 March 2016, with evidence, updated 15 June 2015 → Green.
///
/// So the plan's delivery counts are 1 red, 1 amber, 1 green, 1 complete (4 actions),
/// objective 1 is Red (worst of Red, Complete-as-Green, Amber) and objective 2 Green.
pub const SMALL_PLAN: &str =
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/small-plan.json"));
