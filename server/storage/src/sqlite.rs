use std::{str::FromStr, time::Duration};

use async_trait::async_trait;
use sqlx::{
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
    Sqlite, SqlitePool,
};

use super::{
    accounts::impl_account_store,
    attempts::impl_attempt_store,
    check_import,
    desk::impl_desk_store,
    portal::impl_portal_store,
    rows::{
        board_parts, cards_sql, category, entries, fts5_query, scope_filter, scope_reporter,
        summaries, CategoryRow, EventRow, SummaryRow, SUMMARY_COLUMNS,
    },
    search_floors,
    tx::{self, impl_tx, Tx},
    Backend, BoardQuery, ImportedTicket, NewPerson, Storage, StorageError,
};
use domain::models::{Category, IncidentDetail, IncidentSummary, TimelineEntry};
use domain::{
    access::Scope,
    change::{Acting, Change, Rules},
    incident::{Incident, NewIncident},
    person::Person,
};

pub struct SqliteStorage {
    pool: SqlitePool,
    rules: Rules,
    /// Bumped after every committed ticket write, to wake live streams.
    written: tokio::sync::watch::Sender<u64>,
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
        Ok(Self {
            pool,
            rules,
            written: tokio::sync::watch::Sender::new(0),
        })
    }

    /// A write transaction. IMMEDIATE takes the write lock up front: a
    /// deferred transaction that reads, then writes after another writer
    /// committed, would fail at once instead of waiting its turn.
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, Sqlite>, StorageError> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }

    fn wrote(&self) {
        self.written.send_modify(|n| *n = n.wrapping_add(1));
    }
}

type SqliteTx = sqlx::Transaction<'static, Sqlite>;

// SQLite needs no row lock: write transactions begin IMMEDIATE.
// SQLite has one writer at a time: events commit in id order already.
impl_tx!(SqliteTx, row_lock: "", event_data: "data", json_param: "$7", before_append: "");

impl_account_store!(SqliteStorage, SqliteTx, begin_write: "BEGIN IMMEDIATE", first_admin_lock: "");

impl_attempt_store!(SqliteStorage, begin_write: "BEGIN IMMEDIATE", lock: "");

impl_portal_store!(SqliteStorage, begin_write: "BEGIN IMMEDIATE", json_cast: "", json_text: "document");

impl_desk_store!(SqliteStorage, begin_write: "BEGIN IMMEDIATE", event_data: "data");

#[async_trait]
impl Storage for SqliteStorage {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }

    fn rules(&self) -> &Rules {
        &self.rules
    }

    fn writes(&self) -> tokio::sync::watch::Receiver<u64> {
        self.written.subscribe()
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
        self.wrote();
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
        self.wrote();
        Ok(incident)
    }

    async fn incident(&self, id: i64) -> Result<Option<IncidentDetail>, StorageError> {
        let mut tx = self.pool.begin().await?;
        let detail = tx::detail(&mut tx, id).await?;
        tx.commit().await?;
        Ok(detail)
    }

    async fn board(&self, board: BoardQuery) -> Result<Vec<IncidentSummary>, StorageError> {
        let tier = board.tier.map_or("", |t| t.code());
        let mut cards = Vec::new();
        for part in board_parts(&board) {
            let mut query = sqlx::query_as(&part.sql).bind(board.limit).bind(tier);
            if let Some(since) = part.since {
                query = query.bind(since);
            }
            if let Some(id) = scope_reporter(board.scope) {
                query = query.bind(id);
            }
            let rows: Vec<SummaryRow> = query.fetch_all(&self.pool).await?;
            cards.extend(summaries(rows)?);
        }
        Ok(cards)
    }

    async fn cards(&self, ids: &[i64]) -> Result<Vec<IncidentSummary>, StorageError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = cards_sql(ids.len());
        let mut query = sqlx::query_as(&sql);
        for id in ids {
            query = query.bind(*id);
        }
        let rows: Vec<SummaryRow> = query.fetch_all(&self.pool).await?;
        summaries(rows)
    }

    async fn recent_incidents(
        &self,
        limit: i64,
        scope: Scope,
    ) -> Result<Vec<IncidentSummary>, StorageError> {
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM incidents i LEFT JOIN people p ON p.id = i.assignee_id \
             WHERE true{} ORDER BY i.id DESC LIMIT $1",
            scope_filter(scope, 2)
        );
        let mut query = sqlx::query_as(&sql).bind(limit);
        if let Some(id) = scope_reporter(scope) {
            query = query.bind(id);
        }
        let rows: Vec<SummaryRow> = query.fetch_all(&self.pool).await?;
        summaries(rows)
    }

    async fn search(
        &self,
        text: &str,
        limit: i64,
        scope: Scope,
    ) -> Result<Vec<IncidentSummary>, StorageError> {
        let Some(query) = fts5_query(text) else {
            return Ok(Vec::new());
        };
        let newest: i64 = sqlx::query_scalar("SELECT coalesce(max(id), 0) FROM incidents")
            .fetch_one(&self.pool)
            .await?;
        let mut rows = Vec::new();
        for floor in search_floors(newest) {
            // Title matches weigh most, then the resolution, then the description.
            let sql = format!(
                "SELECT {SUMMARY_COLUMNS} FROM incidents_search s \
                 JOIN incidents i ON i.id = s.rowid LEFT JOIN people p ON p.id = i.assignee_id \
                 WHERE incidents_search MATCH $1 AND s.rowid > $3{} \
                 ORDER BY bm25(incidents_search, 10.0, 2.0, 4.0), i.id DESC LIMIT $2",
                scope_filter(scope, 4)
            );
            let mut search = sqlx::query_as(&sql).bind(&query).bind(limit).bind(floor);
            if let Some(id) = scope_reporter(scope) {
                search = search.bind(id);
            }
            rows = search.fetch_all(&self.pool).await?;
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
        scope: Scope,
    ) -> Result<Vec<TimelineEntry>, StorageError> {
        let sql = format!(
            "SELECT e.id, e.incident_id, e.version, e.actor_name, e.actor_role, e.data AS data, \
             e.at_ms FROM incident_events e JOIN incidents i ON i.id = e.incident_id \
             WHERE e.id > $1{} ORDER BY e.id LIMIT $2",
            scope_filter(scope, 3)
        );
        let mut query = sqlx::query_as(&sql).bind(after_id).bind(limit);
        if let Some(id) = scope_reporter(scope) {
            query = query.bind(id);
        }
        let rows: Vec<EventRow> = query.fetch_all(&self.pool).await?;
        entries(rows)
    }

    async fn latest_event_id(&self) -> Result<i64, StorageError> {
        let id: Option<i64> = sqlx::query_scalar("SELECT max(id) FROM incident_events")
            .fetch_one(&self.pool)
            .await?;
        Ok(id.unwrap_or(0))
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
        self.wrote();
        Ok(ids)
    }

    async fn close(&self) {
        self.pool.close().await;
    }
}
