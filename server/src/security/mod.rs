//! What every request passes through before it reaches a page or a server
//! function: the names the desk answers to, the same-origin rule for writes,
//! size and time limits, response headers, and honest status codes for
//! server-function errors.

mod api_status;
mod client;
mod headers;
mod hosts;
mod limits;
mod origin;

pub use api_status::api_status;
pub use client::{client_address, TrustedProxies};
pub use headers::security_headers;
pub use hosts::{allowed_hosts, host_name, AllowedHosts};
pub use limits::{limit_request, RequestTimeout, MAX_BODY_BYTES};
pub use origin::{same_origin_writes, Origins};

use app::error::AppError;
use axum::{
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};

/// An error answered the way server functions answer theirs: a JSON
/// `AppError`, which the browser side reads back into the same sentence,
/// with the status and `Retry-After` the error itself decides.
pub(crate) fn refuse(error: AppError) -> Response {
    let body = serde_json::to_string(&error).unwrap_or_else(|_| "{}".to_owned());
    let mut response = body.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    let (mut parts, body) = response.into_parts();
    put_status(&mut parts.headers, &mut parts.status, &error);
    Response::from_parts(parts, body)
}

/// The error's own status and, when it says how long to wait, `Retry-After`.
pub(crate) fn put_status(headers: &mut HeaderMap, status: &mut StatusCode, error: &AppError) {
    *status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if let Some(seconds) = error.retry_after_seconds() {
        headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
}
