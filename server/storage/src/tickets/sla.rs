//! What the SLA watcher reads: the open tickets whose promises fall due,
//! with the marks it already left, and the alerts the board lists.

use super::rows::{
    bind_scope, cards_from, entries, event_columns, scope_filter, summaries, EventRow, SummaryRow,
};
use crate::{database::Database, StorageError};
use domain::models::{IncidentSummary, TimelineEntry};
use domain::{access::Scope, change::SlaMark};

/// An open ticket the SLA watcher must judge, with what it already recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlaWatch {
    pub card: IncidentSummary,
    pub marked: Vec<SlaMark>,
}

impl Database {
    /// Open tickets with a promise due at or before `due_before_ms`, the
    /// soonest first, each with the SLA marks already in its log: `limit`
    /// of them after skipping `offset`.
    pub async fn sla_watch(
        &self,
        due_before_ms: i64,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<SlaWatch>, StorageError> {
        // A first response is always due before the resolution, so the
        // nearer of the two is the first one present.
        let rows: Vec<SummaryRow> = sqlx::query_as(&format!(
            "{} WHERE i.state IN ('new', 'assigned', 'in_progress') \
             AND (i.response_due_ms <= $1 OR i.resolution_due_ms <= $1) \
             ORDER BY COALESCE(i.response_due_ms, i.resolution_due_ms), i.id LIMIT $2 OFFSET $3",
            cards_from()
        ))
        .bind(due_before_ms)
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?;
        let cards = summaries(rows)?;
        if cards.is_empty() {
            return Ok(Vec::new());
        }
        let binds: Vec<String> = (1..=cards.len()).map(|n| format!("${n}")).collect();
        let sql = format!(
            "SELECT {} FROM incident_events e WHERE e.kind = 'sla_alert' AND e.incident_id IN ({})",
            event_columns(self.dialect.json_text),
            binds.join(", ")
        );
        let mut query = sqlx::query_as(&sql);
        for card in &cards {
            query = query.bind(card.id);
        }
        let marks: Vec<EventRow> = query.fetch_all(&self.pool).await?;
        let marks = entries(marks)?;
        Ok(cards
            .into_iter()
            .map(|card| {
                let marked = domain::change::sla_marks(
                    marks
                        .iter()
                        .filter(|e| e.incident_id == card.id)
                        .map(|e| &e.event),
                );
                SlaWatch { card, marked }
            })
            .collect())
    }

    /// SLA alerts recorded since `since_ms` on tickets in `scope` that are
    /// not yet resolved, newest first.
    pub async fn sla_alerts(
        &self,
        since_ms: i64,
        limit: i64,
        scope: Scope,
    ) -> Result<Vec<TimelineEntry>, StorageError> {
        let sql = format!(
            "SELECT {} FROM incident_events e JOIN incidents i ON i.id = e.incident_id \
             WHERE e.kind = 'sla_alert' AND e.at_ms >= $1 \
             AND i.state IN ('new', 'assigned', 'in_progress', 'pending'){} \
             ORDER BY e.id DESC LIMIT $2",
            event_columns(self.dialect.json_text),
            scope_filter(scope, 3)
        );
        let mut query = sqlx::query_as(&sql).bind(since_ms).bind(limit);
        query = bind_scope(query, scope);
        let rows: Vec<EventRow> = query.fetch_all(&self.pool).await?;
        entries(rows)
    }
}
