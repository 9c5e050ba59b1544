//! What the API's benches share: a router on a fresh SQLite store holding one plan.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::{TimeZone, Utc};
use ragplan_api::{AppState, Clock, Role, SqliteStore, create_token, router};
use ragplan_core::Plan;
use tower::ServiceExt;

/// A router on a SQLite store in `dir`, its clock fixed at 31 December 2015, holding
/// `plan` (stored through the API); the dashboard public when `public` is set.
/// Returns the router and an editor's `Authorization` header value, or `None` when
/// the store cannot be made.
pub fn serve(
    runtime: &tokio::runtime::Runtime,
    dir: &std::path::Path,
    plan: &Plan,
    public: bool,
) -> Option<(Router, String)> {
    let store = Arc::new(SqliteStore::open(dir.join("bench.db")).ok()?);
    let now = Utc.with_ymd_and_hms(2015, 12, 31, 12, 0, 0).single()?;
    let (_, editor) = create_token(store.as_ref(), "bench", Role::Editor, now).ok()?;
    let bearer = format!("Bearer {}", editor.secret);
    let state = AppState::new(store).with_clock(Clock::Fixed(now)).with_public_dashboard(public);
    let app = router(state);
    let created = runtime.block_on(
        app.clone().oneshot(
            Request::post("/v1/plans")
                .header("authorization", &bearer)
                .header("content-type", "application/json")
                .body(Body::from(plan.to_json()))
                .ok()?,
        ),
    );
    assert!(matches!(created, Ok(ref r) if r.status() == StatusCode::CREATED));
    Some((app, bearer))
}
