//! Signed-in sessions, shared by every instance of the desk on one database.

use crate::{database::Database, StorageError};

/// A stored session: its JSON data and when it expires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    pub data: String,
    pub expires_at_ms: i64,
}

impl Database {
    /// A live (unexpired) session.
    pub async fn load_session(
        &self,
        id: &str,
        now_ms: i64,
    ) -> Result<Option<SessionRecord>, StorageError> {
        let row: Option<(String, i64)> = sqlx::query_as(
            "SELECT data, expires_at_ms FROM sessions WHERE id = $1 AND expires_at_ms > $2",
        )
        .bind(id)
        .bind(now_ms)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(data, expires_at_ms)| SessionRecord {
            data,
            expires_at_ms,
        }))
    }

    /// Inserts a new session; `false` if the id is taken.
    pub async fn create_session(
        &self,
        id: &str,
        record: &SessionRecord,
    ) -> Result<bool, StorageError> {
        let done = sqlx::query(
            "INSERT INTO sessions (id, data, expires_at_ms) VALUES ($1, $2, $3) \
             ON CONFLICT (id) DO NOTHING",
        )
        .bind(id)
        .bind(&record.data)
        .bind(record.expires_at_ms)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Writes a live session's new data and expiry; `false` (and nothing
    /// written) when it was signed out, replaced or expired meanwhile.
    pub async fn save_session(
        &self,
        id: &str,
        record: &SessionRecord,
        now_ms: i64,
    ) -> Result<bool, StorageError> {
        // Never an upsert: a request still in flight when its session was
        // signed out or replaced must not bring the row back.
        let done = sqlx::query(
            "UPDATE sessions SET data = $2, expires_at_ms = $3 WHERE id = $1 AND expires_at_ms > $4",
        )
        .bind(id)
        .bind(&record.data)
        .bind(record.expires_at_ms)
        .bind(now_ms)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn delete_session(&self, id: &str) -> Result<(), StorageError> {
        sqlx::query("DELETE FROM sessions WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Removes expired sessions; returns how many.
    pub async fn delete_expired_sessions(&self, now_ms: i64) -> Result<u64, StorageError> {
        let done = sqlx::query("DELETE FROM sessions WHERE expires_at_ms <= $1")
            .bind(now_ms)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }
}
