use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::{
    components::SignedInOnly, domain::change::Event, functions::incidents::incident,
    models::IncidentDetail,
};

#[component]
pub fn IncidentPage() -> impl IntoView {
    view! {
        <Title text="Ticket"/>
        <SignedInOnly render=|_| view! { <Ticket/> }.into_any()/>
    }
}

#[component]
fn Ticket() -> impl IntoView {
    let params = use_params_map();
    let reference = move || params.read().get("reference").unwrap_or_default();
    let detail = Resource::new(reference, incident);
    // An explicit match rather than an ErrorBoundary: the refusal renders
    // the same on the server and in the browser, so hydration matches.
    view! {
        <Transition fallback=|| view! { <p class="muted">"Loading the ticket…"</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(detail) => ticket(detail).into_any(),
                    Err(err) => view! {
                        <section class="panel narrow">
                            <h1>"Ticket not found"</h1>
                            <p class="notice error" role="alert">{err.to_string()}</p>
                        </section>
                    }
                    .into_any(),
                }
            })}
        </Transition>
    }
}

fn ticket(detail: IncidentDetail) -> impl IntoView {
    let incident = detail.incident;
    view! {
        <article class="panel ticket" aria-labelledby="ticket-heading">
            <h1 id="ticket-heading">
                <span class="reference">{incident.reference()}</span> " " {incident.title.clone()}
            </h1>
            <dl class="facts">
                <dt>"State"</dt><dd>{incident.state.label()}</dd>
                <dt>"Priority"</dt><dd>{incident.priority.to_string()}</dd>
                <dt>"Tier"</dt><dd>{incident.tier.code()}</dd>
                <dt>"Assignee"</dt><dd>{incident.assignee.as_ref().map(|a| a.name.clone()).unwrap_or_else(|| "Nobody yet".to_owned())}</dd>
                <dt>"Reported by"</dt><dd>{incident.reporter.name.clone()}</dd>
            </dl>
            {(!incident.description.is_empty()).then(|| view! { <p class="description">{incident.description.clone()}</p> })}
            <h2>"Timeline"</h2>
            <ol class="timeline">
                {detail.timeline.into_iter().map(|entry| {
                    let internal = !entry.event.visible_to_reporter();
                    let text = match &entry.event {
                        Event::Commented { text, .. } => Some(text.clone()),
                        _ => None,
                    };
                    view! {
                        <li class:internal=internal>
                            <span class="who">{entry.actor_name}</span>
                            {internal.then(|| view! { <span class="badge">"Internal"</span> })}
                            <span class="what">{entry.event.summary()}</span>
                            {text.map(|text| view! { <p class="comment">{text}</p> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </article>
    }
}
