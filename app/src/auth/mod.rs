//! Sign-in and sessions on the server: axum-login drives who is signed in,
//! tower-sessions the cookie, and both keep their records in our database.

mod accounts;
pub mod password;
mod sessions;
pub mod viewer;

pub use accounts::{Accounts, AuthError, Credentials, SignedIn};
pub use sessions::{still_signed_in, DbSessions};
pub use viewer::{require_desk, require_signed_in, viewer};

/// The address a request came from, as the server decided it (the socket
/// peer, or what a trusted proxy says): the key for per-address throttling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddress(pub std::net::IpAddr);

/// Whether this request may create the first administrator of a fresh
/// install: it came from a browser on the server itself, or to a name the
/// operator configured. The server decides; absent means no.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FirstRunAllowed(pub bool);

/// What server functions extract to see who is asking.
pub type AuthSession = axum_login::AuthSession<Accounts>;

/// The session key holding when the person signed in, for the absolute expiry.
pub const SIGNED_IN_AT: &str = "frontline.signed_in_at_ms";

/// The session key holding when the idle expiry was last pushed forward.
pub const LAST_SEEN: &str = "frontline.last_seen_ms";

/// How often a busy session's idle expiry moves: writing the session row on
/// every request would cost a database write per page, asset and server call
/// to gain at most a minute of idle time.
pub const RENEW_EVERY_MS: i64 = 60_000;

/// Signs `user` in on this session under a fresh session id, so an id
/// anyone saw before signing in (or before a password change) is worthless,
/// and starts the absolute-expiry clock.
pub async fn establish(
    session: &mut AuthSession,
    user: &SignedIn,
) -> Result<(), crate::error::AppError> {
    let failed = |err: &dyn std::fmt::Debug| {
        tracing::error!(error = ?err, "cannot establish the session");
        crate::error::AppError::Internal
    };
    session.session.cycle_id().await.map_err(|e| failed(&e))?;
    session.login(user).await.map_err(|e| failed(&e))?;
    let now = crate::clock::now_ms();
    for key in [SIGNED_IN_AT, LAST_SEEN] {
        session
            .session
            .insert(key, now)
            .await
            .map_err(|e| failed(&e))?;
    }
    Ok(())
}
