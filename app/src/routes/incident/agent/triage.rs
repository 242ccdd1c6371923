//! Triage: impact and urgency (with the resulting priority shown before
//! saving), a priority override with its reason, and the category.

use leptos::prelude::*;

use super::{
    form::{agent_form, choice, draft_or, options, text_line},
    Sender, CATEGORY, OVERRIDE, PRIORITY,
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
) -> AnyView {
    let drafts = sender.drafts;
    let (now_impact, now_urgency) = (incident.impact, incident.urgency);
    let impact = move || drafts.impact.get().unwrap_or(now_impact);
    let urgency = move || drafts.urgency.get().unwrap_or(now_urgency);
    let matrix = choices.matrix.clone();
    let result = move || matrix.priority(impact(), urgency()).to_string();
    let to = sender.clone();
    let send = move || {
        to.send(
            PRIORITY,
            Change::Reprioritise {
                impact: impact(),
                urgency: urgency(),
            },
        );
    };
    let impact_options = options(
        Impact::ALL
            .into_iter()
            .map(|i| {
                (
                    i.code().to_owned(),
                    format!("{} ({})", capitalised(i.code()), impact_words(i)),
                )
            })
            .collect(),
        move || impact().code().to_owned(),
    );
    let urgency_options = options(
        Urgency::ALL
            .into_iter()
            .map(|u| {
                (
                    u.code().to_owned(),
                    format!("{} ({})", capitalised(u.code()), urgency_words(u)),
                )
            })
            .collect(),
        move || urgency().code().to_owned(),
    );
    let fields = view! {
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
    };
    let button = "Save impact and urgency";
    agent_form(PRIORITY, "Impact and urgency", button, sender, fields, send)
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

pub(super) fn override_form(incident: &Incident, sender: &Sender) -> AnyView {
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
    let to = sender.clone();
    let send = move || {
        to.send(
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
    let fields = view! {
        {reason}
        {choice((OVERRIDE, "override-priority", false), "Priority", drafts.override_to, items, shown)}
        {text_line(OVERRIDE, "override-reason", "Why override it? (required)",
            drafts.override_reason, (500, true))}
    };
    let legend = "Override the priority";
    agent_form(OVERRIDE, legend, "Override priority", sender, fields, send)
}

pub(super) fn category_form(
    incident: &Incident,
    choices: &AgentChoices,
    sender: &Sender,
) -> AnyView {
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
    let to = sender.clone();
    let send = move || {
        to.send(
            CATEGORY,
            Change::Recategorise {
                category_id: chosen().parse().ok(),
            },
        );
    };
    let fields = view! {
        <label for="category-choice">"Category"</label>
        <select id="category-choice" aria-describedby="category-error"
            on:change=move |ev| drafts.category.set(Some(event_target_value(&ev)))>
            {items}
        </select>
    };
    agent_form(CATEGORY, "Category", "Save category", sender, fields, send)
}
