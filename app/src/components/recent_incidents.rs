use leptos::prelude::*;

use domain::models::RecentIncidents;

use crate::{
    components::{error_notice, use_seconds_ticker},
    error::AppError,
};

/// The newest incidents, as the island holding them has them (it loads
/// them again after every report made on its page).
#[component]
pub fn RecentIncidentList(
    recent: ReadSignal<Result<RecentIncidents, AppError>>,
    heading: &'static str,
) -> impl IntoView {
    let seconds = use_seconds_ticker();

    view! {
        <section class="panel" aria-labelledby="recent-heading">
            <h2 id="recent-heading">{heading}</h2>
            {move || match recent.get() {
                // Ages count from the server's clock, then tick locally.
                Ok(list) => incident_items(list, seconds.get_untracked(), seconds),
                Err(err) => error_notice(err),
            }}
        </section>
    }
}

fn incident_items(list: RecentIncidents, read_at: i64, seconds: ReadSignal<i64>) -> AnyView {
    if list.incidents.is_empty() {
        return view! { <p class="muted">"No incidents yet. Everything is working, apparently."</p> }
            .into_any();
    }
    let server_now_ms = list.server_now_ms;
    let lang = crate::language::page_lang();
    view! {
        <ol class="incident-list">
            {list.incidents.into_iter().map(|incident| {
                let reported_at_ms = incident.reported_at_ms;
                let age = move || {
                    let local_ms = (seconds.get() - read_at) * 1_000;
                    words::time::ago(lang, server_now_ms - reported_at_ms + local_ms)
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
