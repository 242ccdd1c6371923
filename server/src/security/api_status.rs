//! Server functions answer every error with status 500. This is the one
//! place that puts each error's own status (`AppError::status`: 400, 401,
//! 403, 404, 409, 422, 429, 503) and its `Retry-After` on the response, for
//! errors returned by a function and for those raised before it runs (a
//! malformed or missing argument).

use axum::{
    body::{to_bytes, Body},
    extract::Request,
    http::StatusCode,
    middleware::Next,
    response::Response,
};

use app::error::AppError;

/// Error bodies are one sentence; anything longer is not ours to reinterpret.
const MAX_ERROR_BODY: usize = 64 * 1024;

pub async fn api_status(request: Request, next: Next) -> Response {
    let api = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    if !api {
        return response;
    }
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_ERROR_BODY).await else {
        parts.status = StatusCode::INTERNAL_SERVER_ERROR;
        return Response::from_parts(parts, Body::empty());
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        super::put_status(&mut parts.headers, &mut parts.status, &error);
    }
    Response::from_parts(parts, Body::from(bytes))
}
