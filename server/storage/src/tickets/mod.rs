//! Tickets and their event log: the write of a report or a change
//! ([`write`]), a ticket with its timeline, the log replayed to live
//! streams, imports of whole histories ([`import`]), the lists a ticket
//! appears in ([`lists`]) and the SLA watcher's reads ([`sla`]).

mod import;
pub(crate) mod lists;
pub(crate) mod rows;
pub(crate) mod sla;
mod write;

use crate::{database::Database, ImportedTicket, StorageError};
use domain::models::{IncidentDetail, TimelineEntry};
use domain::{
    access::Scope,
    change::{Acting, Change},
    incident::{Incident, NewIncident},
};
use rows::{bind_scope, entries, event_columns, scope_filter, EventRow};

impl Database {
    /// The ticket's INSERT alone, in autocommit: no event, no transaction.
    /// The storage benchmark's baseline for what a report costs on top.
    pub async fn insert_alone(&self, incident: &Incident) -> Result<i64, StorageError> {
        write::insert_incident(&self.pool, self.dialect, incident).await
    }
}

impl Database {
    /// Logs a new ticket and its `reported` event in one transaction.
    pub async fn report(
        &self,
        new: &NewIncident,
        by: &Acting,
        now_ms: i64,
    ) -> Result<Incident, StorageError> {
        let mut tx = self.begin_write().await?;
        let incident = write::report(&mut tx, new, by, now_ms, &self.rules).await?;
        tx.commit().await?;
        self.wrote();
        Ok(incident)
    }

    /// Applies one change to the ticket at `expected_version`, appending its
    /// event in the same transaction. A stale version is a [`Conflict`](crate::Conflict).
    pub async fn change(
        &self,
        id: i64,
        expected_version: i64,
        change: &Change,
        by: &Acting,
        now_ms: i64,
    ) -> Result<Incident, StorageError> {
        let mut tx = self.begin_write().await?;
        let incident = write::change(
            &mut tx,
            id,
            expected_version,
            change,
            by,
            now_ms,
            &self.rules,
        )
        .await?;
        tx.commit().await?;
        self.wrote();
        Ok(incident)
    }

    /// One ticket with its timeline.
    pub async fn incident(&self, id: i64) -> Result<Option<IncidentDetail>, StorageError> {
        let mut tx = self.begin_snapshot().await?;
        let detail = write::detail(&mut tx, id).await?;
        tx.commit().await?;
        Ok(detail)
    }

    /// Events after `after_id` across all tickets, oldest first: what a live
    /// client replays after a reconnect. Only tickets in `scope`; the
    /// caller still filters internal notes for reporters.
    pub async fn events_since(
        &self,
        after_id: i64,
        limit: i64,
        scope: Scope,
    ) -> Result<Vec<TimelineEntry>, StorageError> {
        let sql = format!(
            "SELECT {} FROM incident_events e JOIN incidents i ON i.id = e.incident_id \
             WHERE e.id > $1{} ORDER BY e.id LIMIT $2",
            event_columns(self.dialect.json_text),
            scope_filter(scope, 3)
        );
        let mut query = sqlx::query_as(&sql).bind(after_id).bind(limit);
        query = bind_scope(query, scope);
        let rows: Vec<EventRow> = query.fetch_all(&self.pool).await?;
        entries(rows)
    }

    /// The newest event's id (0 when there is none): where a new live stream starts.
    pub async fn latest_event_id(&self) -> Result<i64, StorageError> {
        let id: Option<i64> = sqlx::query_scalar("SELECT max(id) FROM incident_events")
            .fetch_one(&self.pool)
            .await?;
        Ok(id.unwrap_or(0))
    }

    /// Writes whole tickets with their histories in one transaction; returns their ids.
    pub async fn import(&self, tickets: &[ImportedTicket]) -> Result<Vec<i64>, StorageError> {
        crate::check_import(tickets)?;
        if tickets.is_empty() {
            return Ok(Vec::new());
        }
        let mut tx = self.begin_write().await?;
        let ids = import::import(&mut tx, tickets).await?;
        tx.commit().await?;
        self.wrote();
        Ok(ids)
    }
}
