//! Whole tickets with their histories, written in batches: a few statements
//! per thousand tickets instead of a round trip per row.

use super::rows::{
    bind_event, bind_incident, values, EVENT_WIDTH, INCIDENT_INSERT_COLUMNS, INCIDENT_INSERT_WIDTH,
    INSERT_EVENT,
};
use crate::{database::Tx, error::explain, ImportedTicket, StorageError};

/// Rows per statement, under SQLite's limit of 32,766 parameters.
const TICKETS_PER_STATEMENT: usize = 1_000;
const EVENTS_PER_STATEMENT: usize = 4_000;

pub(super) async fn import(
    tx: &mut Tx,
    tickets: &[ImportedTicket],
) -> Result<Vec<i64>, StorageError> {
    let count = i64::try_from(tickets.len()).unwrap_or(i64::MAX);
    let ids: Vec<i64> = sqlx::query_scalar(tx.dialect.reserve_ids)
        .bind(count)
        .fetch_all(tx.conn())
        .await?;
    if ids.len() != tickets.len() {
        return Err(StorageError::Corrupt(format!(
            "{} ticket ids were reserved for {} tickets",
            ids.len(),
            tickets.len()
        )));
    }
    for (ids, tickets) in ids
        .chunks(TICKETS_PER_STATEMENT)
        .zip(tickets.chunks(TICKETS_PER_STATEMENT))
    {
        let sql = format!(
            "INSERT INTO incidents (id, {INCIDENT_INSERT_COLUMNS}){} VALUES {}",
            tx.dialect.given_ids,
            values(tx.dialect, tickets.len(), INCIDENT_INSERT_WIDTH + 1, None)
        );
        let mut query = sqlx::query(&sql);
        for (id, ticket) in ids.iter().zip(tickets) {
            query = bind_incident(query.bind(*id), &ticket.incident);
        }
        query.execute(tx.conn()).await.map_err(explain)?;
    }

    tx.run(tx.dialect.before_append).await?;
    let events: Vec<_> = ids
        .iter()
        .zip(tickets)
        .flat_map(|(id, ticket)| {
            (1..)
                .zip(&ticket.events)
                .map(move |(version, (by, event, at_ms))| (*id, version, by, event, *at_ms))
        })
        .collect();
    for batch in events.chunks(EVENTS_PER_STATEMENT) {
        let sql = format!(
            "{INSERT_EVENT}{}",
            values(tx.dialect, batch.len(), EVENT_WIDTH, Some(6))
        );
        let mut query = sqlx::query(&sql);
        for (id, version, by, event, at_ms) in batch {
            query = bind_event(query, *id, *version, by, event, *at_ms)?;
        }
        query.execute(tx.conn()).await.map_err(explain)?;
    }
    Ok(ids)
}
