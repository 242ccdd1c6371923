//! Sessions in the database, the sign-in layer over them, and the two
//! expiries: idle (the cookie and record lapse without requests) and
//! absolute (signed out a fixed time after signing in, however active).

use std::time::Duration;

use domain::lockout::Limits;

use storage::Store;

use app::auth::{Accounts, AuthSession, DbSessions, LAST_SEEN, RENEW_EVERY_MS, SIGNED_IN_AT};
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
        // A session is written when it changes; `expiries` changes it once
        // a minute while it is in use, which pushes the idle expiry forward.
        .with_always_save(false);
    let accounts = Accounts::new(store.clone(), Limits::default());
    AuthManagerLayerBuilder::new(accounts, session_layer).build()
}

/// Signs out a session older than `max_ms` before the request sees it, and
/// renews a session in use once every [`RENEW_EVERY_MS`]: the change makes
/// the session layer write the row with a new idle expiry and send the
/// cookie again. Requests in between write nothing.
pub async fn expiries(State(max_ms): State<i64>, mut request: Request, next: Next) -> Response {
    if let Some(mut auth) = request.extensions().get::<AuthSession>().cloned() {
        if auth.user.is_some() {
            let now = app::clock::now_ms();
            let signed_in_at = auth.session.get::<i64>(SIGNED_IN_AT).await.ok().flatten();
            if signed_in_at.is_none_or(|at| now.saturating_sub(at) > max_ms) {
                if let Err(err) = auth.logout().await {
                    tracing::error!(error = ?err, "cannot end an expired session");
                }
                request.extensions_mut().insert(auth);
            } else {
                let seen = auth.session.get::<i64>(LAST_SEEN).await.ok().flatten();
                if seen.is_none_or(|at| now.saturating_sub(at) >= RENEW_EVERY_MS) {
                    if let Err(err) = auth.session.insert(LAST_SEEN, now).await {
                        tracing::warn!(error = ?err, "cannot renew the session");
                    }
                }
            }
        }
    }
    next.run(request).await
}

/// Every ten minutes, deletes expired session records and sign-in attempts
/// older than the lockout window.
pub fn spawn_sweeper(store: Store) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let sessions = DbSessions::new(store.clone());
        let mut tick = tokio::time::interval(Duration::from_secs(600));
        loop {
            tick.tick().await;
            let now = app::clock::now_ms();
            match sessions.sweep(now).await {
                Ok(0) => {}
                Ok(n) => tracing::debug!(removed = n, "expired sessions removed"),
                Err(err) => tracing::warn!(error = %err, "cannot remove expired sessions"),
            }
            let window = Limits::default().window_ms;
            match store.delete_old_attempts(now - window).await {
                Ok(0) => {}
                Ok(n) => tracing::debug!(removed = n, "old sign-in attempts removed"),
                Err(err) => tracing::warn!(error = %err, "cannot remove old sign-in attempts"),
            }
        }
    })
}
