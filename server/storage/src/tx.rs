//! What happens inside the one transaction a write is, for both backends.
//! Each backend supplies its SQL through [`Tx`]; the order of steps, the
//! version check and the call into the domain live here, once.

use async_trait::async_trait;

use super::{Conflict, StorageError};
use domain::models::{Category, IncidentDetail, TimelineEntry};
use domain::{
    access,
    category::child_path,
    change::{self, Acting, Change, Event, Found, Rules},
    incident::{CategoryRef, Incident, NewIncident},
    person::Person,
    tier::Tier,
};

/// The statements a write needs, run inside one open transaction.
#[async_trait]
pub(super) trait Tx: Send {
    /// With `lock`, the row stays locked until the transaction ends, where the
    /// backend needs that to serialise writers (PostgreSQL).
    async fn incident(&mut self, id: i64, lock: bool) -> Result<Option<Incident>, StorageError>;
    /// The ticket's events after `after_version`, oldest first.
    async fn events(
        &mut self,
        incident_id: i64,
        after_version: i64,
    ) -> Result<Vec<TimelineEntry>, StorageError>;
    async fn person(&mut self, id: i64) -> Result<Option<Person>, StorageError>;
    /// Who leads `tier`, if anyone does.
    async fn tier_lead(&mut self, tier: Tier) -> Result<Option<Person>, StorageError>;
    async fn insert_person(
        &mut self,
        person: &super::NewPerson,
        now_ms: i64,
    ) -> Result<Person, StorageError>;
    async fn category(&mut self, id: i64) -> Result<Option<CategoryRef>, StorageError>;
    async fn insert_category(
        &mut self,
        parent_id: Option<i64>,
        name: &str,
        path: &str,
    ) -> Result<Category, StorageError>;
    async fn insert_incident(&mut self, incident: &Incident) -> Result<i64, StorageError>;
    /// Writes `next` over the row if it is still at `expected_version`;
    /// returns the number of rows written.
    async fn update_incident(
        &mut self,
        expected_version: i64,
        next: &Incident,
    ) -> Result<u64, StorageError>;
    async fn append_event(
        &mut self,
        incident_id: i64,
        version: i64,
        by: &Acting,
        event: &Event,
        at_ms: i64,
    ) -> Result<(), StorageError>;
}

pub(super) async fn add_category(
    tx: &mut impl Tx,
    parent_id: Option<i64>,
    name: &str,
) -> Result<Category, StorageError> {
    let parent = match parent_id {
        None => None,
        Some(id) => Some(tx.category(id).await?.ok_or_else(|| {
            StorageError::NotFound(format!("There is no category with id {id}."))
        })?),
    };
    let path = child_path(parent.as_ref().map(|p| p.path.as_str()), name)
        .map_err(|e| StorageError::Invalid(e.to_string()))?;
    tx.insert_category(parent_id, name.trim(), &path).await
}

pub(super) async fn report(
    tx: &mut impl Tx,
    new: &NewIncident,
    by: &Acting,
    now_ms: i64,
    rules: &Rules,
) -> Result<Incident, StorageError> {
    let category =
        match new.category_id {
            None => None,
            Some(id) => Some(tx.category(id).await?.ok_or_else(|| {
                StorageError::Invalid("That category does not exist.".to_owned())
            })?),
        };
    if let Some(reporter_id) = new.reporter_id {
        if tx.person(reporter_id).await?.is_none() {
            return Err(StorageError::Invalid(
                "The reporter's account is not in the directory.".to_owned(),
            ));
        }
    }
    let change::Decision {
        mut incident,
        event,
    } = change::report(new, category, now_ms, rules);
    incident.id = tx.insert_incident(&incident).await?;
    tx.append_event(incident.id, incident.version, by, &event, now_ms)
        .await?;
    Ok(incident)
}

pub(super) async fn change(
    tx: &mut impl Tx,
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
            Change::Assign { assignee_id } => tx.person(*assignee_id).await?,
            _ => None,
        },
        category: match change {
            Change::Recategorise {
                category_id: Some(category_id),
            } => tx.category(*category_id).await?,
            _ => None,
        },
        lead: match change {
            Change::MarkSla { .. } => tx.tier_lead(current.tier).await?,
            _ => None,
        },
        marked: change::sla_marks(timeline.iter().map(|e| &e.event)),
    };
    let history = change::state_history(timeline.iter().map(|e| (&e.event, e.at_ms)));
    let decision = change::decide(&current, change, by, &found, &history, now_ms, rules)?;
    if tx
        .update_incident(current.version, &decision.incident)
        .await?
        != 1
    {
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
pub(super) async fn detail(
    tx: &mut impl Tx,
    id: i64,
) -> Result<Option<IncidentDetail>, StorageError> {
    let Some(incident) = tx.incident(id, false).await? else {
        return Ok(None);
    };
    let timeline = tx.events(id, 0).await?;
    Ok(Some(IncidentDetail { incident, timeline }))
}

/// Implements [`Tx`] for a backend's transaction type. The statements are
/// the same on both backends but for three spots, passed in: the row lock a
/// change takes (`FOR UPDATE OF i`, or nothing where the transaction itself
/// serialises writers), how the JSON event data is read as text, and how its
/// parameter is written. A macro rather than generic code: sqlx's generic
/// executor bounds would outweigh the statements.
macro_rules! impl_tx {
    ($tx:ty, row_lock: $lock:literal, event_data: $data:literal, json_param: $json:literal, before_append: $before:literal) => {
        #[async_trait::async_trait]
        impl $crate::tx::Tx for $tx {
            async fn incident(
                &mut self,
                id: i64,
                lock: bool,
            ) -> Result<Option<::domain::incident::Incident>, StorageError> {
                use $crate::rows::{IncidentRow, INCIDENT_COLUMNS, INCIDENT_FROM};
                let lock = if lock { $lock } else { "" };
                let row: Option<IncidentRow> = sqlx::query_as(&format!(
                    "SELECT {INCIDENT_COLUMNS} FROM {INCIDENT_FROM} WHERE i.id = $1{lock}"
                ))
                .bind(id)
                .fetch_optional(&mut **self)
                .await?;
                row.map(IncidentRow::into_incident).transpose()
            }

            async fn events(
                &mut self,
                incident_id: i64,
                after_version: i64,
            ) -> Result<Vec<::domain::models::TimelineEntry>, StorageError> {
                use $crate::rows::{entries, EventRow};
                let rows: Vec<EventRow> = sqlx::query_as(concat!(
                    "SELECT id, incident_id, version, actor_name, actor_role, ",
                    $data,
                    " AS data, at_ms FROM incident_events \
                     WHERE incident_id = $1 AND version > $2 ORDER BY version"
                ))
                .bind(incident_id)
                .bind(after_version)
                .fetch_all(&mut **self)
                .await?;
                entries(rows)
            }

            async fn person(
                &mut self,
                id: i64,
            ) -> Result<Option<::domain::person::Person>, StorageError> {
                use $crate::rows::{PersonRow, PERSON_COLUMNS};
                let row: Option<PersonRow> = sqlx::query_as(&format!(
                    "SELECT {PERSON_COLUMNS} FROM people WHERE id = $1"
                ))
                .bind(id)
                .fetch_optional(&mut **self)
                .await?;
                row.map(PersonRow::into_person).transpose()
            }

            async fn tier_lead(
                &mut self,
                tier: ::domain::tier::Tier,
            ) -> Result<Option<::domain::person::Person>, StorageError> {
                use $crate::rows::{PersonRow, PERSON_COLUMNS};
                let row: Option<PersonRow> = sqlx::query_as(&format!(
                    "SELECT {PERSON_COLUMNS} FROM people \
                     WHERE id = (SELECT person_id FROM tier_leads WHERE tier = $1)"
                ))
                .bind(tier.code())
                .fetch_optional(&mut **self)
                .await?;
                row.map(PersonRow::into_person).transpose()
            }

            async fn insert_person(
                &mut self,
                person: &$crate::NewPerson,
                now_ms: i64,
            ) -> Result<::domain::person::Person, StorageError> {
                use $crate::rows::{PersonRow, PERSON_COLUMNS};
                let row: PersonRow = sqlx::query_as(&format!(
                    "INSERT INTO people (name, email, phone, role, tier, security_team, created_at_ms) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {PERSON_COLUMNS}"
                ))
                .bind(&person.contact.name)
                .bind(person.contact.email.as_deref().unwrap_or_default())
                .bind(&person.contact.phone)
                .bind(person.role.code())
                .bind(person.role.tier().map(|t| t.code()))
                .bind(person.role.in_security_team())
                .bind(now_ms)
                .fetch_one(&mut **self)
                .await
                .map_err($crate::explain)?;
                row.into_person()
            }

            async fn category(
                &mut self,
                id: i64,
            ) -> Result<Option<::domain::incident::CategoryRef>, StorageError> {
                let path: Option<String> =
                    sqlx::query_scalar("SELECT path FROM categories WHERE id = $1")
                        .bind(id)
                        .fetch_optional(&mut **self)
                        .await?;
                Ok(path.map(|path| ::domain::incident::CategoryRef { id, path }))
            }

            async fn insert_category(
                &mut self,
                parent_id: Option<i64>,
                name: &str,
                path: &str,
            ) -> Result<::domain::models::Category, StorageError> {
                use $crate::rows::{category, CategoryRow, INSERT_CATEGORY};
                let row: CategoryRow = sqlx::query_as(INSERT_CATEGORY)
                    .bind(parent_id)
                    .bind(name)
                    .bind(path)
                    .fetch_one(&mut **self)
                    .await
                    .map_err($crate::explain)?;
                Ok(category(row))
            }

            async fn insert_incident(
                &mut self,
                incident: &::domain::incident::Incident,
            ) -> Result<i64, StorageError> {
                $crate::bind_incident_columns!(
                    sqlx::query_scalar($crate::rows::INSERT_INCIDENT),
                    incident
                )
                .fetch_one(&mut **self)
                .await
                .map_err($crate::explain)
            }

            async fn update_incident(
                &mut self,
                expected_version: i64,
                next: &::domain::incident::Incident,
            ) -> Result<u64, StorageError> {
                use $crate::rows::{bind_incident_update, UPDATE_INCIDENT};
                let done =
                    bind_incident_update!(sqlx::query(UPDATE_INCIDENT), expected_version, next)
                        .execute(&mut **self)
                        .await
                        .map_err($crate::explain)?;
                Ok(done.rows_affected())
            }

            async fn append_event(
                &mut self,
                incident_id: i64,
                version: i64,
                by: &::domain::change::Acting,
                event: &::domain::change::Event,
                at_ms: i64,
            ) -> Result<(), StorageError> {
                use $crate::rows::{event_json, INSERT_EVENT};
                if !$before.is_empty() {
                    sqlx::query($before)
                        .execute(&mut **self)
                        .await
                        .map_err($crate::explain)?;
                }
                sqlx::query(&format!(
                    concat!("{} ($1, $2, $3, $4, $5, $6, ", $json, ", $8)"),
                    INSERT_EVENT
                ))
                .bind(incident_id)
                .bind(version)
                .bind(by.person_id)
                .bind(&by.name)
                .bind(by.actor.code())
                .bind(event.kind())
                .bind(event_json(event)?)
                .bind(at_ms)
                .execute(&mut **self)
                .await
                .map_err($crate::explain)?;
                Ok(())
            }
        }
    };
}
pub(super) use impl_tx;
