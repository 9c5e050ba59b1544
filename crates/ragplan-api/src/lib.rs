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
//! - The read-only dashboard: HTML pages at `/` (the plans, a plan's tree with
//!   filters, exceptions, trend and movement, an action with its log), for a
//!   browser signed in once with a reader token kept in an HttpOnly cookie, or for
//!   anyone when [`AppState::with_public_dashboard`] says so. They are not in
//!   [`ROUTES`], which is the JSON API.
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
mod dashboard;
pub mod dto;
pub mod error;
mod extract;
mod http;
pub use http::cors_origin;
pub mod openapi;
mod routes;
mod server;
pub mod store;

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Request};
use axum::middleware::{self, Next};
use axum::response::Response;
use chrono::{DateTime, NaiveDate, Utc};

pub use auth::{Admin, Caller, Editor, NewToken, Reader, Required, Role};
pub use error::{ApiError, ErrorKind, Problem};
pub use routes::{ROUTES, RouteInfo};
pub use server::{Limits, serve_with};
pub use store::{
    OpenedStore, PgStore, SqliteStore, Store, StoreError, TokenInfo, is_postgres_url, redacted,
};

/// The default limit on a request body: 10 MiB.
pub const DEFAULT_MAX_BODY: usize = 10 * 1024 * 1024;

/// The default deadline of heavy work (an import, an assessment, a report): 30 s.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(30);

/// The default bound on the assessments kept, by the size of their JSON: 64 MiB.
pub const DEFAULT_CACHE_BYTES: u64 = 64 * 1024 * 1024;

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
/// a pure function of those, so a cached one is always right. Bounded by the total
/// size of the JSON it holds (quick_cache, with the body's length as each entry's
/// weight), so a reader asking for many dates cannot grow the server without end.
pub(crate) struct AssessmentCache {
    entries: quick_cache::sync::Cache<AssessmentKey, CachedAssessment, BodyBytes>,
}

/// An assessment's weight in the cache: the length of its JSON.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct BodyBytes;

impl quick_cache::Weighter<AssessmentKey, CachedAssessment> for BodyBytes {
    fn weight(&self, _: &AssessmentKey, value: &CachedAssessment) -> u64 {
        (value.body.len() + value.gzip.len()) as u64 + 1
    }
}

impl std::fmt::Debug for AssessmentCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AssessmentCache").field("bytes", &self.bytes()).finish()
    }
}

/// Plan id, plan version, as-of date, policy (as sent; empty for the default).
pub(crate) type AssessmentKey = (String, u64, NaiveDate, String);

/// An assessment document's compact JSON, and the same compressed (gzip) once for
/// every client that accepts it, instead of on every request.
#[derive(Debug, Clone)]
pub(crate) struct CachedAssessment {
    pub(crate) body: Bytes,
    pub(crate) gzip: Bytes,
}

impl CachedAssessment {
    /// The assessment of `body`, compressed once.
    pub(crate) fn new(body: Vec<u8>) -> std::io::Result<CachedAssessment> {
        use std::io::Write as _;
        let mut encoder = flate2::write::GzEncoder::new(
            Vec::with_capacity(body.len() / 6),
            flate2::Compression::default(),
        );
        encoder.write_all(&body)?;
        let gzip = encoder.finish()?;
        Ok(CachedAssessment { body: body.into(), gzip: gzip.into() })
    }
}

impl AssessmentCache {
    /// A cache holding at most `bytes` of assessment JSON.
    pub(crate) fn new(bytes: u64) -> AssessmentCache {
        // The estimate sizes the cache's tables: a 500-action assessment is about
        // half a megabyte.
        let estimated = usize::try_from(bytes / (512 * 1024)).unwrap_or(usize::MAX).clamp(16, 4096);
        // One shard: the capacity is split between shards and an entry must fit in
        // one, so with several a large assessment would never be kept. Readers of
        // one board's plans do not contend much for its lock.
        let options = quick_cache::OptionsBuilder::new()
            .estimated_items_capacity(estimated)
            .weight_capacity(bytes)
            .shards(1)
            .build();
        let entries = match options {
            Ok(options) => quick_cache::sync::Cache::with_options(
                options,
                BodyBytes,
                quick_cache::DefaultHashBuilder::default(),
                quick_cache::sync::DefaultLifecycle::default(),
            ),
            Err(_) => quick_cache::sync::Cache::with_weighter(estimated, bytes, BodyBytes),
        };
        AssessmentCache { entries }
    }

    pub(crate) fn get(&self, key: &AssessmentKey) -> Option<CachedAssessment> {
        self.entries.get(key)
    }

    /// Keeps an assessment; one larger than the whole cache is not kept.
    pub(crate) fn put(&self, key: AssessmentKey, value: CachedAssessment) {
        self.entries.insert(key, value);
    }

    /// The bytes of JSON held.
    pub(crate) fn bytes(&self) -> u64 {
        self.entries.weight()
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
    /// How long heavy work (an import, an assessment, a report) may take before it
    /// is answered 503.
    pub deadline: Duration,
    /// What an imported or re-imported source may ask of the machine.
    pub import_limits: ragplan_import::Limits,
    pub(crate) assessments: Arc<AssessmentCache>,
    pub(crate) heavy: Arc<server::HeavyPool>,
    /// The origins whose pages may call the API from a browser (CORS); none by
    /// default.
    pub(crate) cors_origins: Vec<axum::http::HeaderValue>,
    /// Whether the dashboard's pages are shown to anyone, with no token
    /// (`serve --public-dashboard`); otherwise they need a reader token.
    pub(crate) public_dashboard: bool,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("clock", &self.clock)
            .field("max_body", &self.max_body)
            .field("deadline", &self.deadline)
            .field("assessments", &self.assessments)
            .field("public_dashboard", &self.public_dashboard)
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
            deadline: DEFAULT_DEADLINE,
            import_limits: ragplan_import::Limits::default(),
            assessments: Arc::new(AssessmentCache::new(DEFAULT_CACHE_BYTES)),
            heavy: Arc::default(),
            cors_origins: Vec::new(),
            public_dashboard: false,
        }
    }

    /// The same state letting pages of `origins` call the API from a browser
    /// (CORS); [`cors_origin`] checks one. An origin that is no header value is left
    /// out.
    pub fn with_cors_origins(mut self, origins: Vec<String>) -> AppState {
        self.cors_origins =
            origins.iter().filter_map(|o| axum::http::HeaderValue::from_str(o).ok()).collect();
        self
    }

    /// The same state showing the dashboard's pages to anyone when `public` is true
    /// (`serve --public-dashboard`), with no token; by default they need a reader
    /// token, entered once in the dashboard's sign-in form. The JSON API's routes
    /// need their bearer tokens either way.
    pub fn with_public_dashboard(mut self, public: bool) -> AppState {
        self.public_dashboard = public;
        self
    }

    /// The same state with other limits on imported sources.
    pub fn with_import_limits(mut self, limits: ragplan_import::Limits) -> AppState {
        self.import_limits = limits;
        self
    }

    /// The same state with another deadline for heavy work.
    pub fn with_deadline(mut self, deadline: Duration) -> AppState {
        self.deadline = deadline;
        self
    }

    /// The same state keeping at most `bytes` of assessment JSON in its cache.
    pub fn with_cache_bytes(mut self, bytes: u64) -> AppState {
        self.assessments = Arc::new(AssessmentCache::new(bytes));
        self
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
/// `admin` and returns it (to be shown once); otherwise `None`. Of several servers
/// starting together on one empty database, exactly one makes it
/// ([`Store::create_first_token`]). (Once tokens exist, more are made with `ragplan
/// token create`, which works on the database.)
///
/// # Errors
/// [`StoreError`] when the database fails.
pub fn first_admin_token(
    store: &dyn Store,
    at: DateTime<Utc>,
) -> Result<Option<(TokenInfo, NewToken)>, StoreError> {
    let token = NewToken::generate();
    let info = store.create_first_token("admin", Role::Admin, &token.hash, at)?;
    Ok(info.map(|info| (info, token)))
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

/// The API's router over `state`: every route of [`ROUTES`], the read-only
/// dashboard's HTML pages (at `/`, outside `/v1/`, not in [`ROUTES`] nor the OpenAPI
/// document), problem+json for unknown routes and methods (an HTML page for a
/// browser asking outside `/v1/`), the body limit and request logs; `If-None-Match`
/// answered 304, responses compressed (gzip) for a client that accepts it, and CORS
/// for the origins [`AppState::with_cors_origins`] names.
///
/// Request logs (tracing, `info`) carry the method, path, status and time taken;
/// never a header, so never a token.
pub fn router(state: AppState) -> Router {
    let max_body = state.max_body;
    let cors = http::cors(&state.cors_origins);
    let routes = routes::add_routes(Router::new())
        .merge(dashboard::routes())
        .fallback(routes::system::no_route)
        .method_not_allowed_fallback(routes::system::no_method)
        .layer(DefaultBodyLimit::max(max_body));
    let router = server::catch_panics(routes.with_state(state))
        .layer(middleware::from_fn(http::not_modified))
        // The fastest level: an assessment is compressed on every request that asks.
        .layer(
            tower_http::compression::CompressionLayer::new()
                .quality(tower_http::CompressionLevel::Fastest),
        )
        .layer(middleware::from_fn(log_request));
    match cors {
        Some(cors) => router.layer(cors),
        None => router,
    }
}

/// Serves `router(state)` on `listener` within the default [`Limits`] until
/// `shutdown` completes ([`serve_with`]).
///
/// # Errors
/// As [`serve_with`].
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with(listener, state, Limits::default(), shutdown).await
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader asking for many as-of dates grew the server from 570 MB to 1.8 GB:
    /// the cache held 32 assessments of any size. It is now bounded by the bytes of
    /// JSON it holds.
    #[test]
    fn the_assessment_cache_grew_with_every_date_asked_for() {
        let cache = AssessmentCache::new(1024 * 1024);
        let body = Bytes::from(vec![b' '; 300 * 1024]);
        let day = NaiveDate::from_ymd_opt(2015, 6, 30).unwrap_or_default();
        for n in 0..40u64 {
            let key = ("plan".to_owned(), 1, day + chrono::Days::new(n), String::new());
            cache.put(key, CachedAssessment { body: body.clone(), gzip: Bytes::new() });
            assert!(cache.bytes() <= 1024 * 1024, "{} bytes after {n}", cache.bytes());
        }
        // The latest stays; one larger than the whole cache is not kept.
        let latest = ("plan".to_owned(), 1, day + chrono::Days::new(39), String::new());
        assert!(cache.get(&latest).is_some());
        // One nearly as large as the whole cache is kept.
        let large = ("plan".to_owned(), 3, day, String::new());
        cache.put(
            large.clone(),
            CachedAssessment { body: Bytes::from(vec![b' '; 900 * 1024]), gzip: Bytes::new() },
        );
        assert!(cache.get(&large).is_some(), "a large assessment was never kept");
        let huge = ("plan".to_owned(), 2, day, String::new());
        cache.put(
            huge.clone(),
            CachedAssessment { body: Bytes::from(vec![b' '; 2 << 20]), gzip: Bytes::new() },
        );
        assert!(cache.get(&huge).is_none());
    }
}
