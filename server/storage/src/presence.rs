//! Who has a ticket open right now, so two agents see each other before
//! they both answer.

use crate::{database::Database, error::explain, StorageError};

impl Database {
    /// Records that `person_id` has ticket `incident_id` open now, forgets
    /// everyone's views older than `forget_before_ms`, and returns the others
    /// who looked at it since `since_ms`, by name, with their role code.
    pub async fn viewing(
        &self,
        incident_id: i64,
        person_id: i64,
        now_ms: i64,
        since_ms: i64,
        forget_before_ms: i64,
    ) -> Result<Vec<(String, String, Option<String>)>, StorageError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM presence WHERE seen_at_ms < $1")
            .bind(forget_before_ms)
            .execute(tx.conn())
            .await?;
        sqlx::query(
            "INSERT INTO presence (incident_id, person_id, seen_at_ms) VALUES ($1, $2, $3) \
             ON CONFLICT (incident_id, person_id) DO UPDATE SET seen_at_ms = excluded.seen_at_ms",
        )
        .bind(incident_id)
        .bind(person_id)
        .bind(now_ms)
        .execute(tx.conn())
        .await
        .map_err(explain)?;
        let others: Vec<(String, String, Option<String>)> = sqlx::query_as(
            "SELECT p.name, p.role, p.tier FROM presence v JOIN people p ON p.id = v.person_id \
             WHERE v.incident_id = $1 AND v.person_id <> $2 AND v.seen_at_ms >= $3 ORDER BY p.name",
        )
        .bind(incident_id)
        .bind(person_id)
        .bind(since_ms)
        .fetch_all(tx.conn())
        .await?;
        tx.commit().await?;
        Ok(others)
    }
}
