//! Row shapes both backends read, the column lists that produce them, and
//! their mapping to domain records. A value the domain does not know (an
//! unknown state code, say) is reported as corrupt data, never guessed.

use sqlx::{any::AnyArguments, Any, FromRow};

use crate::{dialect::Dialect, StorageError};
use domain::models::{IncidentSummary, TimelineEntry};
use domain::{
    access::Scope,
    change::{Acting, Event},
    guide::DiagnosisStep,
    incident::{reference, AssigneeRef, CategoryRef, Incident},
    kind::Kind,
    lifecycle::State,
    person::Contact,
    priority::{Impact, Priority, Urgency},
    tier::Tier,
};

/// Selects an [`IncidentRow`]; use with [`INCIDENT_FROM`].
pub(crate) const INCIDENT_COLUMNS: &str = "i.id, i.version, i.kind, i.title, i.description, \
    i.symptoms, i.reporter_name, i.reporter_email, i.reporter_phone, i.reporter_id, i.service, \
    i.category_id, c.path AS category_path, i.impact, i.urgency, i.priority, i.priority_reason, \
    i.tier, i.state, i.assignee_id, p.name AS assignee_name, i.resolution, i.reported_at_ms, \
    i.first_response_at_ms, i.resolved_at_ms, i.closed_at_ms, i.response_due_ms, \
    i.resolution_due_ms, i.updated_at_ms, i.diagnosis, i.started";

pub(crate) const INCIDENT_FROM: &str = "incidents i \
    LEFT JOIN categories c ON c.id = i.category_id \
    LEFT JOIN people p ON p.id = i.assignee_id";

/// Selects a [`SummaryRow`] from `incidents i LEFT JOIN people p ON p.id = i.assignee_id`.
pub(crate) const SUMMARY_COLUMNS: &str = "i.id, i.kind, i.title, i.state, i.priority, i.tier, \
    p.name AS assignee_name, i.service, i.reported_at_ms, i.response_due_ms, \
    i.resolution_due_ms, i.version, i.updated_at_ms, i.reporter_id, i.assignee_id, \
    (SELECT c.path FROM categories c WHERE c.id = i.category_id) AS category_path";

/// Followed by [`values`] of [`EVENT_WIDTH`], `data` (column 6) cast as
/// JSON; bind each row with [`bind_event`].
pub(crate) const INSERT_EVENT: &str = "INSERT INTO incident_events \
    (incident_id, version, actor_id, actor_name, actor_role, kind, data, at_ms) VALUES ";

pub(crate) const EVENT_WIDTH: usize = 8;

/// Binds one row of [`INSERT_EVENT`].
pub(crate) fn bind_event<'q>(
    query: Query<'q>,
    incident_id: i64,
    version: i64,
    by: &'q Acting,
    event: &Event,
    at_ms: i64,
) -> Result<Query<'q>, StorageError> {
    Ok(query
        .bind(incident_id)
        .bind(version)
        .bind(by.person_id)
        .bind(by.name.as_str())
        .bind(by.actor.code())
        .bind(event.kind())
        .bind(event_json(event)?)
        .bind(at_ms))
}

/// The columns a new ticket is written with, in the order [`bind_incident`] binds them.
pub(crate) const INCIDENT_INSERT_COLUMNS: &str = "version, kind, title, description, symptoms, \
    reporter_name, reporter_email, reporter_phone, reporter_id, service, category_id, impact, \
    urgency, priority, priority_reason, tier, state, assignee_id, resolution, reported_at_ms, \
    first_response_at_ms, resolved_at_ms, closed_at_ms, response_due_ms, resolution_due_ms, \
    updated_at_ms, diagnosis, started";

/// How many columns [`bind_incident`] binds.
pub(crate) const INCIDENT_INSERT_WIDTH: usize = 28;

pub(crate) type Query<'q> = sqlx::query::Query<'q, Any, AnyArguments<'q>>;

/// Binds a ticket's columns in the order [`INCIDENT_INSERT_COLUMNS`] lists them.
pub(crate) fn bind_incident<'q>(query: Query<'q>, i: &'q Incident) -> Query<'q> {
    query
        .bind(i.version)
        .bind(i.kind.code())
        .bind(i.title.as_str())
        .bind(i.description.as_str())
        .bind(i.symptoms.as_str())
        .bind(i.reporter.name.as_str())
        .bind(i.reporter.email.as_deref())
        .bind(i.reporter.phone.as_deref())
        .bind(i.reporter_id)
        .bind(i.service.as_deref())
        .bind(i.category.as_ref().map(|c| c.id))
        .bind(i.impact.code())
        .bind(i.urgency.code())
        .bind(i.priority.rank())
        .bind(i.priority_reason.as_deref())
        .bind(i.tier.code())
        .bind(i.state.code())
        .bind(i.assignee.as_ref().map(|a| a.id))
        .bind(i.resolution.as_deref())
        .bind(i.reported_at_ms)
        .bind(i.first_response_at_ms)
        .bind(i.resolved_at_ms)
        .bind(i.closed_at_ms)
        .bind(i.response_due_ms)
        .bind(i.resolution_due_ms)
        .bind(i.updated_at_ms)
        .bind(diagnosis_json(&i.diagnosis))
        .bind(i.started.as_deref())
}

/// Writes every column of [`INCIDENT_INSERT_COLUMNS`] over ticket `$1` if
/// it is still at version `$2`; bind those two, then [`bind_incident`].
pub(crate) fn update_incident_sql() -> String {
    let binds: Vec<String> = (3..3 + INCIDENT_INSERT_WIDTH)
        .map(|n| format!("${n}"))
        .collect();
    format!(
        "UPDATE incidents SET ({INCIDENT_INSERT_COLUMNS}) = ({}) WHERE id = $1 AND version = $2",
        binds.join(", ")
    )
}

/// `($1, $2, …), ($n, …)` (or `?` where the dialect counts by position):
/// `rows` rows of `width` parameters; the parameter in column `json`
/// (counted from 0) is cast to the dialect's JSON type.
pub(crate) fn values(dialect: &Dialect, rows: usize, width: usize, json: Option<usize>) -> String {
    use std::fmt::Write;
    let mut sql = String::with_capacity(rows * width * 7);
    for row in 0..rows {
        sql.push_str(if row == 0 { "(" } else { ", (" });
        for column in 0..width {
            if column > 0 {
                sql.push_str(", ");
            }
            if dialect.positional_params {
                sql.push('?');
            } else {
                let _ = write!(sql, "${}", row * width + column + 1);
            }
            if json == Some(column) {
                sql.push_str(dialect.json_param);
            }
        }
        sql.push(')');
    }
    sql
}

#[derive(Debug, FromRow)]
pub(crate) struct IncidentRow {
    id: i64,
    version: i64,
    kind: String,
    title: String,
    description: String,
    symptoms: String,
    reporter_name: String,
    reporter_email: Option<String>,
    reporter_phone: Option<String>,
    reporter_id: Option<i64>,
    service: Option<String>,
    category_id: Option<i64>,
    category_path: Option<String>,
    impact: String,
    urgency: String,
    priority: i32,
    priority_reason: Option<String>,
    tier: String,
    state: String,
    assignee_id: Option<i64>,
    assignee_name: Option<String>,
    resolution: Option<String>,
    reported_at_ms: i64,
    first_response_at_ms: Option<i64>,
    resolved_at_ms: Option<i64>,
    closed_at_ms: Option<i64>,
    response_due_ms: Option<i64>,
    resolution_due_ms: Option<i64>,
    updated_at_ms: i64,
    diagnosis: String,
    started: Option<String>,
}

/// The stored form of a ticket's initial diagnosis.
pub fn diagnosis_json(steps: &[DiagnosisStep]) -> String {
    serde_json::to_string(steps).unwrap_or_else(|_| "[]".to_owned())
}

pub(crate) fn corrupt(what: &str, id: i64, value: &str) -> StorageError {
    StorageError::Corrupt(format!("{what} {value:?} of record {id} is not known"))
}

fn kind(id: i64, code: &str) -> Result<Kind, StorageError> {
    Kind::from_code(code).ok_or_else(|| corrupt("kind", id, code))
}
fn state(id: i64, code: &str) -> Result<State, StorageError> {
    State::from_code(code).ok_or_else(|| corrupt("state", id, code))
}
pub(crate) fn tier(id: i64, code: &str) -> Result<Tier, StorageError> {
    Tier::from_code(code).ok_or_else(|| corrupt("tier", id, code))
}
fn priority(id: i64, rank: i32) -> Result<Priority, StorageError> {
    Priority::from_rank(rank).ok_or_else(|| corrupt("priority", id, &rank.to_string()))
}

impl IncidentRow {
    pub(crate) fn into_incident(self) -> Result<Incident, StorageError> {
        let id = self.id;
        Ok(Incident {
            id,
            version: self.version,
            kind: kind(id, &self.kind)?,
            title: self.title,
            description: self.description,
            symptoms: self.symptoms,
            reporter: Contact {
                name: self.reporter_name,
                email: self.reporter_email,
                phone: self.reporter_phone,
            },
            reporter_id: self.reporter_id,
            service: self.service,
            category: self
                .category_id
                .zip(self.category_path)
                .map(|(id, path)| CategoryRef { id, path }),
            impact: Impact::from_code(&self.impact)
                .ok_or_else(|| corrupt("impact", id, &self.impact))?,
            urgency: Urgency::from_code(&self.urgency)
                .ok_or_else(|| corrupt("urgency", id, &self.urgency))?,
            priority: priority(id, self.priority)?,
            priority_reason: self.priority_reason,
            tier: tier(id, &self.tier)?,
            state: state(id, &self.state)?,
            assignee: self
                .assignee_id
                .zip(self.assignee_name)
                .map(|(id, name)| AssigneeRef { id, name }),
            resolution: self.resolution,
            reported_at_ms: self.reported_at_ms,
            first_response_at_ms: self.first_response_at_ms,
            resolved_at_ms: self.resolved_at_ms,
            closed_at_ms: self.closed_at_ms,
            response_due_ms: self.response_due_ms,
            resolution_due_ms: self.resolution_due_ms,
            updated_at_ms: self.updated_at_ms,
            diagnosis: serde_json::from_str(&self.diagnosis)
                .map_err(|_| corrupt("diagnosis", id, &self.diagnosis))?,
            started: self.started,
        })
    }
}

#[derive(Debug, FromRow)]
pub(crate) struct SummaryRow {
    id: i64,
    kind: String,
    title: String,
    state: String,
    priority: i32,
    tier: String,
    assignee_name: Option<String>,
    service: Option<String>,
    reported_at_ms: i64,
    response_due_ms: Option<i64>,
    resolution_due_ms: Option<i64>,
    version: i64,
    updated_at_ms: i64,
    reporter_id: Option<i64>,
    assignee_id: Option<i64>,
    category_path: Option<String>,
}

impl SummaryRow {
    pub(crate) fn into_summary(self) -> Result<IncidentSummary, StorageError> {
        let id = self.id;
        let kind = kind(id, &self.kind)?;
        Ok(IncidentSummary {
            id,
            reference: reference(kind, id),
            kind,
            title: self.title,
            state: state(id, &self.state)?,
            priority: priority(id, self.priority)?,
            tier: tier(id, &self.tier)?,
            assignee: self.assignee_name,
            service: self.service,
            reported_at_ms: self.reported_at_ms,
            response_due_ms: self.response_due_ms,
            resolution_due_ms: self.resolution_due_ms,
            version: self.version,
            updated_at_ms: self.updated_at_ms,
            reporter_id: self.reporter_id,
            assignee_id: self.assignee_id,
            category: self.category_path,
        })
    }
}

pub(crate) fn summaries(rows: Vec<SummaryRow>) -> Result<Vec<IncidentSummary>, StorageError> {
    rows.into_iter().map(SummaryRow::into_summary).collect()
}

/// The columns of an [`EventRow`] from `incident_events e`, its JSON read as text.
pub(crate) fn event_columns(json_text: &str) -> String {
    format!("e.id, e.incident_id, e.version, e.actor_name, e.actor_role, e.data{json_text} AS data, e.at_ms")
}

/// One entry of the event log.
#[derive(Debug, FromRow)]
pub(crate) struct EventRow {
    id: i64,
    incident_id: i64,
    version: i64,
    actor_name: String,
    actor_role: String,
    data: String,
    at_ms: i64,
}

impl EventRow {
    pub(crate) fn into_entry(self) -> Result<TimelineEntry, StorageError> {
        let event: Event = serde_json::from_str(&self.data)
            .map_err(|e| StorageError::Corrupt(format!("event {} cannot be read: {e}", self.id)))?;
        Ok(TimelineEntry {
            id: self.id,
            incident_id: self.incident_id,
            version: self.version,
            actor_name: self.actor_name,
            actor_role: self.actor_role,
            event,
            at_ms: self.at_ms,
        })
    }
}

/// `SELECT` of a [`SummaryRow`] from a ticket and its assignee; `WHERE …` follows.
pub(crate) fn cards_from() -> String {
    format!("SELECT {SUMMARY_COLUMNS} FROM incidents i LEFT JOIN people p ON p.id = i.assignee_id")
}

/// The condition that keeps a query inside what the reader may see. A
/// reporter's id is bound as parameter `$param` (see [`bind_scope`]).
pub(crate) fn scope_filter(scope: Scope, param: usize) -> String {
    match scope {
        Scope::Everything => String::new(),
        Scope::ExceptSecurity => " AND i.kind <> 'security_incident'".to_owned(),
        Scope::ReportedBy(_) => format!(" AND i.reporter_id = ${param}"),
    }
}

pub(crate) type QueryRows<'q, O> = sqlx::query::QueryAs<'q, Any, O, AnyArguments<'q>>;

/// Binds [`scope_filter`]'s parameter, when it has one.
pub(crate) fn bind_scope<O>(query: QueryRows<'_, O>, scope: Scope) -> QueryRows<'_, O> {
    match scope {
        Scope::ReportedBy(id) => query.bind(id),
        _ => query,
    }
}

pub(crate) fn entries(rows: Vec<EventRow>) -> Result<Vec<TimelineEntry>, StorageError> {
    rows.into_iter().map(EventRow::into_entry).collect()
}

/// The event's data as stored: its JSON, whose tag is also the `kind` column.
pub(crate) fn event_json(event: &Event) -> Result<String, StorageError> {
    serde_json::to_string(event)
        .map_err(|e| StorageError::Corrupt(format!("event cannot be written: {e}")))
}
