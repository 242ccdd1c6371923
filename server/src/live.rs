//! The live event stream (`GET /api/events`): server-sent events carrying
//! the event log, filtered to what the signed-in person may see. Each event
//! has the log's id, so a browser that reconnects sends `Last-Event-ID`
//! and receives exactly what it missed, in order.

use std::{collections::VecDeque, convert::Infallible, time::Duration};

use axum::{
    extract::{Query, State},
    http::{HeaderMap, StatusCode},
    response::{
        sse::{Event as SseEvent, KeepAlive, Sse},
        IntoResponse, Response,
    },
};
use futures::stream::{self, Stream};
use serde::Deserialize;
use tokio::sync::watch;

use app::{
    auth::{still_signed_in, AuthSession},
    domain::{
        access::{may_read, Scope},
        person::Role,
    },
    error::AppError,
    models::LiveEvent,
    storage::Store,
};

use crate::{router::AppState, security::refuse};

/// Events read per query; a client far behind catches up in pages of this size.
const PAGE: i64 = 200;
/// How often a stream looks for writes made by other server instances.
const POLL: Duration = Duration::from_secs(2);
/// How often a stream checks that its session is still signed in: a
/// sign-out, a password change or expiry ends the stream within this long.
const SESSION_CHECK: Duration = Duration::from_secs(15);

#[derive(Debug, Deserialize)]
pub struct Resume {
    /// The last event id seen, for a first connection that already has data
    /// (the header takes precedence on reconnects).
    after: Option<i64>,
}

/// Who is listening and how far they have read.
struct Listener {
    store: Store,
    scope: Scope,
    role: Role,
    last_id: i64,
    pending: VecDeque<LiveEvent>,
    writes: watch::Receiver<u64>,
    stopping: watch::Receiver<bool>,
    session_id: Option<tower_sessions::session::Id>,
    checked_at: tokio::time::Instant,
}

pub async fn events(
    State(state): State<AppState>,
    session: AuthSession,
    headers: HeaderMap,
    Query(resume): Query<Resume>,
) -> Response {
    let session_id = session.session.id();
    let Some(person) = session.user.map(|user| user.person) else {
        return refuse(StatusCode::UNAUTHORIZED, AppError::SignInRequired);
    };
    let from_header = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok());
    let last_id = match from_header.or(resume.after).filter(|id| *id >= 0) {
        Some(id) => id,
        None => match state.store.latest_event_id().await {
            Ok(id) => id,
            Err(err) => {
                tracing::error!(error = %err, "cannot start a live stream");
                return refuse(StatusCode::SERVICE_UNAVAILABLE, AppError::Unavailable);
            }
        },
    };
    let listener = Listener {
        scope: Scope::of(&person),
        role: person.role,
        writes: state.store.writes(),
        store: state.store.clone(),
        last_id,
        pending: VecDeque::new(),
        stopping: state.stopping.clone(),
        session_id,
        checked_at: tokio::time::Instant::now(),
    };
    tracing::debug!(person = person.id, last_id, "live stream opened");
    let mut response = Sse::new(stream_of(listener))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response();
    // Proxies such as nginx buffer responses unless told not to.
    response.headers_mut().insert(
        "x-accel-buffering",
        axum::http::HeaderValue::from_static("no"),
    );
    response
}

fn stream_of(listener: Listener) -> impl Stream<Item = Result<SseEvent, Infallible>> {
    stream::unfold(listener, |mut listener| async move {
        loop {
            if let Some(event) = listener.pending.pop_front() {
                let message = SseEvent::default()
                    .id(event.id.to_string())
                    .event("change")
                    .json_data(&event)
                    .unwrap_or_else(|_| SseEvent::default().comment("unserialisable event"));
                return Some((Ok(message), listener));
            }
            if *listener.stopping.borrow() {
                return None;
            }
            if listener.checked_at.elapsed() >= SESSION_CHECK {
                listener.checked_at = tokio::time::Instant::now();
                let signed_in = match &listener.session_id {
                    Some(id) => still_signed_in(&listener.store, id, app::clock::now_ms()).await,
                    None => false,
                };
                if !signed_in {
                    // The browser reconnects, gets 401, and stops.
                    return None;
                }
            }
            // Mark the current write count as seen *before* reading, so a
            // write that commits during the read wakes the wait below.
            listener.writes.borrow_and_update();
            match listener
                .store
                .events_since(listener.last_id, PAGE, listener.scope)
                .await
            {
                Ok(entries) => {
                    let full_page = entries.len() as i64 == PAGE;
                    if let Some(last) = entries.last() {
                        listener.last_id = last.id;
                    }
                    // Reporters never learn that an internal note was written.
                    listener.pending.extend(
                        entries
                            .iter()
                            .filter(|e| may_read(listener.role, &e.event))
                            .map(LiveEvent::from),
                    );
                    if full_page || !listener.pending.is_empty() {
                        continue;
                    }
                }
                Err(err) => tracing::warn!(error = %err, "live stream cannot read events"),
            }
            tokio::select! {
                written = listener.writes.changed() => {
                    if written.is_err() {
                        // The store is closing; poll until the server stops us.
                        tokio::time::sleep(POLL).await;
                    }
                }
                stopping = listener.stopping.changed() => {
                    if stopping.is_err() {
                        return None;
                    }
                }
                () = tokio::time::sleep(POLL) => {}
            }
        }
    })
}
