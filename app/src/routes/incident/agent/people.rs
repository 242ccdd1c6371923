//! Who works on it: the tier (escalate or de-escalate, with a reason) and
//! the assignee (only agents the domain allows).

use leptos::prelude::*;

use super::{draft_or, notice, options, pending, submit_button, Last, Sender, ASSIGN, TIER};
use domain::models::AgentChoices;
use domain::{
    access::acting, change::Change, escalation::change_tier, incident::Incident, person::Person,
    tier::Tier,
};

pub(super) fn tier_form(
    incident: &Incident,
    viewer: &Person,
    sender: &Sender,
    last: Last,
) -> AnyView {
    let busy = pending(sender);
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
        return view! {
            <section class="agent-form">
                <h3>"Tier"</h3>
                <p class="muted">{format!("At {}. {why}", incident.tier.code())}</p>
            </section>
        }
        .into_any();
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
    let sender = sender.clone();
    let chosen_tier = shown.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let to = Tier::from_code(&chosen_tier()).unwrap_or(first);
        sender.send(
            TIER,
            Change::ChangeTier {
                to,
                reason: drafts.tier_reason.get_untracked(),
            },
        );
    };
    view! {
        <form class="agent-form stack" on:submit=submit>
            <fieldset>
                <legend>{format!("Tier (now {})", from.code())}</legend>
                <label for="tier-to">"Move to"</label>
                <select id="tier-to" aria-describedby="tier-error"
                    on:change=move |ev| drafts.tier_to.set(event_target_value(&ev))>
                    {options(items, shown)}
                </select>
                <label for="tier-reason">"Why move it? (required)"</label>
                <textarea id="tier-reason" rows="2" required maxlength="2000" aria-describedby="tier-error"
                    on:input=move |ev| drafts.tier_reason.set(event_target_value(&ev))
                    prop:value=move || drafts.tier_reason.get()></textarea>
                {notice(TIER, drafts, last)}
                {submit_button("Move the ticket", busy)}
            </fieldset>
        </form>
    }
    .into_any()
}

pub(super) fn assign_form(
    incident: &Incident,
    choices: &AgentChoices,
    sender: &Sender,
    last: Last,
) -> AnyView {
    let busy = pending(sender);
    let drafts = sender.drafts;
    let current = incident.assignee.as_ref().map(|a| a.id);
    let items: Vec<(String, String)> = choices
        .assignees
        .iter()
        .filter(|a| Some(a.id) != current)
        .map(|a| (a.id.to_string(), format!("{} ({})", a.name, a.tier.code())))
        .collect();
    let Some(first) = items.first().map(|i| i.0.clone()) else {
        return view! {
            <section class="agent-form">
                <h3>"Assign"</h3>
                <p class="muted">{format!("Nobody else at {} or above can take this ticket.", incident.tier.code())}</p>
            </section>
        }
        .into_any();
    };
    let shown = draft_or(
        drafts.assignee,
        items.iter().map(|i| i.0.clone()).collect(),
        first,
    );
    let sender = sender.clone();
    let chosen = shown.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Ok(assignee_id) = chosen().parse() {
            sender.send(ASSIGN, Change::Assign { assignee_id });
        }
    };
    view! {
        <form class="agent-form stack" on:submit=submit>
            <fieldset>
                <legend>"Assign"</legend>
                <label for="assign-to">{format!("Agent at {} or above", incident.tier.code())}</label>
                <select id="assign-to" aria-describedby="assign-error"
                    on:change=move |ev| drafts.assignee.set(event_target_value(&ev))>
                    {options(items, shown)}
                </select>
                {notice(ASSIGN, drafts, last)}
                {submit_button("Assign", busy)}
            </fieldset>
        </form>
    }
    .into_any()
}
