//! The live event stream (`GET /api/events`): server-sent events carrying
//! the event log, filtered to what the signed-in person may see. Each event
//! has the log's id, so a browser that reconnects sends `Last-Event-ID`
//! and receives exactly what it missed, in order: first from the log, then
//! from the hub, skipping what the log already gave.

use std::{
    collections::{HashMap, VecDeque},
    convert::Infallible,
    sync::Arc,
    time::Duration,
};

use axum::{
    extract::{Extension, Query, State},
    http::HeaderMap,
    response::{
        sse::{Event as SseEvent, KeepAlive, Sse},
        IntoResponse, Response,
    },
};
use futures::stream::{self, Stream};
use serde::Deserialize;
use tokio::sync::{broadcast, watch};

use domain::{
    access::{may_read, Scope},
    person::Role,
};

use domain::models::{IncidentSummary, LiveEvent};

use storage::Store;

use app::{
    auth::{still_signed_in, AuthSession, ClientAddress},
    error::AppError,
};

use super::{
    hub::Published,
    slots::{Full, Slot},
};
use crate::{router::AppState, security::refuse};

/// Events read per query; a client far behind catches up in pages of this size.
const PAGE: i64 = 200;
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
    /// The newest event id this stream has passed (sent or filtered out).
    last_id: i64,
    /// Read from the log, not yet sent.
    pending: VecDeque<LiveEvent>,
    /// True until the log has been read up to the hub's present.
    catching_up: bool,
    hub: broadcast::Receiver<Arc<Published>>,
    stopping: watch::Receiver<bool>,
    session_id: Option<tower_sessions::session::Id>,
    checked_at: tokio::time::Instant,
    /// This stream's place under the caps, given back when it ends.
    _slot: Slot,
}

pub async fn events(
    State(state): State<AppState>,
    session: AuthSession,
    client: Option<Extension<ClientAddress>>,
    headers: HeaderMap,
    Query(resume): Query<Resume>,
) -> Response {
    let session_id = session.session.id();
    let Some(person) = session.user.map(|user| user.person) else {
        return refuse(AppError::SignInRequired);
    };
    let address = client.map(|Extension(ClientAddress(ip))| ip);
    let slot = match state.streams.take(session_id, address) {
        Ok(slot) => slot,
        Err(full) => {
            tracing::info!(person = person.id, ?address, ?full, "live stream refused");
            return refuse(too_many(full));
        }
    };
    // Subscribed before anything is read: an event committed from now on
    // reaches this stream from the hub, if not already from the log.
    let hub = state.hub.subscribe();
    let from_header = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok());
    let (last_id, catching_up) = match from_header.or(resume.after).filter(|id| *id >= 0) {
        Some(id) => (id, true),
        None => match state.store.latest_event_id().await {
            Ok(id) => (id, false),
            Err(err) => {
                tracing::error!(error = %err, "cannot start a live stream");
                return refuse(AppError::Unavailable);
            }
        },
    };
    let listener = Listener {
        scope: Scope::of(&person),
        role: person.role,
        store: state.store.clone(),
        last_id,
        pending: VecDeque::new(),
        catching_up,
        hub,
        stopping: state.stopping.clone(),
        session_id,
        checked_at: tokio::time::Instant::now(),
        _slot: slot,
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

fn too_many(full: Full) -> AppError {
    let message = match full {
        Full::Session(cap) => format!(
            "Live updates are already open in {cap} tabs or windows of this browser, the most \
             allowed. Close some of them and reload this page."
        ),
        Full::Address(cap) => format!(
            "Live updates are already open {cap} times from your network address, the most \
             allowed. Close some Frontline tabs and reload this page, or ask the desk's \
             administrator to raise max_streams_per_address."
        ),
    };
    AppError::TooManyAttempts {
        message,
        retry_after_seconds: None,
    }
}

fn message(id: i64, data: &str) -> SseEvent {
    SseEvent::default()
        .id(id.to_string())
        .event("change")
        .data(data)
}

fn stream_of(listener: Listener) -> impl Stream<Item = Result<SseEvent, Infallible>> {
    stream::unfold(listener, |mut listener| async move {
        loop {
            if let Some(event) = listener.pending.pop_front() {
                let data = serde_json::to_string(&event).unwrap_or_default();
                return Some((Ok(message(event.id, &data)), listener));
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
            if listener.catching_up {
                match read_log(&mut listener).await {
                    Ok(()) => continue,
                    Err(err) => {
                        tracing::warn!(error = %err, "live stream cannot read events");
                        tokio::time::sleep(Duration::from_secs(1)).await;
                        continue;
                    }
                }
            }
            let until_check = SESSION_CHECK.saturating_sub(listener.checked_at.elapsed());
            tokio::select! {
                received = listener.hub.recv() => match received {
                    Ok(published) => {
                        if published.id <= listener.last_id {
                            continue; // already sent from the log
                        }
                        listener.last_id = published.id;
                        if published.visible_to(listener.scope, listener.role) {
                            let sent = message(published.id, &published.json);
                            return Some((Ok(sent), listener));
                        }
                    }
                    // Fell too far behind the hub: the log has everything.
                    Err(broadcast::error::RecvError::Lagged(_)) => listener.catching_up = true,
                    Err(broadcast::error::RecvError::Closed) => return None,
                },
                stopping = listener.stopping.changed() => {
                    if stopping.is_err() {
                        return None;
                    }
                }
                () = tokio::time::sleep(until_check) => {}
            }
        }
    })
}

/// One page of the log after `last_id`, filtered to what the reader may see.
/// A short page means the log is read up to the present; the hub takes over.
async fn read_log(listener: &mut Listener) -> Result<(), storage::StorageError> {
    let entries = listener
        .store
        .events_since(listener.last_id, PAGE, listener.scope)
        .await?;
    if let Some(last) = entries.last() {
        listener.last_id = last.id;
    }
    if (entries.len() as i64) < PAGE {
        listener.catching_up = false;
    }
    // Reporters never learn that an internal note was written.
    let readable: Vec<_> = entries
        .iter()
        .filter(|e| may_read(listener.role, &e.event))
        .collect();
    let mut ids: Vec<i64> = readable.iter().map(|e| e.incident_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let cards: HashMap<i64, IncidentSummary> = listener
        .store
        .cards(&ids)
        .await?
        .into_iter()
        .map(|card| (card.id, card))
        .collect();
    listener.pending.extend(readable.into_iter().map(|entry| {
        let mut event = LiveEvent::from(entry);
        event.card = cards.get(&entry.incident_id).cloned();
        event
    }));
    Ok(())
}
