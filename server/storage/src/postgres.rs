use std::{str::FromStr, time::Duration};

use async_trait::async_trait;
use sqlx::{
    postgres::{PgConnectOptions, PgPoolOptions},
    PgPool, Postgres,
};

use super::{
    accounts::impl_account_store,
    attempts::impl_attempt_store,
    check_import,
    desk::impl_desk_store,
    explain,
    portal::impl_portal_store,
    rows::{
        board_parts, cards_sql, category, entries, event_json, scope_filter, scope_reporter,
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

pub struct PostgresStorage {
    pool: PgPool,
    rules: Rules,
    /// Bumped after every committed ticket write, to wake live streams.
    written: tokio::sync::watch::Sender<u64>,
}

impl PostgresStorage {
    pub async fn connect(url: &str, rules: Rules) -> Result<Self, StorageError> {
        let options = PgConnectOptions::from_str(url)
            .map_err(StorageError::InvalidUrl)?
            .application_name("frontline");
        let pool = PgPoolOptions::new()
            .max_connections(16)
            // Fail start-up quickly with a clear message instead of hanging on a dead host.
            .acquire_timeout(Duration::from_secs(5))
            .connect_with(options)
            .await
            .map_err(StorageError::Connect)?;
        sqlx::migrate!("migrations/postgres").run(&pool).await?;
        let written = tokio::sync::watch::Sender::new(0);
        tokio::spawn(listen_for_writes(pool.clone(), written.clone()));
        Ok(Self {
            pool,
            rules,
            written,
        })
    }

    fn wrote(&self) {
        self.written.send_modify(|n| *n = n.wrapping_add(1));
    }
}

/// Turns other instances' notifications into wake-ups of this one's live
/// streams. A lost connection is re-established; meanwhile the streams'
/// own poll keeps them correct, only slower. Ends when the pool closes (the
/// listener holds one of its connections and gives it back then).
async fn listen_for_writes(pool: PgPool, written: tokio::sync::watch::Sender<u64>) {
    use sqlx::postgres::PgListener;
    loop {
        if pool.is_closed() {
            return;
        }
        let mut listener = match PgListener::connect_with(&pool).await {
            Ok(listener) => listener,
            Err(err) => {
                if pool.is_closed() {
                    return;
                }
                tracing::warn!(error = %err, "cannot listen for other instances' writes; retrying");
                tokio::time::sleep(Duration::from_secs(2)).await;
                continue;
            }
        };
        if let Err(err) = listener.listen(EVENTS_CHANNEL).await {
            tracing::warn!(error = %err, "cannot listen for other instances' writes; retrying");
            tokio::time::sleep(Duration::from_secs(2)).await;
            continue;
        }
        loop {
            match listener.try_recv().await {
                Ok(Some(_)) => written.send_modify(|n| *n = n.wrapping_add(1)),
                // The connection dropped and PgListener reconnects on the next call;
                // writes in the gap are found by a wake-up now.
                Ok(None) => written.send_modify(|n| *n = n.wrapping_add(1)),
                Err(err) => {
                    if pool.is_closed() {
                        return;
                    }
                    tracing::warn!(error = %err, "lost the notification connection; reconnecting");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    break;
                }
            }
        }
    }
}

type PgTx = sqlx::Transaction<'static, Postgres>;

// FOR UPDATE: a second writer waits for the first to commit, then reads the
// new version and reports the conflict.
// Before an event is appended: the advisory lock (held to commit) makes
// events commit in id order, so a reader that has seen id n never later
// finds a smaller id committing behind it; the notification (sent at commit)
// wakes the live streams of every other instance on this database.
impl_tx!(
    PgTx,
    row_lock: " FOR UPDATE OF i",
    event_data: "data::text",
    json_param: "$7::jsonb",
    before_append: "SELECT pg_advisory_xact_lock(8163021), pg_notify('frontline_events', '')"
);

/// The channel every instance listens on for other instances' writes.
const EVENTS_CHANNEL: &str = "frontline_events";

// The lock makes "add an admin if there is none" one decision at a time.
impl_account_store!(
    PostgresStorage,
    PgTx,
    begin_write: "BEGIN",
    first_admin_lock: "LOCK TABLE people IN SHARE ROW EXCLUSIVE MODE"
);

// One advisory lock per counter: attempts on one account from every
// instance are counted one at a time; other accounts are not held up.
impl_attempt_store!(
    PostgresStorage,
    begin_write: "BEGIN",
    lock: "SELECT pg_advisory_xact_lock(8163022, $1)"
);

impl_portal_store!(PostgresStorage, begin_write: "BEGIN", json_cast: "::jsonb", json_text: "document::text");

impl_desk_store!(PostgresStorage, begin_write: "BEGIN", event_data: "data::text");

#[async_trait]
impl Storage for PostgresStorage {
    fn backend(&self) -> Backend {
        Backend::Postgres
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
        let mut tx = self.pool.begin().await?;
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
        let mut tx = self.pool.begin().await?;
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
        let mut tx = self.pool.begin().await?;
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
        let mut tx = self.pool.begin().await?;
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
        // REPEATABLE READ: the ticket and its timeline from one snapshot.
        let mut tx = self
            .pool
            .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .await?;
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
        if text.trim().is_empty() {
            return Ok(Vec::new());
        }
        let newest: i64 = sqlx::query_scalar("SELECT coalesce(max(id), 0) FROM incidents")
            .fetch_one(&self.pool)
            .await?;
        let mut rows = Vec::new();
        for floor in search_floors(newest) {
            // A window is read through the primary key and checked row by row
            // (OFFSET 0 keeps the planner from turning it into a scan of every
            // match); the full pass goes through the GIN index.
            let source = if floor > 0 {
                "(SELECT * FROM incidents WHERE id > $3 OFFSET 0) i"
            } else {
                "incidents i"
            };
            // plainto_tsquery takes every word as a plain term, ANDed, like the
            // SQLite backend. Title matches weigh most (weights in the migration).
            let sql = format!(
                "SELECT {SUMMARY_COLUMNS} FROM {source} LEFT JOIN people p ON p.id = i.assignee_id, \
                 plainto_tsquery('english', $1) q \
                 WHERE i.search @@ q AND i.id > $3{} \
                 ORDER BY ts_rank(i.search, q) DESC, i.id DESC LIMIT $2",
                scope_filter(scope, 4)
            );
            let mut search = sqlx::query_as(&sql).bind(text).bind(limit).bind(floor);
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
            "SELECT e.id, e.incident_id, e.version, e.actor_name, e.actor_role, e.data::text AS data, \
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
        // Column arrays through UNNEST: three statements per batch instead of
        // one round trip per row.
        let mut tx = self.pool.begin().await?;
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT nextval(pg_get_serial_sequence('incidents', 'id')) FROM generate_series(1, $1)",
        )
        .bind(i64::try_from(tickets.len()).unwrap_or(i64::MAX))
        .fetch_all(&mut *tx)
        .await?;
        let incidents: Vec<&Incident> = tickets.iter().map(|t| &t.incident).collect();
        let col = |f: &dyn Fn(&Incident) -> Option<String>| -> Vec<Option<String>> {
            incidents.iter().map(|i| f(i)).collect()
        };
        let num = |f: &dyn Fn(&Incident) -> Option<i64>| -> Vec<Option<i64>> {
            incidents.iter().map(|i| f(i)).collect()
        };
        sqlx::query(
            "INSERT INTO incidents (id, version, kind, title, description, symptoms, reporter_name, \
             reporter_email, reporter_phone, reporter_id, service, category_id, impact, urgency, \
             priority, priority_reason, tier, state, assignee_id, resolution, reported_at_ms, \
             first_response_at_ms, resolved_at_ms, closed_at_ms, response_due_ms, \
             resolution_due_ms, updated_at_ms, diagnosis, started) OVERRIDING SYSTEM VALUE \
             SELECT * FROM UNNEST($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], \
             $6::text[], $7::text[], $8::text[], $9::text[], $10::bigint[], $11::text[], \
             $12::bigint[], $13::text[], $14::text[], $15::int[], $16::text[], $17::text[], \
             $18::text[], $19::bigint[], $20::text[], $21::bigint[], $22::bigint[], \
             $23::bigint[], $24::bigint[], $25::bigint[], $26::bigint[], $27::bigint[], \
             $28::text[], $29::text[])",
        )
        .bind(&ids)
        .bind(num(&|i| Some(i.version)))
        .bind(col(&|i| Some(i.kind.code().to_owned())))
        .bind(col(&|i| Some(i.title.clone())))
        .bind(col(&|i| Some(i.description.clone())))
        .bind(col(&|i| Some(i.symptoms.clone())))
        .bind(col(&|i| Some(i.reporter.name.clone())))
        .bind(col(&|i| i.reporter.email.clone()))
        .bind(col(&|i| i.reporter.phone.clone()))
        .bind(num(&|i| i.reporter_id))
        .bind(col(&|i| i.service.clone()))
        .bind(num(&|i| i.category.as_ref().map(|c| c.id)))
        .bind(col(&|i| Some(i.impact.code().to_owned())))
        .bind(col(&|i| Some(i.urgency.code().to_owned())))
        .bind(incidents.iter().map(|i| i.priority.rank()).collect::<Vec<i32>>())
        .bind(col(&|i| i.priority_reason.clone()))
        .bind(col(&|i| Some(i.tier.code().to_owned())))
        .bind(col(&|i| Some(i.state.code().to_owned())))
        .bind(num(&|i| i.assignee.as_ref().map(|a| a.id)))
        .bind(col(&|i| i.resolution.clone()))
        .bind(num(&|i| Some(i.reported_at_ms)))
        .bind(num(&|i| i.first_response_at_ms))
        .bind(num(&|i| i.resolved_at_ms))
        .bind(num(&|i| i.closed_at_ms))
        .bind(num(&|i| i.response_due_ms))
        .bind(num(&|i| i.resolution_due_ms))
        .bind(num(&|i| Some(i.updated_at_ms)))
        .bind(col(&|i| Some(super::diagnosis_json(&i.diagnosis))))
        .bind(col(&|i| i.started.clone()))
        .execute(&mut *tx)
        .await
        .map_err(explain)?;

        let mut events = EventColumns::default();
        for (id, ticket) in ids.iter().zip(tickets) {
            for (version, (by, event, at_ms)) in (1..).zip(&ticket.events) {
                events.incident_id.push(*id);
                events.version.push(version);
                events.actor_id.push(by.person_id);
                events.actor_name.push(by.name.clone());
                events.actor_role.push(by.actor.code());
                events.kind.push(event.kind().to_owned());
                events.data.push(event_json(event)?);
                events.at_ms.push(*at_ms);
            }
        }
        sqlx::query(
            "INSERT INTO incident_events (incident_id, version, actor_id, actor_name, actor_role, \
             kind, data, at_ms) \
             SELECT incident_id, version, actor_id, actor_name, actor_role, kind, data::jsonb, at_ms \
             FROM UNNEST($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], $5::text[], \
             $6::text[], $7::text[], $8::bigint[]) \
             AS t (incident_id, version, actor_id, actor_name, actor_role, kind, data, at_ms)",
        )
        .bind(&events.incident_id)
        .bind(&events.version)
        .bind(&events.actor_id)
        .bind(&events.actor_name)
        .bind(&events.actor_role)
        .bind(&events.kind)
        .bind(&events.data)
        .bind(&events.at_ms)
        .execute(&mut *tx)
        .await
        .map_err(explain)?;
        tx.commit().await?;
        self.wrote();
        Ok(ids)
    }

    async fn close(&self) {
        self.pool.close().await;
    }
}

/// The event log's columns, one array each, for UNNEST.
#[derive(Default)]
struct EventColumns {
    incident_id: Vec<i64>,
    version: Vec<i64>,
    actor_id: Vec<Option<i64>>,
    actor_name: Vec<String>,
    actor_role: Vec<String>,
    kind: Vec<String>,
    data: Vec<String>,
    at_ms: Vec<i64>,
}
