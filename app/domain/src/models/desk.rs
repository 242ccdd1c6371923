use serde::{Deserialize, Serialize};

use super::Category;
use crate::{calendar::Zone, priority::PriorityMatrix, tier::Tier};

/// Someone a ticket can be assigned to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignable {
    pub id: i64,
    pub name: String,
    pub tier: Tier,
}

/// What the agent's controls on one ticket choose from, with the desk's
/// rules the browser needs to show a result before saving.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentChoices {
    /// Agents the domain allows for this ticket as it is now.
    pub assignees: Vec<Assignable>,
    pub categories: Vec<Category>,
    /// The desk's impact × urgency matrix, so the resulting priority shows
    /// before saving.
    pub matrix: PriorityMatrix,
    /// The desk's time zone for the coming months: calls are entered and
    /// shown in it.
    pub zone: Zone,
    pub server_now_ms: i64,
}

/// A tier and who leads it: the person alerted when a ticket at that tier
/// misses its first-response target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TierLead {
    pub tier: Tier,
    pub lead: Option<Assignable>,
}
