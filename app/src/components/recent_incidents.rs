use leptos::prelude::*;

use domain::age::describe_age;

use domain::models::RecentIncidents;

use crate::{
    components::{error_notice, use_seconds_ticker},
    error::AppError,
    functions::wire::Loaded,
};

/// The newest incidents, refreshed after every report made on this page
/// (`recent` is keyed on the report action's version where it is made).
#[component]
pub fn RecentIncidentList(
    recent: Loaded<Option<Result<RecentIncidents, AppError>>>,
    heading: &'static str,
) -> impl IntoView {
    let seconds = use_seconds_ticker();

    view! {
        <section class="panel" aria-labelledby="recent-heading">
            <h2 id="recent-heading">{heading}</h2>
            <Transition fallback=|| view! { <p class="muted">"Loading incidents…"</p> }>
                {move || Suspend::new(async move {
                    match recent.await {
                        None => ().into_any(),
                        Some(Ok(list)) => {
                            // Ages count from the server's clock, then tick locally.
                            let read_at = seconds.get_untracked();
                            incident_items(list, read_at, seconds)
                        }
                        Some(Err(err)) => error_notice(err),
                    }
                })}
            </Transition>
        </section>
    }
}

fn incident_items(list: RecentIncidents, read_at: i64, seconds: ReadSignal<i64>) -> AnyView {
    if list.incidents.is_empty() {
        return view! { <p class="muted">"No incidents yet. Everything is working, apparently."</p> }
            .into_any();
    }
    let server_now_ms = list.server_now_ms;
    view! {
        <ol class="incident-list">
            {list.incidents.into_iter().map(|incident| {
                let reported_at_ms = incident.reported_at_ms;
                let age = move || {
                    let local_ms = (seconds.get() - read_at) * 1_000;
                    describe_age(server_now_ms - reported_at_ms + local_ms)
                };
                view! {
                    <li class="incident">
                        <a class="reference" href=format!("/incidents/{}", incident.reference)>
                            {incident.reference.clone()}
                        </a>
                        <span class="title">{incident.title}</span>
                        <span class="age">{age}</span>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
    .into_any()
}
