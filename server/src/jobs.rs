//! Background jobs, run as the system through the same domain rules as
//! everyone else.
//! - Auto-close: a resolved ticket whose reporter neither confirms nor
//!   refuses the fix closes after the grace period.
//! - SLA watch: a promise at 75 % of its time, or past it, is recorded on
//!   the ticket; a missed first response alerts the tier's lead.

use std::time::Duration;

use domain::{
    change::{Acting, Change, SlaMark},
    lifecycle::Transition,
    sla,
};

use storage::{SlaWatch, StorageError, Store};
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

/// How many tickets the SLA watcher reads at a time, the soonest due first.
const WATCH_BATCH: i64 = 1_000;

/// Records every warning and breach that is due at `now_ms` and not yet in
/// the ticket's log; returns how many it recorded. It reads every open
/// ticket due within the warning horizon, in batches, so tickets already
/// marked never crowd out the rest. A ticket someone changes at the same
/// moment is judged again on the next sweep.
pub async fn watch_sla(store: &Store, now_ms: i64) -> Result<usize, StorageError> {
    let policy = &store.rules().policy;
    let horizon = now_ms.saturating_add(policy.warning_horizon_ms());
    let mut recorded = 0;
    let mut offset = 0;
    loop {
        let batch = store.sla_watch(horizon, WATCH_BATCH, offset).await?;
        for ticket in &batch {
            recorded += mark(store, ticket, now_ms).await?;
        }
        // Marks change no due time, so the order (and the next batch) holds.
        if batch.len() < WATCH_BATCH as usize {
            return Ok(recorded);
        }
        offset += WATCH_BATCH;
    }
}

/// Records what is due on one ticket; how many marks it wrote.
async fn mark(store: &Store, ticket: &SlaWatch, now_ms: i64) -> Result<usize, StorageError> {
    let card = &ticket.card;
    let mut version = card.version;
    let mut recorded = 0;
    let alarms = sla::alarms(
        card.state,
        card.priority,
        card.response_due_ms,
        card.resolution_due_ms,
        &store.rules().policy,
        now_ms,
    );
    for alarm in alarms {
        let mark = SlaMark {
            promise: alarm.promise,
            status: alarm.status,
            priority: card.priority,
        };
        if ticket.marked.contains(&mark) {
            continue;
        }
        let change = Change::MarkSla {
            promise: alarm.promise,
            status: alarm.status,
        };
        match store
            .change(card.id, version, &change, &Acting::system(), now_ms)
            .await
        {
            Ok(changed) => {
                recorded += 1;
                version = changed.version;
            }
            Err(StorageError::Conflict(_) | StorageError::Refused(_)) => break,
            Err(err) => return Err(err),
        }
    }
    Ok(recorded)
}

/// Runs [`watch_sla`] every `every` (a countdown's warning is at most that
/// late in the log; the board's cards change colour on their own).
pub fn spawn_sla_watch(store: Store, every: Duration) -> JoinHandle<()> {
    tokio::spawn(async move {
        // The first sweep waits one period, so a starting server answers first.
        let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            let started = std::time::Instant::now();
            let swept = watch_sla(&store, app::clock::now_ms()).await;
            let ms = started.elapsed().as_millis();
            match swept {
                Ok(0) => tracing::debug!(ms, "SLA watch: nothing new"),
                Ok(n) => tracing::info!(recorded = n, ms, "SLA warnings and breaches recorded"),
                Err(err) => tracing::warn!(error = %err, "SLA watch failed; will retry"),
            }
        }
    })
}
