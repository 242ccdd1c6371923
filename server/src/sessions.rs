//! Sessions in the database, the sign-in layer over them, and the two
//! expiries: idle (the cookie and record lapse without requests) and
//! absolute (signed out a fixed time after signing in, however active).

use std::time::Duration;

use app::{
    auth::{throttle::Limits, Accounts, AuthSession, DbSessions, SIGNED_IN_AT},
    storage::Store,
};
use axum::{
    extract::{Request, State},
    middleware::Next,
    response::Response,
};
use axum_login::{AuthManagerLayer, AuthManagerLayerBuilder};
use tower_sessions::{cookie::SameSite, Expiry, SessionManagerLayer};

use crate::config::Sessions;

pub const COOKIE_NAME: &str = "frontline_session";

pub fn auth_layer(store: &Store, sessions: &Sessions) -> AuthManagerLayer<Accounts, DbSessions> {
    let session_layer = SessionManagerLayer::new(DbSessions::new(store.clone()))
        .with_name(COOKIE_NAME)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(sessions.secure_cookies())
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(
            tower_sessions::cookie::time::Duration::minutes(sessions.idle_minutes),
        ))
        // Every request pushes the idle expiry forward.
        .with_always_save(true);
    let accounts = Accounts::new(store.clone(), Limits::default());
    AuthManagerLayerBuilder::new(accounts, session_layer).build()
}

/// Signs out a session older than `max_ms`, before the request sees it.
pub async fn absolute_expiry(
    State(max_ms): State<i64>,
    mut request: Request,
    next: Next,
) -> Response {
    if let Some(mut auth) = request.extensions().get::<AuthSession>().cloned() {
        if auth.user.is_some() {
            let signed_in_at = auth.session.get::<i64>(SIGNED_IN_AT).await.ok().flatten();
            let expired =
                signed_in_at.is_none_or(|at| app::clock::now_ms().saturating_sub(at) > max_ms);
            if expired {
                if let Err(err) = auth.logout().await {
                    tracing::error!(error = ?err, "cannot end an expired session");
                }
                request.extensions_mut().insert(auth);
            }
        }
    }
    next.run(request).await
}

/// Deletes expired session records every ten minutes.
pub fn spawn_sweeper(store: Store) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let sessions = DbSessions::new(store);
        let mut tick = tokio::time::interval(Duration::from_secs(600));
        loop {
            tick.tick().await;
            match sessions.sweep(app::clock::now_ms()).await {
                Ok(0) => {}
                Ok(n) => tracing::debug!(removed = n, "expired sessions removed"),
                Err(err) => tracing::warn!(error = %err, "cannot remove expired sessions"),
            }
        }
    })
}
