//! The ragplan JSON API: a small, versioned HTTP interface (`/v1/…`) through which
//! other council systems read a plan's ratings and record progress without a person
//! in the loop.
//!
//! # Overview
//!
//! - [`router`] builds the axum [`Router`] from an [`AppState`]. Every route is
//!   declared once, in one table (method, path, handler, errors), from which come the
//!   router, [`ROUTES`] and the paths of the OpenAPI 3.1 document
//!   ([`openapi::document`], served at `/v1/openapi.json`). The role a route needs is
//!   the type of its handler's [`Caller`] (`Caller<Editor>`), read into the table.
//! - [`store`]: the [`Store`] trait and [`SqliteStore`], the embedded default (WAL,
//!   numbered migrations, one transaction per write, append-only audit log).
//! - [`auth`]: bearer tokens kept only as SHA-256 hashes, and the roles reader, editor
//!   and admin (who may also manage tokens at `/v1/tokens`). No token or a bad one
//!   is 401; a token without the role is 403.
//! - [`error`]: every error is `application/problem+json`, from one table.
//! - Every plan has a version, sent as its `ETag`. Every write to an existing plan
//!   needs `If-Match` with that version (428 without it, 412 with a stale one), so two
//!   clients never silently overwrite each other.
//!
//! Handlers are thin: their extractors read the request (role, path, typed query and
//! body), they call `ragplan-core`, `ragplan-import`, `ragplan-report` or the store,
//! and map the result to a DTO ([`dto`]); every library error converts into
//! [`ApiError`]. No rating rule lives in this crate: an update or override is checked
//! by the core alone, whose problems the API answers as one 422.
//!
//! # Example
//!
//! ```
//! use std::sync::Arc;
//! use axum::body::Body;
//! use axum::http::{Request, StatusCode};
//! use ragplan_api::{AppState, Role, SqliteStore, create_token, router};
//! use tower::ServiceExt;
//!
//! # tokio::runtime::Runtime::new()?.block_on(async {
//! let dir = tempfile::tempdir()?;
//! let store = Arc::new(SqliteStore::open(dir.path().join("ragplan.db"))?);
//! let (_, token) = create_token(store.as_ref(), "dashboard", Role::Reader, chrono::Utc::now())?;
//! let app = router(AppState::new(store));
//!
//! let request = Request::get("/v1/plans")
//!     .header("authorization", format!("Bearer {}", token.secret))
//!     .body(Body::empty())?;
//! let response = app.clone().oneshot(request).await?;
//! assert_eq!(response.status(), StatusCode::OK);
//!
//! // Without a token: 401, as a problem.
//! let response = app.oneshot(Request::get("/v1/plans").body(Body::empty())?).await?;
//! assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
//! assert_eq!(response.headers()["content-type"], "application/problem+json");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! # })?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

pub mod auth;
pub mod dto;
pub mod error;
mod extract;
pub mod openapi;
mod routes;
pub mod store;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Request};
use axum::middleware::{self, Next};
use axum::response::Response;
use chrono::{DateTime, NaiveDate, Utc};

pub use auth::{Admin, Caller, Editor, NewToken, Reader, Required, Role};
pub use error::{ApiError, ErrorKind, Problem};
pub use routes::{ROUTES, RouteInfo};
pub use store::{SqliteStore, Store, StoreError, TokenInfo};

/// The default limit on a request body: 10 MiB.
pub const DEFAULT_MAX_BODY: usize = 10 * 1024 * 1024;

/// Where the server's "now" comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// The system clock (UTC).
    System,
    /// A fixed instant, for tests and reproducible runs.
    Fixed(DateTime<Utc>),
}

impl Clock {
    /// Now.
    pub fn now(self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Fixed(at) => at,
        }
    }

    /// Today's date (UTC): the default `as_of` and update date.
    pub fn today(self) -> NaiveDate {
        self.now().date_naive()
    }
}

/// Assessments by plan, version, date and policy, with their JSON: an assessment is
/// a pure function of those, so a cached one is always right.
#[derive(Debug, Default)]
pub(crate) struct AssessmentCache {
    entries: Mutex<HashMap<AssessmentKey, CachedAssessment>>,
}

/// Plan id, plan version, as-of date, policy (as sent; empty for the default).
pub(crate) type AssessmentKey = (String, u64, NaiveDate, String);

/// An assessment document's compact JSON.
#[derive(Debug, Clone)]
pub(crate) struct CachedAssessment {
    pub(crate) body: Bytes,
}

/// Most assessments kept before the cache starts again (a 500-action assessment
/// takes a few megabytes).
const ASSESSMENT_CACHE_SIZE: usize = 32;

impl AssessmentCache {
    pub(crate) fn get(&self, key: &AssessmentKey) -> Option<CachedAssessment> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner()).get(key).cloned()
    }

    pub(crate) fn put(&self, key: AssessmentKey, value: CachedAssessment) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= ASSESSMENT_CACHE_SIZE {
            entries.clear();
        }
        entries.insert(key, value);
    }
}

/// What every handler shares: the store, the clock and the body limit.
#[derive(Clone)]
pub struct AppState {
    /// Where plans, audit and tokens are kept.
    pub store: Arc<dyn Store>,
    /// Where "now" comes from.
    pub clock: Clock,
    /// The largest request body accepted, in bytes.
    pub max_body: usize,
    pub(crate) assessments: Arc<AssessmentCache>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("clock", &self.clock)
            .field("max_body", &self.max_body)
            .finish_non_exhaustive()
    }
}

impl AppState {
    /// State over `store`, with the system clock and the default body limit.
    pub fn new(store: Arc<dyn Store>) -> AppState {
        AppState {
            store,
            clock: Clock::System,
            max_body: DEFAULT_MAX_BODY,
            assessments: Arc::default(),
        }
    }

    /// The same state with another clock.
    pub fn with_clock(mut self, clock: Clock) -> AppState {
        self.clock = clock;
        self
    }

    /// The same state with another body limit.
    pub fn with_max_body(mut self, max_body: usize) -> AppState {
        self.max_body = max_body;
        self
    }
}

/// The version of a plan as an `ETag` value: `"3"`.
pub fn etag(version: u64) -> String {
    format!("\"{version}\"")
}

/// Runs a blocking store call off the async runtime.
pub(crate) async fn blocking<T, E>(
    f: impl FnOnce() -> Result<T, E> + Send + 'static,
) -> Result<T, ApiError>
where
    T: Send + 'static,
    E: Into<ApiError> + Send + 'static,
{
    match tokio::task::spawn_blocking(f).await {
        Ok(result) => result.map_err(Into::into),
        Err(err) => Err(ApiError::Internal(format!("a store task failed: {err}"))),
    }
}

/// Creates a token in `store`: returns what is stored and the secret to hand out
/// (shown once; only its hash is kept).
///
/// # Errors
/// [`StoreError`] when the database fails.
pub fn create_token(
    store: &dyn Store,
    name: &str,
    role: Role,
    at: DateTime<Utc>,
) -> Result<(TokenInfo, NewToken), StoreError> {
    let token = NewToken::generate();
    let info = store.create_token(name, role, &token.hash, at)?;
    Ok((info, token))
}

/// On first start: when the store has no token at all, creates an admin token named
/// `admin` and returns it (to be shown once); otherwise `None`. (Once tokens exist,
/// more are made with `ragplan token create`, which works on the database file.)
///
/// # Errors
/// [`StoreError`] when the database fails.
pub fn first_admin_token(
    store: &dyn Store,
    at: DateTime<Utc>,
) -> Result<Option<(TokenInfo, NewToken)>, StoreError> {
    let tokens = store.tokens()?;
    if tokens.is_empty() {
        return create_token(store, "admin", Role::Admin, at).map(Some);
    }
    Ok(None)
}

async fn log_request(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    tracing::info!(
        %method,
        %path,
        status = response.status().as_u16(),
        micros = started.elapsed().as_micros() as u64,
        "request"
    );
    response
}

/// The API's router over `state`: every route of [`ROUTES`], problem+json for
/// unknown routes and methods, the body limit and request logs.
///
/// Request logs (tracing, `info`) carry the method, path, status and time taken;
/// never a header, so never a token.
pub fn router(state: AppState) -> Router {
    let max_body = state.max_body;
    routes::add_routes(Router::new())
        .fallback(routes::system::no_route)
        .method_not_allowed_fallback(routes::system::no_method)
        .layer(DefaultBodyLimit::max(max_body))
        .layer(middleware::from_fn(log_request))
        .with_state(state)
}

/// Serves `router(state)` on `listener` until `shutdown` completes; requests in
/// flight then finish before this returns.
///
/// # Errors
/// The listener's I/O error.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state)).with_graceful_shutdown(shutdown).await
}
