//! Request limits. Size: a body over the limit is refused with 413 and a
//! sentence, before it is read when it declares its length, and as soon as
//! it passes the limit when it streams. Time: a request not answered within
//! the request timeout gets 408 if its body was still arriving (a slow
//! client), else 503 (a slow server); live streams are long only after
//! their answer has begun, so they are not cut.

use std::{
    pin::Pin,
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc,
    },
    task::{Context, Poll},
    time::Duration,
};

use axum::{
    body::{Body, Bytes},
    extract::{Request, State},
    http::{header, HeaderValue},
    middleware::Next,
    response::Response,
};
use http_body::{Frame, SizeHint};
use http_body_util::{LengthLimitError, Limited};

use app::error::AppError;

/// Enough for the longest description (20,000 characters of any script,
/// URL-encoded) with room to spare; a sign-in is a few hundred bytes.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// How long a request may take before its answer begins.
#[derive(Debug, Clone, Copy)]
pub struct RequestTimeout(pub Duration);

pub async fn limit_request(
    State(RequestTimeout(timeout)): State<RequestTimeout>,
    request: Request,
    next: Next,
) -> Response {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|len| len > MAX_BODY_BYTES as u64) {
        return too_large();
    }
    // A body without a declared length is cut off at the limit as it
    // streams; whoever reads it sees an error, and this answers for them.
    let (parts, body) = request.into_parts();
    let watch = Arc::new(BodyWatch::default());
    let body = Watched {
        inner: Limited::new(body, MAX_BODY_BYTES),
        watch: watch.clone(),
    };
    if http_body::Body::is_end_stream(&body) {
        watch.complete.store(true, Ordering::Relaxed);
    }
    let request = Request::from_parts(parts, Body::new(body));
    let path = request.uri().path().to_owned();
    match tokio::time::timeout(timeout, next.run(request)).await {
        Ok(_) if watch.over_limit.load(Ordering::Relaxed) => too_large(),
        Ok(response) => response,
        Err(_) if !watch.complete.load(Ordering::Relaxed) => {
            tracing::info!(path, "request body too slow to arrive");
            let mut response = super::refuse(AppError::TooSlow(
                "The request took too long to arrive. Check your connection and try again."
                    .to_owned(),
            ));
            response
                .headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
            response
        }
        Err(_) => {
            tracing::warn!(path, ?timeout, "request not answered in time");
            super::refuse(AppError::Unavailable)
        }
    }
}

fn too_large() -> Response {
    super::refuse(AppError::TooLarge(format!(
        "The request is too large: at most {} KiB can be sent at once.",
        MAX_BODY_BYTES / 1024
    )))
}

/// What became of a request body, for the answer once the handler is done.
#[derive(Debug, Default)]
struct BodyWatch {
    over_limit: AtomicBool,
    complete: AtomicBool,
}

/// A size-limited body that records whether it ran over or was read to the end.
struct Watched {
    inner: Limited<Body>,
    watch: Arc<BodyWatch>,
}

impl http_body::Body for Watched {
    type Data = Bytes;
    type Error = Box<dyn std::error::Error + Send + Sync>;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let polled = Pin::new(&mut self.inner).poll_frame(cx);
        match &polled {
            Poll::Ready(None) => self.watch.complete.store(true, Ordering::Relaxed),
            Poll::Ready(Some(Err(err))) if err.is::<LengthLimitError>() => {
                self.watch.over_limit.store(true, Ordering::Relaxed);
            }
            _ => {}
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        let end = self.inner.is_end_stream();
        if end {
            self.watch.complete.store(true, Ordering::Relaxed);
        }
        end
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
