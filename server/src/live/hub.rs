//! Reads the event log once for all streams of this server: on every local
//! write, on every other instance's notification (PostgreSQL LISTEN), and
//! every two seconds in case a wake-up was missed. Each new event goes out
//! once, with the ticket's card and its JSON already encoded, so 500 boards
//! cost one query and one serialisation per change, not 500.

use std::{collections::HashMap, sync::Arc, time::Duration};

use tokio::sync::{broadcast, watch};

use domain::{access::Scope, kind::Kind, person::Role};

use domain::models::LiveEvent;

use storage::Store;

/// Events read per query: a burst larger than this is read in pages.
const PAGE: i64 = 200;
/// How often the hub looks for writes it was not told about.
const POLL: Duration = Duration::from_secs(2);
/// Events a slow stream may fall behind before it re-reads from the log.
const BACKLOG: usize = 4_096;

/// One event as the hub publishes it.
#[derive(Debug)]
pub struct Published {
    pub id: i64,
    /// The ticket's kind and reporter: who may see it.
    kind: Kind,
    reporter_id: Option<i64>,
    /// False for internal notes.
    reporter_may_read: bool,
    /// The `LiveEvent` as JSON, card included.
    pub json: String,
}

impl Published {
    pub fn visible_to(&self, scope: Scope, role: Role) -> bool {
        scope.includes(self.kind, self.reporter_id)
            && (self.reporter_may_read || !matches!(role, Role::Reporter))
    }
}

#[derive(Clone)]
pub struct Hub {
    sender: broadcast::Sender<Arc<Published>>,
}

impl Hub {
    /// Starts reading after the newest event in the log; stops when `stopping` turns true.
    pub fn start(store: Store, stopping: watch::Receiver<bool>) -> Self {
        let (sender, _) = broadcast::channel(BACKLOG);
        tokio::spawn(run(store, sender.clone(), stopping));
        Self { sender }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Published>> {
        self.sender.subscribe()
    }
}

async fn run(
    store: Store,
    sender: broadcast::Sender<Arc<Published>>,
    mut stopping: watch::Receiver<bool>,
) {
    let mut writes = store.writes();
    let mut last_id = loop {
        match store.latest_event_id().await {
            Ok(id) => break id,
            Err(err) => {
                tracing::warn!(error = %err, "live hub cannot find the newest event; retrying");
                tokio::time::sleep(POLL).await;
            }
        }
    };
    loop {
        if *stopping.borrow() {
            return;
        }
        // Seen before reading: a write committing during the read wakes the wait below.
        writes.borrow_and_update();
        match publish_since(&store, &sender, last_id).await {
            Ok((newest, full_page)) => {
                last_id = newest;
                if full_page {
                    continue;
                }
            }
            Err(err) => tracing::warn!(error = %err, "live hub cannot read new events"),
        }
        tokio::select! {
            written = writes.changed() => {
                if written.is_err() {
                    tokio::time::sleep(POLL).await;
                }
            }
            stop = stopping.changed() => {
                if stop.is_err() {
                    return;
                }
            }
            () = tokio::time::sleep(POLL) => {}
        }
    }
}

/// Publishes the events after `last_id`, in order; returns the newest id
/// published and whether a full page was read (more may be waiting).
async fn publish_since(
    store: &Store,
    sender: &broadcast::Sender<Arc<Published>>,
    last_id: i64,
) -> Result<(i64, bool), storage::StorageError> {
    let entries = store.events_since(last_id, PAGE, Scope::Everything).await?;
    if entries.is_empty() {
        return Ok((last_id, false));
    }
    let mut ids: Vec<i64> = entries.iter().map(|e| e.incident_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let cards: HashMap<i64, _> = store
        .cards(&ids)
        .await?
        .into_iter()
        .map(|card| (card.id, card))
        .collect();
    let mut newest = last_id;
    for entry in &entries {
        newest = entry.id;
        let Some(card) = cards.get(&entry.incident_id) else {
            // Tickets are never deleted; without its card nobody may be shown it.
            tracing::warn!(
                incident = entry.incident_id,
                "event for a ticket without a card"
            );
            continue;
        };
        let mut event = LiveEvent::from(entry);
        event.card = Some(card.clone());
        let json = match serde_json::to_string(&event) {
            Ok(json) => json,
            Err(err) => {
                tracing::error!(error = %err, "cannot encode a live event");
                continue;
            }
        };
        // No subscribers is fine: nobody is watching.
        let _ = sender.send(Arc::new(Published {
            id: entry.id,
            kind: card.kind,
            reporter_id: card.reporter_id,
            reporter_may_read: entry.event.visible_to_reporter(),
            json,
        }));
    }
    Ok((newest, entries.len() as i64 == PAGE))
}
