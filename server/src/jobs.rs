//! Background jobs. Auto-close: a resolved ticket whose reporter neither
//! confirms nor refuses the fix closes after the grace period, as the
//! system, through the same domain rules as everyone else.

use std::time::Duration;

use app::{
    domain::{
        change::{Acting, Change},
        lifecycle::Transition,
    },
    storage::{StorageError, Store},
};
use tokio::task::JoinHandle;

/// How many tickets one query picks up.
const BATCH: i64 = 100;

/// Closes every ticket resolved more than `grace_ms` before `now_ms`;
/// returns how many it closed. A ticket its reporter answers at the same
/// moment is left to that answer (the write conflicts and is skipped).
pub async fn close_unanswered(
    store: &Store,
    now_ms: i64,
    grace_ms: i64,
) -> Result<usize, StorageError> {
    let cutoff = now_ms.saturating_sub(grace_ms);
    let mut closed = 0;
    loop {
        let batch = store.resolved_before(cutoff, BATCH).await?;
        let mut progressed = false;
        for ticket in &batch {
            let close = Change::Move(Transition::Close);
            match store
                .change(ticket.id, ticket.version, &close, &Acting::system(), now_ms)
                .await
            {
                Ok(_) => {
                    closed += 1;
                    progressed = true;
                }
                Err(StorageError::Conflict(_) | StorageError::Refused(_)) => {}
                Err(err) => return Err(err),
            }
        }
        // A batch with nothing closed would come back the same: stop.
        if batch.len() < BATCH as usize || !progressed {
            return Ok(closed);
        }
    }
}

/// Runs [`close_unanswered`] now and then every few minutes.
pub fn spawn_auto_close(store: Store, grace_hours: i64) -> JoinHandle<()> {
    let grace_ms = grace_hours.saturating_mul(3_600_000);
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(5 * 60));
        loop {
            every.tick().await;
            match close_unanswered(&store, app::clock::now_ms(), grace_ms).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(closed = n, "closed resolved tickets nobody answered"),
                Err(err) => tracing::warn!(error = %err, "auto-close failed; will retry"),
            }
        }
    })
}
