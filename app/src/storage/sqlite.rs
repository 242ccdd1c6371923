use std::{str::FromStr, time::Duration};

use async_trait::async_trait;
use sqlx::{
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
    Sqlite, SqlitePool,
};

use super::{
    check_import,
    rows::{
        category, entries, fts5_query, summaries, CategoryRow, EventRow, SummaryRow,
        SUMMARY_COLUMNS,
    },
    search_floors,
    tx::{self, impl_tx, Tx},
    Backend, BoardQuery, ImportedTicket, NewPerson, Storage, StorageError,
};
use crate::{
    domain::{
        change::{Acting, Change, Rules},
        incident::{Incident, NewIncident},
        person::Person,
    },
    models::{Category, IncidentDetail, IncidentSummary, TimelineEntry},
};

pub struct SqliteStorage {
    pool: SqlitePool,
    rules: Rules,
}

impl SqliteStorage {
    pub async fn connect(url: &str, rules: Rules) -> Result<Self, StorageError> {
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
        Ok(Self { pool, rules })
    }

    /// A write transaction. IMMEDIATE takes the write lock up front: a
    /// deferred transaction that reads, then writes after another writer
    /// committed, would fail at once instead of waiting its turn.
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, Sqlite>, StorageError> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }
}

type SqliteTx = sqlx::Transaction<'static, Sqlite>;

// SQLite needs no row lock: write transactions begin IMMEDIATE.
impl_tx!(SqliteTx, row_lock: "", event_data: "data", json_param: "$7");

#[async_trait]
impl Storage for SqliteStorage {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }

    fn rules(&self) -> &Rules {
        &self.rules
    }

    async fn ping(&self) -> Result<(), StorageError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn add_person(&self, person: &NewPerson, now_ms: i64) -> Result<Person, StorageError> {
        let mut tx = self.begin_write().await?;
        let added = tx.insert_person(person, now_ms).await?;
        tx.commit().await?;
        Ok(added)
    }

    async fn person(&self, id: i64) -> Result<Option<Person>, StorageError> {
        let mut tx = self.pool.begin().await?;
        let person = Tx::person(&mut tx, id).await?;
        tx.commit().await?;
        Ok(person)
    }

    async fn add_category(
        &self,
        parent_id: Option<i64>,
        name: &str,
    ) -> Result<Category, StorageError> {
        let mut tx = self.begin_write().await?;
        let category = tx::add_category(&mut tx, parent_id, name).await?;
        tx.commit().await?;
        Ok(category)
    }

    async fn categories(&self) -> Result<Vec<Category>, StorageError> {
        let rows: Vec<CategoryRow> =
            sqlx::query_as("SELECT id, parent_id, name, path FROM categories ORDER BY path")
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.into_iter().map(category).collect())
    }

    async fn report(
        &self,
        new: &NewIncident,
        by: &Acting,
        now_ms: i64,
    ) -> Result<Incident, StorageError> {
        let mut tx = self.begin_write().await?;
        let incident = tx::report(&mut tx, new, by, now_ms, &self.rules).await?;
        tx.commit().await?;
        Ok(incident)
    }

    async fn change(
        &self,
        id: i64,
        expected_version: i64,
        change: &Change,
        by: &Acting,
        now_ms: i64,
    ) -> Result<Incident, StorageError> {
        let mut tx = self.begin_write().await?;
        let incident = tx::change(
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
        Ok(incident)
    }

    async fn incident(&self, id: i64) -> Result<Option<IncidentDetail>, StorageError> {
        let mut tx = self.pool.begin().await?;
        let detail = tx::detail(&mut tx, id).await?;
        tx.commit().await?;
        Ok(detail)
    }

    async fn board(&self, query: BoardQuery) -> Result<Vec<IncidentSummary>, StorageError> {
        let rows: Vec<SummaryRow> = sqlx::query_as(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM incidents i LEFT JOIN people p ON p.id = i.assignee_id \
             WHERE i.state IN ('new', 'assigned', 'in_progress', 'pending') \
             AND ($1 IS NULL OR i.tier = $1) \
             ORDER BY i.priority, i.resolution_due_ms IS NULL, i.resolution_due_ms, i.id LIMIT $2"
        ))
        .bind(query.tier.map(|t| t.code()))
        .bind(query.limit)
        .fetch_all(&self.pool)
        .await?;
        summaries(rows)
    }

    async fn recent_incidents(
        &self,
        limit: i64,
        include_security: bool,
    ) -> Result<Vec<IncidentSummary>, StorageError> {
        let rows: Vec<SummaryRow> = sqlx::query_as(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM incidents i LEFT JOIN people p ON p.id = i.assignee_id \
             WHERE ($2 OR i.kind <> 'security_incident') ORDER BY i.id DESC LIMIT $1"
        ))
        .bind(limit)
        .bind(include_security)
        .fetch_all(&self.pool)
        .await?;
        summaries(rows)
    }

    async fn search(&self, text: &str, limit: i64) -> Result<Vec<IncidentSummary>, StorageError> {
        let Some(query) = fts5_query(text) else {
            return Ok(Vec::new());
        };
        let newest: i64 = sqlx::query_scalar("SELECT coalesce(max(id), 0) FROM incidents")
            .fetch_one(&self.pool)
            .await?;
        let mut rows = Vec::new();
        for floor in search_floors(newest) {
            // Title matches weigh most, then the resolution, then the description.
            rows = sqlx::query_as(&format!(
                "SELECT {SUMMARY_COLUMNS} FROM incidents_search s \
                 JOIN incidents i ON i.id = s.rowid LEFT JOIN people p ON p.id = i.assignee_id \
                 WHERE incidents_search MATCH $1 AND s.rowid > $3 \
                 ORDER BY bm25(incidents_search, 10.0, 2.0, 4.0), i.id DESC LIMIT $2"
            ))
            .bind(&query)
            .bind(limit)
            .bind(floor)
            .fetch_all(&self.pool)
            .await?;
            if rows.len() as i64 >= limit {
                break;
            }
        }
        summaries(rows)
    }

    async fn events_since(
        &self,
        after_id: i64,
        limit: i64,
    ) -> Result<Vec<TimelineEntry>, StorageError> {
        let rows: Vec<EventRow> = sqlx::query_as(
            "SELECT id, incident_id, version, actor_name, actor_role, data, at_ms \
             FROM incident_events WHERE id > $1 ORDER BY id LIMIT $2",
        )
        .bind(after_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        entries(rows)
    }

    async fn import(&self, tickets: &[ImportedTicket]) -> Result<Vec<i64>, StorageError> {
        check_import(tickets)?;
        let mut tx = self.begin_write().await?;
        let mut ids = Vec::with_capacity(tickets.len());
        for ticket in tickets {
            let id = tx.insert_incident(&ticket.incident).await?;
            for (version, (by, event, at_ms)) in (1..).zip(&ticket.events) {
                tx.append_event(id, version, by, event, *at_ms).await?;
            }
            ids.push(id);
        }
        tx.commit().await?;
        Ok(ids)
    }

    async fn close(&self) {
        self.pool.close().await;
    }
}
