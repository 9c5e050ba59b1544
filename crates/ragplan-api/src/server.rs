//! The server's edges: how connections are accepted and closed, and how heavy work
//! runs, so that no client, slow or hostile, can hold the server.
//!
//! - Connections: at most [`Limits::max_connections`] open at once (one more is
//!   closed as soon as it is accepted, with a warning in the log); request headers must
//!   arrive within [`Limits::header_timeout`], which also closes a connection left
//!   idle between requests; a request body must arrive within
//!   [`Limits::body_timeout`].
//! - Shutdown: the listener closes, requests in flight may finish within
//!   [`Limits::shutdown_grace`], then what is still open is dropped.
//! - Heavy work (an import, a re-import, an assessment, a report) runs on the blocking
//!   pool, at most twice as many at once as the machine has cores, and is answered
//!   503 when it does
//!   not finish within [`AppState::deadline`]; the async threads that answer
//!   `/healthz` and every other request are never held by it.
//! - A handler that panics is answered 500 problem+json; the panic's message, which
//!   may quote the request, is never sent and never logged.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::response::{IntoResponse, Response};
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::sync::Semaphore;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::timeout::RequestBodyTimeoutLayer;

use crate::{ApiError, AppState, router};

/// What the server allows each connection and request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The most connections open at once.
    pub max_connections: usize,
    /// How long a client has to send a request's headers (and how long a connection
    /// may sit idle between requests).
    pub header_timeout: Duration,
    /// How long a client has to send a request's body.
    pub body_timeout: Duration,
    /// How long requests in flight may take to finish once shutdown starts.
    pub shutdown_grace: Duration,
}

impl Default for Limits {
    /// 512 connections; 10 seconds for headers, 60 for a body, 10 to shut down.
    fn default() -> Limits {
        Limits {
            max_connections: 512,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(60),
            shutdown_grace: Duration::from_secs(10),
        }
    }
}

/// The pool heavy work runs in: a bound on how much of it runs at once.
#[derive(Debug)]
pub(crate) struct HeavyPool {
    slots: Arc<Semaphore>,
}

impl HeavyPool {
    /// A pool running at most `tasks` pieces of heavy work at once.
    pub(crate) fn new(tasks: usize) -> HeavyPool {
        HeavyPool { slots: Arc::new(Semaphore::new(tasks.max(1))) }
    }
}

impl Default for HeavyPool {
    /// Twice as many tasks as the machine has cores.
    fn default() -> HeavyPool {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        HeavyPool::new(cores * 2)
    }
}

/// Runs heavy work off the async threads: it waits for a slot of the pool and runs
/// on the blocking pool, answered [`ApiError::TooSlow`] when it has not finished
/// (slot wait included) within the state's deadline. Work that times out goes on to
/// its end in the background, holding its slot, so timed-out work cannot pile up.
pub(crate) async fn heavy<T, E>(
    state: &AppState,
    work: impl FnOnce() -> Result<T, E> + Send + 'static,
) -> Result<T, ApiError>
where
    T: Send + 'static,
    E: Into<ApiError> + Send + 'static,
{
    let deadline = state.deadline;
    let slots = state.heavy.slots.clone();
    let run = async move {
        let slot = slots.acquire_owned().await.map_err(|_| too_slow(deadline))?;
        let task = tokio::task::spawn_blocking(move || {
            let result = work();
            drop(slot);
            result
        });
        match task.await {
            Ok(result) => result.map_err(Into::into),
            Err(err) if err.is_panic() => Err(ApiError::Internal("heavy work panicked".into())),
            Err(_) => Err(ApiError::Internal("heavy work was cancelled".into())),
        }
    };
    tokio::time::timeout(deadline, run).await.unwrap_or_else(|_| Err(too_slow(deadline)))
}

fn too_slow(deadline: Duration) -> ApiError {
    ApiError::TooSlow { seconds: deadline.as_secs().max(1) }
}

/// The answer to a handler that panicked: 500 problem+json, saying nothing of the
/// panic (whose message may quote the request).
fn panicked(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    ApiError::Internal("a request handler panicked".into()).into_response()
}

/// `router` with a panicking handler answered 500.
pub(crate) fn catch_panics(router: Router) -> Router {
    router.layer(CatchPanicLayer::custom(panicked))
}

/// Serves `router(state)` on `listener` within `limits` until `shutdown`
/// completes; requests in flight then have `limits.shutdown_grace` to finish.
///
/// # Errors
/// None today: a failed accept is logged and the server goes on.
pub async fn serve_with(
    listener: tokio::net::TcpListener,
    state: AppState,
    limits: Limits,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(state).layer(RequestBodyTimeoutLayer::new(limits.body_timeout));
    let connections = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let graceful = GracefulShutdown::new();
    // HTTP/1.1 only: HTTP/2 would have no header or idle timeout.
    let mut builder = Builder::new(TokioExecutor::new()).http1_only();
    builder.http1().timer(TokioTimer::new()).header_read_timeout(limits.header_timeout);
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(err) => {
                // Out of file descriptors, say: the listener stays, and the next
                // accept is tried after a moment.
                tracing::warn!(%err, "cannot accept a connection");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let Ok(permit) = connections.clone().try_acquire_owned() else {
            tracing::warn!(limit = limits.max_connections, "connection limit reached; closed one");
            drop(stream);
            continue;
        };
        let service = TowerToHyperService::new(app.clone());
        let connection =
            builder.serve_connection_with_upgrades(TokioIo::new(stream), service).into_owned();
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // A client that goes away or times out ends its connection; nothing to do.
            let _ = connection.await;
            drop(permit);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(limits.shutdown_grace) => {
            tracing::warn!(
                grace_seconds = limits.shutdown_grace.as_secs(),
                "connections still open after the shutdown grace period are dropped"
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;

    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use axum::routing::get;
    use http_body_util::BodyExt as _;
    use tower::ServiceExt as _;

    use super::*;
    use crate::SqliteStore;

    fn state(dir: &tempfile::TempDir) -> AppState {
        let store = SqliteStore::open(dir.path().join("ragplan.db")).unwrap();
        AppState::new(Arc::new(store))
    }

    /// A handler that panicked closed the connection with no answer. It is now
    /// answered 500 problem+json, which says nothing of what the panic said.
    #[tokio::test]
    async fn a_panicking_handler_closed_the_connection_unanswered() {
        let app = catch_panics(Router::new().route(
            "/boom",
            get(|| async {
                let text = String::from("İlknur");
                if !text.is_empty() {
                    panic!("byte index 1 is not a char boundary in {text:?}");
                }
                "never"
            }),
        ));
        let response =
            app.oneshot(Request::get("/boom").body(Body::empty()).unwrap()).await.unwrap();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(response.headers()["content-type"], "application/problem+json");
        let body = response.into_body().collect().await.unwrap().to_bytes();
        let body = String::from_utf8_lossy(&body);
        assert!(!body.contains("İlknur") && !body.contains("char boundary"), "{body}");
    }

    /// Import, re-import and assessment ran on the async threads with no time
    /// limit, so two small uploads held `/healthz` for seconds. Heavy work now runs
    /// on the blocking pool and is answered 503 at the deadline; here the work waits
    /// until the test has seen the 503, so no clock decides the outcome.
    #[tokio::test]
    async fn heavy_work_held_the_server_with_no_deadline() {
        let dir = tempfile::tempdir().unwrap();
        let mut state = state(&dir);
        state.deadline = Duration::from_millis(20);
        let (release, wait) = mpsc::channel::<()>();
        let result =
            heavy(&state, move || wait.recv().map_err(|e| ApiError::Internal(e.to_string()))).await;
        assert!(matches!(result, Err(ApiError::TooSlow { .. })), "{result:?}");
        assert_eq!(result.unwrap_err().problem().status, 503);
        let _ = release.send(());
        // Work that finishes in time is answered.
        let quick = heavy(&state, || Ok::<_, ApiError>(7)).await;
        assert_eq!(quick.ok(), Some(7));
    }

    /// A slot of the pool is held until the work ends, even past its deadline, so
    /// work that timed out cannot pile up on the machine.
    #[tokio::test]
    async fn timed_out_work_keeps_its_slot_until_it_ends() {
        let dir = tempfile::tempdir().unwrap();
        let mut state = state(&dir);
        state.deadline = Duration::from_millis(20);
        state.heavy = Arc::new(HeavyPool::new(1));
        let (release, wait) = mpsc::channel::<()>();
        let (ended, has_ended) = mpsc::channel::<()>();
        let first = heavy(&state, move || {
            let _ = wait.recv();
            let _ = ended.send(());
            Ok::<_, ApiError>(())
        })
        .await;
        assert!(matches!(first, Err(ApiError::TooSlow { .. })));
        // The one slot is still held: the next work cannot start before its deadline.
        let second = heavy(&state, || Ok::<_, ApiError>(())).await;
        assert!(matches!(second, Err(ApiError::TooSlow { .. })));
        let _ = release.send(());
        let _ = has_ended.recv();
        state.deadline = Duration::from_secs(30);
        assert!(heavy(&state, || Ok::<_, ApiError>(())).await.is_ok());
    }
}
