//! The one error type server functions return to the browser. Internal
//! details are logged on the server and never shown. Each error's HTTP
//! status and `Retry-After` are decided here ([`AppError::status`],
//! [`AppError::retry_after_seconds`]) and put on the response in one place,
//! the server's error-status layer.

use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// The request could not be read at all (missing or malformed fields).
    #[error("{0}")]
    BadRequest(String),
    /// The request body was larger than the server accepts.
    #[error("{0}")]
    TooLarge(String),
    /// The request body arrived too slowly and was given up on.
    #[error("{0}")]
    TooSlow(String),
    /// The input was refused; the message says what to change.
    #[error("{0}")]
    Invalid(String),
    /// What was asked for does not exist, or is not the asker's to see:
    /// the two answer alike so that ids cannot be probed.
    #[error("{0}")]
    NotFound(String),
    #[error("Please sign in to continue.")]
    SignInRequired,
    /// Signed in, but the role does not allow it; the message says what.
    #[error("{0}")]
    Forbidden(String),
    /// Too many tries (sign-in lockout, live streams); the message says what
    /// to do, and `Retry-After` how long to wait when that is known.
    #[error("{message}")]
    TooManyAttempts {
        message: String,
        retry_after_seconds: Option<u64>,
    },
    /// Someone else changed the record first; the message says what changed.
    #[error("{0}")]
    Conflict(String),
    #[error("The service desk database is unavailable right now. Please try again in a moment.")]
    Unavailable,
    /// The server is checking as many passwords as it can; try again shortly.
    #[error("Frontline is busy checking other sign-ins. Please try again in a few seconds.")]
    Busy,
    #[error("Something went wrong on the server. It has been logged; please try again.")]
    Internal,
    #[error("Frontline could not reach the server. Check your connection and try again.")]
    Network,
}

impl AppError {
    /// The HTTP status this error is answered with.
    pub fn status(&self) -> u16 {
        match self {
            AppError::BadRequest(_) => 400,
            AppError::TooSlow(_) => 408,
            AppError::TooLarge(_) => 413,
            AppError::Invalid(_) => 422,
            AppError::NotFound(_) => 404,
            AppError::SignInRequired => 401,
            AppError::Forbidden(_) => 403,
            AppError::TooManyAttempts { .. } => 429,
            AppError::Conflict(_) => 409,
            AppError::Unavailable | AppError::Busy => 503,
            AppError::Internal | AppError::Network => 500,
        }
    }
}

impl AppError {
    /// Seconds to wait before trying again, sent as `Retry-After`.
    pub fn retry_after_seconds(&self) -> Option<u64> {
        match self {
            // A hash takes tens of milliseconds; a few seconds drains the queue.
            AppError::Busy => Some(5),
            AppError::TooManyAttempts {
                retry_after_seconds,
                ..
            } => *retry_after_seconds,
            _ => None,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(_) => AppError::Network,
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => {
                AppError::BadRequest("The request was incomplete or malformed.".to_owned())
            }
            // On the server this is a request body that would not decode;
            // in the browser it is an answer that would not, which is ours.
            #[cfg(feature = "ssr")]
            ServerFnErrorErr::Deserialization(_) => {
                AppError::BadRequest("The request was incomplete or malformed.".to_owned())
            }
            other => {
                tracing::warn!(error = %other, "server function failed");
                AppError::Internal
            }
        }
    }
}

#[cfg(feature = "ssr")]
mod server {
    use super::AppError;
    use storage::StorageError;

    impl From<StorageError> for AppError {
        fn from(err: StorageError) -> Self {
            match &err {
                StorageError::NotFound(message) => return AppError::NotFound(message.clone()),
                StorageError::Invalid(message) => return AppError::Invalid(message.clone()),
                StorageError::Refused(refusal) => return AppError::Invalid(refusal.to_string()),
                StorageError::Conflict(conflict) => {
                    return AppError::Conflict(conflict.to_string())
                }
                _ => {}
            }
            if err.is_unavailable() {
                tracing::error!(error = %err, "database unavailable");
                AppError::Unavailable
            } else {
                tracing::error!(error = %err, "storage failure");
                AppError::Internal
            }
        }
    }

    impl From<crate::auth::password::HashError> for AppError {
        fn from(err: crate::auth::password::HashError) -> Self {
            if matches!(err, crate::auth::password::HashError::Busy) {
                AppError::Busy
            } else {
                tracing::error!(error = %err, "password hashing failed");
                AppError::Internal
            }
        }
    }
}
