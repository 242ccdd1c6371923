//! What happens inside the one transaction a ticket write is: the order of
//! steps, the version check and the call into the domain, and the
//! statements they run.

use sqlx::{Any, Executor};

use super::rows::{
    bind_event, bind_incident, entries, event_columns, update_incident_sql, values, EventRow,
    IncidentRow, EVENT_WIDTH, INCIDENT_COLUMNS, INCIDENT_FROM, INCIDENT_INSERT_COLUMNS,
    INCIDENT_INSERT_WIDTH, INSERT_EVENT,
};
use crate::{
    categories::category_ref, database::Tx, dialect::Dialect, error::explain,
    people::leads::tier_lead, people::person, Conflict, StorageError,
};
use domain::models::{IncidentDetail, TimelineEntry};
use domain::{
    access,
    change::{self, Acting, Change, Event, Found, Rules},
    incident::{Incident, NewIncident},
};

pub(crate) async fn report(
    tx: &mut Tx,
    new: &NewIncident,
    by: &Acting,
    now_ms: i64,
    rules: &Rules,
) -> Result<Incident, StorageError> {
    let category =
        match new.category_id {
            None => None,
            Some(id) => Some(category_ref(tx.conn(), id).await?.ok_or_else(|| {
                StorageError::Invalid("That category does not exist.".to_owned())
            })?),
        };
    if let Some(reporter_id) = new.reporter_id {
        if person(tx.conn(), reporter_id).await?.is_none() {
            return Err(StorageError::Invalid(
                "The reporter's account is not in the directory.".to_owned(),
            ));
        }
    }
    let change::Decision {
        mut incident,
        event,
    } = change::report(new, category, now_ms, rules);
    let dialect = tx.dialect;
    incident.id = insert_incident(tx.conn(), dialect, &incident).await?;
    tx.append_event(incident.id, incident.version, by, &event, now_ms)
        .await?;
    Ok(incident)
}

pub(crate) async fn change(
    tx: &mut Tx,
    id: i64,
    expected_version: i64,
    change: &Change,
    by: &Acting,
    now_ms: i64,
    rules: &Rules,
) -> Result<Incident, StorageError> {
    let current = tx
        .incident(id, true)
        .await?
        .ok_or_else(|| StorageError::NotFound(format!("There is no ticket with id {id}.")))?;
    // Whether the caller may make this change at all comes first: what is
    // looked up below (an assignee, a category) must not answer for them.
    change::authorise(&current, change, by)?;
    if current.version != expected_version {
        let since = tx.events(id, expected_version).await?;
        // The SLA watcher's marks and notes the writer may not read changed
        // nothing they saw: no reason to refuse, and nothing to tell.
        if let Some(seen) = access::missed_by(by.actor, &since, |e| &e.event) {
            return Err(Conflict::new(&current, expected_version, &seen).into());
        }
    }
    let timeline = tx.events(id, 0).await?;
    let found = Found {
        assignee: match change {
            Change::Assign { assignee_id } => person(tx.conn(), *assignee_id).await?,
            _ => None,
        },
        category: match change {
            Change::Recategorise {
                category_id: Some(category_id),
            } => category_ref(tx.conn(), *category_id).await?,
            _ => None,
        },
        lead: match change {
            Change::MarkSla { .. } => tier_lead(tx.conn(), current.tier).await?,
            _ => None,
        },
        marked: change::sla_marks(timeline.iter().map(|e| &e.event)),
    };
    let history = change::state_history(timeline.iter().map(|e| (&e.event, e.at_ms)));
    let decision = change::decide(&current, change, by, &found, &history, now_ms, rules)?;
    let sql = update_incident_sql();
    let update = sqlx::query(&sql).bind(id).bind(current.version);
    let written = bind_incident(update, &decision.incident)
        .execute(tx.conn())
        .await
        .map_err(explain)?;
    if written.rows_affected() != 1 {
        // Unreachable while the backend serialises writers (BEGIN IMMEDIATE,
        // FOR UPDATE); kept so that a change of locking can never become a
        // lost update.
        return Err(StorageError::Corrupt(format!(
            "ticket {id} changed inside a write transaction"
        )));
    }
    tx.append_event(id, decision.incident.version, by, &decision.event, now_ms)
        .await?;
    Ok(decision.incident)
}

/// One ticket and its timeline; the caller opens a transaction that reads
/// both from one snapshot.
pub(crate) async fn detail(tx: &mut Tx, id: i64) -> Result<Option<IncidentDetail>, StorageError> {
    let Some(incident) = tx.incident(id, false).await? else {
        return Ok(None);
    };
    let timeline = tx.events(id, 0).await?;
    Ok(Some(IncidentDetail { incident, timeline }))
}

/// Writes a new ticket (its id assigned) and returns the id.
pub(crate) async fn insert_incident<'c>(
    conn: impl Executor<'c, Database = Any>,
    dialect: &Dialect,
    incident: &Incident,
) -> Result<i64, StorageError> {
    let sql = format!(
        "INSERT INTO incidents ({INCIDENT_INSERT_COLUMNS}) VALUES {} RETURNING id",
        values(dialect, 1, INCIDENT_INSERT_WIDTH, None)
    );
    let row = bind_incident(sqlx::query(&sql), incident)
        .fetch_one(conn)
        .await
        .map_err(explain)?;
    Ok(sqlx::Row::try_get(&row, 0)?)
}

impl Tx {
    /// With `lock`, the row stays locked until the transaction ends, where the
    /// backend needs that to serialise writers (`Dialect::row_lock`).
    async fn incident(&mut self, id: i64, lock: bool) -> Result<Option<Incident>, StorageError> {
        let lock = if lock { self.dialect.row_lock } else { "" };
        let row: Option<IncidentRow> = sqlx::query_as(&format!(
            "SELECT {INCIDENT_COLUMNS} FROM {INCIDENT_FROM} WHERE i.id = $1{lock}"
        ))
        .bind(id)
        .fetch_optional(self.conn())
        .await?;
        row.map(IncidentRow::into_incident).transpose()
    }

    /// The ticket's events after `after_version`, oldest first.
    async fn events(
        &mut self,
        incident_id: i64,
        after_version: i64,
    ) -> Result<Vec<TimelineEntry>, StorageError> {
        let rows: Vec<EventRow> = sqlx::query_as(&format!(
            "SELECT {} FROM incident_events e WHERE e.incident_id = $1 AND e.version > $2 \
             ORDER BY e.version",
            event_columns(self.dialect.json_text)
        ))
        .bind(incident_id)
        .bind(after_version)
        .fetch_all(self.conn())
        .await?;
        entries(rows)
    }

    pub(crate) async fn append_event(
        &mut self,
        incident_id: i64,
        version: i64,
        by: &Acting,
        event: &Event,
        at_ms: i64,
    ) -> Result<(), StorageError> {
        self.run(self.dialect.before_append).await?;
        let sql = format!(
            "{INSERT_EVENT}{}",
            values(self.dialect, 1, EVENT_WIDTH, Some(6))
        );
        bind_event(sqlx::query(&sql), incident_id, version, by, event, at_ms)?
            .execute(self.conn())
            .await
            .map_err(explain)?;
        Ok(())
    }
}
