//! What a ticket is, and the prefix of its reference.

use serde::{Deserialize, Serialize};

/// What a ticket is: identification decides between the first two; a
/// suspected data breach is its own kind, seen only by the security team.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Incident,
    ServiceRequest,
    SecurityIncident,
}

impl Kind {
    /// The prefix of the human reference.
    pub fn prefix(self) -> &'static str {
        match self {
            Kind::Incident => "INC",
            Kind::ServiceRequest => "REQ",
            Kind::SecurityIncident => "SEC",
        }
    }
}
