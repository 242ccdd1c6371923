//! Hierarchical escalation: each tier may have a lead, whom the SLA watcher
//! alerts when a ticket at that tier goes unanswered past its target.

use leptos::prelude::*;

use domain::models::TierLead;

use crate::error::AppError;

/// Every tier, with its lead if it has one. The desk may read it (the board
/// names the lead an alert went to); only an administrator changes it.
#[server(endpoint = "tier_leads")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn tier_leads() -> Result<Vec<TierLead>, AppError> {
    crate::auth::require_desk().await?;
    current_leads().await
}

/// Makes the person with id `lead` the lead of `tier` ("L1", "L2", "L3"),
/// or leaves the tier without a lead when `lead` is empty.
#[server(endpoint = "set_tier_lead")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn set_tier_lead(tier: String, lead: String) -> Result<Vec<TierLead>, AppError> {
    use crate::auth;
    use domain::tier::Tier;

    let admin = auth::viewer::require_admin("choose the tier leads").await?;
    let tier = Tier::ALL
        .into_iter()
        .find(|t| t.code().eq_ignore_ascii_case(tier.trim()))
        .ok_or_else(|| AppError::Invalid(format!("{tier:?} is not a tier; use L1, L2 or L3.")))?;
    let lead = match lead.trim() {
        "" => None,
        id => Some(id.parse::<i64>().map_err(|_| {
            AppError::Invalid("Choose the lead from the list of agents.".to_owned())
        })?),
    };
    let store = super::store()?;
    store
        .set_tier_lead(tier, lead, crate::clock::now_ms())
        .await?;
    tracing::info!(by = admin.id, %tier, lead = ?lead, "tier lead set");
    current_leads().await
}

#[cfg(feature = "ssr")]
async fn current_leads() -> Result<Vec<TierLead>, AppError> {
    use domain::models::Assignable;
    use domain::tier::Tier;

    let store = super::store()?;
    let leads = store.tier_leads().await?;
    Ok(Tier::ALL
        .into_iter()
        .map(|tier| TierLead {
            tier,
            lead: leads
                .iter()
                .find(|(t, _)| *t == tier)
                .and_then(|(_, person)| {
                    Some(Assignable {
                        id: person.id,
                        name: person.name.clone(),
                        tier: person.role.tier()?,
                    })
                }),
        })
        .collect())
}
