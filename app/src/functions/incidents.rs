use leptos::prelude::*;

use crate::{
    error::AppError,
    models::{IncidentSummary, RecentIncidents},
};

/// How many incidents the home page lists.
pub const RECENT_LIMIT: i64 = 10;

/// Logs a new incident with just a title: the quickest way to tell the desk something broke.
#[server(endpoint = "log_incident")]
#[tracing::instrument(skip_all)]
pub async fn log_incident(title: String) -> Result<IncidentSummary, AppError> {
    use crate::{domain::incident::IncidentTitle, error::respond};

    let title =
        IncidentTitle::parse(&title).map_err(|e| respond(AppError::Invalid(e.to_string())))?;
    let store = super::store()?;
    let logged = store
        .log_incident(&title, super::now_ms())
        .await
        .map_err(|e| respond(e.into()))?;
    tracing::info!(reference = %logged.reference, "incident logged");
    Ok(logged)
}

/// The newest incidents, newest first.
#[server(endpoint = "recent_incidents")]
#[tracing::instrument(skip_all)]
pub async fn list_recent_incidents() -> Result<RecentIncidents, AppError> {
    use crate::error::respond;

    let store = super::store()?;
    let incidents = store
        .recent_incidents(RECENT_LIMIT)
        .await
        .map_err(|e| respond(e.into()))?;
    Ok(RecentIncidents {
        server_now_ms: super::now_ms(),
        incidents,
    })
}
