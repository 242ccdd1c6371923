//! How the desk works together around the tickets: who is looking at one
//! (presence), who leads each tier, which tickets the SLA watcher must look
//! at, and the lead alerts the board lists. Written once in
//! [`impl_desk_store!`]; the backends differ only in how a transaction that
//! writes begins and how event data is read as text.

use async_trait::async_trait;

use super::StorageError;
use domain::models::{IncidentSummary, TimelineEntry};
use domain::{access::Scope, change::SlaMark, person::Person, tier::Tier};

/// An open ticket the SLA watcher must judge, with what it already recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlaWatch {
    pub card: IncidentSummary,
    pub marked: Vec<SlaMark>,
}

#[async_trait]
pub trait DeskStore: Send + Sync {
    /// Records that `person_id` has ticket `incident_id` open now, forgets
    /// everyone's views older than `forget_before_ms`, and returns the others
    /// who looked at it since `since_ms`, by name, with their role code.
    async fn viewing(
        &self,
        incident_id: i64,
        person_id: i64,
        now_ms: i64,
        since_ms: i64,
        forget_before_ms: i64,
    ) -> Result<Vec<(String, String, Option<String>)>, StorageError>;

    /// The tiers that have a lead, with their lead, L1 first.
    async fn tier_leads(&self) -> Result<Vec<(Tier, Person)>, StorageError>;

    /// Makes `person_id` the lead of `tier`, or leaves the tier without one.
    /// The domain decides who may lead ([`check_lead`](domain::escalation::check_lead)).
    async fn set_tier_lead(
        &self,
        tier: Tier,
        person_id: Option<i64>,
        now_ms: i64,
    ) -> Result<(), StorageError>;

    /// Open tickets with a promise due at or before `due_before_ms`, the
    /// soonest first, each with the SLA marks already in its log: `limit`
    /// of them after skipping `offset`.
    async fn sla_watch(
        &self,
        due_before_ms: i64,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<SlaWatch>, StorageError>;

    /// SLA alerts recorded since `since_ms` on tickets in `scope` that are
    /// not yet resolved, newest first.
    async fn sla_alerts(
        &self,
        since_ms: i64,
        limit: i64,
        scope: Scope,
    ) -> Result<Vec<TimelineEntry>, StorageError>;
}

macro_rules! impl_desk_store {
    ($storage:ty, begin_write: $begin:literal, event_data: $data:literal) => {
        #[async_trait::async_trait]
        impl $crate::desk::DeskStore for $storage {
            async fn viewing(
                &self,
                incident_id: i64,
                person_id: i64,
                now_ms: i64,
                since_ms: i64,
                forget_before_ms: i64,
            ) -> Result<Vec<(String, String, Option<String>)>, StorageError> {
                let mut tx = self.pool.begin_with($begin).await?;
                sqlx::query("DELETE FROM presence WHERE seen_at_ms < $1")
                    .bind(forget_before_ms)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(
                    "INSERT INTO presence (incident_id, person_id, seen_at_ms) VALUES ($1, $2, $3) \
                     ON CONFLICT (incident_id, person_id) DO UPDATE SET seen_at_ms = excluded.seen_at_ms",
                )
                .bind(incident_id)
                .bind(person_id)
                .bind(now_ms)
                .execute(&mut *tx)
                .await
                .map_err($crate::explain)?;
                let others: Vec<(String, String, Option<String>)> = sqlx::query_as(
                    "SELECT p.name, p.role, p.tier FROM presence v JOIN people p ON p.id = v.person_id \
                     WHERE v.incident_id = $1 AND v.person_id <> $2 AND v.seen_at_ms >= $3 ORDER BY p.name",
                )
                .bind(incident_id)
                .bind(person_id)
                .bind(since_ms)
                .fetch_all(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(others)
            }

            async fn tier_leads(
                &self,
            ) -> Result<Vec<(::domain::tier::Tier, ::domain::person::Person)>, StorageError>
            {
                use $crate::rows::TierLeadRow;
                let rows: Vec<TierLeadRow> = sqlx::query_as(
                    "SELECT l.tier AS lead_tier, p.id, p.name, p.email, p.phone, p.role, p.tier, \
                     p.security_team FROM tier_leads l JOIN people p ON p.id = l.person_id \
                     ORDER BY l.tier",
                )
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter().map(TierLeadRow::into_lead).collect()
            }

            async fn set_tier_lead(
                &self,
                tier: ::domain::tier::Tier,
                person_id: Option<i64>,
                now_ms: i64,
            ) -> Result<(), StorageError> {
                use $crate::rows::{PersonRow, PERSON_COLUMNS};
                let mut tx = self.pool.begin_with($begin).await?;
                match person_id {
                    None => {
                        sqlx::query("DELETE FROM tier_leads WHERE tier = $1")
                            .bind(tier.code())
                            .execute(&mut *tx)
                            .await?;
                    }
                    Some(id) => {
                        let row: Option<PersonRow> = sqlx::query_as(&format!(
                            "SELECT {PERSON_COLUMNS} FROM people WHERE id = $1"
                        ))
                        .bind(id)
                        .fetch_optional(&mut *tx)
                        .await?;
                        let person = row.map(PersonRow::into_person).transpose()?.ok_or_else(|| {
                            StorageError::NotFound(format!("There is no person with id {id}."))
                        })?;
                        ::domain::escalation::check_lead(tier, &person)
                            .map_err(|e| StorageError::Invalid(e.to_string()))?;
                        sqlx::query(
                            "INSERT INTO tier_leads (tier, person_id, set_at_ms) VALUES ($1, $2, $3) \
                             ON CONFLICT (tier) DO UPDATE SET person_id = excluded.person_id, \
                             set_at_ms = excluded.set_at_ms",
                        )
                        .bind(tier.code())
                        .bind(id)
                        .bind(now_ms)
                        .execute(&mut *tx)
                        .await
                        .map_err($crate::explain)?;
                    }
                }
                tx.commit().await?;
                Ok(())
            }

            async fn sla_watch(
                &self,
                due_before_ms: i64,
                limit: i64,
                offset: i64,
            ) -> Result<Vec<$crate::desk::SlaWatch>, StorageError> {
                use $crate::rows::{entries, summaries, EventRow, SummaryRow, SUMMARY_COLUMNS};
                // A first response is always due before the resolution, so
                // the nearer of the two is the first one present.
                let rows: Vec<SummaryRow> = sqlx::query_as(&format!(
                    "SELECT {SUMMARY_COLUMNS} FROM incidents i LEFT JOIN people p ON p.id = i.assignee_id \
                     WHERE i.state IN ('new', 'assigned', 'in_progress') \
                     AND (i.response_due_ms <= $1 OR i.resolution_due_ms <= $1) \
                     ORDER BY COALESCE(i.response_due_ms, i.resolution_due_ms), i.id LIMIT $2 OFFSET $3"
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
                    concat!(
                        "SELECT id, incident_id, version, actor_name, actor_role, ",
                        $data,
                        " AS data, at_ms FROM incident_events \
                         WHERE kind = 'sla_alert' AND incident_id IN ({})"
                    ),
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
                        let marked = ::domain::change::sla_marks(
                            marks
                                .iter()
                                .filter(|e| e.incident_id == card.id)
                                .map(|e| &e.event),
                        );
                        $crate::desk::SlaWatch { card, marked }
                    })
                    .collect())
            }

            async fn sla_alerts(
                &self,
                since_ms: i64,
                limit: i64,
                scope: ::domain::access::Scope,
            ) -> Result<Vec<::domain::models::TimelineEntry>, StorageError> {
                use $crate::rows::{entries, scope_filter, scope_reporter, EventRow};
                let sql = format!(
                    concat!(
                        "SELECT e.id, e.incident_id, e.version, e.actor_name, e.actor_role, e.",
                        $data,
                        " AS data, e.at_ms FROM incident_events e JOIN incidents i ON i.id = e.incident_id \
                         WHERE e.kind = 'sla_alert' AND e.at_ms >= $1 \
                         AND i.state IN ('new', 'assigned', 'in_progress', 'pending'){} \
                         ORDER BY e.id DESC LIMIT $2"
                    ),
                    scope_filter(scope, 3)
                );
                let mut query = sqlx::query_as(&sql).bind(since_ms).bind(limit);
                if let Some(id) = scope_reporter(scope) {
                    query = query.bind(id);
                }
                let rows: Vec<EventRow> = query.fetch_all(&self.pool).await?;
                entries(rows)
            }
        }
    };
}
pub(super) use impl_desk_store;
