//! Errors: unknown routes and methods, and internal errors that say nothing of the
//! inside.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use chrono::{DateTime, Utc};
use ragplan_api::store::{AuditEntry, AuditRecord, Page, StoredPlan};
use ragplan_api::{AppState, Role, Store, StoreError, TokenInfo, router};
use ragplan_core::{Plan, PlanId};
use tower::ServiceExt;

use crate::common::TestApp;

#[tokio::test]
async fn unknown_routes_and_methods_are_problems() {
    let app = TestApp::new();
    let missing = app.get("/v2/plans", Some(&app.tokens.reader)).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    insta::assert_json_snapshot!(missing.problem(), @r#"
    {
      "detail": "no route /v2/plans",
      "status": 404,
      "title": "Not found",
      "type": "urn:ragplan:problem:not-found"
    }
    "#);
    let method =
        app.request(Method::PATCH, "/v1/plans", Some(&app.tokens.reader), None, None, "").await;
    assert_eq!(method.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(method.problem()["type"], "urn:ragplan:problem:method-not-allowed");
}

/// A store whose database has gone: it knows one admin token and fails on
/// everything else, with a message that must not reach the client.
struct BrokenStore;

fn broken() -> StoreError {
    StoreError::Database(rusqlite_error())
}

fn rusqlite_error() -> rusqlite::Error {
    rusqlite::Error::InvalidPath("/srv/secret/ragplan.db".into())
}

impl Store for BrokenStore {
    fn plans(&self, _: u32, _: u64) -> Result<Page<StoredPlan>, StoreError> {
        Err(broken())
    }
    fn all_plans(&self) -> Result<Vec<StoredPlan>, StoreError> {
        Err(broken())
    }
    fn plan(&self, _: &PlanId) -> Result<Option<StoredPlan>, StoreError> {
        Err(broken())
    }
    fn create_plan(&self, _: Plan, _: AuditRecord) -> Result<StoredPlan, StoreError> {
        Err(broken())
    }
    fn replace_plan(&self, _: Plan, _: u64, _: AuditRecord) -> Result<StoredPlan, StoreError> {
        Err(broken())
    }
    fn delete_plan(&self, _: &PlanId, _: u64, _: AuditRecord) -> Result<(), StoreError> {
        Err(broken())
    }
    fn history(&self, _: &PlanId, _: u32, _: u64) -> Result<Page<AuditEntry>, StoreError> {
        Err(broken())
    }
    fn create_token(
        &self,
        _: &str,
        _: Role,
        _: &str,
        _: DateTime<Utc>,
    ) -> Result<TokenInfo, StoreError> {
        Err(broken())
    }
    fn create_first_token(
        &self,
        _: &str,
        _: Role,
        _: &str,
        _: DateTime<Utc>,
    ) -> Result<Option<TokenInfo>, StoreError> {
        Err(broken())
    }
    fn tokens(&self) -> Result<Vec<TokenInfo>, StoreError> {
        Err(broken())
    }
    fn token_by_hash(&self, hash: &str) -> Result<Option<TokenInfo>, StoreError> {
        Ok((hash == ragplan_api::auth::hash_token("rp_admin")).then(|| TokenInfo {
            id: 1,
            name: "admin".into(),
            role: Role::Admin,
            created_at: "2015-06-30T12:00:00Z".into(),
            revoked_at: None,
        }))
    }
    fn revoke_token(&self, _: i64, _: DateTime<Utc>) -> Result<bool, StoreError> {
        Err(broken())
    }
    fn check(&self) -> Result<(), StoreError> {
        Err(broken())
    }
}

#[tokio::test]
async fn internal_errors_are_500_with_no_detail() {
    let app = router(AppState::new(Arc::new(BrokenStore)));
    for path in ["/v1/plans", "/healthz", "/v1/plans/small/assessment"] {
        let request = Request::get(path)
            .header("authorization", "Bearer rp_admin")
            .body(Body::empty())
            .unwrap();
        let response = app.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR, "{path}");
        assert_eq!(response.headers()["content-type"], "application/problem+json");
        let body = http_body_util::BodyExt::collect(response.into_body()).await.unwrap().to_bytes();
        let text = String::from_utf8(body.to_vec()).unwrap();
        assert!(!text.contains("secret") && !text.contains("ragplan.db"), "{text}");
        assert_eq!(
            text,
            r#"{"type":"urn:ragplan:problem:internal","title":"Internal server error","status":500,"detail":"the server could not complete the request"}"#
        );
    }
}
