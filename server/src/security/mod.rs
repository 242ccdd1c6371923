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
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};

/// An error answered the way server functions answer theirs: a JSON
/// `AppError`, which the browser side reads back into the same sentence.
pub(crate) fn refuse(status: StatusCode, error: AppError) -> Response {
    let body = serde_json::to_string(&error).unwrap_or_else(|_| "{}".to_owned());
    let mut response = (status, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}
