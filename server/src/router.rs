//! Every route the server answers: pages, server functions, probes, files,
//! and the layers each request passes through on its way in.

use axum::{extract::FromRef, handler::Handler, middleware, routing::get, Router};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::{
    compression::{CompressionLayer, CompressionLevel},
    trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer},
};
use tracing::Level;

use storage::Store;

use app::{shell, App};

use crate::{
    assets, calls,
    config::{Limits, Sessions},
    health, live, security, sessions,
};

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub store: Store,
    pub sessions: Sessions,
    pub limits: Limits,
    /// The language of a page when nothing else decides it.
    pub default_language: words::Lang,
    /// Turns true when the server begins to shut down: live streams end,
    /// so graceful shutdown does not wait on them forever.
    pub stopping: tokio::sync::watch::Receiver<bool>,
    /// Reads each new event once and fans it out to the live streams.
    pub hub: live::Hub,
    /// The live streams open now, against the caps in `limits`.
    pub streams: live::StreamSlots,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The HTTP endpoints outside Leptos, for the authorization table in the tests.
pub const ENDPOINTS: [&str; 2] = ["/healthz", "/readyz"];

/// A call's calendar invitation: the ticket's reporter and the desk only,
/// each checked like the ticket itself (tested in the authorization table).
pub const CALL_INVITE: &str = calls::CALL_INVITE;

/// The live event stream: signed-in people only, each filtered to what
/// they may see (tested on its own: it never ends by itself).
pub const LIVE_STREAM: &str = "/api/events";

/// Every server function's path, as registered: the tests check each one
/// against the authorization table.
pub fn server_function_paths() -> Vec<String> {
    let mut paths: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _method)| path.to_owned())
        .collect();
    paths.sort();
    paths
}

pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);

    // Server functions and pages reach storage through Leptos context.
    let store = state.store.clone();
    let context = move || provide_context(store.clone());

    let server_fn_context = context.clone();
    let server_fns =
        move |req| leptos_axum::handle_server_fns_with_context(server_fn_context.clone(), req);

    let options = state.leptos_options.clone();
    let site_root = std::path::PathBuf::from(options.site_root.as_ref());
    let origins = security::Origins {
        public: state.sessions.public_origin.clone(),
    };
    let hosts = security::AllowedHosts::new(&state.sessions, state.leptos_options.site_addr);
    let max_session_ms = state.sessions.max_hours.saturating_mul(3_600_000);
    let auth = sessions::auth_layer(&state.store, &state.sessions);
    // Layers run outside-in in the reverse order they are listed here:
    // tracing, compression, headers, size and time limits, the client's
    // address, the host name, the same-origin check, the session, its
    // expiries, the page's language, then server-function error statuses.
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route(LIVE_STREAM, get(live::events))
        .route(CALL_INVITE, get(calls::invite))
        .nest_service("/pkg", assets::bundle(&site_root))
        // Leptos registers each server function at its own path; this
        // catches calls to functions that do not exist.
        .route("/api/{*fn_name}", get(server_fns.clone()).post(server_fns))
        .leptos_routes_with_context(&state, routes, context.clone(), move || {
            shell(options.clone())
        })
        // The site's own files, then a page-not-found. Leptos's fallback
        // could serve the files too, but not safely (see `assets::public`).
        .fallback_service(
            assets::public(&site_root).not_found_service(
                leptos_axum::file_and_error_handler_with_context::<AppState, _>(context, shell)
                    .with_state(state.clone()),
            ),
        )
        .layer(middleware::from_fn(security::api_status))
        .layer(middleware::from_fn_with_state(
            state.default_language,
            crate::language::decide,
        ))
        .layer(middleware::from_fn_with_state(
            max_session_ms,
            sessions::expiries,
        ))
        .layer(auth)
        .layer(middleware::from_fn_with_state(
            origins,
            security::same_origin_writes,
        ))
        .layer(middleware::from_fn_with_state(
            hosts,
            security::allowed_hosts,
        ))
        .layer(middleware::from_fn_with_state(
            security::TrustedProxies(state.sessions.trusted_proxies.clone()),
            security::client_address,
        ))
        .layer(middleware::from_fn_with_state(
            security::RequestTimeout(state.limits.request_timeout),
            security::limit_request,
        ))
        .layer(middleware::from_fn(security::security_headers))
        // Pages and answers are compressed as they go, at a level that costs
        // little CPU; the bundle under /pkg is served from the build's own
        // brotli and gzip files and passes through untouched. Event streams
        // are never compressed, so they are not buffered.
        .layer(
            CompressionLayer::new()
                .br(true)
                .gzip(true)
                .quality(CompressionLevel::Precise(5)),
        )
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .with_state(state)
}
