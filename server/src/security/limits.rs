//! Request size limits: a body over the limit is refused with a sentence
//! before it is read, whether or not it declares its length.

use axum::{
    body::Body,
    extract::Request,
    http::{header, StatusCode},
    middleware::Next,
    response::Response,
};
use http_body_util::Limited;

use app::error::AppError;

/// Enough for the longest description (20,000 characters of any script,
/// URL-encoded) with room to spare; a sign-in is a few hundred bytes.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

pub async fn limit_body(request: Request, next: Next) -> Response {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|len| len > MAX_BODY_BYTES as u64) {
        return super::refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            AppError::BadRequest(format!(
                "The request is too large: at most {} KiB can be sent at once.",
                MAX_BODY_BYTES / 1024
            )),
        );
    }
    // A body without a declared length is cut off at the limit as it streams.
    let (parts, body) = request.into_parts();
    let request = Request::from_parts(parts, Body::new(Limited::new(body, MAX_BODY_BYTES)));
    next.run(request).await
}
