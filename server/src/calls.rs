//! The calendar invitation for a call scheduled on a ticket
//! (`GET /api/incidents/{reference}/calls/{event id}.ics`): for the
//! reporter of the ticket and the desk. A ticket the person may not see
//! answers exactly like one that does not exist.

use axum::{
    extract::{Path, State},
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};

use domain::{
    access::may_read,
    call::{self, Invite},
};

use app::{auth::AuthSession, error::AppError, functions::incidents::visible_ticket};

use crate::{router::AppState, security::refuse};

/// The route, as axum registers it (the last segment is `{event id}.ics`).
pub const CALL_INVITE: &str = "/api/incidents/{reference}/calls/{file}";

pub async fn invite(
    State(state): State<AppState>,
    session: AuthSession,
    Path((reference, file)): Path<(String, String)>,
) -> Response {
    let Some(person) = session.user.map(|user| user.person) else {
        return refuse(AppError::SignInRequired);
    };
    let reference = reference.trim().to_owned();
    // The same check, and the same words, as every server function's.
    let detail = match visible_ticket(&state.store, &person, &reference).await {
        Ok(detail) => detail,
        Err(error) => return refuse(error),
    };
    let event_id = file
        .strip_suffix(".ics")
        .and_then(|id| id.parse::<i64>().ok());
    let found = detail
        .timeline
        .iter()
        .filter(|entry| may_read(person.role, &entry.event))
        .find(|entry| Some(entry.id) == event_id)
        .and_then(|entry| entry.event.call().map(|call| (entry, call)));
    let Some((entry, call)) = found else {
        return refuse(AppError::NotFound(format!(
            "There is no such call on {reference}."
        )));
    };
    let incident = &detail.incident;
    let current = incident.reference();
    let uid = format!("call-{}.incident-{}@frontline", entry.id, incident.id);
    let summary = format!("{current}: {}", incident.title);
    let description = format!(
        "A call with the service desk ({}) about {current}: {}.",
        entry.actor_name, incident.title
    );
    let body = call::ics(
        &call,
        &Invite {
            uid: &uid,
            stamp_ms: entry.at_ms,
            summary: &summary,
            description: &description,
        },
    );
    let disposition = format!("attachment; filename=\"{current}-call-{}.ics\"", entry.id);
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/calendar; charset=utf-8"),
    );
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    response
}
