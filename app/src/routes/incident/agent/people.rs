//! Who works on it: the tier (escalate or de-escalate, with a reason) and
//! the assignee (only agents the domain allows).

use leptos::prelude::*;

use super::{
    form::{agent_form, choice, draft_or, text_box, unavailable},
    Sender, ASSIGN, TIER,
};
use domain::models::AgentChoices;
use domain::{
    access::acting, change::Change, escalation::change_tier, incident::Incident, person::Person,
    tier::Tier,
};

pub(super) fn tier_form(incident: &Incident, viewer: &Person, sender: &Sender) -> AnyView {
    let drafts = sender.drafts;
    let actor = acting(viewer).actor;
    // The domain says where this agent may move this ticket; a placeholder
    // reason asks only about the move itself.
    let moves: Vec<Result<Tier, String>> = Tier::ALL
        .into_iter()
        .filter(|t| *t != incident.tier)
        .map(|to| {
            change_tier(
                actor,
                incident.kind,
                incident.state,
                incident.tier,
                to,
                "reason",
            )
            .map_err(|e| e.to_string())
        })
        .collect();
    let allowed: Vec<Tier> = moves.iter().filter_map(|m| m.clone().ok()).collect();
    let Some(first) = allowed.first().copied() else {
        let why = moves.into_iter().find_map(Result::err).unwrap_or_default();
        return unavailable("Tier", format!("At {}. {why}", incident.tier.code()));
    };
    let shown = draft_or(
        drafts.tier_to,
        allowed.iter().map(|t| t.code().to_owned()).collect(),
        first.code().to_owned(),
    );
    let from = incident.tier;
    let items = allowed
        .iter()
        .map(|t| {
            let verb = if *t > from { "Escalate" } else { "De-escalate" };
            (t.code().to_owned(), format!("{verb} to {}", t.code()))
        })
        .collect();
    let to = sender.clone();
    let chosen_tier = shown.clone();
    let send = move || {
        to.send(
            TIER,
            Change::ChangeTier {
                to: Tier::from_code(&chosen_tier()).unwrap_or(first),
                reason: drafts.tier_reason.get_untracked(),
            },
        );
    };
    let fields = view! {
        {choice((TIER, "tier-to", false), "Move to", drafts.tier_to, items, shown)}
        {text_box(TIER, "tier-reason", "Why move it? (required)", drafts.tier_reason, 2_000)}
    };
    let legend = format!("Tier (now {})", from.code());
    agent_form(TIER, legend, "Move the ticket", sender, fields, send)
}

pub(super) fn assign_form(incident: &Incident, choices: &AgentChoices, sender: &Sender) -> AnyView {
    let drafts = sender.drafts;
    let current = incident.assignee.as_ref().map(|a| a.id);
    let items: Vec<(String, String)> = choices
        .assignees
        .iter()
        .filter(|a| Some(a.id) != current)
        .map(|a| (a.id.to_string(), format!("{} ({})", a.name, a.tier.code())))
        .collect();
    let Some(first) = items.first().map(|i| i.0.clone()) else {
        return unavailable(
            "Assign",
            format!(
                "Nobody else at {} or above can take this ticket.",
                incident.tier.code()
            ),
        );
    };
    let shown = draft_or(
        drafts.assignee,
        items.iter().map(|i| i.0.clone()).collect(),
        first,
    );
    let to = sender.clone();
    let chosen = shown.clone();
    let send = move || {
        if let Ok(assignee_id) = chosen().parse() {
            to.send(ASSIGN, Change::Assign { assignee_id });
        }
    };
    let label = format!("Agent at {} or above", incident.tier.code());
    let fields = choice(
        (ASSIGN, "assign-to", false),
        label,
        drafts.assignee,
        items,
        shown,
    );
    agent_form(ASSIGN, "Assign", "Assign", sender, fields, send)
}
