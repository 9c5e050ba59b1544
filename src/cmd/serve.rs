//! `ragplan serve`: the JSON API over HTTP, on an embedded SQLite database.

use std::io::{IsTerminal, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use ragplan_api::{AppState, DEFAULT_MAX_BODY, SqliteStore, first_admin_token};

/// Flags of `ragplan serve`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  ragplan serve
  ragplan serve --db /srv/ragplan/lscb.db --addr 127.0.0.1:8787

On first start, with no token in the database, an admin token is created and printed
once: keep it. Make more with `ragplan token create --role editor --name NAME`.
Request logs go to standard error (set RUST_LOG, default info); they never contain a
token. SIGINT or SIGTERM stops the server after the requests in flight finish.")]
pub struct Args {
    /// The SQLite database file; created on first start.
    #[arg(long, value_name = "PATH", default_value = "ragplan.db")]
    pub db: PathBuf,
    /// The address to listen on (port 0 picks a free port, printed at start).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8787")]
    pub addr: SocketAddr,
    /// The largest request body accepted, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_BODY)]
    pub max_body: usize,
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
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    let store = Arc::new(
        SqliteStore::open(&args.db)
            .with_context(|| format!("cannot open the database {}", args.db.display()))?,
    );
    let mut stdout = std::io::stdout().lock();
    if let Some((info, token)) = first_admin_token(store.as_ref(), chrono::Utc::now())? {
        writeln!(
            stdout,
            "Created the {} token {:?}; it is shown only once, keep it:",
            info.role, info.name
        )?;
        writeln!(stdout, "{}", token.secret)?;
    }
    let state = AppState::new(store).with_max_body(args.max_body);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(args.addr)
            .await
            .with_context(|| format!("cannot listen on {}", args.addr))?;
        let local = listener.local_addr()?;
        writeln!(
            stdout,
            "ragplan API listening on http://{local} (database {})",
            args.db.display()
        )?;
        stdout.flush()?;
        drop(stdout);
        tracing::info!(%local, "listening");
        ragplan_api::serve(listener, state, shutdown_signal()).await.context("the server failed")
    })?;
    tracing::info!("stopped; the database is closed");
    Ok(ExitCode::SUCCESS)
}
