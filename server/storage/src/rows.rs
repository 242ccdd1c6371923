//! Row shapes both backends read, the column lists that produce them, and
//! their mapping to domain records. A value the domain does not know (an
//! unknown state code, say) is reported as corrupt data, never guessed.

use sqlx::FromRow;

use super::StorageError;
use domain::models::{Category, IncidentSummary, TimelineEntry};
use domain::{
    access::Scope,
    change::Event,
    guide::DiagnosisStep,
    incident::{reference, AssigneeRef, CategoryRef, Incident},
    kind::Kind,
    lifecycle::State,
    person::{Contact, Person, Role},
    priority::{Impact, Priority, Urgency},
    tier::Tier,
};

/// Selects an [`IncidentRow`]; use with [`INCIDENT_FROM`].
pub(super) const INCIDENT_COLUMNS: &str = "i.id, i.version, i.kind, i.title, i.description, \
    i.symptoms, i.reporter_name, i.reporter_email, i.reporter_phone, i.reporter_id, i.service, \
    i.category_id, c.path AS category_path, i.impact, i.urgency, i.priority, i.priority_reason, \
    i.tier, i.state, i.assignee_id, p.name AS assignee_name, i.resolution, i.reported_at_ms, \
    i.first_response_at_ms, i.resolved_at_ms, i.closed_at_ms, i.response_due_ms, \
    i.resolution_due_ms, i.updated_at_ms, i.diagnosis, i.started";

pub(super) const INCIDENT_FROM: &str = "incidents i \
    LEFT JOIN categories c ON c.id = i.category_id \
    LEFT JOIN people p ON p.id = i.assignee_id";

/// Selects a [`SummaryRow`] from `incidents i LEFT JOIN people p ON p.id = i.assignee_id`.
pub(super) const SUMMARY_COLUMNS: &str = "i.id, i.kind, i.title, i.state, i.priority, i.tier, \
    p.name AS assignee_name, i.service, i.reported_at_ms, i.response_due_ms, \
    i.resolution_due_ms, i.version, i.updated_at_ms, i.reporter_id, i.assignee_id, \
    (SELECT c.path FROM categories c WHERE c.id = i.category_id) AS category_path";

pub(super) const PERSON_COLUMNS: &str = "id, name, email, phone, role, tier, security_team";

/// The columns `UPDATE incidents SET …` writes on every change, in bind order
/// after the id (`$1`) and the expected version (`$2`).
pub(super) const UPDATE_INCIDENT: &str = "UPDATE incidents SET version = $3, title = $4, \
    description = $5, symptoms = $6, service = $7, category_id = $8, impact = $9, \
    urgency = $10, priority = $11, priority_reason = $12, tier = $13, state = $14, \
    assignee_id = $15, resolution = $16, first_response_at_ms = $17, resolved_at_ms = $18, \
    closed_at_ms = $19, response_due_ms = $20, resolution_due_ms = $21, updated_at_ms = $22, \
    kind = $23 WHERE id = $1 AND version = $2";

/// Completed by each backend with its VALUES list (PostgreSQL casts `data` to jsonb).
pub(super) const INSERT_EVENT: &str = "INSERT INTO incident_events \
    (incident_id, version, actor_id, actor_name, actor_role, kind, data, at_ms) VALUES";

pub(super) const INSERT_CATEGORY: &str = "INSERT INTO categories (parent_id, name, path) \
    VALUES ($1, $2, $3) RETURNING id, parent_id, name, path";

/// Inserts a new ticket and returns its id; bind with [`bind_incident_columns!`](crate::bind_incident_columns).
pub const INSERT_INCIDENT: &str = "INSERT INTO incidents (version, kind, title, \
    description, symptoms, reporter_name, reporter_email, reporter_phone, reporter_id, service, \
    category_id, impact, urgency, priority, priority_reason, tier, state, assignee_id, \
    resolution, reported_at_ms, first_response_at_ms, resolved_at_ms, closed_at_ms, \
    response_due_ms, resolution_due_ms, updated_at_ms, diagnosis, started) VALUES ($1, $2, $3, \
    $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, \
    $24, $25, $26, $27, $28) RETURNING id";

/// Binds an incident's columns in the order [`INSERT_INCIDENT`] lists them.
/// A macro, so one list serves every backend and every kind of sqlx query.
#[macro_export]
macro_rules! bind_incident_columns {
    ($query:expr, $incident:expr) => {{
        let i: &::domain::incident::Incident = $incident;
        $query
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
            .bind($crate::diagnosis_json(&i.diagnosis))
            .bind(i.started.as_deref())
    }};
}

/// Binds [`UPDATE_INCIDENT`]: the id, the version the writer read, then the
/// columns a change may touch.
macro_rules! bind_incident_update {
    ($query:expr, $expected_version:expr, $next:expr) => {{
        let next: &::domain::incident::Incident = $next;
        $query
            .bind(next.id)
            .bind($expected_version)
            .bind(next.version)
            .bind(next.title.as_str())
            .bind(next.description.as_str())
            .bind(next.symptoms.as_str())
            .bind(next.service.as_deref())
            .bind(next.category.as_ref().map(|c| c.id))
            .bind(next.impact.code())
            .bind(next.urgency.code())
            .bind(next.priority.rank())
            .bind(next.priority_reason.as_deref())
            .bind(next.tier.code())
            .bind(next.state.code())
            .bind(next.assignee.as_ref().map(|a| a.id))
            .bind(next.resolution.as_deref())
            .bind(next.first_response_at_ms)
            .bind(next.resolved_at_ms)
            .bind(next.closed_at_ms)
            .bind(next.response_due_ms)
            .bind(next.resolution_due_ms)
            .bind(next.updated_at_ms)
            .bind(next.kind.code())
    }};
}
pub(super) use bind_incident_update;

#[derive(Debug, FromRow)]
pub(super) struct IncidentRow {
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

fn corrupt(what: &str, id: i64, value: &str) -> StorageError {
    StorageError::Corrupt(format!("{what} {value:?} of record {id} is not known"))
}

fn kind(id: i64, code: &str) -> Result<Kind, StorageError> {
    Kind::from_code(code).ok_or_else(|| corrupt("kind", id, code))
}
fn state(id: i64, code: &str) -> Result<State, StorageError> {
    State::from_code(code).ok_or_else(|| corrupt("state", id, code))
}
fn tier(id: i64, code: &str) -> Result<Tier, StorageError> {
    Tier::from_code(code).ok_or_else(|| corrupt("tier", id, code))
}
fn priority(id: i64, rank: i32) -> Result<Priority, StorageError> {
    Priority::from_rank(rank).ok_or_else(|| corrupt("priority", id, &rank.to_string()))
}

impl IncidentRow {
    pub(super) fn into_incident(self) -> Result<Incident, StorageError> {
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
pub(super) struct SummaryRow {
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
    pub(super) fn into_summary(self) -> Result<IncidentSummary, StorageError> {
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

pub(super) fn summaries(rows: Vec<SummaryRow>) -> Result<Vec<IncidentSummary>, StorageError> {
    rows.into_iter().map(SummaryRow::into_summary).collect()
}

/// Selects an [`EventRow`]; PostgreSQL reads `data` as text (`data::text`).
#[derive(Debug, FromRow)]
pub(super) struct EventRow {
    id: i64,
    incident_id: i64,
    version: i64,
    actor_name: String,
    actor_role: String,
    data: String,
    at_ms: i64,
}

impl EventRow {
    pub(super) fn into_entry(self) -> Result<TimelineEntry, StorageError> {
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

/// The WHERE condition that keeps a query inside what the reader may see.
/// A reporter's id is bound as parameter `$param` (see [`scope_reporter`]).
/// One of the board's reads, each served by its own partial index: open
/// tickets most urgent first, resolved ones awaiting confirmation, and (on
/// request) recently closed or cancelled ones. Binds, in order: the limit,
/// the tier code (`''` for any), `since` when present, then the scope's.
pub(super) struct BoardPart {
    pub sql: String,
    pub since: Option<i64>,
}

pub(super) fn board_parts(board: &super::BoardQuery) -> Vec<BoardPart> {
    let from = format!(
        "SELECT {SUMMARY_COLUMNS} FROM incidents i LEFT JOIN people p ON p.id = i.assignee_id WHERE"
    );
    let tier = "($2 = '' OR i.tier = $2)";
    let mut parts = vec![
        BoardPart {
            sql: format!(
                "{from} i.state IN ('new', 'assigned', 'in_progress', 'pending') AND {tier}{} \
                 ORDER BY i.priority, i.resolution_due_ms IS NULL, i.resolution_due_ms, i.id LIMIT $1",
                scope_filter(board.scope, 3)
            ),
            since: None,
        },
        BoardPart {
            sql: format!(
                "{from} i.state = 'resolved' AND {tier}{} ORDER BY i.resolved_at_ms DESC, i.id LIMIT $1",
                scope_filter(board.scope, 3)
            ),
            since: None,
        },
    ];
    if let Some(since) = board.finished_since_ms {
        parts.push(BoardPart {
            sql: format!(
                "{from} i.state IN ('closed', 'cancelled') AND i.closed_at_ms >= $3 AND {tier}{} \
                 ORDER BY i.closed_at_ms DESC, i.id LIMIT $1",
                scope_filter(board.scope, 4)
            ),
            since: Some(since),
        });
    }
    parts
}

/// Cards by id, for the live hub: `$1 … $n`.
pub(super) fn cards_sql(count: usize) -> String {
    let binds: Vec<String> = (1..=count).map(|n| format!("${n}")).collect();
    format!(
        "SELECT {SUMMARY_COLUMNS} FROM incidents i LEFT JOIN people p ON p.id = i.assignee_id \
         WHERE i.id IN ({})",
        binds.join(", ")
    )
}

pub(super) fn scope_filter(scope: Scope, param: usize) -> String {
    match scope {
        Scope::Everything => String::new(),
        Scope::ExceptSecurity => " AND i.kind <> 'security_incident'".to_owned(),
        Scope::ReportedBy(_) => format!(" AND i.reporter_id = ${param}"),
    }
}

/// The value [`scope_filter`]'s parameter takes, when it has one.
pub(super) fn scope_reporter(scope: Scope) -> Option<i64> {
    match scope {
        Scope::ReportedBy(id) => Some(id),
        _ => None,
    }
}

pub(super) fn entries(rows: Vec<EventRow>) -> Result<Vec<TimelineEntry>, StorageError> {
    rows.into_iter().map(EventRow::into_entry).collect()
}

#[derive(Debug, FromRow)]
pub(super) struct PersonRow {
    id: i64,
    name: String,
    email: String,
    phone: Option<String>,
    role: String,
    tier: Option<String>,
    security_team: bool,
}

impl PersonRow {
    pub(super) fn into_person(self) -> Result<Person, StorageError> {
        let id = self.id;
        let tier = self.tier.as_deref().map(|t| tier(id, t)).transpose()?;
        let role = Role::from_parts(&self.role, tier, self.security_team)
            .ok_or_else(|| corrupt("role", id, &self.role))?;
        Ok(Person {
            id,
            name: self.name,
            email: self.email,
            phone: self.phone,
            role,
        })
    }
}

/// A tier's lead: `l.tier AS lead_tier` and the person's columns.
#[derive(Debug, FromRow)]
pub(super) struct TierLeadRow {
    lead_tier: String,
    #[sqlx(flatten)]
    person: PersonRow,
}

impl TierLeadRow {
    pub(super) fn into_lead(self) -> Result<(Tier, Person), StorageError> {
        let person = self.person.into_person()?;
        Ok((tier(person.id, &self.lead_tier)?, person))
    }
}

pub(super) type CategoryRow = (i64, Option<i64>, String, String);

pub(super) fn category((id, parent_id, name, path): CategoryRow) -> Category {
    Category {
        id,
        parent_id,
        name,
        path,
    }
}

/// The event's data as stored: its JSON, whose tag is also the `kind` column.
pub(super) fn event_json(event: &Event) -> Result<String, StorageError> {
    serde_json::to_string(event)
        .map_err(|e| StorageError::Corrupt(format!("event cannot be written: {e}")))
}

/// Turns free text into an AND of quoted words, safe to hand to FTS5 MATCH:
/// punctuation the user typed can never be read as query syntax.
pub(super) fn fts5_query(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(16)
        .map(|w| format!("\"{w}\""))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_text_becomes_quoted_words() {
        assert_eq!(
            fts5_query("VPN drops"),
            Some("\"VPN\" \"drops\"".to_owned())
        );
        assert_eq!(
            fts5_query("\"printer\" OR NEAR(x) -*"),
            Some("\"printer\" \"OR\" \"NEAR\" \"x\"".to_owned())
        );
        assert_eq!(fts5_query("  ...  "), None);
    }
}
