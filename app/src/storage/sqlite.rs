use std::{str::FromStr, time::Duration};

use async_trait::async_trait;
use sqlx::{
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
    SqlitePool,
};

use super::{
    rows::{summary, IncidentRow},
    Backend, Storage, StorageError,
};
use crate::{domain::incident::IncidentTitle, models::IncidentSummary};

pub struct SqliteStorage {
    pool: SqlitePool,
}

impl SqliteStorage {
    pub async fn connect(url: &str) -> Result<Self, StorageError> {
        let options = SqliteConnectOptions::from_str(url)
            .map_err(StorageError::InvalidUrl)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // WAL + NORMAL keeps every committed transaction across a process crash.
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(5))
            .connect_with(options)
            .await
            .map_err(StorageError::Connect)?;
        sqlx::migrate!("migrations/sqlite").run(&pool).await?;
        Ok(Self { pool })
    }
}

#[async_trait]
impl Storage for SqliteStorage {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }

    async fn ping(&self) -> Result<(), StorageError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn log_incident(
        &self,
        title: &IncidentTitle,
        reported_at_ms: i64,
    ) -> Result<IncidentSummary, StorageError> {
        let row: IncidentRow = sqlx::query_as(
            "INSERT INTO incidents (title, reported_at_ms) VALUES ($1, $2) \
             RETURNING id, title, reported_at_ms",
        )
        .bind(title.as_str())
        .bind(reported_at_ms)
        .fetch_one(&self.pool)
        .await?;
        Ok(summary(row))
    }

    async fn recent_incidents(&self, limit: i64) -> Result<Vec<IncidentSummary>, StorageError> {
        let rows: Vec<IncidentRow> = sqlx::query_as(
            "SELECT id, title, reported_at_ms FROM incidents ORDER BY id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(summary).collect())
    }

    async fn close(&self) {
        self.pool.close().await;
    }
}
