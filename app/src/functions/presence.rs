//! Who else has a ticket open: agents see each other, so two people do not
//! start on the same ticket unknowingly (a conflict still cannot slip
//! through; this only saves the wasted effort).

use leptos::prelude::*;

use crate::error::AppError;

/// How often an open ticket page says it is still open.
pub const HEARTBEAT_MS: u32 = 15_000;
/// Someone counts as viewing for this long after their last heartbeat.
pub const FRESH_MS: i64 = 40_000;

/// Records that the signed-in agent is viewing `reference` and returns the
/// others viewing it, as "Dana Reyes (L2)".
#[server(endpoint = "viewing")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn viewing(reference: String) -> Result<Vec<String>, AppError> {
    use crate::auth;

    let person = auth::require_desk().await?;
    let store = super::store()?;
    let ticket = super::incidents::visible_ticket(&store, &person, &reference).await?;
    let now = crate::clock::now_ms();
    let others = store
        .viewing(
            ticket.incident.id,
            person.id,
            now,
            now - FRESH_MS,
            now - 10 * FRESH_MS,
        )
        .await?;
    Ok(others
        .into_iter()
        .map(|(name, role, tier)| match (role.as_str(), tier) {
            ("admin", _) => format!("{name} (admin)"),
            (_, Some(tier)) => format!("{name} ({tier})"),
            _ => name,
        })
        .collect())
}
