//! `ragplan serve`: the JSON API over HTTP, on an embedded SQLite database.

use std::io::{IsTerminal, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use ragplan_api::{
    AppState, DEFAULT_CACHE_BYTES, DEFAULT_DEADLINE, DEFAULT_MAX_BODY, Limits, first_admin_token,
};

/// Flags of `ragplan serve`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  ragplan serve
  ragplan serve --db /srv/ragplan/lscb.db --addr 127.0.0.1:8787
  ragplan serve --public-dashboard

The dashboard is at the server's root (http://127.0.0.1:8787/): the plans, each
plan's tree, exceptions, trend and movement, and each action with its log. A browser
signs in once with a reader token, kept in an HttpOnly cookie (one that can change
plans is refused); with --public-dashboard it needs none. The JSON API under /v1/ always needs its
bearer token.

On first start, with no token in the database, an admin token is created and printed
once: keep it. Make more with `ragplan token create --role editor --name NAME`.
Request logs go to standard error (set RUST_LOG, default info); they never contain a
token, and a request whose handler fails says where, never what the request held.
SIGINT or SIGTERM stops the server: requests in flight have --shutdown-grace to finish.

Limits: heavy work (an import, an assessment, a report) runs beside the threads that
answer requests and gets 503 after --deadline; headers must arrive within
--header-timeout (which also closes idle connections) and a body within
--body-timeout; past --max-connections a new connection is closed at once. An
imported source past an import limit (--limit NAME=VALUE) is answered 422 naming it.")]
pub struct Args {
    /// The SQLite database file (created on first start), or a PostgreSQL database
    /// for several servers: postgres://user:password@host:5432/ragplan.
    #[arg(long, value_name = "PATH|URL", default_value = "ragplan.db")]
    pub db: PathBuf,
    /// The address to listen on (port 0 picks a free port, printed at start).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8787")]
    pub addr: SocketAddr,
    /// The largest request body accepted, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_BODY)]
    pub max_body: usize,
    /// Seconds heavy work may take before it is answered 503.
    #[arg(long, value_name = "SECONDS", default_value_t = DEFAULT_DEADLINE.as_secs())]
    pub deadline: u64,
    /// Seconds a client has to send a request's headers.
    #[arg(long, value_name = "SECONDS", default_value_t = Limits::default().header_timeout.as_secs())]
    pub header_timeout: u64,
    /// Seconds a client has to send a request's body.
    #[arg(long, value_name = "SECONDS", default_value_t = Limits::default().body_timeout.as_secs())]
    pub body_timeout: u64,
    /// The most connections open at once.
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_connections)]
    pub max_connections: usize,
    /// Seconds requests in flight may take to finish once shutdown starts.
    #[arg(long, value_name = "SECONDS", default_value_t = Limits::default().shutdown_grace.as_secs())]
    pub shutdown_grace: u64,
    /// Megabytes of assessment JSON kept in memory for readers.
    #[arg(long, value_name = "MB", default_value_t = DEFAULT_CACHE_BYTES >> 20)]
    pub cache_mb: u64,
    /// Let pages of this origin call the API from a browser (CORS), such as
    /// `https://intranet.example.gov.uk`; repeat for several. None by default.
    #[arg(long, value_name = "ORIGIN", value_parser = ragplan_api::cors_origin)]
    pub cors_origin: Vec<String>,
    /// Show the dashboard (the HTML pages at `/`) to anyone, with no token. Without
    /// it, a browser signs in once with a reader token.
    #[arg(long)]
    pub public_dashboard: bool,
    /// Limits on the sources of imports and re-imports.
    #[command(flatten)]
    pub limits: crate::load::LimitArgs,
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM.
async fn shutdown_signal() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
    tracing::info!("shutting down: finishing the requests in flight");
}

/// Runs `ragplan serve`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    // A log that cannot be written (a full disk) is lost, never a reason to stop
    // answering: the subscriber does not report its own write errors, which it would
    // do by printing to the same standard error, and panic when that fails too.
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .log_internal_errors(false)
        .init();
    // A panic is logged with where it happened, never its message, which may quote
    // what a request sent; the request is answered 500.
    std::panic::set_hook(Box::new(|info| {
        let at = info.location().map(ToString::to_string).unwrap_or_default();
        tracing::error!(%at, "ragplan serve panicked (the message is not logged)");
    }));
    let opened = crate::cmd::token::open(&args.db)?;
    let shown = opened.describe(args.db.as_os_str());
    let store = opened.store();
    let mut stdout = std::io::stdout().lock();
    if let Some((info, token)) = first_admin_token(store.as_ref(), chrono::Utc::now())? {
        writeln!(
            stdout,
            "Created the {} token {:?}; it is shown only once, keep it:",
            info.role, info.name
        )?;
        writeln!(stdout, "{}", token.secret)?;
    }
    let state = AppState::new(store)
        .with_max_body(args.max_body)
        .with_deadline(Duration::from_secs(args.deadline.max(1)))
        .with_cache_bytes(args.cache_mb.saturating_mul(1 << 20))
        .with_import_limits(args.limits.limits())
        .with_cors_origins(args.cors_origin)
        .with_public_dashboard(args.public_dashboard);
    let limits = Limits {
        max_connections: args.max_connections.max(1),
        header_timeout: Duration::from_secs(args.header_timeout.max(1)),
        body_timeout: Duration::from_secs(args.body_timeout.max(1)),
        shutdown_grace: Duration::from_secs(args.shutdown_grace),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(args.addr)
            .await
            .with_context(|| format!("cannot listen on {}", args.addr))?;
        let local = listener.local_addr()?;
        writeln!(stdout, "ragplan API listening on http://{local} (database {shown})")?;
        let who =
            if args.public_dashboard { "open to anyone" } else { "sign in with a reader token" };
        writeln!(stdout, "Dashboard at http://{local}/ ({who})")?;
        stdout.flush()?;
        drop(stdout);
        tracing::info!(%local, "listening");
        ragplan_api::serve_with(listener, state, limits, shutdown_signal())
            .await
            .context("the server failed")
    })?;
    // What is still running (connections past the grace period, heavy work that
    // timed out) gets no longer than the grace period again, then is dropped.
    runtime.shutdown_timeout(limits.shutdown_grace);
    // The database file alone then holds every write: a copy of it is complete.
    match opened.close() {
        Ok(()) => tracing::info!("stopped; the database is checkpointed and closed"),
        Err(err) => tracing::warn!(%err, "stopped; the write-ahead log was not checkpointed"),
    }
    Ok(ExitCode::SUCCESS)
}
