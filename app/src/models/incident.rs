use serde::{Deserialize, Serialize};

/// One line of an incident list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentSummary {
    pub id: i64,
    pub reference: String,
    pub title: String,
    /// Milliseconds since the Unix epoch, by the server's clock.
    pub reported_at_ms: i64,
}

/// The newest incidents, with the server's clock at the moment of reading so
/// that ages do not depend on the accuracy of the viewer's clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecentIncidents {
    pub server_now_ms: i64,
    pub incidents: Vec<IncidentSummary>,
}
