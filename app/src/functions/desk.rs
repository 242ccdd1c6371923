//! What the agent's controls on a ticket need from the server besides the
//! ticket itself. Changes still go through `change_incident`.

use leptos::prelude::*;

use domain::models::AgentChoices;

use crate::error::AppError;

/// The most agents the assign control lists.
pub const AGENT_LIMIT: i64 = 500;
/// How far ahead the desk's zone is sent: calls are at most 90 days away.
#[cfg(feature = "ssr")]
const ZONE_DAYS: i64 = 92;

/// Who a ticket may be assigned to, the category tree, and the desk's
/// priority matrix and time zone. Desk only; the ticket must be one the
/// agent may see (otherwise it answers like a missing one).
#[server(endpoint = "ticket_choices")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn ticket_choices(reference: String) -> Result<AgentChoices, AppError> {
    use crate::auth;
    use domain::models::Assignable;
    use domain::{calendar::DAY_MS, change::check_assignee};

    let person = auth::require_desk().await?;
    let store = super::store()?;
    let detail = super::incidents::visible_ticket(&store, &person, &reference).await?;
    let assignees = store
        .agents(AGENT_LIMIT)
        .await?
        .into_iter()
        .filter(|agent| check_assignee(&detail.incident, agent).is_ok())
        .filter_map(|agent| {
            Some(Assignable {
                tier: agent.role.tier()?,
                id: agent.id,
                name: agent.name,
            })
        })
        .collect();
    let categories = store.categories().await?;
    let now_ms = crate::clock::now_ms();
    let rules = store.rules();
    Ok(AgentChoices {
        assignees,
        categories,
        matrix: rules.matrix.clone(),
        zone: rules
            .calendar
            .zone()
            .between(now_ms - DAY_MS, now_ms + ZONE_DAYS * DAY_MS),
        server_now_ms: now_ms,
    })
}
