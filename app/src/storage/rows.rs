//! Row shapes both backends read, and their mapping to models.

use crate::{domain::incident::incident_reference, models::IncidentSummary};

/// `id, title, reported_at_ms`
pub(super) type IncidentRow = (i64, String, i64);

pub(super) fn summary((id, title, reported_at_ms): IncidentRow) -> IncidentSummary {
    IncidentSummary {
        id,
        reference: incident_reference(id),
        title,
        reported_at_ms,
    }
}
