use serde::{Deserialize, Serialize};

use crate::{
    change::Event, incident::Incident, kind::Kind, lifecycle::State, priority::Priority, tier::Tier,
};

/// One line of an incident list or one card on the board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentSummary {
    pub id: i64,
    pub reference: String,
    pub kind: Kind,
    pub title: String,
    pub state: State,
    pub priority: Priority,
    pub tier: Tier,
    pub assignee: Option<String>,
    pub service: Option<String>,
    /// Milliseconds since the Unix epoch, by the server's clock.
    pub reported_at_ms: i64,
    pub response_due_ms: Option<i64>,
    pub resolution_due_ms: Option<i64>,
    pub version: i64,
    pub updated_at_ms: i64,
    /// The reporter's account, when they have one: decides who may see the card.
    pub reporter_id: Option<i64>,
    pub assignee_id: Option<i64>,
    /// The category's path, `Network › VPN`.
    pub category: Option<String>,
}

impl From<&Incident> for IncidentSummary {
    fn from(incident: &Incident) -> Self {
        Self {
            id: incident.id,
            reference: incident.reference(),
            kind: incident.kind,
            title: incident.title.clone(),
            state: incident.state,
            priority: incident.priority,
            tier: incident.tier,
            assignee: incident.assignee.as_ref().map(|a| a.name.clone()),
            service: incident.service.clone(),
            reported_at_ms: incident.reported_at_ms,
            response_due_ms: incident.response_due_ms,
            resolution_due_ms: incident.resolution_due_ms,
            version: incident.version,
            updated_at_ms: incident.updated_at_ms,
            reporter_id: incident.reporter_id,
            assignee_id: incident.assignee.as_ref().map(|a| a.id),
            category: incident.category.as_ref().map(|c| c.path.clone()),
        }
    }
}

/// One entry of a ticket's timeline: an event from the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    /// The event log's id: increases across all tickets.
    pub id: i64,
    pub incident_id: i64,
    /// The ticket version this event produced.
    pub version: i64,
    pub actor_name: String,
    pub actor_role: String,
    pub event: Event,
    pub at_ms: i64,
}

/// A ticket with its whole timeline, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentDetail {
    pub incident: Incident,
    pub timeline: Vec<TimelineEntry>,
}

impl IncidentDetail {
    /// Leaves out what `role` may not read (internal notes, for reporters).
    pub fn hide_internal_notes_from(&mut self, role: crate::person::Role) {
        self.timeline
            .retain(|entry| crate::access::may_read(role, &entry.event));
    }
}

/// A node of the category tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub name: String,
    /// `Network › VPN`
    pub path: String,
}

/// The newest incidents, with the server's clock at the moment of reading so
/// that ages do not depend on the accuracy of the viewer's clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecentIncidents {
    pub server_now_ms: i64,
    pub incidents: Vec<IncidentSummary>,
}

/// One message of the live event stream: which ticket changed, to which
/// version. Pages that show the ticket reload it; nothing else is sent, so
/// the stream carries no more than the reader may already see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveEvent {
    /// The event log's id, also the SSE id a reconnect resumes from.
    pub id: i64,
    pub incident_id: i64,
    pub version: i64,
    pub kind: String,
    pub at_ms: i64,
    /// The ticket as it is after this event, when the server had it at hand:
    /// boards update the card in place. Without it, a page reloads what it shows.
    #[serde(default)]
    pub card: Option<IncidentSummary>,
    /// A missed first response, for the board's alert list. Internal: it
    /// travels only to the desk, like the event it comes from.
    #[serde(default)]
    pub alert: Option<super::LeadAlert>,
}

impl From<&TimelineEntry> for LiveEvent {
    fn from(entry: &TimelineEntry) -> Self {
        Self {
            id: entry.id,
            incident_id: entry.incident_id,
            version: entry.version,
            kind: entry.event.kind().to_owned(),
            at_ms: entry.at_ms,
            card: None,
            alert: super::LeadAlert::from_entry(entry),
        }
    }
}
