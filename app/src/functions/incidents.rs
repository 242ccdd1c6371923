use leptos::prelude::*;

use crate::{
    error::AppError,
    models::{IncidentSummary, RecentIncidents},
};

/// How many incidents the home page lists.
pub const RECENT_LIMIT: i64 = 10;

/// Logs a new incident with a title and who to reach: the quickest way to
/// tell the desk something broke. `contact` is an email address or a phone number.
#[server(endpoint = "log_incident")]
#[tracing::instrument(skip_all)]
pub async fn log_incident(
    title: String,
    name: String,
    contact: String,
) -> Result<IncidentSummary, AppError> {
    use crate::{
        domain::{
            change::Acting,
            incident::{IncidentTitle, Kind, NewIncident},
            lifecycle::Actor,
            person::Contact,
            priority::{Impact, Urgency},
        },
        error::respond,
    };

    let invalid = |message: String| respond(AppError::Invalid(message));
    let title = IncidentTitle::parse(&title).map_err(|e| invalid(e.to_string()))?;
    let (email, phone) = if contact.contains('@') {
        (contact.as_str(), "")
    } else {
        ("", contact.as_str())
    };
    let reporter = Contact::new(&name, email, phone).map_err(|e| invalid(e.to_string()))?;
    // The desk triages quick reports; until then they count as medium/medium.
    let new = NewIncident {
        kind: Kind::Incident,
        title,
        description: String::new(),
        symptoms: String::new(),
        reporter: reporter.clone(),
        reporter_id: None,
        service: None,
        category_id: None,
        impact: Impact::Medium,
        urgency: Urgency::Medium,
    };
    let by = Acting {
        person_id: None,
        name: reporter.name,
        actor: Actor::Reporter,
    };
    let store = super::store()?;
    let logged = store
        .report(&new, &by, crate::clock::now_ms())
        .await
        .map_err(|e| respond(e.into()))?;
    tracing::info!(reference = %logged.reference(), "incident logged");
    Ok(IncidentSummary::from(&logged))
}

/// The newest incidents, newest first.
#[server(endpoint = "recent_incidents")]
#[tracing::instrument(skip_all)]
pub async fn list_recent_incidents() -> Result<RecentIncidents, AppError> {
    use crate::error::respond;

    let store = super::store()?;
    let incidents = store
        // Anyone can read this list: suspected data breaches never appear in it.
        .recent_incidents(RECENT_LIMIT, false)
        .await
        .map_err(|e| respond(e.into()))?;
    Ok(RecentIncidents {
        server_now_ms: crate::clock::now_ms(),
        incidents,
    })
}
