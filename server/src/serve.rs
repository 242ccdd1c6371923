//! Start-up (data directory, database, listener) and graceful shutdown.

use std::{future::Future, io, net::SocketAddr, path::PathBuf};

use leptos::config::LeptosOptions;
use tokio::net::TcpListener;

use storage::{self, StorageError, Store};

use crate::{
    config::Config,
    router::{router, AppState},
};

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error("cannot create the data directory {path}: {source}")]
    DataDir { path: PathBuf, source: io::Error },
    #[error("cannot use the database {url}: {source}. Check FRONTLINE_DATABASE_URL (or database_url in the configuration file) and that the database server is running.")]
    Database { url: String, source: StorageError },
    #[error("cannot listen on {addr}: {reason}. Set FRONTLINE_LISTEN (or listen in the configuration file) to a free address.")]
    Listen { addr: SocketAddr, reason: String },
    #[error("the server stopped with an error: {0}")]
    Serve(io::Error),
}

/// Opens what the configuration names and serves until Ctrl-C or SIGTERM.
pub async fn run(config: Config) -> Result<(), StartError> {
    std::fs::create_dir_all(&config.data_dir).map_err(|source| StartError::DataDir {
        path: config.data_dir.clone(),
        source,
    })?;
    let store = storage::connect_with(&config.database_url, config.rules.clone())
        .await
        .map_err(|source| StartError::Database {
            url: config.database_url_redacted(),
            source,
        })?;
    let listener = TcpListener::bind(config.listen)
        .await
        .map_err(|err| StartError::Listen {
            addr: config.listen,
            reason: match err.kind() {
                io::ErrorKind::AddrInUse => {
                    "the address is already in use (is another Frontline running?)".to_owned()
                }
                io::ErrorKind::PermissionDenied => {
                    "permission denied (ports below 1024 need privileges)".to_owned()
                }
                _ => err.to_string(),
            },
        })?;
    tracing::info!(
        database = %config.database_url_redacted(),
        data_dir = %config.data_dir.display(),
        "Frontline is listening on http://{}",
        config.listen
    );
    serve(listener, store, &config, shutdown_signal()).await
}

/// Serves on an already bound listener until `shutdown` resolves, then lets
/// in-flight requests finish and closes the database cleanly.
pub async fn serve(
    listener: TcpListener,
    store: Store,
    config: &Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), StartError> {
    let addr = listener.local_addr().map_err(StartError::Serve)?;
    let (stop, stopping) = tokio::sync::watch::channel(false);
    let state = AppState {
        leptos_options: leptos_options(config, addr),
        store: store.clone(),
        sessions: config.sessions.clone(),
        limits: config.limits,
        default_language: config.default_language,
        hub: crate::live::Hub::start(store.clone(), stopping.clone()),
        streams: crate::live::StreamSlots::new(
            config.limits.streams_per_session,
            config.limits.streams_per_address,
        ),
        stopping,
    };
    if addr.ip().is_unspecified()
        && crate::security::AllowedHosts::new(&config.sessions, addr).only_local()
    {
        tracing::warn!(
            "Frontline listens on every address ({addr}) but knows no name it is reached by, \
             so it answers only requests to localhost. Set public_url or allowed_hosts to the \
             names people use."
        );
    }
    if let Err(err) = storage::ensure_guides(&store, app::clock::now_ms()).await {
        tracing::error!(error = %err, "cannot load the troubleshooting guides");
    }
    let sweeper = crate::sessions::spawn_sweeper(store.clone());
    let closer = crate::jobs::spawn_auto_close(store.clone(), config.auto_close_hours);
    let watcher = crate::jobs::spawn_sla_watch(
        store.clone(),
        std::time::Duration::from_secs(config.sla_watch_seconds.unsigned_abs()),
    );
    crate::connections::serve(
        listener,
        router(state),
        config.limits.header_timeout,
        stop,
        shutdown,
    )
    .await;
    sweeper.abort();
    closer.abort();
    watcher.abort();
    // Every request has completed by now; closing the pool finishes the last writes.
    store.close().await;
    tracing::info!("Frontline stopped");
    Ok(())
}

fn leptos_options(config: &Config, addr: SocketAddr) -> LeptosOptions {
    let mut options = LeptosOptions::builder()
        .output_name("frontline")
        .site_root(config.site_root.to_string_lossy().into_owned())
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .build();
    // A release build names its files by content and says so beside the binary.
    options.hash_files = crate::assets::hashed_build();
    if !options.hash_files && crate::assets::looks_hashed(&config.site_root) {
        tracing::error!(
            site_root = %config.site_root.display(),
            "the site's files are named by content, but no {} sits beside the binary: \
             pages will ask for files that do not exist. Copy it from the build's \
             target/release/ next to this binary.",
            crate::assets::HASH_FILE
        );
    }
    // `cargo leptos watch` tells the page where its live-reload socket is.
    if let Some(port) = std::env::var("LEPTOS_RELOAD_PORT")
        .ok()
        .and_then(|p| p.parse().ok())
    {
        options.reload_port = port;
    }
    options
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %err, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut sigterm) => {
                sigterm.recv().await;
            }
            Err(err) => {
                tracing::error!(error = %err, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
