//! Triage: impact and urgency (with the resulting priority shown before
//! saving), a priority override with its reason, and the category.

use leptos::prelude::*;

use super::{
    draft_or, notice, options, pending, submit_button, Last, Sender, CATEGORY, OVERRIDE, PRIORITY,
};
use domain::models::AgentChoices;
use domain::{
    change::Change,
    guide::{impact_words, urgency_words},
    incident::Incident,
    priority::{Impact, Priority, Urgency},
};

pub(super) fn priority_form(
    incident: &Incident,
    choices: &AgentChoices,
    sender: &Sender,
    last: Last,
) -> AnyView {
    let busy = pending(sender);
    let drafts = sender.drafts;
    let (now_impact, now_urgency) = (incident.impact, incident.urgency);
    let impact = move || drafts.impact.get().unwrap_or(now_impact);
    let urgency = move || drafts.urgency.get().unwrap_or(now_urgency);
    let matrix = choices.matrix.clone();
    let result = move || matrix.priority(impact(), urgency()).to_string();
    let sender = sender.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        sender.send(
            PRIORITY,
            Change::Reprioritise {
                impact: impact(),
                urgency: urgency(),
            },
        );
    };
    let impact_options = Impact::ALL
        .into_iter()
        .map(|i| {
            view! {
                <option value=i.code() selected=move || impact() == i>
                    {format!("{} ({})", capitalised(i.code()), impact_words(i))}
                </option>
            }
        })
        .collect_view();
    let urgency_options = Urgency::ALL
        .into_iter()
        .map(|u| {
            view! {
                <option value=u.code() selected=move || urgency() == u>
                    {format!("{} ({})", capitalised(u.code()), urgency_words(u))}
                </option>
            }
        })
        .collect_view();
    view! {
        <form class="agent-form stack" on:submit=submit>
            <fieldset>
                <legend>"Impact and urgency"</legend>
                <label for="priority-impact">"Impact"</label>
                <select id="priority-impact" aria-describedby="priority-result priority-error"
                    on:change=move |ev| drafts.impact.set(Impact::from_code(&event_target_value(&ev)))>
                    {impact_options}
                </select>
                <label for="priority-urgency">"Urgency"</label>
                <select id="priority-urgency" aria-describedby="priority-result priority-error"
                    on:change=move |ev| drafts.urgency.set(Urgency::from_code(&event_target_value(&ev)))>
                    {urgency_options}
                </select>
                <p id="priority-result" class="result" aria-live="polite">
                    "Resulting priority: " <strong class="resulting-priority">{result}</strong>
                </p>
                {notice(PRIORITY, drafts, last)}
                {submit_button("Save impact and urgency", busy)}
            </fieldset>
        </form>
    }
    .into_any()
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

pub(super) fn override_form(incident: &Incident, sender: &Sender, last: Last) -> AnyView {
    let busy = pending(sender);
    let drafts = sender.drafts;
    let current = incident.priority;
    let items: Vec<(String, String)> = Priority::ALL
        .into_iter()
        .map(|p| (p.to_string(), p.to_string()))
        .collect();
    let shown = draft_or(
        drafts.override_to,
        items.iter().map(|i| i.0.clone()).collect(),
        current.to_string(),
    );
    let chosen = {
        let shown = shown.clone();
        move || {
            Priority::ALL
                .into_iter()
                .find(|p| p.to_string() == shown())
                .unwrap_or(current)
        }
    };
    let sender = sender.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        sender.send(
            OVERRIDE,
            Change::OverridePriority {
                priority: chosen(),
                reason: drafts.override_reason.get_untracked(),
            },
        );
    };
    let reason = incident.priority_reason.clone().map(|reason| {
        view! { <p class="muted">"Overridden: " {reason}</p> }
    });
    view! {
        <form class="agent-form stack" on:submit=submit>
            <fieldset>
                <legend>"Override the priority"</legend>
                {reason}
                <label for="override-priority">"Priority"</label>
                <select id="override-priority" aria-describedby="override-error"
                    on:change=move |ev| drafts.override_to.set(event_target_value(&ev))>
                    {options(items, shown)}
                </select>
                <label for="override-reason">"Why override it? (required)"</label>
                <input id="override-reason" type="text" required maxlength="500" aria-describedby="override-error"
                    on:input=move |ev| drafts.override_reason.set(event_target_value(&ev))
                    prop:value=move || drafts.override_reason.get()/>
                {notice(OVERRIDE, drafts, last)}
                {submit_button("Override priority", busy)}
            </fieldset>
        </form>
    }
    .into_any()
}

pub(super) fn category_form(
    incident: &Incident,
    choices: &AgentChoices,
    sender: &Sender,
    last: Last,
) -> AnyView {
    let busy = pending(sender);
    let drafts = sender.drafts;
    let current = incident
        .category
        .as_ref()
        .map(|c| c.id.to_string())
        .unwrap_or_default();
    let chosen = {
        let current = current.clone();
        move || drafts.category.get().unwrap_or_else(|| current.clone())
    };
    let items = std::iter::once((String::new(), "No category".to_owned()))
        .chain(
            choices
                .categories
                .iter()
                .map(|c| (c.id.to_string(), c.path.clone())),
        )
        .map(|(value, label)| {
            let chosen = chosen.clone();
            let is = value.clone();
            view! { <option value=value selected=move || chosen() == is>{label}</option> }
        })
        .collect_view();
    let sender = sender.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        sender.send(
            CATEGORY,
            Change::Recategorise {
                category_id: chosen().parse().ok(),
            },
        );
    };
    view! {
        <form class="agent-form stack" on:submit=submit>
            <fieldset>
                <legend>"Category"</legend>
                <label for="category-choice">"Category"</label>
                <select id="category-choice" aria-describedby="category-error"
                    on:change=move |ev| drafts.category.set(Some(event_target_value(&ev)))>
                    {items}
                </select>
                {notice(CATEGORY, drafts, last)}
                {submit_button("Save category", busy)}
            </fieldset>
        </form>
    }
    .into_any()
}
